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


def test_bootstrap_intervals_hold_the_point_estimate_and_narrow_with_more_pairs():
    from detector.metrics import bootstrap_intervals

    gold = ["a", "b"] * 50
    predicted = ["a", "b"] * 40 + ["b", "a"] * 10
    small, large = bootstrap_intervals(gold, predicted, ["a", "b"]), bootstrap_intervals(gold * 10, predicted * 10, ["a", "b"])
    assert small["accuracy"][0] < 0.8 < small["accuracy"][1]
    assert small["macro_f1"][0] < 0.8 < small["macro_f1"][1]
    assert large["accuracy"][1] - large["accuracy"][0] < small["accuracy"][1] - small["accuracy"][0]
    assert small["confidence"] == 0.95


def test_paired_comparison_tells_a_real_gain_from_noise():
    from detector.metrics import paired_comparison

    gold = ["a", "b"] * 100
    same = paired_comparison(gold, gold, gold, ["a", "b"])
    assert same["macro_f1_difference"] == 0 and same["mcnemar_p"] == 1.0 and same["macro_f1_within_noise"]
    worse = ["b", "a"] * 30 + ["a", "b"] * 70   # 60 wrong
    better = ["b", "a"] * 5 + ["a", "b"] * 95   # 10 wrong, all among the 60
    gain = paired_comparison(gold, worse, better, ["a", "b"])
    assert gain["accuracy_difference"] == pytest.approx(0.25) and gain["only_b_right"] == 50 and gain["only_a_right"] == 0
    assert gain["macro_f1_difference_interval"][0] > 0 and not gain["macro_f1_within_noise"]
    assert gain["mcnemar_p"] < 1e-6
