"""Calibration: recovers a known parameter, is reproducible, and the CLI rejects bad input
(exit 2, nothing written)."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from caravana import ScenarioError, load_scenario, run
from caravana.calibrate import (
    calibrate,
    check_params,
    errors_table,
    read_params,
    trials_table,
    write_calibration,
)
from caravana.cli import app
from caravana.ensemble import get_backend
from caravana.errors import CaravanaError
from caravana.metrics import simulated_values
from caravana.observations import Observation, Observations
from caravana.scenario.overrides import apply_overrides

from .conftest import SCENARIO_YML

MOVECHANCE = "settings.movement.default_movechance"
TRUE_MOVECHANCE = 0.3
START = dt.date(2020, 1, 1)


@pytest.fixture
def tiny(yaml_scenario):
    """3,000 people flee A over 5 days, pass through town B and settle in camp C, 20 days.
    How fast they leave B is ``default_movechance``."""
    path = yaml_scenario(
        yaml=SCENARIO_YML.replace("days: 10", "days: 20"),
        locations="name,type,country,lat,lon,population,capacity\n"
        "A,conflict_zone,X,10.0,20.0,5000,\nB,town,X,10.5,20.5,500,\nC,camp,Y,11.0,21.0,0,100000\n",
        totals="date,count\n2020-01-01,0\n2020-01-05,3000\n",
        closures="kind,name1,name2,start,end\n",
    )
    return path


def synthetic_observations(scenario, seed: int = 1000) -> Observations:
    """Head-counts at B and C every other day, from the model itself at the true value."""
    truth = run(apply_overrides(scenario, {MOVECHANCE: TRUE_MOVECHANCE}), seed=seed)
    rows = []
    for day in range(2, 20, 2):
        for place, quantity in (("B", "present"), ("C", "camp")):
            rows.append(Observation(date=START + dt.timedelta(days=day), quantity=quantity, place=place, value=0))
    values = simulated_values(truth, Observations(rows=tuple(rows)))
    rows = [r.model_copy(update={"value": float(v)}) for r, v in zip(rows, values)]
    return Observations(rows=tuple(rows)).check_against(scenario)


def write_params(tmp_path, text: str):
    path = tmp_path / "params.yml"
    path.write_text(text, encoding="utf-8")
    return path


PARAMS = f"- {{path: {MOVECHANCE}, low: 0.02, high: 0.9, prior: loguniform}}\n"


def test_calibration_recovers_a_known_parameter(tiny, tmp_path):
    scenario = load_scenario(tiny)
    observations = synthetic_observations(scenario)
    specs = read_params(write_params(tmp_path, PARAMS))
    result = calibrate(scenario, observations, specs, trials=30, seeds=2, fit_until=dt.date(2020, 1, 11), seed=7)
    fitted = result.fitted[MOVECHANCE]
    assert abs(fitted - TRUE_MOVECHANCE) < 0.06, fitted
    spread = result.spread[MOVECHANCE]
    assert spread["low"] <= fitted <= spread["high"] and spread["high"] - spread["low"] < 0.4
    # The fit beats the uninformed start on the observations it never saw.
    held = {e.name: e.loss["held back"] for e in result.evaluations}
    assert held["fitted"] < held["prior centre"]
    assert set(result.evaluation("fitted").table.column("part").to_pylist()) == {"fitted", "held back"}


def test_calibration_is_reproducible_from_its_seed(tiny, tmp_path):
    scenario = load_scenario(tiny)
    observations = synthetic_observations(scenario)
    specs = read_params(write_params(tmp_path, PARAMS))
    one = calibrate(scenario, observations, specs, trials=6, seeds=2, seed=3, batch=3)
    two = calibrate(scenario, observations, specs, trials=6, seeds=2, seed=3, batch=3)
    assert trials_table(one).equals(trials_table(two))
    other = calibrate(scenario, observations, specs, trials=6, seeds=2, seed=4, batch=3)
    assert not trials_table(one).equals(trials_table(other))


def test_a_warm_start_is_tried_first_and_never_lost(tiny, tmp_path):
    """Starting points are the first trials (clipped into the prior), so a refit that starts
    from the true value keeps it unless something better turns up."""
    scenario = load_scenario(tiny)
    observations = synthetic_observations(scenario)
    specs = read_params(write_params(tmp_path, PARAMS))
    result = calibrate(scenario, observations, specs, trials=6, seeds=2, seed=5, batch=2,
                       start_from=[{MOVECHANCE: TRUE_MOVECHANCE}, {MOVECHANCE: 5.0}])
    assert [t.values[MOVECHANCE] for t in result.trials[:2]] == [TRUE_MOVECHANCE, 0.9]
    assert result.settings["start_points"] == 2
    assert result.best.loss <= min(t.loss for t in result.trials if t.number == 0)
    cold = calibrate(scenario, observations, specs, trials=6, seeds=2, seed=5, batch=2)
    assert cold.trials[0].values[MOVECHANCE] != TRUE_MOVECHANCE
    with pytest.raises(CaravanaError, match="missing"):
        calibrate(scenario, observations, specs, trials=2, start_from=[{}])


@pytest.mark.slow  # starting worker processes takes seconds to tens of seconds on a loaded machine
def test_the_backend_and_its_workers_do_not_change_the_calibration(tiny, tmp_path):
    scenario = load_scenario(tiny)
    observations = synthetic_observations(scenario)
    specs = read_params(write_params(tmp_path, PARAMS))
    here = calibrate(scenario, observations, specs, trials=4, seeds=2, batch=2, eval_seeds=2, backend="inprocess")
    with get_backend("processes", workers=2) as backend:
        there = calibrate(scenario, observations, specs, trials=4, seeds=2, batch=2, eval_seeds=2, backend=backend)
    assert trials_table(here).equals(trials_table(there))
    assert errors_table(here).equals(errors_table(there))


def test_outputs_are_written(tiny, tmp_path):
    scenario = load_scenario(tiny)
    result = calibrate(scenario, synthetic_observations(scenario), read_params(write_params(tmp_path, PARAMS)),
                       trials=4, seeds=1, fit_until=dt.date(2020, 1, 11))
    written = write_calibration(result, tmp_path / "out")
    assert sorted(p.name for p in written) == ["errors.csv", "errors.parquet", "fitted.json", "trials.csv", "trials.parquet"]
    summary = json.loads((tmp_path / "out" / "fitted.json").read_text())
    assert summary["fitted"][MOVECHANCE] == result.fitted[MOVECHANCE]
    assert set(summary["evaluations"]) == {"given", "prior centre", "fitted"}
    assert not list((tmp_path / "out").glob(".*tmp"))


@pytest.mark.parametrize(
    "text, row, field, words",
    [
        (f"- {{path: {MOVECHANCE}, low: 0.5, high: 0.2}}\n", 1, "high", "must be above low"),
        (f"- {{path: {MOVECHANCE}, low: 0.0, high: 0.2, log: true}}\n", 1, None, "low > 0"),
        (f"- {{path: {MOVECHANCE}, low: 0.1, high: 0.2, log: false, prior: loguniform}}\n", 1, None, "contradicts"),
        (f"- {{path: {MOVECHANCE}, low: 0.1, high: 0.2, step: 1}}\n", 1, "step", "unknown field"),
        (f"- {{path: {MOVECHANCE}, low: 0.1, high: 0.2}}\n- {{path: {MOVECHANCE}, low: 0.1, high: 0.3}}\n", 2, "path", "twice"),
        ("- {path: a.b, low: x, high: 2}\n", 1, "low", "number"),
        ("{}\n", None, None, "non-empty list"),
    ],
)
def test_bad_params_files_name_row_and_field(tmp_path, text, row, field, words):
    path = write_params(tmp_path, "# parameters\n" + text)
    with pytest.raises(ScenarioError) as err:
        read_params(path)
    assert (err.value.file, err.value.row, err.value.field) == (str(path), None if row is None else row + 1, field)
    assert words in str(err.value)


@pytest.mark.parametrize(
    "text, field, words",
    [
        ("- {path: settings.movement.no_such, low: 0.1, high: 0.2}\n", "path", "has no field 'no_such'"),
        ("- {path: settings.movement.avoid_short_stints, low: 0, high: 1}\n", "path", "not a number"),
        (f"- {{path: {MOVECHANCE}, low: 0.1, high: 1.5}}\n", "high", "invalid at high = 1.5"),
    ],
)
def test_params_are_checked_against_the_scenario(tiny, tmp_path, text, field, words):
    path = write_params(tmp_path, text)
    with pytest.raises(ScenarioError) as err:
        check_params(read_params(path), load_scenario(tiny))
    assert (err.value.file, err.value.row, err.value.field) == (str(path), 1, field)
    assert words in str(err.value)


OBS_CSV = "date,place,quantity,value\n2020-01-05,C,camp,100\n2020-01-15,C,camp,1500\n"


@pytest.mark.parametrize(
    "obs, params, extra, words",
    [
        (OBS_CSV.replace(",C,camp,100", ",Q,camp,100"), PARAMS, [], "row 2, field 'place': unknown place 'Q'"),
        (OBS_CSV.replace("100\n", "lots\n", 1), PARAMS, [], "row 2, field 'value'"),
        (OBS_CSV, PARAMS.replace("0.9", "1.9"), [], "field 'high'"),
        (OBS_CSV, PARAMS.replace("default_movechance", "nope"), [], "field 'path'"),
        (OBS_CSV, PARAMS, ["--fit-until", "2020-01-02"], "no observations dated up to 2020-01-02"),
        (OBS_CSV, PARAMS, ["--fit-until", "Jan 5"], "is not a date"),
        (OBS_CSV, PARAMS, ["--trials", "0"], "--trials must be at least 1"),
        (OBS_CSV, PARAMS, ["--scheduler", "tcp://127.0.0.1:1"], "needs the dask backend"),
    ],
)
def test_cli_errors_exit_2_and_write_nothing(tiny, tmp_path, tree_snapshot, obs, params, extra, words):
    (tmp_path / "obs.csv").write_text(obs)
    write_params(tmp_path, params)
    before = tree_snapshot(tmp_path)
    backend = [] if "--backend" in extra else ["--backend", "inprocess"]
    result = CliRunner().invoke(app, [
        "calibrate", str(tiny), "--observations", str(tmp_path / "obs.csv"), "--params", str(tmp_path / "params.yml"),
        "--out", str(tmp_path / "out"), *backend, *extra,
    ])
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert "Traceback" not in result.output
    assert tree_snapshot(tmp_path) == before


def test_cli_calibrates_and_prints_before_and_after(tiny, tmp_path):
    scenario = load_scenario(tiny)
    observations = synthetic_observations(scenario)
    rows = ["date,place,quantity,value"] + [f"{r.date},{r.place},{r.quantity},{r.value:g}" for r in observations]
    (tmp_path / "obs.csv").write_text("\n".join(rows) + "\n")
    write_params(tmp_path, PARAMS)
    result = CliRunner().invoke(app, [
        "calibrate", str(tiny), "--observations", str(tmp_path / "obs.csv"), "--params", str(tmp_path / "params.yml"),
        "--out", str(tmp_path / "out"), "--trials", "5", "--seeds", "1", "--fit-until", "2020-01-11",
        "--backend", "inprocess",
    ])
    assert result.exit_code == 0, result.output
    assert "held back" in result.output and "prior centre" in result.output
    fitted = json.loads((tmp_path / "out" / "fitted.json").read_text())["fitted"][MOVECHANCE]
    assert 0.02 <= fitted <= 0.9
    assert np.isfinite(fitted)


def test_the_fitted_json_calibrate_writes_goes_into_run_ensemble_and_forecast(tiny, tmp_path):
    """Issue 12 item 4, end to end: `caravana calibrate`'s own fitted.json (a float and an
    integer parameter) is taken by `run`, `ensemble` and `forecast --params`, which then run
    the fitted values: the same as `--set` of them."""
    scenario = load_scenario(tiny)
    observations = synthetic_observations(scenario)
    rows = ["date,place,quantity,value"] + [f"{r.date},{r.place},{r.quantity},{r.value:g}" for r in observations]
    (tmp_path / "obs.csv").write_text("\n".join(rows) + "\n")
    write_params(tmp_path, PARAMS + "- {path: settings.movement.awareness_level, low: 0, high: 2, integer: true}\n")
    cli = CliRunner()
    result = cli.invoke(app, [
        "calibrate", str(tiny), "--observations", str(tmp_path / "obs.csv"), "--params", str(tmp_path / "params.yml"),
        "--out", str(tmp_path / "cal"), "--trials", "4", "--seeds", "1", "--eval-seeds", "1", "--backend", "inprocess",
    ])
    assert result.exit_code == 0, result.output
    fitted_file = tmp_path / "cal" / "fitted.json"
    fitted = json.loads(fitted_file.read_text())["fitted"]
    assert isinstance(fitted["settings.movement.awareness_level"], int)
    sets = [a for path, value in fitted.items() for a in ("--set", f"{path}={value}")]
    for name, extra in (("run", ["--seed", "3"]), ("ensemble", ["--members", "2", "--seed", "3", "--workers", "1"])):
        for how, options in (("params", ["--params", str(fitted_file)]), ("set", sets)):
            result = cli.invoke(app, [name, str(tiny), *extra, *options, "--out", str(tmp_path / f"{name}-{how}")])
            assert result.exit_code == 0, result.output
        counts = "counts.parquet" if name == "run" else "quantiles.parquet"
        a, b = (pq.read_table(tmp_path / f"{name}-{how}" / counts) for how in ("params", "set"))
        assert a.equals(b), name
    plain = cli.invoke(app, ["run", str(tiny), "--seed", "3", "--out", str(tmp_path / "plain")])
    assert plain.exit_code == 0 and not pq.read_table(tmp_path / "plain" / "counts.parquet").equals(
        pq.read_table(tmp_path / "run-params" / "counts.parquet"))  # the fitted values changed the run
    result = cli.invoke(app, [
        "forecast", str(tiny), "--observations", str(tmp_path / "obs.csv"), "--as-of", "2020-01-09", "--horizon", "5",
        "--particles", "4", "--params", str(fitted_file), "--out", str(tmp_path / "fc"),
    ])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "fc" / "forecast.json").read_text())["settings_changed"] == fitted
