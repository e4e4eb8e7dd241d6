"""Proposals against hand labels (``tests/data/news/labels.csv``): the matching rule of the
benchmark (``benchmarks/news_extraction.py``), shared with the re-scorer's training
(``news/train.py``) so that both count a hit the same way.

A proposal matches a label when it is from the same report, of the same quantity and
place, dated within a day, and its value is within 5 % (both empty for arrivals and
departures); each label is matched at most once, the most confident proposals first.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

DAY_TOLERANCE = 1
VALUE_TOLERANCE = 0.05


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


def matches(p, label: dict) -> bool:
    if p.quantity.value != label["quantity"] or p.place != label["place"]:
        return False
    if abs((p.date - dt.date.fromisoformat(label["date"])).days) > DAY_TOLERANCE:
        return False
    return value_matches(p, label)


def value_matches(p, label: dict) -> bool:
    """The proposal's value is the label's within ``VALUE_TOLERANCE`` (or neither has one)."""
    value = _number(label["value"])
    if value is None or p.value is None:
        return value is None and p.value is None
    return abs(p.value - value) <= VALUE_TOLERANCE * max(value, 1)


def score(proposals, labels: list[dict]):
    """Greedy one-to-one matching: (hits as (proposal, label) pairs, false proposals,
    missed labels)."""
    free = list(labels)
    hits, wrong = [], []
    for p in sorted(proposals, key=lambda p: -p.confidence):
        name = Path(p.file).name
        found = next((label for label in free if label["file"] == name and matches(p, label)), None)
        if found is None:
            wrong.append(p)
        else:
            free.remove(found)
            hits.append((p, found))
    return hits, wrong, free


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return precision, recall, f1
