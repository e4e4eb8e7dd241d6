"""benchmarks/filter_settings.py: the filter's own settings come from the OTHER caravans' files only."""

from __future__ import annotations

import importlib
import math
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
    assert default.filter["size_reversion"] == derived.size_reversion.value
    as_of = args("--filter-settings", "earlier")  # only 2018's file (over by Oct 27, 2021)
    assert as_of.filter["noise"].count_sd == fs.earlier("2021").count_sd.value != derived.count_sd.value
    assert as_of.filter["sources"][0] == "earlier (2021, earlier than 2021-10-27)"
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
    k = fs.SIZE_REVERSION_PER_DAY
    merged = fs.size_drift(fs.size_steps(["2023"], {"2023": same_day | later}), k)
    one = fs.size_drift(fs.size_steps(["2023"], {"2023": {("2023-11-01", "", "caravan_size"): size("2750")} | later}), k)
    assert merged == one and "3 steps" in merged.source


def _ar1_caravans(phi: float, caravans: int, legs: int, seed: int) -> list[list[float]]:
    """Caravans' log stages with lag-1 persistence ``phi`` (stationary AR(1)), each caravan's mean removed."""
    import numpy as np

    rng = np.random.default_rng(seed)
    runs = []
    for _ in range(caravans):
        x = [rng.normal() / np.sqrt(1 - phi * phi)]
        for _ in range(legs - 1):
            x.append(phi * x[-1] + rng.normal())
        mean = sum(x) / legs
        runs.append([v - mean for v in x])
    return runs


@pytest.mark.parametrize("phi", [0.0, 0.5])
def test_the_corrected_lag1_r_recovers_a_known_persistence_within_its_interval(benchmarks, phi):
    """Legs with known persistence, 8 a caravan (as 2018's): the corrected r's interval holds the truth, and
    the raw pooled r (each caravan's mean removed) is biased low by about (1 + 3 phi) / 8."""
    fs = benchmarks("filter_settings")
    runs = _ar1_caravans(phi, caravans=60, legs=8, seed=7)
    r, low, high, pairs = fs.lag1(runs)
    assert pairs == 60 * 7 and low < phi < high and abs(r - phi) < 0.1
    flat = [pair for run in runs for pair in zip(run, run[1:])]
    raw = sum(a * b for a, b in flat) / math.sqrt(sum(a * a for a, _ in flat) * sum(b * b for _, b in flat))
    assert raw < phi - 0.5 * (1 + 3 * phi) / 8  # the bias the correction removes


def test_a_two_leg_caravan_does_not_bias_the_pooled_r(benchmarks):
    """A 2-leg caravan's deviations are (a, -a), a pair of -a^2 whatever the truth: it gives no pairs, so a
    large one leaves r, its interval and the half-life as they were; it still counts for stage_sd's legs."""
    fs = benchmarks("filter_settings")
    runs = _ar1_caravans(0.6, caravans=5, legs=8, seed=3)
    with_short = [*runs, [2.0, -2.0]]
    assert fs.lag1(with_short) == fs.lag1(runs)
    assert fs.half_life(with_short, 2.0).value == fs.half_life(runs, 2.0).value
    assert "1 caravan(s) of under 4 legs" in fs.half_life(with_short, 2.0).source


def test_a_half_life_interval_holding_0_falls_back_to_the_stated_week(benchmarks):
    """Few pairs: the interval of r holds 0, the data cannot tell persistence from none, the setting is the
    stated est (7 days), not the extreme 0; a long series of strong persistence gives L ln 2 / -ln r."""
    fs = benchmarks("filter_settings")
    thin = fs.half_life(_ar1_caravans(0.0, caravans=1, legs=6, seed=1), 2.0)
    assert thin.value == fs.FALLBACK["stage_half_life"][0] and "the interval holds 0" in thin.source
    runs = _ar1_caravans(0.8, caravans=40, legs=10, seed=5)
    r = fs.lag1(runs)[0]
    assert fs.half_life(runs, 2.0).value == pytest.approx(2.0 * math.log(2) / -math.log(r), abs=0.05)


def test_the_size_walk_sd_recovers_a_known_ornstein_uhlenbeck_sd(benchmarks):
    """Steps drawn from the model's own walk (reverting at SIZE_REVERSION_PER_DAY, restarted at each
    report), gaps of 11-16 days as between the caravans' size reports: the estimate's interval holds the
    true sd, and d / sqrt(t) (a random walk's) reads it well below."""
    import numpy as np

    from caravana.forecast.moves import walk_spread

    fs = benchmarks("filter_settings")
    k, sd, rng = fs.SIZE_REVERSION_PER_DAY, 0.2, np.random.default_rng(11)
    daily = walk_spread(sd, 1, k)  # the exact one-day step of an Ornstein-Uhlenbeck walk
    steps = []
    for t in rng.integers(11, 17, 200):
        x = 0.0
        for _ in range(t):
            x = x * math.exp(-k) + rng.normal(0.0, daily)
        steps.append((x, int(t)))
    s = fs.walk_sd(steps, k)
    low, high = fs.interval(s, len(steps))
    assert low < sd < high
    random_walk = math.sqrt(sum(d * d / t for d, t in steps) / len(steps))
    assert random_walk < 0.8 * sd


