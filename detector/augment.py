"""Training-data augmentations that teach hedging, denial and number mismatches.

Public NLI sets have almost no news-style hedges ("X declined to confirm that ...") and few
attributed denials. These functions rewrite claim B of a labelled pair so that the new label is
known by construction; :func:`augment_pairs` applies them to a list of pairs with a seeded RNG.
"""

from __future__ import annotations

import random
import re

from detector.labels import CONTRADICTION, ENTAILMENT, HEDGE, NEUTRAL
from detector.public_data import LabelledPair

SPEAKERS = (
    "a government spokesman", "the ministry", "officials", "the police", "the company",
    "a military spokeswoman", "the governor", "the prosecutor's office", "the mayor",
    "a senior official", "the foreign minister", "the army", "the health agency",
    "a spokesperson for the group", "the defence ministry", "local authorities",
)

HEDGE_FRAMES = (
    "It cannot be said definitively that {s}.",
    "It is unclear whether {s}.",
    "It is not yet clear whether {s}.",
    "{Speaker} declined to confirm that {s}.",
    "{Speaker} declined to confirm or deny that {s}.",
    "{Speaker} would neither confirm nor deny that {s}.",
    "{Speaker} said it was possible that {s}.",
    "{Speaker} suggested that {s}.",
    "{Speaker} hinted that {s}.",
    "Reports suggest that {s}.",
    "It is believed that {s}.",
    "There are unconfirmed reports that {s}.",
    "{Speaker} could not independently verify that {s}.",
    "It remains to be seen whether {s}.",
    "{Speaker} said {s}, but this could not be independently verified.",
    "Some reports say {s}, though this has not been confirmed.",
    "It is possible that {s}.",
    "{S}, according to unconfirmed reports.",
    "{Speaker} said it was too early to say whether {s}.",
    "{Speaker} did not rule out that {s}.",
    "{Speaker} did not deny that {s}, but gave no details.",
    "Perhaps {s}.",
)

DENIAL_FRAMES = (
    "{Speaker} denied that {s}.",
    "{Speaker} rejected reports that {s}.",
    "{Speaker} dismissed claims that {s}.",
    "{Speaker} said it was false that {s}.",
    "It is not true that {s}, {speaker} said.",
    "{Speaker} insisted it was untrue that {s}.",
)

CONFIRMATION_FRAMES = (
    "{Speaker} confirmed that {s}.",
    "{Speaker} said that {s}.",
    "{Speaker} announced that {s}.",
    "{Speaker} acknowledged that {s}.",
    "{Speaker} admitted that {s}.",
    "{S}, {speaker} said.",
)

# First words that are not names, so they lose their capital inside a frame.
_LOWERCASE_STARTS = {
    "a", "an", "the", "two", "three", "four", "five", "some", "this", "that", "these", "those",
    "there", "it", "its", "one", "many", "several", "no", "nobody", "people", "his", "her",
    "their", "our", "we", "they", "he", "she", "all", "most", "every", "at", "in", "on",
}

_AUXILIARY = re.compile(r"\b(is|are|was|were|has|have|had)\b")
_MODAL_FOR = {"is": "may be", "are": "may be", "was": "may have been", "were": "may have been",
              "has": "may have", "have": "may have", "had": "may have"}
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\w])|(?<![\w.,])\d+(?![\w.,]\d)")


def _clause(sentence: str) -> str:
    """The sentence as a clause to embed after "that": no final stop, no needless capital."""
    clause = sentence.strip().rstrip(".!")
    first = clause.split(" ", 1)[0]
    if first.lower() in _LOWERCASE_STARTS:
        clause = clause[0].lower() + clause[1:]
    return clause


def _fill(frame: str, sentence: str, rng: random.Random) -> str:
    clause = _clause(sentence)
    speaker = rng.choice(SPEAKERS)
    return frame.format(
        s=clause, S=clause[0].upper() + clause[1:],
        speaker=speaker, Speaker=speaker[0].upper() + speaker[1:],
    )


def hedge(sentence: str, rng: random.Random) -> str:
    """Wrap a sentence in a frame that withholds commitment to it."""
    return _fill(rng.choice(HEDGE_FRAMES), sentence, rng)


