"""What each panel shows, computed from a loaded run: plain dicts ready for JSON.

Ensembles are summarised: the map shows medians, charts show the P5-P95 and P25-P75
bands and the median, tables show the median and P95 (the figure to plan for). A single
run is an ensemble of one, so every band collapses to its value.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..display.geography import place_at, point_at, stretch
from ..display.loading import STATS, LoadedRun
from ..engine.status import STAYING
from ..i18n import N_
from ..metrics import STATUSES as OBSERVED_STATUSES
from ..results.bands import member_median, summarise

# Head-counts a chart can show, as sums of statuses. The observation quantities keep the
# meaning caravana.metrics gives them, so observed points sit on their own counterpart.
QUANTITIES: dict[str, tuple[int, ...]] = {
    **{str(q): tuple(int(s) for s in statuses) for q, statuses in OBSERVED_STATUSES.items()},
    "staying": tuple(int(s) for s in STAYING),
}
QUANTITY_LABELS = {
    "present": N_("present (staying, on the road leaving, or detained here)"),
    "staying": N_("staying (resting, waiting, arrived: sheltered and fed)"),
    "camp": N_("resting (Flee's camp count)"),
    "returned": N_("returned home (incl. deported)"),
}
# The needs table's columns and their headings (the page gets them from GET /api/page).
NEEDS_COLUMNS = {
    "present": N_("staying (resting, waiting, arrived)"), "sheltered": N_("in shelter"), "plaza": N_("in plazas"),
    "water_l": N_("water (l)"), "food_kcal": N_("food (kcal)"), "covered_m2": N_("covered space (m²)"),
    "toilets": N_("toilets"),
}
P50, P95 = STATS.index("p50"), STATS.index("p95")


def _clean(x: float | None) -> float | None:
    return None if x is None or math.isnan(x) else round(float(x), 2)


def bands(values: np.ndarray, weights: np.ndarray | None = None) -> dict[str, list[float | None]]:
    """Percentiles and mean across members (axis 0), one list per statistic; weighted by
    the members' ``weights`` (a forecast's posterior: :mod:`caravana.results.bands`)."""
    return {s: [_clean(v) for v in row] for s, row in zip(STATS, summarise(values, weights=weights))}


def quantity(run: LoadedRun, name: str) -> np.ndarray:
    """(members, days, places) head-counts of one quantity."""
    return run.counts[..., list(QUANTITIES[name])].sum(axis=-1)


def summary(run: LoadedRun) -> dict[str, Any]:
    """A run's header: what it is, its places, and its outcomes at the end."""
    from ..briefing.sources import briefed_places
    from ..scenario.names import recorded_key

    final = run.counts[:, -1].sum(axis=1)  # (members, statuses)
    outcomes = {name: {s: v[0] for s, v in bands(final[:, [i]], run.weights).items()}
                for i, name in enumerate(run.statuses)}
    geo = {p["name"]: p for p in (run.geography or {}).get("places", [])}
    return {
        "kind": run.kind,
        "scenario": run.scenario,
        # the key its places' shown names go by: "" for a user's own scenario, even one named "corridor"
        "names": recorded_key(run.metadata),
        "seed": run.seed,
        "members": run.members,
        # a forecast's weighted posterior: Kish's effective number of particles (None: members weigh alike)
        "effective_members": None if run.weights is None else round(1.0 / float(np.sum(run.weights**2)), 1),
        # a forecast's posterior resampled at the as-of date weighs alike but is still a forecast
        "forecast_as_of": (run.metadata.get("forecast") or {}).get("as_of"),
        # the places a briefing can be of: a forecast's, those ahead of a caravan (None: any)
        "briefed_places": briefed_places(run.folder),
        "start": run.start.isoformat(),
        "days": run.days,
        "places": [
            {"name": name, **{k: geo[name].get(k) for k in ("lat", "lon", "type", "country", "capacity")}}
            if name in geo else {"name": name}
            for name in run.places
        ],
        "quantities": [{"name": q, "label": QUANTITY_LABELS.get(q, q)} for q in QUANTITIES],
        "outcomes": outcomes,
        "people": int(member_median(run.counts[:, -1].sum(axis=(1, 2)), run.weights)),
        "caravans": [{"name": name, **arrival} for name, arrival in run.arrivals.items()],
        "has_needs": bool(run.needs),
        "has_events": run.events is not None and run.events.num_rows > 0,
    }


def map_frames(run: LoadedRun) -> dict[str, Any]:
    """Everything the map animates: people staying per day and place (median), and each
    caravan's column per day (median positions)."""
    from ..briefing.sources import key_places_of_run

    staying = member_median(quantity(run, "staying"), run.weights).round().astype(int)
    return {
        "dates": [run.date(d).isoformat() for d in range(run.days)],
        "places": list(run.places),
        "key_places": key_places_of_run(run),  # always labelled on the map (where the labels fit)
        "staying": staying.tolist(),
        "routes": (run.geography or {}).get("routes", []),
        "caravans": [caravan_frames(run, name) for name in run.caravans],
        # caravan -> destination -> the road from its first fork (world.json): drawn dashed
        "fork_roads": (run.geography or {}).get("fork_roads", {}),
    }


