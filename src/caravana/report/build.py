"""Putting a report together: read, check, draw every figure in memory, then write the
PNG files and, last, the HTML page (each atomically), so a failed report writes nothing
and a report that exists is whole."""

from __future__ import annotations

import datetime as dt
from functools import partial
from html import escape
from pathlib import Path

import numpy as np

from .._version import __version__
from ..briefing import fragment, from_members, member_figures
from ..briefing.figures import Spread, needs_figures
from ..briefing.sources import briefed_places, forecast_briefing, is_forecast, key_places
from ..engine.status import STATUS_NAMES
from ..errors import CaravanaError
from ..geo import load_borders
from ..i18n import N_, Language, count, language
from ..observations import Quantity
from ..results.io import atomic_write, atomic_write_text
from ..scenario.names import recorded_builtin, recorded_key
from .data import CAMP, PRESENT, Measure, ReportData, report_data
from .figures import (
    NEEDS_SHOWN,
    map_figure,
    needs_figure,
    outcomes_figure,
    places_figure,
    speaking,
    timeline_figure,
)
from .inputs import ReportInputs, resolve
from .page import Section, Table, render_page
from .style import band_legend_note, png_bytes, style

MAX_PLACES = 9
MAX_SHELTERS = 5


def build_report(
    source: str,
    out: Path | None = None,
    *,
    scenario: str | None = None,
    observations: Path | None = None,
    day: str | None = None,
    lang: str | None = None,
) -> list[Path]:
    """Write ``report.html`` and its PNG figures for a results folder or a run id;
    return the paths written (the PNGs, then the page). ``out`` defaults to
    ``report.html`` in the results folder; ``day`` (a day number or a date) is the
    map's day, by default the last."""
    speaker = language(lang)  # a wrong language stops us before any work
    inputs = resolve(source, scenario=scenario, observations=observations)
    data = report_data(inputs.folder)
    speaker = speaker.about(recorded_key(data.metadata))  # its places' names
    map_day = _parse_day(day, data)
    page_path = _page_path(out, inputs.folder.path)
    with style(), speaking(speaker):
        sections = _sections(inputs, data, map_day, speaker)
    _ = speaker._
    title = _("caravana report: {scenario}").format(scenario=data.scenario_name)
    footer = _("Made by caravana {version} from {folder}. Figures are also saved beside this page as PNG.").format(
        version=__version__, folder=inputs.folder.path)
    page = render_page(title, _subtitle(data, speaker), sections, footer, lang=speaker.code)
    written = []
    try:
        for s in sections:
            if s.png is not None:
                png = page_path.with_name(f"{page_path.stem}_{s.id}.png")
                atomic_write(png, partial(_write_bytes, s.png))
                written.append(png)
        atomic_write_text(page_path, page)
    except OSError as exc:
        raise CaravanaError(f"cannot write {exc.filename or page_path}: {exc.strerror or exc}") from None
    written.append(page_path)
    return written


def _page_path(out: Path | None, folder: Path) -> Path:
    if out is None:
        return folder / "report.html"
    out = Path(out)
    return out / "report.html" if out.is_dir() else out


def _parse_day(day: str | None, data: ReportData) -> int:
    if day is None:
        return data.days - 1
    try:
        index = int(day)
    except ValueError:
        try:
            index = (dt.date.fromisoformat(day) - data.start).days
        except ValueError:
            raise CaravanaError(f"--day '{day}': expected a day number or a date (YYYY-MM-DD)") from None
    if not 0 <= index < data.days:
        raise CaravanaError(
            f"--day '{day}': outside the run (day 0 = {data.start}, last day {data.days - 1} = {data.dates[-1]})"
        )
    return index


