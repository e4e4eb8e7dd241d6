"""Small Flee folders, one per Flee 3.1 rule, for comparing caravana with Flee 3.1.

``tests/data/flee_rules/base`` is a five-place case (a conflict zone, two towns, two
camps); ``variants.yml`` adds one rule each. ``benchmarks/flee31_rule_references.py``
runs Flee 3.1 on them and stores the figures in ``references.json``; the tests run
caravana on the same folders and compare.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "flee_rules"
CAMPS = ("K1", "K2")


def variants() -> dict:
    return yaml.safe_load((DATA / "variants.yml").read_text())


def make_case(name: str, into: Path, *, with_rule: bool = True) -> Path:
    """The base folder with variant ``name`` applied (or, ``with_rule=False``, its ``without``)."""
    spec = variants()[name]
    folder = into / (name if with_rule else f"{name}-without")
    shutil.copytree(DATA / "base", folder)
    settings = yaml.safe_load((folder / "simsetting.yml").read_text())
    changes = {k: v for k, v in spec.items() if k in ("move_rules", "spawn_rules")} if with_rule else spec.get("without", {})
    for section, values in changes.items():
        settings.setdefault(section, {}).update(values)
    (folder / "simsetting.yml").write_text(yaml.safe_dump(settings))
    column = spec.get("location_column")
    if column:
        path = folder / "input_csv" / "locations.csv"
        rows = list(csv.reader(path.open()))
        rows[0].append(column["name"])
        for row in rows[1:]:
            row.append(str(column["values"].get(row[0], "")))
        with path.open("w", newline="") as f:
            csv.writer(f).writerows(rows)
    return folder


def references() -> dict:
    import json

    return json.loads((DATA / "references.json").read_text())
