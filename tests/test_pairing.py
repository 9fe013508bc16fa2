"""Candidate pairs: k nearest plus shared entities, never the same speaker, linear in claims."""

import numpy as np

from detector.claims import Claim
from detector.pairing import anchors, candidate_pairs


def claim(i, text="A claim.", speaker=None):
    return Claim(id=f"c{i}", article_id="a", index=i, text=text, speaker=speaker or f"speaker {i}", verb="",
                 proposition=text)


def test_anchors_are_names_and_numbers():
    assert anchors("Rebels said 1,200 troops left Port Vale on Sunday.") == {"1200", "port", "vale"}


def test_k_nearest_above_the_floor_and_no_same_speaker():
    embeddings = np.array([[1, 0], [0.99, 0.141], [0.95, 0.312], [0, 1]], dtype=np.float32)
    claims = [claim(0), claim(1, speaker="speaker 0"), claim(2), claim(3)]
    pairs = candidate_pairs(claims, embeddings, new=[0], k=2, min_similarity=0.5, max_shared=0)
    assert [(p.first, p.second) for p in pairs] == [(0, 2)]  # 1 is the same speaker, 3 is below the floor


def test_shared_entities_add_candidates_beyond_the_floor():
    embeddings = np.array([[1, 0], [0, 1]], dtype=np.float32)
    claims = [claim(0, "Troops left Avdiivka."), claim(1, "Shelling hit Avdiivka.")]
    [pair] = candidate_pairs(claims, embeddings, new=[1], k=1, min_similarity=0.9, max_shared=1)
    assert (pair.first, pair.second, pair.reason) == (0, 1, "shared entity")


def test_pairs_grow_linearly_with_claims():
    rng = np.random.default_rng(0)
    counts = []
    for n in (200, 400, 800):
        vectors = rng.normal(size=(n, 16)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        claims = [claim(i, f"Claim about Town{i % 37} and {i % 11} people.") for i in range(n)]
        pairs = candidate_pairs(claims, vectors, new=range(n), k=5, min_similarity=-1, max_shared=3)
        assert len(pairs) <= n * 8
        assert len({(p.first, p.second) for p in pairs}) == len(pairs)
        counts.append(len(pairs))
    assert counts[2] / counts[0] < 4.5  # 4x the claims, about 4x the pairs, not 16x
