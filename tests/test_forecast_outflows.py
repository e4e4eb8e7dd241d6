"""The joint outflow prior (``caravana.forecast.outflows``): a total and the shares of its routes,
measured on the other caravans, in place of independent outflow factors."""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import numpy as np
import pytest

from caravana import load_scenario
from caravana.engine.status import N_STATUS
from caravana.forecast import outflows
from caravana.forecast.outflows import ROUTES, Outflows, measured, outflows_for, read_caravans, route_paths
from caravana.forecast.parameters import check_factors, default_factors, draw_factors, scenario_with
from caravana.model import simulation
from caravana.scenario.load import BUILTIN_DIR
from caravana.scenario.overrides import apply_overrides


@pytest.fixture
def benchmarks(monkeypatch):
    """Import a benchmark module from benchmarks/ (as tests/test_forecast_benchmarks.py does)."""
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent / "benchmarks"))
    return importlib.import_module


@pytest.fixture(scope="module")
def corridor():
    return apply_overrides(load_scenario("corridor"), {"period.days": 25})  # short: implied() runs it


def test_the_total_is_shared_out_over_the_routes():
    prior = Outflows(ROUTES, (0.5, 0.3, 0.2), 5.0, 0.2, 5.0, rebase=(0.5, 2.0, 3.0))
    f = prior.draw(4000, np.random.default_rng(3))
    m, b = np.array(prior.shares), np.array(prior.rebase)
    total = (f * m / b).sum(axis=1)  # sum of T s_k = T: the route multipliers add back to the total
    assert total.min() >= 0.2 - 1e-9 and total.max() <= 5.0 + 1e-9
    assert np.corrcoef(np.log(total), np.log(f[:, 0]))[0, 1] > 0.5  # more leaving: more on a route
    shares = f * m / b / total[:, None]
    assert shares.mean(axis=0) == pytest.approx(m, abs=0.02)  # centred on the measured shares


def test_default_factors_draw_every_outflow_together(corridor):
    joint = default_factors(corridor, outflows=True)
    check_factors(corridor, joint)
    outflow = [f for f in joint if f.outflows is not None]
    assert {p for f in outflow for p in f.paths} == {p for ps in route_paths(corridor).values() for p in ps}
    assert "corridor.papers.asylum.apply_rate" in {p for f in outflow for p in f.paths}
    values = draw_factors(joint, 500, np.random.default_rng(1))
    for k, f in enumerate(joint):
        assert (values[:, k] >= f.low - 1e-12).all() and (values[:, k] <= f.high + 1e-12).all()
    leave = [k for k, f in enumerate(joint) if f.name in ("october-2018.leave_rate", "second-2018.leave_rate")]
    inside = np.all([(values[:, k] > joint[k].low) & (values[:, k] < joint[k].high) for k in leave], axis=0)
    assert np.array_equal(values[inside, leave[0]], values[inside, leave[1]])  # one route: one multiplier


def test_the_old_prior_is_kept_by_the_switch(corridor):
    old = default_factors(corridor, outflows=False)
    assert default_factors(corridor) == old  # the default since the joint prior failed its keep rule (session 13)
    assert [f.name.split(".")[-1] for f in old if f.name.startswith("october-2018.")] == [
        "leave_rate", "pace", "rest_after_km", "joiners"]
    assert all(f.outflows is None for f in old)
    u = np.random.default_rng(7).random((50, len(old)))  # the draws as before: log-uniform, one stream
    low, high = np.log([f.low for f in old]), np.log([f.high for f in old])
    assert np.array_equal(draw_factors(old, 50, np.random.default_rng(7)), np.exp(low + u * (high - low)))


def test_a_caravan_a_day_off_is_still_left_out_of_its_own_prior():
    """Sources date a start a day or two apart: the file's oct-2021 row (Oct 23) is the 2021 scenario's
    caravan whether the scenario starts it on Oct 22, 23 or 24."""
    scenario = load_scenario(BUILTIN_DIR / "corridor" / "2021.yml")
    assert scenario.date_of(scenario.corridor.caravans[0].start_day) == dt.date(2021, 10, 23)
    exact = outflows_for(scenario, 0.5, 2.0)
    for days in (-1, 1):
        moved = apply_overrides(scenario, {"period.start": (scenario.period.start + dt.timedelta(days=days)).isoformat()})
        assert moved.date_of(moved.corridor.caravans[0].start_day) == dt.date(2021, 10, 23) + dt.timedelta(days=days)
        assert outflows_for(moved, 0.5, 2.0) == exact


