"""Stories: articles about the same event, so that claims are only compared within one story.

Two articles are about the same event when their claims read alike (cosine similarity of the
mean of their claims' embeddings) and they name the same people, places and organisations
(overlap of their named entities). A new article joins the story holding its most similar
article when that similarity reaches ``min_similarity`` and the two were published within
``max_days`` of each other (when both dates are known); otherwise it opens a new story. That is
single-link clustering done one article at a time, so adding articles never moves an article
that was already placed, and a store can keep the stories as it grows.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from detector.claims import Claim
from detector.pairing import anchors

ENTITY_WEIGHT = 0.5


@dataclass
class ArticleProfile:
    """What story grouping needs to know about one article."""

    key: str  # the article's content hash
    centroid: np.ndarray  # unit-length mean of its claims' embeddings
    entities: Counter  # named entities (lower case) with their counts
    published: date | None = None


@dataclass
class Story:
    """Articles about one event, and the names they share most."""

    id: str
    articles: list[str] = field(default_factory=list)  # content hashes, in order of arrival
    entities: Counter = field(default_factory=Counter)

    def label(self, size: int = 4) -> str:
        """The names the story's articles mention most, for a reader to recognise it."""
        return ", ".join(name.title() for name, _ in self.entities.most_common(size))


def article_profile(key: str, claims: Sequence[Claim], embeddings: np.ndarray, published: str = "") -> ArticleProfile:
    """An article's profile from its claims and their unit-length embeddings."""
    centroid = embeddings.mean(axis=0) if len(embeddings) else np.zeros(embeddings.shape[1], dtype=np.float32)
    norm = float(np.linalg.norm(centroid))
    entities = Counter(a for claim in claims for a in anchors(claim.text) if not a[:1].isdigit())
    return ArticleProfile(key, centroid / norm if norm else centroid, entities, _parse_date(published))


def _parse_date(text: str) -> date | None:
    found = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", text or "")
    if not found:
        return None
    try:
        return date(*map(int, found.groups()))
    except ValueError:
        return None


def article_similarity(first: ArticleProfile, second: ArticleProfile, entity_weight: float = ENTITY_WEIGHT) -> float:
    """Weighted mean of the centroids' cosine and the overlap coefficient of the named entities."""
    cosine = float(first.centroid @ second.centroid)
    shared, smaller = set(first.entities) & set(second.entities), min(len(first.entities), len(second.entities))
    overlap = len(shared) / smaller if smaller else 0.0
    return (1 - entity_weight) * cosine + entity_weight * overlap


class StoryIndex:
    """Every article placed so far, and its story; grows with :meth:`add`.

    >>> stories = StoryIndex(min_similarity=0.45)
    >>> story = stories.add(article_profile(key, claims, embeddings, "2026-03-10"))
    """

    def __init__(self, min_similarity: float = 0.45, max_days: int = 14, entity_weight: float = ENTITY_WEIGHT):
        self.min_similarity, self.max_days, self.entity_weight = min_similarity, max_days, entity_weight
        self.profiles: list[ArticleProfile] = []
        self._centroids = np.zeros((0, 0), dtype=np.float32)  # rows beyond len(profiles) are spare
        self.stories: dict[str, Story] = {}
        self.story_of: dict[str, str] = {}  # content hash -> story id

    def add(self, profile: ArticleProfile, story_id: str | None = None) -> Story:
        """Place an article: in ``story_id`` when given (read back from a store), else by similarity."""
        if profile.key in self.story_of:
            return self.stories[self.story_of[profile.key]]
        if story_id is None:
            story_id = self.closest(profile) or profile.key[:12]
        story = self.stories.setdefault(story_id, Story(story_id))
        story.articles.append(profile.key)
        story.entities.update(profile.entities)
        if len(self.profiles) == len(self._centroids):  # grow by doubling: appending stays cheap
            grown = np.zeros((max(64, 2 * len(self._centroids)), len(profile.centroid)), dtype=np.float32)
            if self.profiles:
                grown[:len(self.profiles)] = self._centroids
            self._centroids = grown
        self._centroids[len(self.profiles)] = profile.centroid
        self.profiles.append(profile)
        self.story_of[profile.key] = story_id
        return story

    def discard(self, key: str) -> None:
        """Take back the last article placed (one that could not be stored)."""
        if not self.profiles or self.profiles[-1].key != key:
            return
        profile = self.profiles.pop()
        story = self.stories[self.story_of.pop(key)]
        story.articles.remove(key)
        story.entities -= profile.entities
        if not story.articles:
            del self.stories[story.id]

    def closest(self, profile: ArticleProfile, shortlist: int = 50) -> str | None:
        """The story of the most similar article placed so far, if similar enough.

        Only the ``shortlist`` articles whose centroids are closest are weighed in full, so
        placing an article costs one matrix-vector product over the store, not a Python loop.
        """
        if not self.profiles:
            return None
        cosines = self._centroids[:len(self.profiles)] @ profile.centroid
        best, best_story = -math.inf, None
        for index in np.argsort(-cosines, kind="stable")[:shortlist]:
            other = self.profiles[int(index)]
            if self._too_far_apart(profile, other):
                continue
            similarity = article_similarity(profile, other, self.entity_weight)
            if similarity > best:
                best, best_story = similarity, self.story_of[other.key]
        return best_story if best >= self.min_similarity else None

    def _too_far_apart(self, first: ArticleProfile, second: ArticleProfile) -> bool:
        if first.published is None or second.published is None:
            return False
        return abs((first.published - second.published).days) > self.max_days
