"""What Flee's movement kernel does in a run: tries, hops, draws, days on links, counted.

The kernel is not instrumented (a counter in it would cost time in every run). This
benchmark compiles an instrumented copy of its source: a counter line is inserted before
each of the statements below (found by their text; the benchmark stops if one is missing),
the copy runs in place of the kernel, and the run's daily counts are checked identical to
a normal run's (the copy does the same work, with the same draws).

    python benchmarks/flee_kernel_work.py mali2012 burundi2015 [--seed 1]

Prints, per scenario, millions over the whole period: departure tries from rest, set-offs
onto a link (from rest or onward on the day of an arrival), arrivals, route draws,
geometric draws (NumPy's search for p >= 1/3, its exponential below), go-on coins, days
that end on a link for someone looked at, the person-visits of each pass by class (on a link,
wake-up drawn again, set off from rest...; see ``COUNTED``), arrivals that go on without a coin
or stop, days on a link passed over, and the person-days the kernel's scan goes over.
Then what the daily scan (``flee_kernels.candidates``: whom the day's departure pass looks
at) costs in CPU against the whole kernel, in a normal run (the kernel itself, not the
copy): each day the scan is also run and timed on scratch lists just before the kernel,
with the same people (``--repeat`` runs, medians).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import inspect
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from caravana import load_scenario, simulation
from caravana.behaviours import flee_kernels, flee_movement

# (counter, statement before which it is counted, how much); statements by their stripped text.
COUNTED = (
    ("tries from rest", "wake[i] = -1  # tries today; if it cannot leave, it draws again tomorrow", "1"),
    ("set-offs", "present[at] -= 1", "1"),
    ("arrivals", "bounce[i] = False", "1"),
    ("route draws", "x = next_double(stream) * cum[c, np.uint64(b - 1)]", "1"),
    ("geometric draws, search", "wait = geometric(stream, chance) - 1", "chance >= 0.333333333333333333"),
    ("geometric draws, exponential", "wait = geometric(stream, chance) - 1", "chance < 0.333333333333333333"),
    ("go-on coins", "if go or next_double(stream) < chance:", "not go"),
    ("days ending on a link", "dist[i] = covered", "1"),
    # The person-visits by class (what each pass does with whom it looks at), to bound a change before writing it:
    ("departure pass: on a link, passed on", "travellers[n_travellers] = ~code", "1"),
    ("departure pass: wake-up drawn again", "chance = movechance[np.uint64(place)]", "1"),
    ("... of which move chance 1 (no draw)", "wait = np.int64(0)", "1"),
    ("departure pass: resting, not today", "if wake[i] > day:", "wake[i] > day"),
    ("departure pass: set off from rest", "travellers[n_travellers] = i", "1"),
    ("departure pass: gave up (stuck)", "wake[i] = STUCK", "1"),
    ("travel pass: visits", "changed = code >= 0  # set off today (listed as i, not ~i)", "1"),
    ("travel pass: visits on a link since an earlier day", "changed = code >= 0  # set off today (listed as i, not ~i)",
     "code < 0"),
    ("days on a link caught up", "speed = _speed_on(link_speed[link[i]], hops[i], start_on_foot, max_walk_speed)",
     "behind"),
    ("arrivals going on without a coin", "if go or next_double(stream) < chance:", "go"),
    ("arrivals stopping (turned back, day's km used)", "if arrive_at == link_src[e] or moved >= speed:",
     "arrive_at == link_src[e] or moved >= speed"),
    ("days on a link passed over", "wake[i] = day + 1 + ahead", "ahead"),
)


def instrumented_kernel(folder: Path):
    """``move_people`` compiled from a copy of ``flee_kernels`` (written into ``folder``) with the counters inserted; it
    takes one more argument, the counters (int64 array, one per entry of ``COUNTED``)."""
    source = inspect.getsource(flee_kernels)
    source = source.replace("from ..engine", "from caravana.engine")
    lines = source.split("\n")
    for at, (name, statement, amount) in enumerate(COUNTED):
        found = [k for k, line in enumerate(lines) if line.strip() == statement]
        if len(found) != 1:
            raise SystemExit(f"the kernel's source has changed: {statement!r} found {len(found)} times ({name})")
        k = found[0]
        indent = lines[k][: len(lines[k]) - len(lines[k].lstrip())]
        lines.insert(k, f"{indent}COUNTERS[{at}] += {amount}")
    source = "\n".join(lines)
    # The counters reach every function of the copy as one more argument named COUNTERS.
    for name in ("move_people", "_one_pass"):
        source = source.replace(f"def {name}(\n", f"def {name}(\n    COUNTERS,\n")
        source = source.replace(f"= {name}(\n", f"= {name}(\n        COUNTERS,\n")
        source = source.replace(f"return {name}(\n", f"return {name}(\n        COUNTERS,\n")
    path = folder / "counted_kernels.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("counted_kernels", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["counted_kernels"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.move_people


def checksum(results) -> str:
    return hashlib.sha256(np.ascontiguousarray(results.counts, dtype="<i8").tobytes()).hexdigest()[:12]


def scan_share(scenario, seed: int) -> tuple[float, float]:
    """CPU seconds of a normal run's kernel and of the daily scan timed beside it (see the docstring)."""
    real = flee_movement.move_people
    names = list(inspect.signature(real.py_func).parameters)
    wanted = [names.index(n) for n in inspect.signature(flee_kernels.candidates.py_func).parameters]
    clocks = [0.0, 0.0]
    scratch = [np.zeros(0, np.uint8), np.zeros(0, np.int32)]

    def kernel(*a):
        args = [a[j] for j in wanted]
        if len(scratch[0]) < len(args[-2]):
            scratch[:] = [np.empty_like(args[-2]), np.empty_like(args[-1])]
        args[-2:] = scratch
        c = time.process_time()
        flee_kernels.candidates(*args)
        clocks[1] += time.process_time() - c
        c = time.process_time()
        k = real(*a)
        clocks[0] += time.process_time() - c
        return k

    flee_movement.move_people = kernel
    try:
        simulation(scenario, seed=seed).run()
    finally:
        flee_movement.move_people = real
    return clocks[0], clocks[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="+")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="caravana-kernel-work-") as folder:
        report(args, instrumented_kernel(Path(folder)))


