"""A/B of Flee's movement kernel: Numba's (A) against the same kernel in C (B), in one process.

    nice -n 5 python benchmarks/flee_kernel_c/ab.py mali2012 burundi2015 --seeds 1 2 3 --rounds 8 \
        --march generic native

A is ``src/caravana/behaviours/flee_kernels.py`` compiled by Numba as a copy of the module (as
``benchmarks/flee_kernel_ab.py`` does); each B is ``kernel.c`` built by ``ckernel.load`` for one
``--march`` (``generic``: the compiler's default x86-64 target), and with ``--pgo`` each also with
gcc's profile-guided optimisation, trained on the other scenarios given (seed ``--train-seed``).
With ``--a aot``, A is Numba's kernel compiled ahead of time instead (the build a whole process runs). First, for each scenario and each
``--seeds`` seed, one whole run with A and one with each B: their daily counts must be identical.
Then, per scenario and build, ``--rounds`` rounds of four runs of seed ``--seed`` (ABBA, BAAB in
turn), as ``flee_kernel_ab.py`` times them: the kernel's CPU (``time.process_time`` around each
call, its Python side included), the median and quartiles over the rounds of B/A, and whether
every run gave the same counts. Also the Python side of B's call alone (filling and checking the
struct), per call, and the load average at start and end.
"""

from __future__ import annotations

import argparse
import inspect
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import ckernel  # noqa: E402
import flee_kernel_ab as ab  # noqa: E402

from caravana import load_scenario  # noqa: E402
from caravana.behaviours import flee_movement  # noqa: E402

SOURCE = HERE.parents[1] / "src" / "caravana" / "behaviours" / "flee_kernels.py"


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def python_side(kernel, scenario, seed: int) -> tuple[int, float]:
    """Calls of B's kernel in a run and the CPU its Python side (``prepare``) takes per call, timed on
    each day's arguments again after the run (medians of 5 repeats)."""
    days = []

    def record(*args):
        days.append(args)
        return kernel(*args)

    flee_movement.move_people = record
    try:
        ab.simulation(scenario, seed=seed).run()
    finally:
        flee_movement.move_people = ab.REAL
    times = []
    for _ in range(5):
        c = time.process_time()
        for args in days:
            kernel.prepare(*args)
        times.append(time.process_time() - c)
    return len(days), statistics.median(times) / len(days)


# Run in a subprocess by pgo_build: the instrumented kernel over the training runs (its profile is written at exit).
TRAIN = """
import sys, warnings
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import ckernel
from caravana import load_scenario, simulation
from caravana.behaviours import flee_movement
march = None if sys.argv[3] == "generic" else sys.argv[3]
flee_movement.move_people = ckernel.load(march, Path(sys.argv[2]), "generate", "-train")
for name in sys.argv[5:]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scenario = load_scenario(name)
    simulation(scenario, seed=int(sys.argv[4])).run()
"""


def pgo_build(march: str, train_on: list[str], seed: int, folder: Path):
    """The kernel built for ``march`` with gcc's profile-guided optimisation, its profile taken from
    runs of ``train_on`` at ``seed`` (another scenario than the one timed, and a seed not compared)."""
    where = folder / f"pgo-{march}-{'-'.join(train_on)}"
    where.mkdir()
    subprocess.run([sys.executable, "-c", TRAIN, str(HERE), str(where), march, str(seed), *train_on], check=True)
    return ckernel.load(None if march == "generic" else march, where, "use", "-pgo")


