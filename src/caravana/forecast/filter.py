"""The particle filter: ensemble members weighted by the observations, resampled,
and continued past the last report.

A particle is a whole simulation (people, caravans, queues, random streams) plus
the parameter factors it was built with (``parameters.py``). The filter

1. builds N members: member i draws its factors from the prior and runs with its
   own seed (``member_seeds``);
2. steps all of them to each observation date up to the as-of date and multiplies
   each particle's weight by the likelihood of that date's observations;
   A report of a caravan's size also *moves* each particle's caravan toward it, and
   weights it by the report's likelihood smoothed by unobserved joining and leaving
   (``moves.SizeMove``), when ``move`` is given;
3. when the effective sample size falls below N/2, resamples (systematic), gives
   every particle fresh random streams, so copies of one particle diverge, and, with
   ``rejuvenate``, spreads the copies' parameter factors again (Liu-West kernel,
   ``moves.LiuWest``);
4. at the as-of date resamples once more and continues every particle, on fresh
   streams, to as-of + horizon.

Without ``move`` and ``rejuvenate`` it is a weighting-only filter (each particle keeps
its own run and its factors), kept for comparison.

The prior ensemble (the same N members, never weighted) runs alongside, so a
forecast can show what the observations changed.

The prior ensemble and the long run after the as-of date can go to a backend
(``caravana.ensemble.get_backend``: local processes, Dask); each task carries its
simulation, and results are identical whatever the backend, because every particle
owns its random streams. The filtering itself, a few days between report dates,
steps in this process: shipping every particle's state to a worker and back at each
report date costs more than the stepping (measured on the 2018 forecast).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ..engine.rng import make_stream
from ..engine.simulation import Simulation
from ..ensemble.backends import Backend, InProcessBackend
from ..ensemble.members import MemberOutput, member_output, member_seeds
from ..errors import CaravanaError
from ..model import simulation
from ..observations import Observations
from ..results.results import Results
from ..scenario.schema import Scenario
from .moves import LiuWest, SizeMove, move_sizes, retune, retunable, size_rows
from .parameters import Factor, draw_factors, scenario_with
from .weights import effective_sample_size, normalise, systematic_resample

# Streams of the filter itself, apart from the members' (keys of SeedSequence.spawn_key).
_PARAMETER_STREAM = 1
_RESAMPLING_STREAM = 2
_MOVE_STREAM = 3


# A reported arrival or departure day is scored this many days after its date (at most on
# the as-of date): a particle that has not got there by the report's date is then scored
# by the day it does get there, not merely as "later".
DAY_REPORT_LAG = 3

LogLikelihood = Callable[[Results, Observations], float]
Progress = Callable[[int, int], None]


@dataclass
class FilterStep:
    """What happened at one observation date."""

    date: dt.date
    observations: int
    ess: float  # effective sample size after weighting by this date's observations
    resampled: bool


@dataclass
class Assimilation:
    """The filter's outcome: posterior and prior particles run to the end, and how it got there."""

    as_of_day: int
    end_day: int
    factors: list[Factor]
    factor_values: np.ndarray  # (members, factors) prior draws
    member_seeds: np.ndarray  # (members,)
    posterior: list[Results]  # after the as-of date, resampled and continued
    posterior_outputs: list[MemberOutput]  # the same, compact, as ensemble members
    posterior_members: np.ndarray  # member each posterior particle descends from
    posterior_values: np.ndarray  # (particles, factors) each posterior particle's factors (rejuvenated)
    prior: list[Results]  # member i, never weighted
    steps: list[FilterStep] = field(default_factory=list)
    weights_at_as_of: np.ndarray | None = None  # normalised weights before the last resampling
    resized: tuple[int, int] = (0, 0)  # people added and removed by size moves, over all particles

    @property
    def posterior_factors(self) -> np.ndarray:
        return self.posterior_values


def particle_days(particles: int, end_day: int) -> int:
    """Work of a forecast, in days of one particle: prior and posterior run to the end."""
    return 2 * particles * (end_day + 1)


