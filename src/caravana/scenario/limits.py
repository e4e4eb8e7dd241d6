"""How big a run may be, checked before anything is allocated.

A run keeps every person ever spawned (a struct of arrays) and a day x place x status
table of counts, so its memory follows from the scenario: the people it will spawn
(Flee's cumulative totals and camp counts; a caravan's initial size and its joiners;
people travelling alone) and its days x places. Limits (documented in README.md):

- ``MAX_DAYS`` days (day numbers are 16-bit integers in the engine);
- ``MAX_PEOPLE`` people spawned, expected;
- a warning with the estimate above ``WARN_BYTES`` of memory.
"""

from __future__ import annotations

import math
import warnings

from ..errors import ScenarioError, ScenarioWarning
from .schema import MAX_DAYS, Scenario

MAX_PEOPLE = 20_000_000
WARN_BYTES = 1 << 30
# Estimates, measured on the engine's arrays: about 60 bytes a person (core and corridor
# fields), at most 2.5 times that while the arrays grow; about 300 bytes a place and day
# (counts by status, events, needs).
BYTES_PER_PERSON = 150
BYTES_PER_PLACE_DAY = 300


def _window_days(start: int, end: int | None, days: int) -> int:
    return max(0, min(days, end if end is not None else days) - start)


def expected_people(scenario: Scenario, days: int) -> float:
    """People a run of ``days`` days may spawn, from above: Poisson flows at their mean
    over their whole window (caravan joiners join only while the caravan is at their
    place, so fewer join), Flee's largest cumulative total plus each camp's largest count."""
    spawning = scenario.spawning
    people = max((p.count for p in spawning.totals), default=0.0)
    people += sum(max((p.count for p in series), default=0.0) for series in spawning.camp_counts.values())
    corridor = scenario.corridor
    if corridor is not None:
        for caravan in corridor.caravans:
            people += caravan.initial_size
            people += sum(j.per_day * _window_days(j.start, j.end, days) for j in caravan.joiners)
        people += sum(f.per_day * _window_days(f.start, f.end, days) for f in corridor.individuals)
    return people


def memory_estimate(scenario: Scenario, days: int) -> float:
    """Bytes a run is expected to need at its peak (an estimate, within a factor of two)."""
    return expected_people(scenario, days) * BYTES_PER_PERSON + days * len(scenario.locations) * BYTES_PER_PLACE_DAY


def human_bytes(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def check_run_size(scenario: Scenario, days: int, seed: int) -> None:
    """Raise ScenarioError when a run would pass a limit; warn when it needs much memory."""
    if not 0 <= seed < 2**63:
        raise ScenarioError(f"the seed must be a whole number from 0 to 2^63-1 (got {seed})", field="seed")
    if not 1 <= days <= MAX_DAYS:
        raise ScenarioError(f"a run lasts 1 to {MAX_DAYS:,} days (got {days:,})", field="days")
    people = expected_people(scenario, days)
    estimate = memory_estimate(scenario, days)
    if not math.isfinite(people) or people > MAX_PEOPLE:
        raise ScenarioError(
            f"the scenario could spawn about {people:,.0f} people, more than the limit of {MAX_PEOPLE:,} "
            f"(it would need about {human_bytes(estimate)} of memory)",
            field="people",
        )
    if estimate > WARN_BYTES:
        warnings.warn(
            f"this run needs about {human_bytes(estimate)} of memory ({people:,.0f} people, {days:,} days)",
            ScenarioWarning,
            stacklevel=3,
        )
