import pytest

from detector.labels import LABELS, UnmappableLabelsError, map_model_labels, parse_label


def test_cross_encoder_order():
    assert map_model_labels({0: "contradiction", 1: "entailment", 2: "neutral"}) == {
        0: "contradiction", 1: "entailment", 2: "neutral"}


def test_roberta_large_mnli_order_and_casing():
    assert map_model_labels({"0": "CONTRADICTION", "1": "NEUTRAL", "2": "ENTAILMENT"}) == {
        0: "contradiction", 1: "neutral", 2: "entailment"}


def test_four_way():
    assert set(map_model_labels(dict(enumerate(LABELS))).values()) == set(LABELS)


@pytest.mark.parametrize("id2label", [
    {0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"},
    {0: "entailment", 1: "not_entailment"},
    {0: "contradiction", 1: "entailment"},
    {0: "contradiction", 1: "Contradiction", 2: "neutral", 3: "entailment"},
])
def test_unmappable_labels_are_refused(id2label):
    with pytest.raises(UnmappableLabelsError):
        map_model_labels(id2label)


def test_parse_label():
    assert parse_label(" Hedge ") == "hedge"
    with pytest.raises(ValueError, match="unknown label"):
        parse_label("maybe")
