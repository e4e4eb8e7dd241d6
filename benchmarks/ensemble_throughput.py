"""Ensemble throughput for the corridor 2018 scenario: members per minute with 1 and 2
local worker processes, the scaling efficiency, and the wall time of 100 members.

    python benchmarks/ensemble_throughput.py [--members 100] [--workers 1 2] [--dask] [--json out.json]

For each number of workers, a fresh process backend runs the ensemble twice:

- *cold*: from nothing, including starting the workers, importing caravana in
  them and Numba loading its compiled kernels from the on-disk cache (first member
  of each worker) — what ``caravana ensemble`` costs from the command line;
- *warm*: the same ensemble again on the same, already warm workers, ``--repeats``
  times, the fastest counting — the steady throughput, from which the scaling
  efficiency is computed:
  efficiency = throughput(W workers) / (W x throughput(1 worker)).

An in-process row (no workers at all) shows the compute alone. Before that, a fresh Python process reports the per-process start-up cost: import
time, the first 60-day run (Numba cache load and lazy imports) and a steady run, and
whether the kernels came from Numba's cache (``cache=True``) or were compiled.
Every configuration must give the same quantiles (checked). Timings on a shared
machine are contended: run it when the machine is quiet, and read them as such.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from caravana import load_scenario
from caravana.ensemble import get_backend, run_ensemble

SCENARIO = "corridor"  # the October 2018 caravan, 60 days
ROOT_SEED = 2018

PROCESS_STARTUP = r"""
import json, time
t0 = time.perf_counter()
import caravana
from caravana.engine import counting
from caravana.behaviours import flee_kernels
t1 = time.perf_counter()
scenario = caravana.load_scenario("corridor")
t2 = time.perf_counter()
caravana.run(scenario, seed=1)
t3 = time.perf_counter()
caravana.run(scenario, seed=2)
t4 = time.perf_counter()
kernels = [counting.count_by_place_and_status, counting.count_at_places]
stats = {k.__name__: {"hits": sum(k.stats.cache_hits.values()), "misses": sum(k.stats.cache_misses.values()),
                      "cache": k._cache.__class__.__name__} for k in kernels}
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "first_run": t3 - t2, "steady_run": t4 - t3, "kernels": stats}))
"""


def process_startup() -> dict:
    out = subprocess.run([sys.executable, "-c", PROCESS_STARTUP], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def burn_cpu(seconds: float) -> float:
    """Spin for ``seconds`` of this process's CPU time (a task with no I/O and no data)."""
    started = time.process_time()
    while time.process_time() - started < seconds:
        pass
    return seconds


def cpu_scaling_ceiling(workers: int, tasks: int = 40, seconds: float = 0.1) -> float:
    """How well pure CPU work scales to ``workers`` processes on this machine right now:
    the best any ensemble can do while other jobs share the cores."""
    walls = {}
    for w in (1, workers):
        with get_backend("processes", workers=w) as backend:
            backend.map(burn_cpu, [0.0] * w)  # start the workers first
            started = time.perf_counter()
            backend.map(burn_cpu, [seconds] * tasks)
            walls[w] = time.perf_counter() - started
    return walls[1] / (workers * walls[workers])


def timed_ensemble(scenario, members: int, backend) -> tuple[float, float, object]:
    """Wall seconds of the ensemble, seconds until the first member finished, the result."""
    started = time.perf_counter()
    first: list[float] = []

    def progress(done: int, total: int) -> None:
        if not first:
            first.append(time.perf_counter() - started)

    result = run_ensemble(scenario, members, ROOT_SEED, backend=backend, progress=progress)
    return time.perf_counter() - started, first[0], result


