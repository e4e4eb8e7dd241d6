"""Validate the built-in ``corridor`` scenario (the October 2018 caravans) against the
reports of 12-31 Oct 2018, check it blind, and say what it predicts.

    python benchmarks/corridor_2018.py [--seeds 5] [--blind] [--trials 60] [--fit-seeds 2]
                                       [--forecast-seeds 20] [--days 90] [--timing-runs 3]

1. *Validation*: the scenario as shipped, run on ``--seeds`` seeds, against every row of
   ``observations_2018.csv`` (read with ``caravana.observations``; each simulated value and
   error from ``caravana.metrics``, nothing measured here). A day PASSes when the mean over
   seeds is within 1 day of the report, a count when the mean is within 25 % of the
   reported value or range.
2. *Blind check* (``--blind``; ``calibrate_corridor_2018.py --blind``): the parameters of
   ``examples/params/corridor_2018.yml`` that the reports to Oct 24 can identify, fitted as a MAP
   fit (``caravana.calibrate.priors``) to the reports published by Oct 24 only (each row dated
   by its article, ``reported``), the others fixed from another caravan or a general fact
   (``examples/params/corridor_2018_blind.yml``); then run on fresh seeds and scored, with the
   same tolerances, on the reports of Oct 25-31 and those about earlier days published later.
3. *Prediction* (no target: nothing after Oct 31 is in the project): ``--forecast-seeds``
   runs of ``--days`` days with all the caravans; for Mexico City and Tijuana, the day each
   caravan's centre arrives and its size that day, the most people present in the city on
   one day, how many are at each port of entry and crossed at the end: median and P5-P95
   over seeds. ``--policy NAME`` predicts with a variant of ``policies_2018.yml`` instead
   (e.g. the border city chosen in Mexico City).
4. *Runtime*: CPU time (``time.process_time``) of one ``--days``-day run with all the
   caravans, in-process, after a warm-up run (mean of ``--timing-runs``); the machine is
   shared, so wall time is noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections import Counter
from pathlib import Path

import numpy as np

from caravana import load_scenario, simulation
from caravana.metrics import Scorer, count_error, day_error, simulated_values
from caravana.observations import Observation, Observations, read_observations
from caravana.policies.spec import read_policies as read_policy_set
from caravana.scenario.load import BUILTIN_DIR
from caravana.scenario.provenance import read_provenance

ROOT = Path(__file__).resolve().parent.parent
OBSERVATIONS = BUILTIN_DIR / "corridor" / "observations_2018.csv"
PARAMS = ROOT / "examples" / "params" / "corridor_2018.yml"
FIT_UNTIL = dt.date(2018, 10, 24)
DAY_TOLERANCE = 1
COUNT_TOLERANCE = 0.25
PROVENANCE = BUILTIN_DIR / "corridor" / "provenance_2018.csv"
CITIES = {"Mexico City": ("Mexico City",), "Tijuana": ("Tijuana", "Tijuana El Chaparral")}
PORTS = ("Tijuana El Chaparral", "Mexicali", "Nogales", "Ciudad Juarez", "Piedras Negras", "Nuevo Laredo", "Reynosa",
         "Matamoros")  # the Mexican sides of the US ports of entry in the road graph


def run_values(scenario, observations: Observations, seeds, days: int | None = None) -> np.ndarray:
    """(seeds, observations) simulated values (caravana.metrics)."""
    return np.array([simulated_values(simulation(scenario, seed=s, days=days).run(), observations) for s in seeds])


def verdicts(observations: Observations, simulated: np.ndarray, start: dt.date, days: int) -> list[dict]:
    """Per observation: the mean over seeds, its error (metrics' range / day error) and PASS."""
    table = Scorer(observations, start, days).table(simulated).to_pylist()
    out = []
    for row in table:
        mean = row["simulated"]
        if row["unit"] == "day":
            error = float(day_error(np.array(mean), row["observed"], days))
            ok = bool(np.isfinite(mean) and abs(error) <= DAY_TOLERANCE)
            when = (start + dt.timedelta(days=mean)).strftime("%b %d") if np.isfinite(mean) else ""
            model = "never" if not np.isfinite(mean) else when + f" ({mean - row['observed']:+.1f} d)"
            target = (start + dt.timedelta(days=row["observed"])).strftime("%b %d")
        else:
            error = float(count_error(mean, row["low"], row["high"]))
            ok = abs(error) <= COUNT_TOLERANCE
            lo, hi = np.nanmin(simulated[:, len(out)]), np.nanmax(simulated[:, len(out)])
            model = f"{mean:,.0f} ({lo:,.0f}-{hi:,.0f})"
            target = f"{row['observed']:,.0f}" if row["low"] == row["high"] else f"{row['low']:,.0f}-{row['high']:,.0f}"
        out.append({**row, "target": target, "model": model, "err": error, "pass": ok})
    return out


def print_verdicts(rows: list[dict]) -> None:
    print(f"{'date':6s} {'quantity':15s} {'place':16s} {'reported':>12s}   {'model: mean (range over seeds)':32s} {'error':>7s} result")
    for r in rows:
        err = f"{r['err']:+.1f} d" if r["unit"] == "day" else f"{r['err']:+.0%}"
        print(f"{r['date']:%b %d} {r['quantity']:15s} {(r['place'] or '(all)'):16s} {r['target']:>12s}   "
              f"{r['model']:32s} {err:>7s} {'PASS' if r['pass'] else 'FAIL'}")
    days = [r for r in rows if r["unit"] == "day"]
    counts = [r for r in rows if r["unit"] != "day"]
    print(f"PASS: {sum(r['pass'] for r in days)}/{len(days)} dates (+-{DAY_TOLERANCE} day), "
          f"{sum(r['pass'] for r in counts)}/{len(counts)} counts (+-{COUNT_TOLERANCE:.0%})")


def blind_check(trials: int, seeds: int, eval_seeds: int, seed: int) -> None:
    """The blind check: ``calibrate_corridor_2018.py --blind`` (a MAP fit on the reports published
    by Oct 24, what they cannot identify fixed by examples/params/corridor_2018_blind.yml)."""
    from calibrate_corridor_2018 import main as calibrate_main  # imports this module: not at the top

    print()
    calibrate_main(["--blind", "--trials", str(trials), "--seeds", str(seeds), "--eval-seeds", str(eval_seeds),
                    "--seed", str(seed), "--fit-until", str(FIT_UNTIL)])


def city_observations(scenario, days: int) -> Observations:
    """What the prediction reads from each run, as observation rows (so caravana.metrics
    measures them): per caravan, its arrival in each city; everyone present in each city
    on every day; crossed into the US at the end."""
    end = scenario.period.start + dt.timedelta(days=days - 1)
    context = Observations(rows=()).check_against(scenario).context
    rows = []
    for c in scenario.corridor.caravans:
        for _city, places in CITIES.items():
            if places[0] in context.routes[c.name]:  # a border city chosen at a fork is not on the planned route
                rows.append(Observation(date=scenario.period.start, quantity="arrived", place=places[0], caravan=c.name))
    for d in range(days):
        date = scenario.period.start + dt.timedelta(days=d)
        for places in CITIES.values():
            rows += [Observation(date=date, quantity="present", place=p, value=0) for p in places]
    rows += [Observation(date=end, quantity="present", place=p, value=0) for p in PORTS]
    rows.append(Observation(date=end, quantity="crossed", value=0))
    return Observations(rows=tuple(rows)).check_against(scenario)


def prediction(scenario, seeds, days: int) -> None:
    scenario = scenario.model_copy(update={"period": scenario.period.model_copy(update={"days": days})})
    obs = city_observations(scenario, days)
    start = scenario.period.start
    caravans = [c.name for c in scenario.corridor.caravans]
    arrivals = [(r.caravan, r.place) for r in obs.rows if str(r.quantity) == "arrived"]
    sizes, values = [], []
    for seed in seeds:
        results = simulation(scenario, seed=seed).run()
        v = simulated_values(results, obs)
        values.append(v)
        # The caravan's size on its arrival day: a caravan_size row on that date.
        row = []
        for (name, _), day in zip(arrivals, v[: len(arrivals)]):
            if np.isfinite(day):
                size_obs = Observations((Observation(date=start + dt.timedelta(days=int(day)), quantity="caravan_size",
                                                     caravan=name, value=0),), context=obs.context)
                row.append(simulated_values(results, size_obs)[0])
            else:
                row.append(np.nan)
        sizes.append(row)
    values, sizes = np.array(values), np.array(sizes).reshape(len(seeds), len(arrivals))

    def band(x, date=False):
        x = x[np.isfinite(x)]
        if not len(x):
            return "never"
        p5, p50, p95 = np.percentile(x, [5, 50, 95])
        if date:
            d = [(start + dt.timedelta(days=float(q))).strftime("%b %d") for q in (p5, p50, p95)]
            return f"{d[1]} ({d[0]}-{d[2]})"
        return f"{p50:,.0f} ({p5:,.0f}-{p95:,.0f})"

    print(f"\nPREDICTION (no target): {len(seeds)} seeds, {days} days, all {len(caravans)} caravans; median (P5-P95)")
    print(f"{'caravan':18s} {'city':12s} {'centre arrives':28s} {'size on arrival':22s} reached in")
    for i, (name, place) in enumerate(arrivals):
        city = next(c for c, places in CITIES.items() if place == places[0])
        share = np.isfinite(values[:, i]).mean()
        print(f"{name:18s} {city:12s} {band(values[:, i], date=True):28s} {band(sizes[:, i]):22s} {share:.0%} of runs")
    base = len(arrivals)
    per_day = values[:, base: base + days * 3].reshape(len(seeds), days, 3)
    mexico, tijuana = per_day[:, :, 0], per_day[:, :, 1] + per_day[:, :, 2]
    peak_day = np.argmax(mexico, axis=1).astype(float)
    print(f"most people present in Mexico City on one day: {band(mexico.max(axis=1))}, on {band(peak_day, date=True)}")
    peak_day = np.argmax(tijuana, axis=1).astype(float)
    print(f"most people present in Tijuana (city and port) on one day: {band(tijuana.max(axis=1))}, on {band(peak_day, date=True)}")
    print(f"present in Tijuana on day {days - 1} ({start + dt.timedelta(days=days - 1):%b %d}): {band(tijuana[:, -1])}; "
          f"crossed into the US by then: {band(values[:, -1])}")
    ports = values[:, base + days * 3: -1]
    print("present at each port on that day: " + "; ".join(f"{p} {band(ports[:, j])}" for j, p in enumerate(PORTS)))


def provenance_summary() -> None:
    """Where the 2018 variant's settings come from (provenance_2018.csv): rows by kind, and
    the rows kept with a mark (a value that cites, or was set with, something later)."""
    rows = read_provenance(PROVENANCE)
    kinds = Counter(r.kind for r in rows)
    print(f"\nPROVENANCE ({PROVENANCE.name}, {len(rows)} rows): "
          + ", ".join(f"{k} {kinds[k]}" for k in ("report", "cal", "caravan", "fact", "est")))
    marked = [r for r in rows if r.marked]
    print(f"marked: {len(marked)}")
    for r in marked:
        print(f"  {r.setting} = {r.value} ({r.kind}): {r.marked[:150]}")


def timing(scenario, days: int, runs: int) -> None:
    simulation(scenario, seed=0, days=days).run()  # compile / warm up
    cpu, wall, people = [], [], 0
    for seed in range(runs):
        sim = simulation(scenario, seed=seed, days=days)
        c, w = time.process_time(), time.perf_counter()
        sim.run()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
        people = sim.population.n
    print(f"\nRUNTIME: {days} days, {len(scenario.corridor.caravans)} caravans, {people:,} people spawned, in-process: "
          f"{np.mean(cpu):.2f} s CPU (runs {', '.join(f'{x:.2f}' for x in cpu)}), {np.mean(wall):.2f} s wall "
          f"(shared machine)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="corridor", help="the 2018 scenario to validate (a name or a scenario.yml; "
                        "e.g. an older version's, to compare)")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--blind", action="store_true", help="also fit to Oct 24 and score Oct 25-31")
    parser.add_argument("--trials", type=int, default=60)
    parser.add_argument("--fit-seeds", type=int, default=2)
    parser.add_argument("--eval-seeds", type=int, default=5)
    parser.add_argument("--forecast-seeds", type=int, default=20, help="0: no prediction")
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--timing-runs", type=int, default=3, help="0: no timing")
    parser.add_argument("--policy", help="predict with this variant of policies_2018.yml (e.g. 'border city chosen in Mexico City')")
    args = parser.parse_args(argv)

    scenario = load_scenario(args.scenario)
    observations = read_observations(OBSERVATIONS).check_against(scenario)
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    start, days = scenario.period.start, (observations.last_date - scenario.period.start).days + 1
    print(f"corridor 2018 ({len(scenario.corridor.caravans)} caravans) vs {OBSERVATIONS.name} "
          f"({len(observations)} reports, Oct 12-31), seeds {seeds[0]}-{seeds[-1]}")
    values = run_values(scenario, observations, seeds, days=days)
    print_verdicts(verdicts(observations, values, start, days))
    # The calibration's loss of each seed's run (caravana.metrics): comparable across scenario versions.
    loss = np.atleast_1d(Scorer(observations, start, days).loss(values))
    print(f"loss (caravana.metrics, each seed's run): mean {loss.mean():.3f} ± {loss.std(ddof=1) / np.sqrt(len(loss)):.3f} "
          f"(standard error over {len(loss)} seeds)" if len(loss) > 1 else f"loss (caravana.metrics): {loss[0]:.3f}")
    if args.blind:
        blind_check(args.trials, args.fit_seeds, args.eval_seeds, seed=0)
    if args.policy:
        variants = {p.name: p for p in read_policy_set(BUILTIN_DIR / "corridor" / "policies_2018.yml").policies}
        scenario = variants[args.policy].apply(scenario)
        print(f"\nwith the policy variant '{args.policy}'")
    provenance_summary()
    if args.forecast_seeds:
        prediction(scenario, list(range(args.forecast_seeds)), args.days)
    if args.timing_runs:
        timing(scenario, args.days, args.timing_runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
