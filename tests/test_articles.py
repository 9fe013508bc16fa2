"""Reading articles: every kind of bad input is reported by name and skipped."""

import io
import json

from detector.articles import Article, ArticleProblem, read_articles


def read(*inputs, **options):
    items = list(read_articles([str(i) for i in inputs], **options))
    return [i for i in items if isinstance(i, Article)], [str(i) for i in items if isinstance(i, ArticleProblem)]


def test_text_markdown_and_folders(tmp_path):
    (tmp_path / "a.txt").write_text("Troops entered the town on Sunday.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# Floods\n\nThe **river** burst its [banks](http://x).\n", encoding="utf-8")
    articles, problems = read(tmp_path)
    assert problems == []
    assert [a.id for a in articles] == ["a", "b"]
    assert articles[1].title == "Floods" and "The river burst its banks." in articles[1].text


def test_bad_files_are_reported_and_the_rest_is_read(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\x00\x00\x01")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 owners protested.".encode("latin-1"))
    (tmp_path / "huge.txt").write_bytes(b"word " * 2_200_000)  # 11 MB
    (tmp_path / "good.txt").write_text("The court adjourned the trial.", encoding="utf-8")
    articles, problems = read(tmp_path)
    assert [a.id for a in articles] == ["good"]
    assert any("empty.txt: empty" in p for p in problems)
    assert any("binary.txt: binary file" in p for p in problems)
    assert any("latin1.txt: not UTF-8" in p for p in problems)
    assert any("huge.txt: larger than the 2,000,000-byte limit" in p for p in problems)


def test_jsonl_articles_with_malformed_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "x1", "title": "T", "text": "Rebels took the port.", "outlet": "Wire"}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps(["a list"]),
        json.dumps({"text": "The port is calm."}),
    ]) + "\n", encoding="utf-8")
    articles, problems = read(path)
    assert [(a.id, a.outlet) for a in articles] == [("x1", "Wire"), ("feed-5", "")]
    assert problems == [
        f"{path}:2: malformed JSON (Expecting property name enclosed in double quotes)",
        f"{path}:3: missing or empty 'text' field",
        f"{path}:4: expected a JSON object with a 'text' field",
    ]


def test_huge_jsonl_line_is_skipped_in_bounded_chunks(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"text": "x " * 60_000}) + "\n" + json.dumps({"text": "Short one."}) + "\n")
    articles, problems = read(path, max_bytes=50_000)
    assert [a.text for a in articles] == ["Short one."]
    assert problems == [f"{path}:1: larger than the 50,000-byte limit (--max-bytes); split it or raise the limit"]


def test_stdin_text_and_jsonl(tmp_path):
    [article] = list(read_articles(["-"], stdin=io.BytesIO(b"Officials confirmed the outbreak.")))
    assert article.id == "stdin" and article.origin == "stdin"
    items = list(read_articles(["-"], stdin=io.BytesIO(b'{"text": "One."}\n{bad\n')))
    assert isinstance(items[0], Article) and str(items[1]).startswith("stdin:2: malformed JSON")


def test_missing_path_and_unsupported_type(tmp_path):
    (tmp_path / "data.pdf").write_bytes(b"%PDF")
    _, problems = read(tmp_path / "nope.txt", tmp_path / "data.pdf")
    assert problems == [f"{tmp_path / 'nope.txt'}: no such file or folder",
                        f"{tmp_path / 'data.pdf'}: unsupported file type .pdf; use .txt, .md or .jsonl"]


def test_content_hash_ignores_whitespace():
    assert Article("a", "One  claim.\n").content_hash == Article("b", "One claim.").content_hash
