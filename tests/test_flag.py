"""detector flag: seed acceptance, the store's idempotence, resume after kill -9, reports, bad input."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from detector.articles import Article
from detector.cli import app
from detector.flagging import Flagger, FlagPolicy
from detector.pairing import load_embedder
from detector.reports import html_report
from detector.scoring import NLIScorer
from detector.store import ClaimStore

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "articles" / "lisichansk.txt"

ARTICLES = [
    "Interior Minister Karel Vos said on Monday that the army had taken full control of the port of Medra. "
    "Rebel spokesman Ilan Duro denied that government troops controlled the port. "
    "The port handles most of the region's grain exports.",
    "A spokeswoman for the coast guard, Mia Strand, said 14 people were rescued from the ferry. "
    "Local fishermen told reporters that nobody was rescued before dawn. "
    "The ferry sailed from Kassa on Friday night.",
    "Health Minister Oda Fell said the new vaccine cut hospital admissions by half. "
    "Researchers at the state institute said it was too early to say whether the vaccine reduced admissions. "
    "The vaccine was approved in March.",
    "The central bank said inflation fell to 3 percent in October. "
    "Opposition economist Lars Quist maintained that inflation rose to 5 percent in October. "
    "Markets were closed for a public holiday.",
    "Mayor Ida Berg said the bridge would reopen on Friday. "
    "Engineers from the transport ministry said the bridge would stay closed until next year. "
    "The bridge carries 40,000 cars a day.",
    "Company chief executive Jon Hale said profits rose in the third quarter. "
    "An analyst at Northbank, Eva Lind, said the company may have overstated its profits. "
    "The shares closed higher.",
]


EVERY = FlagPolicy.every()


@pytest.fixture(scope="module")
def flagger_parts(shipped_model):
    return NLIScorer(shipped_model, device="cpu"), load_embedder(device="cpu")


def test_seed_article_flags(flagger_parts):
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}")
    flagger = Flagger(*flagger_parts, ClaimStore())
    flagger.add(Article("lisichansk", SEED.read_text(encoding="utf-8")))
    top = flagger.flags()[:15]

    def has(label, fragment_a, speaker_a, fragment_b, speaker_b):
        def holds(claim, fragment, speaker):
            return fragment in claim.text and claim.speaker == speaker

        return any(
            f.label == label and (
                holds(f.claim_a, fragment_a, speaker_a) and holds(f.claim_b, fragment_b, speaker_b)
                or holds(f.claim_b, fragment_a, speaker_a) and holds(f.claim_a, fragment_b, speaker_b)
            )
            for f in top
        )

    shoigu = ("have established full control over the city of Lisichansk", "Russian Defense Minister Sergei Shoigu")
    assert has("contradiction", *shoigu, "Sak also denied", "Ukrainian Defense Ministry spokesman Yuriy Sak")
    assert has("hedge", *shoigu, "cannot be said definitively", "the Ukrainian president, Volodymyr Zelensky")


def test_store_is_idempotent_and_compares_with_past_articles(tmp_path, flagger_parts):
    path = tmp_path / "claims.db"
    first = Flagger(*flagger_parts, ClaimStore(path))
    first.add(Article("a1", ARTICLES[0]))
    store = ClaimStore(path)  # reopened: claims and embeddings come back from disk
    assert len(store.claims) == 3 and store.embeddings.shape == (3, 384)
    second = Flagger(*flagger_parts, store)
    assert second.add(Article("again", ARTICLES[0])).already_stored
    follow_up = Article("a2", "Government troops withdrew from the port of Medra on Monday, the rebels said.")
    outcome = second.add(follow_up)
    assert outcome.claims == 1 and outcome.pairs_scored >= 1
    relations = store.db.execute("SELECT COUNT(*) FROM relations").fetchone()[0]
    assert second.add(follow_up).already_stored
    assert store.db.execute("SELECT COUNT(*) FROM relations").fetchone()[0] == relations
    assert store.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 2


def test_no_sentences_is_a_problem_not_a_crash(flagger_parts):
    outcome = Flagger(*flagger_parts, ClaimStore()).add(Article("dots", "... --- 123 !!!"))
    assert outcome.problem == "no sentences found"


def test_html_escapes_article_text(flagger_parts):
    flagger = Flagger(*flagger_parts, ClaimStore(), min_similarity=-1)
    flagger.add(Article("evil", "Police said <script>document.title='pwned'</script> nobody was hurt. "
                                "Doctors said <b>three</b> people were hurt."))
    page = html_report(flagger.flags(labels=("contradiction", "hedge", "entailment", "neutral"), policy=EVERY))
    assert "<script>document" not in page and "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in page
    assert "<b>three</b>" not in page


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "detector.cli", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=600)


def write_articles(folder: Path) -> Path:
    folder.mkdir()
    for number, text in enumerate(ARTICLES):
        (folder / f"article{number}.txt").write_text(text, encoding="utf-8")
    return folder


def store_content(path: Path):
    db = sqlite3.connect(path)
    content = {table: sorted(db.execute(f"SELECT * FROM {table}").fetchall())
               for table in ("articles", "claims", "relations", "meta", "stories", "disputes")}
    db.close()
    return content


def test_resume_after_kill_gives_the_same_store_and_output(tmp_path, shipped_model):
    folder = write_articles(tmp_path / "articles")
    clean = run_cli("flag", folder, "--store", tmp_path / "clean.db", "--output", tmp_path / "clean.jsonl",
                    "--model", shipped_model, "--device", "cpu", "--min-similarity", "0")
    assert clean.returncode == 0, clean.stderr

    killed_db = tmp_path / "killed.db"
    command = [sys.executable, "-m", "detector.cli", "flag", str(folder), "--store", str(killed_db), "--output",
               str(tmp_path / "killed.jsonl"), "--model", str(shipped_model), "--device", "cpu", "--min-similarity", "0"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "HF_HUB_OFFLINE": "1"})
    committed = 0
    deadline = time.time() + 300
    while process.poll() is None and time.time() < deadline:
        if killed_db.exists():
            try:
                committed = sqlite3.connect(killed_db).execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                committed = 0
            if committed >= 2:
                process.send_signal(signal.SIGKILL)
                break
        time.sleep(0.02)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    assert 2 <= committed < len(ARTICLES)
    assert not (tmp_path / "killed.jsonl").exists()

    resumed = run_cli(*command[3:])
    assert resumed.returncode == 0, resumed.stderr
    assert store_content(killed_db) == store_content(tmp_path / "clean.db")
    assert (tmp_path / "killed.jsonl").read_text() == (tmp_path / "clean.jsonl").read_text()
    disputes = [json.loads(line) for line in (tmp_path / "clean.jsonl").read_text().splitlines()]
    assert disputes and set(disputes[0]) == {"id", "story", "proposition", "strength", "sources", "asserts", "confirms",
                                             "contradicts", "hedges"}
    entry = (disputes[0]["contradicts"] or disputes[0]["hedges"])[0]
    assert {"speaker", "outlet", "article", "quote", "probability", "reasons", "hedge_cues"} <= set(entry)


def test_bad_inputs_are_reported_and_the_batch_completes(tmp_path, shipped_model):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a_good.txt").write_text(ARTICLES[0], encoding="utf-8")
    (folder / "b_empty.txt").write_bytes(b"")
    (folder / "c_binary.txt").write_bytes(b"\x00\x01\x02binary")
    (folder / "d_latin1.txt").write_bytes("Caf\xe9 owners said prices rose.".encode("latin-1"))
    (folder / "e_huge.txt").write_bytes(b"Troops advanced. " * 700_000)  # about 12 MB
    (folder / "f_nosentences.txt").write_text("--- *** ---", encoding="utf-8")
    (folder / "g_feed.jsonl").write_text('{"id": "ok", "text": "Rebels denied that troops controlled the port of Medra."}\n'
                                        "{broken\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["flag", str(folder), "--output", str(tmp_path / "f.csv"), "--model",
                                      str(shipped_model), "--device", "cpu", "--top", "0"])
    assert result.exit_code == 1
    errors = result.stderr
    for expected in ("b_empty.txt: empty", "c_binary.txt: binary file", "d_latin1.txt: not UTF-8",
                     "e_huge.txt: larger than", "f_nosentences.txt: no sentences found", "g_feed.jsonl:2: malformed JSON"):
        assert expected in errors
    assert "2 articles (2 new" in errors
    assert (tmp_path / "f.csv").read_text(encoding="utf-8").startswith("dispute,rank,story,proposition,strength,side")


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed (apt-get install chromium)")
def test_report_renders_in_a_headless_browser(tmp_path, shipped_model):
    folder = write_articles(tmp_path / "articles")
    (folder / "evil.txt").write_text(
        "Interior Minister Karel Vos said the army controls Medra. <script>document.title='pwned';"
        "document.body.innerHTML=''</script> Rebel spokesman Ilan Duro denied that the army controls Medra.",
        encoding="utf-8")
    report, disputes_page = tmp_path / "report.html", tmp_path / "disputes.html"
    result = run_cli("flag", folder, "--html", report, "--model", shipped_model, "--device", "cpu", "--top", "0",
                     "--pairs", "--no-gate", "--min-shared", "0", "--min-score", "0.5")
    assert result.returncode == 0, result.stderr
    result = run_cli("flag", folder, "--html", disputes_page, "--model", shipped_model, "--device", "cpu", "--top",
                     "0", "--no-gate", "--min-shared", "0", "--min-score", "0.5")
    assert result.returncode == 0, result.stderr
    browser = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*browser, "--dump-dom", report.as_uri()], capture_output=True, text=True, timeout=120).stdout
    assert "<title>detector: flagged claims</title>" in dom  # the script did not run
    assert "&lt;script&gt;document.title='pwned'" in dom  # it is shown as text
    assert dom.count('class="flag"') >= 3
    dom = subprocess.run([*browser, "--dump-dom", disputes_page.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    assert "<title>detector: disputes</title>" in dom and dom.count('class="dispute"') >= 1
    shot = tmp_path / "report.png"
    subprocess.run([*browser, f"--screenshot={shot}", "--window-size=1200,1600", report.as_uri()],
                   capture_output=True, timeout=120)
    pixels = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    assert pixels.shape[:2] == (1600, 1200)
    assert (pixels.sum(axis=2) < 600).mean() > 0.02  # text and boxes drawn, not a blank page
    red_badge = (pixels[..., 0] > 230) & (pixels[..., 1] < 235) & (pixels[..., 1] > 200) & (pixels[..., 2] < 235)
    assert red_badge.sum() > 200  # the contradiction badge's pink


MEDRA = [
    Article("medra-1", "Interior Minister Karel Vos said on Monday that the army had taken full control of the port "
            "of Medra. Rebel spokesman Ilan Duro denied that government troops controlled the port of Medra. "
            "The port of Medra handles most of the region's grain exports.", outlet="Coast Wire",
            published="2026-03-02"),
    Article("medra-2", "Rebel fighters still hold the grain terminal at the port of Medra, a rebel commander, "
            "Ravi Osk, said on Tuesday. Observers from the regional mission said they could not confirm that the "
            "army controlled the port of Medra.", outlet="Valley Post", published="2026-03-03"),
]


def test_disputes_grow_with_new_articles_as_in_one_run(tmp_path, flagger_parts):
    incremental = ClaimStore(tmp_path / "incremental.db")
    Flagger(*flagger_parts, incremental).add(MEDRA[0])
    before = {d.id: d for d in Flagger(*flagger_parts, incremental).disputes(policy=EVERY)}
    second = Flagger(*flagger_parts, ClaimStore(tmp_path / "incremental.db"))  # reopened, as a later run would
    assert second.add(MEDRA[1]).story == second.stories.story_of[MEDRA[0].content_hash]  # the same story
    after = second.disputes(policy=EVERY)

    single = Flagger(*flagger_parts, ClaimStore())
    for article in MEDRA:
        single.add(article)
    assert [d.to_dict() for d in after] == [d.to_dict() for d in single.disputes(policy=EVERY)]
    assert before, "the first article holds a dispute"
    for dispute in after:  # a dispute the new article extends keeps its id and its earlier claims
        if dispute.id in before:
            assert {e.claim.id for e in before[dispute.id].entries} <= {e.claim.id for e in dispute.entries}
    claim_ids = [e.claim.id for d in after for e in d.entries]
    assert len(claim_ids) == len(set(claim_ids))  # no claim in two disputes: no duplicates
    assert [row["id"] for row in second.store.disputes()] == [d.id for d in after]
