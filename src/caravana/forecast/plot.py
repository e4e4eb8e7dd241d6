"""The forecast as a picture: bands of the caravan's position and size, arrival
windows at the places ahead, prior against posterior, with the reports as points
(filled: used by the filter; open: after the as-of date, held back), in Spanish or
English: labels from the catalogue, dates and month names in the reader's language.

Drawn on a bare ``matplotlib.figure.Figure`` with the Agg canvas: no pyplot, no
global backend, no display needed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import date2num
from matplotlib.figure import Figure

from ..display.dates import date_axis
from ..i18n import N_, Language, capitalised, language
from ..results.io import atomic_write
from ..scenario.names import recorded_key
from .pipeline import ForecastRun
from .summary import Route

COLOURS = {"posterior": "#1f77b4", "prior": "#9a9a9a"}
USED, HELD = "black", "#d62728"
MAX_WINDOWS = 30  # arrival windows drawn (the nearest places ahead)


def _series(daily, ensemble: str, series: str, caravan: str):
    rows = daily.filter(
        pc.and_(pc.and_(pc.equal(daily["ensemble"], ensemble), pc.equal(daily["series"], series)),
                pc.equal(daily["caravan"], caravan))
    )
    dates = rows.column("date").to_pylist()
    return dates, {q: rows.column(q).to_numpy(zero_copy_only=False) for q in ("p5", "p25", "p50", "p75", "p95")}


# Legend labels of each ensemble's P5-P95, P25-P75 (posterior only), median and arrival window.
BAND_LABELS = {
    "prior": (N_("prior P5-P95"), "", N_("prior median"), N_("prior arrival P5-P95")),
    "posterior": (N_("posterior P5-P95"), N_("posterior P25-P75"), N_("posterior median"),
                  N_("posterior arrival P5-P95")),
}


def _bands(ax, daily, series: str, caravan: str, t: Language) -> None:
    for ensemble in ("prior", "posterior"):
        dates, q = _series(daily, ensemble, series, caravan)
        colour = COLOURS[ensemble]
        wide, middle, median, _arrival = (t._(label) if label else "" for label in BAND_LABELS[ensemble])
        ax.fill_between(dates, q["p5"], q["p95"], color=colour, alpha=0.18 if ensemble == "posterior" else 0.25,
                        lw=0, label=wide)
        if ensemble == "posterior":
            ax.fill_between(dates, q["p25"], q["p75"], color=colour, alpha=0.3, lw=0, label=middle)
        ax.plot(dates, q["p50"], color=colour, lw=1.5 if ensemble == "posterior" else 1.0,
                ls="-" if ensemble == "posterior" else "--", label=median)


def _points(ax, rows, y_of, as_of: dt.date, label: str, t: Language, ranges: bool = False) -> None:
    """Reports as points: filled before/at the as-of date, open after it; ``ranges``: ``y_of`` is
    the count, so a count's reported range is drawn as an error bar (not on a panel of km)."""
    for used in (True, False):
        chosen = [r for r in rows if (r.date <= as_of) == used and y_of(r) is not None]
        if not chosen:
            continue
        y = np.array([y_of(r) for r in chosen], dtype=float)
        colour = USED if used else HELD
        if ranges and all(getattr(r, "is_count", False) for r in chosen):
            low = np.array([r.bounds[0] for r in chosen])
            high = np.array([r.bounds[1] for r in chosen])
            ax.errorbar([r.date for r in chosen], y, yerr=[y - low, high - y], fmt="none", ecolor=colour, lw=1, capsize=2)
        ax.scatter([r.date for r in chosen], y, s=28, zorder=5, edgecolors=colour,
                   facecolors=colour if used else "white",
                   label=(t._("{what}, used") if used else t._("{what}, held back")).format(what=t._(label)))


