"""Batch flagging on real headlines: the Emergent test split as a stream of one-claim articles.

    python -m eval.flag_emergent

Each headline of the Emergent test split (``url-versions-2015-06-14-clean-test.csv``; test only:
nothing is tuned on it) is an article of one claim, published by its source site
(``edata_all.csv`` names it). All are flagged into one throw-away store with the shipped flag
policy. Gold: headlines ``for`` and ``against`` one Emergent claim contradict each other,
``observing`` headlines hedge the firm ones of their claim, and headlines of different claims
must not be flagged at all. Reported: pair precision and recall for contradictions and hedges,
the share of flags that join headlines of different claims (different stories), dispute purity
(the share of a dispute's claims that belong to its most common Emergent claim), and how well
stories match claims (pairwise precision/recall).
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

from detector.articles import Article
from detector.flagging import FLAG_LABELS, Flagger, FlagPolicy
from detector.labels import CONTRADICTION, HEDGE
from detector.pairing import load_embedder
from detector.public_data import default_data_dir
from detector.relatedness import RelatednessScorer
from detector.scoring import NLIScorer
from detector.store import ClaimStore
from eval import repo_relative
from eval.flag_articles import same_group_scores

RESULTS = Path(__file__).parent / "results"


def read_headlines(data_dir: Path) -> list[dict]:
    """Test-split headlines with their claim, stance and source site."""
    folder = data_dir / "emergent"
    with (folder / "edata_all.csv").open(encoding="utf-8", newline="") as handle:
        sources = {row["articleId"]: row["source"] for row in csv.DictReader(handle)}
    with (folder / "url-versions-2015-06-14-clean-test.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [{"article": row["articleId"], "claim": row["claimId"], "stance": row["articleHeadlineStance"],
             "headline": " ".join(row["articleHeadline"].split()), "source": sources.get(row["articleId"], "")}
            for row in rows]


def gold_label(first: dict, second: dict) -> str | None:
    """The gold relation of two headlines: contradiction, hedge, or None (not to be flagged)."""
    if first["claim"] != second["claim"]:
        return None
    stances = {first["stance"], second["stance"]}
    if stances == {"for", "against"}:
        return CONTRADICTION
    if "observing" in stances and len(stances) == 2:
        return HEDGE
    return None


def as_article(headline: dict) -> Article:
    text = headline["headline"]
    if text[-1:] not in ".!?\"”'’":
        text += "."  # a headline is one sentence
    return Article(headline["article"], text, outlet=headline["source"], origin="emergent")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="NLI model folder or hub id (default: the shipped model)")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--no-gate", action="store_true", help="flag without the relatedness gate")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--output", type=Path, default=RESULTS / "flag_emergent.json")
    args = parser.parse_args()

    headlines = read_headlines(args.data_dir or default_data_dir())
    scorer = NLIScorer(args.model, device=args.device)
    policy = FlagPolicy.for_model(scorer.model_source)
    gate = None if args.no_gate else RelatednessScorer(device=scorer.device)
    flagger = Flagger(scorer, load_embedder(device=scorer.device), ClaimStore(), relatedness=gate)
    started = time.perf_counter()
    by_article = {}
    for headline in headlines:
        article = as_article(headline)
        outcome = flagger.add(article)
        if outcome.problem or outcome.already_stored:  # a headline word for word like an earlier one
            continue
        by_article[article.id] = headline
    seconds = time.perf_counter() - started

    flags = flagger.flags(policy=policy)
    gold = {(a["article"], b["article"]): label for a, b in combinations(by_article.values(), 2)
            if (label := gold_label(a, b))}
    gold |= {(b, a): label for (a, b), label in gold.items()}
    report = {"model": scorer.model_name, "gate": gate.model_name if gate else None,
              "policy": {"min_score": policy.min_score, "min_shared": policy.min_shared,
                         "min_related": policy.min_related},
              "headlines": len(by_article), "claims": len({h["claim"] for h in by_article.values()}),
              "seconds": round(seconds, 1), "flags": len(flags)}
    for label in FLAG_LABELS:
        kept = [f for f in flags if f.label == label]
        right = {tuple(sorted((f.article_a, f.article_b))) for f in kept if gold.get((f.article_a, f.article_b)) == label}
        wanted = {tuple(sorted(pair)) for pair, gold_one in gold.items() if gold_one == label}
        report[label] = {"flags": len(kept), "gold_pairs": len(wanted), "correct": len(right),
                         "precision": round(len(right) / len(kept), 4) if kept else 0.0,
                         "recall": round(len(right) / len(wanted), 4) if wanted else 0.0}
    across = sum(by_article[f.article_a]["claim"] != by_article[f.article_b]["claim"] for f in flags)
    report["cross_claim_flag_share"] = round(across / len(flags), 4) if flags else 0.0

    disputes = flagger.disputes(policy=policy)
    pure = total = 0
    for dispute in disputes:
        owners = Counter(by_article[e.article]["claim"] for e in dispute.entries)
        pure, total = pure + owners.most_common(1)[0][1], total + len(dispute.entries)
    report["disputes"] = len(disputes)
    report["dispute_purity"] = round(pure / total, 4) if total else 0.0

    story_of = {key: flagger.stories.story_of[as_article(headline).content_hash] for key, headline in by_article.items()}
    report["stories"] = len(set(story_of.values()))
    report.update(same_group_scores(list(by_article), {key: h["claim"] for key, h in by_article.items()}, story_of))

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    c, h = report[CONTRADICTION], report[HEDGE]
    print(f"{report['headlines']} headlines on {report['claims']} claims in {report['stories']} stories "
          f"(story pairs P {report['story_pair_precision']:.3f} R {report['story_pair_recall']:.3f}); "
          f"{report['flags']} flags in {report['seconds']:.0f} s")
    print(f"contradiction: precision {c['precision']:.3f} recall {c['recall']:.3f} ({c['correct']} of {c['flags']} "
          f"flags right, {c['gold_pairs']} gold pairs); hedge: precision {h['precision']:.3f} recall {h['recall']:.3f}")
    print(f"flags across claims {report['cross_claim_flag_share']:.3f}; {report['disputes']} disputes, purity "
          f"{report['dispute_purity']:.3f}; wrote {repo_relative(args.output)}")


if __name__ == "__main__":
    main()
