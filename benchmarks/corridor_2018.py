"""Validate the built-in ``corridor`` scenario against the October 2018 timeline.

    python benchmarks/corridor_2018.py [--seeds 5] [--first-seed 0] [--scale-to 20000]

Runs the 2018 variant once per seed and prints, for each dated waypoint, the day
the caravan's main body reached it, and for each reported count, the model's
value, both against ``timeline_2018.csv`` (targets are read from that file, never
written here): mean and range over seeds, and PASS/FAIL.

Definitions
- *arrival of the main body* at a place: the first day on which the centre (the
  median position along the itinerary) of the caravan's members is at or past the
  place (members who reached the destination count at its km). PASS when the mean
  over seeds is within 1 day of the reported date(s).
- *caravan size*: members still travelling with the caravan at the end of the day.
- *entering Mexico*: caravan people in Mexico at the end of the day, travelling,
  waiting for papers or detained.
- *returned*: RETURNED + DEPORTED, cumulative. *Refuge requests*: asylum requests
  in Mexico (``claim_day``) up to the day, cumulative.
  A count PASSes when the mean is within 25% of the reported value (of the reported
  range when there is one).

After the table: when and how many reach Mexico City and Tijuana, and crossed into
the US (no target), and the wall time of a 60-day run at about ``--scale-to`` people.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import time
from dataclasses import dataclass

import numpy as np

from caravana import Simulation, Status, load_scenario, simulation
from caravana.scenario.load import BUILTIN_DIR

TIMELINE = BUILTIN_DIR / "corridor" / "timeline_2018.csv"
DAY_TOLERANCE = 1
COUNT_TOLERANCE = 0.25

# Waypoint -> the timeline rows (date, place, quantity) that date the main body there.
# Arriaga has no row of its own: the caravan left Pijijiapan for it on the 26th.
WAYPOINTS: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("border (Tecun Uman)", "Tecun Uman", [("Tecun Uman", "present")]),
    ("Suchiate crossing", "Ciudad Hidalgo", [("Ciudad Hidalgo", "crossed")]),
    ("Tapachula", "Tapachula", [("Tapachula", "present")]),
    ("Huixtla", "Huixtla", [("Tapachula", "departed"), ("Huixtla", "present")]),
    ("Pijijiapan", "Pijijiapan", [("Pijijiapan", "arrived")]),
    ("Arriaga", "Arriaga", [("Pijijiapan", "departed")]),
    ("Tapanatepec", "San Pedro Tapanatepec", [("San Pedro Tapanatepec", "arrived"), ("San Pedro Tapanatepec", "present")]),
    ("Juchitan", "Juchitan", [("Juchitan", "present")]),
]

# Count -> (timeline place, quantity, date or None for the only such row), what the model measures.
COUNTS: list[tuple[str, str, str, str | None, str]] = [
    ("size at departure", "San Pedro Sula", "departed", None, "size"),
    ("entering Mexico", "Ciudad Hidalgo", "registered", None, "in_mexico"),
    ("size at Pijijiapan", "Pijijiapan", "arrived", None, "size"),
    ("size at Juchitan", "Juchitan", "present", None, "size"),
    ("returned by", "", "returned", "2018-10-21", "returned"),
    ("refuge requests by", "", "asylum_requests", "2018-10-26", "claims"),
]


@dataclass(frozen=True)
class Row:
    date: dt.date
    place: str
    quantity: str
    value: float | None
    low: float | None
    high: float | None


def read_timeline(path=TIMELINE) -> list[Row]:
    def num(s: str) -> float | None:
        return float(s) if s.strip() else None

    with open(path, encoding="utf-8", newline="") as f:
        return [
            Row(dt.date.fromisoformat(r["date"]), r["place"], r["quantity"], num(r["value"]), num(r["low"]), num(r["high"]))
            for r in csv.DictReader(f)
        ]


def waypoint_targets(rows: list[Row]) -> list[tuple[str, str, dt.date, dt.date]]:
    """(label, place, first date, last date) for each waypoint, from the timeline."""
    out = []
    for label, place, keys in WAYPOINTS:
        dates = [r.date for r in rows if (r.place, r.quantity) in keys]
        if not dates:
            raise ValueError(f"no timeline row dates waypoint {label}")
        out.append((label, place, min(dates), max(dates)))
    return out


def count_targets(rows: list[Row]) -> list[tuple[str, Row, str]]:
    """(label, timeline row, model measure) for each count."""
    out = []
    for label, place, quantity, date, measure in COUNTS:
        hits = [r for r in rows if r.place == place and r.quantity == quantity and r.value is not None
                and (date is None or r.date == dt.date.fromisoformat(date))]
        if len(hits) != 1:
            raise ValueError(f"expected one timeline row for {label}, found {len(hits)}")
        out.append((label, hits[0], measure))
    return out


def measure(sim: Simulation, what: str, day: int) -> float:
    """One of the count measures on ``day`` (a finished run)."""
    log = sim.behaviour("caravan_log")
    counts = sim.counts[day]
    if what == "size":
        return float(log.size[:, day].sum())
    if what == "in_mexico":
        mx = np.array([c == "MX" for c in sim.network.countries])[sim.network.country_id]
        statuses = [Status.RESTING, Status.TRAVELLING, Status.WAITING, Status.DETAINED]
        return float(counts[mx][:, statuses].sum())
    if what == "returned":
        return float(counts[:, [Status.RETURNED, Status.DEPORTED]].sum())
    if what == "claims":
        claim = sim.population.claim_day
        return float(((claim >= 0) & (claim <= day)).sum())
    raise ValueError(what)


def run_seeds(seeds, scenario=None, days: int | None = None) -> list[Simulation]:
    scenario = scenario or load_scenario("corridor")
    sims = []
    for seed in seeds:
        sim = simulation(scenario, seed=seed, days=days)
        sim.run()
        sims.append(sim)
    return sims


def validation_table(sims: list[Simulation], rows: list[Row] | None = None) -> list[dict]:
    """One dict per target: label, target text, model values per seed, mean, PASS."""
    rows = rows or read_timeline()
    scenario = sims[0].scenario
    start = scenario.period.start
    caravans = sims[0].behaviour("caravans")
    table = []
    for label, place, first, last in waypoint_targets(rows):
        km = caravans.km_of(0, place, sims[0].network)
        days = [s.behaviour("caravan_log").arrival_day(0, km) for s in sims]
        values = [np.nan if d is None else d for d in days]
        mean = float(np.mean(values))
        lo, hi = (first - start).days, (last - start).days
        table.append({
            "kind": "waypoint", "label": label, "values": values, "mean": mean,
            "target": first.strftime("%b %d") + ("" if first == last else "-" + last.strftime("%d")),
            "model": _date_text(start, mean, values),
            "pass": bool(np.isfinite(mean) and lo - DAY_TOLERANCE <= mean <= hi + DAY_TOLERANCE),
        })
    for label, row, what in count_targets(rows):
        day = (row.date - start).days
        values = [measure(s, what, day) for s in sims]
        mean = float(np.mean(values))
        low = row.low if row.low is not None else row.value
        high = row.high if row.high is not None else row.value
        target = f"{row.value:,.0f}" if low == high else f"{low:,.0f}-{high:,.0f}"
        table.append({
            "kind": "count", "label": f"{label} {row.date:%b %d}", "values": values, "mean": mean,
            "target": target, "model": f"{mean:,.0f} ({min(values):,.0f}-{max(values):,.0f})",
            "pass": bool(low * (1 - COUNT_TOLERANCE) <= mean <= high * (1 + COUNT_TOLERANCE)),
        })
    return table


def _date_text(start: dt.date, mean: float, values) -> str:
    if not np.isfinite(mean):
        return "never"
    day = start + dt.timedelta(days=int(mean))
    first, last = (start + dt.timedelta(days=int(f(values))) for f in (np.nanmin, np.nanmax))
    return f"{day:%b} {day.day + mean % 1:4.1f} ({first:%b %d}-{last:%b %d})"


def beyond(sims: list[Simulation], places=("Mexico City", "Tijuana")) -> list[str]:
    """When the centre reached each place and how many people got there, by the end."""
    start = sims[0].scenario.period.start
    caravans = sims[0].behaviour("caravans")
    lines = []
    for place in places:
        km = caravans.km_of(0, place, sims[0].network)
        days = [s.behaviour("caravan_log").arrival_day(0, km) for s in sims]
        reached = [int(((s.population.group == 0) & (s.population.ckm >= km - 1e-3)).sum()) for s in sims]
        when = ", ".join("never" if d is None else f"{start + dt.timedelta(days=d):%b %d}" for d in days)
        lines.append(f"{place:12s} centre arrives: {when}; people who got there: "
                     f"{np.mean(reached):,.0f} ({min(reached):,}-{max(reached):,})")
    crossed = [int(s.counts[-1][:, Status.CROSSED].sum()) for s in sims]
    dead = [int(s.counts[-1][:, Status.DEAD].sum()) for s in sims]
    lines.append(f"crossed into the US by the last day: {np.mean(crossed):,.0f} ({min(crossed):,}-{max(crossed):,}); "
                 f"died on the way: {np.mean(dead):.1f} ({min(dead)}-{max(dead)})")
    return lines


def scaled(scenario, factor: float):
    """The scenario with every caravan's initial size and joiners multiplied by ``factor``."""
    caravans = []
    for c in scenario.corridor.caravans:
        joiners = [j.model_copy(update={"per_day": j.per_day * factor}) for j in c.joiners]
        caravans.append(c.model_copy(update={"initial_size": max(1, round(c.initial_size * factor)), "joiners": joiners}))
    corridor = scenario.corridor.model_copy(update={"caravans": caravans})
    return scenario.model_copy(update={"corridor": corridor})


