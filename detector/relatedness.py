"""The relatedness gate: whether two claims bear on the same proposition, before asking how.

An NLI model answers "does B contradict, confirm or hedge A?" and, shown two claims from one
story that do not bear on each other, too often answers contradiction. This module owns a
second, binary cross-encoder trained for the question before that one: are these two claims
about the same proposition (the same dispute)? The flagger scores every candidate pair with it
and only sends related pairs to the NLI model, which also saves most of the NLI model's work.

Training data (:func:`relatedness_examples`): the claims the pipeline extracts from the
training articles of ``datasets/articles`` (split ``train``), paired as the flagger pairs them,
labelled related when both claims sit in one gold dispute; plus the project's labelled claim
pairs (contradiction, entailment and hedge are related, neutral is not). The dev articles choose
the checkpoint; the test articles are never read.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from detector.article_gold import claims_holding, read_gold, read_index
from detector.articles import Article, read_articles
from detector.claims import Claim, extract_claims
from detector.labels import NEUTRAL
from detector.pairing import CandidateIndex, embed_claims

DEFAULT_FOLDER = Path(__file__).resolve().parent.parent / "models" / "detector-relatedness-minilm-l6"


@dataclass(frozen=True)
class RelatedPair:
    """Two claim texts (as the NLI model reads them) and whether they bear on each other."""

    claim_a: str
    claim_b: str
    related: int
    origin: str  # "articles:<event>" or the labelled-pairs file it came from


class RelatednessScorer:
    """Probability that two claims are about the same proposition, in batches.

    >>> gate = RelatednessScorer()                  # the shipped gate
    >>> gate.predict([("A", "B"), ("A", "C")])      # array of probabilities
    """

    def __init__(self, model: str | Path | None = None, device: str = "cpu", precision: str = "auto"):
        from sentence_transformers import CrossEncoder

        from detector.backends import resolve_precision

        folder = Path(model) if model is not None else DEFAULT_FOLDER
        if not (folder / "config.json").is_file():
            raise FileNotFoundError(f"no relatedness model at {folder}; train one with: detector train-relatedness")
        self.model_name = folder.name
        self.precision = resolve_precision(precision, device)
        dtype = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}[self.precision]
        self.cross_encoder = CrossEncoder(str(folder), device=device, trust_remote_code=False, local_files_only=True,
                                          model_kwargs={"use_safetensors": True, "dtype": dtype})

    def predict(self, pairs: Sequence[tuple[str, str]], batch_size: int = 64) -> np.ndarray:
        if not pairs:
            return np.zeros(0)
        # The gate is symmetric in meaning; scoring both orders and averaging makes it so in fact.
        both = list(pairs) + [(b, a) for a, b in pairs]
        probs = np.asarray(self.cross_encoder.predict(both, batch_size=batch_size, show_progress_bar=False,
                                                      activation_fn=torch.nn.Sigmoid()), dtype=np.float64).reshape(-1)
        return (probs[:len(pairs)] + probs[len(pairs):]) / 2


def article_examples(folder: Path, split: str, embedder, k: int = 10, max_shared: int = 5) -> list[RelatedPair]:
    """Candidate pairs of the pipeline on one split of the gold articles, labelled by the gold disputes.

    Each event's claims are paired as :class:`~detector.flagging.Flagger` pairs them (k nearest
    plus shared names, different speakers), and every pair of claims that sit in one gold
    dispute is added when the candidates missed it, so the gate also learns what pairing misses.
    """
    index = [row for row in read_index(folder) if row["split"] == split]
    gold = read_gold(folder, {row["file"] for row in index})
    examples = []
    for event in sorted({row["event"] for row in index}):
        rows = [row for row in index if row["event"] == event]
        claims: list[Claim] = []
        for row, article in zip(rows, read_articles([folder / row["file"] for row in rows])):
            if isinstance(article, Article):
                claims += extract_claims(article.text, article.id, row["outlet"], key=article.content_hash[:12])
        owner = {}
        for dispute in (d for d in gold if d["event"] == event):
            for gold_claim in dispute["claims"]:
                for claim in claims_holding(claims, gold_claim):
                    owner.setdefault(claim.id, dispute["dispute"])
        candidates = CandidateIndex(k, 0.3, max_shared)
        pairs = {(c.first, c.second) for c in candidates.candidates(candidates.add(claims, embed_claims(embedder, claims)))}
        by_dispute: dict[str, list[int]] = {}
        for position, claim in enumerate(claims):
            if claim.id in owner:
                by_dispute.setdefault(owner[claim.id], []).append(position)
        for members in by_dispute.values():
            pairs |= {(a, b) for a in members for b in members if a < b and claims[a].speaker != claims[b].speaker}
        for first, second in sorted(pairs):
            a, b = claims[first], claims[second]
            related = int(a.id in owner and owner.get(b.id) == owner[a.id])
            examples.append(RelatedPair(a.scored_text, b.scored_text, related, f"articles:{event}"))
    return examples


def labelled_pair_examples(paths: Sequence[Path]) -> list[RelatedPair]:
    """The project's labelled claim pairs: any label but neutral means the claims bear on each other."""
    from detector.evaluation import read_clean_labelled_pairs

    return [RelatedPair(p.claim_a, p.claim_b, int(p.label != NEUTRAL), path.name)
            for path in paths for p in read_clean_labelled_pairs(path)]


