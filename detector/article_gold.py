"""The project's gold articles: which article tells which event in which split, the gold disputes,
and the gold pairs that follow from them (``datasets/articles``, described in its README).

Both the flagging benchmark (:mod:`eval.flag_articles`) and the training of the relatedness
gate (:mod:`detector.relatedness`) read them through here, so that both see the same gold.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

from detector.claims import Claim
from detector.labels import CONTRADICTION, HEDGE


def _normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split())


def holds(claim_text: str, quote: str) -> bool:
    """Whether an extracted claim is the gold claim: one text holds the other (a clause split
    may leave the claim shorter than the gold quote)."""
    quote, claim_text = _normalise(quote), _normalise(claim_text)
    return quote in claim_text or (len(claim_text) >= 20 and claim_text.rstrip('."') in quote)


def claims_holding(claims: Sequence[Claim], gold_claim: dict) -> list[Claim]:
    """The extracted claims of the gold claim's article that are it (see :func:`holds`)."""
    article = Path(gold_claim["article"]).stem
    return [claim for claim in claims if claim.article_id == article and holds(claim.text, gold_claim["quote"])]


def extracted_claim(claims: Sequence[Claim], gold_claim: dict) -> Claim | None:
    """The first extracted claim that is the gold claim, if any."""
    return next(iter(claims_holding(claims, gold_claim)), None)


def _name_words(text: str) -> set[str]:
    words = re.findall(r"[\w’'-]+", text.lower().replace("’", "'"))
    return {w.removesuffix("'s") for w in words} - {"the", "a", "an", "of", "for", "and", "its", "his", "her", "their"}


def same_speaker(gold: str, predicted: str, narration: bool) -> bool:
    """Whether a predicted speaker names the gold one.

    The outlet's narration matches ``news report (...)``; a person matches by surname (the last
    word of the longest run of capitalised words before the gold's first comma: "Dario Castell,
    chief executive of Brennic Sealines"); and a shorter mention matches when all
    its words are in the gold ("the coast guard" for "Arvelia's coast guard", "Norbeck" for
    "Norbeck Pharma", "the commander of the brigade" for "Colonel Savchuk, commander of the brigade").
    """
    if gold.lower().startswith("news report"):
        return narration
    if narration:
        return False
    gold = re.sub(r"\([^)]*\)", "", gold)
    runs = re.findall(r"\b[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)+", gold.split(",")[0])
    if runs:
        surname = max(runs, key=len).split()[-1].lower().replace("’", "'").removesuffix("'s")
        if surname in _name_words(predicted):
            return True
    mention = _name_words(predicted)
    return bool(mention) and mention <= _name_words(gold)


def read_index(folder: Path) -> list[dict]:
    """The rows of ``index.tsv``: file, event, outlet, published, split (train, dev or test)."""
    rows = []
    for line in (folder / "index.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip():
            file, event, outlet, published, split = line.split("\t")
            rows.append({"file": file, "event": event, "outlet": outlet, "published": published, "split": split})
    return rows


def read_gold(folder: Path, files: set[str]) -> list[dict]:
    """The gold disputes about the given article files."""
    disputes = [json.loads(line) for line in (folder / "gold_disputes.jsonl").read_text(encoding="utf-8").splitlines()
                if line.strip()]
    names = {Path(file).name for file in files}  # index.tsv may name a subfolder (train/...)
    return [d for d in disputes if d["claims"][0]["article"] in names]


def gold_pairs(disputes: list[dict]) -> list[tuple[dict, dict, str]]:
    """(claim, claim, label) for every gold contradiction and hedge, by different speakers."""
    pairs = []
    for dispute in disputes:
        for first, second in combinations(dispute["claims"], 2):
            sides = {first["side"], second["side"]}
            label = CONTRADICTION if sides == {"asserts", "contradicts"} else \
                HEDGE if "hedges" in sides and len(sides) == 2 else None
            if label and first["speaker"] != second["speaker"]:
                pairs.append((first, second, label))
    return pairs
