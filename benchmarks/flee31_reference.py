"""Reference runner for the original Flee 3.1 (PyPI ``flee==3.1``, BSD-3-Clause).

Benchmarks use it to run the real Flee side by side with caravana on the same
scenario folder (Flee input format: ``input_csv/``, ``source_data/``,
``simsetting.yml``). The daily driver loop is our own; it follows the order of
operations of Flee's upstream run script so that results are comparable with
published Flee validation runs.

Flee keeps state in module globals (``spawning.__refugees_raw``,
``spawning.__refugee_debt``, ``SimulationSettings`` class attributes), so prefer
:func:`run_flee31_isolated`, which runs each simulation in a fresh process.

Command line::

    python benchmarks/flee31_reference.py <folder> --seed N [--days D]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import json
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Flee31Result", "run_flee31", "run_flee31_isolated", "read_sim_period"]


@dataclass
class Flee31Result:
    """Daily output of one Flee 3.1 run (row ``t`` is the state after day ``t``)."""

    camps: list[str]
    sim: np.ndarray  # (days, camps) int: agents in each camp, Location.numAgents
    data: np.ndarray  # (days, camps) float: Flee's interpolated, L1-corrected UNHCR counts
    total_agents: np.ndarray  # (days,) int: Ecosystem.numAgents()
    refugees_raw: np.ndarray  # (days,) int: cumulative raw count from spawn_daily_displaced
    refugee_debt: np.ndarray  # (days,) int: refugee debt from spawn_daily_displaced
    wall_seconds: float  # setup + loop
    setup_seconds: float  # settings, geography, data table, day-0 camp pre-fill
    loop_seconds: float  # the daily loop only
    cpu_seconds: float = float("nan")  # process CPU time of setup + loop

    @property
    def days(self) -> int:
        return int(self.sim.shape[0])


def read_sim_period(path: str | Path) -> tuple[str, int]:
    """Read ``StartDate`` and ``Length`` from ``sim_period.csv``.

    Flee 3.1's own reader wants the file named ``conflict_period.csv``; the
    content is the same, so we parse it here instead of renaming files.
    """
    start, length = "", 0
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.reader(f):
            if len(row) < 2:
                continue
            key = row[0].strip().lower()
            if key == "startdate":
                start = row[1].strip()
            elif key == "length":
                length = int(row[1])
    if not start or length <= 0:
        raise ValueError(f"{path}: expected 'StartDate,<date>' and 'Length,<days>' rows")
    return start, length


def _count_conflict_days(path: Path) -> int:
    """Number of day rows in conflicts.csv; Flee indexes it by day and would IndexError past it."""
    with open(path, newline="", encoding="utf-8") as f:
        return max(sum(1 for row in csv.reader(f) if row) - 1, 0)


@contextlib.contextmanager
def _silenced(quiet: bool) -> Iterator[None]:
    """Send Flee's (very chatty) stdout/stderr prints to /dev/null.

    Flee looks up ``sys.stderr`` at each print, so redirecting the Python
    streams is enough; the formatting cost stays, the terminal cost goes.
    """
    if not quiet:
        yield
        return
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        yield


@contextlib.contextmanager
def _scenario_workdir(folder: Path) -> Iterator[Path]:
    """Copy the scenario to a temp dir and chdir into it for the run.

    Flee 3.1 reads optional ``input_csv/demographics_*.csv`` relative to the
    current directory and writes agent/link logs there when those log levels
    are on; the shared scenario folders are read-only, and the caller's cwd
    must not leak into the run.
    """
    old_cwd = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="flee31_") as tmp:
        work = Path(tmp) / folder.name
        shutil.copytree(folder, work)
        os.chdir(work)
        try:
            yield work
        finally:
            os.chdir(old_cwd)


def _reset_flee_globals() -> None:
    """Zero Flee's module-level spawning state (best effort for in-process reruns)."""
    from flee import spawning

    # Module-level dunder names are not mangled outside classes; setattr avoids any doubt.
    setattr(spawning, "__refugees_raw", 0)
    setattr(spawning, "__refugee_debt", 0)
    getattr(spawning, "__demographics").clear()


# One-line repairs of Flee 3.1 bugs that stop a run, applied only when asked for (the
# rule tests use them to get Flee 3.1's figures for rules that 3.1 cannot run as shipped).
FIXES = {
    # locations.csv extra columns stay text, so camps_are_sicks compares a number with a
    # string (TypeError): read them as numbers where they are numbers.
    "attribute_numbers",
    # moving.py calls spawning.getAttributeRatio without importing spawning (NameError).
    "import_spawning",
}


