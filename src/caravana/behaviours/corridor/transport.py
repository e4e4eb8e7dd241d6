"""Transport: how far people ride each day, by which mode, and the accidents.

Caravans record each mover's km of the day by mode (walked up to ``walk_km``, the
rest hitchhiked on ``ride_mode``, or by an offered bus). Accidents happen per
vehicle-km: their number a day is Poisson with mean
``ridden km / occupancy x accidents_per_million_km / 10^6``; each strikes one
vehicle-load of that mode's riders (chosen in proportion to their km), killing
each with chance ``fatality``. A mode with no accident rate (walking) kills nobody.

``bus_offer`` answers caravans: buses offered on a day at a place (an offer stands from its
``day`` until it is withdrawn, its ``end``; seats a day). A caravan's main body at the place
takes them if they go to a later place of its itinerary; at most ``seats`` of its members
there ride (``Caravans.bus_rides``).
"""

from __future__ import annotations

import numpy as np

from ...engine.behaviour import Behaviour
from ...engine.status import Status
from ...scenario.corridor import TransportSpec
from .common import set_status


class Transport(Behaviour):
    name = "transport"

    def __init__(self, spec: TransportSpec) -> None:
        self.spec = spec

    def init(self, sim) -> None:
        net = sim.network
        # (day, place) -> (destination, seats): every day of each offer's window, until withdrawn.
        self.offers = {(day, net.index(b.place)): (net.index(b.to), b.seats) for b in self.spec.buses for day in b.days(sim.days)}
        self.deaths = np.zeros(sim.days, dtype=np.int64)
        self.accidents = np.zeros(sim.days, dtype=np.int64)
        self.ridden_km = {mode: np.zeros(sim.days) for mode in self.spec.modes}
        try:
            self.caravans = sim.behaviour("caravans")
        except KeyError:
            self.caravans = None

    def bus_offer(self, day: int, place: int) -> tuple[int, int] | None:
        """(destination place, seats) of buses offered today at ``place``, or None."""
        return self.offers.get((day, place))

    def step(self, sim) -> None:
        if self.caravans is None:
            return
        idx, km_by_mode = self.caravans.today_moves()
        pop = sim.population
        for mode, km in km_by_mode.items():
            self.ridden_km[mode][sim.day] += km.sum()
            spec = self.spec.modes[mode]
            if spec.accidents_per_million_km <= 0 or spec.fatality <= 0:
                continue
            riding = km > 0
            if not riding.any():
                continue
            vehicle_km = km[riding].sum() / spec.occupancy
            n_accidents = self.rng.poisson(vehicle_km * spec.accidents_per_million_km / 1e6)
            riders, weight = idx[riding], km[riding]
            for _ in range(n_accidents):
                alive = pop.status[riders] != Status.DEAD
                if not alive.any():
                    break
                load = min(spec.occupancy, int(alive.sum()))
                w = weight * alive
                aboard = self.rng.choice(riders, size=load, replace=False, p=w / w.sum())
                killed = aboard[self.rng.random(load) < spec.fatality]
                set_status(sim, killed, Status.DEAD, cause=f"{mode} accident")
                sim.events.record(sim.day, "accident", int(pop.loc[aboard[0]]), cause=mode)
                self.accidents[sim.day] += 1
                self.deaths[sim.day] += len(killed)
