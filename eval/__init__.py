"""Benchmark and comparison scripts (``python -m eval.<name>``); their results go to ``eval/results/``."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def repo_relative(path: Path) -> str:
    """A path inside the repository relative to it, so that results do not name this machine's folders."""
    resolved = path.resolve()
    return str(resolved.relative_to(ROOT)) if resolved.is_relative_to(ROOT) else str(path)
