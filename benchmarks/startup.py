"""How long `caravana` takes as a whole process: start-up and small built-in runs.

Measures, each as a fresh process after one warm-up (Numba's on-disk cache, Python's
bytecode cache and the OS file cache warm, as after `pip install`: the warm-up may write
`__pycache__` even when PYTHONDONTWRITEBYTECODE is set): `caravana --help`,
`caravana run mali2012`, `caravana run burundi2015`, `caravana run corridor`. Prints the minimum and median wall time
and the child's CPU time (user+system, from `resource`); then the floor under any run,
measured the same way: Python alone, with NumPy, with NumPy and Numba, and with one cached
kernel called; then a summary of `python -X importtime` for `caravana --help` and for
`caravana run mali2012` (modules, heavy packages, the costliest packages and modules).

    python benchmarks/startup.py [--repeat 5] [--caravana PATH] [--top 15] [--before REF ...]

`--caravana` picks the executable (e.g. another checkout's venv) to compare versions.
The commands are timed twice, alternating: with the kernels as Numba's cache holds them
("now", `$CARAVANA_AOT_DIR` an empty folder), and with Flee's kernels compiled ahead of time
(`python -m caravana.engine.aot`, built once here into a temporary folder; "now, kernels
compiled ahead of time"), where a Flee run imports no Numba: what the console script does
by default since session 7, once it has built them (caravana.engine.aot.ensure). `--no-ahead`
skips the second.
`--before REF` (repeatable) also times the code of git revision REF (its `src/`, exported to a temporary
folder and run with this Python, with Numba's kernels), or another checkout's `caravana` executable
as it is (REF a path to it: its own venv and compiled bytecode), in the same run and alternating with
the current code, and prints both tables and the change. Timings on a shared machine are noisy: compare CPU times,
and medians.

`--instructions` counts instead the machine instructions each command executes (Valgrind's
cachegrind, `I refs`; Python's hash seed fixed), which another process's load does not change:
`caravana --help` and `caravana run S --days 2` for mali2012 and burundi2015, whose count is
nearly all start-up, reading, writing and the summary (two days of simulation), and a whole
`caravana run corridor` (its Numba kernels cached for a generic processor, which Valgrind can run). With `--before REF`,
REF's code is counted too, both with Flee's kernels compiled ahead of time. Then the imports of a
Flee run step by step (IMPORT_STEPS: NumPy and pyarrow, PyYAML, Rich, Typer, pydantic, Typer's pydantic adapters,
caravana's scenario models, the rest of caravana), each step's instructions apart; then where the
instructions of `caravana run S --days 2` go, the command ended after each step in turn (PHASE_EXITS:
imports, reading, building, two days, writing, the summary, the catalogue). Needs `valgrind`;
each command runs about 50x slower under it.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall s, CPU s of the child) for one run of ``cmd``; fails loudly on a non-zero exit."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


# Runs the console script's function of whichever version is on the path (`main` since the
# probes of caravana.cli.probes, `app` before).
LAUNCH = "import sys\nimport caravana.cli as c\nsys.argv[0] = 'caravana'\n(getattr(c, 'main', None) or c.app)()"


def importtime(python: str, env: dict, top: int, argv: list[str]) -> list[tuple[int, int, str]]:
    """The ``top`` slowest imports (cumulative µs, self µs, module) of ``caravana ARGV``."""
    done = subprocess.run([python, "-X", "importtime", "-c", LAUNCH, *argv], env=env, capture_output=True, text=True)
    rows = []
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m[2]), int(m[1]), m[3], m[4]))
    total = sum(r[1] for r in rows)
    print(f"\npython -X importtime, `caravana {' '.join(argv)}`: {len(rows)} modules, {total / 1e6:.2f} s self time in all")
    heavy = ("numba", "optuna", "duckdb", "fastapi", "matplotlib", "dask", "distributed", "scipy", "pandas", "uvicorn")
    # A package counts as imported when one of its submodules loads: an import refused on
    # purpose (caravana.cli.probes) still shows as a line of the bare name.
    loaded = sorted({r[3].split(".")[0] for r in rows if "." in r[3]} & set(heavy))
    print(f"heavy packages imported: {', '.join(loaded) or 'none'}")
    by_package: dict[str, int] = {}
    for r in rows:
        by_package[r[3].split(".")[0]] = by_package.get(r[3].split(".")[0], 0) + r[1]
    print(f"{'self s':>8}  package (sum of its modules' self time), top {top}")
    for name, us in sorted(by_package.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{us / 1e6:8.3f}  {name}")
    top_level = sorted(rows, key=lambda r: -r[0])[:top]
    print(f"{'cumulative s':>12} {'self s':>8}  module (depth shown by indent), top {top}")
    for cum, self_us, indent, name in top_level:
        print(f"{cum / 1e6:12.3f} {self_us / 1e6:8.3f}  {indent}{name}")
    return [(r[0], r[1], r[3]) for r in top_level]


# `caravana ARGV` with CPU-time marks (time.process_time) between its phases, printed as JSON
# on stderr's last line. The libraries a run loads are imported first, as the console script
# loads them (its settings and probes first: caravana.cli.main and caravana.cli.probes), then
# every module of caravana the run imports, so that the phases after "imports" are the work
# itself; the interpreter's own start is measured from outside (the whole process's CPU minus
# the marks).
PHASES = """
import time
t0 = time.process_time()
import atexit, gc, json, os, sys
marks = []
def mark(label):
    marks.append((label, time.process_time()))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as caravana.cli.main sets them for `run`
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
gc.freeze(); gc.set_threshold(100_000, 50, 100); gc.disable()
import caravana.cli.probes as probes
if hasattr(probes, "kernels_for"):
    probes.skip_unused_probes(kernels_later=True)  # pyarrow, its probe
    probes.kernels_for(None)  # Numba, unless Flee's kernels were compiled ahead of time
