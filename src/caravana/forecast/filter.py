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
   (``moves.SizeMove``), when ``move`` is given; a report of people present at a place
   on a caravan's road moves its main body along the road (``moves.PositionMove``);
3. when the effective sample size falls below N/2, resamples (systematic), gives
   every particle fresh random streams, so copies of one particle diverge, and, with
   ``rejuvenate``, spreads the copies' parameter factors again (Liu-West kernel,
   ``moves.LiuWest``);
4. at the as-of date resamples once more and continues every particle, on fresh
   streams, to as-of + horizon; or, with ``resample_at_as_of=False``, continues the
   particles as they are and keeps their weights, which every summary of the posterior
   then uses (the ESS rule does not ask for that resampling, and estimates made before
   resampling vary less: Chopin 2004); with ``move``, the caravans' sizes go on drifting
   by the same walk, a day at a time (``moves.SizeWalk``), or, with
   ``walk_after_as_of=False``, only fade from where the days up to the as-of date left them.

Without ``move`` and ``rejuvenate`` it is a weighting-only filter (each particle keeps
its own run and its factors), kept for comparison.

The prior ensemble (the same N members, never weighted) runs alongside, so a
forecast can show what the observations changed.

The prior ensemble and the long run after the as-of date can go to a backend
(``caravana.ensemble.get_backend``: local processes, Dask); each task carries its
simulation, and results are identical whatever the backend, because every particle
owns its random streams. The filtering itself, a few days between report dates,
steps in this process: shipping every particle's state to a worker and back at each
report date costs more than the stepping (measured on the 2018 forecast). The move by
re-simulation's runs (``resim``), on a local processes backend, are built, stepped and
scored by worker processes that keep them between report dates (``shards``), each run drawing
its moves from a stream of its own (``resim.run_stream``; the sweep's stream gives the proposals,
here): the same forecast.
"""

from __future__ import annotations

import datetime as dt
import threading
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

import numpy as np

from ..behaviours.corridor.interfaces import CaravanGroups
from ..behaviours.flows import PlaceFlows
from ..checkpoint import load_pickle, run_simulation, save_pickle
from ..engine.behaviour import MissingInterface
from ..engine.rng import make_stream
from ..engine.simulation import Simulation
from ..ensemble.backends import Backend, InProcessBackend
from ..ensemble.members import MemberOutput, member_output, member_seeds
from ..errors import CaravanaError
from ..model import simulation
from ..observations import Observation, Observations
from ..results.results import Results
from ..scenario.schema import Scenario
from .early import hopeless, move_bound, scored_bound
from .moves import (
    LeaveMove,
    LiuWest,
    PositionMove,
    SizeMove,
    SizeWalk,
    StageNoise,
    day_rows,
    move_days,
    move_positions,
    move_returns,
    move_sizes,
    night_of,
    part_counts,
    position_rows,
    retunable,
    retune,
    returns_rows,
    size_rows,
)
from .parameters import Factor, draw_factors, scenario_with
from .passes import Passes, PassRecord, jitter, pass_seed
from .resim import PILOT_STEP, Proposal, Resimulation, accepted, run_seed, run_stream, step_stream
from .shards import HeldRuns, LocalRuns, WorkerLost, Workers, can_ship
from .sources import Tempered, by_share, shared_counts, with_noise
from .weights import ancestors, effective_sample_size, normalise, systematic_resample

# Streams of the filter itself, apart from the members' (keys of SeedSequence.spawn_key).
_PARAMETER_STREAM = 1
_RESAMPLING_STREAM = 2
_MOVE_STREAM = 3
_WALK_SD_STREAM = 4
_KM_SD_STREAM = 5
_FOLDER_STREAM = 6  # retired (session 8's draw of the ensemble folder's particles): kept off other uses
_CLOUD_STREAM = 7  # iterated filtering: a pass's start cloud, under that pass's seed (``passes``)


# A reported arrival or departure day is scored this many days after its date (at most on
# the as-of date): a particle that has not got there by the report's date is then scored
# by the day it does get there, not merely as "later".
DAY_REPORT_LAG = 3

LogLikelihood = Callable[[Results, Observations], float]
Progress = Callable[[int, int], None]


class Trace(Protocol):
    """What a weight autopsy (``benchmarks/forecast_autopsy.py``) is told as the filter goes:
    at each scoring date, the log-weights and members before its reports, then each report's
    own log-likelihood per particle (the moves' marginal likelihoods included). Off by default:
    tracing scores the rows that are not moved one at a time, which costs a scoring each."""

    def before(self, date: dt.date, log_w: np.ndarray, members: np.ndarray) -> None: ...

    def report(self, date: dt.date, kind: str, row: Observation, increment: np.ndarray) -> None: ...


@dataclass
class FilterStep:
    """What happened at one observation date."""

    date: dt.date
    observations: int
    ess: float  # effective sample size after weighting by this date's observations
    resampled: bool
    members: int = 0  # distinct prior members the particles descend from after this date (and its resampling)
    histories: int = 0  # distinct histories after it: a run re-simulated by the move (``resim``) is a new one
    accepted: int = 0  # copies the move by re-simulation replaced after this date's resampling


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
    posterior_weights: np.ndarray | None = None  # normalised weights of the posterior particles (None: equal, resampled)
    steps: list[FilterStep] = field(default_factory=list)
    weights_at_as_of: np.ndarray | None = None  # normalised weights before the last resampling
    resized: tuple[int, int] = (0, 0)  # people added and removed by size moves, over all particles
    sent_home: int = 0  # caravan members sent home by moves of people who left, over all particles
    shifted: tuple[int, int] = (0, 0)  # caravans and people moved along the road by position moves, over all particles
    walk_sd_prior: np.ndarray | None = None  # (members,) each member's sd of the size walk (when moving sizes)
    walk_sd: np.ndarray | None = None  # (particles,) the posterior particles' (rejuvenated)
    km_sd_prior: np.ndarray | None = None  # (members,) each member's sd of the position walk (when moving positions)
    km_sd: np.ndarray | None = None  # (particles,) the posterior particles' (rejuvenated)
    passes: list[PassRecord] = field(default_factory=list)  # iterated filtering: the passes before the last
    pass_member_seeds: np.ndarray | None = None  # (members,) the last pass's member seeds, when it is not the first
    log_likelihood: float = 0.0  # the last pass's estimate of log p(reports up to the as-of date)
    posterior_histories: np.ndarray | None = None  # history each posterior particle carries (``resim``; else its member)
    resimulated: tuple[int, int] = (0, 0)  # the last pass's re-simulated runs: (the sweeps' proposed and run, accepted)
    resimulation_pilot: int = 0  # the last pass's pilot runs (``resim``: run, judged, discarded; not in ``resimulated``)
    resimulation_stopped: tuple[int, int] = (0, 0)  # the last pass's re-simulated runs refused early (``early``),
    # and the particle-days they were not stepped

    @property
    def descendant_seeds(self) -> np.ndarray:
        """The seed of the member (of the last pass) each posterior particle descends from."""
        seeds = self.member_seeds if self.pass_member_seeds is None else self.pass_member_seeds
        return seeds[self.posterior_members]

    @property
    def particle_weights(self) -> np.ndarray:
        """The posterior particles' normalised weights (equal when they were resampled)."""
        n = len(self.posterior_members)
        return np.full(n, 1.0 / n) if self.posterior_weights is None else self.posterior_weights

    @property
    def posterior_factors(self) -> np.ndarray:
        return self.posterior_values


def particle_days(particles: int, end_day: int, passes: int = 1, as_of_day: int = 0) -> int:
    """Work of a forecast, in days of one particle: prior and posterior run to the end,
    and each pass before the last (``passes``) to the as-of date."""
    return 2 * particles * (end_day + 1) + (passes - 1) * particles * (as_of_day + 1)


class _Counter:
    """Particle-days done, out of ``total``, reported to ``progress``; shared by the
    prior (on a backend, in a thread) and the filter (here), hence the lock."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0
        self._lock = threading.Lock()

    def grow(self, days: int) -> None:
        """More work than ``particle_days`` foresaw (the runs a move by re-simulation makes)."""
        with self._lock:
            self.total += days

    def add(self, days: int) -> None:
        with self._lock:
            self.done += days
            if self.progress is not None:
                self.progress(self.done, self.total)

    def tally(self) -> _Tally:
        """A count of one trial of the move's own growth and days done, kept in this total too."""
        return _Tally(self)

    def mapper(self, backend: Backend) -> Callable[[list], list]:
        """``backend.map`` over tasks, counting each finished task's days."""
        def run(tasks: list) -> list:
            days = [task.days_to_run for task in tasks]
            seen = [0]

            def report(finished: int, _total: int) -> None:
                self.add(sum(days[seen[0]:finished]))  # tasks finish in any order; their days are alike
                seen[0] = finished

            out = backend.map(_advance, tasks, progress=report)
            self.add(sum(days[seen[0]:]))
            return out
        return run


class _Tally:
    """One trial's share of a ``_Counter``: what it grew the total by and the days it counted done,
    so that a trial lost with its worker (``shards.WorkerLost``) and made again leaves in the total
    only the days it did step (counted done), not the days it foresaw."""

    def __init__(self, counter: _Counter) -> None:
        self.counter, self.grown, self.done = counter, 0, 0

    def grow(self, days: int) -> None:
        self.grown += days
        self.counter.grow(days)

    def add(self, days: int) -> None:
        self.done += days
        self.counter.add(days)

    def lost(self) -> None:
        """The trial is abandoned: its foreseen days leave the total, the days it stepped stay."""
        self.counter.grow(self.done - self.grown)


@dataclass(frozen=True)
class _Member:
    """A prior member yet to be built: built where it runs (a worker), so that this
    process neither builds, copies nor ships its simulation, and the workers start on
    the prior at once instead of after every member is built here."""

    scenario: Scenario
    factors: tuple[Factor, ...]
    values: np.ndarray  # its factors' values
    seed: int
    days: int
    day: int = 0  # as a simulation's: the day it would step next
    stage_sd: float = 0.0  # the day-to-day spread of the caravans' stages (moves.StageNoise; 0: none)
    stage_half_life: float = 0.0  # how long a stage's deviation lasts, days (moves.StageNoise; 0: a day)

    def build(self) -> Simulation:
        scenario = scenario_with(self.scenario, self.factors, self.values) if self.factors else self.scenario
        extra = ((StageNoise(self.stage_sd, self.stage_half_life),) if self.stage_sd > 0 and scenario.corridor is not None
                 else ())
        return simulation(scenario, seed=self.seed, days=self.days, extra=extra)


@dataclass
class _Task:
    """Run one particle to its end (``to_day``, inclusive) and hand back its results instead of
    the simulation (stepping between report dates is ``shards.LocalRuns``'s). With ``save_to``
    (a checkpoint), a finished particle's output is kept there and, every ``every``
    days, its state (``save_to`` + ".state"), from which it starts again if found."""

    sim: Simulation | _Member
    to_day: int
    save_to: str | None = None
    every: int | None = None
    compact: bool = True  # also the compact output an ensemble reduces (the posterior's only)

    @property
    def days_to_run(self) -> int:
        return self.to_day + 1 - self.sim.day


def _refuse_unlaid_roads(sims: Sequence[Simulation], saved: Path) -> None:
    """Refuse simulations pickled before session 14: their caravans' roads lack
    ``Itinerary.pace_leg``, which a retune and a fork read (an AttributeError deep in the run).
    Not rebuilt: on a road extended at a fork, the old code found a leg by its place's name,
    so no rebuilt ``pace_leg`` is provably what that run would have used."""
    for sim in sims:
        try:
            states = sim.provider(CaravanGroups).states
        except MissingInterface:  # a Flee case: no roads
            return
        if any(not hasattr(st.path, "pace_leg") for st in states):
            raise CaravanaError(f"{saved}: saved before session 14 (its caravans' roads have no pace legs): "
                                "start the forecast again")


def _advance(task: _Task):
    """The full results for the forecast's tables, and the compact ones for the posterior's ensemble."""
    sim = task.sim
    state = Path(task.save_to + ".state") if task.save_to else None
    if state is not None and state.exists():
        sim = load_pickle(state)
        _refuse_unlaid_roads([sim], state)
    elif isinstance(sim, _Member):
        sim = sim.build()
    results = run_simulation(sim, task.every, state)
    finished = results, member_output(sim, results) if task.compact else None
    if task.save_to:
        save_pickle(Path(task.save_to), finished)
        if state is not None:
            state.unlink(missing_ok=True)
    return finished


def scoring_dates(observations: Observations, as_of: dt.date,
                  moved_days: Sequence = ()) -> dict[dt.date, Observations]:
    """The observations dated up to ``as_of``, grouped by the date they are scored on:
    a count on its date, a reported day ``DAY_REPORT_LAG`` days later (not after ``as_of``),
    or, if among ``moved_days`` (``moves.day_rows``), on the night it puts the body at its
    place (``moves.night_of``)."""
    groups: dict[dt.date, list] = {}
    for obs in observations:
        if obs.date > as_of:
            continue
        is_day = not getattr(obs, "is_count", True)
        if any(obs is o for o in moved_days):
            when = night_of(obs)
        else:
            when = min(obs.date + dt.timedelta(days=DAY_REPORT_LAG), as_of) if is_day else obs.date
        groups.setdefault(when, []).append(obs)
    return {date: replace(observations, rows=tuple(rows)) for date, rows in sorted(groups.items())}


def check_dates(scenario: Scenario, as_of: dt.date, horizon: int) -> tuple[int, int]:
    """(as-of day, last forecast day) as day numbers, or a clear error."""
    start, days = scenario.period.start, scenario.period.days
    last = start + dt.timedelta(days=days - 1)
    if not start <= as_of <= last:
        # the period as the reader's language writes dates; the date typed, as typed
        raise CaravanaError(f"--as-of {as_of} is outside the scenario's period {start} to {last}", dates=(start, last))
    if horizon < 1:
        raise CaravanaError(f"--horizon must be at least 1 day, got {horizon}")
    as_of_day = (as_of - start).days
    if as_of_day + horizon > days - 1:
        raise CaravanaError(
            f"--horizon {horizon} runs past the scenario's last day {last}; at most {days - 1 - as_of_day} days from {as_of}"
        )
    return as_of_day, as_of_day + horizon


@dataclass
class _State:
    """What the filter carries from one report date to the next (pickled as its checkpoint)."""

    sims: list[Simulation]
    members: np.ndarray  # prior member each particle descends from
    theta: np.ndarray  # (particles, factors) each particle's factor values
    log_w: np.ndarray
    resampling: np.random.Generator
    moving: np.random.Generator
    dates_done: int = 0  # scoring dates assimilated
    generation: int = 0  # resamplings so far
    resized: np.ndarray = field(default_factory=lambda: np.zeros(2, dtype=np.int64))
    sent_home: int = 0
    shifted: np.ndarray = field(default_factory=lambda: np.zeros(2, dtype=np.int64))
    walk_sd: np.ndarray | None = None  # (particles,) each particle's sd of the size walk
    km_sd: np.ndarray | None = None  # (particles,) each particle's sd of the position walk
    reported: dict[int, int] = field(default_factory=dict)  # caravan -> day its size was last reported
    reported_home: dict = field(default_factory=dict)  # place (None: everywhere) -> day returns were last reported there
    located: dict[int, int] = field(default_factory=dict)  # caravan -> day its position was last reported
    log_likelihood: float = 0.0  # sum over dates of log sum_i W_i p_i(date's reports): the filter's estimate
    path_ll: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (particles,) each run's path likelihood, log (``resim``)
    histories: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # (particles,) each one's history
    next_history: int = 0  # the next new history's number
    proposed: int = 0  # runs re-simulated by the move's sweeps
    pilot: int = 0  # runs re-simulated by the move's pilots (discarded)
    taken: int = 0  # of which accepted
    stopped: int = 0  # re-simulated runs (sweeps and pilots) refused early, before the copies' day (``early``)
    unstepped: int = 0  # the particle-days those runs were not stepped
    steps: list[FilterStep] = field(default_factory=list)
    weights_at_as_of: np.ndarray | None = None
    continuing: bool = False  # resampled at the as-of date: the particles only run on from here


@dataclass(frozen=True)
class Checkpoint:
    """Where a forecast keeps its state (``caravana.checkpoint``): the filter's state at
    a report date at least ``every`` days after the last one saved (``filter.pkl``),
    and each prior or posterior particle's output once it finishes and its own state
    every ``every`` days while it runs (``prior/``, ``posterior/``)."""

    folder: Path
    every: int

    def particle(self, ensemble: str, i: int) -> str:
        folder = self.folder / ensemble
        folder.mkdir(parents=True, exist_ok=True)
        return str(folder / f"{i:05d}.pkl")

    def finished(self, ensemble: str, n: int) -> dict[int, tuple]:
        """Particles of ``ensemble`` whose output was saved, by index."""
        return {i: load_pickle(Path(self.particle(ensemble, i))) for i in range(n)
                if Path(self.particle(ensemble, i)).exists()}

    @property
    def state(self) -> Path:
        return self.folder / "filter.pkl"


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
    checkpoint: Checkpoint | None = None,
    leave: LeaveMove | None = None,
    light_scoring: bool = False,
    position: PositionMove | None = None,
    stage_sd: float = 0.0,
    stage_half_life: float = 0.0,
    one_per_source: bool = False,
    resample_at_as_of: bool = True,
    walk_after_as_of: bool = True,
    trace: Trace | None = None,
    passes: Passes | None = None,
    resimulation: Resimulation | None = None,
) -> Assimilation:
    """Run the filter on the observations dated up to ``as_of`` and continue to
    ``as_of + horizon``; later observations are ignored (held back).

    ``log_likelihood(results, observations)`` scores a run, part-way through, against
    the observations of one date (``caravana.metrics.log_likelihood`` by default).
    ``backend`` runs the prior (while the filter steps here) and the continuation
    (default: this process); ``progress(done, total)`` counts particle-days. ``move``,
    ``rejuvenate``, ``leave`` and ``position``: see the module doc (all None: weighting only). ``checkpoint``:
    save the state as it goes and start from what is saved there (the result is the
    same as an unbroken run's). ``stage_sd``: every member's caravans' stages vary from day to
    day by this sd in log (``moves.StageNoise``; 0: the model's fixed stages). ``light_scoring``: ``log_likelihood`` reads only what
    ``caravana.metrics`` reads (``scoring_results``), so the rest is not built. ``one_per_source``: the
    rows of one source on one date weigh as one report (``sources``; off by default: it scored worse, docs/forecast.md).
    ``resample_at_as_of`` and ``walk_after_as_of``: see the module doc, step 4. ``trace``: told each
    report's likelihood per particle (``Trace``; a weight autopsy). ``passes``: iterated filtering
    (``passes.Passes``; default one pass): the passes before the last filter the reports up to the
    as-of date only, each from the previous one's end cloud; the prior ensemble is the first pass's
    members, the posterior the last pass's particles; ``checkpoint`` and ``trace`` serve the last pass.
    ``resimulation``: the resample-move by re-simulation (``resim``; it replaces ``rejuvenate``'s
    Liu-West moves, whose kernel it takes as its proposal)."""
    if particles < 2:
        raise CaravanaError(f"--particles must be at least 2, got {particles}")
    as_of_day, end_day = check_dates(scenario, as_of, horizon)
    n, days = particles, end_day + 1
    passes = passes or Passes()
    if resimulation is not None:
        resimulation.check_passes(passes.count)
    counter = _Counter(progress, particle_days(particles, end_day, passes.count, as_of_day))
    local = counter.mapper(InProcessBackend())
    remote = counter.mapper(backend) if backend is not None and backend.kind != "inprocess" else None
    factors = list(factors)
    values = draw_factors(factors, n, make_stream(seed, _PARAMETER_STREAM)) if factors else np.ones((n, 0))
    seeds = np.array(member_seeds(seed, n), dtype=np.int64)  # as `caravana ensemble` spawns them
    members = [_Member(scenario, tuple(factors), v, int(s), days, stage_sd=stage_sd, stage_half_life=stage_half_life)
               for v, s in zip(values, seeds)]

    def finish(ensemble: str, start: list[Simulation] | list[_Member], mapper) -> list[tuple]:
        """Run particles to the end (those saved in the checkpoint are read instead)."""
        done = checkpoint.finished(ensemble, n) if checkpoint else {}
        counter.add(sum(days - start[i].day for i in done))
        todo = [i for i in range(n) if i not in done]
        tasks = [_Task(start[i], end_day, save_to=checkpoint.particle(ensemble, i) if checkpoint else None,
                       every=checkpoint.every if checkpoint else None, compact=ensemble == "posterior")
                 for i in todo]
        done.update(zip(todo, mapper(tasks)))
        return [done[i] for i in range(n)]

    # The prior runs on the backend's workers (each builds its members) while the filter
    # builds the same members here and steps them; the move's runs, on a local processes backend,
    # in as many worker processes of their own that keep them between report dates (``shards``).
    held = (Workers(backend.workers) if remote is not None and backend is not None and backend.kind == "processes"
            and backend.workers > 1 and resimulation is not None and resimulation.steps > 0 and can_ship(log_likelihood)
            else None)
    with ThreadPoolExecutor(1) as pool, held or nullcontext() as workers:
        prior_future = pool.submit(finish, "prior", members, remote) if remote is not None else None
        sims = [member.build() for member in members]
        records: list[PassRecord] = []
        pass_seeds: np.ndarray | None = None

        def run_pass(m: int, sims: list[Simulation], values: np.ndarray, start_sds: dict | None) -> _State:
            last = m == passes.count  # the forecast's pass: its checkpoint, its trace, its resampling option
            return _filter(scenario, observations, as_of, as_of_day, log_likelihood, sims, values, pass_seed(seed, m),
                           factors, counter, move, passes.liu_west(rejuvenate, m), checkpoint if last else None,
                           leave, light_scoring, position, one_per_source, resample_at_as_of and last,
                           walk_after_as_of, trace if last else None, start_sds, resimulation,
                           lambda v, s: replace(members[0], values=v, seed=s), workers)

        state = run_pass(1, sims, values, None)
        for m in range(2, passes.count + 1):  # members from the previous pass's end cloud, on the pass's own seed
            records.append(PassRecord(state.steps, _ancestors_by_weight(state), state.log_likelihood))
            cloud, start_sds = _next_cloud(state, factors, move, position, passes, seed, m)
            pass_seeds = np.array(member_seeds(pass_seed(seed, m), n), dtype=np.int64)
            state = run_pass(m, [replace(members[0], values=v, seed=int(s)).build() for v, s in zip(cloud, pass_seeds)],
                             cloud, start_sds)
        prior_runs = prior_future.result() if prior_future is not None else finish("prior", members, local)
    posterior_runs = finish("posterior", state.sims, remote or local)
    return Assimilation(
        as_of_day=as_of_day, end_day=end_day, factors=factors, factor_values=values, member_seeds=seeds,
        posterior=[r for r, _ in posterior_runs], posterior_outputs=[o for _, o in posterior_runs],
        posterior_members=state.members, posterior_values=state.theta, prior=[r for r, _ in prior_runs],
        posterior_weights=None if resample_at_as_of else state.weights_at_as_of,
        steps=state.steps, weights_at_as_of=state.weights_at_as_of,
        resized=(int(state.resized[0]), int(state.resized[1])), sent_home=state.sent_home,
        shifted=(int(state.shifted[0]), int(state.shifted[1])),
        walk_sd_prior=None if move is None else move.draw_sd(n, make_stream(seed, _WALK_SD_STREAM)),
        walk_sd=state.walk_sd,
        km_sd_prior=None if position is None else position.draw_sd(n, make_stream(seed, _KM_SD_STREAM)),
        km_sd=state.km_sd, passes=records, pass_member_seeds=pass_seeds, log_likelihood=state.log_likelihood,
        posterior_histories=state.histories, resimulated=(state.proposed, state.taken),
        resimulation_pilot=state.pilot, resimulation_stopped=(state.stopped, state.unstepped),
    )


