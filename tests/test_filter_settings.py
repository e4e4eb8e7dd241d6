"""benchmarks/filter_settings.py: the filter's own settings come from the OTHER caravans' files only."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def benchmarks(monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    return importlib.import_module


@pytest.mark.parametrize("left_out", ["2018", "2021", "2023"])
def test_the_left_out_caravans_file_is_never_read(benchmarks, monkeypatch, tmp_path, left_out):
    """The scored caravan's file replaced by one that cannot be read leaves its settings as they
    were; another caravan's file changed (its size reports halved on one day) moves them."""
    fs = benchmarks("filter_settings")
    kept = fs.leave_out(left_out)
    monkeypatch.setitem(fs.FILES, left_out, tmp_path / "missing.csv")
    assert fs.leave_out(left_out) == kept
    with pytest.raises(FileNotFoundError):  # the poison would have been read
        fs.readable_rows(left_out)
    other = next(year for year in fs.FILES if year != left_out)
    source = fs.FILES[other].read_text(encoding="utf-8").splitlines()
    changed = tmp_path / "other.csv"
    first = next(i for i, line in enumerate(source) if ",caravan_size," in line)
    date, place, quantity, value, *rest = source[first].split(",")
    source[first] = ",".join([date, place, quantity, str(float(value) / 2), *rest])
    changed.write_text("\n".join(source) + "\n", encoding="utf-8")
    monkeypatch.setitem(fs.FILES, other, changed)
    assert fs.leave_out(left_out).size_sd_high != kept.size_sd_high


def test_2018_rows_published_after_the_blind_test_line_are_not_read(benchmarks):
    """The Oct 12, 2018 accounts (160 and ~200, reported Nov 21) stay out of every leave-out set."""
    fs = benchmarks("filter_settings")
    rows = fs.readable_rows("2018")
    assert ("2018-10-12", "San Pedro Sula", "present") not in rows
    assert ("2018-10-12", "San Pedro Sula", "present") in fs.ACCOUNTS  # it is in report_noise.py's table
    assert all(key in rows for key in fs._accounts(["2018"], {"2018": rows}))
    assert len(fs._accounts(["2018"], {"2018": rows})) == len(fs.ACCOUNTS) - 1


def test_a_thin_source_set_falls_back_to_its_stated_value(benchmarks):
    """One pair of accounts of a reported day (1 degree of freedom) is too thin: day_sd is the stated
    fallback, and says so; with three pairs it is their pooled sd."""
    fs = benchmarks("filter_settings")
    settings = fs.leave_out("2018")
    assert settings.day_sd.value == fs.FALLBACK["day_sd"][0] and settings.day_sd.source.startswith("too thin")
    rows = {"2023": {("a", "", "departed"): {}, ("b", "", "departed"): {}, ("c", "", "departed"): {}}}
    original = fs.DAY_ACCOUNTS["2023"]
    try:
        fs.DAY_ACCOUNTS["2023"] = {("a", "", "departed"): (1, 2), ("b", "", "departed"): (1, 2),
                                   ("c", "", "departed"): (1, 2)}
        measured = fs.day_noise(["2023"], rows, show=False)
    finally:
        fs.DAY_ACCOUNTS["2023"] = original
    assert measured.value == pytest.approx(0.71, abs=0.01) and "3 df" in measured.source


def test_the_benchmarks_use_the_left_out_settings_by_default(benchmarks):
    """forecast_2021.py's arguments: leave-out by default (2021's own rows out), ``today`` the package's,
    and an explicit ``--stage-sd`` wins over either."""
    from caravana.forecast.pipeline import ASSIMILATION_NOISE, STAGE_HALF_LIFE_DAYS, STAGE_SD

    forecast_2018, fs = benchmarks("forecast_2018"), benchmarks("filter_settings")

    def args(*argv):
        return forecast_2018.arguments("", ("2021-10-27",), "2021-11-19", Path("x.png"), list(argv), caravan="2021")

    derived = fs.leave_out("2021")
    default = args()
    assert (default.stage_sd, default.stage_half_life) == (derived.stage_sd.value, derived.stage_half_life.value)
    assert default.filter["noise"].count_sd == derived.count_sd.value
    assert default.filter["size_sd_per_day"] == derived.size_sd_per_day
    today = args("--filter-settings", "today")
    assert (today.stage_sd, today.stage_half_life, today.filter["noise"]) == (STAGE_SD, STAGE_HALF_LIFE_DAYS,
                                                                            ASSIMILATION_NOISE)
    assert args("--stage-sd", "0.2").stage_sd == 0.2


def test_two_size_reports_on_one_date_are_one_step_not_a_division_by_zero(benchmarks):
    """Two caravan_size rows of one date (different places) were a step of t = 0 days (ZeroDivisionError,
    review 2 of session 13): they are merged into one size of that date, their mean."""
    fs = benchmarks("filter_settings")

    def size(value):
        return {"value": value}

    later = {("2023-11-05", "", "caravan_size"): size("2000"), ("2023-11-09", "", "caravan_size"): size("1800"),
             ("2023-11-12", "", "caravan_size"): size("1500")}
    same_day = {("2023-11-01", "Huixtla", "caravan_size"): size("3000"), ("2023-11-01", "", "caravan_size"): size("2500")}
    merged = fs.size_drift(["2023"], {"2023": same_day | later}, False)
    one = fs.size_drift(["2023"], {"2023": {("2023-11-01", "", "caravan_size"): size("2750")} | later}, False)
    assert merged == one and "3 steps" in merged.source
