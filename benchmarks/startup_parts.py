"""Pieces of a `caravana run` beyond the simulation, each timed before and after a change.

Each piece runs in fresh processes (CPU time, ``time.process_time``), for this checkout's code
and, with ``--before REF``, for git revision REF's (its ``src/`` exported and put first on the
path), alternating; prints the median of ``--repeat`` processes of each:

- reading the corridor's and mali2012's scenario (first in the process, then warm);
- Flee's conflict matrix (``_read_conflicts``) of mali2012 and burundi2015, warm;
- importing pyarrow (parquet, csv) as the console script does (its probes);
- importing the scenario models (``caravana.scenario.schema``), the libraries already loaded;
- printing a run's summary table and lines with the command line's console, off a terminal.

    python benchmarks/startup_parts.py [--repeat 7] [--before 0f1c79d]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from startup import export_revision

PIECES = {
    "corridor scenario read, first (ms)": (
        "from caravana.scenario.load import load_scenario\nt = T(); load_scenario('corridor'); out(T() - t)"),
    "corridor scenario read, warm (ms)": (
        "from caravana.scenario.load import load_scenario\nload_scenario('corridor')\n"
        "t = T(); load_scenario('corridor'); out(T() - t)"),
    "mali2012 scenario read, warm (ms)": (
        "from caravana.scenario.load import load_scenario\nload_scenario('mali2012')\n"
        "t = T(); load_scenario('mali2012'); out(T() - t)"),
    "mali2012 conflict matrix (ms)": "CONFLICTS mali2012",
    "burundi2015 conflict matrix (ms)": "CONFLICTS burundi2015",
    "pyarrow imported by the probes (ms)": (
        "import numpy\nimport caravana.cli.probes as p\nt = T(); p.skip_unused_probes(kernels_later=True)\n"
        "import pyarrow._parquet, pyarrow.csv\nout(T() - t)"),
    "scenario models imported (ms)": (
        "import numpy, pydantic, yaml, pydantic.main, pydantic.fields, pydantic.functional_validators\n"
        "t = T(); import caravana.scenario.schema\nout(T() - t)"),
    "a run's summary printed, off a terminal (ms)": (
        "import io, contextlib, rich.console, rich.table\nimport caravana.cli.common as c\n"
        "table = rich.table.Table(title='mali2012: end of 2012-12-24')\n"
        "for col in ('place', 'resting', 'travelling'): table.add_column(col)\n"
        "for i in range(15): table.add_row(f'Place {i}', f'{i * 1000:,}', f'{i * 7:,}')\n"
        "t = T()\nwith contextlib.redirect_stdout(io.StringIO()):\n"
        "    c.console.print(table); c.console.print('Flee error against observations: ARD 0.367, rescaled 0.253')\n"
        "    c.console.print('148,063 people, 300 days, seed 0, 2.12 s')\n"
        "    for i in range(7): c.console.print(f'wrote /tmp/out/arrays/table{i}.parquet')\n"
        "out(T() - t)"),
}
CONFLICTS = (
    "import csv, warnings\nfrom pathlib import Path\nimport caravana.flee.importer as im\n"
    "f = Path(im.__file__).parents[1] / 'scenario' / 'builtin' / NAME / 'input_csv' / 'conflicts.csv'\n"
    "known = {c.strip().lstrip('#').strip() for c in next(csv.reader(open(f)))[1:]}\n"
    "im._read_conflicts(f, known)\nt = T(); im._read_conflicts(f, known); out(T() - t)")
PRELUDE = "import time\nT = time.process_time\ndef out(s):\n    print(f'{s * 1000:.3f}')\n"


def code_of(piece: str) -> str:
    body = PIECES[piece]
    if body.startswith("CONFLICTS "):
        body = CONFLICTS.replace("NAME", repr(body.split()[1]))
    return PRELUDE + body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--before", default=None, help="a git revision whose code is timed too")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(OPENBLAS_NUM_THREADS="1", PYDANTIC_DISABLE_PLUGINS="__all__", COLUMNS="100")
    versions = {"now": env}
    if args.before:
        src = export_revision(args.before, Path(tempfile.mkdtemp(prefix="caravana-parts-")) / "before")
        versions = {f"before ({args.before})": dict(env, PYTHONPATH=str(src)), **versions}
    print(f"{args.repeat} processes each, CPU time, medians; load average {os.getloadavg()[0]:.1f}")
    print(f"{'piece':<46}" + "".join(f"{v:>20}" for v in versions))
    for piece in PIECES:
        code = code_of(piece)
        for venv in versions.values():  # warm-up: bytecode
            subprocess.run([sys.executable, "-c", code], env=venv, capture_output=True, check=True)
        got: dict[str, list[float]] = {v: [] for v in versions}
        for _ in range(args.repeat):  # alternating, so both meet the same load
            for version, venv in versions.items():
                done = subprocess.run([sys.executable, "-c", code], env=venv, capture_output=True, text=True, check=True)
                got[version].append(float(done.stdout.strip().splitlines()[-1]))
        print(f"{piece:<46}" + "".join(f"{statistics.median(ms):20.2f}" for ms in got.values()))
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
