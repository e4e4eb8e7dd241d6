"""Flee 3.1's settings on small cases, against Flee 3.1's own figures, and the import rules.

Flee 3.1 is not needed: ``tests/data/flee_rules/references.json`` holds its figures,
made by ``benchmarks/flee31_rule_references.py``. Each rule's case is one where the rule
changes the counts (checked on the stored figures), so a dropped setting fails the test.
"""

from __future__ import annotations

import shutil
import warnings

import numpy as np
import pytest
from typer.testing import CliRunner

from caravana import ScenarioWarning, load_scenario, simulation
from caravana.cli import app
from caravana.errors import ScenarioError
from caravana.flee import compare_camps
from caravana.flee.counts import add_count_tables
from caravana.flee.importer import read_flee_folder_report
from caravana.scenario.schema import CountPoint

from .flee_rule_cases import CAMPS, DATA, make_case, references, variants

SEEDS = 8


def caravana_counts(folder, seeds=SEEDS) -> dict[str, np.ndarray]:
    """People in each camp on the last day, and people spawned in all ("agents"), per seed."""
    scenario = load_scenario(folder)
    out: dict[str, list[int]] = {camp: [] for camp in (*CAMPS, "agents")}
    for seed in range(seeds):
        results = simulation(scenario, seed=seed).run()
        comparison = compare_camps(results, scenario)
        for j, camp in enumerate(comparison.camps):
            out[camp].append(int(comparison.simulated[-1, j]))
        out["agents"].append(int(results.spawned[-1]))
    return {camp: np.array(v, dtype=float) for camp, v in out.items()}


def tolerance(a: np.ndarray, b: np.ndarray) -> float:
    """Four standard errors of the difference of two means, plus 3 % for small model
    differences (route weights computed once a day, geometric waits)."""
    se = np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    return 4.0 * se + 0.03 * max(abs(a.mean()), abs(b.mean())) + 5.0


@pytest.mark.parametrize("name", sorted(variants()))
def test_rule_matches_flee31_and_changes_the_counts(name, tmp_path):
    ref = references()["cases"]
    flee_with = {c: np.array(ref[name]["with"][c], dtype=float) for c in CAMPS}
    flee_without = {c: np.array(ref[name].get("without", ref["base"])[c], dtype=float) for c in CAMPS}
    # The case discriminates: in Flee 3.1 the rule moves some camp's count well beyond noise.
    assert any(
        abs(flee_with[c].mean() - flee_without[c].mean()) > 2 * tolerance(flee_with[c], flee_without[c]) for c in CAMPS
    ), f"{name}: the stored Flee 3.1 figures do not show the rule changing the counts"
    ours = caravana_counts(make_case(name, tmp_path))
    if name.startswith("conflict_driven"):
        # Conflict-driven spawning draws nothing: the numbers spawned are Flee 3.1's to the person.
        assert set(ours["agents"]) == set(ref[name]["with"]["agents"])
    for camp in CAMPS:
        gap = abs(ours[camp].mean() - flee_with[camp].mean())
        assert gap <= tolerance(ours[camp], flee_with[camp]), (
            f"{name}, {camp}: caravana {ours[camp].mean():.0f} vs Flee 3.1 {flee_with[camp].mean():.0f}"
        )


def test_flee31_as_shipped_stops_on_two_rules():
    # Recorded by the reference script: why those two rules use a one-line repair of Flee 3.1.
    ref = references()["cases"]
    assert "TypeError" in ref["camps_are_sicks"]["as_shipped"]
    assert "NameError" in ref["MatchConflictEthnicity"]["as_shipped"]
    assert ref["stay_close_to_home"]["as_shipped"] == "runs"


def _with_settings(tmp_path, text: str):
    folder = tmp_path / "case"
    shutil.copytree(DATA / "base", folder)
    (folder / "simsetting.yml").write_text(text)
    return folder


