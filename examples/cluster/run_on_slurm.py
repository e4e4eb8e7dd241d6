"""Run a caravana ensemble on a Slurm or PBS cluster through dask-jobqueue.

    pip install "caravana[cluster]"      # adds dask-jobqueue
    python examples/cluster/run_on_slurm.py --config examples/cluster/slurm.yaml \
        --jobs 4 --members 1000 --seed 1 --out runs/corridor-1000

This process runs the Dask scheduler and submits ``--jobs`` batch jobs (``sbatch`` or
``qsub``), each running the worker processes set in the config file; members are
sent to the workers as they join, and the results come back here to be reduced
and written under ``--out`` (see docs/cluster.md). Run it on a login node if your
site allows long-lived processes there, or inside a small batch job of its own.

    --system pbs --config examples/cluster/pbs.yaml   PBS instead of Slurm
    --dry-run      print the batch script a worker job would run, submit nothing
    --local N      no batch system: a LocalCluster of N processes (to try the script)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import dask.config
import yaml

from caravana.ensemble import get_backend, run_ensemble
from caravana.errors import CaravanaError


def make_cluster(system: str, config_file: Path):
    """A dask-jobqueue cluster configured from ``config_file`` (dask's jobqueue.yaml format)."""
    import dask_jobqueue

    config = yaml.safe_load(config_file.read_text())
    if system not in config.get("jobqueue", {}):
        raise CaravanaError(f"{config_file}: no 'jobqueue: {system}:' section")
    dask.config.update(dask.config.config, config, priority="new")
    cluster_class = {"slurm": dask_jobqueue.SLURMCluster, "pbs": dask_jobqueue.PBSCluster}[system]
    return cluster_class()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="corridor", help="built-in name or path (default: corridor)")
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0, help="root seed")
    parser.add_argument("--days", type=int, default=None)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--system", choices=("slurm", "pbs"), default="slurm")
    parser.add_argument("--config", type=Path, default=Path(__file__).with_name("slurm.yaml"))
    parser.add_argument("--jobs", type=int, default=2, help="batch jobs to submit")
    parser.add_argument("--dry-run", action="store_true", help="print the job script and stop")
    parser.add_argument("--local", type=int, metavar="N", help="use a LocalCluster of N processes instead")
    args = parser.parse_args()

    try:
        if args.local:
            backend = get_backend("dask", workers=args.local)
            cluster = None
        else:
            cluster = make_cluster(args.system, args.config)
            if args.dry_run:
                print(cluster.job_script())
                cluster.close()
                return 0
            cluster.scale(jobs=args.jobs)
            print(f"scheduler at {cluster.scheduler_address}; {args.jobs} {args.system} jobs submitted", flush=True)
            backend = get_backend("dask", scheduler=cluster.scheduler_address)
        try:
            with backend:
                result = run_ensemble(
                    args.scenario,
                    args.members,
                    args.seed,
                    days=args.days,
                    backend=backend,
                    out_dir=args.out,
                    progress=lambda done, total: print(f"\r{done}/{total} members", end="", flush=True),
                )
        finally:
            if cluster is not None:
                cluster.close()  # cancels the worker jobs
    except CaravanaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"\n{result.members} members in {result.metadata['wall_seconds']:.1f} s on {result.metadata['backend']}")
    print(f"wrote {args.out}/ensemble.json and {len(result.files) - 1} more")
    return 0


if __name__ == "__main__":
    sys.exit(main())
