"""The project's gold articles pass their own checks: quotes verbatim, splits by event, two annotations."""

import subprocess
import sys
from pathlib import Path

from detector.article_gold import gold_pairs, read_gold, read_index

ARTICLES = Path(__file__).resolve().parent.parent / "datasets" / "articles"


def test_gold_articles_validate():
    result = subprocess.run([sys.executable, str(ARTICLES / "validate_gold.py")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "all checks passed" in result.stdout


def test_splits_hold_whole_events_and_gold_pairs_follow_from_disputes():
    index = read_index(ARTICLES)
    splits = {}
    for row in index:
        splits.setdefault(row["event"], set()).add(row["split"])
    assert all(len(names) == 1 for names in splits.values())
    dev = read_gold(ARTICLES, {row["file"] for row in index if row["split"] == "dev"})
    assert dev and all(splits[d["event"]] == {"dev"} for d in dev)
    labels = {label for _, _, label in gold_pairs(dev)}
    assert labels == {"contradiction", "hedge"}
