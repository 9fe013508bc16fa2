"""Source reliability: hand-checked small graphs (support, copying, hedging, bad input) and the truth-data loaders."""

import math

import pytest
from sklearn.exceptions import NotFittedError

from detector.public_data import DataNotFoundError
from detector.reliability import MajorityVote, Relation, SourceClaim, TruthFinder, beta_interval
from detector.truth_data import (
    load_books,
    load_emergent_veracity,
    load_population,
    parse_authors,
    structured_relations,
)

TAU_0 = math.log(10)  # -ln(1 - 0.9): the trust score of a source at the initial trust


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def bridge_graph():
    """A, B and C say the bridge fell (and confirm each other); D says it stands."""
    claims = [
        SourceClaim("a", "A", "The bridge collapsed on Monday."),
        SourceClaim("b", "B", "The bridge fell into the river."),
        SourceClaim("c", "C", "Engineers confirmed the bridge is down."),
        SourceClaim("d", "D", "The bridge is still standing."),
    ]
    relations = [Relation("a", "b", "entailment"), Relation("a", "c", "entailment"), Relation("b", "c", "entailment"),
                 Relation("a", "d", "contradiction"), Relation("b", "d", "contradiction"),
                 Relation("c", "d", "contradiction")]
    return claims, relations


def reliability(model, source):
    return model.source_scores_[source].reliability


def test_majority_vote_counts_sources_siding_with_each_claim():
    model = MajorityVote().fit(*bridge_graph())
    # a: itself, B and C for, D against -> 3/4; d: itself for, three against -> 1/4.
    assert model.predict(["a", "d"]) == [pytest.approx(0.75), pytest.approx(0.25)]
    assert reliability(model, "A") == pytest.approx(0.75) and reliability(model, "D") == pytest.approx(0.25)


def test_truthfinder_first_iteration_by_hand():
    model = TruthFinder(max_iterations=1).fit(*bridge_graph())
    # sigma*(a) = tau + 0.5 * (tau + tau - tau); sigma*(d) = tau - 0.5 * 3 tau; s = sigmoid(0.3 sigma*).
    assert model.claim_confidence_["a"] == pytest.approx(sigmoid(0.3 * 1.5 * TAU_0))
    assert model.claim_confidence_["d"] == pytest.approx(sigmoid(-0.3 * 0.5 * TAU_0))


def test_source_backed_by_two_independent_sources_beats_the_contradicted_one():
    model = TruthFinder().fit(*bridge_graph())
    assert reliability(model, "A") > 0.5 > reliability(model, "D")
    assert reliability(model, "A") == pytest.approx(reliability(model, "B"))  # the graph is symmetric in A, B, C
    score = model.source_scores_["D"]
    assert score.low < score.reliability < score.high and score.evidence == pytest.approx(3.0)


def test_evidence_names_the_right_sources():
    claims, relations = bridge_graph()
    claims.append(SourceClaim("e", "E", "It is unclear whether the bridge collapsed."))
    relations.append(Relation("a", "e", "hedge", 0.8))
    model = TruthFinder().fit(claims, relations)
    [evidence] = model.source_scores_["A"].claims
    assert (evidence.claim_id, evidence.supported_by, evidence.contradicted_by, evidence.hedged_by) == \
        ("a", ["B", "C"], ["D"], ["E"])
    assert model.source_scores_["D"].claims[0].contradicted_by == ["A", "B", "C"]
    # A hedge is neither support nor conflict: E's claim has no evidence, so E is unknown.
    assert model.claim_confidence_["e"] is None and reliability(model, "E") is None


def copy_graph(copier_text):
    """A says the mayor resigned; B denies it; C says what B says, in ``copier_text``."""
    claims = [SourceClaim("a", "A", "The mayor resigned."), SourceClaim("b", "B", "The mayor has not resigned!"),
              SourceClaim("c", "C", copier_text)]
    relations = [Relation("a", "b", "contradiction"), Relation("a", "c", "contradiction"),
                 Relation("b", "c", "entailment")]
    return claims, relations


