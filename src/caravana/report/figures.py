"""The report's figures: the caravan's timeline, the map, places over time, needs and
outcomes. Each function takes the report's data and returns a Matplotlib figure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from ..display.dates import date_axis
from ..display.geography import stretch
from ..engine.status import STATUS_NAMES
from ..i18n import N_, Language
from ..observations import Observation, Observations, Quantity
from ..scenario.schema import Scenario
from .data import Band, Measure, ReportData
from .style import (
    PALETTE,
    STATUS_COLOURS,
    draw_band,
    finite_max,
    human,
    human_axis,
    new_figure,
)

NEEDS_SHOWN = {  # needs column -> panel title
    "water_l": N_("water (litres a day)"),
    "food_kcal": N_("food (kcal a day)"),
    "covered_m2": N_("covered space (m²)"),
    "toilets": N_("toilets"),
}
# The language of the figures' text, set by the report around drawing them (:func:`speaking`).
_SPEAKER: ContextVar[Language | None] = ContextVar("speaker", default=None)


@contextmanager
def speaking(speaker: Language) -> Iterator[None]:
    token = _SPEAKER.set(speaker)
    try:
        yield
    finally:
        _SPEAKER.reset(token)


def _(message: str) -> str:
    speaker = _SPEAKER.get()
    return speaker._(message) if speaker is not None and message else message


def _place(name: str) -> str:
    """A place's name in the figures' language (its identifier without a speaker)."""
    speaker = _SPEAKER.get()
    return speaker.place(name) if speaker is not None else name


def _caravan(name: str) -> str:
    """A caravan's label, as a legend's first word ("Segunda caravana de 2018: ...")."""
    speaker = _SPEAKER.get()
    return _sentence(speaker.caravan(name)) if speaker is not None else name


def _date_axis(ax) -> None:
    speaker = _SPEAKER.get()
    date_axis(ax, speaker.month_abbreviations() if speaker is not None else None)


def _day(day: dt.date) -> str:
    speaker = _SPEAKER.get()
    return speaker.date(day) if speaker is not None else f"{day:%d %b %Y}"


def _rows(observations: Observations | None, *quantities: Quantity) -> list[Observation]:
    return [] if observations is None else list(observations.select(*quantities))


def _in_run(data: ReportData, date: dt.date) -> bool:
    return data.start <= date < data.start + dt.timedelta(days=data.days)


# Timeline --------------------------------------------------------------------------


def timeline_figure(data: ReportData, geography: dict | None, observations: Observations | None) -> Figure:
    """Caravans: head, centre and tail along the road over days, and their size.
    Without caravans: how many people are in each status over days."""
    names = data.caravan_names()
    return _caravan_timeline(data, names, geography, observations) if names else _status_timeline(data)


def _caravan_timeline(data: ReportData, names: list[str], geography: dict | None, observations) -> Figure:
    fig = new_figure(10, 6.6, right=1.35, hspace=0.12)
    road, size_ax = fig.subplots(2, 1, sharex=True, height_ratios=(2.3, 1))
    dates = data.dates
    itineraries = (geography or {}).get("itineraries", {})
    for i, name in enumerate(names):
        colour = PALETTE[i % len(PALETTE)]
        head, centre, tail = (data.caravan(name, q) for q in ("head_km", "centre_km", "tail_km"))
        road.fill_between(
            dates,
            tail.p50,
            head.p50,
            color=colour,
            alpha=0.12,
            lw=0,
            label=f"{_caravan(name)}: " + (_("tail to head (medians)") if centre.has_spread else _("tail to head")),
        )
        road.plot(dates, head.p50, color=colour, lw=0.7, ls="--")
        road.plot(dates, tail.p50, color=colour, lw=0.7, ls=":")
        draw_band(road, dates, centre, colour, label=f"{_caravan(name)}: " + _("centre of the column"), lw=2)
        draw_band(size_ax, dates, data.caravan(name, "size"), colour, label=f"{_caravan(name)}: " + _("walking with the caravan"))
        arrived = data.caravan(name, "arrived")
        if np.nanmax(arrived.p95, initial=0) > 0:
            size_ax.plot(dates, arrived.p50, color=colour, lw=1, ls="--", label=f"{_caravan(name)}: " + _("reached the destination"))
        if name in itineraries:
            _observed_waypoints(road, data, name, itineraries, observations, first=i == 0)
    if len(names) == 1 and names[0] in itineraries:
        _place_ticks(road, itineraries[names[0]])
    for r in _rows(observations, Quantity.caravan_size):
        if _in_run(data, r.date):
            _draw_report(size_ax, r, _("reported size"))
    road.set_ylabel(_("km along the road from the origin"))
    road.set_ylim(bottom=0)
    road.set_title(_("Where the caravan is: centre, head (dashed) and tail (dotted) of the column"))
    size_ax.set_ylabel(_("people"))
    size_ax.set_ylim(bottom=0)
    human_axis(size_ax)
    _date_axis(size_ax)
    _dedup_legend(road, loc="upper left")
    _dedup_legend(size_ax, loc="upper right")
    return fig


def _observed_waypoints(ax, data, name, itineraries, observations, first: bool) -> None:
    """Reported arrivals and departures, at the place's km on this caravan's road."""
    itinerary = itineraries[name]
    km_of = dict(zip(itinerary["places"], itinerary["km"]))
    for quantity, marker, fill in ((Quantity.arrived, "^", "black"), (Quantity.departed, "v", "white")):
        points = [
            (r.date, km_of[r.place])
            for r in _rows(observations, quantity)
            if r.place in km_of and r.caravan in (None, name) and _in_run(data, r.date)
        ]
        if points:
            x, y = zip(*points)
            ax.scatter(
                x,
                y,
                marker=marker,
                s=36,
                facecolor=fill,
                edgecolor="black",
                zorder=5,
                label=(_("reported arrived") if quantity == Quantity.arrived else _("reported departed")) if first else None,
            )


def _place_ticks(ax, itinerary: dict) -> None:
    """Place names on the right, at their km, thinned so they do not overlap."""
    km, names = itinerary["km"], itinerary["places"]
    gap = (km[-1] - km[0]) / 24 if km[-1] > km[0] else 1
    ticks, labels, last = [], [], -np.inf
    for k, n in zip(km, names):
        if k - last >= gap or k == km[-1]:
            ticks.append(k)
            labels.append(_place(n))
            last = k
    right = ax.secondary_yaxis("right")
    right.set_yticks(ticks, labels=labels, fontsize=7)


def _status_timeline(data: ReportData) -> Figure:
    fig = new_figure(10, 4.8)
    ax = fig.subplots()
    totals = data.totals_by_status()
    shown = [s for s in STATUS_NAMES if totals[s].max() > 0]
    ax.stackplot(
        np.asarray(data.dates, dtype="datetime64[D]"),
        *(totals[s] for s in shown), labels=[_(s) for s in shown], colors=[STATUS_COLOURS[s] for s in shown],
        alpha=0.85
    )
    ax.set_title(_("People in each status, every day (mean over members)") if data.kind == "ensemble"
                 else _("People in each status, every day"))
    ax.set_ylabel(_("people"))
    human_axis(ax)
    _date_axis(ax)
    ax.legend(loc="upper left", ncols=min(len(shown), 5))
    return fig


# Map -------------------------------------------------------------------------------

# A map's (west, east, south, north) in degrees.
Extent = tuple[float, float, float, float]


@dataclass
class _MapLayer:
    """What every map panel draws: land, routes, places sized by head-count, caravans."""

    data: ReportData
    geography: dict
    day: int
    borders: dict | None
    lon: np.ndarray
    lat: np.ndarray
    counts: np.ndarray  # people sleeping at each place that day
    scale: float  # marker area (points²) per person

    def draw(self, ax, extent: Extent, *, labels: bool, legend: bool) -> None:
        x0, x1, y0, y1 = extent
        drew_borders = self.borders is not None and _draw_borders(ax, self.borders, extent)
        ax.set_facecolor("#dce9f3" if drew_borders else "white")
        lon, lat = self.lon, self.lat
        routes = [[(lon[i], lat[i]), (lon[j], lat[j])] for i, j in self.geography.get("routes", [])]
        ax.add_collection(LineCollection(routes, colors="#9a9a9a", linewidths=0.5, zorder=2))
        ax.scatter(lon, lat, s=5, color="#555555", zorder=3)
        occupied = self.counts > 0
        ax.scatter(
            lon[occupied],
            lat[occupied],
            s=np.maximum(self.counts[occupied] * self.scale, 6),
            color="#c0392b",
            alpha=0.55,
            edgecolor="white",
            linewidth=0.6,
            zorder=4,
        )
        _draw_caravans(ax, self.data, self.geography, self.day)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect(1 / np.cos(np.radians((y0 + y1) / 2)))
        ax.grid(False)
        if labels:
            _label_places(ax, [_place(p["name"]) for p in self.geography["places"]], lon, lat, self.counts, extent)
        if legend and self.counts.max(initial=0) > 0:
            for v in _size_key(self.counts.max()):
                ax.scatter(
                    [], [], s=v * self.scale, color="#c0392b", alpha=0.55, edgecolor="white", label=_("{n} people").format(n=f"{v:,.0f}")
                )
            ax.legend(loc="lower left", labelspacing=1.8, borderpad=1.2, fontsize=7)


def map_figure(data: ReportData, geography: dict, day: int, borders: dict | None) -> tuple[Figure, bool]:
    """Places sized by the people sleeping there on ``day``, routes, country borders,
    the caravan's track so far and its head-to-tail stretch that day; when everyone is
    in a small part of the map, an inset zooms onto it. Also says whether borders were
    drawn (the bundled ones cover Central America, Mexico and the US border only)."""
    fig = new_figure(10, 7.2, left=0.7, bottom=0.55)
    ax = fig.subplots()
    places = geography["places"]
    lon = np.array([p["lon"] for p in places])
    lat = np.array([p["lat"] for p in places])
    staying = data.staying_on(day)
    counts = np.array([staying.get(p["name"], 0.0) for p in places])
    biggest = counts.max(initial=0)
    layer = _MapLayer(data, geography, day, borders, lon, lat, counts, 1800 / biggest if biggest > 0 else 0.0)
    whole = _extent(lon, lat)
    zoom = _zoom_extent(layer, whole)
    layer.draw(ax, whole, labels=zoom is None, legend=True)
    if zoom is not None:
        inset = ax.inset_axes((0.5, 0.5, 0.49, 0.49))
        layer.draw(inset, zoom, labels=True, legend=False)
        inset.tick_params(labelsize=6)
        for side in inset.spines.values():
            side.set_visible(True)
        ax.indicate_inset_zoom(inset, edgecolor="#333333")
    ax.set_xlabel(_("longitude"))
    ax.set_ylabel(_("latitude"))
    title = (_("Where people sleep at the end of {date} (mean over members)") if data.kind == "ensemble"
             else _("Where people sleep at the end of {date}"))
    ax.set_title(title.format(date=_day(data.dates[day])))
    return fig, borders is not None and _covers(borders, whole)


def _extent(lon: np.ndarray, lat: np.ndarray, pad: float = 0.06, least: float = 0.5) -> Extent:
    pad_x = max(float(np.ptp(lon)) * pad, least)
    pad_y = max(float(np.ptp(lat)) * pad, least)
    return float(lon.min()) - pad_x, float(lon.max()) + pad_x, float(lat.min()) - pad_y, float(lat.max()) + pad_y


def _zoom_extent(layer: _MapLayer, whole: Extent) -> Extent | None:
    """The area holding nearly everyone (places with 1% of the most people or more, and
    the caravans' centres that day), if it is under a third of the map's width."""
    keep = layer.counts >= 0.01 * layer.counts.max(initial=0)
    keep &= layer.counts > 0
    lon, lat = list(layer.lon[keep]), list(layer.lat[keep])
    for name in layer.data.caravan_names():
        c_lat, c_lon = layer.data.caravan_centre_path(name)
        if np.isfinite(c_lat[layer.day]):
            lon.append(c_lon[layer.day])
            lat.append(c_lat[layer.day])
    if not lon:
        return None
    x0, x1, y0, y1 = _extent(np.array(lon), np.array(lat), pad=0.25, least=1.5)
    if (x1 - x0) > (whole[1] - whole[0]) / 3 or (y1 - y0) > (whole[3] - whole[2]) / 3:
        return None
    # The inset's shape: a square in degrees looks right at these latitudes.
    half = max(x1 - x0, y1 - y0) / 2
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - half, cx + half, cy - half, cy + half


def _covers(borders: dict, extent) -> bool:
    bx0, by0, bx1, by1 = borders["bbox"]
    x0, x1, y0, y1 = extent
    return not (x1 < bx0 or x0 > bx1 or y1 < by0 or y0 > by1)


def _draw_borders(ax, borders: dict, extent) -> bool:
    """Land and borders from the bundled Natural Earth data, if it covers the places."""
    if not _covers(borders, extent):
        return False  # a scenario outside the bundled region (e.g. Flee's African cases)
    rings = [ring for country in borders["countries"] for ring in country["rings"]]
    ax.add_collection(PolyCollection(rings, facecolors="#f4f1ea", edgecolors="none", zorder=0))
    ax.add_collection(LineCollection(borders["borders"], colors="#7d7d7d", linewidths=0.6, zorder=1))
    return True


# Where a label may go, relative to its place: (dx, dy) in points and alignment.
_LABEL_SPOTS = ((6, 4, "left", "bottom"), (6, -4, "left", "top"), (-6, 4, "right", "bottom"), (-6, -4, "right", "top"))


def _label_places(ax, names, lon, lat, counts, extent, most: int = 8) -> None:
    """Name and head-count of the busiest places in view, each at the first of four
    spots around its place where it overlaps no label already placed; else none."""
    x0, x1, y0, y1 = extent
    renderer = ax.figure.canvas.get_renderer()
    placed: list[Bbox] = []
    for i in np.argsort(-counts, kind="stable"):
        if counts[i] <= 0 or len(placed) == most:
            break
        if not (x0 <= lon[i] <= x1 and y0 <= lat[i] <= y1):
            continue
        for dx, dy, ha, va in _LABEL_SPOTS:
            text = ax.annotate(
                f"{names[i]} {counts[i]:,.0f}",
                (lon[i], lat[i]),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=7,
                zorder=8,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
            )
            box = text.get_window_extent(renderer).expanded(1.05, 1.1)
            if not any(box.overlaps(other) for other in placed):
                placed.append(box)
                break
            text.remove()


def _size_key(biggest: float) -> list[float]:
    """Round head-counts for the legend: the biggest's order of magnitude, and smaller."""
    top = 10 ** np.floor(np.log10(biggest))
    top = next(m * top for m in (5, 2, 1) if m * top <= biggest)
    return [v for v in (top, top / 5, top / 25) if v >= 1]


def _draw_caravans(ax, data: ReportData, geography: dict, day: int) -> None:
    itineraries = geography.get("itineraries", {})
    for i, name in enumerate(data.caravan_names()):
        colour = PALETTE[i % len(PALETTE)]
        lat, lon = data.caravan_centre_path(name)
        ax.plot(
            lon[: day + 1],
            lat[: day + 1],
            color=colour,
            lw=1.2,
            ls="--",
            zorder=5,
            label=f"{_caravan(name)}: " + _("track of the centre"),
        )
        head, tail = data.caravan(name, "head_km").p50[day], data.caravan(name, "tail_km").p50[day]
        if name in itineraries and np.isfinite(head) and np.isfinite(tail):
            points = np.array(stretch(itineraries[name], float(tail), float(head)))
            ax.plot(
                points[:, 1],
                points[:, 0],
                color=colour,
                lw=5,
                alpha=0.8,
                solid_capstyle="round",
                zorder=5,
                label=f"{_caravan(name)}: " + _("tail to head that day"),
            )
        if np.isfinite(lat[day]):
            ax.scatter([lon[day]], [lat[day]], s=40, color=colour, edgecolor="black", zorder=7)


# Places over time -------------------------------------------------------------------


def places_figure(
    data: ReportData,
    measure: Measure,
    bands: Band,
    places: list[str],
    observations: Observations | None,
    scenario: Scenario | None,
) -> Figure:
    """One small chart per place: the measure over days (bands for an ensemble) and
    what was reported there."""
    cols = 3 if len(places) > 4 else 2 if len(places) > 1 else 1
    rows = -(-len(places) // cols)
    fig = new_figure(10, 2.3 * rows + 1.2, top=0.75, bottom=0.85, left=0.6, hspace=0.45, wspace=0.25)
    axes = np.atleast_1d(fig.subplots(rows, cols, sharex=True, squeeze=False).ravel())
    dates = data.dates
    reported = [r for r in _rows(observations, measure.quantity) if _in_run(data, r.date)]
    flee = scenario.observations if scenario is not None and measure.quantity == Quantity.camp else {}
    as_of = (data.metadata.get("forecast") or {}).get("as_of")  # a forecast: reports after it were held back
    as_of = dt.date.fromisoformat(as_of) if as_of else None
    for ax, place in zip(axes, places):
        draw_band(ax, dates, bands[:, data.places.index(place)], PALETTE[0], label=_("simulated"))
        for r in (r for r in reported if r.place == place):
            if as_of is not None and r.date > as_of:
                _draw_report(ax, r, _("reported after the as-of date (held back)"), held_back=True)
            else:
                _draw_report(ax, r, _("reported") if as_of is None else _("reported, used by the forecast"))
        if as_of is not None:
            ax.axvline(as_of, color="#d62728", lw=1.2, ls="--", label=_("as of {date}").format(date=as_of))
        points = [
            (data.start + dt.timedelta(days=p.day), p.count) for p in flee.get(place, []) if 0 <= p.day < data.days
        ]
        if points:
            ax.scatter(*zip(*points), s=14, color="black", zorder=5, label=_("observed (UNHCR)"))
        ax.set_title(_place(place))
        ax.set_ylim(bottom=0)
        human_axis(ax)
        _date_axis(ax)
    for ax in axes[len(places) :]:
        ax.set_visible(False)
    handles: dict[str, Artist] = {}
    for ax in axes[: len(places)]:
        for h, label in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(label, h)
    fig.legend(list(handles.values()), list(handles.keys()), loc="lower center", ncols=len(handles))
    fig.suptitle(_sentence(_(measure.label)))
    return fig


# Needs -------------------------------------------------------------------------------


def needs_figure(data: ReportData, shelters: list[str]) -> Figure:
    """Daily water, food, covered space and toilets at the busiest places."""
    fig = new_figure(10, 6.6, top=0.75, bottom=0.85, left=0.7, hspace=0.3)
    axes = fig.subplots(2, 2, sharex=True).ravel()
    for ax, (need, title) in zip(axes, NEEDS_SHOWN.items()):
        for i, place in enumerate(shelters):
            draw_band(ax, data.dates, data.needs(place, need), PALETTE[i % len(PALETTE)], label=_place(place), lw=1.3)
        ax.set_title(_(title))
        ax.set_ylim(bottom=0)
        human_axis(ax)
        _date_axis(ax)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncols=min(len(labels), 5))
    fig.suptitle(_("What the busiest places need each day (Sphere standards)"))
    return fig


# Outcomes ------------------------------------------------------------------------------


def outcomes_figure(data: ReportData, outcomes: dict[str, Band]) -> Figure:
    """People in each status at the end of the run (median and P5-P95 for an ensemble)."""
    shown = [s for s in STATUS_NAMES if s in outcomes and float(outcomes[s].p95) > 0]
    fig = new_figure(10, 0.45 * len(shown) + 1.4, left=1.0)
    ax = fig.subplots()
    y = np.arange(len(shown))[::-1]
    mid = np.array([float(outcomes[s].p50) for s in shown])
    ax.barh(y, mid, color=[STATUS_COLOURS[s] for s in shown], height=0.6)
    spread = any(outcomes[s].has_spread for s in shown)
    if spread:
        low = mid - np.array([float(outcomes[s].p5) for s in shown])
        high = np.array([float(outcomes[s].p95) for s in shown]) - mid
        ax.errorbar(mid, y, xerr=[low, high], fmt="none", color="black", capsize=3, lw=1)
    ends = np.maximum(mid, [float(outcomes[s].p95) for s in shown]) if spread else mid
    for yi, v, end in zip(y, mid, ends):  # the number right of the bar and its whisker
        ax.annotate(
            human(v) if v >= 1e4 else f"{v:,.0f}",
            (end, yi),
            xytext=(5, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(y, labels=[_(s) for s in shown])
    ax.set_xlim(0, finite_max(mid, *(np.atleast_1d(outcomes[s].p95) for s in shown)) * 1.12 + 1)
    human_axis(ax, "x")
    ax.grid(axis="y", visible=False)
    end = data.dates[-1]
    title = (_("Everyone by status at the end of {date} (median; whiskers P5-P95)") if spread
             else _("Everyone by status at the end of {date}"))
    ax.set_title(title.format(date=_day(end)))
    return fig


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _dedup_legend(ax, **kwargs: Any) -> None:
    handles: dict[str, Artist] = {}
    for h, label in zip(*ax.get_legend_handles_labels()):
        handles.setdefault(label, h)
    if handles:
        ax.legend(list(handles.values()), list(handles.keys()), **kwargs)


def _draw_report(ax, report, label: str, held_back: bool = False) -> None:
    """A reported count as a point with its low-high range (open when held back)."""
    low, high = report.bounds
    ax.errorbar(
        [report.date], [report.value], yerr=[[report.value - low], [high - report.value]],
        fmt="o", ms=4, color="black", capsize=2, label=label, mfc="white" if held_back else "black",
    )
