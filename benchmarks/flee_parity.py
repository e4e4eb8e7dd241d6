"""Flee 3.1 and caravana side by side on Flee's validation cases: error and speed.

For each scenario and seed, in pairs (one tool right after the other, so both meet the
same load on a shared machine):

- **Flee 3.1 as a whole process**: ``python flee31_reference.py FOLDER --seed S --in-process``,
  timed from outside (wall, and the child's CPU time from ``resource``: Python's start,
  Flee's import, reading the folder, the run). The child also reports its own
  setup + loop time, the **in-process** figure.
- **caravana as a whole process**: ``caravana run NAME --seed S``, timed the same way
  (start-up, Numba's cached kernels, the run, writing counts, out.csv and the catalogue row);
  its ARD is read back from the ``out.csv`` it wrote.
- **caravana in process**: ``load_scenario`` + ``simulation(...).run()`` in this process
  (kernels already loaded), wall and CPU (``time.process_time``).
- **caravana as a whole process, kernels compiled ahead of time**: the same command with Flee's
  kernels compiled once into an extension module (``python -m caravana.engine.aot``, built into
  this run's temporary folder), so that the process imports no Numba.

Then, per scenario, one more caravana run in process (seed 0), taken apart: CPU of each
behaviour's daily steps, of Flee's compiled movement kernel within them, of the engine's loop
and of writing the results; the person-days the kernel's daily pass goes over; the random
64-bit words each behaviour's stream drew (from the streams' first and last states, which
identical counts fix), and how long NumPy's PCG64 takes to draw as many by themselves. With
the no-Numba floor, that says whether the draws alone rule out 300x, and how many ns of
simulation per word drawn 300x would allow against today's.

Both tools' ARD (Flee's averaged relative difference, normal and rescaled) are computed by
``caravana.flee.averaged_relative_difference`` against the same UNHCR counts. Prints mean ±
sd over seeds, and Flee / caravana ratios of mean wall and CPU time, in process and as
whole processes. CPU ratios are the ones to trust on a loaded machine. Needs
``pip install --no-deps flee==3.1`` (see benchmarks/README.md).

    python benchmarks/flee_parity.py                       # mali2012, burundi2015, 3 seeds
    python benchmarks/flee_parity.py --scenarios mali2012 --seeds 5 --days 100
    python benchmarks/flee_parity.py --seeds 1 --flee-runs DIR   # Flee's runs kept in DIR, reused
    python benchmarks/flee_parity.py --seeds 1 --repeat 5  # caravana timed 5 times a seed, medians

Flee takes minutes of CPU a run (mali2012 about 3 min): with ``--flee-runs DIR`` each Flee run
is stored in DIR with its whole-process times, the date and the load, and a later call with
the same scenario, seed and days reads it instead of running Flee again (the output says so).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from caravana import load_scenario, simulation
from caravana.behaviours import flee_movement
from caravana.engine.pcg import draws_between
from caravana.flee import averaged_relative_difference, compare_camps
from caravana.results.io import write_results
from caravana.scenario.load import builtin_path

sys.path.insert(0, str(Path(__file__).parent))
from startup import FLOOR, default_caravana, timed, writing_bytecode  # noqa: E402  (one whole-process timer for both benchmarks)

FLOOR_CODE = list(FLOOR.values())[-1]  # Python, NumPy, Numba and one kernel from Numba's cache
# The libraries a run imports besides Numba (NumPy, pyarrow's Parquet and CSV writers (not pyarrow.parquet:
# caravana.results.parquet), PyYAML, sqlite3
# for the catalogue, Typer, Rich's console and table for the summary, pydantic): the floor a process would
# pay if its kernels needed no Numba at run time (compiled ahead of time), which is as low as a whole
# `caravana run` can go. pydantic as a run loads it: the part both the scenario's models and Typer (0.29
# reads a command's parameters with it) import, then Typer's own adapters (`typer._adapters`, little once
# pydantic is in); a bare `import pydantic` loads almost nothing (its names load when first used).
# Not rich.progress: a run whose stderr is not a terminal (as here) draws no bar and never imports it
# (caravana.cli.common.run_with_progress; tests/test_startup.py pins it).
NO_NUMBA_CODE = ("import numpy, pyarrow, pyarrow._parquet, pyarrow.csv, yaml, sqlite3, typer, rich.console, rich.table, "
                 "pydantic.main, pydantic.fields, pydantic.type_adapter, pydantic.functional_validators, typer._adapters")
TARGET = 300  # issue 17: a whole-process CPU ratio of 300x

HERE = Path(__file__).parent


def flee_process(folder: Path, seed: int, days: int | None, work: Path, keep: Path | None = None) -> dict:
    """Flee 3.1 in a fresh process: its ARD, its own in-process times and the whole process's.

    With ``keep`` (a folder), a run measured earlier for the same folder, seed and days is
    read from there instead of run again (Flee takes minutes of CPU a run), and a new run is
    stored there with its whole-process times, date and load.
    """
    stored = None if keep is None else keep / f"flee-{folder.name}-seed{seed}-{days or 'all'}days.json"
    if stored is not None and stored.exists():
        res = json.loads(stored.read_text())
        print(f"Flee 3.1 {folder.name} seed {seed}: measured {res['measured']} (load average {res['load']:.1f} "
              f"as it started), read from {stored}", flush=True)
        wall, cpu = res["whole_wall"], res["whole_cpu"]
    else:
        out = work / f"flee-{folder.name}-{seed}.json"
        cmd = [sys.executable, str(HERE / "flee31_reference.py"), str(folder), "--seed", str(seed), "--in-process",
               "--json", str(out)] + ([] if days is None else ["--days", str(days)])
        load = os.getloadavg()[0]
        wall, cpu = timed(cmd, dict(os.environ))
        res = json.loads(out.read_text())
        if stored is not None:
            stored.parent.mkdir(parents=True, exist_ok=True)
            measured = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
            stored.write_text(json.dumps({**res, "whole_wall": wall, "whole_cpu": cpu, "measured": measured,
                                          "load": load}) + "\n")
    ard = averaged_relative_difference(np.array(res["sim"]), np.array(res["data"]))
    return {"ard": ard, "data": np.array(res["data"]), "in_wall": res["wall_seconds"], "in_cpu": res["cpu_seconds"],
            "wall": wall, "cpu": cpu}


def caravana_process(caravana: str, name: str, seed: int, days: int | None, work: Path, warm_up: bool = False,
                     ahead: Path | None = None) -> dict:
    """``caravana run`` as a whole process; its ARD from the out.csv it wrote. A ``warm_up``
    run may write Python's bytecode cache (as ``pip install`` does) and Numba's. With
    ``ahead`` (a folder holding the kernels compiled ahead of time, caravana.engine.aot)
    the run uses them; else Numba's cached kernels."""
    out = work / f"caravana-{Path(name).name}-{seed}"
    cmd = [caravana, "run", name, "--seed", str(seed), "--out", str(out)] + ([] if days is None else ["--days", str(days)])
    env = dict(os.environ, CARAVANA_HOME=str(work / "home"), CARAVANA_AOT_DIR=str(ahead or work / "no-aot"))
    wall, cpu = timed(cmd, writing_bytecode(env) if warm_up else env)
    with open(out / "out.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    camps = [c[: -len(" sim")] for c in rows[0] if c.endswith(" sim")]
    sim = np.array([[float(r[f"{c} sim"]) for c in camps] for r in rows])
    data = np.array([[float(r[f"{c} data"]) for c in camps] for r in rows])
    shutil.rmtree(out)
    return {"ard": averaged_relative_difference(sim, data), "wall": wall, "cpu": cpu}


def caravana_in_process(folder: Path, seed: int, days: int | None) -> dict:
    """Loading and running in this process (kernels loaded): ARD, wall and CPU seconds."""
    t0, c0 = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scenario = load_scenario(folder)
    results = simulation(scenario, seed=seed, days=days).run()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    comparison = compare_camps(results, scenario)
    return {"ard": averaged_relative_difference(comparison.simulated, comparison.observed), "wall": wall, "cpu": cpu,
            "data": comparison.observed}


def caravana_taken_apart(folder: Path, seed: int, days: int | None, work: Path) -> dict:
    """One more run in this process (not used for the ratios), taken apart: the CPU time of
    each behaviour's daily steps, of Flee's compiled movement kernel within them and of the
    engine's loop around them, then of writing the results; the people the kernel's daily
    pass goes over (summed over days) and those it lists as having set off or arrived; and
    the 64-bit random words each behaviour's stream drew (``engine.pcg.draws_between``, from
    its first and last states: no kernel is instrumented). Identical counts fix these words:
    the same numbers, in the same order."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scenario = load_scenario(folder)
    sim = simulation(scenario, seed=seed, days=days)
    first = {b.name: b.rng.bit_generator.state for b in sim.behaviours}
    cpu = dict.fromkeys(first, 0.0)
    for behaviour in sim.behaviours:
        def step(s, step=behaviour.step, name=behaviour.name):
            c = time.process_time()
            step(s)
            cpu[name] += time.process_time() - c
        behaviour.step = step  # type: ignore[method-assign]  # (this run's objects only)
    kernel = {"cpu": 0.0, "listed": 0}
    real = flee_movement.move_people

    def timed_kernel(*args):
        c = time.process_time()
        k = real(*args)
        kernel["cpu"] += time.process_time() - c
        kernel["listed"] += k
        return k

    flee_movement.move_people = timed_kernel  # restored below: nothing else runs meanwhile
    try:
        c = time.process_time()
        results = sim.run()
        run_cpu = time.process_time() - c
    finally:
        flee_movement.move_people = real
    write_results(results, work / "taken-apart")  # once first: pyarrow's first use probes for pandas
    c = time.process_time()
    write_results(results, work / "taken-apart")
    writing = time.process_time() - c
    shutil.rmtree(work / "taken-apart")
    words = {b.name: draws_between(first[b.name], b.rng.bit_generator.state) for b in sim.behaviours}
    return {"cpu": cpu, "kernel": kernel["cpu"], "listed": kernel["listed"], "loop": run_cpu - sum(cpu.values()),
            "run": run_cpu, "writing": writing, "person_days": int(results.spawned.sum()), "words": words}


def draws_alone(words: int, repeat: int = 3) -> float:
    """CPU seconds NumPy's PCG64 takes to draw ``words`` 64-bit words by themselves (its C loop,
    ``random_raw``, a million at a time; the least of ``repeat`` tries): the random numbers a
    run needs, with no work around them."""
    best = float("inf")
    for _ in range(repeat):
        bits = np.random.PCG64(0)
        c = time.process_time()
        for start in range(0, words, 1 << 20):
            bits.random_raw(min(1 << 20, words - start))
        best = min(best, time.process_time() - c)
    return best


def explain(parts: dict, flee_cpu: float, budget: float, floor: float, sim_cpu: float,
            whole: tuple[float, float]) -> dict:
    """Print where a run's CPU goes and what the random draws alone would allow (issue 17's
    bound); returns the figures for the JSON report. ``floor``: the floor with no Numba;
    ``whole``: a whole process's CPU and its floor (with no Numba when the kernels were
    compiled ahead of time, else with Numba)."""
    cpu, words = parts["cpu"], parts["words"]
    total_words = sum(words.values())
    steps = ", ".join(f"{n} {t:.3f}" + (f" (its compiled kernel {parts['kernel']:.3f})" if n == "movement" else "")
                      for n, t in sorted(cpu.items(), key=lambda kv: -kv[1]))
    print(f"one more run in process, taken apart (CPU s): {parts['run']:.3f} = {steps}, the engine's loop "
          f"{parts['loop']:.3f}; then writing the results {parts['writing']:.3f}")
    print(f"the whole process beyond the floor and the simulation in process (caravana's own imports, the command "
          f"line, reading the scenario, writing, summary, catalogue): {whole[0]:.2f} - {whole[1]:.2f} - {sim_cpu:.2f} = "
          f"{whole[0] - whole[1] - sim_cpu:.2f} s")
    per_stream = ", ".join(f"{n} {w:,}" for n, w in sorted(words.items(), key=lambda kv: -kv[1]) if w)
    print(f"work of the run: {parts['person_days'] / 1e6:.1f} M person-days gone over by the kernel's daily pass, "
          f"{parts['listed'] / 1e6:.1f} M set off or arrived; {total_words / 1e6:.2f} M random 64-bit words drawn "
          f"({per_stream}), fixed by identical counts")
    alone = draws_alone(total_words)
    print(f"the random draws alone: NumPy's PCG64 draws {total_words / 1e6:.2f} M words in {alone:.3f} s CPU, "
          f"{alone / max(total_words, 1) * 1e9:.1f} ns a word; with only them and the no-Numba floor a whole process "
          f"could reach {flee_cpu:.1f} / {floor + alone:.2f} s = {flee_cpu / (floor + alone):.0f}x, so the draws "
          f"{'do not rule out' if flee_cpu / (floor + alone) >= TARGET else 'alone rule out'} {TARGET}x")
    kernel_ns = parts["kernel"] / max(total_words, 1) * 1e9
    room = budget - floor
    if room > 0 and total_words:
        print(f"today the kernel spends {kernel_ns:.0f} ns a word drawn (its branches, look-ups and head-counts "
              f"around each draw), the simulation {sim_cpu / total_words * 1e9:.0f} ns; {TARGET}x with the "
              f"no-Numba floor and everything else free allows {room / total_words * 1e9:.0f} ns a word for the "
              f"whole simulation, {sim_cpu / room:.1f}x less than today's")
    return {**parts, "total_words": total_words, "draws_alone_cpu": alone,
            "bound_with_draws_alone": flee_cpu / (floor + alone), "kernel_ns_per_word": kernel_ns}


def mean_sd(values) -> str:
    a = np.asarray(values, dtype=float)
    sd = a.std(ddof=1) if len(a) > 1 else 0.0
    return f"{a.mean():.4f} ± {sd:.4f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", nargs="*", default=["mali2012", "burundi2015"])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--days", type=int, default=None, help="Shorter runs (default: the whole period).")
    parser.add_argument("--caravana", default=default_caravana(),
                        help="The caravana executable timed as a whole process.")
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures to this file.")
    parser.add_argument("--repeat", type=int, default=1,
                        help="Time caravana this many times per seed (in process and as a whole process) and "
                             "keep the medians; Flee runs once.")
    parser.add_argument("--flee-runs", type=Path, default=None,
                        help="A folder of Flee runs: reuse those measured before for the same scenario, seed and "
                             "days (said so in the output), store new ones there.")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="caravana-parity-"))
    print(f"caravana executable: {args.caravana}; load average at start: {os.getloadavg()[0]:.1f}", flush=True)

    # Kernels compiled (or loaded from Numba's cache) before anything is timed, in this
    # process and on disk for the whole-process runs, and caravana's bytecode cached.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        simulation(load_scenario("mali2012"), seed=0, days=2).run()
    for name in args.scenarios:
        caravana_process(args.caravana, name, 0, 2, work, warm_up=True)
    # Flee's kernels compiled ahead of time (python -m caravana.engine.aot), into this run's
    # folder: a third row, caravana as a whole process with no Numba imported.
    python = str(Path(args.caravana).with_name("python"))
    ahead: Path | None = work / "aot"
    built = subprocess.run([python, "-m", "caravana.engine.aot"], capture_output=True, text=True,
                           env=dict(os.environ, CARAVANA_AOT_DIR=str(ahead)))
    print(built.stdout.strip() or f"kernels not compiled ahead of time:\n{built.stderr[-1500:]}", flush=True)
    if built.returncode != 0:
        ahead = None
    else:
        for name in args.scenarios:
            caravana_process(args.caravana, name, 0, 2, work, warm_up=True, ahead=ahead)

    # What any caravana process pays before simulating: Python, NumPy, Numba, one cached kernel.
    # (NumPy's BLAS with one thread, as `caravana run` sets it unless the user did: caravana.cli.probes)
    for_floor = dict(os.environ, CARAVANA_HOME=str(work / "home"), CARAVANA_AOT_DIR=str(work / "no-aot"))
    for_floor.setdefault("OPENBLAS_NUM_THREADS", "1")
    timed([python, "-c", FLOOR_CODE], writing_bytecode(for_floor))
    floor_cpu = float(np.median([timed([python, "-c", FLOOR_CODE], for_floor)[1] for _ in range(max(3, args.repeat))]))
    timed([python, "-c", NO_NUMBA_CODE], writing_bytecode(for_floor))
    no_numba_cpu = float(np.median([timed([python, "-c", NO_NUMBA_CODE], for_floor)[1]
                                    for _ in range(max(3, args.repeat))]))
    # The same floor library by library (each process imports one more): what of the budget
    # goes to the libraries a run imports, whatever caravana does.
    steps, parts = [], []
    for library in ["", *NO_NUMBA_CODE.removeprefix("import ").split(", ")]:
        steps.append(library)
        code = f"import {', '.join(steps[1:])}" if library else "pass"
        cpu = float(np.median([timed([python, "-c", code], for_floor)[1] for _ in range(max(3, args.repeat))]))
        parts.append(f"{'+ ' + library if library else 'Python alone'} {cpu:.2f}")
    print(f"the no-Numba floor library by library (CPU s, each process one import more): {', '.join(parts)}",
          flush=True)

    report = {}
    for name in args.scenarios:
        folder = builtin_path(name) or Path(name)
        rows: dict[str, list[dict]] = {"flee": [], "process": [], "in_process": [], "ahead": []}
        for seed in range(args.seeds):
            flee = flee_process(folder, seed, args.days, work, args.flee_runs)
            # caravana's runs are short and noisy on a shared machine: the median of --repeat
            # (same seed, same results), in process and as whole processes.
            wholes, aheads = [], []
            for _ in range(args.repeat):  # alternating, so that both meet the same load
                wholes.append(caravana_process(args.caravana, name, seed, args.days, work))
                if ahead is not None:
                    aheads.append(caravana_process(args.caravana, name, seed, args.days, work, ahead=ahead))
            whole = {**wholes[0], **{k: float(np.median([w[k] for w in wholes])) for k in ("wall", "cpu")}}
            if aheads:
                rows["ahead"].append({**aheads[0], **{k: float(np.median([w[k] for w in aheads]))
                                                      for k in ("wall", "cpu")}})
            insides = [caravana_in_process(folder, seed, args.days) for _ in range(args.repeat)]
            inside = {**insides[0], **{k: float(np.median([w[k] for w in insides])) for k in ("wall", "cpu")}}
            same_data = flee["data"].shape == inside["data"].shape and np.allclose(flee["data"], inside["data"])
            rows["flee"].append(flee)
            rows["process"].append(whole)
            rows["in_process"].append(inside)
            print(f"{name} seed {seed}: Flee ARD {flee['ard'][0]:.4f}, CPU {flee['cpu']:.1f} s whole process "
                  f"({flee['in_cpu']:.1f} s in process); caravana ARD {whole['ard'][0]:.4f} (in process "
                  f"{inside['ard'][0]:.4f}), CPU {whole['cpu']:.2f} s whole process ({inside['cpu']:.2f} s in process); "
                  f"same observed counts: {same_data}", flush=True)

        def col(kind: str, key: str, rows: dict[str, list[dict]] = rows) -> np.ndarray:
            return np.array([r[key] for r in rows[kind]], dtype=float)

        flee_ard = np.array([r["ard"] for r in rows["flee"]])
        car_ard = np.array([r["ard"] for r in rows["process"]])
        in_ard = np.array([r["ard"] for r in rows["in_process"]])
        ratios = {
            "in_process_wall": col("flee", "in_wall").mean() / col("in_process", "wall").mean(),
            "in_process_cpu": col("flee", "in_cpu").mean() / col("in_process", "cpu").mean(),
            "whole_process_wall": col("flee", "wall").mean() / col("process", "wall").mean(),
            "whole_process_cpu": col("flee", "cpu").mean() / col("process", "cpu").mean(),
        }
        paired_cpu = col("flee", "cpu") / col("process", "cpu")
        f_sd = flee_ard[:, 0].std(ddof=1) if len(flee_ard) > 1 else 0.0
        gap_in_sd = abs(car_ard[:, 0].mean() - flee_ard[:, 0].mean()) / f_sd if f_sd > 0 else float("inf")
        report[name] = {
            "seeds": args.seeds, "days": args.days, "caravana_repeat": args.repeat,
            "flee_ard": flee_ard.tolist(), "caravana_ard": car_ard.tolist(), "caravana_in_process_ard": in_ard.tolist(),
            **{f"{kind}_{key}": col(kind, key).tolist() for kind, keys in
               {"flee": ("in_wall", "in_cpu", "wall", "cpu"), "process": ("wall", "cpu"),
                "in_process": ("wall", "cpu")}.items() for key in keys},
            "ratios": ratios, "paired_whole_process_cpu_ratios": paired_cpu.tolist(),
        }
        print()
        print(f"== {name} ({args.seeds} seeds, {'full period' if args.days is None else f'{args.days} days'}; "
              f"caravana's times: medians of {args.repeat} runs a seed; load average now {os.getloadavg()[0]:.1f})")
        print(f"{'':26} {'ARD':>17} {'ARD rescaled':>17} {'wall s':>8} {'CPU s':>8}")
        for label, ard, kind, wall, cpu in (
            ("Flee 3.1, in process", flee_ard, "flee", "in_wall", "in_cpu"),
            ("Flee 3.1, whole process", flee_ard, "flee", "wall", "cpu"),
            ("caravana, in process", in_ard, "in_process", "wall", "cpu"),
            ("caravana, whole process", car_ard, "process", "wall", "cpu"),
            *((("caravana, whole, ahead", np.array([r["ard"] for r in rows["ahead"]]), "ahead", "wall", "cpu"),)
              if rows["ahead"] else ()),
        ):
            print(f"{label:26} {mean_sd(ard[:, 0]):>17} {mean_sd(ard[:, 1]):>17} "
                  f"{col(kind, wall).mean():8.2f} {col(kind, cpu).mean():8.2f}")
        print(f"Flee / caravana, in process:    wall {ratios['in_process_wall']:.0f}x, CPU {ratios['in_process_cpu']:.0f}x")
        print(f"Flee / caravana, whole process: wall {ratios['whole_process_wall']:.0f}x, CPU {ratios['whole_process_cpu']:.0f}x "
              f"(paired per seed: {', '.join(f'{r:.0f}x' for r in paired_cpu)})")
        if rows["ahead"]:
            ratios["whole_process_ahead_cpu"] = col("flee", "cpu").mean() / col("ahead", "cpu").mean()
            ratios["whole_process_ahead_wall"] = col("flee", "wall").mean() / col("ahead", "wall").mean()
            same = bool(np.allclose(np.array([r["ard"] for r in rows["ahead"]]), car_ard, atol=5e-5))
            print(f"Flee / caravana, whole process, kernels compiled ahead of time (no Numba imported): "
                  f"wall {ratios['whole_process_ahead_wall']:.0f}x, CPU {ratios['whole_process_ahead_cpu']:.0f}x; "
                  f"same ARD as with Numba's kernels: {same}")
        gap = (f"|mean ARD gap| = {gap_in_sd:.2f} Flee seed-sd" if np.isfinite(gap_in_sd) else
               f"|mean ARD gap| = {abs(car_ard[:, 0].mean() - flee_ard[:, 0].mean()):.4f} (one Flee seed: no seed-sd)")
        print(f"{gap}; caravana's whole-process ARD equals its in-process ARD: "
              f"{bool(np.allclose(car_ard, in_ard, atol=5e-5))}")
        flee_cpu, sim_cpu = col("flee", "cpu").mean(), col("in_process", "cpu").mean()
        budget = flee_cpu / TARGET
        print(f"{TARGET:.0f}x as a whole process needs caravana's whole process under {budget:.2f} s CPU; "
              f"the floor under any run, measured now: {floor_cpu:.2f} s; the simulation in process: "
              f"{sim_cpu:.2f} s")
        # Even if everything else a run does (command line, reading the scenario, writing the
        # results) cost nothing, a whole process pays the floor and the simulation.
        least = floor_cpu + sim_cpu
        print(f"the most a whole process can reach with today's simulation: Flee's CPU / (floor + simulation in "
              f"process) = {flee_cpu:.1f} / {least:.2f} s = {flee_cpu / least:.0f}x")
        # The same bound with no Numba in the process (kernels compiled ahead of time), and
        # what the simulation itself would have to cost for the target, with either floor.
        least_aot = no_numba_cpu + sim_cpu
        print(f"with no Numba at run time (floor: Python, NumPy, pyarrow, PyYAML, sqlite3, Typer, Rich, pydantic imported, "
              f"{no_numba_cpu:.2f} s): at most {flee_cpu:.1f} / {least_aot:.2f} s = {flee_cpu / least_aot:.0f}x")
        for label, base in (("with Numba's floor", floor_cpu), ("with no Numba", no_numba_cpu)):
            room = budget - base
            need = (f"the simulation in process under {room:.2f} s CPU, {sim_cpu / room:.1f}x faster than today's"
                    if room > 0 else "less than nothing: the floor alone is over the budget")
            print(f"{TARGET:.0f}x {label} needs {need} (and everything else a run does free)")
        report[name]["floor_cpu"] = floor_cpu
        report[name]["floor_cpu_without_numba"] = no_numba_cpu
        report[name]["bound_whole_process_cpu_ratio"] = flee_cpu / least
        report[name]["bound_whole_process_cpu_ratio_without_numba"] = flee_cpu / least_aot
        # (the whole process with no Numba, against the floor with no Numba, when there is one)
        whole = ((col("ahead", "cpu").mean(), no_numba_cpu) if rows["ahead"] else
                 (col("process", "cpu").mean(), floor_cpu))
        report[name]["taken_apart"] = explain(caravana_taken_apart(folder, 0, args.days, work), flee_cpu, budget,
                                              no_numba_cpu, sim_cpu, whole)
        print(flush=True)
    shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
