"""Numbers and dates in a claim, read as intervals, and how the figures of two claims relate.

A figure is read with its bound and unit: "more than 400" is the interval (400, ∞), "at least
six" [6, ∞), "in the single digits" [1, 9], "dozens" [24, 99], "between 40 and 50" [40, 50],
"about 3 km" 2,700–3,300 metres, "a third of" about 33%. Dates are read at the precision they are
given: a year, a month, a day of a month, a weekday. :func:`compare_quantities` pairs the figures
of claim A and claim B that measure the same kind of thing (same unit; for counts, the same
counted noun, or one count on each side) and says how B's figure bears on A's:

- ``match``: B's interval lies inside A's, so B's figure makes A's true ("61.4%" for "more than 60%");
- ``conflict``: the two intervals do not meet ("in the single digits" against "exceeded 400");
- ``compatible``: they overlap, so B neither establishes nor excludes A ("at least 6" against "about 8").

Hand-written patterns rather than a general parser: quantulum3 reads values and units but not
bounds or vague amounts, and loads a pickled classifier; dateparser resolves "Friday" or "2019"
to a full date, inventing a precision the claim does not give (``eval/quantities.py`` measures them).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

INFINITY = math.inf

_SMALL = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen").split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
WORD_NUMBERS = {word: value for value, word in enumerate(_SMALL)} | _TENS | {"a hundred": 100, "one hundred": 100,
                                                                               "a dozen": 12, "a thousand": 1000}
_WORD = "|".join(sorted((re.escape(w) for w in WORD_NUMBERS), key=len, reverse=True))
_TENS_WORD = "|".join(_TENS)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_VALUE = rf"(?:{_DIGITS}|(?:{_TENS_WORD})-(?:{'|'.join(_SMALL[1:10])})|{_WORD})"
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3, "m": 1e6, "mn": 1e6,
          "bn": 1e9}
_SCALE = r"(?:\s?(?:thousand|million|billion|trillion)\b|(?:k|m|mn|bn)\b)"

# Bounds, each as (low side, high side): "more than X" is (X, ∞), "under X" is [0, X).
BOUNDS = {
    "more than": "above", "over": "above", "above": "above", "exceeded": "above", "exceeding": "above",
    "exceeds": "above", "in excess of": "above", "upwards of": "above", "topped": "above",
    "at least": "at_least", "no fewer than": "at_least", "no less than": "at_least", "a minimum of": "at_least",
    "fewer than": "below", "less than": "below", "under": "below", "below": "below",
    "at most": "at_most", "no more than": "at_most", "up to": "at_most", "a maximum of": "at_most",
    "nearly": "nearly", "almost": "nearly", "just under": "nearly", "close to": "nearly",
    "about": "about", "around": "about", "roughly": "about", "approximately": "about", "some": "about",
    "an estimated": "about", "estimated": "about", "or so": "about",
}
_BOUND = "|".join(sorted((re.escape(b) for b in BOUNDS if b != "or so"), key=len, reverse=True))

# Units, with the kind of thing they measure and the factor to that kind's base unit.
UNITS = {
    "%": ("percent", 1), "percent": ("percent", 1), "per cent": ("percent", 1),
    "km": ("length", 1000), "kilometre": ("length", 1000), "kilometer": ("length", 1000),
    "metre": ("length", 1), "meter": ("length", 1), "m": ("length", 1), "mile": ("length", 1609.34),
    "hour": ("duration", 1), "day": ("duration", 24), "week": ("duration", 168), "minute": ("duration", 1 / 60),
    "tonne": ("mass", 1000), "ton": ("mass", 1000), "kg": ("mass", 1), "kilogram": ("mass", 1),
    "dollar": ("money:usd", 1), "euro": ("money:eur", 1), "pound": ("money:gbp", 1),
}
_UNIT = (r"(?:%|per ?cent\b|km\b|kilomet(?:re|er)s?\b|met(?:re|er)s?\b|m\b|miles?\b|hours?\b|days?\b|weeks?\b"
         r"|minutes?\b|tonnes?\b|tons?\b|kg\b|kilograms?\b|dollars?\b|euros?\b|pounds?\b)")
CURRENCIES = {"$": "money:usd", "€": "money:eur", "£": "money:gbp"}

_FIGURE = re.compile(
    rf"(?:\bbetween\s+)?(?:\b(?P<bound>{_BOUND})\s+)?(?P<currency>[$€£])?"
    rf"(?<![\w.,])(?P<value>{_VALUE})(?P<scale>{_SCALE})?"
    rf"(?:\s*(?:-|–|to|and)\s*[$€£]?(?P<value2>{_DIGITS}|{_WORD})(?P<scale2>{_SCALE})?)?"
    rf"(?:[\s-]?(?P<unit>{_UNIT}))?(?P<or_so>\s+or so\b)?",
    re.IGNORECASE,
)
# Amounts named by words: (pattern, low, high, kind).
VAGUE = (
    (r"(?:in|into|to) (?:the )?single (?:digits|figures)", 1, 9, "count"),
    (r"(?:in|into|to) (?:the )?double (?:digits|figures)", 10, 99, "count"),
    (r"\btens of thousands\b", 2e4, 99999, "count"),
    (r"\bhundreds of thousands\b", 2e5, 999999, "count"),
    (r"(?<!a )\bdozens\b", 24, 99, "count"),
    (r"(?<!of )\bhundreds\b(?! of thousands)", 200, 999, "count"),
    (r"(?<!tens of )(?<!hundreds of )\bthousands\b", 2000, 9999, "count"),
    (r"\bmillions\b", 2e6, 9.99e8, "count"),
    (r"\ba handful\b", 2, 9, "count"),
    (r"\b(?:no one|nobody|none)\b", 0, 0, "count"),
)
FRACTIONS = {"half": 50, "a third": 100 / 3, "one third": 100 / 3, "two thirds": 200 / 3, "two-thirds": 200 / 3,
             "a quarter": 25, "one quarter": 25, "three quarters": 75, "three-quarters": 75, "a fifth": 20,
             "one fifth": 20, "a tenth": 10, "one in ten": 10}
_FRACTION = re.compile(rf"(?:\b(?P<bound>{_BOUND})\s+)?\b(?P<fraction>{'|'.join(map(re.escape, FRACTIONS))})\s+(?:of|the)\b",
                       re.IGNORECASE)

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_DAY_MONTH = re.compile(rf"\b(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)? (?P<month>{_MONTH})\b|(?P<month2>{_MONTH})\.? (?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\b)")
_MONTH_ONLY = re.compile(rf"\b(?:in|since|until|by|during|early|late|mid-?|last|next|this) (?P<month>{_MONTH})\b")
_WEEKDAY = re.compile(r"\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_YEAR = re.compile(r"\b(?P<year>(?:19|20)\d{2})\b(?![,.]\d)(?!\s*(?:%|per ?cent|km|people|[a-z]+s\b))")

# Words after a number that are not what it counts.
_NOT_NOUNS = {"of", "and", "or", "to", "in", "on", "at", "for", "by", "from", "with", "were", "was", "are", "is",
              "have", "had", "has", "been", "the", "a", "an", "more", "other", "who", "that", "which", "as",
              "than", "per", "percent", "people's"}
_NOUN_AFTER = re.compile(r"\s*(?:[A-Za-z-]+\s+)?([A-Za-z-]+)")
ABOUT_MARGIN = 0.1
FRACTION_MARGIN = 1.5
"""Percentage points either side of a fraction: "a third" is read as 31.8–34.8%."""


@dataclass(frozen=True)
class Quantity:
    """A figure in a claim as an interval ``[low, high]`` (ends open where ``low_open``/``high_open``)
    of one ``kind``: count, percent, length (metres), duration (hours), mass (kg), money:<currency>,
    year, month, day (month × 100 + day) or weekday (0 is Monday)."""

    text: str
    low: float
    high: float
    kind: str
    noun: str = ""
    """For counts: the word after the figure ("people" in "six people"), when there is one."""
    low_open: bool = False
    high_open: bool = False
    start: int = 0
    end: int = 0

    def inside(self, other: Quantity) -> bool:
        """Whether every value this figure allows is one ``other`` allows."""
        above_low = self.low > other.low or (self.low == other.low and (self.low_open or not other.low_open))
        below_high = self.high < other.high or (self.high == other.high and (self.high_open or not other.high_open))
        return above_low and below_high

    def meets(self, other: Quantity) -> bool:
        """Whether some value is allowed by both figures."""
        if self.high < other.low or other.high < self.low:
            return False
        if self.high == other.low:
            return not (self.high_open or other.low_open)
        if other.high == self.low:
            return not (other.high_open or self.low_open)
        return True


def _number(text: str) -> float:
    text = text.lower()
    if text in WORD_NUMBERS:
        return float(WORD_NUMBERS[text])
    if "-" in text and text.split("-")[0] in _TENS:
        tens, unit = text.split("-")
        return float(_TENS[tens] + _SMALL.index(unit))
    return float(text.replace(",", ""))


def _scaled(value: str, scale: str | None) -> float:
    return _number(value) * (SCALES[scale.strip().lower()] if scale else 1)


def _interval(value: float, bound: str | None) -> tuple[float, float, bool, bool]:
    """(low, high, low_open, high_open) of a value under a bound word."""
    kind = BOUNDS.get((bound or "").lower())
    if kind == "above":
        return value, INFINITY, True, False
    if kind == "at_least":
        return value, INFINITY, False, False
    if kind == "below":
        return 0.0, value, False, True
    if kind == "at_most":
        return 0.0, value, False, False
    if kind == "nearly":
        return value * (1 - ABOUT_MARGIN), value, False, True
    if kind == "about":
        return value * (1 - ABOUT_MARGIN), value * (1 + ABOUT_MARGIN), False, False
    return value, value, False, False


def _counted_noun(text: str, end: int) -> str:
    match = _NOUN_AFTER.match(text, end)
    if match is None:
        return ""
    words = [w.lower() for w in text[end:match.end()].split()]
    for word in words:
        if word not in _NOT_NOUNS and word.isalpha():
            return word.rstrip("s") if len(word) > 3 else word
    return ""


def _month_number(name: str) -> int:
    """1 for "January", "Jan" or "jan"."""
    return next(number for number, month in enumerate(MONTHS, 1) if month.startswith(name.lower()[:3]))


def extract_quantities(text: str) -> list[Quantity]:
    """Every figure and date in a claim, in reading order."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(quantity: Quantity) -> None:
        found.append(quantity)
        taken.append((quantity.start, quantity.end))

    for match in _DAY_MONTH.finditer(text):
        day, month = (match.group("day"), match.group("month")) if match.group("day") else (match.group("day2"), match.group("month2"))
        value = _month_number(month) * 100 + int(day)
        add(Quantity(match.group(), value, value, "day", start=match.start(), end=match.end()))
    for match in _WEEKDAY.finditer(text):
        value = WEEKDAYS.index(match.group("weekday").lower())
        add(Quantity(match.group(), value, value, "weekday", start=match.start(), end=match.end()))
    for match in _MONTH_ONLY.finditer(text):
        if free(*match.span("month")):
            value = _month_number(match.group("month"))
            add(Quantity(match.group("month"), value, value, "month", start=match.start("month"), end=match.end("month")))
    for start, end in (match.span() for match in _YEAR.finditer(text)):
        if free(start, end) and not _is_count_context(text, start):
            value = float(text[start:end])
            add(Quantity(text[start:end], value, value, "year", start=start, end=end))
    for pattern, low, high, kind in VAGUE:
        for match in re.finditer(pattern, text, re.IGNORECASE):
            if free(*match.span()):
                add(Quantity(match.group(), low, high, kind, _counted_noun(text, match.end()),
                             start=match.start(), end=match.end()))
    for match in _FRACTION.finditer(text):
        if free(*match.span()):
            value = FRACTIONS[match.group("fraction").lower()]
            low, high, low_open, high_open = _interval(value, match.group("bound"))
            if not match.group("bound"):
                low, high = value - FRACTION_MARGIN, value + FRACTION_MARGIN
            add(Quantity(match.group().rsplit(" ", 1)[0], low, high, "percent", "", low_open, high_open,
                         match.start(), match.end()))
    for match in _FIGURE.finditer(text):
        if not free(*match.span("value")):
            continue
        quantity = _figure(text, match)
        if quantity is not None:
            add(quantity)
    return sorted(found, key=lambda quantity: quantity.start)


