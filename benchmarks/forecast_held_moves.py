"""How often do a forecast's moves meet a caravan's body at a blockade, or regrouping past one?

    python benchmarks/forecast_held_moves.py [--case 2021 2023 2018] [--rules once move] [--seeds 1 2]

Session 10 made a body a move puts at a blockade spend that night held there
(``moves.shift`` asks ``Caravans.held_here``); session 11 stopped a move from carrying a body
on from the place where it regroups after crossing a blockade (``moves._stops``,
``CaravanState.regroup``). Where no move ever lands a body that is held, or meets one that is
regrouping, the forecast is the same as before the change. This runs each case's filter as of
its last as-of date (every report any of its three forecasts uses; horizon 1: the filter
only), 200 particles, and prints how many bodies the moves shifted, how many of them landed
held, and how many times a move looked for stops for a body that was regrouping (those it
did not move on).
"""

from __future__ import annotations

import argparse
import datetime as dt

import forecast_2018
import forecast_2021
import forecast_2023

from caravana import load_scenario
from caravana.behaviours.corridor.caravan import Caravans
from caravana.behaviours.corridor.interfaces import CaravanGroups
from caravana.forecast import default_factors, moves, run_forecast
from caravana.observations import Observations, read_observations

CASES = {"2018": (forecast_2018, "corridor"), "2021": (forecast_2021, forecast_2021.SCENARIO),
         "2023": (forecast_2023, forecast_2023.SCENARIO)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", nargs="+", choices=sorted(CASES), default=["2021", "2023"])
    parser.add_argument("--rules", nargs="+", choices=moves.REPORTED_DAYS, default=["once"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2])
    args = parser.parse_args(argv)
    counted = {"asked": 0, "held": 0, "regrouping": 0}
    held_here, stops = Caravans.held_here, moves._stops

    def counting_held_here(self, c: int, size: int) -> bool:
        held = held_here(self, c, size)
        counted["asked"] += 1
        counted["held"] += int(held)
        return held

    def counting_stops(sim, c: int, tau: float):
        counted["regrouping"] += int(sim.provider(CaravanGroups).states[c].regroup)
        return stops(sim, c, tau)

    Caravans.held_here, moves._stops = counting_held_here, counting_stops  # (in this process only, while it runs)
    try:
        for case in args.case:
            module, name = CASES[case]
            # the benchmark's own settings (2021: what was known by its as-of dates), as its forecasts run
            scenario = forecast_2018.with_settings(load_scenario(name), list(getattr(module, "SETTINGS", ())))
            reports = read_observations(module.OBSERVATIONS).check_against(scenario)
            reports = Observations(rows=tuple(r for r in reports if r.date <= module.LAST_REPORT),
                                   file=reports.file, context=reports.context)
            as_of = dt.date.fromisoformat(module.AS_OF[-1])
            for rule in args.rules:
                for seed in args.seeds:
                    counted.update(asked=0, held=0, regrouping=0)
                    run = run_forecast(scenario, reports, as_of, 1, particles=200, seed=seed,
                                       factors=default_factors(scenario), reported_days=rule)
                    print(f"{case} as of {as_of}, --reported-days {rule}, seed {seed}, 200 particles: bodies moved "
                          f"{run.assimilation.shifted[0]}, moves asking whether the body is held {counted['asked']}, "
                          f"held {counted['held']}; stops looked for a regrouping body {counted['regrouping']}",
                          flush=True)
    finally:
        Caravans.held_here, moves._stops = held_here, stops
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
