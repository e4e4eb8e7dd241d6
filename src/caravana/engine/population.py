"""The people: a struct of arrays, one NumPy array per attribute, grown in place.

Arrays are allocated with spare room and views of the first ``n`` rows are handed
out, so spawning a few people a day costs no copy. A person is never removed:
leaving the simulation is a status (crossed, returned, dead...), which keeps
conservation checkable (every spawned person is in exactly one status).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .status import Status

# name -> (dtype, fill value for new people). Every scenario's people have these ...
CORE_FIELDS: dict[str, tuple[np.dtype, object]] = {
    "loc": (np.dtype(np.int32), -1),  # current place; on a link, the place it left
    "link": (np.dtype(np.int32), -1),  # directed link travelled, -1 when at a place
    "dist": (np.dtype(np.float64), 0.0),  # km covered on the current link (float64: compared with km)
    "status": (np.dtype(np.int8), int(Status.RESTING)),
    "home": (np.dtype(np.int32), -1),  # place of spawning
    "group": (np.dtype(np.int32), -1),  # caravan id, -1 = travelling alone
    "days_in_status": (np.dtype(np.int16), 0),
}
# ... and these only when a behaviour of the scenario names them in ``Behaviour.uses``
# (Flee's movement rules: a corridor run does not carry them).
OPTIONAL_FIELDS: dict[str, tuple[np.dtype, object]] = {
    "hops": (np.dtype(np.uint8), 0),  # links completed (saturates at 255)
    "recent": (np.dtype(np.float32), 0.0),  # Flee's recent_travel_distance index ...
    "recent_day": (np.dtype(np.int32), 0),  # ... as of the end of this day (it halves daily after)
    "route": (np.dtype(np.int32), -1),  # planned route id, -1 = none
    "route_pos": (np.dtype(np.int8), 0),  # links of the planned route already taken
    "bounce": (np.dtype(np.bool_), False),  # on a link that closed: turn back on arrival
}


class Population:
    def __init__(self, capacity: int = 1024, optional: Iterable[str] = tuple(OPTIONAL_FIELDS)) -> None:
        """``optional``: which of OPTIONAL_FIELDS to allocate (a simulation passes those its
        behaviours use; on its own, a population has them all)."""
        self._cap = max(int(capacity), 16)
        self._data: dict[str, np.ndarray] = {}
        self._fills: dict[str, object] = {}
        self.n = 0
        unknown = set(optional) - set(OPTIONAL_FIELDS)
        if unknown:
            raise ValueError(f"unknown optional population fields {sorted(unknown)} (known: {list(OPTIONAL_FIELDS)})")
        for name, (dtype, fill) in CORE_FIELDS.items():
            self.add_field(name, dtype, fill)
        for name in OPTIONAL_FIELDS:  # in a fixed order whatever the behaviours' order
            if name in optional:
                self.add_field(name, *OPTIONAL_FIELDS[name])

    def add_field(self, name: str, dtype, fill) -> None:
        """Give every person a new attribute (behaviours register their own)."""
        if name in self._data:
            raise ValueError(f"population field '{name}' exists already")
        self._data[name] = np.full(self._cap, fill, dtype=dtype)
        self._fills[name] = fill
        self.__dict__[name] = self._data[name][: self.n]

    def _views(self) -> None:
        """Each field's view of the people, kept as an attribute (``pop.status``), made afresh only
        when people are spawned: a run reads the fields some hundred times a day, and a view made
        on each read (``__getattr__``, a slice) cost more than the reads of a small run."""
        n = self.n
        for name, arr in self._data.items():
            self.__dict__[name] = arr[:n]

    def __getattr__(self, name: str) -> np.ndarray:
        data = self.__dict__.get("_data")
        if data is not None and name in data:
            return data[name][: self.n]
        if name in OPTIONAL_FIELDS:
            raise AttributeError(f"population field '{name}' is not allocated: no behaviour of this run "
                                 "names it in its 'uses'")
        raise AttributeError(name)

    def field(self, name: str) -> np.ndarray:
        return self._data[name][: self.n]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self._data)

    @property
    def nbytes_per_person(self) -> int:
        return sum(a.dtype.itemsize for a in self._data.values())

    def _grow(self, needed: int) -> None:
        # Four times as large: each growth copies everyone into fresh memory (paid page by page),
        # so a run that grows from a few to millions copies about a third of its people, not all
        # of them as doubling would; the spare room is not written until people are spawned into
        # it, so it costs no memory meanwhile.
        new_cap = max(needed, 4 * self._cap + 16)
        for name, arr in self._data.items():
            grown = np.empty(new_cap, dtype=arr.dtype)  # the spare room is filled as people are spawned
            grown[: self.n] = arr[: self.n]
            self._data[name] = grown
        self._cap = new_cap

    def __deepcopy__(self, memo) -> Population:
        """A copy of the people (``Simulation.clone``): each field's first ``n`` rows, in room as
        large as this one's. The spare rows are not copied (NumPy's copy of an array copies them
        all): their contents mean nothing until people are spawned into them, and untouched
        they cost no memory."""
        twin = Population.__new__(Population)
        memo[id(self)] = twin
        twin.__setstate__(self.__getstate__())
        return twin

    def __getstate__(self) -> dict:
        """Pickled (checkpoints, ensemble members, forecast particles sent to workers): the people,
        not the spare room."""
        return {"_cap": self._cap, "n": self.n, "_fills": dict(self._fills),
                "_data": {name: arr[: self.n] for name, arr in self._data.items()}}

    def __setstate__(self, state: dict) -> None:
        """The people back in room as large as they had (spare rows untouched; also from a pickle of
        the whole room, as made before ``__getstate__``)."""
        self._cap, self.n, self._fills = state["_cap"], state["n"], state["_fills"]
        self._data = {}
        for name, arr in state["_data"].items():
            self._data[name] = np.empty(self._cap, dtype=arr.dtype)
            self._data[name][: self.n] = arr[: self.n]
        self._views()

    def spawn(self, places: np.ndarray, **values) -> slice:
        """Add one person per entry of ``places``; returns the slice of the new people."""
        places = np.asarray(places, dtype=np.int32)
        k = len(places)
        start = self.n
        if start + k > self._cap:
            self._grow(start + k)
        self.n = start + k
        new = slice(start, start + k)
        for name, data in self._data.items():
            if name not in values:
                data[new] = self._fills[name]
        self._data["loc"][new] = places
        self._data["home"][new] = places
        for name, value in values.items():
            self._data[name][new] = value
        self._views()
        return new
