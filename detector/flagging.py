"""Flagging articles: claims in, scored candidate pairs out, disputes and flags read back.

:class:`Flagger` ties the stages together for one article at a time: extract attributed claims
(:mod:`detector.claims`), embed them, place the article in a story (:mod:`detector.stories`),
pick candidate pairs within that story (:mod:`detector.pairing`), keep those the relatedness
gate finds about one proposition (:mod:`detector.relatedness`), score them in both directions
(:mod:`detector.scoring`), and write the article, its story, its claims and every scored
relation to the store (:mod:`detector.store`).

Every scored relation is stored; which ones are shown is decided when reading, by a
:class:`FlagPolicy`, so a stricter or looser policy needs no rescoring. The kept relations are
read as pair flags (:meth:`Flagger.flags`) or grouped into disputes (:meth:`Flagger.disputes`,
:mod:`detector.disputes`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from detector.articles import Article
from detector.claims import Claim, extract_claims
from detector.disputes import Dispute, ScoredRelation, group_disputes
from detector.labels import CONTRADICTION, ENTAILMENT, HEDGE
from detector.pairing import CandidateIndex, embed_claims
from detector.reasons import pair_reasons
from detector.relatedness import RelatednessScorer
from detector.scoring import NLIScorer
from detector.stories import Story, StoryIndex, article_profile
from detector.store import ClaimStore, Relation
from detector.subjects import MIN_SHARED, shared_subject

FLAG_LABELS = (CONTRADICTION, HEDGE)
ALL_LABELS = (*FLAG_LABELS, ENTAILMENT)  # what --all shows


POLICY_FILE = "flag_policy.json"
RELATED_FLOOR = 0.5
"""Candidate pairs the relatedness gate finds less likely than not to bear on one proposition are
not sent to the NLI model at all (nor stored): no policy on the grid of ``eval.flag_articles``
would show them, and they are most of the candidates."""


@dataclass(frozen=True)
class FlagPolicy:
    """Which stored relations are shown: a label probability of at least ``min_score``, a
    relatedness-gate probability of at least ``min_related`` (pairs scored without the gate pass),
    between claims that share at least ``min_shared`` subject words or figure kinds
    (:func:`detector.subjects.shared_subject`; 0 shows every pair).

    The shipped model's policy was chosen on the dev articles for a stated precision
    (``python -m eval.flag_articles --split dev --choose``) and sits in its folder as
    ``flag_policy.json``; :meth:`for_model` reads it.
    """

    min_score: float = 0.5
    min_shared: int = MIN_SHARED
    min_related: float = 0.5

    def keeps(self, relation: Relation, claim_a: Claim, claim_b: Claim) -> bool:
        if relation.score < self.min_score:
            return False
        if relation.related is not None and relation.related < self.min_related:
            return False
        return not self.min_shared or len(shared_subject(claim_a.scored_text, claim_b.scored_text)) >= self.min_shared

    @classmethod
    def every(cls) -> FlagPolicy:
        """The policy that shows every stored relation of the labels asked for."""
        return cls(min_score=0.0, min_shared=0, min_related=0.0)

    @classmethod
    def for_model(cls, model_source: str | Path) -> FlagPolicy:
        """The policy saved with a model folder, else the defaults."""
        path = Path(model_source) / POLICY_FILE
        if not path.is_file():
            return cls()
        saved = json.loads(path.read_text(encoding="utf-8"))
        return cls(float(saved["min_score"]), int(saved["min_shared"]), float(saved.get("min_related", 0.0)))

    def save(self, model_folder: str | Path, provenance: dict) -> Path:
        path = Path(model_folder) / POLICY_FILE
        path.write_text(json.dumps({"min_score": self.min_score, "min_shared": self.min_shared,
                                    "min_related": self.min_related, **provenance},
                                   indent=2) + "\n", encoding="utf-8")
        return path


@dataclass
class Flag:
    """A flagged pair: the relation of claim B to claim A, with both claims' attribution."""

    article_a: str
    article_b: str
    claim_a: Claim
    claim_b: Claim
    label: str
    probs: dict[str, float]
    score: float  # the probability of ``label``
    similarity: float  # cosine similarity of the two claims' propositions
    reasons: list[dict] = field(default_factory=list)  # numbers, dates, negations compared
    related: float | None = None  # the relatedness gate's probability (None: flagged without the gate)

    def to_dict(self) -> dict:
        """The stable JSONL schema documented in the README."""
        def claim(c: Claim) -> dict:
            return {
                "id": c.id, "text": c.text, "speaker": c.speaker, "verb": c.verb, "proposition": c.proposition,
                "stance": c.stance, "quoted": c.quoted,
                "hedge_cues": [{"text": h.text, "start": h.start, "end": h.end} for h in c.hedge_cues],
            }

        return {"article_a": self.article_a, "article_b": self.article_b, "claim_a": claim(self.claim_a),
                "claim_b": claim(self.claim_b), "label": self.label, "probs": self.probs, "score": self.score,
                "similarity": self.similarity, "related": self.related, "reasons": self.reasons}


