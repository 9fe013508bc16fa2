import random

from detector.augment import add_modal, change_number, deny, hedge
from detector.hedges import find_hedge_cues
from detector.text import split_sentences


def test_split_sentences_keeps_quotes_and_abbreviations():
    text = 'He said "it is over." Then Mr. Smith left.\n\nA new paragraph without a stop'
    assert split_sentences(text) == ['He said "it is over."', "Then Mr. Smith left.", "A new paragraph without a stop"]


def test_change_number_changes_exactly_one_number():
    rng = random.Random(1)
    changed = change_number("At least 6 people died and 15 were injured.", rng)
    assert changed != "At least 6 people died and 15 were injured."
    assert changed.startswith("At least ") and changed.endswith(" were injured.")
    assert change_number("No digits here.", rng) is None


def test_add_modal_weakens_the_first_auxiliary():
    assert add_modal("The town was taken by troops.") == "The town may have been taken by troops."
    assert add_modal("Troops withdrew.") is None


def test_frames_embed_the_claim():
    rng = random.Random(0)
    hedged = hedge("The army took the city.", rng)
    assert "the army took the city" in hedged.lower()
    assert find_hedge_cues(hedged), hedged
    assert "the army took the city" in deny("The army took the city.", rng).lower()


def test_swap_antonym_and_change_date():
    from detector.augment import change_date, swap_antonym

    assert swap_antonym("Shares rose 5% after the profit warning.") == "Shares fell 5% after the profit warning."
    assert swap_antonym("Nothing to swap here.") is None
    moved = change_date("The vote is on Sunday in March.", random.Random(3))
    assert moved != "The vote is on Sunday in March." and moved.endswith("in March.")
