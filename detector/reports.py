"""Reports people read: tables of disputes, stories, flags and sources, their files (JSONL/CSV)
and the HTML pages.

The HTML report is one self-contained static file (inline CSS, no scripts, no external links).
Every piece of article text goes through :func:`html.escape`, so markup inside an article, a
``<script>`` included, is shown as text and never run.
"""

from __future__ import annotations

import csv
import html
import json
from collections.abc import Sequence
from pathlib import Path

from rich.table import Table

from detector.claims import Claim
from detector.disputes import Dispute, DisputeEntry
from detector.flagging import Flag
from detector.labels import LABELS
from detector.reliability import SourceScore
from detector.stories import Story

FLAG_CSV_COLUMNS = [
    "label", "score", "similarity", "article_a", "speaker_a", "verb_a", "claim_a", "article_b", "speaker_b", "verb_b", "claim_b",
    *(f"p_{label}" for label in LABELS), "hedge_cues_a", "hedge_cues_b",
]


def flags_table(flags: Sequence[Flag], limit: int = 20) -> Table:
    """The top ``limit`` flags as a rich table."""
    table = Table(title=f"{len(flags)} flags" + (f" (top {limit} shown)" if len(flags) > limit else ""),
                  show_lines=True, header_style="bold")
    table.add_column("#", justify="right")
    table.add_column("label")
    table.add_column("score", justify="right")
    table.add_column("claim A")
    table.add_column("claim B")
    for rank, flag in enumerate(flags[:limit], start=1):
        colour = "red" if flag.label == "contradiction" else "yellow" if flag.label == "hedge" else "green"
        table.add_row(str(rank), f"[{colour}]{flag.label}[/]", f"{flag.score:.2f}",
                      _claim_cell(flag.claim_a, flag.article_a), _claim_cell(flag.claim_b, flag.article_b))
    return table


def _claim_cell(claim: Claim, article: str) -> str:
    from rich.markup import escape

    text = claim.text if len(claim.text) <= 220 else claim.text[:217] + "…"
    verb = f" ({claim.verb})" if claim.verb else ""
    return f"[bold]{escape(claim.speaker)}[/]{escape(verb)} [dim]{escape(article)}[/]\n{escape(text)}"


def write_flags(flags: Sequence[Flag], path: Path) -> None:
    """Flags as JSONL (the documented schema) or, for a ``.csv`` path, one flat row each."""
    if path.suffix.lower() == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=FLAG_CSV_COLUMNS)
            writer.writeheader()
            for flag in flags:
                writer.writerow({
                    "label": flag.label, "score": flag.score, "similarity": flag.similarity,
                    "article_a": flag.article_a, "speaker_a": flag.claim_a.speaker, "verb_a": flag.claim_a.verb,
                    "claim_a": flag.claim_a.text,
                    "article_b": flag.article_b, "speaker_b": flag.claim_b.speaker, "verb_b": flag.claim_b.verb,
                    "claim_b": flag.claim_b.text,
                    **{f"p_{label}": flag.probs[label] for label in LABELS},
                    "hedge_cues_a": "; ".join(c.text for c in flag.claim_a.hedge_cues),
                    "hedge_cues_b": "; ".join(c.text for c in flag.claim_b.hedge_cues),
                })
        return
    with path.open("w", encoding="utf-8") as handle:
        for flag in flags:
            handle.write(json.dumps(flag.to_dict(), ensure_ascii=False) + "\n")


def _highlighted(claim: Claim) -> str:
    """The claim's text, escaped, with its hedge cues wrapped in <mark>."""
    pieces, position = [], 0
    for cue in claim.hedge_cues:
        pieces.append(html.escape(claim.text[position: cue.start]))
        pieces.append(f'<mark title="hedge cue">{html.escape(claim.text[cue.start: cue.end])}</mark>')
        position = cue.end
    pieces.append(html.escape(claim.text[position:]))
    return "".join(pieces)


