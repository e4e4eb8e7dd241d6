"""Synthetic scale benchmark: agent-steps per second and memory per agent, Flee rules.

A random planar-ish graph of towns, conflict zones and camps; all people spawn on
day 0 at the conflict zones and then move by Flee's rules. Timings exclude the
one-off Numba compilation (a tiny warm-up run first). Peak memory is the process's
maximum resident set size, measured in a fresh subprocess per size.

Two cases: ``quiet`` (15 % of places are camps, where people soon stay: few travel once
most have reached one) and ``busy`` (no camps, move chance 0.3 everywhere: people keep
moving). The share of people who travel each day (moved to another place, or on a link at
the day's end) is printed. For each, a
plain NumPy walk on the same graph (CSR arrays; each day the same share of people step to
a random neighbour, then one bincount of people by place) is timed in the same run as the
limit of a loop over people in NumPy, and caravana's fraction of its speed is printed.
Times are CPU seconds (``time.process_time``): the machine may be shared.

    python benchmarks/scale.py                      # 1M and 10M agents x 100 days, both cases
    python benchmarks/scale.py --agents 2000000 --days 50 --cases busy
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


def synthetic_scenario(n_agents: int, days: int, n_places: int = 300, seed: int = 0, busy: bool = False):
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
    kinds = rng.choice(["town", "conflict_zone", "camp"], size=n_places, p=[0.85, 0.15, 0.0] if busy else [0.7, 0.15, 0.15])
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


def measure(n_agents: int, days: int, busy: bool) -> dict:
    from caravana import simulation

    simulation(synthetic_scenario(1000, 3), seed=0).run()  # compile (or load cached) kernels
    scenario = synthetic_scenario(n_agents, days, busy=busy)
    sim = simulation(scenario, seed=1)
    sim.step()  # day 0 spawns everyone
    # Read without handing the people out (``sim.population`` between days would make every
    # later day count them afresh, as a run whose people someone may change must): this
    # benchmark only looks, so its days cost what a plain run's do.
    pop, seconds, travelled = sim._population, 0.0, []
    while sim.day < sim.days:
        before = pop.loc.copy()  # (untimed) to count who travels today
        start = time.process_time()
        sim.step()
        seconds += time.process_time() - start
        travelled.append(np.count_nonzero((pop.loc != before) | (pop.status == 1)) / pop.n)  # 1: travelling
    steps = pop.n * (days - 1)
    travelling = np.array(travelled)
    return {
        "agents": int(pop.n),
        "days": days,
        "seconds": seconds,
        "agent_steps_per_second": steps / seconds,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "population_bytes_per_agent": pop.nbytes_per_person,
        "travelling_share": float(travelling.mean()),
    }


def numpy_walk(n_agents: int, days: int, busy: bool, share: float) -> dict:
    """The limit: each day ``share`` of people step to a random neighbour on the same graph
    (CSR), then people are counted by place. No rules, no statuses: a floor on the cost
    of touching every person once a day and moving some of them in NumPy."""
    from caravana.engine.network import Network

    net = Network.from_scenario(synthetic_scenario(1000, 3, busy=busy))
    order = np.argsort(net.src, kind="stable")
    indptr = np.concatenate(([0], np.cumsum(np.bincount(net.src, minlength=net.n_places))))
    neighbour = net.dst[order].astype(np.int32)
    degree = np.diff(indptr)
    rng = np.random.default_rng(1)
    loc = rng.integers(0, net.n_places, size=n_agents).astype(np.int32)
    start = time.process_time()
    for _ in range(days - 1):
        movers = np.flatnonzero(rng.random(n_agents) < share)
        here = loc[movers]
        pick = indptr[here] + (rng.random(len(movers)) * degree[here]).astype(np.int64)
        loc[movers] = neighbour[pick]
        np.bincount(loc, minlength=net.n_places)
    seconds = time.process_time() - start
    return {"seconds": seconds, "agent_steps_per_second": n_agents * (days - 1) / seconds}


def child(args, *extra) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *extra, "--agents", str(args[0]), "--days", str(args[1])],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument("--cases", nargs="*", choices=["quiet", "busy"], default=["quiet", "busy"])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--walk", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--busy", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.walk is not None:
            print(json.dumps(numpy_walk(args.agents[0], args.days, args.busy, args.walk)))
        else:
            print(json.dumps(measure(args.agents[0], args.days, args.busy)))
        return
    print(f"{'case':>6} {'agents':>12} {'days':>5} {'travel/day':>10} {'CPU s':>8} {'agent-steps/s':>15} "
          f"{'NumPy walk':>14} {'fraction':>8} {'peak RSS':>10} {'RSS/agent':>10} {'SoA B/agent':>11}")
    for case in args.cases:
        busy = ["--busy"] if case == "busy" else []
        for n in args.agents:
            r = child((n, args.days), *busy)
            w = child((n, args.days), *busy, "--walk", str(r["travelling_share"]))
            print(
                f"{case:>6} {r['agents']:>12,} {r['days']:>5} {100 * r['travelling_share']:>9.1f}% {r['seconds']:>8.2f} "
                f"{r['agent_steps_per_second'] / 1e6:>13.1f} M {w['agent_steps_per_second'] / 1e6:>12.1f} M "
                f"{r['agent_steps_per_second'] / w['agent_steps_per_second']:>8.2f} "
                f"{r['peak_rss_bytes'] / 2**30:>8.2f} GiB {r['peak_rss_bytes'] / r['agents']:>8.0f} B "
                f"{r['population_bytes_per_agent']:>9} B", flush=True
            )


if __name__ == "__main__":
    main()