def plot_forecast(run: ForecastRun, caravan: int = 0, lang: str | None = None) -> Figure:
    """Three panels for one caravan: where its centre is, how many walk with it, and
    when it reaches the places ahead. Without caravans: present at the busiest places.
    In ``lang`` (es or en; default: :func:`caravana.i18n.preferred`)."""
    fc = run.forecast
    t = language(lang).about(recorded_key(run.metadata))
    windows_shown = min(MAX_WINDOWS, len(fc.places.filter(pc.equal(fc.places["ensemble"], "posterior")))) if fc.routes else 0
    figure = Figure(figsize=(11, 9 + 0.25 * windows_shown), layout="constrained")
    FigureCanvasAgg(figure)
    particles = run.metadata["particles"]
    used, held = run.metadata["observations_used"], run.metadata["observations_held_back"]
    figure.suptitle(t._("{scenario}: forecast from {start} to {end}, {particles} particles ({used}, {held})").format(
        scenario=fc.scenario, start=t.date(fc.as_of), end=t.date(fc.end), particles=t.number(particles),
        used=t.n_("{n} report used", "{n} reports used", used).format(n=t.number(used)),
        held=t.n_("{n} held back", "{n} held back", held).format(n=t.number(held))))
    if not fc.routes:
        _plot_places(figure, run, t)
        return figure
    route = fc.routes[caravan]
    position, size, windows = figure.subplots(3, 1, height_ratios=(1.2, 1, max(0.6, windows_shown / 14)))
    daily = fc.daily

    _bands(position, daily, "centre_km", route.caravan, t)
    km_of = dict(zip(route.places, route.km))
    on_route = [r for r in run.observations if r.place in km_of and str(r.quantity) in ("arrived", "departed", "present")]
    _points(position, on_route, lambda r: km_of[r.place], fc.as_of, N_("reported at a place"), t)
    _place_ticks(position, route, position.get_ylim(), t)
    position.set_title(t._("{caravan}: centre of the column (median member), km along its route")
                       .format(caravan=capitalised(t.caravan(route.caravan))))

    _bands(size, daily, "caravan_size", route.caravan, t)
    reports = [r for r in run.observations if str(r.quantity) == "caravan_size"]
    _points(size, reports, lambda r: r.value, fc.as_of, N_("reported size (range)"), t, ranges=True)
    size.set_ylabel(t._("people with the caravan"))
    size.set_title(t._("people travelling with the caravan"))

    _windows(windows, run, route, t)
    for ax in (position, size, windows):
        ax.axvline(fc.as_of, color="black", lw=0.8, ls=":")
        ax.grid(alpha=0.3)
        date_axis(ax, t.month_abbreviations())
    position.legend(loc="upper left", fontsize=7, ncols=2)
    size.legend(loc="upper left", fontsize=7, ncols=2)
    return figure


def _place_ticks(ax, route: Route, ylim, t: Language) -> None:
    """Place names at their km, skipping any too close to the one below to be read."""
    lo, hi = ylim
    min_gap = (hi - lo) / 28
    ticks: list[float] = []
    labels: list[str] = []
    for place, km in zip(route.places, route.km):
        if not lo <= km <= hi:
            continue
        if ticks and km - ticks[-1] < min_gap:
            if km != route.km[-1]:
                continue
            ticks.pop()  # the destination wins over its near neighbour
            labels.pop()
        ticks.append(km)
        labels.append(t.place(place))
    ax.set_yticks(ticks, labels, fontsize=7)


def _windows(ax, run: ForecastRun, route: Route, t: Language) -> None:
    """Arrival windows (P5-P95, median) at the nearest places ahead, prior and posterior."""
    places = run.forecast.places
    rows = places.filter(pc.equal(places["caravan"], route.caravan)).to_pylist()
    ahead = [r["place"] for r in rows if r["ensemble"] == "posterior" and r["arrival_p5"] is not None][:MAX_WINDOWS]
    y_of = {place: len(ahead) - 1 - i for i, place in enumerate(ahead)}
    for r in rows:
        if r["place"] not in y_of or r["arrival_p5"] is None:
            continue
        posterior = r["ensemble"] == "posterior"
        window = BAND_LABELS[r["ensemble"]][-1]
        y = y_of[r["place"]] + (0.12 if posterior else -0.18)
        last = r["arrival_p95"] or run.forecast.end  # never there within the horizon for some: open to the end
        # A window of whole days: from the first day's start to the last day's end.
        ax.plot([date2num(r["arrival_p5"]) - 0.45, date2num(last) + 0.45], [y, y], color=COLOURS[r["ensemble"]],
                lw=5 if posterior else 3, solid_capstyle="butt", label=t._(window))
        if r["arrival_p50"] is not None:
            ax.scatter([r["arrival_p50"]], [y], color="white", edgecolors=COLOURS[r["ensemble"]], s=18, zorder=4)
    reported = [o for o in run.observations if str(o.quantity) == "arrived" and o.place in y_of]
    _points(ax, reported, lambda o: y_of[o.place], run.forecast.as_of, N_("reported arrival"), t)
    ax.set_yticks(list(y_of.values()), [t.place(p) for p in y_of], fontsize=8)
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    ax.legend(unique.values(), unique.keys(), loc="upper right", fontsize=7)
    ax.set_title(t._("arrival of the main body at the places ahead (bar: P5-P95, dot: median)"))


def _plot_places(figure: Figure, run: ForecastRun, t: Language) -> None:
    """No caravans: present at the busiest places, bands per place."""
    ax = figure.subplots(1, 1)
    daily = run.forecast.daily
    posterior = daily.filter(pc.equal(daily["ensemble"], "posterior"))
    for place in list(dict.fromkeys(posterior.column("place").to_pylist()))[:6]:
        rows = posterior.filter(pc.equal(posterior["place"], place))
        dates = rows.column("date").to_pylist()
        line = ax.plot(dates, rows.column("p50").to_numpy(), lw=1.5, label=t.place(place))[0]
        ax.fill_between(dates, rows.column("p5").to_numpy(), rows.column("p95").to_numpy(), color=line.get_color(), alpha=0.2)
    ax.axvline(float(date2num(run.forecast.as_of)), color="black", lw=0.8, ls=":")
    ax.set_ylabel(t._("people present (posterior P5-P95, median)"))
    date_axis(ax, t.month_abbreviations())
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)


def save_figure(figure: Figure, path: Path, dpi: int = 110) -> None:
    atomic_write(Path(path), lambda tmp: figure.savefig(tmp, format="png", dpi=dpi))
