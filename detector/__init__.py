"""detector: find where news sources contradict, confirm or hedge each other.

The Python API that the ``detector`` command wraps:

- :class:`detector.scoring.NLIScorer` labels claim pairs (``predict`` on batches);
- :func:`detector.hedges.find_hedge_cues` finds hedge-cue spans in one claim;
- :mod:`detector.labels` holds the four-way label scheme.
"""

from detector.hedges import HedgeCue, find_hedge_cues
from detector.labels import LABELS
from detector.scoring import NLIScorer, PairScore

__all__ = ["LABELS", "HedgeCue", "NLIScorer", "PairScore", "find_hedge_cues"]
__version__ = "0.1.0"
