"""Checksums of what an ensemble folder's reduction writes and the dashboard reads, to show
that a change leaves an unweighted ensemble's reduction unchanged bit for bit (run it on two
checkouts and compare the output).

    PYTHONPATH=OTHER_CHECKOUT/src python benchmarks/reduction_checksums.py OUT_DIR

For corridor (6 members, 25 days) and mali2012 (5 members, 30 days), root seed 3, in this
process: every reduced table (quantiles, outcomes, outcome_quantiles, events, arrays/*), as
its rows, hashed (SHA-256 of its JSON); then the dashboard's summary, a place's series and
the map frames of the folder, hashed the same way.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pyarrow.parquet as pq

from caravana.dashboard import views
from caravana.display.loading import load_folder
from caravana.ensemble import run_ensemble

CASES = (("corridor", 6, 25), ("mali2012", 5, 30))


def digest(value) -> str:
    return hashlib.sha256(json.dumps(value, default=str, sort_keys=True).encode()).hexdigest()[:16]


def main(out: Path) -> None:
    for scenario, members, days in CASES:
        folder = out / scenario
        run_ensemble(scenario, members=members, root_seed=3, days=days, backend="inprocess", out_dir=folder)
        for path in sorted(folder.rglob("*.parquet")):
            if "members" not in path.parts:
                table = pq.read_table(path)
                print(scenario, path.relative_to(folder), table.num_rows, digest(table.to_pydict()))
        run = load_folder(folder)
        shown = {"summary": views.summary(run), "series": views.series(run, run.places[1], "staying"),
                 "map": views.map_frames(run)}
        print(scenario, "dashboard views", digest(shown))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
