"""A Flee scenario's simulation in process: CPU of the whole run and of the movement kernel.

For A/B comparisons of kernel work between two checkouts on a shared machine: run it
alternately with each checkout first on the path, and compare medians taken under the
same load (``flee_parity.py`` gives the full picture, with Flee 3.1 and whole processes).

    python benchmarks/flee_inprocess.py mali2012 burundi2015 --repeat 5
    PYTHONPATH=/path/to/other/checkout/src python benchmarks/flee_inprocess.py mali2012

Each line: the scenario, where caravana was imported from, medians (and least) of
``--repeat`` runs of the whole period in CPU seconds (``time.process_time``): the run
(``Simulation.run``, kernels loaded by a short run first) and the movement kernel within it;
and a checksum of the daily counts, which must be the same for the same seed.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import time
import warnings

import numpy as np

import caravana
from caravana import load_scenario, simulation
from caravana.behaviours import flee_movement


def timed_runs(name: str, seed: int, repeat: int) -> dict:
    """``repeat`` runs of scenario ``name``: CPU of each run and of the kernel within it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scenario = load_scenario(name)
    real = flee_movement.move_people
    kernel = [0.0]

    def timed_kernel(*args):
        c = time.process_time()
        k = real(*args)
        kernel[0] += time.process_time() - c
        return k

    flee_movement.move_people = timed_kernel  # restored below
    try:
        simulation(scenario, seed=seed, days=3).run()  # kernels loaded (or compiled) first
        runs, kernels = [], []
        for _ in range(repeat):
            kernel[0] = 0.0
            sim = simulation(scenario, seed=seed)
            c = time.process_time()
            results = sim.run()
            runs.append(time.process_time() - c)
            kernels.append(kernel[0])
    finally:
        flee_movement.move_people = real
    counts = np.ascontiguousarray(results.counts, dtype="<i8").tobytes()
    return {"run": runs, "kernel": kernels, "counts": hashlib.sha256(counts).hexdigest()[:12]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="+")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for name in args.scenarios:
        t = timed_runs(name, args.seed, args.repeat)
        print(f"{name} seed {args.seed} ({caravana.__file__}): run {statistics.median(t['run']):.3f} s "
              f"(least {min(t['run']):.3f}), kernel {statistics.median(t['kernel']):.3f} s "
              f"(least {min(t['kernel']):.3f}), medians of {args.repeat}; counts {t['counts']}", flush=True)


if __name__ == "__main__":
    main()
