"""Reading and writing claim-pair files (JSONL and CSV), tolerant of bad lines.

A bad line (malformed JSON or CSV, not UTF-8, a missing field, an empty claim) is reported with
its line number as an :class:`InputProblem` and skipped; the rest of the file is still read. A
file that cannot be used at all (missing, empty, unknown format) raises :class:`InputFileError`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
CSV_SUFFIXES = {".csv"}


class InputFileError(ValueError):
    """The whole input file cannot be read."""


@dataclass
class InputProblem:
    """One skipped line of an input file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class PairRecord:
    """One good row: its line number and all its fields (``claim_a`` and ``claim_b`` at least)."""

    line: int
    fields: dict

    @property
    def claim_a(self) -> str:
        return self.fields["claim_a"]

    @property
    def claim_b(self) -> str:
        return self.fields["claim_b"]


def _decoded_lines(path: Path, problems: list[InputProblem]) -> list[tuple[int, str]]:
    """(line number, text) for every UTF-8 line; lines that are not UTF-8 become problems."""
    lines = []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                lines.append((number, raw.decode("utf-8")))
            except UnicodeDecodeError as error:
                problems.append(InputProblem(str(path), number, f"not UTF-8 (byte {error.start} of the line)"))
    return lines


def _jsonl_rows(path: Path, lines: list[tuple[int, str]], problems: list[InputProblem]) -> Iterable[tuple[int, dict]]:
    for number, text in lines:
        if not text.strip():
            continue
        try:
            row = json.loads(text)
        except json.JSONDecodeError as error:
            problems.append(InputProblem(str(path), number, f"malformed JSON ({error.msg})"))
            continue
        if not isinstance(row, dict):
            problems.append(InputProblem(str(path), number, "expected a JSON object"))
            continue
        yield number, row


def _csv_rows(path: Path, lines: list[tuple[int, str]], problems: list[InputProblem]) -> Iterable[tuple[int, dict]]:
    if not lines:
        return
    header_number, header_text = lines[0]
    header = next(csv.reader([header_text]))
    for number, text in lines[1:]:
        if not text.strip():
            continue
        try:
            values = next(csv.reader(io.StringIO(text), strict=True))
        except csv.Error as error:
            problems.append(InputProblem(str(path), number, f"malformed CSV ({error})"))
            continue
        if len(values) != len(header):
            problems.append(
                InputProblem(str(path), number, f"malformed CSV: {len(values)} fields, the header has {len(header)}")
            )
            continue
        yield number, dict(zip(header, values))


def read_pairs(path: Path, required: tuple[str, ...] = ("claim_a", "claim_b")) -> tuple[list[PairRecord], list[InputProblem]]:
    """Read a ``.jsonl`` or ``.csv`` pair file; return the good rows and the skipped lines.

    CSV rows are read one physical line each, so a bad line never swallows the next; claims
    holding line breaks belong in JSONL.
    """
    if not path.exists():
        raise InputFileError(f"input file not found: {path}")
    if path.is_dir():
        raise InputFileError(f"input is a directory, not a file: {path}")
    suffix = path.suffix.lower()
    if suffix not in JSONL_SUFFIXES | CSV_SUFFIXES:
        raise InputFileError(f"unsupported input format {suffix or '(none)'} for {path}; use .jsonl or .csv")
    if path.stat().st_size == 0:
        raise InputFileError(f"input file is empty: {path}")

    problems: list[InputProblem] = []
    lines = _decoded_lines(path, problems)
    rows = _jsonl_rows(path, lines, problems) if suffix in JSONL_SUFFIXES else _csv_rows(path, lines, problems)
    records = []
    for number, row in rows:
        missing = [name for name in required if name not in row]
        if missing:
            problems.append(InputProblem(str(path), number, f"missing field {', '.join(missing)}"))
            continue
        empty = [name for name in ("claim_a", "claim_b") if name in required and not str(row[name] or "").strip()]
        if empty:
            problems.append(InputProblem(str(path), number, f"{' and '.join(empty)} is empty"))
            continue
        records.append(PairRecord(number, row))
    if not records and not problems:
        raise InputFileError(f"input file holds no pairs: {path}")
    return records, problems


class ResultWriter:
    """Appends result rows to ``.jsonl`` or ``.csv`` as they come, so a crash loses nothing done."""

    def __init__(self, path: Path, csv_columns: list[str]):
        suffix = path.suffix.lower()
        if suffix not in JSONL_SUFFIXES | CSV_SUFFIXES:
            raise InputFileError(f"unsupported output format {suffix or '(none)'} for {path}; use .jsonl or .csv")
        self.path = path
        self.is_csv = suffix in CSV_SUFFIXES
        self.csv_columns = csv_columns
        self._handle: IO[str] = path.open("w", encoding="utf-8", newline="")
        self._csv = csv.DictWriter(self._handle, fieldnames=csv_columns, extrasaction="ignore") if self.is_csv else None
        if self._csv is not None:
            self._csv.writeheader()

    def write(self, json_row: dict, flat_row: dict) -> None:
        """Write one result: ``json_row`` for JSONL, ``flat_row`` (one value per column) for CSV."""
        if self._csv is not None:
            self._csv.writerow(flat_row)
        else:
            self._handle.write(json.dumps(json_row, ensure_ascii=False) + "\n")
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
