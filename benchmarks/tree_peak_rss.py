"""Peak resident memory of a whole process tree: a command, its worker pool and any process it starts.

    python benchmarks/tree_peak_rss.py [--every 0.2] -- COMMAND ...

``/usr/bin/time -v`` (``ru_maxrss``) counts only the command and the children it waited for, and
takes the largest of them, not their sum: the forecast's pool workers and the move's workers
(``forecast/shards.py``) run beside the parent. This samples the tree (``psutil``) every ``--every``
seconds and prints the largest sum of RSS over the tree seen, the largest parent RSS and the largest
number of processes; a sample can miss a peak shorter than the interval (the figure is a lower bound).
The command's own output goes through unchanged.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import psutil


def tree_rss(root: psutil.Process) -> tuple[int, int, int]:
    """(sum of RSS over root and its descendants, root's RSS, process count), in bytes."""
    processes = [root]
    try:
        processes += root.children(recursive=True)
    except psutil.Error:
        pass
    total = own = 0
    for process in processes:
        try:
            rss = process.memory_info().rss
        except psutil.Error:  # ended between the listing and the reading
            continue
        total += rss
        own = rss if process.pid == root.pid else own
    return total, own, len(processes)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--every", type=float, default=0.2, help="seconds between samples")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command")
    child = subprocess.Popen(command)
    root = psutil.Process(child.pid)
    peak = peak_own = most = 0
    while child.poll() is None:
        total, own, count = tree_rss(root)
        peak, peak_own, most = max(peak, total), max(peak_own, own), max(most, count)
        time.sleep(args.every)
    print(f"tree peak RSS {peak / 2**30:.2f} GiB (sum over the tree, sampled every {args.every} s); "
          f"parent peak {peak_own / 2**30:.2f} GiB; at most {most} processes; exit {child.returncode}", flush=True)
    return child.returncode


if __name__ == "__main__":
    sys.exit(main())
