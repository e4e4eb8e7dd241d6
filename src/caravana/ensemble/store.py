"""An ensemble on disk, written so that a reader never mistakes a partial one for a whole one.

Layout of ``out_dir`` (other tools read it; keep it)::

    members/member=0000/counts.parquet   one Parquet dataset, hive-partitioned by member
    quantiles.parquet (and .csv)         day, date, place, status, p5..p95, mean (every table also as CSV)
    outcomes.parquet                     member, seed, outcome, caravan, place, status, value
    outcome_quantiles.parquet            outcome, caravan, place, status, reached, p5..p95, mean
    events.parquet                       day, date, place, event, cause, p5..p95, mean (a member
                                         without the event that day counts 0)
    arrays/<name>.parquet (and .csv)     every declared result, combined as declared (needs,
                                         caravans, caravan_origins, caravan_arrivals... for the corridor)
    ensemble.json                        what was run; ``"complete": true``; written last; a forecast's
                                         weighted posterior also lists ``member_weights`` (every
                                         statistic above is then weighted; ``outcomes`` and each
                                         member's metadata carry its ``weight``)

Order: a previous ``ensemble.json`` is removed first; members are written to a
hidden folder and swapped in whole; each table is written atomically; the new
``ensemble.json`` comes last. Query the members with DuckDB::

    SELECT member, max(count) FROM read_parquet('out/members/*/*.parquet', hive_partitioning=true)
    WHERE place = 'Tijuana' GROUP BY member
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow.parquet as pq

from ..errors import CaravanaError
from ..results.format import WORLD_FILE, stamped
from ..results.io import atomic_write_text, swap_in, write_arrays, write_table

if TYPE_CHECKING:
    from .runner import EnsembleResult

MEMBER_DIR = re.compile(r"member=\d+")
TABLE_FILES = ("quantiles", "outcomes", "outcome_quantiles", "events")
LEGACY_TABLES = ("needs", "caravans")  # format 2 wrote these; they are declared arrays now


def member_dir_name(member: int, members: int) -> str:
    """``member=0007``: zero-padded so the folders sort in member order."""
    return f"member={member:0{max(4, len(str(members - 1)))}d}"


def check_out_dir(out_dir: Path) -> None:
    """Refuse, before any work, a folder that cannot take an ensemble without clobbering
    something that is not one."""
    if out_dir.exists() and not out_dir.is_dir():
        raise CaravanaError(f"{out_dir}: exists and is not a folder")
    members = out_dir / "members"
    if members.exists():
        foreign = [p.name for p in members.iterdir() if not (p.is_dir() and MEMBER_DIR.fullmatch(p.name))]
        if foreign:
            raise CaravanaError(
                f"{members}: holds files that are not ensemble members ({foreign[0]}); choose another --out"
            )


def write_ensemble(result: EnsembleResult, out_dir: Path) -> list[Path]:
    """Write ``result`` under ``out_dir`` (layout above); return the paths written."""
    check_out_dir(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "ensemble.json").unlink(missing_ok=True)  # from here until the end: not complete
    written = [_write_members(result, out_dir)]
    tables = {
        "quantiles": result.quantiles,
        "outcomes": result.outcomes,
        "outcome_quantiles": result.outcome_quantiles,
        "events": result.events,
    }
    for stale in LEGACY_TABLES:  # a format 2 ensemble's, in the same folder
        (out_dir / f"{stale}.parquet").unlink(missing_ok=True)
        (out_dir / f"{stale}.csv").unlink(missing_ok=True)
    for name in TABLE_FILES:
        path = out_dir / f"{name}.parquet"
        table = tables[name]
        if table is None:
            path.unlink(missing_ok=True)  # a previous ensemble's, of another scenario
            path.with_suffix(".csv").unlink(missing_ok=True)
            continue
        written += write_table(table, out_dir, name)  # Parquet, and CSV for spreadsheets
    written += write_arrays({name: table for name, (_, table) in result.arrays.items()}, out_dir, csv=True)
    if result.world is not None:
        world = out_dir / WORLD_FILE
        atomic_write_text(world, json.dumps(result.world) + "\n")
        written.append(world)
    meta = stamped("ensemble", {**result.metadata, "files": [str(p.relative_to(out_dir)) for p in written],
                                "arrays": {name: entry for name, (entry, _) in result.arrays.items()},
                                "complete": True})
    atomic_write_text(out_dir / "ensemble.json", json.dumps(meta, indent=2, default=str) + "\n")
    return [*written, out_dir / "ensemble.json"]


def _write_members(result: EnsembleResult, out_dir: Path) -> Path:
    """Every member's counts into a hidden folder, then swapped in for ``members/``."""
    target = out_dir / "members"
    staging = out_dir / f".members.tmp-{os.getpid()}"
    old = out_dir / f".members.old-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for i in range(result.members):
            member = result.member(i)
            table = member.to_table().replace_schema_metadata(
                {"caravana": json.dumps({**member.metadata, "member": i}, default=str)}
            )
            pq.write_table(table, _mkdir(staging / member_dir_name(i, result.members)) / "counts.parquet")
        swap_in(staging, target, old)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
