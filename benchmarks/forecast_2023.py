"""Forecast the October 2023 caravan (Tapachula, Oct 30) from its first days and score
each forecast on the later reports, up to Nov 18: a third caravan, independent of the
2018 and 2021 ones the forecast was developed on.

    python benchmarks/forecast_2023.py [--as-of 2023-11-01 2023-11-05 2023-11-08]
        [--particles 200] [--seed 1] [--workers 1] [--until 2023-11-21]
        [--weights-only-too] [--stage-sd 0.35] [--plot docs/img/forecast_2023-11-05.png] [--show]

The same figures as ``benchmarks/forecast_2018.py`` (coverage of the held-back
reports by the P5-P95 intervals, interval scores against the unweighted ensemble,
ESS, distinct ancestors, CPU and wall time), for ``corridor/2023.yml`` and
``observations_2023.csv`` (11 dated reports with sources, Oct 30 - Nov 18, 2023).
The scenario's settings come from the caravan's first two days (Oct 30 - Nov 1),
other caravans or estimates, committed with the reports and not changed after the
first score, so the prior is not fitted to the reports it is scored on. Every as-of date is on or after
Nov 1, the day the stop at Huixtla the scenario holds was announced.

From the as-of date Nov 5 on, the prior also has people joining at Huixtla during the stay (``prior``;
``--as-written`` leaves it out): "the contingent there keeps receiving more migrants, who arrive in small
groups", and a new caravan called from Tapachula for Sunday to join it (Cuarto Poder, Saturday Nov 4, 2023);
"a caravan of at least hundreds of migrants left ... Tapachula on Sunday ... to join a larger one ... stopped
... in Huixtla" (Reuters, Nov 5). est: 100 a day, Nov 4-9 (session 12, by a rule written before scoring:
``benchmarks/results/forecast_2021_2023-2026-11-27-session12-s12other-rule.txt``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from forecast_2018 import main_for, with_settings

from caravana.scenario.load import BUILTIN_DIR

AS_OF = ("2023-11-01", "2023-11-05", "2023-11-08")
LAST_REPORT = dt.date(2023, 11, 18)
SCENARIO = BUILTIN_DIR / "corridor" / "2023.yml"
OBSERVATIONS = BUILTIN_DIR / "corridor" / "observations_2023.csv"
DEFAULT_PLOT = Path(__file__).resolve().parent.parent / "docs" / "img" / "forecast_2023-11-05.png"
JOINERS_FROM = dt.date(2023, 11, 5)  # the first as-of date after the reports of Nov 4-5 (module doc)
JOINING = "corridor.caravans[0].joiners=[{place: Huixtla, per_day: 100, start: 5, end: 11, by_date: true}]"


def prior(scenario, as_of: dt.date):
    """The prior as of ``as_of`` (and the default factors): from Nov 5 on, with the joiners at Huixtla."""
    if as_of < JOINERS_FROM:
        return scenario, None
    print(f"\nprior as of {as_of}: {JOINING} (Cuarto Poder 2023-11-04, Reuters 2023-11-05)")
    return with_settings(scenario, [JOINING]), None


def main(argv=None) -> int:
    return main_for(__doc__, SCENARIO, OBSERVATIONS, LAST_REPORT, AS_OF, "2023-11-21", DEFAULT_PLOT, argv, own_prior=prior)


if __name__ == "__main__":
    raise SystemExit(main())
