"""Choose how far the comparison of figures moves the model, on the project's dev pairs.

    python -m eval.quantities [--model FOLDER] [--weights 0 0.5 1 1.5 2 3] [--test]

Scores the dev pairs once with the figures left out (``number_weight=0``), then re-weighs the
probabilities with :func:`detector.reasons.weigh_numbers` for each weight and each way of reading
figures: the project's patterns (:mod:`detector.quantities`, bounds included) and quantulum3's
parser (values and units, no bounds; only where ``pip install quantulum3`` was run). Prints
accuracy on the pairs whose phenomenon involves numbers or dates (``number``, ``date``,
``update``) and macro-F1 on all dev pairs, and writes ``eval/results/quantities.json``. The
shipped ``NUMBER_WEIGHT`` is chosen here, on dev only; ``--test`` then reports the chosen weight
once on the test pairs.
"""

from __future__ import annotations

import argparse
import json

import numpy as np
from sklearn.metrics import accuracy_score, f1_score

from detector import quantities
from detector.evaluation import NUMBER_PHENOMENA, read_clean_labelled_pairs
from detector.labels import LABELS
from detector.reasons import NUMBER_WEIGHT, figure_reasons, weigh_numbers
from detector.scoring import NLIScorer
from eval import ROOT, repo_relative

QUANTULUM_KINDS = {"percentage": "percent", "dimensionless": "count", "metre": "length", "kilometre": "length",
                   "mile": "length", "hour": "duration", "day": "duration", "week": "duration", "tonne": "mass",
                   "kilogram": "mass", "dollar": "money:usd", "euro": "money:eur", "pound sterling": "money:gbp"}
QUANTULUM_FACTORS = {"kilometre": 1000, "mile": 1609.34, "day": 24, "week": 168, "tonne": 1000}


def quantulum_extractor():
    """quantulum3's reading of a claim as :class:`~detector.quantities.Quantity` values (exact, no
    bounds), or None when it is not installed. Its unit classifier is a pickle: it stays off."""
    try:
        from quantulum3 import classifier, parser
    except ImportError:
        return None
    classifier.USE_CLF = False

    def extract(text: str) -> list[quantities.Quantity]:
        found = []
        for parsed in parser.parse(text):
            kind = QUANTULUM_KINDS.get(parsed.unit.name)
            if kind is None:
                continue
            value = parsed.value * QUANTULUM_FACTORS.get(parsed.unit.name, 1)
            start, end = parsed.span
            noun = quantities._counted_noun(text, end) if kind == "count" else ""
            found.append(quantities.Quantity(parsed.surface, value, value, kind, noun, start=start, end=end))
        return found

    return extract


def measure(pairs, probs: np.ndarray, reasons: list[list[dict]], weight: float) -> dict:
    gold = [pair.label for pair in pairs]
    predicted = [LABELS[int(np.argmax(weigh_numbers(p, r, weight)))] for p, r in zip(probs, reasons)]
    numeric = [i for i, pair in enumerate(pairs) if pair.phenomenon in NUMBER_PHENOMENA]
    return {
        "weight": weight,
        "numbers_and_dates_accuracy": accuracy_score([gold[i] for i in numeric], [predicted[i] for i in numeric]),
        "numbers_and_dates_n": len(numeric),
        "macro_f1": f1_score(gold, predicted, labels=list(LABELS), average="macro"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None, help="model folder (default: the shipped model)")
    parser.add_argument("--weights", type=float, nargs="+", default=[0, 0.5, 1, 1.5, 2, 3])
    parser.add_argument("--test", action="store_true", help="also report the shipped weight on the test pairs")
    args = parser.parse_args()

    scorer = NLIScorer(args.model, device="cpu", number_weight=0)
    splits = ["dev", "test"] if args.test else ["dev"]
    readers = {"patterns": quantities.extract_quantities}
    if (extractor := quantulum_extractor()) is not None:
        readers["quantulum3"] = extractor
    results = {"model": scorer.model_name, "shipped_weight": NUMBER_WEIGHT, "splits": {}}
    for split in splits:
        pairs = read_clean_labelled_pairs(ROOT / "datasets" / f"claim_pairs_{split}.jsonl")
        scores = scorer.predict([(p.claim_a, p.claim_b) for p in pairs])
        probs = np.array([[score.probs[label] for label in LABELS] for score in scores])
        rows = {}
        for name, reader in readers.items():
            # Only figures move the probabilities (weigh_numbers), so only they are read.
            reasons = [figure_reasons(p.claim_a, p.claim_b, reader) for p in pairs]
            weights = args.weights if split == "dev" else [0, NUMBER_WEIGHT]
            rows[name] = [measure(pairs, probs, reasons, weight) for weight in weights]
            for row in rows[name]:
                print(f"{split} {name:<10} weight {row['weight']:<4} numbers/dates accuracy "
                      f"{row['numbers_and_dates_accuracy']:.3f} (n={row['numbers_and_dates_n']}) "
                      f"macro-F1 {row['macro_f1']:.3f}")
        results["splits"][split] = rows
    output = ROOT / "eval" / "results" / "quantities.json"
    output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {repo_relative(output)}")


if __name__ == "__main__":
    main()
