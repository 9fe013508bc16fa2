"""Candidate pairs: which claims are worth scoring against each other.

Scoring every pair of claims grows quadratically; instead each new claim is compared only with
its ``k`` most similar claims (cosine similarity of sentence-transformers embeddings, above a
floor) plus up to ``max_shared`` claims that share a named entity or a number with it. The number
of pairs therefore grows linearly with the number of claims.
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


def candidate_pairs(
    claims: Sequence[Claim],
    embeddings: np.ndarray,
    new: Sequence[int],
    k: int = 5,
    min_similarity: float = 0.4,
    max_shared: int = 3,
    same_speaker: bool = False,
) -> list[Candidate]:
    """Pairs between each claim in ``new`` and the rest of the pool (``claims``, ``embeddings``).

    Each unordered pair appears once, with ``first`` the earlier of the two in the pool. Pairs of
    claims by the same speaker are skipped unless ``same_speaker``.
    """
    if not len(new) or len(claims) < 2:
        return []
    by_anchor: dict[str, list[int]] = defaultdict(list)
    claim_anchors = [anchors(claim.text) for claim in claims]
    for index, found in enumerate(claim_anchors):
        for anchor in found:
            by_anchor[anchor].append(index)

    def allowed(i: int, j: int) -> bool:
        return i != j and (same_speaker or claims[i].speaker.lower() != claims[j].speaker.lower())

    seen: set[tuple[int, int]] = set()
    pairs: list[Candidate] = []
    for i in new:
        similarities = embeddings @ embeddings[i]
        ranked = [int(j) for j in np.argsort(-similarities, kind="stable") if allowed(i, int(j))]
        chosen = [(j, "similar") for j in ranked[:k] if similarities[j] >= min_similarity]
        sharing = {j for anchor in claim_anchors[i] for j in by_anchor[anchor]}
        picked = {j for j, _ in chosen}
        chosen += [(j, "shared entity") for j in ranked if j in sharing and j not in picked][:max_shared]
        for j, reason in chosen:
            key = (min(i, j), max(i, j))
            if key not in seen:
                seen.add(key)
                pairs.append(Candidate(key[0], key[1], float(similarities[j]), reason))
    return pairs
