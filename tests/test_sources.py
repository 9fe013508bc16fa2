"""detector sources: reliability over a claim store or a flag file, with the evidence, and bad input."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detector.articles import Article
from detector.cli import app
from detector.flagging import Flagger
from detector.pairing import load_embedder
from detector.scoring import NLIScorer
from detector.store import ClaimStore

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "articles" / "lisichansk.txt"


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory, shipped_model):
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}")
    path = tmp_path_factory.mktemp("store") / "claims.db"
    store = ClaimStore(path)
    Flagger(NLIScorer(shipped_model, device="cpu"), load_embedder(device="cpu"), store).add(
        Article("lisichansk", SEED.read_text(encoding="utf-8"), outlet="EFE"))
    store.close()
    return path


def test_seed_sources_with_their_claims(seed_store, tmp_path):
    output, page = tmp_path / "sources.jsonl", tmp_path / "sources.html"
    result = run("sources", "--store", seed_store, "--output", output, "--html", page, "--top", "0")
    assert result.exit_code == 0, result.output
    rows = {(r["kind"], r["source"]): r for r in map(json.loads, output.read_text().splitlines())}
    for speaker in ("Russian Defense Minister Sergei Shoigu", "Ukrainian Defense Ministry spokesman Yuriy Sak",
                    "the Ukrainian president, Volodymyr Zelensky", "The US Institute for the Study of War (ISW)",
                    "the governor of Lugansk, Serhiy Gaidai"):
        row = rows[("speaker", speaker)]
        assert row["claims"] and all(c["text"] for c in row["claims"])
    sak = rows[("speaker", "Ukrainian Defense Ministry spokesman Yuriy Sak")]
    denial = next(c for c in sak["claims"] if "full control" in c["text"])
    assert "Russian Defense Minister Sergei Shoigu" in denial["contradicted_by"]
    assert ("outlet", "EFE") in rows
    assert all(r["reliability"] is None or 0 <= r["reliability"] <= 1 for r in rows.values())
    html = page.read_text()
    assert "Sources by speaker" in html and "Sources by outlet" in html and "Yuriy Sak" in html


def test_empty_store_gives_no_rows_and_no_crash(tmp_path):
    ClaimStore(tmp_path / "empty.db").close()
    result = run("sources", "--store", tmp_path / "empty.db", "--output", tmp_path / "s.csv")
    assert result.exit_code == 0, result.output
    assert "no claims to score" in result.stderr
    assert (tmp_path / "s.csv").read_text().splitlines() == ["source,kind,reliability,low,high,evidence,claims"]


def flag(a_id, a_speaker, b_id, b_speaker, label, score=0.9):
    def claim(claim_id, speaker):
        return {"id": claim_id, "text": f"claim {claim_id}", "speaker": speaker, "verb": "said",
                "proposition": f"claim {claim_id}", "hedge_cues": []}

    return {"article_a": "x", "article_b": "y", "claim_a": claim(a_id, a_speaker), "claim_b": claim(b_id, b_speaker),
            "label": label, "probs": {}, "score": score}


def test_flag_file_with_bad_lines_and_an_unrelated_source(tmp_path):
    path = tmp_path / "flags.jsonl"
    lines = [json.dumps(flag("1", "Agency", "2", "Ministry", "contradiction")),
             json.dumps(flag("1", "Agency", "3", "Witness", "contradiction")),
             json.dumps(flag("4", "Lone blogger", "5", "Other blogger", "neutral")),
             "{broken", json.dumps({"label": "contradiction"}), json.dumps(flag("1", "A", "2", "B", "refutes"))]
    path.write_text("\n".join(lines) + "\n")
    output = tmp_path / "s.jsonl"
    result = run("sources", "--flags", path, "--by", "speaker", "--output", output, "--top", "0")
    assert result.exit_code == 0, result.output
    for problem in (f"{path}:4: not a JSON object", f"{path}:5: a flag needs", f"{path}:6: unknown label 'refutes'"):
        assert problem in result.stderr
    rows = {r["source"]: r for r in map(json.loads, output.read_text().splitlines())}
    assert rows["Lone blogger"]["reliability"] is None  # nothing bears on it: unknown, not 0 or 1
    assert rows["Agency"]["reliability"] < rows["Ministry"]["reliability"]  # contradicted by two independent sources


@pytest.mark.parametrize("args, message", [
    ((), "give exactly one of --store, --flags or --dataset"),
    (("--store", "missing.db"), "claim store not found: missing.db"),
    (("--dataset", "book", "--data-dir", "/nonexistent"), "data file not found"),
])
def test_refusals(args, message):
    result = run("sources", *args)
    assert result.exit_code == 2 and message in result.stderr


def test_a_disputes_file_is_refused_with_the_command_that_writes_flags(tmp_path):
    disputes = tmp_path / "disputes.jsonl"
    disputes.write_text(json.dumps({"id": "x", "proposition": "p", "asserts": [], "contradicts": []}) + "\n")
    result = CliRunner().invoke(app, ["sources", "--flags", str(disputes)])
    assert result.exit_code == 2 and "detector flag --pairs" in result.stderr
