"""Check models on the public pairs the default recipe holds out as dev: a guard for choosing on dev.

    python -m eval.public_dev [MODEL_FOLDER ...] [--recipe models/recipes/default.json]

The project's dev pairs choose between recipes, but a recipe tuned to them alone can lose what
the public training sets taught (FNC-1's disagree class above all), and the public test splits
must not be looked at while choosing. The first-stage recipe holds out a stratified share of its
public training pairs as dev; a second stage that names it in ``exclude_dev_of`` never trains on
them either. This scores each model on those held-out pairs (originals only, not augmented
twins), per public set and on that set's labels as ``detector eval`` does, with the model's
calibration: macro-F1, contradiction F1 and, for FNC-1, the official weighted score.
Default model: the shipped one. Writes ``results/public_dev.json``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from detector.evaluation import evaluate_pairs
from detector.labels import CONTRADICTION, ENTAILMENT, HEDGE, LABELS, NEUTRAL
from detector.public_data import default_data_dir
from detector.recipe import Recipe, build_pairs
from detector.scoring import NLIScorer, default_model_path
from eval import ROOT, repo_relative

RESULTS = Path(__file__).parent / "results"

# The labels each set's gold uses: its pairs are scored on those, as its test split is.
SET_LABELS = {
    "fnc1": LABELS,
    "snli": (CONTRADICTION, ENTAILMENT, NEUTRAL),
    "emergent": (CONTRADICTION, ENTAILMENT, HEDGE),
    "climate-fever": (CONTRADICTION, ENTAILMENT, NEUTRAL),
    "vitaminc": (CONTRADICTION, ENTAILMENT, NEUTRAL),
    "fever-rte": (CONTRADICTION, ENTAILMENT),
    "cad-snli": (CONTRADICTION, ENTAILMENT, NEUTRAL),
    "arc": LABELS,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="*", type=Path, help="model folders (default: the shipped model)")
    parser.add_argument("--recipe", type=Path, default=ROOT / "models" / "recipes" / "default.json",
                        help="the first-stage recipe whose held-out public pairs are scored")
    parser.add_argument("--data-dir", type=Path, default=None, help="public data (default: $DETECTOR_DATA, "
                        "else ../shared/datasets)")
    args = parser.parse_args()

    recipe = Recipe.load(args.recipe)
    _, dev_pairs = build_pairs(recipe, args.data_dir or default_data_dir(), ROOT)
    by_set = {name: [pair for pair in dev_pairs if pair.origin == name] for name in recipe.public}
    rows = []
    for folder in args.models or [default_model_path()]:
        scorer = NLIScorer(folder, device="cpu")
        row = {"model": repo_relative(folder), "recipe": repo_relative(args.recipe)}
        for name, pairs in by_set.items():
            report, _ = evaluate_pairs(scorer, pairs, name, SET_LABELS[name])
            row[name] = {
                "pairs": len(pairs),
                "accuracy": report["accuracy"],
                "macro_f1": report["macro_f1"],
                "contradiction_f1": report["per_class"][CONTRADICTION]["f1"],
                **({"fnc_score": report["fnc_score"]} if "fnc_score" in report else {}),
            }
        rows.append(row)
        print(f"{folder}: " + "; ".join(
            f"{name} ({scores['pairs']}) accuracy {scores['accuracy']:.3f}, macro-F1 {scores['macro_f1']:.3f}, contradiction F1 "
            f"{scores['contradiction_f1']:.3f}" + (f", score {scores['fnc_score']:.2f}" if "fnc_score" in scores else "")
            for name, scores in row.items() if isinstance(scores, dict)))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "public_dev.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