def _kind(data: ReportData, speaker: Language) -> str:
    """What the folder holds: a run, an ensemble, or a forecast's weighted posterior (whose
    figures are all weighted: its effective number of particles, Kish's, says how many count)."""
    _, n_ = speaker._, speaker.n_
    if data.kind != "ensemble":
        return _("single run")
    if data.weights is None:
        if "forecast" in data.metadata:  # resampled at the as-of date: its particles weigh alike
            return n_("forecast posterior of {n} particle, resampled at the as-of date {as_of}",
                      "forecast posterior of {n} particles, resampled at the as-of date {as_of}", data.members).format(
                n=data.members, as_of=data.metadata["forecast"].get("as_of", "?"))
        return n_("ensemble of {n} member", "ensemble of {n} members", data.members).format(n=data.members)
    effective = f"{1.0 / float(np.sum(data.weights ** 2)):.1f}"
    return n_("forecast posterior of {n} weighted particle (effective number {effective})",
              "forecast posterior of {n} weighted particles (effective number {effective})", data.members).format(
        n=data.members, effective=effective)


def _subtitle(data: ReportData, speaker: Language) -> str:
    _ = speaker._
    what = _kind(data, speaker)
    return speaker.n_("{what}, {days} day from {start} to {end}", "{what}, {days} days from {start} to {end}",
                      data.days).format(
        what=what, days=data.days, start=speaker.date(data.start), end=speaker.date(data.dates[-1]))


def _sections(inputs: ReportInputs, data: ReportData, map_day: int, speaker: Language) -> list[Section]:
    sections = [_briefings(inputs, data, speaker), _summary(inputs, data, speaker), _timeline(inputs, data, speaker),
                _map(inputs, data, map_day, speaker)]
    sections += [_places(inputs, data, speaker), _needs(data, speaker), _outcomes(data, speaker)]
    declared = _declared(inputs, data, speaker)
    return sections + ([declared] if declared is not None else [])


# The dimensions and the ways of combining members that behaviours declare (caravana.results.declared).
DIMENSIONS = {"day": N_("day"), "place": N_("place"), "caravan": N_("caravan"), "quantity": N_("quantity"),
              "origin": N_("origin")}
COMBINED = {"sum": N_("summed over members"), "quantiles": N_("percentiles over members"),
            "peak": N_("each member's highest day")}


def _declared(inputs: ReportInputs, data: ReportData, speaker: Language) -> Section | None:
    """Where to find every result a behaviour declared (caravana.results.declared): what it holds, by
    what, and its file. No figure: a sum over its cells adds days to days (its counts are cumulative or
    daily) and, for needs and caravans, litres to kcal or people to km."""
    entries = inputs.folder.arrays()
    if not entries:
        return None
    _ = speaker._
    ensemble = data.kind == "ensemble"  # a single run combines nothing
    rows = [_declared_row(name, entry, ensemble, speaker) for name, entry in sorted(entries.items())]
    # A spreadsheet does not open Parquet (the text said it did): the command that writes one as CSV, which
    # takes a catalogued run's id (a folder the catalogue does not know gets no command that cannot run)
    text = _("Further tables saved in the results folder, one value per day and per each of their other "
             "dimensions, as Parquet files (for a script: pandas, R, DuckDB).")
    if inputs.record is not None:
        example = next(iter(sorted(entries)))
        text += " " + _("A spreadsheet opens one written as CSV: {command}").format(
            command=f"caravana runs export {inputs.record.id} --format csv --table arrays/{example} --out {example}.csv")
    else:
        text += " " + _("This folder is not in the results catalogue, whose runs 'caravana runs export' writes "
                        "as CSV for a spreadsheet.")
    return Section("declared", _("More results"), text=text,
                   tables=[Table([_("file"), _("what"), _("by")] + ([_("members combined as")] if ensemble else []), rows)])


def _declared_row(name: str, entry: dict, ensemble: bool, speaker: Language) -> list[str]:
    """A declared result's file, description, dimensions and (an ensemble) how members combine, translated
    where the catalogue has them (a behaviour's own new word stays as written)."""
    _ = speaker._
    description, dims, combine = entry.get("description", ""), entry.get("dims", []), entry.get("combine", "")
    row = [f"arrays/{name}.parquet", _(description) if description else "",  # gettext("") is the header
           " × ".join(_(DIMENSIONS[d]) if d in DIMENSIONS else d for d in dims)]
    return row + ([_(COMBINED[combine]) if combine in COMBINED else combine] if ensemble else [])


