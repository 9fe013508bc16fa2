"""The four-way label scheme and the mapping of a model's own label names onto it.

A pair's label is the relation of claim B to claim A:

- ``contradiction``: B firmly asserts something that cannot be true together with A.
- ``entailment``: B firmly confirms A or makes it true.
- ``hedge``: B bears on A but without commitment (uncertainty, "may have", "declined to confirm").
- ``neutral``: B does not bear on whether A is true.
"""

from __future__ import annotations

from collections.abc import Mapping

CONTRADICTION = "contradiction"
ENTAILMENT = "entailment"
HEDGE = "hedge"
NEUTRAL = "neutral"

LABELS: tuple[str, ...] = (CONTRADICTION, ENTAILMENT, HEDGE, NEUTRAL)
"""The label order used everywhere in the project: probabilities, reports, model heads."""

# Names NLI models on the hub give their classes, lower-cased.
_ALIASES: dict[str, str] = {
    "contradiction": CONTRADICTION,
    "contradictory": CONTRADICTION,
    "contradicts": CONTRADICTION,
    "contradict": CONTRADICTION,
    "entailment": ENTAILMENT,
    "entailed": ENTAILMENT,
    "entails": ENTAILMENT,
    "entail": ENTAILMENT,
    "hedge": HEDGE,
    "hedging": HEDGE,
    "neutral": NEUTRAL,
}


class UnmappableLabelsError(ValueError):
    """A model's classes cannot be read as contradiction / entailment / neutral (/ hedge)."""


def map_model_labels(id2label: Mapping[int | str, str]) -> dict[int, str]:
    """Map a model's ``config.id2label`` onto the project's labels, by name.

    Any order and casing is accepted (``CONTRADICTION``, ``Entailment`` ...). A 3-way model must
    name contradiction, entailment and neutral; a 4-way model adds hedge. Anything else, such as
    ``LABEL_0`` or a 2-way ``not_entailment`` head, is refused.
    """
    mapped: dict[int, str] = {}
    for index, name in id2label.items():
        label = _ALIASES.get(str(name).strip().lower())
        if label is None:
            raise UnmappableLabelsError(
                f"cannot map model label {name!r} (id {index}) onto {', '.join(LABELS)}; "
                f"the model's labels are {dict(id2label)}"
            )
        if label in mapped.values():
            raise UnmappableLabelsError(f"two model labels map onto {label!r}: {dict(id2label)}")
        mapped[int(index)] = label
    missing = {CONTRADICTION, ENTAILMENT, NEUTRAL} - set(mapped.values())
    if missing:
        raise UnmappableLabelsError(
            f"model has no {', '.join(sorted(missing))} class; its labels are {dict(id2label)}"
        )
    return dict(sorted(mapped.items()))


def parse_label(name: str) -> str:
    """Read a label as written in a data file; raise ``ValueError`` for anything unknown."""
    label = _ALIASES.get(name.strip().lower()) if isinstance(name, str) else None
    if label is None:
        raise ValueError(f"unknown label {name!r}; expected one of {', '.join(LABELS)}")
    return label