import numpy, pyarrow, pyarrow._parquet, pyarrow.csv, yaml, sqlite3, typer, rich.console, rich.table  # as a run
import typer._adapters  # pydantic, as Typer loads it to read the command line
mark("imports: libraries (numpy, pyarrow, pydantic, typer/rich, yaml; numba unless ahead of time)")
import caravana.cli as cli, caravana.cli.common, caravana.cli.run, caravana.checkpoint, caravana.catalogue
import caravana.engine.simulation as engine, caravana.model as model, caravana.results.io as io
import caravana.scenario.load as load, caravana.flee.outcsv, caravana.flee.validation, caravana.engine.jit
mark("imports: caravana's modules (the scenario models' classes among them)")
def wrap(module, name, before, after):
    inner = getattr(module, name)
    def wrapped(*args, **kwargs):
        mark(before)
        out = inner(*args, **kwargs)
        mark(after)
        return out
    setattr(module, name, wrapped)
wrap(load, "load_scenario", "command line parsed (Typer, pydantic's first validators), language, probes",
     "scenario read and validated")
wrap(model, "simulation", "overrides", "simulation built (behaviours, population)")
wrap(io, "write_results", "summary values", "results written (Parquet, CSV, world.json, metadata)")
step = engine.Simulation.step
def first_step(self):
    step(self)
    mark("first day (Numba kernels loaded from the cache)")
    engine.Simulation.step = step
engine.Simulation.step = first_step
run_simulation = caravana.checkpoint.run_simulation
def timed_run(*args, **kwargs):
    mark("progress bar")
    out = run_simulation(*args, **kwargs)
    mark("the other days")
    return out
caravana.checkpoint.run_simulation = timed_run
def report():
    mark("summary printed, run catalogued, exit")
    print(json.dumps({"start": t0, "marks": marks}), file=sys.stderr)
