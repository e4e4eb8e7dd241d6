"""A/B of Flee's movement kernel in one process, runs alternating, for a loaded machine.

``flee_inprocess.py`` compares two checkouts in separate processes; on a shared machine the
load changes between them by tens of per cent. Here both kernels run in the same process,
one whole run each in turn, so that each pair of runs meets about the same load:

    python benchmarks/flee_kernel_ab.py A/flee_kernels.py B/flee_kernels.py mali2012 burundi2015

Each file is compiled by Numba as a copy of the module (its ``from ..engine`` imports read
this checkout's engine), so both take the same compiling path (in a temporary folder, removed
at the end). Each is called by this checkout's ``FleeMovement``, its arguments taken by name:
a kernel whose ``move_people`` lacks one of today's arguments gets the rest (the other must
not need one it lacks). A round is four runs, ABBA or BAAB in turn (neither always first).
Prints per scenario the kernel's CPU (``time.process_time``) for A and B, medians and least
of their 2 x ``--rounds`` runs, the median (and quartiles) over the rounds of B/A (each
round's two B runs over its two A runs), the runs' CPU, and whether all runs gave the same
daily counts (they must, for the same seed).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import inspect
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from caravana import load_scenario, simulation
from caravana.behaviours import flee_movement


def compiled_copy(path: Path, name: str, folder: Path):
    """``move_people`` of the kernel file ``path``, compiled as module ``name`` from ``folder``."""
    source = path.read_text().replace("from ..engine", "from caravana.engine")
    (folder / f"{name}.py").write_text(source)
    spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[name] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.move_people


def by_name(kernel, caller_names: list[str]):
    """``kernel`` called with this checkout's arguments, picked by name (see the docstring)."""
    wanted = list(inspect.signature(kernel.py_func).parameters)
    missing = [n for n in wanted if n not in caller_names]
    if missing:
        raise SystemExit(f"the kernel needs arguments this checkout does not pass: {missing}")
    at = [caller_names.index(n) for n in wanted]
    clock = [0.0]

    def call(*args):
        c = time.process_time()
        k = kernel(*[args[j] for j in at])
        clock[0] += time.process_time() - c
        return k

    return call, clock


def one_run(scenario, seed: int, kernel, clock) -> tuple[float, float, str]:
    flee_movement.move_people = kernel
    clock[0] = 0.0
    try:
        c = time.process_time()
        results = simulation(scenario, seed=seed).run()
        run = time.process_time() - c
    finally:
        flee_movement.move_people = REAL
    counts = np.ascontiguousarray(results.counts, dtype="<i8").tobytes()
    return run, clock[0], hashlib.sha256(counts).hexdigest()[:12]


REAL = flee_movement.move_people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path, help="kernel file A (flee_kernels.py of a checkout)")
    parser.add_argument("b", type=Path, help="kernel file B")
    parser.add_argument("scenarios", nargs="+")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="caravana-kernel-ab-") as folder:
        compare(args, Path(folder))


def compare(args: argparse.Namespace, folder: Path) -> None:
    caller = list(inspect.signature(REAL.py_func).parameters)
    kernels = [by_name(compiled_copy(path, f"kernel_{tag}", folder), caller)
               for tag, path in (("a", args.a), ("b", args.b))]
    load = " ".join(open("/proc/loadavg").read().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    print(f"# A {args.a}, B {args.b}; seed {args.seed}; load at start {load}, {time.strftime('%H:%M', time.gmtime())} UTC",
          flush=True)
    for name in args.scenarios:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scenario = load_scenario(name)
        for kernel, clock in kernels:  # compiled and warmed first
            one_run(scenario, args.seed, kernel, clock)
        runs = alternated(scenario, args.seed, kernels, args.rounds)
        print(f"{name}: {summary(runs)}", flush=True)
    load = " ".join(open("/proc/loadavg").read().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    print(f"# load at end {load}, {time.strftime('%H:%M', time.gmtime())} UTC")


def alternated(scenario, seed: int, kernels: list, rounds: int) -> list[list[tuple[float, float, str]]]:
    """``rounds`` rounds of four runs, ABBA and BAAB in turn (two runs a side): each side's runs, as
    ``one_run`` gives them."""
    runs: list[list[tuple[float, float, str]]] = [[], []]
    for round_ in range(rounds):
        for side in (0, 1, 1, 0) if round_ % 2 == 0 else (1, 0, 0, 1):
            kernel, clock = kernels[side]
            runs[side].append(one_run(scenario, seed, kernel, clock))
    return runs


def summary(runs: list[list[tuple[float, float, str]]]) -> str:
    """The kernel's CPU of each side, B/A per round (its two B runs over its two A runs): median and
    quartiles, the runs' CPU, and whether all runs gave the same counts."""
    rounds = len(runs[0]) // 2
    a, b = ([r[1] for r in side] for side in runs)
    ratios = [(b[2 * j] + b[2 * j + 1]) / (a[2 * j] + a[2 * j + 1]) for j in range(rounds)]
    same = len({r[2] for side in runs for r in side}) == 1
    return (f"kernel CPU s, A median {statistics.median(a):.3f} (least {min(a):.3f}), "
            f"B median {statistics.median(b):.3f} (least {min(b):.3f}); B/A over {rounds} rounds: median "
            f"{statistics.median(ratios):.3f}, quartiles {np.percentile(ratios, 25):.3f}-{np.percentile(ratios, 75):.3f}; "
            f"run CPU A {statistics.median(r[0] for r in runs[0]):.3f} B {statistics.median(r[0] for r in runs[1]):.3f}; "
            f"same counts: {same}")


if __name__ == "__main__":
    main()
