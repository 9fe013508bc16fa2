"""Check the invented articles, index.tsv and the two dispute annotations; print counts and agreement.

Run from anywhere:  python3 datasets/articles/validate_gold.py
Exits with status 1 if any check fails.

Agreement between ``gold_disputes.jsonl`` (first annotator) and ``gold_disputes_second.jsonl``
(second annotator, blind) is measured on the sentences the claims lie in, since two annotators
rarely cut the same quote:

- claims: F1 of the sets of sentences each annotator placed in some dispute;
- pairs: F1 of the sets of (sentence, sentence, label) contradiction and hedge pairs that follow
  from the disputes (asserts + contradicts = contradiction; hedges + a firm side = hedge);
- disputes: the share of one annotator's disputes whose claims fall mostly (over half of the
  sentences both annotated) into one dispute of the other.
"""

import collections
import json
import re
import sys
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLD, SECOND, INDEX = HERE / "gold_disputes.jsonl", HERE / "gold_disputes_second.jsonl", HERE / "index.tsv"
SIDES = {"asserts", "contradicts", "hedges"}
FIELDS = {"dispute", "event", "proposition", "claims", "note"}
CLAIM_FIELDS = {"article", "quote", "speaker", "side"}
# A sentence ends at . ! or ? (optionally followed by closing quotes) when whitespace and
# an upper-case letter or an opening quote follow, and not after a title ("Dr. Tomas Reyl");
# paragraphs end sentences too.
BOUNDARY = re.compile(r"(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bSt)(?<!\bNo)[.!?][\"”’)]*\s+(?=[A-Z\"“‘])")


def sentence_spans(text):
    spans, start = [], 0
    for m in BOUNDARY.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        for part in re.finditer(r"[^\n]+", text[s:e]):
            out.append((s + part.start(), s + part.end()))
    return out


def read_articles(errors):
    index, articles = {}, {}
    lines = INDEX.read_text(encoding="utf-8").splitlines()
    if lines[0].split("\t") != ["file", "event", "outlet", "published", "split"]:
        errors.append("index.tsv: header must be file, event, outlet, published, split")
    for n, line in enumerate(lines[1:], 2):
        fields = line.split("\t")
        if len(fields) != 5 or fields[4] not in ("train", "dev", "test") or \
                not re.fullmatch(r"\d{4}-\d\d-\d\d", fields[3]) or \
                (fields[4] == "train") != fields[0].startswith("train/"):
            errors.append(f"index.tsv line {n}: {line!r} (training articles, and only they, sit in train/)")
            continue
        index[Path(fields[0]).name] = dict(zip(("event", "outlet", "published", "split"), fields[1:]))
    for path in sorted([*HERE.glob("*.txt"), *HERE.glob("train/*.txt")]):
        if path.name not in index:
            errors.append(f"{path.name}: not in index.tsv")
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            errors.append(f"{path.name}: not UTF-8 ({exc})")
            continue
        words = len(text.split())
        if not 450 <= words <= 800:
            errors.append(f"{path.name}: {words} words, outside 450-800")
        if "\n\n" not in text:
            errors.append(f"{path.name}: no blank-line paragraph breaks")
        articles[path.name] = text
    for name in index:
        if name not in articles:
            errors.append(f"index.tsv: {name} has no article file")
    events = collections.defaultdict(set)
    for name, row in index.items():
        events[row["event"]].add((row["split"], row["outlet"], name))
    for event, rows in events.items():
        if len({split for split, _, _ in rows}) != 1:
            errors.append(f"event {event}: articles in both splits")
        if not 2 <= len(rows) <= 4 or len({outlet for _, outlet, _ in rows}) != len(rows):
            errors.append(f"event {event}: needs 2-4 articles from different outlets")
    return index, articles


