from detector.hedges import find_hedge_cues


def texts(sentence):
    return [cue.text for cue in find_hedge_cues(sentence)]


def test_multiword_cues_win_over_their_words():
    assert texts("It cannot be said definitively that Lisichansk is under Russian control.") == [
        "cannot be said definitively"]
    assert texts("Officials declined to confirm or deny it.") == ["declined to confirm or deny"]
    assert texts("The video could not independently verify the claim.") == ["could not independently verify"]


def test_spans_point_into_the_text():
    sentence = "Sak hinted that soldiers MAY HAVE withdrawn."
    for cue in find_hedge_cues(sentence):
        assert sentence[cue.start:cue.end] == cue.text
    assert texts(sentence) == ["hinted", "MAY HAVE"]


def test_firm_claims_have_no_cues():
    assert texts("Russian forces have established full control over the city of Lisichansk.") == []
    assert texts("Maybelline and Mayday are not cues.") == []