@dataclass
class ArticleOutcome:
    """What adding one article did."""

    article: Article
    claims: int = 0
    pairs_scored: int = 0
    story: str = ""
    already_stored: bool = False
    problem: str = ""


class Flagger:
    """Adds articles to a :class:`ClaimStore` and reads the flags back.

    >>> flagger = Flagger(NLIScorer(), load_embedder(), ClaimStore("claims.db"))
    >>> outcome = flagger.add(article)
    >>> flagger.disputes([article.content_hash])    # or flagger.flags(...) for pairs
    """

    def __init__(
        self,
        scorer: NLIScorer,
        embedder,
        store: ClaimStore,
        k: int = 10,
        min_similarity: float = 0.3,
        max_shared: int = 5,
        same_speaker: bool = False,
        batch_size: int = 32,
        stories: StoryIndex | None = None,
        relatedness: RelatednessScorer | None = None,
    ):
        self.scorer, self.embedder, self.store, self.batch_size = scorer, embedder, store, batch_size
        self.relatedness = relatedness
        self.policy = FlagPolicy.for_model(scorer.model_source)  # what flags() and disputes() show by default
        self.index = CandidateIndex(k, min_similarity, max_shared, same_speaker)
        self.stories = stories or StoryIndex()
        self._load_store()

    def _load_store(self) -> None:
        """Rebuild the story and candidate indexes from the articles already stored."""
        by_article: dict[str, list[int]] = {}
        for position, claim in enumerate(self.store.claims):
            by_article.setdefault(self.store.article_hashes[claim.id], []).append(position)
        embeddings, placed = self.store.embeddings, {}
        for article_hash, positions in by_article.items():
            claims = [self.store.claims[i] for i in positions]
            profile = article_profile(article_hash, claims, embeddings[positions], self.store.published[article_hash])
            story = self.stories.add(profile, self.store.stories.get(article_hash))
            if article_hash not in self.store.stories:  # a store from before stories were kept
                placed[article_hash] = story.id
            self.index.add(claims, embeddings[positions], story.id)
        if placed:
            self.store.set_stories(placed)

    def add(self, article: Article, on_pairs: Callable[[int], None] | None = None) -> ArticleOutcome:
        """Extract, pair, score and store one article; an article already stored is left alone."""
        outcome = ArticleOutcome(article)
        content_hash = article.content_hash
        if self.store.has_article(content_hash):
            outcome.already_stored = True
            return outcome
        claims = extract_claims(article.text, article.id, article.outlet, key=content_hash[:12])
        if not claims:
            outcome.problem = "no sentences found"
            return outcome
        embeddings = embed_claims(self.embedder, claims)
        self._judge_uncertainty(claims)  # stored with each claim, so that a reopened store reads the same
        stored = len(self.index)
        try:
            story = self.stories.add(article_profile(content_hash, claims, embeddings, article.published))
            relations = self._score(claims, embeddings, story.id, stored, on_pairs)
            self.store.add_article(article, claims, embeddings, relations, story.id)
        except BaseException:
            self.index.truncate(stored)  # the indexes hold what the store holds
            self.stories.discard(content_hash)
            raise
        outcome.claims, outcome.pairs_scored, outcome.story = len(claims), len(relations), story.id
        return outcome

    def _score(
        self, claims: list[Claim], embeddings, story: str, stored: int, on_pairs: Callable[[int], None] | None,
    ) -> list[Relation]:
        """The relations of a new article's claims with the claims of its story: candidates, the
        relatedness gate, then the NLI model in both directions on the pairs the gate lets by."""
        candidates = self.index.candidates(self.index.add(claims, embeddings, story))

        def claim_at(index: int) -> Claim:
            return self.store.claims[index] if index < stored else claims[index - stored]

        oriented = [self._orient(claim_at(c.first), claim_at(c.second)) for c in candidates]
        texts = [(a.scored_text, b.scored_text) for a, b in oriented]
        related: list[float | None] = [None] * len(texts)
        if self.relatedness is not None and texts:
            related = [float(p) for p in self.relatedness.predict(texts, batch_size=self.batch_size)]
        scored = [i for i, p in enumerate(related) if p is None or p >= RELATED_FLOOR]
        scores = self.scorer.predict([texts[i] for i in scored], batch_size=self.batch_size,
                                     both_directions=True, on_batch=on_pairs) if scored else []
        return [
            Relation(oriented[i][0].id, oriented[i][1].id, score.label, score.probs, score.probs[score.label],
                     candidates[i].similarity, related[i])
            for i, score in zip(scored, scores)
        ]

    def _judge_uncertainty(self, claims: Sequence[Claim]) -> None:
        """Set whether each claim reads as uncertain: a hedge cue, or the scorer's hedge classifier."""
        classifier = self.scorer.hedge_classifier
        verdicts = classifier.predict([c.text for c in claims]) if classifier and claims else [False] * len(claims)
        for claim, verdict in zip(claims, verdicts):
            claim.uncertain = bool(claim.hedge_cues) or bool(verdict)

    def _orient(self, first: Claim, second: Claim) -> tuple[Claim, Claim]:
        """Claim A is the firm one, so that a hedge reads "B hedges A"; else reading order."""
        if first.reads_uncertain and not second.reads_uncertain:
            return second, first
        return first, second

    def flags(
        self, article_hashes: Sequence[str] | None = None, labels: Sequence[str] = FLAG_LABELS,
        policy: FlagPolicy | None = None,
    ) -> list[Flag]:
        """Flags touching the given articles that ``policy`` (default: the model's) keeps, central
        ones first (see :meth:`ClaimStore.relations`)."""
        return stored_flags(self.store, article_hashes, labels, policy or self.policy)

    def disputes(self, article_hashes: Sequence[str] | None = None, policy: FlagPolicy | None = None) -> list[Dispute]:
        """Disputes with a claim from the given articles (all when None) under ``policy`` (default:
        the model's), strongest first; the store's disputes are brought up to date on the way."""
        return stored_disputes(self.store, article_hashes, policy or self.policy)

    def stories_of(self, article_hashes: Sequence[str]) -> list[Story]:
        """The stories of the given articles, in order of first appearance."""
        ids = dict.fromkeys(self.stories.story_of[h] for h in article_hashes)
        return [self.stories.stories[story_id] for story_id in ids]


