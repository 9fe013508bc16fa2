"""Choose a second stage's ``start_weight_share`` on the project's dev pairs.

    python -m eval.weight_averaging STAGE1_FOLDER STAGE2_FOLDER [--shares 0,0.25,0.5,0.75,1] [--data FILE]

STAGE2_FOLDER is a second stage trained from STAGE1_FOLDER with ``start_weight_share`` 0 (its
weights as trained). For each share s the weights s × stage 1 + (1 − s) × stage 2 (what a recipe
with ``start_weight_share`` s ships) are scored on the dev pairs as ``eval.calibration_cv``
scores a model, and on the six seed checks (:mod:`eval.seed_checks`) with a temperature and label
offsets fitted on all the dev pairs, as training fits them. Share 0 is the second stage as
trained, share 1 the first stage. Writes ``results/weight_averaging.json``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from detector.calibration import calibrated_probs, fit_temperature_and_offsets
from detector.evaluation import read_clean_labelled_pairs
from detector.labels import LABELS
from detector.public_data import LabelledPair
from detector.training import average_weights, load_for_calibration, pair_logits
from eval import ROOT, repo_relative
from eval.calibration_cv import cross_validate
from eval.seed_checks import SEED_CHECKS

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stage1", type=Path)
    parser.add_argument("stage2", type=Path)
    parser.add_argument("--shares", default="0,0.25,0.5,0.75,1",
                        help="comma-separated shares of the stage-1 weights")
    parser.add_argument("--data", type=Path, default=ROOT / "datasets" / "claim_pairs_dev.jsonl")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--output", type=Path, default=RESULTS / "weight_averaging.json")
    args = parser.parse_args()

    dev = read_clean_labelled_pairs(args.data)
    gold = np.array([LABELS.index(p.label) for p in dev])
    seed_pairs = [LabelledPair(a, b, label) for a, b, label in SEED_CHECKS]
    stage1_weights = load_for_calibration(args.stage1).model.state_dict()
    model = load_for_calibration(args.stage2)
    stage2_weights = {name: tensor.clone() for name, tensor in model.model.state_dict().items()}
    rows = []
    for share in (float(s) for s in args.shares.split(",")):
        model.model.load_state_dict(stage2_weights)
        average_weights(model, stage1_weights, share)
        logits = pair_logits(model, dev)
        temperature, offsets = fit_temperature_and_offsets(logits, gold)
        seed_probs = calibrated_probs(pair_logits(model, seed_pairs), temperature, offsets)
        checks = [
            {"expected": expected, "predicted": LABELS[int(probs.argmax())],
             "probs": {label: round(float(p), 3) for label, p in zip(LABELS, probs)}}
            for (_, _, expected), probs in zip(SEED_CHECKS, seed_probs)
        ]
        row = {"start_weight_share": share, **cross_validate(logits, gold, args.repeats),
               "seed_checks_passed": sum(c["predicted"] == c["expected"] for c in checks), "seed_checks": checks}
        rows.append(row)
        failed = [f"#{i} {c['expected']}→{c['predicted']}" for i, c in enumerate(checks, 1) if c["predicted"] != c["expected"]]
        print(f"share {share:.2f}: argmax macro-F1 {row['argmax_macro_f1']:.3f}; held out: temperature+offsets "
              f"macro-F1 {row['temperature_and_offsets_macro_f1']:.3f} log-loss {row['temperature_and_offsets_log_loss']:.3f}; "
              f"seed checks {row['seed_checks_passed']}/{len(checks)}" + (f" (failed {', '.join(failed)})" if failed else ""), flush=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"stage1": repo_relative(args.stage1), "stage2": repo_relative(args.stage2),
                                       "data": repo_relative(args.data), "repeats": args.repeats, "shares": rows},
                                      indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
