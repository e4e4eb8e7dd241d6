"""The parent's peak memory while it runs and reduces a corridor ensemble.

Each size runs in a fresh process (so one size's peak does not hide the next's): it
runs ``run_ensemble("corridor", N)``, writes the ensemble to a temporary folder, and
prints its own peak resident memory (``ru_maxrss`` of the parent; worker processes are
not counted), its CPU time, and the wall time.

Members are real corridor runs (full period, one seed each) on local worker processes.
With ``--replay K``, K real members are run first and the backend then hands the parent
N members by unpickling those K outputs in turn, as a worker's output arrives: the
parent's work (taking each member in, reducing, writing every member) is the same, and
N = 10,000 takes minutes instead of hours of worker time on a shared machine.

    nice -n 10 python benchmarks/ensemble_memory.py [--members 100,1000] [--workers 2]
    nice -n 10 python benchmarks/ensemble_memory.py --replay 40 --members 100,1000,10000

To measure another checkout (e.g. before a change), run this script with
``PYTHONPATH=/path/to/checkout/src``. Wall times on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def replaying(workers: int, days: int | None, k: int):
    """A backend that hands out the pickled outputs of ``k`` real members in turn."""
    from caravana.ensemble.backends import Backend, ProcessBackend
    from caravana.ensemble.members import MemberTask, member_seeds, run_member
    from caravana.scenario.load import load_scenario

    scenario = load_scenario("corridor")
    with ProcessBackend(workers) as real:
        blobs = [pickle.dumps(o) for o in real.map(run_member, [MemberTask(scenario, s, days)
                                                                 for s in member_seeds(99, k)])]

    class Replay(Backend):
        kind = "replay"

        @property
        def workers(self) -> int:
            return 1

        def imap(self, fn, items, progress=None):
            for i, _ in enumerate(items):
                yield pickle.loads(blobs[i % k])

        def map(self, fn, items, progress=None):  # what a version without imap calls
            return [pickle.loads(blobs[i % k]) for i, _ in enumerate(items)]

    return Replay()


def child(members: int, workers: int, days: int | None, write: bool, replay: int) -> None:
    import caravana
    from caravana.ensemble import run_ensemble
    from caravana.ensemble.backends import ProcessBackend

    backend_of = (lambda: replaying(workers, days, replay)) if replay else (lambda: ProcessBackend(workers))
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0, c0 = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory() as tmp, backend_of() as backend:
        result = run_ensemble("corridor", members, root_seed=1, days=days, backend=backend,
                              out_dir=Path(tmp) / "ens" if write else None)
        rows = result.quantiles.num_rows
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "members": members, "peak_mib": usage.ru_maxrss / 1024, "after_imports_mib": base / 1024,
        "cpu_s": time.process_time() - c0, "wall_s": time.perf_counter() - t0, "quantile_rows": rows,
        "version": caravana.__version__, "source": str(Path(caravana.__file__).parent),
    }), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", default="100,1000,10000", help="comma-separated ensemble sizes")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--days", type=int, default=None, help="days per member (default: the scenario's)")
    parser.add_argument("--no-write", action="store_true", help="reduce only, write no ensemble folder")
    parser.add_argument("--replay", type=int, default=0, metavar="K",
                        help="run K real members, then replay their outputs to the parent (see above)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.workers, args.days, not args.no_write, args.replay)
        return
    how = f"outputs of {args.replay} real members replayed" if args.replay else f"{args.workers} worker processes"
    print(f"corridor ensemble ({how}), parent's peak RSS (ru_maxrss), one process per size")
    print(f"{'members':>8} {'peak MiB':>9} {'imports MiB':>11} {'parent CPU s':>12} {'wall s':>8}")
    results = []
    for members in (int(m) for m in args.members.split(",")):
        cmd = [sys.executable, __file__, "--child", str(members), "--workers", str(args.workers)]
        cmd += ["--days", str(args.days)] if args.days else []
        cmd += ["--no-write"] if args.no_write else []
        cmd += ["--replay", str(args.replay)] if args.replay else []
        done = subprocess.run(cmd, capture_output=True, text=True, env=os.environ)
        if done.returncode != 0:
            raise SystemExit(f"{members} members failed ({done.returncode}):\n{done.stderr[-3000:]}")
        r = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(r)
        print(f"{r['members']:>8} {r['peak_mib']:>9.1f} {r['after_imports_mib']:>11.1f} {r['cpu_s']:>12.1f} "
              f"{r['wall_s']:>8.1f}", flush=True)
    if len(results) >= 2:
        a, b = results[0], results[-1]
        per = (b["peak_mib"] - a["peak_mib"]) * 1024 / (b["members"] - a["members"])
        print(f"growth: {per:.1f} KiB of parent peak per member, from {a['members']} to {b['members']} members")
    print(f"caravana from {results[-1]['source']}")


if __name__ == "__main__":
    main()