def _ancestors_by_weight(state: _State) -> float:
    """Members a pass's particles descend from at the as-of date, by weight (``weights.ancestors``)."""
    n = len(state.members)
    return ancestors(state.members, state.weights_at_as_of if state.weights_at_as_of is not None else np.full(n, 1 / n))["weighted"]


def _next_cloud(state: _State, factors: list[Factor], move: SizeMove | None, position: PositionMove | None,
                passes: Passes, seed: int, m: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Pass m's start: the previous pass's particles resampled by their weights at the as-of
    date, their factors and learnt walk sds jittered (``passes.jitter``), on pass m's stream."""
    rng = make_stream(pass_seed(seed, m), _CLOUD_STREAM)
    weights = state.weights_at_as_of if state.weights_at_as_of is not None else normalise(state.log_w)
    keep = systematic_resample(weights, float(rng.random()))
    sd = passes.jitter * passes.scale(m)
    cloud = state.theta[keep]
    if factors:
        cloud = jitter(cloud, np.array([f.low for f in factors]), np.array([f.high for f in factors]), sd, rng)
    sds: dict[str, np.ndarray] = {}
    ranges = {"walk_sd": None if move is None else (move.sd_per_day, move.sd_high),
              "km_sd": None if position is None else (position.km_sd_per_day, position.km_sd_high)}
    for name, bounds in ranges.items():
        values = getattr(state, name)
        if values is None or bounds is None:
            continue
        values, (low, high) = values[keep], bounds
        if high is not None and high > low:  # a learnt sd: a parameter like the factors
            values = jitter(values[:, None], np.array([low]), np.array([high]), sd, rng)[:, 0]
        sds[name] = values
    return cloud, sds


def _filter(scenario: Scenario, observations: Observations, as_of: dt.date, as_of_day: int,
            log_likelihood: LogLikelihood, sims: list[Simulation], values: np.ndarray, seed: int,
            factors: list[Factor], counter: _Counter, move: SizeMove | None,
            rejuvenate: LiuWest | None, checkpoint: Checkpoint | None, leave: LeaveMove | None = None,
            light_scoring: bool = False, position: PositionMove | None = None,
            one_per_source: bool = False, resample_at_as_of: bool = True, walk_after_as_of: bool = True,
            trace: Trace | None = None, start_sds: dict[str, np.ndarray] | None = None,
            resimulation: Resimulation | None = None, recipe: Callable[[np.ndarray, int], _Member] | None = None,
            workers: Workers | None = None) -> _State:
    """Weight, move and resample the particles at each report date up to the as-of
    date, then resample once more (unless not ``resample_at_as_of``): the particles ready to run on.
    ``start_sds``: the particles' walk sds (``walk_sd``, ``km_sd``) to start from instead of
    drawing them from their priors (a later pass of iterated filtering). ``resimulation``: after each
    resampling the ESS rule asks for, move the copies by re-simulation (``resim``), building each run
    from ``recipe(factor values, seed)``, on ``workers`` when given (``shards``: the same result)."""
    n = len(sims)
    if checkpoint is not None and checkpoint.state.exists():
        state: _State = load_pickle(checkpoint.state)
        _refuse_unlaid_roads(state.sims, checkpoint.state)
        counter.add(n * state.sims[0].day)
        if getattr(state, "histories", None) is None:  # saved before session 14: no history of its own but its member's
            if resimulation is not None and resimulation.steps > 0:  # its path likelihoods, zeros, would bias the ratio
                saved = checkpoint.state
                raise CaravanaError(f"{saved}: saved before --resimulate existed (no path likelihoods): "
                                    "resume it without --resimulate")
            state.path_ll, state.histories, state.next_history = np.zeros(n), state.members.copy(), n
    else:
        state = _State(sims=sims, members=np.arange(n), theta=values.copy(),
                       log_w=np.zeros(n), resampling=make_stream(seed, _RESAMPLING_STREAM),
                       moving=make_stream(seed, _MOVE_STREAM),
                       walk_sd=None if move is None else move.draw_sd(n, make_stream(seed, _WALK_SD_STREAM)),
                       km_sd=None if position is None else position.draw_sd(n, make_stream(seed, _KM_SD_STREAM)),
                       path_ll=np.zeros(n), histories=np.arange(n), next_history=n)
        for name, sd in (start_sds or {}).items():
            setattr(state, name, sd)
    if state.continuing:
        return state
    start = scenario.period.start
    # Moves and rejuvenation act on caravans: None without a corridor (or nothing to retune).
    sizes = move if scenario.corridor is not None else None
    sends_home = leave if scenario.corridor is not None else None
    locates = position if scenario.corridor is not None else None
    routes = observations.context.routes if observations.context is not None else {}
    days_moved = day_rows(list(observations), routes, start)[0] if locates is not None and locates.moves_days else []
    # Counts of a part of a caravan (an advance group, stragglers) are scored, not moved: they do not say where
    # its main body slept (``moves.part_counts``).
    partial = part_counts(list(observations), routes) if locates is not None else []
    by_date = scoring_dates(observations, as_of, days_moved)
    # The walks' sds learnt like factors: (the state's attribute, prior range).
    learnt: list[tuple[str, float, float]] = []
    moved_on = rejuvenate is not None or resimulation is not None
    if moved_on and sizes is not None and sizes.learns_sd and sizes.sd_high is not None:
        learnt.append(("walk_sd", sizes.sd_per_day, sizes.sd_high))
    if moved_on and locates is not None and locates.learns_sd and locates.km_sd_high is not None:
        learnt.append(("km_sd", locates.km_sd_per_day, locates.km_sd_high))
    # Re-simulation replaces Liu-West's rejuvenation (``resim``: a theta changed mid-run breaks its invariance).
    resimulates = resimulation is not None and resimulation.steps > 0 and recipe is not None
    liu_west = (rejuvenate if scenario.corridor is not None and (retunable(factors).any() or learnt) and not resimulates
                else None)
    column_low = np.array([f.low for f in factors] + [lo for _, lo, _ in learnt])
    column_high = np.array([f.high for f in factors] + [hi for _, _, hi in learnt])
    # A re-simulated run is built anew, so every factor may move but one drawn from a joint
    # (outflows) prior, whose density is not the log-uniform the move's ratio assumes.
    moves_freely = np.array([f.outflows is None and f.high > f.low for f in factors] + [True] * len(learnt), dtype=bool)
    countries = observations.context.countries if observations.context is not None else {}
    saved_day = state.sims[0].day
    # Rows of one source on one date weigh as one report: each row tempered by 1/k (``sources``).
    k_of = shared_counts(r for r in observations if r.date <= as_of) if one_per_source else {}
    scorer: LogLikelihood = Tempered(log_likelihood, k_of) if any(k > 1 for k in k_of.values()) else log_likelihood

    def resample(dates: list[dt.date] | None = None) -> None:
        """Resample; with ``dates`` (the report dates so far) and ``resimulation``, then move by re-simulation."""
        weights = normalise(state.log_w)
        keep = systematic_resample(weights, float(state.resampling.random()))
        state.generation += 1
        state.sims = _copies(state.sims, keep, (seed, state.generation))
        sds = {name: getattr(state, name) for name in ("walk_sd", "km_sd")}  # before resampling
        before = _columns(state, factors, learnt)
        if liu_west is not None:
            # The factors and the walks' sds are rejuvenated together (their posterior covariance kept).
            moving = np.concatenate([retunable(factors), np.ones(len(learnt), dtype=bool)])
            values = liu_west.rejuvenate_columns(before, weights, keep, moving, column_low, column_high, state.moving)
            _set_columns(state, values, factors, learnt)
            if retunable(factors).any():
                retune(state.sims, scenario, factors, state.theta)
        else:
            _set_columns(state, before[keep], factors, learnt)
        for name, sd in sds.items():  # fixed sds are copied with their particles
            if sd is not None and name not in {n for n, _, _ in learnt}:
                setattr(state, name, sd[keep])
        state.members, state.log_w = state.members[keep], np.zeros(n)
        path_ll, state.histories = state.path_ll, state.histories[keep]
        state.path_ll = path_ll[keep]
        if dates is not None and resimulates:
            resimulate_copies(dates, before, weights, path_ll, sds)

    def parts(todays: Observations) -> tuple[list[Observation], ...]:
        """A date's reports by what takes them: (placed, dated, sized, home: the moves'; others: scored)."""
        sized, others = size_rows(todays) if sizes is not None else ([], list(todays))
        home, others = returns_rows(others) if sends_home is not None else ([], others)
        placed, others = position_rows(others, routes, partial) if locates is not None else ([], others)
        dated = [r for r in others if any(r is o for o in days_moved)]
        others = [r for r in others if not any(r is o for o in dated)]
        return placed, dated, sized, home, others

    def date_bound(date: dt.date) -> float:
        """The most a run's log weight increment of ``date`` can be (``early``; inf: unknown)."""
        placed, dated, sized, home, others = parts(by_date[date])
        total = scored_bound(scorer, replace(by_date[date], rows=tuple(others)))
        for fn, mover, rows in ((move_positions, locates, placed), (move_days, locates, dated), (move_sizes, sizes, sized),
                                (move_returns, sends_home, home)):
            total += sum(move_bound(fn, with_noise(mover, k), some) for k, some in by_share(rows, k_of))
        return total

    def assimilate_date(st: _State, date: dt.date, runs: LocalRuns | HeldRuns, trace: Trace | None) -> np.ndarray:
        """Step ``st``'s particles (``runs``: here, ``st.sims``; or kept by workers, ``shards``) to
        ``date``, move them by its reports and score the rest: each particle's log weight increment
        (the filter's, and a re-simulated run's). ``trace``: only with the particles here."""
        todays = by_date[date]
        placed, dated, sized, home, others = parts(todays)
        day = (date - start).days
        m = len(runs)
        # Stepped to the eve of the date, then the date itself, keeping where each person stayed
        # the night before it: a move re-writes the date's night (``nights``).
        runs.step(day)
        increment = np.zeros(m)
        if trace is not None:
            trace.before(date, st.log_w.copy(), st.members.copy())
        # Each move takes the rows of one source on one date with their sd widened by sqrt(k) (``sources``).
        for k, rows in by_share(placed, k_of) if locates is not None else ():  # first: a count made before any move
            moved, shifted = _traced(trace, date, "position move", rows, lambda some, k=k: runs.apply(
                move_positions, some, move=with_noise(locates, k), since=st.located, rng=st.moving, sd=st.km_sd))
            increment, st.shifted = increment + moved, st.shifted + shifted
        for k, rows in by_share(dated, k_of) if locates is not None else ():
            moved, shifted = _traced(trace, date, "day move", rows, lambda some, k=k: runs.apply(
                move_days, some, move=with_noise(locates, k), since=st.located, rng=st.moving, sd=st.km_sd))
            increment, st.shifted = increment + moved, st.shifted + shifted
        for k, rows in by_share(sized, k_of) if sizes is not None else ():
            moved, changed = _traced(trace, date, "size move", rows, lambda some, k=k: runs.apply(
                move_sizes, some, move=with_noise(sizes, k), since=st.reported, rng=st.moving, sd=st.walk_sd))
            increment, st.resized = increment + moved, st.resized + changed
        for k, rows in by_share(home, k_of) if sends_home is not None else ():
            sd = st.walk_sd if st.walk_sd is not None else np.full(m, SizeMove.sd_per_day)
            moved, sent = _traced(trace, date, "returns move", rows, lambda some, k=k, sd=sd: runs.apply(
                move_returns, some, move=with_noise(sends_home, k), countries=countries, since=st.reported_home,
                sd=sd, rng=st.moving, reversion=sizes.reversion if sizes is not None else 0.0))
            increment, st.sent_home = increment + moved, st.sent_home + sent
        # The other reports are read on the state each particle keeps, the date's record amended
        # as the moves left it: weight = the moves' marginal likelihood x their likelihood on it.
        runs.amend()
        if others:
            increment = increment + runs.score(replace(todays, rows=tuple(others)), scorer, light_scoring)
        if trace is not None:
            for row in others:  # after the moves, as they were scored
                trace.report(date, "scored", row, runs.score(replace(todays, rows=(row,)), scorer, light_scoring))
        if np.isnan(increment).any():
            raise CaravanaError(f"the reports of {date} gave a particle a NaN weight: the model or a custom "
                                "likelihood returned a NaN log-likelihood")
        return increment

    def resimulate_copies(dates: list[dt.date], before: np.ndarray, weights: np.ndarray, path_ll: np.ndarray,
                          sds: dict[str, np.ndarray | None]) -> None:
        """``resimulation``'s moves on the resampled particles (``resim``): ``before``, ``path_ll`` and
        ``sds``, the columns (factors, learnt sds), path likelihoods and walks' sds of the particles
        before resampling, weighted by ``weights``: the cloud the proposal and the pilot are fixed from."""
        if resimulation is None or recipe is None:
            raise ValueError("a move by re-simulation needs its settings and a way to build a run")
        columns = _columns(state, factors, learnt)
        proposal = Proposal.fit(before, weights, moves_freely, column_low, column_high, resimulation.kernel)

        def trial(start: np.ndarray, current_ll: np.ndarray, fixed: dict[str, np.ndarray | None], rows: np.ndarray,
                  seats: np.ndarray, rng: np.random.Generator, step: int
                  ) -> tuple[np.ndarray, np.ndarray, dict[int, Simulation], int]:
            """Proposals from the columns ``start`` (of path likelihoods ``current_ll``; the fixed sds
            ``fixed[name][rows]``), each re-simulated from day 0 to the copies' day on the seed of its
            ``seats`` under sweep ``step``: (the proposed columns; the path likelihood of those the
            ratio takes, NaN elsewhere; those runs by their place in ``start``; the runs made). The runs
            are built, stepped and scored by ``workers`` when there are some (``shards``), each on its own
            stream (``resim.run_stream``), ``rng`` giving only the proposals, here; when a worker dies, made
            again here from ``rng``'s state at the start (``shards.WorkerLost``: the same result)."""
            saved, tally = rng.bit_generator.state, counter.tally()
            try:
                return attempt(start, current_ll, fixed, rows, seats, rng, step, tally)
            except WorkerLost:
                if workers is None:  # raised by workers only
                    raise
                # The progress's total is the particle-days the forecast steps: the lost trial's runs
                # stepped before the worker died are in it (they were done), its foreseen rest is not.
                tally.lost()
                workers.lose()
                warnings.warn("a worker process of the move by re-simulation died; its runs are made in this "
                              "process from now on (the same forecast, more slowly)", RuntimeWarning, stacklevel=2)
                rng.bit_generator.state = saved
                return attempt(start, current_ll, fixed, rows, seats, rng, step, counter.tally())

        def attempt(start: np.ndarray, current_ll: np.ndarray, fixed: dict[str, np.ndarray | None], rows: np.ndarray,
                    seats: np.ndarray, rng: np.random.Generator, step: int, tally: _Tally
                    ) -> tuple[np.ndarray, np.ndarray, dict[int, Simulation], int]:
            """``trial``, once, counting its work in ``tally``. Each run has a stream of its own
            (``resim.run_stream``): its uniform first, then its moves' draws; a run stops at the first
            report date after which it can only be refused (``early``: its increments so far plus the
            bounds of the later dates' fall short)."""
            proposed, log_ratio, inside = proposal.draw(start, rng)
            tried = np.flatnonzero(inside)
            walk_sd, km_sd = _sds_of(proposed[tried], factors, learnt, fixed, rows[tried])
            streams = [run_stream(seed, state.generation, step, int(seats[k])) for k in tried]
            log_u = np.full(len(start), np.inf)
            log_u[tried] = np.log([stream.random() for stream in streams])
            day = state.sims[0].day
            tally.grow(len(tried) * day)  # each run from day 0 to the copies' day, less what stops early
            bounds = [date_bound(date) for date in dates]
            later = np.concatenate([np.cumsum(bounds[::-1])[::-1], [0.0]])  # bound of dates i and after
            run_ll = np.zeros(len(tried))
            going = ~hopeless(run_ll, later[0], current_ll[tried], log_ratio[tried], log_u[tried])
            alive = np.flatnonzero(going)  # places among the runs made of those still running
            stopped, unstepped = len(tried) - len(alive), (len(tried) - len(alive)) * day
            tally.grow(-unstepped)
            recipes = [recipe(proposed[tried[i], : len(factors)], run_seed(seed, state.generation, step,
                                                                            int(seats[tried[i]]))) for i in alive]
            mine = [streams[i] for i in alive]
            held = (workers.hold(recipes, tally.add, mine) if workers is not None
                    else LocalRuns([r.build() for r in recipes], tally.add, mine))
            runs = _State(sims=[], members=rows[tried[alive]], theta=proposed[tried[alive], : len(factors)],
                          log_w=np.zeros(len(alive)), resampling=rng, moving=rng,
                          walk_sd=None if walk_sd is None else walk_sd[alive], km_sd=None if km_sd is None else km_sd[alive])
            for i, date in enumerate(dates):  # the same reports, moves and scoring as the filter's, from day 0
                if not len(alive):
                    break
                run_ll[alive] += assimilate_date(runs, date, held, None)
                if i == len(dates) - 1:  # stepped to t: the ratio itself decides
                    break
                going = ~hopeless(run_ll[alive], later[i + 1], current_ll[tried[alive]], log_ratio[tried[alive]],
                                  log_u[tried[alive]])
                if not going.all():
                    held.keep(going)
                    left = int((~going).sum()) * (day - 1 - (date - scenario.period.start).days)  # stepped to the date
                    tally.grow(-left)
                    stopped, unstepped = stopped + int((~going).sum()), unstepped + left
                    alive = alive[going]
                    runs.walk_sd = None if runs.walk_sd is None else runs.walk_sd[going]
                    runs.km_sd = None if runs.km_sd is None else runs.km_sd[going]
            held.finish(day - 1)
            proposed_ll = np.full(len(start), -np.inf)
            proposed_ll[tried[alive]] = run_ll[alive]  # a run stopped early is refused: as if of likelihood zero
            take = accepted(current_ll, proposed_ll, log_ratio, inside, log_u)
            kept = np.flatnonzero(take[tried[alive]])  # places among the runs still held: only those come back
            state.stopped, state.unstepped = state.stopped + stopped, state.unstepped + unstepped
            return (proposed, np.where(take, proposed_ll, np.nan),
                    dict(zip(tried[alive[kept]].tolist(), held.take(kept.tolist()))), len(tried))

        def pilot(m: int) -> int:
            """How many of m trial proposals the ratio would take, from m ancestors drawn from the weighted
            cloud before resampling (its own stream), judged against their own path likelihoods and
            discarded: given that cloud, the count does not depend on the copies the sweeps move."""
            rng = step_stream(seed, state.generation, PILOT_STEP)
            rows = rng.choice(n, size=m, p=weights)
            _, taken_ll, _, made = trial(before[rows], path_ll[rows], sds, rows, np.arange(m), rng, PILOT_STEP)
            state.pilot = state.pilot + made
            return int(np.isfinite(taken_ll).sum())

        everyone = np.arange(n)
        current = {name: getattr(state, name) for name in ("walk_sd", "km_sd")}
        for step in range(resimulation.plan(n, pilot)):  # fixed before the sweeps run
            proposed, taken_ll, runs, made = trial(columns, state.path_ll, current, everyone, everyone,
                                                   step_stream(seed, state.generation, step), step)
            state.proposed = state.proposed + made
            take = np.isfinite(taken_ll)
            for j in np.flatnonzero(take):
                state.sims[j], state.path_ll[j] = runs[int(j)], taken_ll[j]
                state.histories[j], state.next_history = state.next_history, state.next_history + 1
            columns[take] = proposed[take]
            state.taken = state.taken + int(take.sum())
        _set_columns(state, columns, factors, learnt)

    for date in sorted(by_date)[state.dates_done:]:
        increment = assimilate_date(state, date, LocalRuns(state.sims, counter.add), trace)
        if not np.isfinite(np.max(state.log_w + increment)):
            raise CaravanaError(
                f"no particle can produce the observations of {date} (every likelihood is zero); "
                "check them, or widen the priors or use more particles"
            )
        state.log_likelihood += float(np.logaddexp.reduce(state.log_w + increment) - np.logaddexp.reduce(state.log_w))
        state.log_w = state.log_w + increment
        state.path_ll = state.path_ll + increment
        ess = effective_sample_size(normalise(state.log_w))
        resampled = ess < n / 2 and date < as_of
        taken = state.taken
        if resampled:
            resample(sorted(by_date)[: state.dates_done + 1])
        state.steps.append(FilterStep(date, len(by_date[date]), ess, resampled, len(np.unique(state.members)),
                                      len(np.unique(state.histories)), state.taken - taken))
        state.dates_done += 1
        if checkpoint is not None and state.sims[0].day - saved_day >= checkpoint.every:
            save_pickle(checkpoint.state, state)
            saved_day = state.sims[0].day

    LocalRuns(state.sims, counter.add).finish(as_of_day)
    if sizes is not None and state.walk_sd is not None:
        # The walk goes on past the as-of date (on streams the resampling gives each copy), or,
        # not ``walk_after_as_of``, takes the noise of the days up to it only and fades.
        until = None if walk_after_as_of else as_of_day
        for j, (sim, sd) in enumerate(zip(state.sims, state.walk_sd)):
            walk = SizeWalk(float(sd), state.reported, sizes.reversion, until)
            walk.rng = make_stream((seed, state.generation + 1, j), walk.name)  # the resampling below may reseed it
            sim.behaviours.insert(_walk_slot(sim), walk)
    state.weights_at_as_of = normalise(state.log_w)
    if resample_at_as_of:
        resample()
    state.continuing = True
    return state


def _columns(state: _State, factors: list[Factor], learnt: list[tuple[str, float, float]]) -> np.ndarray:
    """(particles, factors + learnt sds): what the rejuvenation and the move by re-simulation move."""
    return np.column_stack([state.theta, *(getattr(state, name) for name, _, _ in learnt)])


def _set_columns(state: _State, values: np.ndarray, factors: list[Factor], learnt: list[tuple[str, float, float]]) -> None:
    state.theta = values[:, : len(factors)]
    for k, (name, _, _) in enumerate(learnt):
        setattr(state, name, values[:, len(factors) + k])


def _sds_of(rows: np.ndarray, factors: list[Factor], learnt: list[tuple[str, float, float]],
            fixed_sds: dict[str, np.ndarray | None], slots: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(walk_sd, km_sd) of re-simulated runs: the learnt ones from their proposed ``rows``, the
    fixed ones ``fixed_sds``' of the particles in ``slots``."""
    out: list[np.ndarray | None] = []
    for name in ("walk_sd", "km_sd"):
        k = next((k for k, (learnt_name, _, _) in enumerate(learnt) if learnt_name == name), None)
        fixed = fixed_sds[name]
        out.append(rows[:, len(factors) + k] if k is not None else None if fixed is None else fixed[slots])
    return out[0], out[1]


def _traced(trace: Trace | None, date: dt.date, kind: str, rows: list[Observation], apply: Callable):
    """``apply(rows)`` (a move: each particle's log marginal likelihood, what it changed); with
    a ``trace``, a row at a time, each row's likelihood told to it: the moves take their rows
    one after the other, drawing in the same order, so the outcome is the same."""
    if trace is None or not rows:
        return apply(rows)
    total: tuple | None = None
    for row in rows:
        moved, changed = apply([row])
        trace.report(date, kind, row, moved)
        total = (moved, changed) if total is None else (total[0] + moved, total[1] + changed)
    return total


def _walk_slot(sim: Simulation) -> int:
    """Where the walk goes in a particle's behaviours: after the model's own, but before
    the count of each day's arrivals and departures, which must see the day's end state."""
    names = [b.name for b in sim.behaviours]
    return names.index(PlaceFlows.name) if PlaceFlows.name in names else len(names)


def _copies(sims: list[Simulation], keep: np.ndarray, generation: tuple[int, int]) -> list[Simulation]:
    """Particle ``keep[j]`` copied into slot j, every copy on fresh streams (so copies of
    one particle diverge from here). The first copy of a particle is the particle
    itself, reseeded: deep copies only for the second and later copies."""
    first: dict[int, int] = {}  # particle -> the slot of its first copy
    for j, k in enumerate(keep):
        first.setdefault(int(k), j)
    out = [sims[k] if first[int(k)] == j else sims[k].clone(reseed=(*generation, j)) for j, k in enumerate(keep)]
    for j in first.values():
        out[j].reseed((*generation, j))
    return out
