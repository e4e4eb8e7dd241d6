"""CPU time of reducing a forecast's posterior into its ensemble folder: with the particles'
weights (session 9) against the same members without weights (the ensemble's reduction,
which session 8's systematic draw ran on as many members).

    python benchmarks/forecast_folder.py [--particles 40] [--members 200] [--rounds 3] [--seed 1]

One forecast of the 2018 caravan (built-in corridor and reports, as of Oct 24, 60 days,
``--particles`` particles, in this process) gives the posterior particles' outputs; they
are repeated to ``--members`` members (a 200-particle posterior's size: the reduction's cost
depends on the members and cells, not on which runs they are) with the particles' weights
repeated and normalised. Then ``reduce_members`` runs alternately without and with the
weights, ``--rounds`` times each (ABBA order), and this prints each round's process CPU
time and the medians. Reported with the machine's load average (CPU time is what is
compared; wall time is contended on a shared machine).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time

import numpy as np
from forecast_2018 import LAST_REPORT, OBSERVATIONS, reports_until

from caravana import load_scenario
from caravana.ensemble.runner import reduce_members
from caravana.forecast import default_factors, run_forecast


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--particles", type=int, default=40)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    scenario = load_scenario("corridor")
    reports = reports_until(scenario, OBSERVATIONS, LAST_REPORT)
    as_of, until = dt.date(2018, 10, 24), dt.date(2018, 12, 10)
    run = run_forecast(scenario, reports, as_of, (until - as_of).days, particles=args.particles, seed=args.seed,
                       factors=default_factors(scenario))
    a = run.assimilation
    copies = -(-args.members // args.particles)
    outputs = (a.posterior_outputs * copies)[: args.members]
    weights = np.tile(a.particle_weights, copies)[: args.members]
    seeds = list(range(args.members))
    print(f"corridor, {args.particles} particles as of {as_of} to {until}, seed {args.seed}, repeated to "
          f"{args.members} members; weights: ESS {1 / np.sum((weights / weights.sum()) ** 2):.1f} of {args.members}; "
          f"load average {os.getloadavg()[0]:.1f}")
    found: dict[str, list[float]] = {"unweighted": [], "weighted": []}
    order = [name for r in range(args.rounds) for name in (("unweighted", "weighted") if r % 2 == 0
                                                           else ("weighted", "unweighted"))]
    for name in order:
        cpu, wall = time.process_time(), time.perf_counter()
        reduce_members(scenario, outputs, args.seed, seeds, weights if name == "weighted" else None)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        found[name].append(cpu)
        print(f"  {name:>10}: CPU {cpu:6.2f} s, wall {wall:6.2f} s")
    medians = {name: statistics.median(v) for name, v in found.items()}
    print(f"median CPU: unweighted {medians['unweighted']:.2f} s, weighted {medians['weighted']:.2f} s "
          f"({medians['weighted'] / medians['unweighted'] - 1:+.0%}); load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
