"""What a forecaster had on the as-of date: ``forecast_2018.py --known``'s reports, and
``--known --fitted``'s prior (a fit on those reports, as a user would make it).

*Reports* (``--known``, with or without ``--fitted``): a forecast as of D assimilates only
the rows *published* by D (``published.py``, shared with ``forecast_2021.py`` and
``forecast_2023.py``); the held-back rows are those about days after D (published after D by
force). A row about a day up to D published after D is neither assimilated nor scored; the
held-back rows stay those of session 11 (the same denominators).

*Prior* (``--fitted``): the scenario as known on D (``known_prior.known_parts``) is fitted
with ``caravana.calibrate`` (a MAP fit: loss plus the priors' penalty, started at the priors'
medians) to the rows published by D only, then handed to the forecast, as ``calibrate`` then
``forecast --params`` would be. Not every parameter is fitted: a screen first runs the
scenario with each parameter at its prior's low and its high end (the others at their
centre, the same seeds for both ends) and keeps a parameter only if the loss on the
published rows moves by more than ``MIN_EFFECT`` and by more than twice the seeds' noise
(what the reports can see), and at most one parameter per ``ROWS_PER_PARAMETER`` published
rows (the most sensitive first): two reports by Oct 20 cannot pin 18 parameters. The others
keep ``--known``'s prior (centre, drawn over the prior's range). A fitted parameter's
factor spans the spread of the fit's best trials (``CalibrationResult.spread``) around the
fitted value, widened to at least x/÷ ``MIN_SPREAD`` and kept within the prior's bounds.
The fitted reports then weigh the particles once more in the filter: they count twice,
as for a user who calibrates and then forecasts on the same reports.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, replace
from functools import partial

import numpy as np
from known_2018 import Change, print_changes
from known_prior import PARAMS, covers, known_parts, prior_as_known, prior_factors
from published import print_reports

from caravana.calibrate import calibrate
from caravana.calibrate.objective import SimulationTask, simulate_observations
from caravana.calibrate.params import ParamSpec, with_values
from caravana.calibrate.priors import prior_median
from caravana.ensemble.members import member_seeds
from caravana.metrics import Scorer
from caravana.observations import Observations

MIN_EFFECT = 0.05  # est: a fifth of the loss's unit (a count 25 % off, a day late) over a prior's whole range
ROWS_PER_PARAMETER = 2  # est: a parameter pinned by a single report is pinned by that report's noise
MIN_SPREAD = 1.2  # est: a fitted factor still varies by x/÷ 1.2, so the filter can move it
SCREEN_SEEDS = 4


@dataclass(frozen=True)
class Screened:
    spec: ParamSpec
    effect: float  # mean over seeds of loss(high end) - loss(low end)
    noise: float  # its standard error over the seeds
    fitted: bool = False
    why: str = ""


def screen(scenario, reports: Observations, specs: list[ParamSpec], seeds: int = SCREEN_SEEDS,
           seed: int = 0) -> list[Screened]:
    """Which of ``specs`` the ``reports`` can see (module doc), most sensitive first."""
    start = scenario.period.start
    days = (reports.last_date - start).days + 1
    scorer, runs = Scorer(reports, start, days), member_seeds(seed, seeds)
    out = []
    for spec in specs:
        ends = [np.atleast_1d(scorer.loss(np.stack([simulate_observations(SimulationTask(
            with_values(scenario, {spec.path: spec.cast(end)}), s, days, reports)) for s in runs])))
            for end in (spec.low, spec.high)]
        diff = ends[1] - ends[0]
        out.append(Screened(spec, float(diff.mean()), float(diff.std(ddof=1) / np.sqrt(len(diff)))))
    out.sort(key=lambda s: -abs(s.effect))
    room = max(1, len(reports) // ROWS_PER_PARAMETER)
    chosen = []
    for s in out:
        if abs(s.effect) <= MIN_EFFECT:
            why = f"loss moves by {abs(s.effect):.3f} <= {MIN_EFFECT} over the prior's range"
        elif abs(s.effect) <= 2 * s.noise:
            why = f"loss moves by {abs(s.effect):.3f} <= twice the seeds' noise ({s.noise:.3f})"
        elif sum(c.fitted for c in chosen) >= room:
            why = f"seen, but {len(reports)} reports fit at most {room} parameter(s)"
        else:
            why = "fitted"
        chosen.append(replace(s, fitted=why == "fitted", why=why))
    return chosen


def spread_spec(spec: ParamSpec, value: float, spread: dict[str, float]) -> ParamSpec:
    """``spec`` with its bounds narrowed to the fit's spread around ``value`` (module doc)."""
    low = max(spec.low, min(spread["low"], value / MIN_SPREAD))
    high = min(spec.high, max(spread["high"], value * MIN_SPREAD))
    return spec.model_copy(update={"low": low, "high": high})


