"""Settings changed by dotted path: validated, the original untouched, errors name the path."""

from __future__ import annotations

import pytest

from caravana import ScenarioError, load_scenario
from caravana.scenario.overrides import apply_overrides, get_setting, parse_path


@pytest.fixture(scope="module")
def corridor():
    return load_scenario("corridor")


def test_paths_reach_fields_list_items_by_index_or_name_and_dict_entries(corridor):
    changed = apply_overrides(corridor, {
        "settings.movement.awareness_level": 2,
        "corridor.caravans[october-2018].leave_rate": 0.05,
        "corridor.enforcement.checkpoints[0].detention": 0.5,
        "corridor.papers.remain_in_mexico": {"start": 0},
        "corridor.aid.standards[water_total_min]": 20,
    })
    assert changed.settings.movement.awareness_level == 2
    assert get_setting(changed, "corridor.caravans[0].leave_rate") == 0.05
    assert changed.corridor.enforcement.checkpoints[0].detention == 0.5
    assert changed.corridor.papers.remain_in_mexico.start == 0
    assert changed.corridor.papers.remain_in_mexico.wait_days == 90  # the model's default filled in
    assert changed.corridor.aid.standards["water_total_min"] == 20.0
    # The original is untouched, and rows keep where they came from (for error messages).
    assert corridor.settings.movement.awareness_level != 2
    assert corridor.corridor.enforcement.checkpoints[0].detention != 0.5
    assert changed.locations[0].origin == corridor.locations[0].origin is not None


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("corridor.papers.asylum.decisions_per_day", -1),  # fails the field's own bound
        ("corridor.nope", 1),
        ("corridor.caravans[nobody].leave_rate", 0.1),
        ("corridor.caravans[5].leave_rate", 0.1),
        ("corridor.caravans.leave_rate", 0.1),
        ("settings..movement", 1),
        ("corridor.enforcement.checkpoints[0].to", "Atlantis"),  # fails the cross-check
    ],
)
def test_a_bad_path_or_value_is_one_error_naming_the_path(corridor, path, value):
    with pytest.raises(ScenarioError) as err:
        apply_overrides(corridor, {path: value})
    assert err.value.field in (path, "to")


def test_parse_path_splits_names_and_selectors():
    assert parse_path("a.b[2].c[x y]") == ["a", "b", ("2",), "c", ("x y",)]
    with pytest.raises(ScenarioError):
        parse_path("[0].a")


def _one_by_one(scenario, overrides):
    """The settings applied one at a time (as apply_overrides did before it set them at once)."""
    from caravana.scenario.overrides import _replace

    for path, value in overrides.items():
        scenario = _replace(scenario, parse_path(path), value, path)
    return scenario


def test_many_settings_at_once_give_the_scenario_set_one_by_one(corridor):
    # Several settings under the same models (a forecast particle's kind: caravans by index and
    # by name, a list item's field, a dict entry), one given twice, one reached by two spellings.
    overrides = {
        "corridor.caravans[0].leave_rate": 0.05,
        "corridor.caravans[0].pace_km": 31.5,
        "corridor.caravans[0].pace[1].km": 12.25,
        "corridor.caravans[1].rest_after_km": 77.0,
        "corridor.caravans[october-2018].joiners[0].per_day": 3,
        "corridor.aid.standards[water_total_min]": 20,
        "settings.movement.awareness_level": 2,
    }
    at_once = apply_overrides(corridor, overrides)
    assert at_once == _one_by_one(corridor, overrides)
    assert at_once.corridor.caravans[0].joiners[0].per_day == 3.0
    assert at_once.corridor.caravans[0].pace[1].km == 12.25
    assert at_once.corridor.caravans[2] is corridor.corridor.caravans[2]  # untouched: the same instance
    assert at_once.locations[0].origin == corridor.locations[0].origin is not None


def test_settings_at_once_still_name_the_setting_that_fails(corridor):
    # A good setting first, then a bad one under the same caravan: the error names the bad one.
    with pytest.raises(ScenarioError) as err:
        apply_overrides(corridor, {"corridor.caravans[0].pace_km": 30.0, "corridor.caravans[0].leave_rate": -1})
    assert err.value.field == "corridor.caravans[0].leave_rate"
    # One path inside another: set one by one, the later one wins.
    nested = apply_overrides(corridor, {"corridor.papers.remain_in_mexico": {"start": 0},
                                        "corridor.papers.remain_in_mexico.start": 3})
    assert nested.corridor.papers.remain_in_mexico.start == 3
