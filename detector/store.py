"""The store of past claims: a SQLite file holding every article, claim, embedding and relation.

Articles are keyed on the hash of their text, so reading the same article twice adds nothing.
Each article is written in one transaction (its row, its claims with embeddings, and every
relation scored for them), so a run killed at any point leaves the store as it was after the
last whole article; running again picks up from there and ends in the same state as one clean
run. ``ClaimStore(":memory:")`` gives a throw-away store with the same behaviour.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from detector.articles import Article
from detector.claims import Claim

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    hash TEXT PRIMARY KEY, id TEXT NOT NULL, title TEXT, outlet TEXT, published TEXT, origin TEXT,
    position INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY, article_hash TEXT NOT NULL REFERENCES articles(hash), position INTEGER NOT NULL,
    data TEXT NOT NULL, embedding BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS relations (
    claim_a TEXT NOT NULL REFERENCES claims(id), claim_b TEXT NOT NULL REFERENCES claims(id),
    label TEXT NOT NULL, probs TEXT NOT NULL, score REAL NOT NULL, similarity REAL NOT NULL, related REAL,
    PRIMARY KEY (claim_a, claim_b)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stories (article_hash TEXT PRIMARY KEY REFERENCES articles(hash), story TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS disputes (id TEXT PRIMARY KEY, position INTEGER NOT NULL, data TEXT NOT NULL);
"""


class StoreError(RuntimeError):
    """The store cannot be opened, or was built with a different model."""


@dataclass
class Relation:
    """A scored pair of stored claims: the relation of claim B to claim A."""

    claim_a: str
    claim_b: str
    label: str
    probs: dict[str, float]
    score: float
    similarity: float
    related: float | None = None  # the relatedness gate's probability; None when no gate was used


