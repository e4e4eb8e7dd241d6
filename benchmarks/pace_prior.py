"""Caravans' paces per leg, and a caravan's pace prior from the OTHER caravans (leave-one-out).

    python benchmarks/pace_prior.py

A caravan's first days say how fast it walked while it was forming; how much faster or slower it then
went is a fact about caravans in general. For each caravan with dated positions the table has two legs:

- *first*: from its departure at its start in Mexico to its arrival at the first place where it rested a
  day or more;
- *later*: from its departure from that place to its furthest dated arrival in the data (the October 2018
  caravan: only reports dated up to Oct 31, 2018, the blind-test line).

pace = route km (``routes.csv``, the shortest road path) / travel days, travel days = arrival date -
departure date + 1 - the rest days reported in between. The ratio later / first is what a caravan's
pace did after its first days. For a caravan C the forecast's pace factor is drawn log-uniformly over
[0.8 x min, 1.25 x max] of the OTHER caravans' ratios (``ratio_range``: C's rows are dropped before any
is read), widened at each end by the forecast's default scatter (x0.8-1.25; two caravans cannot bound
it); C's prior pace is its own first-days pace times that factor, on every leg (the filter rejuvenates a
pace by one ratio on every leg, so the first days cannot be held apart; they are weighed against their
reports). The rule was
written before any forecast with it was scored
(``results/forecast_2021_2023-2026-11-27-session12-s12pace-rule.txt``). Applied to ``forecast_2021.py`` and
``forecast_2023.py`` (the default pace factor's range replaced; commit e371389) it failed that rule: coverage rose
(2021 50 -> 75 %, 2023 44 -> 47 %) but 2021's posterior count score rose 10.5 % (10 % allowed); reverted, the
table stays (``...-session12-s12pace-summary.txt``).

Since session 14 a forecast draws a caravan's later leg apart from its first days (``later_leg``: from the place
where the first days end, the first days' pace times a factor over ``ratio_range``, rests after ``later_rest_km``):
``forecast_2021.py`` (session 14) and ``forecast_2023.py`` (session 15) take it.

Session 16 (s16stay) added ``STAYS``: the whole days each caravan stayed at a place after its first day, a rest day
("rest") or a wait for an authority's answer ("talks": papers, permits, buses), and ``stay_range``, the range the same
leave-one-out rule would draw a stay's length over. It is printed; no forecast uses it: the October 2023 caravan's
8 days at Huixtla are beyond the 3.2-5.0 days the other caravans give (docs/history/forecast.md, *Session 16*).

Caravans with a whole-trip position only (``caravans_other.csv``: start, furthest km, end) are printed
for information, in km per calendar day (stops included): they have no first/later split and give no ratio.
"""

from __future__ import annotations

import csv
import datetime as dt
import heapq
from dataclasses import dataclass
from pathlib import Path

from caravana.scenario.load import BUILTIN_DIR

CORRIDOR = BUILTIN_DIR / "corridor"
SCATTER = (0.8, 1.25)  # the forecast's default pace factor (forecast/parameters.py), at each end of the range


@dataclass(frozen=True)
class Leg:
    """A stretch between two dated positions of one caravan, with its sources."""

    caravan: str
    kind: str  # "first" or "later"
    start: str
    left: dt.date
    end: str
    arrived: dt.date
    rests: int  # whole days at one place reported in between
    source: str

    def days(self) -> int:
        return (self.arrived - self.left).days + 1 - self.rests


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


