"""benchmarks/pace_prior.py: a caravan's pace range comes from the OTHER caravans' rows only."""

from __future__ import annotations

import dataclasses
import importlib
import re
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def pace_prior(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    return importlib.import_module("pace_prior")


def caravans(module) -> list[str]:
    return sorted({leg.caravan for leg in module.LEGS})


def test_the_left_out_caravans_rows_are_never_read(pace_prior):
    """Replacing every row of the left-out caravan by rows that would break any computation
    (no route between the places) leaves its range as it was; changing another caravan's later
    leg moves it (so the range does read the others)."""
    for left_out in caravans(pace_prior):
        kept = pace_prior.ratio_range(left_out)
        poisoned = tuple(dataclasses.replace(leg, start="Nowhere", end="Elsewhere") if leg.caravan == left_out else leg
                         for leg in pace_prior.LEGS)
        assert pace_prior.ratio_range(left_out, poisoned) == kept
        other = next(c for c in caravans(pace_prior) if c != left_out)
        slower = tuple(dataclasses.replace(leg, rests=leg.rests + 2)
                       if leg.caravan == other and leg.kind == "later" else leg for leg in pace_prior.LEGS)
        assert pace_prior.ratio_range(left_out, slower) != kept
    with pytest.raises(ValueError, match="no road"):  # the poison would have been read
        pace_prior.road_km("Nowhere", "Elsewhere")


def test_the_range_is_the_others_ratios_widened_by_the_default_scatter(pace_prior):
    ratios = pace_prior.ratios()
    for left_out in ratios:
        others = [r for c, r in ratios.items() if c != left_out]
        assert pace_prior.ratio_range(left_out) == pytest.approx((0.8 * min(others), 1.25 * max(others)))


def test_the_2018_rows_end_by_the_blind_test_line(pace_prior):
    import datetime as dt

    assert all(leg.arrived <= dt.date(2018, 10, 31) for leg in pace_prior.LEGS if leg.caravan == "october-2018")


def test_a_later_legs_rests_come_from_the_other_caravans_rows_only(pace_prior):
    """The later leg's rest_after_km (forecast_2021.py) is the mean road km the OTHER caravans walked
    between rest days after their first days: the left-out caravan's rows are never read."""
    for left_out in sorted({r.caravan for r in pace_prior.LATER_RESTS}):
        kept = pace_prior.later_rest_km(left_out)
        others = [pace_prior.road_km(r.start, r.end) for r in pace_prior.LATER_RESTS if r.caravan != left_out]
        assert kept == pytest.approx(sum(others) / len(others))
        poisoned = tuple(dataclasses.replace(r, start="Nowhere") if r.caravan == left_out else r
                         for r in pace_prior.LATER_RESTS)
        assert pace_prior.later_rest_km(left_out, poisoned) == kept
    with pytest.raises(ValueError, match="no caravan but"):
        pace_prior.later_rest_km("october-2021", tuple(r for r in pace_prior.LATER_RESTS if r.caravan == "october-2021"))


@pytest.mark.parametrize(("module", "caravan", "rest"), [("forecast_2021", "october-2021", 197),
                                                        ("forecast_2023", "october-2023", 146)])
def test_the_benchmarks_draw_their_later_leg_from_the_others(pace_prior, module, caravan, rest):
    """forecast_2021.py's (session 14) and forecast_2023.py's (session 15) later leg, from Huixtla where the first
    days end: the first days' 14 km, its rests and its pace factor the leave-one-out figures."""
    bench = importlib.import_module(module)
    leg = next(s for s in bench.SETTINGS if s.startswith("corridor.caravans[0].pace="))
    assert leg == f"corridor.caravans[0].pace=[{{from: Huixtla, km: 14, rest_after_km: {rest}}}]"
    assert round(pace_prior.later_rest_km(caravan)) == rest and pace_prior.first_days_pace(caravan) == 14
    low, high = pace_prior.ratio_range(caravan)
    assert bench.VARY_ALSO == (f"corridor.caravans[0].pace[0].km={low:.2f}:{high:.2f}",)


def test_a_later_leg_reads_only_the_first_days_of_its_own_caravan(pace_prior):
    """later_leg: the caravan's own later rows (its later pace, its later rests) are never read; its first
    row gives where the leg starts and the first days' pace, and a change there changes the leg."""
    for caravan in ("october-2021", "october-2023"):
        kept = pace_prior.later_leg(caravan)
        legs = tuple(dataclasses.replace(leg, end="Nowhere") if (leg.caravan, leg.kind) == (caravan, "later") else leg
                     for leg in pace_prior.LEGS)
        rests = tuple(dataclasses.replace(r, start="Nowhere") if r.caravan == caravan else r
                      for r in pace_prior.LATER_RESTS)
        assert pace_prior.later_leg(caravan, legs, rests) == kept
        later_start = tuple(dataclasses.replace(leg, end="Mapastepec") if (leg.caravan, leg.kind) == (caravan, "first")
                            else leg for leg in pace_prior.LEGS)
        assert "from: Mapastepec" in pace_prior.later_leg(caravan, later_start)[0]


def test_the_2018_rest_rows_end_by_the_blind_test_line(pace_prior):
    import datetime as dt

    for r in pace_prior.LATER_RESTS:
        if r.caravan == "october-2018":
            dates = [dt.date.fromisoformat(d) for d in re.findall(r"20\d\d-\d\d-\d\d", r.source)]
            assert dates and max(dates) <= dt.date(2018, 10, 31)


def test_pace_trace_reads_legs_and_rests_off_a_body_track(pace_prior):
    """benchmarks/pace_trace.py: a body at 0 km on days 0-1, walking 20 km a day to 40 (day 3), a whole day there
    (day 4), then 20 a day: the first leg leaves on day 2 and arrives on day 3 in 2 travel days; the second leaves
    on day 5; a place never reached gives -1."""
    trace = importlib.import_module("pace_trace")
    track = np.array([0, 0, 20, 40, 40, 60, 80], dtype=float)
    assert trace.legs(track, np.array([0.0, 40.0, 80.0, 200.0])) == [(2, 3, 2), (5, 6, 2), (-1, -1, -1)]


def test_a_stays_range_comes_from_the_other_caravans_stays_that_ended_in_a_departure(pace_prior):
    """stay_range (session 16, s16stay: printed, no forecast uses it): the left-out caravan's stays are never read
    (poisoned to absurd lengths, the range is unchanged), a stay with no departure in the rows (a lower bound) is
    never used, and another caravan's stay moves it."""
    for left_out in sorted({s.caravan for s in pace_prior.STAYS}):
        kept = pace_prior.stay_range(left_out, "talks")
        poisoned = tuple(dataclasses.replace(s, days=1000) if s.caravan == left_out or not s.left else s
                         for s in pace_prior.STAYS)
        assert pace_prior.stay_range(left_out, "talks", poisoned) == kept
        days = [s.days for s in pace_prior.STAYS if s.caravan != left_out and s.kind == "talks" and s.left]
        assert kept == pytest.approx((0.8 * min(days), 1.25 * max(days)))
    # the October 2023 caravan's stay for talks at Huixtla (8 days) is beyond what the others give (session 16)
    assert pace_prior.stay_range("october-2023", "talks")[1] < 8
    with pytest.raises(ValueError, match="no caravan but"):
        pace_prior.stay_range("october-2023", "talks", tuple(s for s in pace_prior.STAYS if s.caravan == "october-2023"))


def test_the_2018_stays_are_read_to_the_blind_test_line(pace_prior):
    """The October 2018 caravan's stay at Juchitan has no departure: it left after Oct 31, 2018 (not read)."""
    juchitan = next(s for s in pace_prior.STAYS if s.caravan == "october-2018" and s.place == "Juchitan")
    assert not juchitan.left and "blind-test line" in juchitan.source
