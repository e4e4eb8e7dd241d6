"""Where a Flee run's simulation days go, in process: the movement kernel against everything else.

``flee_inprocess.py`` gives the run and the kernel; this splits the rest, per day and in total,
CPU seconds (``time.process_time``) of the whole ``Simulation.run`` into:

- the compiled movement kernel (``flee_kernels.move_people``);
- each behaviour's ``step`` minus the kernel (the Python around it: route weights, scores,
  spawning, conflicts, status masks);
- the engine's own work per day (``Simulation.step`` minus the behaviours: counts recorded,
  the loop, the progress callback's absence).

    python benchmarks/flee_day_split.py mali2012 burundi2015 --repeat 5

Medians of ``--repeat`` runs after one warm-up run (kernels loaded first). With ``--profile``,
one more run under cProfile, its top functions by own time (cProfile's overhead inflates the
Python side; the split above is measured without it).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import pstats
import statistics
import time
import warnings
from pathlib import Path

import numpy as np

from caravana import load_scenario, simulation
from caravana.behaviours import flee_movement
from caravana.engine.simulation import Simulation


def split_runs(name: str, seed: int, repeat: int) -> tuple[dict[str, list[float]], int, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scenario = load_scenario(name)
    real_kernel = flee_movement.move_people
    clocks: dict[str, float] = {}

    def add(key: str, seconds: float) -> None:
        clocks[key] = clocks.get(key, 0.0) + seconds

    def timed_kernel(*args):
        c = time.process_time()
        k = real_kernel(*args)
        add("kernel", time.process_time() - c)
        return k

    def wrap_steps(sim: Simulation) -> None:
        for behaviour in sim.behaviours:
            step = behaviour.step

            def timed(s, step=step, key=f"step {behaviour.name}"):
                c = time.process_time()
                step(s)
                add(key, time.process_time() - c)
            behaviour.step = timed  # type: ignore[method-assign]

    flee_movement.move_people = timed_kernel
    totals: dict[str, list[float]] = {}
    try:
        sim = simulation(scenario, seed=seed)
        wrap_steps(sim)
        sim.run()  # warm-up (kernels loaded)
        for _ in range(repeat):
            clocks.clear()
            sim = simulation(scenario, seed=seed)
            wrap_steps(sim)
            c = time.process_time()
            results = sim.run()
            clocks["run"] = time.process_time() - c
            for key, value in clocks.items():
                totals.setdefault(key, []).append(value)
    finally:
        flee_movement.move_people = real_kernel
    counts = np.ascontiguousarray(results.counts, dtype="<i8").tobytes()
    return totals, sim.day, hashlib.sha256(counts).hexdigest()[:12]


def report(name: str, totals: dict[str, list[float]], days: int, checksum: str) -> None:
    med = {key: statistics.median(values) for key, values in totals.items()}
    run, kernel = med["run"], med.get("kernel", 0.0)
    steps = sum(v for k, v in med.items() if k.startswith("step "))
    print(f"{name}: {days} days, counts {checksum}; medians of {len(totals['run'])} runs, CPU s (ms a day)")
    print(f"  {run:7.3f} ({1e3 * run / days:6.3f})  Simulation.run, whole")
    print(f"  {kernel:7.3f} ({1e3 * kernel / days:6.3f})  movement kernel (compiled)")
    for key in sorted(k for k in med if k.startswith("step ")):
        own = med[key] - (kernel if key == "step movement" else 0.0)
        label = f"{key[5:]}.step" + (" minus the kernel" if key == "step movement" else "")
        print(f"  {own:7.3f} ({1e3 * own / days:6.3f})  {label}")
    engine = run - steps
    print(f"  {engine:7.3f} ({1e3 * engine / days:6.3f})  the engine around the steps (Simulation.step/run, counts recorded)")
    print(f"  {run - kernel:7.3f} ({1e3 * (run - kernel) / days:6.3f})  everything but the kernel "
          f"({100 * (run - kernel) / run:.0f} % of the run)")


def profile(name: str, seed: int, top: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scenario = load_scenario(name)
    sim = simulation(scenario, seed=seed)
    prof = cProfile.Profile()
    prof.enable()
    sim.run()
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(top)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    print(f"  cProfile of one run of {name}, top {top} by own time (inflated by the profiler):")
    for line in lines[start:]:
        print("   " + line.replace(str(Path.cwd()) + "/", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="+")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, metavar="TOP", help="also a cProfile run, its TOP functions")
    args = parser.parse_args()
    load = " ".join(open("/proc/loadavg").read().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    print(f"# seed {args.seed}; load at start {load}, {time.strftime('%H:%M', time.gmtime())} UTC", flush=True)
    for name in args.scenarios:
        totals, days, checksum = split_runs(name, args.seed, args.repeat)
        report(name, totals, days, checksum)
        if args.profile:
            profile(name, args.seed, args.profile)
    load = " ".join(open("/proc/loadavg").read().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    print(f"# load at end {load}, {time.strftime('%H:%M', time.gmtime())} UTC")


if __name__ == "__main__":
    main()
