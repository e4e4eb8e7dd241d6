"""Export FabFlee's ``config_files`` (or part of it) from a checkout or a bare clone.

FabFlee is not part of caravana; the benchmarks read it from wherever it is. A bare
clone may lack its largest blobs (a partial copy): those files are skipped and listed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def export(fabflee: Path, subpath: str, into: Path) -> tuple[Path, list[str]]:
    """Copy ``fabflee/subpath`` to ``into/subpath``; return it and the files a bare clone lacks."""
    target = into / subpath
    if (fabflee / subpath).is_dir():
        shutil.copytree(fabflee / subpath, target)
        return target, []
    git = ["git", "--git-dir", str(fabflee)]
    listing = subprocess.run(git + ["ls-tree", "-r", "-z", "HEAD", subpath], check=True, capture_output=True).stdout
    entries = []
    for item in listing.split(b"\0"):
        if item:
            meta, path = item.split(b"\t", 1)
            if meta.split()[1] == b"blob":
                entries.append((meta.split()[2].decode(), path.decode()))
    missing = []
    with subprocess.Popen(git + ["cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE) as proc:
        for sha, path in entries:
            proc.stdin.write(sha.encode() + b"\n")
            proc.stdin.flush()
            header = proc.stdout.readline().split()
            if len(header) < 3 or header[1] == b"missing":
                missing.append(path)
                continue
            data = proc.stdout.read(int(header[2]) + 1)[:-1]
            out = into / path
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
        proc.stdin.close()
    return target, missing
