"""Disputes: scored pairs of claims grouped into propositions with sides, the unit a journalist reads.

A dispute is one proposition (in the words of its firmest claim, the *anchor*) and every claim
that takes a side on it: ``asserts`` (the anchor's speaker), ``confirms`` (another source saying
the same), ``contradicts`` and ``hedges``. It is built from the relations the flagger kept:

1. The anchor is the firm claim (no hedge, not a denial frame) that the claims not yet placed
   contradict and hedge most confidently.
2. Its neighbours take sides from their relation to it, most confident relations first: an
   entailment keeps the side, a contradiction flips it, a hedge of the anchor puts the hedging
   claim on ``hedges``. Then one more step from each firm neighbour (a second source backing the
   denial, a contradiction of a confirmation). A hedge says nothing about the side of what it
   hedges, so sides never spread from a hedging claim; and no further than two steps, so that a
   chain of loosely related claims cannot grow one dispute over a whole story.
3. The placed claims leave the pool, and the next anchor is picked, until no firm claim is
   contradicted or hedged. A group is a dispute when both sides have a source.

Disputes are ranked by :attr:`Dispute.strength`, the geometric mean of the two sides' weights,
each the sum over *independent* sources (distinct speakers) of their best probability (a hedge
counts half): it grows with the number of sources on each side and with the confidence of their
labels, and it is zero when one side is empty.

The grouping is a pure function of claims and relations, so a store recomputes its disputes
after new articles and gets the same disputes as one run over all of them. A dispute's id is
derived from its earliest claim, which stays the earliest as articles are added: an article that
adds a side extends the dispute under the same id.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from detector.claims import Claim, DENIAL_VERBS
from detector.labels import CONTRADICTION, ENTAILMENT, HEDGE
from detector.reasons import pair_reasons

SIDES = ("asserts", "confirms", "contradicts", "hedges")
_HEDGE_WEIGHT = 0.5  # a hedge weighs half a contradiction in a dispute's strength


@dataclass(frozen=True)
class ScoredRelation:
    """A kept relation between two claims: the relation of claim B to claim A."""

    claim_a: str
    claim_b: str
    label: str
    probability: float


@dataclass
class DisputeEntry:
    """One claim on one side of a dispute, with where it was said and why it sits there."""

    side: str
    claim: Claim
    article: str
    outlet: str
    probability: float  # of the relation that put the claim on its side (the anchor: its best one)
    reasons: list[dict] = field(default_factory=list)  # numbers, dates, negations against the anchor

    def to_dict(self) -> dict:
        return {"side": self.side, "speaker": self.claim.speaker, "article": self.article, "outlet": self.outlet,
                "quote": self.claim.text, "verb": self.claim.verb, "claim_id": self.claim.id,
                "probability": round(self.probability, 4), "reasons": self.reasons,
                "hedge_cues": [cue.text for cue in self.claim.hedge_cues]}


@dataclass
class Dispute:
    """A proposition and the claims on each side of it."""

    id: str
    proposition: str
    anchor: str  # claim id of the firmest claim
    entries: list[DisputeEntry]
    strength: float
    story: str = ""

    def side(self, name: str) -> list[DisputeEntry]:
        return [entry for entry in self.entries if entry.side == name]

    @property
    def speakers(self) -> dict[str, list[str]]:
        """Distinct speakers per side, in order of appearance."""
        return {name: list(dict.fromkeys(e.claim.speaker for e in self.side(name))) for name in SIDES}

    def to_dict(self) -> dict:
        """One line of the disputes JSONL documented in the README."""
        return {"id": self.id, "story": self.story, "proposition": self.proposition, "strength": round(self.strength, 4),
                "sources": {name: len(speakers) for name, speakers in self.speakers.items()},
                **{name: [entry.to_dict() for entry in self.side(name)] for name in SIDES}}


def is_firm(claim: Claim, uncertain: Callable[[Claim], bool]) -> bool:
    """A claim that can state a dispute's proposition: not hedged and not a denial frame."""
    return not uncertain(claim) and claim.verb.lower() not in DENIAL_VERBS and claim.stance != "denies"


