"""A caravan's road: its places in order, the links between them, km from its origin,
and the geometry to put a position on the map. Compiled once per scenario (see
:class:`caravana.engine.world.World`); caravans, ensembles, forecasts, the dashboard and
the report all read the same one."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..scenario.corridor import CaravanSpec


def along(km: np.ndarray, lat: np.ndarray, lon: np.ndarray, at_km) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude of positions ``at_km`` on a road whose places are at ``km``
    (ascending) and ``lat``, ``lon``: straight between the places on each side, clamped
    to the road's ends. The one interpolation every map of a caravan uses."""
    km = np.asarray(km)
    at = np.asarray(at_km)
    seg = np.clip(np.searchsorted(km, at, side="right") - 1, 0, len(km) - 1)
    nxt = np.minimum(seg + 1, len(km) - 1)
    span = km[nxt] - km[seg]
    frac = np.where(span > 0, (at - km[seg]) / np.where(span > 0, span, 1.0), 0.0).clip(0.0, 1.0)
    lat, lon = np.asarray(lat), np.asarray(lon)
    return lat[seg] + frac * (lat[nxt] - lat[seg]), lon[seg] + frac * (lon[nxt] - lon[seg])


@dataclass
class Itinerary:
    """A caravan's planned path as arrays: places, the link used between consecutive
    places (a detour swaps it), and km from the origin at each place."""

    places: np.ndarray  # int32 (P,)
    links: np.ndarray  # int32 (P-1,), link used from places[s] to places[s+1]
    alternatives: list[list[int]]  # per segment: other usable links between the same two places
    km: np.ndarray  # float32 (P,), from the origin
    pace: np.ndarray  # float32 (P,), km a travel day for a stage starting at or after places[i]
    pace_leg: np.ndarray  # intp (P,), whose pace that is: 0 the caravan's pace_km, 1 + j its pace[j]
    stopover: np.ndarray  # int32 (P,), extra days the main body stays at places[i]
    rail_km: np.ndarray  # float32 (P,), km of freight-train links from the origin to places[i]

    halt: np.ndarray  # bool (P,), the main body does not walk past places[i] in one stage (stopover, fork)

    @classmethod
    def build(cls, network, spec: CaravanSpec) -> Itinerary:
        names = [spec.origin, *spec.itinerary]
        places = np.array([network.index(n) for n in names], dtype=np.int32)
        pace = np.full(len(places), spec.pace_km, dtype=np.float32)
        pace_leg = np.zeros(len(places), dtype=np.intp)
        for j, leg in sorted(enumerate(spec.pace), key=lambda jl: names.index(jl[1].place)):
            pace[names.index(leg.place):] = leg.km
            pace_leg[names.index(leg.place):] = 1 + j
        links, alternatives = _links_between(network, spec, places)
        km = np.concatenate(([0.0], np.cumsum(network.km[links]))).astype(np.float32)
        return cls._with(network, spec, places, links, alternatives, km, pace, pace_leg)

    @classmethod
    def _with(cls, network, spec, places, links, alternatives, km, pace, pace_leg) -> Itinerary:
        stopover = np.array([spec.stopovers.get(network.names[p], 0) for p in places], dtype=np.int32)
        rail = np.array([network.mode[e] == "rail" for e in links], dtype=bool)
        rail_km = np.concatenate(([0.0], np.cumsum(network.km[links] * rail))).astype(np.float32)
        forks = set(spec.choose_at) | ({spec.itinerary[-1]} if spec.destinations else set())
        halt = (stopover > 0) | np.array([network.names[p] in forks for p in places])
        return cls(places, links, alternatives, km, pace, pace_leg, stopover, rail_km, halt)

    def extended(self, network, spec: CaravanSpec, j: int, tail: np.ndarray) -> Itinerary:
        """This itinerary up to its place ``j``, then the places ``tail``: the km (and the detours
        taken) up to place j are kept, so members' positions there stay valid. The tail walks at
        place j's pace, and that pace stays its leg's (``pace_leg``), whatever places the tail repeats."""
        places = np.concatenate((self.places[: j + 1], tail)).astype(np.int32)
        links, alternatives = _links_between(network, spec, places[j:])
        links = np.concatenate((self.links[:j], links)).astype(np.int32)
        km = np.concatenate((self.km[: j + 1], self.km[j] + np.cumsum(network.km[links[j:]]))).astype(np.float32)
        pace = np.concatenate((self.pace[: j + 1], np.full(len(tail), self.pace[j]))).astype(np.float32)
        pace_leg = np.concatenate((self.pace_leg[: j + 1], np.full(len(tail), self.pace_leg[j]))).astype(np.intp)
        return Itinerary._with(network, spec, places, links, self.alternatives[:j] + alternatives, km, pace, pace_leg)

    def rest_legs(self, spec: CaravanSpec) -> list[tuple[int, float]]:
        """(index, rest_after_km) of ``spec``'s pace legs that set one, in road order: where each leg
        starts on this road as laid (``pace_leg``; a leg an extension cut off starts nowhere)."""
        legs = []
        for j, leg in enumerate(spec.pace):
            held = np.flatnonzero(self.pace_leg == 1 + j)
            if leg.rest_after_km is not None and len(held):
                legs.append((int(held[0]), leg.rest_after_km))
        return sorted(legs)

    def locate(self, pop, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which of people ``idx`` are on this itinerary (at one of its places, or on one of its
        links in its direction), and their km from its origin."""
        where = np.full(int(max(self.places.max(), pop.loc[idx].max(initial=0))) + 1, -1, dtype=np.int64)
        where[self.places] = np.arange(len(self.places))
        k = where[pop.loc[idx]]
        on_link = pop.link[idx] >= 0
        kl = np.clip(k, 0, max(len(self.links) - 1, 0))
        found = (k >= 0) & (~on_link | ((k < len(self.links)) & (self.links[kl] == pop.link[idx])))
        km = np.where(found, self.km[np.maximum(k, 0)] + np.where(on_link, pop.dist[idx], 0.0), 0.0)
        return found, km.astype(np.float32)

    def copy(self) -> Itinerary:
        """A copy whose links a caravan may swap (a detour) without touching the world's."""
        return replace(self, links=self.links.copy(), alternatives=[list(a) for a in self.alternatives])

    def segment(self, ckm: np.ndarray | float | np.floating) -> np.ndarray:
        """Index of the last place at or before each position."""
        # (a count of places at or before is at most their number: only the floor needs a clip,
        # and np.maximum costs a fraction of np.clip's checks, called a few times a caravan a day)
        return np.maximum(np.searchsorted(self.km, ckm, side="right") - 1, 0)

    def segment_of(self, ckm: float | np.floating) -> int:
        """``segment`` of one position (a caravan's body), as a plain int: a caravan's day asks
        it several times, and ``segment``'s NumPy calls on a scalar cost four times as much."""
        return max(int(self.km.searchsorted(ckm, side="right")) - 1, 0)

    def position(self, ckm: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Latitude and longitude of each position (``lat``, ``lon``: of every place)."""
        return along(self.km, lat[self.places], lon[self.places], ckm)

    def rail_before(self, ckm: np.ndarray, seg: np.ndarray | None = None) -> np.ndarray:
        """km of freight-train links between the origin and each position (``seg``: their
        ``segment``, if known)."""
        if self.rail_km[-1] == 0:  # no freight train on this road (most): the same zeros, faster
            return np.zeros(np.shape(ckm), dtype=np.result_type(self.rail_km, ckm, self.km))
        seg = self.segment(ckm) if seg is None else seg
        on_rail = self.rail_km[np.minimum(seg + 1, len(self.km) - 1)] > self.rail_km[seg]
        return self.rail_km[seg] + np.where(on_rail, ckm - self.km[seg], 0.0)

    def index_of(self, place: int) -> int:
        return int(np.flatnonzero(self.places == place)[0])

    @property
    def end(self) -> np.float32:
        return self.km[-1]


def _links_between(network, spec: CaravanSpec, places: np.ndarray) -> tuple[np.ndarray, list[list[int]]]:
    """The link used between consecutive places (the most preferred mode), and the others
    (looked up once per network, modes and places: copies, so no road shares them)."""
    modes = tuple(spec.modes)
    links, alternatives = network.memo(("links", modes, np.asarray(places).dtype.str, np.asarray(places).tobytes()),
                                       lambda: _look_up_links(network, modes, places))
    return links.copy(), [list(a) for a in alternatives]


def _look_up_links(network, modes: tuple[str, ...], places: np.ndarray) -> tuple[np.ndarray, list[list[int]]]:
    links, alternatives = [], []
    for a, b in zip(places[:-1], places[1:]):
        between = [e for e in network.links_from(int(a)) if network.dst[e] == b]
        ranked = sorted(
            (e for e in between if network.mode[e] in modes),
            key=lambda e: modes.index(network.mode[e]),
        )
        links.append(ranked[0])  # validated (or found by a route search): there is one
        alternatives.append([int(e) for e in ranked[1:]])
    return np.array(links, dtype=np.int32), alternatives