LEGS = (
    Leg("october-2018", "first", "Ciudad Hidalgo", _d("2018-10-21"), "Huixtla", _d("2018-10-22"), 0,
        "observations_2018.csv: Ciudad Hidalgo departed 2018-10-21 (Epoch Times/AP), Tapachula arrived 10-21 and "
        "departed 10-22 (China Daily/AP 2018-10-23; USA Today 2018-10-22); timeline_2018_to_oct31.csv 2018-10-22: "
        "first arrivals in Huixtla after an 8-hour walk (AP); rest day in Huixtla 10-23 (USA Today 2018-10-25)"),
    Leg("october-2018", "later", "Huixtla", _d("2018-10-24"), "Juchitan", _d("2018-10-30"), 1,
        "observations_2018.csv: Huixtla departed 2018-10-24 (El Paso Times 2018-10-24); Juchitan arrived 10-30 "
        "(approx; AP/NBC via Euronews 2018-10-31); rest day at San Pedro Tapanatepec 10-28 (USA Today 2018-10-29)"),
    Leg("october-2021", "first", "Tapachula", _d("2021-10-23"), "Huixtla", _d("2021-10-25"), 0,
        "observations_2021.csv: Tapachula departed 2021-10-23 (AP 2021-10-27), Huixtla arrived 10-25 (Quadratin "
        "2021-10-25), departed 10-27 after a day of rest (AP 2021-10-27)"),
    Leg("october-2021", "later", "Huixtla", _d("2021-10-27"), "San Pedro Tapanatepec", _d("2021-11-09"), 2,
        "observations_2021.csv: Huixtla departed 2021-10-27 (AP); rested in Mapastepec over the weekend, Oct 30-31 "
        "(El Orbe 2021-11-01); San Pedro Tapanatepec arrived 11-09 (EFE 2021-11-09)"),
    Leg("october-2023", "first", "Tapachula", _d("2023-10-30"), "Huixtla", _d("2023-11-01"), 0,
        "observations_2023.csv: Tapachula departed 2023-10-30 (El Orbe; Reuters), Huixtla arrived 11-01 "
        "(La Razon 2023-11-01), stayed there to 11-10"),
    Leg("october-2023", "later", "Huixtla", _d("2023-11-10"), "Arriaga", _d("2023-11-15"), 0,
        "observations_2023.csv: Huixtla departed 2023-11-10 (N+ 2023-11-18; Cuarto Poder), Arriaga arrived 11-15 "
        "(approx; N+ 2023-11-18)"),
)


@dataclass(frozen=True)
class Rested:
    """A stretch of a caravan's later leg walked before a rest day (a whole day at one place), with its source."""

    caravan: str
    start: str  # where it set out after the rest before (or after its first days)
    end: str  # where it rested
    source: str


LATER_RESTS = (
    Rested("october-2018", "Huixtla", "San Pedro Tapanatepec",
           "timeline_2018.csv 2018-10-28: 'Rest day after a week of walking through Chiapas' at San Pedro Tapanatepec "
           "(USA Today 2018-10-29); it left Huixtla on Oct 24 (El Paso Times 2018-10-24)"),
    Rested("october-2018", "San Pedro Tapanatepec", "Juchitan",
           "timeline_2018.csv 2018-10-31: 'Caravan pauses in Juchitan', 'weary migrant caravan rests' (AP/NBC via "
           "Euronews 2018-10-31)"),
    Rested("october-2021", "Huixtla", "Mapastepec",
           "observations_2021.csv: rested in Mapastepec over the weekend, Oct 30-31 (El Orbe 2021-11-01)"),
    Rested("october-2023", "Huixtla", "Arriaga",
           "observations_2023.csv: 'reached Arriaga, where they rested two days and regrouped' (N+ 2023-11-18)"),
)


@dataclass(frozen=True)
class Stay:
    """Whole days a caravan's main body stayed at one place after its first day (arrival and departure days
    excluded), with its source. ``kind``: "rest" (a rest day on the road) or "talks" (waiting at the place for an
    authority's answer: papers, permits, buses). ``left``: False when its departure is not in the rows (it
    disbanded there, or left after the blind-test line): ``days`` is then only a lower bound."""

    caravan: str
    place: str
    kind: str
    days: int
    left: bool
    source: str


