"""Measuring truth discovery: majority vote against TruthFinder, side by side from the same run.

Used by ``detector sources --dataset`` and ``python -m eval.truth_discovery``.

- ``book`` (Book–author) and ``population``: support and conflict between claims on one object
  come from their values (:func:`detector.truth_data.structured_relations`); on each gold object
  the value whose claims are most confident is chosen (ties: the value more sources gave
  exactly), and accuracy is the share of gold objects where it is the gold value. A tie that
  remains counts as the expected accuracy of a random pick among the tied values.
- ``emergent``: sources are news sites, each article's stance on its rumour comes from the
  detector (claim against headline: entailment -> for, contradiction -> against, else
  observing) and, for comparison, from the gold annotation. Articles of one rumour support each
  other when their stances agree and conflict when they oppose. Reliabilities are learned on the
  training rumours only; a test rumour is called true when the stance vote of its articles is
  positive (majority: one vote per article; TruthFinder: each site weighted by its learned trust
  score, copies counted once), and a tied vote goes to the class most common among the
  training rumours. ``truthfinder+train-truth`` also holds each training article at the
  known truth of what it says (for a true rumour, or against a false one), so that trust is
  learned from known outcomes. No parameter is tuned: TruthFinder runs with the paper's values.

Each run gives a report: ``dataset``, ``n``, ``methods`` ({name: {accuracy, ...}}) and details of
the run; :func:`run_dataset` adds ``seconds``.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from detector.labels import CONTRADICTION, ENTAILMENT
from detector.reliability import MajorityVote, Relation, SourceClaim, TruthFinder
from detector.truth_data import (
    POPULATION_TOLERANCE,
    EmergentClaim,
    ObjectClaim,
    TruthDataset,
    load_books,
    load_emergent_veracity,
    load_population,
    structured_relations,
)

DATASETS = ("book", "population", "emergent")
PUBLISHED = {"population": {"majority": 0.694, "truthfinder": 0.833}}
"""Published accuracies on Population (majority vote and TruthFinder), as the issue quotes them."""
STANCE_OF_LABEL = {ENTAILMENT: "for", CONTRADICTION: "against"}  # hedge and neutral: observing
STANCE_SIGN = {"for": 1, "against": -1, "observing": 0}


def chosen_values(data: TruthDataset, confidence: dict[str, float | None]) -> dict[str, list]:
    """For each gold object, the values tied for most confident (then most often given exactly)."""
    by_object: dict[str, dict[object, list[float]]] = {}
    for claim in data.claims:
        if claim.object in data.truths:
            score = confidence[claim.id]
            by_object.setdefault(claim.object, {}).setdefault(claim.value, []).append(
                float("-inf") if score is None else score)
    chosen = {}
    for obj, values in by_object.items():
        ranks = {value: (max(scores), len(scores)) for value, scores in values.items()}
        best = max(ranks.values())
        chosen[obj] = [value for value, rank in ranks.items() if rank == best]
    return chosen


def contested_objects(data: TruthDataset) -> set[str]:
    """Gold objects on which the sources give more than one value: where a method has to choose."""
    values: dict[str, set] = {}
    for claim in data.claims:
        values.setdefault(claim.object, set()).add(claim.value)
    return {obj for obj in data.truths if len(values.get(obj, ())) > 1}


def structured_scores(data: TruthDataset, chosen: dict[str, list]) -> dict:
    """Accuracy (expected over remaining ties) against the gold values, with the dataset's extra measures.

    ``ties_as_wrong`` counts an unresolved tie as a miss, and ``contested_accuracy`` is the
    accuracy on :func:`contested_objects` only: published set-ups differ on both, so they are
    reported to make the comparison readable.
    """
    contested = contested_objects(data)
    correct = similarity = within = untied = on_contested = 0.0
    for obj, truth in data.truths.items():
        values = chosen.get(obj, [])
        if not values:
            continue  # nobody claimed a value: counts as wrong
        right = sum(data.same_value(v, truth) for v in values) / len(values)
        correct += right
        untied += right if len(values) == 1 else 0.0
        on_contested += right if obj in contested else 0.0
        similarity += sum(data.similarity(v, truth) for v in values) / len(values)
        if data.name == "population":
            within += sum(abs(v - truth) <= POPULATION_TOLERANCE * truth for v in values) / len(values)
    n = len(data.truths)
    scores = {"accuracy": round(correct / n, 4),
              "ties": sum(len(v) > 1 for obj, v in chosen.items() if obj in data.truths),
              "ties_as_wrong": round(untied / n, 4),
              "contested_accuracy": round(on_contested / len(contested), 4) if contested else None}
    if data.name == "book":
        scores["mean_author_similarity"] = round(similarity / n, 4)
    else:
        scores[f"within_{POPULATION_TOLERANCE:.0%}"] = round(within / n, 4)
    return scores


def source_summary(model, count: int = 5, min_claims: int = 5) -> dict:
    """The most and least reliable sources with at least ``min_claims`` scored claims: the evidence behind a score."""
    def row(score):
        return {"source": score.source, "reliability": round(score.reliability, 3),
                "interval": [round(score.low, 3), round(score.high, 3)], "evidence": round(score.evidence, 1),
                "claims": sum(c.confidence is not None for c in score.claims)}

    scored = sorted((s for s in model.source_scores_.values() if s.reliability is not None
                     and sum(c.confidence is not None for c in s.claims) >= min_claims),
                    key=lambda s: (-s.reliability, s.source))
    return {"most_reliable": [row(s) for s in scored[:count]], "least_reliable": [row(s) for s in scored[-count:]]}


def _claims_by_gold_object(data: TruthDataset) -> dict[str, list[ObjectClaim]]:
    by_object: dict[str, list[ObjectClaim]] = {}
    for claim in data.claims:
        if claim.object in data.truths:
            by_object.setdefault(claim.object, []).append(claim)
    return by_object


def run_structured(data: TruthDataset) -> dict:
    relations = structured_relations(data.claims, data.similarity)
    majority = MajorityVote().fit(data.claims, relations)
    truthfinder = TruthFinder().fit(data.claims, relations)
    methods = {
        "majority": structured_scores(data, chosen_values(data, majority.claim_confidence_)),
        "truthfinder": {**structured_scores(data, chosen_values(data, truthfinder.claim_confidence_)),
                        "iterations": truthfinder.iterations_},
    }
    return {"dataset": data.name, "n": len(data.truths), "claims": len(data.claims),
            "sources": len({c.source for c in data.claims}), "relations": len(relations),
            "covered": len(set(data.truths) & {c.object for c in data.claims}),
            "contested": len(contested_objects(data)),
            "gold_value_claimed": sum(any(data.same_value(c.value, data.truths[c.object]) for c in claims)
                                      for claims in _claims_by_gold_object(data).values()),
            "methods": methods, "published": PUBLISHED.get(data.name, {}),
            "sources_truthfinder": source_summary(truthfinder)}


def detector_stances(
    claims: list[EmergentClaim], model: str | None, device: str, batch_size: int
) -> dict[str, tuple[str, float]]:
    """Each article's stance and its probability from the detector: (claim, headline) scored once."""
    from detector.scoring import NLIScorer

    scorer = NLIScorer(model, device=device)
    articles = [(claim, article) for claim in claims for article in claim.articles]
    scores = scorer.predict([(claim.text, article.headline) for claim, article in articles], batch_size=batch_size)
    return {article.id: (STANCE_OF_LABEL.get(score.label, "observing"), score.probs[score.label])
            for (_, article), score in zip(articles, scores)}


