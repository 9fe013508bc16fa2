"""Sentence-level hedge detection: is a sentence uncertain?

A logistic regression over word uni- and bigrams, L1-regularised so that it keeps a few thousand
n-grams, trained on the Szeged uncertainty corpus (Wikipedia and biomedical training documents).
It is stored as plain JSON (terms, weights, intercept, threshold): no pickle is ever loaded. The
cue spans shown to users still come from the lexicon (:mod:`detector.hedges`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

HEDGE_CLASSIFIER_FILE = "hedge_classifier.json"
TOKEN_PATTERN = r"(?u)\b\w+\b"  # keeps one-letter words and modals such as "may"


@dataclass
class HedgeClassifier:
    terms: list[str]
    weights: list[float]
    intercept: float
    threshold: float = 0.5
    ngram_range: tuple[int, int] = (1, 2)
    training: dict = field(default_factory=dict)

    def _vectorizer(self) -> CountVectorizer:
        return CountVectorizer(
            vocabulary=self.terms, binary=True, ngram_range=tuple(self.ngram_range), token_pattern=TOKEN_PATTERN
        )

    def predict_proba(self, sentences: Sequence[str]) -> np.ndarray:
        """Probability that each sentence is uncertain."""
        scores = self._vectorizer().transform(list(sentences)) @ np.asarray(self.weights) + self.intercept
        return 1.0 / (1.0 + np.exp(-scores))

    def predict(self, sentences: Sequence[str]) -> np.ndarray:
        return self.predict_proba(sentences) >= self.threshold

    @classmethod
    def fit(
        cls,
        sentences: Sequence[str],
        uncertain: Sequence[bool],
        dev_sentences: Sequence[str],
        dev_uncertain: Sequence[bool],
        regularisation: float = 1.0,
        ngram_range: tuple[int, int] = (1, 2),
    ) -> HedgeClassifier:
        """Fit on the training sentences; choose the decision threshold that maximises dev F1."""
        vectorizer = CountVectorizer(binary=True, min_df=2, ngram_range=ngram_range, token_pattern=TOKEN_PATTERN)
        features = vectorizer.fit_transform(sentences)
        model = LogisticRegression(
            C=regularisation, l1_ratio=1.0, solver="liblinear", class_weight="balanced", max_iter=2000
        ).fit(features, uncertain)
        kept = np.flatnonzero(model.coef_[0])
        vocabulary = vectorizer.get_feature_names_out()
        classifier = cls(
            terms=[str(vocabulary[i]) for i in kept],
            weights=[float(model.coef_[0][i]) for i in kept],
            intercept=float(model.intercept_[0]),
            ngram_range=ngram_range,
        )
        probabilities = classifier.predict_proba(dev_sentences)
        f1, threshold = max(
            (f1_score(dev_uncertain, probabilities >= t, zero_division=0), float(t)) for t in np.arange(0.2, 0.95, 0.025)
        )
        classifier.threshold = round(threshold, 3)
        classifier.training = {"sentences": len(sentences), "dev_sentences": len(dev_sentences), "dev_f1": f1,
                               "regularisation": regularisation}
        return classifier

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> HedgeClassifier:
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw["ngram_range"] = tuple(raw["ngram_range"])
        return cls(**raw)


def load_hedge_classifier(model_folder: Path) -> HedgeClassifier | None:
    """The hedge classifier shipped in a model folder, or None when it has none."""
    path = model_folder / HEDGE_CLASSIFIER_FILE
    return HedgeClassifier.load(path) if path.is_file() else None
