"""Forecast the October 2018 caravan from Oct 24, and check it against Oct 25-31.

    python benchmarks/forecast_2018.py [--particles 200] [--seed 1] [--workers 1]
                                       [--plot docs/img/forecast_2018-10-24.png] [--also-fixed]

Runs ``caravana forecast``'s pipeline on the built-in ``corridor`` scenario with
the built-in 2018 observations (``observations_2018.csv``, from the dated
timeline): the particle filter uses the reports up to and including Oct 24, then
every particle runs on to the end of the scenario (Dec 10), past the US border at
Tijuana. It prints

- the arrival window (P5-P95 of the day the caravan's main body gets there),
  head-counts and needs at every place ahead up to the border, posterior and prior;
- the filter: effective sample size per report date, resampling, and what the
  reports did to the parameter factors (leave rate, pace, rest, joiners);
- the reports dated Oct 25-31 (never seen by the filter) against the P5-P95
  intervals of the posterior and of the prior: hit or miss, interval width and
  interval score (lower is better);
- wall time, particle-days per second and peak memory (this machine is shared:
  timings are contended).

``--also-fixed`` repeats the forecast with only the seed varying (no parameter
factors), to show what carrying parameters in the particles adds.
The plot goes to ``--plot``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import time
from pathlib import Path

os.environ.setdefault("COLUMNS", "160")  # wide tables when the output is not a terminal

from caravana import load_scenario
from caravana.cli.forecast import print_forecast
from caravana.ensemble import get_backend
from caravana.forecast import default_factors, run_forecast
from caravana.forecast.filter import particle_days
from caravana.forecast.plot import plot_forecast, save_figure
from caravana.observations import read_observations
from caravana.scenario.load import BUILTIN_DIR

AS_OF = dt.date(2018, 10, 24)
OBSERVATIONS = BUILTIN_DIR / "corridor" / "observations_2018.csv"
DEFAULT_PLOT = Path(__file__).resolve().parent.parent / "docs" / "img" / "forecast_2018-10-24.png"


def forecast(scenario, reports, particles: int, seed: int, workers: int, factors):
    horizon = (scenario.period.start + dt.timedelta(days=scenario.period.days - 1) - AS_OF).days  # to Dec 10
    kind = "inprocess" if workers == 1 else "processes"
    with get_backend(kind, workers=workers) as backend:
        started = time.perf_counter()
        run = run_forecast(scenario, reports, AS_OF, horizon, particles=particles, seed=seed, factors=factors,
                           backend=backend)
        seconds = time.perf_counter() - started
    return run, seconds, particle_days(particles, run.assimilation.end_day)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--particles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="1: in this process; more: local processes")
    parser.add_argument("--plot", type=Path, default=DEFAULT_PLOT)
    parser.add_argument("--also-fixed", action="store_true", help="also run with only the seed varying")
    args = parser.parse_args(argv)

    scenario = load_scenario("corridor")
    reports = read_observations(OBSERVATIONS).check_against(scenario)
    run, seconds, work = forecast(scenario, reports, args.particles, args.seed, args.workers, default_factors(scenario))
    print_forecast(run)
    save_figure(plot_forecast(run), args.plot)
    print(f"\nplot: {args.plot}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"timing: {args.particles} particles x 2 (posterior and prior) x {run.assimilation.end_day + 1} days "
          f"= {work:,} particle-days in {seconds:.1f} s ({work / seconds:,.0f} particle-days/s, "
          f"{'in-process' if args.workers == 1 else f'{args.workers} worker processes'}); "
          f"peak memory {peak:.2f} GiB")
    if args.also_fixed:
        fixed, seconds, _ = forecast(scenario, reports, args.particles, args.seed, args.workers, [])
        print("\nthe same forecast with only the seed varying (no parameter factors):")
        for ensemble, s in fixed.metadata["held_back_check"].items():
            print(f"  {ensemble}: {s['hits']}/{s['reports']} held-back reports inside P5-P95; "
                  f"days: width {s['day_width']:.1f}, score {s['day_interval_score']:.1f}; "
                  f"counts: width {s['count_width']:.0%}, score {s['count_interval_score']:.2f}")
        print(f"  posterior particles descend from {fixed.metadata['distinct_members_in_posterior']} members "
              f"({seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