STAYS = (
    Stay("october-2018", "Huixtla", "rest", 1, True,
         "observations_2018.csv: first arrivals 10-22 (AP), rest day 10-23 (USA Today 2018-10-25), departed 10-24 "
         "(El Paso Times 2018-10-24)"),
    Stay("october-2018", "San Pedro Tapanatepec", "rest", 1, True,
         "observations_2018.csv: arrived 10-27 (USA Today 2018-10-27), rest day 10-28 (USA Today 2018-10-29), at "
         "Santiago Niltepec 10-29"),
    Stay("october-2018", "Juchitan", "talks", 1, False,
         "observations_2018.csv: arrived 10-30, 'rests ... asks for buses' 10-31 (AP/NBC via Euronews 2018-10-31); "
         "its departure is after the blind-test line (not read)"),
    Stay("october-2021", "Huixtla", "rest", 1, True,
         "observations_2021.csv: arrived 10-25 (Quadratin), departed 10-27 'after a day of rest' (AP 2021-10-27)"),
    Stay("october-2021", "Mapastepec", "rest", 2, True,
         "observations_2021.csv: 'rested in Mapastepec over the weekend' (Oct 30-31), resumed Nov 1 (El Orbe)"),
    Stay("viacrucis-2018", "Matias Romero", "talks", 4, True,
         "caravans_other.csv viacrucis-2018: peak 1,200 at Matias Romero on 2018-04-01 (caravans.csv); 'detained since "
         "the weekend' (Sat Mar 31) in talks with INM (AFP via centroprodh.org.mx ?p=56072, 2018-04); humanitarian "
         "visas and transit permits offered there, the rest to leave for Puebla 'tomorrow, Thursday' Apr 5 "
         "(angulo7.com.mx 2018-04-04): Apr 1-4, approx"),
    Stay("jun-2022", "Huixtla", "talks", 3, False,
         "caravans_other.csv jun-2022: left Tapachula Jun 6, disbanded at Huixtla (40 km) Jun 11 by agreement with INM "
         "(Reuters 2022-06-11); arrival at the first days' ~20 km a day, Jun 7-8 (est): at least Jun 8-10"),
    Stay("october-2023", "Huixtla", "talks", 8, True,
         "observations_2023.csv: arrived 11-01 'will stay until INM grants papers' (La Razon), rested Nov 2-7 and "
         "blocked the highway two days (N+ 2023-11-18; AP 2023-11-08), left about 11-10 (Cuarto Poder, approx)"),
    Stay("october-2023", "Arriaga", "rest", 1, True,
         "observations_2023.csv: arrived about 11-15, 'rested two days and regrouped' (N+ 2023-11-18), left 11-17 "
         "(El Orbe 2023-11-18)"),
)


def stay_range(leave_out: str, kind: str, stays: tuple[Stay, ...] = STAYS) -> tuple[float, float]:
    """[0.8 x min, 1.25 x max] of the whole days the caravans other than ``leave_out`` stayed at a place of
    ``kind`` and then left (``leave_out``'s rows dropped before any is read; a stay with no departure in the rows
    only bounds the days from below and is left out): the range a stay's length would be drawn over by the
    pace legs' rule (``ratio_range``). Session 16 (s16stay) printed it and changed no forecast with it."""
    others = [s.days for s in stays if s.caravan != leave_out and s.kind == kind and s.left]
    if not others:
        raise ValueError(f"no caravan but {leave_out} stayed at a place for {kind} and left")
    return SCATTER[0] * min(others), SCATTER[1] * max(others)


def later_rest_km(leave_out: str, rests: tuple[Rested, ...] = LATER_RESTS) -> float:
    """The mean road km the caravans other than ``leave_out`` walked between rest days after their first days
    (``LATER_RESTS``; ``leave_out``'s rows dropped before any is read): a later leg's ``rest_after_km``, read as
    session 10 read the October 2018 caravan's (docs/history/forecast.md, *Session 10*: its mean, 187 km)."""
    others = [road_km(r.start, r.end) for r in rests if r.caravan != leave_out]
    if not others:
        raise ValueError(f"no caravan but {leave_out} has a rest after its first days")
    return sum(others) / len(others)


def road_km(start: str, end: str, routes: Path = CORRIDOR / "routes.csv") -> float:
    """The shortest road distance between two places of ``routes.csv`` (links both ways)."""
    graph: dict[str, list[tuple[str, float]]] = {}
    with routes.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["mode"] == "road":
                km = float(row["km"])
                graph.setdefault(row["from"], []).append((row["to"], km))
                graph.setdefault(row["to"], []).append((row["from"], km))
    best, queue = {start: 0.0}, [(0.0, start)]
    while queue:
        km, place = heapq.heappop(queue)
        if place == end:
            return km
        if km > best.get(place, float("inf")):
            continue
        for nxt, step in graph.get(place, ()):
            if km + step < best.get(nxt, float("inf")):
                best[nxt] = km + step
                heapq.heappush(queue, (km + step, nxt))
    raise ValueError(f"routes.csv: no road from {start} to {end}")


def pace(leg: Leg) -> float:
    """km a travel day on the leg."""
    return road_km(leg.start, leg.end) / leg.days()


def ratios(legs: tuple[Leg, ...] = LEGS) -> dict[str, float]:
    """later pace / first pace of every caravan with both legs."""
    by = {(leg.caravan, leg.kind): pace(leg) for leg in legs}
    return {c: by[(c, "later")] / by[(c, "first")] for c, kind in by if kind == "first" and (c, "later") in by}


def ratio_range(leave_out: str, legs: tuple[Leg, ...] = LEGS) -> tuple[float, float]:
    """[0.8 x min, 1.25 x max] of the later/first ratios of the caravans other than ``leave_out``,
    whose rows are dropped before any is read."""
    others = ratios(tuple(leg for leg in legs if leg.caravan != leave_out))
    if not others:
        raise ValueError(f"no caravan but {leave_out} has a first and a later leg")
    return SCATTER[0] * min(others.values()), SCATTER[1] * max(others.values())


