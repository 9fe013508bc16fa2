"""Loaders for the public, human-labelled data sets in ``../shared/datasets``.

Each loader reads one set's files as that folder's README says, maps its labels onto the
four-way scheme and returns plain :class:`LabelledPair` lists for one split. Splits marked
*test only* there are only ever returned for ``split="test"``, and the training code never asks
for them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import zipfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from detector.labels import CONTRADICTION, ENTAILMENT, HEDGE, NEUTRAL
from detector.text import normalise_space, split_sentences


@dataclass(frozen=True)
class LabelledPair:
    """A claim pair with its gold label; ``origin`` names the set it came from and ``phenomenon``
    the main difficulty, where a labelled file tags it (``datasets/README.md``)."""

    claim_a: str
    claim_b: str
    label: str
    origin: str = ""
    phenomenon: str = ""


class DataNotFoundError(FileNotFoundError):
    """A data directory or one of a set's files is missing."""


def default_data_dir() -> Path:
    """``$DETECTOR_DATA`` if set, else ``../shared/datasets`` next to the working directory."""
    return Path(os.environ.get("DETECTOR_DATA") or Path.cwd().parent / "shared" / "datasets")


def _require(path: Path) -> Path:
    if not path.exists():
        raise DataNotFoundError(f"data file not found: {path} (set --data-dir or $DETECTOR_DATA)")
    return path


def _read_csv(path: Path) -> list[dict[str, str]]:
    with _require(path).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


FNC1_LABELS = {"agree": ENTAILMENT, "disagree": CONTRADICTION, "discuss": HEDGE, "unrelated": NEUTRAL}
EMERGENT_LABELS = {"for": ENTAILMENT, "against": CONTRADICTION, "observing": HEDGE}
SNLI_LABELS = {"entailment": ENTAILMENT, "contradiction": CONTRADICTION, "neutral": NEUTRAL}
CLIMATE_FEVER_LABELS = {"SUPPORTS": ENTAILMENT, "REFUTES": CONTRADICTION, "NOT_ENOUGH_INFO": NEUTRAL}
SICK_LABELS = {"ENTAILMENT": ENTAILMENT, "CONTRADICTION": CONTRADICTION, "NEUTRAL": NEUTRAL}
NOT_CONTRADICTION = "not_contradiction"
"""The second class of the binary de Marneffe et al. contradiction set."""


def relevant_sentences(headline: str, body: str, top_k: int, vectorizer: TfidfVectorizer) -> str:
    """The ``top_k`` body sentences most similar to the headline (TF-IDF cosine), in body order.

    FNC-1 bodies run to hundreds of words; a cross-encoder sees 128 tokens, so it gets the part of
    the body that talks about the headline rather than the first lines.
    """
    sentences = split_sentences(body)
    if len(sentences) <= top_k:
        return " ".join(sentences)
    vectors = vectorizer.transform([headline, *sentences])
    similarity = (vectors[1:] @ vectors[0].T).toarray().ravel()
    keep = sorted(np.argsort(-similarity, kind="stable")[:top_k])
    return " ".join(sentences[i] for i in keep)


def _load_stance_pairs(folder: Path, bodies_file: str, stances_file: str, origin: str, top_k: int) -> list[LabelledPair]:
    """Headline (A) against its body's ``top_k`` most relevant sentences (B), FNC-1 labels."""
    bodies = {row["Body ID"]: row["articleBody"] for row in _read_csv(folder / bodies_file)}
    stances = _read_csv(folder / stances_file)
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    vectorizer.fit(list(bodies.values()))
    return [
        LabelledPair(
            normalise_space(row["Headline"]),
            relevant_sentences(row["Headline"], bodies[row["Body ID"]], top_k, vectorizer),
            FNC1_LABELS[row["Stance"]],
            origin,
        )
        for row in stances
    ]


def load_fnc1(data_dir: Path, split: str, top_k: int = 3) -> list[LabelledPair]:
    """FNC-1: headline (A) against the body's most relevant sentences (B).

    ``split="train"`` reads ``train_*``; ``split="test"`` reads the competition test files.
    """
    prefix = {"train": "train", "test": "competition_test"}[split]
    return _load_stance_pairs(data_dir / "fnc1", f"{prefix}_bodies.csv", f"{prefix}_stances.csv", "fnc1", top_k)


def load_arc(data_dir: Path, split: str = "train", top_k: int = 3) -> list[LabelledPair]:
    """ARC stance (NYT debate posts in FNC-1's format), read as FNC-1. Only its training part is here."""
    if split != "train":
        raise ValueError("only the training part of ARC is available")
    return _load_stance_pairs(data_dir / "arc", "arc_bodies.csv", "arc_stances_train.csv", "arc", top_k)


def load_emergent(data_dir: Path, split: str) -> list[LabelledPair]:
    """Emergent: the claim (A) against an article headline (B)."""
    path = data_dir / "emergent" / f"url-versions-2015-06-14-clean-{split}.csv"
    return [
        LabelledPair(
            normalise_space(row["claimHeadline"]),
            normalise_space(row["articleHeadline"]),
            EMERGENT_LABELS[row["articleHeadlineStance"]],
            "emergent",
        )
        for row in _read_csv(path)
    ]