atexit.register(report)
sys.argv[0] = "caravana"
cli.main()
"""


START = "interpreter start and exit (the whole process minus the marks)"


def phases(python: str, env: dict, argv: list[str], repeat: int, variant: str = "") -> dict[str, float]:
    """Median CPU seconds of each phase of ``caravana ARGV`` (see PHASES) over ``repeat`` runs."""
    import json

    runs = []
    for i in range(repeat + 1):  # the first is a warm-up
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run([python, "-c", PHASES, *argv], env=env if i else writing_bytecode(env),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(f"phases of {' '.join(argv)} failed:\n{done.stderr[-2000:]}")
        whole = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        got = json.loads(done.stderr.strip().splitlines()[-1])
        times, previous = {START: 0.0}, got["start"]
        for label, t in got["marks"]:
            times[label] = times.get(label, 0.0) + t - previous
            previous = t
        times[START] = whole - (previous - got["start"])
        times["whole process"] = whole
        if i:
            runs.append(times)
    print(f"\nwhere the CPU time of `caravana {' '.join(argv[:2])}`{variant} goes (median of {repeat} runs, s)")
    for label in runs[0]:
        print(f"{statistics.median(r[label] for r in runs):8.3f}  {label}")
    return {label: statistics.median(r[label] for r in runs) for label in runs[0]}


SIMULATING = ("first day (Numba kernels loaded from the cache)", "the other days")


def writing_bytecode(env: dict) -> dict:
    """``env`` with Python allowed to write its bytecode cache (a warm-up's job)."""
    return {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}


# What every caravana run pays before its own work: the interpreter, then (each line one
# import more) the libraries a Flee run with kernels compiled ahead of time loads (pydantic
# as far as Typer's parameter adapters and a first validator load it, with no plugin search
# as the console script has it); then, apart, Numba and Numba's first kernel loaded from its
# cache (caravana.engine.jit's way), what a run without the compiled kernels adds.
_LIBRARIES = [
    ("+ import numpy", "import numpy"),
    ("+ pyarrow (Parquet writer, csv)", "import pyarrow, pyarrow._parquet, pyarrow.csv"),  # not pyarrow.parquet
    ("+ pydantic (validators)", "import typer._adapters, pydantic\n"
                                "pydantic.TypeAdapter(int).validate_python(1)"),
    ("+ PyYAML, sqlite3", "import yaml, sqlite3"),
    ("+ Typer, Rich (console, table)", "import typer, rich.console, rich.table"),
]
FLOOR = {"python -c pass": "pass"}
for _label, _code in _LIBRARIES:
    FLOOR[_label] = "\n".join(filter(None, [FLOOR[list(FLOOR)[-1]].replace("pass", ""), _code]))
FLOOR.update({
    "numpy + import numba": "import numpy, numba",
    "numpy, numba + one cached kernel": ("import numpy as np\nfrom caravana.engine.counting import count_at_places as f\n"
                                         "f(np.zeros(3, np.int32), np.zeros(3, np.int8), 0, np.zeros(1, np.int64))"),
})


def default_caravana() -> str:
    """The caravana of the Python running this script (its venv's), else the one on the PATH: a
    caravana installed elsewhere on the PATH would time other code (it did, in session 12's window)."""
    beside = Path(sys.executable).with_name("caravana")
    return str(beside) if beside.exists() else (shutil.which("caravana") or str(beside))


def floor(python: str, env: dict, repeat: int) -> None:
    """The floor under any run (see FLOOR), timed as whole processes like the commands, with
    NumPy's BLAS on one thread as `caravana run` has it (and as flee_parity.py times it)."""
    env = dict(env, OPENBLAS_NUM_THREADS=env.get("OPENBLAS_NUM_THREADS", "1"),
               PYDANTIC_DISABLE_PLUGINS=env.get("PYDANTIC_DISABLE_PLUGINS", "__all__"))
    for code in FLOOR.values():
        timed([python, "-c", code], writing_bytecode(env))  # warm-up
    print(f"\nfloor under any run ({python}), {repeat} runs each")
    print(f"{'process':<34} {'wall min':>9} {'wall median':>12} {'CPU min':>8} {'CPU median':>11}")
    for label, code in FLOOR.items():
        walls, cpus = zip(*(timed([python, "-c", code], env) for _ in range(repeat)))
        print(f"{label:<34} {min(walls):9.2f} {statistics.median(walls):12.2f} {min(cpus):8.2f} "
              f"{statistics.median(cpus):11.2f}")


def python_of(exe: str) -> str:
    """The Python beside a ``caravana`` executable (its venv's)."""
    return str(Path(exe).with_name("python"))


def before(ref: str, python: str, env: dict, into: Path) -> tuple[list[str], dict]:
    """(command, environment) of an earlier version: another checkout's ``caravana`` executable
    as it is (with its own venv and bytecode), or git revision ``ref``'s ``src/``, exported under
    ``into`` and run with ``python``."""
    if Path(ref).is_file():
        return [ref], dict(env)
    return [python, "-c", LAUNCH], dict(env, PYTHONPATH=str(export_revision(ref, into)))


def export_revision(ref: str, into: Path) -> Path:
    """The ``src/`` folder of git revision ``ref`` of this checkout, exported under ``into``."""
    root = Path(__file__).resolve().parents[1]
    archive = subprocess.run(["git", "-C", str(root), "archive", ref, "src"], capture_output=True, check=True).stdout
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def instructions(python: str, env: dict, argv: list[str], code: str = LAUNCH) -> int:
    """Machine instructions executed by ``caravana ARGV`` (Valgrind's cachegrind, no cache model),
    or by ``python -c CODE``."""
    done = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                           python, "-c", code, *argv], env=dict(env, PYTHONHASHSEED="0"),
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"valgrind {' '.join(argv)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return int(found[1].replace(",", ""))


