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


def _bound_is_met(bounded: str, exact_value: int) -> bool:
    import re

    word, number = re.search(r"(more than|at least|over|fewer than|less than|under) ([\d,]+)", bounded).groups()
    bound = int(number.replace(",", ""))
    return {
        "more than": exact_value > bound, "over": exact_value > bound, "at least": exact_value >= bound,
        "fewer than": exact_value < bound, "less than": exact_value < bound, "under": exact_value < bound,
    }[word]


def test_bound_number_label_follows_the_arithmetic():
    from detector.augment import bound_number
    from detector.labels import CONTRADICTION, ENTAILMENT

    sentence = "Officials said 1,234 homes and 47 schools were damaged."
    labels = set()
    for seed in range(40):
        bounded, label = bound_number(sentence, random.Random(seed))
        exact = 47 if "1,234" in bounded else 1234
        assert _bound_is_met(bounded, exact) == (label == ENTAILMENT), (bounded, label)
        labels.add(label)
    assert labels == {ENTAILMENT, CONTRADICTION}


def test_bound_number_leaves_years_dates_names_and_bounds_alone():
    from detector.augment import bound_number

    rng = random.Random(0)
    for sentence in (
        "The law was passed in 2019.", "The vote is on March 15.", "Flight 370 vanished.",
        "About 47 people were hurt.", "Between 40 and 50 people were hurt.", "Turnout was 61.4%.",
        "Inflation hit 47% in May.", "Only 9 people came.",
    ):
        assert bound_number(sentence, rng) is None, sentence


def test_augment_pairs_puts_the_exact_count_in_claim_b():
    from detector.augment import augment_pairs
    from detector.public_data import LabelledPair

    pair = LabelledPair("Rebels said 47 soldiers were captured in the raid.", "Nothing happened.", "neutral", "t")
    bounded = [
        twin for seed in range(60) for twin in augment_pairs([pair], random.Random(seed))
        if twin.claim_b == pair.claim_a
    ]
    assert bounded, "no bounded twin in 60 seeds"
    assert all("47" not in twin.claim_a and _bound_is_met(twin.claim_a, 47) == (twin.label == "entailment") for twin in bounded)


def test_snli_and_sick_put_the_specific_sentence_in_claim_b(tmp_path):
    from detector.public_data import load_sick, load_snli

    snli = tmp_path / "snli"
    snli.mkdir()
    for part in ("dev", "test"):
        (snli / f"s1.{part}").write_text("Two men play chess in a park .\n", encoding="utf-8")
        (snli / f"s2.{part}").write_text("People play a game .\n", encoding="utf-8")
        (snli / f"labels.{part}").write_text("entailment\n", encoding="utf-8")
    first = load_snli(tmp_path)[0]
    assert (first.claim_a, first.claim_b, first.label) == ("People play a game.", "Two men play chess in a park.", "entailment")

    (tmp_path / "sick").mkdir()
    (tmp_path / "sick" / "SICK.txt").write_text(
        "pair_ID\tsentence_A\tsentence_B\tentailment_label\tSemEval_set\n"
        "1\tA man is slicing a tomato\tA person is cutting food\tENTAILMENT\tTEST\n",
        encoding="utf-8",
    )
    (pair,) = load_sick(tmp_path, "test")
    assert (pair.claim_a, pair.claim_b) == ("A person is cutting food", "A man is slicing a tomato")
