"""FabFlee's ``flee3_validation`` suite: Flee 3.1 and caravana on every folder Flee 3.1 runs.

FabFlee (https://github.com/djgroen/FabFlee, BSD-3-Clause) is not part of caravana;
give the path of a checkout, or of a bare clone (its ``config_files/flee3_validation``
is exported with ``git archive`` into a temporary folder). Each ``SWEEP/<case>`` folder
gets the suite's ``simsetting.yml``, as FabFlee does when it runs the suite.

For each case and seed: Flee 3.1 (fresh process, ``flee31_reference.py``) and caravana
on the first ``--days`` days; Flee's averaged relative difference (ARD, normal and
rescaled) against the same UNHCR counts; process CPU time of each (setup + loop, input
reading included; caravana's kernels compiled beforehand). Then caravana alone on the
whole period. A case Flee 3.1 cannot run (or caravana refuses) is listed with the message.

    nice -n 10 python benchmarks/flee_suite.py /path/to/FabFlee --days 30 --seeds 3 [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from fabflee_export import export  # noqa: E402
from flee31_reference import run_flee31_isolated  # noqa: E402
from flee_parity import caravana_in_process  # noqa: E402

from caravana import load_scenario, simulation  # noqa: E402
from caravana.errors import CaravanaError  # noqa: E402
from caravana.flee import averaged_relative_difference  # noqa: E402

SUITE = "config_files/flee3_validation"


def export_suite(fabflee: Path, into: Path) -> Path:
    """The suite's folder, each case with the suite's simsetting.yml (as FabFlee runs it)."""
    suite, missing = export(fabflee, SUITE, into)
    if missing:
        print(f"absent from the FabFlee copy (skipped): {', '.join(missing)}")
    for case in sorted((suite / "SWEEP").iterdir()):
        if case.is_dir() and not (case / "simsetting.yml").exists():
            shutil.copy(suite / "simsetting.yml", case / "simsetting.yml")
    return suite


def run_caravana(folder: Path, seed: int, days: int | None) -> tuple[float, float, float]:
    """(ARD, ARD rescaled, CPU seconds including reading the folder)."""
    run = caravana_in_process(folder, seed, days)
    return (*run["ard"], run["cpu"])


def mean_sd(values) -> str:
    a = np.asarray(values, dtype=float)
    return f"{a.mean():.4f} ± {a.std(ddof=1) if len(a) > 1 else 0.0:.4f}"


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[-1] if text else ''}"[:200]


def print_tables(report: dict[str, dict], seeds: int, full_seeds: int) -> None:
    """The side-by-side table and caravana's whole-period table."""
    days = next((e["days"] for e in report.values()), 0)
    print()
    print(f"FabFlee flee3_validation: Flee 3.1 and caravana on days 0-{days - 1} (a case marked (Nd): days "
          f"0-N-1), {seeds} seeds; process CPU time (machine shared, timings noisy)")
    head = f"{'case':18} {'Flee ARD':>17} {'Flee rescaled':>17} {'caravana ARD':>17} {'car. rescaled':>17} " \
           f"{'Flee CPU s':>10} {'car. CPU s':>10} {'ratio':>6}"
    print(head)
    for name, e in report.items():
        if "flee" not in e or "caravana" not in e:
            why = e.get("flee_fails") or e.get("caravana_refuses") or ""
            who = "Flee 3.1" if "flee_fails" in e else "caravana refuses"
            print(f"{name:18} {who}: {why}")
            continue
        f, c = np.array(e["flee"]), np.array(e["caravana"])
        label = name if e["days"] == days else f"{name} ({e['days']}d)"  # a shorter period than the others
        print(f"{label:18} {mean_sd(f[:, 0]):>17} {mean_sd(f[:, 1]):>17} {mean_sd(c[:, 0]):>17} "
              f"{mean_sd(c[:, 1]):>17} {f[:, 2].mean():>10.2f} {c[:, 2].mean():>10.3f} "
              f"{f[:, 2].mean() / c[:, 2].mean():>5.0f}x")
    print()
    print(f"caravana alone on the whole period, {full_seeds} seeds")
    print(f"{'case':18} {'days':>5} {'ARD':>17} {'ARD rescaled':>17} {'CPU s':>8}")
    for name, e in report.items():
        if "caravana_full" in e:
            c = np.array(e["caravana_full"])
            print(f"{name:18} {e['period_days']:>5} {mean_sd(c[:, 0]):>17} {mean_sd(c[:, 1]):>17} {c[:, 2].mean():>8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("fabflee", type=Path, help="FabFlee checkout or bare clone")
    parser.add_argument("--days", type=int, default=30, help="period of the side-by-side runs (default 30)")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--full-seeds", type=int, default=3, help="seeds of caravana's whole-period runs")
    parser.add_argument("--cases", nargs="*", default=None, help="only these SWEEP folders")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--tables-from", type=Path, nargs="*", default=None,
                        help="print the tables of earlier --json files (merged, later files win) and stop")
    args = parser.parse_args()
    if args.tables_from:
        merged: dict[str, dict] = {}
        for path in args.tables_from:
            merged.update(json.loads(path.read_text()))
        print_tables(dict(sorted(merged.items())), args.seeds, args.full_seeds)
        return

    with warnings.catch_warnings():  # compile (or load) caravana's kernels before timing
        warnings.simplefilter("ignore")
        simulation(load_scenario("mali2012"), seed=0, days=2).run()

    report: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="flee_suite_") as tmp:
        suite = export_suite(args.fabflee.resolve(), Path(tmp))
        cases = sorted(p for p in (suite / "SWEEP").iterdir() if p.is_dir())
        if args.cases:
            cases = [c for c in cases if c.name in args.cases]
        for case in cases:
            entry: dict = {"days": args.days}
            report[case.name] = entry
            try:
                scenario = load_scenario(case)
                entry["period_days"] = scenario.period.days
            except CaravanaError as exc:
                entry["caravana_refuses"] = str(exc)
            flee, cara = [], []
            for seed in range(args.seeds):
                try:
                    res = run_flee31_isolated(case, seed=seed, days=args.days)
                except Exception as exc:  # noqa: BLE001 - Flee's own failure is the finding
                    entry["flee_fails"] = first_line(exc)
                    break
                flee.append((*averaged_relative_difference(res.sim, res.data), res.cpu_seconds))
                if "caravana_refuses" not in entry:
                    cara.append(run_caravana(case, seed, args.days))
                print(f"{case.name} seed {seed}: Flee {flee[-1]}  caravana {cara[-1] if cara else '-'}", flush=True)
            if flee:
                entry["flee"] = flee
            if cara:
                entry["caravana"] = cara
            if "caravana_refuses" not in entry:
                entry["caravana_full"] = [run_caravana(case, seed, None) for seed in range(args.full_seeds)]
            print(f"{case.name}: {json.dumps(entry)}", flush=True)

    print_tables(report, args.seeds, args.full_seeds)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