def count_instructions(python: str, versions: dict[str, dict], work: Path) -> None:
    """The instruction counts of ``--instructions`` (see the module's docstring), each version in turn."""
    commands = {"caravana --help": ["--help"]}
    for scenario in ("mali2012", "burundi2015"):
        commands[f"caravana run {scenario} --days 2"] = ["run", scenario, "--days", "2", "--out", str(work / scenario)]
    # The corridor's kernels are Numba's, not compiled ahead of time. Under Valgrind Numba did not use
    # the kernels it had cached (Valgrind's emulated processor is not the one they were compiled for)
    # and compiled them all (50 billion instructions); compiled and cached for a generic processor
    # (NUMBA_CPU_NAME=generic, a cache of this run's own) they load under Valgrind as they are
    # (session 22: `caravana run corridor --days 2`, tried first, 3.3 billion instructions; the whole run
    # counted here, 3.8 billion).
    commands["caravana run corridor"] = ["run", "corridor", "--out", str(work / "corridor")]
    generic = {"caravana run corridor"}
    counts: dict[str, dict[str, int]] = {}
    for version, env in versions.items():
        envs = {label: dict(env, NUMBA_CPU_NAME="generic", NUMBA_CACHE_DIR=str(work / f"numba-{len(counts)}"))
                if label in generic else env for label in commands}
        for label, argv in commands.items():
            timed([python, "-c", LAUNCH, *argv], writing_bytecode(envs[label]))  # warm-up: bytecode, Numba's cache
        counts[version] = {label: instructions(python, envs[label], argv) for label, argv in commands.items()}
    print("\nmachine instructions executed (millions; valgrind --tool=cachegrind, PYTHONHASHSEED=0)")
    print(f"{'command':<36}" + "".join(f"{v:>28}" for v in versions) + ("      change" if len(versions) > 1 else ""))
    for label in commands:
        row = [counts[v][label] for v in versions]
        change = f"  {100 * (row[-1] / row[0] - 1):+9.1f} %" if len(row) > 1 else ""
        print(f"{label:<36}" + "".join(f"{n / 1e6:28,.0f}" for n in row) + change)


