"""Whether two claims are about the same thing: the precision gate in front of every flag.

An NLI model reads two claims about one event as bearing on each other far more often than they
do ("Kyiv still controls 45% of Donetsk" against a denial about Lisichansk). A pair is only
flagged when its claims share what they are about: at least ``min_shared`` content words (names,
nouns, verbs: the words left after stop words, reporting verbs and hedge words are taken out,
compared by a crude stem), or a figure of the same kind (:mod:`detector.quantities`).
"""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from detector.claims import REPORTING_VERBS
from detector.quantities import extract_quantities

MIN_SHARED = 2
"""Subject words two claims must share when a model folder has no ``flag_policy.json`` (the shipped
one has, chosen on the dev articles by ``python -m eval.flag_articles --split dev --choose``)."""

# Words every claim about anything can hold: they say nothing about what it is about.
_GENERIC = {
    "according", "also", "would", "could", "may", "might", "must", "said", "says", "told", "still", "just",
    "people", "percent", "per", "cent", "year", "years", "day", "days", "week", "weeks", "month", "months",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday",
    "time", "number", "new", "including", "statement", "spokesman", "spokeswoman", "official", "officials",
    "possible", "likely", "unlikely", "clear", "confirm", "confirmed", "denied", "deny", "claim", "claims",
}
_STOP = set(ENGLISH_STOP_WORDS) | _GENERIC | {verb.lower() for verb in REPORTING_VERBS}


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    """The stems of a claim's content words."""
    words = re.findall(r"[a-z][a-z’'-]*[a-z]", text.lower())
    return {_stem(word.replace("’", "'").removesuffix("'s")) for word in words if word not in _STOP and len(word) > 2}


def shared_subject(text_a: str, text_b: str) -> set[str]:
    """The content words two claims share, plus ``figure:<unit>`` for figures of the same kind."""
    shared = content_words(text_a) & content_words(text_b)
    kinds_a, kinds_b = _figure_kinds(text_a), _figure_kinds(text_b)
    return shared | {f"figure:{kind}" for kind in kinds_a & kinds_b}


def _figure_kinds(text: str) -> set[str]:
    """Kinds of the figures in a claim; counts by what they count, dates left out (a shared date
    is the same day, not the same subject)."""
    return {f"{q.kind}:{_stem(q.noun)}" if q.kind == "count" else q.kind
            for q in extract_quantities(text) if q.kind not in ("year", "month", "day", "weekday")}