def _apply_fixes(e, fixes: tuple[str, ...]) -> None:
    unknown = set(fixes) - FIXES
    if unknown:
        raise ValueError(f"unknown fixes {sorted(unknown)}; known: {sorted(FIXES)}")
    if "attribute_numbers" in fixes:
        for loc in e.locations:
            for key, value in list(loc.attributes.items()):
                try:
                    loc.attributes[key] = float(value)
                except (TypeError, ValueError):
                    pass
    if "import_spawning" in fixes:
        from flee import moving, spawning

        moving.spawning = spawning


def run_flee31(
    folder: str | Path, seed: int, days: int | None = None, *, quiet: bool = True, fixes: tuple[str, ...] = ()
) -> Flee31Result:
    """Run Flee 3.1 on a scenario folder in this process (``fixes``: see ``FIXES``).

    ``days`` defaults to ``Length`` in ``input_csv/sim_period.csv``. Running a
    second simulation in the same process depends on Flee's globals being fully
    reset; use :func:`run_flee31_isolated` for anything that matters.
    """
    # Imported here so this module can be imported (e.g. by a benchmark that
    # skips when Flee is absent) without Flee installed.
    from flee import InputGeography, flee, spawning
    from flee.datamanager import handle_refugee_data
    from flee.SimulationSettings import SimulationSettings

    folder = Path(folder).resolve()
    start_date, length = read_sim_period(folder / "input_csv" / "sim_period.csv")
    n_days = length if days is None else int(days)
    max_days = _count_conflict_days(folder / "input_csv" / "conflicts.csv")
    if not 1 <= n_days <= max_days:
        raise ValueError(f"days must be in [1, {max_days}] (rows of conflicts.csv), got {n_days}")

    _reset_flee_globals()

    with _scenario_workdir(folder), _silenced(quiet):
        inp = Path("input_csv")
        t0 = time.perf_counter()
        c0 = time.process_time()
        try:
            # Settings must be read before Ecosystem()/Location() are built: both read them.
            SimulationSettings.ReadFromYML("simsetting.yml")
            # ReadFromYML resets ConflictInputFile from the yml, so set it afterwards.
            SimulationSettings.ConflictInputFile = str(inp / "conflicts.csv")

            # Both RNGs are used: `random` for move choices, `numpy.random` for spawn locations.
            random.seed(seed)
            np.random.seed(seed)

            e = flee.Ecosystem()
            ig = InputGeography.InputGeography()
            ig.ReadLocationsFromCSV(str(inp / "locations.csv"))
            ig.ReadLinksFromCSV(str(inp / "routes.csv"))
            ig.ReadClosuresFromCSV(str(inp / "closures.csv"))
            # Flee 3.1 never loads the conflict file itself; without this,
            # AddNewConflictZones finds no conflict zones at all.
            ig.ReadConflictInputCSV(str(inp / "conflicts.csv"))
            e, lm = ig.StoreInputGeographyInEcosystem(e)
            _apply_fixes(e, fixes)

            d = handle_refugee_data.RefugeeTable(
                csvformat="generic",
                data_directory="source_data",
                start_date=start_date,
                data_layout="data_layout.csv",
                population_scaledown_factor=SimulationSettings.optimisations["PopulationScaleDownFactor"],
            )
            d.ReadL1Corrections(str(inp / "registration_corrections.csv"))

            # Camp list fixed before the loop, as in Flee's own output columns.
            camps = e.get_camp_names()
            for name in camps:
                spawning.add_initial_refugees(e, d, lm[name])
            t1 = time.perf_counter()

            sim = np.zeros((n_days, len(camps)), dtype=np.int64)
            data = np.zeros((n_days, len(camps)), dtype=np.float64)
            total = np.zeros(n_days, dtype=np.int64)
            raw = np.zeros(n_days, dtype=np.int64)
            debt = np.zeros(n_days, dtype=np.int64)
            for t in range(n_days):
                ig.AddNewConflictZones(e, t)
                _new, raw[t], debt[t] = spawning.spawn_daily_displaced(e, t, d)
                spawning.refresh_spawn_weights(e)
                e.enact_border_closures(t)
                e.evolve()
                for j, name in enumerate(camps):
                    sim[t, j] = lm[name].numAgents
                    data[t, j] = d.get_field(name, t)
                total[t] = e.numAgents()
            t2 = time.perf_counter()
            c2 = time.process_time()
        except SystemExit as exc:
            # Flee calls sys.exit() on bad input (e.g. unknown camp name in data_layout.csv).
            raise RuntimeError(f"Flee 3.1 exited during the run: {exc.code}") from None

    return Flee31Result(
        camps=list(camps),
        sim=sim,
        data=data,
        total_agents=total,
        refugees_raw=raw,
        refugee_debt=debt,
        wall_seconds=t2 - t0,
        setup_seconds=t1 - t0,
        loop_seconds=t2 - t1,
        cpu_seconds=c2 - c0,
    )


