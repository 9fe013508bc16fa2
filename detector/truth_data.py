"""Loaders for the truth-discovery sets in ``../shared/datasets``: who claimed what, and the truth.

- Book–author (Yin, Han & Yu 2007): bookstores list the authors of books (ISBNs); gold author
  lists for 100 books. :func:`load_books`.
- Population (Pasternack & Roth 2010): Wikipedia editors give city-year populations; gold for
  308 city-years (the file's last line has no newline, so ``wc -l`` says 307). :func:`load_population`.
- Emergent veracity (Ferreira & Vlachos 2016): news sites' articles on rumours, each with the
  article's stance, and whether the rumour turned out true. :func:`load_emergent_veracity`.

All three are test only for truth discovery (see that folder's README). The structured sets
come as :class:`ObjectClaim` lists (a :class:`~detector.reliability.SourceClaim` about one object)
with a similarity between values; :func:`structured_relations` turns those into the support and
conflict relations the reliability estimators read.
"""

from __future__ import annotations

import csv
import html
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from detector.labels import CONTRADICTION, ENTAILMENT
from detector.public_data import DataNotFoundError
from detector.reliability import Relation, SourceClaim

Author = tuple[str, str]
"""(last name, initials of the given names, sorted), e.g. ("knuth", "de") for "Knuth, Donald E."."""

POPULATION_TOLERANCE = 0.01
"""Populations this far apart (relative) or more are different claims; closer ones partly agree."""

# Author strings that name nobody.
_NO_AUTHOR = {"", "0", "not available", "n/a", "na", "unknown", "various", "anonymous"}
# Words that mark a role, not a name; like a bracketed "(Author)", they separate two names.
_ROLE = re.compile(r"\b(?:edited by|by|authors?|editors?|joint|with|foreword|introduction|translators?|"
                   r"translated|illustrators?|contributors?|compilers?)\b")
_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "md"}


@dataclass
class ObjectClaim(SourceClaim):
    """A claim about one object (a book's ISBN, a city-year): ``value`` is what the source says it is."""

    object: str = ""


@dataclass
class TruthDataset:
    """Claims, gold values per object, and how to compare two values."""

    name: str
    claims: list[ObjectClaim]
    truths: dict[str, object]
    similarity: Callable[[object, object], float]
    """1 for the same value, 0 for unrelated ones, in between for partly agreeing ones."""
    same_value: Callable[[object, object], bool]


@dataclass
class EmergentArticle:
    """One article on a rumour: the site that published it, its headline and its gold stance."""

    id: str
    source: str
    headline: str
    stance: str
    """for, against or observing, as the Emergent annotators judged the headline."""


@dataclass
class EmergentClaim:
    """A rumour whose truth is known, with every article written on it."""

    id: str
    text: str
    truth: bool
    split: str
    """train or test, as the url-versions -train/-test files split the claims."""
    articles: list[EmergentArticle] = field(default_factory=list)


def _require(path: Path) -> Path:
    if not path.exists():
        raise DataNotFoundError(f"data file not found: {path} (set --data-dir or $DETECTOR_DATA)")
    return path


