"""The ``detector`` command line: a thin typer layer over the Python API.

Exit codes: 0 on success; 1 when a batch run skipped bad lines (the rest is scored and written);
2 when the run is refused (bad arguments, missing files or models, empty claims).
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from transformers.utils import logging as hf_logging

from detector.articles import DEFAULT_MAX_BYTES
from detector.evaluation import (
    BENCHMARK_NAMES,
    evaluate,
    load_benchmark,
    read_clean_labelled_pairs,
    read_labelled_pairs,
    seeded_sample,
)
from detector.labels import LABELS
from detector.metrics import paired_comparison
from detector.pair_files import InputFileError, ResultWriter, read_pairs
from detector.public_data import TRAINING_SETS, DataNotFoundError, default_data_dir
from detector.hedge_classifier import HedgeClassifier, load_hedge_classifier
from detector.scoring import ModelLoadError, NLIScorer, PairScore, default_model_path

app = typer.Typer(
    help="Find where news claims contradict, confirm or hedge each other.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True, soft_wrap=True)


class Device(str, Enum):
    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"


ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model", "-m",
        help="NLI model: a local folder or a Hugging Face hub id (e.g. cross-encoder/nli-deberta-v3-base). "
        "Default: the shipped offline model, or $DETECTOR_MODEL.",
        show_default=False,
    ),
]
DeviceOption = Annotated[Device, typer.Option(help="Where to run the model: auto picks a GPU when there is one.")]
BatchOption = Annotated[int, typer.Option(min=1, help="Pairs per model batch.")]


class Backend(str, Enum):
    torch = "torch"
    onnx = "onnx"


class Precision(str, Enum):
    auto = "auto"
    fp32 = "fp32"
    bf16 = "bf16"
    fp16 = "fp16"


BackendOption = Annotated[Backend, typer.Option(
    help="How the model runs: torch, or onnx (ONNX Runtime on the model folder's int8 export, CPU only; "
    "make it with detector export-onnx).")]
PrecisionOption = Annotated[Precision, typer.Option(
    help="torch's number format: auto is fp16 on a GPU, bf16 on a CPU with bf16 units (AMX, AVX512-BF16), "
    "else fp32.")]
ThreadsOption = Annotated[int | None, typer.Option(min=1, help="CPU threads for the model (default: one per core).",
                                                   show_default=False)]


@dataclass
class Speed:
    """How a scorer runs, as the command line asked."""

    backend: Backend = Backend.torch
    precision: Precision = Precision.auto
    threads: int | None = None


def fail(message: str) -> NoReturn:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(2)


@app.callback()
def main() -> None:
    """Find where news claims contradict, confirm or hedge each other.

    A pair's label is the relation of claim B to claim A: contradiction, entailment, hedge or neutral.
    """


def _load_scorer(model: str | None, device: Device, max_length: int | None, speed: Speed) -> NLIScorer:
    # transformers' own load report and progress bars would bury the one-line answers.
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        with err.status("loading model…"):
            return NLIScorer(model, device=device.value, max_length=max_length, backend=speed.backend.value,
                             precision=speed.precision.value, threads=speed.threads)
    except ModelLoadError as error:
        fail(str(error))


CSV_COLUMNS = ["id", "claim_a", "claim_b", "label", *(f"p_{label}" for label in LABELS),
               "hedge_cues_a", "hedge_cues_b", "uncertain_a", "uncertain_b", "model", "truncated"]


def _cue_texts(cues) -> str:
    return "; ".join(cue.text for cue in cues)


def _flat_row(score: PairScore, pair_id) -> dict:
    row = {"id": pair_id, "claim_a": score.claim_a, "claim_b": score.claim_b, "label": score.label}
    row.update({f"p_{label}": score.probs[label] for label in LABELS})
    row.update(
        hedge_cues_a=_cue_texts(score.hedge_cues_a),
        hedge_cues_b=_cue_texts(score.hedge_cues_b),
        uncertain_a=score.uncertain_a,
        uncertain_b=score.uncertain_b,
        model=score.model,
        truncated=score.truncated,
        reasons="; ".join(_reason_text(reason) for reason in score.reasons),
    )
    return row


def _reason_text(reason: dict) -> str:
    """One reason in words: 'number: exceeded 400 / in the single digits: conflict'."""
    sides = " / ".join(side if side is not None else "–" for side in (reason["a"], reason["b"]))
    return f"{reason['kind']}: {sides}: {reason['relation'].replace('_', ' ')}"


def _print_score(score: PairScore) -> None:
    out.print(f"[bold]{score.label}[/]", highlight=False)
    table = Table(show_header=True, header_style="bold", box=None)
    table.add_column("label")
    table.add_column("probability", justify="right")
    table.add_column("")
    for label in LABELS:
        probability = score.probs[label]
        style = "bold" if label == score.label else ""
        table.add_row(label, f"{probability:.3f}", "█" * round(probability * 30), style=style)
    out.print(table)
    for name, cues, uncertain in (("A", score.hedge_cues_a, score.uncertain_a), ("B", score.hedge_cues_b, score.uncertain_b)):
        verdict = "" if uncertain is None else f" (reads as {'uncertain' if uncertain else 'certain'})"
        out.print(f"hedge cues in {name}: {escape(_cue_texts(cues)) or 'none'}{verdict}", highlight=False)
    for reason in score.reasons:
        out.print(f"reason: {escape(_reason_text(reason))}", highlight=False)
    out.print(f"model: {escape(score.model)}" + (" (both directions)" if score.both_directions else ""), highlight=False)


def _warn_truncated(where: str, max_length: int) -> None:
    err.print(f"[yellow]warning:[/] {escape(where)}: pair is longer than {max_length} tokens and was truncated", highlight=False)


@app.command()
def score(
    claim_a: Annotated[str | None, typer.Argument(help="Claim A, the reference claim.", show_default=False)] = None,
    claim_b: Annotated[str | None, typer.Argument(help="Claim B, labelled by its relation to A.", show_default=False)] = None,
    input: Annotated[
        Path | None,
        typer.Option("--input", "-i", help="Score every pair in a .jsonl or .csv file with claim_a and claim_b fields "
                     "(other fields, such as id, are passed through).", show_default=False),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="With --input: write results to this .jsonl or .csv file "
                     "(default: JSONL on standard output).", show_default=False),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result of a single pair as JSON.")] = False,
    model: ModelOption = None,
    device: DeviceOption = Device.auto,
    backend: BackendOption = Backend.torch,
    precision: PrecisionOption = Precision.auto,
    threads: ThreadsOption = None,
    both_directions: Annotated[
        bool, typer.Option("--both-directions", help="Also score (B, A) and pool the two: contradiction and neutral "
                           "are averaged, entailment and hedge keep the A-to-B split.")
    ] = False,
    batch_size: BatchOption = 32,
    max_length: Annotated[
        int | None, typer.Option(min=8, help="Most tokens per pair; longer pairs are truncated, with a warning. "
                                 "Default: the model's own limit.", show_default=False)
    ] = None,
) -> None:
    """Label claim pairs contradiction, entailment, hedge or neutral, with probabilities and hedge cues.

    Give two claims for one pair, or --input for a file of pairs.
    """
    if input is not None:
        if claim_a is not None or claim_b is not None:
            fail("give either two claims or --input, not both")
        skipped = _score_file(input, output, model, device, both_directions, batch_size, max_length,
                              Speed(backend, precision, threads))
        raise typer.Exit(1 if skipped else 0)
    if claim_a is None or claim_b is None:
        fail("give two claims (claim A and claim B), or --input FILE")
    for name, claim in (("A", claim_a), ("B", claim_b)):
        if not claim.strip():
            fail(f"claim {name} is empty")
    scorer = _load_scorer(model, device, max_length, Speed(backend, precision, threads))
    result = scorer.predict([(claim_a, claim_b)], batch_size=1, both_directions=both_directions)[0]
    if result.truncated:
        _warn_truncated("claims", scorer.max_length)
    if json_output:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_score(result)


def _score_file(
    input: Path, output: Path | None, model: str | None, device: Device,
    both_directions: bool, batch_size: int, max_length: int | None, speed: Speed,
) -> int:
    """Score a pair file; return how many lines were skipped."""
    try:
        records, problems = read_pairs(input)
    except InputFileError as error:
        fail(str(error))
    for problem in problems:
        err.print(f"[yellow]skipped[/] {escape(str(problem))}", highlight=False)
    if output is not None and output.resolve() == input.resolve():
        fail("--output would overwrite --input")
    scorer = _load_scorer(model, device, max_length, speed)
    try:
        writer = ResultWriter(output, CSV_COLUMNS) if output else None
    except (InputFileError, OSError) as error:
        fail(str(error))

    counts: Counter[str] = Counter()
    with _progress("scoring") as progress:
        task = progress.add_task("scoring", total=len(records))
        # Chunks of many batches: length bucketing needs pairs to sort, and each chunk's results
        # are written before the next is scored.
        chunk = batch_size * 32
        for start in range(0, len(records), chunk):
            batch = records[start : start + chunk]
            results = scorer.predict([(r.claim_a, r.claim_b) for r in batch], batch_size=batch_size,
                                     both_directions=both_directions,
                                     on_batch=lambda done: progress.advance(task, done))
            for record, result in zip(batch, results):
                if result.truncated:
                    _warn_truncated(f"{input}:{record.line}", scorer.max_length)
                row = {key: value for key, value in record.fields.items() if key not in ("claim_a", "claim_b")}
                row.update(result.to_dict())
                if writer is not None:
                    writer.write(row, _flat_row(result, record.fields.get("id")))
                else:
                    print(json.dumps(row, ensure_ascii=False), flush=True)
                counts[result.label] += 1
    if writer is not None:
        writer.close()
    summary = ", ".join(f"{counts[label]} {label}" for label in LABELS)
    err.print(f"scored {len(records)} pairs ({summary}); skipped {len(problems)} bad lines"
              + (f"; wrote {output}" if output else ""), highlight=False)
    return len(problems)


def _progress(label: str) -> Progress:
    return Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True
    )


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text).strip("_") or "model"


def _with_interval(report: dict, metric: str) -> str:
    low, high = report["intervals"][metric]
    return f"{report[metric]:.3f} [{low:.3f}, {high:.3f}]"


def _print_report(report: dict) -> None:
    out.print(f"[bold]{escape(report['dataset'])}[/] · {escape(report['model'])}", highlight=False)
    summary = Table(show_header=False)
    summary.add_column(style="bold")
    summary.add_column(justify="right")
    rows = [("pairs", f"{report['n']}"), ("accuracy (95% CI)", _with_interval(report, "accuracy")),
            ("macro-F1 (95% CI)", _with_interval(report, "macro_f1"))]
    if "fnc_score" in report:
        rows.append(("FNC-1 score", f"{report['fnc_score']:.2f}"))
    if "hedge_f1" in report:
        rows += [(f"hedge {name}", f"{report[f'hedge_{name}']:.3f}") for name in ("precision", "recall", "f1")]
    if report["ece"] is not None:
        rows.append(("ECE", f"{report['ece']:.3f}"))
    rows += [("per second", f"{report['pairs_per_second']:.1f}"), ("device", report["device"])]
    for row in rows:
        summary.add_row(*row)
    out.print(summary)
    per_class = Table("label", "precision", "recall", "F1", "support")
    for label, values in report["per_class"].items():
        per_class.add_row(label, *(f"{values[k]:.3f}" for k in ("precision", "recall", "f1")), str(values["support"]))
    out.print(per_class)
    if "by_phenomenon" in report:
        tags = Table("phenomenon", "pairs", "accuracy")
        for tag, values in report["by_phenomenon"].items():
            tags.add_row(tag, str(values["n"]), f"{values['accuracy']:.3f}")
        out.print(tags)


def _model_column(report: dict) -> str:
    # A folder is shown by its name: full paths would squeeze the columns unreadable.
    return Path(report["model"]).name if Path(report["model"]).is_dir() else report["model"]


def _print_comparison(reports: list[dict]) -> None:
    out.print(f"[bold]{escape(reports[0]['dataset'])}[/] · {reports[0]['n']} pairs", highlight=False)
    table = Table()
    table.add_column("metric", style="bold")
    for report in reports:
        table.add_column(_model_column(report), justify="right")
    table.add_row("accuracy (95% CI)", *(_with_interval(r, "accuracy") for r in reports))
    table.add_row("macro-F1 (95% CI)", *(_with_interval(r, "macro_f1") for r in reports))
    metrics = ["ece", "pairs_per_second"] + (["fnc_score"] if "fnc_score" in reports[0] else [])
    for metric in metrics:
        table.add_row(metric, *(f"{r[metric]:.3f}" if r[metric] is not None else "-" for r in reports))
    for label in reports[0]["labels"]:
        table.add_row(f"F1 {label}", *(f"{r['per_class'][label]['f1']:.3f}" for r in reports))
    versus = [r.get("versus") for r in reports]
    table.add_row("macro-F1 − first (95% CI)", "", *(
        f"{v['macro_f1_difference']:+.3f} [{v['macro_f1_difference_interval'][0]:+.3f}, "
        f"{v['macro_f1_difference_interval'][1]:+.3f}]" for v in versus[1:]))
    table.add_row("McNemar p (accuracy)", "", *(f"{v['mcnemar_p']:.3g}" for v in versus[1:]))
    out.print(table)
    for report, against in zip(reports[1:], versus[1:]):
        verdict = "within the noise of these pairs" if against["macro_f1_within_noise"] else "outside the noise"
        out.print(f"{escape(_model_column(report))} vs {escape(_model_column(reports[0]))}: macro-F1 difference "
                  f"{verdict} (paired bootstrap, {against['resamples']} resamples).", highlight=False)


@app.command("eval")
def eval_command(
    models: Annotated[
        list[str] | None,
        typer.Argument(help="With --compare: the models to compare, each a folder or hub id "
                       "('default' is the shipped model).", show_default=False),
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option(help="A JSONL file of labelled pairs in the project's format "
                     "(id, claim_a, claim_b, label; source_a, source_b, phenomenon, note optional).", show_default=False),
    ] = None,
    dataset: Annotated[
        str | None, typer.Option(help=f"A public benchmark's test split: {', '.join(BENCHMARK_NAMES)}.", show_default=False)
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option(help="Where the public data sets are. Default: $DETECTOR_DATA, else ../shared/datasets.",
                     show_default=False),
    ] = None,
    compare: Annotated[bool, typer.Option("--compare", help="Evaluate every model given as an argument "
                                          "on the same pairs and print them side by side.")] = False,
    model: ModelOption = None,
    device: DeviceOption = Device.auto,
    backend: BackendOption = Backend.torch,
    precision: PrecisionOption = Precision.auto,
    threads: ThreadsOption = None,
    batch_size: BatchOption = 32,
    limit: Annotated[int | None, typer.Option(min=1, help="Evaluate a fixed random sample of this many pairs.",
                                              show_default=False)] = None,
    seed: Annotated[int, typer.Option(help="Seed of the --limit sample.")] = 0,
    report: Annotated[Path | None, typer.Option(help="Write the report as JSON (a list of reports with --compare).",
                                                show_default=False)] = None,
    plots: Annotated[Path | None, typer.Option(help="Write a confusion-matrix and a reliability-diagram PNG "
                                               "into this folder.", show_default=False)] = None,
    errors: Annotated[Path | None, typer.Option(help="Write the misclassified pairs as JSONL.", show_default=False)] = None,
) -> None:
    """Measure a model on labelled pairs (--data) or a public benchmark (--dataset).

    Prints accuracy and macro-F1 with 95% bootstrap intervals, per-class scores and calibration
    error (and accuracy per phenomenon tag when the pairs carry one); FNC-1 adds its official
    weighted score, and the Szeged sets report sentence-level hedge precision, recall and F1.
    With --compare, every model after the first is tested against it on the same pairs: the
    macro-F1 difference with a paired-bootstrap interval, and McNemar's exact test on accuracy.
    """
    if (data is None) == (dataset is None):
        fail("give one of --data FILE or --dataset NAME")
    if models and not compare:
        fail("models given as arguments need --compare; use --model for one model")
    if compare and (not models or model is not None):
        fail("--compare takes the models as arguments: detector eval --compare MODEL_A MODEL_B ...")
    skipped, ids = 0, None
    if data is not None:
        try:
            items, ids, problems = read_labelled_pairs(data)
        except InputFileError as error:
            fail(str(error))
        for problem in problems:
            err.print(f"[yellow]skipped[/] {escape(str(problem))}", highlight=False)
        if not items:
            fail(f"no usable pairs in {data}")
        skipped, name, labels = len(problems), data.stem, LABELS
    else:
        folder = data_dir or default_data_dir()
        if not folder.is_dir():
            where = "--data-dir" if data_dir else "$DETECTOR_DATA, then ../shared/datasets"
            fail(f"data directory not found: {folder} (looked at {where})")
        try:
            with err.status(f"reading {dataset} from {folder}…"):
                items, labels = load_benchmark(dataset, folder)
        except (DataNotFoundError, ValueError) as error:
            fail(str(error))
        name = dataset
    keep = seeded_sample(items, limit, seed)
    items = [items[i] for i in keep]
    ids = [ids[i] for i in keep] if ids is not None else [str(i) for i in keep]

    results = []
    for model_name in (models if compare else [model]):
        model_name = None if model_name in (None, "default") else model_name
        # Hedge-sentence sets need no NLI model: only the model folder's hedge classifier.
        scorer = (_load_scorer(model_name, device, None, Speed(backend, precision, threads))
                  if labels is not None else None)
        classifier = load_hedge_classifier(default_model_path() if model_name is None else Path(model_name)) if labels is None else None
        with _progress(f"{name} · {scorer.model_name if scorer else 'hedge detection'}") as progress:
            task = progress.add_task("eval", total=len(items))
            result, rows = evaluate(items, labels, name, scorer, ids, batch_size, lambda n: progress.advance(task, n),
                                    hedge_classifier=classifier)
        results.append((result, rows))

    reports = [result for result, _ in results]
    first_rows = results[0][1]
    for result, rows in results[1:]:
        comparison = paired_comparison([r["gold"] for r in first_rows], [r["predicted"] for r in first_rows],
                                       [r["predicted"] for r in rows], result["labels"])
        result["versus"] = {"model": reports[0]["model"], **comparison}
    if len(reports) > 1:
        _print_comparison(reports)
    else:
        _print_report(reports[0])
    if report is not None:
        report.write_text(json.dumps(reports if len(reports) > 1 else reports[0], indent=2) + "\n", encoding="utf-8")
    if errors is not None:
        wrong = [{**row, "model": result["model"]} for result, rows in results for row in rows
                 if row["gold"] != row["predicted"]]
        _write_jsonl(errors, wrong)
        err.print(f"wrote {len(wrong)} misclassified rows to {escape(str(errors))}", highlight=False)
    if plots is not None:
        from detector.plots import plot_confusion, plot_reliability

        plots.mkdir(parents=True, exist_ok=True)
        for result, rows in results:
            stem = f"{_slug(result['dataset'])}-{_slug(result['model'])}"
            plot_confusion(result, plots / f"{stem}-confusion.png")
            if result["ece"] is not None:
                plot_reliability([max(r["probs"].values()) for r in rows], [r["gold"] == r["predicted"] for r in rows],
                                 f"{result['dataset']} — {result['model']} (ECE {result['ece']:.3f})",
                                 plots / f"{stem}-reliability.png")
        err.print(f"wrote plots to {escape(str(plots))}", highlight=False)
    raise typer.Exit(1 if skipped else 0)


@app.command()
def train(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the trained model to.")],
    recipe: Annotated[
        Path | None, typer.Option(help="A JSON training recipe; models/recipes/default.json and then default-stage2.json "
                                  "(with --base set to the first one's output) build the shipped model.",
                                  show_default=False),
    ] = None,
    public: Annotated[
        list[str] | None, typer.Option("--public", help="Add a public set's training files: "
                                       f"{', '.join(TRAINING_SETS)}. Repeatable.", show_default=False),
    ] = None,
    data: Annotated[
        list[Path] | None, typer.Option("--data", help="Add a JSONL file of labelled pairs in the project's format. "
                                        "Repeatable.", show_default=False),
    ] = None,
    max_per_label: Annotated[int | None, typer.Option(min=1, help="With --public/--data: most pairs per label "
                                                      "from each source.", show_default=False)] = None,
    augment_share: Annotated[float, typer.Option(min=0.0, max=1.0, help="With --public/--data: share of pairs that "
                                                 "also get a hedge, denial or number-change twin.")] = 0.0,
    dev_share: Annotated[float | None, typer.Option(min=0.01, max=0.5, help="Share of the mix held out as dev "
                                                    "(default: the recipe's, else 0.04).", show_default=False)] = None,
    base: Annotated[str | None, typer.Option(help="Start from this 4-way model folder (or hub id) instead of the "
                                             "offline all-MiniLM-L6-v2.", show_default=False)] = None,
    epochs: Annotated[int | None, typer.Option(min=1, help="Epochs (default: the recipe's, else 1); "
                                                "overrides the recipe's stop_after_epochs too.", show_default=False)] = None,
    batch_size: Annotated[int | None, typer.Option(min=1, help="Batch size (default: the recipe's, else 16).", show_default=False)] = None,
    learning_rate: Annotated[float | None, typer.Option(help="Peak learning rate (default: the recipe's, else 4e-5).",
                                                        show_default=False)] = None,
    max_length: Annotated[int | None, typer.Option(min=8, help="Tokens per pair (default: the recipe's, else 128).",
                                                   show_default=False)] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for sampling, augmentation and training (default: the "
                                             "recipe's, else 13).", show_default=False)] = None,
    start_weight_share: Annotated[float | None, typer.Option(help="Share (0 up to, not including, 1) of the "
                                                             "starting weights averaged back into the trained ones "
                                                             "when training ends (default: the recipe's, else 0).",
                                                             show_default=False)] = None,
    precision: Annotated[str | None, typer.Option(help="Training arithmetic: auto (bf16 where the CPU or GPU has bf16 "
                                                  "units, else fp32), bf16 or fp32 (default: the recipe's, else "
                                                  "auto).", show_default=False)] = None,
    data_dir: Annotated[Path | None, typer.Option(help="Where the public data sets are. Default: $DETECTOR_DATA, "
                                                  "else ../shared/datasets.", show_default=False)] = None,
) -> None:
    """Fine-tune a four-way cross-encoder and write a folder that --model loads.

    Dev (a stratified share of the training mix) is scored after every epoch and picks the best
    one; a temperature fitted on dev is saved with the model. A checkpoint is saved every
    save_steps steps (the recipe's, 500 by default) and at every epoch's end: a killed run
    resumes from the last one when started again with the same arguments.
    """
    from detector.recipe import Recipe, Source, build_pairs, dev_file_pairs
    from detector.training import check_settings, train_cross_encoder, uses_bf16

    try:
        plan = Recipe.load(recipe) if recipe else Recipe()
    except (OSError, ValueError, TypeError) as error:
        fail(f"cannot read recipe {recipe}: {error}")
    added = Source(caps=None if max_per_label is None else dict.fromkeys(LABELS, max_per_label), augment_share=augment_share)
    for name in public or []:
        if name not in TRAINING_SETS:
            fail(f"unknown training set {name!r}; choose from {', '.join(TRAINING_SETS)}")
        plan.public[name] = added
    for path in data or []:
        plan.files[str(path)] = added
    if not plan.public and not plan.files:
        fail("nothing to train on: give --recipe, --public or --data")
    overrides = {"base_model": base, "epochs": epochs, "batch_size": batch_size, "learning_rate": learning_rate,
                 "max_length": max_length, "seed": seed, "dev_share": dev_share, "precision": precision,
                 "start_weight_share": start_weight_share}
    for key, value in overrides.items():
        if value is not None:
            setattr(plan, key, value)
    if epochs is not None:
        plan.stop_after_epochs = None  # --epochs N trains N epochs, whatever the recipe's stop
    try:
        uses_bf16(plan.precision)  # a bad precision or schedule fails now, not after minutes of building the mix
        check_settings(plan)
    except ValueError as error:
        fail(str(error))

    folder = data_dir or default_data_dir()
    try:
        with err.status("building the training mix…"):
            train_pairs, dev_pairs = build_pairs(plan, folder)
            domain_pairs = dev_file_pairs(plan)
    except (DataNotFoundError, InputFileError, ValueError) as error:
        fail(str(error))
    counts = Counter(p.label for p in train_pairs)
    err.print(f"training on {len(train_pairs)} pairs ({', '.join(f'{counts[label]} {label}' for label in LABELS)}); "
              f"dev {len(dev_pairs)} pairs", highlight=False)
    started = time.perf_counter()
    try:
        result = train_cross_encoder(train_pairs, dev_pairs, output, plan, domain_pairs)
    except (OSError, ValueError) as error:
        fail(str(error))
    table = Table(show_header=False)
    for name, value in (
        ("dev macro-F1", f"{result.dev_metrics['dev_f1_macro']:.3f}"),
        ("training loss", f"{result.loss_before:.3f} → {result.loss_after:.3f}"),
        ("temperature", f"{result.temperature:.3f}"),
        ("dev ECE", f"{result.ece_before:.3f} → {result.ece_after:.3f}"),
        *(_domain_rows(result.domain_calibration) if result.domain_calibration else []),
        ("trained in", result.trained_in),
        *([("pairs per second", f"{result.train_pairs_per_second:.1f}")] if result.train_pairs_per_second else []),
        ("wall time", f"{time.perf_counter() - started:.0f} s"),
        ("saved to", str(output)),
    ):
        table.add_row(name, value)
    out.print(table)


def _domain_rows(fitted: dict) -> list[tuple[str, str]]:
    return [
        ("domain temperature", f"{fitted['temperature_before']:.3f} → {fitted['temperature']:.3f}"),
        ("label offsets", " ".join(f"{label} {offset:+.2f}" for label, offset in fitted["label_offsets"].items())),
        (f"macro-F1 on the {fitted['pairs']} pairs fitted on",
         f"{fitted['macro_f1_before']:.3f} → {fitted['macro_f1_after']:.3f}"),
        ("ECE there", f"{fitted['ece_before']:.3f} → {fitted['ece_after']:.3f}"),
    ]


@app.command()
def calibrate(
    data: Annotated[list[Path], typer.Option("--data", "-d", help="Labelled pairs (.jsonl or .csv with claim_a, "
                                             "claim_b, label) from the domain the model will score. Repeatable.",
                                             show_default=False)],
    model: Annotated[Path | None, typer.Option("--model", "-m", help="A local model folder; its calibration.json "
                                               "is rewritten. Default: the shipped model.", show_default=False)] = None,
) -> None:
    """Fit the model's temperature and label offsets on your own labelled pairs.

    The model was trained on a mix (mostly FNC-1 and SNLI) whose labels are not spread as in your
    data, and it is more overconfident off that mix; offsets added to its logits and a new
    temperature correct both. Use a few hundred pairs spread over the four labels, and measure
    on other pairs (detector eval).
    """
    from detector.calibration import load_calibration
    from detector.training import fit_domain_calibration, load_for_calibration, write_domain_calibration

    folder = model or default_model_path()
    if not (folder / "config.json").is_file():
        fail(f"not a model folder: {folder}")
    try:
        pairs = [pair for path in data for pair in read_clean_labelled_pairs(path)]
    except (InputFileError, ValueError) as error:
        fail(str(error))
    if not pairs:
        fail("no labelled pairs to fit on")
    temperature, _ = load_calibration(folder)
    with err.status(f"scoring {len(pairs)} pairs…"):
        fitted = fit_domain_calibration(load_for_calibration(folder), pairs, temperature)
    write_domain_calibration(folder, fitted, ", ".join(str(path) for path in data))
    table = Table(show_header=False)
    for name, value in (*_domain_rows(fitted), ("written to", str(folder / "calibration.json"))):
        table.add_row(name, value)
    out.print(table)


@app.command("export-onnx")
def export_onnx_command(
    model: Annotated[Path | None, typer.Option("--model", "-m", help="A local model folder. Default: the shipped model.",
                                               show_default=False)] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Where to write the file. Default: "
                                                "MODEL/onnx/model_qint8.onnx, where --backend onnx looks.",
                                                show_default=False)] = None,
) -> None:
    """Export a model to ONNX with int8 weights, for --backend onnx (ONNX Runtime on the CPU).

    Fastest on CPUs without bf16 units; costs a little accuracy (see eval/README.md).
    Needs ONNX Runtime: pip install -e '.\\[onnx]'.
    """
    try:
        from detector.backends import export_onnx
    except ImportError as error:
        fail(f"{error.name} is missing: pip install -e '.[onnx]'")
    folder = model or default_model_path()
    if not (folder / "config.json").is_file() or not any(folder.glob("*.safetensors")):
        fail(f"{folder} is not a model folder with safetensors weights")
    hf_logging.set_verbosity_error()
    try:
        with err.status(f"exporting {folder}…"):
            written = export_onnx(folder, output)
    except ImportError as error:
        fail(f"{error.name} is missing: pip install -e '.[onnx]'")
    out.print(f"wrote {escape(str(written))} ({written.stat().st_size / 1e6:.1f} MB)", highlight=False)


@app.command("train-hedges")
def train_hedges(
    output: Annotated[Path, typer.Option("--output", "-o", help="JSON file to write, normally "
                                         "models/<model>/hedge_classifier.json.")],
    regularisation: Annotated[float, typer.Option(min=1e-4, help="Inverse L1 strength (C): lower keeps fewer n-grams.")] = 1.0,
    data_dir: Annotated[Path | None, typer.Option(help="Where the public data sets are. Default: $DETECTOR_DATA, "
                                                  "else ../shared/datasets.", show_default=False)] = None,
) -> None:
    """Train the sentence-level hedge classifier on the Szeged uncertainty training documents.

    Wikipedia and biomedical training documents (position not divisible by 5) are used; those at
    positions 1 mod 5 are held out as dev to pick the decision threshold. No test document is read.
    """
    from detector.public_data import load_szeged

    folder = data_dir or default_data_dir()
    try:
        sentences = [s for part in ("wiki", "bio") for s in load_szeged(folder, part, "train")]
    except DataNotFoundError as error:
        fail(str(error))
    fit = [s for s in sentences if s.document % 5 != 1]
    dev = [s for s in sentences if s.document % 5 == 1]
    with err.status(f"fitting on {len(fit)} sentences…"):
        classifier = HedgeClassifier.fit([s.text for s in fit], [s.uncertain for s in fit],
                                         [s.text for s in dev], [s.uncertain for s in dev], regularisation)
    classifier.save(output)
    out.print(f"kept {len(classifier.terms)} n-grams; threshold {classifier.threshold}; "
              f"dev F1 {classifier.training['dev_f1']:.3f}; wrote {output}", highlight=False)



RELATEDNESS_PAIR_FILES = ("claim_pairs_train.jsonl", "claim_pairs_train_batch3.jsonl", "claim_pairs_train_batch4.jsonl",
                          "claim_pairs_train_batch6.jsonl")


@app.command("train-relatedness")
def train_relatedness_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the gate to, normally "
                                         "models/detector-relatedness-minilm-l6.")],
    base: Annotated[Path | None, typer.Option(help="Model to start from. Default: the shipped NLI model, "
                                              "whose encoder already reads claim pairs.", show_default=False)] = None,
    epochs: Annotated[int, typer.Option(min=1)] = 2,
    seed: Annotated[int, typer.Option()] = 13,
    precision: PrecisionOption = Precision.auto,
) -> None:
    """Train the relatedness gate: do two claims bear on the same proposition?

    Trained on the claims of the training articles in datasets/articles (paired as detector flag
    pairs them, labelled by their gold disputes) and the project's labelled training pairs; the
    dev articles choose the epoch. The test articles are never read.
    """
    from detector.pairing import load_embedder
    from detector.relatedness import article_examples, labelled_pair_examples, train_relatedness
    from detector.scoring import default_model_path

    root, folder = Path(__file__).resolve().parent.parent, Path(__file__).resolve().parent.parent / "datasets" / "articles"
    with err.status("pairing the claims of the training and dev articles…"):
        embedder = load_embedder(device="cpu")
        train = article_examples(folder, "train", embedder) + labelled_pair_examples(
            [root / "datasets" / name for name in RELATEDNESS_PAIR_FILES])
        dev = article_examples(folder, "dev", embedder)
    err.print(f"{len(train)} training pairs ({sum(p.related for p in train)} related), "
              f"{len(dev)} dev pairs ({sum(p.related for p in dev)} related)", highlight=False)
    report = train_relatedness(train, dev, output, base or default_model_path(), epochs, seed=seed,
                               precision=precision.value)
    out.print(f"dev average precision {report['dev'].get('dev_average_precision', float('nan')):.3f}; trained in "
              f"{report['trained_in']}, {report['train_seconds']:.0f} s ({report['train_pairs_per_second']} pairs/s); "
              f"wrote {output}", highlight=False)


@app.command()
def flag(
    inputs: Annotated[list[str], typer.Argument(
        help="Articles: .txt or .md files, folders of them, JSONL files of {id, title, text, outlet, published} "
        "objects, or - for stdin.", show_default=False)],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the disputes (or, with --pairs, the "
                                                "flagged pairs) here: .jsonl or .csv.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write a self-contained HTML report here.")] = None,
    pairs: Annotated[bool, typer.Option("--pairs", help="Report flagged pairs of claims instead of disputes.")] = False,
    store: Annotated[Path | None, typer.Option(
        help="SQLite store of past claims: new articles are compared with everything in it, and kept there. "
        "Without it, a throw-away store is used for this run.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="With --pairs: also list entailments (claims that confirm "
                                           "each other).")] = False,
    k: Annotated[int, typer.Option("--k", min=1, help="Compare each claim with its k most similar claims.")] = 10,
    min_similarity: Annotated[float, typer.Option(min=-1.0, max=1.0,
        help="Similarity floor (cosine) for the k nearest claims.")] = 0.3,
    max_shared: Annotated[int, typer.Option(min=0,
        help="Also compare with up to this many claims that share a named entity or number.")] = 5,
    same_speaker: Annotated[bool, typer.Option(help="Also pair claims by the same speaker.")] = False,
    min_score: Annotated[float | None, typer.Option(min=0.0, max=1.0, help="Only flag pairs whose label has this "
        "probability. Default: the model's flag_policy.json (chosen on dev articles), else 0.5.",
        show_default=False)] = None,
    min_related: Annotated[float | None, typer.Option(min=0.0, max=1.0, help="Only flag pairs the relatedness gate "
        "puts at least this likely to be about the same thing. Default: the model's flag_policy.json.",
        show_default=False)] = None,
    min_shared: Annotated[int | None, typer.Option(min=0, help="Only flag pairs whose claims share at least this many "
        "subject words or figure kinds (0: any pair). Default: the model's flag_policy.json.",
        show_default=False)] = None,
    gate: Annotated[bool, typer.Option(help="Use the relatedness gate (models/detector-relatedness-minilm-l6): only "
                                       "pairs about the same proposition are scored and flagged.")] = True,
    outlet: Annotated[str, typer.Option(help="Outlet for articles whose input names none (their narration's speaker).")] = "",
    max_bytes: Annotated[int, typer.Option(min=1, help="Refuse articles larger than this many bytes.")] = DEFAULT_MAX_BYTES,
    top: Annotated[int, typer.Option(min=0, help="Disputes (or pairs) shown in the terminal.")] = 10,
    model: ModelOption = None,
    device: DeviceOption = Device.auto,
    backend: BackendOption = Backend.torch,
    precision: PrecisionOption = Precision.auto,
    threads: ThreadsOption = None,
    batch_size: BatchOption = 32,
) -> None:
    """Find the disputes in articles: what is claimed, who asserts it, who contradicts it, who hedges.

    Each article is split into claims (speaker, reporting verb, hedge cues) and placed in a story
    (articles about the same event); each claim is compared with its most similar claims of the
    same story, from this run and the store. Pairs about the same proposition are scored in both
    directions and grouped into disputes, strongest first. Bad inputs (empty, binary, not UTF-8,
    too large, malformed lines, no sentences) are reported and skipped; exit code 1 then, after
    the rest is done.
    """
    from dataclasses import replace

    from detector.articles import Article, read_articles
    from detector.flagging import ALL_LABELS, FLAG_LABELS, Flagger
    from detector.pairing import load_embedder
    from detector.relatedness import RelatednessScorer
    from detector.reports import (counted, disputes_html, disputes_table, flags_table, html_report, stories_table,
                                  write_disputes, write_flags)
    from detector.store import ClaimStore, StoreError

    for path in (output, html):
        if path is not None and not path.parent.exists():
            fail(f"cannot write {path}: folder {path.parent} does not exist")
    if output is not None and output.suffix.lower() not in (".jsonl", ".csv"):
        fail(f"--output must end in .jsonl or .csv, not {output.name}")
    scorer = _load_scorer(model, device, None, Speed(backend, precision, threads))
    try:
        claim_store = ClaimStore(store if store is not None else ":memory:")
        with err.status("loading embedding model and relatedness gate…"):
            embedder = load_embedder(device=scorer.device)
            relatedness = RelatednessScorer(device=scorer.device) if gate else None
        claim_store.check_models(scorer.model_name, "all-MiniLM-L6-v2",
                                 relatedness.model_name if relatedness else "none")
    except (StoreError, FileNotFoundError) as error:
        fail(str(error))
    flagger = Flagger(scorer, embedder, claim_store, k, min_similarity, max_shared, same_speaker, batch_size,
                      relatedness=relatedness)
    flagger.policy = replace(flagger.policy, **{name: value for name, value in (  # the model's, with the options
        ("min_score", min_score), ("min_related", min_related), ("min_shared", min_shared)) if value is not None})

    items = list(read_articles(inputs, max_bytes=max_bytes, outlet=outlet))
    articles = [item for item in items if isinstance(item, Article)]
    problems = [str(item) for item in items if not isinstance(item, Article)]
    done_hashes, stored_before, added, titles = [], 0, 0, {}
    with Progress(TextColumn("flagging"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  TimeRemainingColumn(), console=err, transient=True) as progress:
        task = progress.add_task("", total=len(articles))
        for article in articles:
            progress.update(task, description=article.id)
            outcome = flagger.add(article)
            if outcome.problem:
                problems.append(f"{article.origin}: {outcome.problem}")
            else:
                done_hashes.append(article.content_hash)
                titles[article.content_hash] = article.id
                stored_before += outcome.already_stored
                added += not outcome.already_stored
            progress.advance(task)
    for problem in problems:
        err.print(f"[yellow]skipped:[/] {escape(str(problem))}", highlight=False)

    if pairs:
        found = flagger.flags(done_hashes, ALL_LABELS if show_all else FLAG_LABELS) if done_hashes else []
        if top:
            out.print(flags_table(found, top))
        if output is not None:
            write_flags(found, output)
        if html is not None:
            html.write_text(html_report(found), encoding="utf-8")
        what = counted(len(found), "flagged pair")
    else:
        found = flagger.disputes(done_hashes) if done_hashes else []
        stories = flagger.stories_of(done_hashes)
        if top:
            if len(done_hashes) > 1:
                out.print(stories_table(stories, titles))
            out.print(disputes_table(found, top))
        if output is not None:
            write_disputes(found, output)
        if html is not None:
            html.write_text(disputes_html(found), encoding="utf-8")
        what = f"{counted(len(found), 'dispute')} in {counted(len(stories), 'story', 'stories')}"
    err.print(
        f"{len(done_hashes)} articles ({added} new, {stored_before} already in the store), "
        f"{len(claim_store.claims)} claims in the store, {what}"
        + (f"; {len(problems)} inputs skipped" if problems else ""),
        highlight=False,
    )
    claim_store.close()
    if problems:
        raise typer.Exit(1)


class SourceKind(str, Enum):
    speaker = "speaker"
    outlet = "outlet"
    both = "both"


class TruthData(str, Enum):
    book = "book"
    population = "population"
    emergent = "emergent"


class Method(str, Enum):
    truthfinder = "truthfinder"
    majority = "majority"


@app.command()
def sources(
    store: Annotated[Path | None, typer.Option(help="A claim store from detector flag --store.")] = None,
    flags: Annotated[Path | None, typer.Option(help="A flag JSONL file from detector flag --output (--all adds support).")] = None,
    dataset: Annotated[TruthData | None, typer.Option(
        help="Instead, measure on a truth-discovery benchmark: majority vote and TruthFinder side by side.")] = None,
    by: Annotated[SourceKind, typer.Option(help="Score speakers, outlets, or both separately.")] = SourceKind.both,
    method: Annotated[Method, typer.Option(help="truthfinder (copies count once, hedges weigh less) or majority.")] = Method.truthfinder,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write one row per source: .jsonl or .csv.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write an HTML report: the sources and the flags behind them.")] = None,
    top: Annotated[int, typer.Option(min=0, help="Sources shown in the terminal table.")] = 30,
    data_dir: Annotated[Path | None, typer.Option(help="Public data sets for --dataset (default: $DETECTOR_DATA or ../shared/datasets).")] = None,
    model: ModelOption = None,
    device: DeviceOption = Device.auto,
) -> None:
    """How far each source can be trusted, from who supports and who contradicts its claims.

    Over a claim store or a flag file, each speaker (and each outlet) gets a reliability in [0, 1]
    with a 90% interval and the claims behind it, each with the sources that supported,
    contradicted or hedged it. A source nothing bears on is "unknown", never 0 or 1.
    """
    from detector.reliability import MajorityVote, TruthFinder, graph_from_flags, graph_from_store
    from detector.reports import html_report, source_rows, sources_section, sources_table

    if sum(x is not None for x in (store, flags, dataset)) != 1:
        fail("give exactly one of --store, --flags or --dataset")
    if dataset is not None:
        _truth_benchmark(dataset.value, data_dir, model, device)
        return
    for path in (output, html):
        if path is not None and not path.parent.exists():
            fail(f"cannot write {path}: folder {path.parent} does not exist")
    if output is not None and output.suffix.lower() not in (".jsonl", ".csv"):
        fail(f"--output must end in .jsonl or .csv, not {output.name}")

    kinds = ["speaker", "outlet"] if by == SourceKind.both else [by.value]
    flag_list = []
    if store is not None:
        from detector.flagging import FlagPolicy, stored_flags
        from detector.store import ClaimStore, StoreError

        if not store.is_file():
            fail(f"claim store not found: {store}")
        try:
            claim_store = ClaimStore(store)
        except StoreError as error:
            fail(str(error))
        graphs = {kind: graph_from_store(claim_store, kind) for kind in kinds}
        # The page lists every stored contradiction and hedge, as the graph scores all of them.
        flag_list = stored_flags(claim_store, policy=FlagPolicy.every())
    else:
        if not flags.is_file():
            fail(f"flag file not found: {flags}")
        rows, problems = _flag_rows(flags)
        for problem in problems:
            err.print(f"[yellow]skipped:[/] {escape(str(problem))}", highlight=False)
        graphs = {kind: graph_from_flags(rows, kind) for kind in kinds}

    estimator = TruthFinder if method == Method.truthfinder else MajorityVote
    results = {}
    for kind, (claims, relations) in graphs.items():
        scores = list(estimator().fit(claims, relations).source_scores_.values())
        scores.sort(key=lambda s: (s.reliability is None, -(s.reliability or 0), -s.evidence, s.source))
        results[kind] = scores
        if top:
            out.print(sources_table(scores, kind, top))
    if not any(results.values()):
        err.print("no claims to score: the input holds none", highlight=False)
    rows_out = [row for kind, scores in results.items() for row in source_rows(scores, kind)]
    if output is not None:
        _write_source_rows(rows_out, output)
    if html is not None:
        sections = "".join(sources_section(scores, kind) for kind, scores in results.items())
        html.write_text(html_report(flag_list, title="detector: source reliability", extra_sections=sections),
                        encoding="utf-8")


def _flag_rows(path: Path) -> tuple[list[dict], list[str]]:
    """Flag JSONL rows; a malformed line is reported with its number and skipped."""
    rows, problems = [], []
    required = {"article_a", "article_b", "claim_a", "claim_b", "label"}
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            problems.append(f"{path}:{number}: not a JSON object")
            continue
        if isinstance(row, dict) and {"proposition", "contradicts"} <= set(row):
            fail(f"{path} holds disputes (detector flag's default output); detector sources reads flagged pairs: "
                 "write them with detector flag --pairs --all --output FILE")
        if not isinstance(row, dict) or not required <= set(row):
            problems.append(f"{path}:{number}: a flag needs {', '.join(sorted(required))}")
        elif row["label"] not in LABELS:
            problems.append(f"{path}:{number}: unknown label {row['label']!r}")
        else:
            rows.append(row)
    return rows, problems


def _write_source_rows(rows: list[dict], path: Path) -> None:
    if path.suffix.lower() == ".jsonl":
        _write_jsonl(path, rows)
        return
    import csv

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "kind", "reliability", "low", "high", "evidence", "claims"])
        for row in rows:
            writer.writerow([row["source"], row["kind"], row["reliability"], row["low"], row["high"], row["evidence"],
                             len(row["claims"])])


def _truth_benchmark(dataset: str, data_dir: Path | None, model: str | None, device: Device) -> None:
    from detector.truth_eval import run_dataset

    try:
        with err.status(f"running {dataset}…"):
            report = run_dataset(dataset, data_dir or default_data_dir(), model,
                                 "cpu" if device == Device.auto else device.value)
    except (DataNotFoundError, ModelLoadError) as error:
        fail(str(error))
    table = Table(title=f"{dataset}: {report['n']} test items, {report['seconds']} s", header_style="bold")
    table.add_column("method")
    table.add_column("accuracy", justify="right")
    structured = "contested" in report
    if structured:
        table.add_column("ties as wrong", justify="right")
        table.add_column(f"contested ({report['contested']})", justify="right")
    table.add_column("published", justify="right")
    for name, scores in report["methods"].items():
        published = report.get("published", {}).get(name)
        extra = [f"{scores['ties_as_wrong']:.3f}", f"{scores['contested_accuracy']:.3f}"] if structured else []
        table.add_row(name, f"{scores['accuracy']:.3f}", *extra, "" if published is None else f"{published:.3f}")
    out.print(table)
    if structured:
        err.print(f"the gold value was claimed by some source for {report['gold_value_claimed']} of "
                  f"{report['n']}; contested: gold items on which the sources disagree")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
