"""One forecast, end to end: filter, summarise, check against held-back reports."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

import numpy as np
import pyarrow as pa

from .._version import __version__
from ..ensemble.backends import Backend
from ..ensemble.runner import EnsembleResult, reduce_members
from ..metrics import NoiseModel, log_likelihood
from ..observations import Observations
from ..scenario.schema import Scenario
from .check import check_held_back, summary_by_ensemble
from .filter import Assimilation, Checkpoint, LogLikelihood, Progress, Trace, assimilate
from .moves import LeaveMove, LiuWest, PositionMove, SizeMove, retunable
from .parameters import Factor, drawn, outflows_record
from .passes import Passes
from .resim import Resimulation
from .summary import Forecast, quantiles, summarise
from .totals import totals_table
from .weights import ancestors

# How reports scatter around the truth, for weighting particles. Reports of one crowd
# disagree by a factor 1.5-2 (issue 4), so a count 65% off its range is one sd away
# (log 1.65 = 0.5), not 20% as in the metrics' default; with 0.2 the 2018 filter keeps a
# single member after Oct 18 and its intervals shrink to one member's noise.
# Reported days are often "approx": sd 1 day. Checked from the three caravans' files in session 13
# (benchmarks/filter_settings.py --leave-out none): independent accounts of one count disagree by
# 0.44 in log1p (95 % 0.32-0.71); one day's accounts are too few to measure (1 pair), so 1 day is est.
# The benchmarks take these settings from the caravans other than the one they score (docs/history/forecast.md, sessions 13-14).
ASSIMILATION_NOISE = NoiseModel(count_sd=0.5, day_sd=1.0)
# Unobserved joining and leaving: sd of a caravan's log size per day between reports,
# learnt from the size reports: each particle draws it log-uniformly in this range and
# the filter weighs and rejuvenates it like a factor (est range: from 1% a day, a crowd
# of 5,000 gaining or losing ~50 people unseen, to 30% a day, above the 0.1-0.4 a day in
# log that the 2018 size reports moved by, Oct 13-27, partly as reports disagree; the three
# caravans' size reports together: 0.36 a sqrt(day), 95 % 0.26-0.58, filter_settings.py).
SIZE_SD_PER_DAY = (0.01, 0.3)
# How fast an unseen change in a caravan's size fades back to the model's own size (a day):
# the walk is an Ornstein-Uhlenbeck process of the log size's deviation (moves.walk_spread),
# half-life a week (est: the caravans of 2018-2024 in caravans.csv reached their peak
# within 1-7 days of setting out, then held or dwindled: a crowd's swings are short-lived).
# The three caravans' 13 size steps cannot tell (filter_settings.py: maximum likelihood 0, 95 % 0-10 a day),
# so the benchmarks keep this week by their rule, without the scored caravan (session 14).
SIZE_REVERSION_PER_DAY = float(np.log(2.0) / 7.0)
# How much a caravan's day's stage varies from day to day: sd of its log (moves.StageNoise;
# est, docs/forecast.md, The method, step 1; the three caravans' legs: 0.35, 95 % 0.25-0.57, filter_settings.py).
STAGE_SD = 0.35
# How long a caravan's fast or slow stretch lasts: its stage's log deviation halves in this
# many days (moves.StageNoise, an AR(1) like the size walk's, step 3; est: a week, as the
# size's swings; the 2021 caravan made ~18 km a day to Arriaga and ~24 km a day after it). The
# three caravans' consecutive legs do not show it (lag-1 r -0.53, 95 % -0.84 to 0.03: filter_settings.py).
STAGE_HALF_LIFE_DAYS = 7.0
# How a reported arrival or departure day is assimilated (moves.REPORTED_DAYS): "once" since
# session 10, by a rule written before it was scored (docs/history/forecast.md, *Session 10: the border*).
REPORTED_DAYS_DEFAULT = "once"


@dataclass
class ForecastRun:
    forecast: Forecast
    assimilation: Assimilation
    observations: Observations  # all it was given; those after the as-of date were held back
    held_back: pa.Table  # check_held_back: empty when nothing after the as-of date is within the horizon
    parameters: pa.Table  # prior and posterior spread of each factor
    metadata: dict
    ensemble: EnsembleResult  # the posterior particles as an ensemble (bands per place, status and day...)
    totals: pa.Table  # returned, deported, detained, settled, crossed, dead, asylum requests: whole run and by place


def parameter_table(assimilation: Assimilation) -> pa.Table:
    """Per factor: its prior range, and P5/P50/P95 over prior members and posterior particles."""
    rows = []
    joint = any(f.outflows is not None for f in assimilation.factors)  # the column only then: default output as before
    for k, factor in enumerate(assimilation.factors):
        prior = quantiles(assimilation.factor_values[:, k])
        posterior = quantiles(assimilation.posterior_factors[:, k], weights=assimilation.posterior_weights)
        rows.append({
            "factor": factor.name, "settings": ", ".join(factor.paths), "low": factor.low, "high": factor.high,
            **({"drawn": drawn(factor)} if joint else {}),
            **{f"prior_{q}": float(prior[i]) for i, q in ((0, "p5"), (2, "p50"), (4, "p95"))},
            **{f"posterior_{q}": float(posterior[i]) for i, q in ((0, "p5"), (2, "p50"), (4, "p95"))},
        })
    return pa.Table.from_pylist(rows)


def run_forecast(
    scenario: Scenario,
    observations: Observations,
    as_of: dt.date,
    horizon: int,
    *,
    particles: int = 100,
    seed: int = 0,
    factors: Sequence[Factor] = (),
    noise: NoiseModel | None = None,
    likelihood: LogLikelihood | None = None,
    backend: Backend | None = None,
    progress: Progress | None = None,
    weights_only: bool = False,
    size_sd_per_day: float | tuple[float, float] = SIZE_SD_PER_DAY,
    size_reversion: float = SIZE_REVERSION_PER_DAY,
    checkpoint: Checkpoint | None = None,
    stage_sd: float = STAGE_SD,
    stage_half_life: float = STAGE_HALF_LIFE_DAYS,
    one_per_source: bool = False,
    resample_at_as_of: bool = False,
    walk_after_as_of: bool = False,
    reported_days: str = REPORTED_DAYS_DEFAULT,
    trace: Trace | None = None,
    passes: int = 1,
    cooling: float = Passes.cooling,
    as_published: bool = False,
    resimulate: int = 0,
) -> ForecastRun:
    """Assimilate the observations up to ``as_of`` and forecast ``horizon`` days on.
    ``observations`` should be checked against the scenario (``check_against``).
    ``weights_only``: no state moves and no parameter rejuvenation (the filter as it was
    before them, for comparison). ``size_sd_per_day``: the size walk's sd a day, fixed,
    or a (low, high) range to learn it in; ``size_reversion``: how fast it reverts to the
    model's own size, a day (0: a random walk); ``stage_sd``: every member's caravans' day's
    stage varies by this sd in log (``moves.StageNoise``; 0: the model's fixed stages). ``one_per_source``:
    the rows of one source on one date weigh as one report (``sources``; off: scored worse, docs/forecast.md).
    ``reported_days``: how a reported arrival or departure day is assimilated (``moves.REPORTED_DAYS``).
    ``trace``: told each report's likelihood per particle (``filter.Trace``; a weight autopsy).
    ``passes``: iterated filtering (IF2, ``passes``): the passes before the last filter the reports up to
    the as-of date, each from the previous one's parameter cloud, perturbations shrinking by ``cooling``
    a pass; 1 (default): the forecast as before. The prior stays the first pass's members.
    ``as_published``: a row published after ``as_of`` (its ``reported`` date, else its day) is not
    assimilated; those about days after ``as_of`` are still held back and scored, the others are
    left out and listed in the metadata (``Observations.as_published``; off: every row dated up to
    ``as_of`` is assimilated, whenever it came out).
    ``resimulate``: K > 0: up to K sweeps of moves by re-simulation after each resampling the ESS
    rule asks for, as many as ``Resimulation.plan`` fixes before they run (``resim``: each copy proposes
    factors from the Liu-West kernel, is run again from day 0 on a fresh seed and is taken by a
    pseudo-marginal Metropolis-Hastings ratio; it replaces Liu-West's rejuvenation); 0 (default): none.
    ``checkpoint``: keep the state there as it goes, and
    start from what is kept there (``filter.Checkpoint``). By default (session 8) the posterior
    particles keep their weights at the as-of date and every summary is weighted, and the size walk
    takes no fresh noise after the as-of date; ``resample_at_as_of=True`` and ``walk_after_as_of=True``
    give session 7's forecast (``filter.assimilate``; docs/forecast.md, *Ancestors*)."""
    started = time.perf_counter()
    schedule = Passes(passes, cooling)
    late: Observations | None = None
    if as_published:
        observations, late = observations.as_published(as_of)
    noise = noise or ASSIMILATION_NOISE
    custom_likelihood = likelihood is not None
    likelihood = likelihood or partial(log_likelihood, noise=noise)
    sd_low, sd_high = size_sd_per_day if isinstance(size_sd_per_day, tuple) else (size_sd_per_day, None)
    move = None if weights_only else SizeMove(noise, sd_low, sd_high, reversion=size_reversion)
    rejuvenate = None if weights_only else LiuWest()
    leave = None if weights_only else LeaveMove(noise)
    position = None if weights_only else PositionMove(noise, reported_days=reported_days)
    resimulation = Resimulation(resimulate) if resimulate and not weights_only else None
    assimilation = assimilate(
        scenario, observations, as_of, horizon, likelihood,
        particles=particles, seed=seed, factors=factors, backend=backend, progress=progress,
        move=move, rejuvenate=rejuvenate, checkpoint=checkpoint, leave=leave, light_scoring=not custom_likelihood,
        position=position, stage_sd=stage_sd, stage_half_life=stage_half_life, one_per_source=one_per_source,
        resample_at_as_of=resample_at_as_of, walk_after_as_of=walk_after_as_of, trace=trace,
        passes=schedule, resimulation=resimulation,
    )
    used, held = observations.split(as_of)
    end = scenario.period.start + dt.timedelta(days=assimilation.end_day)
    ensembles = {"posterior": assimilation.posterior, "prior": assimilation.prior}
    weighted = {} if assimilation.posterior_weights is None else {"posterior": assimilation.posterior_weights}
    with ThreadPoolExecutor(2) as pool:
        # The posterior's ensemble folder, the held-back check with the totals, and the bands are
        # made side by side in threads: their sorts, reductions and spool reads and writes let go of
        # the GIL, so they share the cores the workers have left idle at the forecast's serial end
        # (each is what it was made alone: the same tables).
        named = {"as_of": as_of.isoformat(), "forecast_end": end.isoformat(), "particles": particles,
                 "observations_file": observations.file, "seed": seed}
        ensemble_future = pool.submit(posterior_ensemble, scenario, assimilation, named)
        checked = pool.submit(_checked, ensembles, held, as_of, end, weighted)
        forecast = summarise(scenario, ensembles, assimilation.as_of_day, assimilation.end_day, weighted)
        held_back, totals = checked.result()
        ensemble = ensemble_future.result()
    weights = assimilation.weights_at_as_of
    members = assimilation.posterior_members
    lineage = ancestors(members, assimilation.particle_weights)
    histories = assimilation.posterior_histories if assimilation.posterior_histories is not None else members
    kept = ancestors(histories, assimilation.particle_weights)
    metadata = {
        "scenario": scenario.name,
        "builtin": scenario.builtin,  # whose places' shown names (scenario.names.names_key)
        "as_of": as_of.isoformat(),
        "horizon_days": horizon,
        "forecast_end": forecast.end.isoformat(),
        "particles": particles,
        "seed": seed,
        "observations_file": observations.file,
        "observations_used": len(used),
        "observations_held_back": len(held),
        # no report up to the as-of date: nothing was assimilated, the posterior is the prior (the CLI warns)
        **({} if len(used) else {"without_reports": "no report up to the as-of date: the posterior is the prior"}),
        **({} if late is None else {"published_after_as_of": _late(late)}),
        "stage_sd": stage_sd if scenario.corridor is not None else None,
        "stage_half_life_days": stage_half_life if scenario.corridor is not None else None,
        "likelihood": "custom" if custom_likelihood else {"count_sd": noise.count_sd, "day_sd": noise.day_sd},
        "reported_days": None if position is None else reported_days,
        "reports_of_one_source": "one report (each of k rows tempered by 1/k)" if one_per_source else "independent",
        "posterior": "resampled at the as-of date" if resample_at_as_of else "weighted (not resampled at the as-of date)",
        "size_walk_after_as_of": "fresh noise every day" if walk_after_as_of else "fades, no fresh noise",
        "factors": [{"name": f.name, "settings": list(f.paths), "low": f.low, "high": f.high,
                     "rejuvenated": bool(r) and rejuvenate is not None,
                     **({"drawn": drawn(f)} if f.outflows is not None else {})}  # a joint range is not log-uniform
                    for f, r in zip(factors, retunable(factors))],
        **outflows_record(factors),
        "filter": "weights only" if rejuvenate is None or move is None or position is None else {
            "size_moves": {"reversion_per_day": size_reversion, **({"sd_per_day": size_sd_per_day} if not move.learns_sd else {
                "sd_per_day_prior_range": [sd_low, sd_high],
                "sd_per_day_prior": _spread(assimilation.walk_sd_prior),
                "sd_per_day_posterior": _spread(assimilation.walk_sd)})},
            "liu_west": {"discount": rejuvenate.discount},
            "people_added_by_size_moves": assimilation.resized[0],
            "people_removed_by_size_moves": assimilation.resized[1],
            "people_sent_home_by_returns_moves": assimilation.sent_home,
            "position_moves": {
                "km_sd_per_day_prior_range": [position.km_sd_per_day, position.km_sd_high],
                "km_sd_per_day_prior": _spread(assimilation.km_sd_prior),
                "km_sd_per_day_posterior": _spread(assimilation.km_sd),
                "caravans_moved": assimilation.shifted[0], "people_moved": assimilation.shifted[1]},
        },
        "filter_steps": [
            {"date": s.date.isoformat(), "observations": s.observations, "ess": round(s.ess, 2), "resampled": s.resampled,
             "members": s.members, **({"histories": s.histories, "accepted": s.accepted} if resimulation else {})}
            for s in assimilation.steps
        ],
        "held_back_check": summary_by_ensemble(held_back),
        "ess_at_as_of": None if weights is None else round(float(1.0 / np.sum(weights**2)), 2),
        "distinct_members_in_posterior": len(np.unique(assimilation.posterior_members)),  # any weight, even ~0
        # docs/forecast.md, *Ancestors*: distinct (any weight), weighted (sum of min(1, N W)), effective (Kish)
        "ancestors": {"distinct": lineage["distinct"], "weighted": round(lineage["weighted"], 2),
                      "effective": round(lineage["effective"], 2)},
        # The same over histories: a run the move by re-simulation replaced is a new one (``resim``).
        "histories": {"distinct": kept["distinct"], "weighted": round(kept["weighted"], 2),
                      "effective": round(kept["effective"], 2)},
        **({"resimulation": {"steps": resimulate, "runs": assimilation.resimulated[0],
                             "pilot": assimilation.resimulation_pilot, "accepted": assimilation.resimulated[1],
                             "stopped_early": assimilation.resimulation_stopped[0],
                             "stopped_early_days_saved": assimilation.resimulation_stopped[1]}} if resimulation else {}),
        "member_seeds": [int(s) for s in assimilation.member_seeds],
        **({"passes": _passes(assimilation, schedule)} if passes > 1 else {}),
        "caravana_version": __version__,
        "wall_seconds": round(time.perf_counter() - started, 2),
    }
    return ForecastRun(forecast, assimilation, observations, held_back, parameter_table(assimilation), metadata,
                       ensemble, totals)


def _late(late: Observations) -> dict:
    """``--as-published``'s rows left out: about days up to the as-of date, published after it."""
    return {"count": len(late), "rows": [{"date": r.date.isoformat(), "place": r.place, "quantity": str(r.quantity),
                                          "value": r.value, "reported": r.known_on.isoformat(), "row": r.row}
                                         for r in late]}


def _checked(ensembles: dict[str, list], held: Observations, as_of: dt.date, end: dt.date,
             weighted: dict[str, np.ndarray]) -> tuple[pa.Table, pa.Table]:
    """The held-back reports against the forecast's intervals, and its totals."""
    return check_held_back(ensembles, held, end, weighted), totals_table(ensembles, as_of, end, weighted)


def _passes(assimilation: Assimilation, passes: Passes) -> dict:
    """Iterated filtering in forecast.json: the schedule, and how each pass ended (the last is the forecast's)."""
    each = [{"pass": m, "ancestors_by_weight": round(r.ancestors, 2), "log_likelihood": round(r.log_likelihood, 3),
             "members_after_resampling": [s.members for s in r.steps if s.resampled]}
            for m, r in enumerate(assimilation.passes, start=1)]
    return {"count": passes.count, "cooling": passes.cooling, "jitter": passes.jitter, "before_the_last": each,
            "last_log_likelihood": round(assimilation.log_likelihood, 3),
            "last_member_seeds": [int(s) for s in assimilation.pass_member_seeds]
            if assimilation.pass_member_seeds is not None else None}


def _spread(values: np.ndarray | None) -> dict | None:
    """P5, P50 and P95 of a particle array, rounded for forecast.json."""
    return None if values is None else {f"p{q}": round(float(np.percentile(values, q)), 4) for q in (5, 50, 95)}


def posterior_ensemble(scenario: Scenario, assimilation: Assimilation, metadata: dict) -> EnsembleResult:
    """The posterior particles reduced as an ensemble is: counts per place, status and
    day, outcomes, needs and caravan positions, P5..P95. A member's seed is that of the
    prior member it descends from (it ran on fresh streams after each resampling).
    A weighted posterior is reduced with its weights (the ensemble's weighted bands,
    :mod:`caravana.results.bands`), so ``serve`` and ``report`` show the posterior the
    forecast's own tables summarise; every particle is a member, its weight beside it."""
    seeds = [int(s) for s in assimilation.descendant_seeds]
    ensemble = reduce_members(scenario, assimilation.posterior_outputs, int(metadata["seed"]), seeds,
                              assimilation.posterior_weights)
    ensemble.metadata.update(
        forecast={k: metadata[k] for k in ("as_of", "forecast_end", "particles", "observations_file")},
        note="the posterior particles of a forecast (forecast.json beside it)",
    )
    return ensemble