def report(args: argparse.Namespace, counted) -> None:
    real = flee_movement.move_people
    for name in args.scenarios:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scenario = load_scenario(name)
        plain = simulation(scenario, seed=args.seed).run()
        counters = np.zeros(len(COUNTED), dtype=np.int64)
        scanned = [0]

        def kernel(*a, counters=counters, scanned=scanned):
            scanned[0] += len(a[1])
            return counted(counters, *a)

        flee_movement.move_people = kernel
        try:
            results = simulation(scenario, seed=args.seed).run()
        finally:
            flee_movement.move_people = real
        same = checksum(results) == checksum(plain)
        parts = ", ".join(f"{n} {c / 1e6:.2f}" for (n, _, _), c in zip(COUNTED, counters))
        print(f"{name} seed {args.seed} (millions, whole period): {parts}, person-days scanned {scanned[0] / 1e6:.1f}; "
              f"counts identical to a normal run: {same}", flush=True)
        if not same:
            raise SystemExit("the instrumented copy changed the run")
        shares = [scan_share(scenario, args.seed) for _ in range(args.repeat)]
        kernel, scan = statistics.median(k for k, _ in shares), statistics.median(s for _, s in shares)
        print(f"{name} seed {args.seed}: the kernel {kernel:.3f} s CPU, its daily scan (flee_kernels.candidates, "
              f"timed beside it) {scan:.3f} s = {scan / kernel:.1%} (medians of {args.repeat} runs)", flush=True)


if __name__ == "__main__":
    main()