def fitted_prior(scenario, reports: Observations, as_of: dt.date, *, trials: int, seeds: int, seed: int = 0,
                 outflows: bool = False):
    """(the scenario as known on ``as_of`` fitted to the rows published by then, its factors,
    a printable account). ``reports`` must be checked against the shipped scenario."""
    started, cpu = time.perf_counter(), time.process_time()
    known, fittable, drawn, changes = known_parts(scenario, as_of, PARAMS)
    rows, _ = reports.known_by(as_of)  # the only rows the screen and the fit see
    rows = rows.check_against(known)
    screened = screen(known, rows, fittable, seed=seed)
    free = [s.spec for s in screened if s.fitted]
    result = calibrate(known, rows, free, trials=trials, seeds=seeds, seed=seed, backend="inprocess",
                       start_from=[{spec.path: spec.cast(prior_median(spec)) for spec in free}], map_prior=True)
    fitted = with_values(known, result.fitted)
    narrowed = {spec.path: spread_spec(spec, result.fitted[spec.path], result.spread[spec.path]) for spec in free}
    factors = prior_factors(fitted, [narrowed.get(spec.path, spec) for spec in drawn],
                            {p: result.fitted[p] for p in narrowed}, outflows=outflows)
    account = Account(as_of, len(rows), screened, result, narrowed, time.perf_counter() - started,
                      time.process_time() - cpu, trials, seeds, changes, {s.path for s in drawn})
    return fitted, factors, account


@dataclass
class Account:
    as_of: dt.date
    rows: int
    screened: list[Screened]
    result: object
    narrowed: dict[str, ParamSpec]
    wall: float
    cpu: float
    trials: int
    seeds: int
    changes: list[Change]
    drawn: set[str]  # the parameters a factor draws

    def print(self) -> None:
        print(f"\n--known --fitted: the prior as known on {self.as_of:%b %d} (known_prior), FITTED to the {self.rows} "
              f"reports published by then (MAP, {self.trials} trials x {self.seeds} seeds, in-process: "
              f"{self.wall:.0f} s wall, {self.cpu:.0f} s CPU, shared machine)")
        print(f"  screen (loss on those reports at the prior's high end minus its low end, {SCREEN_SEEDS} seeds):")
        for s in self.screened:
            print(f"    {s.spec.label:22s} {s.effect:+7.3f} ± {s.noise:.3f}  {s.why}")
        fit = self.result
        print(f"  fitted (best trial loss {fit.best.fit_loss:.3f} + penalty {fit.best.penalty:.3f}); the factor "
              f"spans the best {next(iter(fit.spread.values()))['trials'] if fit.spread else 0} trials' spread, at least x/÷ "
              f"{MIN_SPREAD}:")
        for spec in fit.params:
            n = self.narrowed[spec.path]
            drawn = "drawn" if spec.path in self.drawn else "fixed (not drawn by a factor)"
            print(f"    {spec.label:22s} {fit.fitted[spec.path]:9.4g} (prior centre {spec.centre():.4g}, "
                  f"{spec.low:g}-{spec.high:g}); {drawn} over {n.low:.4g}-{n.high:.4g}")
        print_changes(self.marked_changes(), self.as_of)

    def marked_changes(self) -> list[Change]:
        """The changes, a refitted row whose parameters were fitted here saying so (not "NOT fitted")."""
        fit = self.result
        out = []
        for c in self.changes:
            mine = [spec for spec in fit.params if c.action == "refitted" and covers(c.setting, spec.path)]
            out.append(replace(c, how="FITTED above: " + "; ".join(
                f"{spec.label} = {fit.fitted[spec.path]:.4g}" for spec in mine)) if mine else c)
        return out


def known_fitted(scenario, as_of: dt.date, reports: Observations, *, trials: int, seeds: int, seed: int = 0,
                 outflows: bool = False):
    """``--known --fitted``'s prior and reports for ``as_of``: (scenario, factors, reports)."""
    fitted, factors, account = fitted_prior(scenario, reports, as_of, trials=trials, seeds=seeds, seed=seed,
                                            outflows=outflows)
    account.print()
    print_reports(reports, as_of)
    return fitted, factors, reports.as_published(as_of)[0]


def known(scenario, as_of: dt.date, reports: Observations, outflows: bool = False):
    """``--known``'s prior and reports for ``as_of``: (scenario, factors, reports)."""
    prior, factors = prior_as_known(scenario, as_of, outflows)
    print_reports(reports, as_of)
    return prior, factors, reports.as_published(as_of)[0]


def prior_for(args):
    """The ``prior(scenario, as_of, reports)`` of ``forecast_2018.py``'s options."""
    if args.fitted:
        return partial(known_fitted, trials=args.fit_trials, seeds=args.fit_seeds, seed=args.fit_seed,
                       outflows=args.joint_outflows)
    return partial(known, outflows=args.joint_outflows)
