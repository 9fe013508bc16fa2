"""NLIScorer on tiny random models: label mapping, the hedge layer, directions, refusals."""

import numpy as np
import pytest

from conftest import build_tiny_model
from detector.hedges import find_hedge_cues
from detector.labels import LABELS
from detector.scoring import ModelLoadError, NLIScorer, add_hedge_from_cues, combine_directions


@pytest.mark.parametrize("id2label", [
    {0: "contradiction", 1: "entailment", 2: "neutral"},      # cross-encoder/nli-*
    {0: "CONTRADICTION", 1: "NEUTRAL", 2: "ENTAILMENT"},      # roberta-large-mnli
    {0: "Neutral", 1: "Entailment", 2: "Contradiction"},
])
def test_labels_are_mapped_by_name_not_position(tmp_path, id2label):
    folder = build_tiny_model(tmp_path / "m", id2label, winner="contradiction")
    scorer = NLIScorer(folder, device="cpu")
    [result] = scorer.predict([("The army took the city.", "The army left the city.")])
    assert result.label == "contradiction"
    assert result.probs["contradiction"] > 0.9
    assert result.probs["hedge"] == 0.0
    assert set(result.probs) == set(LABELS)
    assert result.model == str(folder)


def test_four_way_model_predicts_hedge_itself(tmp_path):
    folder = build_tiny_model(tmp_path / "m", dict(enumerate(LABELS)), winner="hedge")
    scorer = NLIScorer(folder, device="cpu")
    assert scorer.predicts_hedge
    assert scorer.predict([("A fact.", "Another fact.")])[0].label == "hedge"


def test_three_way_model_gets_hedge_from_cues(tiny_three_way):
    scorer = NLIScorer(tiny_three_way, device="cpu")
    firm, hedged = scorer.predict([
        ("Russia took the city.", "Russian forces took the city."),
        ("Russia took the city.", "It cannot be said definitively that Russia took the city."),
    ])
    assert firm.label == "entailment" and firm.hedge_cues_b == []
    assert hedged.label == "hedge"
    assert [c.text for c in hedged.hedge_cues_b] == ["cannot be said definitively"]
    assert abs(sum(hedged.probs.values()) - 1) < 1e-3


def test_add_hedge_ignores_cues_shared_with_a():
    probs = np.array([0.1, 0.8, 0.0, 0.1])
    cues = find_hedge_cues("Troops may have left.")
    assert np.allclose(add_hedge_from_cues(probs, cues, cues), probs)
    moved = add_hedge_from_cues(probs, [], cues, weight=0.5)
    assert np.allclose(moved, [0.05, 0.4, 0.45, 0.1])


def test_combine_directions_pools_symmetric_labels():
    forward = np.array([0.6, 0.1, 0.3, 0.0])
    reverse = np.array([0.2, 0.7, 0.0, 0.1])
    combined = combine_directions(forward, reverse)
    assert np.allclose(combined[[0, 3]], [0.4, 0.05])
    assert np.isclose(combined.sum(), 1.0)
    assert np.isclose(combined[1] / combined[2], 0.1 / 0.3)


def test_both_directions_flag_is_reported(tiny_three_way):
    scorer = NLIScorer(tiny_three_way, device="cpu")
    [result] = scorer.predict([("A.", "B.")], both_directions=True)
    assert result.both_directions and abs(sum(result.probs.values()) - 1) < 1e-3


def test_truncation_is_reported(tiny_three_way):
    scorer = NLIScorer(tiny_three_way, device="cpu", max_length=16)
    short, long = scorer.predict([("Short.", "Short too."), ("word " * 40, "another " * 40)])
    assert not short.truncated and long.truncated


def test_batches_give_the_same_result_as_one_by_one(tiny_three_way):
    scorer = NLIScorer(build_tiny_model(tiny_three_way.parent / "random", {0: "contradiction", 1: "entailment", 2: "neutral"}), device="cpu")
    pairs = [(f"Claim number {i}.", f"Other claim {i * 7}.") for i in range(7)]
    batched = scorer.predict(pairs, batch_size=3)
    single = [scorer.predict([pair])[0] for pair in pairs]
    for a, b in zip(batched, single):
        assert a.label == b.label
        assert all(abs(a.probs[k] - b.probs[k]) < 1e-3 for k in LABELS)


def test_empty_claim_is_refused(tiny_three_way):
    with pytest.raises(ValueError, match="claim B is empty"):
        NLIScorer(tiny_three_way, device="cpu").predict([("A claim.", "   ")])


def test_unmappable_model_is_refused(tmp_path):
    folder = build_tiny_model(tmp_path / "m", {0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"})
    with pytest.raises(ValueError, match="cannot map model label"):
        NLIScorer(folder, device="cpu")


def test_pickled_weights_are_refused(tmp_path, tiny_three_way):
    folder = tmp_path / "pickled"
    folder.mkdir()
    (folder / "config.json").write_text((tiny_three_way / "config.json").read_text())
    (folder / "pytorch_model.bin").write_bytes(b"not loaded")
    with pytest.raises(ModelLoadError, match="no .safetensors"):
        NLIScorer(folder, device="cpu")


@pytest.mark.parametrize("name", ["./no/such/model", "/no/such/model", "no-such-org/no-such-model"])
def test_unknown_model_is_refused(name):
    with pytest.raises(ModelLoadError):
        NLIScorer(name, device="cpu")


def test_cuda_without_gpu_is_refused(tiny_three_way):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(ModelLoadError, match="CUDA"):
        NLIScorer(tiny_three_way, device="cuda")


def test_hedge_classifier_verdict_overrides_the_lexicon():
    probs = np.array([0.1, 0.8, 0.0, 0.1])
    cues = find_hedge_cues("Troops may have left.")
    assert np.allclose(add_hedge_from_cues(probs, [], cues, uncertain_a=False, uncertain_b=False), probs)
    moved = add_hedge_from_cues(probs, [], [], weight=0.5, uncertain_a=False, uncertain_b=True)
    assert np.allclose(moved, [0.05, 0.4, 0.45, 0.1])


def test_three_way_model_uses_the_shipped_hedge_classifier(tiny_three_way):
    scorer = NLIScorer(tiny_three_way, device="cpu")
    assert scorer.hedge_classifier is not None  # the default model's, since the tiny folder has none
    firm, hedged = scorer.predict([
        ("Russia took the city.", "Russian forces took the city."),
        ("Russia took the city.", "It is unclear whether Russian forces took the city."),
    ])
    assert (firm.uncertain_a, firm.uncertain_b) == (False, False)
    assert hedged.uncertain_b and hedged.label == "hedge"