def _shown(path: Path) -> str:
    """A path as the repository's documents give it: relative to the repository when inside it."""
    root = DEFAULT_FOLDER.parent.parent
    return str(path.resolve().relative_to(root)) if path.resolve().is_relative_to(root) else str(path)


def train_relatedness(
    train: list[RelatedPair], dev: list[RelatedPair], output: Path, base: Path, epochs: int = 2,
    batch_size: int = 16, learning_rate: float = 3e-5, seed: int = 13, precision: str = "auto",
) -> dict:
    """Fine-tune a binary cross-encoder from ``base`` and write it (fp16 safetensors) to ``output``.

    Dev average precision is measured after every epoch and the best epoch is kept. Returns
    what was measured (also written to ``training.json``).
    """
    from datasets import Dataset
    from sentence_transformers import CrossEncoder
    from sentence_transformers.cross_encoder import CrossEncoderTrainer, CrossEncoderTrainingArguments
    from sentence_transformers.cross_encoder.evaluation import CrossEncoderClassificationEvaluator
    from sentence_transformers.cross_encoder.losses import BinaryCrossEntropyLoss
    from transformers import set_seed

    from detector.training import uses_bf16

    set_seed(seed)
    model = CrossEncoder(str(base), num_labels=1, device="cpu", trust_remote_code=False,
                         model_kwargs={"use_safetensors": True, "dtype": torch.float32, "ignore_mismatched_sizes": True})
    model.model.config.id2label, model.model.config.label2id = {0: "related"}, {"related": 0}

    def dataset(pairs: list[RelatedPair]) -> Dataset:
        return Dataset.from_dict({"claim_a": [p.claim_a for p in pairs], "claim_b": [p.claim_b for p in pairs],
                                  "label": [float(p.related) for p in pairs]})

    evaluator = CrossEncoderClassificationEvaluator([(p.claim_a, p.claim_b) for p in dev], [p.related for p in dev],
                                                    name="dev", show_progress_bar=False)
    bf16 = uses_bf16(precision)
    checkpoints = output.parent / f".{output.name}-checkpoints"
    arguments = CrossEncoderTrainingArguments(
        output_dir=str(checkpoints), num_train_epochs=epochs, per_device_train_batch_size=batch_size,
        learning_rate=learning_rate, warmup_ratio=0.1, seed=seed, bf16=bf16, use_cpu=True,
        eval_strategy="epoch", save_strategy="epoch", load_best_model_at_end=True,
        metric_for_best_model="eval_dev_average_precision", greater_is_better=True, save_total_limit=1,
        logging_steps=100, report_to="none", disable_tqdm=False,
    )
    trainer = CrossEncoderTrainer(model=model, args=arguments, train_dataset=dataset(train),
                                  loss=BinaryCrossEntropyLoss(model), evaluator=evaluator)
    started = time.perf_counter()
    trainer.train()
    seconds = time.perf_counter() - started
    dev_metrics = {name: round(float(value), 4) for name, value in evaluator(model).items()}
    output.mkdir(parents=True, exist_ok=True)
    model.activation_fn = torch.nn.Sigmoid()  # plain CrossEncoder.predict gives probabilities too
    model.half()  # fp16 on disk, half the size; cast back to the run's precision on load
    model.save_pretrained(str(output), create_model_card=False)
    shutil.rmtree(checkpoints, ignore_errors=True)
    report = {
        "base": _shown(base), "train_pairs": len(train), "train_related": sum(p.related for p in train),
        "dev_pairs": len(dev), "dev_related": sum(p.related for p in dev), "epochs": epochs,
        "batch_size": batch_size, "learning_rate": learning_rate, "seed": seed,
        "trained_in": "bf16" if bf16 else "fp32", "train_seconds": round(seconds, 1),
        "train_pairs_per_second": round(len(train) * epochs / seconds, 1), "dev": dev_metrics,
    }
    (output / "training.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report
