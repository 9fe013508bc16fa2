"""The relatedness gate: its training data from gold disputes, training, and the shipped gate."""

import json
from pathlib import Path

import numpy as np
import pytest

from conftest import build_tiny_model
from detector.pairing import load_embedder
from detector.relatedness import (DEFAULT_FOLDER, RelatednessScorer, RelatedPair, article_examples,
                                  train_relatedness)

ARTICLE_A = ("Interior Minister Karel Vos said on Monday that the army had taken full control of the port of Medra. "
             "The port handles most of the region's grain exports.\n\n"
             "Rebel spokesman Ilan Duro denied that government troops controlled the port of Medra.\n")
ARTICLE_B = ("The rebels still hold the grain terminal in Medra, a rebel commander, Ravi Osk, said on Tuesday.\n\n"
             "Grain prices rose by 4 percent in the capital this week, traders said.\n")


@pytest.fixture(scope="module")
def gold_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    (folder / "train").mkdir()
    (folder / "train" / "medra-a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (folder / "train" / "medra-b.txt").write_text(ARTICLE_B, encoding="utf-8")
    (folder / "index.tsv").write_text("file\tevent\toutlet\tpublished\tsplit\n"
                                      "train/medra-a.txt\tmedra\tCoast Wire\t2026-03-02\ttrain\n"
                                      "train/medra-b.txt\tmedra\tValley Post\t2026-03-03\ttrain\n", encoding="utf-8")
    dispute = {"dispute": "medra-port", "event": "medra", "proposition": "The army controls the port of Medra",
               "note": "who holds the port", "claims": [
                   {"article": "medra-a.txt", "quote": "the army had taken full control of the port of Medra",
                    "speaker": "Interior Minister Karel Vos", "side": "asserts"},
                   {"article": "medra-a.txt", "quote": "denied that government troops controlled the port of Medra",
                    "speaker": "Rebel spokesman Ilan Duro", "side": "contradicts"},
                   {"article": "medra-b.txt", "quote": "The rebels still hold the grain terminal in Medra",
                    "speaker": "Ravi Osk", "side": "contradicts"}]}
    (folder / "gold_disputes.jsonl").write_text(json.dumps(dispute) + "\n", encoding="utf-8")
    return folder


def test_examples_label_pairs_of_one_dispute_as_related(gold_folder):
    examples = article_examples(gold_folder, "train", load_embedder(device="cpu"))
    related = {(p.claim_a, p.claim_b) for p in examples if p.related}
    # Three claims of one dispute by three speakers: all three pairs, found by pairing or added.
    assert len(related) == 3 and all(p.origin == "articles:medra" for p in examples)
    unrelated = [p for p in examples if not p.related]
    assert unrelated and all("grain exports" in p.claim_a + p.claim_b or "Grain prices" in p.claim_a + p.claim_b
                             for p in unrelated)


def test_training_writes_a_gate_that_loads_and_scores_symmetrically(tmp_path):
    base = build_tiny_model(tmp_path / "base", {0: "contradiction", 1: "entailment", 2: "hedge", 3: "neutral"})
    pairs = [RelatedPair("The army holds Medra.", "Rebels hold Medra.", 1, "test"),
             RelatedPair("The army holds Medra.", "Grain prices rose.", 0, "test")] * 4
    report = train_relatedness(pairs, pairs[:2], tmp_path / "gate", base, epochs=1, batch_size=4, precision="fp32")
    assert report["train_pairs"] == 8 and report["train_related"] == 4 and "dev_average_precision" in report["dev"]
    assert json.loads((tmp_path / "gate" / "config.json").read_text())["id2label"] == {"0": "related"}
    gate = RelatednessScorer(tmp_path / "gate", precision="fp32")
    forward, backward = gate.predict([("A claim.", "Another claim."), ("Another claim.", "A claim.")])
    assert 0 <= forward <= 1 and forward == pytest.approx(backward)
    assert not list((tmp_path).glob(".gate-checkpoints"))


def test_the_shipped_gate_tells_a_denial_from_an_aside():
    gate = RelatednessScorer(DEFAULT_FOLDER)
    claim = "Russian forces have established full control over the city of Lisichansk."
    denial = "Sak denied that Russia had achieved full control of Lisichansk."
    aside = "Fifteen people were injured in the Russian attack on Sloviansk."
    related, unrelated = gate.predict([(claim, denial), (claim, aside)])
    assert related > 0.5 > unrelated


def test_a_missing_gate_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="train one with: detector train-relatedness"):
        RelatednessScorer(tmp_path / "nowhere")
    assert np.array_equal(RelatednessScorer(DEFAULT_FOLDER).predict([]), np.zeros(0))