class _Mapper:
    """Runs tasks on a backend and reports particle-days done, out of ``total``, to
    ``progress`` (shared by every mapper of one forecast, so the count only grows)."""

    def __init__(self, backend: Backend, progress: Progress | None, total: int, done: list[int]) -> None:
        self.backend, self.progress, self.total, self.done = backend, progress, total, done

    def __call__(self, tasks: list) -> list:
        base, days = self.done[0], [task.days_to_run for task in tasks]
        per_task = sum(days) / max(len(tasks), 1)  # tasks of one call all start on the same day

        def report(finished: int, _tasks: int) -> None:
            self.progress(base + round(finished * per_task), self.total)

        out = self.backend.map(_advance, tasks, progress=None if self.progress is None else report)
        self.done[0] = base + sum(days)
        return out


@dataclass
class _Task:
    """Advance one particle to ``to_day`` (inclusive), then score ``observations`` or,
    with ``finish``, hand back its results instead of the simulation."""

    sim: Simulation
    to_day: int
    observations: Observations | None = None
    log_likelihood: LogLikelihood | None = None
    finish: bool = False

    @property
    def days_to_run(self) -> int:
        return self.to_day + 1 - self.sim.day


def _advance(task: _Task):
    sim = task.sim
    while sim.day <= task.to_day:
        sim.step()
    if task.finish:  # the full results for the forecast's tables, the compact ones for its ensemble
        results = sim.results()
        return results, member_output(sim, results)
    score = task.log_likelihood(sim.results(), task.observations) if task.observations else 0.0
    return sim, float(score)


def scoring_dates(observations: Observations, as_of: dt.date) -> dict[dt.date, Observations]:
    """The observations dated up to ``as_of``, grouped by the date they are scored on:
    a count on its date, a reported day ``DAY_REPORT_LAG`` days later (not after ``as_of``)."""
    groups: dict[dt.date, list] = {}
    for obs in observations:
        if obs.date > as_of:
            continue
        is_day = not getattr(obs, "is_count", True)
        when = min(obs.date + dt.timedelta(days=DAY_REPORT_LAG), as_of) if is_day else obs.date
        groups.setdefault(when, []).append(obs)
    return {date: replace(observations, rows=tuple(rows)) for date, rows in sorted(groups.items())}


def check_dates(scenario: Scenario, as_of: dt.date, horizon: int) -> tuple[int, int]:
    """(as-of day, last forecast day) as day numbers, or a clear error."""
    start, days = scenario.period.start, scenario.period.days
    last = start + dt.timedelta(days=days - 1)
    if not start <= as_of <= last:
        raise CaravanaError(f"--as-of {as_of} is outside the scenario's period {start} to {last}")
    if horizon < 1:
        raise CaravanaError(f"--horizon must be at least 1 day, got {horizon}")
    as_of_day = (as_of - start).days
    if as_of_day + horizon > days - 1:
        raise CaravanaError(
            f"--horizon {horizon} runs past the scenario's last day {last}; at most {days - 1 - as_of_day} days from {as_of}"
        )
    return as_of_day, as_of_day + horizon


