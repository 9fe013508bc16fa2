"""Source reliability from the claim graph (truth discovery), with the evidence behind every score.

This module owns the step after flagging: given claims (each made by one source) and the
relations the detector found between them (entailment, contradiction, hedge, neutral, each with a
probability), it estimates how far each source can be trusted and how likely each claim is true.

- :class:`MajorityVote` is the baseline: a claim is as credible as the share of sources siding
  with it, a source as reliable as the share of its claims the majority backs.
- :class:`TruthFinder` is TruthFinder (Yin, Han & Yu, KDD 2007) on the claim graph: support and
  conflict come from the relations rather than from equal values, hedged claims weigh less, and
  claims copied word for word by several sources count once.

Both follow the scikit-learn estimator pattern: ``fit(claims, relations)``, then
``source_scores_`` (a :class:`SourceScore` per source, with the claims behind it and who supported,
contradicted or hedged each), ``claim_confidence_`` and ``predict(claim_ids)``. Where the graph
holds no evidence, for a claim nobody else bears on or a source none of whose claims is
related to another source's, the answer is None ("unknown"), never 0 or 1.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.special import betaincinv
from sklearn.exceptions import NotFittedError

from detector.labels import CONTRADICTION, ENTAILMENT, HEDGE, LABELS, parse_label

INTERVAL_MASS = 0.9
"""The central mass of the Beta posterior reported as ``low``..``high``."""

# How each label bears on the truth of the claim at the other end. A hedge ("B bears on A but
# without commitment") counts as neither support nor conflict: the hedging source has not said
# which way it leans, and counting it either way would invent a direction. It is still listed
# in the evidence (``hedged_by``).
LABEL_SIGN = {ENTAILMENT: 1.0, CONTRADICTION: -1.0}


@dataclass
class SourceClaim:
    """One claim as one source made it; ``hedged`` when it carries hedge cues (it then weighs less)."""

    id: str
    source: str
    text: str = ""
    hedged: bool = False
    value: object = None
    """For structured data: the value claimed (an author list, a population)."""


@dataclass
class Relation:
    """How claim B bears on claim A: contradiction, entailment, hedge or neutral, with its probability."""

    claim_a: str
    claim_b: str
    label: str
    probability: float = 1.0


@dataclass
class ClaimEvidence:
    """One claim behind a source's score: its confidence and the other sources bearing on it."""

    claim_id: str
    text: str
    confidence: float | None
    supported_by: list[str] = field(default_factory=list)
    contradicted_by: list[str] = field(default_factory=list)
    hedged_by: list[str] = field(default_factory=list)
    copies_of: list[str] = field(default_factory=list)
    """Other sources whose claim has the same wording (counted once with this one)."""


@dataclass
class SourceScore:
    """A source's reliability in [0, 1], or None when nothing in the graph bears on its claims."""

    source: str
    reliability: float | None
    low: float | None
    high: float | None
    """``low``..``high``: the 90% interval of Beta(1 + n r, 1 + n (1 - r)), the flat-prior posterior of a
    source whose n scored claims have mean confidence r (the reliability). With few claims it leans
    toward 0.5, so an extreme reliability from one or two claims may lie outside it."""
    evidence: float
    """Weighted count of the support and conflict from other sources behind the score."""
    claims: list[ClaimEvidence] = field(default_factory=list)


