"""The guard: daily counts per place and status stay identical to the person.

Stored checksums (``tests/data/counts_checksums.json``) were taken from the code at
commit 50cb17b, before the foundations refactor, for fixed seeds and the full period of
each scenario: mali2012 and burundi2015 from the built-in Flee folders, and the corridor
from a frozen copy of its 2018 scenario (``tests/data/corridor_2018_frozen``), since the
built-in corridor scenario gains mechanisms over time. A change that moves a single
person on a single day changes the checksum.

Regenerate (only for an intended change of results, and say so in the commit):
``python tests/test_guard_counts.py --write``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pytest

import caravana

DATA = Path(__file__).parent / "data"
CHECKSUMS = DATA / "counts_checksums.json"
SCENARIOS = {
    "mali2012": "mali2012",
    "burundi2015": "burundi2015",
    "corridor_2018_frozen": str(DATA / "corridor_2018_frozen" / "scenario.yml"),
}
SEEDS = (1, 7)


def fingerprint(source: str, seed: int) -> dict:
    """Checksum of the whole (days, places, statuses) counts array, plus readable totals."""
    results = caravana.run(caravana.load_scenario(source), seed=seed)
    counts = np.ascontiguousarray(results.counts, dtype="<i8")
    digest = hashlib.sha256()
    digest.update(json.dumps([list(results.places), list(results.statuses), list(counts.shape)]).encode())
    digest.update(counts.tobytes())
    return {
        "sha256": digest.hexdigest(),
        "days": int(counts.shape[0]),
        "last_day_by_status": dict(zip(results.statuses, counts[-1].sum(axis=0).tolist())),
    }


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("key", sorted(SCENARIOS))
def test_counts_identical_to_stored_checksums(key, seed):
    stored = json.loads(CHECKSUMS.read_text())[f"{key}/seed{seed}"]
    now = fingerprint(SCENARIOS[key], seed)
    # Totals first: a readable difference when the checksum will differ.
    assert now["last_day_by_status"] == stored["last_day_by_status"]
    assert now["days"] == stored["days"]
    assert now["sha256"] == stored["sha256"]


if __name__ == "__main__" and "--write" in sys.argv:
    table = {f"{k}/seed{s}": fingerprint(v, s) for k, v in sorted(SCENARIOS.items()) for s in SEEDS}
    CHECKSUMS.write_text(json.dumps(table, indent=1) + "\n")
    print(f"wrote {CHECKSUMS}")