def test_a_thin_half_life_interval_that_rules_out_a_week_takes_its_nearest_point(benchmarks, monkeypatch):
    """The interval holds 0 (too thin to tell persistence from none): a week's r at the legs' lag, 2^(-L/7), inside
    it gives the week; outside it (2023 left out: -1..0.43 against 0.81) the interval's upper end, whose
    half-life is L ln 2 / -ln r; an upper end <= 0 is never reached here (the interval holds 0) but would give 0."""
    fs = benchmarks("filter_settings")
    runs = _ar1_caravans(0.0, caravans=2, legs=6, seed=1)
    monkeypatch.setattr(fs, "lag1", lambda deviations: (-0.46, -1.0, 0.43, 12))
    taken = fs.half_life(runs, 2.1)
    assert taken.value == round(2.1 * math.log(2) / -math.log(0.43), 1) == 1.7 and "its nearest point" in taken.source
    monkeypatch.setattr(fs, "lag1", lambda deviations: (-0.36, -1.0, 0.87, 7))
    week = fs.half_life(runs, 1.7)  # 2^(-1.7/7) = 0.85, inside
    assert week.value == 7.0 and "a week's r 0.85" in week.source
    monkeypatch.setattr(fs, "lag1", lambda deviations: (-0.5, -0.9, -0.2, 40))
    assert fs.half_life(runs, 2.0).value == 0.0  # wholly below 0: daily draws, as before


def _ou_reports(k: float, sd: float, scatter: float, steps: int, seed: int) -> list[tuple[float, int]]:
    """Consecutive size reports of the model's walk (Ornstein-Uhlenbeck at ``k`` a day, sd ``sd``, restarted at
    each report) read with ``scatter`` in log: (d, t), t 1-16 days, each report's error shared by its two steps."""
    import numpy as np

    from caravana.forecast.moves import walk_spread

    rng = np.random.default_rng(seed)
    error, out = rng.normal(0.0, scatter), []
    for t in rng.integers(1, 17, steps):
        x = 0.0
        for _ in range(t):
            x = x * math.exp(-k) + rng.normal(0.0, walk_spread(sd, 1, k))
        following = rng.normal(0.0, scatter)
        out.append((x + following - error, int(t)))
        error = following
    return out


def test_the_reversion_recovers_a_known_k_within_its_interval(benchmarks):
    """600 steps of a walk reverting at 0.3 a day (half-life 2.3 days) with report scatter 0.1: the profile
    interval holds 0.3 and rules out a random walk (k = 0) and the stated week (0.099), so the setting is the
    interval's end nearest the week, its low end. (With more scatter the upper end stays open: a fast reversion's
    flat variance looks like the reports' own.)"""
    fs = benchmarks("filter_settings")
    steps = _ou_reports(0.3, 0.3, 0.1, 600, seed=6)
    k, low, high = fs.reversion(steps, 0.1)
    assert 0.0 < fs.SIZE_REVERSION_PER_DAY < low < 0.3 < high and abs(k - 0.3) < 0.1
    chosen = fs.size_reversion([(d, t, "") for d, t in steps], 0.1)
    assert chosen.value == round(low, 4) and "its nearest point" in chosen.source


def test_a_random_walks_reversion_is_not_ruled_out_and_a_thin_set_keeps_the_week(benchmarks):
    """A random walk (k = 0): its interval starts at 0. Four steps are under the 5 the two parameters need: the
    stated week, said to be too thin."""
    fs = benchmarks("filter_settings")
    k, low, high = fs.reversion(_ou_reports(0.0, 0.2, 0.2, 400, seed=8), 0.2)
    assert low == 0.0 and k < 0.05 and high < 0.3
    thin = fs.size_reversion([(0.1, 3, ""), (-0.2, 5, ""), (0.3, 1, ""), (0.0, 9, "")], 0.3)
    assert thin.value == fs.SIZE_REVERSION_PER_DAY and thin.source.startswith("too thin (4 size steps")


def test_the_earlier_set_reads_only_the_caravans_over_before_the_first_as_of_date(benchmarks, monkeypatch, tmp_path):
    """2018: no file is over by Oct 20, 2018, so every setting is its stated est; 2021: only 2018's rows (those
    published by Oct 31, 2018); 2023: 2018's and 2021's. The later files replaced by poison change nothing (and
    are not opened: each file's first row is its caravan's start)."""
    fs = benchmarks("filter_settings")
    for year, start in fs.STARTS.items():
        assert min(r["date"] for r in fs.csv.DictReader(fs.FILES[year].open(encoding="utf-8"))) == start.isoformat()
    assert [fs.earlier_than(c, fs.FIRST_AS_OF[c]) for c in ("2018", "2021", "2023")] == [[], ["2018"], ["2018", "2021"]]
    thin = fs.earlier("2018")
    assert all(getattr(thin, name).source.startswith("too thin") for name in fs.NAMES)
    kept = fs.earlier("2021")
    monkeypatch.setitem(fs.FILES, "2023", tmp_path / "missing.csv")
    monkeypatch.setitem(fs.FILES, "2021", tmp_path / "missing.csv")
    assert fs.earlier("2021") == kept and fs.earlier("2021").count_sd == fs.settings_from("x", ["2018"]).count_sd