def test_a_caravan_is_left_out_of_its_own_prior():
    caravans = read_caravans()
    scenario = load_scenario(BUILTIN_DIR / "corridor" / "2021.yml")  # the October 2021 caravan
    own = outflows_for(scenario, 0.5, 2.0)
    _, _, alpha, m = measured([c for c in caravans if c.start != dt.date(2021, 10, 23)])
    assert own.shares == pytest.approx(tuple(m)) and own.concentration == pytest.approx(alpha)
    _, _, _, everyone = measured(caravans)
    assert not np.allclose(m, everyone)
    assert min(alpha * m) >= 1 - 1e-9  # unimodal: no route's Dirichlet parameter below 1


def test_extreme_outflows_lose_nobody(corridor):
    """Nothing lost: with every outflow factor at its range's top, each person is in exactly one state each day."""
    factors = default_factors(corridor, outflows=True)
    values = np.array([f.high if f.outflows is not None else 1.0 for f in factors])
    sim = simulation(scenario_with(corridor, factors, values), seed=2)
    while sim.day < sim.days:
        sim.step()
        status = sim.population.status[: sim.population.n]
        assert status.min() >= 0 and status.max() < N_STATUS  # every person in a known state
        recorded = sim.counts[sim.day - 1].sum(axis=0)  # the day's counts by state, over places
        assert np.array_equal(recorded, np.bincount(status, minlength=N_STATUS))  # ... and counted in it once


def test_the_scenarios_own_split_is_run_once_per_scenario(corridor, monkeypatch):
    """outflows.implied runs the scenario three times: a second default_factors on the same scenario
    runs nothing; another scenario object runs its own."""
    runs = []
    monkeypatch.setattr(outflows, "simulation", lambda *a, **k: runs.append(1) or simulation(*a, **k))
    scenario = apply_overrides(corridor, {"period.days": 20})  # a new object: nothing cached for it
    first = default_factors(scenario, outflows=True)
    assert len(runs) == 3
    assert default_factors(scenario, outflows=True) == first and len(runs) == 3
    default_factors(apply_overrides(corridor, {"period.days": 21}), outflows=True)
    assert len(runs) == 6


def test_no_module_setting_turns_the_joint_prior_on(corridor, benchmarks, monkeypatch):
    """--joint-outflows is an argument passed on, not package state: parsing it changes no later
    default_factors call; the benchmark's forecast and --known prior receive it."""
    from caravana.forecast import parameters

    forecast_2018, known_fitted = benchmarks("forecast_2018"), benchmarks("known_fitted")
    args = forecast_2018.arguments("", ("2018-10-20",), "2018-11-03", Path("plot.png"), ["--joint-outflows"], known=True)
    assert not hasattr(parameters, "OUTFLOWS")
    assert all(f.outflows is None for f in default_factors(corridor))
    assert known_fitted.prior_for(args).keywords["outflows"] is True
    seen = []
    monkeypatch.setattr(forecast_2018, "run_forecast", lambda *a, factors, **k: seen.append(factors))  # not run
    forecast_2018.forecast(corridor, None, dt.date(2018, 10, 20), dt.date(2018, 11, 3), args, False)
    assert any(f.outflows is not None for f in seen[0])


def test_the_daily_outflow_from_held_back_days_is_labelled_unused(benchmarks, capsys):
    """outflow_shares.py part 2 reads the 2021 and 2023 files' held-back days: it says no prior uses it."""
    assert benchmarks("outflow_shares").main(["--no-runs"]) == 0
    part2 = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("2. "))
    assert "held-back days" in part2 and "not used by any prior" in part2


