"""Evaluating a scorer on labelled pairs or hedge sentences, and the benchmarks it can run.

A report is a plain dict with a stable schema (documented in ``eval/README.md``):
``model, dataset, n, accuracy, macro_f1, per_class, confusion, labels, ece, pairs_per_second,
device``, plus ``fnc_score`` for FNC-1 and ``hedge_precision/recall/f1`` for the Szeged sets.

A benchmark whose gold labels are a subset of ours (Emergent has no neutral, SICK no hedge) is
scored on that subset: the probabilities of the labels it lacks are dropped and the rest
renormalised before the argmax. The binary contradiction set folds every other label into
``not_contradiction``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from detector.hedge_classifier import HedgeClassifier
from detector.hedges import find_hedge_cues
from detector.labels import CONTRADICTION, ENTAILMENT, HEDGE, LABELS, NEUTRAL, parse_label
from detector.metrics import bootstrap_intervals, classification_metrics, expected_calibration_error, fnc_score
from detector.pair_files import InputProblem, read_pairs
from detector.public_data import (
    NOT_CONTRADICTION,
    HedgeSentence,
    LabelledPair,
    load_climate_fever,
    load_emergent,
    load_fnc1,
    load_sick,
    load_stanford_contradiction,
    load_szeged,
    load_vitaminc,
)
from detector.scoring import NLIScorer


@dataclass(frozen=True)
class PairBenchmark:
    """A public test split of claim pairs and the labels it is scored on."""

    labels: tuple[str, ...]
    load: Callable[[Path], list[LabelledPair]]


@dataclass(frozen=True)
class HedgeBenchmark:
    """A public test split of sentences, each certain or uncertain."""

    load: Callable[[Path], list[HedgeSentence]]


PAIR_BENCHMARKS: dict[str, PairBenchmark] = {
    "fnc1": PairBenchmark(LABELS, lambda data_dir: load_fnc1(data_dir, "test")),
    "emergent": PairBenchmark((CONTRADICTION, ENTAILMENT, HEDGE), lambda data_dir: load_emergent(data_dir, "test")),
    "sick": PairBenchmark((CONTRADICTION, ENTAILMENT, NEUTRAL), lambda data_dir: load_sick(data_dir, "test")),
    "stanford-contradiction": PairBenchmark((CONTRADICTION, NOT_CONTRADICTION), load_stanford_contradiction),
    "climate-fever": PairBenchmark((CONTRADICTION, ENTAILMENT, NEUTRAL), lambda data_dir: load_climate_fever(data_dir, "test")),
    "vitaminc": PairBenchmark((CONTRADICTION, ENTAILMENT, NEUTRAL), lambda data_dir: load_vitaminc(data_dir, "test")),
}
HEDGE_BENCHMARKS: dict[str, HedgeBenchmark] = {
    "szeged-wiki": HedgeBenchmark(lambda data_dir: load_szeged(data_dir, "wiki", "test")),
    "szeged-factbank": HedgeBenchmark(lambda data_dir: load_szeged(data_dir, "factbank", "test")),
}
BENCHMARK_NAMES = (*PAIR_BENCHMARKS, *HEDGE_BENCHMARKS)

UNCERTAIN, CERTAIN = "uncertain", "certain"


def read_labelled_pairs(path: Path) -> tuple[list[LabelledPair], list[str], list[InputProblem]]:
    """Pairs in the project's format (``claim_a``, ``claim_b``, ``label``; the rest optional).

    Returns the pairs, their ids (the line number where a row has none) and the skipped lines;
    a row with an unknown label is skipped and reported with its line number.
    """
    records, problems = read_pairs(path, required=("claim_a", "claim_b", "label"))
    pairs, ids = [], []
    for record in records:
        try:
            label = parse_label(record.fields["label"])
        except ValueError as error:
            problems.append(InputProblem(str(path), record.line, str(error)))
            continue
        pairs.append(LabelledPair(record.claim_a, record.claim_b, label, path.name,
                                  str(record.fields.get("phenomenon") or "")))
        ids.append(str(record.fields.get("id", f"line-{record.line}")))
    return pairs, ids, problems


def read_clean_labelled_pairs(path: Path) -> list[LabelledPair]:
    """Every pair of a file that may hold no bad line (training or calibration data); the first bad
    line is raised as a ``ValueError``."""
    pairs, _, problems = read_labelled_pairs(path)
    if problems:
        raise ValueError(f"{path}: {len(problems)} bad lines, the first: {problems[0]}")
    return pairs


def load_benchmark(name: str, data_dir: Path) -> tuple[list, tuple[str, ...] | None]:
    """A benchmark's test items and the labels they are scored on (None for hedge sentences)."""
    if name in HEDGE_BENCHMARKS:
        return HEDGE_BENCHMARKS[name].load(data_dir), None
    if name in PAIR_BENCHMARKS:
        return PAIR_BENCHMARKS[name].load(data_dir), PAIR_BENCHMARKS[name].labels
    raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(BENCHMARK_NAMES)}")


def seeded_sample(items: Sequence, limit: int | None, seed: int = 0) -> list[int]:
    """Indices of a fixed random sample of ``limit`` items (all of them when ``limit`` is None)."""
    if limit is None or limit >= len(items):
        return list(range(len(items)))
    return sorted(random.Random(seed).sample(range(len(items)), limit))


def project_probs(probs: dict[str, float], labels: Sequence[str]) -> dict[str, float]:
    """The four-way probabilities restated over a benchmark's labels (see the module doc)."""
    kept = {
        label: (1.0 - probs[CONTRADICTION]) if label == NOT_CONTRADICTION else probs[label]
        for label in labels
    }
    total = sum(kept.values())
    return {label: value / total for label, value in kept.items()} if total > 0 else kept


