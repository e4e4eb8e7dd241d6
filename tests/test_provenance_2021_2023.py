"""Every setting the 2021 and 2023 benchmark forecasts start from says where its value comes from
(provenance_2021.csv, provenance_2023.csv), and none comes from a report published after the
benchmark's first as-of date or was chosen by its score on the held-back reports (a ``cal`` row dated
the last of them): the check of the 2018 scenario (``check_provenance``), on 2021.yml with
forecast_2021.py's replacements applied and on 2023.yml as it is."""

from __future__ import annotations

import csv
import datetime as dt

import numpy as np
import pytest
import yaml

from caravana import load_scenario, simulation
from caravana.cli.common import parse_settings
from caravana.engine.roads import road_to, shortest_roads
from caravana.scenario.corridor import CaravanSpec
from caravana.scenario.load import BUILTIN_DIR
from caravana.scenario.provenance import (
    Provenance,
    check_provenance,
    later_dates,
    read_provenance,
    table_rows_citing_later,
    with_replaced,
)

from .test_forecast_benchmarks import benchmarks  # noqa: F401  (the fixture: benchmarks/ on the path)

FOLDER = BUILTIN_DIR / "corridor"
# (scenario file, provenance, the first as-of date, the scored caravan's start, the last held-back report)
CASES = {"2021": ("2021.yml", "provenance_2021.csv", dt.date(2021, 10, 27), dt.date(2021, 10, 23), dt.date(2021, 11, 16)),
         "2023": ("2023.yml", "provenance_2023.csv", dt.date(2023, 11, 1), dt.date(2023, 10, 30), dt.date(2023, 11, 18))}


def other_caravans(own_start: dt.date) -> set[dt.date]:
    """Start dates of caravans_other.csv's caravans but the scored one: citing one cites another caravan."""
    with open(FOLDER / "caravans_other.csv", encoding="utf-8", newline="") as f:
        return {dt.date.fromisoformat(r["start"]) for r in csv.DictReader(f)} - {own_start}


def replaced(case: str, benchmarks) -> dict:  # noqa: F811
    """The benchmark's own replacements of its file's settings (``SETTINGS``; 2023: its later leg only)."""
    return parse_settings(list(benchmarks(f"forecast_{case}").SETTINGS))


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_setting_of_the_benchmark_prior_has_provenance_and_none_is_later(case, benchmarks):  # noqa: F811
    file, table, cutoff, own, _ = CASES[case]
    entries = read_provenance(FOLDER / table)
    assert check_provenance(FOLDER / file, entries, cutoff, other_caravans(own), replaced(case, benchmarks)) == []
    assert set(table_rows_citing_later(FOLDER, cutoff)) <= {e.setting.rsplit("/", 1)[0] for e in entries}


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_row_rests_unmarked_on_a_report_on_the_2018_caravans_after_october_2018(case):
    """The replacements may cite the 2018 caravans only up to Oct 31, 2018 (the blind line)."""
    for e in read_provenance(FOLDER / CASES[case][1]):
        text = " ".join((e.source, e.note, str(e.date or "")))
        after = [d for d in later_dates(text, dt.date(2018, 10, 31)) if d.startswith("2018") or d.endswith("2018")]
        assert not after or e.marked, f"row {e.row} ({e.setting}) cites {after} and is not marked"


# The settings chosen after the held-back reports were read, as they were before session 13: a value
# kept because it scored better (or picked among sources after reading them) is calibrated on those
# reports, so it is a ``cal`` row dated the last of them.
BEFORE = {"2021": ({"corridor.caravans[0].pace": [{"from": "Mapastepec", "km": 14, "rest_after_km": 190}]},
                   [("corridor.caravans[october-2021].pace[0]", {"from": "Mapastepec", "km": 14, "rest_after_km": 190}),
                    ("corridor.caravans[october-2021].leave_rate", 0.02)]),
          "2023": ({"corridor.caravans[0].pace": [{"from": "Mapastepec", "km": 22, "rest_after_km": 190}]},
                   [("corridor.caravans[october-2023].pace[0]", {"from": "Mapastepec", "km": 22, "rest_after_km": 190})])}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_check_fails_the_settings_chosen_by_their_score_before_session_13(case, benchmarks):  # noqa: F811
    file, table, cutoff, own, last = CASES[case]
    settings, rows = BEFORE[case]
    chosen = {path for path, _ in rows}
    entries = [e for e in read_provenance(FOLDER / table) if e.setting not in chosen] + [
        Provenance(row=100 + i, setting=path, value=value, kind="cal", date=last, source="scored on the held-back reports",
                   marked="", note="") for i, (path, value) in enumerate(rows)]
    problems = check_provenance(FOLDER / file, entries, cutoff, other_caravans(own), {**replaced(case, benchmarks), **settings})
    assert sorted(problems) == sorted(
        [f"row {100 + i} ({path}): dated {last}, after {cutoff}" for i, (path, _) in enumerate(rows)]
        + [f"row {100 + i} ({path}): cites {last} (after {cutoff}) and is not marked" for i, (path, _) in enumerate(rows)])


def test_the_replacements_are_the_mechanisms_defaults_and_the_2021_road_the_shortest(benchmarks):  # noqa: F811
    forecast_2018 = benchmarks("forecast_2018")
    prior_2021, prior_2023 = (forecast_2018.with_settings(load_scenario(m.SCENARIO), list(m.SETTINGS))
                              for m in (benchmarks("forecast_2021"), benchmarks("forecast_2023")))
    assert load_scenario(FOLDER / "2023.yml").corridor.caravans[0].pace == []  # the file: no leg
    # The first days' pace and rests up to Huixtla, where each rested (2021) or stayed (2023) its first whole
    # day, then the later leg from the other caravans (sessions 14 and 15; tests/test_pace_prior.py)
    for prior in (prior_2021, prior_2023):
        assert [leg.place for leg in prior.corridor.caravans[0].pace] == ["Huixtla"]
    assert prior_2021.corridor.caravans[0].leave_rate == CaravanSpec.model_fields["leave_rate"].default
    net = simulation(prior_2021, seed=0, days=1).network
    start = net.index("Tapachula")
    _, pred = shortest_roads(net, ["road", "foot"], start, np.array([start], dtype=np.int64))
    road = [net.names[i] for i in road_to(pred, start, net.index("Mexico City"))]
    assert road == prior_2021.corridor.caravans[0].itinerary == prior_2023.corridor.caravans[0].itinerary


def test_with_replaced_sets_by_index_name_and_star_and_refuses_a_missing_path():
    tree = yaml.safe_load("corridor:\n  caravans:\n    - {name: a, pace_km: 1}\n    - {name: b, pace_km: 2}\n")
    assert with_replaced(tree, {"corridor.caravans[0].pace_km": 5})["corridor"]["caravans"][0]["pace_km"] == 5
    assert with_replaced(tree, {"corridor.caravans[b].leave_rate": 0.1})["corridor"]["caravans"][1]["leave_rate"] == 0.1
    assert [c["pace_km"] for c in with_replaced(tree, {"corridor.caravans[*].pace_km": 3})["corridor"]["caravans"]] == [3, 3]
    assert with_replaced(tree, {"days": 9})["days"] == 9
    assert tree["corridor"]["caravans"][0]["pace_km"] == 1  # a copy
    with pytest.raises(KeyError):
        with_replaced(tree, {"corridor.papers.permits.apply_rate": 0})
