"""caravana.results.parquet writes the file pyarrow.parquet.write_table writes, byte for byte."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from caravana.results.parquet import write_parquet


def _tables() -> dict[str, pa.Table]:
    rng = np.random.default_rng(7)
    n = 5_000
    places = pa.array([f"place {i}" for i in range(40)])
    counts = pa.table({
        "day": pa.array(np.arange(n, dtype=np.int32) // 40),
        "date": pa.array([dt.date(2012, 2, 29) + dt.timedelta(days=int(d)) for d in np.arange(n) // 40], pa.date32()),
        "place": pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, 40, n).astype(np.int32)), places),
        "count": pa.array(rng.integers(0, 10**6, n)),
    }).replace_schema_metadata({"caravana": '{"format": "caravana-run"}'})
    mixed = pa.table({
        "name": pa.array(["a", None, "ccc", "", "é"] * 200),
        "share": pa.array(rng.random(1000)),
        "small": pa.array(rng.integers(0, 3, 1000).astype(np.int8)),
        "flag": pa.array(rng.random(1000) < 0.5),
        "maybe": pa.array([None if i % 7 == 0 else float(i) for i in range(1000)]),
    })
    return {"counts": counts, "mixed": mixed, "empty": counts.slice(0, 0), "one row": mixed.slice(3, 1)}


@pytest.mark.parametrize("name", list(_tables()))
def test_the_same_bytes_as_pyarrow_parquet(tmp_path, name):
    table = _tables()[name]
    pq.write_table(table, tmp_path / "pyarrow.parquet")
    write_parquet(table, tmp_path / "caravana.parquet")
    assert (tmp_path / "caravana.parquet").read_bytes() == (tmp_path / "pyarrow.parquet").read_bytes()
    assert pq.read_table(tmp_path / "caravana.parquet").equals(table)
