"""The blind check's scenario (benchmarks/known_2018.py): the 2018 corridor as it could have
been written on Oct 24, with nothing set from a report dated after that day."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from caravana import load_scenario, simulation
from caravana.calibrate import read_params

ROOT = Path(__file__).resolve().parent.parent
UNTIL = dt.date(2018, 10, 24)


@pytest.fixture(scope="module")
def known():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        spec = importlib.util.spec_from_file_location("known_2018", ROOT / "benchmarks" / "known_2018.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look themselves up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


@pytest.fixture(scope="module")
def fitted():
    return {p.path for p in read_params(ROOT / "examples" / "params" / "corridor_2018.yml")}


def test_the_blind_scenario_keeps_nothing_reported_later(known, fitted):
    scenario = load_scenario("corridor")
    blind, changes = known.as_known_on(scenario, UNTIL, fitted)
    assert [c for c in changes if c.action == "later"] == []
    # The caravans and checkpoints first reported on Oct 27-31 are gone, with every row of theirs.
    assert [c.name for c in blind.corridor.caravans] == ["october-2018"]
    assert [cp.name for cp in blind.corridor.enforcement.checkpoints] == [
        "Rodolfo Robles bridge", "Federal Police and INM, Ciudad Hidalgo - Tapachula"]
    dropped = {c.setting for c in changes if c.action == "dropped"}
    assert "corridor.caravans[salvadoran-oct31].initial_size" in dropped
    assert "corridor.enforcement.checkpoints[Federal Police roadblock, Arriaga - Tapanatepec].start" in dropped
    first = blind.corridor.caravans[0]
    assert set(first.stopovers) == {"Huixtla", "Mexico City"}  # Tapanatepec (Oct 28) and Juchitan (Oct 31) go
    assert first.stage_slack == 0.5 and blind.corridor.papers.asylum.give_up_rate == 0.0
    # The road rebuilt from what was known is the one shipped, and every fitted setting is refitted.
    assert first.itinerary == scenario.corridor.caravans[0].itinerary
    refitted = {c.setting for c in changes if c.action == "refitted"}
    assert "corridor.transit.in_transit" in refitted and "corridor.caravans[*].pace[1]" in refitted
    simulation(blind, seed=0, days=20).run()  # and it runs


def test_nothing_is_dropped_on_the_last_day_of_the_reports(known, fitted):
    scenario = load_scenario("corridor")
    blind, changes = known.as_known_on(scenario, dt.date(2018, 10, 31), fitted)
    assert {c.action for c in changes} <= {"kept", "refitted"}
    assert [c.name for c in blind.corridor.caravans] == [c.name for c in scenario.corridor.caravans]
    assert blind.corridor.caravans[0].stopovers == scenario.corridor.caravans[0].stopovers


def test_a_setting_from_a_later_report_that_nothing_handles_is_flagged(known, fitted, tmp_path, monkeypatch):
    folder = tmp_path / "corridor"
    shutil.copytree(known.PROVENANCE.parent, folder)
    with open(folder / "provenance_2018.csv", "a", encoding="utf-8") as f:
        f.write("corridor.papers.asylum.decisions_per_day,50,report,2018-10-27,a report of Oct 27,,\n")
    monkeypatch.setattr(known, "PROVENANCE", folder / "provenance_2018.csv")
    _, changes = known.as_known_on(load_scenario("corridor"), UNTIL, fitted)
    later = [c for c in changes if c.action == "later"]
    assert [c.setting for c in later] == ["corridor.papers.asylum.decisions_per_day"]


def test_the_blind_fit_sees_only_reports_published_by_the_day(known):
    """Observations are dated by their article: a row about Oct 23 published on Oct 25 is
    neither fitted nor lost (it is scored with the held-back rows)."""
    from caravana.observations import read_observations
    from caravana.scenario.load import BUILTIN_DIR

    observations = read_observations(BUILTIN_DIR / "corridor" / "observations_2018.csv")
    fit_input, scored = known.blind_observations(observations, UNTIL)
    fitted, held = fit_input.split(UNTIL)
    assert all(r.known_on <= UNTIL for r in fitted)
    assert all(r.date > UNTIL for r in held) and {id(r) for r in held} <= {id(r) for r in scored}
    late = [r for r in scored if r.date <= UNTIL]
    assert late and all(r.known_on > UNTIL for r in late)
    assert len(fitted) + len(scored) == len(observations)


@pytest.fixture(scope="module")
def calibrate_script(known):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        spec = importlib.util.spec_from_file_location("calibrate_corridor_2018", ROOT / "benchmarks" / "calibrate_corridor_2018.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


def test_the_map_blind_fit_is_given_only_rows_published_by_its_cutoff(calibrate_script, monkeypatch):
    """``calibrate_corridor_2018.py --blind``: the calibration never receives a row whose report
    came out after the cutoff; every such row is returned for scoring; the plan's fixed
    settings are set in the scenario and not fitted, and the fit is a MAP fit from the priors' medians."""
    from caravana.calibrate.priors import read_plan
    from caravana.observations import read_observations
    from caravana.scenario.overrides import get_setting

    seen = {}

    class Fake:
        def __init__(self, params):
            self.fitted = {p.path: p.cast(p.centre()) for p in params}

    def fake_calibrate(scenario, observations, params, **kw):
        seen.update(observations=observations, params=params, **kw)
        return Fake(params)

    monkeypatch.setattr(calibrate_script, "calibrate", fake_calibrate)
    observations = read_observations(calibrate_script.OBSERVATIONS)
    params, plan = read_params(calibrate_script.PARAMS), read_plan(calibrate_script.PLAN)
    fitted, _, scored, _ = calibrate_script.blind_fit(load_scenario("corridor"), observations, params, plan, UNTIL,
                                                      trials=1, seeds=1, eval_seeds=1)
    given = seen["observations"]
    assert len(given) and all(r.known_on <= UNTIL for r in given)
    assert all(r.known_on > UNTIL for r in scored) and len(given) + len(scored) == len(observations)
    assert any(r.date <= UNTIL for r in scored)  # an early day reported late is scored, not fitted
    fixed = {f.path for f in plan.fixed}
    assert fixed and not fixed & {p.path for p in seen["params"]}
    for f in plan.fixed:
        assert get_setting(fitted, f.path) == pytest.approx(f.value)
    assert seen["map_prior"] is True and seen.get("fit_until") is None
    assert len(seen["start_from"]) == 1 and set(seen["start_from"][0]) == {p.path for p in seen["params"]}
