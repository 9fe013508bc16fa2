"""Shared fixtures: offline hub access and tiny random NLI models built from a small config."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
import torch  # noqa: E402
from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification  # noqa: E402

from detector.training import offline_base_model  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def build_tiny_model(folder: Path, id2label: dict[int, str], winner: str | None = None, init_range: float = 0.02) -> Path:
    """A 2-layer, 32-wide random BERT classifier with the offline base's tokenizer.

    With ``winner`` set, the classifier's weights are zeroed and its bias favours that label, so
    every pair gets it whatever the input: a check that labels are mapped by name, not position.
    """
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=30522, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=128, initializer_range=init_range,
        id2label=id2label, label2id={v: k for k, v in id2label.items()},
    )
    model = BertForSequenceClassification(config)
    if winner is not None:
        with torch.no_grad():
            model.classifier.weight.zero_()
            model.classifier.bias.zero_()
            index = next(i for i, name in id2label.items() if name.lower() == winner)
            model.classifier.bias[index] = 5.0
    model.save_pretrained(folder, safe_serialization=True)
    AutoTokenizer.from_pretrained(offline_base_model()).save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_three_way(tmp_path_factory) -> Path:
    """cross-encoder/nli-* order (contradiction, entailment, neutral); always says entailment."""
    folder = tmp_path_factory.mktemp("tiny-3way")
    return build_tiny_model(folder, {0: "contradiction", 1: "entailment", 2: "neutral"}, winner="entailment")


@pytest.fixture(scope="session")
def shipped_model() -> Path:
    return REPO / "models" / "detector-nli-minilm-l6"