def stance_graph(
    claims: list[EmergentClaim], stances: dict[str, tuple[str, float]]
) -> tuple[list[SourceClaim], list[Relation]]:
    """Articles as claims of their sites; within a rumour, agreeing stances support, opposing ones conflict.

    An observing article is a hedged claim, related to the committed articles by ``hedge``
    (listed as evidence, moving no score). A relation's probability is the product of the two
    stances' probabilities: both must be right for the agreement to hold.
    """
    nodes, relations = [], []
    for claim in claims:
        for article in claim.articles:
            nodes.append(SourceClaim(article.id, article.source, article.headline,
                                     hedged=stances[article.id][0] == "observing"))
        for i, first in enumerate(claim.articles):
            for second in claim.articles[i + 1:]:
                (stance_a, p_a), (stance_b, p_b) = stances[first.id], stances[second.id]
                if stance_a == "observing" and stance_b == "observing":
                    continue
                label = ("hedge" if "observing" in (stance_a, stance_b)
                         else ENTAILMENT if stance_a == stance_b else CONTRADICTION)
                relations.append(Relation(first.id, second.id, label, p_a * p_b))
    return nodes, relations


def run_emergent_with(claims: list[EmergentClaim], stances: dict[str, tuple[str, float]]) -> dict[str, dict]:
    """Fit on the training rumours, call the test rumours; accuracy per method."""
    train = [c for c in claims if c.split == "train"]
    test = [c for c in claims if c.split == "test"]
    nodes, relations = stance_graph(train, stances)
    known_truth = {article.id: float((stances[article.id][0] == "for") == claim.truth)
                   for claim in train for article in claim.articles if stances[article.id][0] != "observing"}
    models = {
        "majority": MajorityVote().fit(nodes, relations),
        "truthfinder": TruthFinder().fit(nodes, relations),
        "truthfinder+train-truth": TruthFinder().fit(nodes, relations, known_truth=known_truth),
    }
    tie_truth = Counter(c.truth for c in train).most_common(1)[0][0]
    results = {}
    for name, model in models.items():
        right, ties = 0, 0
        for claim in test:
            votes = [(SourceClaim(a.id, a.source, a.headline), STANCE_SIGN[stances[a.id][0]]) for a in claim.articles]
            vote = model.vote(votes)
            ties += vote == 0
            right += (vote > 0 if vote != 0 else tie_truth) == claim.truth
        results[name] = {"accuracy": round(right / len(test), 4), "tied_votes": ties}
    return results


