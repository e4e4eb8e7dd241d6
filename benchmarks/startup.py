"""How long `caravana` takes as a whole process: start-up and small built-in runs.

Measures, each as a fresh process after one warm-up (Numba's on-disk cache and the OS
file cache warm): `caravana --help`, `caravana run mali2012`, `caravana run corridor`.
Prints the minimum and median wall time and the child's CPU time (user+system, from
`resource`), then the top entries of `python -X importtime` for `caravana --help`.

    python benchmarks/startup.py [--repeat 5] [--caravana PATH] [--top 15]

`--caravana` picks the executable (e.g. another checkout's venv) to compare versions.
Timings on a shared machine are noisy: compare CPU times, and medians.
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


def importtime(python: str, env: dict, top: int) -> list[tuple[int, int, str]]:
    """The ``top`` slowest imports (cumulative µs, self µs, module) of ``caravana --help``."""
    code = "import sys; sys.argv=['caravana','--help']\nfrom caravana.cli import app\ntry: app()\nexcept SystemExit: pass"
    done = subprocess.run([python, "-X", "importtime", "-c", code], env=env, capture_output=True, text=True)
    rows = []
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m[2]), int(m[1]), m[3], m[4]))
    total = sum(r[1] for r in rows)
    print(f"\npython -X importtime, `caravana --help`: {len(rows)} modules, {total / 1e6:.2f} s self time in all")
    heavy = ("numba", "optuna", "duckdb", "fastapi", "matplotlib", "dask", "distributed", "scipy", "pandas", "uvicorn")
    loaded = sorted({r[3].split(".")[0] for r in rows} & set(heavy))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--caravana", default=shutil.which("caravana") or str(Path(sys.executable).with_name("caravana")))
    args = parser.parse_args()
    exe = args.caravana
    python = str(Path(exe).with_name("python"))
    work = Path(tempfile.mkdtemp(prefix="caravana-startup-"))
    env = dict(os.environ, CARAVANA_HOME=str(work / "home"), COLUMNS="100")
    commands = {
        "caravana --help": [exe, "--help"],
        "caravana run mali2012": [exe, "run", "mali2012", "--out", str(work / "mali")],
        "caravana run corridor": [exe, "run", "corridor", "--out", str(work / "corridor")],
    }
    print(f"executable: {exe}; {args.repeat} runs each after one warm-up")
    print(f"{'command':<24} {'wall min':>9} {'wall median':>12} {'CPU min':>8} {'CPU median':>11}")
    for label, cmd in commands.items():
        timed(cmd, env)  # warm-up: Numba cache, file cache
        walls, cpus = zip(*(timed(cmd, env) for _ in range(args.repeat)))
        print(f"{label:<24} {min(walls):9.2f} {statistics.median(walls):12.2f} {min(cpus):8.2f} {statistics.median(cpus):11.2f}")
    importtime(python, env, args.top)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