def test_a_copy_does_not_count_twice():
    alone = TruthFinder().fit([SourceClaim("a", "A", "The mayor resigned."),
                               SourceClaim("b", "B", "The mayor has not resigned!")],
                              [Relation("a", "b", "contradiction")])
    copied = TruthFinder().fit(*copy_graph("the MAYOR has not   resigned"))  # same wording, once normalised
    independent = TruthFinder().fit(*copy_graph("Officials say the mayor is still in office."))
    assert reliability(alone, "A") == pytest.approx(reliability(alone, "B"))  # one against one: a draw
    assert reliability(copied, "A") == pytest.approx(reliability(alone, "A"))
    assert reliability(independent, "A") < reliability(copied, "A") - 0.05  # a second independent voice does count
    assert copied.source_scores_["B"].claims[0].copies_of == ["C"]
    assert copied.source_scores_["C"].claims[0].copies_of == ["B"]
    # The baseline counts the copy as a second vote.
    assert reliability(MajorityVote().fit(*copy_graph("the mayor has not resigned")), "A") == pytest.approx(1 / 3)


def hedge_graph(label, hedged):
    """B and C agree with each other and either back (entailment) or deny (contradiction) A's claim."""
    claims = [SourceClaim("a", "A", "Troops may have left the city.", hedged=hedged),
              SourceClaim("b", "B", "Troops left the city."), SourceClaim("c", "C", "The army withdrew from the city.")]
    opposite = "entailment" if label == "entailment" else "contradiction"
    relations = [Relation("a", "b", opposite), Relation("a", "c", opposite), Relation("b", "c", "entailment")]
    return claims, relations


@pytest.mark.parametrize("label", ["entailment", "contradiction"])
def test_a_hedged_claim_moves_reliability_less_than_a_firm_one(label):
    firm = TruthFinder(max_iterations=1).fit(*hedge_graph(label, hedged=False))
    hedged = TruthFinder(max_iterations=1).fit(*hedge_graph(label, hedged=True))
    neutral_point = sigmoid(0.3 * TAU_0)  # what A's claim would score with no support and no conflict
    assert abs(reliability(hedged, "A") - neutral_point) < abs(reliability(firm, "A") - neutral_point)
    assert hedged.source_scores_["A"].evidence == pytest.approx(firm.source_scores_["A"].evidence / 2)
    converged_firm = TruthFinder().fit(*hedge_graph(label, hedged=False))
    converged_hedged = TruthFinder().fit(*hedge_graph(label, hedged=True))
    if label == "entailment":
        assert reliability(converged_hedged, "A") < reliability(converged_firm, "A")
    else:
        assert reliability(converged_hedged, "A") > reliability(converged_firm, "A")


@pytest.mark.parametrize("model", [MajorityVote(), TruthFinder()], ids=["majority", "truthfinder"])
def test_no_evidence_is_unknown_never_a_crash(model):
    model.fit([], [])
    assert model.source_scores_ == {} and model.claim_confidence_ == {} and model.predict([]) == []
    claims = [SourceClaim("x", "X", "Alone."), SourceClaim("y1", "Y", "First."), SourceClaim("y2", "Y", "Second."),
              SourceClaim("z", "Z", "Shrug."), SourceClaim("w", "W", "Unrelated.")]
    relations = [Relation("y1", "y2", "contradiction"),  # a source does not vouch for (or against) itself
                 Relation("z", "w", "neutral", 0.9)]
    model.fit(claims, relations)
    assert model.predict(["x", "y1", "y2", "z", "w"]) == [None] * 5
    for source in "XYZW":
        score = model.source_scores_[source]
        assert (score.reliability, score.low, score.high, score.evidence) == (None, None, None, 0.0)
    # A source with a single related claim does get a score, with a wide interval.
    model.fit([SourceClaim("p", "P", "Yes."), SourceClaim("q", "Q", "Indeed yes.")], [Relation("p", "q", "entailment")])
    score = model.source_scores_["P"]
    assert 0.5 < score.reliability <= 1 and score.low < 0.5 and score.evidence == 1.0


