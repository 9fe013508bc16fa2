"""Validate the hand-labelled claim-pair files and print a summary.

Run from anywhere:  python3 datasets/validate_claim_pairs.py
Exits with status 1 if any check fails.
"""

import collections
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = {"dev": HERE / "claim_pairs_dev.jsonl", "test": HERE / "claim_pairs_test.jsonl",
         "train": HERE / "claim_pairs_train.jsonl", "batch3": HERE / "claim_pairs_train_batch3.jsonl",
         "batch4": HERE / "claim_pairs_train_batch4.jsonl",
         "batch5": HERE / "claim_pairs_train_batch5.jsonl", "negated": HERE / "claim_pairs_train_negated_neutrals.jsonl",
         "batch6": HERE / "claim_pairs_train_batch6.jsonl",
         "same_topic_dev": HERE / "claim_pairs_same_topic_dev.jsonl",
         "same_topic_test": HERE / "claim_pairs_same_topic_test.jsonl"}
FIELDS = ["id", "claim_a", "source_a", "claim_b", "source_b", "label", "phenomenon", "note"]
LABELS = ["contradiction", "entailment", "hedge", "neutral"]
EASY_TAG = "lexical-overlap"


def main() -> int:
    errors = []
    rows = []
    for split, path in FILES.items():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            where = f"{path.name}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"{where}: not valid JSON ({exc})")
                continue
            if not isinstance(row, dict):
                errors.append(f"{where}: not a JSON object")
                continue
            if sorted(row) != sorted(FIELDS):
                errors.append(f"{where}: fields {sorted(row)} != {sorted(FIELDS)}")
            for field in FIELDS:
                value = row.get(field)
                if not isinstance(value, str) or not value.strip():
                    errors.append(f"{where}: field {field!r} missing or empty")
            if row.get("label") not in LABELS:
                errors.append(f"{where}: bad label {row.get('label')!r}")
            row["_split"] = split
            rows.append(row)

    ids = collections.Counter(r.get("id") for r in rows)
    errors += [f"duplicate id {i!r} ({n} times)" for i, n in ids.items() if n > 1]
    pairs = collections.Counter((r.get("claim_a"), r.get("claim_b")) for r in rows)
    errors += [f"duplicate pair {p!r}" for p, n in pairs.items() if n > 1]

    total = len(rows)
    print(f"pairs: {total}  (" + ", ".join(f"{s} {sum(r['_split'] == s for r in rows)}" for s in FILES) + ")")
    print(f"{'label':<15}{'all':>5}{'share':>8}" + "".join(f"{split:>8}" for split in FILES) + f"{'hard':>6}{'hard%':>8}")
    for label in LABELS:
        subset = [r for r in rows if r.get("label") == label]
        hard = [r for r in subset if r.get("phenomenon") != EASY_TAG]
        per_split = [sum(r["_split"] == split for r in subset) for split in FILES]
        # The balance is that of the main evaluation files; training and same-topic files lean on purpose.
        evaluation = [r for r in rows if r["_split"] in ("dev", "test")]
        share = sum(r.get("label") == label for r in evaluation) / len(evaluation) if evaluation else 0
        hard_share = len(hard) / len(subset) if subset else 0
        print(f"{label:<15}{len(subset):>5}{share:>8.1%}" + "".join(f"{n:>8}" for n in per_split)
              + f"{len(hard):>6}{hard_share:>8.1%}")
        if not 0.22 <= share <= 0.28:
            errors.append(f"label {label} share {share:.1%} outside 22-28%")
        if hard_share < 1 / 3:
            errors.append(f"label {label} hard share {hard_share:.1%} below one third")

    lis = [r for r in rows if str(r.get("id", "")).startswith("lis-")]
    print(f"Lisichansk (lis-) pairs: {len(lis)}  (dev {sum(r['_split'] == 'dev' for r in lis)}, test {sum(r['_split'] == 'test' for r in lis)})")
    if len(lis) < 40:
        errors.append(f"only {len(lis)} lis- pairs (need >= 40)")
    if total < 320:
        errors.append(f"only {total} pairs (need >= 320)")

    print("phenomenon tags:", dict(sorted(collections.Counter(r.get("phenomenon") for r in rows).items())))
    if errors:
        print(f"\nFAILED: {len(errors)} problem(s)")
        for error in errors:
            print("  " + error)
        return 1
    print("\nOK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
