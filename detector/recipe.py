"""Training recipes: which pairs a model is trained on, and with which settings.

A recipe is a JSON file naming the public training sets and project JSONL files to draw from,
how many pairs to take per label, how many get an augmented twin (:mod:`detector.augment`) and
how often to repeat a source, plus the trainer's settings. ``models/recipes/default.json``, then
``default-stage2.json`` from its output, build the shipped model. :func:`build_pairs` turns a
recipe into train and dev pairs, deterministically for a seed. Only the training files of the
public sets are ever read.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sklearn.model_selection import train_test_split

from detector.augment import augment_pairs
from detector.evaluation import read_clean_labelled_pairs
from detector.public_data import TRAINING_SETS, LabelledPair


@dataclass
class Source:
    """How to draw pairs from one data set or file."""

    caps: dict[str, int | None] | None = None
    """Most pairs per label (None or a missing label: all of them)."""
    augment_share: float = 0.0
    """Share of the drawn pairs that also get one augmented twin."""
    repeat: int = 1
    """How many times the drawn pairs (not their twins) enter the mix."""
    label_repeat: dict[str, int] | None = None
    """Per-label ``repeat`` for the labels it names (to oversample a rare class such as FNC-1's disagree)."""


@dataclass
class Recipe:
    public: dict[str, Source] = field(default_factory=dict)
    files: dict[str, Source] = field(default_factory=dict)
    dev_share: float = 0.04
    dev_files: list[str] = field(default_factory=list)
    """Project JSONL files used only as dev (scored every epoch, never trained on). The model's
    label offsets (:mod:`detector.calibration`) are fitted on them: they are the target domain."""
    exclude_dev_of: str | None = None
    """Another recipe (a path, like ``files``) whose dev pairs this one never trains on. A second
    stage names its first stage here, so the first stage's held-out public pairs stay unseen by
    the finished model and can check it (``eval/public_dev.py``)."""
    precision: str = "auto"
    """Training arithmetic: ``bf16`` (mixed precision; ``auto`` takes it where the CPU or GPU has
    bf16 units) or ``fp32``. Weights are kept in fp32 either way."""
    base_model: str | None = None
    """A model folder or hub id to start from; None is the offline all-MiniLM-L6-v2."""
    epochs: int = 1
    stop_after_epochs: int | None = None
    """End training after this many epochs while the learning rate follows the schedule of all
    ``epochs`` (so it ends higher than in a run scheduled for ``stop_after_epochs`` epochs); None
    runs them all."""
    start_weight_share: float = 0.0
    """Share of the starting model's weights averaged back into the trained ones when training
    ends (WiSE-FT, Wortsman et al. 2022): 0 keeps the trained weights as they are. A second stage
    sets it so that the finished model keeps more of what its first stage learnt."""
    save_steps: int = 500
    """Save a checkpoint every this many optimizer steps (and at every epoch's end), so a run that
    is stopped, even mid-epoch, resumes from its last checkpoint when started again."""
    batch_size: int = 16
    learning_rate: float = 4e-5
    warmup_ratio: float = 0.1
    max_length: int = 128
    seed: int = 13

    @classmethod
    def load(cls, path: Path) -> Recipe:
        raw = json.loads(path.read_text(encoding="utf-8"))
        unknown = set(raw.get("public", {})) - set(TRAINING_SETS)
        if unknown:
            raise ValueError(f"{path}: unknown training sets {sorted(unknown)}; choose from {sorted(TRAINING_SETS)}")
        raw["public"] = {name: Source(**spec) for name, spec in raw.get("public", {}).items()}
        raw["files"] = {name: Source(**spec) for name, spec in raw.get("files", {}).items()}
        return cls(**raw)

    def to_dict(self) -> dict:
        return asdict(self)


def _draw(pairs: list[LabelledPair], source: Source, rng: random.Random) -> list[tuple[LabelledPair, int]]:
    """The source's pairs as (pair, copies) with their augmented twins (one copy each)."""
    by_label: dict[str, list[LabelledPair]] = {}
    for pair in pairs:
        by_label.setdefault(pair.label, []).append(pair)
    drawn = []
    for label, group in sorted(by_label.items()):
        if source.caps is not None and label not in source.caps:
            continue
        cap = (source.caps or {}).get(label)
        drawn.extend(group if cap is None or cap >= len(group) else rng.sample(group, cap))
    twins = augment_pairs([p for p in drawn if rng.random() < source.augment_share], rng)
    repeats = source.label_repeat or {}
    return [(pair, repeats.get(pair.label, source.repeat)) for pair in drawn] + [(twin, 1) for twin in twins]


def dev_file_pairs(recipe: Recipe, root: Path = Path(".")) -> list[LabelledPair]:
    """Every pair of the recipe's ``dev_files``."""
    return [pair for name in recipe.dev_files for pair in read_clean_labelled_pairs(root / name)]


def build_pairs(recipe: Recipe, data_dir: Path, root: Path = Path(".")) -> tuple[list[LabelledPair], list[LabelledPair]]:
    """The recipe's (train, dev) pairs.

    Dev is a stratified ``dev_share`` of the mix, taken before repeats are expanded, so no copy
    of a dev pair is trained on, plus every pair of ``dev_files``. ``caps`` that list labels
    restrict a source to those labels. The dev pairs of ``exclude_dev_of`` are left out before
    anything is drawn.
    """
    excluded = _dev_texts(Recipe.load(root / recipe.exclude_dev_of), data_dir, root) if recipe.exclude_dev_of else set()

    def eligible(pairs: list[LabelledPair]) -> list[LabelledPair]:
        return [pair for pair in pairs if (pair.claim_a, pair.claim_b) not in excluded]

    rng = random.Random(recipe.seed)
    mix: list[tuple[LabelledPair, int]] = []
    for name, source in recipe.public.items():
        mix.extend(_draw(eligible(TRAINING_SETS[name](data_dir)), source, rng))
    for name, source in recipe.files.items():
        mix.extend(_draw(eligible(read_clean_labelled_pairs(root / name)), source, rng))
    train, dev = train_test_split(
        mix, test_size=recipe.dev_share, random_state=recipe.seed, stratify=[pair.label for pair, _ in mix]
    )
    dev_pairs = [pair for pair, _ in dev] + dev_file_pairs(recipe, root)
    return [pair for pair, copies in train for _ in range(copies)], dev_pairs


def _dev_texts(recipe: Recipe, data_dir: Path, root: Path) -> set[tuple[str, str]]:
    return {(pair.claim_a, pair.claim_b) for pair in build_pairs(recipe, data_dir, root)[1]}
