"""Flag precision and recall on the project's invented articles with gold flags.

    python -m eval.flag_articles [--model FOLDER] [--articles datasets/articles] [--min-score 0.5]

All articles are flagged into one throw-away store (so the two articles on the same event are
compared), and the flags are matched against ``gold_flags.jsonl``. A flag matches a gold flag
when its two claims hold the gold's two claim substrings (in either order) and the labels agree.
Precision counts every contradiction or hedge flagged; recall counts the gold flags found. The
gold lists every within-article flag but only a selection of cross-article ones, so precision
is a lower bound. Speaker agreement is the share of matched flags whose two speakers name the
gold speakers (by surname or, for narration, as narration).

These articles were also used while developing the attribution rules and choosing the pairing
defaults (``k``, the similarity floor), so they measure development progress, not held-out
performance.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from detector.articles import Article, read_articles
from detector.flagging import FLAG_LABELS, Flag, Flagger
from detector.pairing import load_embedder
from detector.scoring import NLIScorer
from detector.store import ClaimStore

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results"


def _holds(claim_text: str, fragment: str) -> bool:
    fragment, claim_text = " ".join(fragment.split()), " ".join(claim_text.split())
    return fragment in claim_text or claim_text.rstrip(".”\"") in fragment


def _same_speaker(gold: str, predicted: str, narration: bool) -> bool:
    """Whether a predicted speaker names the gold one: by surname, or both the outlet's narration."""
    if gold.lower().startswith("news report"):
        return narration
    chunks = [c for c in re.sub(r"\([^)]*\)", "", gold).split(",") if c.strip()]
    named = next((c for c in chunks if len(re.findall(r"\b[A-Z][\w’'-]+", c)) >= 2), chunks[0] if chunks else gold)
    words = re.findall(r"\b[A-Z][\w’'-]+", named) or named.split()
    return bool(words) and words[-1].lower() in predicted.lower()


def match(flags: list[Flag], gold: list[dict]) -> dict:
    """Match flags to gold; returns counts and the unmatched items on both sides."""
    matched_gold, matched_flags, speakers_right = set(), set(), 0
    for g, item in enumerate(gold):
        for f, flag in enumerate(flags):
            if {Path(item["article_a"]).stem, Path(item["article_b"]).stem} != {flag.article_a, flag.article_b}:
                continue
            forward = _holds(flag.claim_a.text, item["claim_a"]) and _holds(flag.claim_b.text, item["claim_b"])
            backward = _holds(flag.claim_b.text, item["claim_a"]) and _holds(flag.claim_a.text, item["claim_b"])
            if (forward or backward) and flag.label == item["label"]:
                if g not in matched_gold:
                    a, b = (flag.claim_a, flag.claim_b) if forward else (flag.claim_b, flag.claim_a)
                    speakers_right += _same_speaker(item["speaker_a"], a.speaker, a.narration) and \
                        _same_speaker(item["speaker_b"], b.speaker, b.narration)
                matched_gold.add(g)
                matched_flags.add(f)
    precision = len(matched_flags) / len(flags) if flags else 0.0
    recall = len(matched_gold) / len(gold) if gold else 0.0
    return {
        "flags": len(flags), "gold": len(gold), "matched_flags": len(matched_flags), "matched_gold": len(matched_gold),
        "precision": round(precision, 4), "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "speaker_agreement": round(speakers_right / len(matched_gold), 4) if matched_gold else 0.0,
        "missed": [gold[g] for g in range(len(gold)) if g not in matched_gold],
    }


def evaluate_articles(folder: Path, scorer: NLIScorer, embedder, min_score: float = 0.5) -> dict:
    """Flag every article in ``folder`` and score the flags against its gold_flags.jsonl."""
    gold = [json.loads(line) for line in (folder / "gold_flags.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    articles = [a for a in read_articles(sorted(folder.glob("*.txt"))) if isinstance(a, Article)]
    flagger = Flagger(scorer, embedder, ClaimStore())
    started = time.perf_counter()
    for article in articles:
        flagger.add(article)
    flags = flagger.flags(min_score=min_score)
    report = {"model": scorer.model_name, "dataset": "articles", "articles": len(articles),
              "claims": len(flagger.store.claims), "min_score": min_score,
              "seconds": round(time.perf_counter() - started, 1), **match(flags, gold)}
    for label in FLAG_LABELS:
        subset = [g for g in gold if g["label"] == label]
        report[f"recall_{label}"] = match([f for f in flags if f.label == label], subset)["recall"]
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="NLI model folder or hub id (default: the shipped model)")
    parser.add_argument("--articles", type=Path, default=ROOT / "datasets" / "articles")
    parser.add_argument("--min-score", type=float, default=0.5)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--output", type=Path, default=RESULTS / "articles.json")
    args = parser.parse_args()
    scorer = NLIScorer(args.model, device=args.device)
    report = evaluate_articles(args.articles, scorer, load_embedder(device=scorer.device), args.min_score)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{report['articles']} articles, {report['claims']} claims, {report['flags']} flags, {report['gold']} gold flags")
    print(f"precision {report['precision']:.3f}  recall {report['recall']:.3f}  F1 {report['f1']:.3f}  "
          f"(recall: contradiction {report['recall_contradiction']:.3f}, hedge {report['recall_hedge']:.3f}); "
          f"speaker agreement on matches {report['speaker_agreement']:.3f}; wrote {args.output}")


if __name__ == "__main__":
    main()
