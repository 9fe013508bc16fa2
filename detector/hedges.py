"""Hedge cues: finding the words and phrases by which a claim holds back from committing.

The cue layer works on single claims. It gives character spans (for display and for the
``hedge_cues`` of every result) and is what turns a 3-way NLI model's output into the four-way
scheme: see :func:`detector.scoring.add_hedge_from_cues`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class HedgeCue:
    """One hedge cue found in a claim: its text as written and its character span."""

    text: str
    start: int
    end: int


@lru_cache(maxsize=1)
def load_lexicon() -> tuple[str, ...]:
    """The shipped cue list, one cue per line; ``#`` lines are comments."""
    text = resources.files("detector.resources").joinpath("hedge_cues.txt").read_text("utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=None)
def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    # Longest cues first so that "may have" wins over "may"; flexible whitespace inside a cue.
    ordered = sorted(set(cue.lower() for cue in cues), key=len, reverse=True)
    alternatives = (r"\s+".join(re.escape(word) for word in cue.split()) for cue in ordered)
    return re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])", re.IGNORECASE)


def find_hedge_cues(text: str, lexicon: tuple[str, ...] | None = None) -> list[HedgeCue]:
    """Return the hedge cues in ``text``, left to right and never overlapping."""
    pattern = _cue_pattern(lexicon if lexicon is not None else load_lexicon())
    return [HedgeCue(m.group(0), m.start(), m.end()) for m in pattern.finditer(text)]