def measure(scenario, members: int, kind: str, workers: int, repeats: int) -> dict:
    started = time.perf_counter()
    with get_backend(kind, workers=workers) as backend:
        backend_start = time.perf_counter() - started  # Dask starts its cluster here; processes start lazily
        cold, first, result = timed_ensemble(scenario, members, backend)
        warm_runs = []
        for _ in range(repeats):
            seconds, _, again = timed_ensemble(scenario, members, backend)
            assert again.quantiles.equals(result.quantiles)
            warm_runs.append(seconds)
    warm = min(warm_runs)  # the least disturbed by other jobs on a shared machine
    return {
        "backend": kind,
        "workers": workers,
        "members": members,
        "backend_start_s": backend_start,
        "cold_s": cold + backend_start,
        "first_member_s": first + backend_start,
        "warm_s": warm,
        "warm_runs_s": warm_runs,
        "members_per_minute_warm": 60 * members / warm,
        "members_per_minute_cold": 60 * members / (cold + backend_start),
        "quantiles": result.quantiles,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=3, help="warm runs per configuration (the fastest counts)")
    parser.add_argument("--dask", action="store_true", help="also measure a Dask LocalCluster")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} (shared: timings are contended)")
    startup = process_startup()
    print(
        f"one fresh process: import caravana {startup['import']:.2f} s, first 60-day corridor run "
        f"{startup['first_run']:.2f} s, next run {startup['steady_run']:.3f} s"
    )
    for name, k in startup["kernels"].items():
        print(f"  numba {name}: {k['cache']}, cache hits {k['hits']}, compiled {k['misses']}")

    ceiling = {w: cpu_scaling_ceiling(w) for w in args.workers if w > 1}
    for w, c in ceiling.items():
        print(f"pure-CPU scaling to {w} processes on this machine now: {c:.0%} (the ceiling for the figures below)")

    scenario = load_scenario(SCENARIO)
    rows = [measure(scenario, args.members, "inprocess", 1, args.repeats)]  # the compute alone, no workers
    rows += [measure(scenario, args.members, "processes", w, args.repeats) for w in args.workers]
    if args.dask:
        rows += [measure(scenario, args.members, "dask", max(args.workers), args.repeats)]
    for row in rows[1:]:
        assert row["quantiles"].equals(rows[0]["quantiles"]), "backends disagree"

    print(f"\n{SCENARIO} (Oct 2018 caravan, 60 days), {args.members} members, root seed {ROOT_SEED}")
    print(
        f"{'backend':<10}{'workers':>8}{'cold s':>9}{'1st member s':>14}{'warm s (runs)':>26}{'members/min warm':>18}{'cold':>8}"
    )
    for r in rows:
        runs = "/".join(f"{s:.1f}" for s in r["warm_runs_s"])
        print(
            f"{r['backend']:<10}{r['workers']:>8}{r['cold_s']:>9.2f}{r['first_member_s']:>14.2f}"
            f"{r['warm_s']:>9.2f} ({runs:>14}){r['members_per_minute_warm']:>18.0f}{r['members_per_minute_cold']:>8.0f}"
        )
    base = next((r for r in rows if r["backend"] == "processes" and r["workers"] == 1), None)
    for r in rows:
        if base is None or r is base or r["backend"] == "inprocess":
            continue
        for mode in ("warm", "cold"):
            eff = r[f"members_per_minute_{mode}"] / (r["workers"] * base[f"members_per_minute_{mode}"])
            print(f"scaling efficiency {r['backend']} x{r['workers']} ({mode}): {eff:.0%} (target >= 80%)")
    two = next((r for r in rows if r["backend"] == "processes" and r["workers"] == 2), None)
    if two is not None:
        verdict = "PASS" if two["cold_s"] < 120 else "FAIL"
        print(f"{args.members} members on 2 workers, from cold: {two['cold_s']:.1f} s (target < 120 s): {verdict}")
    print("all configurations gave identical quantiles")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(
                {
                    "startup": startup,
                    "cpu_scaling_ceiling": ceiling,
                    "runs": [{k: v for k, v in r.items() if k != "quantiles"} for r in rows],
                },
                f,
                indent=2,
            )


if __name__ == "__main__":
    main()
