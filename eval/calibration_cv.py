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
import torch
from scipy.special import log_softmax
from sentence_transformers import CrossEncoder
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from detector.calibration import fit_temperature, fit_temperature_and_offsets
from detector.evaluation import read_clean_labelled_pairs
from detector.labels import LABELS
from detector.scoring import default_model_path
from detector.training import pair_logits

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results"


def cross_validate(logits: np.ndarray, gold: np.ndarray, repeats: int) -> dict[str, float]:
    """Held-out macro-F1 and log-loss of temperature-only and temperature+offsets calibration."""
    scores = {name: {"macro_f1": [], "log_loss": []} for name in ("temperature", "temperature_and_offsets")}
    # (the temperature's macro-F1 is the argmax's; it is kept out of the result below)
    for seed in range(repeats):
        predicted = {name: np.zeros(len(gold), dtype=int) for name in scores}
        gold_log_prob = {name: np.zeros(len(gold)) for name in scores}
        for fit_rows, held_rows in StratifiedKFold(5, shuffle=True, random_state=seed).split(logits, gold):
            temperature = fit_temperature(logits[fit_rows], gold[fit_rows])
            joint_temperature, offsets = fit_temperature_and_offsets(logits[fit_rows], gold[fit_rows])
            for name, scaled in (("temperature", logits[held_rows] / temperature),
                                 ("temperature_and_offsets", logits[held_rows] / joint_temperature + offsets)):
                log_probs = log_softmax(scaled, axis=1)
                predicted[name][held_rows] = log_probs.argmax(axis=1)
                gold_log_prob[name][held_rows] = log_probs[np.arange(len(held_rows)), gold[held_rows]]
        for name in scores:
            scores[name]["macro_f1"].append(f1_score(gold, predicted[name], average="macro"))
            scores[name]["log_loss"].append(-gold_log_prob[name].mean())
    result = {"argmax_macro_f1": f1_score(gold, logits.argmax(axis=1), average="macro")}
    for name, measures in scores.items():
        for measure, values in measures.items():
            if (name, measure) != ("temperature", "macro_f1"):
                result[f"{name}_{measure}"] = float(np.mean(values))
    return result


def _shown(path: Path) -> str:
    """A path inside the repository relative to it, so that results do not name this machine's folders."""
    resolved = path.resolve()
    return str(resolved.relative_to(ROOT)) if resolved.is_relative_to(ROOT) else str(path)


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
        # fp32, as detector calibrate fits, so that the numbers match what it would ship.
        encoder = CrossEncoder(str(folder), device="cpu", trust_remote_code=False,
                               model_kwargs={"use_safetensors": True, "dtype": torch.float32})
        if encoder.model.config.id2label != dict(enumerate(LABELS)):
            raise SystemExit(f"{folder}: labels are not {', '.join(LABELS)} in that order")
        row = {"model": _shown(folder), "data": _shown(args.data), "pairs": len(pairs), "repeats": args.repeats,
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
