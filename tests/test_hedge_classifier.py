"""The sentence-level hedge classifier: fitting, JSON round trip, and its use in `detector eval`."""

import json

from typer.testing import CliRunner

from detector.cli import app
from detector.hedge_classifier import HEDGE_CLASSIFIER_FILE, HedgeClassifier

CERTAIN = ["The bridge opened in {}.", "The council approved the budget in {}.", "The river flooded in {}."]
UNCERTAIN = ["The bridge may have opened in {}.", "It is unclear whether the council met in {}.",
             "The river possibly flooded in {}."]


def sentences(years):
    texts = [t.format(y) for y in years for t in CERTAIN + UNCERTAIN]
    labels = [label for _ in years for label in [False] * len(CERTAIN) + [True] * len(UNCERTAIN)]
    return texts, labels


def test_fit_predict_and_json_round_trip(tmp_path):
    texts, labels = sentences(range(1990, 2010))
    dev_texts, dev_labels = sentences(range(2010, 2015))
    classifier = HedgeClassifier.fit(texts, labels, dev_texts, dev_labels)
    assert classifier.training["dev_f1"] == 1.0
    assert list(classifier.predict(["The bridge may have opened in 1850.", "The bridge opened in 1850."])) == [True, False]
    path = tmp_path / "h.json"
    classifier.save(path)
    assert json.loads(path.read_text())["terms"]  # plain JSON, no pickle
    again = HedgeClassifier.load(path)
    assert (again.predict_proba(dev_texts) == classifier.predict_proba(dev_texts)).all()


def test_eval_uses_the_model_folders_classifier(tmp_path, tiny_three_way):
    folder = tmp_path / "szeged_uncertainty"
    folder.mkdir()
    docs = "".join(
        f'<Document><DocumentPart><Sentence id="S{i}">{text}</Sentence></DocumentPart></Document>'
        for i, text in enumerate(["The bridge may have opened.", "The bridge opened."] * 3)
    )
    (folder / "factbank.xml").write_text(
        f'<Annotation><DocumentSet>{docs.replace("may have", "<ccue>may have</ccue>")}</DocumentSet></Annotation>')
    result = CliRunner().invoke(app, ["eval", "--dataset", "szeged-factbank", "--data-dir", str(tmp_path),
                                      "--model", str(tiny_three_way), "--report", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["model"] == "hedge-cue lexicon" and report["hedge_f1"] == 1.0 and report["n"] == 6

    texts, labels = sentences(range(1990, 2000))
    HedgeClassifier.fit(texts, labels, texts, labels).save(tiny_three_way / HEDGE_CLASSIFIER_FILE)
    try:
        result = CliRunner().invoke(app, ["eval", "--dataset", "szeged-factbank", "--data-dir", str(tmp_path),
                                          "--model", str(tiny_three_way), "--report", str(tmp_path / "r.json")])
        assert json.loads((tmp_path / "r.json").read_text())["model"] == "hedge classifier"
    finally:
        (tiny_three_way / HEDGE_CLASSIFIER_FILE).unlink()
