"""From particles to a forecast: arrival windows, head-counts and needs at the places
ahead of each caravan, and daily bands, for the posterior and the prior ensembles.

Definitions (the same as ``caravana.metrics`` and ``benchmarks/corridor_2018.py``):

- the *main body* of a caravan is its centre, the median member's position along
  its route; it *arrives* at a place on the first day it is at or past the place;
- a place is *ahead* when it lies beyond the posterior median position of the
  centre at the end of the as-of day;
- *present* at a place: people staying there (resting, waiting for papers, or
  arrived at the border), the head-count the ``needs`` table is computed from;
- *arrivals* / *departures* at a place: cumulative people who came to stay there / who
  stayed there and left, since the start (``behaviours/flows.py``);
- *needs* at a place: the ``needs`` table's water, food, covered space and toilets
  on the particle's day of peak presence there within the forecast window.

Quantiles are over particles (P5, P25, P50, P75, P95, as days or head-counts that
some particle actually had), weighted by the particles' weights when the posterior is
kept weighted (``filter.assimilate(..., resample_at_as_of=False)``). A caravan that never reaches a place within the
window counts as arriving after it: its arrival quantile then reads "after".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from ..behaviours.corridor.aid import NEEDS
from ..engine.status import STAYING
from ..engine.world import World
from ..results.bands import member_median, weighted_quantiles
from ..results.results import Results
from ..scenario.schema import Scenario

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
LABELS = ("p5", "p25", "p50", "p75", "p95")
ENSEMBLES = ("posterior", "prior")
FLOWS = ("arrivals", "departures")


def quantiles(values: np.ndarray, axis: int = 0, weights: np.ndarray | None = None) -> np.ndarray:
    """P5..P95 along ``axis``, each a value some particle had (inf allowed: never);
    ``weights`` (one per particle along ``axis``): the weighted quantiles, the smallest
    value whose particles' weight up to it reaches the level (the inverse of the weighted
    empirical distribution)."""
    if weights is None:
        return np.quantile(values, QUANTILES, axis=axis, method="inverted_cdf")
    return weighted_quantiles(np.moveaxis(np.asarray(values), axis, 0), weights)  # an ensemble folder's rule too




def weighted_mean(values: np.ndarray, weights: np.ndarray | None) -> float:
    """The mean over particles (weighted when ``weights`` is given)."""
    return float(np.mean(values) if weights is None else np.average(values, weights=weights))


@dataclass
class Outcome:
    """One particle's run as the arrays a forecast reduces."""

    caravans: tuple[str, ...]
    centre_km: np.ndarray  # (caravans, days), NaN before a caravan forms
    size: np.ndarray  # (caravans, days) members travelling with it
    present: np.ndarray  # (days, places) people staying at each place
    flows: dict[str, np.ndarray]  # "arrivals"/"departures" -> (days, places), cumulative
    needs: dict[str, np.ndarray]  # need -> (days, places); empty without a needs table

    @classmethod
    def of(cls, results: Results) -> Outcome:
        days, places = results.days, len(results.places)
        present = results.counts[:, :, [int(s) for s in STAYING]].sum(axis=2)
        caravans: tuple[str, ...] = ()
        centre = size = np.zeros((0, days))
        table = results.tables.get("caravans")
        if table is not None:
            caravans = tuple(dict.fromkeys(table.column("caravan").to_pylist()))
            k = len(caravans)
            # The log has one row per caravan and simulated day, caravan by caravan.
            centre = table.column("centre_km").to_numpy().reshape(k, -1)[:, :days]
            size = table.column("size").to_numpy().reshape(k, -1)[:, :days]
        needs = {}
        table = results.tables.get("needs")
        if table is not None:
            index = {name: i for i, name in enumerate(results.places)}
            day = table.column("day").to_numpy()
            place = np.array([index[p] for p in table.column("place").to_pylist()], dtype=np.int64)
            for need in NEEDS:
                grid = needs[need] = np.zeros((days, places))
                grid[day, place] = table.column(need).to_numpy()
        flows = {name: results.arrays[name].values for name in FLOWS if name in results.arrays}
        return cls(caravans, np.asarray(centre, dtype=np.float64), np.asarray(size, dtype=np.float64), present,
                   flows, needs)


