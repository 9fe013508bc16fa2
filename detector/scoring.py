"""Scoring claim pairs with an NLI cross-encoder: :class:`NLIScorer` and its :class:`PairScore`.

Any transformers sequence-classification NLI model loads, from a local folder or the Hugging
Face hub. Its labels are mapped by name onto the four-way scheme; a 3-way model gets its
``hedge`` probability from claim B's own uncertainty (:func:`add_hedge_from_cues`), judged by the
sentence-level hedge classifier shipped with the default model, or by the cue lexicon when there
is none. The project's own 4-way model predicts ``hedge`` itself.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import torch

from detector.backends import SHAPE_STEP, BackendError, OnnxRunner, TorchRunner, length_batches, resolve_precision
from detector.calibration import calibrated_probs, load_calibration, offsets_in_order
from detector.hedge_classifier import HedgeClassifier, load_hedge_classifier
from detector.hedges import HedgeCue, find_hedge_cues
from detector.labels import CONTRADICTION, ENTAILMENT, HEDGE, LABELS, NEUTRAL, map_model_labels
from detector.reasons import NUMBER_WEIGHT, pair_reasons, weigh_numbers

DEFAULT_MODEL_NAME = "detector-nli-minilm-l6"
DEFAULT_HEDGE_WEIGHT = 0.8

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")


class ModelLoadError(RuntimeError):
    """A model could not be found, or is not one the scorer may load."""


def default_model_path() -> Path:
    """``$DETECTOR_MODEL`` if set, else the model shipped in the repository's ``models/``."""
    if os.environ.get("DETECTOR_MODEL"):
        return Path(os.environ["DETECTOR_MODEL"])
    return Path(__file__).resolve().parent.parent / "models" / DEFAULT_MODEL_NAME


def resolve_device(device: str) -> str:
    """``auto`` picks CUDA, then Apple's MPS, then the CPU; an unavailable choice is refused."""
    if device == "auto":
        if torch.cuda.is_available():
            return "cuda"
        return "mps" if torch.backends.mps.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ModelLoadError("--device cuda was asked for, but torch sees no CUDA GPU here")
    if device not in ("cpu", "mps") and not device.startswith("cuda"):
        raise ModelLoadError(f"unknown device {device!r}; use auto, cpu or cuda")
    return device


def hub_reachable(timeout: float = 3.0) -> bool:
    """Whether the Hugging Face hub answers; never when ``$HF_HUB_OFFLINE`` is set.

    Asked before loading a hub id so that a machine with no network gets an answer in seconds,
    from the local cache or as a clear error, rather than after minutes of download retries.
    """
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on"):
        return False
    endpoint = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    try:
        socket.create_connection((endpoint.hostname, endpoint.port or 443), timeout=timeout).close()
    except OSError:
        return False
    return True


@dataclass
class PairScore:
    """The scorer's verdict on one pair: the relation of claim B to claim A.

    ``uncertain_a``/``uncertain_b`` say whether each claim reads as uncertain (hedge classifier
    or lexicon cue); they are None when no hedge classifier is available. ``reasons`` lists the
    figures, dates, negations and opposite words compared (:mod:`detector.reasons`).
    """

    claim_a: str
    claim_b: str
    label: str
    probs: dict[str, float]
    hedge_cues_a: list[HedgeCue]
    hedge_cues_b: list[HedgeCue]
    model: str
    truncated: bool = False
    both_directions: bool = False
    uncertain_a: bool | None = None
    uncertain_b: bool | None = None
    reasons: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def add_hedge_from_cues(
    probs: np.ndarray,
    cues_a: list[HedgeCue],
    cues_b: list[HedgeCue],
    weight: float = DEFAULT_HEDGE_WEIGHT,
    uncertain_a: bool | None = None,
    uncertain_b: bool | None = None,
) -> np.ndarray:
    """Turn 3-way probabilities (in ``LABELS`` order, hedge = 0) into 4-way ones.

    A claim B that bears on A (entailment or contradiction) but is uncertain where A is not does
    not commit: ``weight`` of its entailment and contradiction mass moves to ``hedge``. Neutral
    mass stays, since a hedged unrelated claim is still unrelated. Uncertainty is the hedge
    classifier's verdict when given (``uncertain_a``/``uncertain_b``), else whether B has cues
    of its own that A does not share.
    """
    if uncertain_a is not None and uncertain_b is not None:
        hedged = uncertain_b and not uncertain_a
    else:
        hedged = bool({c.text.lower() for c in cues_b} - {c.text.lower() for c in cues_a})
    if not hedged:
        return probs
    moved = probs.copy()
    contradiction, entailment, hedge = LABELS.index(CONTRADICTION), LABELS.index(ENTAILMENT), LABELS.index(HEDGE)
    moved[hedge] += weight * (probs[contradiction] + probs[entailment])
    moved[contradiction] *= 1 - weight
    moved[entailment] *= 1 - weight
    return moved


