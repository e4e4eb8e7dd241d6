"""NumPy columns as Arrow arrays, for the tables a run writes.

``pa.array(ndarray)`` first asks whether it was handed a NumPy masked array, which imports
``numpy.ma`` (5-15 ms of a ``caravana run``'s CPU) only to learn it was not. A 1-D array of
numbers or days holds no nulls and needs no conversion: :func:`column` wraps its memory as an
Arrow array of the same type (what ``pa.array`` makes of it), and leaves anything else to
``pa.array``.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

_TYPES = {np.dtype(t): getattr(pa, np.dtype(t).name)() for t in (
    np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64, np.float32, np.float64)}
DAYS = np.dtype("datetime64[D]")


def column(values: np.ndarray) -> pa.Array:
    """``pa.array(values)``, without pyarrow's masked-array check for numbers and days."""
    if values.ndim != 1 or (values.dtype not in _TYPES and values.dtype != DAYS):
        return pa.array(values)
    if values.dtype == DAYS:  # date32: days since 1970-01-01, as pa.array makes them
        if np.isnat(values).any():
            return pa.array(values)
        days = values.view(np.int64)
        if len(days) and (days.min() < np.iinfo(np.int32).min or days.max() > np.iinfo(np.int32).max):
            return pa.array(values)
        return pa.Array.from_buffers(pa.date32(), len(values), [None, pa.py_buffer(days.astype(np.int32))])
    values = np.ascontiguousarray(values)
    return pa.Array.from_buffers(_TYPES[values.dtype], len(values), [None, pa.py_buffer(values)])
