"""How the model runs: length-bucketed batches, precision choice, the int8 ONNX export and backend."""

import numpy as np
import pytest

from conftest import build_tiny_model
from detector.backends import ONNX_FILE, BackendError, export_onnx, length_batches, resolve_precision
from detector.labels import LABELS
from detector.scoring import ModelLoadError, NLIScorer


def test_length_batches_sort_by_length_and_keep_to_the_token_budget():
    lengths = [40, 10, 30, 10, 200, 20]
    # a budget of 64 padded tokens: three short pairs share a batch (3 x 20), the rest go alone
    assert length_batches(lengths, batch_size=1) == [[1, 3, 5], [2], [0], [4]]
    assert length_batches(lengths, batch_size=2) == [[1, 3, 5, 2], [0], [4]]


def test_long_pairs_count_at_the_truncated_length():
    assert length_batches([500, 500], batch_size=2, max_length=64) == [[0, 1]]


def test_precision_auto_and_refusals():
    assert resolve_precision("auto", "cuda") == "fp16"
    assert resolve_precision("auto", "cpu") in ("bf16", "fp32")
    assert resolve_precision("fp32", "cpu") == "fp32"
    with pytest.raises(BackendError, match="fp16 is for CUDA"):
        resolve_precision("fp16", "cpu")
    with pytest.raises(BackendError, match="unknown precision"):
        resolve_precision("int4", "cpu")


def test_bf16_and_fp32_agree_on_the_shipped_model(shipped_model):
    pairs = [
        ("Russian forces have full control of Lisichansk.", "Kyiv denied that Russia controls Lisichansk."),
        ("The storm killed 12 people.", "Officials said 12 people died in the storm."),
        ("The vote was postponed.", "It is unclear whether the vote will go ahead, an aide said."),
    ]
    exact = NLIScorer(shipped_model, device="cpu", precision="fp32").predict(pairs)
    fast = NLIScorer(shipped_model, device="cpu", precision="bf16").predict(pairs)
    assert [s.label for s in fast] == [s.label for s in exact]
    for a, b in zip(fast, exact):
        assert max(abs(a.probs[label] - b.probs[label]) for label in LABELS) < 0.05


def test_batching_does_not_change_results(shipped_model):
    scorer = NLIScorer(shipped_model, device="cpu", precision="fp32")
    pairs = [("The mayor resigned.", "The mayor quit on Monday after a long scandal that split the council."),
             ("Prices rose.", "Prices fell."), ("The bridge is closed.", "Engineers closed the bridge.")] * 3
    together = scorer.predict(pairs, batch_size=32)
    alone = [scorer.predict([pair], batch_size=1)[0] for pair in pairs]
    for a, b in zip(together, alone):
        assert a.label == b.label
        assert max(abs(a.probs[label] - b.probs[label]) for label in LABELS) < 1e-3


def test_onnx_export_runs_and_tracks_torch(tmp_path):
    folder = build_tiny_model(tmp_path / "m", dict(enumerate(LABELS)), init_range=0.2)
    with pytest.raises(ModelLoadError, match="detector export-onnx"):
        NLIScorer(folder, device="cpu", backend="onnx")
    written = export_onnx(folder)
    assert written == folder / ONNX_FILE and written.stat().st_size > 0
    pairs = [("The army took the city.", "The army left the city."), ("Rain fell.", "It rained heavily on Sunday.")]
    onnx_probs = np.array([[s.probs[label] for label in LABELS]
                           for s in NLIScorer(folder, device="cpu", backend="onnx").predict(pairs)])
    torch_probs = np.array([[s.probs[label] for label in LABELS]
                            for s in NLIScorer(folder, device="cpu", precision="fp32").predict(pairs)])
    assert np.abs(onnx_probs - torch_probs).max() < 0.05  # int8 weights: close, not equal
    assert not np.allclose(onnx_probs[0], onnx_probs[1])  # the inputs reach the model


def test_onnx_backend_refuses_the_gpu(tmp_path):
    folder = build_tiny_model(tmp_path / "m", dict(enumerate(LABELS)))
    with pytest.raises(ModelLoadError):
        NLIScorer(folder, device="cuda", backend="onnx")
