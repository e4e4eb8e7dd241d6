"""Smoke tests of the forecast benchmarks (forecast_2023.py, forecast_day_moves.py, forecast_autopsy.py):
with a few particles and one as-of date they run and print their figures. The figures
themselves are measured by running the benchmarks (benchmarks/results/)."""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import numpy as np
import pytest

from caravana import ScenarioError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def benchmarks(monkeypatch):
    """Import a benchmark module from benchmarks/ (they import each other by name); the
    width they set for their tables when printing to a pipe is undone after the test."""
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    return importlib.import_module


def test_forecast_2023_runs_and_prints_its_coverage_line(benchmarks, tmp_path, capsys):
    forecast_2023 = benchmarks("forecast_2023")
    plot = tmp_path / "plot.png"
    assert forecast_2023.main(["--particles", "8", "--as-of", "2023-11-05", "--plot", str(plot), "--rows"]) == 0
    out = capsys.readouterr().out
    assert "as of 2023-11-05, filter: state+parameters" in out
    assert "forecast window as-of + 35 days: the longest of 12 other caravans (viacrucis-2018" in out  # horizon.py
    assert "window: to 2023-12-10 (35 days); held-back reports after its end, not scored: 0" in out
    coverage = [line for line in out.splitlines() if "in P5-P95" in line]
    assert [line.split(":")[0].strip() for line in coverage] == ["posterior", "prior"]
    assert "row" in out and plot.exists()  # --rows: each held-back report, and the plot


def test_forecast_benchmark_writes_no_figure_unless_asked(benchmarks, tmp_path, monkeypatch, capsys):
    """A run on any seed used to overwrite the docs' figure (docs/img/, the default --plot)."""
    forecast_2023 = benchmarks("forecast_2023")
    monkeypatch.chdir(tmp_path)
    before = {p: p.stat().st_mtime_ns for p in (ROOT / "docs" / "img").glob("forecast_*.png")}
    assert forecast_2023.main(["--particles", "6", "--as-of", "2023-11-05"]) == 0
    assert "plot: none (--plot FILE)" in capsys.readouterr().out
    assert not any(tmp_path.rglob("*.png"))
    assert {p: p.stat().st_mtime_ns for p in (ROOT / "docs" / "img").glob("forecast_*.png")} == before


def test_an_open_ended_day_hit_is_one_whose_p95_is_not_there_by_the_end(benchmarks):
    from caravana.forecast.check import open_ended

    forecast_2018 = benchmarks("forecast_2018")
    row = {"unit": "day", "hit": True, "p95": 23.0}
    assert open_ended(row, 23)  # P95: the day after the end ("never")
    assert not open_ended(row | {"p95": 22.0}, 23)  # a band that closes in the window
    assert not open_ended(row | {"hit": False}, 23)
    assert not open_ended({"unit": "people", "hit": True, "p95": 5000.0}, 23)
    s = {"hits": 6, "open_hits": 2, "reports": 8, "day_reports": 0, "count_reports": 0}
    # The headline counts an open-ended hit as a miss; the figure counting it as a hit follows.
    assert forecast_2018.line("posterior", s).endswith(
        "4/ 8 in P5-P95 ( 50%) [2 open-ended counted as misses; as hits: 6/8 (75%)]")
    assert forecast_2018.line("posterior", s | {"open_hits": 0}).endswith("6/ 8 in P5-P95 ( 75%)")


