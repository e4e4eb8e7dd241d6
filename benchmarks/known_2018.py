"""The 2018 corridor scenario as it could have been written on a given day: for the blind
check (``corridor_2018.py --blind``), which fits on the reports up to Oct 24 and scores
on those of Oct 25-31.

Every setting of the shipped scenario whose provenance row (``provenance_2018.csv``) is
dated after the day, or whose source or note cites a later date, is handled here, one way
or another, and each is listed with what was done (``Change``):

- *refitted*: a parameter the blind fit sets again (``examples/params/corridor_2018.yml``);
- *dropped*: a caravan or a checkpoint first reported after the day (all its settings go),
  and rest days reported after the day;
- *replaced*: a value set from a later report is set from what was known on the day (the
  caravan's road: the shortest road through the places reported by then and the spring
  2018 caravan's; anything else: the mechanism's default, "est");
- *kept*: rows that are not reports on the 2018 caravans (a general policy, another
  caravan's office, a road distance off the route) or estimates that only mention a
  later report, each with the reason. Anything set from a later report that none of the
  above covers is kept and flagged ``later`` (the blind check prints it; there is none).

The observations are dated the same way: a row about Oct 21 from an article of Oct 26
(``reported`` in ``observations_2018.csv``) is not fitted (``blind_observations``).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
from published import print_late

from caravana import simulation
from caravana.engine.roads import road_to, shortest_roads
from caravana.scenario.load import BUILTIN_DIR
from caravana.scenario.provenance import Provenance, later_dates, read_provenance, table_cell, table_rows_citing_later

PROVENANCE = BUILTIN_DIR / "corridor" / "provenance_2018.csv"
FIRST = "october-2018"
# The first caravan's rest days that the reports give (its stopovers in scenario.yml), by
# the date of the first report that shows them. Huixtla: the first arrivals on Oct 22 (AP,
# USA Today 2018-10-22) and the departure before dawn on Oct 24 (El Paso Times 2018-10-24).
REPORTED_RESTS = {"Huixtla": dt.date(2018, 10, 24), "San Pedro Tapanatepec": dt.date(2018, 10, 28),
                  "Juchitan": dt.date(2018, 10, 31)}
# The places the first caravan's road was reported through, by the date of the report.
REPORTED_ROAD = {"Mapastepec": dt.date(2018, 10, 24), "Pijijiapan": dt.date(2018, 10, 25),
                 "Arriaga": dt.date(2018, 10, 26), "San Pedro Tapanatepec": dt.date(2018, 10, 27),
                 "Santiago Niltepec": dt.date(2018, 10, 29), "Juchitan": dt.date(2018, 10, 30)}
# The spring 2018 caravan's places (caravans_other.csv, viacrucis-2018: its peak at Matias
# Romero, north from Mexico City, to Tijuana): where a caravan of 2018 was known to go.
SPRING_ROAD = ("Matias Romero", "Mexico City", "Tijuana", "Tijuana El Chaparral")
ROAD_MODES = ["road", "foot"]
# Values set from a later report, replaced by what the day knew: the mechanism's default.
DEFAULTS = {
    "corridor.caravans[*].stage_slack": (0.5, "the mechanism's default (est): the longest day, "
                                         "Pijijiapan-Arriaga on Oct 26, was reported later"),
    "corridor.papers.asylum.give_up_rate": (0.0, "the mechanism's default (est): the 495 who asked "
                                            "to go home were reported on Oct 26"),
}
# Rows citing a later date that are kept, and why.
KEPT = {"fact": "a general fact, not a report on the 2018 caravans",
        "caravan": "another caravan (caravans_other.csv), not a report on the 2018 caravans",
        "est": "an estimate (the mechanism's default or a guess) that only mentions a later report"}
ROAD_TABLE = ("the place and road tables (a town on the road, a road distance, an office) whose source also cites "
              "a later report: kept as geography, which was there before")
_LIST_ITEM = re.compile(r"^corridor\.(caravans|enforcement\.checkpoints)\[([^\]]+)\]")


@dataclass(frozen=True)
class Change:
    action: str  # refitted, dropped, replaced, kept, later
    setting: str
    date: str  # the latest date the row gives or cites
    how: str


def other_caravan_starts() -> set[str]:
    """Start dates of the other caravans (caravans_other.csv): citing one is citing that caravan."""
    with open(PROVENANCE.parent / "caravans_other.csv", encoding="utf-8", newline="") as f:
        return {r["start"] for r in csv.DictReader(f)}


def later_rows(until: dt.date) -> list[tuple[Provenance, str]]:
    """Provenance rows dated after ``until`` or citing a later date (not another caravan's
    start), with that latest date."""
    out = []
    starts = other_caravan_starts()
    for row in read_provenance(PROVENANCE):
        dates = set(later_dates(" ".join((row.source, row.note)), until)) - starts
        if row.date and row.date > until:
            dates.add(str(row.date))
        if dates:
            out.append((row, max(dates)))
    return out


def table_dates(key: str, until: dt.date) -> list[str]:
    """Later dates cited by a ``locations.csv/<name>`` or ``routes.csv/<from>-<to>`` row's source."""
    return later_dates(table_cell(PROVENANCE.parent, key + "/source") or "", until)


