"""Reading Flee folders and Flee's error measure."""

from __future__ import annotations

from contextlib import nullcontext

import numpy as np
import pytest

from caravana import ScenarioWarning, load_scenario, run
from caravana.flee import averaged_relative_difference, validate_results
from caravana.flee.outcsv import flee_out_csv
from caravana.scenario.series import interpolate_counts


@pytest.mark.parametrize("name", ["mali2012", "burundi2015", "venezuela2022"])
def test_builtin_flee_folders_import(name):
    # venezuela2022 has a conflicts column for an unknown place and a duplicate route: warned, not fatal.
    with pytest.warns(ScenarioWarning) if name == "venezuela2022" else nullcontext():
        sc = load_scenario(name)
    assert sc.locations and sc.routes
    assert sc.spawning.totals
    assert set(sc.observations) <= {loc.name for loc in sc.locations}


def test_mali_period_settings_and_conflicts():
    sc = load_scenario("mali2012")
    assert sc.period.days == 300 and str(sc.period.start) == "2012-02-29"
    assert sc.settings.movement.max_move_speed == 200.0
    assert sc.settings.movement.camp_weight == 2.0
    assert sc.settings.spawning.conflict_spawn_decay == [1.0, 1.0, 1.0, 0.5, 0.1]
    # Flee 3.1 ignores sum_from_camps; "latest" honours it.
    assert sc.settings.spawning.sum_from_camps is False
    assert load_scenario("mali2012", flee_rules="latest").settings.spawning.sum_from_camps is True
    # Kidal is in conflict from day 0; Menaka from day 1 (conflicts.csv).
    starts = {(c.location, c.day) for c in sc.conflicts if c.intensity > 0}
    assert ("Kidal", 0) in starts and ("Menaka", 1) in starts
    camps = {loc.name: loc.capacity for loc in sc.locations if loc.type == "camp"}
    assert camps["Fassala-Mbera"] == 75882


def test_registration_correction_scales_counts_before_the_date():
    sc = load_scenario("mali2012")
    raw_first_day_value = 9265  # interpolated Fassala-Mbera count on day 0 after the correction
    day0 = interpolate_counts(sc.observations["Fassala-Mbera"], 1)[0]
    assert day0 == raw_first_day_value


def test_ard_hand_computed():
    sim = np.array([[10, 0], [20, 20]])
    obs = np.array([[5, 5], [10, 30]])
    # day 0: (5 + 5) / 10 = 1; day 1: (10 + 10) / 40 = 0.5 -> 0.75
    normal, rescaled = averaged_relative_difference(sim, obs)
    assert normal == pytest.approx(0.75)
    # rescaled: day 0 scale 10/10 -> same, 1.0; day 1 scale 40/40 -> 0.5
    assert rescaled == pytest.approx(0.75)
    normal2, rescaled2 = averaged_relative_difference(sim * 2, obs)
    assert rescaled2 == pytest.approx(0.75) and normal2 > normal


def test_out_csv_has_flee_columns_and_one_row_per_day():
    sc = load_scenario("mali2012")
    results = run(sc, seed=1, days=15)
    text = flee_out_csv(results, sc).splitlines()
    header = text[0].split(",")
    assert header[:2] == ["Day", "Date"]
    assert "Fassala-Mbera sim" in header and "Fassala-Mbera data" in header
    assert header[-6:] == [
        "Total error", "refugees in camps (UNHCR)", "total refugees (simulation)",
        "raw UNHCR refugee count", "refugees in camps (simulation)", "refugee_debt",
    ]
    assert len(text) == 16
    assert all(len(row.split(",")) == len(header) for row in text[1:])


@pytest.mark.slow
@pytest.mark.parametrize("name, bound", [("mali2012", 0.6), ("burundi2015", 0.8)])
def test_full_flee_cases_stay_near_flee_error(name, bound):
    sc = load_scenario(name)
    report = validate_results(run(sc, seed=0), sc)
    assert report["ard"] < bound


@pytest.mark.parametrize("name", ["mali2012", "burundi2015", "venezuela2022"])
def test_a_flee_folder_is_the_scenario_validation_would_give(name):
    """The importer puts the Scenario together from validated parts without validating the
    whole again, and builds the period, the count series and the conflicts it checked itself
    without pydantic's validator (caravana.flee.importer): validating all of it now, from plain data (so that
    nested models are validated too: pydantic does not revalidate model instances it is
    handed), gives the same fields, to the last nested value (a part left unvalidated, with a
    value the validation would refuse or convert, differs or fails here). The rows' private
    attributes (the file and row each came from, for errors) are not data and not compared."""
    import warnings

    from caravana.scenario.schema import Scenario

    sc = load_scenario(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pydantic warns when it dumps a value of the wrong type
        dumped = sc.model_dump()
    validated = Scenario.model_validate(dumped)
    assert validated.model_dump() == dumped and validated.model_fields_set >= sc.model_fields_set


def test_a_flee_folder_name_too_long_for_a_scenario_name_is_one_clear_error(tmp_path):
    import shutil

    from caravana.errors import ScenarioError
    from caravana.scenario.load import builtin_path

    folder = tmp_path / ("m" * 201)
    shutil.copytree(builtin_path("mali2012"), folder)
    with pytest.raises(ScenarioError, match="must have 1 to 200 characters \\(it has 201\\)") as caught:
        load_scenario(folder)
    assert caught.value.file is not None and str(caught.value.file).endswith("m" * 201)
    shutil.move(folder, tmp_path / ("m" * 200))
    assert load_scenario(tmp_path / ("m" * 200)).name == "m" * 200


def _flee_conflict_changes(matrix, names):
    """Flee 3.1's rule, cell by cell: a conflict starts where a value rises above zero (day 0
    included), and ends where it falls to zero from exactly 1."""
    changes, previous = [], {}
    for t, row in enumerate(matrix):
        for name, value in zip(names, row):
            before = previous.get(name)
            if value > 1e-6 and (t == 0 or before < 1e-6):
                changes.append((t, name, value))
            elif value < 1e-6 and t > 0 and before == 1.0:
                changes.append((t, name, 0.0))
            previous[name] = value
    return changes


@pytest.mark.parametrize("seed", range(6))
def test_the_conflict_matrix_is_read_by_flees_rule(tmp_path, seed):
    from caravana.flee.importer import _read_conflicts

    rng = np.random.default_rng(seed)
    days, names = int(rng.integers(1, 40)), [f"P{i}" for i in range(int(rng.integers(1, 9)))]
    # zeros, exact ones, tiny values either side of the threshold, other intensities
    pool = np.array([0.0, 1.0, 1.0, 0.5, 2.0, 1e-7, 2e-6, 0.0, 1.0])
    matrix = pool[rng.integers(0, len(pool), size=(days, len(names)))].tolist()
    lines = ["#Day," + ",".join(names) + "\n"] + [f"{t}," + ",".join(f" {v!r}" for v in row) + "\n"
                                                  for t, row in enumerate(matrix)]
    path = tmp_path / "conflicts.csv"
    path.write_text("".join(lines), encoding="utf-8")
    got = [(c.day, c.location, c.intensity, c.origin) for c in _read_conflicts(path, set(names))]
    expected = _flee_conflict_changes(matrix, names)
    assert got == [(t, name, value, (str(path), t + 2)) for t, name, value in expected] and got