_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1d1d1f; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2.5rem; }
.summary { color: #555; }
.flag { display: grid; grid-template-columns: 9rem 1fr 1fr; gap: .75rem; border-top: 1px solid #ddd; padding: .9rem 0; }
.badge { display: inline-block; padding: .15rem .55rem; border-radius: .8rem; font-weight: 600; font-size: .85rem; }
.contradiction { background: #fde2e1; color: #a4161a; } .hedge { background: #fff3c4; color: #7a5300; }
.entailment { background: #dff3e4; color: #1b6b34; }
.claim { background: #f7f7f9; border-radius: .5rem; padding: .6rem .8rem; }
.claim:target { outline: 3px solid #4a7bd0; }
.who { font-weight: 600; } .meta { color: #666; font-size: .85rem; }
mark { background: #ffe08a; padding: 0 .1rem; border-radius: .2rem; }
.probs { color: #666; font-size: .8rem; margin-top: .3rem; }
a { color: #2457a6; }
details { border-top: 1px solid #ddd; padding: .5rem 0; } summary { cursor: pointer; }
"""


def _claim_html(claim: Claim, article: str, anchor: str, other: str) -> str:
    verb = f" · {html.escape(claim.verb)}" if claim.verb else ""
    stance = " · denies" if claim.stance == "denies" else ""
    return (
        f'<div class="claim" id="{anchor}"><div class="who">{html.escape(claim.speaker)}</div>'
        f'<div class="meta">{html.escape(article)}{verb}{stance}{" · quoted" if claim.quoted else ""}</div>'
        f"<p>{_highlighted(claim)}</p>"
        f'<a class="meta" href="#{other}">→ the other claim</a></div>'
    )


def html_report(flags: Sequence[Flag], title: str = "detector: flagged claims", extra_sections: str = "") -> str:
    """The flags as a self-contained HTML page, side by side, each claim linking to the other."""
    counts = {label: sum(f.label == label for f in flags) for label in LABELS if any(f.label == label for f in flags)}
    summary = ", ".join(f"{n} {label}" for label, n in counts.items()) or "no flags"
    rows = []
    for number, flag in enumerate(flags, start=1):
        a, b = f"flag{number}-a", f"flag{number}-b"
        probs = " · ".join(f"{label} {flag.probs[label]:.2f}" for label in LABELS)
        rows.append(
            f'<section class="flag" id="flag{number}"><div><span class="badge {html.escape(flag.label)}">'
            f"{html.escape(flag.label)}</span><div class=\"probs\">#{number} · score {flag.score:.2f}<br>{probs}</div></div>"
            f"{_claim_html(flag.claim_a, flag.article_a, a, b)}{_claim_html(flag.claim_b, flag.article_b, b, a)}</section>"
        )
    body = "\n".join(rows) or "<p>No contradictions or hedges were found.</p>"
    body = f"<h2>Flags</h2>{body}" if extra_sections else body
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p class=\"summary\">{len(flags)} flags: {html.escape(summary)}. "
        "Claim B contradicts or hedges claim A; hedge cues are highlighted.</p>"
        f"{body}{extra_sections}</body></html>\n"
    )


def _interval(score: SourceScore) -> str:
    if score.reliability is None:
        return "unknown"
    return f"{score.reliability:.2f} ({score.low:.2f}–{score.high:.2f})"


def sources_table(scores: Sequence[SourceScore], kind: str, limit: int = 30) -> Table:
    """Sources, most reliable first, unknown ones last, as a rich table; the counts are of other
    sources supporting, contradicting and hedging the source's claims (names: JSON and HTML)."""
    from rich.markup import escape

    table = Table(title=f"{len(scores)} sources by {kind}" + (f" (top {limit} shown)" if len(scores) > limit else ""),
                  header_style="bold")
    table.add_column("source", ratio=3)
    table.add_column("reliability", justify="right")
    table.add_column("90% interval", justify="right")
    table.add_column("claims", justify="right")
    table.add_column("support", justify="right")
    table.add_column("conflict", justify="right")
    table.add_column("hedge", justify="right")
    for score in scores[:limit]:
        def count(field: str) -> str:
            return str(len({name for claim in score.claims for name in getattr(claim, field)}))

        known = score.reliability is not None
        table.add_row(escape(score.source), f"{score.reliability:.2f}" if known else "unknown",
                      f"{score.low:.2f}–{score.high:.2f}" if known else "", str(len(score.claims)),
                      count("supported_by"), count("contradicted_by"), count("hedged_by"))
    return table


def source_rows(scores: Sequence[SourceScore], kind: str) -> list[dict]:
    """One JSON-ready row per source, with the claims and evidence behind its score."""
    return [{
        "source": s.source, "kind": kind, "reliability": s.reliability, "low": s.low, "high": s.high,
        "evidence": round(s.evidence, 4),
        "claims": [{"id": c.claim_id, "text": c.text, "confidence": c.confidence, "supported_by": c.supported_by,
                    "contradicted_by": c.contradicted_by, "hedged_by": c.hedged_by, "copies_of": c.copies_of}
                   for c in s.claims],
    } for s in scores]


def sources_section(scores: Sequence[SourceScore], kind: str) -> str:
    """An HTML section listing each source's reliability and the claims behind it."""
    items = []
    for score in scores:
        claims = "".join(
            f"<li>{html.escape(c.text)} <span class=\"meta\">confidence "
            f"{'unknown' if c.confidence is None else f'{c.confidence:.2f}'}"
            + "".join(f" · {label} {html.escape(', '.join(names))}" for label, names in (
                ("supported by", c.supported_by), ("contradicted by", c.contradicted_by),
                ("hedged by", c.hedged_by), ("same wording as", c.copies_of)) if names)
            + "</span></li>"
            for c in score.claims
        )
        items.append(f"<details><summary><span class=\"who\">{html.escape(score.source)}</span> · "
                     f"reliability {html.escape(_interval(score))} · evidence {score.evidence:.1f} · "
                     f"{len(score.claims)} claims</summary><ul>{claims}</ul></details>")
    return f"<h2>Sources by {html.escape(kind)}</h2>" + "".join(items)


def counted(number: int, noun: str, plural: str = "") -> str:
    """ "1 dispute", "2 disputes", "2 stories"."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


DISPUTE_CSV_COLUMNS = ["dispute", "rank", "story", "proposition", "strength", "side", "speaker", "outlet", "article",
                       "quote", "verb", "probability", "reasons", "hedge_cues"]


def _spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _reason_words(reason: dict) -> str:
    if reason["kind"] == "negation":
        return f"negation: {reason['a'] or reason['b']}"
    return f"{reason['kind']} {reason['relation']}: {reason['a']} / {reason['b']}"


def _who(entries: Sequence[DisputeEntry]) -> str:
    """Rich markup: each distinct speaker once, with the outlet that reported them."""
    from rich.markup import escape

    speakers = list(dict.fromkeys(
        escape(e.claim.speaker) + (f" [dim]({escape(e.outlet)})[/]" if e.outlet and e.outlet != e.article else "")
        for e in entries))
    return "\n".join(speakers) if speakers else "[dim]–[/]"


def disputes_table(disputes: Sequence[Dispute], limit: int = 10) -> Table:
    """The top ``limit`` disputes as a rich table: the proposition and who stands where."""
    from rich.markup import escape

    table = Table(title=counted(len(disputes), "dispute") + (f" (top {limit} shown)" if len(disputes) > limit else ""),
                  show_lines=True, header_style="bold")
    table.add_column("#", justify="right")
    table.add_column("proposition", ratio=3)
    table.add_column("asserts / confirms", ratio=2)
    table.add_column("[red]contradicts[/]", ratio=2)
    table.add_column("[yellow]hedges[/]", ratio=2)
    table.add_column("strength", justify="right")
    for rank, dispute in enumerate(disputes[:limit], start=1):
        proposition = dispute.proposition if len(dispute.proposition) <= 200 else dispute.proposition[:197] + "…"
        table.add_row(str(rank), escape(proposition), _who(dispute.side("asserts") + dispute.side("confirms")),
                      _who(dispute.side("contradicts")), _who(dispute.side("hedges")),
                      f"{dispute.strength:.2f}")
    return table


def stories_table(stories: Sequence[Story], titles: dict[str, str]) -> Table:
    """The stories found: which articles tell which event, and the names they share."""
    from rich.markup import escape

    table = Table(title=counted(len(stories), "story", "stories"), header_style="bold")
    table.add_column("story")
    table.add_column("articles", justify="right")
    table.add_column("names", ratio=2)
    table.add_column("articles (first 4)", ratio=3)
    for story in stories:
        names = [titles.get(key, key[:12]) for key in story.articles]
        table.add_row(story.id, str(len(story.articles)), escape(story.label()),
                      escape(", ".join(names[:4]) + (" …" if len(names) > 4 else "")))
    return table


def write_disputes(disputes: Sequence[Dispute], path: Path) -> None:
    """Disputes as JSONL (one dispute per line, the schema in the README) or, for a ``.csv``
    path, one row per claim in a dispute."""
    if path.suffix.lower() == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=DISPUTE_CSV_COLUMNS)
            writer.writeheader()
            for rank, dispute in enumerate(disputes, start=1):
                for entry in dispute.entries:
                    writer.writerow({
                        "dispute": dispute.id, "rank": rank, "story": dispute.story,
                        "proposition": _spreadsheet_safe(dispute.proposition), "strength": round(dispute.strength, 4),
                        "side": entry.side, "speaker": _spreadsheet_safe(entry.claim.speaker),
                        "outlet": _spreadsheet_safe(entry.outlet), "article": _spreadsheet_safe(entry.article),
                        "quote": _spreadsheet_safe(entry.claim.text), "verb": entry.claim.verb,
                        "probability": round(entry.probability, 4),
                        "reasons": _spreadsheet_safe("; ".join(_reason_words(r) for r in entry.reasons)),
                        "hedge_cues": _spreadsheet_safe("; ".join(c.text for c in entry.claim.hedge_cues)),
                    })
        return
    with path.open("w", encoding="utf-8") as handle:
        for dispute in disputes:
            handle.write(json.dumps(dispute.to_dict(), ensure_ascii=False) + "\n")


def _entry_html(entry: DisputeEntry) -> str:
    reasons = "".join(f"<li>{html.escape(_reason_words(r))}</li>" for r in entry.reasons)
    verb = f" · {html.escape(entry.claim.verb)}" if entry.claim.verb else ""
    return (f'<div class="claim"><div class="who">{html.escape(entry.claim.speaker)}</div>'
            f'<div class="meta">{html.escape(entry.outlet)} · {html.escape(entry.article)}{verb} · '
            f"p {entry.probability:.2f}</div><p>{_highlighted(entry.claim)}</p>"
            + (f'<ul class="meta">{reasons}</ul>' if reasons else "") + "</div>")


def disputes_html(disputes: Sequence[Dispute], title: str = "detector: disputes", extra_sections: str = "") -> str:
    """Disputes as a self-contained HTML page: one card each, the sides side by side."""
    cards = []
    for rank, dispute in enumerate(disputes, start=1):
        columns = []
        for heading, sides, css in (("asserts / confirms", ("asserts", "confirms"), "entailment"),
                                    ("contradicts", ("contradicts",), "contradiction"), ("hedges", ("hedges",), "hedge")):
            entries = [e for side in sides for e in dispute.side(side)]
            inner = "".join(_entry_html(e) for e in entries) or '<p class="meta">nobody</p>'
            columns.append(f'<div><span class="badge {css}">{heading} ({len(entries)})</span>{inner}</div>')
        cards.append(f'<section class="dispute" id="dispute{rank}"><h3>#{rank} · {html.escape(dispute.proposition)}</h3>'
                     f'<p class="meta">strength {dispute.strength:.2f} · story {html.escape(dispute.story)} · '
                     f'id {html.escape(dispute.id)}</p><div class="sides">{"".join(columns)}</div></section>')
    body = "\n".join(cards) or "<p>No disputes were found.</p>"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{html.escape(title)}</title><style>{_STYLE}{_DISPUTE_STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p class=\"summary\">{counted(len(disputes), 'dispute')}, strongest first: what is "
        "claimed, who asserts it, who contradicts it and who only hedges; hedge cues are highlighted.</p>"
        f"{body}{extra_sections}</body></html>\n"
    )


_DISPUTE_STYLE = """
.dispute { border-top: 1px solid #ddd; padding: 1rem 0; } .dispute h3 { font-size: 1.05rem; margin: 0 0 .3rem; }
.sides { display: grid; grid-template-columns: repeat(3, 1fr); gap: .75rem; }
.sides .claim { margin-top: .5rem; } .sides ul { margin: .3rem 0 0; padding-left: 1.1rem; }
"""
