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
    for name, text in spec.get("add_files", {}).items():  # e.g. input_csv/demographics_age.csv
        (folder / name).write_text(text)
    for table, rows in spec.get("add_rows", {}).items():
        path = folder / "input_csv" / f"{table}.csv"
        path.write_text(path.read_text() + "".join(row + "\n" for row in rows))
    for table, key in (("locations", "location_column"), ("routes", "route_column")):
        if key in spec and (with_rule or not spec.get("rule_is_column")):
            _add_column(folder / "input_csv" / f"{table}.csv", spec[key], table == "routes")
    return folder


def _add_column(path: Path, column: dict, is_routes: bool) -> None:
    """Append a named column; values keyed by place name, or by 'A-B' for a route
    (others get ``default``: Flee 3.1 stops on an empty cell of a column it reads)."""
    rows = list(csv.reader(path.open()))
    rows[0].append(column["name"])
    for row in rows[1:]:
        key = f"{row[0]}-{row[1]}" if is_routes else row[0]
        row.append(str(column["values"].get(key, column.get("default", ""))))
    with path.open("w", newline="") as f:
        csv.writer(f).writerows(rows)


def references() -> dict:
    import json

    return json.loads((DATA / "references.json").read_text())
