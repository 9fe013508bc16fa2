"""Reading articles: text and Markdown files, folders of them, stdin, and JSONL article files.

Every input that cannot be used (empty, binary, not UTF-8, too large, a malformed JSONL line, an
unsupported file type) becomes an :class:`ArticleProblem` naming it, and the rest of the batch
is still read. Sizes are checked before anything is read, so a huge file never fills memory.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
DEFAULT_MAX_BYTES = 2_000_000  # ten times a long feature article; larger inputs are refused
_BINARY_SNIFF = 8192


@dataclass
class Article:
    """One article: ``text`` is required; the rest is what the input gave."""

    id: str
    text: str
    title: str = ""
    outlet: str = ""
    published: str = ""
    origin: str = ""  # where it was read from: a path, "path:line" or "stdin"

    @property
    def content_hash(self) -> str:
        """Key for the store: the same text read twice is the same article."""
        return hashlib.sha256(" ".join(self.text.split()).encode("utf-8")).hexdigest()


@dataclass
class ArticleProblem:
    """An input that was skipped, and why."""

    origin: str
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


def _decode(raw: bytes, origin: str) -> str | ArticleProblem:
    if not raw.strip():
        return ArticleProblem(origin, "empty")
    if b"\x00" in raw[:_BINARY_SNIFF]:
        return ArticleProblem(origin, "binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return ArticleProblem(origin, f"not UTF-8 (invalid byte at offset {error.start})")


def _markdown_to_text(markdown: str) -> tuple[str, str]:
    """(title, plain text) of a Markdown article: headings, emphasis, links and code marks removed."""
    title = ""
    lines = []
    for line in markdown.splitlines():
        heading = re.match(r"^\s{0,3}#{1,6}\s+(.*)$", line)
        if heading:
            title = title or heading.group(1).strip()
            lines.append("")  # a heading is its own paragraph, not part of a claim
            continue
        line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)  # [text](url) -> text
        line = re.sub(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1", r"\2", line)
        line = re.sub(r"^\s{0,3}(?:>|[-*+]|\d+\.)\s+", "", line)
        lines.append(line)
    return title, "\n".join(lines)


def _read_limited(handle: BinaryIO, max_bytes: int) -> bytes | None:
    """At most ``max_bytes`` bytes, or None when the stream holds more."""
    raw = handle.read(max_bytes + 1)
    return None if len(raw) > max_bytes else raw


def _too_large(max_bytes: int) -> str:
    return f"larger than the {max_bytes:,}-byte limit (--max-bytes); split it or raise the limit"


def _text_article(raw: bytes, origin: str, article_id: str, markdown: bool, outlet: str) -> Article | ArticleProblem:
    text = _decode(raw, origin)
    if isinstance(text, ArticleProblem):
        return text
    title = ""
    if markdown:
        title, text = _markdown_to_text(text)
    return Article(id=article_id, text=text, title=title, outlet=outlet, origin=origin)


def _jsonl_articles(handle: BinaryIO, name: str, stem: str, max_bytes: int, outlet: str) -> Iterator[Article | ArticleProblem]:
    """One article per JSONL line; lines are read at most ``max_bytes`` at a time."""
    number = 0
    while True:
        raw = handle.readline(max_bytes + 1)
        if not raw:
            break
        number += 1
        origin = f"{name}:{number}"
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            yield ArticleProblem(origin, _too_large(max_bytes))
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line, a chunk at a time
                raw = handle.readline(max_bytes + 1)
            continue
        if not raw.strip():
            continue
        try:
            row = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            yield ArticleProblem(origin, f"not UTF-8 (invalid byte at offset {error.start})")
            continue
        except json.JSONDecodeError as error:
            yield ArticleProblem(origin, f"malformed JSON ({error.msg})")
            continue
        if not isinstance(row, dict):
            yield ArticleProblem(origin, "expected a JSON object with a 'text' field")
        elif not isinstance(row.get("text"), str) or not row["text"].strip():
            yield ArticleProblem(origin, "missing or empty 'text' field")
        else:
            yield Article(
                id=str(row.get("id") or f"{stem}-{number}"),
                text=row["text"],
                title=str(row.get("title") or ""),
                outlet=str(row.get("outlet") or outlet),
                published=str(row.get("published") or ""),
                origin=origin,
            )


def _file_articles(path: Path, max_bytes: int, outlet: str) -> Iterator[Article | ArticleProblem]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        with path.open("rb") as handle:
            yield from _jsonl_articles(handle, str(path), path.stem, max_bytes, outlet)
        return
    if suffix not in TEXT_SUFFIXES:
        yield ArticleProblem(str(path), f"unsupported file type {suffix or '(none)'}; use .txt, .md or .jsonl")
        return
    if path.stat().st_size > max_bytes:
        yield ArticleProblem(str(path), _too_large(max_bytes))
        return
    yield _text_article(path.read_bytes(), str(path), path.stem, suffix != ".txt", outlet)


def read_articles(
    inputs: Sequence[str | Path], max_bytes: int = DEFAULT_MAX_BYTES, outlet: str = "", stdin: BinaryIO | None = None
) -> Iterator[Article | ArticleProblem]:
    """Articles from files, folders (searched recursively, in name order) and ``-`` for stdin.

    Stdin holds one plain-text article, or JSONL articles when its first character is ``{``.
    ``outlet`` is used for articles whose input names none.
    """
    for item in inputs:
        if str(item) == "-":
            raw = _read_limited(stdin or sys.stdin.buffer, max_bytes)
            if raw is None:
                yield ArticleProblem("stdin", _too_large(max_bytes))
            elif raw.lstrip().startswith(b"{"):
                yield from _jsonl_articles(io.BytesIO(raw), "stdin", "stdin", max_bytes, outlet)
            else:
                yield _text_article(raw, "stdin", "stdin", False, outlet)
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES)
            if not files:
                yield ArticleProblem(str(path), "folder holds no .txt, .md or .jsonl files")
            for file in files:
                yield from _file_articles(file, max_bytes, outlet)
        elif path.is_file():
            yield from _file_articles(path, max_bytes, outlet)
        else:
            yield ArticleProblem(str(path), "no such file or folder")
