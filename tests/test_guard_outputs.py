"""The guard on every output, not only counts: daily counts per place and status, and each
behaviour's tables (caravans, needs, events...) and declared arrays, identical to the person.

Stored checksums (``tests/data/outputs_checksums.json``) were taken from main at cc5da27,
before issue 17's speed work, for fixed seeds and full periods: mali2012 and burundi2015
(built-in), a frozen copy of the corridor scenario as it was then
(``tests/data/corridor_current_frozen``: four caravans, merging) and a frozen variant with
every optional mechanism on (``tests/data/corridor_mechanisms_frozen``: transit hubs,
merging, destination choice with splits, riding ahead, border, metering). Frozen copies,
since the built-in corridor gains mechanisms and recalibrations over time. The arrays
``arrivals`` and ``departures`` (``behaviours/flows.py``, merged later) were added to the
stored checksums from a run whose other outputs still matched them.

Regenerate (only for an intended change of results, and say so in the commit):
``python tests/test_guard_outputs.py --write``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

import caravana

DATA = Path(__file__).parent / "data"
CHECKSUMS = DATA / "outputs_checksums.json"
SCENARIOS = {
    "mali2012": "mali2012",
    "burundi2015": "burundi2015",
    "corridor_current_frozen": str(DATA / "corridor_current_frozen" / "scenario.yml"),
    "corridor_mechanisms_frozen": str(DATA / "corridor_mechanisms_frozen" / "scenario.yml"),
}
SEEDS = {"mali2012": (3,), "burundi2015": (3,), "corridor_current_frozen": (1, 7, 11),
         "corridor_mechanisms_frozen": (1, 7, 11)}
CASES = [(key, seed) for key in sorted(SCENARIOS) for seed in SEEDS[key]]


def _digest_array(digest, values: np.ndarray) -> None:
    values = np.ascontiguousarray(values)
    digest.update(json.dumps([values.dtype.str, list(values.shape)]).encode())
    digest.update(values.tobytes())


def table_digest(table: pa.Table) -> str:
    """By value, column by column: independent of chunking and of IPC details."""
    digest = hashlib.sha256()
    for name, column in zip(table.column_names, table.columns):
        digest.update(json.dumps([name, str(column.type)]).encode())
        if pa.types.is_integer(column.type) or pa.types.is_floating(column.type) or pa.types.is_boolean(column.type):
            _digest_array(digest, column.to_numpy())
        else:
            digest.update(json.dumps(column.to_pylist(), default=str).encode())
    return digest.hexdigest()


def fingerprint(source: str, seed: int) -> dict:
    results = caravana.run(caravana.load_scenario(source), seed=seed)
    counts = hashlib.sha256()
    counts.update(json.dumps([list(results.places), list(results.statuses)]).encode())
    _digest_array(counts, np.asarray(results.counts, dtype="<i8"))
    _digest_array(counts, np.asarray(results.spawned, dtype="<i8"))
    outputs = {"counts": counts.hexdigest()}
    outputs.update({f"table:{name}": table_digest(table) for name, table in sorted(results.tables.items())})
    for name, array in sorted(results.arrays.items()):
        digest = hashlib.sha256()
        digest.update(json.dumps(array.labels, sort_keys=True).encode())
        _digest_array(digest, array.values)
        outputs[f"array:{name}"] = digest.hexdigest()
    return {
        "outputs": outputs,
        "rows": {name: table.num_rows for name, table in sorted(results.tables.items())},
        "last_day_by_status": dict(zip(results.statuses, results.counts[-1].sum(axis=0).tolist())),
    }


@pytest.mark.parametrize(("key", "seed"), CASES)
def test_outputs_identical_to_stored_checksums(key, seed):
    stored = json.loads(CHECKSUMS.read_text())[f"{key}/seed{seed}"]
    now = fingerprint(SCENARIOS[key], seed)
    # Readable differences first, then each output by name.
    assert now["last_day_by_status"] == stored["last_day_by_status"]
    assert now["rows"] == stored["rows"]
    # Every stored output is still there and identical (outputs added since are not guarded
    # until the checksums are rewritten).
    assert sorted(set(stored["outputs"]) - set(now["outputs"])) == []
    changed = [name for name, value in stored["outputs"].items() if now["outputs"][name] != value]
    assert changed == []


if __name__ == "__main__" and "--write" in sys.argv:
    table = {f"{k}/seed{s}": fingerprint(SCENARIOS[k], s) for k, s in CASES}
    CHECKSUMS.write_text(json.dumps(table, indent=1) + "\n")
    print(f"wrote {CHECKSUMS}")
