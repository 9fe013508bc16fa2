"""Flagging measured on the project's invented multi-outlet articles with gold disputes.

    python -m eval.flag_articles --split dev --choose     # sweep the policy, choose it, save it
    python -m eval.flag_articles --split test             # measure the saved policy, once

The articles of one split (``datasets/articles/index.tsv``: dev and test hold different events)
are flagged into one throw-away store, as a newsroom would feed them, and compared with
``gold_disputes.jsonl``. Gold pairs follow from the gold disputes: a claim that asserts and one
that contradicts the same proposition make a contradiction, a hedging claim and a firm one
(asserting or contradicting) make a hedge. Reported:

- pair precision and recall of contradiction and hedge flags under the flag policy, and over
  a sweep of policies (the precision/recall curve);
- dispute purity: the share of a predicted dispute's claims that belong to its most common gold
  dispute (claims in no gold dispute count against it), over all predicted disputes' claims;
- gold disputes found: those with a claim on each side of one predicted dispute;
- cross-story flags: the share of flags whose two articles tell different gold events;
- stories: pairwise precision and recall of "same story" against the gold events;
- speaker agreement: the share of gold claims whose extracted claim names the gold speaker.

``--choose`` (dev only) picks the policy with the highest recall whose precision reaches
``--target-precision`` and writes it to the model folder's ``flag_policy.json``, where
``detector flag`` reads it. The test split is never used to choose anything.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from dataclasses import replace
from itertools import combinations
from pathlib import Path

from detector.articles import Article, read_articles
from detector.flagging import FLAG_LABELS, Flag, Flagger, FlagPolicy, stored_flags
from detector.pairing import load_embedder
from detector.relatedness import RelatednessScorer
from detector.scoring import NLIScorer
from detector.article_gold import extracted_claim, gold_pairs, holds, read_gold, read_index, same_speaker
from detector.store import ClaimStore
from detector.subjects import shared_subject
from eval import ROOT, repo_relative

RESULTS = Path(__file__).parent / "results"
ARTICLES = ROOT / "datasets" / "articles"
SCORE_GRID = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
SHARED_GRID = (0, 1, 2, 3)
RELATED_GRID = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def _flag_holds(flag: Flag, first: dict, second: dict) -> bool:
    def at(claim, article, gold):
        return article == Path(gold["article"]).stem and holds(claim.text, gold["quote"])

    return (at(flag.claim_a, flag.article_a, first) and at(flag.claim_b, flag.article_b, second)) or \
        (at(flag.claim_b, flag.article_b, first) and at(flag.claim_a, flag.article_a, second))


def pair_scores(flags: list[Flag], gold: list[tuple[dict, dict, str]]) -> dict:
    correct = [any(label == flag.label and _flag_holds(flag, a, b) for a, b, label in gold) for flag in flags]
    found = [any(label == flag.label and _flag_holds(flag, a, b) for flag in flags) for a, b, label in gold]
    precision = sum(correct) / len(flags) if flags else 0.0
    recall = sum(found) / len(gold) if gold else 0.0
    by_label = {f"recall_{label}": round(sum(f for f, (_, _, l) in zip(found, gold) if l == label)
                                         / max(1, sum(l == label for _, _, l in gold)), 4) for label in FLAG_LABELS}
    return {"flags": len(flags), "gold_pairs": len(gold), "correct_flags": sum(correct), "gold_found": sum(found),
            "precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0, **by_label}


def _gold_dispute_of(entry_article: str, entry_text: str, disputes: list[dict]) -> str | None:
    for dispute in disputes:
        for claim in dispute["claims"]:
            if Path(claim["article"]).stem == entry_article and holds(entry_text, claim["quote"]):
                return dispute["dispute"]
    return None


def dispute_scores(disputes, gold: list[dict]) -> dict:
    """Purity of the predicted disputes and the gold disputes they find."""
    pure = total = 0
    found: set[str] = set()
    for dispute in disputes:
        owners = [_gold_dispute_of(e.article, e.claim.text, gold) for e in dispute.entries]
        known = Counter(o for o in owners if o)
        total += len(owners)
        if known:
            majority, count = known.most_common(1)[0]
            pure += count
            sides = {("for" if e.side in ("asserts", "confirms") else "against")
                     for e, o in zip(dispute.entries, owners) if o == majority}
            if len(sides) == 2:
                found.add(majority)
    return {"disputes": len(disputes), "gold_disputes": len(gold), "gold_disputes_found": len(found),
            "purity": round(pure / total, 4) if total else 0.0}


def same_group_scores(keys: list, gold_group: dict, found_group: dict) -> dict:
    """Pairwise precision and recall of "in the same group" (the same story) against the gold groups."""
    same_gold = {(a, b) for a, b in combinations(keys, 2) if gold_group[a] == gold_group[b]}
    same_found = {(a, b) for a, b in combinations(keys, 2) if found_group[a] == found_group[b]}
    both = len(same_gold & same_found)
    return {"story_pair_precision": round(both / len(same_found), 4) if same_found else 1.0,
            "story_pair_recall": round(both / len(same_gold), 4) if same_gold else 1.0}


def story_scores(flagger: Flagger, events: dict[str, str]) -> dict:
    """The stories found, and how well they match the gold events (:func:`same_group_scores`)."""
    keys = list(events)
    return {"stories": len(set(flagger.stories.story_of[k] for k in keys)), "events": len(set(events.values())),
            **same_group_scores(keys, events, flagger.stories.story_of)}


def speaker_agreement(store: ClaimStore, gold: list[dict]) -> dict:
    found = right = 0
    wrong = []
    for dispute in gold:
        for gold_claim in dispute["claims"]:
            match = extracted_claim(store.claims, gold_claim)
            if match is None:
                continue
            found += 1
            if same_speaker(gold_claim["speaker"], match.speaker, match.narration):
                right += 1
            else:
                wrong.append({"quote": gold_claim["quote"], "gold": gold_claim["speaker"], "found": match.speaker})
    return {"gold_claims_extracted": found, "speaker_agreement": round(right / found, 4) if found else 0.0,
            "speaker_errors": wrong}


def policy_sweep(store: ClaimStore, gold: list[tuple[dict, dict, str]]) -> list[dict]:
    """Pair precision and recall for every policy on the grid, from one pass over the store."""
    every = stored_flags(store, None, FLAG_LABELS, FlagPolicy.every())
    shared = [len(shared_subject(f.claim_a.scored_text, f.claim_b.scored_text)) for f in every]
    rows = []
    for min_related in RELATED_GRID:
        for min_shared in SHARED_GRID:
            for min_score in SCORE_GRID:
                kept = [f for f, n in zip(every, shared) if f.score >= min_score and n >= min_shared
                        and (f.related is None or f.related >= min_related)]
                scores = pair_scores(kept, gold)
                rows.append({"min_score": min_score, "min_shared": min_shared, "min_related": min_related,
                             **{k: scores[k] for k in ("flags", "precision", "recall", "f1")}})
    return rows


def pareto_front(sweep: list[dict]) -> list[dict]:
    """The policies no other policy beats on both precision and recall, by recall."""
    front = [row for row in sweep if row["flags"] and not any(
        o["precision"] >= row["precision"] and o["recall"] >= row["recall"] and
        (o["precision"], o["recall"]) != (row["precision"], row["recall"]) for o in sweep)]
    return sorted({(r["recall"], r["precision"]): r for r in front}.values(), key=lambda r: r["recall"])


def choose(sweep: list[dict], target_precision: float) -> dict:
    """The highest-recall policy whose precision reaches the target, else the most precise one."""
    reaching = [row for row in sweep if row["precision"] >= target_precision and row["flags"]]
    if reaching:
        return max(reaching, key=lambda r: (r["recall"], r["precision"], r["min_related"], r["min_score"]))
    return max(sweep, key=lambda r: (r["precision"], r["recall"]))


def evaluate_split(
    folder: Path, split: str, scorer: NLIScorer, embedder, policy: FlagPolicy, gate: RelatednessScorer | None = None,
    pairing: dict | None = None,
) -> tuple[dict, Flagger]:
    # Fed in order of publication, as a newsroom would receive them.
    index = sorted((row for row in read_index(folder) if split in ("all", row["split"])),
                   key=lambda row: (row["published"], row["file"]))
    meta = {Path(row["file"]).stem: row for row in index}
    gold = read_gold(folder, {row["file"] for row in index})
    articles = [replace(a, outlet=meta[a.id]["outlet"], published=meta[a.id]["published"])
                for a in read_articles([folder / row["file"] for row in index]) if isinstance(a, Article)]
    flagger = Flagger(scorer, embedder, ClaimStore(), relatedness=gate, **(pairing or {}))
    started = time.perf_counter()
    for article in articles:
        flagger.add(article)
    seconds = time.perf_counter() - started
    pairs = gold_pairs(gold)
    flags = flagger.flags(policy=policy)
    events = {a.content_hash: meta[a.id]["event"] for a in articles}
    article_event = {a.id: meta[a.id]["event"] for a in articles}
    cross = sum(article_event[f.article_a] != article_event[f.article_b] for f in flags)
    report = {
        "model": scorer.model_name, "split": split, "articles": len(articles), "claims": len(flagger.store.claims),
        "policy": {"min_score": policy.min_score, "min_shared": policy.min_shared, "min_related": policy.min_related},
        "gate": flagger.relatedness.model_name if flagger.relatedness else None, "seconds": round(seconds, 1),
        **pair_scores(flags, pairs), **dispute_scores(flagger.disputes(policy=policy), gold),
        "cross_story_flag_share": round(cross / len(flags), 4) if flags else 0.0,
        **story_scores(flagger, events), **speaker_agreement(flagger.store, gold),
        "sweep": policy_sweep(flagger.store, pairs),
    }
    return report, flagger


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--choose", action="store_true",
                        help="dev only: choose the policy on the sweep and save it in the model folder")
    parser.add_argument("--target-precision", type=float, default=0.4,
                        help="with --choose: the dev precision to reach (the shipped policy's)")
    parser.add_argument("--model", default=None, help="NLI model folder or hub id (default: the shipped model)")
    parser.add_argument("--articles", type=Path, default=ARTICLES)
    parser.add_argument("--gate", default=None, help="relatedness gate folder (default: the shipped one)")
    parser.add_argument("--no-gate", action="store_true", help="flag without the relatedness gate")
    parser.add_argument("--k", type=int, default=None, help="pairing: nearest claims (default: detector flag's)")
    parser.add_argument("--max-shared", type=int, default=None, help="pairing: claims sharing a name or number")
    parser.add_argument("--min-similarity", type=float, default=None, help="pairing: similarity floor")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--output", type=Path, default=None, help="default: results/articles_<split>.json")
    args = parser.parse_args()
    if args.choose and args.split != "dev":
        parser.error("--choose only on the dev split: the test split is never used to choose")
    scorer = NLIScorer(args.model, device=args.device)
    policy = FlagPolicy.for_model(scorer.model_source)
    gate = None if args.no_gate else RelatednessScorer(args.gate, device=scorer.device)
    embedder = load_embedder(device=scorer.device)
    pairing = {name: value for name, value in (("k", args.k), ("max_shared", args.max_shared),
                                               ("min_similarity", args.min_similarity)) if value is not None}
    report, _ = evaluate_split(args.articles, args.split, scorer, embedder, policy, gate, pairing)

    print(f"{report['articles']} articles, {report['claims']} claims, {report['gold_pairs']} gold pairs "
          f"in {report['gold_disputes']} gold disputes; {report['stories']} stories for {report['events']} events")
    print("precision/recall curve of the pair flags (the Pareto front of the policy sweep):")
    print("  min_related  min_shared  min_score  flags  precision  recall")
    for row in pareto_front(report["sweep"]):
        print(f"  {row['min_related']:>11.2f}  {row['min_shared']:>10}  {row['min_score']:>9.2f}  {row['flags']:>5}  "
              f"{row['precision']:>9.3f}  {row['recall']:>6.3f}")
    if args.choose:
        chosen = choose(report["sweep"], args.target_precision)
        policy = FlagPolicy(chosen["min_score"], chosen["min_shared"], chosen["min_related"])
        path = policy.save(scorer.model_source, {"chosen_on": "datasets/articles dev split (python -m eval.flag_articles "
                                                "--split dev --choose)", "target_precision": args.target_precision,
                                                "dev_precision": chosen["precision"], "dev_recall": chosen["recall"]})
        print(f"chosen: min_score {policy.min_score}, min_shared {policy.min_shared}, min_related "
              f"{policy.min_related} (dev precision "
              f"{chosen['precision']:.3f}, recall {chosen['recall']:.3f}); wrote {repo_relative(path)}")
        report, _ = evaluate_split(args.articles, args.split, scorer, embedder, policy, gate, pairing)
    output = args.output or RESULTS / f"articles_{args.split}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"policy min_score {report['policy']['min_score']}, min_shared {report['policy']['min_shared']}, "
          f"min_related {report['policy']['min_related']}: "
          f"{report['flags']} flags, precision {report['precision']:.3f}, recall {report['recall']:.3f} "
          f"(contradiction {report['recall_contradiction']:.3f}, hedge {report['recall_hedge']:.3f})")
    print(f"disputes {report['disputes']}, purity {report['purity']:.3f}, gold disputes found "
          f"{report['gold_disputes_found']}/{report['gold_disputes']}; cross-story flags "
          f"{report['cross_story_flag_share']:.3f}; story pairs P {report['story_pair_precision']:.3f} "
          f"R {report['story_pair_recall']:.3f}; speaker agreement {report['speaker_agreement']:.3f} on "
          f"{report['gold_claims_extracted']} gold claims; wrote {repo_relative(output)}")


if __name__ == "__main__":
    main()
