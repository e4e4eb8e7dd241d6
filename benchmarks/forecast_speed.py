"""Speed of a whole forecast: 200 particles over the 2018 scenario's 60 days, in one
process and on 2 worker processes, with the same result.

    python benchmarks/forecast_speed.py [--particles 200] [--as-of 2018-10-24]
        [--until 2018-12-10] [--workers 1 2] [--seed 1] [--resimulate 0] [--where]

Issue 12's target: a 200-particle forecast over 60 days in under a minute (wall) on two
cores. For each worker count (1: everything in this process; more: the ``processes``
backend) it runs ``caravana forecast``'s pipeline (``run_forecast``: filter, prior,
continuation, summaries, held-back check, totals, posterior ensemble) on the built-in
``corridor`` scenario and the 2018 reports, and prints

- wall time of the whole forecast, CPU time of this process and of its worker
  processes (read from /proc while they live, with the move's workers, ``forecast.shards``,
  which end before: their fork server reaped them), CPU per particle-day;
- the machine's load average (1 minute) before and after, and its number of cores: on
  a shared machine wall time is contended, CPU time much less;
- whether the forecast (daily bands, places, parameters, totals) is the same as the
  first worker count's, table by table, and a digest of those tables, to compare runs made
  in separate processes (``--workers 1`` and ``--workers 2`` timed whole, each by itself).

``--resimulate K``: the move by re-simulation (``caravana forecast --resimulate``; default 0,
the command's default); its runs are counted in the particle-days (the progress's total)
and their number, the accepted ones and those refused early (session 18, ``forecast/early.py``)
printed. On 2 workers they are made by worker processes of their own (session 17; in this process before).

``--where`` (2+ workers): where the move's wall time goes, instruction by instruction and trial by
trial: each worker's busy seconds, the time one waits for the others, the rounds' overhead, the bytes
shipped, the parent's serial work, the cores kept busy (``move_where.py``; it pickles the instructions
itself, as the pipes do: the same forecast).

Not timed: importing caravana and loading the scenario (as ``caravana forecast`` pays
them once, about a second; see ``benchmarks/startup.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import time
from contextlib import nullcontext

import numpy as np
from forecast_2018 import LAST_REPORT, OBSERVATIONS, cpu_seconds, descendants_cpu, reports_until
from move_where import Where

from caravana import load_scenario
from caravana.ensemble import get_backend
from caravana.forecast import default_factors, run_forecast
from caravana.forecast.filter import particle_days


def tables(run) -> dict:
    """The forecast's tables as Python values (NaN compares equal to NaN below)."""
    named = {"daily": run.forecast.daily, "places": run.forecast.places, "parameters": run.parameters,
             "totals": run.totals}
    return {name: table.to_pydict() for name, table in named.items()}


def same(a: dict, b: dict) -> bool:
    try:
        np.testing.assert_equal(a, b)
    except AssertionError:
        return False
    return True


def digest(named: dict) -> str:
    """A short hash of the forecast's tables (their values as printed by repr: NaN is 'nan')."""
    return hashlib.sha256(repr(sorted(named.items())).encode()).hexdigest()[:16]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--particles", type=int, default=200)
    parser.add_argument("--as-of", default="2018-10-24")
    parser.add_argument("--until", default="2018-12-10", help="last forecast day (default: the scenario's 60th)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--resimulate", type=int, default=0, help="moves by re-simulation after a resampling (default 0)")
    parser.add_argument("--where", action="store_true",
                        help="on 2+ workers, time the move's workers round by round (move_where.py; adds pickling)")
    args = parser.parse_args(argv)
    scenario = load_scenario("corridor")
    reports = reports_until(scenario, OBSERVATIONS, LAST_REPORT)
    as_of, until = dt.date.fromisoformat(args.as_of), dt.date.fromisoformat(args.until)
    days = (until - scenario.period.start).days + 1
    print(f"corridor, {args.particles} particles, {days} days ({scenario.period.start} to {until}), as of {as_of}, "
          f"seed {args.seed}, --resimulate {args.resimulate}; {os.cpu_count()} cores")
    first = None
    for workers in args.workers:
        load_before = os.getloadavg()[0]
        totals: list[int] = []
        where = Where() if args.where and workers > 1 else None
        with get_backend("inprocess" if workers == 1 else "processes", workers=workers) as backend, \
                where.installed() if where is not None else nullcontext():
            wall, cpu, children = time.perf_counter(), cpu_seconds(), descendants_cpu()
            run = run_forecast(scenario, reports, as_of, (until - as_of).days, particles=args.particles,
                               seed=args.seed, factors=default_factors(scenario), backend=backend,
                               resimulate=args.resimulate, progress=lambda _done, total, seen=totals: seen.append(total))
            children = descendants_cpu() - children  # before the pool closes
            wall = time.perf_counter() - wall
        here = cpu_seconds()[0] - cpu[0]
        # The progress's last total: the particle-days foreseen plus the move's runs.
        work = totals[-1] if totals else particle_days(args.particles, run.assimilation.end_day)
        resimulated = run.metadata.get("resimulation")
        this = tables(run)
        note = f"; forecast digest {digest(this)}"
        if resimulated:
            note += (f"; re-simulated runs {resimulated['runs']:,} (pilot {resimulated.get('pilot', 0):,}), "
                     f"accepted {resimulated['accepted']:,}, stopped early {resimulated.get('stopped_early', 0):,} "
                     f"({resimulated.get('stopped_early_days_saved', 0):,} particle-days not stepped)")
        if first is None:
            first = this
        else:
            differ = [name for name, table in this.items() if not same(table, first[name])]
            note += f"; same forecast as {args.workers[0]} worker(s): " + ("yes" if not differ else
                                                                          "NO, differs in " + ", ".join(differ))
        print(f"{workers} worker(s){' (in this process)' if workers == 1 else ''}: wall {wall:.1f} s; "
              f"CPU {here:.1f} s here + {children:.1f} s in workers = {here + children:.1f} s "
              f"({1000 * (here + children) / work:.2f} ms per particle-day, {work:,} particle-days); "
              f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after{note}")
        if where is not None:
            print("\n".join(where.report(wall, os.cpu_count() or 1)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
