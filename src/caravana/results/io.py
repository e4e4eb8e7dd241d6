"""Writing results to disk: every file, and every run folder, appears whole or not at all.

Each file is written to a temporary name in the same folder and renamed into
place (an atomic operation on one filesystem), so a crash or a full disk never
leaves a half-written file where a reader expects a complete one.

A run folder is written the same way as a whole: into a hidden staging folder beside
it, its manifest (``metadata.json``, with ``"complete": true`` and the list of its
files) last, then swapped in for the old folder. So a folder reused by another run
keeps none of the earlier run's tables, and a run killed while writing leaves the
earlier folder as it was; readers refuse a run folder without the completeness mark
(:func:`caravana.results.reader.open_results`). Between the two renames of the swap the
folder is briefly absent (the old one sits in ``.NAME.old-PID``); leftovers of a
killed write are removed by the next write to the same folder.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from ..errors import CaravanaError
from .declared import run_table
from .format import ARRAYS_DIR, WORLD_FILE, stamped
from .parquet import write_parquet
from .results import Results

MANIFEST = "metadata.json"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp_path)`` and move the result to ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual mode
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_table(table: pa.Table, out_dir: Path, name: str) -> list[Path]:
    """``name``.parquet and ``name``.csv in ``out_dir``, each atomically. The CSV writer
    writes a dictionary column's values itself (casting first would load pyarrow.compute,
    a tenth of a second at start-up)."""
    parquet, csv_path = out_dir / f"{name}.parquet", out_dir / f"{name}.csv"
    atomic_write(parquet, partial(write_parquet, table))
    atomic_write(csv_path, lambda tmp: pacsv.write_csv(table, tmp))
    return [parquet, csv_path]


def write_arrays(tables: dict[str, pa.Table], out_dir: Path, *, csv: bool = False) -> list[Path]:
    """Each declared result as ``arrays/<name>.parquet`` (with ``csv``, also ``.csv``, for
    spreadsheets); arrays of an earlier run there are removed."""
    folder = out_dir / ARRAYS_DIR
    for old in [*folder.glob("*.parquet"), *folder.glob("*.csv")] if folder.is_dir() else []:
        if old.stem not in tables or (old.suffix == ".csv" and not csv):
            old.unlink()
    written = []
    for name, table in tables.items():
        if csv:
            folder.mkdir(parents=True, exist_ok=True)
            written += write_table(table, folder, name)
            continue
        path = folder / f"{name}.parquet"
        atomic_write(path, partial(write_parquet, table))
        written.append(path)
    return written


def check_run_folder(out_dir: Path) -> None:
    """Refuse, before any work, an ``--out`` folder that holds something other than a
    caravana run: writing a run replaces the whole folder."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise CaravanaError(f"{out_dir}: exists and is not a folder; choose another --out")
    if not out_dir.is_dir() or not any(out_dir.iterdir()):
        return
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != "caravana-run":
        example = sorted(p.name for p in out_dir.iterdir())[0]
        raise CaravanaError(
            f"{out_dir}: holds files that are not a caravana run (e.g. {example}) and a run replaces the "
            "whole folder; choose another --out or empty it"
        )


def swap_in(staging: Path, target: Path, old: Path) -> None:
    """Put the folder ``staging`` in place of ``target``: the old ``target`` is moved
    aside to ``old`` (same filesystem: two renames) and removed."""
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def _beside(out_dir: Path, what: str, pid: int | str = "") -> Path:
    return out_dir.parent / f".{out_dir.name}.{what}-{pid}"


def write_results(results: Results, out_dir: Path,
                  also: Callable[[Path], list[Path]] | None = None) -> list[Path]:
    """Write counts and every behaviour table (Parquet and CSV, long format), the world
    and the manifest (``metadata.json``, :mod:`caravana.results.format`) as one new
    folder ``out_dir`` (see the module's docstring); return the paths.

    ``also(folder)`` writes more files into the staging folder before the manifest
    (Flee's ``out.csv``, the dashboard's context) and returns their paths.
    """
    out_dir = Path(out_dir)
    check_run_folder(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    for leftover in out_dir.parent.glob(f".{out_dir.name}.tmp-*"):  # of a write that was killed
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out_dir.parent.glob(f".{out_dir.name}.old-*"):
        if not out_dir.exists():  # killed between the two renames: the old run is all there is
            os.replace(leftover, out_dir)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    staging, old = _beside(out_dir, "tmp", os.getpid()), _beside(out_dir, "old", os.getpid())
    staging.mkdir()
    try:
        # The run's metadata also travels inside the Parquet file, so the counts never lose their context.
        manifest = stamped("run", {**results.metadata,
                                    "arrays": {name: a.manifest() for name, a in results.arrays.items()}})
        table = results.to_table().replace_schema_metadata({"caravana": json.dumps(manifest, default=str)})
        written = []
        for name, t in {"counts": table, **results.tables}.items():
            written += write_table(t, staging, name)
        written += write_arrays({name: run_table(a, results.start, results.places)
                                 for name, a in results.arrays.items()}, staging)
        if results.world is not None:
            world = staging / WORLD_FILE
            atomic_write_text(world, json.dumps(results.world.geography()) + "\n")
            written.append(world)
        if also is not None:
            written += also(staging)
        files = sorted(str(p.relative_to(staging)) for p in written)
        complete = {**manifest, "files": files, "complete": True}
        atomic_write_text(staging / MANIFEST, json.dumps(complete, indent=2, default=str) + "\n")  # last
        swap_in(staging, out_dir, old)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out_dir / f for f in files] + [out_dir / MANIFEST]
