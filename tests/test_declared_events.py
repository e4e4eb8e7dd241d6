"""Behaviours declare the events they log (``Behaviour.events``): logging another one is a
bug the event log stops at once, and a corridor run logs nothing undeclared."""

from __future__ import annotations

import pytest

import caravana
from caravana.engine.behaviour import Behaviour, loggable
from caravana.engine.events import UndeclaredEvent
from caravana.engine.simulation import Simulation


class Logger(Behaviour):
    name = "logger"
    events = ("counted",)

    def __init__(self, event: str) -> None:
        self.event = event

    def step(self, sim: Simulation) -> None:
        sim.events.record(sim.day, self.event, 0, cause="toy")


def _run(event: str) -> Simulation:
    sim = caravana.simulation(caravana.load_scenario("mali2012"), seed=1, days=2, extra=[Logger(event)])
    sim.run()
    return sim


def test_a_declared_event_is_logged_and_an_undeclared_one_is_an_error():
    assert _run("counted").events.total("counted").sum() == 2
    with pytest.raises(UndeclaredEvent, match="behaviour 'logger' logged the event 'uncounted'"):
        _run("uncounted")


def test_the_corridor_logs_only_declared_events_and_each_kind_declares_what_it_logs():
    sim = caravana.simulation(caravana.load_scenario("corridor"), seed=3, days=60)
    sim.run()  # any undeclared event would have raised
    logged = sim.events.logged()
    declared = {e for b in sim.behaviours for e in b.events}
    assert {"joined", "merged", "arrived_at_border"} <= logged <= declared
    caravans = next(b for b in sim.behaviours if b.name == "caravans")
    # the caravans log what the checkpoints they pass log (through the Checkpoints interface)
    assert "detained" not in caravans.events and "detained" in loggable(caravans)
