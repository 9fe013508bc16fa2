"""The six seed checks from ../shared/articles/lisichansk.txt, on the shipped default model."""

import subprocess

import pytest

from detector.scoring import NLIScorer
from eval.seed_checks import SAK_DENIAL, SEED_CHECKS, SHOIGU


@pytest.fixture(scope="module")
def scorer(shipped_model):
    return NLIScorer(shipped_model, device="cpu")


@pytest.mark.parametrize("claim_a, claim_b, expected", SEED_CHECKS)
def test_seed_check(scorer, claim_a, claim_b, expected):
    result = scorer.predict([(claim_a, claim_b)])[0]
    assert result.label == expected, result.probs


def test_seed_checks_hold_in_one_batch(scorer):
    results = scorer.predict([(a, b) for a, b, _ in SEED_CHECKS], batch_size=4)
    assert [r.label for r in results] == [expected for _, _, expected in SEED_CHECKS]


def test_readme_example_runs_offline():
    """The README's main command, through the installed console script."""
    done = subprocess.run(["detector", "score", SHOIGU, SAK_DENIAL], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "contradiction"
    assert all(any(line.strip().startswith(label) for line in lines) for label in ("entailment", "hedge", "neutral"))
    assert "hedge cues in A: none" in done.stdout