def run_emergent(claims: list[EmergentClaim], model: str | None, device: str, batch_size: int) -> dict:
    gold = {a.id: (a.stance, 1.0) for c in claims for a in c.articles}
    detected = detector_stances(claims, model, device, batch_size)
    methods = {}
    for stance_origin, stances in (("detector", detected), ("gold", gold)):
        for name, scores in run_emergent_with(claims, stances).items():
            methods[f"{name}/{stance_origin}"] = scores
    test = [c for c in claims if c.split == "test"]
    train_sites = {a.source for c in claims if c.split == "train" for a in c.articles}
    test_articles = [a for c in test for a in c.articles]
    agreement = {split: [detected[a.id][0] == a.stance for c in claims if c.split == split for a in c.articles]
                 for split in ("train", "test")}
    return {
        "dataset": "emergent", "n": len(test), "train_claims": len(claims) - len(test),
        "test_true": sum(c.truth for c in test), "articles": sum(len(c.articles) for c in claims),
        "test_articles_from_training_sites":
            round(sum(a.source in train_sites for a in test_articles) / len(test_articles), 4),
        "detector_stance_agreement": {split: round(sum(v) / len(v), 4) for split, v in agreement.items()},
        "methods": methods,
    }


def print_report(report: dict) -> None:
    print(f"{report['dataset']}: n={report['n']} ({report['seconds']} s)")
    published = report.get("published", {})
    for name, scores in report["methods"].items():
        extra = "  ".join(f"{k} {v}" for k, v in scores.items() if k != "accuracy")
        reference = f"  (published {published[name]:.3f})" if name in published else ""
        print(f"  {name:<32} accuracy {scores['accuracy']:.3f}{reference}  {extra}")


def run_dataset(dataset: str, data_dir: Path, model: str | None = None, device: str = "cpu", batch_size: int = 64) -> dict:
    """One truth-discovery benchmark (``book``, ``population`` or ``emergent``), timed."""
    started = time.perf_counter()
    if dataset == "emergent":
        report = run_emergent(load_emergent_veracity(data_dir), model, device, batch_size)
    elif dataset in ("book", "population"):
        report = run_structured(load_books(data_dir) if dataset == "book" else load_population(data_dir))
    else:
        raise ValueError(f"unknown truth-discovery data set {dataset!r}; use one of {', '.join(DATASETS)}")
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report