def _ascii_lower(text: str) -> str:
    """HTML entities decoded, accents dropped, lower case: "E&oacute;in" -> "eoin"."""
    decomposed = unicodedata.normalize("NFKD", html.unescape(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _words(text: str) -> list[str]:
    """Name words: letters only, apostrophes dropped ("O'Leary" -> "oleary"), "W.Richard" -> w, richard."""
    words = re.findall(r"[a-z][a-z-]*", text.replace("'", "").replace("’", ""))
    return [w.strip("-") for w in words if w.strip("-") not in _NAME_SUFFIXES]


def _author(last_words: list[str], given_words: list[str]) -> Author:
    return " ".join(last_words), "".join(sorted({w[0] for w in given_words}))


def _names_in(part: str) -> list[Author]:
    """The names in one author chunk: "Last, First", "First Last", or comma-joined lists of either."""
    chunks = [_words(c) for c in part.split(",")]
    chunks = [c for c in chunks if c]
    if not chunks:
        return []
    if len(chunks) == 1 or all(len(c) >= 2 for c in chunks):
        # "Donald E. Knuth" or "Peter Aiken, M. David Allen": the last word is the surname.
        return [_author(c[-1:], c[:-1]) for c in chunks]
    # "Knuth, Donald E." or "Johnson, Michael K., Troan, Erik W.": surname, given names, ...
    names = [_author(chunks[i], chunks[i + 1]) for i in range(0, len(chunks) - 1, 2)]
    if len(chunks) % 2:
        names.append(_author(chunks[-1][-1:], chunks[-1][:-1]))
    return names


def parse_authors(raw: str) -> tuple[Author, ...]:
    """A normalised author list from a bookstore's author string; () when it names nobody.

    Names are split at ";", "/", "and", "&", roles ("(Author)", "By") and commas, read as "Last,
    First" or "First Last", and kept as (surname, initials); repeats of one person are dropped.
    The result is sorted, so two stores listing the same people in another order agree.
    """
    text = _ascii_lower(raw).strip()
    if text in _NO_AUTHOR:
        return ()
    text = re.sub(r"\([^)]*\)", ";", text)
    text = _ROLE.sub(";", text)
    text = re.sub(r"\s+(?:and|&)\s+|/", ";", text)
    authors: list[Author] = []
    for part in text.split(";"):
        for last, initials in _names_in(part):
            if not any(_same_person((last, initials), other) for other in authors):
                authors.append((last, initials))
    return tuple(sorted(authors))


def _same_person(a: Author, b: Author) -> bool:
    return a[0] == b[0] and (not a[1] or not b[1] or bool(set(a[1]) & set(b[1])))


def _person_similarity(a: Author, b: Author) -> float:
    """1 for the same surname and a shared initial, 0.5 when one side gives no given name, else 0."""
    if a[0] != b[0]:
        return 0.0
    if not a[1] or not b[1]:
        return 0.5
    return 1.0 if set(a[1]) & set(b[1]) else 0.0


def author_similarity(a: Sequence[Author], b: Sequence[Author]) -> float:
    """How far two author lists agree, in [0, 1]: each person of the shorter list matched to its
    best counterpart, summed, over the length of the longer (the paper's author-list similarity
    in spirit: a missing co-author or a surname without given names agrees only in part)."""
    if not a or not b:
        return 0.0
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    matched = sum(max(_person_similarity(person, other) for other in longer) for person in shorter)
    return matched / len(longer)


def same_authors(a: Sequence[Author], b: Sequence[Author]) -> bool:
    """The same people: every surname matched, with a shared initial, and no one left over."""
    return author_similarity(a, b) == 1.0


def population_similarity(a: int, b: int) -> float:
    """1 for equal populations, falling linearly to 0 at ``POPULATION_TOLERANCE`` relative difference."""
    if a == b:
        return 1.0
    difference = abs(a - b) / max(abs(a), abs(b))
    return max(0.0, 1.0 - difference / POPULATION_TOLERANCE)


def _lines(path: Path) -> list[list[str]]:
    with _require(path).open(encoding="utf-8", errors="replace", newline="") as handle:
        return [line.rstrip("\r\n").split("\t") for line in handle if line.strip()]


def _dedupe(rows: list[tuple[str, str, object]]) -> list[ObjectClaim]:
    """One claim per (object, source, value): a store listing a book twice says it once."""
    seen: dict[tuple[str, str, object], None] = dict.fromkeys(rows)
    return [ObjectClaim(id=f"{obj}#{n}", source=source, value=value, object=obj)
            for n, (obj, source, value) in enumerate(seen)]


def load_books(data_dir: Path) -> TruthDataset:
    """Book–author: ``book.txt`` (store, ISBN, title, authors; tab-separated) and ``book_golden.txt``.

    Values are :func:`parse_authors` lists; strings naming nobody ("Not Available", "") are
    skipped. ``text`` is left empty: many stores print the same catalogue string because they
    share a publisher's feed, and the claims are compared by value, not wording.
    """
    folder = data_dir / "book_authors_truth"
    rows = []
    for number, fields in enumerate(_lines(folder / "book.txt"), start=1):
        if len(fields) != 4:
            raise ValueError(f"{folder / 'book.txt'} line {number}: expected 4 tab-separated fields")
        store, isbn, _title, raw = fields
        authors = parse_authors(raw)
        if authors:
            rows.append((isbn.strip(), store.strip(), authors))
    truths = {fields[0].strip(): parse_authors(fields[1]) for fields in _lines(folder / "book_golden.txt")}
    return TruthDataset("book", _dedupe(rows), truths, author_similarity, same_authors)


def load_population(data_dir: Path) -> TruthDataset:
    """Population: ``population-new.txt`` (city_year, editor, population, year) and
    ``population-gd.txt`` (city, region, year, population), keyed "city, region_year"."""
    folder = data_dir / "population_truth"
    rows = []
    for number, fields in enumerate(_lines(folder / "population-new.txt"), start=1):
        try:
            city_year, editor, population, _year = fields
            rows.append((city_year, editor, int(population)))
        except ValueError as error:
            raise ValueError(f"{folder / 'population-new.txt'} line {number}: {error}") from error
    truths: dict[str, object] = {}
    for fields in _lines(folder / "population-gd.txt"):
        city, year, population = (p.strip() for p in fields[0].rsplit(",", 2))
        truths[f"{city}_{year}"] = int(population)
    return TruthDataset("population", _dedupe(rows), truths, population_similarity,
                        lambda a, b: a == b)


def structured_relations(
    claims: Sequence[ObjectClaim], similarity: Callable[[object, object], float]
) -> list[Relation]:
    """Support and conflict between claims on the same object, from their values.

    With s the similarity of two values, the implication 2s - 1 (the paper's s - base_sim with
    base_sim 0.5, doubled to span [-1, 1]) gives an entailment of probability 2s - 1 when
    positive and a contradiction of probability 1 - 2s when negative; s = 0.5 relates nothing.
    Every pair of claims on one object is related (quadratic in the claims per object, at most
    59 in the book set), with the similarity computed once per pair of distinct values.
    Claims of one source are not related to each other.
    """
    by_object: dict[str, list[ObjectClaim]] = {}
    for claim in claims:
        by_object.setdefault(claim.object, []).append(claim)
    implications: dict[tuple[object, object], float] = {}
    relations = []
    for group in by_object.values():
        for i, first in enumerate(group):
            for second in group[i + 1:]:
                if first.source == second.source:
                    continue
                key = (first.value, second.value)
                if key not in implications:
                    implications[key] = 2 * similarity(first.value, second.value) - 1
                implication = implications[key]
                if implication > 0:
                    relations.append(Relation(first.id, second.id, ENTAILMENT, implication))
                elif implication < 0:
                    relations.append(Relation(first.id, second.id, CONTRADICTION, -implication))
    return relations


def _site(url: str) -> str:
    """The site of an article URL, without "www." (so www.ibtimes.com and ibtimes.com are one)."""
    host = urlparse(url if "//" in url else f"//{url}").netloc.lower()
    return host.removeprefix("www.")


def load_emergent_veracity(data_dir: Path) -> list[EmergentClaim]:
    """Emergent rumours whose truth is known (``unknown`` ones skipped), each with its articles.

    Read from ``edata_all.csv``; the split of each claim is the url-versions file (-train or
    -test) that holds it. The source of an article is its URL's site.
    """
    folder = data_dir / "emergent"
    splits: dict[str, str] = {}
    for split in ("train", "test"):
        with _require(folder / f"url-versions-2015-06-14-clean-{split}.csv").open(encoding="utf-8", newline="") as f:
            splits.update({row["claimId"]: split for row in csv.DictReader(f)})
    claims: dict[str, EmergentClaim] = {}
    with _require(folder / "edata_all.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            truth = row["claimTruth"].strip().lower()
            if truth not in ("true", "false") or row["claimId"] not in splits:
                continue
            claim = claims.setdefault(row["claimId"], EmergentClaim(
                row["claimId"], " ".join(row["claimHeadline"].split()), truth == "true", splits[row["claimId"]]))
            claim.articles.append(EmergentArticle(
                row["articleId"], _site(row["url"]) or row["source"].strip().lower(),
                " ".join(row["articleHeadline"].split()), row["articleHeadlineStance"].strip().lower(),
            ))
    return list(claims.values())