def _legend(spread: bool, speaker: Language) -> str:
    note = band_legend_note(spread)
    return speaker._(note) if note else ""  # gettext("") is the catalogue's header


def _write_bytes(data: bytes, path: Path) -> None:
    path.write_bytes(data)


def _fmt(value: float | None) -> str:
    return "" if value is None or not np.isfinite(value) else count(value)


def _briefings(inputs: ReportInputs, data: ReportData, speaker: Language) -> Section:
    """The key places' briefings first: the route's main towns, shelters and border cities."""
    title = speaker._("Place briefings")
    try:
        staying = data.member_staying()
    except CaravanaError as exc:
        return Section("briefings", title, notes=[str(exc)])
    folder = inputs.folder.path
    places = key_places(data.places, inputs.geography, staying, weights=data.weights, among=briefed_places(folder))
    if is_forecast(folder):  # the forecast's own briefings, as `caravana brief` gives them
        found = [forecast_briefing(folder, place) for place in places]
    else:
        reports = [] if inputs.observations is None else [
            {"date": r.date.isoformat(), "place": r.place, "quantity": str(r.quantity), "value": r.value,
             "low": r.low, "high": r.high, "source": r.source} for r in inputs.observations if r.place]
        found = [from_members(place, staying[:, :, data.places.index(place)], kind=data.kind,
                              scenario=data.scenario_name, builtin=recorded_builtin(data.metadata),
                              source=str(folder), start=data.start,
                              reports=reports, geography=inputs.geography, weights=data.weights)
                 for place in places]
    articles = [fragment(b, speaker) for b in found]
    nav = " · ".join(escape(speaker.place(p)) for p in places)
    return Section("briefings", title, text=nav, raw=articles,
                   notes=[] if places else [speaker._("Nobody stays at a key place in these results.")])


def _summary(inputs: ReportInputs, data: ReportData, speaker: Language) -> Section:
    _ = speaker._
    meta = data.metadata
    rows = [
        [_("scenario"), _scenario_text(inputs, data)],
        [_("kind"), _("single run") if data.members == 1 else _kind(data, speaker)],
        [_("seed"), str(meta.get("seed", meta.get("root_seed", "")))],
        [_("period"), speaker.n_("{start} to {end} ({days} day)", "{start} to {end} ({days} days)", data.days).format(
            start=speaker.date(data.start), end=speaker.date(data.dates[-1]), days=data.days)],
    ]
    if "people" in meta or "people_mean" in meta:
        rows.append([_("people"), _fmt(meta.get("people", meta.get("people_mean")))
                     + (" " + _("(mean over members)") if "people_mean" in meta else "")])
    overrides = meta.get("overrides") or (inputs.record.parameters if inputs.record else {})
    if overrides:
        rows.append([_("settings changed"), ", ".join(f"{k} = {v}" for k, v in overrides.items())])
    if meta.get("wall_seconds") is not None:
        rows.append([_("wall time"), f"{meta['wall_seconds']:.2f} s"])
    rows.append(["caravana", str(meta.get("caravana_version", ""))])
    rows.append([_("results folder"), str(inputs.folder.path)])
    if inputs.record is not None:
        rows.append([_("catalogue id"), inputs.record.id])
    if inputs.observations is not None:
        rows.append([_("observations"), speaker.n_("{n} report from {file}", "{n} reports from {file}",
                                                   len(inputs.observations)).format(
            n=len(inputs.observations), file=inputs.observations.file)])
    return Section("summary", _("Summary"), tables=[Table(["", ""], rows)], notes=list(inputs.notes))


def _scenario_text(inputs: ReportInputs, data: ReportData) -> str:
    source = inputs.record.scenario if inputs.record else None
    return data.scenario_name if source in (None, data.scenario_name) else f"{data.scenario_name} ({source})"


