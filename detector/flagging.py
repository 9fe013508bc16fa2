"""Flagging articles: claims in, scored candidate pairs out, contradictions and hedges ranked.

:class:`Flagger` ties the stages together for one article at a time: extract attributed claims
(:mod:`detector.claims`), embed them and pick candidate pairs against everything in the store
(:mod:`detector.pairing`), score each pair in both directions (:mod:`detector.scoring`), and
write the article, its claims and every scored relation to the store (:mod:`detector.store`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from detector.articles import Article
from detector.claims import Claim, extract_claims
from detector.labels import CONTRADICTION, ENTAILMENT, HEDGE
from detector.pairing import CandidateIndex, embed_claims
from detector.scoring import NLIScorer
from detector.store import ClaimStore, Relation

FLAG_LABELS = (CONTRADICTION, HEDGE)
ALL_LABELS = (*FLAG_LABELS, ENTAILMENT)  # what --all shows


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
                "similarity": self.similarity}


@dataclass
class ArticleOutcome:
    """What adding one article did."""

    article: Article
    claims: int = 0
    pairs_scored: int = 0
    already_stored: bool = False
    problem: str = ""
    new_flags: list[str] = field(default_factory=list)  # labels of the flags it added


class Flagger:
    """Adds articles to a :class:`ClaimStore` and reads the flags back.

    >>> flagger = Flagger(NLIScorer(), load_embedder(), ClaimStore("claims.db"))
    >>> outcome = flagger.add(article)
    >>> flagger.flags([article.content_hash])
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
    ):
        self.scorer, self.embedder, self.store, self.batch_size = scorer, embedder, store, batch_size
        self.index = CandidateIndex(k, min_similarity, max_shared, same_speaker)
        if store.claims:
            self.index.add(store.claims, store.embeddings)
        self._uncertain: dict[str, bool] = {}

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
        stored = len(self.index)
        candidates = self.index.candidates(self.index.add(claims, embeddings))

        def claim_at(index: int) -> Claim:
            return self.store.claims[index] if index < stored else claims[index - stored]

        self._judge_uncertainty([claim_at(i) for c in candidates for i in (c.first, c.second)])
        oriented = [self._orient(claim_at(c.first), claim_at(c.second)) for c in candidates]
        scores = self.scorer.predict([(a.scored_text, b.scored_text) for a, b in oriented], batch_size=self.batch_size,
                                     both_directions=True, on_batch=on_pairs) if oriented else []
        relations = [
            Relation(a.id, b.id, score.label, score.probs, score.probs[score.label], candidate.similarity)
            for (a, b), score, candidate in zip(oriented, scores, candidates)
        ]
        try:
            self.store.add_article(article, claims, embeddings, relations)
        except BaseException:
            self.index.truncate(stored)  # the index holds what the store holds
            raise
        outcome.claims, outcome.pairs_scored = len(claims), len(relations)
        outcome.new_flags = [r.label for r in relations if r.label in FLAG_LABELS]
        return outcome

    def _judge_uncertainty(self, claims: Sequence[Claim]) -> None:
        """Whether each claim reads as uncertain: a hedge cue, or the scorer's hedge classifier."""
        unjudged = list({c.id: c for c in claims if c.id not in self._uncertain}.values())
        classifier = self.scorer.hedge_classifier
        verdicts = classifier.predict([c.text for c in unjudged]) if classifier and unjudged else [False] * len(unjudged)
        for claim, verdict in zip(unjudged, verdicts):
            self._uncertain[claim.id] = bool(claim.hedge_cues) or bool(verdict)

    def _orient(self, first: Claim, second: Claim) -> tuple[Claim, Claim]:
        """Claim A is the firm one, so that a hedge reads "B hedges A"; else reading order."""
        if self._uncertain[first.id] and not self._uncertain[second.id]:
            return second, first
        return first, second

    def flags(
        self, article_hashes: Sequence[str] | None = None, labels: Sequence[str] = FLAG_LABELS, min_score: float = 0.0
    ) -> list[Flag]:
        """Stored flags touching the given articles, central disputes first (see :meth:`ClaimStore.relations`)."""
        return stored_flags(self.store, article_hashes, labels, min_score)


def stored_flags(
    store: ClaimStore, article_hashes: Sequence[str] | None = None, labels: Sequence[str] = FLAG_LABELS,
    min_score: float = 0.0,
) -> list[Flag]:
    """The flags in a store (no model needed), central disputes first."""
    found = []
    for relation in store.relations(labels, article_hashes):
        if relation.score < min_score:
            continue
        claim_a, claim_b = store.claim(relation.claim_a), store.claim(relation.claim_b)
        found.append(Flag(store.article_ids[claim_a.id], store.article_ids[claim_b.id], claim_a, claim_b,
                          relation.label, relation.probs, round(relation.score, 4), round(relation.similarity, 4)))
    return found