def group_disputes(
    claims: Mapping[str, Claim],
    relations: Iterable[ScoredRelation],
    article_of: Mapping[str, str],
    outlet_of: Mapping[str, str],
    uncertain: Callable[[Claim], bool],
    order: Mapping[str, int] | None = None,
) -> list[Dispute]:
    """Group kept relations into disputes, strongest first (see the module docstring).

    ``order`` gives each claim's position in the store (reading order); it decides the
    dispute's id and breaks ties, so that the result does not depend on the order of
    ``relations``.
    """
    relations = [r for r in relations if r.label in (CONTRADICTION, HEDGE, ENTAILMENT)]
    order = order or {claim_id: i for i, claim_id in enumerate(claims)}
    edges: dict[str, list[ScoredRelation]] = defaultdict(list)
    for relation in relations:
        edges[relation.claim_a].append(relation)
        edges[relation.claim_b].append(relation)
    remaining = set(edges)
    disputes = []
    while True:
        weights = {c: _opposition(c, edges[c], remaining) for c in remaining if is_firm(claims[c], uncertain)}
        if not weights or max(weights.values()) <= 0:
            break
        anchor = max(weights, key=lambda c: (weights[c], -order[c]))
        side, reached_by = _gather(anchor, edges, remaining, order)
        remaining -= set(side)
        dispute = _dispute(anchor, side, reached_by, claims, article_of, outlet_of, order)
        if dispute is not None:
            disputes.append(dispute)
    return sorted(disputes, key=lambda d: (-d.strength, order[d.anchor]))


def _other(relation: ScoredRelation, claim: str) -> str:
    return relation.claim_b if relation.claim_a == claim else relation.claim_a


def _opposition(claim: str, relations: list[ScoredRelation], remaining: set[str]) -> float:
    """How strongly the claims still unplaced contradict or hedge ``claim``."""
    return sum(r.probability for r in relations if _other(r, claim) in remaining and (
        r.label == CONTRADICTION or (r.label == HEDGE and r.claim_a == claim)))


def _gather(
    anchor: str, edges: Mapping[str, list[ScoredRelation]], remaining: set[str], order: Mapping[str, int],
) -> tuple[dict[str, str], dict[str, float]]:
    """The sides of the claims around an anchor: its direct neighbours, then one more step from
    each firm neighbour (who supports the denial, who contradicts a confirmation), most
    confident relations first."""
    side, reached_by = {anchor: "for"}, {}
    for hops in (1, 2):
        sources = [anchor] if hops == 1 else [c for c in side if c != anchor and side[c] != "hedge"]
        steps = sorted(((r.probability, source, _other(r, source), r) for source in sources for r in edges[source]),
                       key=lambda step: (-step[0], order[step[2]]))
        for probability, source, target, relation in steps:
            if target in side or target not in remaining:
                continue
            new_side = _spread(side[source], source, relation)
            if new_side is not None:
                side[target], reached_by[target] = new_side, probability
    # The anchor's own weight: its most confident relation inside this dispute.
    reached_by[anchor] = max(r.probability for r in edges[anchor] if _other(r, anchor) in side)
    return side, reached_by


def _dispute(
    anchor: str,
    side: Mapping[str, str],
    reached_by: Mapping[str, float],
    claims: Mapping[str, Claim],
    article_of: Mapping[str, str],
    outlet_of: Mapping[str, str],
    order: Mapping[str, int],
) -> Dispute | None:
    anchor_claim = claims[anchor]
    anchor_speaker = anchor_claim.speaker.lower()
    entries = []
    for claim_id in sorted(side, key=order.__getitem__):
        claim = claims[claim_id]
        name = {"against": "contradicts", "hedge": "hedges"}.get(side[claim_id])
        if name is None:
            name = "asserts" if claim.speaker.lower() == anchor_speaker else "confirms"
        reasons = [] if claim_id == anchor else pair_reasons(anchor_claim.scored_text, claim.scored_text)
        entries.append(DisputeEntry(name, claim, article_of[claim_id], outlet_of[claim_id], reached_by[claim_id],
                                    reasons))
    strength = _strength(entries)
    if not strength:
        return None
    earliest = min(side, key=order.__getitem__)
    dispute_id = hashlib.sha256(earliest.encode("utf-8")).hexdigest()[:12]
    return Dispute(dispute_id, anchor_claim.proposition or anchor_claim.text, anchor, entries, strength)


def _spread(source_side: str, source: str, relation: ScoredRelation) -> str | None:
    """The side a claim takes from a neighbour's side and the relation between them."""
    if relation.label == ENTAILMENT:
        return source_side
    if relation.label == CONTRADICTION:
        return {"for": "against", "against": "for"}.get(source_side)
    # A hedge: B hedges A. Only the hedging claim's side follows from the firm one's.
    return "hedge" if source == relation.claim_a else None


def _strength(entries: list[DisputeEntry]) -> float:
    """Geometric mean of the two sides' weights: sums over distinct speakers of their best
    probability, a hedge counting half; zero when either side is empty."""
    best: dict[tuple[str, str], float] = {}
    for entry in entries:
        group = "for" if entry.side in ("asserts", "confirms") else "against"
        weight = _HEDGE_WEIGHT if entry.side == "hedges" else 1.0
        key = (group, entry.claim.speaker.lower())
        best[key] = max(best.get(key, 0.0), weight * entry.probability)
    supporting = sum(p for (group, _), p in best.items() if group == "for")
    opposing = sum(p for (group, speaker), p in best.items() if group == "against")
    return math.sqrt(supporting * opposing)