def _is_count_context(text: str, start: int) -> bool:
    """A four-digit number after a bound word ("more than 2000") is a count, not a year."""
    before = text[:start].lower().rstrip()
    return any(before.endswith(bound) for bound in BOUNDS) or before.endswith(("$", "€", "£"))


def _figure(text: str, match: re.Match) -> Quantity | None:
    value = _scaled(match.group("value"), match.group("scale"))
    unit = (match.group("unit") or "").lower()
    if unit == "m" and not match.group("currency") and not re.match(r"\d", match.group("value")):
        unit = ""
    kind, factor = "count", 1.0
    if match.group("currency"):
        kind = CURRENCIES[match.group("currency")]
    elif unit:
        name = unit.replace("per cent", "percent").replace(" ", "")
        name = name if name in UNITS else name.rstrip("s")
        name = {"kilometer": "kilometre", "meter": "metre"}.get(name, name)
        kind, factor = UNITS.get(name, ("count", 1.0))
    if kind == "count" and match.group("value").isdigit() and len(match.group("value")) == 1 and not match.group("bound") \
            and text[match.end("value"):match.end("value") + 1] == ".":
        return None  # a list number or the "1." of a heading
    if match.group("value").lower() == "one" and re.match(r"\s+(?:of|another|side|hand)\b", text[match.end():]):
        return None  # "one of the missiles", "one another": not a count
    bound = match.group("bound") or ("or so" if match.group("or_so") else None)
    if match.group("value2") is not None:
        high = _scaled(match.group("value2"), match.group("scale2") or match.group("scale"))
        if high < value:
            return None  # "2-1" is a score, not a range
        low, high, low_open, high_open = value * factor, high * factor, False, False
    else:
        low, high, low_open, high_open = _interval(value * factor, bound)
    noun = _counted_noun(text, match.end()) if kind == "count" else ""
    return Quantity(text[match.start():match.end()].strip(), low, high, kind, noun, low_open, high_open,
                    match.start(), match.end())