def aot_kernel(folder: Path):
    """Numba's ``move_people`` compiled ahead of time (``python -m caravana.engine.aot`` into ``folder``), called
    as the package calls it in a whole process (``engine.jit.Deferred``: the signature checked, then the export)."""
    import importlib.machinery
    import importlib.util
    import os

    from caravana.engine import aot

    env = dict(os.environ, CARAVANA_AOT_DIR=str(folder))
    subprocess.run([sys.executable, "-m", "caravana.engine.aot"], check=True, env=env, capture_output=True)
    path = next(folder.glob(f"{aot.module_name()}*"))
    loader = importlib.machinery.ExtensionFileLoader(aot.module_name(), str(path))
    spec = importlib.util.spec_from_file_location(aot.module_name(), path, loader=loader)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    loader.exec_module(module)
    entry = ("caravana.behaviours.flee_kernels", "move_people")
    export, signature = getattr(module, aot.export_name(*entry)), aot.Signature(aot.ENTRIES[entry])

    def move_people(*args):
        if not signature.matches(args):
            raise TypeError("arguments not of the types compiled ahead of time")
        return export(*args)

    move_people.py_func = move_people  # type: ignore[attr-defined]
    move_people.__signature__ = inspect.signature(ab.REAL.py_func)  # type: ignore[attr-defined]
    return move_people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="+")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3], help="seeds whose counts are compared")
    parser.add_argument("--seed", type=int, default=1, help="the seed of the timed rounds")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--march", nargs="+", default=["generic", "native"])
    parser.add_argument("--pgo", action="store_true", help="also each build with gcc's profile-guided optimisation, "
                        "trained on the other scenarios given (seed --train-seed)")
    parser.add_argument("--train-seed", type=int, default=7)
    parser.add_argument("--a", choices=("numba", "aot"), default="numba",
                        help="A: Numba's kernel compiled in process (as flee_kernel_ab.py), or compiled ahead of time "
                        "(the build a whole process runs; python -m caravana.engine.aot, generic x86-64)")
    args = parser.parse_args()
    print(f"# load at start {load_average()}, {time.strftime('%H:%M', time.gmtime())} UTC; A {SOURCE} (Numba, {args.a}), "
          f"B kernel.c built with cc -O3 -ffp-contract=off -fno-math-errno [-march]", flush=True)
    caller = list(inspect.signature(ab.REAL.py_func).parameters)
    with tempfile.TemporaryDirectory(prefix="caravana-ckernel-ab-") as folder:
        if args.a == "aot":
            (Path(folder) / "aot").mkdir()
            a = ab.by_name(aot_kernel(Path(folder) / "aot"), caller)
        else:
            a = ab.by_name(ab.compiled_copy(SOURCE, "kernel_a", Path(folder)), caller)
        builds = {march: ckernel.load(None if march == "generic" else march, Path(folder)) for march in args.march}
        for name in args.scenarios:
            if args.pgo:
                others = [s for s in args.scenarios if s != name]
                for march in args.march:
                    builds[f"{march}+pgo"] = pgo_build(march, others, args.train_seed, Path(folder))
                    print(f"{name}: {march}+pgo trained on {others} seed {args.train_seed}", flush=True)
            bs = {march: ab.by_name(kernel, caller) for march, kernel in builds.items()}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                scenario = load_scenario(name)
            for seed in args.seeds:
                counts = {"A": ab.one_run(scenario, seed, *a)[2]}
                counts.update({f"B {march}": ab.one_run(scenario, seed, *b)[2] for march, b in bs.items()})
                print(f"{name} seed {seed}: counts (sha256 of the daily counts) {counts}; identical: "
                      f"{len(set(counts.values())) == 1}", flush=True)
            for march, b in bs.items():
                calls, per_call = python_side(builds[march], scenario, args.seed)
                print(f"{name} B {march}: {calls} calls a run, Python side {per_call * 1e6:.1f} us a call "
                      f"({calls * per_call:.4f} s a run)", flush=True)
                compare(name, scenario, args, a, b, march)
    print(f"# load at end {load_average()}, {time.strftime('%H:%M', time.gmtime())} UTC")


def compare(name: str, scenario, args: argparse.Namespace, a, b, march: str) -> None:
    """``flee_kernel_ab``'s alternated rounds for one scenario, A against build ``march``."""
    load = load_average()
    runs = ab.alternated(scenario, args.seed, [a, b], args.rounds)
    print(f"{name} B {march}: {ab.summary(runs)}; load {load} -> {load_average()}", flush=True)


if __name__ == "__main__":
    main()
