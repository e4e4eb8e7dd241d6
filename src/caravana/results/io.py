"""Writing results to disk: every file appears whole or not at all.

Each file is written to a temporary name in the same folder and renamed into
place (an atomic operation on one filesystem), so a crash or a full disk never
leaves a half-written file where a reader expects a complete one.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .format import WORLD_FILE, stamped
from .results import Results


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
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


def _plain(table: pa.Table) -> pa.Table:
    """Dictionary columns decoded to their values, for CSV."""
    fields = [
        f.with_type(f.type.value_type) if pa.types.is_dictionary(f.type) else f for f in table.schema
    ]
    return table.cast(pa.schema(fields, metadata=table.schema.metadata))


def write_table(table: pa.Table, out_dir: Path, name: str) -> list[Path]:
    """``name``.parquet and ``name``.csv (dictionary columns decoded) in ``out_dir``, each atomically."""
    parquet, csv_path = out_dir / f"{name}.parquet", out_dir / f"{name}.csv"
    atomic_write(parquet, lambda tmp: pq.write_table(table, tmp))
    atomic_write(csv_path, lambda tmp: pacsv.write_csv(_plain(table), tmp))
    return [parquet, csv_path]


def write_results(results: Results, out_dir: Path) -> list[Path]:
    """Write counts and every behaviour table (Parquet and CSV, long format), the world
    and the manifest (``metadata.json``, :mod:`caravana.results.format`); return the paths."""
    # The run's metadata also travels inside the Parquet file, so the counts never lose their context.
    manifest = stamped("run", results.metadata)
    table = results.to_table().replace_schema_metadata({"caravana": json.dumps(manifest, default=str)})
    written = []
    for name, t in {"counts": table, **results.tables}.items():
        written += write_table(t, out_dir, name)
    if results.world is not None:
        world = out_dir / WORLD_FILE
        atomic_write_text(world, json.dumps(results.world.geography()) + "\n")
        written.append(world)
    meta = out_dir / "metadata.json"
    atomic_write_text(meta, json.dumps(manifest, indent=2, default=str) + "\n")
    written.append(meta)
    return written