def deny(sentence: str, rng: random.Random) -> str:
    """An attributed, firm denial of the sentence."""
    return _fill(rng.choice(DENIAL_FRAMES), sentence, rng)


def confirm(sentence: str, rng: random.Random) -> str:
    """An attributed, firm confirmation of the sentence."""
    return _fill(rng.choice(CONFIRMATION_FRAMES), sentence, rng)


def add_modal(sentence: str) -> str | None:
    """Weaken the first auxiliary with a modal ("was taken" -> "may have been taken"), if any."""
    match = _AUXILIARY.search(sentence)
    if match is None:
        return None
    return sentence[: match.start()] + _MODAL_FOR[match.group(1)] + sentence[match.end():]


def change_number(sentence: str, rng: random.Random) -> str | None:
    """Replace one number with a clearly different one (years move by a few years)."""
    matches = list(_NUMBER.finditer(sentence))
    if not matches:
        return None
    match = rng.choice(matches)
    value = int(match.group(0).replace(",", ""))
    if 1900 <= value <= 2100:
        new_value = value + rng.choice((-3, -2, -1, 1, 2, 3))
    elif value < 10:
        new_value = value + rng.randint(2, 9)
    else:
        new_value = value + max(2, round(value * rng.uniform(0.3, 1.5))) * rng.choice((-1, 1))
        new_value = new_value if new_value > 0 else value * 2
    text = f"{new_value:,}" if "," in match.group(0) else str(new_value)
    return sentence[: match.start()] + text + sentence[match.end():]


# Pairs of words whose swap turns a news claim into its contrary (both directions are used).
ANTONYMS = (
    ("rose", "fell"), ("increased", "decreased"), ("raised", "cut"), ("won", "lost"), ("gained", "lost"),
    ("approved", "rejected"), ("opened", "closed"), ("convicted", "acquitted"), ("allowed", "banned"),
    ("accepted", "rejected"), ("confirmed", "denied"), ("captured", "lost"), ("advanced", "retreated"),
    ("expanded", "shrank"), ("higher", "lower"), ("more", "fewer"), ("above", "below"), ("before", "after"),
    ("started", "ended"), ("resigned", "stayed on"), ("survived", "died"), ("guilty", "not guilty"),
    ("profit", "loss"), ("surplus", "deficit"), ("strengthened", "weakened"), ("lifted", "imposed"),
)
_SWAPS = {a: b for a, b in ANTONYMS} | {b: a for a, b in ANTONYMS if " " not in b}
_SWAP_PATTERN = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _SWAPS), key=len, reverse=True)) + r")\b")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_DATE_WORD = re.compile(r"\b(" + "|".join(_WEEKDAYS + _MONTHS) + r")\b")


def swap_antonym(sentence: str) -> str | None:
    """Swap the first word that has a contrary ("rose" -> "fell"), if any."""
    match = _SWAP_PATTERN.search(sentence)
    if match is None:
        return None
    return sentence[: match.start()] + _SWAPS[match.group(1)] + sentence[match.end():]


def change_date(sentence: str, rng: random.Random) -> str | None:
    """Move a weekday or month name to another one."""
    match = _DATE_WORD.search(sentence)
    if match is None:
        return None
    names = _WEEKDAYS if match.group(1) in _WEEKDAYS else _MONTHS
    other = rng.choice([name for name in names if name != match.group(1)])
    return sentence[: match.start()] + other + sentence[match.end():]


_EXACT_COUNT = re.compile(r"(?<![\w.,$£€%/:-])(\d{1,3}(?:,\d{3})+|\d+)(?![\w%:/-]|[.,]\d)")
_ALREADY_BOUNDED = re.compile(
    r"\b(more than|fewer than|less than|at least|at most|over|under|about|around|some|nearly|almost|"
    r"up to|roughly|approximately|between)\s+$|\d\s+(and|to)\s+$",
    re.IGNORECASE,
)
_LOWER_BOUNDS = ("more than", "at least", "over")
_UPPER_BOUNDS = ("fewer than", "less than", "under")


def _round_bounds(value: int) -> tuple[int, int]:
    """A round number below the value and one above it (47 -> 40, 50; 1,234 -> 1,200, 1,300)."""
    step = 10 ** max(1, len(str(value)) - 2)
    below = (value - 1) // step * step
    return below, below + step if below + step > value else below + 2 * step