def test_forecast_day_moves_runs_and_prints_each_rules_scores(benchmarks, capsys):
    day_moves = benchmarks("forecast_day_moves")
    assert day_moves.main(["--case", "2021", "--particles", "8", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "held-back reports: P5-P50-P95 and interval score" in out
    assert "  weigh: days " in out and "  move: days " in out



def test_forecast_autopsy_prints_each_reports_spread_the_factors_and_the_prior_against_each_report(benchmarks, capsys):
    autopsy = benchmarks("forecast_autopsy")
    assert autopsy.main(["--case", "2021", "--particles", "8", "--seed", "1", "--as-of", "2021-10-27"]) == 0
    out = capsys.readouterr().out
    assert "1. each report's log-likelihood over the particles" in out and "drops it most alone" in out
    assert "members by weight before -> after the report alone" in out
    assert "2. factors" in out and ".leave_rate" in out
    reports = [line for line in out.splitlines() if line.lstrip().startswith(("used row", "held  row"))]
    assert reports and any(line.lstrip().startswith("held") for line in reports)
    assert all("prior members near it" in line for line in reports)


def test_report_drops_gives_each_reports_members_by_weight_alone_and_so_far_and_its_share_of_the_fall(benchmarks):
    autopsy = benchmarks("forecast_autopsy")
    members = np.array([0, 1, 2, 3])
    first, second = np.log([1, 1, 1, 0.25]), np.log([1, 1, 0.25, 1])
    before, after, drops = autopsy.report_drops(np.zeros(4), members, [("scored", "a", first), ("size move", "b", second)])
    # equal weights: every member counts; a member with a quarter of the others' weight carries 4 x 0.25 / 3.25
    assert before == pytest.approx(4.0) and drops[0].alone == pytest.approx(3 + 1 / 3.25)
    assert drops[1].alone == pytest.approx(3 + 1 / 3.25) and drops[1].so_far == pytest.approx(1 + 1 + 0.4 + 0.4)
    assert after == pytest.approx(2.8) and drops[0].so_far == pytest.approx(drops[0].alone)
    assert drops[0].share == pytest.approx(np.log(4 / (3 + 1 / 3.25)) / np.log(4 / 2.8))
    assert drops[0].kish_alone < 4.0 and drops[1].kind == "size move"
    # Two copies of one member (after a resampling) count once: the lineage, not the particles.
    before, after, drops = autopsy.report_drops(np.zeros(4), np.array([0, 0, 1, 2]), [("scored", "a", np.zeros(4))])
    assert before == after == pytest.approx(3.0) and np.isnan(drops[0].share)


def test_set_scores_a_variant_of_the_scenario_and_says_so(benchmarks, tmp_path, capsys):
    forecast_2018 = benchmarks("forecast_2018")
    forecast_2023 = benchmarks("forecast_2023")
    scenario = forecast_2018.load_scenario(forecast_2023.SCENARIO)
    variant = forecast_2018.with_settings(scenario, ["corridor.caravans[0].break_up_rate=0.07",
                                                     "corridor.caravans[0].leave_rate=0.022"])
    caravan = variant.corridor.caravans[0]
    assert (caravan.break_up_rate, caravan.leave_rate) == (0.07, 0.022)
    assert scenario.corridor.caravans[0].break_up_rate == 0  # (the file's own, unchanged)
    assert forecast_2018.with_settings(scenario, []) is scenario
    # A setting the scenario cannot take stops with the scenario's own error, before any work.
    with pytest.raises(ScenarioError, match="break_up_rate"):
        forecast_2018.with_settings(scenario, ["corridor.caravans[0].break_up_rate=2"])
    plot = tmp_path / "plot.png"
    assert forecast_2023.main(["--particles", "6", "--as-of", "2023-11-05", "--plot", str(plot),
                               "--set", "corridor.caravans[0].break_up_rate=0.07"]) == 0
    # the benchmark's own settings (its later leg, session 15), then the command line's (it wins)
    assert f"settings: {' '.join(forecast_2023.SETTINGS)} corridor.caravans[0].break_up_rate=0.07" in capsys.readouterr().out


def test_forecast_autopsy_refuses_the_printing_options_it_does_not_use(benchmarks, capsys):
    autopsy = benchmarks("forecast_autopsy")
    assert autopsy.main(["--case", "2021", "--rows", "--plot=x.png"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: forecast_autopsy.py does not take --rows, --plot=x.png") and err.count("\n") == 1
    assert autopsy.main(["--case", "2021", "--row", "--weights-only"]) == 2  # as argparse would read prefixes
    assert "--row, --weights-only" in capsys.readouterr().err


def test_the_2021_benchmark_replaces_the_files_hindsight_settings_unless_as_written(benchmarks):
    """forecast_2021.py's prior: without the Nov 16 blockade and the Juchitan permits, leaving at
    0.02 a day (the mechanism's default), 14 km a travel day and a rest after 60 km to Huixtla, then the
    later leg from the other caravans (session 14) and 700 joiners a day at Huixtla (the caravan's first days);
    ``--as-written`` is the file as it is;
    a ``--set`` of the command line comes after the benchmark's own (it wins)."""
    from caravana import load_scenario

    forecast_2018, forecast_2021 = benchmarks("forecast_2018"), benchmarks("forecast_2021")

    def scenario(*argv):
        args = forecast_2018.arguments("", forecast_2021.AS_OF, "2021-11-19", forecast_2021.DEFAULT_PLOT, list(argv))
        args = forecast_2018.with_own(args, forecast_2021.SETTINGS, ())
        return forecast_2018.with_settings(load_scenario(forecast_2021.SCENARIO), args.set)

    own, written = scenario(), scenario("--as-written")
    assert [c.name for c in own.corridor.enforcement.checkpoints] == ["National Guard roadblock at the start"]
    assert own.corridor.enforcement.checkpoints[0] == written.corridor.enforcement.checkpoints[0]
    assert len(written.corridor.enforcement.checkpoints) == 2
    assert (own.corridor.papers.permits.apply_rate, written.corridor.papers.permits.apply_rate) == (0.0, 0.3)
    assert (own.corridor.caravans[0].leave_rate, written.corridor.caravans[0].leave_rate) == (0.02, 0.05)
    assert written.corridor.caravans[0].pace == []
    assert [(leg.place, leg.km) for leg in own.corridor.caravans[0].pace] == [("Huixtla", 14.0)]  # the later leg (s14pace)
    assert (own.corridor.caravans[0].pace_km, written.corridor.caravans[0].pace_km) == (14.0, 22.0)
    assert (own.corridor.caravans[0].joiners[0].per_day, written.corridor.caravans[0].joiners[0].per_day) == (700.0, 1000.0)
    assert scenario("--set", "corridor.caravans[0].leave_rate=0.03").corridor.caravans[0].leave_rate == 0.03


@pytest.mark.parametrize("as_of", ["2018-10-20", "2018-10-24", "2018-10-27"])
def test_the_known_prior_keeps_no_setting_from_a_report_after_the_as_of_date(benchmarks, as_of):
    """forecast_2018.py --known: known_2018's own listing of the rows set from, or citing, later
    reports leaves none kept as it was ("later"), though ``as_known_on`` alone leaves some on
    Oct 20; every refitted parameter is at its prior's centre, not the shipped fitted value."""
    import datetime as dt

    from caravana import load_scenario
    from caravana.calibrate import read_params
    from caravana.forecast.parameters import check_factors
    from caravana.scenario.overrides import get_setting

    known_2018, known_prior = benchmarks("known_2018"), benchmarks("known_prior")
    day, shipped = dt.date.fromisoformat(as_of), load_scenario("corridor")
    specs = read_params(known_prior.PARAMS)
    scenario, factors, changes = known_prior.known_prior(shipped, day)
    assert [c for c in changes if c.action == "later"] == []
    _, plain = known_2018.as_known_on(shipped, day, {s.path for s in specs})
    replaced = {c.setting for c in changes if c.action == "replaced"}
    assert {c.setting for c in plain if c.action == "later"} <= replaced | set(known_prior.GEOGRAPHY)
    refitted = [c.setting for c in changes if c.action == "refitted"]
    centred = [s for s in specs if any(known_prior.covers(r, s.path) for r in refitted) and known_prior.exists(scenario, s.path)]
    assert len(centred) >= 18
    for spec in centred:
        value = get_setting(scenario, spec.path)
        assert value in (spec.centre(), 0) and value != get_setting(shipped, spec.path), spec.path
    check_factors(scenario, factors)  # every factor's path and range fits the prior's scenario
    paths = [p for f in factors for p in f.paths]
    assert len(paths) == len(set(paths)) and "corridor.transit.in_transit" in paths  # each drawn once
    if day == dt.date(2018, 10, 20):
        assert scenario.corridor.enforcement.checkpoints[0].end is None  # its end was reported on Oct 21


def test_forecast_2018_known_prints_its_changes_first(benchmarks, tmp_path, capsys):
    forecast_2018 = benchmarks("forecast_2018")
    assert forecast_2018.main(["--known", "--particles", "4", "--as-of", "2018-10-24",
                               "--plot", str(tmp_path / "p.png")]) == 0
    out = capsys.readouterr().out
    assert out.index("--known: the prior as known on Oct 24, with NO fit") < out.index("as of 2018-10-24, filter")
    assert "=> settings from a report after Oct 24 still in the blind scenario: 0" in out


def test_the_window_is_the_as_of_date_plus_the_longest_other_caravans_duration(benchmarks):
    """horizon.py (session 14's rule): as-of + N, N the longest duration among the other caravans of
    caravans_other.csv (viacrucis-2018, Mar 25 - Apr 29, 2018: 35 days); the scored caravan's own row (2021's,
    32 days) is left out; ``--until`` wins; ``earlier`` counts only the caravans over before the as-of date."""
    import datetime as dt

    from caravana import load_scenario

    horizon, forecast_2021 = benchmarks("horizon"), benchmarks("forecast_2021")
    corridor, s2021 = load_scenario("corridor"), load_scenario(forecast_2021.SCENARIO)
    assert horizon.window_end(corridor, None, "2018-10-20") == dt.date(2018, 11, 24)
    assert horizon.window_end(s2021, None, "2021-11-07") == dt.date(2021, 12, 12)  # past the period's Dec 6
    assert "oct-2021" not in dict(horizon.other_durations(s2021))
    assert dict(horizon.other_durations(corridor))["oct-2021"] == 32  # another caravan for 2018
    assert horizon.window_end(corridor, "2018-11-03", "2018-10-20") == dt.date(2018, 11, 3)
    earlier = dict(horizon.other_durations(s2021, before=dt.date(2021, 10, 27)))
    assert set(earlier) == {"viacrucis-2018", "jan-2019", "jan-2020", "oct-2020", "jan-2021"}
    assert horizon.window_days(corridor, before=dt.date(2018, 10, 20)).days == 35  # viacrucis-2018 alone
    with pytest.raises(horizon.WindowError, match="no other caravan"):
        horizon.window_days(corridor, before=dt.date(2018, 4, 1))


def _records_with(source: Path, path: Path, name: str, end: str) -> Path:
    """caravans_other.csv with ``name``'s end replaced by ``end``."""
    import csv

    rows = list(csv.DictReader(source.open(encoding="utf-8")))
    for row in rows:
        if row["name"] == name:
            row["end"] = end
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_window_never_reads_the_scored_caravans_record_or_period(benchmarks, tmp_path):
    """2021: its own row of caravans_other.csv ending a year later and its scenario's period cut to 10 days leave
    every window as it was; another caravan lasting longer (jan-2019 to 60 days) moves it (the test can fail)."""
    import datetime as dt

    from caravana import load_scenario
    from caravana.scenario.records import RECORDS

    horizon, forecast_2021 = benchmarks("horizon"), benchmarks("forecast_2021")
    scenario = load_scenario(forecast_2021.SCENARIO)
    before = horizon.window_ends(scenario, None, forecast_2021.AS_OF)
    own = _records_with(RECORDS, tmp_path / "own.csv", "oct-2021", "2022-11-24")
    assert horizon.window_ends(scenario, None, forecast_2021.AS_OF, records=own) == before
    cut = scenario.model_copy(update={"period": scenario.period.model_copy(update={"days": 10})})
    assert horizon.window_ends(cut, None, forecast_2021.AS_OF) == before
    longer = _records_with(RECORDS, tmp_path / "longer.csv", "jan-2019", "2019-03-16")
    assert horizon.window_end(scenario, None, "2021-10-27", records=longer) == dt.date(2021, 12, 26)  # +60 days
    assert before["2021-10-27"] == dt.date(2021, 12, 1)  # +35 days


def test_the_window_is_the_same_whatever_the_scored_caravans_rows_after_its_as_of_date(benchmarks, monkeypatch,
                                                                                        tmp_path, capsys):
    """forecast_2021.py as of Oct 27 with every later row of its observations moved 3 days on and its counts
    tripled: the held-back reports score differently (the file was read), the window is the same."""
    import csv
    import datetime as dt

    forecast_2021 = benchmarks("forecast_2021")
    rows = list(csv.DictReader(forecast_2021.OBSERVATIONS.open(encoding="utf-8")))
    for row in rows:
        if row["date"] > "2021-10-27":
            row["date"] = (dt.date.fromisoformat(row["date"]) + dt.timedelta(days=3)).isoformat()
            row["reported"] = max(row["reported"] or row["date"], row["date"])
            for field in ("value", "low", "high"):
                row[field] = str(3 * int(row[field])) if row[field] else ""
    changed = tmp_path / "observations_2021.csv"
    with changed.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    def run() -> tuple[list[str], list[str]]:
        assert forecast_2021.main(["--particles", "4", "--as-of", "2021-10-27", "--plot", str(tmp_path / "p.png")]) == 0
        out = capsys.readouterr().out.splitlines()
        return ([line for line in out if "forecast window" in line or line.startswith("  window:")],
                [line for line in out if "in P5-P95" in line])

    window, scores = run()
    monkeypatch.setattr(forecast_2021, "OBSERVATIONS", changed)
    assert forecast_2021.LAST_REPORT < dt.date(2021, 11, 19)  # the moved Nov 16 row falls out: scored rows differ
    window_changed, scores_changed = run()
    assert len(window) == 2 and "window: to 2021-12-01 (35 days)" in window[1]
    assert window_changed == window and scores_changed != scores


@pytest.mark.parametrize("module", ["forecast_2018", "forecast_2021", "forecast_2023"])
def test_every_held_back_report_of_the_benchmarks_falls_inside_its_window(benchmarks, module):
    """With the benchmarks' as-of dates no held-back report (up to the last-report line) is left unscored."""
    from caravana import load_scenario

    horizon, bench = benchmarks("horizon"), benchmarks(module)
    scenario = load_scenario(getattr(bench, "SCENARIO", "corridor"))
    for earlier in (False, True):
        ends = horizon.window_ends(scenario, None, bench.AS_OF, earlier)
        assert all(end >= bench.LAST_REPORT for end in ends.values())


def test_a_window_past_the_scenarios_period_lengthens_it_and_changes_no_earlier_day(benchmarks):
    """with_period: the 2023 scenario (30 days) lengthened to Dec 10; a run's counts to Nov 28 are the same."""
    import datetime as dt

    import numpy as np

    from caravana import load_scenario, run

    horizon, forecast_2023 = benchmarks("horizon"), benchmarks("forecast_2023")
    scenario = load_scenario(forecast_2023.SCENARIO)
    longer = horizon.with_period(scenario, dt.date(2023, 12, 10))
    assert (longer.period.days, horizon.with_period(scenario, dt.date(2023, 11, 20)).period.days) == (42, 30)
    short, long = run(scenario, seed=2).counts, run(longer, seed=2).counts
    assert long.shape[0] == 42 and np.array_equal(short, long[:30])


def test_each_missed_report_gets_the_first_cause_class_that_applies(benchmarks):
    import datetime as dt

    from caravana.observations import Observation, Observations

    autopsy = benchmarks("forecast_autopsy")
    day = dt.date(2018, 10, 26)
    rows = (Observation(date=day, quantity="caravan_size", value=4500),
            Observation(date=day, quantity="caravan_size", value=7000, low=7000, high=9000),
            Observation(date=day, quantity="returned", value=495, place="MX"))
    for n, r in enumerate(rows, start=1):
        r._origin = ("observations.csv", n)  # (the row numbers a file gives)
    reports = Observations(rows=rows)

    def row(n, quantity, unit, low, high, p5, p95, hit=False, open_ended=False, place=None):
        return {"row": n, "date": day, "place": place, "quantity": quantity, "unit": unit, "observed": low,
                "low": low, "high": high, "p5": p5, "p95": p95, "hit": hit, "open_ended": open_ended}

    size, other = row(2, "caravan_size", "people", 7000, 9000, 2000, 5000), row(1, "caravan_size", "people", 4500, 4500,
                                                                                2000, 5000, hit=True)
    # The forecast hits the other same-day report, whose range is apart: the reports disagree.
    assert autopsy.miss_class(size, {1: other, 2: size}, reports).startswith("outlier")
    assert autopsy.miss_class(size, {1: other | {"hit": False}, 2: size}, reports) == "count too low"
    assert autopsy.miss_class(size | {"p5": 9500, "p95": 12000}, {2: size}, reports) == "count too high"
    returned = row(3, "returned", "people", 495, 495, 600, 3000, place="MX")
    assert autopsy.miss_class(returned, {3: returned}, reports) == "attrition quantity too high"
    arrived = row(4, "arrived", "day", 14, 14, 16, 20)
    assert autopsy.miss_class(arrived, {}, reports) == "arrival too late"
    assert autopsy.miss_class(arrived | {"quantity": "departed", "p5": 8, "p95": 12}, {}, reports) == "departure too early"
    assert autopsy.miss_class(arrived | {"p5": 10, "p95": 60, "hit": True, "open_ended": True}, {}, reports) == (
        "never there by the window's end")


def test_forecast_autopsy_misses_prints_each_miss_and_the_classes(benchmarks, capsys):
    autopsy = benchmarks("forecast_autopsy")
    assert autopsy.main(["--case", "2023", "--misses", "--particles", "6", "--as-of", "2023-11-08"]) == 0
    out = capsys.readouterr().out
    assert "forecast to 2023-12-13" in out and "misses of the posterior" in out  # Nov 8 + 35 days
    misses = [line for line in out.splitlines() if " -> " in line]
    table = out[out.index("misses by class"):].splitlines()
    assert table[-1].split()[-1] == str(len(misses))  # the table counts every miss listed
    assert autopsy.main(["--case", "2023", "2021", "--as-of", "2023-11-08"]) == 2  # one case's dates only


@pytest.mark.parametrize("module", ["forecast_2018", "forecast_2021", "forecast_2023", "forecast_autopsy"])
@pytest.mark.parametrize("bad", [["--until", "nonsense"], ["--as-of", "2018-02-30"]])
def test_a_bad_date_is_one_line_and_exit_2_not_a_traceback(benchmarks, capsys, module, bad):
    with pytest.raises(SystemExit) as e:
        benchmarks(module).main([*bad, "--particles", "4"])
    assert e.value.code == 2 and f"not a date (YYYY-MM-DD): '{bad[1]}'" in capsys.readouterr().err


@pytest.mark.parametrize("module", ["forecast_2018", "forecast_2021"])
def test_the_benchmarks_refuse_the_move_with_later_passes_before_running(benchmarks, capsys, module):
    """Their move is on by default: --passes 2 alone is refused in one line, with --resimulate 0 taken."""
    with pytest.raises(SystemExit) as e:
        benchmarks(module).main(["--passes", "2", "--particles", "4"])
    assert e.value.code == 2 and "--resimulate: not with --passes above 1" in capsys.readouterr().err


@pytest.mark.parametrize("module, argv, day", [
    ("forecast_2018", ["--until", "2018-10-01"], "2018-10-20"),
    ("forecast_2021", ["--as-of", "2021-11-02", "--until", "2021-11-02"], "2021-11-02"),  # no day to forecast
    ("forecast_2023", ["--until", "2023-10-01"], "2023-11-01"),
    ("forecast_autopsy", ["--case", "2021", "--until", "2021-10-01"], "2021-11-02")])
def test_a_window_that_ends_by_the_as_of_date_is_refused_before_any_run(benchmarks, capsys, module, argv, day):
    assert benchmarks(module).main([*argv, "--particles", "4"]) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err.startswith("error: ") and f"is not after the as-of date {day}" in out.err


@pytest.mark.parametrize("case", ["2018", "2021", "2023"])
def test_the_autopsy_runs_each_case_with_its_benchmarks_own_filter_settings(benchmarks, monkeypatch, case):
    """forecast_autopsy.py passes caravan=<case> to forecast_2018.arguments: the case's leave-out settings
    (its own reports kept out), as its benchmark; without it, the package's and --filter-settings refused."""
    autopsy, forecast_2018 = benchmarks("forecast_autopsy"), benchmarks("forecast_2018")
    seen = []

    class Ran(Exception):
        pass

    def forecast(scenario, reports, as_of, until, args, *rest, **options):
        seen.append((args.filter_settings, args.filter["sources"][0]))
        raise Ran  # (the settings are what this test is about: no need to run the forecast)

    monkeypatch.setattr(forecast_2018, "forecast", forecast)
    for chosen, source in (([], f"leave-out ({case} left out)"),
                           (["--filter-settings", "today"], "today: the package's defaults")):
        with pytest.raises(Ran):
            autopsy.main(["--case", case, "--particles", "4", *chosen])
        assert seen[-1][0] == (chosen[1] if chosen else "leave-out") and seen[-1][1].startswith(source)


def _pairs_output(path, forecasts):
    """A forecast benchmark's output with one block per (as of, hits, reports, ancestors)."""
    lines = []
    for as_of, hits, reports, ancestors in forecasts:
        lines += [f"as of {as_of}, filter: state+parameters (2 reports used, {reports} held back)",
                  f"  posterior: {hits}/{reports} in P5-P95 (  0%); days: width 1.0, score 5.00 (1); counts: width  10%, "
                  "score  1.00 (1)",
                  f"      prior: 1/{reports} in P5-P95 (  0%); days: width 1.0, score 6.00 (1); counts: width  10%, "
                  "score  2.00 (1)",
                  f"  ESS at the as-of date 5.0 of 8; posterior descends from {ancestors} members by weight (50%)"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_forecast_pairs_prints_pooled_coverage_and_refuses_outputs_that_do_not_pair(benchmarks, tmp_path, capsys):
    pairs = benchmarks("forecast_pairs")
    _pairs_output(tmp_path / "a.txt", [("2018-10-20", 3, 3, 4.0), ("2018-10-24", 6, 24, 5.0)])
    _pairs_output(tmp_path / "b.txt", [("2018-10-20", 0, 3, 4.0), ("2018-10-24", 24, 24, 5.0)])
    one = ["--caravans", "2018", "--seeds", "1"]
    assert pairs.main([str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), *one]) == 0
    out = capsys.readouterr().out
    # a: the mean of 100 % and 25 % is 62.5 %, pooled 9/27 = 33.3 %; b: mean 50 %, pooled 24/27 = 88.9 %.
    assert "a: mean coverage 62.50 % over 2 forecasts, pooled 9/27 = 33.3 %" in out
    assert "b: mean coverage 50.00 % over 2 forecasts, pooled 24/27 = 88.9 %" in out
    _pairs_output(tmp_path / "c.txt", [("2018-10-20", 3, 3, 4.0), ("2018-10-27", 6, 24, 5.0)])  # another date
    _pairs_output(tmp_path / "d.txt", [("2018-10-20", 3, 3, 4.0)])  # an aborted run
    for b, says in (("c.txt", "do not pair with"), ("d.txt", "do not pair with"), ("missing.txt", "cannot read it")):
        assert pairs.main([str(tmp_path / "a.txt"), str(tmp_path / b), *one]) == 2
        out = capsys.readouterr()
        assert out.out == "" and out.err.startswith(f"error: {tmp_path / b}: ") and says in out.err


def test_forecast_pairs_reads_the_histories_of_the_move_by_resimulation_and_else_takes_the_members(
        benchmarks, tmp_path, capsys):
    pairs = benchmarks("forecast_pairs")
    _pairs_output(tmp_path / "a.txt", [("2018-10-24", 6, 12, 4.0)])
    _pairs_output(tmp_path / "b.txt", [("2018-10-24", 6, 12, 3.0)])
    with open(tmp_path / "b.txt", "a", encoding="utf-8") as f:  # as forecast_2018.py --resimulate prints it
        f.write("  histories: posterior carries 31.5 distinct histories by weight (16%); distinct, any weight: 40\n")
    assert pairs.main([str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--caravans", "2018", "--seeds", "1"]) == 0
    out = capsys.readouterr().out
    assert "   4.0/   4.0" in out and "   3.0/  31.5" in out  # a without the move: its histories are its members
    assert "members by weight -1.0, histories by weight +27.5" in out


def test_forecast_pairs_spread_gives_the_met_share_and_each_reports_outcome_per_seed(benchmarks, tmp_path, capsys):
    """--spread (session 19, s19seeds): one set over many seeds, each seed's file found among the patterns."""
    pairs = benchmarks("forecast_pairs")
    old, new = tmp_path / "old-{caravan}-seed{seed}.txt", tmp_path / "new-{caravan}-seed{seed}.txt"
    _pairs_output(tmp_path / "old-2023-seed1.txt", [("2023-11-05", 5, 5, 4.0)])  # met: 100 %, both scores lower
    _pairs_output(tmp_path / "new-2023-seed4.txt", [("2023-11-05", 3, 5, 4.0)])  # 60 %: not met
    rows = ["    posterior row 11 2023-11-17                        caravan_size  reported 3,000               "
            " P5/P50/P95 744 / 1,813 / 2,776          MISS score 2.17",
            "    posterior row  9 2023-11-15 San Pedro Tapanatepec  arrived       reported Nov 15              "
            " P5/P50/P95 Nov 16 / Nov 19 / Nov 21     MISS score 9.00",
            "        prior row 12 2023-11-18                        caravan_size  reported 2,300 [2,000-2,300] "
            " P5/P50/P95 669 / 1,734 / 2,668          hit  score 0.87",
            "    posterior row 10 2023-11-17 Arriaga                departed      reported Nov 17              "
            " P5/P50/P95 Nov 06 / Nov 16 / Dec 02     hit  score 26.00 open: P95 past the end, counted as a miss"]
    with open(tmp_path / "new-2023-seed4.txt", "a", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    assert pairs.main(["--spread", str(old), str(new), "--caravans", "2023", "--seeds", "1", "4", "--rows"]) == 0
    out = capsys.readouterr().out
    assert "2023 as of 2023-11-05: met on 1/2 seeds (m.); failed: coverage < 80 % on 1" in out
    assert "coverage %        80.00, sd  28.28 [60.00-100.00]" in out
    assert "counts post-pri   -1.00, sd   0.00" in out
    # the size's band is below the report (L), the arrival's after the reported day (H), the range is hit (+)
    # seed 1's output has no rows (?); on seed 4 the size's band is below the report (L), the arrival's after the
    # reported day (H), the range is hit (+), the departure's P95 past the window's end (O: a miss, as in coverage)
    assert "row 11 2023-11-17" in out and " 3,000                ?L hits 0/1, score 2.17" in out
    assert "row  9 2023-11-15 San Pedro Tapanatepec  arrived       Nov 15               ?H hits 0/1" in out
    assert "2,300 [2,000-2,300]  ?+ hits 1/1" in out
    assert "row 10 2023-11-17 Arriaga                departed      Nov 17               ?O hits 0/1" in out  # open
    assert "2023 per seed: 1: met 1/1, pooled 5/5, 4: met 0/1, pooled 3/5" in out
    _pairs_output(tmp_path / "new-2023-seed5.txt", [("2023-11-08", 3, 5, 4.0)])  # another as-of date
    _pairs_output(tmp_path / "old-2023-seed4.txt", [("2023-11-05", 3, 5, 4.0)])  # seed 4 in both: which one?
    for argv, says in ((["--seeds", "1", "4"], "more than one"), (["--seeds", "7"], "none exists"),
                       (["--seeds", "1", "5"], "do not pair with seed 1's 2023-11-05")):
        assert pairs.main(["--spread", str(old), str(new), "--caravans", "2023", *argv]) == 2
        out = capsys.readouterr()
        assert out.out == "" and out.err.startswith("error: ") and says in out.err and out.err.count("\n") == 1


def test_forecast_autopsy_says_where_the_main_body_spent_a_missed_night(benchmarks):
    """Session 15 (s15oct20): the body is the place with the most people resting; the weight whose body is at
    the place that night, and the weighted P5 / P50 / P95 of its first night there (never: not there)."""
    autopsy = benchmarks("forecast_autopsy")
    statuses = ("resting", "travelling")
    counts = np.zeros((3, 4, 2, 2), dtype=np.int64)  # members, days, places (A, B), statuses
    counts[:, :, 0, 0] = 100  # everyone rests at A ...
    counts[0, 2:, 1, 0] = 300  # ... member 0's body reaches B on day 2, member 1's on day 3, member 2's never
    counts[1, 3:, 1, 0] = 300
    counts[2, :, 1, 1] = 500  # travelling at B is not resting there
    bodies = autopsy.body_places(counts, statuses)
    assert bodies.tolist() == [[0, 0, 1, 1], [0, 0, 0, 1], [0, 0, 0, 0]]
    start = dt.date(2018, 10, 20)
    said = autopsy.where_the_body_was(bodies, np.array([0.5, 0.25, 0.25]), 1, 2, start)
    assert said.startswith("body there that night: 50% of the weight") and "Oct 22 / Oct 22 / never" in said
    said = autopsy.where_the_body_was(bodies, np.array([0.1, 0.1, 0.8]), 1, 3, start)
    assert said.startswith("body there that night: 20% of the weight") and said.endswith("Oct 22 / never / never")


def test_forecast_speed_where_times_the_moves_rounds_per_worker(benchmarks):
    """``forecast_speed.py --where`` (``move_where.py``): each instruction to the move's workers is a round
    with every worker's busy seconds; a trial runs from ``hold`` to ``take``; a worker's wait for the busiest
    is its imbalance; the runs come back as they would without it."""
    from caravana import load_scenario
    from caravana.forecast import default_factors
    from caravana.forecast.filter import _Member
    from caravana.forecast.shards import Workers

    move_where = benchmarks("move_where")
    corridor = load_scenario("corridor")
    factors = tuple(default_factors(corridor))
    values = np.array([[f.low for f in factors]] * 3)
    recipes = [_Member(corridor, factors, v, 100 + i, 10) for i, v in enumerate(values)]
    where = move_where.Where()
    with Workers(2) as workers, where.installed():
        held = workers.hold(recipes, lambda _days: None, [np.random.default_rng(i) for i in range(3)])
        held.step(3)
        back = held.take([2, 0])
    assert [sim.day for sim in back] == [4, 4]
    assert [r["op"] for r in where.rounds] == ["build", "step", "take"]
    assert all(len(r["busy"]) == 2 and r["busy"][0][0] > 0 for r in where.rounds[:2])
    assert len(where.trials) == 1 and where.trials[0]["runs"] == 3 and where.trials[0]["returned"] == 2
    # two workers busy 1 s and 3 s on a round: the first waited 2 s for the second
    sums = move_where.Where._sums([{"start": 0.0, "end": 3.5, "busy": [(1.0, 0.9), (3.0, 2.8)], "send_s": 0.1,
                                    "recv_s": 0.1, "sent": 10, "received": 20}])
    assert (sums["busy"], sums["imbalance"], sums["overhead"]) == (3.0, 2.0, 0.5)
    assert abs(sums["imbalance_cpu"] - 1.9) < 1e-12
    assert any("imbalance" in line for line in where.report(5.0, 2))


def test_forecast_lineage_scaling_gives_the_share_of_n_per_particle_count(benchmarks, tmp_path, capsys):
    """Session 24 (s24lineage): members by weight as a share of N, per as-of date and N, from forecast_2018.py
    outputs; Kish's effective members, the run's time and peak memory read from the same output."""
    scaling = benchmarks("forecast_lineage_scaling")
    for n, members in ((100, 10.0), (200, 40.0)):
        path = tmp_path / f"seed16-p{n}.txt"
        _pairs_output(path, [("2018-10-24", 9, 10, members)])
        text = path.read_text(encoding="utf-8").replace(
            "members by weight (50%)", f"members by weight (x%); distinct, any weight: 3; effective (Kish): {n / 50:.1f}")
        path.write_text(text + "  time: 9,600 particle-days; CPU 39.3 s here + 0.7 s in workers; wall 46.2 s\n"
                        "peak memory 1.83 GiB; plot: none\n", encoding="utf-8")
    assert scaling.main([str(tmp_path / "seed{seed}-p{particles}.txt"), "--seeds", "16", "--particles", "100",
                         "200"]) == 0
    out = capsys.readouterr().out
    # 10 of 100 is 10 %, 40 of 200 is 20 %; the posterior's scores (5.00, 1.00) are under the prior's: met at 90 %.
    assert "2018-10-24   100   16     10.0  10.0%    2.0      10.0  yes    9/10      40.0    46.2     1.83" in out
    assert "2018-10-24   200     1     40.0  20.0%  20.0%-20.0%    4.0   2.0%      40.0  1/1     40.0" in out
    assert scaling.main([str(tmp_path / "seed{seed}-p{particles}.txt"), "--seeds", "17", "--particles", "100"]) == 2
    assert "seed17-p100.txt: cannot read it" in capsys.readouterr().err


def test_forecast_lineage_scaling_reads_the_autopsys_members_per_report_date(benchmarks, tmp_path, capsys):
    scaling = benchmarks("forecast_lineage_scaling")
    _pairs_output(tmp_path / "seed16-p100.txt", [("2018-10-24", 9, 10, 2.0)])
    (tmp_path / "autopsy-p100.txt").write_text(  # as forecast_autopsy.py prints its part 1
        "  2018-10-19: before its reports 80.0 members by weight, 50.0 effective (Kish), ESS 100.0\n"
        "   row 10 2018-10-19 Tecun Uman       present       4,500         position move   -14.64 ...\n"
        "   -> after 2018-10-19: 20.0 members by weight, 6.7 effective (ESS 15.0), resampled; drops it most alone: "
        "row 10\n", encoding="utf-8")
    assert scaling.main([str(tmp_path / "seed{seed}-p{particles}.txt"), "--seeds", "16", "--particles", "100",
                         "--autopsy", str(tmp_path / "autopsy-p{particles}.txt")]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert ["2018-10-19", "20.0", "20.0%", "6.7", "0.25"] in rows  # 20 of 80 members left: a cut of 0.25
    (tmp_path / "autopsy-p100.txt").write_text("no such lines\n", encoding="utf-8")
    assert scaling.main([str(tmp_path / "seed{seed}-p{particles}.txt"), "--seeds", "16", "--particles", "100",
                         "--autopsy", str(tmp_path / "autopsy-p{particles}.txt")]) == 2
    assert "not a forecast_autopsy.py output?" in capsys.readouterr().err