@dataclass(frozen=True)
class QuantityRelation:
    """How claim B's figure ``b`` bears on claim A's figure ``a``: match, conflict or compatible."""

    a: Quantity
    b: Quantity
    relation: str

    @property
    def kind(self) -> str:
        return "date" if self.a.kind in DATE_KINDS else "number"


DATE_KINDS = ("year", "month", "day", "weekday")


def _comparable(a: Quantity, b: Quantity, counts_a: int, counts_b: int) -> bool:
    if a.kind != b.kind:
        return False
    if a.kind != "count":
        return True
    # Counts of different things ("six soldiers", "40 homes") are not compared; one count on each
    # side is taken to be about the same thing, as a news claim pair usually is.
    return bool(a.noun and a.noun == b.noun) or (counts_a == 1 and counts_b == 1)


def compare_quantities(claim_a: str, claim_b: str, extract=extract_quantities) -> list[QuantityRelation]:
    """Each figure of B with the figure of A it is comparable with (the closest in value when
    several are), and their relation; figures with no counterpart are left out. ``extract``
    reads a claim's figures (another parser can be measured in its place)."""
    quantities_a, quantities_b = extract(claim_a), extract(claim_b)
    counts_a = sum(q.kind == "count" for q in quantities_a)
    counts_b = sum(q.kind == "count" for q in quantities_b)
    relations = []
    for b in quantities_b:
        candidates = [a for a in quantities_a if _comparable(a, b, counts_a, counts_b)]
        if not candidates:
            continue
        a = min(candidates, key=lambda a: (not (a.noun and a.noun == b.noun), _distance(a, b)))
        relation = "match" if b.inside(a) else "compatible" if b.meets(a) else "conflict"
        relations.append(QuantityRelation(a, b, relation))
    return relations


def _distance(a: Quantity, b: Quantity) -> float:
    def centre(q: Quantity) -> float:
        ends = [end for end in (q.low, q.high) if math.isfinite(end)]
        return sum(ends) / len(ends)

    return abs(math.log1p(abs(centre(a))) - math.log1p(abs(centre(b))))
