"""Flee 3.1 and caravana side by side on Flee's validation cases: error and speed.

For each scenario and seed, runs Flee 3.1 (in a fresh process, see
``flee31_reference.py``) and caravana on the same input folder, computes Flee's
averaged relative difference (ARD, normal and rescaled) for both against the same
UNHCR counts, and times both. Prints mean ± sd over seeds and the wall-time ratio
Flee / caravana measured in this run. Needs ``pip install --no-deps flee==3.1``
(see benchmarks/README.md).

    python benchmarks/flee_parity.py                       # mali2012, burundi2015, 3 seeds
    python benchmarks/flee_parity.py --scenarios mali2012 --seeds 5 --days 100
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from flee31_reference import run_flee31_isolated  # noqa: E402

from caravana import load_scenario, simulation  # noqa: E402
from caravana.flee import averaged_relative_difference, compare_camps  # noqa: E402
from caravana.scenario.load import builtin_path  # noqa: E402


def run_caravana(folder: Path, seed: int, days: int | None, clock=time.perf_counter) -> tuple[float, float, float, np.ndarray]:
    """(ARD, ARD rescaled, seconds by ``clock`` including loading, observed counts) for one seed."""
    start = clock()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scenario = load_scenario(folder)
    results = simulation(scenario, seed=seed, days=days).run()
    wall = clock() - start
    comparison = compare_camps(results, scenario)
    normal, rescaled = averaged_relative_difference(comparison.simulated, comparison.observed)
    return normal, rescaled, wall, comparison.observed


def mean_sd(values: list[float]) -> str:
    a = np.asarray(values)
    sd = a.std(ddof=1) if len(a) > 1 else 0.0
    return f"{a.mean():.4f} ± {sd:.4f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", nargs="*", default=["mali2012", "burundi2015"])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--days", type=int, default=None, help="Shorter runs (default: the whole period).")
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures to this file.")
    args = parser.parse_args()

    # Compile (or load from cache) caravana's kernels before timing anything.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        simulation(load_scenario("mali2012"), seed=0, days=2).run()

    report = {}
    for name in args.scenarios:
        folder = builtin_path(name) or Path(name)
        rows = {"flee": [], "caravana": []}
        for seed in range(args.seeds):
            flee = run_flee31_isolated(folder, seed=seed, days=args.days)
            f_normal, f_rescaled = averaged_relative_difference(flee.sim, flee.data)
            c_normal, c_rescaled, c_wall, observed = run_caravana(folder, seed, args.days)
            if observed.shape == flee.data.shape:
                data_gap = float(np.abs(observed - flee.data).max())
            else:
                data_gap = float("nan")
            rows["flee"].append((f_normal, f_rescaled, flee.wall_seconds))
            rows["caravana"].append((c_normal, c_rescaled, c_wall))
            print(
                f"{name} seed {seed}: Flee ARD {f_normal:.4f}/{f_rescaled:.4f} in {flee.wall_seconds:.1f} s; "
                f"caravana ARD {c_normal:.4f}/{c_rescaled:.4f} in {c_wall:.3f} s; "
                f"largest gap between the two tools' observed counts: {data_gap:g}",
                flush=True,
            )
        f = np.array(rows["flee"])
        c = np.array(rows["caravana"])
        ratio = f[:, 2].mean() / c[:, 2].mean()
        f_sd = f[:, 0].std(ddof=1) if len(f) > 1 else 0.0
        gap_in_sd = abs(c[:, 0].mean() - f[:, 0].mean()) / f_sd if f_sd > 0 else float("inf")
        report[name] = {
            "seeds": args.seeds,
            "days": args.days,
            "flee_ard": f[:, 0].tolist(),
            "flee_ard_rescaled": f[:, 1].tolist(),
            "flee_seconds": f[:, 2].tolist(),
            "caravana_ard": c[:, 0].tolist(),
            "caravana_ard_rescaled": c[:, 1].tolist(),
            "caravana_seconds": c[:, 2].tolist(),
            "speedup": ratio,
        }
        print()
        print(f"== {name} ({args.seeds} seeds, {'full period' if args.days is None else f'{args.days} days'})")
        print(f"{'':10} {'ARD':>18} {'ARD rescaled':>18} {'wall s (mean)':>14}")
        print(f"{'Flee 3.1':10} {mean_sd(list(f[:, 0])):>18} {mean_sd(list(f[:, 1])):>18} {f[:, 2].mean():>14.2f}")
        print(f"{'caravana':10} {mean_sd(list(c[:, 0])):>18} {mean_sd(list(c[:, 1])):>18} {c[:, 2].mean():>14.3f}")
        print(f"speed-up Flee/caravana: {ratio:.0f}x;  |mean ARD gap| = {gap_in_sd:.2f} Flee seed-sd")
        print(flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
