"""Where Flee's movement kernel spends its work: instructions, branches and mispredicted branches
of each of its compiled parts, counted by valgrind, which the machine's load does not change.

    python benchmarks/flee_kernel_profile.py mali2012 burundi2015 [--seed 1] [--cache]

Builds the kernels ahead of time (``python -m caravana.engine.aot``, into a temporary folder:
the build a whole process uses, for a generic x86-64, which valgrind can run), then runs each
scenario once in process under ``valgrind --tool=callgrind --branch-sim=yes``, counting only
inside ``flee_kernels``' functions. Prints per scenario, for the daily scan
(``candidates``), the departure pass and the travel pass (``_one_pass``) and in all:
instructions, conditional branches and those valgrind's simple predictor gets wrong (a
processor's own predictor does better on patterns, the same on coin flips), and per 64-bit
random word the run draws (``engine.pcg.draws_between``, fixed by identical counts). With
``--cache``, first-level data cache misses too (valgrind's model of a 32 KiB cache). With
``--blocks N``, also each part's N straight-line stretches of machine code that execute the most
instructions: how many times each ran (millions), its length, its instructions and their share of
the part, and where it starts (bytes from the part's first instruction executed): how many times a
stretch runs tells which step of the rules it is (a visit, a link walked, an arrival, a route
drawn...), and where the part's instructions go. A full mali2012 run takes 1-2 minutes under
valgrind. Needs valgrind and a C compiler.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Run under valgrind: the scenario once, then the random words drawn (printed for the parent).
DRIVER = """
import sys, warnings
from caravana import load_scenario, simulation
from caravana.engine.pcg import draws_between
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    scenario = load_scenario(sys.argv[1])
sim = simulation(scenario, seed=int(sys.argv[2]))
first = {b.name: b.rng.bit_generator.state for b in sim.behaviours}
sim.run()
print("words", sum(draws_between(first[b.name], b.rng.bit_generator.state) for b in sim.behaviours))
print("numba", "numba" in sys.modules)
"""

PARTS = (("daily scan", "candidates"), ("departure pass", "Literal_5bint_5d_280_29"),
         ("travel pass", "Literal_5bint_5d_281_29"))


def build(folder: Path) -> None:
    env = dict(os.environ, CARAVANA_AOT_DIR=str(folder))
    subprocess.run([sys.executable, "-m", "caravana.engine.aot"], check=True, env=env, capture_output=True)


def counts_of(line: str, n: int) -> list[int]:
    """The first ``n`` columns of a ``callgrind_annotate`` row: each a count with its share,
    ``1,234 (5.6%)``, or ``.`` for none."""
    counts, at = [], 0
    for _ in range(n):
        cell = re.compile(r"\s*(?:([\d,]+) \(\s*[\d.]+%\)|\.(?=\s))").match(line, at)
        if cell is None:
            break
        counts.append(int(cell.group(1).replace(",", "")) if cell.group(1) else 0)
        at = cell.end()
    return counts + [0] * (n - len(counts))


def part_rows(table: str) -> tuple[list[str], dict[str, list[int]]]:
    """The events ``callgrind_annotate``'s ``table`` shows and each of ``PARTS``' counts of them: its
    first row (self cost). Stops (exit 2) if a part is not in the table, i.e. its code is no longer
    found under its name in the build: a kernel total summed without it would read as a gain."""
    header = next(line for line in table.splitlines() if line.startswith("Events shown:")).split()[2:]
    rows: dict[str, list[int]] = {}
    for line in table.splitlines():
        for label, key in PARTS:
            if key in line and "flee_kernels" in line:
                rows.setdefault(label, counts_of(line, len(header)))
    for label, key in PARTS:
        if label not in rows:
            print(f"{label} ({key}) not found in the build", file=sys.stderr)
            raise SystemExit(2)
    return header, rows


def executed(out: Path, key: str) -> dict[int, int]:
    """Times each instruction of the function whose name holds ``key`` ran: {address: count},
    read from a callgrind file written with ``--dump-instr=yes`` (its first event is Ir)."""
    names: dict[str, str] = {}
    counts: dict[int, int] = {}
    inside, address, call = False, 0, False
    with open(out) as lines:
        for line in lines:
            if line.startswith(("fn=", "cfn=")):
                m = re.match(r"c?fn=\((\d+)\)(?: (.*))?", line.rstrip("\n"))
                if m is None:
                    continue
                if m.group(2):
                    names[m.group(1)] = m.group(2)
                if line.startswith("fn="):
                    inside = key in names.get(m.group(1), "")
                continue
            if line.startswith("calls="):
                call = True  # the next cost line is the call's (inclusive): not this function's own
                continue
            cells = line.split()
            if not cells or not re.match(r"^(0x[0-9a-f]+|[+-]\d+|\*)$", cells[0]):
                continue
            if cells[0].startswith("0x"):
                address = int(cells[0], 16)
            elif cells[0] != "*":
                address += int(cells[0])
            if call:
                call = False
                continue
            if inside and len(cells) > 2:
                counts[address] = counts.get(address, 0) + int(cells[2])
    return counts


def stretches(counts: dict[int, int]) -> list[tuple[int, int, int]]:
    """(times run, instructions, start) of each run of consecutive instructions executed equally often."""
    found: list[tuple[int, int, int]] = []
    for address in sorted(counts):
        if found and found[-1][0] == counts[address]:
            times, length, start = found[-1]
            found[-1] = (times, length + 1, start)
        else:
            found.append((counts[address], 1, address))
    return found


def print_blocks(out: Path, n: int) -> None:
    for label, key in PARTS:
        counts = executed(out, key)
        if not counts:
            continue
        first, total = min(counts), sum(counts.values())
        print(f"  {label}: the {n} stretches executing the most of its {total / 1e6:,.1f} M instructions")
        for times, length, start in sorted(stretches(counts), key=lambda b: -b[0] * b[1])[:n]:
            print(f"    ran {times / 1e6:6.2f} M times x {length:3d} instructions = {times * length / 1e6:7.1f} M "
                  f"({100 * times * length / total:4.1f} %), at +{start - first:#x}")


def profile(name: str, seed: int, folder: Path, cache: bool, blocks: int = 0) -> None:
    out = folder / f"callgrind-{name}.out"
    events = ["--branch-sim=yes"] + (["--cache-sim=yes"] if cache else []) + (["--dump-instr=yes"] if blocks else [])
    cmd = ["valgrind", "--tool=callgrind", *events, "--toggle-collect=*flee_kernels*", f"--callgrind-out-file={out}",
           sys.executable, "-c", DRIVER, name, str(seed)]
    env = dict(os.environ, CARAVANA_AOT_DIR=str(folder / "aot"))
    run = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    words = int(re.search(r"^words (\d+)", run.stdout, re.M).group(1))  # type: ignore[union-attr]
    if "numba True" in run.stdout:
        raise SystemExit("the run imported Numba: the kernels compiled ahead of time were not used")
    wanted = ["Ir", "Bc", "Bcm"] + (["D1mr", "D1mw"] if cache else [])
    # (only the events wanted, in this order: a row's other cells need not be read)
    # (every function, however small its share: a part missing from the table is missing from the build)
    table = subprocess.run(["callgrind_annotate", f"--show={','.join(wanted)}", "--threshold=100", "--auto=no",
                            str(out)], capture_output=True, text=True, check=True).stdout
    header, rows = part_rows(table)
    names = {"Ir": "instructions", "Bc": "branches", "Bcm": "mispredicted", "D1mr": "L1 read misses",
             "D1mw": "L1 write misses"}
    at = [header.index(w) for w in wanted]
    print(f"{name} seed {seed}: {words:,} random words drawn; millions (per word)")
    total = [0] * len(wanted)
    for label, _ in PARTS:
        values = [rows[label][j] for j in at]
        total = [t + v for t, v in zip(total, values)]
        print(f"  {label:15s} " + ", ".join(f"{names[w]} {v / 1e6:,.1f} ({v / words:.1f})" for w, v in zip(wanted, values)))
    print(f"  {'kernel':15s} " + ", ".join(f"{names[w]} {v / 1e6:,.1f} ({v / words:.1f})" for w, v in zip(wanted, total)),
          flush=True)
    if blocks:
        print_blocks(out, blocks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="+")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", action="store_true", help="also count first-level data cache misses (slower)")
    parser.add_argument("--blocks", type=int, default=0, metavar="N",
                        help="also print each part's N stretches of code executing the most instructions")
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed")
    with tempfile.TemporaryDirectory(prefix="caravana-kernel-profile-") as work:
        folder = Path(work)
        build(folder / "aot")
        for name in args.scenarios:
            profile(name, args.seed, folder, args.cache, args.blocks)


if __name__ == "__main__":
    main()
