"""Writing a Parquet file with pyarrow's Parquet writer itself.

``pyarrow.parquet.write_table`` is a Python layer over the writer of ``pyarrow._parquet``;
importing it imports ``pyarrow.fs`` (its filesystems, to open the path), 42 M machine
instructions (about 9 ms) of a ``caravana run``'s start, to write a local file that
``pa.OSFile`` opens as well. :func:`write_parquet` hands the writer the options
``write_table`` hands it by default, so the file is the same, byte for byte
(``tests/test_results_parquet.py`` compares the two on every kind of table a run writes).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

# What pyarrow.parquet.write_table passes its writer by default (pyarrow 16 to 26); the
# writer's other options have the same defaults in both.
WRITE_TABLE_DEFAULTS = {"version": "2.6", "compression": "snappy", "use_dictionary": True, "write_statistics": True,
                        "writer_engine_version": "V2", "data_page_version": "1.0"}


def write_parquet(table: pa.Table, path: Path) -> None:
    """``pyarrow.parquet.write_table(table, path)``, without importing pyarrow.parquet."""
    from pyarrow._parquet import ParquetWriter

    with pa.OSFile(str(path), "wb") as sink:
        writer = ParquetWriter(sink, table.schema, **WRITE_TABLE_DEFAULTS)
        try:
            writer.write_table(table)
        finally:
            writer.close()