def bound_number(sentence: str, rng: random.Random) -> tuple[str, str] | None:
    """Replace one exact count (12 or more) with a round bound: (new sentence, label against it).

    The label is that of the pair (bounded sentence as A, original sentence as B): "more than 40
    people were killed" is made true by "47 people were killed" (entailment) and false by it when
    the bound is 50 (contradiction). Years, dates, decimals, percentages, counts that already have
    a bound and numbers inside names ("Flight 370") are left alone.
    """
    candidates = []
    for match in _EXACT_COUNT.finditer(sentence):
        value = int(match.group(1).replace(",", ""))
        before = sentence[: match.start()]
        previous_word = (before.split() or [""])[-1]
        next_word = sentence[match.end():].split()[:1]
        if (
            value < 12
            or (1900 <= value <= 2100 and "," not in match.group(1))
            or _DATE_WORD.search(previous_word)
            or (next_word and _DATE_WORD.search(next_word[0]))
            or previous_word[:1].isupper()
            or _ALREADY_BOUNDED.search(before)
        ):
            continue
        candidates.append((match, value))
    if not candidates:
        return None
    match, value = rng.choice(candidates)
    below, above = _round_bounds(value)
    if rng.random() < 0.5:
        word = rng.choice(_LOWER_BOUNDS)
        bound, label = (below, ENTAILMENT) if rng.random() < 0.5 else (above, CONTRADICTION)
    else:
        word = rng.choice(_UPPER_BOUNDS)
        bound, label = (above, ENTAILMENT) if rng.random() < 0.5 else (below, CONTRADICTION)
    number = f"{bound:,}" if "," in match.group(1) else str(bound)
    return sentence[: match.start()] + f"{word} {number}" + sentence[match.end():], label


def augment_pairs(pairs: list[LabelledPair], rng: random.Random) -> list[LabelledPair]:
    """One rewritten pair per input pair, its label known by construction.

    - entailment B: hedged (hedge), modal-weakened (hedge), denied (contradiction) or
      confirmed by a speaker (entailment);
    - contradiction B: hedged (hedge);
    - neutral B: hedged, which leaves it neutral, so that a hedge frame alone is not a label;
    - a number, date word or word with a contrary in A: changed in a copy of A (contradiction),
      so that high word overlap alone never means entailment;
    - an exact count in A: turned into a round bound in a copy of A that becomes claim A, with the
      exact sentence as B (entailment when the count meets the bound, else contradiction), so that
      a more specific B is not read as a mismatch.
    """
    augmented = []
    for pair in pairs:
        origin = f"{pair.origin}+aug"
        if rng.random() < 0.35 and (
            changed := change_number(pair.claim_a, rng) or change_date(pair.claim_a, rng) or swap_antonym(pair.claim_a)
        ):
            augmented.append(LabelledPair(pair.claim_a, changed, CONTRADICTION, origin))
        elif rng.random() < 0.3 and (bounded := bound_number(pair.claim_a, rng)):
            augmented.append(LabelledPair(bounded[0], pair.claim_a, bounded[1], origin))
        elif pair.label == ENTAILMENT:
            choice = rng.random()
            if choice < 0.35:
                augmented.append(LabelledPair(pair.claim_a, hedge(pair.claim_b, rng), HEDGE, origin))
            elif choice < 0.5 and (weakened := add_modal(pair.claim_b)) is not None:
                augmented.append(LabelledPair(pair.claim_a, weakened, HEDGE, origin))
            elif choice < 0.8:
                augmented.append(LabelledPair(pair.claim_a, deny(pair.claim_b, rng), CONTRADICTION, origin))
            else:
                augmented.append(LabelledPair(pair.claim_a, confirm(pair.claim_b, rng), ENTAILMENT, origin))
        elif pair.label == CONTRADICTION:
            augmented.append(LabelledPair(pair.claim_a, hedge(pair.claim_b, rng), HEDGE, origin))
        elif pair.label == NEUTRAL:
            augmented.append(LabelledPair(pair.claim_a, hedge(pair.claim_b, rng), NEUTRAL, origin))
    return augmented