# The imports of a Flee run with its kernels compiled ahead of time, each line one step more, as
# the console script makes them (its probes first, NumPy's BLAS on one thread: else the pool's threads
# add 20-45 M instructions, a different count each time, to NumPy's line): where the instructions of a
# run's start go, whatever the machine's load. pydantic's line is the part of pydantic that both the scenario's models
# and Typer (0.29's adapters) import: a run pays it whatever Typer does. Typer's adapters come after it, on
# a line of their own (reading `run`'s 12 parameters, a TypeAdapter each, adds ~9 M more when the command
# line is read); then the scenario's models (pydantic classes) and the Flee importer.
_PROBES = ("import os\nos.environ.setdefault('PYDANTIC_DISABLE_PLUGINS', '__all__')\n"
           "import caravana.cli.probes as p\np.one_blas_thread()\np.skip_unused_probes(kernels_later=True)\n"
           "p.kernels_for(None)\n")
IMPORT_STEPS = [
    ("python -c pass", ""),
    ("+ numpy, pyarrow (Parquet writer, csv; the console script's probes)",
     _PROBES + "import numpy, pyarrow._parquet, pyarrow.csv"),
    ("+ PyYAML, sqlite3", "import yaml, sqlite3"),
    ("+ Rich (console, table)", "import rich.console, rich.table"),
    ("+ Typer (without pydantic)", "import typer"),
    ("+ pydantic (models, fields, TypeAdapter: what both the scenario and Typer import)",
     "import pydantic.main, pydantic.fields, pydantic.type_adapter, pydantic.functional_validators"),
    ("+ Typer's pydantic adapters", "import typer._adapters"),
    ("+ caravana's scenario models, the Flee importer", "import caravana.scenario.schema, caravana.scenario.load, "
                                                         "caravana.flee.importer"),
    ("+ the rest of caravana a run imports", "import caravana.cli.run, caravana.model, caravana.results.io, "
                                            "caravana.checkpoint, caravana.catalogue, caravana.flee.outcsv"),
]


def count_import_steps(python: str, env: dict) -> None:
    """Instructions of each line of IMPORT_STEPS (cumulative), and each line's share."""
    print("\nthe imports of a Flee run, step by step (millions of instructions, cumulative; each line one "
          "import more; each process ends without Python's teardown, as `caravana run` does)")
    code, previous = "", 0
    for label, step in IMPORT_STEPS:
        code = "\n".join(filter(None, [code, step])) or "pass"
        timed([python, "-c", code], writing_bytecode(env))  # warm-up: bytecode
        count = instructions(python, env, [], code + "\nimport os\nos._exit(0)")
        print(f"{label:<58} {count / 1e6:9,.0f}  {(count - previous) / 1e6:+8,.0f}")
        previous = count


# `caravana ARGV` ended (os._exit, output flushed) right after a function of caravana first returns,
# whichever module imports it and whenever: the function is replaced as its module is first loaded.
# sys.argv[1] names it ("module:function"); the rest is the command line.
EXIT_AFTER = """
import importlib.abc, importlib.machinery, os, sys
module_name, function = sys.argv.pop(1).split(":")
def stop_after(module):
    inner = getattr(module, function)
    def stopping(*args, **kwargs):
        inner(*args, **kwargs)
        sys.stdout.flush(); sys.stderr.flush(); os._exit(0)
    setattr(module, function, stopping)
class Patcher(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != module_name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        load = spec.loader.exec_module
        def exec_module(module):
            load(module)
            stop_after(module)
        spec.loader.exec_module = exec_module
        return spec
sys.meta_path.insert(0, Patcher())
sys.argv[0] = "caravana"
import caravana.cli
caravana.cli.main()
"""
# Where a run's instructions go, each line the command ended one step further (the function after which it ends).
PHASE_EXITS = [
    ("caravana.cli:register", "Python, the probes' NumPy and pyarrow, Typer, Rich, the command's module"),
    ("caravana.cli.common:use_language", "the run's imports (pydantic, the scenario models, PyYAML, sqlite3, "
                                         "results, catalogue), the command line read"),
    ("caravana.flee.settings:read_settings", "simsetting.yml read and validated (pydantic's first validators)"),
    ("caravana.scenario.load:load_scenario", "the rest of the Flee folder read and validated"),
    ("caravana.model:simulation", "the simulation built (the engine's and behaviours' imports)"),
    ("caravana.cli.common:run_with_progress", "two days simulated"),
    ("caravana.results.io:write_results", "results written (Parquet, CSV, out.csv, world.json, metadata)"),
    ("caravana.cli.run:_print_summary", "the summary table printed (Flee's ARD)"),
    ("", "the run catalogued, the last lines printed, exit: the whole command"),
]


