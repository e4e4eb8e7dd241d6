"""What a run part-way through is scored on (``scoring_results``), and the stepping and scoring
a particle makes between report dates, wherever it lives (this process or a worker: ``shards``)."""

from __future__ import annotations

from ..behaviours.corridor.interfaces import CaravanTrack
from ..behaviours.flows import PlaceFlows
from ..engine.behaviour import MissingInterface
from ..engine.simulation import Simulation
from ..results.results import Results


def scoring_results(sim: Simulation) -> Results:
    """A run part-way through as ``caravana.metrics`` reads it: counts, events, the
    caravan log's table and the arrivals at places, without the other outputs (the caravans' place names and map
    coordinates, needs...), which cost more than the scoring at every report date."""
    start, tables = sim.scenario.period.start, {}
    try:
        tables["caravans"] = sim.provider(CaravanTrack).to_table(start, sim.day)
    except MissingInterface:  # a Flee case: no caravans
        pass
    if sim.events.n_kinds:
        tables["events"] = sim.events.to_table(start, sim.network.names, sim.day)
    # Arrivals at places (an ``arrivals`` report): the flows' running totals, no copy.
    flows = next((b for b in sim.behaviours if isinstance(b, PlaceFlows)), None)
    arrays = {} if flows is None else {"arrivals": flows.arrays(sim)["arrivals"]}
    return Results(scenario=sim.scenario.name, start=start, places=sim.network.names, counts=sim.counts[: sim.day],
                   spawned=sim.spawned[: sim.day], tables=tables, arrays=arrays)


def step_to(sim: Simulation, day: int) -> int:
    """Step ``sim`` through ``day`` (inclusive); the days stepped."""
    start = sim.day
    while sim.day <= day:
        sim.step()
    return sim.day - start


def score(sim: Simulation, observations, log_likelihood, light: bool) -> float:
    """``log_likelihood`` of ``sim`` as it stands against ``observations``; ``light``: on ``scoring_results``."""
    return float(log_likelihood(scoring_results(sim) if light else sim.results(), observations))