def first_days_pace(caravan: str, legs: tuple[Leg, ...] = LEGS) -> float:
    """The caravan's own first-days pace (the only row of its own the prior reads)."""
    return next(pace(leg) for leg in legs if leg.caravan == caravan and leg.kind == "first")


def later_leg(caravan: str, legs: tuple[Leg, ...] = LEGS, rests: tuple[Rested, ...] = LATER_RESTS) -> tuple[str, str]:
    """A forecast's later leg for ``caravan`` (session 14, s14pace's rule, stated for any caravan): ``(setting,
    factor)``, a ``--set`` and a ``--vary-also`` of ``corridor.caravans[0]``.

    It starts where the first days end: the first place where the caravan stayed a whole day or more (its
    *first* row in ``LEGS``, which its reports by the first as-of date give). Its km a travel day is the
    first days' pace (``first_days_pace``) times a factor of its own over ``ratio_range``, and it rests
    after ``later_rest_km``, the other caravans' figures only. The first days keep the scenario's pace,
    rests and default pace factor."""
    first = next(leg for leg in legs if leg.caravan == caravan and leg.kind == "first")
    setting = (f"corridor.caravans[0].pace=[{{from: {first.end}, km: {first_days_pace(caravan, legs):g}, "
               f"rest_after_km: {round(later_rest_km(caravan, rests))}}}]")
    return setting, "corridor.caravans[0].pace[0].km={:.2f}:{:.2f}".format(*ratio_range(caravan, legs))


def whole_trips(path: Path = CORRIDOR / "caravans_other.csv") -> list[tuple[str, float, int, float]]:
    """(caravan, km, calendar days, km a day) of the caravans with a furthest km and an end date."""
    rows = []
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["furthest_km"] and row["end"]:
                days = (_d(row["end"]) - _d(row["start"])).days + 1
                rows.append((row["name"], float(row["furthest_km"]), days, float(row["furthest_km"]) / days))
    return rows


def main() -> int:
    print("Caravans' paces per leg (km a travel day; route km from routes.csv):")
    for leg in LEGS:
        print(f"  {leg.caravan:<13} {leg.kind:<5} {leg.start} {leg.left} -> {leg.end} {leg.arrived}: "
              f"{road_km(leg.start, leg.end):5.0f} km / {leg.days():2d} travel days ({leg.rests} rest) = "
              f"{pace(leg):5.1f} km a day\n      source: {leg.source}")
    print("\nlater / first ratios: " + ", ".join(f"{c} {r:.2f}" for c, r in ratios().items()))
    print("\nleave-one-out pace factor (0.8 x min, 1.25 x max of the other caravans' ratios) and the prior it gives:")
    for caravan in ratios():
        low, high = ratio_range(caravan)
        first = first_days_pace(caravan)
        print(f"  {caravan:<13} x{low:.2f}-{high:.2f}; first days {first:.1f} km -> {first * low:.1f}-{first * high:.1f} "
              f"km a travel day")
    print("\nkm walked before a rest day after the first days (road km; a later leg's rest_after_km):")
    for r in LATER_RESTS:
        print(f"  {r.caravan:<13} {r.start} -> {r.end}: {road_km(r.start, r.end):5.0f} km\n      source: {r.source}")
    print("leave-one-out mean of the other caravans': " + ", ".join(
        f"{c} {later_rest_km(c):.0f} km" for c in dict.fromkeys(r.caravan for r in LATER_RESTS)))
    print("\nwhole days stayed at a place after the first day (kind; '>=': no departure in the rows, a lower bound):")
    for st in STAYS:
        print(f"  {st.caravan:<14} {st.place:<22} {st.kind:<5} {'' if st.left else '>='}{st.days} days\n"
              f"      source: {st.source}")
    for kind in ("rest", "talks"):
        print(f"leave-one-out stay range for {kind} (0.8 x min, 1.25 x max of the other caravans' stays that ended in "
              "a departure): " + ", ".join(f"{c} {low:.1f}-{high:.1f} days" for c in dict.fromkeys(s.caravan for s in STAYS)
                                           for low, high in [stay_range(c, kind)]))
    print("\nwhole trips only (caravans_other.csv; km a calendar day, stops included; no ratio):")
    for name, km, days, per_day in whole_trips():
        print(f"  {name:<13} {km:5.0f} km in {days:2d} days = {per_day:4.1f} km a day")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