def caravan_frames(run: LoadedRun, name: str) -> dict[str, Any]:
    """Per day: people with the caravan and arrived, head/centre/tail (km, place, map
    point), and the column's stretch along its road as [lat, lon] points; null before it
    forms. Without the road's geometry (a scenario we cannot read), no map points."""
    q = {k: v[P50] for k, v in run.caravans[name].items()}
    road = (run.geography or {}).get("itineraries", {}).get(name)
    days: list[dict[str, Any] | None] = []  # None: the caravan has not formed that day
    for d in range(run.days):
        if "head_km" not in q or math.isnan(q["head_km"][d]):
            days.append(None)
            continue
        ends = {}
        for end in ("head", "centre", "tail"):
            km = float(q[f"{end}_km"][d])
            lat, lon = point_at(road, km) if road else (None, None)
            ends[end] = {"km": round(km, 1), "lat": lat, "lon": lon, "place": place_at(road, km) if road else None}
        path = stretch(road, float(q["tail_km"][d]), float(q["head_km"][d])) if road else []
        days.append({"size": int(np.nan_to_num(q["size"][d])), "arrived": int(np.nan_to_num(q["arrived"][d])),
                     **ends, "path": [[round(a, 4), round(b, 4)] for a, b in path]})
    return {"name": name, "road": road, "days": days}


def series(run: LoadedRun, place: str, name: str) -> dict[str, Any]:
    """Daily bands of one quantity at one place, and the observations of it there."""
    values = quantity(run, name)[:, :, run.places.index(place)]
    return {
        "place": place,
        "quantity": name,
        "members": run.members,
        "dates": [run.date(d).isoformat() for d in range(run.days)],
        **bands(values, run.weights),
        # each member's own highest day: the daily median above flattens a crowd passing through
        "own_peak": {k: v[0] for k, v in bands(values.max(axis=1)[:, None], run.weights).items()},
        "observations": [o for o in run.observations if o["place"] == place and o["quantity"] == name],
        "as_of": (run.metadata.get("forecast") or {}).get("as_of"),  # a forecast's last report date used
    }


def needs_rows(run: LoadedRun, place: str, first_day: int, last_day: int) -> list[dict[str, Any]]:
    """Needs per day at one place: the median and, for an ensemble, the P95."""
    i = run.places.index(place)
    columns = [c for c in NEEDS_COLUMNS if c in run.needs]
    rows = []
    for d in range(first_day, last_day + 1):
        row: dict[str, Any] = {"day": d, "date": run.date(d).isoformat()}
        row.update({c: _clean(run.needs[c][P50, d, i]) for c in columns})
        if run.kind == "ensemble":
            row.update({f"{c}_p95": _clean(run.needs[c][P95, d, i]) for c in columns})
        rows.append(row)
    return rows


def needs_places(run: LoadedRun) -> list[str]:
    """Places where anyone stayed on any day, most person-days first."""
    if "present" not in run.needs:
        return []
    total = run.needs["present"][P95].sum(axis=0)  # P95: places an ensemble's median may miss
    return [run.places[i] for i in np.argsort(-total, kind="stable") if total[i] > 0]


def event_places(run: LoadedRun) -> list[str]:
    """Places where anything happened, most people first."""
    if run.events is None or run.events.num_rows == 0:
        return []
    totals = run.events.group_by("place").aggregate([("count", "sum")]).sort_by([("count_sum", "descending")])
    return [str(p) for p in totals["place"].to_pylist()]


def event_rows(run: LoadedRun, place: str | None, first_day: int, last_day: int) -> list[dict[str, Any]]:
    """People per event and cause (detained at a checkpoint, died in a truck accident...)
    over days ``first_day..last_day``, at one place or (``place`` None) everywhere, with the
    first and last date it happened; most people first. For an ensemble, people are the
    members' mean, rounded."""
    t = run.events
    if t is None:
        return []
    day = t["day"]
    keep = pc.and_(pc.greater_equal(day, first_day), pc.less_equal(day, last_day))
    if place is not None:
        keep = pc.and_(keep, pc.equal(t["place"].cast(pa.string()), place))
    grouped = t.filter(keep).group_by(["event", "cause"]).aggregate(
        [("count", "sum"), ("day", "min"), ("day", "max")]
    ).sort_by([("count_sum", "descending"), ("event", "ascending"), ("cause", "ascending")])
    return [
        {"event": str(r["event"]), "cause": r["cause"] or "", "people": round(r["count_sum"]),
         "first": run.date(int(r["day_min"])).isoformat(), "last": run.date(int(r["day_max"])).isoformat()}
        for r in grouped.to_pylist()
    ]


def as_table(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows)