def _timeline(inputs: ReportInputs, data: ReportData, speaker: Language) -> Section:
    _ = speaker._
    fig = timeline_figure(data, inputs.geography, inputs.observations)
    if data.caravan_names():
        text = _("Each caravan's column along its road: the centre (the median member's position), "
                 "the head and the tail, and below, how many people walk with it. "
                 "Triangles are reported arrivals (filled) and departures (open); black dots reported sizes. "
                 ) + _legend(data.kind == "ensemble", speaker)
    else:
        text = _("This scenario has no caravan: the timeline shows how many people are in each status, every day.")
    return Section("timeline", _("Timeline"), text=text, png=png_bytes(fig), alt=_("caravan timeline"))


def _map(inputs: ReportInputs, data: ReportData, day: int, speaker: Language) -> Section:
    _ = speaker._
    if inputs.geography is None:
        return Section("map", _("Map"), notes=[_("No map: the scenario's places are unknown (pass --scenario).")])
    fig, with_borders = map_figure(data, inputs.geography, day, load_borders())
    text = _("Circles: people sleeping at each place (resting, waiting for papers, or arrived at the border), "
             "area proportional to the head-count. Dashed line: the caravan's centre so far; "
             "thick line: the column from tail to head that day. ") + (
        _("Borders: Natural Earth (public domain).") if with_borders
        else _("No borders: the bundled ones cover Central America, Mexico and the US border region only."))
    return Section("map", _("Map"), text=text, png=png_bytes(fig),
                   alt=_("map on {date}").format(date=speaker.date(data.dates[day])))


def _measure(inputs: ReportInputs) -> Measure:
    """Flee's camp counts when that is what was observed, else people present at each place."""
    flee_observed = inputs.scenario is not None and bool(inputs.scenario.observations)
    camp_reported = inputs.observations is not None and len(inputs.observations.select(Quantity.camp)) > 0
    return CAMP if flee_observed or camp_reported else PRESENT


def _places(inputs: ReportInputs, data: ReportData, speaker: Language) -> Section:
    _ = speaker._
    measure = _measure(inputs)
    try:
        bands = data.place_bands(measure)
    except CaravanaError as exc:  # an ensemble without its members: fall back to one status
        measure = CAMP
        bands = data.place_bands(measure)
        note = [_("{why}; showing people resting, straight from quantiles.parquet.").format(why=exc)]
    else:
        note = []
    observed: tuple[str, ...] = ()
    if inputs.scenario is not None and measure is CAMP:
        observed = tuple(inputs.scenario.observations)
    if inputs.observations is not None:
        observed += tuple(r.place for r in inputs.observations.select(measure.quantity) if r.place in data.places)
    places = data.busiest_places(bands, MAX_PLACES, first=tuple(dict.fromkeys(observed)))
    if not places:
        return Section("places", _("Places over time"), notes=note + [_("Nobody was counted at any place.")])
    fig = places_figure(data, measure, bands, places, inputs.observations, inputs.scenario)
    spread = data.kind == "ensemble"
    own = _member_series(data, measure)
    rows = []
    for place in places:
        i = data.places.index(place)
        band = bands[:, i]
        peaks = Spread.of_values(own[:, :, i].max(axis=1), weights=data.weights) if spread and own is not None else None
        if peaks is not None:  # each member's own peak: a passing caravan's peak survives
            row = [speaker.place(place), _fmt(peaks.p50), _("{low} to {high}").format(low=_fmt(peaks.p5), high=_fmt(peaks.p95))]
        else:
            peak = int(np.nanargmax(band.p50))
            row = [speaker.place(place), _fmt(band.p50[peak]), speaker.date(data.dates[peak])]
        rows.append(row + [_fmt(band.p50[-1])])
    columns = ([_("place"), _("peak (median of members' own peaks)"), _("P5 to P95 of members' own peaks")] if spread
               else [_("place"), _("peak"), _("date of the peak")]) + [_("at the end")]
    label = _(measure.label)
    text = _("{what}, for the places with observations first, then the busiest. ").format(
        what=label[:1].upper() + label[1:]) + _legend(spread, speaker)
    return Section(
        "places",
        _("Places over time"),
        text=text,
        png=png_bytes(fig),
        alt=_("people at each place over time"),
        tables=[Table(columns, rows, numeric={1, 2, 3} if spread else {1, 3})],
        notes=note,
    )