def test_bad_input_raises_clear_errors():
    with pytest.raises(NotFittedError):
        TruthFinder().predict(["a"])
    with pytest.raises(ValueError, match="not among the claims"):
        TruthFinder().fit([SourceClaim("a", "A")], [Relation("a", "ghost", "entailment")])
    with pytest.raises(ValueError, match="unknown label"):
        TruthFinder().fit([SourceClaim("a", "A"), SourceClaim("b", "B")], [Relation("a", "b", "agree")])
    with pytest.raises(ValueError, match="appears twice"):
        MajorityVote().fit([SourceClaim("a", "A"), SourceClaim("a", "B")], [])
    with pytest.raises(KeyError):
        TruthFinder().fit([SourceClaim("a", "A")], []).predict(["b"])


def test_known_truth_anchors_trust_and_votes_count_copies_once():
    claims = [SourceClaim("r1", "Right", "It rained."), SourceClaim("w1", "Wrong", "It did not rain.")]
    model = TruthFinder().fit(claims, [Relation("r1", "w1", "contradiction")], known_truth={"r1": 1.0, "w1": 0.0})
    assert (reliability(model, "Right"), reliability(model, "Wrong")) == (1.0, 0.0)
    yes, copy = SourceClaim("n1", "Right", "Snow fell."), SourceClaim("n2", "Wrong", "snow fell")
    no = SourceClaim("n3", "Wrong", "No snow fell.")
    assert model.vote([(yes, 1), (copy, 1)]) == pytest.approx(model.vote([(yes, 1)]))
    assert model.vote([(yes, 1), (no, -1)]) > 0  # the trusted source outweighs the untrusted one
    assert MajorityVote().fit([], []).vote([(yes, 1), (copy, 1), (no, -1)]) == 1


def test_beta_interval_is_the_flat_prior_posterior():
    low, high = beta_interval(0, 0)  # no evidence: Beta(1, 1), uniform
    assert (low, high) == (pytest.approx(0.05), pytest.approx(0.95))


# The loaders, on tiny files in the real formats.

