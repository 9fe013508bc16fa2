"""Scoring throughput: the project's scorer against sentence-transformers' ``CrossEncoder.predict``.

    python -m eval.score_speed [--rounds 3] [--fnc-pairs 1400] [--device cpu] [--threads N] [--profile]

The pairs are fixed: the project's claim pairs (``datasets/claim_pairs_*.jsonl``) and a seeded
sample of FNC-1 *training* headlines, each with the body sentence most relevant to it (short
claim pairs, about 35 tokens). In one process, every contender scores all of them once per round,
the contenders taking turns, round after round; a contender's speed is its median round.

Contenders: ``CrossEncoder.predict`` (batch 32) on the shipped model as it loads by default
and in fp32 (the faster of the two is the baseline of the ratios), and ``NLIScorer.predict``
(batch 32: tokens, model, temperature, hedge cues and hedge classifier) with each backend that
runs here. Printed: pairs per second, the ratio to the baseline, the share of labels that agree
with the fp32 CrossEncoder, and macro-F1 on the project's test split. Written to
``eval/results/score_speed.json``. ``--profile`` also prints where one more pass of the project's
torch scorer spends its time (cProfile, by function, own time).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import time
from pathlib import Path

import numpy as np
import torch
from rich.console import Console
from rich.table import Table
from sklearn.metrics import f1_score

from detector.backends import ONNX_FILE, cpu_has_bf16_units
from detector.calibration import load_calibration, offsets_in_order
from detector.evaluation import read_labelled_pairs
from detector.labels import LABELS
from detector.public_data import default_data_dir, load_fnc1
from detector.scoring import NLIScorer, default_model_path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results"
BATCH_SIZE = 32


def benchmark_pairs(data_dir: Path, fnc_pairs: int, seed: int = 0) -> list[tuple[str, str]]:
    project = [(p.claim_a, p.claim_b) for split in ("train", "dev", "test")
               for p in read_labelled_pairs(ROOT / "datasets" / f"claim_pairs_{split}.jsonl")[0]]
    fnc = load_fnc1(data_dir, "train", top_k=1)
    sample = random.Random(seed).sample(fnc, min(fnc_pairs, len(fnc)))
    return project + [(p.claim_a, p.claim_b) for p in sample]


class CrossEncoderContender:
    """sentence-transformers as a user would call it: ``predict`` on the pairs, labels from its config.

    The labels take the folder's ``calibration.json`` into account (its label offsets can change
    the winner), so that label agreement measures the arithmetic alone.
    """

    def __init__(self, folder: Path, device: str, dtype: torch.dtype | None):
        from sentence_transformers import CrossEncoder

        kwargs = {"model_kwargs": {"dtype": dtype}} if dtype is not None else {}
        self.model = CrossEncoder(str(folder), device=device, **kwargs)
        self.id2label = self.model.config.id2label
        self.precision = str(self.model.model.dtype).removeprefix("torch.")
        temperature, offsets = load_calibration(folder)
        self.offsets = temperature * offsets_in_order(offsets, [self.id2label[i] for i in range(len(self.id2label))])

    def labels(self, pairs: list[tuple[str, str]]) -> list[str]:
        logits = self.model.predict(pairs, batch_size=BATCH_SIZE, show_progress_bar=False)
        # argmax(logits / T + b) == argmax(logits + T * b)
        return [self.id2label[int(i)] for i in np.argmax(logits + self.offsets, axis=1)]


class ScorerContender:
    def __init__(self, folder: Path, device: str, backend: str, threads: int | None):
        self.scorer = NLIScorer(folder, device=device, backend=backend, threads=threads)
        self.precision = self.scorer.precision

    def labels(self, pairs: list[tuple[str, str]]) -> list[str]:
        return [score.label for score in self.scorer.predict(pairs, batch_size=BATCH_SIZE)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fnc-pairs", type=int, default=1400)
    parser.add_argument("--model", type=Path, default=None, help="a model folder (default: the shipped model)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads (default: one per core)")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--output", type=Path, default=RESULTS / "score_speed.json")
    parser.add_argument("--profile", action="store_true", help="print where the torch scorer's time goes")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    folder = args.model or default_model_path()
    pairs = benchmark_pairs(args.data_dir or default_data_dir(), args.fnc_pairs)
    test_pairs, _, _ = read_labelled_pairs(ROOT / "datasets" / "claim_pairs_test.jsonl")
    test_gold = [p.label for p in test_pairs]
    test_items = [(p.claim_a, p.claim_b) for p in test_pairs]

    contenders = {
        "CrossEncoder.predict (default load)": CrossEncoderContender(folder, args.device, None),
        "CrossEncoder.predict (fp32)": CrossEncoderContender(folder, args.device, torch.float32),
        "detector torch": ScorerContender(folder, args.device, "torch", args.threads),
    }
    if args.device == "cpu" and (folder / ONNX_FILE).is_file():
        contenders["detector onnx"] = ScorerContender(folder, args.device, "onnx", args.threads)

    console = Console(stderr=True)
    seconds: dict[str, list[float]] = {name: [] for name in contenders}
    labels: dict[str, list[str]] = {}
    for name, contender in contenders.items():  # warm-up: first calls allocate and pick kernels
        contender.labels(pairs[:BATCH_SIZE * 2])
    for round_number in range(1, args.rounds + 1):
        for name, contender in contenders.items():
            started = time.perf_counter()
            labels[name] = contender.labels(pairs)
            seconds[name].append(time.perf_counter() - started)
            console.print(f"round {round_number}: {name}: {len(pairs) / seconds[name][-1]:.0f} pairs/s", highlight=False)

    speed = {name: len(pairs) / statistics.median(times) for name, times in seconds.items()}
    baseline = max((name for name in contenders if name.startswith("CrossEncoder")), key=speed.get)
    reference = labels["CrossEncoder.predict (fp32)"]
    rows = {}
    for name, contender in contenders.items():
        predicted = contender.labels(test_items)
        rows[name] = {
            "precision": contender.precision,
            "pairs_per_second": round(speed[name], 1),
            "ratio_to_baseline": round(speed[name] / speed[baseline], 2),
            "label_agreement_with_fp32": round(float(np.mean([a == b for a, b in zip(labels[name], reference)])), 4),
            "test_macro_f1": round(float(f1_score(test_gold, predicted, labels=list(LABELS), average="macro")), 4),
            "round_seconds": [round(s, 2) for s in seconds[name]],
        }

    table = Table(title=f"{len(pairs)} claim pairs, batch {BATCH_SIZE}, {torch.get_num_threads()} threads, "
                        f"{args.device}, median of {args.rounds} rounds", header_style="bold")
    for column in ("scorer", "format", "pairs/s", "ratio", "label agreement", "test macro-F1"):
        table.add_column(column, justify="left" if column == "scorer" else "right")
    for name, row in rows.items():
        table.add_row(name, row["precision"], f"{row['pairs_per_second']:.0f}", f"{row['ratio_to_baseline']:.2f}",
                      f"{row['label_agreement_with_fp32']:.3f}", f"{row['test_macro_f1']:.3f}")
    table.caption = (f"ratio: to {baseline}; label agreement: with the fp32 CrossEncoder on all pairs; "
                     "test macro-F1: datasets/claim_pairs_test.jsonl")
    Console().print(table)

    report = {"pairs": len(pairs), "project_pairs": len(pairs) - args.fnc_pairs, "fnc_pairs": args.fnc_pairs,
              "batch_size": BATCH_SIZE, "rounds": args.rounds, "threads": torch.get_num_threads(),
              "device": args.device, "cpu_bf16_units": cpu_has_bf16_units(), "machine": platform.processor() or
              platform.machine(), "baseline": baseline, "model": str(folder.name), "contenders": rows}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    console.print(f"wrote {args.output}", highlight=False)
    if args.profile:
        profile(contenders["detector torch"], pairs)


def profile(contender: ScorerContender, pairs: list[tuple[str, str]]) -> None:
    """One pass of the scorer under cProfile: the functions with the most time of their own."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(contender.labels, pairs)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
