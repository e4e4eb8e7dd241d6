"""Fit scenario parameters to observations with Optuna's TPE sampler.

Each trial sets the parameters (``apply_overrides``), runs ``seeds`` seeds up to the
last fitted observation on the execution backend, and scores the seed-averaged
loss (:func:`caravana.metrics.loss`) on the observations dated up to ``fit_until``.
Trials are asked in batches of ``batch``: all runs of a batch go to the backend at
once. The sampler is seeded and told results in trial order, so the same seed,
trial count and batch give the same calibration on any backend and any number of
workers.

With ``map_prior`` the objective is the loss plus the priors' penalty (a MAP fit,
``caravana.calibrate.priors``), so a parameter the observations do not pin stays near its
prior instead of wandering with the seeds' noise.

``start_from`` parameter sets (e.g. the scenario's own values: a warm start) are the
first trials, so a refit explores from where the last fit ended instead of only
from random draws; values outside a prior are clipped into it.

The ``refine`` best trials then run again on as many new seeds, and the best of them
by the mean over all their seeds is the fit (the best of many noisy means is luckier
than it is good). Three parameter sets then run on fresh seeds over the whole
observation period and are scored on the fitted and the held-back observations
separately: the scenario as given, the centre of the priors (an uninformed start),
and the fitted values (the best trial).
"""

from __future__ import annotations

import datetime as dt
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import optuna
import pyarrow as pa

from ..ensemble.backends import Backend, resolve_backend
from ..ensemble.members import member_seeds
from ..errors import CaravanaError
from ..metrics import DAY_WEIGHT, Scorer
from ..observations import Observations
from ..scenario.schema import Scenario
from .objective import SimulationTask, simulate_observations
from .params import ParamSpec, check_params, given_values, with_values
from .priors import penalty

TOP_SHARE = 0.1  # the spread of fitted values: the best 10% of trials
MIN_TOP = 5  # ... and never fewer than 5 trials (or all of them)
PARTS = ("fitted", "held back")


@dataclass
class Trial:
    number: int
    values: dict[str, float]  # path -> value
    losses: np.ndarray  # one per seed; empty when the values made an invalid scenario
    error: str = ""
    confirmed: bool = False  # among the best, run again on more seeds
    penalty: float = 0.0  # the priors' penalty of a MAP fit (0 for a plain fit)

    @property
    def fit_loss(self) -> float:
        """The loss on the observations alone (mean over seeds)."""
        return float(self.losses.mean()) if len(self.losses) else float("inf")

    @property
    def loss(self) -> float:
        """What the search minimises: the loss, plus the penalty of a MAP fit."""
        return self.fit_loss + self.penalty


@dataclass
class Evaluation:
    """One parameter set run on the evaluation seeds, scored on both parts."""

    name: str
    values: dict[str, float]
    table: pa.Table  # Scorer.table rows, with a "part" column
    loss: dict[str, float]  # part -> loss (mean over seeds)
    loss_sd: dict[str, float]  # part -> sd over seeds


@dataclass
class CalibrationResult:
    scenario: str
    params: list[ParamSpec]
    trials: list[Trial]
    fitted: dict[str, float]
    spread: dict[str, dict[str, float]]  # path -> low, median, high over the best trials
    evaluations: list[Evaluation]
    settings: dict = field(default_factory=dict)

    @property
    def best(self) -> Trial:
        return best_trial(self.trials)

    def evaluation(self, name: str) -> Evaluation:
        return next(e for e in self.evaluations if e.name == name)


