"""Figures and dates read as intervals, compared across two claims, and the reasons they give."""

import math

import numpy as np
import pytest

from detector.labels import LABELS
from detector.quantities import compare_quantities, extract_quantities
from detector.reasons import pair_reasons, weigh_numbers


def only(text):
    [quantity] = extract_quantities(text)
    return quantity


@pytest.mark.parametrize("text, low, high, low_open, high_open", [
    ("Losses exceeded 400.", 400, math.inf, True, False),
    ("At least six people died.", 6, math.inf, False, False),
    ("Fewer than 20 trucks crossed.", 0, 20, False, True),
    ("Up to 300 homes flooded.", 0, 300, False, False),
    ("Casualties were in the single digits.", 1, 9, False, False),
    ("Dozens of homes burned.", 24, 99, False, False),
    ("Between 40 and 50 people were hurt.", 40, 50, False, False),
    ("Some 2,500 troops were deployed.", 2250, 2750, False, False),
    ("Twenty-five protesters were arrested.", 25, 25, False, False),
    ("Nobody was killed.", 0, 0, False, False),
])
def test_bounds_and_vague_amounts_become_intervals(text, low, high, low_open, high_open):
    quantity = only(text)
    assert (quantity.low, quantity.high, quantity.low_open, quantity.high_open) == pytest.approx((low, high, low_open, high_open))
    assert quantity.kind == "count"


@pytest.mark.parametrize("text, kind, value", [
    ("The convoy stopped 3 km away.", "length", 3000),
    ("The strike lasted three days.", "duration", 72),
    ("Turnout was 61.4 per cent.", "percent", 61.4),
    ("The firm raised $4.8 million.", "money:usd", 4.8e6),
    ("The ship carried 12 tonnes of grain.", "mass", 12000),
])
def test_units_are_read_in_one_base_unit(text, kind, value):
    quantity = only(text)
    assert quantity.kind == kind and quantity.low == pytest.approx(value) == quantity.high


def test_dates_are_read_at_the_precision_given():
    found = {q.kind: q.low for q in extract_quantities("The vote was held on Friday, 14 March 2023, not in May.")}
    assert found == {"weekday": 4, "day": 314, "year": 2023, "month": 5}


def test_claims_without_figures_give_nothing():
    assert extract_quantities("Sak denied that Russia had achieved full control of Lisichansk.") == []
    assert compare_quantities("Russia took the city.", "The city fell to Russia.") == []


@pytest.mark.parametrize("claim_a, claim_b, relation", [
    ("More than 60% of voters turned out.", "Turnout was 61.4%.", "match"),
    ("Losses exceeded 400.", "Losses were in the single digits.", "conflict"),
    ("At least six people died.", "Seven people died.", "match"),
    ("At least six people died.", "Four people died.", "conflict"),
    ("At least six people died.", "About eight people died.", "match"),
    ("At least six people died.", "Between five and nine people died.", "compatible"),
    ("Fewer than 20 trucks crossed.", "Dozens of trucks crossed.", "conflict"),
    ("The convoy stopped about 3 km away.", "The convoy stopped 3,000 metres away.", "match"),
    ("A third of the ballots were spoiled.", "34% of the ballots were spoiled.", "match"),
    ("Between 40 and 50 people were hurt.", "62 people were hurt.", "conflict"),
    ("The strike lasted three days.", "The strike lasted 72 hours.", "match"),
    ("The vote was held on Tuesday.", "The vote was held on Friday.", "conflict"),
    ("The company was founded in 2019.", "The company was founded in 2019 by two engineers.", "match"),
])
def test_relation_of_b_to_a(claim_a, claim_b, relation):
    [found] = compare_quantities(claim_a, claim_b)
    assert found.relation == relation


def test_different_kinds_and_different_counted_things_are_not_compared():
    assert compare_quantities("Turnout was 61%.", "The count took 3 days.") == []
    assert compare_quantities("Six soldiers and 40 civilians died.", "Twelve tanks were destroyed.") == []


def test_reasons_name_figures_antonyms_and_negations():
    reasons = pair_reasons("Russian losses exceeded 400, and the rouble rose.",
                           "Russian losses were in the single digits and the rouble fell, officials denied.")
    assert {"kind": "number", "a": "exceeded 400", "b": "in the single digits", "relation": "conflict"} in reasons
    assert {"kind": "antonym", "a": "rose", "b": "fell", "relation": "opposite"} in reasons
    assert {"kind": "negation", "a": None, "b": "denied", "relation": "only_in_b"} in reasons
    assert pair_reasons("The talks resumed.", "Delegates met again in Geneva.") == []


def test_weigh_numbers_moves_odds_toward_what_the_figures_say():
    probs = np.full(len(LABELS), 0.25)
    conflict = [{"kind": "number", "a": "x", "b": "y", "relation": "conflict"}]
    match = [{"kind": "number", "a": "x", "b": "y", "relation": "match"}]
    dates = [{"kind": "date", "a": "x", "b": "y", "relation": "conflict"}]
    assert LABELS[int(np.argmax(weigh_numbers(probs, conflict, 1.0)))] == "contradiction"
    assert LABELS[int(np.argmax(weigh_numbers(probs, match, 1.0)))] == "entailment"
    assert weigh_numbers(probs, conflict, 1.0).sum() == pytest.approx(1.0)
    assert (weigh_numbers(probs, dates, 1.0) == probs).all()  # dates are left to the model
    assert (weigh_numbers(probs, conflict, 0.0) == probs).all()


def test_one_of_is_not_a_count():
    assert extract_quantities("One of the missiles destroyed a hotel.") == []
    assert only("One person died.").low == 1