def assimilate(
    scenario: Scenario,
    observations: Observations,
    as_of: dt.date,
    horizon: int,
    log_likelihood: LogLikelihood,
    *,
    particles: int = 100,
    seed: int = 0,
    factors: Sequence[Factor] = (),
    backend: Backend | None = None,
    progress: Progress | None = None,
    move: SizeMove | None = None,
    rejuvenate: LiuWest | None = None,
) -> Assimilation:
    """Run the filter on the observations dated up to ``as_of`` and continue to
    ``as_of + horizon``; later observations are ignored (held back).

    ``log_likelihood(results, observations)`` scores a run, part-way through, against
    the observations of one date (``caravana.metrics.log_likelihood`` by default).
    ``backend`` runs the prior and the continuation (default: this process);
    ``progress(done, total)`` counts particle-days. ``move`` and ``rejuvenate``: see
    the module doc (both None: weighting only)."""
    if particles < 2:
        raise CaravanaError(f"--particles must be at least 2, got {particles}")
    as_of_day, end_day = check_dates(scenario, as_of, horizon)
    n, days = particles, end_day + 1
    done = [0]
    local = _Mapper(InProcessBackend(), progress, particle_days(particles, end_day), done)
    remote = local if backend is None else _Mapper(backend, progress, local.total, done)
    factors = list(factors)
    values = draw_factors(factors, n, make_stream(seed, _PARAMETER_STREAM)) if factors else np.ones((n, 0))
    seeds = np.array(member_seeds(seed, n), dtype=np.int64)  # as `caravana ensemble` spawns them
    sims = [simulation(scenario_with(scenario, factors, v) if factors else scenario, seed=int(s), days=days)
            for v, s in zip(values, seeds)]
    prior = [results for results, _ in remote([_Task(sim.clone(), end_day, finish=True) for sim in sims])]

    start = scenario.period.start
    by_date = scoring_dates(observations, as_of)
    resampling = make_stream(seed, _RESAMPLING_STREAM)
    moving = make_stream(seed, _MOVE_STREAM)
    corrects_sizes = move is not None and scenario.corridor is not None
    rejuvenates = rejuvenate is not None and scenario.corridor is not None and retunable(factors).any()
    members, theta = np.arange(n), values.copy()
    log_w = np.zeros(n)
    steps: list[FilterStep] = []
    generation, resized = 0, np.zeros(2, dtype=np.int64)
    reported: dict[int, int] = {}  # caravan -> day its size was last reported

    def resample() -> None:
        nonlocal sims, members, theta, log_w, generation
        weights = normalise(log_w)
        keep = systematic_resample(weights, float(resampling.random()))
        generation += 1
        # Every particle gets its own fresh streams: copies of one particle diverge from here.
        sims = [sims[k].clone(reseed=(seed, generation, j)) for j, k in enumerate(keep)]
        if rejuvenates:
            theta = rejuvenate.rejuvenate(theta, weights, keep, factors, moving)
            retune(sims, scenario, factors, theta)
        else:
            theta = theta[keep]
        members, log_w = members[keep], np.zeros(n)

    for date in sorted(by_date):
        todays = by_date[date]
        sized, others = size_rows(todays) if corrects_sizes else ([], list(todays))
        scored_rows = replace(todays, rows=tuple(others)) if others else None
        scored = local([_Task(sim, (date - start).days, scored_rows, log_likelihood) for sim in sims])
        sims = [sim for sim, _ in scored]
        increment = np.array([score for _, score in scored])
        if sized:
            moved, changed = move_sizes(sims, sized, move, reported, moving)
            increment, resized = increment + moved, resized + changed
        if np.isnan(increment).any():
            raise ValueError(f"the log-likelihood of the observations of {date} is NaN for some particle")
        if not np.isfinite(np.max(log_w + increment)):
            raise CaravanaError(
                f"no particle can produce the observations of {date} (every likelihood is zero); "
                "check them, or widen the priors or use more particles"
            )
        log_w = log_w + increment
        ess = effective_sample_size(normalise(log_w))
        resampled = ess < n / 2 and date < as_of
        if resampled:
            resample()
        steps.append(FilterStep(date, len(todays), ess, resampled))

    sims = [sim for sim, _ in local([_Task(sim, as_of_day) for sim in sims])]
    weights = normalise(log_w)
    resample()
    finished = remote([_Task(sim, end_day, finish=True) for sim in sims])
    posterior, outputs = [r for r, _ in finished], [o for _, o in finished]
    return Assimilation(
        as_of_day=as_of_day, end_day=end_day, factors=factors, factor_values=values, member_seeds=seeds,
        posterior=posterior, posterior_outputs=outputs, posterior_members=members, posterior_values=theta,
        prior=prior, steps=steps, weights_at_as_of=weights, resized=(int(resized[0]), int(resized[1])),
    )
