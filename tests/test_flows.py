"""Arrivals and departures per place (behaviours/flows.py), checked against each person's
night-by-night place, recorded independently, on a Flee case and on the corridor."""

from __future__ import annotations

import numpy as np
import pytest

import caravana
from caravana.engine.behaviour import Behaviour
from caravana.engine.status import STAYING, Status
from caravana.scenario.overrides import apply_overrides


class NightLog(Behaviour):
    """Test-only: where each person stays each night (-1: nowhere), stepped after the flows."""

    name = "night_log"
    keeps_counts = True  # reads people only, so that the engine's own ways of finding the flows run
    moves_people = False

    def init(self, sim) -> None:
        self.nights: list[np.ndarray] = []

    def step(self, sim) -> None:
        pop = sim.population
        staying = np.isin(pop.status, [int(s) for s in STAYING])
        self.nights.append(np.where(staying, pop.loc, -1).astype(np.int64))


def expected_flows(nights: list[np.ndarray], places: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cumulative arrivals, departures and spawned-and-staying per (day, place), from the log."""
    days = len(nights)
    arrivals, departures, spawned = (np.zeros((days, places), dtype=np.int64) for _ in range(3))
    before = np.zeros(0, dtype=np.int64)
    for d, tonight in enumerate(nights):
        old = tonight[: len(before)]
        moved = old != before
        arrivals[d] = np.bincount(old[moved & (old >= 0)], minlength=places)
        departures[d] = np.bincount(before[moved & (before >= 0)], minlength=places)
        new = tonight[len(before):]
        spawned[d] = np.bincount(new[new >= 0], minlength=places)
        before = tonight
    return arrivals.cumsum(axis=0), departures.cumsum(axis=0), spawned.cumsum(axis=0)


@pytest.mark.parametrize("name, days, settings", [
    ("mali2012", 40, {}),  # flows from the people Flee's kernel lists as moved
    ("mali2012", 60, {"settings.spawning.camps_are_sinks": True}),  # ... and those settling at camps
    ("corridor", 25, {}),
])
def test_arrivals_and_departures_match_each_persons_nights(name, days, settings):
    scenario = apply_overrides(caravana.load_scenario(name), settings)
    sim = caravana.simulation(scenario, seed=3, days=days, extra=[NightLog()])
    if settings:  # mali2012's camps have no settling chance of their own
        sim.behaviour("movement").deactivation[:] = 0.05
    results = sim.run()
    assert {"arrivals", "departures"} <= set(results.arrays)
    arrivals = results.arrays["arrivals"].values
    departures = results.arrays["departures"].values
    log = sim.behaviour("night_log")
    want_arr, want_dep, spawned = expected_flows(log.nights, len(results.places))
    assert np.array_equal(arrivals, want_arr)
    assert np.array_equal(departures, want_dep)
    assert arrivals[-1].sum() > 100 and departures[-1].sum() > 100  # people did move
    if settings:
        assert (sim.population.status == Status.SETTLED).sum() > 100  # people did settle
    # present = spawned there + arrived - left, every place and day
    present = results.counts[:, :, [int(s) for s in STAYING]].sum(axis=2)
    assert np.array_equal(present, spawned + arrivals - departures)
    assert (np.diff(arrivals, axis=0) >= 0).all() and (np.diff(departures, axis=0) >= 0).all()


def test_flows_reach_an_ensemble_as_bands(tmp_path):
    from caravana import catalogue
    from caravana.ensemble import run_ensemble

    scenario = caravana.load_scenario("mali2012")
    ens = run_ensemble(scenario, 3, root_seed=4, days=20, backend="inprocess", out_dir=tmp_path / "e")
    table = catalogue.open_results(tmp_path / "e").read_array("arrivals")
    assert {"p5", "p25", "p50", "p75", "p95"} <= set(table.column_names)
    assert table.num_rows == 20 * len(ens.places)
    assert table["p95"].to_numpy().max() > 0


def test_a_day_whose_flows_were_counted_by_the_mover_does_not_leak_into_the_next():
    """``Simulation._mover_counted_flows`` (set by flows_for_mover) is today's only: a day that
    set it and never read its flows (stopped mid-way) must not have the next day read its
    flows as if the mover had counted them."""
    from caravana.model import simulation

    def run(leftover: bool):
        sim = simulation(caravana.load_scenario("mali2012"), seed=7, days=6)
        sim.step()
        sim._mover_counted_flows = leftover  # as a day stopped after flows_for_mover leaves it
        sim.flows_for_mover = lambda behaviour: None  # the mover lists who moved today instead
        sim.step()
        return sim.results()

    clean, leftover = run(False), run(True)
    for table in clean.tables:
        assert clean.tables[table].equals(leftover.tables[table]), table
