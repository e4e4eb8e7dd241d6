"""Fingerprints of every result of corridor runs, to show that a change leaves them identical to
the person (run it on two checkouts and compare the output: ``diff`` must print nothing).

    python benchmarks/corridor_identity.py > mine.txt
    OTHER_CHECKOUT/.venv/bin/python benchmarks/corridor_identity.py > theirs.txt   # same script, other code
    diff mine.txt theirs.txt

Cases: the built-in corridor (2018) with seeds 1, 2 and 3; its 2021 and 2023 variants, seed 1;
the 2021 variant with break-ups, joiners by date, blockades that hold a few nights, papers handed
out at once and permit queues switched on (``with_mechanisms``), seed 1 and seed 2 at x10; the
2018 corridor scaled x10 and x100 (``corridor_scale.scaled``: longer queues, more of every
path), seed 1. For each: the head-counts (day x place x status), people spawned a day, every
table a behaviour outputs (caravans, caravan_origins, caravan_arrivals, needs, events...) and
every declared result array, each hashed (SHA-256 of its values; a table column by column).
"""

from __future__ import annotations

import argparse
import hashlib
import warnings

import numpy as np
import pyarrow as pa
from corridor_scale import scaled

import caravana.scenario.limits as limits
from caravana import load_scenario, simulation
from caravana.scenario.corridor import CorridorSpec
from caravana.scenario.load import BUILTIN_DIR

VARIANTS = {"2018": "corridor", "2021": BUILTIN_DIR / "corridor" / "2021.yml", "2023": BUILTIN_DIR / "corridor" / "2023.yml",
            "2021+mechanisms": BUILTIN_DIR / "corridor" / "2021.yml"}
CASES = [("2018", 1, 1), ("2018", 2, 1), ("2018", 3, 1), ("2021", 1, 1), ("2023", 1, 1), ("2021+mechanisms", 1, 1),
         ("2021+mechanisms", 2, 10), ("2018", 1, 10), ("2018", 1, 100)]


def with_mechanisms(scenario):
    """The 2021 variant with the mechanisms a scenario switches on and the built-in ones leave off:
    break-ups, joiners by date, a blockade that holds a caravan only so many nights, papers handed
    out at once, permit queues (values for the test only, not estimates)."""
    corridor = scenario.corridor.model_dump(by_alias=True)
    caravan = corridor["caravans"][0]
    caravan["break_up_rate"] = 0.05
    caravan["joiners"][0]["by_date"] = True
    for checkpoint in corridor["enforcement"]["checkpoints"]:
        if checkpoint.get("blockade"):
            checkpoint["holds_nights"] = 3
    corridor["regularisations"] = [{"places": ["Mapastepec", "Pijijiapan"], "start": 3, "end": 20, "share": 0.3,
                                    "leave_share": 0.5}]
    corridor["papers"]["permits"].update(apply_rate=0.3, per_day=40, give_up_days=3)
    return scenario.model_copy(update={"corridor": CorridorSpec.model_validate(corridor)})


def array_digest(a: np.ndarray) -> str:
    a = np.ascontiguousarray(a)
    h = hashlib.sha256(f"{a.dtype.str} {a.shape}".encode())
    h.update(a.tobytes())
    return h.hexdigest()[:16]


def table_digest(table: pa.Table) -> str:
    h = hashlib.sha256(repr(table.schema).encode())
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
            h.update(array_digest(column.to_numpy(zero_copy_only=False)).encode())
        else:
            h.update(repr(column.to_pylist()).encode())
    return h.hexdigest()[:16]


def main() -> None:
    limits.MAX_PEOPLE = 10**12  # x100 is past the laptop guard's estimate (set here, not at import)
    warnings.filterwarnings("ignore", message="this run needs about")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="leave out the x100 case")
    args = parser.parse_args()
    for variant, seed, factor in CASES:
        if args.quick and factor > 10:
            continue
        scenario = load_scenario(VARIANTS[variant])
        if variant.endswith("+mechanisms"):
            scenario = with_mechanisms(scenario)
        if factor != 1:
            scenario = scaled(scenario, factor)
        results = simulation(scenario, seed=seed).run()
        case = f"{variant} seed {seed} x{factor}"
        print(f"{case}: people {int(results.spawned[-1])}, counts {array_digest(results.counts)}, "
              f"spawned {array_digest(results.spawned)}", flush=True)
        for name in sorted(results.tables):
            table = results.tables[name]
            print(f"{case}: table {name} ({table.num_rows} rows) {table_digest(table)}", flush=True)
        for name in sorted(results.arrays):
            print(f"{case}: array {name} {array_digest(results.arrays[name].values)}", flush=True)


if __name__ == "__main__":
    main()