def _member_series(data: ReportData, measure: Measure) -> np.ndarray | None:
    """(members, days, places) of the measure in each member; None when the members are missing."""
    try:
        counts = data.member_counts()
    except CaravanaError:
        return None
    return counts[..., [STATUS_NAMES.index(s) for s in measure.statuses]].sum(axis=-1)


def _needs(data: ReportData, speaker: Language) -> Section:
    _ = speaker._
    if not data.has_needs():
        return Section("needs", _("Needs"), notes=[_("This scenario has no aid settings, so no needs were computed.")])
    shelters = data.busiest_shelters(MAX_SHELTERS)
    fig = needs_figure(data, shelters)
    rows = []
    staying = data.member_staying() if data.kind == "ensemble" else None
    for place in shelters:
        present = data.needs(place, "present")
        peak = int(np.argmax(present.p50))
        plaza = data.needs(place, "plaza").p50
        if staying is None:
            most, on, person_nights = present.p50[peak], speaker.date(data.dates[peak]), present.p50.sum()
            at_peak = [data.needs(place, n).p50[peak] for n in NEEDS_SHOWN]
        else:  # medians of each member's own peak and of the needs at it (not of the daily median)
            own = member_figures(staying[:, :, data.places.index(place)])
            peaks = Spread.of_values(own["peak"], weights=data.weights)
            nights = Spread.of_values(own["person_days"], weights=data.weights)
            assert peaks is not None and nights is not None  # every member has a peak (0: nobody came)
            most, person_nights = peaks.p50, nights.p50
            on = _("{low} to {high}").format(low=_fmt(peaks.p5), high=_fmt(peaks.p95))
            by_need = {n.name: n.per_day.p50
                       for n in needs_figures(own["peak"], own["person_days"], weights=data.weights)}
            at_peak = [by_need.get(n, float("nan")) for n in NEEDS_SHOWN]
        rows.append(
            [speaker.place(place), _fmt(most), on, *(_fmt(v) for v in at_peak), _fmt(plaza.max()), _fmt(person_nights)]
        )
    columns = [_("place"), _("most people"), _("date of the peak") if staying is None else _("P5 to P95 of members' own peaks"),
               _("water (l/day)"), _("food (kcal/day)"), _("covered m²"), _("toilets"), _("most in plazas"),
               _("person-nights")]
    text = (_("Needs of the people staying at the busiest places, from the Sphere humanitarian standards; the table "
              "gives them on each place's busiest day (for an ensemble, medians over members of each member's own "
              "busiest day; the plaza column is the highest daily median).") if data.kind == "ensemble" else
            _("Needs of the people staying at the busiest places, from the Sphere humanitarian standards; the table "
              "gives them on each place's busiest day."))
    return Section(
        "needs",
        _("Needs"),
        text=text,
        png=png_bytes(fig),
        alt=_("daily needs at the busiest places"),
        tables=[Table(columns, rows, numeric=set(range(1, 9)) - {2})],
    )


def _outcomes(data: ReportData, speaker: Language) -> Section:
    _ = speaker._
    outcomes = data.outcomes()
    fig = outcomes_figure(data, outcomes)
    spread = any(b.has_spread for b in outcomes.values())
    total = sum(float(b.mean) for b in outcomes.values())
    rows = []
    for status, band in outcomes.items():
        if float(band.p95) <= 0:
            continue
        row = [_(status), _fmt(float(band.p50))]
        if spread:
            row += [_("{low} to {high}").format(low=_fmt(float(band.p5)), high=_fmt(float(band.p95))),
                    _fmt(float(band.mean))]
        rows.append(row + [f"{100 * float(band.mean) / total:.1f}%" if total else ""])
    columns = [_("status"), _("median") if spread else _("people")] + (
        [_("P5 to P95"), _("mean")] if spread else []) + [_("share")]
    return Section(
        "outcomes",
        _("Outcomes"),
        text=_("Where everyone who set off is at the end of the run."),
        png=png_bytes(fig),
        alt=_("outcomes by status"),
        tables=[Table(columns, rows, numeric=set(range(1, len(columns))))],
    )


__all__ = ["build_report"]
