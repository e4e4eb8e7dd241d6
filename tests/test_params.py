"""``--params fitted.json`` (what ``caravana calibrate`` writes) on run, ensemble and
forecast: applied like ``--set``, ``--set`` wins, mistakes name the file and field."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from caravana.cli import app
from caravana.scenario.load import BUILTIN_DIR, load_scenario

runner = CliRunner()
LEAVE = "corridor.caravans[0].leave_rate"
OBSERVATIONS_2018 = BUILTIN_DIR / "corridor" / "observations_2018.csv"


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("CARAVANA_HOME", str(tmp_path / "home"))  # a catalogue of the test's own


def _fitted(tmp_path, fitted, scenario="corridor"):
    path = tmp_path / "fitted.json"
    # The keys calibrate's summary() writes; only "scenario" and "fitted" are read.
    path.write_text(json.dumps({"scenario": scenario, "fitted": fitted, "spread": {}, "bounds": {}}))
    return path


def _caravans(out):
    return pq.read_table(out / "caravans.parquet").column("size").to_pylist()


def test_run_with_params_is_the_run_with_the_same_set(tmp_path):
    fitted = _fitted(tmp_path, {LEAVE: 0.3})
    common = ["run", "corridor", "--days", "12", "--seed", "2"]
    assert runner.invoke(app, [*common, "--params", str(fitted), "--out", str(tmp_path / "a")]).exit_code == 0
    assert runner.invoke(app, [*common, "--set", f"{LEAVE}=0.3", "--out", str(tmp_path / "b")]).exit_code == 0
    assert runner.invoke(app, [*common, "--out", str(tmp_path / "c")]).exit_code == 0
    own = load_scenario("corridor").corridor.caravans[0].leave_rate
    both = [*common, "--params", str(fitted), "--set", f"{LEAVE}={own}", "--out", str(tmp_path / "d")]
    assert runner.invoke(app, both).exit_code == 0
    a, b, c, d = (_caravans(tmp_path / x) for x in "abcd")
    assert a == b and a != c
    assert d == c  # --set wins over --params: the scenario's own leave rate


def test_ensemble_and_forecast_take_params(tmp_path):
    fitted = _fitted(tmp_path, {LEAVE: 0.3})
    result = runner.invoke(app, ["ensemble", "corridor", "--members", "2", "--days", "6", "--workers", "1",
                                 "--params", str(fitted), "--out", str(tmp_path / "e")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["forecast", "corridor", "--observations", str(OBSERVATIONS_2018),
                                 "--as-of", "2018-10-16", "--horizon", "2", "--particles", "3",
                                 "--params", str(fitted), "--out", str(tmp_path / "f")])
    assert result.exit_code == 0, result.output
    meta = json.loads((tmp_path / "f" / "forecast.json").read_text())
    assert meta["settings_changed"] == {LEAVE: 0.3}


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "not found"),
        ("{not json", "not a JSON file (line 1"),
        (json.dumps({"best": 1}), "field 'fitted': no fitted values"),
        (json.dumps({"scenario": "mali2012", "fitted": {LEAVE: 0.1}}), "field 'scenario': fitted for scenario 'mali2012'"),
        (json.dumps({"fitted": {LEAVE: "fast"}}), f"field 'fitted.{LEAVE}': expected a number"),
        (json.dumps({"fitted": {"corridor.caravans[0].leave_rat": 0.1}}), "field 'fitted.corridor.caravans[0].leave_rat'"),
        (json.dumps({"fitted": {LEAVE: -1.0}}), f"field 'fitted.{LEAVE}'"),
    ],
)
@pytest.mark.parametrize("command", ["run", "ensemble", "forecast"])
def test_bad_params_file_one_error_line_nothing_written(tmp_path, tree_snapshot, content, message, command):
    path = tmp_path / "fitted.json"
    if content is not None:
        path.write_text(content)
    before = tree_snapshot(tmp_path)
    extra = {"run": ["--days", "3"], "ensemble": ["--members", "2", "--days", "3"],
             "forecast": ["--observations", str(OBSERVATIONS_2018), "--as-of", "2018-10-16", "--horizon", "2"]}
    result = runner.invoke(app, [command, "corridor", *extra[command], "--params", str(path),
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: file {path}") and message in lines[0], result.output
    assert tree_snapshot(tmp_path) == before