class ClaimStore:
    """Claims and relations on disk (or in memory), with the embeddings held in memory for search."""

    def __init__(self, path: str | Path = ":memory:"):
        try:
            self.db = sqlite3.connect(str(path))
            self.db.executescript(SCHEMA)
            columns = {row[1] for row in self.db.execute("PRAGMA table_info(relations)")}
            if "related" not in columns:  # a store from before the relatedness gate
                self.db.execute("ALTER TABLE relations ADD COLUMN related REAL")
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot open claim store {path}: {error}") from error
        self.path = str(path)
        self.claims: list[Claim] = []
        self.article_ids: dict[str, str] = {}  # claim id -> article id
        self.outlets: dict[str, str] = {}  # claim id -> the article's outlet, else its id
        self.article_hashes: dict[str, str] = {}  # claim id -> the article's content hash
        self.published: dict[str, str] = {}  # article hash -> its publication date, if known
        self._embeddings: list[np.ndarray] = []
        self._positions: dict[str, int] = {}
        for data, embedding, article_hash, article_id, outlet, published in self.db.execute(
            "SELECT c.data, c.embedding, a.hash, a.id, a.outlet, a.published FROM claims c "
            "JOIN articles a ON a.hash = c.article_hash ORDER BY a.position, c.position"
        ):
            claim = Claim.from_dict(json.loads(data))
            self.claims.append(claim)
            self.article_ids[claim.id] = article_id
            self.outlets[claim.id] = outlet or article_id
            self.article_hashes[claim.id] = article_hash
            self.published[article_hash] = published or ""
            self._embeddings.append(np.frombuffer(embedding, dtype=np.float32))
        self.stories: dict[str, str] = dict(self.db.execute("SELECT article_hash, story FROM stories"))

    def check_models(self, scorer: str, embedder: str, gate: str = "none") -> None:
        """Refuse to mix relations scored by different models (or with and without the
        relatedness gate) in one store."""
        stored = dict(self.db.execute("SELECT key, value FROM meta"))
        wanted = {"scorer": scorer, "embedder": embedder, "gate": gate}
        for key, value in wanted.items():
            if key in stored and stored[key] != value:
                raise StoreError(f"store {self.path} was built with {key} {stored[key]!r}, not {value!r}; use a new store")
        with self.db:
            self.db.executemany("INSERT OR IGNORE INTO meta VALUES (?, ?)", wanted.items())

    @property
    def embeddings(self) -> np.ndarray:
        return np.stack(self._embeddings) if self._embeddings else np.zeros((0, 0), dtype=np.float32)

    def has_article(self, content_hash: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE hash = ?", (content_hash,)).fetchone() is not None

    def add_article(
        self, article: Article, claims: Sequence[Claim], embeddings: np.ndarray, relations: Iterable[Relation],
        story: str | None = None,
    ) -> None:
        """Write an article with its claims, relations and story in one transaction."""
        content_hash = article.content_hash
        with self.db:
            if story is not None:
                self.db.execute("INSERT OR REPLACE INTO stories VALUES (?, ?)", (content_hash, story))
            position = self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            self.db.execute(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)",
                (content_hash, article.id, article.title, article.outlet, article.published, article.origin, position),
            )
            self.db.executemany(
                "INSERT INTO claims VALUES (?, ?, ?, ?, ?)",
                [(c.id, content_hash, c.index, json.dumps(c.to_dict()), e.astype(np.float32).tobytes())
                 for c, e in zip(claims, embeddings)],
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO relations VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(r.claim_a, r.claim_b, r.label, json.dumps(r.probs), r.score, r.similarity, r.related)
                 for r in relations],
            )
        for claim, embedding in zip(claims, embeddings):
            self.claims.append(claim)
            self.article_ids[claim.id] = article.id
            self.outlets[claim.id] = article.outlet or article.id
            self.article_hashes[claim.id] = content_hash
            self._embeddings.append(np.asarray(embedding, dtype=np.float32))
        self.published[content_hash] = article.published or ""
        if story is not None:
            self.stories[content_hash] = story

    def set_stories(self, stories: dict[str, str]) -> None:
        """Record the story of articles stored before stories were kept (older stores)."""
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO stories VALUES (?, ?)", stories.items())
        self.stories.update(stories)

    def replace_disputes(self, disputes: Sequence[dict]) -> None:
        """Keep the current disputes (JSON-ready dicts, ranked) in place of the previous ones."""
        with self.db:
            self.db.execute("DELETE FROM disputes")
            self.db.executemany("INSERT INTO disputes VALUES (?, ?, ?)",
                                [(d["id"], position, json.dumps(d)) for position, d in enumerate(disputes)])

    def disputes(self) -> list[dict]:
        """The disputes last written, ranked."""
        return [json.loads(data) for (data,) in self.db.execute("SELECT data FROM disputes ORDER BY position")]

    def relations(self, labels: Sequence[str], article_hashes: Sequence[str] | None = None) -> list[Relation]:
        """Stored relations with one of ``labels``, touching the given articles (all when None),
        ranked by the label's probability times the two claims' similarity."""
        query = (
            "SELECT r.claim_a, r.claim_b, r.label, r.probs, r.score, r.similarity, r.related FROM relations r "
            "JOIN claims ca ON ca.id = r.claim_a JOIN claims cb ON cb.id = r.claim_b "
            f"WHERE r.label IN ({','.join('?' * len(labels))})"
        )
        parameters: list = list(labels)
        if article_hashes is not None:
            marks = ",".join("?" * len(article_hashes))
            query += f" AND (ca.article_hash IN ({marks}) OR cb.article_hash IN ({marks}))"
            parameters += list(article_hashes) * 2
        # Central disputes first: a confident label on two claims about the same thing.
        query += " ORDER BY r.score * r.similarity DESC, r.claim_a, r.claim_b"
        return [Relation(a, b, label, json.loads(probs), score, similarity, related)
                for a, b, label, probs, score, similarity, related in self.db.execute(query, parameters)]

    def claim(self, claim_id: str) -> Claim:
        return self.claims[self._index()[claim_id]]

    def _index(self) -> dict[str, int]:
        if len(self._positions) != len(self.claims):
            self._positions = {claim.id: i for i, claim in enumerate(self.claims)}
        return self._positions

    def close(self) -> None:
        self.db.close()
