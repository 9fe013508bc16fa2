"""Calibration shipped with a model as ``calibration.json``: a temperature and label offsets.

Temperature scaling (Guo et al. 2017) is one scalar that softens or sharpens the logits, fitted
on dev by minimising the negative log-likelihood. Label offsets are one number per label added
to the tempered logits. Both are fitted together on labelled pairs from the domain the model
will score: the offsets correct the label priors of the training mix (mostly FNC-1 and SNLI)
towards that domain, which temperature alone cannot, since it never changes which label wins,
and the temperature is refitted because a model is more overconfident off its training mix.
:class:`detector.scoring.NLIScorer` applies ``softmax(logits / temperature + offsets)``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy.optimize import minimize, minimize_scalar
from scipy.special import log_softmax, softmax

CALIBRATION_FILE = "calibration.json"


def fit_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """The temperature T > 0 that minimises the NLL of ``softmax(logits / T)`` on the gold indices."""
    logits = np.asarray(logits, dtype=np.float64)
    gold = np.asarray(gold)

    def nll(log_t: float) -> float:
        return -log_softmax(logits / np.exp(log_t), axis=1)[np.arange(len(gold)), gold].mean()

    return float(np.exp(minimize_scalar(nll, bounds=(np.log(0.05), np.log(20.0)), method="bounded").x))


def fit_temperature_and_offsets(logits: np.ndarray, gold: np.ndarray) -> tuple[float, np.ndarray]:
    """Temperature T and offsets b (b[0] = 0) that jointly minimise the NLL of ``softmax(logits / T + b)``.

    A small L2 penalty keeps the offsets finite when a label is missing from the data.
    """
    logits = np.asarray(logits, dtype=np.float64)
    gold = np.asarray(gold)

    def nll(params: np.ndarray) -> float:
        log_t, free = params[0], params[1:]
        shifted = logits / np.exp(log_t) + np.concatenate([[0.0], free])
        return -log_softmax(shifted, axis=1)[np.arange(len(gold)), gold].mean() + 0.001 * float(free @ free)

    bounds = [(np.log(0.05), np.log(20.0))] + [(None, None)] * (logits.shape[1] - 1)
    fitted = minimize(nll, np.zeros(logits.shape[1]), method="L-BFGS-B", bounds=bounds).x
    return float(np.exp(fitted[0])), np.concatenate([[0.0], fitted[1:]])


def offsets_in_order(offsets: dict[str, float], labels: list[str]) -> np.ndarray:
    """Label offsets as a vector in a model's output order (0 for a label without one)."""
    return np.array([offsets.get(label, 0.0) for label in labels])


def calibrated_probs(logits: np.ndarray, temperature: float = 1.0, offsets: np.ndarray | None = None) -> np.ndarray:
    tempered = np.asarray(logits, dtype=np.float64) / temperature
    return softmax(tempered if offsets is None else tempered + offsets, axis=1)


def save_calibration(folder: Path, temperature: float, details: dict) -> None:
    """Write ``calibration.json``: the temperature plus ``details`` (how it was fitted, ``label_offsets``)."""
    (folder / CALIBRATION_FILE).write_text(json.dumps({"temperature": temperature, **details}, indent=2) + "\n")


def load_calibration(folder: Path) -> tuple[float, dict[str, float]]:
    """The shipped temperature and label offsets by label name; (1.0, {}) when the model has none."""
    path = folder / CALIBRATION_FILE
    if not path.is_file():
        return 1.0, {}
    record = json.loads(path.read_text())
    temperature = float(record["temperature"])
    if not temperature > 0:
        raise ValueError(f"{path}: temperature must be positive, got {temperature}")
    return temperature, {label: float(value) for label, value in record.get("label_offsets", {}).items()}