def write(path, text, newline="\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace("\n", newline), encoding="utf-8")


def test_author_lists_are_normalised():
    knuth = (("knuth", "de"),)
    assert parse_authors("Knuth, Donald E.") == parse_authors("Donald Ervin Knuth") == knuth
    assert parse_authors("Aiken, Peter/ Allen, David M.") == parse_authors("Peter Aiken, M. David Allen") == \
        parse_authors("aiken, peter ;  allen, m. david;") == (("aiken", "p"), ("allen", "dm"))
    assert parse_authors("Curland, Matthew J. (Author) Storage, Bill (Joint Author)") == \
        (("curland", "jm"), ("storage", "b"))
    assert parse_authors("Not Available") == parse_authors("") == ()


def test_books_loader_and_relations(tmp_path):
    write(tmp_path / "book_authors_truth" / "book.txt",
          "StoreA\t111\tArt of Programming\tKnuth, Donald E.\n"
          "StoreA\t111\tArt of Programming\tKnuth, Donald E.\n"  # listed twice: one claim
          "StoreB\t111\tThe Art of Programming\tDonald E. Knuth\n"
          "StoreC\t111\tArt\tKnuth\n"
          "StoreD\t111\tArt\tJohn Fuller\n"
          "StoreE\t111\tArt\tNot Available\n", newline="\r\n")
    write(tmp_path / "book_authors_truth" / "book_golden.txt", "111\tknuth, donald e.;\n")
    data = load_books(tmp_path)
    assert [(c.source, c.value) for c in data.claims] == [
        ("StoreA", (("knuth", "de"),)), ("StoreB", (("knuth", "de"),)), ("StoreC", (("knuth", ""),)),
        ("StoreD", (("fuller", "j"),))]
    assert data.truths == {"111": (("knuth", "de"),)}
    relations = {(r.claim_a, r.claim_b): (r.label, r.probability) for r in structured_relations(data.claims,
                                                                                                 data.similarity)}
    a, b, c, d = (claim.id for claim in data.claims)
    assert relations[(a, b)] == ("entailment", 1.0) and relations[(a, d)] == ("contradiction", 1.0)
    assert (a, c) not in relations  # a surname alone half agrees: neither support nor conflict
    model = TruthFinder().fit(data.claims, list(structured_relations(data.claims, data.similarity)))
    assert model.claim_confidence_[a] > model.claim_confidence_[d]


def test_population_loader_and_closeness(tmp_path):
    write(tmp_path / "population_truth" / "population-new.txt",
          "gary, indiana_2000\tcontributor #1: ann\t102746\t2000\n"
          "gary, indiana_2000\tcontributor #2: bob\t102900\t2000\n"
          "gary, indiana_2000\tcontributor #0 (1.2.3.4)\t150000\t2000\n")
    write(tmp_path / "population_truth" / "population-gd.txt", "gary, indiana, 2000, 102746")
    data = load_population(tmp_path)
    assert data.truths == {"gary, indiana_2000": 102746} and [c.value for c in data.claims] == [102746, 102900, 150000]
    relations = structured_relations(data.claims, data.similarity)
    # 0.15% apart: similarity 0.85, implication 0.7; 46% apart: full conflict.
    assert [(r.label, round(r.probability, 2)) for r in relations] == [
        ("entailment", 0.7), ("contradiction", 1.0), ("contradiction", 1.0)]


def test_emergent_loader_splits_by_claim_and_skips_unknown(tmp_path):
    folder = tmp_path / "emergent"
    header = (",claimHeadline,articleHeadline,articleHeadlineStance,articleId,claimId,url,source,claimTruth,"
              "claimCount,articleCount,sourceCount\n")
    write(folder / "edata_all.csv", header +
          "0,Bridge fell,Bridge falls,for,a1,c1,http://www.news.com/x,www.news.com,true,1,1,1\n"
          "1,Bridge fell,Bridge stands,against,a2,c1,https://blog.org/y,blog.org,true,1,1,1\n"
          "2,Cat elected,Cat wins,observing,a3,c2,other.net/z?utm=1,twitter,false,1,1,1\n"
          "3,Dog flies,Dog soars,for,a4,c3,http://news.com/w,news.com,unknown,1,1,1\n")
    split_header = ",claimHeadline,articleHeadline,articleHeadlineStance,articleId,claimId\n"
    write(folder / "url-versions-2015-06-14-clean-train.csv", split_header + "0,Bridge fell,Bridge falls,for,a1,c1\n")
    write(folder / "url-versions-2015-06-14-clean-test.csv", split_header + "0,Cat elected,Cat wins,observing,a3,c2\n")
    claims = load_emergent_veracity(tmp_path)
    assert [(c.id, c.truth, c.split) for c in claims] == [("c1", True, "train"), ("c2", False, "test")]
    assert [(a.source, a.stance) for a in claims[0].articles] == [("news.com", "for"), ("blog.org", "against")]
    assert claims[1].articles[0].source == "other.net"


def test_missing_files_raise_data_not_found(tmp_path):
    for loader in (load_books, load_population, load_emergent_veracity):
        with pytest.raises(DataNotFoundError, match="data file not found"):
            loader(tmp_path)


def test_structured_scores_report_ties_and_contested_items_separately():
    from detector.truth_data import ObjectClaim, TruthDataset
    from detector.truth_eval import structured_scores

    claims = [ObjectClaim("1", "a", value=10, object="x"), ObjectClaim("2", "b", value=10, object="x"),
              ObjectClaim("3", "a", value=5, object="y"), ObjectClaim("4", "b", value=6, object="y")]
    data = TruthDataset("toy", claims, {"x": 10, "y": 5}, lambda u, v: float(u == v), lambda u, v: u == v)
    # x is settled by both sources; y is a tie between 5 (right) and 6 (wrong)
    scores = structured_scores(data, {"x": [10], "y": [5, 6]})
    assert scores["accuracy"] == 0.75  # the tie counts as half right
    assert scores["ties_as_wrong"] == 0.5
    assert scores["contested_accuracy"] == 0.5  # only y is contested
    assert scores["ties"] == 1
