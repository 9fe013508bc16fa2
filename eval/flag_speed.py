"""Time and peak memory of ``detector flag`` on many articles.

    python -m eval.flag_speed [--articles 100] [--device cpu]

The articles are made from the paragraphs of the invented articles in ``datasets/articles``: each
one is a seeded random draw of 6 to 12 paragraphs, so that every article is different (the store
would skip repeats) while the text stays realistic. The command runs in a child process with a
fresh store; its wall time and peak resident memory are written to ``eval/results/flag_speed.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results"


def make_articles(count: int, folder: Path, seed: int = 0) -> None:
    paragraphs = [
        paragraph.strip()
        for path in sorted((ROOT / "datasets" / "articles").glob("*.txt"))
        for paragraph in path.read_text(encoding="utf-8").split("\n\n")
        if paragraph.strip()
    ]
    rng = random.Random(seed)
    for number in range(count):
        chosen = rng.sample(paragraphs, rng.randint(6, 12))
        (folder / f"article{number:04d}.txt").write_text("\n\n".join(chosen) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--model", default=None)
    parser.add_argument("--output", type=Path, default=RESULTS / "flag_speed.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "articles"
        folder.mkdir()
        make_articles(args.articles, folder)
        store = Path(work) / "claims.db"
        command = [sys.executable, "-m", "detector.cli", "flag", str(folder), "--store", str(store), "--device",
                   args.device, "--output", str(Path(work) / "flags.jsonl"), "--top", "0"]
        if args.model:
            command += ["--model", args.model]
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            sys.exit(f"detector flag failed:\n{result.stderr}")
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        db = sqlite3.connect(store)
        claims, relations = (db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("claims", "relations"))
        flags = sum(1 for _ in (Path(work) / "flags.jsonl").open())
    report = {"articles": args.articles, "claims": claims, "pairs_scored": relations, "flags": flags,
              "seconds": round(seconds, 1), "seconds_per_article": round(seconds / args.articles, 2),
              "peak_memory_mb": round(peak_mb), "device": args.device}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
