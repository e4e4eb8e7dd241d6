"""What a forecast as of a day is given of a caravan's reports: the rows *published* by that
day (``Observations.as_published``: a row's ``reported`` date, else its day), plus the rows about
later days, which it holds back and is scored on. A row about a day up to the as-of date
published after it (a report about Oct 19 that came out on Oct 22) is neither assimilated nor
scored: the targets ask how well the forecast foresees what happens *after* the as-of date,
and on days up to it the bands are the filter's account of the past, not a forecast. Such rows
are counted and listed.

Used by ``forecast_2018.py --known`` (``known_fitted.py``) and, always, by ``forecast_2021.py``
and ``forecast_2023.py`` (``as_published``), whose priors are already the scenario as known.
"""

from __future__ import annotations

import datetime as dt

from caravana.observations import Observations


def print_reports(reports: Observations, as_of: dt.date) -> None:
    given, late = reports.as_published(as_of)
    used, held = given.split(as_of)
    print(f"reports as of {as_of:%b %d}: {len(used)} published by then (assimilated); {len(held)} about later days "
          f"(held back, scored); {len(late)} about days up to {as_of:%b %d} published later (neither):")
    print_late(late)


def print_late(late: Observations) -> None:
    for r in late.rows:
        print(f"    {r.date:%b %d} {r.quantity} {r.place or '(all)'}: reported {r.known_on:%b %d}")


def as_published(scenario, as_of: dt.date, reports: Observations):
    """A ``prior(scenario, as_of, reports)`` for ``forecast_2018.main_for``: the scenario as it
    is (already as known), its default factors, and the reports published by ``as_of``."""
    print_reports(reports, as_of)
    return scenario, None, reports.as_published(as_of)[0]
