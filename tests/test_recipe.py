"""Training recipes: per-label oversampling, dev-only files, a second stage kept off its first stage's dev, and the training precision."""

import json
from collections import Counter

import pytest

from detector.recipe import Recipe, Source, build_pairs
from detector.training import uses_bf16


def write(path, label_counts):
    rows = [{"claim_a": f"Claim {label} {i}.", "claim_b": f"Other {label} {i}.", "label": label}
            for label, count in label_counts.items() for i in range(count)]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def test_label_repeat_oversamples_one_label_and_dev_holds_no_copy(tmp_path):
    write(tmp_path / "train.jsonl", {"contradiction": 20, "entailment": 20, "hedge": 20, "neutral": 20})
    recipe = Recipe(files={"train.jsonl": Source(label_repeat={"contradiction": 3})}, dev_share=0.2, seed=3)
    train, dev = build_pairs(recipe, tmp_path, root=tmp_path)
    counts = Counter(p.label for p in train)
    assert counts["contradiction"] == 3 * counts["entailment"] == 3 * 16
    assert not {(p.claim_a, p.claim_b) for p in dev} & {(p.claim_a, p.claim_b) for p in train}


def test_dev_files_are_scored_never_trained_on(tmp_path):
    write(tmp_path / "train.jsonl", {"contradiction": 10, "entailment": 10, "hedge": 10, "neutral": 10})
    (tmp_path / "dev").mkdir()
    dev_file = tmp_path / "dev" / "held.jsonl"
    dev_file.write_text(json.dumps({"claim_a": "Held A.", "claim_b": "Held B.", "label": "hedge"}) + "\n")
    recipe = Recipe(files={"train.jsonl": Source()}, dev_files=["dev/held.jsonl"], dev_share=0.1)
    train, dev = build_pairs(recipe, tmp_path, root=tmp_path)
    assert ("Held A.", "Held B.") in {(p.claim_a, p.claim_b) for p in dev}
    assert ("Held A.", "Held B.") not in {(p.claim_a, p.claim_b) for p in train}
    assert len(train) == 36


def test_a_second_stage_never_trains_on_its_first_stages_dev(tmp_path):
    write(tmp_path / "train.jsonl", {"contradiction": 20, "entailment": 20, "hedge": 20, "neutral": 20})
    first = {"files": {"train.jsonl": {}}, "dev_share": 0.2, "seed": 3}
    (tmp_path / "first.json").write_text(json.dumps(first))
    _, first_dev = build_pairs(Recipe.load(tmp_path / "first.json"), tmp_path, root=tmp_path)

    second = Recipe(files={"train.jsonl": Source()}, dev_share=0.1, seed=5, exclude_dev_of="first.json")
    train, dev = build_pairs(second, tmp_path, root=tmp_path)
    held_out = {(p.claim_a, p.claim_b) for p in first_dev}
    assert len(held_out) == 16
    assert not held_out & {(p.claim_a, p.claim_b) for p in train + dev}
    assert len(train) + len(dev) == 80 - 16


def test_training_precision(monkeypatch):
    assert uses_bf16("bf16") and not uses_bf16("fp32")
    monkeypatch.setattr("detector.training.torch.cuda.is_available", lambda: False)
    monkeypatch.setattr("detector.training.cpu_has_bf16_units", lambda: False)
    assert not uses_bf16("auto")
    with pytest.raises(ValueError, match="unknown training precision 'fp8'"):
        uses_bf16("fp8")
