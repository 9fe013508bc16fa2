"""Check the invented articles and gold_flags.jsonl; print counts.

Run from anywhere:  python3 datasets/articles/validate_gold_flags.py
Exits with status 1 if any check fails.
"""

import collections
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold_flags.jsonl"
FIELDS = ["article_a", "claim_a", "speaker_a", "article_b", "claim_b", "speaker_b", "label", "note"]
LABELS = {"contradiction", "hedge"}
# A sentence ends at . ! or ? (optionally followed by closing quotes) when whitespace and
# an upper-case letter or an opening quote follow.
BOUNDARY = re.compile(r"[.!?][\"”’)]*\s+(?=[A-Z\"“‘])")


def sentence_spans(text):
    spans, start = [], 0
    for m in BOUNDARY.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    # paragraphs also end sentences
    out = []
    for s, e in spans:
        for part in re.finditer(r"[^\n]+", text[s:e]):
            out.append((s + part.start(), s + part.end()))
    return out


def main():
    errors = []
    articles = {}
    for path in sorted(HERE.glob("*.txt")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            errors.append(f"{path.name}: not UTF-8 ({exc})")
            continue
        words = len(text.split())
        if not 450 <= words <= 800:
            errors.append(f"{path.name}: {words} words, outside 450-800")
        if "\n\n" not in text:
            errors.append(f"{path.name}: no blank-line paragraph breaks")
        articles[path.name] = text
        print(f"{path.name}: {words} words")

    counts = collections.Counter()
    cross = collections.Counter()
    per_article = collections.Counter()
    seen = set()
    for n, line in enumerate(GOLD.read_text(encoding="utf-8").splitlines(), 1):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: invalid JSON ({exc})")
            continue
        if sorted(obj) != sorted(FIELDS):
            errors.append(f"line {n}: fields {sorted(obj)}")
            continue
        if any(not isinstance(obj[k], str) or not obj[k].strip() for k in FIELDS):
            errors.append(f"line {n}: empty or non-string field")
        if obj["label"] not in LABELS:
            errors.append(f"line {n}: bad label {obj['label']!r}")
        if obj["speaker_a"] == obj["speaker_b"]:
            errors.append(f"line {n}: same speaker on both sides")
        key = (obj["article_a"], obj["claim_a"], obj["article_b"], obj["claim_b"])
        if key in seen:
            errors.append(f"line {n}: duplicate pair")
        seen.add(key)
        for side in "ab":
            art, claim = obj[f"article_{side}"], obj[f"claim_{side}"]
            if art not in articles:
                errors.append(f"line {n}: unknown article {art}")
                continue
            if not 20 <= len(claim) <= 200:
                errors.append(f"line {n}: claim_{side} is {len(claim)} chars")
            text = articles[art]
            hits = [m.start() for m in re.finditer(re.escape(claim), text)]
            if not hits:
                errors.append(f"line {n}: claim_{side} not found verbatim in {art}: {claim!r}")
                continue
            spans = sentence_spans(text)
            for h in hits:
                if not any(s <= h and h + len(claim) <= e for s, e in spans):
                    errors.append(f"line {n}: claim_{side} crosses a sentence boundary in {art}")
        counts[obj["label"]] += 1
        if obj["article_a"] != obj["article_b"]:
            cross[obj["label"]] += 1
        else:
            per_article[obj["article_a"]] += 1

    total = sum(counts.values())
    print(f"\ngold flags: {total}")
    for label in sorted(counts):
        print(f"  {label}: {counts[label]} ({counts[label] / total:.0%}), cross-article {cross[label]}")
    print(f"  cross-article total: {sum(cross.values())}")
    for art in sorted(articles):
        print(f"  within {art}: {per_article[art]}")
    if errors:
        print("\nERRORS:")
        for e in errors:
            print("  " + e)
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
