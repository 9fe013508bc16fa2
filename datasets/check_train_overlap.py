"""Check that no training pair is a near-copy of a dev or test pair or of a seed-check claim.

Run with the project's virtual environment:  python datasets/check_train_overlap.py
A training pair is flagged when both its claims are above 0.85 cosine similarity (all-MiniLM-L6-v2)
to claims of the dev and test pairs, or when either claim is above 0.85 to a claim of tests/test_seed_checks.py.
Only ids are printed, so the held-out text is never shown. Exits with status 1 when any is flagged.
"""

import json
import re
import sys
from pathlib import Path

from sentence_transformers import SentenceTransformer

from detector.training import offline_base_model
from validate_claim_pairs import FILES  # the one list of the project's pair files, by split

THRESHOLD = 0.85
HELD_OUT = ("dev", "test", "same_topic_dev", "same_topic_test")


def main() -> int:
    model = SentenceTransformer(str(offline_base_model()), device="cpu")

    def load(splits):
        return [json.loads(line) for split in splits
                for line in FILES[split].read_text(encoding="utf-8").splitlines() if line.strip()]

    def embed(texts):
        return model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)

    # Dev counts as held out too: it picks the checkpoint and fits the calibration. So do the
    # same-topic dev and test files.
    train = load([split for split in FILES if split not in HELD_OUT])
    held = load(HELD_OUT)
    seed_text = (Path(__file__).resolve().parent.parent / "tests" / "test_seed_checks.py").read_text(encoding="utf-8")
    seed = embed(re.findall(r'"([^"]{25,})"', seed_text))
    train_a, train_b = embed([r["claim_a"] for r in train]), embed([r["claim_b"] for r in train])
    held_a, held_b = embed([r["claim_a"] for r in held]), embed([r["claim_b"] for r in held])
    flagged = [
        row["id"] for i, row in enumerate(train)
        if ((held_a @ train_a[i]).max() > THRESHOLD and (held_b @ train_b[i]).max() > THRESHOLD)
        or (seed @ train_a[i]).max() > THRESHOLD or (seed @ train_b[i]).max() > THRESHOLD
    ]
    print(f"{len(train)} training pairs checked against {len(held)} dev and test pairs and {len(seed)} seed claims; "
          f"flagged: {flagged or 'none'}")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