def normalise_wording(text: str) -> str:
    """Lower case, punctuation dropped, whitespace collapsed: two claims the same here are copies."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def beta_interval(successes: float, trials: float, mass: float = INTERVAL_MASS) -> tuple[float, float]:
    """Central ``mass`` interval of Beta(1 + successes, 1 + trials - successes), the posterior under a flat prior."""
    alpha, beta = 1.0 + successes, 1.0 + trials - successes
    tail = (1.0 - mass) / 2
    return float(betaincinv(alpha, beta, tail)), float(betaincinv(alpha, beta, 1.0 - tail))


class _ClaimGraph:
    """Claims indexed, grouped into facts, with the relations between facts of different sources.

    A fact is one claim, or with ``merge_copies`` every claim sharing one normalised wording.
    Relations between two claims of the same source, or inside one fact, are dropped: a source
    cannot vouch for itself.
    """

    def __init__(self, claims: Sequence[SourceClaim], relations: Sequence[Relation], merge_copies: bool):
        self.claims = list(claims)
        self.index: dict[str, int] = {}
        for position, claim in enumerate(self.claims):
            if claim.id in self.index:
                raise ValueError(f"claim id {claim.id!r} appears twice")
            self.index[claim.id] = position
        self.sources = sorted({c.source for c in self.claims})
        source_index = {s: i for i, s in enumerate(self.sources)}
        self.source_of = np.array([source_index[c.source] for c in self.claims], dtype=np.int64)

        wordings = [normalise_wording(c.text) for c in self.claims]
        by_wording: dict[str, list[int]] = {}
        for position, wording in enumerate(wordings):
            if wording:
                by_wording.setdefault(wording, []).append(position)
        self.copies_of = [
            sorted({self.claims[j].source for j in by_wording.get(w, [])} - {c.source}) if w else []
            for c, w in zip(self.claims, wordings)
        ]
        fact_keys: dict[str, int] = {}
        self.fact_of = np.array(
            [fact_keys.setdefault(w if merge_copies and w else f"\0{c.id}", len(fact_keys))
             for c, w in zip(self.claims, wordings)],
            dtype=np.int64,
        )
        self.facts = len(fact_keys)

        ends, signs, weights, hedged = [], [], [], []
        self.said_by: list[dict[str, set[str]]] = [{} for _ in range(self.facts)]  # fact -> label -> sources
        for relation in relations:
            a, b = (self._position(relation.claim_a), self._position(relation.claim_b))
            label = parse_label(relation.label)
            if not 0.0 <= relation.probability <= 1.0:
                raise ValueError(f"relation {relation.claim_a} - {relation.claim_b}: probability "
                                 f"{relation.probability} is outside [0, 1]")
            fact_a, fact_b = self.fact_of[a], self.fact_of[b]
            if self.source_of[a] == self.source_of[b] or fact_a == fact_b:
                continue
            self.said_by[fact_a].setdefault(label, set()).add(self.claims[b].source)
            self.said_by[fact_b].setdefault(label, set()).add(self.claims[a].source)
            ends.append((min(fact_a, fact_b), max(fact_a, fact_b)))
            signs.append(LABEL_SIGN.get(label, 0.0))
            weights.append(relation.probability)
            hedged.append(self.claims[a].hedged or self.claims[b].hedged)
        self.relation_ends = np.array(ends, dtype=np.int64).reshape(-1, 2)
        self.relation_signs = np.array(signs, dtype=np.float64)
        self.relation_probabilities = np.array(weights, dtype=np.float64)
        self.relation_hedged = np.array(hedged, dtype=bool)

    def _position(self, claim_id: str) -> int:
        if claim_id not in self.index:
            raise ValueError(f"a relation names claim {claim_id!r}, which is not among the claims")
        return self.index[claim_id]

    def fact_pairs(self, relation_weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each related pair of facts once, with the mean weight of the relations between them.

        The mean (not the sum) makes a pair scored in both directions, or a fact related to
        several copies of another, count once.
        """
        if not len(relation_weights):
            return np.zeros((0, 2), dtype=np.int64), np.zeros(0)
        keys = self.relation_ends[:, 0] * self.facts + self.relation_ends[:, 1]
        unique, inverse = np.unique(keys, return_inverse=True)
        totals = np.bincount(inverse, weights=relation_weights)
        counts = np.bincount(inverse)
        pairs = np.stack([unique // self.facts, unique % self.facts], axis=1)
        return pairs, totals / counts

    def spread(self, pairs: np.ndarray, weights: np.ndarray, values: np.ndarray) -> np.ndarray:
        """For each fact f: sum over related facts g of weight(f, g) * values[g] (relations are symmetric)."""
        if not len(pairs):
            return np.zeros(self.facts)
        return (np.bincount(pairs[:, 0], weights=weights * values[pairs[:, 1]], minlength=self.facts)
                + np.bincount(pairs[:, 1], weights=weights * values[pairs[:, 0]], minlength=self.facts))

    def scores(
        self, fact_confidence: np.ndarray, fact_evidence: np.ndarray, known: np.ndarray | None = None
    ) -> tuple[dict[str, SourceScore], dict[str, float | None]]:
        """Claim confidences and per-source scores, with the evidence lists behind them.

        A claim has a confidence when its fact has evidence (or is in ``known``); a source's
        reliability is the mean confidence of those of its claims, with a Beta interval in which
        each claim counts as one observation, less when the evidence behind it weighs under 1.
        """
        has_confidence = fact_evidence > 0 if known is None else (fact_evidence > 0) | known
        claim_confidence: dict[str, float | None] = {}
        per_source: dict[str, list[ClaimEvidence]] = {s: [] for s in self.sources}
        observations: dict[str, list[tuple[float, float]]] = {s: [] for s in self.sources}
        for position, claim in enumerate(self.claims):
            fact = self.fact_of[position]
            confidence = float(fact_confidence[fact]) if has_confidence[fact] else None
            claim_confidence[claim.id] = confidence
            said = self.said_by[fact]
            by_label = {label: sorted(said.get(label, set()) - {claim.source})
                        for label in (ENTAILMENT, CONTRADICTION, HEDGE)}
            per_source[claim.source].append(ClaimEvidence(
                claim.id, claim.text or ("" if claim.value is None else str(claim.value)), confidence,
                by_label[ENTAILMENT], by_label[CONTRADICTION], by_label[HEDGE], self.copies_of[position],
            ))
            if confidence is not None:
                weight = 1.0 if known is not None and known[fact] else min(1.0, float(fact_evidence[fact]))
                observations[claim.source].append((confidence, weight))
        source_scores = {}
        for source in self.sources:
            seen = observations[source]
            evidence = sum(float(fact_evidence[self.fact_of[self.index[c.claim_id]]]) for c in per_source[source])
            if not seen:
                source_scores[source] = SourceScore(source, None, None, None, evidence, per_source[source])
                continue
            reliability = sum(c for c, _ in seen) / len(seen)
            trials = sum(w for _, w in seen)
            low, high = beta_interval(reliability * trials, trials)
            source_scores[source] = SourceScore(source, reliability, low, high, evidence, per_source[source])
        return source_scores, claim_confidence


class _Estimator:
    source_scores_: dict[str, SourceScore]
    claim_confidence_: dict[str, float | None]

    def predict(self, claim_ids: Sequence[str]) -> list[float | None]:
        """Confidence that each claim is true (None: unknown); a claim not in the fitted graph is a KeyError."""
        if not hasattr(self, "claim_confidence_"):
            raise NotFittedError(f"{type(self).__name__} is not fitted; call fit(claims, relations) first")
        missing = [c for c in claim_ids if c not in self.claim_confidence_]
        if missing:
            raise KeyError(f"claims not in the fitted graph: {', '.join(missing[:5])}")
        return [self.claim_confidence_[c] for c in claim_ids]


class MajorityVote(_Estimator):
    """The baseline: every other source's claim is one vote, for or against.

    For claim c with S other claims entailing it and C contradicting it (one vote per related
    pair of claims: the sign of the mean of its relations' labels, probabilities ignored)::

        confidence(c) = (1 + S) / (1 + S + C)        # the share of sources, c's own included, siding with c

    and a source's reliability is the mean confidence of its claims (how often the majority
    backs it). Copies count as separate votes and hedged claims as firm ones: the baseline
    :class:`TruthFinder` improves on. A claim with no votes has confidence None.
    """

    def fit(self, claims: Sequence[SourceClaim], relations: Sequence[Relation]) -> MajorityVote:
        graph = _ClaimGraph(claims, relations, merge_copies=False)
        pairs, mean_sign = graph.fact_pairs(graph.relation_signs)
        votes = np.sign(mean_sign)
        support = graph.spread(pairs, (votes > 0).astype(float), np.ones(graph.facts))
        conflict = graph.spread(pairs, (votes < 0).astype(float), np.ones(graph.facts))
        confidence = (1 + support) / (1 + support + conflict)
        self.source_scores_, self.claim_confidence_ = graph.scores(confidence, support + conflict)
        return self

    def vote(self, stances: Sequence[tuple[SourceClaim, int]]) -> float:
        """Stance vote on a new claim: the number of claims for it (+1) minus those against (-1)."""
        return float(sum(np.sign(stance) for _, stance in stances))


class TruthFinder(_Estimator):
    """TruthFinder (Yin, Han & Yu 2007) on the claim graph.

    Facts are claims, except that claims of different sources with the same normalised wording
    (:func:`normalise_wording`) are one fact: a copy adds no independent evidence. With t(w) the
    trustworthiness of source w, s(f) the confidence of fact f and W(f) the sources stating f::

        tau(w)    = -ln(1 - t(w))                                # trust score
        sigma(f)  = max over w in W(f) of tau(w)                  # a copied fact counts once (paper: the sum)
        sigma*(f) = sigma(f) + rho * sum over related f' of imp(f', f) * sigma(f')
        s(f)      = 1 / (1 + exp(-gamma * sigma*(f)))
        t(w)      = mean of s(f) over the facts w states that have evidence

    starting from t(w) = ``initial_trust`` and repeating until the cosine similarity of
    successive trust vectors exceeds 1 - ``tolerance`` (or ``max_iterations``). The implication
    imp(f', f) in [-1, 1] replaces the paper's value similarity by the detector's relations: the
    mean over the relations between the two facts of

        +p for entailment, -p for contradiction, 0 for hedge and neutral,

    p being the relation's probability, times ``hedge_weight`` when either claim is hedged (an
    uncommitted claim moves its own and its neighbours' scores less). Relations count both
    ways: two sources agreeing vouch for each other. A fact's evidence is the sum of |imp| over
    its related facts; without evidence its claims and their sources are None ("unknown").
    t is capped at 1 - 1e-6 before the logarithm so that a near-certain source stays finite.

    ``fit(..., known_truth={claim_id: confidence})`` holds those claims at a known confidence
    throughout (semi-supervised truth discovery): their sources' trust is then learned from
    claims whose truth is known, and spread through the graph to the rest.
    """

    def __init__(
        self,
        initial_trust: float = 0.9,
        gamma: float = 0.3,
        rho: float = 0.5,
        hedge_weight: float = 0.5,
        tolerance: float = 1e-6,
        max_iterations: int = 100,
    ):
        self.initial_trust, self.gamma, self.rho = initial_trust, gamma, rho
        self.hedge_weight, self.tolerance, self.max_iterations = hedge_weight, tolerance, max_iterations

    def fit(
        self,
        claims: Sequence[SourceClaim],
        relations: Sequence[Relation],
        known_truth: Mapping[str, float] | None = None,
    ) -> TruthFinder:
        graph = _ClaimGraph(claims, relations, merge_copies=True)
        relation_weights = (graph.relation_signs * graph.relation_probabilities
                            * np.where(graph.relation_hedged, self.hedge_weight, 1.0))
        pairs, implication = graph.fact_pairs(relation_weights)
        evidence = graph.spread(pairs, np.abs(implication), np.ones(graph.facts))
        known, known_confidence = self._known_facts(graph, known_truth or {})
        scored_claims = (evidence > 0)[graph.fact_of] | known[graph.fact_of]
        claim_sources = graph.source_of[scored_claims]
        claim_facts = graph.fact_of[scored_claims]
        claims_per_source = np.bincount(claim_sources, minlength=len(graph.sources))
        scored_sources = claims_per_source > 0

        trust = np.full(len(graph.sources), self.initial_trust)
        confidence = np.zeros(graph.facts)
        self.iterations_ = 0
        for iteration in range(1, self.max_iterations + 1):
            self.iterations_ = iteration
            tau = -np.log1p(-np.minimum(trust, 1 - 1e-6))
            sigma = np.zeros(graph.facts)
            np.maximum.at(sigma, graph.fact_of, tau[graph.source_of])
            adjusted = sigma + self.rho * graph.spread(pairs, implication, sigma)
            confidence = np.where(known, known_confidence, 1 / (1 + np.exp(-self.gamma * adjusted)))
            new_trust = trust.copy()
            new_trust[scored_sources] = (np.bincount(claim_sources, weights=confidence[claim_facts],
                                                     minlength=len(graph.sources))[scored_sources]
                                         / claims_per_source[scored_sources])
            converged = _cosine_change(trust[scored_sources], new_trust[scored_sources]) < self.tolerance
            trust = new_trust
            if converged:
                break
        self.source_scores_, self.claim_confidence_ = graph.scores(confidence, evidence, known)
        return self

    @staticmethod
    def _known_facts(graph: _ClaimGraph, known_truth: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """Which facts hold a known confidence, and that confidence (the mean over its known claims)."""
        totals, counts = np.zeros(graph.facts), np.zeros(graph.facts)
        for claim_id, value in known_truth.items():
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"known truth of {claim_id!r} is {value}, outside [0, 1]")
            fact = graph.fact_of[graph._position(claim_id)]
            totals[fact] += value
            counts[fact] += 1
        known = counts > 0
        return known, np.divide(totals, counts, out=np.zeros(graph.facts), where=known)

    def trust_score(self, source: str) -> float:
        """tau = -ln(1 - t) of a fitted source; a source unknown to the fit gets the mean fitted reliability."""
        score = self.source_scores_.get(source)
        reliability = score.reliability if score is not None and score.reliability is not None else None
        if reliability is None:
            known = [s.reliability for s in self.source_scores_.values() if s.reliability is not None]
            reliability = sum(known) / len(known) if known else self.initial_trust
        return -math.log1p(-min(reliability, 1 - 1e-6))

    def vote(self, stances: Sequence[tuple[SourceClaim, int]]) -> float:
        """Trust-weighted stance vote on a new claim, from the fitted reliabilities: > 0 leans true.

        Each claim for (+1) or against (-1) adds stance * tau(its source), TruthFinder's sigma for
        the facts "true" and "false"; claims with the same wording and stance count once, with
        their most trusted source.
        """
        strongest: dict[tuple[str, int], float] = {}
        for claim, stance in stances:
            direction = int(np.sign(stance))
            if direction == 0:
                continue
            key = (normalise_wording(claim.text) or f"\0{claim.id}", direction)
            strongest[key] = max(strongest.get(key, 0.0), self.trust_score(claim.source))
        return float(sum(direction * tau for (_, direction), tau in strongest.items()))


def _cosine_change(before: np.ndarray, after: np.ndarray) -> float:
    """1 - cosine similarity of two trust vectors (0 for empty ones)."""
    norms = float(np.linalg.norm(before) * np.linalg.norm(after))
    return 0.0 if norms == 0 else 1.0 - float(before @ after) / norms


def graph_from_store(store, by: str = "speaker") -> tuple[list[SourceClaim], list[Relation]]:
    """A :class:`~detector.store.ClaimStore` as a claim graph: each claim credited to its speaker
    (``by="speaker"``) or to its article's outlet (``by="outlet"``), every scored pair a relation.

    Copies are recognised on the proposition (the claim without its attribution frame), since
    two outlets quoting one statement frame it differently.
    """
    claims = [
        SourceClaim(c.id, c.speaker if by == "speaker" else store.outlets[c.id], c.proposition or c.text,
                    hedged=bool(c.hedge_cues))
        for c in store.claims
    ]
    relations = [Relation(r.claim_a, r.claim_b, r.label, r.score) for r in store.relations(LABELS)]
    return claims, relations


def graph_from_flags(rows: Sequence[Mapping], by: str = "speaker") -> tuple[list[SourceClaim], list[Relation]]:
    """Flag rows (the JSONL schema of ``detector flag``) as a claim graph; outlets are the articles."""
    claims: dict[str, SourceClaim] = {}
    relations = []
    for row in rows:
        ids = []
        for side in ("a", "b"):
            claim = row[f"claim_{side}"]
            claim_id = claim.get("id") or f"{row[f'article_{side}']}:{claim['text']}"
            source = claim["speaker"] if by == "speaker" else row[f"article_{side}"]
            claims.setdefault(claim_id, SourceClaim(claim_id, source, claim.get("proposition") or claim["text"],
                                                    hedged=bool(claim.get("hedge_cues"))))
            ids.append(claim_id)
        relations.append(Relation(ids[0], ids[1], row["label"], float(row.get("score", 1.0))))
    return list(claims.values()), relations
