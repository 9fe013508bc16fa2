"""Evaluation metrics: classification scores (scikit-learn), calibration error, the FNC-1 score, and
how sure they are: bootstrap intervals (scipy) and paired tests between two models on the same pairs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.stats import binomtest, bootstrap
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from detector.labels import NEUTRAL


def classification_metrics(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict:
    """Accuracy, macro-F1, per-class precision/recall/F1/support and the confusion matrix.

    ``confusion[i][j]`` counts pairs whose gold label is ``labels[i]`` and prediction ``labels[j]``.
    """
    labels = list(labels)
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=labels, zero_division=0
    )
    return {
        "n": len(gold),
        "accuracy": float(accuracy_score(gold, predicted)) if len(gold) else 0.0,
        "macro_f1": float(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)),
        "per_class": {
            label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, support)
        },
        "confusion": confusion_matrix(gold, predicted, labels=labels).tolist(),
        "labels": labels,
    }


def expected_calibration_error(confidence: Sequence[float], correct: Sequence[bool], n_bins: int = 10) -> float:
    """ECE: the gap between confidence and accuracy, averaged over equal-width confidence bins
    and weighted by how many predictions fall in each (Guo et al. 2017)."""
    confidence = np.asarray(confidence, dtype=float)
    correct = np.asarray(correct, dtype=float)
    if confidence.size == 0:
        return 0.0
    bins = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    error = 0.0
    for b in range(n_bins):
        in_bin = bins == b
        if in_bin.any():
            error += in_bin.mean() * abs(confidence[in_bin].mean() - correct[in_bin].mean())
    return float(error)


def fnc_score(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """The official FNC-1 weighted score, as a percentage of the best possible.

    Labels are ours (neutral = unrelated). Each pair earns 0.25 for a correct related/unrelated
    decision, and a related pair 0.75 more for the correct agree/disagree/discuss label.
    """
    score = best = 0.0
    for g, p in zip(gold, predicted, strict=True):
        related_gold, related_predicted = g != NEUTRAL, p != NEUTRAL
        best += 1.0 if related_gold else 0.25
        if related_gold == related_predicted:
            score += 0.25
        if related_gold and g == p:
            score += 0.75
    return 100.0 * score / best if best else 0.0


CONFIDENCE = 0.95
RESAMPLES = 1000


def _codes(labels: Sequence[str], *columns: Sequence[str]) -> list[np.ndarray]:
    index = {label: i for i, label in enumerate(labels)}
    return [np.array([index.get(value, len(labels)) for value in column]) for column in columns]


def _accuracy(gold: np.ndarray, predicted: np.ndarray, axis: int = -1) -> np.ndarray:
    return (gold == predicted).mean(axis=axis)


def _macro_f1(gold: np.ndarray, predicted: np.ndarray, n_labels: int, axis: int = -1) -> np.ndarray:
    """Macro-F1 over the first ``n_labels`` codes, along ``axis`` (vectorised over resamples);
    a label with no gold and no prediction counts 0, as scikit-learn's ``zero_division=0``."""
    scores = []
    for label in range(n_labels):
        is_gold, is_predicted = gold == label, predicted == label
        true_positive = (is_gold & is_predicted).sum(axis=axis)
        denominator = is_gold.sum(axis=axis) + is_predicted.sum(axis=axis)
        scores.append(np.where(denominator > 0, 2 * true_positive / np.maximum(denominator, 1), 0.0))
    return np.mean(scores, axis=0)


def bootstrap_intervals(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str],
                        resamples: int = RESAMPLES, seed: int = 0) -> dict:
    """95% percentile-bootstrap intervals of accuracy and macro-F1 (pairs resampled with replacement)."""
    gold_codes, predicted_codes = _codes(labels, gold, predicted)
    intervals = {}
    for name, statistic in (("accuracy", _accuracy),
                            ("macro_f1", lambda g, p, axis=-1: _macro_f1(g, p, len(labels), axis))):
        result = bootstrap((gold_codes, predicted_codes), statistic, paired=True, vectorized=True,
                           n_resamples=resamples, confidence_level=CONFIDENCE, method="percentile",
                           rng=np.random.default_rng(seed), batch=100)
        intervals[name] = [float(result.confidence_interval.low), float(result.confidence_interval.high)]
    return {**intervals, "confidence": CONFIDENCE, "resamples": resamples}


def paired_comparison(gold: Sequence[str], predicted_a: Sequence[str], predicted_b: Sequence[str],
                      labels: Sequence[str], resamples: int = RESAMPLES, seed: int = 0) -> dict:
    """Model B against model A on the same pairs: the differences (B − A) in accuracy and macro-F1
    with 95% paired-bootstrap intervals, and McNemar's exact test on the pairs only one gets right.

    A difference whose interval holds 0 (or a McNemar p above 0.05) is within the noise of these pairs.
    """
    gold_codes, a_codes, b_codes = _codes(labels, gold, predicted_a, predicted_b)
    n_labels = len(labels)

    def accuracy_gain(g, a, b, axis=-1):
        return _accuracy(g, b, axis) - _accuracy(g, a, axis)

    def macro_f1_gain(g, a, b, axis=-1):
        return _macro_f1(g, b, n_labels, axis) - _macro_f1(g, a, n_labels, axis)

    comparison = {}
    for name, statistic in (("accuracy", accuracy_gain), ("macro_f1", macro_f1_gain)):
        result = bootstrap((gold_codes, a_codes, b_codes), statistic, paired=True, vectorized=True,
                           n_resamples=resamples, confidence_level=CONFIDENCE, method="percentile",
                           rng=np.random.default_rng(seed), batch=100)
        interval = [float(result.confidence_interval.low), float(result.confidence_interval.high)]
        comparison[f"{name}_difference"] = float(statistic(gold_codes, a_codes, b_codes))
        comparison[f"{name}_difference_interval"] = interval
    only_a = int(((a_codes == gold_codes) & (b_codes != gold_codes)).sum())
    only_b = int(((b_codes == gold_codes) & (a_codes != gold_codes)).sum())
    comparison.update({
        "only_a_right": only_a,
        "only_b_right": only_b,
        "mcnemar_p": float(binomtest(only_b, only_a + only_b).pvalue) if only_a + only_b else 1.0,
        "confidence": CONFIDENCE,
        "resamples": resamples,
    })
    lo, hi = comparison["macro_f1_difference_interval"]
    comparison["macro_f1_within_noise"] = bool(lo <= 0 <= hi)
    return comparison