@pytest.mark.parametrize("joint", [False, True])
def test_the_command_draws_the_outflows_together_only_when_asked(joint):
    from caravana.cli.common import FleeRules
    from caravana.cli.forecast import _job
    from caravana.forecast import pipeline

    job = _job("corridor", BUILTIN_DIR / "corridor" / "observations_2018.csv", "2018-10-20", 3, particles=2, seed=1,
               workers=1, vary=None, fixed_parameters=False, count_sd=None, day_sd=None, size_sd_per_day=None,
               weights_only=False, flee_rules=FleeRules("3.1"), settings=None, params=None,
               ignore_unknown_settings=False, options={}, joint_outflows=joint,
               defaults=(pipeline.ASSIMILATION_NOISE, pipeline.SIZE_SD_PER_DAY))
    together = [f for f in job["factors"] if f.outflows is not None]
    assert bool(together) == joint
    assert any(f.paths == ("corridor.papers.asylum.apply_rate",) for f in together) == joint


@pytest.mark.parametrize("scenario, extra, says", [
    ("corridor", ["--vary", "corridor.caravans[0].pace_km=0.8:1.25"], "not with --vary"),
    ("corridor", ["--fixed-parameters"], "not with --fixed-parameters"),
    ("burundi2015", [], "has no caravans"),
])
def test_the_command_refuses_joint_outflows_where_they_would_be_ignored(tmp_path, scenario, extra, says):
    """--joint-outflows draws the default outflow factors: with --vary, --fixed-parameters or a scenario without
    caravans there are none, so it is refused (one line, a usage error), not silently dropped (review 2, 3.1)."""
    from typer.testing import CliRunner

    from caravana.cli import app

    out = tmp_path / "fc"
    result = CliRunner().invoke(app, ["forecast", scenario, "--observations",
                                      str(BUILTIN_DIR / "corridor" / "observations_2018.csv"), "--as-of", "2018-10-20",
                                      "--horizon", "2", "--particles", "2", "--out", str(out), "--joint-outflows",
                                      *extra, "--lang", "en"])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1 and "--joint-outflows" in lines[0] and says in lines[0], \
        result.output
    assert not out.exists()  # refused before the run
    spanish = CliRunner().invoke(app, ["forecast", scenario, "--observations", str(tmp_path / "none.csv"), "--as-of",
                                       "2018-10-20", "--horizon", "2", "--out", str(out), "--joint-outflows", *extra,
                                       "--lang", "es"])
    assert spanish.exit_code == 2 and ("no con" in spanish.output or "no tiene caravanas" in spanish.output), \
        spanish.output


def test_the_forecast_records_whether_the_outflows_were_drawn_jointly(corridor):
    """forecast.json and parameters.csv say a joint outflow factor's range is the clip of a route's share of a total,
    not a log-uniform range (0.015-2.37 would read as one), and give the prior; the default records
    "independent" and its parameters table keeps its columns (review 2, 3.2)."""
    from caravana.forecast.pipeline import run_forecast
    from caravana.observations import read_observations

    reports = read_observations(BUILTIN_DIR / "corridor" / "observations_2018.csv").check_against(corridor)
    runs = {joint: run_forecast(corridor, reports, dt.date(2018, 10, 20), 2, particles=2, seed=1,
                                factors=default_factors(corridor, outflows=joint)) for joint in (False, True)}
    meta = runs[True].metadata
    assert meta["outflows"] == "joint"
    assert set(meta["outflow_prior"]["routes"]) <= set(ROUTES) and meta["outflow_prior"]["total_range"] == [0.5, 2.0]
    leave = next(f for f in meta["factors"] if f["name"] == "october-2018.leave_rate")
    assert leave["drawn"] == "jointly (route leave)"
    assert "drawn" not in next(f for f in meta["factors"] if f["name"] == "october-2018.pace")
    table = runs[True].parameters.to_pylist()
    assert {r["factor"]: r["drawn"] for r in table}["october-2018.leave_rate"] == "jointly (route leave)"
    assert {r["factor"]: r["drawn"] for r in table}["october-2018.pace"] == "log-uniform"
    default = runs[False]
    assert default.metadata["outflows"] == "independent" and "outflow_prior" not in default.metadata
    assert all("drawn" not in f for f in default.metadata["factors"]) and "drawn" not in default.parameters.column_names
