"""Stories and the subject gate: which articles tell one event, which claims are about one thing."""

import numpy as np

from detector.claims import Claim
from detector.stories import StoryIndex, article_profile
from detector.subjects import shared_subject


def profile(key: str, texts: list[str], direction: int, published: str = ""):
    claims = [Claim(f"{key}-{i}", key, i, t, "someone", "said", t) for i, t in enumerate(texts)]
    vectors = np.zeros((len(texts), 8), dtype=np.float32)
    vectors[:, direction] = 1.0
    return article_profile(key, claims, vectors, published)


def test_articles_on_one_event_share_a_story_and_others_do_not():
    stories = StoryIndex(min_similarity=0.45)
    first = stories.add(profile("a", ["Dorvan said its troops took Brezhany.", "Laskovia denied Brezhany fell."], 0))
    second = stories.add(profile("b", ["Laskovian troops still hold Brezhany, Hrynko said."], 0))
    other = stories.add(profile("c", ["Norbeck said the Velquorin trial met its goal."], 3))
    assert first.id == second.id != other.id
    assert stories.stories[first.id].articles == ["a", "b"]
    assert stories.stories[first.id].label().startswith("Brezhany")


def test_articles_far_apart_in_time_open_a_new_story():
    stories = StoryIndex(min_similarity=0.45, max_days=14)
    first = stories.add(profile("a", ["Dorvan said its troops took Brezhany."], 0, "2026-03-01"))
    later = stories.add(profile("b", ["Dorvan said its troops took Brezhany."], 0, "2026-05-01"))
    assert first.id != later.id


def test_a_placed_article_keeps_its_story_and_a_stored_story_is_kept():
    stories = StoryIndex()
    placed = stories.add(profile("a", ["Medra port was taken."], 0), story_id="from-store")
    assert placed.id == "from-store" and stories.add(profile("a", ["Medra port was taken."], 0)).id == "from-store"
    stories.discard("a")
    assert stories.stories == {} and stories.story_of == {}


def test_shared_subject_reads_content_words_and_figure_kinds():
    assert shared_subject("Russia took full control of Lisichansk.", "Ukraine still holds Lisichansk.") == {"lisichansk"}
    assert "figure:count:people" in shared_subject("Six people were killed in Sloviansk.", "Four people died.")
    assert shared_subject("The bridge will reopen on Friday, the mayor said.", "Inflation fell to 3 percent.") == set()