@dataclass(frozen=True)
class Route:
    """A caravan's places in order and their km from its origin."""

    caravan: str
    places: tuple[str, ...]
    km: np.ndarray

    @classmethod
    def all_of(cls, scenario: Scenario) -> list[Route]:
        if scenario.corridor is None:
            return []
        world = World.of(scenario)
        roads = {spec.name: world.road(spec.name) for spec in scenario.corridor.caravans}
        return [cls(name, tuple(r["places"]), np.asarray(r["km"], dtype=np.float64)) for name, r in roads.items()]


def arrival_days(centre_km: np.ndarray, km: np.ndarray) -> np.ndarray:
    """(particles, places) first day each particle's centre is at or past each km; inf: never.

    ``centre_km`` is (particles, days)."""
    at = np.nan_to_num(centre_km, nan=-np.inf)[:, :, None] >= km[None, None, :] - 1e-3
    first = np.argmax(at, axis=1).astype(np.float64)
    return np.where(at.any(axis=1), first, np.inf)


@dataclass
class Forecast:
    """The reduced forecast: per place ahead, and per day."""

    scenario: str
    start: dt.date
    as_of: dt.date
    end: dt.date
    places: pa.Table  # one row per ensemble, caravan and place ahead
    daily: pa.Table  # one row per ensemble, series and day: P5..P95
    routes: list[Route]  # each caravan's route (empty without caravans)


def _quantile_columns(prefix: str, values: np.ndarray, weights: np.ndarray | None = None) -> dict[str, float]:
    """``prefix_p5`` ... ``prefix_p95`` of a 1-d sample (NaN when empty or of no weight)."""
    if len(values) == 0 or (weights is not None and not np.sum(weights) > 0):
        return {f"{prefix}_{label}": float("nan") for label in LABELS}
    return {f"{prefix}_{label}": float(q) for label, q in zip(LABELS, quantiles(values, weights=weights))}


def summarise(
    scenario: Scenario,
    ensembles: dict[str, list[Results]],
    as_of_day: int,
    end_day: int,
    weights: dict[str, np.ndarray] | None = None,
) -> Forecast:
    """The forecast tables from finished particles (``{"posterior": [...], "prior": [...]}``);
    ``weights``: an ensemble's particle weights (normalised; absent: equal)."""
    weights = weights or {}
    start = scenario.period.start
    outcomes = {name: [Outcome.of(r) for r in results] for name, results in ensembles.items()}
    routes = Route.all_of(scenario)
    window = slice(as_of_day + 1, end_day + 1)
    place_rows, daily_rows = [], []
    posterior = outcomes[next(iter(outcomes))]
    posterior_w = weights.get(next(iter(outcomes)))
    names = ensembles[next(iter(ensembles))][0].places
    index = {name: i for i, name in enumerate(names)}
    for c, route in enumerate(routes):
        centre_now = np.array([o.centre_km[c, as_of_day] for o in posterior])
        formed = np.isfinite(centre_now)
        now = -np.inf if not formed.any() else member_median(centre_now[formed], None if posterior_w is None
                                                        else posterior_w[formed])
        ahead = np.flatnonzero(route.km > now)
        for ensemble, outs in outcomes.items():
            w = weights.get(ensemble)
            centre = np.stack([o.centre_km[c] for o in outs])
            size = np.stack([o.size[c] for o in outs])
            arrive = arrival_days(centre, route.km[ahead])
            for j, a in enumerate(ahead):
                place = index[route.places[a]]
                present = np.stack([o.present[window, place] for o in outs])  # (particles, window days)
                peak_day = np.argmax(present, axis=1)
                reached = np.isfinite(arrive[:, j])
                on_arrival = size[np.flatnonzero(reached), arrive[reached, j].astype(np.int64)]
                row = {
                    "ensemble": ensemble, "caravan": route.caravan, "place": route.places[a],
                    "km_from_origin": float(route.km[a]),
                    "share_arriving": weighted_mean(arrive[:, j] <= end_day, w),
                    **{k: (None if not np.isfinite(v) else start + dt.timedelta(days=int(v)))
                       for k, v in _quantile_columns("arrival", arrive[:, j], w).items()},
                    **_quantile_columns("size_on_arrival", on_arrival, None if w is None else w[reached]),
                    **_quantile_columns("peak_present", present.max(axis=1), w),
                    **_quantile_columns("person_days", present.sum(axis=1), w),
                    **_flow_columns(outs, place, end_day, w),
                }
                for need in outs[0].needs:
                    at_peak = np.array([o.needs[need][window, place][d] for o, d in zip(outs, peak_day)])
                    row.update(_quantile_columns(f"peak_{need}", at_peak, w))
                place_rows.append(row)
            daily_rows += _bands(ensemble, route.caravan, "caravan_size", None, size, w)
            daily_rows += _bands(ensemble, route.caravan, "centre_km", None, centre, w)
            for a in ahead:
                present = np.stack([o.present[:, index[route.places[a]]] for o in outs])
                daily_rows += _bands(ensemble, route.caravan, "present", route.places[a], present, w)
                daily_rows += _flow_bands(ensemble, route.caravan, route.places[a], outs, index[route.places[a]], w)
    if not routes:  # no caravans (a Flee case): head-counts at the places people end up in
        for ensemble, outs in outcomes.items():
            w = weights.get(ensemble)
            present = np.stack([o.present for o in outs])  # (particles, days, places)
            busiest = np.argsort(-member_median(present[:, end_day], w))[:20]
            for p in busiest:
                place_rows.append({
                    "ensemble": ensemble, "caravan": None, "place": names[p],
                    **_quantile_columns("peak_present", present[:, window, p].max(axis=1), w),
                    **_quantile_columns("person_days", present[:, window, p].sum(axis=1), w),
                    **_flow_columns(outs, p, end_day, w),
                })
                daily_rows += _bands(ensemble, None, "present", names[p], present[:, :, p], w)
                daily_rows += _flow_bands(ensemble, None, names[p], outs, p, w)
    return Forecast(
        scenario=scenario.name, start=start,
        as_of=start + dt.timedelta(days=as_of_day), end=start + dt.timedelta(days=end_day),
        places=pa.Table.from_pylist(place_rows), daily=_daily_table(daily_rows, start), routes=routes,
    )


