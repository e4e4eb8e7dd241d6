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
    # Each ensemble's particles stacked once, series by series: (particles, ...) arrays.
    stacked = {name: _Stacked.of([Outcome.of(r) for r in results]) for name, results in ensembles.items()}
    routes = Route.all_of(scenario)
    window = slice(as_of_day + 1, end_day + 1)
    place_rows: list[dict] = []
    daily = _Daily()
    posterior = stacked[next(iter(stacked))]
    posterior_w = weights.get(next(iter(stacked)))
    names = ensembles[next(iter(ensembles))][0].places
    index = {name: i for i, name in enumerate(names)}
    for c, route in enumerate(routes):
        centre_now = posterior.centre_km[:, c, as_of_day]
        formed = np.isfinite(centre_now)
        now = -np.inf if not formed.any() else member_median(centre_now[formed], None if posterior_w is None
                                                        else posterior_w[formed])
        ahead = np.flatnonzero(route.km > now)
        for ensemble, outs in stacked.items():
            w = weights.get(ensemble)
            centre, size = outs.centre_km[:, c], outs.size[:, c]
            arrive = arrival_days(centre, route.km[ahead])
            for j, a in enumerate(ahead):
                place = index[route.places[a]]
                present = outs.present[:, window, place]  # (particles, window days)
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
                for need, grid in outs.needs.items():
                    at_peak = grid[:, window, place][np.arange(len(peak_day)), peak_day]
                    row.update(_quantile_columns(f"peak_{need}", at_peak, w))
                place_rows.append(row)
            series: list[tuple[str, str | None, np.ndarray]] = [("caravan_size", None, size), ("centre_km", None, centre)]
            for a in ahead:
                place = index[route.places[a]]
                series.append(("present", route.places[a], outs.present[:, :, place]))
                series += [(flow, route.places[a], grid[:, :, place]) for flow, grid in outs.flows.items()]
            daily.add(ensemble, route.caravan, series, w)
    if not routes:  # no caravans (a Flee case): head-counts at the places people end up in
        for ensemble, outs in stacked.items():
            w = weights.get(ensemble)
            present = outs.present  # (particles, days, places)
            busiest = np.argsort(-member_median(present[:, end_day], w))[:20]
            for p in busiest:
                place_rows.append({
                    "ensemble": ensemble, "caravan": None, "place": names[p],
                    **_quantile_columns("peak_present", present[:, window, p].max(axis=1), w),
                    **_quantile_columns("person_days", present[:, window, p].sum(axis=1), w),
                    **_flow_columns(outs, p, end_day, w),
                })
                daily.add(ensemble, None, [("present", names[p], present[:, :, p]),
                                           *((flow, names[p], grid[:, :, p]) for flow, grid in outs.flows.items())], w)
    return Forecast(
        scenario=scenario.name, start=start,
        as_of=start + dt.timedelta(days=as_of_day), end=start + dt.timedelta(days=end_day),
        places=pa.Table.from_pylist(place_rows), daily=daily.table(start), routes=routes,
    )


@dataclass
class _Stacked:
    """An ensemble's outcomes, each series stacked over particles (axis 0): one copy per
    series, not one per place and series as slicing each particle's arrays would make."""

    centre_km: np.ndarray  # (particles, caravans, days)
    size: np.ndarray  # (particles, caravans, days)
    present: np.ndarray  # (particles, days, places)
    flows: dict[str, np.ndarray]  # (particles, days, places)
    needs: dict[str, np.ndarray]  # (particles, days, places)

    @classmethod
    def of(cls, outs: list[Outcome]) -> _Stacked:
        first = outs[0]
        return cls(np.stack([o.centre_km for o in outs]), np.stack([o.size for o in outs]),
                   np.stack([o.present for o in outs]),
                   {name: np.stack([o.flows[name] for o in outs]) for name in first.flows},
                   {need: np.stack([o.needs[need] for o in outs]) for need in first.needs})


class _Daily:
    """The daily table's rows, gathered as blocks of series (each (particles, days)) and
    reduced to P5..P95 one ensemble's blocks at a time: one quantile pass over every
    series instead of one per series."""

    def __init__(self) -> None:
        self.keys: list[tuple[str, str | None, str, str | None]] = []  # ensemble, caravan, series, place
        self.bands: list[np.ndarray] = []  # (5, days) per key

    def add(self, ensemble: str, caravan: str | None, series: list[tuple[str, str | None, np.ndarray]],
            weights: np.ndarray | None) -> None:
        """Each (series, place, values) of one ensemble: values (particles, days); a day on
        which some particle has no value (NaN: a caravan not formed yet) has NaN bands."""
        if not series:
            return
        values = np.stack([v for _, _, v in series], axis=-1).astype(np.float64)  # (particles, days, series)
        missing = np.isnan(values).any(axis=0)
        with np.errstate(invalid="ignore"):
            q = quantiles(np.where(missing, 0.0, values), weights=weights)  # (5, days, series)
        q[:, missing] = np.nan
        for k, (name, place, _) in enumerate(series):
            self.keys.append((ensemble, caravan, name, place))
            self.bands.append(q[:, :, k])

    def table(self, start: dt.date) -> pa.Table:
        days = self.bands[0].shape[1] if self.bands else 0
        columns = {name: pa.array(np.repeat(np.array([key[i] for key in self.keys], dtype=object), days), pa.string())
                   for i, name in enumerate(("ensemble", "caravan", "series", "place"))}
        day = np.tile(np.arange(days, dtype=np.int32), len(self.keys))
        dates = np.array(start, dtype="datetime64[D]") + day.astype("timedelta64[D]")
        q = np.concatenate(self.bands, axis=1) if self.bands else np.zeros((len(LABELS), 0))
        return pa.table({**columns, "day": pa.array(day), "date": pa.array(dates),
                         **{label: pa.array(q[i], pa.float64()) for i, label in enumerate(LABELS)}})


def _flow_columns(outs: _Stacked, place: int, end_day: int, weights: np.ndarray | None) -> dict[str, float]:
    """``arrivals_by_end_p5``.. and ``departures_by_end_p5``..: cumulative at the window's end."""
    columns: dict[str, float] = {}
    for name, grid in outs.flows.items():
        columns.update(_quantile_columns(f"{name}_by_end", grid[:, end_day, place], weights))
    return columns
