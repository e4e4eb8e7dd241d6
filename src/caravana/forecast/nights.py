"""The night a move re-writes: a particle's record of the day just stepped, amended after the
filter changed people between days.

The filter's moves (``moves``: a body moved along the road, members sent home, a caravan
resized) change people's place or status *after* the day they are about was stepped and
recorded. The move says where they were that night, so the record of that day must say
it too, as if the model had put them there: the day's head-counts (``Simulation.counts``,
``spawned``)
and each place's cumulative arrivals and departures (``behaviours.flows.PlaceFlows``, by its
definition: an arrival is someone staying at a place tonight who did not stay there last
night). Without it a body moved to a town on the night of day D was never counted as
arriving there (the next day's flows compared the next night with the night before the
move), so a report of the people who came to that town read nothing, and reports read on
the moved state disagreed with the counts of the state before the move.

The caravans' log of that day (``CaravanTrack``: sizes, head, centre, tail, main body) is
recorded again too; the per-caravan arrivals at places (``caravan_arrivals``) are amended by
the move itself (``moves.shift``).

``before_last_day(sim)`` keeps where each person stayed the night before the day about to
be stepped (the flows' ``night`` field); ``amend(sim, before)`` after the moves re-counts
the day's head-counts and re-records the night of everyone whose staying place the
moves changed, their arrivals and departures of that day re-counted against ``before``.
"""

from __future__ import annotations

import numpy as np

from ..behaviours.corridor.interfaces import CaravanTrack
from ..behaviours.flows import PlaceFlows
from ..engine.behaviour import MissingInterface
from ..engine.counting import NEW, NightFlows, count_by_place_and_status
from ..engine.simulation import Simulation
from ..engine.status import STAYING


def _flows(sim: Simulation) -> PlaceFlows | None:
    return next((b for b in sim.behaviours if isinstance(b, PlaceFlows)), None)


def before_last_day(sim: Simulation) -> np.ndarray | None:
    """Where each person stayed last night (-1 nowhere, ``NEW`` not seen yet), before the
    day ``sim.day`` is stepped; None when the run does not count arrivals and departures."""
    if _flows(sim) is None or NightFlows.FIELD not in sim.population.fields:
        return None
    return sim.population.field(NightFlows.FIELD).copy()


def _tonight(status: np.ndarray, loc: np.ndarray) -> np.ndarray:
    staying = np.isin(status, [int(s) for s in STAYING])
    return np.where(staying, loc, -1).astype(np.int32)


def _flow(tonight: np.ndarray, last: np.ndarray, n_places: int) -> tuple[np.ndarray, np.ndarray]:
    """(arrivals, departures) per place of the people staying at ``tonight`` who stayed at
    ``last`` the night before (``engine.counting.night_change``'s rule)."""
    moved = tonight != last
    left = last[moved & (last >= 0)]
    came = tonight[moved & (tonight >= 0) & (last != NEW)]
    return np.bincount(came, minlength=n_places), np.bincount(left, minlength=n_places)


def amend(sim: Simulation, before: np.ndarray | None) -> int:
    """Re-record the day just stepped (``sim.day - 1``) as the moves left it: its head-counts,
    and, given ``before`` (``before_last_day``), the night of each person whose staying
    place changed since the day was counted, with the day's arrivals and departures.
    Returns how many people's night changed."""
    day = sim.day - 1
    pop = sim.population
    count_by_place_and_status(pop.loc, pop.status, sim.counts[day])
    sim.spawned[day] = pop.n  # a size move spawns joiners
    try:  # the caravans' columns (size, head, centre, tail, main body) as the moves left them
        sim.provider(CaravanTrack).record(sim, day)
    except MissingInterface:  # a Flee case: no caravans
        pass
    flows = _flows(sim)
    if before is None or flows is None:
        return 0
    night = pop.field(NightFlows.FIELD)
    tonight = _tonight(pop.status, pop.loc)
    changed = np.flatnonzero(tonight != night)
    if not len(changed):
        return 0
    last = np.full(len(changed), NEW, dtype=np.int32)  # spawned by a move today: nowhere last night
    old = changed < len(before)
    last[old] = before[changed[old]]
    n_places = sim.network.n_places
    came_then, left_then = _flow(night[changed], last, n_places)  # as the day was counted
    came_now, left_now = _flow(tonight[changed], last, n_places)  # as the moves left it
    flows.arrivals[day] += came_now - came_then
    flows.departures[day] += left_now - left_then
    night[changed] = tonight[changed]
    return len(changed)
