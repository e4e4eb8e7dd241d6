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

import pyarrow.csv as pacsv
import pyarrow.parquet as pq

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


def write_results(results: Results, out_dir: Path) -> list[Path]:
    """Write counts (Parquet and CSV, long format) and metadata (JSON); return the paths."""
    # The run's metadata also travels inside the Parquet file, so the counts never lose their context.
    table = results.to_table().replace_schema_metadata(
        {"caravana": json.dumps(results.metadata, default=str)}
    )
    written = []
    parquet = out_dir / "counts.parquet"
    atomic_write(parquet, lambda tmp: pq.write_table(table, tmp))
    written.append(parquet)
    csv_path = out_dir / "counts.csv"
    plain = table.cast(
        table.schema.set(2, table.schema.field("place").with_type(table.schema.field("place").type.value_type))
        .set(3, table.schema.field("status").with_type(table.schema.field("status").type.value_type))
    )
    atomic_write(csv_path, lambda tmp: pacsv.write_csv(plain, tmp))
    written.append(csv_path)
    meta = out_dir / "metadata.json"
    atomic_write_text(meta, json.dumps(results.metadata, indent=2, default=str) + "\n")
    written.append(meta)
    return written
