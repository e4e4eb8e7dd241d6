"""How many of a forecast's moves land a caravan's body where a blockade holds it?

    python benchmarks/forecast_held_moves.py

Session 10 made a body a move puts at a blockade spend that night held there
(``moves.shift`` asks ``Caravans.held_here``). Where no move ever lands a body that is held,
the forecast is the same as before the change. This runs the 2021 filter as of Nov 7 (every
report any of the three 2021 forecasts uses; horizon 1: the filter only), 200 particles,
seeds 1 and 2, under ``--reported-days once`` and ``move``, and prints how many bodies the
moves shifted and how many of them landed held.
"""

from __future__ import annotations

import datetime as dt

import forecast_2021

from caravana import load_scenario
from caravana.behaviours.corridor.caravan import Caravans
from caravana.forecast import default_factors, run_forecast
from caravana.observations import Observations, read_observations


def main() -> int:
    counted = {"asked": 0, "held": 0}
    original = Caravans.held_here

    def held_here(self, c: int, size: int) -> bool:
        held = original(self, c, size)
        counted["asked"] += 1
        counted["held"] += int(held)
        return held

    Caravans.held_here = held_here  # (in this process only, while it runs)
    try:
        scenario = load_scenario(forecast_2021.SCENARIO)
        reports = read_observations(forecast_2021.OBSERVATIONS).check_against(scenario)
        reports = Observations(rows=tuple(r for r in reports if r.date <= forecast_2021.LAST_REPORT),
                               file=reports.file, context=reports.context)
        for rule in ("once", "move"):
            for seed in (1, 2):
                counted.update(asked=0, held=0)
                run = run_forecast(scenario, reports, dt.date(2021, 11, 7), 1, particles=200, seed=seed,
                                   factors=default_factors(scenario), reported_days=rule)
                print(f"2021 as of 2021-11-07, --reported-days {rule}, seed {seed}, 200 particles: bodies moved "
                      f"{run.assimilation.shifted[0]}, moves asking whether the body is held {counted['asked']}, "
                      f"held {counted['held']}", flush=True)
    finally:
        Caravans.held_here = original
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
