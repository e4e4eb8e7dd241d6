"""Behaviours talk through declared interfaces (``Needs``), wired by the simulation, never
by looking each other up by name."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import caravana
from caravana.behaviours import default_behaviours
from caravana.behaviours.corridor.caravan import Caravans
from caravana.behaviours.corridor.interfaces import BusOffers, CaravanGroups, Checkpoints
from caravana.behaviours.corridor.merging import Merging
from caravana.behaviours.corridor.transport import Transport
from caravana.engine.behaviour import Behaviour, MissingInterface, Needs, needs_of
from caravana.engine.simulation import Simulation

PACKAGE = Path(caravana.__file__).parent


def _corridor(days: int = 3):
    return caravana.simulation(caravana.load_scenario("corridor"), seed=1, days=days)


def test_needs_are_wired_to_their_providers():
    sim = _corridor()
    caravans = sim.provider(CaravanGroups)
    assert isinstance(caravans, Caravans)
    for b in sim.behaviours:
        for attribute, need in needs_of(type(b)).items():
            wired = getattr(b, attribute)
            assert wired is None or isinstance(wired, need.interface)
    merging = next(b for b in sim.behaviours if isinstance(b, Merging))
    assert merging.caravans is caravans
    assert caravans.transport is next(b for b in sim.behaviours if isinstance(b, Transport))


def test_a_missing_interface_is_a_clear_error_and_an_optional_one_is_none():
    scenario = caravana.load_scenario("corridor")
    behaviours = default_behaviours(scenario)
    without = [b for b in behaviours if not isinstance(b, CaravanGroups)]
    with pytest.raises(MissingInterface, match=r"behaviour '\w+' needs a CaravanGroups .*none of .* provides one"):
        Simulation(scenario, without, seed=1, days=2)
    # Checkpoints and buses are optional to the caravans: without them they are None.
    kept = [b for b in behaviours if not isinstance(b, (Checkpoints, BusOffers))]
    sim = Simulation(scenario, kept, seed=1, days=2)
    assert sim.provider(CaravanGroups).enforcement is None and sim.provider(CaravanGroups).transport is None
    sim.run()
    with pytest.raises(MissingInterface, match="provides Checkpoints"):
        sim.provider(Checkpoints)


def test_another_provider_stands_in_with_no_other_edit():
    """A toy bus service, not the corridor's Transport, offers buses the caravans take."""

    class ToyBuses(Behaviour, BusOffers):
        name = "toy_buses"
        caravans = Needs(CaravanGroups)
        asked = 0

        def step(self, sim) -> None:
            pass

        def bus_offer(self, day: int, place: int) -> tuple[int, int] | None:
            self.asked += 1
            return None

    scenario = caravana.load_scenario("corridor")
    behaviours = [b for b in default_behaviours(scenario) if not isinstance(b, BusOffers)]
    toy = ToyBuses()
    sim = Simulation(scenario, [*behaviours, toy], seed=1, days=4)
    assert sim.provider(CaravanGroups).transport is toy and toy.caravans is sim.provider(CaravanGroups)
    sim.run()
    assert toy.asked > 0


def test_two_providers_of_one_interface_are_refused():
    scenario = caravana.load_scenario("corridor")
    behaviours = default_behaviours(scenario)
    transport = next(b for b in behaviours if isinstance(b, Transport))
    again = Transport(transport.spec)
    again.name = "transport_again"
    with pytest.raises(ValueError, match="all provide BusOffers"):
        Simulation(scenario, [*behaviours, again], seed=1, days=2)


def test_a_clone_keeps_its_wiring_to_its_own_behaviours():
    sim = _corridor()
    twin = sim.clone()
    merging = next(b for b in twin.behaviours if isinstance(b, Merging))
    assert merging.caravans is twin.provider(CaravanGroups)
    assert merging.caravans is not sim.provider(CaravanGroups)
    for a, b in ((sim, twin),):
        a.run(), b.run()
    assert np.array_equal(sim.counts, twin.counts)


def test_no_module_looks_a_behaviour_up_by_name():
    """``Simulation.behaviour(name)`` is for tests and inspection only."""
    calls = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "behaviour":
                calls.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert calls == []
