"""benchmarks/pace_prior.py: a caravan's pace range comes from the OTHER caravans' rows only."""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path

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
