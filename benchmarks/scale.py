"""Synthetic scale benchmark: agent-steps per second and memory per agent, Flee rules.

A random planar-ish graph of towns, conflict zones and camps; all people spawn on
day 0 at the conflict zones and then move by Flee's rules. Timings exclude the
one-off Numba compilation (a tiny warm-up run first). Peak memory is the process's
maximum resident set size, measured in a fresh subprocess per size.

    python benchmarks/scale.py                      # 1M and 10M agents x 100 days
    python benchmarks/scale.py --agents 2000000 --days 50
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time

import numpy as np


def synthetic_scenario(n_agents: int, days: int, n_places: int = 300, seed: int = 0):
    from caravana.scenario.schema import (
        CountPoint,
        Location,
        MovementSettings,
        Period,
        Route,
        Scenario,
        Settings,
        Spawning,
        SpawnSettings,
    )

    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 1500, size=(n_places, 2))  # km
    kinds = rng.choice(["town", "conflict_zone", "camp"], size=n_places, p=[0.7, 0.15, 0.15])
    kinds[0] = "conflict_zone"
    locations = [
        Location(
            name=f"P{i}", type=str(kinds[i]), population=int(rng.integers(1_000, 100_000)),
            capacity=int(rng.integers(n_agents // 50 + 1, n_agents // 5 + 2)) if kinds[i] == "camp" else None,
            country="A" if xy[i, 0] < 1000 else "B",
        )
        for i in range(n_places)
    ]
    routes, seen = [], set()
    for i in range(n_places):  # link each place to its 3 nearest neighbours
        d = np.hypot(*(xy - xy[i]).T)
        for j in np.argsort(d)[1:4]:
            key = (min(i, j), max(i, j))
            if key not in seen:
                seen.add(key)
                routes.append(Route(**{"from": f"P{key[0]}", "to": f"P{key[1]}", "km": float(d[j]) * 1.3 + 1}))
    return Scenario(
        name="synthetic",
        period=Period(start=dt.date(2020, 1, 1), days=days),
        locations=locations,
        routes=routes,
        spawning=Spawning(totals=[CountPoint(day=0, count=n_agents)]),
        settings=Settings(
            movement=MovementSettings(max_move_speed=200.0, camp_weight=2.0, default_movechance=0.3,
                                      avoid_short_stints=True, start_on_foot=True),
            spawning=SpawnSettings(insert_day0=False),
        ),
    )


def measure(n_agents: int, days: int) -> dict:
    from caravana import simulation

    simulation(synthetic_scenario(1000, 3), seed=0).run()  # compile (or load cached) kernels
    scenario = synthetic_scenario(n_agents, days)
    sim = simulation(scenario, seed=1)
    sim.step()  # day 0 spawns everyone
    start = time.perf_counter()
    while sim.day < sim.days:
        sim.step()
    seconds = time.perf_counter() - start
    steps = sim.population.n * (days - 1)
    travelling = int((sim.population.status == 1).sum())
    return {
        "agents": int(sim.population.n),
        "days": days,
        "seconds": seconds,
        "agent_steps_per_second": steps / seconds,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "population_bytes_per_agent": sim.population.nbytes_per_person,
        "travelling_at_end": travelling,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.agents[0], args.days)))
        return
    print(f"{'agents':>12} {'days':>5} {'seconds':>9} {'agent-steps/s':>15} {'peak RSS':>10} {'RSS/agent':>10} {'SoA B/agent':>11}")
    for n in args.agents:
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--agents", str(n), "--days", str(args.days)],
            check=True, capture_output=True, text=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{r['agents']:>12,} {r['days']:>5} {r['seconds']:>9.2f} {r['agent_steps_per_second'] / 1e6:>13.1f} M "
            f"{r['peak_rss_bytes'] / 2**30:>8.2f} GiB {r['peak_rss_bytes'] / r['agents']:>8.0f} B "
            f"{r['population_bytes_per_agent']:>9} B"
        )


if __name__ == "__main__":
    main()
