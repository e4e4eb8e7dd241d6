"""Forecast the October 2021 caravan (Tapachula, Oct 23) from its first days and score
each forecast on the later reports, up to Nov 16.

    python benchmarks/forecast_2021.py [--as-of 2021-10-27 2021-11-02 2021-11-07]
        [--particles 200] [--seed 1] [--workers 1] [--until 2021-11-19]
        [--weights-only-too] [--stage-sd 0.35] [--plot docs/img/forecast_2021-11-02.png] [--show]

The same figures as ``benchmarks/forecast_2018.py`` (coverage of the held-back
reports by the P5-P95 intervals, interval scores against the unweighted ensemble,
ESS, distinct ancestors, CPU and wall time), for the illustrative ``corridor/2021.yml``
scenario and ``observations_2021.csv`` (15 dated reports with sources, Oct 23 - Nov
16, 2021). The scenario's settings are estimates set before these reports were
gathered (its file says which), so the prior is not fitted to them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from forecast_2018 import main_for

from caravana.scenario.load import BUILTIN_DIR

AS_OF = ("2021-10-27", "2021-11-02", "2021-11-07")
LAST_REPORT = dt.date(2021, 11, 16)
SCENARIO = BUILTIN_DIR / "corridor" / "2021.yml"
OBSERVATIONS = BUILTIN_DIR / "corridor" / "observations_2021.csv"
DEFAULT_PLOT = Path(__file__).resolve().parent.parent / "docs" / "img" / "forecast_2021-11-02.png"


def main(argv=None) -> int:
    return main_for(__doc__, SCENARIO, OBSERVATIONS, LAST_REPORT, AS_OF, "2021-11-19", DEFAULT_PLOT, argv)


if __name__ == "__main__":
    raise SystemExit(main())
