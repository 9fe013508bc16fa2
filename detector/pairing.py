"""Candidate pairs: which claims are worth scoring against each other.

Scoring every pair of claims grows quadratically; instead each new claim is compared only with
its ``k`` most similar claims (cosine similarity of sentence-transformers embeddings, above a
floor) plus up to ``max_shared`` claims that share a named entity or a number with it. The number
of pairs therefore grows linearly with the number of claims.

:class:`CandidateIndex` holds what that needs for every claim seen so far (embeddings, speakers,
entity and number anchors) and grows one article at a time, so that adding an article costs
one matrix-vector product per new claim rather than a pass in Python over the whole store.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from detector.claims import Claim

_ANCHOR_STOPWORDS = {
    "The", "A", "An", "In", "On", "At", "But", "And", "However", "He", "She", "It", "They", "We", "I", "This",
    "That", "As", "After", "Before", "According", "Only", "Also", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", "Mr", "Mrs", "Ms", "Dr",
}


def load_embedder(model: str | None = None, device: str = "cpu"):
    """A SentenceTransformer: ``model`` (folder or hub id), else the offline all-MiniLM-L6-v2."""
    from sentence_transformers import SentenceTransformer

    from detector.training import offline_base_model

    return SentenceTransformer(str(model or offline_base_model()), device=device, trust_remote_code=False)


def embed_claims(embedder, claims: Sequence[Claim], batch_size: int = 64) -> np.ndarray:
    """Unit-length float32 embeddings of each claim's proposition (the claim without its frame)."""
    if not claims:
        return np.zeros((0, embedder.get_sentence_embedding_dimension()), dtype=np.float32)
    texts = [claim.proposition or claim.text for claim in claims]
    vectors = embedder.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)
    return np.asarray(vectors, dtype=np.float32)


def anchors(text: str) -> set[str]:
    """Named entities (capitalised words not opening the sentence) and numbers in a claim."""
    words = re.findall(r"[\w’'%.,-]+", text)
    found = set()
    for position, word in enumerate(words):
        word = word.strip(".,’'")
        if re.fullmatch(r"\d[\d.,]*%?", word):
            found.add(word.replace(",", ""))
        elif position > 0 and word[:1].isupper() and word not in _ANCHOR_STOPWORDS and len(word) > 2:
            found.add(word.lower())
    return found


@dataclass(frozen=True)
class Candidate:
    """A pair to score: indices into the claim pool, and why it was picked."""

    first: int
    second: int
    similarity: float
    reason: str  # "similar" or "shared entity"


class CandidateIndex:
    """Every claim seen so far, for picking candidate pairs; grows with :meth:`add`.

    >>> index = CandidateIndex(k=10, min_similarity=0.3, max_shared=5)
    >>> new = index.add(claims, embeddings)     # indices of the added claims
    >>> index.candidates(new)                   # pairs between them and everything before
    """

    def __init__(self, k: int = 5, min_similarity: float = 0.4, max_shared: int = 3, same_speaker: bool = False):
        self.k, self.min_similarity, self.max_shared, self.same_speaker = k, min_similarity, max_shared, same_speaker
        self._vectors = np.zeros((0, 0), dtype=np.float32)  # rows beyond len(self) are spare capacity
        self._speakers: list[int] = []
        self._speaker_ids: dict[str, int] = {}
        self._stories: list[int] = []
        self._story_ids: dict[str, int] = {}
        self._anchors: list[set[str]] = []
        self._by_anchor: dict[str, list[int]] = defaultdict(list)

    def __len__(self) -> int:
        return len(self._speakers)

    def add(self, claims: Sequence[Claim], embeddings: np.ndarray, story: str = "") -> range:
        """Append claims with their unit-length embeddings and their article's story; return
        their indices. Claims are only paired within one story."""
        start, end = len(self), len(self) + len(claims)
        if end > len(self._vectors):  # grow by doubling: appending stays cheap on average
            grown = np.zeros((max(end, 2 * len(self._vectors), 64), embeddings.shape[1]), dtype=np.float32)
            if start:
                grown[:start] = self._vectors[:start]
            self._vectors = grown
        self._vectors[start:end] = embeddings
        for index, claim in enumerate(claims, start=start):
            self._speakers.append(self._speaker_ids.setdefault(claim.speaker.lower(), len(self._speaker_ids)))
            self._stories.append(self._story_ids.setdefault(story, len(self._story_ids)))
            found = anchors(claim.text)
            self._anchors.append(found)
            for anchor in found:
                self._by_anchor[anchor].append(index)
        return range(start, end)

    def truncate(self, size: int) -> None:
        """Forget the claims from index ``size`` on (an article that could not be stored)."""
        for index in range(size, len(self)):
            for anchor in self._anchors[index]:
                self._by_anchor[anchor].remove(index)
        del self._speakers[size:], self._anchors[size:], self._stories[size:]

    def candidates(self, new: Sequence[int]) -> list[Candidate]:
        """Pairs between each claim in ``new`` and every other claim in the index.

        Each unordered pair appears once, with ``first`` the earlier claim. Pairs of claims from
        different stories are skipped, and so are pairs by the same speaker unless
        ``same_speaker``. Ties in similarity go to the earlier claim.
        """
        if not len(new) or len(self) < 2:
            return []
        vectors, speakers, stories = self._vectors[:len(self)], np.asarray(self._speakers), np.asarray(self._stories)
        seen: set[tuple[int, int]] = set()
        pairs: list[Candidate] = []
        for i in new:
            similarities = vectors @ vectors[i]
            allowed = stories == stories[i]
            if not self.same_speaker:
                allowed &= speakers != speakers[i]
            allowed[i] = False
            ranked = np.flatnonzero(allowed)[np.argsort(-similarities[allowed], kind="stable")]
            nearest = ranked[:self.k]
            chosen = [(int(j), "similar") for j in nearest if similarities[j] >= self.min_similarity]
            sharing = np.unique(np.array([j for anchor in self._anchors[i] for j in self._by_anchor[anchor]],
                                         dtype=np.int64))
            sharing = sharing[allowed[sharing]]
            sharing = sharing[~np.isin(sharing, [j for j, _ in chosen])]
            if len(sharing) and self.max_shared:
                by_similarity = sharing[np.lexsort((sharing, -similarities[sharing]))]
                chosen += [(int(j), "shared entity") for j in by_similarity[:self.max_shared]]
            for j, reason in chosen:
                key = (min(i, j), max(i, j))
                if key not in seen:
                    seen.add(key)
                    pairs.append(Candidate(key[0], key[1], float(similarities[j]), reason))
        return pairs


def candidate_pairs(
    claims: Sequence[Claim],
    embeddings: np.ndarray,
    new: Sequence[int],
    k: int = 5,
    min_similarity: float = 0.4,
    max_shared: int = 3,
    same_speaker: bool = False,
) -> list[Candidate]:
    """Pairs between each claim in ``new`` and the rest of ``claims`` (see :class:`CandidateIndex`)."""
    index = CandidateIndex(k, min_similarity, max_shared, same_speaker)
    if len(claims):
        index.add(claims, embeddings)
    return index.candidates(new)