def count_phases(python: str, env: dict, work: Path) -> None:
    """Instructions of `caravana run S --days 2` ended after each step of PHASE_EXITS (cumulative)."""
    print("\nwhere the instructions of `caravana run S --days 2` go (millions, cumulative: each line the command "
          "ends one step further; the step's own share on the right)")
    for scenario in ("mali2012", "burundi2015"):
        argv = ["run", scenario, "--days", "2", "--out", str(work / f"phases-{scenario}")]
        timed([python, "-c", LAUNCH, *argv], writing_bytecode(env))  # warm-up: bytecode
        print(f"{scenario}:")
        previous = 0
        for target, label in PHASE_EXITS:
            count = (instructions(python, env, [target, *argv], EXIT_AFTER) if target
                     else instructions(python, env, argv))
            print(f"  {count / 1e6:9,.0f}  {(count - previous) / 1e6:+8,.0f}  {label}")
            previous = count


def table(label: str, results: dict[str, tuple[list[float], list[float]]]) -> dict[str, float]:
    print(f"\n{label}")
    print(f"{'command':<24} {'wall min':>9} {'wall median':>12} {'CPU min':>8} {'CPU median':>11}")
    medians = {}
    for name, (walls, cpus) in results.items():
        print(f"{name:<24} {min(walls):9.2f} {statistics.median(walls):12.2f} {min(cpus):8.2f} {statistics.median(cpus):11.2f}")
        medians[name] = statistics.median(cpus)
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--caravana", default=default_caravana())
    parser.add_argument("--before", action="append", default=[],
                        help="a git revision whose code is timed too, for comparison (repeatable: oldest first)")
    parser.add_argument("--no-ahead", action="store_true", help="do not time the kernels compiled ahead of time")
    parser.add_argument("--instructions", action="store_true",
                        help="count machine instructions under valgrind instead of timing (see the docstring)")
    parser.add_argument("--commands-only", action="store_true",
                        help="with --instructions: count the commands only, not the import steps and phases")
    args = parser.parse_args()
    exe = args.caravana
    python = python_of(exe)
    work = Path(tempfile.mkdtemp(prefix="caravana-startup-"))
    env = dict(os.environ, CARAVANA_HOME=str(work / "home"), COLUMNS="100")
    if args.instructions:
        ahead = dict(env, CARAVANA_AOT_DIR=str(work / "aot"))  # each version's kernels, compiled ahead of time
        counted = {"now": ahead}
        counted = {f"before ({ref})": dict(ahead, PYTHONPATH=str(export_revision(ref, work / f"before-{i}")))
                   for i, ref in enumerate(args.before)} | counted
        for version_env in counted.values():
            subprocess.run([python, "-m", "caravana.engine.aot"], env=version_env, capture_output=True, check=True)
        print(f"python: {python}; load average {os.getloadavg()[0]:.1f}")
        count_instructions(python, counted, work)
        if not args.commands_only:
            count_import_steps(python, counted["now"])
            count_phases(python, counted["now"], work)
        shutil.rmtree(work, ignore_errors=True)
        return
    # "now": Numba's cached kernels (an empty folder for the ahead-of-time module)
    versions = {"now": ([exe], dict(env, CARAVANA_AOT_DIR=str(work / "no-aot")))}
    versions = {f"before ({ref})": before(ref, python, versions["now"][1], work / f"before-{i}")
                for i, ref in enumerate(args.before)} | versions
    # The Python each version runs under (its own venv's, for another checkout's executable).
    pythons = {version: cmd[0] if cmd[1:2] == ["-c"] else python_of(cmd[0]) for version, (cmd, _) in versions.items()}
    ahead_env = None
    if not args.no_ahead:
        ahead_env = dict(env, CARAVANA_AOT_DIR=str(work / "aot"))
        t0 = time.perf_counter()
        built = subprocess.run([python, "-m", "caravana.engine.aot"], env=ahead_env, capture_output=True, text=True)
        if built.returncode != 0:
            print(f"kernels not compiled ahead of time (python -m caravana.engine.aot failed):\n{built.stderr[-1500:]}")
            ahead_env = None
        else:
            print(f"{built.stdout.strip()} (whole command {time.perf_counter() - t0:.1f} s)")
            versions["now, kernels compiled ahead of time"] = ([exe], ahead_env)
    commands = {
        "caravana --help": ["--help"],
        "caravana run mali2012": ["run", "mali2012", "--out", str(work / "mali")],
        "caravana run burundi2015": ["run", "burundi2015", "--out", str(work / "burundi")],
        "caravana run corridor": ["run", "corridor", "--out", str(work / "corridor")],
    }
    print(f"executable: {exe}; {args.repeat} runs each after one warm-up; load average {os.getloadavg()[0]:.1f}")
    results: dict[str, dict[str, tuple[list[float], list[float]]]] = {v: {} for v in versions}
    for label, argv in commands.items():
        for cmd, venv in versions.values():
            timed(cmd + argv, writing_bytecode(venv))  # warm-up: Numba and bytecode caches, file cache
        runs: dict[str, list[tuple[float, float]]] = {v: [] for v in versions}
        for _ in range(args.repeat):  # alternating versions, so both meet the same load
            for version, (cmd, venv) in versions.items():
                runs[version].append(timed(cmd + argv, venv))
        for version in versions:
            walls, cpus = zip(*runs[version])
            results[version][label] = (list(walls), list(cpus))
    medians = {version: table(version, results[version]) for version in versions}
    if len(medians) > 1:
        (old, *newer) = medians.values()
        for label, new in zip(list(medians)[1:], newer):
            print(f"\nCPU median, {list(medians)[0]} -> {label}: "
                  + "; ".join(f"{k} {old[k]:.2f} -> {new[k]:.2f} s" for k in commands))
    floor(python, versions["now"][1], args.repeat)  # Numba and one kernel from its cache
    beyond = []
    for argv in (["run", "mali2012"], ["run", "burundi2015"], ["run", "corridor"]):
        for version, (_, venv) in versions.items():
            variant = "" if version == "now" else f", {version.removeprefix('now, ')},"
            got = phases(pythons.get(version, python), venv, argv + ["--out", str(work / "phases")], args.repeat, variant)
            simulating = sum(got[label] for label in SIMULATING)
            beyond.append((f"{argv[1]}{variant.rstrip(',')}", got["whole process"], simulating))
    print("\nbeyond the simulation: the whole process minus its days (first day and the others), CPU s, medians")
    for label, whole, simulating in beyond:
        print(f"  {label:<58} whole {whole:.3f}  days {simulating:.3f}  beyond {whole - simulating:.3f}")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    for version, (_, venv) in versions.items():
        print(f"\n==== imports, {version}")
        importtime(pythons.get(version, python), venv, args.top, ["--help"])
        importtime(pythons.get(version, python), venv, args.top, ["run", "mali2012", "--out", str(work / "mali-imports")])
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