def evaluate_pairs(
    scorer: NLIScorer,
    pairs: Sequence[LabelledPair],
    dataset: str,
    labels: Sequence[str] = LABELS,
    ids: Sequence[str] | None = None,
    batch_size: int = 32,
    on_batch: Callable[[int], None] | None = None,
) -> tuple[dict, list[dict]]:
    """Score the pairs and measure; return the report and one prediction row per pair."""
    started = time.perf_counter()
    results = scorer.predict([(p.claim_a, p.claim_b) for p in pairs], batch_size=batch_size, on_batch=on_batch)
    elapsed = time.perf_counter() - started

    rows = []
    for index, (pair, result) in enumerate(zip(pairs, results)):
        probs = project_probs(result.probs, labels)
        predicted = max(labels, key=lambda label: probs[label])
        rows.append({
            "id": ids[index] if ids is not None else str(index),
            "claim_a": pair.claim_a,
            "claim_b": pair.claim_b,
            "gold": pair.label,
            "predicted": predicted,
            "probs": {label: round(value, 4) for label, value in probs.items()},
            "truncated": result.truncated,
            **({"phenomenon": pair.phenomenon} if pair.phenomenon else {}),
        })
    gold = [row["gold"] for row in rows]
    predicted = [row["predicted"] for row in rows]
    report = {
        "model": scorer.model_name,
        "dataset": dataset,
        **classification_metrics(gold, predicted, labels),
        "ece": expected_calibration_error(
            [max(row["probs"].values()) for row in rows], [row["gold"] == row["predicted"] for row in rows]
        ),
        "pairs_per_second": len(pairs) / elapsed if elapsed > 0 else 0.0,
        "device": scorer.device,
        "backend": scorer.backend,
        "precision": scorer.precision,
        "truncated": sum(row["truncated"] for row in rows),
        "intervals": bootstrap_intervals(gold, predicted, labels),
    }
    if dataset == "fnc1":
        report["fnc_score"] = fnc_score(gold, predicted)
    if any("phenomenon" in row for row in rows):
        report["by_phenomenon"] = accuracy_by_phenomenon(rows)
    return report, rows


NUMBER_PHENOMENA = ("number", "date", "update")
"""The phenomenon tags of pairs whose label turns on numbers or dates."""


def accuracy_on(report: dict, tags: Sequence[str]) -> tuple[float | None, int]:
    """Accuracy over the pairs of a report whose phenomenon is one of ``tags``, and how many there are."""
    groups = [report.get("by_phenomenon", {}).get(tag) for tag in tags]
    n = sum(group["n"] for group in groups if group)
    right = sum(group["n"] * group["accuracy"] for group in groups if group)
    return (right / n if n else None), n


def accuracy_by_phenomenon(rows: Sequence[dict]) -> dict[str, dict]:
    """``{tag: {n, accuracy}}`` over prediction rows that carry a ``phenomenon`` tag, by tag."""
    by_tag: dict[str, list[bool]] = {}
    for row in rows:
        if row.get("phenomenon"):
            by_tag.setdefault(row["phenomenon"], []).append(row["gold"] == row["predicted"])
    return {tag: {"n": len(right), "accuracy": sum(right) / len(right)} for tag, right in sorted(by_tag.items())}


def evaluate(
    items: Sequence,
    labels: Sequence[str] | None,
    dataset: str,
    scorer: NLIScorer | None,
    ids: Sequence[str] | None = None,
    batch_size: int = 32,
    on_batch: Callable[[int], None] | None = None,
    hedge_classifier: HedgeClassifier | None = None,
) -> tuple[dict, list[dict]]:
    """Evaluate pairs with the scorer, or hedge sentences (``labels`` None) with the hedge classifier
    (the cue lexicon when there is none)."""
    if labels is None:
        return evaluate_hedge_sentences(items, dataset, hedge_classifier)
    return evaluate_pairs(scorer, items, dataset, labels, ids, batch_size, on_batch)


def evaluate_hedge_sentences(
    sentences: Sequence[HedgeSentence], dataset: str, classifier: HedgeClassifier | None = None
) -> tuple[dict, list[dict]]:
    """Sentence-level hedge detection by the classifier, or, without one, by the cue lexicon
    (a sentence is uncertain if it holds a cue)."""
    started = time.perf_counter()
    cues = [find_hedge_cues(sentence.text) for sentence in sentences]
    if classifier is not None:
        uncertain = classifier.predict([sentence.text for sentence in sentences])
    else:
        uncertain = [bool(found) for found in cues]
    elapsed = time.perf_counter() - started
    rows = [
        {
            "id": str(index),
            "text": sentence.text,
            "gold": UNCERTAIN if sentence.uncertain else CERTAIN,
            "predicted": UNCERTAIN if is_uncertain else CERTAIN,
            "hedge_cues": [cue.text for cue in found],
        }
        for index, (sentence, is_uncertain, found) in enumerate(zip(sentences, uncertain, cues))
    ]
    gold, predicted = [r["gold"] for r in rows], [r["predicted"] for r in rows]
    metrics = classification_metrics(gold, predicted, (UNCERTAIN, CERTAIN))
    hedge = metrics["per_class"][UNCERTAIN]
    report = {
        "model": "hedge classifier" if classifier is not None else "hedge-cue lexicon",
        "dataset": dataset,
        **metrics,
        "ece": None,
        "pairs_per_second": len(rows) / elapsed if elapsed > 0 else 0.0,
        "device": "cpu",
        "hedge_precision": hedge["precision"],
        "hedge_recall": hedge["recall"],
        "hedge_f1": hedge["f1"],
        "intervals": bootstrap_intervals(gold, predicted, (UNCERTAIN, CERTAIN)),
    }
    return report, rows
