"""Run each policy variant over the same seeds and sum up what changed.

Indicators are what planners asked for: how many reach the US border, how many
wait in Mexican border cities at the end, detentions, deaths (plus crossings and
returns, which explain the first two). Every variant runs on the same seeds, so
differences are not seed luck; each figure is a mean ± sd over seeds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from ..behaviours.corridor.common import haversine_km
from ..engine.status import Status
from ..i18n import N_
from ..model import simulation
from ..results.results import Results
from ..scenario.schema import Scenario
from .spec import Policy, PolicySet

BORDER_CITY_KM = 50.0  # a Mexican place this close to a US port counts as a border city

class Indicator(NamedTuple):
    """How an indicator is shown: its ``name`` heads the table's column (short: an 80-column
    terminal holds six of them in Spanish), its ``meaning`` is said under the table."""

    name: str
    meaning: str


BASELINE = N_("baseline")  # the variant without a policy: its name in the CSV, translated where shown

# code (the CSV's column) -> its name and meaning, in English, translated where shown
INDICATORS = {
    "arrived_at_border": Indicator(N_("reached the border"), N_("reached the US border (people, cumulative)")),
    "crossed": Indicator(N_("crossed"), N_("crossed into the US by the last day")),
    "waiting_in_border_cities": Indicator(N_("in border cities"),
                                          N_("in Mexican border cities on the last day (waiting, arrived, resting)")),
    "detentions": Indicator(N_("detained"), N_("detained at checkpoints (cumulative)")),
    "deaths": Indicator(N_("dead"), N_("died (cumulative)")),
    "returned": Indicator(N_("returned"), N_("returned home by the last day")),
}


def border_cities(scenario: Scenario) -> np.ndarray:
    """Indices of Mexican places within BORDER_CITY_KM of a US port."""
    locs = scenario.locations
    us = [loc for loc in locs if loc.type == "us_port"]
    if not us:
        return np.zeros(0, dtype=np.int64)
    lat = np.array([loc.lat for loc in locs])
    lon = np.array([loc.lon for loc in locs])
    near = np.zeros(len(locs), dtype=bool)
    for port in us:
        near |= haversine_km(lat, lon, port.lat, port.lon) <= BORDER_CITY_KM
    mexican = np.array([loc.country == "MX" for loc in locs])
    return np.flatnonzero(near & mexican)


def _event_total(results: Results, event: str) -> int:
    events = results.tables.get("events")
    if events is None or events.num_rows == 0:
        return 0
    table = events.to_pydict()
    return int(sum(c for e, c in zip(table["event"], table["count"]) if e == event))


def indicators(results: Results, cities: np.ndarray) -> dict[str, float]:
    """The comparison's figures for one run."""
    last = results.counts[-1]
    staying = [int(Status.WAITING), int(Status.ARRIVED), int(Status.RESTING)]
    return {
        "arrived_at_border": _event_total(results, "arrived_at_border"),
        "crossed": int(last[:, Status.CROSSED].sum()),
        "waiting_in_border_cities": int(last[np.ix_(cities, np.array(staying))].sum()),
        "detentions": _event_total(results, "detained"),
        "deaths": _event_total(results, "died"),
        "returned": int(last[:, Status.RETURNED].sum()),
    }


@dataclass
class PolicyOutcome:
    policy: Policy
    runs: list[dict[str, float]] = field(default_factory=list)  # one per seed

    def mean(self, name: str) -> float:
        return float(np.mean([r[name] for r in self.runs]))

    def sd(self, name: str) -> float:
        values = [r[name] for r in self.runs]
        return float(np.std(values, ddof=1)) if len(values) > 1 else 0.0


def compare_policies(
    scenario: Scenario,
    policies: PolicySet,
    seeds: list[int],
    *,
    days: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[PolicyOutcome]:
    """Baseline first, then each policy; every variant runs every seed."""
    variants = [Policy(name=BASELINE, description="the scenario as it is"), *policies.policies]
    # Apply every variant before running any, so a bad policy fails before minutes of work.
    scenarios = [(v, v.apply(scenario)) for v in variants]
    cities = border_cities(scenario)
    outcomes, done, total = [], 0, len(variants) * len(seeds)
    for variant, varied in scenarios:
        outcome = PolicyOutcome(variant)
        for seed in seeds:
            results = simulation(varied, seed=seed, days=days).run()
            outcome.runs.append(indicators(results, cities))
            done += 1
            if progress is not None:
                progress(done, total)
        outcomes.append(outcome)
    return outcomes
