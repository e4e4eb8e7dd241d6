"""Forecast the October 2023 caravan (Tapachula, Oct 30) from its first days and score
each forecast on the later reports, up to Nov 18: a third caravan, independent of the
2018 and 2021 ones the forecast was developed on.

    python benchmarks/forecast_2023.py [--as-of 2023-11-01 2023-11-05 2023-11-08]
        [--particles 200] [--seed 1] [--workers 1] [--until 2023-11-28]
        [--weights-only-too] [--stage-sd 0.35] [--plot docs/img/forecast_2023-11-05.png] [--show]

The same figures as ``benchmarks/forecast_2018.py`` (coverage of the held-back
reports by the P5-P95 intervals, interval scores against the unweighted ensemble,
ESS, distinct ancestors, CPU and wall time), for ``corridor/2023.yml`` and
``observations_2023.csv`` (11 dated reports with sources, Oct 30 - Nov 18, 2023).
The scenario's settings come from the caravan's first two days (Oct 30 - Nov 1),
other caravans or estimates, committed with the reports. One was added after the first score,
in session 10, by a score rule on these reports (rest days after 190 km from Mapastepec on);
session 13 removed it (the mechanism's default: no pace leg), so the prior is not fitted to the
reports it is scored on: ``provenance_2023.csv`` gives every setting's source and date, checked
against Nov 1 by ``tests/test_provenance_2021_2023.py``. Every as-of date is on or after
Nov 1, the day the stop at Huixtla the scenario holds was announced. Each forecast is given only
the reports published by its as-of date (the file's ``reported`` column; ``published.py``): La
Jornada's count of Nov 1 came out on Nov 2, Reuters' of Nov 5 on Nov 6; a row about a day up to
the as-of date published later is neither assimilated nor scored.

The later leg (session 15, s15pace23: session 14's rule for the 2021 caravan applied to this one,
``pace_prior.later_leg``, the rule and its keep conditions written before scoring in
``results/forecast_2018_2021_2023-2026-11-27-session15-s15pace23-rule.txt``): from Huixtla, the first
place where the caravan stayed a whole day or more ("we will stay in Huixtla indefinitely", La Razon
2023-11-01, the first as-of date), its pace is the first days' 14 km (42 km from Tapachula, Oct 30 -
Nov 1) times a ratio of its own drawn log-uniformly over x1.22-1.94, the OTHER caravans' later / first
paces (the October 2018 caravan's to Oct 31, 2018, 1.52, and the October 2021 caravan's, 1.55) widened
by the default scatter (``VARY_ALSO``), and it rests after 146 km, the mean road km those caravans
walked between rest days after their first days. The legs to Huixtla keep the file's 22 km, the rest
after 60 km and the default pace factor; the stay at Huixtla is the file's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from forecast_2018 import main_for
from pace_prior import later_leg
from published import as_published

from caravana.scenario.load import BUILTIN_DIR

AS_OF = ("2023-11-01", "2023-11-05", "2023-11-08")
LAST_REPORT = dt.date(2023, 11, 18)
SCENARIO = BUILTIN_DIR / "corridor" / "2023.yml"
OBSERVATIONS = BUILTIN_DIR / "corridor" / "observations_2023.csv"
DEFAULT_PLOT = Path(__file__).resolve().parent.parent / "docs" / "img" / "forecast_2023-11-05.png"
# The later leg from Huixtla, {from: Huixtla, km: 14, rest_after_km: 146} with its km drawn x1.22-1.94 (module doc)
LATER_LEG = later_leg("october-2023")
SETTINGS, VARY_ALSO = (LATER_LEG[0],), (LATER_LEG[1],)


def main(argv=None) -> int:
    return main_for(__doc__, SCENARIO, OBSERVATIONS, LAST_REPORT, AS_OF, DEFAULT_PLOT, argv, SETTINGS, VARY_ALSO, as_known=as_published,
                    caravan="2023")


if __name__ == "__main__":
    raise SystemExit(main())