def _bands(ensemble: str, caravan: str | None, series: str, place: str | None, values: np.ndarray,
           weights: np.ndarray | None = None) -> list[dict]:
    """One row per day with P5..P95 over particles of ``values`` (particles, days)."""
    with np.errstate(invalid="ignore"):
        q = np.full((len(QUANTILES), values.shape[1]), np.nan)
        formed = ~np.isnan(values).any(axis=0)
        if formed.any():
            q[:, formed] = quantiles(values[:, formed], weights=weights)
    return [
        {"ensemble": ensemble, "caravan": caravan, "series": series, "place": place, "day": d,
         **{label: float(q[i, d]) for i, label in enumerate(LABELS)}}
        for d in range(values.shape[1])
    ]


def _flow_columns(outs: list[Outcome], place: int, end_day: int, weights: np.ndarray | None) -> dict[str, float]:
    """``arrivals_by_end_p5``.. and ``departures_by_end_p5``..: cumulative at the window's end."""
    columns: dict[str, float] = {}
    for name in outs[0].flows:
        columns.update(_quantile_columns(f"{name}_by_end", np.array([o.flows[name][end_day, place] for o in outs]),
                                         weights))
    return columns


def _flow_bands(ensemble: str, caravan: str | None, name: str, outs: list[Outcome], place: int,
                weights: np.ndarray | None) -> list[dict]:
    """Daily bands of cumulative arrivals and departures at one place."""
    rows: list[dict] = []
    for flow in outs[0].flows:
        rows += _bands(ensemble, caravan, flow, name, np.stack([o.flows[flow][:, place] for o in outs]), weights)
    return rows


def _daily_table(rows: list[dict], start: dt.date) -> pa.Table:
    table = pa.Table.from_pylist(rows, schema=pa.schema([
        ("ensemble", pa.string()), ("caravan", pa.string()), ("series", pa.string()), ("place", pa.string()),
        ("day", pa.int32()), *((label, pa.float64()) for label in LABELS),
    ]))
    dates = np.array(start, dtype="datetime64[D]") + table.column("day").to_numpy().astype("timedelta64[D]")
    return table.add_column(5, "date", pa.array(dates))
