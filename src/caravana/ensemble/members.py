"""One ensemble member: the scenario run with one seed, kept as compact arrays.

Workers run :func:`run_member` and send back a :class:`MemberOutput`, not the run's
full results: daily counts, every declared result (needs, caravans... as the behaviours
declare them), the event log, and the day each caravan (or anyone) first reached each place. Everything here is a
top-level, picklable object so that any backend (processes, Dask) can ship it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from ..behaviours.corridor.interfaces import CaravanGroups, CaravanTrack
from ..checkpoint import load_pickle, run_simulation, save_pickle
from ..engine.behaviour import Behaviour, MissingInterface
from ..engine.rng import child_seeds
from ..engine.simulation import Simulation
from ..model import simulation
from ..results.declared import ResultArray
from ..results.results import Results
from ..scenario.schema import Scenario


def member_seeds(root_seed: int, members: int) -> list[int]:
    """One independent integer seed per member (see :func:`caravana.engine.rng.child_seeds`):
    the first ten members of a 100-member ensemble are the members of a 10-member ensemble."""
    return child_seeds(root_seed, members)


@dataclass(frozen=True)
class MemberTask:
    """What a worker needs to run one member: the (already overridden) scenario itself,
    so that workers need no access to the scenario's files."""

    scenario: Scenario
    seed: int
    days: int | None = None
    extra: tuple[Behaviour, ...] = ()  # behaviours stepped after the scenario's own
    save_to: str | None = None  # with checkpoints: where the finished member's output goes
    every: int | None = None  # days between the member's own checkpoints (``save_to`` + ".state")


@dataclass
class Arrival:
    """First day the caravan's centre (``caravan`` set) or anyone (``caravan`` None)
    was at a place; ``day`` None: never within the run."""

    caravan: str | None
    place: str
    day: int | None


@dataclass
class MemberOutput:
    results: Results  # counts and spawned; behaviour tables dropped (their values are declared arrays)
    arrivals: list[Arrival]
    arrays: dict[str, ResultArray] = field(default_factory=dict)  # every declared result, whole
    events: pa.Table | None = None  # day, place, event, cause, count: this member's event log


def run_member(task: MemberTask) -> MemberOutput:
    """Run one member and reduce it to compact arrays (this runs on the workers). With
    ``task.save_to``, the member starts from its latest checkpoint if there is one, and
    its output is saved there when it finishes."""
    state = Path(task.save_to + ".state") if task.save_to else None
    if state is not None and state.exists():
        sim = load_pickle(state)
    else:
        sim = simulation(task.scenario, seed=task.seed, days=task.days, extra=task.extra)
    output = member_output(sim, run_simulation(sim, task.every, state))
    if task.save_to:
        save_pickle(Path(task.save_to), output)
        if state is not None:
            state.unlink(missing_ok=True)
    return output


def member_output(sim: Simulation, results: Results) -> MemberOutput:
    """A finished simulation and its results as the compact arrays an ensemble reduces
    (also what a forecast's particles are written as)."""
    compact = Results(
        scenario=results.scenario,
        start=results.start,
        places=results.places,
        counts=results.counts,
        spawned=results.spawned,
        metadata={k: results.metadata[k] for k in ("scenario", "builtin", "seed", "days", "people", "wall_seconds")
                  if k in results.metadata},
        statuses=results.statuses,
    )
    return MemberOutput(
        results=compact,
        arrivals=arrival_days(sim, results),
        arrays=results.arrays,
        events=results.tables.get("events"),
    )


def arrival_days(sim: Simulation, results: Results) -> list[Arrival]:
    """Per caravan: the first day its centre reached each place of its itinerary.
    Without caravans: the first day anyone was counted at each place."""
    caravans: CaravanGroups | None
    try:
        caravans, log = sim.provider(CaravanGroups), sim.provider(CaravanTrack)
    except MissingInterface:  # no caravans, or no log of them
        caravans = None
    if caravans is None or not caravans.states:
        anyone = results.counts.sum(axis=2) > 0  # (days, places)
        first = np.where(anyone.any(axis=0), anyone.argmax(axis=0), -1)
        return [Arrival(None, name, int(d) if d >= 0 else None) for name, d in zip(results.places, first)]
    arrivals = []
    for c, state in enumerate(caravans.states):
        for place, km in zip(state.path.places, state.path.km):
            arrivals.append(Arrival(state.spec.name, results.places[place], log.arrival_day(c, float(km))))
    return arrivals
