"""The event log: how many people something happened to, per day, place, event and cause.

Behaviours record events as they happen (a detention at a checkpoint, deaths in an
accident, a permit issued); the log keeps counts, not one row per person, so it
stays small however many people a run has.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

_FEW = 16  # people at most whose places are added one by one


class UndeclaredEvent(RuntimeError):
    """A behaviour logged an event it does not list in ``Behaviour.events`` (a bug)."""


class EventLog:
    def __init__(self, days: int, n_places: int) -> None:
        self.days = days
        self.n_places = n_places
        self._counts: dict[tuple[str, str], np.ndarray] = {}  # (event, cause) -> (days, places)
        # While a behaviour steps: its name and the events it declares (see ``Simulation``).
        # Outside any behaviour (a forecast's moves) every event is allowed.
        self.recorder: tuple[str, frozenset[str]] | None = None

    def record(self, day: int, event: str, places: np.ndarray | int, cause: str = "", count: int = 1) -> None:
        """``count`` people each at ``places`` (one place, or one entry per person)."""
        if self.recorder is not None and event not in self.recorder[1]:
            raise UndeclaredEvent(f"behaviour '{self.recorder[0]}' logged the event '{event}', "
                                  "which neither it nor a behaviour it calls lists in Behaviour.events")
        grid = self._counts.get((event, cause))
        if grid is None:
            grid = self._counts[(event, cause)] = np.zeros((self.days, self.n_places), dtype=np.int64)
        if isinstance(places, (int, np.integer)):
            grid[day, int(places)] += count
            return
        if not isinstance(places, np.ndarray):  # (most calls: an array; np.ndim and np.size cost more than its own)
            places = np.asarray(places)
        if places.ndim == 0:
            grid[day, int(places)] += count
        elif places.size <= _FEW:  # (most calls: a few people; a count of every place costs more)
            row = grid[day]
            for place in places.tolist():
                if place < 0:
                    raise ValueError(f"event '{event}' at place {place}")
                row[place] += count
        else:
            grid[day] += np.bincount(places, minlength=self.n_places) * count

    def logged(self) -> set[str]:
        """The event names recorded so far."""
        return {event for event, _ in self._counts}

    @property
    def n_kinds(self) -> int:
        """How many (event, cause) pairs have been recorded."""
        return len(self._counts)

    def total(self, event: str) -> np.ndarray:
        """(days, places) counts of ``event`` whatever the cause."""
        total = np.zeros((self.days, self.n_places), dtype=np.int64)
        for (name, _), grid in self._counts.items():
            if name == event:
                total += grid
        return total

    def to_table(self, start: dt.date, place_names: tuple[str, ...], days: int) -> pa.Table:
        """Long format, one row per day, place, event and cause with a non-zero count."""
        columns: dict[str, list] = {"day": [], "place": [], "event": [], "cause": [], "count": []}
        for (event, cause), grid in sorted(self._counts.items()):
            d, p = np.nonzero(grid[:days])
            columns["day"].append(d.astype(np.int32))
            columns["place"].append(p)
            columns["event"] += [event] * len(d)
            columns["cause"] += [cause] * len(d)
            columns["count"].append(grid[d, p])
        day = np.concatenate(columns["day"]) if columns["day"] else np.zeros(0, np.int32)
        place = np.concatenate(columns["place"]) if columns["place"] else np.zeros(0, np.int64)
        count = np.concatenate(columns["count"]) if columns["count"] else np.zeros(0, np.int64)
        order = np.lexsort((place, day))
        names = np.array(place_names, dtype=object)
        return pa.table(
            {
                "day": pa.array(day[order], pa.int32()),
                "date": pa.array(np.array(start, dtype="datetime64[D]") + day[order].astype("timedelta64[D]")),
                "place": pa.array(names[place[order]].tolist(), pa.string()),
                "event": pa.array(np.array(columns["event"], dtype=object)[order].tolist(), pa.string()),
                "cause": pa.array(np.array(columns["cause"], dtype=object)[order].tolist(), pa.string()),
                "count": pa.array(count[order], pa.int64()),
            }
        )
