"""Exporting a registered run's results: one table as CSV or Parquet, or Flee's out.csv."""

from __future__ import annotations

from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..flee.outcsv import write_flee_out_csv
from ..results.io import atomic_write
from ..results.reader import RUN, ResultsFolder, open_results
from .records import RunRecord
from .reload import results_from_folder, scenario_of
from .store import CatalogueError

FORMATS = ("csv", "parquet", "flee")


def folder_of(record: RunRecord) -> ResultsFolder:
    if not record.path.exists():
        raise CatalogueError(f"run {record.id}: its folder {record.path} no longer exists")
    return open_results(record.path)


def export_run(record: RunRecord, fmt: str, out: Path, *, table: str | None = None) -> Path:
    """Write the run's ``table`` (default: counts for a run, quantiles for an ensemble)
    as CSV or Parquet, or Flee's ``out.csv``, to ``out`` (a file, or a folder to put
    it in); return the path written. Everything is checked before anything is written."""
    if fmt not in FORMATS:
        raise CatalogueError(f"unknown export format '{fmt}' (known: {', '.join(FORMATS)})")
    folder = folder_of(record)
    out = Path(out)
    if fmt == "flee":
        if table is not None:
            raise CatalogueError("a table cannot be chosen for the Flee format: out.csv is always the camp counts")
        return _export_flee(record, folder, out / "out.csv" if out.is_dir() else out)
    name = table or folder.main_table
    data = folder.read_table(name)
    target = out / f"{name}.{fmt}" if out.is_dir() else out
    write = (lambda tmp: pacsv.write_csv(data, tmp)) if fmt == "csv" else (lambda tmp: pq.write_table(data, tmp))
    try:
        atomic_write(target, write)
    except OSError as exc:
        raise CatalogueError(f"cannot write {exc.filename or target}: {exc.strerror or exc}") from None
    return target


def _export_flee(record: RunRecord, folder: ResultsFolder, target: Path) -> Path:
    if folder.kind != RUN:
        raise CatalogueError(f"run {record.id} is an {folder.kind}: Flee's out.csv holds the counts of a single run")
    scenario = scenario_of(record)
    if not scenario.observations:
        raise CatalogueError(
            f"run {record.id}: scenario {record.scenario} has no observed camp counts, which Flee's out.csv compares with"
        )
    results = results_from_folder(folder)
    try:
        return write_flee_out_csv(results, scenario, target)
    except OSError as exc:
        raise CatalogueError(f"cannot write {exc.filename or target}: {exc.strerror or exc}") from None
