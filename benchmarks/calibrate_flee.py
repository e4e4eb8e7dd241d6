"""Calibrate Flee's movement settings on a Flee validation case, and score the days not fitted.

    python benchmarks/calibrate_flee.py [--scenario mali2012] [--fit-days 150] [--trials 60]
                                        [--seeds 2] [--eval-seeds 4] [--workers 2] [--flee31-seeds 0]

Fits the settings of ``examples/params/<scenario>.yml`` (camp and conflict weights, move
chances, awareness) to the scenario's UNHCR camp counts on the first ``--fit-days`` days,
then reports Flee's averaged relative difference (ARD) on the days after them, on fresh
seeds, for:

- *Flee 3.1 default*: the scenario's own settings (its simsetting.yml read with Flee 3.1's
  rules), which caravana reproduces (ARD parity, README);
- *prior centre*: every fitted setting at the middle of its range (no fit);
- *calibrated*: the fitted settings.

With ``--flee31-seeds N`` (needs ``pip install --no-deps flee==3.1``; minutes per run),
the real Flee 3.1 also runs N seeds with its default settings and its ARD on the same
held-back days is printed as a second reference. Nothing is asserted: the figures are
what they are.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np

from caravana import load_scenario
from caravana.calibrate import calibrate, read_params
from caravana.ensemble import get_backend
from caravana.metrics import averaged_relative_difference
from caravana.observations import camp_observations
from caravana.scenario.load import builtin_path

ROOT = Path(__file__).resolve().parent.parent
NAMES = {"given": "Flee 3.1 default", "prior centre": "prior centre (no fit)", "fitted": "calibrated"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="mali2012", help="a built-in Flee case with examples/params/<name>.yml")
    parser.add_argument("--fit-days", type=int, default=150, help="fit on days 0..N-1, score the rest")
    parser.add_argument("--trials", type=int, default=60)
    parser.add_argument("--seeds", type=int, default=2, help="seeds per trial")
    parser.add_argument("--eval-seeds", type=int, default=4, help="fresh seeds for the scores")
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backend", default="processes", choices=["inprocess", "processes", "dask"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--flee31-seeds", type=int, default=0, help="also run the real Flee 3.1 (slow)")
    args = parser.parse_args(argv)

    scenario = load_scenario(args.scenario)
    params = read_params(ROOT / "examples" / "params" / f"{args.scenario}.yml")
    observations = camp_observations(scenario)
    fit_until = scenario.period.start + dt.timedelta(days=args.fit_days - 1)
    started = time.perf_counter()
    with get_backend(args.backend, workers=None if args.backend == "inprocess" else args.workers) as backend:
        result = calibrate(
            scenario, observations, params, trials=args.trials, seeds=args.seeds, fit_until=fit_until,
            seed=args.seed, batch=args.batch, eval_seeds=args.eval_seeds, backend=backend,
        )
    wall = time.perf_counter() - started
    s = result.settings
    days = scenario.period.days
    print(f"{args.scenario}: {args.trials} trials x {args.seeds} seeds, fit on days 0-{args.fit_days - 1} "
          f"(to {fit_until}), held back days {args.fit_days}-{days - 1}; scores on {args.eval_seeds} fresh seeds; "
          f"{s['method']}")
    print(f"backend {s['backend']}; wall {wall:.1f} s (search {s['search_seconds']:.1f} s), shared 2-core machine\n")

    given = result.evaluation("given").values
    best = result.spread[params[0].path]["trials"]
    print(f"{'setting':22s} {'range':>14s} {'Flee 3.1':>9s} {'fitted':>9s}   spread (best {best} trials)")
    for spec in params:
        spread = result.spread[spec.path]
        print(f"{spec.label:22s} {f'{spec.low:g}-{spec.high:g}':>14s} {given[spec.path]:9.4g} "
              f"{result.fitted[spec.path]:9.4g}   {spread['low']:.4g} - {spread['high']:.4g}")

    print(f"\nFlee's ARD (mean ± sd over {args.eval_seeds} seeds; lower is better)")
    print(f"{'':24s} {f'fitted days 0-{args.fit_days - 1}':>20s} {f'held-back days {args.fit_days}-{days - 1}':>22s}")
    for name in ("given", "prior centre", "fitted"):
        e = result.evaluation(name)
        print(f"{NAMES[name]:24s} " + "   ".join(f"{e.loss[p]:9.4f} ± {e.loss_sd[p]:.4f}" for p in ("fitted", "held back")))
    if args.flee31_seeds:
        fitted_ard, held_ard, flee_wall = flee31_ard(args.scenario, args.fit_days, args.flee31_seeds)
        print(f"{'Flee 3.1 itself':24s} {_mean_sd(fitted_ard):>20s}   {_mean_sd(held_ard):>19s}"
              f"   ({args.flee31_seeds} seeds, {flee_wall:.0f} s)")
    return 0


def flee31_ard(name: str, fit_days: int, seeds: int) -> tuple[list[float], list[float], float]:
    """ARD of the real Flee 3.1 (default settings) on the fitted and the held-back days."""
    sys.path.insert(0, str(Path(__file__).parent))
    from flee31_reference import run_flee31_isolated

    fitted, held = [], []
    started = time.perf_counter()
    for seed in range(seeds):
        run = run_flee31_isolated(builtin_path(name), seed=seed)
        fitted.append(averaged_relative_difference(run.sim[:fit_days], run.data[:fit_days])[0])
        held.append(averaged_relative_difference(run.sim[fit_days:], run.data[fit_days:])[0])
    return fitted, held, time.perf_counter() - started


def _mean_sd(values: list[float]) -> str:
    a = np.asarray(values)
    return f"{a.mean():.4f} ± {a.std(ddof=1) if len(a) > 1 else 0.0:.4f}"


if __name__ == "__main__":
    raise SystemExit(main())
