"""Calibrate the October 2018 caravan with honest cross-validation.

    python benchmarks/calibrate_corridor_2018.py [--trials 150] [--seeds 4] [--eval-seeds 8]
                                                 [--workers 2] [--backend processes] [--seed 0]
                                                 [--fit-until 2018-10-24] [--warm-start]
                                                 [--start FILE.yml ...] [--around 2]
    python benchmarks/calibrate_corridor_2018.py --blind [--trials 600] [--seeds 3] [--eval-seeds 8]
                                                 [--plan examples/params/corridor_2018_blind.yml]

``--warm-start`` makes the shipped values (scenario.yml) the first trial and ``--start``
adds other starting points (a YAML mapping: parameter path -> value), so a refit explores
from where the last fit ended; ``--around F`` narrows each prior to [v / F, v x F] around
the first starting point (the first ``--start``, else the shipped values; within the prior),
a local refit.

``--fit-until 2018-10-31`` fits to every report (nothing held back): how the values shipped in
scenario.yml (``cal`` rows of provenance_2018.csv) were set.

Fits the parameters of ``examples/params/corridor_2018.yml`` (wide bounds, not centred
on the hand-set values) to the observations of ``observations_2018.csv`` dated up to
Oct 24, and scores on fresh seeds, separately for the fitted days (Oct 12-24) and the
held-back days (Oct 25-31):

- *before*: every parameter at the centre of its prior (what you know with no fit);
- *after*: the calibrated values (best trial);
- *hand-set*: the built-in scenario as shipped. Its values were set by hand against
  the whole timeline to Oct 31, held-back days included, so its held-back error is a
  reference, not a fair competitor.

Prints the fitted values with their spread over the best trials, the loss table, the
held-back observations one by one, and the wall time. Nothing is asserted here: the
figures are what they are.

``--blind``: the blind check as a MAP fit. The scenario as it could have been written on
Oct 24 (``known_2018.as_known_on``); the settings the reports to Oct 24 cannot identify
fixed from another caravan or a general fact (``--plan``, each with its source); the other
parameters of ``--params`` fitted as a MAP fit (``caravana.calibrate.priors``: loss plus
the priors' penalty, the search starting at the priors' medians) to the rows *published*
by Oct 24 only (``Observations.known_by``: the fit is never given a row reported later).
Then the fitted scenario runs on fresh seeds and is scored on every other row (Oct 25-31,
and earlier days reported later): dates within +-1 day and counts within +-25 % of the
mean over seeds, as ``corridor_2018.py`` scores them. ``--save`` writes the fitted values,
the verdicts and the settings as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

import numpy as np
import yaml
from corridor_2018 import print_verdicts, run_values, verdicts  # benchmarks/ is on the path when run as a script
from known_2018 import as_known_on, blind_observations, print_changes, print_late_reports

from caravana import load_scenario
from caravana.calibrate import calibrate, read_params
from caravana.calibrate.params import given_values, with_values
from caravana.calibrate.priors import prior_median, read_plan, z_score
from caravana.ensemble import get_backend
from caravana.observations import read_observations
from caravana.scenario.load import BUILTIN_DIR

ROOT = Path(__file__).resolve().parent.parent
OBSERVATIONS = BUILTIN_DIR / "corridor" / "observations_2018.csv"
PARAMS = ROOT / "examples" / "params" / "corridor_2018.yml"
PLAN = ROOT / "examples" / "params" / "corridor_2018_blind.yml"
FIT_UNTIL = dt.date(2018, 10, 24)
NAMES = {"prior centre": "before (prior centre)", "fitted": "after (calibrated)", "given": "hand-set (reference)"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=150)
    parser.add_argument("--seeds", type=int, default=4, help="seeds per trial")
    parser.add_argument("--eval-seeds", type=int, default=8, help="fresh seeds for the before/after scores")
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backend", default="processes", choices=["inprocess", "processes", "dask"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fit-until", type=dt.date.fromisoformat, default=FIT_UNTIL, help="last report date fitted")
    parser.add_argument("--params", type=Path, default=PARAMS, help="the parameters to fit (the others keep scenario.yml's values)")
    parser.add_argument("--warm-start", action="store_true", help="the shipped values are the first trial")
    parser.add_argument("--start", type=Path, action="append", default=[],
                        help="a YAML mapping (parameter path -> value): another starting point")
    parser.add_argument("--around", type=float, help="narrow each prior to [v/F, v*F] around the first starting point")
    parser.add_argument("--blind", action="store_true", help="the blind check: a MAP fit on the reports published by "
                        "--fit-until, scored on the others")
    parser.add_argument("--plan", type=Path, default=PLAN, help="(--blind) the fixed settings and priors")
    parser.add_argument("--save", type=Path, help="(--blind) write the fit and the verdicts here (JSON)")
    args = parser.parse_args(argv)
    if args.blind:
        return blind(args)

    scenario = load_scenario("corridor")
    observations = read_observations(OBSERVATIONS)
    params = read_params(args.params)
    # The --start files first: --around narrows the priors around the first one (else the shipped values).
    starts = [_read_start(p) for p in args.start] + ([given_values(params, scenario)] if args.warm_start else [])
    if args.around:
        if not starts:
            parser.error("--around needs --warm-start or --start")
        params = around(params, starts[0], args.around)
    if args.fit_until < dt.date(2018, 10, 31):  # nothing reported after the fit's last report
        scenario, changes = as_known_on(scenario, args.fit_until, {spec.path for spec in params})
        print_changes(changes, args.fit_until)
        print_late_reports(observations, args.fit_until)
        observations, _ = blind_observations(observations, args.fit_until)  # (those reported later: not fitted)
    started = time.perf_counter()
    with get_backend(args.backend, workers=None if args.backend == "inprocess" else args.workers) as backend:
        result = calibrate(
            scenario, observations, params, trials=args.trials, seeds=args.seeds,
            fit_until=None if args.fit_until >= observations.last_date else args.fit_until,
            seed=args.seed, batch=args.batch, eval_seeds=args.eval_seeds, backend=backend, start_from=starts,
        )
    wall = time.perf_counter() - started
    s = result.settings
    print(f"corridor 2018: {args.trials} trials x {args.seeds} seeds, fit on {s['fitted_observations']} observations "
          f"to {min(args.fit_until, observations.last_date):%b %d}, {s['held_back_observations']} held back; "
          f"scores on {args.eval_seeds} fresh seeds; {s['method']}")
    if starts:
        print(f"started from {len(starts)} point(s): " + ", ".join(
            [str(p) for p in args.start] + (["the shipped values"] if args.warm_start else []))
            + (f"; priors narrowed to x/÷ {args.around:g} around the first" if args.around else ""))
    print(f"backend {s['backend']}; wall {wall:.1f} s (search {s['search_seconds']:.1f} s), shared 2-core machine\n")

    given = result.evaluation("given").values
    best = result.spread[params[0].path]["trials"]
    print(f"{'parameter':22s} {'prior':>16s} {'hand-set':>9s} {'fitted':>9s}   spread (best {best} trials)")
    for spec in params:
        spread = result.spread[spec.path]
        print(f"{spec.label:22s} {f'{spec.low:g}-{spec.high:g}':>16s} {given[spec.path]:9.4g} "
              f"{result.fitted[spec.path]:9.4g}   {spread['low']:.4g} - {spread['high']:.4g}")

    print(f"\nloss (mean ± sd over {args.eval_seeds} seeds; counts: range error, days: 0.25 a day)")
    print(f"{'':24s} {'fitted days':>16s} {'held-back days':>16s}")
    for name in ("prior centre", "fitted", "given"):
        e = result.evaluation(name)
        loss = [f"{e.loss.get(p, np.nan):8.3f} ± {e.loss_sd.get(p, np.nan):5.3f}" for p in ("fitted", "held back")]
        print(f"{NAMES[name]:24s} " + " ".join(loss))

    print("\nheld-back observations (simulated: mean over seeds; error: range error, or days late (+) / early (-))")
    runs = "   ".join(f"{n:>17s}" for n in ("before", "after", "hand-set"))
    print(f"{'date':7s} {'quantity':16s} {'place':22s} {'observed':>12s}   " + runs)
    tables = {name: result.evaluation(name).table.to_pylist() for name in ("prior centre", "fitted", "given")}
    for i, row in enumerate(tables["fitted"]):
        if row["part"] != "held back":
            continue
        observed = _observed(row)
        cells = []
        for name in ("prior centre", "fitted", "given"):
            r = tables[name][i]
            cells.append(f"{_value(r):>9s} {r['error']:+7.2f}")
        print(f"{row['date']:%b %d}  {row['quantity']:16s} {row['place'] or '(all)':22s} {observed:>12s}   " + "   ".join(cells))
    return 0


def blind_fit(scenario, observations, params, plan, until: dt.date, *, trials: int, seeds: int, eval_seeds: int,
              seed: int = 0, backend="inprocess"):
    """The blind check's fit: (the scenario as known on ``until`` with the fixed and fitted
    values set, the calibration, the rows it was not given, the changes to the scenario).

    The calibration is given only the rows published by ``until``; the others are returned
    for scoring and nothing in the fit reads them."""
    free, fixed = plan.apply(params)
    scenario, changes = as_known_on(scenario, until, {spec.path for spec in params})
    scenario = with_values(scenario, fixed)
    known, unknown = observations.check_against(scenario).known_by(until)
    medians = {spec.path: spec.cast(prior_median(spec)) for spec in free}
    result = calibrate(scenario, known, free, trials=trials, seeds=seeds, seed=seed, eval_seeds=eval_seeds,
                       backend=backend, start_from=[medians], map_prior=True)
    return with_values(scenario, result.fitted), result, unknown, changes


def blind(args) -> int:
    """The blind check (module doc, ``--blind``)."""
    params, plan = read_params(args.params), read_plan(args.plan)
    observations = read_observations(OBSERVATIONS)
    started = time.process_time()
    fitted, result, scored, changes = blind_fit(
        load_scenario("corridor"), observations, params, plan, args.fit_until, trials=args.trials,
        seeds=args.seeds, eval_seeds=args.eval_seeds, seed=args.seed)
    s = result.settings
    seeds = s["evaluation_seed_list"]
    start = fitted.period.start
    days = (scored.last_date - start).days + 1
    rows = verdicts(scored, run_values(fitted, scored, seeds, days=days), start, days)
    cpu = time.process_time() - started
    print(f"BLIND CHECK (MAP): {len(result.params)} parameters of {args.params.name} fitted to the {s['fitted_observations']} "
          f"reports published by {args.fit_until:%b %d} ({s['method']}; {args.trials} trials x {args.seeds} seeds, "
          f"objective: {s['objective']}); {len(plan.fixed)} fixed by {args.plan.name}; scored on {len(seeds)} fresh "
          f"seeds; {cpu:.0f} s CPU (in-process)")
    print("fixed (not identified by the reports to the day):")
    for f in plan.fixed:
        print(f"  {f.path} = {f.value:g}: {f.source}")
    print(f"{'fitted':24s} {'value':>9s} {'prior median':>12s} {'z':>6s}   bounds")
    for spec in result.params:
        v = result.fitted[spec.path]
        print(f"  {spec.label:22s} {v:9.4g} {prior_median(spec):12.4g} {z_score(spec, v):+6.2f}   {spec.low:g}-{spec.high:g}")
    best = result.best
    print(f"best trial: loss {best.fit_loss:.3f} + penalty {best.penalty:.4f} over {len(best.losses)} seeds")
    print_changes([c for c in changes if c.action != "kept"], args.fit_until)
    print_late_reports(observations, args.fit_until)
    print(f"\nthe reports not published by {args.fit_until:%b %d} (never given to the fit), on {len(seeds)} fresh seeds:")
    print_verdicts(rows)
    if args.save:
        args.save.write_text(json.dumps({
            "fitted": result.fitted, "fixed": {f.path: f.value for f in plan.fixed}, "settings": s,
            "verdicts": [{k: (str(v) if isinstance(v, dt.date) else v) for k, v in r.items()} for r in rows],
        }, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


def _read_start(path: Path) -> dict[str, float]:
    with open(path, encoding="utf-8") as f:
        return {str(k): float(v) for k, v in yaml.safe_load(f).items()}


def around(params, centre: dict[str, float], factor: float):
    """Each prior narrowed to [v / factor, v * factor] around ``centre`` (within the prior)."""
    out = []
    for spec in params:
        v = centre[spec.path]
        low, high = max(spec.low, v / factor), min(spec.high, v * factor)
        if high <= low:  # the centre at a bound of the prior: keep a sliver inside it
            low, high = (spec.low, spec.low * factor) if v <= spec.low else (spec.high / factor, spec.high)
        out.append(spec.model_copy(update={"low": low, "high": high}))
    return out


def _observed(row: dict) -> str:
    if row["unit"] == "day":
        return "reported"
    if row["low"] == row["high"]:
        return f"{row['observed']:,.0f}"
    return f"{row['low']:,.0f}-{row['high']:,.0f}"


def _value(row: dict) -> str:
    if row["unit"] == "day":
        return "never" if np.isnan(row["simulated"]) else f"day {row['simulated']:.1f}"
    return f"{row['simulated']:,.0f}"


if __name__ == "__main__":
    raise SystemExit(main())