def read_disputes(path, index, articles, errors):
    """The disputes of one annotation, each claim placed in its sentence: (article, sentence start)."""
    disputes, ids = [], set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name} line {n}"
        try:
            dispute = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: invalid JSON ({exc})")
            continue
        if set(dispute) != FIELDS or not dispute["claims"]:
            errors.append(f"{where}: fields {sorted(dispute)}")
            continue
        if dispute["dispute"] in ids:
            errors.append(f"{where}: duplicate id {dispute['dispute']}")
        ids.add(dispute["dispute"])
        placed = []
        for claim in dispute["claims"]:
            if set(claim) != CLAIM_FIELDS or claim["side"] not in SIDES:
                errors.append(f"{where}: bad claim {claim}")
                continue
            article = claim["article"]
            if index.get(article, {}).get("event") != dispute["event"]:
                errors.append(f"{where}: {article} is not an article of event {dispute['event']}")
                continue
            text, quote = articles[article], claim["quote"]
            if not 20 <= len(quote) <= 200:
                errors.append(f"{where}: quote of {len(quote)} characters")
            start = text.find(quote)
            if start < 0:
                errors.append(f"{where}: quote not found verbatim in {article}: {quote!r}")
                continue
            span = next(((s, e) for s, e in sentence_spans(text) if s <= start and start + len(quote) <= e), None)
            if span is None:
                errors.append(f"{where}: quote crosses a sentence boundary in {article}")
                continue
            placed.append({**claim, "sentence": (article, span[0])})
        firm = {c["speaker"] for c in placed if c["side"] == "asserts"}
        if not firm or not any(c["side"] != "asserts" and c["speaker"] not in firm for c in placed):
            errors.append(f"{where}: needs an asserting claim and another speaker contradicting or hedging it")
        disputes.append({**dispute, "claims": placed})
    return disputes


def pairs(disputes):
    found = set()
    for dispute in disputes:
        for first, second in combinations(dispute["claims"], 2):
            sides = {first["side"], second["side"]}
            label = "contradiction" if sides == {"asserts", "contradicts"} else \
                "hedge" if "hedges" in sides and len(sides) == 2 else None
            if label and first["speaker"] != second["speaker"] and first["sentence"] != second["sentence"]:
                found.add((*sorted((first["sentence"], second["sentence"])), label))
    return found


def f1(first, second):
    both = len(first & second)
    return 2 * both / (len(first) + len(second)) if first or second else 1.0


def matched_share(disputes, others):
    """Share of ``disputes`` whose sentences fall mostly into one dispute of ``others``."""
    owner = {c["sentence"]: o["dispute"] for o in others for c in o["claims"]}
    matched = 0
    for dispute in disputes:
        owners = collections.Counter(owner[c["sentence"]] for c in dispute["claims"] if c["sentence"] in owner)
        shared = sum(owners.values())
        matched += bool(shared) and owners.most_common(1)[0][1] > shared / 2
    return matched / len(disputes) if disputes else 1.0


def main():
    errors = []
    index, articles = read_articles(errors)
    first = read_disputes(GOLD, index, articles, errors)
    second = read_disputes(SECOND, index, articles, errors)
    for split in ("train", "dev", "test"):
        names = {n for n, row in index.items() if row["split"] == split}
        events = {index[n]["event"] for n in names}
        chosen = [d for d in first if d["event"] in events]
        sides = collections.Counter(c["side"] for d in chosen for c in d["claims"])
        print(f"{split}: {len(names)} articles, {len(events)} events, {len(chosen)} disputes, "
              f"{sum(sides.values())} claims ({', '.join(f'{sides[s]} {s}' for s in sorted(SIDES))}), "
              f"{len(pairs(chosen))} gold pairs")
    # The training articles have one annotation: agreement is measured on dev and test.
    evaluated = {row["event"] for row in index.values() if row["split"] != "train"}
    first = [d for d in first if d["event"] in evaluated]
    claims_1 = {c["sentence"] for d in first for c in d["claims"]}
    claims_2 = {c["sentence"] for d in second for c in d["claims"]}
    pairs_1, pairs_2 = pairs(first), pairs(second)
    print(f"agreement with the blind second annotation: claim sentences F1 {f1(claims_1, claims_2):.3f} "
          f"({len(claims_1)} vs {len(claims_2)}); pairs F1 {f1(pairs_1, pairs_2):.3f} ({len(pairs_1)} vs "
          f"{len(pairs_2)}); disputes matched {matched_share(first, second):.3f} (first in second), "
          f"{matched_share(second, first):.3f} (second in first)")
    shared = claims_1 & claims_2
    sides_1 = {c["sentence"]: c["side"] for d in first for c in d["claims"]}
    sides_2 = {c["sentence"]: c["side"] for d in second for c in d["claims"]}
    if shared:
        same = sum(sides_1[s] == sides_2[s] or {sides_1[s], sides_2[s]} == {"asserts", "contradicts"} for s in shared)
        print(f"on the {len(shared)} sentences both annotated: hedge or firm agreed on {same / len(shared):.3f} "
              "(asserts and contradicts are the same kind here: which one depends on how the proposition is worded)")
    if errors:
        print("\nERRORS:")
        for e in errors:
            print("  " + e)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
