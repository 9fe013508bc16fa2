"""Temperature scaling (Guo et al. 2017): one scalar that softens or sharpens a model's logits.

The temperature is fitted on dev logits by minimising the negative log-likelihood, and shipped
with the model as ``calibration.json``; :class:`detector.scoring.NLIScorer` divides logits by it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax

CALIBRATION_FILE = "calibration.json"


def fit_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """The temperature T > 0 that minimises the NLL of ``softmax(logits / T)`` on the gold indices."""
    logits = np.asarray(logits, dtype=np.float64)
    gold = np.asarray(gold)

    def nll(log_t: float) -> float:
        return -log_softmax(logits / np.exp(log_t), axis=1)[np.arange(len(gold)), gold].mean()

    return float(np.exp(minimize_scalar(nll, bounds=(np.log(0.05), np.log(20.0)), method="bounded").x))


def calibrated_probs(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    return softmax(np.asarray(logits, dtype=np.float64) / temperature, axis=1)


def save_temperature(folder: Path, temperature: float, details: dict) -> None:
    (folder / CALIBRATION_FILE).write_text(json.dumps({"temperature": temperature, **details}, indent=2) + "\n")


def load_temperature(folder: Path) -> float:
    """The shipped temperature, or 1.0 when the model has none (hub models, older folders)."""
    path = folder / CALIBRATION_FILE
    if not path.is_file():
        return 1.0
    temperature = float(json.loads(path.read_text())["temperature"])
    if not temperature > 0:
        raise ValueError(f"{path}: temperature must be positive, got {temperature}")
    return temperature
