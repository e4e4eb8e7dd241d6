"""Every setting of the 2018 corridor scenario says where its value comes from, and none
comes from a report on the 2018 caravans dated after Oct 31, 2018 (the blind-test rule)."""

import csv
import datetime as dt

import pytest

from caravana.scenario.load import BUILTIN_DIR, load_scenario
from caravana.scenario.overrides import get_setting
from caravana.scenario.provenance import (
    Provenance,
    check_provenance,
    later_dates,
    read_provenance,
    table_rows_citing_later,
)

FOLDER = BUILTIN_DIR / "corridor"
CUTOFF = dt.date(2018, 10, 31)


def other_caravan_starts() -> set[dt.date]:
    with open(FOLDER / "caravans_other.csv", encoding="utf-8", newline="") as f:
        return {dt.date.fromisoformat(r["start"]) for r in csv.DictReader(f)}


@pytest.fixture(scope="module")
def entries() -> list[Provenance]:
    return read_provenance(FOLDER / "provenance_2018.csv")


def test_every_setting_has_provenance_and_none_is_later(entries):
    assert check_provenance(FOLDER / "scenario.yml", entries, CUTOFF, other_caravan_starts()) == []


def test_provenance_paths_name_settings_of_the_loaded_scenario(entries):
    scenario = load_scenario("corridor")
    for e in entries:
        if "[*]" in e.setting or not e.setting.startswith("corridor."):
            continue  # the file's start, days and tables are read into other fields
        get_setting(scenario, e.setting)  # raises on a path the model does not have


def test_table_cells_citing_later_reports_are_in_the_provenance(entries):
    rows = {e.setting.rsplit("/", 1)[0] for e in entries}
    assert set(table_rows_citing_later(FOLDER, CUTOFF)) <= rows


def test_other_caravans_are_not_the_october_2018_ones():
    starts = other_caravan_starts()
    assert not [d for d in starts if dt.date(2018, 10, 1) <= d <= dt.date(2018, 12, 31)]


def test_the_check_catches_a_later_report_a_missing_row_and_a_stale_value(tmp_path, entries):
    (tmp_path / "s.yml").write_text("start: 2018-10-12\ndays: 60\ncorridor:\n  papers:\n    ports:\n      - {place: X, per_day: 80}\n")
    base = dict(row=2, kind="report", date=dt.date(2018, 10, 12), source="timeline", marked="", note="")
    good = [Provenance(setting="start", value=dt.date(2018, 10, 12), **base),
            Provenance(setting="days", value=60, **{**base, "kind": "est", "date": None}),
            Provenance(setting="corridor.papers.ports[0]", value={"place": "X", "per_day": 80}, **base)]
    assert check_provenance(tmp_path / "s.yml", good, CUTOFF) == []
    later = [*good[:2], Provenance(setting="corridor.papers.ports[0]", value={"place": "X", "per_day": 80},
                                   **{**base, "date": dt.date(2018, 11, 20)})]
    assert any("after 2018-10-31" in p for p in check_provenance(tmp_path / "s.yml", later, CUTOFF))
    cites = [*good[:2], Provenance(setting="corridor.papers.ports[0]", value={"place": "X", "per_day": 80},
                                   **{**base, "source": "AP 2018-11-20"})]
    assert any("not marked" in p for p in check_provenance(tmp_path / "s.yml", cites, CUTOFF))
    assert any("has no provenance row" in p for p in check_provenance(tmp_path / "s.yml", good[:2], CUTOFF))
    stale = [*good[:2], Provenance(setting="corridor.papers.ports[0]", value={"place": "X", "per_day": 50}, **base)]
    assert any("but the file has" in p for p in check_provenance(tmp_path / "s.yml", stale, CUTOFF))


def test_later_dates():
    assert later_dates("AP 2018-11-05; EFE 2018-10-29; Nov 2018; October 2018; 2019-07", CUTOFF) == [
        "2018-11-05", "2019-07", "Nov 2018"]


def test_no_capacity_in_the_shared_tables_comes_from_a_later_report():
    """Shelter beds set from reports dated after Oct 31, 2018, and Puebla's undated beds, are the 2021/2022 variants'
    own settings, not cells of the table the 2018 variant reads."""
    with open(FOLDER / "locations.csv", encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["capacity"]]
    assert [r["name"] for r in rows if later_dates(r["source"], CUTOFF)] == []
    later = {r["name"] for r in rows} & {"Mexico City", "Tijuana", "Tijuana El Barretal", "Puebla"}
    assert later == set()
    for variant in ("2021.yml", "2022.yml"):
        shelters = load_scenario(FOLDER / variant).corridor.aid.shelters
        assert shelters == {"Mexico City": 6000, "Tijuana": 3000, "Tijuana El Barretal": 7500, "Puebla": 4000}