def kept_relations(
    store: ClaimStore, labels: Sequence[str], article_hashes: Sequence[str] | None, policy: FlagPolicy,
) -> Iterator[tuple[Relation, Claim, Claim]]:
    """Stored relations ``policy`` keeps, with their claims, central ones first. Relations between
    articles of different stories (scored in a store from before stories were kept) are left out."""
    for relation in store.relations(labels, article_hashes):
        claim_a, claim_b = store.claim(relation.claim_a), store.claim(relation.claim_b)
        story_a = store.stories.get(store.article_hashes[claim_a.id])
        story_b = store.stories.get(store.article_hashes[claim_b.id])
        if story_a != story_b or not policy.keeps(relation, claim_a, claim_b):
            continue
        yield relation, claim_a, claim_b


def stored_flags(
    store: ClaimStore, article_hashes: Sequence[str] | None = None, labels: Sequence[str] = FLAG_LABELS,
    policy: FlagPolicy = FlagPolicy(),
) -> list[Flag]:
    """The flags in a store that ``policy`` keeps (no model needed), central ones first."""
    return [
        Flag(store.article_ids[claim_a.id], store.article_ids[claim_b.id], claim_a, claim_b, relation.label,
             relation.probs, round(relation.score, 4), round(relation.similarity, 4),
             pair_reasons(claim_a.scored_text, claim_b.scored_text),
             None if relation.related is None else round(relation.related, 4))
        for relation, claim_a, claim_b in kept_relations(store, labels, article_hashes, policy)
    ]


def stored_disputes(
    store: ClaimStore, article_hashes: Sequence[str] | None = None, policy: FlagPolicy = FlagPolicy(),
) -> list[Dispute]:
    """The disputes in a store under ``policy`` (no model needed), strongest first.

    All disputes are regrouped from the kept relations and written back to the store, so that it
    holds the disputes of everything read so far; those touching ``article_hashes`` are returned.
    """
    kept = [ScoredRelation(r.claim_a, r.claim_b, r.label, r.score)
            for r, _, _ in kept_relations(store, ALL_LABELS, None, policy)]
    claims = {claim.id: claim for claim in store.claims}
    order = {claim.id: position for position, claim in enumerate(store.claims)}
    disputes = group_disputes(claims, kept, store.article_ids, store.outlets, lambda c: c.reads_uncertain, order)
    for dispute in disputes:
        dispute.story = store.stories.get(store.article_hashes[dispute.anchor], "")
    store.replace_disputes([dispute.to_dict() for dispute in disputes])
    if article_hashes is None:
        return disputes
    wanted = set(article_hashes)
    return [d for d in disputes if any(store.article_hashes[e.claim.id] in wanted for e in d.entries)]
