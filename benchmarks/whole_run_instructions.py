"""Machine instructions of WHOLE Flee runs (`caravana run S --out FRESH`, full period), the code of one or
more source folders in turn: what `startup.py --instructions` (two days) does not see, the writing and the
summary growing with the days.

    python benchmarks/whole_run_instructions.py LABEL=SRC [LABEL=SRC ...] [--scenarios mali2012 burundi2015]

SRC is a checkout's ``src`` (e.g. ``git archive REV src | tar -x -C DIR``), put first on PYTHONPATH. Each run
(Valgrind's cachegrind, no cache model, PYTHONHASHSEED=0) writes into a fresh folder with a fresh catalogue
(CARAVANA_HOME), after one warm-up run that writes Python's bytecode; Flee's kernels are the ones compiled ahead
of time into ``--aot DIR`` (default: this checkout's ``src/caravana/engine/__pycache__``; build them with
``python -m caravana.engine.aot``). Each version's folders are kept, and their path printed, to compare the files.
Repeated counts of one version agree to within ~0.5 M.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

LAUNCH = "import sys\nimport caravana.cli as c\nsys.argv[0] = 'caravana'\nc.main()"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="+", help="LABEL=SRC")
    parser.add_argument("--scenarios", nargs="+", default=["mali2012", "burundi2015"])
    parser.add_argument("--aot", default=str(Path(__file__).resolve().parents[1] / "src/caravana/engine/__pycache__"))
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    for version in args.versions:
        label, _, src = version.partition("=")
        work = tempfile.mkdtemp(prefix=f"whole-{label}-")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONPATH=str(Path(src).resolve()), PYTHONHASHSEED="0", CARAVANA_HOME=f"{work}/home",
                   CARAVANA_AOT_DIR=args.aot)
        for scenario in args.scenarios:
            subprocess.run([sys.executable, "-c", LAUNCH, "run", scenario, "--out", f"{work}/warm-{scenario}"],
                           env=env, check=True, capture_output=True)
            done = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                                   sys.executable, "-c", LAUNCH, "run", scenario, "--out", f"{work}/{scenario}"],
                                  env=env, capture_output=True, text=True)
            found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
            if done.returncode != 0 or found is None:
                raise SystemExit(f"{label} {scenario} failed ({done.returncode}):\n{done.stderr[-2000:]}")
            Path(f"{work}/{scenario}.stdout").write_text(done.stdout)
            print(f"{label:<12} {scenario:<12} {int(found[1].replace(',', '')) / 1e6:10,.1f} M instructions", flush=True)
        print(f"{label:<12} folders in {work}")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
