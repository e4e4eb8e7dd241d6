"""Ensemble throughput for the corridor 2018 scenario: members per minute with 1 and 2
local worker processes, the scaling efficiency, and the wall time of 100 members.

    python benchmarks/ensemble_throughput.py [--members 100] [--workers 1 2] [--dask] [--json out.json]

Each configuration (in-process, 1 and 2 worker processes, optionally a Dask
LocalCluster) runs the ensemble

- *cold*: from nothing, including starting the workers, importing caravana in
  them and Numba loading its compiled kernels from the on-disk cache (first member
  of each worker) — what ``caravana ensemble`` costs from the command line (the
  process backend's fork server, which imports caravana once per calling process,
  starts in the first round only: the first cold run is the command line's cost);
- *warm*: right after, again on the same, already warm workers.

``--repeats`` rounds, the configurations taking turns in each so that other jobs on
the machine weigh on all of them alike; the fastest run counts. The scaling efficiency is
  throughput(W workers) / (W x throughput(1 worker)).

The in-process row (no workers at all) is the compute alone. Each round also times
pure CPU work (40 x 0.1 s of spinning) on the process backends: how well *anything*
scales to 2 processes on the machine meanwhile, the ceiling for the ensemble's figure.
Before that, a fresh Python process reports the per-process start-up cost: import
time, the first 60-day run (Numba cache load and lazy imports) and a steady run, and
whether the kernels came from Numba's cache (``cache=True``) or were compiled.
Every configuration must give the same quantiles (checked). Timings on a shared
machine are contended: read them with the load average and the CPU ceiling printed.
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


def timed_ensemble(scenario, members: int, backend) -> tuple[float, float, object]:
    """Wall seconds of the ensemble, seconds until the first member finished, the result."""
    started = time.perf_counter()
    first: list[float] = []

    def progress(done: int, total: int) -> None:
        if not first:
            first.append(time.perf_counter() - started)

    result = run_ensemble(scenario, members, ROOT_SEED, backend=backend, progress=progress)
    return time.perf_counter() - started, first[0], result


def timed_burn(backend, tasks: int = 40, seconds: float = 0.1) -> float:
    started = time.perf_counter()
    backend.map(burn_cpu, [seconds] * tasks)
    return time.perf_counter() - started


def measure(scenario, members: int, configs: list[tuple[str, int]], repeats: int) -> list[dict]:
    """``repeats`` rounds; in each, every configuration in turn (so that other jobs on the
    machine weigh on all alike) starts a fresh backend, runs the ensemble cold, then warm
    on the same workers, then (process backends) times pure CPU work. Fastest run counts."""
    rows = [
        {
            "backend": kind,
            "workers": workers,
            "members": members,
            "cold_runs_s": [],
            "first_member_runs_s": [],
            "warm_runs_s": [],
            "burn_runs_s": [],
        }
        for kind, workers in configs
    ]
    for _ in range(repeats):
        for (kind, workers), row in zip(configs, rows):
            started = time.perf_counter()
            with get_backend(kind, workers=workers) as backend:
                backend_start = time.perf_counter() - started  # Dask starts its cluster here; processes lazily
                cold, first, result = timed_ensemble(scenario, members, backend)
                warm, _, again = timed_ensemble(scenario, members, backend)
                if row["backend"] == "processes":
                    row["burn_runs_s"].append(timed_burn(backend))
            assert again.quantiles.equals(result.quantiles)
            row["quantiles"] = result.quantiles
            row["cold_runs_s"].append(backend_start + cold)
            row["first_member_runs_s"].append(backend_start + first)
            row["warm_runs_s"].append(warm)
    for row in rows:
        for name in ("cold", "first_member", "warm"):
            row[f"{name}_s"] = min(row[f"{name}_runs_s"])  # the least disturbed by other jobs
        row["members_per_minute_warm"] = 60 * members / row["warm_s"]
        row["members_per_minute_cold"] = 60 * members / row["cold_s"]
    return rows


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

    scenario = load_scenario(SCENARIO)
    configs = [("inprocess", 1)] + [("processes", w) for w in args.workers]  # in-process: the compute alone
    if args.dask:
        configs.append(("dask", max(args.workers)))
    rows = measure(scenario, args.members, configs, args.repeats)
    for row in rows[1:]:
        assert row["quantiles"].equals(rows[0]["quantiles"]), "backends disagree"

    print(f"\n{SCENARIO} (Oct 2018 caravan, 60 days), {args.members} members, root seed {ROOT_SEED}")
    print(
        f"{'backend':<10}{'workers':>8}{'cold s (runs)':>26}{'1st member s':>14}{'warm s (runs)':>26}"
        f"{'members/min warm':>18}{'cold':>8}"
    )
    for r in rows:
        cold_runs, warm_runs = ("/".join(f"{s:.1f}" for s in r[f"{m}_runs_s"]) for m in ("cold", "warm"))
        print(
            f"{r['backend']:<10}{r['workers']:>8}{r['cold_s']:>9.2f} ({cold_runs:>14}){r['first_member_s']:>14.2f}"
            f"{r['warm_s']:>9.2f} ({warm_runs:>14}){r['members_per_minute_warm']:>18.0f}{r['members_per_minute_cold']:>8.0f}"
        )
    base = next((r for r in rows if r["backend"] == "processes" and r["workers"] == 1), None)
    ceiling = {}
    for r in rows:
        if base is None or r is base or r["backend"] == "inprocess":
            continue
        if r["backend"] == "processes":
            ceiling[r["workers"]] = min(base["burn_runs_s"]) / (r["workers"] * min(r["burn_runs_s"]))
            print(
                f"pure-CPU scaling to {r['workers']} processes on this machine meanwhile: {ceiling[r['workers']]:.0%}"
            )
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
