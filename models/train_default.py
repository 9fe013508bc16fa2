"""Train the shipped default model, ``models/detector-nli-minilm-l6``.

    python models/train_default.py --data-dir ../shared/datasets

The recipe: the training files of FNC-1 (headline vs its 3 most relevant body sentences),
Emergent, SNLI and Climate-FEVER, mapped onto the four labels as ``../shared/datasets/README.md``
says, capped per set and label so that no class dominates, plus hedge / denial / number
augmentations of a share of them (``detector.augment``). 4% of the mix is held out as the dev
split that picks the best epoch. No test-only file is read, and SICK (non-commercial) is not used.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from pathlib import Path

from sklearn.model_selection import train_test_split

from detector.augment import augment_pairs
from detector.labels import LABELS
from detector.public_data import TRAINING_SETS, LabelledPair, default_data_dir
from detector.training import TrainingConfig, offline_base_model, train_cross_encoder

# Most pairs to take from each (set, label); None takes them all.
CAPS: dict[str, dict[str, int | None]] = {
    "snli": {"contradiction": 3000, "entailment": 3000, "neutral": 3000},
    "fnc1": {"contradiction": None, "entailment": 1500, "hedge": 1500, "neutral": 1200},
    "emergent": {"contradiction": None, "entailment": None, "hedge": None},
    "climate-fever": {"contradiction": None, "entailment": 1000, "neutral": 800},
}
# Share of each set's sampled pairs that also get an augmented twin.
AUGMENT_SHARE = {"snli": 0.6, "fnc1": 0.0, "emergent": 1.0, "climate-fever": 0.5}


def sample_capped(pairs: list[LabelledPair], caps: dict[str, int | None], rng: random.Random) -> list[LabelledPair]:
    by_label: dict[str, list[LabelledPair]] = {}
    for pair in pairs:
        by_label.setdefault(pair.label, []).append(pair)
    sample = []
    for label, cap in caps.items():
        group = by_label.get(label, [])
        sample.extend(group if cap is None or cap >= len(group) else rng.sample(group, cap))
    return sample


def build_training_mix(data_dir: Path, seed: int) -> tuple[list[LabelledPair], list[LabelledPair]]:
    """The (train, dev) pairs of the default recipe."""
    rng = random.Random(seed)
    mix: list[LabelledPair] = []
    for name, load in TRAINING_SETS.items():
        sampled = sample_capped(load(data_dir), CAPS[name], rng)
        to_augment = [p for p in sampled if rng.random() < AUGMENT_SHARE[name]]
        mix.extend(sampled)
        mix.extend(augment_pairs(to_augment, rng))
    train, dev = train_test_split(mix, test_size=0.04, random_state=seed, stratify=[p.label for p in mix])
    return train, dev


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=default_data_dir())
    parser.add_argument("--output", type=Path, default=Path(__file__).parent / "detector-nli-minilm-l6")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    train, dev = build_training_mix(args.data_dir, args.seed)
    counts = Counter(p.label for p in train)
    print(f"train: {len(train)} pairs {dict(sorted(counts.items()))}; dev: {len(dev)} pairs")
    print("by origin:", json.dumps(Counter(p.origin for p in train), sort_keys=True))

    config = TrainingConfig(
        base_model=str(offline_base_model()),
        epochs=args.epochs,
        seed=args.seed,
        data={label: counts[label] for label in LABELS},
    )
    started = time.perf_counter()
    metrics = train_cross_encoder(train, dev, args.output, config)
    print(f"dev metrics: {json.dumps(metrics)}; wall time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
