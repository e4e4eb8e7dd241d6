"""Where a forecast particle-day's CPU goes, function by function: cProfile over particles run 60 days.

    python benchmarks/particle_day_profile.py [--particles 20] [--days 60] [--top 45]

The particles are ``particle_cost.py``'s (the built-in ``corridor``, its real size, the default
factors drawn as ``caravana forecast`` draws them, seed 1), built, stepped one day (kernels
loaded), then stepped ``--days`` days under cProfile with a CPU timer (``time.process_time``).
Prints the CPU a particle-day without and with the profiler, then the caravana functions by self
time (calls a particle-day, self and cumulative microseconds a particle-day). The profiler's own
overhead inflates code made of many small Python calls: read the shares, not the totals, and
time a function of interest without the profiler (``particle_cost.py`` per behaviour).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time

from caravana import load_scenario
from caravana.engine.rng import make_stream
from caravana.ensemble.members import member_seeds
from caravana.forecast import default_factors
from caravana.forecast.parameters import draw_factors, scenario_with
from caravana.model import simulation


def particles(n: int, seed: int, days: int):
    scenario = load_scenario("corridor")
    factors = default_factors(scenario)
    values = draw_factors(factors, n, make_stream(seed, "particle_cost"))
    return [simulation(scenario_with(scenario, factors, v), seed=int(k), days=days + 1)
            for v, k in zip(values, member_seeds(seed, n))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--particles", type=int, default=20)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--top", type=int, default=45)
    args = parser.parse_args(argv)
    n_days = args.particles * args.days
    print(f"{args.particles} particles x {args.days} days, seed {args.seed}, load {os.getloadavg()[0]:.1f}")
    for profiled in (False, True):
        sims = particles(args.particles, args.seed, args.days)
        for sim in sims:
            sim.step()  # (day 0: kernels loaded)
        profile = cProfile.Profile(time.process_time)
        t = time.process_time()
        if profiled:
            profile.enable()
        for sim in sims:
            for _ in range(args.days - 1):
                sim.step()
        if profiled:
            profile.disable()
        cpu = (time.process_time() - t) / (args.particles * (args.days - 1))
        print(f"{'with' if profiled else 'without'} the profiler: {1000 * cpu:.3f} ms a particle-day (days 1-{args.days - 1})")
    n_days = args.particles * (args.days - 1)
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    rows = [(tt, ct, nc, f"{os.path.basename(file)}:{line}({name})")
            for (file, line, name), (_, nc, tt, ct, _) in stats.items() if "caravana" in file]
    print(f"{'calls/day':>9} {'self us':>8} {'cum us':>8}  function (caravana's, by self time; a particle-day)")
    for tt, ct, nc, where in sorted(rows, reverse=True)[: args.top]:
        print(f"{nc / n_days:9.1f} {1e6 * tt / n_days:8.1f} {1e6 * ct / n_days:8.1f}  {where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
