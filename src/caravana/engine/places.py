"""What changes about places and links during a run.

Flee keeps these as attributes of Location objects and edits them when conflicts
start and end or camps open and close; here they are arrays, edited by the
behaviours that own those events, read by the movement rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..scenario.schema import LocationType, MovementSettings
from .network import Network

# Flee's threshold below which a place is treated as a camp whatever its type.
AUTO_CAMP_MOVECHANCE = 0.005


@dataclass
class PlaceState:
    movechance: np.ndarray  # float64, chance a resting person leaves today
    camp: np.ndarray  # bool
    idpcamp: np.ndarray
    town: np.ndarray  # eligible for Flee's forced town move
    forward: np.ndarray
    marker: np.ndarray  # waypoints with no weight of their own
    foreign: np.ndarray
    conflict: np.ndarray  # float64 intensity, <= 0 means none
    conflict_since: np.ndarray  # int64 day the current conflict began
    population: np.ndarray  # float64, residents (spawning may take from it)
    capacity: np.ndarray  # float64, <= 0 unlimited

    @classmethod
    def from_network(
        cls, network: Network, rules: MovementSettings, home_country: str | None = None
    ) -> "PlaceState":
        n = network.n_places
        state = cls(
            movechance=np.full(n, rules.default_movechance),
            camp=np.zeros(n, bool),
            idpcamp=np.zeros(n, bool),
            town=np.zeros(n, bool),
            forward=np.zeros(n, bool),
            marker=np.zeros(n, bool),
            foreign=np.zeros(n, bool),
            conflict=np.full(n, -1.0),
            conflict_since=np.full(n, -1, dtype=np.int64),
            population=network.population.copy(),
            capacity=network.capacity.copy(),
        )
        home = home_country if home_country is not None else network.countries[0]
        state.foreign[:] = [c != home for c in (network.countries[i] for i in network.country_id)]
        for i, kind in enumerate(network.kind):
            if kind in (LocationType.camp, LocationType.idpcamp):
                state.open_camp(i, rules, idp=kind == LocationType.idpcamp)
            elif kind == LocationType.conflict_zone and network.conflict_date[i] <= 0:
                state.start_conflict(i, float(network.conflict_intensity[i]), day=-1, rules=rules)
            elif kind == LocationType.conflict_zone:
                # A conflict zone that starts later is a town until then (Flee's importer
                # rule); a conflict change switches it on.
                state.town[i] = True
            elif kind == LocationType.forward:
                state.forward[i] = True
                state.movechance[i] = 1.0
            elif kind == LocationType.marker:
                state.marker[i] = True
                state.movechance[i] = 1.0
            else:
                state.town[i] = True
        auto_camp = (state.movechance < AUTO_CAMP_MOVECHANCE) & ~state.camp
        state.camp[auto_camp] = True
        state.town[auto_camp] = False
        state.capacity[state.camp & (state.capacity > 0)] *= rules.capacity_scaling
        return state

    def start_conflict(self, i: int, intensity: float, day: int, rules: MovementSettings) -> None:
        self.movechance[i] = rules.conflict_movechance
        self.conflict[i] = intensity
        self.town[i] = False
        self.conflict_since[i] = day

    def end_conflict(self, i: int, rules: MovementSettings) -> None:
        self.movechance[i] = rules.default_movechance
        self.conflict[i] = -1.0
        self.town[i] = True

    def open_camp(self, i: int, rules: MovementSettings, idp: bool = False) -> None:
        self.camp[i] = True
        self.idpcamp[i] = idp
        self.movechance[i] = rules.idpcamp_movechance if idp else rules.camp_movechance
        self.conflict[i] = -1.0
        self.town[i] = self.forward[i] = self.marker[i] = False

    def close_camp(self, i: int, rules: MovementSettings) -> None:
        self.camp[i] = self.idpcamp[i] = False
        self.movechance[i] = rules.default_movechance
        self.conflict[i] = -1.0
        self.town[i] = True
        self.forward[i] = self.marker[i] = False


@dataclass
class LinkState:
    open: np.ndarray  # bool per directed link
    version: int = 0  # bumped on every change, so caches know to rebuild

    @classmethod
    def all_open(cls, network: Network) -> "LinkState":
        return cls(open=np.ones(network.n_links, dtype=bool))

    def set_open(self, links: np.ndarray, value: bool) -> None:
        if len(links):
            self.open[links] = value
            self.version += 1
