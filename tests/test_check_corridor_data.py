"""tools/check_corridor_data.py passes on the shipped corridor tables, prints no source dated after
Oct 31, 2018 (the blind test), and fails when a table takes shelter beds from a later report."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import shutil
from pathlib import Path

import pytest

from caravana.scenario.load import BUILTIN_DIR
from caravana.scenario.provenance import later_dates

TOOL = Path(__file__).resolve().parents[1] / "tools" / "check_corridor_data.py"
FOLDER = BUILTIN_DIR / "corridor"
CUTOFF = dt.date(2018, 10, 31)


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("check_corridor_data", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(tool, folder: Path, capsys) -> tuple[int, str]:
    code = tool.main(["check_corridor_data.py", str(folder)])
    return code, capsys.readouterr().out


def status(out: str, check: str) -> list[str]:
    return [line.split()[len(check.split())] for line in out.splitlines() if line.startswith(check + " ")]


def test_the_shipped_tables_pass_and_no_later_source_is_printed(tool, capsys):
    code, out = run(tool, FOLDER, capsys)
    assert code == 0, [line for line in out.splitlines() if " FAIL " in line]
    assert "0 failed" in out
    assert status(out, "4 no capacity from a later report") == ["PASS"]
    assert later_dates(out, CUTOFF) == []


def with_cells(tmp_path: Path, place: str, **cells: str) -> Path:
    """A copy of the corridor folder whose locations.csv row ``place`` has ``cells`` changed."""
    folder = tmp_path / "corridor"
    shutil.copytree(FOLDER, folder)
    path = folder / "locations.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    assert place in [r["name"] for r in rows]
    for r in rows:
        if r["name"] == place:
            r.update(cells)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return folder


def test_beds_only_a_later_report_gives_fail_the_check_without_their_source(tool, capsys, tmp_path):
    code, out = run(tool, with_cells(tmp_path, "Mexico City", capacity="100"), capsys)
    assert code == 1
    assert status(out, "4 no capacity from a later report") == ["FAIL"]
    assert "Mexico City (shelter_capacity_example_cdmx_jesus_martinez: a later report)" in out
    assert later_dates(out, CUTOFF) == []


def test_a_capacity_whose_own_source_is_later_fails(tool, capsys, tmp_path):
    folder = with_cells(tmp_path, "Cordoba", capacity="100", source="beds per a report of 2018-11-20")
    code, out = run(tool, folder, capsys)
    assert code == 1
    assert "Cordoba (its source: a later report)" in out
    assert later_dates(out, CUTOFF) == []
