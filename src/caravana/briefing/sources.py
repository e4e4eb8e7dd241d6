"""Where a briefing's numbers come from: a run or ensemble folder (through the dashboard's
reader, :func:`caravana.display.loading.load_folder`, shared by the dashboard, the
report and ``caravana brief``) or a forecast folder (its ``places``, ``daily`` and
``forecast.json``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..behaviours.corridor.aid import NEEDS, read_standards
from ..engine.status import STAYING
from ..errors import UnknownPlace
from ..results.bands import member_median
from ..scenario.aliases import resolve
from ..scenario.names import recorded_builtin, recorded_key
from .figures import TOTALLED, Briefing, Need, Spread, from_members, near

STAYING_INDEX = [int(s) for s in STAYING]
KEY_TYPES = {"shelter", "port_of_entry", "border_crossing"}
KEY_POPULATION = 50_000  # towns this big on the route are key places too
KEY_PLACES = 8


def present_of(run, place: str) -> np.ndarray:
    """(members, days) people staying at ``place`` in a loaded run or ensemble."""
    return run.counts[:, :, run.places.index(place), STAYING_INDEX].sum(axis=-1)


def briefing_of_run(run, place: str) -> Briefing:
    """The briefing of ``place`` from a :class:`~caravana.display.loading.LoadedRun`."""
    return from_members(
        place, present_of(run, place), kind=run.kind, scenario=run.scenario, source=str(run.folder),
        builtin=recorded_builtin(run.metadata),
        start=run.start, reports=run.observations, geography=run.geography, weights=run.weights,
    )


def key_places(places, geography: dict | None, staying: np.ndarray, n: int = KEY_PLACES,
               weights: np.ndarray | None = None, among: Collection[str] | None = None) -> list[str]:
    """The places a briefing is most wanted for, in route order: border crossings, ports of
    entry, shelters and large towns on a caravan's road where anyone stayed, the busiest
    ``n`` of them by the median over members of each member's own peak (weighted with the
    members' ``weights``). ``staying`` is (members, days, places); ``among``: only these
    places (a forecast's: those it has figures for, ahead of a caravan)."""
    places = list(places)
    info = {p["name"]: p for p in (geography or {}).get("places", [])}
    order: list[str] = []
    for road in (geography or {}).get("itineraries", {}).values():
        order += [p for p in road["places"] if p not in order]
    peaks = dict(zip(places, member_median(np.asarray(staying).max(axis=1), weights)))

    def key(p: str) -> bool:
        i = info.get(p, {})
        return not info or i.get("type") in KEY_TYPES or (i.get("population") or 0) >= KEY_POPULATION

    chosen = [p for p in (order or places) if p in peaks and key(p) and peaks[p] > 0 and (among is None or p in among)]
    # The border cities where caravans end (ports of entry, each road's last place) always; then the busiest.
    ends = {road["places"][-1] for road in (geography or {}).get("itineraries", {}).values()}
    border = [p for p in chosen if p in ends or info.get(p, {}).get("type") == "port_of_entry"]
    busiest = set(border) | set(sorted((p for p in chosen if p not in border), key=lambda p: -peaks[p])[:n])
    return [p for p in chosen if p in busiest]


def key_places_of_run(run, n: int = KEY_PLACES, among: Collection[str] | None = None) -> list[str]:
    return key_places(run.places, run.geography, run.counts[..., STAYING_INDEX].sum(axis=-1), n, run.weights, among)


def briefed_places(folder: Path) -> list[str] | None:
    """The places a folder's briefings may be of: a forecast's, those it has figures for (ahead of
    a caravan on its as-of date); None for a run or an ensemble (any place)."""
    return forecast_places(folder) if is_forecast(folder) else None


def briefing_of_loaded(run, place: str) -> Briefing:
    """The briefing of ``place`` in a loaded folder, as ``caravana brief`` gives it: a forecast
    folder's is the forecast's own (:func:`forecast_briefing`: its figures after the as-of
    date), not one made again from its posterior's members (whose series start before the
    as-of date and mix every caravan); a run's or an ensemble's, from its members."""
    if is_forecast(run.folder):
        return forecast_briefing(run.folder, place)
    return briefing_of_run(run, place)


# Forecast folders -----------------------------------------------------------------------

def is_forecast(folder: Path) -> bool:
    return (Path(folder) / "forecast.json").is_file() and (Path(folder) / "places.parquet").is_file()


def _spread(row: dict, prefix: str, particles: int, *, dates: bool = False, start: dt.date | None = None):
    values = [row.get(f"{prefix}_{q}") for q in ("p5", "p50", "p95")]
    known = [v for v in values if v is not None and not (isinstance(v, float) and np.isnan(v))]
    if len(known) < len(values):
        return None
    if dates:
        if start is None:
            raise ValueError("a spread of dates needs the start date")
        known = [(v - start).days for v in known]
    return Spread(float(known[0]), float(known[1]), float(known[2]), particles, particles)


def forecast_places(folder: Path) -> list[str]:
    table = pq.read_table(Path(folder) / "places.parquet", columns=["ensemble", "place"])
    mine = table.filter(pc.equal(table["ensemble"], "posterior"))
    return list(dict.fromkeys(mine["place"].to_pylist()))


def briefing_of_forecast(folder: Path, place: str, *, geography: dict | None = None) -> Briefing:
    """A forecast's briefing of ``place``: its posterior ensemble's own figures (P5-P95 over
    particles of each particle's peak, arrival, people-days and needs at its peak) and the
    reports at or near the place, those used (up to the as-of date) and those after it."""
    folder = Path(folder)
    meta = json.loads((folder / "forecast.json").read_text(encoding="utf-8"))
    ahead = forecast_places(folder)
    known = [p["name"] for p in (geography or {}).get("places", [])]
    # a place of the scenario behind every caravan: named in the error below, not "no place named"
    place = resolve(place, ahead + [p for p in known if p not in ahead], recorded_key(meta))
    rows = pq.read_table(folder / "places.parquet",  # the place's rows only (a report briefs several)
                         filters=[("ensemble", "=", "posterior"), ("place", "=", place)]).to_pylist()
    as_of = dt.date.fromisoformat(meta["as_of"])
    if not rows:
        places = ", ".join(ahead) or "none"
        raise UnknownPlace(f"{folder}: the forecast has no figures for '{place}' (it covers the places ahead of "
                           f"the caravan on {as_of}: {places})", dates=(as_of,))
    # The place's peak counts everyone there, so it is the same in every caravan's row: this is the
    # first row, the scenario's first caravan with the place ahead (the others: other_caravans).
    row = max(rows, key=lambda r: r.get("peak_present_p50") or 0)
    start = as_of - dt.timedelta(days=_as_of_day(folder, as_of))
    n = int(meta.get("particles") or 0)
    standards = read_standards()
    person_days = _spread(row, "person_days", n)
    needs = []
    for name, (standard, _) in NEEDS.items():
        per_day = _spread(row, f"peak_{name}", n)
        if per_day is not None:
            # water and food over the whole stay: the people-days times the daily standard
            total = person_days.scaled(standards[standard]) if person_days and name in TOTALLED else None
            needs.append(Need(name, standard, standards[standard], per_day, total))
    end = dt.date.fromisoformat(meta["forecast_end"])
    briefing = Briefing(
        place=place, kind="forecast", members=n, scenario=str(meta.get("scenario", "?")), source=str(folder),
        builtin=recorded_builtin(meta),
        start=start, end=end, made=dt.date.today(), as_of=as_of,
        peak=_spread(row, "peak_present", n), arrival=_spread(row, "arrival", n, dates=True, start=start),
        departure=None, still_there=0, from_start=None,
        days_above_half=_days_above_half(folder, place, row.get("caravan"), as_of, end),
        person_days=person_days, needs=needs,
        reports=near(_reports(meta, folder), place, geography), geography=geography,
        caravan=row.get("caravan") if len(rows) > 1 else None,
        other_caravans=[(r.get("caravan"), _spread(r, "arrival", n, dates=True, start=start))
                        for r in rows if r is not row],
    )
    return briefing


def _as_of_day(folder: Path, as_of: dt.date) -> int:
    daily = pq.read_table(folder / "daily.parquet", columns=["day", "date"]).slice(0, 1).to_pylist()
    if not daily:
        return 0
    return (as_of - (daily[0]["date"] - dt.timedelta(days=daily[0]["day"]))).days


def _days_above_half(folder: Path, place: str, caravan: str | None, as_of: dt.date, end: dt.date) -> Spread | None:
    """Days the posterior median of people present is above half its own highest value
    (the forecast keeps bands, not each particle's series): a single figure, no range.
    The daily table repeats a place's series under each caravan that has it ahead: one
    caravan's (the briefing's row's), not their concatenation. Counted over the forecast's
    days, after ``as_of`` up to ``end``, as its peak and people-days are (the table starts on
    the scenario's first day: "20 days" in a 10-day forecast counted the past)."""
    daily = pq.read_table(folder / "daily.parquet", columns=["caravan", "date", "p50"],  # the place's rows only
                          filters=[("ensemble", "=", "posterior"), ("series", "=", "present"), ("place", "=", place)])
    p50 = np.array([r["p50"] for r in daily.to_pylist() if r["caravan"] == caravan and as_of < r["date"] <= end],
                   dtype=np.float64)
    if len(p50) == 0 or np.nanmax(p50) <= 0:
        return None
    days = float((p50 > np.nanmax(p50) / 2).sum())
    return Spread(days, days, days, 1, 1)


def _reports(meta: dict, folder: Path) -> list[dict]:
    """Every report of the forecast's observations file, marked used or held back; the file gone
    (the folder moved to another machine), the copy the forecast keeps beside its bands."""
    from ..observations import read_observations

    path = meta.get("observations_file")
    as_of = dt.date.fromisoformat(meta["as_of"])
    if path and Path(path).is_file():
        rows = [{"date": r.date, "place": r.place, "quantity": str(r.quantity), "value": r.value, "low": r.low,
                 "high": r.high, "source": r.source, "note": r.note} for r in read_observations(path)]
    elif (folder / "reports.parquet").is_file():  # written by caravana.forecast.output
        rows = pq.read_table(folder / "reports.parquet").to_pylist()
    else:
        return []
    return [{**{k: r.get(k) for k in ("place", "quantity", "value", "low", "high", "source", "note")},
             "date": r["date"].isoformat(), "after_as_of": r["date"] > as_of} for r in rows if r["place"]]


def forecast_geography(folder: Path) -> dict | None:
    """A forecast folder's map, the one its briefings use wherever they are shown: the
    ``world.json`` written with it (its scenario's, whatever the scenario's name), else, for an
    older folder, its built-in scenario's by name; else none."""
    from ..display.context import builtin_context, read_world
    from ..scenario.load import builtin_names

    world = read_world(Path(folder))
    if world is not None:
        return world
    name = json.loads((Path(folder) / "forecast.json").read_text(encoding="utf-8")).get("scenario")
    return builtin_context(name).get("geography") if name in builtin_names() else None


def forecast_briefing(folder: Path, place: str) -> Briefing:
    """The one briefing of ``place`` in a forecast folder: `caravana brief`, the report and the
    dashboard all show this one. (Each once took the map from elsewhere: brief from the built-in
    scenario of the forecast's name, so a forecast of a renamed or own scenario listed only the
    reports at the place itself, 4 at Tapachula where the report listed 10 nearby.)"""
    return briefing_of_forecast(folder, place, geography=forecast_geography(folder))


def briefing(source: str | Path, place: str) -> Briefing:
    """The briefing of ``place`` from a run, ensemble or forecast folder."""
    folder = Path(source)
    if is_forecast(folder):
        return forecast_briefing(folder, place)
    from ..display.loading import load_folder

    run = load_folder(folder)
    return briefing_of_run(run, resolve(place, run.places, recorded_key(run.metadata)))
