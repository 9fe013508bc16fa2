"""`detector eval`: the report schema, options, comparison and every bad input."""

import csv
import json
import re

import pytest
from typer.testing import CliRunner

from conftest import REPO, build_tiny_model
from detector.cli import app
from detector.evaluation import project_probs, seeded_sample

runner = CliRunner()
SCHEMA = {"model", "dataset", "n", "accuracy", "macro_f1", "per_class", "confusion", "labels", "ece",
          "pairs_per_second", "device"}


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def write_pairs(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


@pytest.fixture
def pairs_file(tmp_path):
    rows = [
        {"id": "e1", "claim_a": "Russia took the city.", "claim_b": "Russian forces took the city.", "label": "entailment"},
        {"id": "h1", "claim_a": "Russia took the city.", "claim_b": "It is unclear whether Russia took it.", "label": "hedge"},
        {"id": "c1", "claim_a": "Six people died.", "claim_b": "Nobody died.", "label": "contradiction"},
        {"id": "n1", "claim_a": "Six people died.", "claim_b": "The mayor spoke on Facebook.", "label": "neutral"},
    ]
    return write_pairs(tmp_path / "pairs.jsonl", rows)


def test_report_schema_plots_and_errors(tmp_path, pairs_file, tiny_three_way):
    report, plots, errors = tmp_path / "r.json", tmp_path / "plots", tmp_path / "errors.jsonl"
    result = run("eval", "--data", pairs_file, "--model", tiny_three_way, "--device", "cpu",
                 "--report", report, "--plots", plots, "--errors", errors)
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text())
    assert SCHEMA <= set(data)
    assert data["n"] == 4 and data["labels"] == ["contradiction", "entailment", "hedge", "neutral"]
    low, high = data["intervals"]["macro_f1"]
    assert low <= data["macro_f1"] <= high and data["intervals"]["confidence"] == 0.95
    assert set(data["per_class"]["hedge"]) == {"precision", "recall", "f1", "support"}
    # The tiny model always says entailment, and its hedge layer turns the hedged B into hedge.
    assert data["accuracy"] == 0.5 and data["per_class"]["hedge"]["recall"] == 1.0
    wrong = [json.loads(line) for line in errors.read_text().splitlines()]
    assert sorted(row["id"] for row in wrong) == ["c1", "n1"]
    assert {"claim_a", "claim_b", "gold", "predicted", "probs"} <= set(wrong[0])
    pngs = sorted(p.name for p in plots.iterdir())
    assert len(pngs) == 2 and all((plots / p).read_bytes().startswith(b"\x89PNG") for p in pngs)


def test_compare_prints_models_side_by_side(tmp_path, pairs_file, tiny_three_way):
    other = build_tiny_model(tmp_path / "always-neutral", {0: "neutral", 1: "entailment", 2: "contradiction"}, winner="neutral")
    report = tmp_path / "r.json"
    result = run("eval", "--compare", tiny_three_way, other, "--data", pairs_file, "--device", "cpu", "--report", report)
    assert result.exit_code == 0, result.output
    reports = json.loads(report.read_text())
    assert [r["accuracy"] for r in reports] == [0.5, 0.25]
    assert "always-neutral" in result.stdout and "F1 hedge" in result.stdout
    # The second model is tested against the first on the same pairs.
    versus = reports[1]["versus"]
    assert versus["accuracy_difference"] == -0.25 and versus["only_a_right"] == 2 and versus["only_b_right"] == 1
    assert "McNemar p" in result.stdout and "within the noise" in result.stdout


def test_unknown_label_is_reported_with_its_line(tmp_path, pairs_file, tiny_three_way):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(pairs_file.read_text() + json.dumps({"claim_a": "A.", "claim_b": "B.", "label": "maybe"}) + "\n")
    result = run("eval", "--data", bad, "--model", tiny_three_way, "--device", "cpu")
    assert result.exit_code == 1
    assert "bad.jsonl:5: unknown label 'maybe'" in result.stderr
    # The value column's width follows the widest value (pairs/s varies with the machine).
    assert re.search(r"│ pairs\s+│\s+4 │", result.stdout)


