"""Single runs of a scenario, seed by seed: the main caravan's size on given dates, the
day its body arrives at / leaves given places, and the people ``present`` at a place on
a date, read by ``caravana.metrics`` exactly as the forecast reads the reports.

    python benchmarks/scenario_runs.py --case 2021 --seeds 1-8 \\
        --size 2021-10-26 2021-11-07 2021-11-11 --arrived Arriaga "Matias Romero" \\
        --pace Arriaga "Matias Romero"
    python benchmarks/scenario_runs.py --case 2023 --seeds 1-8 --departed Huixtla --arrived Arriaga \\
        --pace Huixtla Arriaga --present Huixtla@2023-11-08
    python benchmarks/scenario_runs.py --scenario-file my.yml --seeds 1 2 --size 2021-11-01 [--days 10]
        [--set corridor.caravans[0].break_up_rate=0.07]

``--case`` loads the built-in variant as ``forecast_2021.py`` / ``forecast_2023.py`` do
(``corridor/2021.yml``, ``corridor/2023.yml``; ``2018``: the built-in ``corridor``). Each
figure is the counterpart ``caravana.metrics.simulated_values`` gives a report of that
quantity (``caravan_size``, ``arrived``, ``departed``, ``present``): arrived / departed is
the first day the caravan's centre (its median member's km) is at / past the place;
``present`` counts people on a road at the place the road leaves from. ``--pace A B``:
route km from A to B over the days from leaving A to arriving at B. After the seeds, each
column's median and range over them. One run of the 2021 variant costs ~2 s of CPU.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from caravana import load_scenario
from caravana.errors import CaravanaError
from caravana.metrics import simulated_values
from caravana.model import simulation
from caravana.observations import Observation, Observations, Quantity
from caravana.scenario.load import BUILTIN_DIR

CASES = {"2018": BUILTIN_DIR / "corridor" / "scenario.yml",
         "2021": BUILTIN_DIR / "corridor" / "2021.yml",
         "2023": BUILTIN_DIR / "corridor" / "2023.yml"}


def seeds(text: str) -> list[int]:
    """'3' or '1-8' -> the seeds."""
    first, _, last = text.partition("-")
    try:
        low, high = int(first), int(last or first)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a seed or a range of seeds like 1-8") from None
    if high < low:
        raise argparse.ArgumentTypeError(f"'{text}': the range ends before it starts")
    return list(range(low, high + 1))


def date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def place_on_date(text: str) -> tuple[str, dt.date]:
    place, at, day = text.rpartition("@")
    if not at or not place:
        raise argparse.ArgumentTypeError(f"'{text}' is not PLACE@YYYY-MM-DD")
    return place, date(day)


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--case", choices=sorted(CASES), help="a built-in corridor variant, as the forecast benchmarks load it")
    which.add_argument("--scenario-file", type=Path, help="a scenario file or folder (caravana.load_scenario)")
    parser.add_argument("--seeds", type=seeds, nargs="+", default=[[1]], help="seeds or ranges: 1-8, or 1 3 5 (default 1)")
    parser.add_argument("--days", type=int, help="run only this many days (default: the scenario's period)")
    parser.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                        help="a scenario setting, as `caravana run --set` (repeatable)")
    parser.add_argument("--size", type=date, nargs="+", default=[], metavar="DATE", help="the caravan's size on these dates")
    parser.add_argument("--arrived", nargs="+", default=[], metavar="PLACE", help="the day the body arrives at these places")
    parser.add_argument("--departed", nargs="+", default=[], metavar="PLACE", help="the day the body leaves these places")
    parser.add_argument("--present", type=place_on_date, nargs="+", default=[], metavar="PLACE@DATE",
                        help="people present at the place on the date")
    parser.add_argument("--pace", nargs=2, action="append", default=[], metavar=("FROM", "TO"),
                        help="km a day from leaving FROM to arriving at TO (repeatable)")
    parser.add_argument("--caravan", help="the caravan read (default: the scenario's first)")
    args = parser.parse_args(argv)
    args.seeds = [s for group in args.seeds for s in group]
    return args


def requests(args: argparse.Namespace, start: dt.date) -> tuple[list[Observation], list[tuple[int, int]]]:
    """One report-shaped row per figure asked for (a count's value is required by the
    row's checks and unused: only its simulated counterpart is read), and for each
    ``--pace`` the indices of its departure and arrival rows."""
    rows = [Observation(date=d, quantity=Quantity.caravan_size, value=0, caravan=args.caravan) for d in args.size]
    day_places = [(Quantity.departed, p) for p in args.departed] + [(Quantity.arrived, p) for p in args.arrived]
    day_places += [(q, p) for a, b in args.pace for q, p in ((Quantity.departed, a), (Quantity.arrived, b))]
    at = {key: len(rows) + i for i, key in enumerate(dict.fromkeys(day_places))}
    # A day row's date is not read for its counterpart; any day of the period will do.
    rows += [Observation(date=start, quantity=q, place=p, caravan=args.caravan) for q, p in at]
    rows += [Observation(date=d, quantity=Quantity.present, place=p, value=0) for p, d in args.present]
    return rows, [(at[Quantity.departed, a], at[Quantity.arrived, b]) for a, b in args.pace]


def checked(rows: list[Observation], scenario, days: int) -> Observations:
    """The rows bound to the scenario (place names and caravans checked, as a report's
    are); counts dated within the days run."""
    start = scenario.period.start
    last = start + dt.timedelta(days=days - 1)
    for r in rows:
        if not start <= r.date <= last:
            raise CaravanaError(f"{r.quantity} on {r.date} is outside the days run ({start} to {last})")
    return Observations(rows=tuple(rows)).check_against(scenario)


def label(row: Observation) -> str:
    if row.quantity == Quantity.caravan_size:
        return f"size {row.date:%b %d}"
    if row.quantity == Quantity.present:
        return f"present {row.place} {row.date:%b %d}"
    return f"{row.quantity} {row.place}"


def main(argv=None) -> int:
    args = arguments(argv)
    try:
        scenario = load_scenario(CASES[args.case] if args.case else args.scenario_file)
        if args.set:
            from caravana.cli.common import parse_settings
            from caravana.scenario.overrides import apply_overrides

            scenario = apply_overrides(scenario, parse_settings(args.set))
        days = args.days or scenario.period.days
        if not 0 < days <= scenario.period.days:
            raise CaravanaError(f"--days {days}: the scenario runs 1 to {scenario.period.days} days")
        asked, paces = requests(args, scenario.period.start)
        rows = checked(asked, scenario, days)
    except CaravanaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not len(rows):
        print("error: nothing to print: give --size, --arrived, --departed, --present or --pace", file=sys.stderr)
        return 2
    start = scenario.period.start
    assert rows.context is not None  # checked against the scenario
    # Route km of each --pace pair, on the route of the caravan its rows are bound to.
    kms = [rows.context.routes[rows.rows[j].caravan][rows.rows[j].place]
           - rows.context.routes[rows.rows[i].caravan][rows.rows[i].place] for i, j in paces]
    print(f"{scenario.name}, {days} days from {start}, seeds {' '.join(map(str, args.seeds))}"
          f"{', settings: ' + ' '.join(args.set) if args.set else ''}; load average {os.getloadavg()[0]:.1f}")
    print("day figures: the first day the caravan's centre is at (arrived) / past (departed) the place "
          "(caravana.metrics); 'never': not within the days run")
    names = [label(r) for r in rows] + [f"km/day {a}-{b} ({km:.0f} km)" for (a, b), km in zip(args.pace, kms)]
    table: list[list[float]] = []
    cpu = time.process_time()
    for seed in args.seeds:
        values = simulated_values(simulation(scenario, seed=seed, days=days).run(), rows)
        table.append([*values, *(km / (values[j] - values[i]) for (i, j), km in zip(paces, kms))])
    cpu = time.process_time() - cpu
    kinds = [r.rule.kind for r in rows] + ["pace"] * len(args.pace)
    width = max(len(n) for n in names)
    print(f"\n{'seed':>{width}}  " + "  ".join(f"{s:>7}" for s in args.seeds) + "   median  range")
    for j, name in enumerate(names):
        column = [line[j] for line in table]
        cells = "  ".join(f"{cell(v, kinds[j], start):>7}" for v in column)
        print(f"{name:>{width}}  {cells}   {spread(column, kinds[j], start)}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    runs = f"{len(args.seeds)} run{'s' * (len(args.seeds) != 1)}"
    print(f"\nCPU {cpu:.1f} s for {runs}; load average {os.getloadavg()[0]:.1f}; peak memory {peak:.2f} GiB")
    return 0


def cell(value: float, kind: str, start: dt.date) -> str:
    if np.isnan(value):
        return "never"
    if kind == "day":
        return f"{start + dt.timedelta(days=int(value)):%b %d}"
    return f"{value:,.1f}" if kind == "pace" else f"{value:,.0f}"


def spread(column: list[float], kind: str, start: dt.date) -> str:
    """Median and range over the seeds (counts: also each seed's distance from the median)."""
    known = [v for v in column if not np.isnan(v)]
    if not known:
        return "never"
    never = f", never in {len(column) - len(known)}" if len(known) < len(column) else ""
    middle = statistics.median(known)
    if kind == "day":  # a median between two days names both
        middle_days = "/".join(dict.fromkeys(cell(float(f(middle)), kind, start) for f in (np.floor, np.ceil)))
        return f"{middle_days}  {cell(min(known), kind, start)} - {cell(max(known), kind, start)}{never}"
    text = f"{cell(middle, kind, start)}  {cell(min(known), kind, start)} - {cell(max(known), kind, start)}"
    if kind == "count" and middle > 0:
        text += f" ({(min(known) / middle - 1):+.0%} / {(max(known) / middle - 1):+.0%} of the median)"
    return text + never


if __name__ == "__main__":
    raise SystemExit(main())
