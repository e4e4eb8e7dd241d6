"""How far the held-back benchmarks' forecasts run (``forecast_2018.py``, ``forecast_2021.py``,
``forecast_2023.py`` and ``forecast_autopsy.py``): to the last day of the scenario's period, from
every as-of date, unless ``--until`` says otherwise (session 13's rule, written before scoring:
``benchmarks/results/forecast_horizon-2026-11-27-session13-s13horizon-rule.txt``).

Why: a held-back day report inside a band whose P95 is "not there by the end" counts as a miss
(``check.open_ended``), and that end was the benchmark's cut-off, three days after the last scored
report, not the model's. The scenario's last day is the longest window ``caravana forecast`` allows
and is a setting of the scenario, so it uses nothing held back (not the held-back reports' places
or dates); a band still open there says that over 5 % of the members never get there in the whole
period the scenario was written for. Prior and posterior are the same run's ensembles: one window.
"""

from __future__ import annotations

import argparse
import datetime as dt


def last_day(scenario) -> dt.date:
    """The last day of ``scenario``'s period: where the benchmarks' forecasts end by default."""
    return scenario.period.start + dt.timedelta(days=scenario.period.days - 1)


class WindowError(ValueError):
    """A window that ends on or before an as-of date: the user's mistake, said in one line."""


def iso_day(text: str) -> str:
    """``--as-of`` / ``--until``'s type: a real ISO date (``2018-10-24``), kept as its text; else argparse's
    one-line error (exit 2), not a traceback."""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
    return text


def window_end(scenario, until: str | None, as_of: list[str] | tuple[str, ...] = ()) -> dt.date:
    """The forecast's last day: ``until`` (``--until``, ISO) if given, else the scenario's last day;
    ``WindowError`` if it is not after every ``as_of`` date (a forecast of at least one day)."""
    end = dt.date.fromisoformat(until) if until else last_day(scenario)
    late = [day for day in as_of if dt.date.fromisoformat(day) >= end]
    if late:
        given = f"--until {until}" if until else f"the scenario's last day {end}"
        raise WindowError(f"{given} is not after the as-of date {late[0]}: a forecast needs at least one day")
    return end