def calibrate(
    scenario: Scenario,
    observations: Observations,
    params: list[ParamSpec],
    *,
    trials: int = 50,
    seeds: int = 2,
    fit_until: dt.date | None = None,
    seed: int | None = None,
    batch: int = 4,
    eval_seeds: int | None = None,
    refine: int = 5,
    day_weight: float = DAY_WEIGHT,
    backend: Backend | str | None = "inprocess",
    progress: Callable[[int, int], None] | None = None,
    start_from: Sequence[Mapping[str, float]] = (),
    map_prior: bool = False,
) -> CalibrationResult:
    """Fit ``params`` of ``scenario`` to the observations up to ``fit_until`` (all if None)."""
    if trials < 1 or seeds < 1 or batch < 1:
        raise CaravanaError("trials, seeds and batch must each be at least 1")
    observations = observations.check_against(scenario)
    check_params(params, scenario)
    fit, held = observations.split(fit_until) if fit_until else (observations, replace(observations, rows=()))
    last = fit.last_date
    if last is None:
        raise CaravanaError(f"no observations dated up to {fit_until} to fit to")
    seed = scenario.seed if seed is None else seed
    eval_seeds = eval_seeds or max(seeds, 4)
    # Seeds for the search, then for confirming the best trials, then fresh ones for the scores.
    all_seeds = member_seeds(seed, 2 * seeds + eval_seeds)
    fit_seeds, confirm_seeds, test_seeds = all_seeds[:seeds], all_seeds[seeds: 2 * seeds], all_seeds[2 * seeds:]
    start = scenario.period.start
    fit_days = (last - start).days + 1
    fit_scorer = Scorer(fit, start, fit_days, day_weight)

    study = _study(seed, trials)
    for values in start_from:
        study.enqueue_trial(start_values(params, values))
    done: list[Trial] = []
    started = time.perf_counter()
    runner, owned = resolve_backend(backend)
    try:
        while len(done) < trials:
            asked = [study.ask() for _ in range(min(batch, trials - len(done)))]
            report = _trials_done(progress, len(done), trials)
            done += _run_batch(study, asked, params, scenario, fit, fit_days, fit_seeds, fit_scorer, runner, report,
                               map_prior)
        if not any(len(t.losses) for t in done):
            raise CaravanaError("every trial made an invalid scenario; narrow the parameter bounds")
        _confirm_best(done, refine, scenario, fit, fit_days, confirm_seeds, fit_scorer, runner)
        search_seconds = time.perf_counter() - started
        best = best_trial(done)
        candidates = {
            "given": given_values(params, scenario),
            "prior centre": {spec.path: spec.centre() for spec in params},
            "fitted": best.values,
        }
        evaluations = _evaluate(scenario, candidates, fit, held, test_seeds, day_weight, runner)
    finally:
        if owned:
            runner.close()
    return CalibrationResult(
        scenario=scenario.name,
        params=params,
        trials=done,
        fitted=best.values,
        spread=_spread(done, params),
        evaluations=evaluations,
        settings={
            "method": f"optuna {optuna.__version__} TPE (multivariate, seeded)",
            "objective": "MAP: loss + priors' penalty (caravana.calibrate.priors)" if map_prior else "loss",
            "trials": trials,
            "seeds_per_trial": seeds,
            "evaluation_seeds": eval_seeds,
            "refined_trials": min(refine, len(done)),
            "seed": seed,
            "batch": batch,
            "start_points": len(start_from),
            "fit_until": str(fit_until) if fit_until else None,
            "fitted_observations": len(fit),
            "held_back_observations": len(held),
            "day_weight": day_weight,
            "backend": runner.describe(),
            "search_seconds": round(search_seconds, 2),
            "fit_seeds": fit_seeds,
            "evaluation_seed_list": test_seeds,
        },
    )


def _trials_done(progress, before: int, total: int) -> Callable[[int], None]:
    """Progress within a batch, as trials done overall."""
    return lambda n: progress(before + n, total) if progress is not None else None


