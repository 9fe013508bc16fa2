"""Evaluation plots: a confusion matrix and a reliability diagram, as PNG files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; no display is needed or assumed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.metrics import ConfusionMatrixDisplay  # noqa: E402


def plot_confusion(report: dict, path: Path) -> Path:
    """The report's confusion matrix, gold labels down, predictions across."""
    figure, axes = plt.subplots(figsize=(5.5, 4.5), dpi=120)
    ConfusionMatrixDisplay(np.array(report["confusion"]), display_labels=report["labels"]).plot(
        ax=axes, cmap="Blues", colorbar=False, values_format="d"
    )
    axes.set_title(f"{report['dataset']} — {report['model']}", fontsize=9)
    axes.set_xlabel("predicted")
    axes.set_ylabel("gold")
    plt.setp(axes.get_xticklabels(), rotation=30, ha="right")
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def plot_reliability(confidence: Sequence[float], correct: Sequence[bool], title: str, path: Path, n_bins: int = 10) -> Path:
    """Accuracy against confidence per bin; a calibrated model follows the diagonal."""
    confidence = np.asarray(confidence, dtype=float)
    correct = np.asarray(correct, dtype=float)
    bins = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    centres = (np.arange(n_bins) + 0.5) / n_bins
    accuracy = [correct[bins == b].mean() if (bins == b).any() else np.nan for b in range(n_bins)]
    counts = [int((bins == b).sum()) for b in range(n_bins)]

    figure, axes = plt.subplots(figsize=(5, 4.5), dpi=120)
    axes.bar(centres, accuracy, width=1 / n_bins, edgecolor="black", alpha=0.8, label="accuracy")
    axes.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    for x, y, count in zip(centres, accuracy, counts):
        if count:
            axes.text(x, min(y + 0.02, 0.97), str(count), ha="center", fontsize=7)
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.set_xlabel("confidence (top probability)")
    axes.set_ylabel("accuracy")
    axes.set_title(title, fontsize=9)
    axes.legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path
