"""Results a behaviour declares: an array with named dimensions, and how an ensemble's
members combine it. Declared once, on the behaviour; the run folder, ensembles, the
dashboard's API and the report take every declared array without further code.

Dimensions: ``day`` (first, always), ``place`` (the world's places, in order), and any
others, labelled by the behaviour at run time (e.g. ``quantity``: water, food...).
How members combine:

- ``sum``: added up over the members (e.g. people-days);
- ``quantiles``: P5, P25, P50, P75, P95 and the mean per cell, over the members;
- ``peak``: each member's highest value over the days, one row per member and cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pyarrow as pa

COMBINE = ("sum", "quantiles", "peak")
QUANTILES = (5, 25, 50, 75, 95)
STATS = ("p5", "p25", "p50", "p75", "p95", "mean")


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
            columns["day"] = pa.array(index)
            columns["date"] = pa.array(np.array(start, dtype="datetime64[D]") + index.astype("timedelta64[D]"))
        else:
            names = places if dim == "place" else labels[dim]
            columns[dim] = pa.DictionaryArray.from_arrays(pa.array(index), pa.array(list(names), pa.string()))
    return columns


def run_table(array: ResultArray, start: dt.date, places: tuple[str, ...]) -> pa.Table:
    """A single run's array, long: one row per cell, its value in ``value``."""
    columns = _index_columns(array.spec.dims, array.values.shape, start, places, array.labels)
    columns["value"] = pa.array(array.values.ravel())
    return pa.table(columns)


def combine(members: list[ResultArray], start: dt.date, places: tuple[str, ...]) -> pa.Table:
    """The members' arrays, combined as their declaration says (module docstring)."""
    first = members[0]
    spec, labels = first.spec, first.labels
    stack = np.stack([m.values for m in members])  # (members, day, ...)
    if spec.combine == "sum":
        columns = _index_columns(spec.dims, stack.shape[1:], start, places, labels)
        columns["value"] = pa.array(stack.sum(axis=0).ravel())
        return pa.table(columns)
    if spec.combine == "quantiles":
        columns = _index_columns(spec.dims, stack.shape[1:], start, places, labels)
        values = stack.astype(np.float64)
        for name, q in zip(STATS[:-1], QUANTILES):
            columns[name] = pa.array(np.percentile(values, q, axis=0).ravel())
        columns["mean"] = pa.array(values.mean(axis=0).ravel())
        return pa.table(columns)
    peaks = stack.max(axis=1)  # each member's highest over the days: (members, ...)
    rest = spec.dims[1:]
    grids = np.indices(peaks.shape).reshape(peaks.ndim, -1)
    columns = {"member": pa.array(grids[0].astype(np.int32))}
    for axis, dim in enumerate(rest, start=1):
        names = places if dim == "place" else labels[dim]
        columns[dim] = pa.DictionaryArray.from_arrays(pa.array(grids[axis].astype(np.int32)),
                                                      pa.array(list(names), pa.string()))
    columns["peak"] = pa.array(peaks.ravel())
    return pa.table(columns)
