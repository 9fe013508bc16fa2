"""The ``detector`` command line: a thin typer layer over the Python API.

Exit codes: 0 on success; 1 when a batch run skipped bad lines (the rest is scored and written);
2 when the run is refused (bad arguments, missing files or models, empty claims).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from transformers.utils import logging as hf_logging

from detector.labels import LABELS
from detector.pair_files import InputFileError, ResultWriter, read_pairs
from detector.scoring import ModelLoadError, NLIScorer, PairScore

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


def fail(message: str) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)


@app.callback()
def main() -> None:
    """Find where news claims contradict, confirm or hedge each other.

    A pair's label is the relation of claim B to claim A: contradiction, entailment, hedge or neutral.
    """


def _load_scorer(model: str | None, device: Device, max_length: int | None) -> NLIScorer:
    # transformers' own load report and progress bars would bury the one-line answers.
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        with err.status("loading model…"):
            return NLIScorer(model, device=device.value, max_length=max_length)
    except ModelLoadError as error:
        fail(str(error))


CSV_COLUMNS = ["id", "claim_a", "claim_b", "label", *(f"p_{label}" for label in LABELS),
               "hedge_cues_a", "hedge_cues_b", "model", "truncated"]


def _cue_texts(cues) -> str:
    return "; ".join(cue.text for cue in cues)


def _flat_row(score: PairScore, pair_id) -> dict:
    row = {"id": pair_id, "claim_a": score.claim_a, "claim_b": score.claim_b, "label": score.label}
    row.update({f"p_{label}": score.probs[label] for label in LABELS})
    row.update(
        hedge_cues_a=_cue_texts(score.hedge_cues_a),
        hedge_cues_b=_cue_texts(score.hedge_cues_b),
        model=score.model,
        truncated=score.truncated,
    )
    return row


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
    out.print(f"hedge cues in A: {_cue_texts(score.hedge_cues_a) or 'none'}", highlight=False)
    out.print(f"hedge cues in B: {_cue_texts(score.hedge_cues_b) or 'none'}", highlight=False)
    out.print(f"model: {score.model}" + (" (both directions)" if score.both_directions else ""), highlight=False)


def _warn_truncated(where: str, max_length: int) -> None:
    err.print(f"[yellow]warning:[/] {where}: pair is longer than {max_length} tokens and was truncated", highlight=False)


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
        skipped = _score_file(input, output, model, device, both_directions, batch_size, max_length)
        raise typer.Exit(1 if skipped else 0)
    if claim_a is None or claim_b is None:
        fail("give two claims (claim A and claim B), or --input FILE")
    for name, claim in (("A", claim_a), ("B", claim_b)):
        if not claim.strip():
            fail(f"claim {name} is empty")
    scorer = _load_scorer(model, device, max_length)
    result = scorer.predict([(claim_a, claim_b)], batch_size=1, both_directions=both_directions)[0]
    if result.truncated:
        _warn_truncated("claims", scorer.max_length)
    if json_output:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_score(result)


def _score_file(
    input: Path, output: Path | None, model: str | None, device: Device,
    both_directions: bool, batch_size: int, max_length: int | None,
) -> int:
    """Score a pair file; return how many lines were skipped."""
    try:
        records, problems = read_pairs(input)
    except InputFileError as error:
        fail(str(error))
    for problem in problems:
        err.print(f"[yellow]skipped[/] {problem}", highlight=False)
    if output is not None and output.resolve() == input.resolve():
        fail("--output would overwrite --input")
    scorer = _load_scorer(model, device, max_length)
    try:
        writer = ResultWriter(output, CSV_COLUMNS) if output else None
    except (InputFileError, OSError) as error:
        fail(str(error))

    counts: Counter[str] = Counter()
    progress = Progress(
        TextColumn("scoring"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True
    )
    with progress:
        task = progress.add_task("scoring", total=len(records))
        for start in range(0, len(records), batch_size):
            batch = records[start : start + batch_size]
            results = scorer.predict([(r.claim_a, r.claim_b) for r in batch], batch_size=batch_size,
                                     both_directions=both_directions)
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
            progress.advance(task, len(batch))
    if writer is not None:
        writer.close()
    summary = ", ".join(f"{counts[label]} {label}" for label in LABELS)
    err.print(f"scored {len(records)} pairs ({summary}); skipped {len(problems)} bad lines"
              + (f"; wrote {output}" if output else ""), highlight=False)
    return len(problems)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
