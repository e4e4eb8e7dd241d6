"""Fit one set of shared habits to recorded caravans, and test it leave-one-out.

Each recorded caravan (``caravana.scenario.records``) is replayed from its start, origin,
size and year's policy; a replay is measured by ``caravana.metrics`` (its furthest km and
the day it ends) and scored by ``metrics.course_error`` against the record. Candidates
are drawn once from the priors of a parameters file (a scrambled Sobol sequence, seeded)
and every candidate replays every caravan; leave-one-out then picks, for each caravan,
the candidate with the lowest mean error on the *other* caravans, and reports how that
candidate does on the one left out. No candidate ever sees the caravan it is scored on.

``pooled_leave_one_out`` predicts instead with the ``k`` candidates that do best on the
other caravans (the median of their replays' furthest km and end day), which a single
noisy best-of-many cannot do; ``k`` is itself chosen leave-one-out *within* those other
caravans (nested), so the caravan scored never informs it either.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import qmc

from ..errors import CaravanaError
from ..metrics import caravan_end_day, caravan_furthest_km, course_error
from ..model import simulation
from ..scenario.records import CaravanRecord, SharedHabits, record_scenario, recorded_furthest_km
from ..scenario.schema import Scenario
from .params import ParamSpec


@dataclass(frozen=True)
class Replay:
    """One record replayed with one candidate: medians over seeds."""

    furthest_km: float
    end_day: float  # NaN: still going when the run ended
    error: float


def candidates(specs: Sequence[ParamSpec], n: int, seed: int = 0) -> list[SharedHabits]:
    """``n`` habit sets from the priors of ``specs`` (paths are SharedHabits fields)."""
    known = set(SharedHabits.__dataclass_fields__)
    unknown = [s.path for s in specs if s.path not in known]
    if unknown:
        raise ValueError(f"not shared habits: {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    points = qmc.Sobol(d=len(specs), scramble=True, seed=seed).random(n)
    out = []
    for point in points:
        values = {}
        for spec, u in zip(specs, point):
            if spec.is_log:
                value = float(np.exp(np.log(spec.low) + u * (np.log(spec.high) - np.log(spec.low))))
            else:
                value = spec.low + u * (spec.high - spec.low)
            values[spec.path] = spec.cast(value)
        out.append(SharedHabits(**values))
    return out


def replay(record: CaravanRecord, habits: SharedHabits, seeds: Sequence[int], *, days: int, base: Scenario,
           policies: dict, recorded_km: float) -> Replay:
    """Replay ``record`` on each seed; medians of its furthest km and end day, and the error
    of those medians against the record."""
    scenario = record_scenario(record, habits, days=days, base=base, policies=policies)
    km, end = [], []
    for seed in seeds:
        results = simulation(scenario, seed=seed).run()
        day = caravan_end_day(results)
        end.append(day)
        km.append(caravan_furthest_km(results, until_day=day))
    end_day = float(np.median(np.where(np.isnan(end), days, end)))
    end_day = np.nan if end_day >= days else end_day
    furthest = float(np.median(km))
    return Replay(furthest, end_day, course_error(furthest, end_day, recorded_km, record.duration_days, days))


def replay_all(records: Sequence[CaravanRecord], habit_sets: Sequence[SharedHabits], seeds: Sequence[int], *,
               days: int, base: Scenario, policies: dict,
               progress: Callable[[int, int], None] | None = None) -> list[list[Replay]]:
    """[candidate][record] replays."""
    found = [recorded_furthest_km(r, base) for r in records]
    unscored = [r.name for r, k in zip(records, found) if k is None]
    if unscored:
        raise CaravanaError(f"records {', '.join(unscored)}: no furthest_place or furthest_km to score a replay on")
    km = [k for k in found if k is not None]
    out = []
    for i, habits in enumerate(habit_sets):
        out.append([replay(r, habits, seeds, days=days, base=base, policies=policies, recorded_km=k)
                    for r, k in zip(records, km)])
        if progress:
            progress(i + 1, len(habit_sets))
    return out


def best_on(errors: np.ndarray, records: Sequence[int]) -> int:
    """The candidate (row of ``errors``, candidates x records) with the lowest mean error on ``records``."""
    return int(np.argmin(errors[:, list(records)].mean(axis=1)))


def leave_one_out(errors: np.ndarray) -> list[int]:
    """For each record (column), the candidate fitted on all the other records."""
    n = errors.shape[1]
    return [best_on(errors, [j for j in range(n) if j != i]) for i in range(n)]


def top_k(errors: np.ndarray, records: Sequence[int], k: int) -> np.ndarray:
    """The ``k`` candidates (rows of ``errors``) with the lowest mean error on ``records``."""
    return np.argsort(errors[:, list(records)].mean(axis=1), kind="stable")[:k]


@dataclass(frozen=True)
class Course:
    """Replays of every candidate on every record ([candidate, record] arrays) and the records."""

    km: np.ndarray
    end: np.ndarray  # NaN: still going when the run ended
    recorded_km: np.ndarray
    recorded_days: list[int | None]
    days: int

    @classmethod
    def of(cls, replays: Sequence[Sequence[Replay]], recorded_km: Sequence[float], recorded_days: Sequence[int | None],
           days: int) -> Course:
        return cls(np.array([[r.furthest_km for r in row] for row in replays]),
                   np.array([[r.end_day for r in row] for row in replays]),
                   np.asarray(recorded_km, dtype=float), list(recorded_days), days)

    def errors(self) -> np.ndarray:
        return np.array([[self.error(i, self.km[c, i], self.end[c, i]) for i in range(self.km.shape[1])]
                         for c in range(self.km.shape[0])])

    def pooled(self, chosen: np.ndarray, record: int) -> tuple[float, float]:
        """(furthest km, end day) of ``record``: medians over the ``chosen`` candidates' replays."""
        end = float(np.median(np.where(np.isnan(self.end[chosen, record]), self.days, self.end[chosen, record])))
        return float(np.median(self.km[chosen, record])), (np.nan if end >= self.days else end)

    def error(self, record: int, km: float, end: float) -> float:
        return course_error(km, end, self.recorded_km[record], self.recorded_days[record], self.days)


def pooled_leave_one_out(course: Course, ks: Sequence[int] = (1, 2, 4, 8, 16, 32)) -> list[tuple[int, float, float]]:
    """For each record: (k, furthest km, end day) predicted by the ``k`` candidates best on
    the other records, ``k`` chosen by leave-one-out among those other records."""
    errors = course.errors()
    n = errors.shape[1]
    ks = [k for k in ks if k <= errors.shape[0]]
    out = []
    for i in range(n):
        train = [j for j in range(n) if j != i]
        inner = {k: np.mean([course.error(j, *course.pooled(top_k(errors, [t for t in train if t != j], k), j))
                             for j in train]) for k in ks}
        k = min(ks, key=lambda q: (inner[q], q))
        out.append((k, *course.pooled(top_k(errors, train, k), i)))
    return out
