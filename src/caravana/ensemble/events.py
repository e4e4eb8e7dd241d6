"""The members' event logs, kept as they arrive and reduced to quantiles per day, place,
event and cause.

A member logs only what happened to it (an accident in one member, none in another),
so members differ in their (event, cause) pairs. Each member's rows go, as numbers
(member, kind, day, place, count), to an anonymous temporary file as it arrives; at
the end every cell (day, place, event, cause) that happened in any member gets the
statistics of :func:`~caravana.ensemble.reduce.summarise` over all members, a member
without that row counting zero. Cells are reduced a block at a time.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from ..results.spool import BLOCK_BYTES
from .reduce import day_columns, dictionary, stat_columns, summarise

ROW = np.dtype([("member", np.int32), ("kind", np.int32), ("day", np.int32), ("place", np.int32),
                ("count", np.int64)])


class EventReduction:
    """Members' event tables (day, place, event, cause, count) in, one table of
    statistics out (module docstring)."""

    def __init__(self, members: int, places: Sequence[str]) -> None:
        self.members = members
        self.places = tuple(places)
        self._place = {name: i for i, name in enumerate(self.places)}
        self.kinds: dict[tuple[str, str], int] = {}  # (event, cause) -> kind number, first seen first
        self._file = tempfile.TemporaryFile()
        self.rows = 0

    def add(self, member: int, table: pa.Table | None) -> None:
        if table is None or table.num_rows == 0:
            return
        pairs = zip(table.column("event").to_pylist(), table.column("cause").to_pylist(), strict=True)
        rows = np.zeros(table.num_rows, dtype=ROW)
        rows["member"] = member
        rows["kind"] = [self.kinds.setdefault(pair, len(self.kinds)) for pair in pairs]
        rows["day"] = table.column("day").to_numpy()
        rows["place"] = [self._place[p] for p in table.column("place").to_pylist()]
        rows["count"] = table.column("count").to_numpy()
        self._file.write(rows.tobytes())
        self.rows += len(rows)

    def table(self, start: dt.date) -> pa.Table | None:
        """day, date, place, event, cause, p5..p95, mean: one row per cell that happened
        in any member, ordered by day, place, event and cause."""
        if not self.kinds:
            return None
        self._file.seek(0)
        rows = np.frombuffer(self._file.read(self.rows * ROW.itemsize), dtype=ROW)
        kinds = list(self.kinds)
        rank = np.empty(len(kinds), dtype=np.int64)  # kind number -> its place in (event, cause) order
        rank[sorted(range(len(kinds)), key=kinds.__getitem__)] = np.arange(len(kinds))
        n_places = len(self.places)
        key = (rows["day"].astype(np.int64) * n_places + rows["place"]) * len(kinds) + rank[rows["kind"]]
        cells, cell_of_row = np.unique(key, return_inverse=True)
        order = np.argsort(cell_of_row, kind="stable")
        bounds = np.searchsorted(cell_of_row[order], np.arange(0, len(cells) + 1))
        block = max(1, BLOCK_BYTES // (8 * self.members))
        stats = []
        for first in range(0, len(cells), block):
            last = min(first + block, len(cells))
            these = order[bounds[first] : bounds[last]]
            dense = np.zeros((self.members, last - first))
            dense[rows["member"][these], cell_of_row[these] - first] = rows["count"][these]
            stats.append(summarise(dense))
        kind_rank = cells % len(kinds)
        by_rank = np.asarray(sorted(range(len(kinds)), key=kinds.__getitem__))
        kind = by_rank[kind_rank]
        rest = cells // len(kinds)
        return pa.table(
            {
                **day_columns(rest // n_places, start),
                "place": dictionary(rest % n_places, self.places),
                "event": pa.array([kinds[k][0] for k in kind], pa.string()),
                "cause": pa.array([kinds[k][1] for k in kind], pa.string()),
                **stat_columns(np.concatenate(stats, axis=1)),
            }
        )

    def close(self) -> None:
        self._file.close()