def _detokenise(text: str) -> str:
    """SNLI is stored tokenised ("packages ."): rejoin punctuation and contractions."""
    for before, after in ((" .", "."), (" ,", ","), (" !", "!"), (" ?", "?"), (" 's", "'s"), (" n't", "n't")):
        text = text.replace(before, after)
    return normalise_space(text)


def load_snli(data_dir: Path, split: str = "train") -> list[LabelledPair]:
    """SNLI (the original's dev and test files). Not one of our benchmarks: both are training data.

    The hypothesis is claim A and the premise claim B: our entailment means B makes A true, so the
    more specific sentence is B. Read the other way round, SNLI's neutral pairs would teach that a
    B adding detail to A is neutral, which is exactly what our entailment pairs look like.
    """
    if split != "train":
        raise ValueError("SNLI is used for training only")
    folder = data_dir / "snli"
    pairs = []
    for part in ("dev", "test"):
        lines = [
            _require(folder / f"{name}.{part}").read_text(encoding="utf-8").splitlines()
            for name in ("s1", "s2", "labels")
        ]
        for premise, hypothesis, label in zip(*lines, strict=True):
            if label.strip() in SNLI_LABELS:
                pairs.append(LabelledPair(_detokenise(hypothesis), _detokenise(premise), SNLI_LABELS[label.strip()], "snli"))
    return pairs


def load_climate_fever(data_dir: Path, split: str) -> list[LabelledPair]:
    """Climate-FEVER claim (A) against each evidence sentence (B).

    Test is the claims whose numeric id is divisible by 5; train is the rest.
    """
    want_test = split == "test"
    pairs = []
    with _require(data_dir / "climate_fever" / "climate-fever.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            claim = json.loads(line)
            if (int(claim["claim_id"]) % 5 == 0) != want_test:
                continue
            for evidence in claim["evidences"]:
                pairs.append(
                    LabelledPair(
                        normalise_space(claim["claim"]),
                        normalise_space(evidence["evidence"]),
                        CLIMATE_FEVER_LABELS[evidence["evidence_label"]],
                        "climate-fever",
                    )
                )
    return pairs


def load_sick(data_dir: Path, split: str) -> list[LabelledPair]:
    """SICK: train is SemEval_set TRAIN + TRIAL, test is TEST. Non-commercial licence.

    ``entailment_label`` says whether sentence_A entails sentence_B, so sentence_B is claim A and
    sentence_A claim B (our entailment: B makes A true), as for SNLI.
    """
    wanted = {"train": {"TRAIN", "TRIAL"}, "test": {"TEST"}}[split]
    path = _require(data_dir / "sick" / "SICK.txt")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return [
            LabelledPair(row["sentence_B"], row["sentence_A"], SICK_LABELS[row["entailment_label"]], "sick")
            for row in rows
            if row["SemEval_set"].strip() in wanted
        ]


VITAMINC_LABELS = {"SUPPORTS": ENTAILMENT, "REFUTES": CONTRADICTION, "NOT ENOUGH INFO": NEUTRAL}
VITAMINC_FILES = ("vitaminc_real", "vitaminc_synthetic")

# Wikipedia sentences in VitaminC and FEVER are PTB-tokenised: brackets spelt out, quotes as
# `` and '', spaces around punctuation. \ufffd stands where a non-breaking space was lost.
_PTB_TOKENS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}",
               "``": '"', "''": '"', "\ufffd": " "}
_PTB_TOKEN = re.compile("|".join(re.escape(token) for token in _PTB_TOKENS))
_SPACE_BEFORE = re.compile(r" (?=[.,;:!?)\]}%]|'s\b|n't\b|'re\b|'ve\b|'ll\b|'d\b|'m\b)")
_SPACE_AFTER = re.compile(r"(?<=[(\[{$]) ")
_QUOTED = re.compile(r'" ([^"]*?) "')


def detokenise_wiki(text: str) -> str:
    """Undo PTB tokenisation: "Westlife -LRB- band -RRB- 's `` Flying '' ." -> 'Westlife (band)'s "Flying".'"""
    text = _PTB_TOKEN.sub(lambda match: _PTB_TOKENS[match.group()], text)
    text = _QUOTED.sub(r'"\1"', normalise_space(text))
    return _SPACE_AFTER.sub("", _SPACE_BEFORE.sub("", text))


def vitaminc_test_page(page: str) -> bool:
    """Whether a Wikipedia page's VitaminC rows are test only (md5 of the page name divisible by 5)."""
    return int(hashlib.md5(page.encode("utf-8")).hexdigest(), 16) % 5 == 0


