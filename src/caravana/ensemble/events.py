"""The members' event logs, kept as they arrive and reduced to quantiles per day, place,
event and cause.

A member logs only what happened to it (an accident in one member, none in another),
so members differ in their (event, cause) pairs. Each member's rows go, as numbers
(member, kind, day, place, count), to an anonymous temporary file as it arrives; at
the end every cell (day, place, event, cause) that happened in any member gets the
statistics of :func:`~caravana.results.bands.summarise` over all members, a member
without that row counting zero. The rows are read back a chunk at a time and the cells
reduced a block at a time, so memory does not grow with the number of members.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from ..results.spool import BLOCK_BYTES, scratch_file
from .reduce import day_columns, dictionary, stat_columns, summarise

CHUNK_BYTES = 8 << 20  # event rows read back at once
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
        self._file = scratch_file(self)
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

    def _chunks(self):
        """The rows written so far, a chunk at a time (never all of them at once)."""
        self._file.seek(0)
        per_chunk = max(1, CHUNK_BYTES // ROW.itemsize)
        for _ in range(0, self.rows, per_chunk):
            yield np.frombuffer(self._file.read(per_chunk * ROW.itemsize), dtype=ROW)

    def _keys(self, rows: np.ndarray, rank: np.ndarray) -> np.ndarray:
        """Each row's cell as one number, in (day, place, event, cause) order."""
        n_kinds = len(rank)
        return (rows["day"].astype(np.int64) * len(self.places) + rows["place"]) * n_kinds + rank[rows["kind"]]

    def table(self, start: dt.date, weights: np.ndarray | None = None) -> pa.Table | None:
        """day, date, place, event, cause, p5..p95, mean: one row per cell that happened
        in any member, ordered by day, place, event and cause (weighted with ``weights``,
        one per member). The rows are read a chunk at a time: once to find the cells,
        then once per block of cells."""
        if not self.kinds:
            return None
        kinds = list(self.kinds)
        by_rank = np.asarray(sorted(range(len(kinds)), key=kinds.__getitem__))  # rank -> kind number
        rank = np.empty(len(kinds), dtype=np.int64)
        rank[by_rank] = np.arange(len(kinds))
        cells = np.unique(np.concatenate([np.unique(self._keys(rows, rank)) for rows in self._chunks()]))
        block = max(1, BLOCK_BYTES // (8 * self.members))
        stats = []
        for first in range(0, len(cells), block):
            these = cells[first : first + block]
            dense = np.zeros((self.members, len(these)))
            for rows in self._chunks():
                keys = self._keys(rows, rank)
                inside = (keys >= these[0]) & (keys <= these[-1])
                dense[rows["member"][inside], np.searchsorted(these, keys[inside])] = rows["count"][inside]
            stats.append(summarise(dense, weights=weights))
        kind = by_rank[cells % len(kinds)]
        rest = cells // len(kinds)
        n_places = len(self.places)
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
