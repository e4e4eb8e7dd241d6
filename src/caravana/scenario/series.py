"""Count series: Flee's reading of a dated table of cumulative counts."""

from __future__ import annotations

import numpy as np

from .schema import CountPoint


def interpolate_counts(points: list[CountPoint], days: int) -> np.ndarray:
    """Daily values on days ``0..days-1``, as Flee's ``DataTable.get_field`` gives them.

    Before the first point: the first value; between points: linear; after the
    last: the last value. Each value is truncated to an integer (Flee's ``int()``).
    """
    if not points:
        return np.zeros(days, dtype=np.int64)
    ordered = sorted(points, key=lambda p: p.day)
    x = np.array([p.day for p in ordered], dtype=np.float64)
    y = np.array([p.count for p in ordered], dtype=np.float64)
    values = np.interp(np.arange(days, dtype=np.float64), x, y)
    return np.trunc(values).astype(np.int64)
