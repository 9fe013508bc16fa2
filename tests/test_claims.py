"""Claim extraction and attribution: the seed article, and the rules one at a time."""

from pathlib import Path

import pytest

from detector.claims import extract_claims, split_clauses

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "articles" / "lisichansk.txt"


@pytest.fixture(scope="module")
def seed_claims():
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}")
    return extract_claims(SEED.read_text(encoding="utf-8"), "lisichansk")


def find(claims, fragment):
    return next(c for c in claims if fragment in c.text)


@pytest.mark.parametrize("fragment, speaker, verb", [
    ("have established full control over the city of Lisichansk", "Russian Defense Minister Sergei Shoigu", "told"),
    ("Sak also denied", "Ukrainian Defense Ministry spokesman Yuriy Sak", "denied"),
    ("he hinted that soldiers may have withdrawn", "Ukrainian Defense Ministry spokesman Yuriy Sak", "hinted"),
    ("it cannot be said definitively", "the Ukrainian president, Volodymyr Zelensky", "maintained"),
    ("There are battles on the outskirts", "the Ukrainian president, Volodymyr Zelensky", "said"),
    ("geolocated images showed", "The US Institute for the Study of War (ISW)", "said"),
    ("The ISW believes", "The US Institute for the Study of War (ISW)", "believes"),
    ("Serhiy Gaidai, admitted", "the governor of Lugansk, Serhiy Gaidai", "admitted"),
    ("To preserve the lives", "the General Staff of the Ukrainian armed forces", "said"),
    ("kyiv still controls 45%", "the governor of the province, Pavlo Kyrylenko", "said"),
    ("Kyrylenko today denounced", "the governor of the province, Pavlo Kyrylenko", "denounced"),
    ("at least six people died", "Tetyana Ignatchenko, spokesman for the regional administration", "according to"),
    ("his spokesman assured", "Russian Defense Minister Sergei Shoigu’s spokesman", "assured"),
])
def test_seed_article_attribution(seed_claims, fragment, speaker, verb):
    claim = find(seed_claims, fragment)
    assert (claim.speaker, claim.verb) == (speaker, verb)


def test_denial_has_its_proposition_and_stance(seed_claims):
    sak = find(seed_claims, "Sak also denied")
    assert sak.stance == "denies"
    assert sak.proposition == "Russia had achieved “full control” of Lisichansk"
    assert "although" not in sak.text  # the hint is a clause of its own


def test_hedge_cues_and_narration(seed_claims):
    zelensky = find(seed_claims, "it cannot be said definitively")
    assert [c.text for c in zelensky.hedge_cues] == ["cannot be said definitively"]
    assert zelensky.scored_text.startswith("it cannot be said definitively")
    opening = seed_claims[0]
    assert opening.narration and opening.speaker == "lisichansk (narration)"


def test_quotation_split_by_the_sentence_splitter_is_one_claim(seed_claims):
    quote = find(seed_claims, "There are battles on the outskirts")
    assert "Accelerating the supply of weapons" in quote.text and quote.quoted


@pytest.mark.parametrize("text, speaker, verb, proposition", [
    ("The mine collapsed on Monday, the company said.", "the company", "said", "The mine collapsed on Monday"),
    ("“We will not resign,” said Interior Minister Ana Lima.", "Interior Minister Ana Lima", "said", "We will not resign"),
    ("According to the coast guard, 14 people were rescued.", "the coast guard", "according to", "14 people were rescued"),
    ("Police spokesman Tom Reyes denied that shots were fired.", "Police spokesman Tom Reyes", "denied", "shots were fired"),
])
def test_single_sentence_rules(text, speaker, verb, proposition):
    [claim] = extract_claims(text, "t")
    assert (claim.speaker, claim.verb, claim.proposition) == (speaker, verb, proposition)


def test_pronoun_resolves_to_the_last_named_speaker():
    claims = extract_claims("Mayor Ida Berg said the bridge is safe. “It will reopen on Friday,” she said.", "t")
    assert [c.speaker for c in claims] == ["Mayor Ida Berg", "Mayor Ida Berg"]


def test_outlet_is_the_speaker_of_narration():
    [claim] = extract_claims("The river burst its banks overnight.", "t", outlet="Wire Agency")
    assert claim.speaker == "Wire Agency" and claim.narration


def test_clauses_split_at_contrastive_joints_outside_quotes():
    assert split_clauses("He denied the report, although he hinted that troops may have left.") == [
        "He denied the report", "he hinted that troops may have left."]
    assert len(split_clauses("“We won, but it was close,” she said.")) == 1
