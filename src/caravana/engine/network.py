"""The world graph: places and directed links in CSR form, built once from a scenario.

Every undirected route becomes two directed links. Links leaving place ``u`` are
``indptr[u]:indptr[u+1]``, in the order the routes were given (Flee's link order).
What changes during a run (a link closing) lives in :class:`LinkState`, not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..scenario.schema import LocationType, Scenario

NO_CAPACITY = -1.0
_last: tuple[list, list, Network] | None = None  # the last network built, with its locations and routes


def _same(kept: list, rows: list) -> bool:
    """The same row objects, in the same order (Location and Route are frozen: never changed in place)."""
    return len(kept) == len(rows) and all(a is b for a, b in zip(kept, rows))


@dataclass(frozen=True)
class Network:
    names: tuple[str, ...]
    countries: tuple[str, ...]
    country_id: np.ndarray  # int32 per place
    lat: np.ndarray
    lon: np.ndarray
    kind: tuple[LocationType, ...]
    population: np.ndarray  # float64 resident population
    capacity: np.ndarray  # float64, NO_CAPACITY where unlimited
    conflict_date: np.ndarray  # int64 day a conflict zone turns active, -1 when not given
    conflict_intensity: np.ndarray  # float64 intensity of a conflict zone active from the start
    indptr: np.ndarray  # int64, L+1
    src: np.ndarray  # int32 per directed link
    dst: np.ndarray  # int32
    km: np.ndarray  # float64
    speed: np.ndarray  # float64 km/day override, NaN = use the movement setting
    walk_probability: np.ndarray  # float64
    mode: tuple[str, ...]  # per directed link
    route_of_link: np.ndarray  # int32: index of the scenario route a link comes from
    reverse: np.ndarray  # int32: the opposite directed link
    # What is derived from the network alone, kept for the next run on it (``memo``).
    _memo: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    def memo(self, key: tuple, make: Any) -> Any:
        """``make()``, computed once per ``key`` for this network (the network never changes):
        a forecast builds hundreds of runs on one network, each looking up the same roads."""
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = make()
        return found

    @property
    def n_places(self) -> int:
        return len(self.names)

    @property
    def n_links(self) -> int:
        return len(self.src)

    def index(self, name: str) -> int:
        return self.names.index(name)

    def links_from(self, place: int) -> np.ndarray:
        return np.arange(self.indptr[place], self.indptr[place + 1])

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> Network:
        """The scenario's network; the last one built again when its locations and routes are
        the very same objects (a forecast's particles: settings changed elsewhere, by
        ``apply_overrides``, which keeps the rows it does not change)."""
        global _last
        if _last is not None and _same(_last[0], scenario.locations) and _same(_last[1], scenario.routes):
            return _last[2]
        network = cls._build(scenario)
        _last = (list(scenario.locations), list(scenario.routes), network)
        return network

    @classmethod
    def _build(cls, scenario: Scenario) -> Network:
        names = tuple(loc.name for loc in scenario.locations)
        index = {n: i for i, n in enumerate(names)}
        countries = tuple(dict.fromkeys(loc.country for loc in scenario.locations))
        country_index = {c: i for i, c in enumerate(countries)}
        n = len(names)

        # Directed links in Flee's order: each route appends one link to each endpoint.
        per_place: list[list[tuple[int, int, int]]] = [[] for _ in range(n)]
        for r, route in enumerate(scenario.routes):
            a, b = index[route.start], index[route.end]
            if route.forced_redirection == 2:  # Flee links these the other way round
                a, b = b, a
            per_place[a].append((a, b, r))
            per_place[b].append((b, a, r))
        flat = [link for links in per_place for link in links]
        indptr = np.zeros(n + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(links) for links in per_place])
        src = np.array([f[0] for f in flat], dtype=np.int32)
        dst = np.array([f[1] for f in flat], dtype=np.int32)
        route_of_link = np.array([f[2] for f in flat], dtype=np.int32)
        routes = scenario.routes
        km = np.array([routes[r].km for r in route_of_link], dtype=np.float64)
        speed = np.array(
            [routes[r].max_move_speed or np.nan for r in route_of_link], dtype=np.float64
        )
        walk = np.array([routes[r].walk_probability for r in route_of_link], dtype=np.float64)
        mode = tuple(routes[r].mode for r in route_of_link)

        reverse = np.full(len(flat), -1, dtype=np.int32)
        by_key = {(int(s), int(d), int(r)): i for i, (s, d, r) in enumerate(flat)}
        for i, (s, d, r) in enumerate(flat):
            reverse[i] = by_key[(d, s, r)]

        capacity = np.array(
            [NO_CAPACITY if loc.capacity is None else float(loc.capacity) for loc in scenario.locations]
        )
        return cls(
            names=names,
            countries=countries,
            country_id=np.array([country_index[loc.country] for loc in scenario.locations], dtype=np.int32),
            lat=np.array([loc.lat for loc in scenario.locations]),
            lon=np.array([loc.lon for loc in scenario.locations]),
            kind=tuple(loc.type for loc in scenario.locations),
            population=np.array([float(loc.population) for loc in scenario.locations]),
            capacity=capacity,
            conflict_intensity=np.array([loc.conflict_intensity for loc in scenario.locations], dtype=np.float64),
            conflict_date=np.array(
                [-1 if loc.conflict_date is None else loc.conflict_date for loc in scenario.locations],
                dtype=np.int64,
            ),
            indptr=indptr,
            src=src,
            dst=dst,
            km=km,
            speed=speed,
            walk_probability=walk,
            mode=mode,
            route_of_link=route_of_link,
            reverse=reverse,
        )
