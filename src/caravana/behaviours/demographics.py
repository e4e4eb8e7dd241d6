"""Who weighs danger differently: Flee's ``ChildrenAvoidHazards`` and ``BoysTakeRisk``.

Flee 3.1 (``moving.getEndPointScore``) changes a destination's base score (its safety:
camp, foreign, conflict weights) for some people:

- ``ChildrenAvoidHazards``: a person younger than 19 weighs it squared;
- ``BoysTakeRisk`` (only together with it): a male older than 14 weighs it as 1,
  whatever the place (this overrides the square for boys of 15-18).

Each person's age and gender are drawn when they appear, independently, from the
demographics tables (Flee's ``input_csv/demographics_<attribute>.csv``): the column of
the place they spawn at, or ``Default`` (``spawning.draw_sample``). Only the rule a
person follows is kept, one byte per person, and only when the rule is on.
"""

from __future__ import annotations

import numpy as np

from ..scenario.schema import Scenario

ADULT, CHILD, RISK_TAKER = 0, 1, 2  # rows of the cumulative route weights
FIELD = "hazard_rule"
CHILD_BELOW, RISK_ABOVE = 19.0, 14.0  # Flee 3.1's ages


def transform_scores(base: np.ndarray, rule: int) -> np.ndarray:
    """A destination's base score as people following ``rule`` weigh it."""
    if rule == CHILD:
        return base * base
    if rule == RISK_TAKER:
        return np.ones_like(base)
    return base


class HazardRules:
    """Draws each new person's rule from the scenario's demographics tables."""

    def __init__(self, scenario: Scenario, place_names: tuple[str, ...]) -> None:
        rules = scenario.settings.movement
        tables = scenario.spawning.demographics
        self.rules = (ADULT, CHILD, RISK_TAKER) if rules.boys_take_risk else (ADULT, CHILD)
        self.age = _Table(tables["age"], place_names, numeric=True)
        self.gender = _Table(tables["gender"], place_names, numeric=False) if rules.boys_take_risk else None
        self.seen = 0  # people given a rule so far (people are only ever appended)

    def assign(self, pop, rng: np.random.Generator) -> None:
        """Give everyone who appeared since the last call their rule."""
        new = slice(self.seen, pop.n)
        self.seen = pop.n
        home = pop.home[new]
        if len(home) == 0:
            return
        age = self.age.draw(home, rng)
        rule = np.where(age < CHILD_BELOW, CHILD, ADULT).astype(np.int8)
        if self.gender is not None:
            male = self.gender.draw(home, rng) == "male"
            rule[male & (age > RISK_ABOVE)] = RISK_TAKER
        pop.field(FIELD)[new] = rule


class _Table:
    """One attribute's values and, per place, the cumulative chance of each."""

    def __init__(self, table, place_names: tuple[str, ...], numeric: bool) -> None:
        self.values = np.array([float(v) for v in table.values]) if numeric else np.array(table.values, dtype=object)
        default = table.weights["Default"]
        per_place = np.array([table.weights.get(name, default) for name in place_names], dtype=np.float64)
        self.cum = np.cumsum(per_place, axis=1)
        self.cum /= self.cum[:, -1:]

    def draw(self, home: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        u = rng.random(len(home))
        index = np.empty(len(home), dtype=np.int64)
        for place in np.unique(home):
            mine = home == place
            index[mine] = np.searchsorted(self.cum[place], u[mine], side="right")  # first cum > u
        return self.values[np.minimum(index, len(self.values) - 1)]
