"""Time and peak memory of ``detector flag`` as the number of articles grows.

    python -m eval.flag_speed [--sizes 50 100 200 400] [--device cpu] [--backend torch]

The articles are made from the paragraphs of the invented multi-source articles in
``datasets/articles``: each one is a seeded random draw of 6 to 12 paragraphs (quotes from several
outlets and speakers), so that every article is different (the store would skip repeats) while
the text stays realistic. For each size, ``detector flag`` runs in a child process with a fresh
store; its wall time and peak resident memory are measured, and the table shows how time per
article changes with size (constant means linear growth). Written to
``eval/results/flag_speed.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results"


# The seven articles the benchmark was first run on (all dev), so that timings stay comparable as
# datasets/articles grows.
SOURCE_ARTICLES = ("brezhany-capture", "corvane-short-seller", "dolan-extradition", "numara-election",
                   "salonne-sinking-coastguard", "salonne-sinking-survivors", "velquorin-trial")


def make_articles(count: int, folder: Path, seed: int = 0) -> None:
    paragraphs = [
        paragraph.strip()
        for path in (ROOT / "datasets" / "articles" / f"{name}.txt" for name in SOURCE_ARTICLES)
        for paragraph in path.read_text(encoding="utf-8").split("\n\n")
        if paragraph.strip()
    ]
    rng = random.Random(seed)
    for number in range(count):
        chosen = rng.sample(paragraphs, rng.randint(6, 12))
        (folder / f"article{number:04d}.txt").write_text("\n\n".join(chosen) + "\n", encoding="utf-8")


def run_size(count: int, device: str, backend: str, model: str | None) -> dict:
    """One ``detector flag`` run over ``count`` fresh articles into an empty store."""
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "articles"
        folder.mkdir()
        make_articles(count, folder)
        store = Path(work) / "claims.db"
        command = [sys.executable, "-m", "detector.cli", "flag", str(folder), "--store", str(store), "--device",
                   device, "--backend", backend, "--output", str(Path(work) / "disputes.jsonl"), "--top", "0"]
        if model:
            command += ["--model", model]
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        _, _, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if process.returncode not in (None, 0) or usage is None:
            sys.exit(f"detector flag failed:\n{process.stderr.read()}")
        db = sqlite3.connect(store)
        claims, relations = (db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("claims", "relations"))
        disputes = sum(1 for _ in (Path(work) / "disputes.jsonl").open())
    return {"articles": count, "claims": claims, "pairs_scored": relations, "disputes": disputes,
            "seconds": round(seconds, 1), "seconds_per_article": round(seconds / count, 3),
            "pairs_per_second": round(2 * relations / seconds, 1), "peak_memory_mb": round(usage.ru_maxrss / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200, 400])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--backend", default="torch", choices=("torch", "onnx"))
    parser.add_argument("--model", default=None)
    parser.add_argument("--output", type=Path, default=RESULTS / "flag_speed.json")
    args = parser.parse_args()
    runs = []
    for count in args.sizes:
        runs.append(run_size(count, args.device, args.backend, args.model))
        print(json.dumps(runs[-1]), file=sys.stderr)
    table = Table(title=f"detector flag, {args.device}, backend {args.backend}", header_style="bold")
    for column in ("articles", "claims", "pairs scored", "seconds", "s/article", "pairs/s", "peak RSS MB"):
        table.add_column(column, justify="right")
    for run in runs:
        table.add_row(*(str(run[key]) for key in ("articles", "claims", "pairs_scored", "seconds",
                                                  "seconds_per_article", "pairs_per_second", "peak_memory_mb")))
    table.caption = "pairs/s counts both directions (each pair is scored as (A, B) and (B, A))"
    Console().print(table)
    report = {"device": args.device, "backend": args.backend, "runs": runs}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
