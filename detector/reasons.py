"""Why a pair got its label, in words a reader can check: figures and dates compared, negations
and opposite words, and the nudge that the comparison of figures gives the model's probabilities.

Each reason is a plain dict, ``{"kind", "a", "b", "relation"}``:

- ``number`` / ``date``: a figure of A and the figure of B it was compared with
  (:mod:`detector.quantities`), ``relation`` ``match`` (B's figure makes A's true), ``conflict``
  or ``compatible``;
- ``antonym``: a word of A and its contrary in B ("rose" / "fell"), ``relation`` ``opposite``;
- ``negation``: a negation or denial word in one claim only, ``relation`` ``only_in_a`` or ``only_in_b``.
"""

from __future__ import annotations

import math
import re

import numpy as np

from detector.augment import ANTONYMS
from detector.labels import CONTRADICTION, ENTAILMENT, LABELS
from detector.quantities import compare_quantities, extract_quantities

NUMBER_WEIGHT = 1.5
"""How far a comparison of figures moves the model: a conflict multiplies the odds of
contradiction by e^weight, a match (with no conflict) those of entailment. Chosen on the project's
dev pairs (``python -m eval.quantities``)."""

_NEGATION = re.compile(r"\b(?:not|no|never|none|neither|nor|denied|denies|deny|denying|rejected|dismissed|"
                       r"refuted|false|untrue)\b|n't\b", re.IGNORECASE)
_CONTRARIES = {a: b for a, b in ANTONYMS} | {b: a for a, b in ANTONYMS}


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+(?: [a-z]+)?", text.lower())) | set(re.findall(r"[a-z]+", text.lower()))


def figure_reasons(claim_a: str, claim_b: str, extract=extract_quantities) -> list[dict]:
    """The ``number`` and ``date`` reasons: each figure of B compared with A's (``extract`` reads
    the figures of a claim; :mod:`eval.quantities` measures another parser in its place)."""
    return [
        {"kind": relation.kind, "a": relation.a.text, "b": relation.b.text, "relation": relation.relation}
        for relation in compare_quantities(claim_a, claim_b, extract)
    ]


def pair_reasons(claim_a: str, claim_b: str) -> list[dict]:
    """The reasons a reader can check for the relation of claim B to claim A (see the module doc)."""
    reasons = figure_reasons(claim_a, claim_b)
    words_a, words_b = _words(claim_a), _words(claim_b)
    for word, contrary in _CONTRARIES.items():
        if word in words_a and contrary in words_b and contrary not in words_a and word not in words_b:
            reasons.append({"kind": "antonym", "a": word, "b": contrary, "relation": "opposite"})
    negations_a = {match.group().lower() for match in _NEGATION.finditer(claim_a)}
    negations_b = {match.group().lower() for match in _NEGATION.finditer(claim_b)}
    if negations_b and not negations_a:
        reasons.append({"kind": "negation", "a": None, "b": ", ".join(sorted(negations_b)), "relation": "only_in_b"})
    elif negations_a and not negations_b:
        reasons.append({"kind": "negation", "a": ", ".join(sorted(negations_a)), "b": None, "relation": "only_in_a"})
    return reasons


def weigh_numbers(probs: np.ndarray, reasons: list[dict], weight: float = NUMBER_WEIGHT) -> np.ndarray:
    """Four-way probabilities moved by the figures compared: a conflict raises the odds of
    contradiction by e^weight; B's figures all matching A's raise those of entailment. Dates are
    left to the model: the same fact on another date is often another event (rule 10)."""
    relations = {reason["relation"] for reason in reasons if reason["kind"] == "number"}
    if not weight or not relations:
        return probs
    boost = np.ones(len(LABELS))
    if "conflict" in relations:
        boost[LABELS.index(CONTRADICTION)] = math.exp(weight)
    elif relations == {"match"}:
        boost[LABELS.index(ENTAILMENT)] = math.exp(weight)
    moved = probs * boost
    return moved / moved.sum()
