"""The `detector score` command: output, batch files and every bad-input case."""

import csv
import json

import pytest
from typer.testing import CliRunner

from detector.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def model_args(tiny_three_way):
    return ["--model", tiny_three_way, "--device", "cpu"]


def test_single_pair_json(model_args):
    result = run("score", "Russia took the city.", "It cannot be said definitively that Russia took it.", "--json", *model_args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["label"] == "hedge"
    assert set(data["probs"]) == {"contradiction", "entailment", "hedge", "neutral"}
    assert data["hedge_cues_b"][0]["text"] == "cannot be said definitively"


def test_single_pair_table(model_args):
    result = run("score", "Russia took the city.", "Russian forces took the city.", *model_args)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "entailment"
    assert "hedge cues in B: none" in result.stdout


@pytest.mark.parametrize("claims", [("", "B."), ("A.", "   ")])
def test_empty_claim(model_args, claims):
    result = run("score", *claims, *model_args)
    assert result.exit_code == 2
    assert "is empty" in result.stderr


def test_unknown_model(tmp_path):
    for model in (tmp_path / "missing", "no-such-org/no-such-model"):
        result = run("score", "A.", "B.", "--model", model)
        assert result.exit_code == 2
        assert "error:" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_missing_input_file(tmp_path, model_args):
    result = run("score", "--input", tmp_path / "nope.jsonl", *model_args)
    assert result.exit_code == 2 and "input file not found" in result.stderr


def test_error_messages_keep_square_brackets(tmp_path, model_args):
    """A path like pairs[draft].jsonl is printed as given, not read as terminal markup."""
    result = run("score", "--input", tmp_path / "pairs[draft].jsonl", *model_args)
    assert result.exit_code == 2 and "pairs[draft].jsonl" in result.stderr


def test_empty_input_file(tmp_path, model_args):
    (tmp_path / "empty.jsonl").write_text("")
    result = run("score", "--input", tmp_path / "empty.jsonl", *model_args)
    assert result.exit_code == 2 and "empty" in result.stderr


def test_jsonl_batch_skips_bad_lines_and_scores_the_rest(tmp_path, model_args):
    source = tmp_path / "pairs.jsonl"
    lines = [
        json.dumps({"id": "p1", "claim_a": "Russia took the city.", "claim_b": "Russian forces took the city."}),
        "{not json",
        json.dumps({"id": "p3", "claim_a": "A.", "claim_b": " "}),
        json.dumps({"id": "p4", "claim_a": "A."}),
    ]
    source.write_bytes(("\n".join(lines) + "\n").encode() + b"\xff\xfe bad bytes\n"
                       + json.dumps({"id": "p6", "claim_a": "A city fell.", "claim_b": "It may have fallen."}).encode() + b"\n")
    output = tmp_path / "out.jsonl"
    result = run("score", "--input", source, "--output", output, *model_args)
    assert result.exit_code == 1
    for line, reason in ((2, "malformed JSON"), (3, "claim_b is empty"), (4, "missing field claim_b"), (5, "not UTF-8")):
        assert f"pairs.jsonl:{line}: {reason}" in result.stderr
    rows = [json.loads(line) for line in output.read_text().splitlines()]
    assert [row["id"] for row in rows] == ["p1", "p6"]
    assert rows[1]["label"] == "hedge"


def test_csv_batch(tmp_path, model_args):
    source = tmp_path / "pairs.csv"
    source.write_text('id,claim_a,claim_b\n1,"Russia took the city.","Russian forces took the city."\n'
                      '2,"unterminated,"quote\n3,only two\n4,"A town fell.","It is unclear whether it fell."\n')
    output = tmp_path / "out.csv"
    result = run("score", "--input", source, "--output", output, *model_args)
    assert result.exit_code == 1
    assert "pairs.csv:3: malformed CSV" in result.stderr and "pairs.csv:4: malformed CSV" in result.stderr
    rows = list(csv.DictReader(output.open()))
    assert [(row["id"], row["label"]) for row in rows] == [("1", "entailment"), ("4", "hedge")]
    assert rows[1]["hedge_cues_b"] == "It is unclear"


def test_non_utf8_file_is_reported(tmp_path, model_args):
    source = tmp_path / "latin1.csv"
    source.write_bytes("claim_a,claim_b\nS\xe3o Paulo flooded.,Floods hit S\xe3o Paulo.\n".encode("latin-1"))
    result = run("score", "--input", source, *model_args)
    assert result.exit_code == 1 and "latin1.csv:2: not UTF-8" in result.stderr


def test_help_explains_every_option():
    result = run("score", "--help")
    assert result.exit_code == 0
    for option in ("--input", "--output", "--json", "--model", "--device", "--both-directions", "--batch-size", "--max-length"):
        assert option in result.stdout