def _item(setting: str) -> tuple[str, str] | None:
    match = _LIST_ITEM.match(setting)
    return (match.group(1), match.group(2)) if match else None


def _first_reported(rows: list[Provenance], kind: str, name: str, field: str) -> dt.date | None:
    """The date of the row that says when caravan or checkpoint ``name`` starts."""
    prefix = "corridor.caravans" if kind == "caravans" else "corridor.enforcement.checkpoints"
    for row in rows:
        if row.setting == f"{prefix}[{name}].{field}":
            return row.date
    return None


def known_road(scenario, until: dt.date) -> list[str]:
    """The first caravan's itinerary as known on ``until``: its places up to the last one
    reported by then, then the shortest road through the spring 2018 caravan's places."""
    first = scenario.corridor.caravans[0]
    known = [p for p in first.itinerary if REPORTED_ROAD.get(p, dt.date.min) <= until]
    last = known.index(next(p for p in reversed(known) if p in REPORTED_ROAD or p == "Huixtla"))
    road = list(first.itinerary[: first.itinerary.index(known[last]) + 1])
    net = simulation(scenario, seed=0, days=1).network
    for goal in SPRING_ROAD:
        if goal in road:
            continue
        start = net.index(road[-1])
        _, pred = shortest_roads(net, ROAD_MODES, start, np.array([net.index(p) for p in road], dtype=np.int64))
        road += [net.names[i] for i in road_to(pred, start, net.index(goal))]
    return road


