"""Compare models and calibrations on the project's dev pairs without fitting and measuring on the same pairs.

    python -m eval.calibration_cv [MODEL_FOLDER ...] [--data datasets/claim_pairs_dev.jsonl] [--repeats 10]

The dev pairs both choose between training recipes and fit the shipped calibration, so a score
measured on the pairs a calibration was fitted on flatters it. Here each model's dev logits are
split by repeated stratified 5-fold cross-validation: a temperature, and a temperature with label
offsets (what ``detector calibrate`` fits), are fitted on four folds and measured on the fifth.
Reported per model, averaged over the repeats: macro-F1 of the uncalibrated argmax (which a
temperature alone does not change), the held-out log-loss with a temperature, and the held-out
macro-F1 and log-loss with a temperature and offsets.
Default model: the shipped one. Writes ``results/calibration_cv.json``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from scipy.special import log_softmax
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from detector.calibration import fit_temperature, fit_temperature_and_offsets
from detector.evaluation import read_clean_labelled_pairs
from detector.labels import LABELS
from detector.scoring import default_model_path
from detector.training import load_for_calibration, pair_logits
from eval import ROOT, repo_relative

RESULTS = Path(__file__).parent / "results"


def cross_validate(logits: np.ndarray, gold: np.ndarray, repeats: int) -> dict[str, float]:
    """Held-out log-loss of a temperature, and held-out macro-F1 and log-loss of a temperature with
    offsets, each averaged over ``repeats`` shuffled 5-fold splits; and the uncalibrated argmax macro-F1."""
    temperature_losses, joint_losses, joint_f1s = [], [], []
    rows = np.arange(len(gold))
    for seed in range(repeats):
        temperature_log_probs = np.zeros(logits.shape)
        joint_log_probs = np.zeros(logits.shape)
        for fit_rows, held_rows in StratifiedKFold(5, shuffle=True, random_state=seed).split(logits, gold):
            temperature = fit_temperature(logits[fit_rows], gold[fit_rows])
            joint_temperature, offsets = fit_temperature_and_offsets(logits[fit_rows], gold[fit_rows])
            temperature_log_probs[held_rows] = log_softmax(logits[held_rows] / temperature, axis=1)
            joint_log_probs[held_rows] = log_softmax(logits[held_rows] / joint_temperature + offsets, axis=1)
        temperature_losses.append(-temperature_log_probs[rows, gold].mean())
        joint_losses.append(-joint_log_probs[rows, gold].mean())
        joint_f1s.append(f1_score(gold, joint_log_probs.argmax(axis=1), average="macro"))
    return {
        "argmax_macro_f1": f1_score(gold, logits.argmax(axis=1), average="macro"),
        "temperature_log_loss": float(np.mean(temperature_losses)),
        "temperature_and_offsets_macro_f1": float(np.mean(joint_f1s)),
        "temperature_and_offsets_log_loss": float(np.mean(joint_losses)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="*", type=Path, help="model folders (default: the shipped model)")
    parser.add_argument("--data", type=Path, default=ROOT / "datasets" / "claim_pairs_dev.jsonl")
    parser.add_argument("--repeats", type=int, default=10, help="how many shuffled 5-fold splits to average")
    args = parser.parse_args()

    pairs = read_clean_labelled_pairs(args.data)
    gold = np.array([LABELS.index(pair.label) for pair in pairs])
    rows = []
    for folder in args.models or [default_model_path()]:
        encoder = load_for_calibration(folder)
        if encoder.model.config.id2label != dict(enumerate(LABELS)):
            raise SystemExit(f"{folder}: labels are not {', '.join(LABELS)} in that order")
        row = {"model": repo_relative(folder), "data": repo_relative(args.data), "pairs": len(pairs), "repeats": args.repeats,
               **cross_validate(pair_logits(encoder, pairs), gold, args.repeats)}
        rows.append(row)
        print(f"{folder}: argmax macro-F1 {row['argmax_macro_f1']:.3f}; held out: temperature log-loss "
              f"{row['temperature_log_loss']:.3f}; temperature+offsets "
              f"macro-F1 {row['temperature_and_offsets_macro_f1']:.3f} log-loss "
              f"{row['temperature_and_offsets_log_loss']:.3f}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "calibration_cv.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
