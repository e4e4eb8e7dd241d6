"""How far the held-back benchmarks' forecasts run (``forecast_2018.py``, ``forecast_2021.py``,
``forecast_2023.py`` and ``forecast_autopsy.py``): from each as-of date, N days on, N the longest
duration among the OTHER caravans of ``caravans_other.csv`` whose start and end are recorded (session 14's
rule, written before scoring: ``benchmarks/results/forecast_2018_2021_2023-2026-11-27-session14-s14est-rule.txt``),
unless ``--until`` says otherwise.

Why: a held-back day report inside a band whose P95 is "not there by the end" counts as a miss
(``check.open_ended``), so the window's end decides what is open. Session 13 ran every forecast to the
scenario's last day, but 2021's period was written with hindsight and 2023's committed with its reports:
an author who knew when the caravan ended chose it. Here nothing of the scored caravan sets the window:
not its reports, not its scenario's period, not its own row of the file (a row starting within
``JOIN_DAYS`` of one of the scenario's caravans is that caravan, left out). For exchangeable durations a
new caravan outlasts the longest of n others with probability 1/(n+1) (a distribution-free prediction
bound); counted from the as-of date rather than the start, the window is longer still. ``before`` (the
benchmarks' ``--filter-settings earlier``) keeps only the caravans that ended before the as-of date.
Where the window passes the scenario's last day its period is lengthened (``with_period``): a day's
simulation does not depend on the days after it. Prior and posterior are the same run's: one window.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from caravana.cli.common import parse_settings
from caravana.forecast.outflows import JOIN_DAYS
from caravana.scenario.overrides import apply_overrides
from caravana.scenario.records import RECORDS, read_records


class WindowError(ValueError):
    """A window that ends on or before an as-of date, or with no caravan to measure it on: said in one line."""


@dataclass(frozen=True)
class Window:
    days: int  # N: the forecast runs to as-of + N days
    source: str  # which caravan's duration, of how many


def iso_day(text: str) -> str:
    """``--as-of`` / ``--until``'s type: a real ISO date (``2018-10-24``), kept as its text; else argparse's
    one-line error (exit 2), not a traceback."""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
    return text


def own_starts(scenario) -> set[dt.date]:
    """The days ``scenario``'s caravans set out: a record starting within ``JOIN_DAYS`` of one is one of them."""
    if scenario.corridor is None:
        return set()
    return {scenario.date_of(c.start_day) for c in scenario.corridor.caravans}


def other_durations(scenario, before: dt.date | None = None, records: Path = RECORDS) -> list[tuple[str, int]]:
    """(name, days from start to end) of each recorded caravan but ``scenario``'s own, with both dates;
    ``before``: only those that ended before it."""
    own = own_starts(scenario)
    return [(r.name, r.duration_days) for r in read_records(records)
            if r.duration_days is not None and all(abs((r.start - day).days) > JOIN_DAYS for day in own)
            and (before is None or r.end < before)]


def window_days(scenario, before: dt.date | None = None, records: Path = RECORDS) -> Window:
    """N, the longest duration among the other caravans (``other_durations``)."""
    durations = other_durations(scenario, before, records)
    if not durations:
        raise WindowError(f"no other caravan with a start and an end in {records.name}"
                          f"{f' that ended before {before}' if before else ''}: give --until")
    name, days = max(durations, key=lambda d: (d[1], d[0]))
    return Window(days, f"as-of + {days} days: the longest of {len(durations)} other caravans "
                        f"({name}; caravans_other.csv{', ended before the as-of date' if before else ''})")


def window_end(scenario, until: str | None, as_of: str, earlier: bool = False, records: Path = RECORDS) -> dt.date:
    """One forecast's last day: ``until`` (``--until``, ISO) if given, else ``as_of`` + ``window_days``
    (``earlier``: of the caravans ended before ``as_of``); ``WindowError`` if it is not after ``as_of``."""
    day = dt.date.fromisoformat(as_of)
    end = (dt.date.fromisoformat(until) if until
           else day + dt.timedelta(days=window_days(scenario, day if earlier else None, records).days))
    if end <= day:
        raise WindowError(f"--until {until} is not after the as-of date {as_of}: a forecast needs at least one day")
    return end


def window_ends(scenario, until: str | None, as_of: list[str] | tuple[str, ...], earlier: bool = False,
                records: Path = RECORDS) -> dict[str, dt.date]:
    """``window_end`` of each as-of date."""
    return {text: window_end(scenario, until, text, earlier, records) for text in as_of}


def with_period(scenario, end: dt.date):
    """``scenario`` with its period lengthened to reach ``end`` (as ``--set period.days=``), if it is shorter."""
    days = (end - scenario.period.start).days + 1
    return apply_overrides(scenario, parse_settings([f"period.days={days}"])) if days > scenario.period.days else scenario
