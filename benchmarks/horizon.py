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

import datetime as dt


def last_day(scenario) -> dt.date:
    """The last day of ``scenario``'s period: where the benchmarks' forecasts end by default."""
    return scenario.period.start + dt.timedelta(days=scenario.period.days - 1)


def window_end(scenario, until: str | None) -> dt.date:
    """The forecast's last day: ``until`` (``--until``, ISO) if given, else the scenario's last day."""
    return dt.date.fromisoformat(until) if until else last_day(scenario)

