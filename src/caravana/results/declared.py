"""Results a behaviour declares: an array with named dimensions, and how an ensemble's
members combine it. Declared once, on the behaviour; the run folder, ensembles, the
dashboard's API and the report take every declared array without further code.

Dimensions: ``day`` (first, always), ``place`` (the world's places, in order), and any
others, labelled by the behaviour at run time (e.g. ``quantity``: water, food...).
How members combine:

- ``sum``: added up over the members (e.g. people-days);
- ``quantiles``: P5, P25, P50, P75, P95 and the mean per cell, over the members that have
  a value there (NaN: none, e.g. a caravan before it forms);
- ``peak``: each member's highest value over the days, one row per member and cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pyarrow as pa

from .arrow import column
from .bands import STAT_COLUMNS, summarise
from .spool import Spool

COMBINE = ("sum", "quantiles", "peak")
STATS = STAT_COLUMNS


@dataclass(frozen=True)
class Declared:
    """What a behaviour says it will produce (``Behaviour.declares``)."""

    name: str
    dims: tuple[str, ...]
    dtype: str
    combine: Literal["sum", "quantiles", "peak"]
    description: str = ""

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"declared result name {self.name!r} must be an identifier")
        if not self.dims or self.dims[0] != "day" or len(set(self.dims)) != len(self.dims):
            raise ValueError(f"declared result {self.name!r}: dims must start with 'day' and not repeat")
        if self.combine not in COMBINE:
            raise ValueError(f"declared result {self.name!r}: combine must be one of {COMBINE}")
        np.dtype(self.dtype)  # a dtype NumPy knows


@dataclass
class ResultArray:
    """A declared result's values, with the labels of its dimensions other than day and place."""

    spec: Declared
    values: np.ndarray
    labels: dict[str, list[str]] = field(default_factory=dict)

    def checked(self, days: int, places: int) -> ResultArray:
        """Itself, cast to its dtype, after checking its shape against its dims."""
        expected = []
        for dim in self.spec.dims:
            if dim == "day":
                expected.append(days)
            elif dim == "place":
                expected.append(places)
            elif dim in self.labels:
                expected.append(len(self.labels[dim]))
            else:
                raise ValueError(f"declared result {self.spec.name!r}: no labels for dimension {dim!r}")
        if tuple(self.values.shape) != tuple(expected):
            raise ValueError(f"declared result {self.spec.name!r}: shape {self.values.shape}, dims "
                             f"{self.spec.dims} need {tuple(expected)}")
        return ResultArray(self.spec, self.values.astype(self.spec.dtype, copy=False), self.labels)

    def manifest(self) -> dict[str, Any]:
        return {"dims": list(self.spec.dims), "dtype": self.spec.dtype, "combine": self.spec.combine,
                "description": self.spec.description, "labels": self.labels, "file": f"arrays/{self.spec.name}.parquet"}


def _index_columns(dims: tuple[str, ...], shape: tuple[int, ...], start: dt.date, places: tuple[str, ...],
                   labels: dict[str, list[str]]) -> dict[str, pa.Array]:
    """One row per cell, C order: day, date, then each other dimension's label."""
    grids = np.indices(shape).reshape(len(shape), -1)
    columns: dict[str, pa.Array] = {}
    for axis, dim in enumerate(dims):
        index = grids[axis].astype(np.int32)
        if dim == "day":
            columns["day"] = column(index)
            columns["date"] = column(np.array(start, dtype="datetime64[D]") + index.astype("timedelta64[D]"))
        else:
            names = places if dim == "place" else labels[dim]
            columns[dim] = pa.DictionaryArray.from_arrays(column(index), pa.array(list(names), pa.string()))
    return columns


def run_table(array: ResultArray, start: dt.date, places: tuple[str, ...]) -> pa.Table:
    """A single run's array, long: one row per cell, its value in ``value``."""
    columns = _index_columns(array.spec.dims, array.values.shape, start, places, array.labels)
    columns["value"] = column(array.values.ravel())
    return pa.table(columns)


class Combiner:
    """One declared result of an ensemble's members, combined as the members arrive (in
    member order), so the parent keeps no member's array: ``sum`` is a running sum,
    ``peak`` one row per member, ``quantiles`` a :class:`~caravana.results.spool.Spool` on disk."""

    def __init__(self, first: ResultArray, members: int) -> None:
        self.spec, self.labels = first.spec, first.labels
        shape, dtype = first.values.shape, first.values.dtype
        self._sum: np.ndarray | None = None
        self._peaks = np.zeros((members, *shape[1:]), dtype=dtype) if self.spec.combine == "peak" else None
        self._spool = Spool(members, shape, dtype) if self.spec.combine == "quantiles" else None
        self._next = 0

    def add(self, array: ResultArray) -> None:
        """The next member's array (members come in order: sums add up as ``np.sum`` would)."""
        values, member = array.values, self._next
        self._next += 1
        if self._spool is not None:
            self._spool.put(member, values)
        elif self._peaks is not None:
            self._peaks[member] = values.max(axis=0)  # this member's highest over the days
        elif self._sum is None:
            self._sum = values.astype(np.add.reduce(values[:0]).dtype)  # NumPy's sum promotion
        else:
            self._sum += values

    def table(self, start: dt.date, places: tuple[str, ...], weights: np.ndarray | None = None) -> pa.Table:
        """The combined result, as its declaration says (module docstring). With ``weights``
        (one per member, summing to 1: a forecast's posterior) ``quantiles`` are weighted
        and ``peak`` rows carry each member's ``weight``; a weighted ``sum`` is refused
        (no declared result sums yet, and a sum over particles of unequal weight means nothing)."""
        spec, labels = self.spec, self.labels
        if self._sum is not None:
            if weights is not None:
                raise ValueError(f"declared result {spec.name!r}: a sum over members cannot be weighted")
            columns = _index_columns(spec.dims, self._sum.shape, start, places, labels)
            columns["value"] = pa.array(self._sum.ravel())
            return pa.table(columns)
        if self._spool is not None:
            columns = _index_columns(spec.dims, self._spool.cell_shape, start, places, labels)
            stats = self._spool.reduce(lambda block: _band(block, weights))
            for i, name in enumerate(STATS):
                columns[name] = pa.array(stats[i].ravel())
            return pa.table(columns)
        assert self._peaks is not None
        peaks = self._peaks
        grids = np.indices(peaks.shape).reshape(peaks.ndim, -1)
        columns = {"member": pa.array(grids[0].astype(np.int32))}
        for axis, dim in enumerate(spec.dims[1:], start=1):
            names = places if dim == "place" else labels[dim]
            columns[dim] = pa.DictionaryArray.from_arrays(pa.array(grids[axis].astype(np.int32)),
                                                          pa.array(list(names), pa.string()))
        columns["peak"] = pa.array(peaks.ravel())
        if weights is not None:
            columns["weight"] = pa.array(np.asarray(weights, dtype=np.float64)[grids[0]])
        return pa.table(columns)


def _band(block: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """A block of cells' statistics over the members with a value (NaN-aware only where
    needed: it is much slower)."""
    return summarise(block, skip_nan=block.dtype.kind == "f" and bool(np.isnan(block).any()), weights=weights)


def combine(members: list[ResultArray], start: dt.date, places: tuple[str, ...]) -> pa.Table:
    """The members' arrays, combined as their declaration says (module docstring)."""
    combiner = Combiner(members[0], len(members))
    for member in members:
        combiner.add(member)
    return combiner.table(start, places)