def combine_directions(forward: np.ndarray, reverse: np.ndarray) -> np.ndarray:
    """Pool the probabilities of (A, B) and (B, A).

    Contradiction and neutral are symmetric relations, so their probabilities are averaged over
    the two directions. Entailment and hedge are directional (B confirms A; B withholds
    commitment to A), so the mass left is shared between them as the forward direction shares it.
    """
    symmetric = [LABELS.index(CONTRADICTION), LABELS.index(NEUTRAL)]
    directional = [LABELS.index(ENTAILMENT), LABELS.index(HEDGE)]
    combined = np.zeros_like(forward)
    combined[symmetric] = (forward[symmetric] + reverse[symmetric]) / 2
    remaining = 1.0 - combined[symmetric].sum()
    forward_share = forward[directional] / max(forward[directional].sum(), 1e-12)
    combined[directional] = remaining * forward_share
    return combined


def _shipped_hedge_classifier(model_folder: Path) -> HedgeClassifier | None:
    """The model folder's own hedge classifier, else the default model's, else None."""
    own = load_hedge_classifier(model_folder) if model_folder.is_dir() else None
    return own or load_hedge_classifier(default_model_path())


class NLIScorer:
    """Labels claim pairs contradiction / entailment / hedge / neutral.

    >>> scorer = NLIScorer()                      # the shipped default model, offline
    >>> scorer.predict([("Russia took the city.", "Russia denied taking the city.")])[0].label

    ``model`` is a local folder or a Hugging Face hub id (``cross-encoder/nli-deberta-v3-base``).
    Only safetensors weights are loaded and no remote code is run. ``hedge_classifier`` judges
    whether each claim is uncertain; by default the one in the model's folder, else the one
    shipped with the default model, else none (the cue lexicon decides).

    ``backend`` and ``precision`` choose how the model runs (:mod:`detector.backends`): ``torch``
    at ``auto`` precision is fp16 on a GPU, bf16 on a CPU with bf16 units, else fp32; ``onnx``
    runs the folder's int8 export with ONNX Runtime on the CPU. ``threads`` caps CPU threads.
    ``number_weight`` is how far a comparison of the two claims' figures moves the probabilities
    (:func:`detector.reasons.weigh_numbers`; 0 leaves them to the model).
    """

    def __init__(
        self,
        model: str | Path | None = None,
        device: str = "auto",
        max_length: int | None = None,
        hedge_weight: float = DEFAULT_HEDGE_WEIGHT,
        hedge_classifier: HedgeClassifier | None = None,
        backend: str = "torch",
        precision: str = "auto",
        threads: int | None = None,
        number_weight: float = NUMBER_WEIGHT,
    ):
        from sentence_transformers import CrossEncoder

        self.device = resolve_device(device)
        self.model_name, source = self._locate(model)
        self.model_source = source  # a local folder, or a hub id
        offline = not Path(source).is_dir() and not hub_reachable()
        try:
            self.cross_encoder = CrossEncoder(
                source,
                device=self.device,
                max_length=max_length,
                trust_remote_code=False,
                local_files_only=offline,
                model_kwargs={"use_safetensors": True, "dtype": torch.float32},
            )
        except (OSError, ValueError) as error:
            if offline:
                raise ModelLoadError(
                    f"cannot load model {self.model_name!r}: the Hugging Face hub cannot be reached and the model "
                    "is not in the local cache; pass a local model folder"
                ) from error
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise ModelLoadError(f"cannot load model {self.model_name!r}: {first_line}") from error
        self.index_to_label = map_model_labels(self.cross_encoder.config.id2label)
        self.temperature, offsets = load_calibration(Path(source)) if Path(source).is_dir() else (1.0, {})
        self.label_offsets = offsets_in_order(offsets, [self.index_to_label[i] for i in sorted(self.index_to_label)])
        self.max_length = self.cross_encoder.max_seq_length
        self.tokenizer = self.cross_encoder.tokenizer
        self.hedge_weight = hedge_weight
        self.number_weight = number_weight
        self.hedge_classifier = hedge_classifier or _shipped_hedge_classifier(Path(source))
        self.backend = backend
        try:
            if backend == "torch":
                self.precision = resolve_precision(precision, self.device)
                self.runner = TorchRunner(self.cross_encoder.model, self.device, self.precision, threads)
            elif backend == "onnx":
                if self.device != "cpu" or not Path(source).is_dir():
                    raise BackendError("--backend onnx runs a local model folder's export on the CPU "
                                       "(use --device cpu; on a GPU, --backend torch runs in fp16)")
                self.runner, self.precision = OnnxRunner(Path(source), threads), "int8"
            else:
                raise BackendError(f"unknown backend {backend!r}; use torch or onnx")
        except BackendError as error:
            raise ModelLoadError(str(error)) from error

    @staticmethod
    def _locate(model: str | Path | None) -> tuple[str, str]:
        """(display name, what to load) for a folder, a hub id, or the default."""
        if model is None:
            path = default_model_path()
            if not path.is_dir():
                raise ModelLoadError(
                    f"the default model is missing at {path}; set $DETECTOR_MODEL or pass --model"
                )
            return DEFAULT_MODEL_NAME, str(path)
        path = Path(model).expanduser()
        if path.is_dir():
            if not (path / "config.json").is_file():
                raise ModelLoadError(f"{path} is not a model folder: it has no config.json")
            if not any(path.glob("*.safetensors")):
                raise ModelLoadError(f"{path} has no .safetensors weights; pickled weights are never loaded")
            return str(model), str(path)
        if path.exists() or not _HUB_ID.match(str(model)) or str(model).startswith((".", "~", "/")):
            raise ModelLoadError(f"model not found: {model} is neither a model folder nor a hub id")
        return str(model), str(model)

    @property
    def predicts_hedge(self) -> bool:
        """True for 4-way models, whose own head has a hedge class."""
        return HEDGE in self.index_to_label.values()

    def count_tokens(self, pairs: Sequence[tuple[str, str]]) -> list[int]:
        """Token length of each pair as the model would see it without truncation."""
        return [len(ids) for ids in self._encode(pairs)["input_ids"]]

    def _encode(self, pairs: Sequence[tuple[str, str]]) -> dict[str, list[list[int]]]:
        """Token ids of every pair, untruncated: pairs are tokenized once and padded per batch."""
        encoded = self.tokenizer([a for a, _ in pairs], [b for _, b in pairs], truncation=False, verbose=False)
        return dict(encoded)

    def _batch_features(self, pairs: Sequence[tuple[str, str]], encoded: dict, indices: list[int]) -> dict:
        """Padded model inputs for ``indices``; pairs over the model's length are cut here."""
        rows = {name: [values[i] for i in indices] for name, values in encoded.items()}
        long = [n for n, i in enumerate(indices) if len(encoded["input_ids"][i]) > self.max_length]
        if long:
            cut = self.tokenizer([pairs[indices[n]][0] for n in long], [pairs[indices[n]][1] for n in long],
                                 truncation="longest_first", max_length=self.max_length)
            for name in rows:
                for position, n in enumerate(long):
                    rows[name][n] = cut[name][position]
        return dict(self.tokenizer.pad(rows, pad_to_multiple_of=SHAPE_STEP, return_tensors="np"))

    def _four_way_probs(self, features: dict) -> np.ndarray:
        """Model probabilities in ``LABELS`` order, after the model's calibration; hedge is 0 for a 3-way model."""
        raw = calibrated_probs(self.runner(features), self.temperature, self.label_offsets)
        probs = np.zeros((len(raw), len(LABELS)), dtype=np.float64)
        for index, label in self.index_to_label.items():
            probs[:, LABELS.index(label)] = raw[:, index]
        return probs

    def predict(
        self,
        pairs: Sequence[tuple[str, str]],
        batch_size: int = 32,
        both_directions: bool = False,
        on_batch: Callable[[int], None] | None = None,
    ) -> list[PairScore]:
        """Score (claim A, claim B) pairs in batches of similar length.

        ``batch_size`` is the number of pairs per batch for pairs of 64 tokens; batches of
        shorter pairs hold more, of longer ones fewer (:func:`~detector.backends.length_batches`).
        ``both_directions`` also scores (B, A) and pools the two (:func:`combine_directions`).
        ``on_batch`` is called with the number of pairs done after each batch (for progress bars).
        Raises ``ValueError`` for an empty claim.
        """
        for number, (claim_a, claim_b) in enumerate(pairs, start=1):
            if not claim_a.strip() or not claim_b.strip():
                raise ValueError(f"pair {number}: claim {'A' if not claim_a.strip() else 'B'} is empty")
        if not pairs:
            return []
        reversed_pairs = [(b, a) for a, b in pairs]
        forward = self._encode(pairs)
        reverse = self._encode(reversed_pairs) if both_directions else None
        lengths = [len(ids) for ids in forward["input_ids"]]
        scores: list[PairScore | None] = [None] * len(pairs)
        for indices in length_batches(lengths, batch_size, self.max_length):
            features = self._batch_features(pairs, forward, indices)
            reverse_features = self._batch_features(reversed_pairs, reverse, indices) if reverse else None
            batch = [pairs[i] for i in indices]
            truncated = [lengths[i] > self.max_length for i in indices]
            for index, score in zip(indices, self._score_batch(batch, features, reverse_features, truncated)):
                scores[index] = score
            if on_batch is not None:
                on_batch(len(batch))
        return scores

    def _score_batch(
        self, batch: list[tuple[str, str]], features: dict, reverse_features: dict | None, truncated: list[bool]
    ) -> list[PairScore]:
        both_directions = reverse_features is not None
        cues = [(find_hedge_cues(a), find_hedge_cues(b)) for a, b in batch]
        if self.hedge_classifier is not None:
            # The classifier learnt Wikipedia and biomedical hedging; the lexicon adds the news
            # idioms it misses ("could not independently verify"), so either one is enough.
            verdicts = self.hedge_classifier.predict([claim for pair in batch for claim in pair]).tolist()
            uncertain = [
                (bool(verdicts[2 * i]) or bool(ca), bool(verdicts[2 * i + 1]) or bool(cb))
                for i, (ca, cb) in enumerate(cues)
            ]
        else:
            uncertain = [(None, None)] * len(batch)
        forward = self._four_way_probs(features)
        if not self.predicts_hedge:
            forward = np.stack([
                add_hedge_from_cues(p, ca, cb, self.hedge_weight, ua, ub)
                for p, (ca, cb), (ua, ub) in zip(forward, cues, uncertain)
            ])
        if both_directions:
            reverse = self._four_way_probs(reverse_features)
            if not self.predicts_hedge:
                reverse = np.stack([
                    add_hedge_from_cues(p, cb, ca, self.hedge_weight, ub, ua)
                    for p, (ca, cb), (ua, ub) in zip(reverse, cues, uncertain)
                ])
            forward = np.stack([combine_directions(f, r) for f, r in zip(forward, reverse)])
        reasons = [pair_reasons(a, b) for a, b in batch]
        forward = np.stack([weigh_numbers(p, found, self.number_weight) for p, found in zip(forward, reasons)])
        return [
            PairScore(
                claim_a=a,
                claim_b=b,
                label=LABELS[int(np.argmax(p))],
                probs={label: round(float(value), 4) for label, value in zip(LABELS, p)},
                hedge_cues_a=cues_a,
                hedge_cues_b=cues_b,
                model=self.model_name,
                truncated=was_truncated,
                both_directions=both_directions,
                uncertain_a=uncertain_a,
                uncertain_b=uncertain_b,
                reasons=found,
            )
            for (a, b), p, (cues_a, cues_b), was_truncated, (uncertain_a, uncertain_b), found
            in zip(batch, forward, cues, truncated, uncertain, reasons)
        ]
