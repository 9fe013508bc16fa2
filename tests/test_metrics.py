"""Metrics against values worked out by hand."""

import pytest

from detector.metrics import classification_metrics, expected_calibration_error, fnc_score


def test_classification_metrics_by_hand():
    m = classification_metrics(["a", "a", "b", "b"], ["a", "b", "b", "b"], ["a", "b"])
    assert m["accuracy"] == 0.75
    assert m["per_class"]["a"] == {"precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3), "support": 2}
    assert m["per_class"]["b"]["precision"] == pytest.approx(2 / 3)
    assert m["per_class"]["b"]["f1"] == pytest.approx(0.8)
    assert m["macro_f1"] == pytest.approx((2 / 3 + 0.8) / 2)
    assert m["confusion"] == [[1, 1], [0, 2]]
    assert m["labels"] == ["a", "b"] and m["n"] == 4


def test_fnc_score_by_hand():
    # agree->agree 1.0; disagree->discuss 0.25 (related right); discuss->unrelated 0; unrelated->unrelated 0.25.
    gold = ["entailment", "contradiction", "hedge", "neutral"]
    predicted = ["entailment", "hedge", "neutral", "neutral"]
    assert fnc_score(gold, predicted) == pytest.approx(100 * 1.5 / 3.25)
    assert fnc_score(gold, gold) == 100.0
    assert fnc_score(["neutral"], ["hedge"]) == 0.0


def test_ece_by_hand():
    # Two bins, each half the data, each 0.45 away from its accuracy.
    assert expected_calibration_error([0.95, 0.95, 0.55, 0.55], [1, 0, 1, 1]) == pytest.approx(0.45)
    assert expected_calibration_error([1.0, 1.0], [1, 1]) == 0.0