def _run_batch(study, asked, params, scenario, fit, days, seeds, scorer, runner, progress, map_prior) -> list[Trial]:
    """Run the asked trials' seeds together on the backend and tell the study their losses
    (in trial order, so the sampler's next choice never depends on which worker was faster)."""
    entries, tasks = [], []
    for trial in asked:
        values = {spec.path: _suggest(trial, spec) for spec in params}
        entry = Trial(number=trial.number, values=values, losses=np.empty(0),
                      penalty=penalty(params, values, len(fit)) if map_prior else 0.0)
        try:
            trial_scenario = with_values(scenario, values)
            tasks += [SimulationTask(trial_scenario, s, days, fit) for s in seeds]
        except CaravanaError as exc:  # values the scenario rejects together: a failed trial
            entry.error = str(exc)
        entries.append(entry)
    simulated = iter(runner.map(simulate_observations, tasks, progress=lambda n, total: progress(n // len(seeds))))
    for trial, entry in zip(asked, entries):
        if entry.error:
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
        else:
            entry.losses = np.atleast_1d(scorer.loss(np.stack([next(simulated) for _ in seeds])))
            study.tell(trial, entry.loss)
    progress(len(entries))
    return entries


def _confirm_best(trials, refine, scenario, fit, days, seeds, scorer, runner) -> None:
    """Run the ``refine`` best trials again on more seeds and keep all their losses: the
    best of many noisy means is optimistic, and one lucky pair of seeds should not win."""
    top = sorted((t for t in trials if len(t.losses)), key=lambda t: t.loss)[:refine]
    tasks = [SimulationTask(with_values(scenario, t.values), s, days, fit) for t in top for s in seeds]
    simulated = iter(runner.map(simulate_observations, tasks))
    for trial in top:
        more = np.atleast_1d(scorer.loss(np.stack([next(simulated) for _ in seeds])))
        trial.losses = np.concatenate([trial.losses, more])
        trial.confirmed = True


def best_trial(trials: list[Trial]) -> Trial:
    """The confirmed trial with the lowest mean loss (any trial if none was confirmed)."""
    confirmed = [t for t in trials if t.confirmed]
    return min(confirmed or trials, key=lambda t: t.loss)


def _study(seed: int, trials: int) -> optuna.Study:
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    with warnings.catch_warnings():  # multivariate and constant_liar are marked experimental
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        sampler = optuna.samplers.TPESampler(
            seed=seed,
            n_startup_trials=max(5, min(20, trials // 4)),
            multivariate=True,
            constant_liar=True,  # trials of one batch spread out instead of piling on one point
        )
    return optuna.create_study(direction="minimize", sampler=sampler)


def start_values(params: list[ParamSpec], values: Mapping[str, float]) -> dict[str, float]:
    """A starting point for the search: every parameter named, each clipped into its prior."""
    missing = ", ".join(spec.path for spec in params if spec.path not in values)
    if missing:
        raise CaravanaError(f"a starting point must give every parameter; missing: {missing}")
    return {spec.path: spec.cast(min(max(float(values[spec.path]), spec.low), spec.high)) for spec in params}


def _suggest(trial: optuna.trial.Trial, spec: ParamSpec) -> float | int:
    if spec.integer:
        return trial.suggest_int(spec.path, int(np.ceil(spec.low)), int(np.floor(spec.high)), log=spec.is_log)
    return trial.suggest_float(spec.path, spec.low, spec.high, log=spec.is_log)


def _spread(trials: list[Trial], params: list[ParamSpec]) -> dict[str, dict[str, float]]:
    """Low, median and high of each parameter over the best trials (a rough posterior)."""
    valid = sorted((t for t in trials if len(t.losses)), key=lambda t: t.loss)
    top = valid[: max(MIN_TOP, int(np.ceil(TOP_SHARE * len(valid))))]
    spread = {}
    for spec in params:
        values = np.array([t.values[spec.path] for t in top], dtype=np.float64)
        spread[spec.path] = {"low": float(values.min()), "median": float(np.median(values)),
                             "high": float(values.max()), "trials": len(top)}
    return spread


def _evaluate(scenario, candidates, fit, held, seeds, day_weight, runner) -> list[Evaluation]:
    """Run each parameter set on ``seeds`` over the whole observation period; score both parts."""
    everything = fit + held
    start = scenario.period.start
    days = (everything.last_date - start).days + 1
    tasks = []
    for values in candidates.values():
        tasks += [SimulationTask(with_values(scenario, values), s, days, everything) for s in seeds]
    simulated = np.stack(runner.map(simulate_observations, tasks)).reshape(len(candidates), len(seeds), -1)
    evaluations = []
    for (name, values), sim in zip(candidates.items(), simulated):
        tables, loss, loss_sd = [], {}, {}
        for part, observations, columns in (("fitted", fit, sim[:, : len(fit)]), ("held back", held, sim[:, len(fit):])):
            if not len(observations):
                continue
            scorer = Scorer(observations, start, days, day_weight)
            losses = np.atleast_1d(scorer.loss(columns))
            loss[part], loss_sd[part] = float(losses.mean()), float(losses.std(ddof=1)) if len(losses) > 1 else 0.0
            table = scorer.table(columns)
            tables.append(table.add_column(0, "part", pa.array([part] * table.num_rows)))
        evaluations.append(Evaluation(name, dict(values), pa.concat_tables(tables), loss, loss_sd))
    return evaluations
