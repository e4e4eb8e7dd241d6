"""Smoke test of benchmarks/scenario_runs.py (single runs read seed by seed, quoted in
docs/history/forecast.md): one seed, a few days. Its figures are in benchmarks/results/."""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import pytest

from caravana import run

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def scenario_runs(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    return importlib.import_module("scenario_runs")


def row(out: str, name: str) -> list[str]:
    """The cells of the printed row ``name`` (seed columns, then median and range)."""
    line = next(line for line in out.splitlines() if line.strip().startswith(name))
    return line.strip()[len(name):].split()


def test_prints_each_seeds_figures_as_the_run_holds_them(scenario_runs, capsys):
    argv = ["--case", "2021", "--seeds", "1", "--days", "6", "--size", "2021-10-27", "--departed", "Tapachula",
            "--arrived", "Arriaga", "--present", "Huixtla@2021-10-27", "--pace", "Tapachula", "Arriaga"]
    assert scenario_runs.main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("corridor-2021, 6 days from 2021-10-23, seeds 1")
    # The same run, read here from its caravans table: the size on day 4 (Oct 27).
    results = run(scenario_runs.load_scenario(scenario_runs.CASES["2021"]), seed=1, days=6)
    table = results.tables["caravans"]
    size = table.column("size").to_numpy()[table.column("day").to_numpy() == 4][0]
    assert row(out, "size Oct 27")[0] == f"{size:,.0f}"
    departed = row(out, "departed Tapachula")
    assert departed[0] != "never" and dt.datetime.strptime(departed[0] + " " + departed[1], "%b %d").month == 10
    assert row(out, "arrived Arriaga")[0] == "never"  # 259 km: not within six days
    assert row(out, "present Huixtla Oct 27")[0].replace(",", "").isdigit()
    assert "km/day Tapachula-Arriaga (259 km)" in out


@pytest.mark.parametrize("argv, message", [
    (["--arrived", "Nowhere"], "unknown place 'Nowhere'"),
    (["--days", "3", "--size", "2021-10-27"], "outside the days run"),
    ([], "nothing to print"),
])
def test_bad_input_is_one_error_line_and_exit_2(scenario_runs, capsys, argv, message):
    assert scenario_runs.main(["--case", "2021", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err and len(captured.err.splitlines()) == 1
