"""Disputes: grouping scored relations into propositions with sides, ranking, ids, the schema; the
flag policy and the store's record of the models behind its relations."""

import pytest

from detector.claims import Claim
from detector.disputes import SIDES, ScoredRelation, group_disputes
from detector.flagging import FlagPolicy
from detector.hedges import HedgeCue
from detector.store import ClaimStore, Relation, StoreError


def claim(claim_id: str, speaker: str, text: str, hedged: bool = False, verb: str = "said") -> Claim:
    cues = [HedgeCue("too early to say", 0, 16)] if hedged else []
    return Claim(claim_id, f"article-{claim_id[0]}", 0, text, speaker, verb, text, hedge_cues=cues)


CLAIMS = {c.id: c for c in [
    claim("a1", "Minister Vos", "The army has taken full control of the port of Medra."),
    claim("a2", "Rebel spokesman Duro", "Rebels still hold the port of Medra."),
    claim("a3", "Observer Lind", "It is too early to say who controls the port of Medra.", hedged=True),
    claim("a4", "State agency", "Government troops control the port of Medra."),
    claim("b1", "Mayor Berg", "The bridge will reopen on Friday."),
    claim("b2", "Ministry engineers", "The bridge will stay closed until next year."),
    claim("b3", "Rebel commander", "Rebel fighters are still inside the port of Medra."),
]}
ORDER = {claim_id: i for i, claim_id in enumerate(CLAIMS)}


def group(relations):
    return group_disputes(CLAIMS, relations, {c: c[0] for c in CLAIMS}, {c: f"outlet-{c[0]}" for c in CLAIMS},
                          lambda c: bool(c.hedge_cues), ORDER)


PORT = [
    ScoredRelation("a1", "a2", "contradiction", 0.9),
    ScoredRelation("a1", "a3", "hedge", 0.8),
    ScoredRelation("a1", "a4", "entailment", 0.85),
]


def test_one_dispute_with_every_side():
    [dispute] = group(PORT)
    assert dispute.anchor == "a1" and dispute.proposition == CLAIMS["a1"].proposition
    assert {name: [e.claim.id for e in dispute.side(name)] for name in SIDES} == {
        "asserts": ["a1"], "confirms": ["a4"], "contradicts": ["a2"], "hedges": ["a3"]}
    assert [e.outlet for e in dispute.entries] == ["outlet-a"] * 4
    assert dispute.speakers["contradicts"] == ["Rebel spokesman Duro"]


def test_a_supporter_of_the_denial_joins_the_contradicting_side():
    [dispute] = group([*PORT, ScoredRelation("a2", "b3", "entailment", 0.7)])
    assert [e.claim.id for e in dispute.side("contradicts")] == ["a2", "b3"]


def test_sides_do_not_chain_past_two_steps():
    chain = [ScoredRelation("a1", "a2", "contradiction", 0.9), ScoredRelation("a2", "b3", "entailment", 0.7),
             ScoredRelation("b3", "b1", "entailment", 0.7)]
    [dispute] = group(chain)
    assert "b1" not in {e.claim.id for e in dispute.entries}


def test_separate_propositions_are_separate_disputes_ranked_by_independent_sources():
    bridge = [ScoredRelation("b1", "b2", "contradiction", 0.95)]
    disputes = group(PORT + bridge)
    # The port has two sources against it (a contradiction and half a hedge) and two for it.
    assert [d.anchor for d in disputes] == ["a1", "b1"]
    assert disputes[0].strength > disputes[1].strength > 0


def test_a_hedge_alone_is_a_dispute_but_agreement_is_not():
    assert [d.anchor for d in group([ScoredRelation("a1", "a3", "hedge", 0.8)])] == ["a1"]
    assert group([ScoredRelation("a1", "a4", "entailment", 0.9)]) == []


def test_a_hedged_or_denying_claim_never_states_the_proposition():
    [dispute] = group([ScoredRelation("a3", "a1", "contradiction", 0.9)])
    assert dispute.anchor == "a1"


def test_the_id_survives_new_sides_and_the_order_of_relations():
    first = group(PORT[:1])[0].id
    assert group(PORT)[0].id == first
    assert group(list(reversed(PORT)))[0].id == first


def test_schema_is_one_json_object_per_dispute():
    row = group(PORT)[0].to_dict()
    assert set(row) == {"id", "story", "proposition", "strength", "sources", *SIDES}
    assert row["sources"] == {"asserts": 1, "confirms": 1, "contradicts": 1, "hedges": 1}
    entry = row["contradicts"][0]
    assert set(entry) == {"side", "speaker", "article", "outlet", "quote", "verb", "claim_id", "probability",
                          "reasons", "hedge_cues"}
    assert entry["speaker"] == "Rebel spokesman Duro" and entry["probability"] == 0.9
    assert row["hedges"][0]["hedge_cues"] == ["too early to say"]


def test_flag_policy_keeps_by_score_relatedness_and_shared_subject(tmp_path):
    a, b = CLAIMS["a1"], CLAIMS["a2"]  # share "port" and "medra"
    policy = FlagPolicy(min_score=0.6, min_shared=2, min_related=0.5)
    assert policy.keeps(Relation("a1", "a2", "contradiction", {}, 0.7, 0.5, 0.8), a, b)
    assert not policy.keeps(Relation("a1", "a2", "contradiction", {}, 0.5, 0.5, 0.8), a, b)  # score
    assert not policy.keeps(Relation("a1", "a2", "contradiction", {}, 0.7, 0.5, 0.3), a, b)  # gate
    assert policy.keeps(Relation("a1", "a2", "contradiction", {}, 0.7, 0.5, None), a, b)  # scored without a gate
    assert not policy.keeps(Relation("b1", "b2", "contradiction", {}, 0.9, 0.5, 0.9), CLAIMS["b1"], CLAIMS["a2"])
    policy.save(tmp_path, {"chosen_on": "a test"})
    assert FlagPolicy.for_model(tmp_path) == policy
    assert FlagPolicy.for_model(tmp_path / "no-policy-here") == FlagPolicy()


def test_a_store_refuses_relations_scored_with_and_without_the_gate(tmp_path):
    store = ClaimStore(tmp_path / "claims.db")
    store.check_models("detector-nli-minilm-l6", "all-MiniLM-L6-v2", "detector-relatedness-minilm-l6")
    with pytest.raises(StoreError, match="gate"):
        ClaimStore(tmp_path / "claims.db").check_models("detector-nli-minilm-l6", "all-MiniLM-L6-v2", "none")
