"""CPU of one forecast particle: building it, and a day of it, behaviour by behaviour.

    python benchmarks/particle_cost.py [--particles 40] [--seed 1] [--repeat 1]

A forecast's particles are the built-in ``corridor`` scenario (the 2018 caravan, its real size)
with the default factors drawn as ``caravana forecast`` draws them. The move by re-simulation
(``--resimulate``) builds a fresh run and steps it from day 0 to the resampling date (days 0-12
as of Oct 24) for each proposal, in the forecast's own process: its cost is a build plus about
ten early particle-days. This prints, per particle, the CPU of ``scenario_with`` (the factors'
settings applied) and of ``simulation`` (the run built), then per particle-day, on days 0-12
and 13-60, the CPU of each behaviour's step and the engine's rest (counts, flows), and a
fingerprint of the runs' head-counts (to compare checkouts: the same for the same seed).

CPU time (``time.process_time``) of this process; on a shared machine it is inflated by the
load much less than wall time, but still: compare checkouts back to back (run this file with
the other checkout's interpreter, as ``corridor_identity.py`` is run).
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import os
import time

from caravana import load_scenario
from caravana.engine.rng import make_stream
from caravana.ensemble.members import member_seeds
from caravana.forecast import default_factors
from caravana.forecast.parameters import draw_factors, scenario_with
from caravana.model import simulation

clock = time.process_time


def timed_steps(sims, spent: dict) -> None:
    """Wrap each behaviour's step to add its CPU to ``spent[name]``."""
    for sim in sims:
        for behaviour in sim.behaviours:
            def step(s, inner=behaviour.step, name=behaviour.name):
                t = clock()
                inner(s)
                spent[name] += clock() - t
            behaviour.step = step


def measure(particles: int, seed: int) -> dict:
    scenario = load_scenario("corridor")
    factors = default_factors(scenario)
    values = draw_factors(factors, particles, make_stream(seed, "particle_cost"))
    seeds = member_seeds(seed, particles)
    t = clock()
    scenarios = [scenario_with(scenario, factors, v) for v in values]
    settings = clock() - t
    t = clock()
    sims = [simulation(s, seed=int(k), days=61) for s, k in zip(scenarios, seeds)]
    built = clock() - t
    spent: dict[str, float] = collections.defaultdict(float)
    timed_steps(sims, spent)
    out = {"settings": settings / particles, "build": built / particles, "days": {}}
    for label, days in (("0-12", 13), ("13-60", 48)):
        spent.clear()
        t = clock()
        for sim in sims:
            for _ in range(days):
                sim.step()
        total = clock() - t
        out["days"][label] = (total / particles / days, {k: v / particles / days for k, v in spent.items()},
                              (total - sum(spent.values())) / particles / days)
    digest = hashlib.sha256()
    for sim in sims:
        digest.update(sim.counts.tobytes())
    out["digest"] = digest.hexdigest()[:16]
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--particles", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    for r in range(args.repeat):
        load = os.getloadavg()[0]
        m = measure(args.particles, args.seed)
        early, late = m["days"]["0-12"], m["days"]["13-60"]
        print(f"run {r + 1}: {args.particles} particles, seed {args.seed}, load {load:.1f}: build "
              f"{1000 * (m['settings'] + m['build']):.2f} ms a particle (settings {1000 * m['settings']:.2f} + "
              f"simulation {1000 * m['build']:.2f}); a particle-day {1000 * early[0]:.3f} ms on days 0-12, "
              f"{1000 * late[0]:.3f} ms on days 13-60; counts {m['digest']}")
        names = sorted(early[1], key=lambda k: -early[1][k])
        print("    " + "; ".join(f"{n} {1000 * early[1][n]:.3f}/{1000 * late[1].get(n, 0.0):.3f}" for n in names)
              + f"; engine {1000 * early[2]:.3f}/{1000 * late[2]:.3f} (ms a particle-day, days 0-12/13-60)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