def test_misspelt_key_is_one_error_with_a_suggestion(tmp_path):
    folder = _with_settings(tmp_path, "move_rules:\n  camp_wieght: 2.0\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(folder)
    text = str(err.value)
    assert "simsetting.yml" in text and "move_rules.camp_wieght" in text and "did you mean 'camp_weight'" in text
    with pytest.warns(ScenarioWarning, match="camp_wieght"):
        scenario = load_scenario(folder, ignore_unknown_settings=True)
    assert scenario.settings.movement.camp_weight == 1.0


def test_a_misspelt_key_is_suggested_in_spanish(tmp_path):
    """The suggestion is part of the translated message (no English "did you mean" in a Spanish line)."""
    from caravana.i18n import language
    from caravana.i18n.errors import error_text

    with pytest.raises(ScenarioError) as err:
        load_scenario(_with_settings(tmp_path, "move_rules:\n  camp_wieght: 2.0\n"))
    line = error_text(err.value, language("es"))
    assert line.endswith("campo 'move_rules.camp_wieght': ajuste desconocido (¿quiso decir 'camp_weight'?); use "
                         "--ignore-unknown-settings para simular sin ello"), line


def test_hazard_rules_need_their_demographics_and_no_effect_keys(tmp_path):
    # ChildrenAvoidHazards without ages: one error naming the missing table (Flee 3.1: KeyError 'age').
    folder = _with_settings(tmp_path, "move_rules:\n  ChildrenAvoidHazards: true\n")
    with pytest.raises(ScenarioError, match="needs each person's age.*demographics_age.csv"):
        load_scenario(folder)
    (folder / "input_csv" / "demographics_age.csv").write_text("age,Default\n8,1\nten,1\n")
    with pytest.raises(ScenarioError, match="age 'ten' is not a number"):
        load_scenario(folder)
    (folder / "input_csv" / "demographics_age.csv").write_text("age,Default,K1\n8,1,0\n30,1\n")
    with pytest.raises(ScenarioError, match="demographics_age.csv"):
        load_scenario(folder)
    (folder / "input_csv" / "demographics_age.csv").write_text("age,Default,Nowhere\n8,1,0\n30,1,1\n")
    with pytest.warns(ScenarioWarning, match="Nowhere"):
        scenario = load_scenario(folder)
    assert scenario.spawning.demographics["age"].values == ["8", "30"]
    # The per-person rule is allocated only when the rule is on.
    assert "hazard_rule" in simulation(scenario, seed=0, days=1).population.fields
    assert "hazard_rule" not in simulation(load_scenario(DATA / "base"), seed=0, days=1).population.fields
    # BoysTakeRisk acts in Flee 3.1 only inside ChildrenAvoidHazards: accepted and listed.
    folder = _with_settings(tmp_path / "b", "move_rules:\n  BoysTakeRisk: true\n  max_crossing_speed: 10\n")
    _, report = read_flee_folder_report(folder)
    assert "move_rules.BoysTakeRisk" in report.ignored and "move_rules.max_crossing_speed" in report.ignored


def test_children_avoid_hazards_draws_ages_by_place(tmp_path):
    """Each new person's rule follows the age table of the place they spawn at."""
    folder = make_case("ChildrenAvoidHazards", tmp_path)
    (folder / "input_csv" / "demographics_age.csv").write_text("age,Default,C\n8,0.0,0.25\n30,1.0,0.75\n")
    scenario = load_scenario(folder)
    sim = simulation(scenario, seed=1)
    sim.run()
    pop = sim.population
    spawned_at_c = pop.home == scenario.location_index()["C"]
    rule = pop.field("hazard_rule")
    assert spawned_at_c.sum() > 2000 and abs(np.mean(rule[spawned_at_c] == 1) - 0.25) < 0.04
    assert (rule[~spawned_at_c] == 0).all()  # day-0 camp people: Default, all adults


def test_poisson_spawning_stops_flee31_and_runs_with_latest_rules(tmp_path):
    folder = _with_settings(
        tmp_path, "spawn_rules:\n  conflict_driven_spawning:\n    spawn_mode: Poisson\n    displaced_per_conflict_day: 40\n"
    )
    with pytest.raises(ScenarioError, match="Flee 3.1 stops on it"):
        load_scenario(folder)
    scenario = load_scenario(folder, flee_rules="latest")
    results = simulation(scenario, seed=1).run()
    # 20 days of Poisson(40) at the one conflict zone.
    assert 20 * 40 - 4 * np.sqrt(800) < results.spawned[-1] < 20 * 40 + 4 * np.sqrt(800)


def test_pop_weight_differs_between_flee_versions(tmp_path):
    # 3.1 uses min(1, pop) (T2 with nobody living there gets weight 0); newer Flee max(1, pop).
    folder = make_case("use_pop_for_loc_weight", tmp_path)
    latest = caravana_counts_latest(folder)
    assert latest["K2"].mean() > 500


def caravana_counts_latest(folder) -> dict[str, np.ndarray]:
    scenario = load_scenario(folder, flee_rules="latest")
    comparison = compare_camps(simulation(scenario, seed=0).run(), scenario)
    return {c: comparison.simulated[-1:, j].astype(float) for j, c in enumerate(comparison.camps)}


def test_awareness_above_four_is_read(tmp_path):
    folder = _with_settings(tmp_path, "move_rules:\n  awareness_level: 5\n")
    assert load_scenario(folder).settings.movement.awareness_level == 5


def _points(rows):
    return [CountPoint(day=d, count=c) for d, c in rows]


def test_summed_count_tables_follow_flee31():
    first = _points([(0, 10), (10, 20), (20, 30)])
    second = _points([(0, 1), (5, 2), (10, 3), (30, 4)])
    got = [(p.day, p.count) for p in add_count_tables(first, second)]
    # day 5 pairs the first table's *next* date (20); day 20 gets the second's previous
    # count (3); day 30 lies past the first table's end and is dropped.
    assert got == [(0, 11), (5, 22), (10, 23), (20, 33)]
    flee_tables = pytest.importorskip("flee.datamanager.DataTable")
    ref = flee_tables.AddCSVTables(np.array([[p.day, p.count] for p in first], dtype=float),
                                   np.array([[p.day, p.count] for p in second], dtype=float))
    assert [tuple(r) for r in ref.tolist()] == got


def test_summed_table_starting_later_adds_nothing_before_it():
    # Flee 3.1 stops here (IndexError); caravana adds 0 before the second table starts.
    got = add_count_tables(_points([(0, 10), (10, 20)]), _points([(5, 1), (10, 2)]))
    assert [(p.day, p.count) for p in got] == [(0, 10), (5, 21), (10, 22)]


def _write(path, text):
    path.write_text(text)


def test_layout_rows_duplicates_and_sums(tmp_path):
    folder = tmp_path / "case"
    shutil.copytree(DATA / "base", folder)
    src = folder / "source_data"
    _write(src / "k1b.csv", "2020-01-01,100\n2020-01-21,300\n")
    _write(src / "data_layout.csv", "total,refugees.csv\nK1,k1.csv,k1b.csv\nK2,k2.csv\nNowhere,k2.csv\nT1,k2.csv\n")
    locations = folder / "input_csv" / "locations.csv"
    _write(locations, locations.read_text() + "K2,R,Away,10.0,13.5,camp,,100000\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scenario = load_scenario(folder)
    messages = " ".join(str(w.message) for w in caught)
    assert "'Nowhere' ignored" in messages and "'K2' repeats row" in messages
    # Flee 3.1 compares camps only: a town's counts are read, not compared.
    assert "(not camps): T1" in messages and "T1" not in scenario.observations
    assert "T1" in scenario.spawning.camp_counts
    assert [(p.day, p.count) for p in scenario.observations["K1"]] == [(0, 100), (20, 2300)]
    _write(locations, locations.read_text() + "K2,R,Away,10.0,13.5,camp,,5\n")
    with pytest.raises(ScenarioError, match="listed twice with different values"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the identical copy before it is still warned about
        load_scenario(folder)


def test_flee_check_lists_what_is_set_aside(tmp_path):
    folder = _with_settings(tmp_path, "log_levels:\n  agent: 0\nmove_rules:\n  BoysTakeRisk: true\n  awareness_level: 2\n")
    result = CliRunner().invoke(app, ["flee", "check", str(folder)])
    assert result.exit_code == 0, result.output
    assert "move_rules.awareness_level=2" in result.output and "BoysTakeRisk" in result.output
    bad = _with_settings(tmp_path / "bad", "move_rules:\n  awarenes_level: 2\n")
    result = CliRunner().invoke(app, ["flee", "check", str(bad)])
    assert result.exit_code == 2 and "did you mean 'awareness_level'" in result.output
