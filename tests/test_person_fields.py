"""A run allocates only the engine's optional per-person fields its behaviours name."""

from __future__ import annotations

import numpy as np
import pytest

import caravana
from caravana.engine.behaviour import Behaviour
from caravana.engine.population import CORE_FIELDS, OPTIONAL_FIELDS, Population


class NeedsHops(Behaviour):
    name = "needs_hops"
    uses = ("hops",)

    def step(self, sim) -> None:
        sim.population.hops[:] = 1


def test_corridor_people_carry_no_flee_movement_fields():
    sim = caravana.simulation(caravana.load_scenario("corridor"), seed=1, days=3)
    assert not set(OPTIONAL_FIELDS) & set(sim.population.fields)
    with pytest.raises(AttributeError, match="not allocated"):
        sim.population.route  # noqa: B018
    flee = caravana.simulation(caravana.load_scenario("mali2012"), seed=1, days=3)
    assert set(OPTIONAL_FIELDS) <= set(flee.population.fields)


def test_a_behaviour_gets_the_optional_field_it_names():
    sim = caravana.simulation(caravana.load_scenario("corridor"), seed=1, days=3, extra=[NeedsHops()])
    assert [f for f in sim.population.fields if f in OPTIONAL_FIELDS] == ["hops"]
    sim.run()
    assert (sim.population.hops == 1).all()


def test_unknown_optional_fields_are_refused():
    with pytest.raises(ValueError, match="unknown optional"):
        Population(optional=("wings",))
    assert set(Population().fields) == set(CORE_FIELDS) | set(OPTIONAL_FIELDS)


def test_people_spawned_after_the_arrays_grow_get_every_fields_fill():
    pop = Population(capacity=16, optional=())
    pop.add_field("ckm", np.float32, 0.5)
    pop.spawn(np.zeros(10, dtype=np.int32), group=np.arange(10))
    pop.group[:] = 3  # written over, then the arrays grow past their room (spare room is not filled there)
    for k in (100, 1000):
        pop.spawn(np.ones(k, dtype=np.int32), ckm=2.0)
    assert pop.n == 1110 and (pop.group[:10] == 3).all() and (pop.group[10:] == -1).all()
    assert (pop.ckm[:10] == 0.5).all() and (pop.ckm[10:] == 2.0).all() and (pop.link == -1).all()
    assert (pop.loc[10:] == 1).all() and (pop.home[:10] == 0).all()
