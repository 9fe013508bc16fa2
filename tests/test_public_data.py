"""The loaders of the newer public sets, on small files in their real formats: mappings, splits
and the undoing of Wikipedia's tokenisation."""

import csv
import json
import zipfile

import pytest

from detector.evaluation import load_benchmark
from detector.public_data import (
    TRAINING_SETS,
    detokenise_wiki,
    load_arc,
    load_cad_snli,
    load_fever_rte,
    load_vitaminc,
    vitaminc_test_page,
)


def test_detokenise_wiki():
    assert detokenise_wiki("Westlife -LRB- band -RRB- 's `` Flying '' sold 9.8\ufffdmillion , at $ 5 .") == \
        'Westlife (band)\'s "Flying" sold 9.8 million, at $5.'


def write_vitaminc(folder, pages):
    folder.mkdir()
    for name in ("vitaminc_real", "vitaminc_synthetic"):
        rows = [{"claim": f"{page} had 5 members .", "evidence": f"{page} -LRB- band -RRB- had 5 members .",
                 "label": label, "page": page}
                for page in pages for label in ("SUPPORTS", "REFUTES", "NOT ENOUGH INFO")]
        with zipfile.ZipFile(folder / f"{name}.zip", "w") as archive:
            archive.writestr(f"{name}/test.jsonl", "".join(json.dumps(row) + "\n" for row in rows))


def test_vitaminc_splits_by_page_and_keeps_test_pages_out_of_training(tmp_path):
    pages = [f"Page {i}" for i in range(40)]
    test_pages = {page for page in pages if vitaminc_test_page(page)}
    assert 0 < len(test_pages) < len(pages)
    write_vitaminc(tmp_path / "vitaminc", pages)
    train, test = load_vitaminc(tmp_path, "train"), load_vitaminc(tmp_path, "test")
    # Test: the real file's rows on test pages; train: both files' rows on the other pages.
    assert len(test) == 3 * len(test_pages) and len(train) == 2 * 3 * (len(pages) - len(test_pages))
    assert not {p.claim_a.split(" had")[0] for p in train} & test_pages
    assert {p.label for p in test} == {"entailment", "contradiction", "neutral"}
    assert test[0].claim_a.endswith("had 5 members.") and "(band)" in test[0].claim_b
    items, labels = load_benchmark("vitaminc", tmp_path)
    assert len(items) == len(test) and labels == ("contradiction", "entailment", "neutral")


def test_fever_rte_claim_is_a_and_refuted_claims_contradict(tmp_path):
    folder = tmp_path / "fever_rte"
    folder.mkdir()
    (folder / "dev.premise.txt").write_text("Soul Food is a 1997 film -LRB- comedy -RRB- .\nTelemundo is Spanish .\n")
    (folder / "dev.hypothesis.txt").write_text("Soul Food is a film.\nTelemundo is an English network.\n")
    (folder / "dev.label.txt").write_text("entailment\nnot_entailment\n")
    pairs = load_fever_rte(tmp_path)
    assert [(p.claim_a, p.label) for p in pairs] == [("Soul Food is a film.", "entailment"),
                                                   ("Telemundo is an English network.", "contradiction")]
    assert pairs[0].claim_b == "Soul Food is a 1997 film (comedy)."
    with pytest.raises(ValueError):
        load_fever_rte(tmp_path, "test")


def test_cad_snli_reads_the_hypothesis_as_a(tmp_path):
    folder = tmp_path / "cad_snli"
    folder.mkdir()
    for part in ("train", "dev", "test"):
        (folder / f"{part}.tsv").write_text("sentence1\tsentence2\tgold_label\n"
                                            f"A man rides a red bike in {part}.\tA man rides a bike.\tentailment\n")
    pairs = load_cad_snli(tmp_path)
    assert len(pairs) == 3 and pairs[0].claim_a == "A man rides a bike." and pairs[0].label == "entailment"


def test_arc_is_read_as_fnc1(tmp_path):
    folder = tmp_path / "arc"
    folder.mkdir()
    with (folder / "arc_bodies.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows([["Body ID", "articleBody"], ["7", "Spouses should speak. They help."]])
    with (folder / "arc_stances_train.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows([["Headline", "Body ID", "Stance"], ["Spouses should speak", "7", "disagree"]])
    [pair] = load_arc(tmp_path)
    assert pair.label == "contradiction" and pair.claim_b == "Spouses should speak. They help." and pair.origin == "arc"


def test_new_sets_are_training_sources():
    assert {"vitaminc", "fever-rte", "cad-snli", "arc"} <= set(TRAINING_SETS)