def test_missing_column(tmp_path, tiny_three_way):
    path = write_pairs(tmp_path / "p.jsonl", [{"claim_a": "A.", "claim_b": "B."}])
    result = run("eval", "--data", path, "--model", tiny_three_way, "--device", "cpu")
    assert result.exit_code == 2
    assert "p.jsonl:1: missing field label" in result.stderr and "no usable pairs" in result.stderr


def test_empty_file(tmp_path):
    (tmp_path / "empty.jsonl").write_text("")
    result = run("eval", "--data", tmp_path / "empty.jsonl")
    assert result.exit_code == 2 and "input file is empty" in result.stderr


def test_missing_data_directory_says_where_it_looked(tmp_path, monkeypatch):
    result = run("eval", "--dataset", "fnc1", "--data-dir", tmp_path / "nowhere")
    assert result.exit_code == 2 and f"data directory not found: {tmp_path / 'nowhere'}" in result.stderr
    monkeypatch.setenv("DETECTOR_DATA", str(tmp_path / "also-nowhere"))
    result = run("eval", "--dataset", "fnc1")
    assert result.exit_code == 2 and "also-nowhere" in result.stderr and "$DETECTOR_DATA" in result.stderr


def test_missing_benchmark_file(tmp_path):
    result = run("eval", "--dataset", "emergent", "--data-dir", tmp_path)
    assert result.exit_code == 2 and "data file not found" in result.stderr


def test_unknown_dataset(tmp_path):
    result = run("eval", "--dataset", "imagenet", "--data-dir", tmp_path)
    assert result.exit_code == 2 and "unknown dataset 'imagenet'" in result.stderr


def test_fnc1_from_a_small_data_dir(tmp_path, tiny_three_way):
    folder = tmp_path / "fnc1"
    folder.mkdir()
    with (folder / "competition_test_bodies.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows([["Body ID", "articleBody"], ["1", "Troops took the town. Nobody disputes it."]])
    with (folder / "competition_test_stances.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows([["Headline", "Body ID", "Stance"], ["Troops took the town", "1", "agree"],
                                      ["Troops lost the town", "1", "disagree"]])
    report = tmp_path / "f.json"
    result = run("eval", "--dataset", "fnc1", "--data-dir", tmp_path, "--model", tiny_three_way, "--device", "cpu",
                 "--report", report)
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text())
    # Both predicted agree: 1.0 for the agree pair, 0.25 for the disagree pair, out of 2.0.
    assert data["fnc_score"] == pytest.approx(62.5)
    assert "FNC-1 score" in result.stdout


def test_project_test_file_reads_cleanly():
    from detector.evaluation import read_labelled_pairs

    for split in ("dev", "test"):
        pairs, ids, problems = read_labelled_pairs(REPO / "datasets" / f"claim_pairs_{split}.jsonl")
        assert problems == [] and len(pairs) >= 150 and len(set(ids)) == len(ids)


def test_seeded_sample_is_fixed():
    assert seeded_sample(range(100), 5, seed=0) == seeded_sample(range(100), 5, seed=0)
    assert seeded_sample(range(100), 5, seed=0) != seeded_sample(range(100), 5, seed=1)
    assert seeded_sample(range(3), 5) == [0, 1, 2]


def test_project_probs():
    probs = {"contradiction": 0.2, "entailment": 0.4, "hedge": 0.2, "neutral": 0.2}
    assert project_probs(probs, ("contradiction", "entailment", "hedge")) == pytest.approx(
        {"contradiction": 0.25, "entailment": 0.5, "hedge": 0.25})
    assert project_probs(probs, ("contradiction", "not_contradiction")) == pytest.approx(
        {"contradiction": 0.2, "not_contradiction": 0.8})
