"""Where the people who leave a caravan go, measured on the caravans (the forecast's outflow prior).

Prints, with its rows:

1. ``outflows_other.csv``: each caravan's counted outflows (home, papers, detained, stayed) and its
   shares over the model's routes (leave = home + stayed; papers; detained), then their mean ``m``
   with a 90 % bootstrap interval over caravans, the concentration by the method of moments and
   the one the prior uses (``caravana.forecast.outflows``); for all caravans, for 2019-2024 (the
   2018 benchmark's), and leaving out the October 2021 caravan (2021's; the October 2023 caravan
   has no counted outflow, so 2023's is the full set);
2. the total outflow a day of the October 2021 and 2023 caravans, from their observation files'
   caravan sizes (largest report to the last, joining ignored: a floor);
3. for each benchmark's scenario, its own split of its outflow (``outflows.implied``, 3 runs), the
   rebasing b = m / own and the split of 3 runs with the outflow settings x b (the prior's centre).

    python benchmarks/outflow_shares.py [--no-runs]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from pathlib import Path

import forecast_2021
import forecast_2023
import numpy as np
from forecast_2018 import with_settings
from known_prior import known_prior

from caravana import load_scenario
from caravana.forecast.outflows import ROUTES, implied, measured, read_caravans, route_paths
from caravana.forecast.parameters import default_factors, scenario_with
from caravana.observations import read_observations

BUILTIN = Path(__file__).resolve().parent.parent / "src" / "caravana" / "scenario" / "builtin" / "corridor"


def summary(label: str, caravans) -> None:
    x, moments, alpha, m = measured(caravans)
    rng = np.random.default_rng(0)
    boot = np.array([x[rng.integers(len(x), size=len(x))].mean(axis=0) for _ in range(2000)])
    lo, hi = np.percentile(boot, [5, 95], axis=0)
    print(f"  {label}: {len(x)} caravans with shares; m = " + ", ".join(
        f"{r} {m[k]:.2f} ({lo[k]:.2f}-{hi[k]:.2f})" for k, r in enumerate(ROUTES))
        + f"; concentration: moments {moments:.2f}, used {alpha:.2f}")


def daily(path: Path, label: str) -> None:
    sizes = sorted((r.date, r.value) for r in read_observations(path) if r.quantity == "caravan_size" and r.value)
    (d0, n0) = max(sizes, key=lambda s: s[1])
    d1, n1 = sizes[-1]
    rate = math.log(n0 / n1) / (d1 - d0).days
    print(f"  {label}: {n0:,.0f} on {d0:%b %d} -> {n1:,.0f} on {d1:%b %d}: {rate:.3f} a day "
          f"(ln ratio / days; joiners ignored)")


def split(scenario) -> dict[str, float]:
    return implied(scenario, [r for r, ps in route_paths(scenario).items() if ps])


def centre(label: str, scenario) -> None:
    own = split(scenario)
    factors = [f for f in default_factors(scenario, outflows=True) if f.outflows is not None]
    prior = factors[0].outflows
    at_centre = scenario_with(scenario, factors, np.array([min(max(prior.rebase[f.route], f.low), f.high)
                                                            for f in factors]))
    after = split(at_centre)
    show = lambda d: ", ".join(f"{r} {v:.2f}" for r, v in d.items())  # noqa: E731
    print(f"  {label}: own split {show(own)}; m {show(dict(zip(prior.routes, prior.shares)))}; "
          f"b {show(dict(zip(prior.routes, prior.rebase)))}; split at the prior's centre {show(after)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-runs", action="store_true", help="skip part 3 (runs of the scenarios)")
    args = parser.parse_args(argv)
    caravans = read_caravans()
    print("1. outflows_other.csv: counted outflows and shares (leave = home + stayed); empty = not counted")
    print(f"  {'caravan':<15}{'start':<12}{'size':>6}{'home':>7}{'papers':>7}{'detained':>9}{'stayed':>7}   shares")
    for c in caravans:
        shares = c.shares()
        cells = "".join(f"{c.counts[k] or '':>{w}}" for k, w in (("home", 7), ("papers", 7), ("detained", 9),
                                                                  ("stayed", 7)))
        print(f"  {c.name:<15}{c.start!s:<12}{c.size:>6}{cells}   "
              + (", ".join(f"{r} {shares[r]:.2f}" for r in ROUTES) if shares else "none (nothing counted)"))
    summary("all", caravans)
    summary("2019-2024 (the 2018 forecast's)", [c for c in caravans if c.start >= dt.date(2019, 1, 1)])
    summary("without oct-2021 (the 2021 forecast's)", [c for c in caravans if c.name != "oct-2021"])
    print("  thin: 8 caravans, each counting one or two routes; a route no report counted enters as 0")
    print("2. total outflow a day (caravan sizes of the observation files)")
    daily(BUILTIN / "observations_2021.csv", "October 2021")
    daily(BUILTIN / "observations_2023.csv", "October 2023")
    if not args.no_runs:
        print("3. each scenario's own split, the rebasing, and the split at the prior's centre (3 runs each)")
        centre("corridor (2018, as shipped)", load_scenario("corridor"))
        for as_of in ("2018-10-20", "2018-10-24", "2018-10-27"):
            known, _, _ = known_prior(load_scenario("corridor"), dt.date.fromisoformat(as_of))
            centre(f"2018 --known as of {as_of} (at its factors' centres)", known)
        centre("2021 benchmark (forecast_2021.SETTINGS)", with_settings(load_scenario(BUILTIN / "2021.yml"),
                                                                          list(forecast_2021.SETTINGS)))
        centre("2023 benchmark (2023.yml as written)", load_scenario(forecast_2023.SCENARIO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