def load_vitaminc(data_dir: Path, split: str) -> list[LabelledPair]:
    """VitaminC: claim (A) against a Wikipedia evidence sentence (B), often a revision that flips it.

    Test is the ``vitaminc_real`` rows whose page is a test page (:func:`vitaminc_test_page`);
    train is the rows of both files whose page is not. Synthetic rows on test pages are in
    neither, so no test page is trained on.
    """
    want_test = split == "test"
    pairs = []
    for name in VITAMINC_FILES[:1] if want_test else VITAMINC_FILES:
        with zipfile.ZipFile(_require(data_dir / "vitaminc" / f"{name}.zip")) as archive:
            with archive.open(f"{name}/test.jsonl") as raw:
                for line in io.TextIOWrapper(raw, encoding="utf-8"):
                    row = json.loads(line)
                    if vitaminc_test_page(row["page"]) != want_test:
                        continue
                    pairs.append(LabelledPair(detokenise_wiki(row["claim"]), detokenise_wiki(row["evidence"]),
                                              VITAMINC_LABELS[row["label"]], "vitaminc"))
    return pairs


FEVER_RTE_LABELS = {"entailment": ENTAILMENT, "not_entailment": CONTRADICTION}


def load_fever_rte(data_dir: Path, split: str = "train") -> list[LabelledPair]:
    """FEVER dev claims (A) with their gold evidence (B); not_entailment holds only REFUTES claims.

    Not one of our benchmarks: all of it is training data.
    """
    if split != "train":
        raise ValueError("FEVER with evidence is used for training only")
    folder = data_dir / "fever_rte"
    premises, claims, labels = (
        _require(folder / f"dev.{name}.txt").read_text(encoding="utf-8").splitlines()
        for name in ("premise", "hypothesis", "label")
    )
    return [
        LabelledPair(normalise_space(claim), detokenise_wiki(premise), FEVER_RTE_LABELS[label.strip()], "fever-rte")
        for premise, claim, label in zip(premises, claims, labels, strict=True)
    ]


def load_cad_snli(data_dir: Path, split: str = "train") -> list[LabelledPair]:
    """Counterfactually edited SNLI (all three files), read as SNLI: the hypothesis is claim A and the
    premise claim B. Not one of our benchmarks: all of it is training data."""
    if split != "train":
        raise ValueError("counterfactual SNLI is used for training only")
    pairs = []
    for part in ("train", "dev", "test"):
        with _require(data_dir / "cad_snli" / f"{part}.tsv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                pairs.append(LabelledPair(normalise_space(row["sentence2"]), normalise_space(row["sentence1"]),
                                          SNLI_LABELS[row["gold_label"].strip()], "cad-snli"))
    return pairs


def load_stanford_contradiction(data_dir: Path, split: str = "test") -> list[LabelledPair]:
    """de Marneffe et al. 2008 (RTE2 dev, negated): contradiction or not_contradiction. Test only."""
    if split != "test":
        raise ValueError("the Stanford contradiction set is test only")
    root = ElementTree.parse(_require(data_dir / "stanford_contradiction" / "RTE2_dev_negated_contradiction.xml")).getroot()
    return [
        LabelledPair(
            normalise_space(pair.findtext("t", "")),
            normalise_space(pair.findtext("h", "")),
            CONTRADICTION if pair.get("contradiction") == "YES" else NOT_CONTRADICTION,
            "stanford-contradiction",
        )
        for pair in root.iter("pair")
    ]


@dataclass(frozen=True)
class HedgeSentence:
    """A sentence of the Szeged uncertainty corpus: uncertain when it holds a hedge cue."""

    text: str
    uncertain: bool
    document: int = 0
    """0-based position of the sentence's document in its file (splits are by document)."""


SZEGED_FILES = {"wiki": ("wiki.xml",), "bio": ("bio_bmc.xml", "bio_fly.xml", "bio_hbc.xml"), "factbank": ("factbank.xml",)}


def load_szeged(data_dir: Path, part: str, split: str) -> list[HedgeSentence]:
    """Sentences of one Szeged part (``wiki``, ``bio`` or ``factbank``).

    Test is the documents whose 0-based position in their file is divisible by 5, train the
    rest; FactBank is test only.
    """
    if part == "factbank" and split != "test":
        raise ValueError("the Szeged FactBank part is test only")
    sentences = []
    for filename in SZEGED_FILES[part]:
        root = ElementTree.parse(_require(data_dir / "szeged_uncertainty" / filename)).getroot()
        for position, document in enumerate(root.iter("Document")):
            if part != "factbank" and (position % 5 == 0) != (split == "test"):
                continue
            for sentence in document.iter("Sentence"):
                text = normalise_space("".join(sentence.itertext()))
                if text:
                    sentences.append(HedgeSentence(text, sentence.find(".//ccue") is not None, position))
    return sentences


TRAINING_SETS: dict[str, Callable[[Path], list[LabelledPair]]] = {
    "fnc1": lambda data_dir: load_fnc1(data_dir, "train"),
    "emergent": lambda data_dir: load_emergent(data_dir, "train"),
    "snli": load_snli,
    "climate-fever": lambda data_dir: load_climate_fever(data_dir, "train"),
    "vitaminc": lambda data_dir: load_vitaminc(data_dir, "train"),
    "fever-rte": load_fever_rte,
    "cad-snli": load_cad_snli,
    "arc": load_arc,
}
"""The sets whose training files may train the shipped default (SICK is left out: non-commercial)."""