def _isolated_worker(folder: str, seed: int, days: int | None, quiet: bool, fixes: tuple[str, ...]) -> dict[str, Any]:
    # Plain dict, not the dataclass: when this file runs as a script, the child
    # knows the class as `__mp_main__.Flee31Result`, which the parent cannot unpickle.
    res = run_flee31(folder, seed, days, quiet=quiet, fixes=fixes)
    return {f.name: getattr(res, f.name) for f in dataclasses.fields(res)}


def run_flee31_isolated(
    folder: str | Path, seed: int, days: int | None = None, *, quiet: bool = True, fixes: tuple[str, ...] = ()
) -> Flee31Result:
    """Run :func:`run_flee31` in a fresh spawned process, so no Flee global state is shared.

    Timings in the result cover setup + loop inside the child only (not process
    start-up or Flee's import).
    """
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        fields = pool.submit(_isolated_worker, str(folder), seed, days, quiet, tuple(fixes)).result()
    return Flee31Result(**fields)


def _ard_self_check(sim: np.ndarray, data: np.ndarray) -> tuple[float, float]:
    """Flee-style averaged relative difference: (normal, rescaled).

    Per day: sum over camps |sim - data| / max(sum data, 1), averaged over
    days. "Rescaled" first scales each day's sim so that it sums to the data
    total (0 if the simulation has nobody in camps). Self-check only: the
    benchmark's metric lives in caravana.
    """
    sim = sim.astype(np.float64)
    sim_tot = sim.sum(axis=1)
    data_tot = data.sum(axis=1)
    denom = np.maximum(data_tot, 1.0)
    normal = np.abs(sim - data).sum(axis=1) / denom
    scale = np.divide(data_tot, sim_tot, out=np.zeros_like(sim_tot), where=sim_tot > 0)
    rescaled = np.abs(sim * scale[:, None] - data).sum(axis=1) / denom
    return float(normal.mean()), float(rescaled.mean())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Run Flee 3.1 on a scenario folder and print ARD and timings.")
    p.add_argument("folder", type=Path, help="scenario folder (input_csv/, source_data/, simsetting.yml)")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--days", type=int, default=None, help="default: Length in input_csv/sim_period.csv")
    p.add_argument("--in-process", action="store_true", help="skip the fresh-process isolation")
    p.add_argument("--verbose", action="store_true", help="let Flee's own output through")
    p.add_argument("--json", type=Path, default=None,
                   help="also write the daily camp counts (sim, data) and the timings to this file")
    args = p.parse_args(argv)

    runner = run_flee31 if args.in_process else run_flee31_isolated
    res = runner(args.folder, args.seed, args.days, quiet=not args.verbose)
    normal, rescaled = _ard_self_check(res.sim, res.data)
    print(f"scenario      {args.folder.resolve().name}  seed={args.seed}  days={res.days}  camps={len(res.camps)}")
    print(f"ARD normal    {normal:.4f}")
    print(f"ARD rescaled  {rescaled:.4f}")
    print(f"wall          {res.wall_seconds:.2f} s (setup {res.setup_seconds:.2f} s, loop {res.loop_seconds:.2f} s)")
    print(f"agents end    {int(res.total_agents[-1])}  (in camps {int(res.sim[-1].sum())}, "
          f"data in camps {int(res.data[-1].sum())}, refugees_raw {int(res.refugees_raw[-1])})")
    if args.json is not None:
        fields = {f.name: getattr(res, f.name) for f in dataclasses.fields(res)}
        args.json.write_text(json.dumps({k: v.tolist() if isinstance(v, np.ndarray) else v for k, v in fields.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