def timing(scenario, people: int, seed: int = 0) -> tuple[float, int]:
    """Wall seconds of one full run scaled to about ``people`` spawned, and the number spawned."""
    simulation(scenario, seed=seed, days=3).run()  # compile/warm up
    probe = simulation(scenario, seed=seed)
    probe.run()
    factor = people / probe.population.n
    sim = simulation(scaled(scenario, factor), seed=seed)
    started = time.perf_counter()
    sim.run()
    return time.perf_counter() - started, sim.population.n


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--scale-to", type=int, default=20_000, help="people for the timing run (0: skip)")
    args = parser.parse_args(argv)
    scenario = load_scenario("corridor")
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    sims = run_seeds(seeds, scenario)
    table = validation_table(sims)
    print(f"corridor 2018 vs timeline_2018.csv, seeds {seeds[0]}-{seeds[-1]} "
          f"(mean (range); waypoints +-{DAY_TOLERANCE} day, counts +-{COUNT_TOLERANCE:.0%})")
    print(f"{'':34s} {'reported':>14s}   {'model':34s} result")
    for row in table:
        print(f"{row['kind'] + ': ' + row['label']:34s} {row['target']:>14s}   {row['model']:34s} "
              f"{'PASS' if row['pass'] else 'FAIL'}")
    passed = sum(r["pass"] for r in table)
    print(f"{passed}/{len(table)} PASS")
    print()
    for line in beyond(sims):
        print(line)
    if args.scale_to:
        seconds, n = timing(scenario, args.scale_to)
        print(f"\ntiming: {scenario.period.days} days, {n:,} people: {seconds:.2f} s")
    return 0 if passed == len(table) else 1


if __name__ == "__main__":
    raise SystemExit(main())
