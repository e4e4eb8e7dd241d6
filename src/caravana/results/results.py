"""What a run produces: daily head-counts by place and status, and the run's metadata."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from ..engine.status import STATUS_NAMES, STAYING, Status
from ..engine.world import World
from .arrow import column
from .declared import ResultArray


@dataclass
class Results:
    scenario: str
    start: dt.date
    places: tuple[str, ...]
    counts: np.ndarray  # (days, places, statuses) int64, recorded at the end of each day
    spawned: np.ndarray  # (days,) people spawned so far, at the end of each day
    metadata: dict = field(default_factory=dict)
    tables: dict[str, pa.Table] = field(default_factory=dict)  # behaviour outputs (caravans, needs...)
    statuses: tuple[str, ...] = STATUS_NAMES
    world: World | None = None  # the places and caravan roads the run ran on
    arrays: dict[str, ResultArray] = field(default_factory=dict)  # the behaviours' declared results

    @property
    def days(self) -> int:
        return self.counts.shape[0]

    @property
    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=d) for d in range(self.days)]

    def place_index(self, place: str) -> int:
        try:
            return self.places.index(place)
        except ValueError:
            raise KeyError(f"no place named '{place}' in the results") from None

    def series(self, place: str, status: Status | str | None = None) -> np.ndarray:
        """Daily head-count of one place: everyone staying there (resting, waiting for papers
        or arrived at the border: who sleeps there, as the ``needs`` table counts), or
        those in one ``status`` only."""
        if status is None:
            return self.counts[:, self.place_index(place), [int(s) for s in STAYING]].sum(axis=1)
        s = Status[status.upper()] if isinstance(status, str) else status
        return self.counts[:, self.place_index(place), int(s)]

    def present(self, status: Status = Status.RESTING) -> np.ndarray:
        """(days, places) head-counts of people at each place in ``status``."""
        return self.counts[:, :, int(status)]

    def totals_by_status(self) -> np.ndarray:
        """(days, statuses) head-counts summed over places."""
        return self.counts.sum(axis=1)

    def to_table(self) -> pa.Table:
        """Long format: one row per day, place and status with a non-zero count."""
        days, places, statuses = np.nonzero(self.counts)
        dates = np.array(self.start, dtype="datetime64[D]") + days.astype("timedelta64[D]")
        return pa.table(
            {
                "day": column(days.astype(np.int32)),
                "date": column(dates),
                "place": pa.DictionaryArray.from_arrays(
                    column(places.astype(np.int32)), pa.array(list(self.places))
                ),
                "status": pa.DictionaryArray.from_arrays(
                    column(statuses.astype(np.int32)), pa.array(list(self.statuses))
                ),
                "count": column(self.counts[days, places, statuses].astype(np.int64)),
            }
        )
