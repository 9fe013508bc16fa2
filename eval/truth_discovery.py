"""Truth discovery benchmarks: majority vote against TruthFinder, side by side from the same run.

    python -m eval.truth_discovery [--dataset book|population|emergent|all] [--data-dir DIR] [--device cpu]

Writes ``eval/results/truth_<dataset>.json``; what each benchmark measures is documented in
:mod:`detector.truth_eval`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from detector.public_data import default_data_dir
from detector.truth_eval import DATASETS, print_report, run_dataset

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=(*DATASETS, "all"), default="all")
    parser.add_argument("--data-dir", type=Path, default=None, help="default: $DETECTOR_DATA or ../shared/datasets")
    parser.add_argument("--model", default=None, help="NLI model for emergent stances (default: the shipped model)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--output-dir", type=Path, default=RESULTS)
    args = parser.parse_args()
    data_dir = args.data_dir or default_data_dir()
    for dataset in DATASETS if args.dataset == "all" else (args.dataset,):
        report = run_dataset(dataset, data_dir, args.model, args.device, args.batch_size)
        args.output_dir.mkdir(parents=True, exist_ok=True)
        path = args.output_dir / f"truth_{dataset}.json"
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print_report(report)
        print(f"  wrote {path}")


if __name__ == "__main__":
    main()
