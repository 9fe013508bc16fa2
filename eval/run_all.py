"""Run every benchmark with one model and write ``eval/results``.

    python -m eval.run_all [--model PATH_OR_HUB_ID] [--device auto|cpu|cuda] [--data-dir DIR]

Writes one report per benchmark (``eval/results/<name>.json``, the schema of ``detector eval
--report``), one per truth-discovery benchmark (``eval/results/truth_<name>.json``, see
:mod:`detector.truth_eval`), and ``eval/results/README.md``, the tables the README and the model
card quote.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from detector.evaluation import NUMBER_PHENOMENA, BENCHMARK_NAMES, accuracy_on, evaluate, load_benchmark, read_labelled_pairs
from detector.labels import LABELS
from detector.public_data import default_data_dir
from detector.hedge_classifier import load_hedge_classifier
from detector.scoring import NLIScorer, default_model_path
from detector.truth_eval import DATASETS as TRUTH_DATASETS
from detector.truth_eval import run_dataset

RESULTS = Path(__file__).parent / "results"
DATASETS = Path(__file__).parent.parent / "datasets"
PROJECT_TESTS = {"claim_pairs_test": DATASETS / "claim_pairs_test.jsonl",
                 "claim_pairs_same_topic_test": DATASETS / "claim_pairs_same_topic_test.jsonl"}

# What each benchmark's row of the table leads with, and why.
HEADLINE = {
    "claim_pairs_test": ("macro-F1", "macro_f1"),
    "claim_pairs_same_topic_test": ("macro-F1", "macro_f1"),
    "fnc1": ("FNC-1 score", "fnc_score"),
    "emergent": ("accuracy (3-way)", "accuracy"),
    "sick": ("accuracy (3-way)", "accuracy"),
    "stanford-contradiction": ("contradiction F1", None),
    "climate-fever": ("macro-F1 (3-way)", "macro_f1"),
    "vitaminc": ("accuracy (3-way)", "accuracy"),
    "szeged-wiki": ("hedge F1 (sentences)", "hedge_f1"),
    "szeged-factbank": ("hedge F1 (sentences)", "hedge_f1"),
}


def headline(report: dict) -> tuple[str, float]:
    name, key = HEADLINE[report["dataset"]]
    return name, report["per_class"]["contradiction"]["f1"] if key is None else report[key]


def markdown_table(reports: list[dict]) -> str:
    lines = [
        "| benchmark (test split) | n | headline metric | value | accuracy | macro-F1 | per-class F1 | ECE | per second | device |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for report in reports:
        name, value = headline(report)
        ece = "-" if report["ece"] is None else f"{report['ece']:.3f}"
        per_class = " · ".join(f"{label} {v['f1']:.2f}" for label, v in report["per_class"].items())
        lines.append(
            f"| {report['dataset']} | {report['n']} | {name} | **{value:.3f}** | {report['accuracy']:.3f} | "
            f"{report['macro_f1']:.3f} | {per_class} | {ece} | {report['pairs_per_second']:.0f} | {report['device']}{' ' + report['precision'] if 'precision' in report else ''} |"
        )
    return "\n".join(lines)


def phenomena_lines(reports: list[dict]) -> str:
    """The project test files' hard cases, on their own: pairs whose label turns on numbers or
    dates, and same-topic neutrals."""
    lines = []
    for report in reports:
        for what, tags in (("numbers and dates (number, date, update)", NUMBER_PHENOMENA),
                           ("same-topic neutrals", ("same-topic-neutral",))):
            accuracy, n = accuracy_on(report, tags)
            if accuracy is not None:
                lines.append(f"- {report['dataset']}, {what}: accuracy **{accuracy:.3f}** (n={n})")
    return "\n".join(lines)


def truth_table(reports: list[dict]) -> str:
    """Source reliability (truth discovery): every method's accuracy, side by side; for the
    structured sets also with ties counted wrong and on the contested items only."""
    def cell(value):
        return "" if value is None else f"{value:.3f}"

    lines = ["| truth discovery (test) | n | method | accuracy | ties as wrong | contested (n) | published |",
             "|---|---|---|---|---|---|---|"]
    for report in reports:
        for name, scores in report["methods"].items():
            contested = (f"{scores['contested_accuracy']:.3f} ({report['contested']})"
                         if "contested" in report else "")
            lines.append(f"| {report['dataset']} | {report['n']} | {name} | **{scores['accuracy']:.3f}** | "
                         f"{cell(scores.get('ties_as_wrong'))} | {contested} | "
                         f"{cell(report.get('published', {}).get(name))} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None, help="folder or hub id; default: the shipped model")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--data-dir", type=Path, default=default_data_dir())
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    console = Console(stderr=True)
    scorer = NLIScorer(args.model, device=args.device)
    hedge_classifier = load_hedge_classifier(Path(args.model) if args.model else default_model_path())
    args.output.mkdir(parents=True, exist_ok=True)
    reports = []
    started = time.perf_counter()
    for name in (*PROJECT_TESTS, *BENCHMARK_NAMES):
        if name in PROJECT_TESTS:
            items, ids, _ = read_labelled_pairs(PROJECT_TESTS[name])
            labels = LABELS
        else:
            items, labels = load_benchmark(name, args.data_dir)
            ids = None
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task(name, total=len(items))
            report, _ = evaluate(items, labels, name, scorer, ids, args.batch_size, lambda n: progress.advance(task, n),
                                 hedge_classifier)
        (args.output / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        console.print(f"{name}: {headline(report)[0]} {headline(report)[1]:.3f}")
        reports.append(report)

    truth_reports = []
    for dataset in TRUTH_DATASETS:
        report = run_dataset(dataset, args.data_dir, args.model, scorer.device, args.batch_size)
        (args.output / f"truth_{dataset}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        console.print(f"truth discovery, {dataset}: " + ", ".join(
            f"{name} {scores['accuracy']:.3f}" for name, scores in report["methods"].items()))
        truth_reports.append(report)

    table = markdown_table(reports) + "\n\n" + phenomena_lines(reports) + "\n\n" + truth_table(truth_reports)
    hedge_detector = "the model folder's hedge classifier" if hedge_classifier else "the hedge-cue lexicon"
    (args.output / "README.md").write_text(
        f"# Benchmark results\n\nModel: `{scorer.model_name}`. Written by `python -m eval.run_all` "
        f"in {time.perf_counter() - started:.0f} s. Szeged rows measure sentence-level hedge detection "
        f"({hedge_detector}). Truth-discovery rows: majority vote and TruthFinder on the claim graph "
        f"(`detector sources --dataset`); on emergent, stances come from this model (`/detector`) or from the "
        f"gold annotation (`/gold`).\n\n{table}\n",
        encoding="utf-8",
    )
    print(table)


if __name__ == "__main__":
    main()