def as_known_on(scenario, until: dt.date, fitted: set[str] = frozenset()):
    """(the scenario as it could have been written on ``until``, the list of ``Change``s).

    ``fitted``: the setting paths the blind fit sets again."""
    rows = read_provenance(PROVENANCE)
    corridor = scenario.corridor
    changes: list[Change] = []
    drop_caravans = {c.name for c in corridor.caravans[1:]
                     if (_first_reported(rows, "caravans", c.name, "start_day") or dt.date.min) > until}
    drop_checks = {cp.name for cp in corridor.enforcement.checkpoints
                   if (_first_reported(rows, "checkpoints", cp.name, "start") or dt.date.min) > until}
    first = corridor.caravans[0]
    stopovers = {p: d for p, d in first.stopovers.items() if REPORTED_RESTS.get(p, until) <= until}
    road = known_road(scenario, until)
    update = {"stopovers": stopovers, "itinerary": road}
    defaults = {}
    for row, date in later_rows(until):
        item = _item(row.setting)
        path = row.setting.replace("[*]", f"[{FIRST}]")
        if any(f == path or f.startswith((path + ".", path + "[")) for f in fitted):
            changes.append(Change("refitted", row.setting, date, "fitted again to the reports up to the day"))
        elif item and item[0] == "caravans" and item[1] in drop_caravans:
            changes.append(Change("dropped", row.setting, date, f"caravan {item[1]} first reported after the day"))
        elif item and item[0] == "enforcement.checkpoints" and item[1] in drop_checks:
            changes.append(Change("dropped", row.setting, date, f"checkpoint '{item[1]}' first reported after the day"))
        elif row.setting == f"corridor.caravans[{FIRST}].stopovers" and set(first.stopovers) - set(stopovers):
            gone = sorted(set(first.stopovers) - set(stopovers))
            changes.append(Change("dropped", row.setting, date, "rest days reported after the day: " + ", ".join(
                f"{p} ({REPORTED_RESTS[p]:%b %d})" for p in gone) + f"; kept {stopovers}"))
        elif row.setting == f"corridor.caravans[{FIRST}].itinerary":
            same = road == list(first.itinerary)
            changes.append(Change("replaced", row.setting, date, "the places reported by then, then the shortest road "
                                  f"through the spring 2018 caravan's ({', '.join(SPRING_ROAD)})"
                                  + (": the same road as shipped" if same else f": {road}")))
        elif row.setting in DEFAULTS:
            value, how = DEFAULTS[row.setting]
            defaults[row.setting] = value
            changes.append(Change("replaced", row.setting, date, f"{value} ({how})"))
        elif row.kind in KEPT:
            changes.append(Change("kept", row.setting, date, KEPT[row.kind]))
        else:
            changes.append(Change("later", row.setting, date, f"KEPT although set from a report dated {date}"))
    listed = {c.setting.rsplit("/", 1)[0] for c in changes}
    for key in table_rows_citing_later(PROVENANCE.parent, until):
        if key not in listed:
            changes.append(Change("kept", key, max(table_dates(key, until)), ROAD_TABLE))
    if "corridor.caravans[*].stage_slack" in defaults:
        update["stage_slack"] = defaults["corridor.caravans[*].stage_slack"]
    caravans = [first.model_copy(update=update)] + [c for c in corridor.caravans[1:] if c.name not in drop_caravans]
    checks = [cp for cp in corridor.enforcement.checkpoints if cp.name not in drop_checks]
    papers = corridor.papers
    if "corridor.papers.asylum.give_up_rate" in defaults:
        asylum = papers.asylum.model_copy(update={"give_up_rate": defaults["corridor.papers.asylum.give_up_rate"]})
        papers = papers.model_copy(update={"asylum": asylum})
    corridor = corridor.model_copy(update={
        "caravans": caravans, "papers": papers,
        "enforcement": corridor.enforcement.model_copy(update={"checkpoints": checks})})
    blind = scenario.model_copy(update={"corridor": corridor})
    return blind, changes


def blind_observations(observations, until: dt.date):
    """(the rows a fit on ``until`` may use, plus the later-dated rows it holds back;
    every row it may not use, dated by its report): a row about a day up to ``until``
    whose report came out later is neither fitted nor in the calibration's held-back
    part, and is scored with the held-back rows."""
    return observations.as_published(until)[0], observations.known_by(until)[1]


def print_late_reports(observations, until: dt.date) -> None:
    late = observations.as_published(until)[1]
    print(f"reports about days up to {until:%b %d} that came out after it (not fitted): {len(late)}")
    print_late(late)


def print_changes(changes: list[Change], until: dt.date) -> None:
    print(f"settings set from, or citing, reports dated after {until:%b %d} ({len(changes)} rows of "
          f"{PROVENANCE.name}), and what the blind check does with each:")
    for action in ("dropped", "replaced", "refitted", "kept", "later"):
        mine = [c for c in changes if c.action == action]
        if not mine:
            continue
        print(f"  {action.upper()} ({len(mine)}):")
        for c in mine:
            print(f"    {c.setting} [{c.date}]: {c.how}")
    later = [c for c in changes if c.action == "later"]
    print(f"  => settings from a report after {until:%b %d} still in the blind scenario: {len(later)}")
