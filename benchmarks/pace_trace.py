"""Why is a forecast late? The posterior's (and prior's) caravan by day against the reported positions.

    python benchmarks/pace_trace.py [--case 2021] [--as-of 2021-10-27 2021-11-02] [--particles 200] [--seed 1]
        [the forecast options of forecast_2018.py: --set, --vary-also, ...]

Runs the benchmark's own forecast (``forecast_2021.py``'s settings and reports as published by each as-of date,
as ``forecast_autopsy.py`` does) and prints, for the prior members and the weighted posterior particles:

1. the factors' P5 / P50 / P95 (pace, rest, ...);
2. per leg between the places of the itinerary (from the first place past the origin to the last reported one):
   the km, the day the main body left its start and reached its end (P5 / P50 / P95), its travel days
   and rest days (days the body did not move) on the leg, and km a travel day, against the legs the
   reports give (every reported arrival and departure: all of them, the held-back ones too: the
   trace is a diagnosis, it scores nothing and nothing is chosen by it);
3. per day from the as-of date: the body's km (P5 / P50 / P95) against the reported positions.

The body's km is the caravans table's ``body_km`` (the main body's position at the end of each day).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys

import numpy as np
from forecast_2018 import arguments, forecast, reports_until, with_own, with_settings
from horizon import window_ends, with_period
from pace_prior import road_km
from published import as_published

from caravana.forecast.summary import quantiles
from caravana.scenario.load import load_scenario

CASES = {"2021": "forecast_2021", "2023": "forecast_2023"}


def body_tracks(results: list) -> np.ndarray:
    """(particles, days) the first caravan's main body km at each day's end (NaN before it forms)."""
    rows = []
    for r in results:
        table = r.tables["caravans"]
        names = table.column("caravan").to_pylist()
        first = names[0]
        km = np.asarray(table.column("body_km").to_numpy(zero_copy_only=False), dtype=float)
        rows.append(km[[n == first for n in names]])
    return np.array(rows)


def legs(track: np.ndarray, place_km: np.ndarray) -> list[tuple[int, int, int]]:
    """Per leg (place j -> j+1): (day the body left place j, day it reached place j+1, travel days: the days it
    moved on the way), -1 if it did not."""
    out = []
    for j in range(len(place_km) - 1):
        past = np.flatnonzero(track > place_km[j] + 1e-3)
        reach = np.flatnonzero(track >= place_km[j + 1] - 1e-3)
        if not len(past) or not len(reach):
            out.append((-1, -1, -1))
            continue
        left, arrived = int(past[0]), int(reach[0])
        still = int(np.sum(np.diff(track[max(left - 1, 0): arrived + 1]) <= 1e-3))
        out.append((left, arrived, arrived - left + 1 - still))
    return out


def spread(values, weights=None) -> str:
    v = np.asarray(values, dtype=float)
    ok = v >= 0
    if not ok.any():
        return "   never"
    q = quantiles(v[ok], weights=None if weights is None else np.asarray(weights)[ok])
    return f"{q[0]:5.1f} / {q[2]:5.1f} / {q[4]:5.1f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--case", default="2021", choices=sorted(CASES))
    case, rest = parser.parse_known_args(argv)
    bench = importlib.import_module(CASES[case.case])
    args = with_own(arguments(__doc__, bench.AS_OF, None, bench.DEFAULT_PLOT, rest, caravan=case.case),
                    getattr(bench, "SETTINGS", ()), getattr(bench, "VARY_ALSO", ()))
    scenario = with_settings(load_scenario(bench.SCENARIO), args.set)
    reports = reports_until(scenario, bench.OBSERVATIONS, bench.LAST_REPORT)
    spec = scenario.corridor.caravans[0]
    names = [spec.origin, *spec.itinerary]
    place_km = np.concatenate(([0.0], np.cumsum([road_km(a, b) for a, b in zip(names, names[1:])])))
    start = scenario.period.start
    day_of = {}
    for r in reports:
        if r.place and r.quantity.value in ("arrived", "departed"):
            day_of[(r.place, r.quantity.value)] = (r.date - start).days
    last = max((names.index(p) for p, _ in day_of), default=1)
    print(f"{scenario.name}: {len(reports)} reports; places to {names[last]}; settings: {' '.join(args.set)}")
    # The benchmarks' windows (as-of + N days, benchmarks/horizon.py), the period lengthened where one passes it.
    ends = window_ends(scenario, None, [str(text) for text in args.as_of])
    scenario = with_period(scenario, max(ends.values()))
    for text in args.as_of:
        as_of = dt.date.fromisoformat(text) if isinstance(text, str) else text
        known, factors, given = as_published(scenario, as_of, reports)
        run, wall, cpu, _ = forecast(known, given, as_of, ends[str(text)], args, False, factors)
        a = run.assimilation
        w = a.particle_weights
        print(f"\n=== as of {as_of} (day {(as_of - start).days}); {wall:.0f} s")
        for k, f in enumerate(a.factors):
            print(f"  factor {f.name:<32} prior {spread(a.factor_values[:, k])}  posterior {spread(a.posterior_factors[:, k], w)}")
        for label, results, weights in (("prior", a.prior, None), ("posterior", a.posterior, w)):
            tracks = body_tracks(results)
            per = [legs(t, place_km) for t in tracks]
            print(f"  {label}: leg (km): left day / reached day / travel days / km a travel day / days at the end place "
                  f"(whole days: rests), P5 / P50 / P95; reported left, reached (day 0 = {start})")
            for j in range(min(last, len(names) - 1)):
                left = [p[j][0] for p in per]
                reached = [p[j][1] for p in per]
                travel = [p[j][2] for p in per]
                stays = [p[j + 1][0] - p[j][1] - 1 if p[j][1] >= 0 and j + 1 < len(p) and p[j + 1][0] >= 0 else -1
                         for p in per]
                kmday = [(place_km[j + 1] - place_km[j]) / p[j][2] if p[j][2] > 0 else -1 for p in per]
                rep = (day_of.get((names[j], "departed"), "-"), day_of.get((names[j + 1], "arrived"), "-"))
                print(f"    {names[j]:>14} -> {names[j + 1]:<22} {place_km[j + 1] - place_km[j]:4.0f} km  left {spread(left, weights)}"
                      f"  reached {spread(reached, weights)}  travel {spread(travel, weights)}"
                      f"  km/day {spread(kmday, weights)}  rests there {spread(stays, weights)}  reported {rep[0]}, {rep[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
