"""A briefing as HTML: one A4 page, key figures first, then needs, reports and a small
map of the place on the route. The same fragment is shown by the dashboard, inserted
in the report and printed to PDF by ``caravana brief``."""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from ..i18n import Language, language
from .figures import Briefing, Need, Spread

NEED_UNITS = {"water_l": "L", "food_kcal": "kcal", "covered_m2": "m²", "toilets": ""}

CSS_FILE = Path(__file__).parent / "briefing.css"  # also served by the dashboard
CSS = CSS_FILE.read_text(encoding="utf-8")


def _range(lang: Language, s: Spread | None, fmt) -> str:
    if s is None:
        return "–"
    return fmt(s.p50) if s.exact else f"{fmt(s.p5)} – {fmt(s.p95)}"


def forecast_days(b: Briefing, lang: Language, year: bool = True) -> dict[str, str] | None:
    """A forecast's own days, after its as-of date up to its end (those its peak, people-days and
    days above half the peak count), as ``first`` and ``last``; None for a run or an ensemble."""
    if b.kind != "forecast" or b.as_of is None:
        return None
    return {"first": lang.date(b.as_of + dt.timedelta(days=1), year=year), "last": lang.date(b.end, year=year)}


def sentences(b: Briefing, lang: Language) -> dict[str, str]:
    """One plain sentence per figure: what it means and how sure it is."""
    _ = lang._
    num, day = lang.number, (lambda d: lang.date(b.date(d)))
    single = b.members == 1
    out: dict[str, str] = {}
    if b.peak is None:
        out["peak"] = _("Nobody stays at {place} in these results.").format(place=lang.place(b.place))
        return out
    who = (_("In this single simulation") if single else
           _("In {came} of {members} simulated futures").format(came=b.came, members=b.members))
    if b.from_start is not None:
        if single:
            out["from_start"] = _("{n} people are already here on {date}, the first simulated day: they came before "
                                  "it. The arrival is that of a large group (a tenth of the peak or more) on top of "
                                  "them.").format(n=num(b.from_start.p50), date=lang.date(b.start))
        else:
            out["from_start"] = _("In {k} of {members} simulated futures {low} to {high} people are already here on "
                                  "{date}, the first simulated day: they came before it. The arrival is that of a "
                                  "large group (a tenth of the peak or more) on top of them.").format(
                k=b.from_start.n, members=b.members, date=lang.date(b.start), low=num(b.from_start.p5),
                high=num(b.from_start.p95))
        if b.arrival is None:
            out["arrival"] = _("No large group comes on top of those here from the start.")
    if b.arrival is not None:
        if b.arrival.exact:
            out["arrival"] = _("{who}, the first large group (a tenth of the peak or more) arrives on {date}.").format(
                who=who, date=day(b.arrival.p50))
        else:
            out["arrival"] = _("{who} people come; the first large group (a tenth of the peak or more) arrives "
                               "between {low} and {high}, in half of them by {mid}.").format(
                who=who, low=day(b.arrival.p5), high=day(b.arrival.p95), mid=day(b.arrival.p50))
    if b.caravan is not None:
        # A place ahead of several caravans (Tapachula as of Oct 24, 2018: the second caravan and two from
        # El Salvador; the October one has passed): whose arrival that is, and when the others come.
        said = [_("That arrival is that of the {caravan}.").format(caravan=lang.caravan(b.caravan))]
        for name, window in b.other_caravans:
            said.append(_("The {caravan} comes here too, in some futures after {date}, the last forecast day.")
                        .format(caravan=lang.caravan(name), date=lang.date(b.end)) if window is None else
                        _("The {caravan} comes here too: between {low} and {high} (median {mid}).").format(
                            caravan=lang.caravan(name), low=day(window.p5), high=day(window.p95),
                            mid=day(window.p50)))
        out["caravan"] = " ".join(said)
    if b.peak.exact:
        out["peak"] = _("At the busiest moment {n} people stay here.").format(n=num(b.peak.p50))
    else:
        out["peak"] = _("At the busiest moment {mid} people stay here (median); plan for up to {high}: "
                        "each future's own peak lies between {low} and {high} in 9 of 10 futures.").format(
            mid=num(b.peak.p50), low=num(b.peak.p5), high=num(b.peak.p95))
    # A figure without spread (one simulation, or every future alike) is given without a range.
    period = forecast_days(b, lang)
    if b.days_above_half is not None and period is not None:
        # a forecast counts its own days only: say which, or "20 days" reads as 20 days ahead
        n = int(round(b.days_above_half.p50))
        out["days"] = lang.n_("From {first} to {last}, the forecast's days, more than half of the peak is here for "
                              "{n} day.", "From {first} to {last}, the forecast's days, more than half of the peak is "
                              "here for {n} days.", n).format(n=num(n), **period)
    elif b.days_above_half is not None:
        half = b.days_above_half
        out["days"] = (lang.n_("More than half of the peak is here for {mid} day.",
                               "More than half of the peak is here for {mid} days.", int(round(half.p50))) if half.exact
                       else lang.n_("More than half of the peak is here for {mid} day ({low} to {high}).",
                                    "More than half of the peak is here for {mid} days ({low} to {high}).",
                                    int(round(half.p50)))).format(mid=num(half.p50), low=num(half.p5), high=num(half.p95))
    if b.person_days is not None:
        pd = b.person_days
        if period is not None:  # a forecast's: its own days, not the whole stay
            out["person_days"] = _("{mid} people-days from {first} to {last} ({low} to {high}): what supplies add up "
                                   "to over the forecast's days.").format(
                mid=num(pd.p50), low=num(pd.p5), high=num(pd.p95), **period)
        else:
            out["person_days"] = (_("{mid} people-days in all: what supplies add up to over the whole stay.")
                                  if pd.exact else _("{mid} people-days in all ({low} to {high}): what supplies add "
                                                     "up to over the whole stay.")).format(
                mid=num(pd.p50), low=num(pd.p5), high=num(pd.p95))
    if b.departure is not None:
        gone = b.departure
        out["departure"] = (_("Most have left by {mid}.") if gone.exact else _("Most have left by {mid} ({low} to {high}).")
                            ).format(mid=day(gone.p50), low=day(gone.p5), high=day(gone.p95))
    if b.still_there:
        out["still"] = (_("People are still here on {date}, the last simulated day.") if single else
                        _("In {k} of {n} futures people are still here on {date}, the last simulated day.")).format(
            k=b.still_there, n=b.members, date=lang.date(b.end))
    if single:
        out["sure"] = _("One simulation gives no range: treat it as one plausible outcome, not a forecast.")
    elif b.members < 10:
        out["sure"] = _("Few simulated futures: the ranges are rough.")
    return out


def _key(value: str, label: str) -> str:
    return f'<div class="fig"><b>{escape(value)}</b><span>{escape(label)}</span></div>'


def _need_label(lang: Language, need: Need) -> tuple[str, str]:
    _ = lang._
    labels = {"water_l": _("Water (litres)"), "food_kcal": _("Food (kcal)"),
              "covered_m2": _("Covered space (m²)"), "toilets": _("Toilets")}
    standards = {"water_l": _("{v} L per person a day"), "food_kcal": _("{v} kcal per person a day"),
                 "covered_m2": _("{v} m² per person"), "toilets": _("1 per {v} people")}
    return labels[need.name], standards[need.name].format(v=lang.number(need.value) if need.value >= 10
                                                          else f"{need.value:g}")


def needs_table(b: Briefing, lang: Language) -> str:
    _ = lang._
    single = b.members == 1  # one run: its median and P95 are one figure, given once
    columns = (_("Need"), _("Sphere standard"), _("A day at the peak"), *(() if single else (_("Plan for (P95)"),)),
               _("Whole stay") if forecast_days(b, lang) is None else _("The forecast's days"))  # as its people-days
    numeric = ' class="n"'
    head = "<tr>" + "".join(f"<th{numeric if i > 1 else ''}>{escape(c)}</th>" for i, c in enumerate(columns))
    head += "</tr>"
    rows = []
    for need in b.needs:
        label, standard = _need_label(lang, need)
        total = ("–" if need.total is None else lang.number(need.total.p50) if single
                 else f"{lang.number(need.total.p50)} ({lang.number(need.total.p95)})")
        cells = [lang.number(need.per_day.p50), *(() if single else (lang.number(need.per_day.p95),)), total]
        rows.append(f"<tr><td>{escape(label)}</td><td>{escape(standard)}</td>"
                    + "".join(f'<td class="n">{escape(c)}</td>' for c in cells) + "</tr>")
    return f'<table class="needs"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def report_cells(r: dict, lang: Language) -> tuple[str, str, str, str]:
    """A report's day, place (with its distance when near), what it says and its figure
    (with its range), in ``lang``: the page's table and the terminal's lines alike."""
    day = r.get("date")
    day = lang.date(dt.date.fromisoformat(str(day)[:10])) if day else ""
    value = "" if r.get("value") is None else lang.number(r["value"])
    if r.get("low") is not None and r.get("high") is not None and r["low"] != r["high"]:
        value += f" ({lang.number(r['low'])}–{lang.number(r['high'])})"
    where = lang.place(r["place"]) if r.get("place") else ""
    if r.get("km"):
        where += f" ({lang.number(r['km'])} km)"
    what = lang.quantity(str(r.get("quantity")), r.get("value"))
    return day, where, what, value


def reports_table(b: Briefing, lang: Language) -> str:
    _ = lang._
    if not b.reports:
        none = _("No reports at or near this place among the observations of these results.")
        return f'<p class="says">{escape(none)}</p>'
    after = _("(after the as-of date, not used)")
    rows = []
    for r in b.reports:
        day, where, what, value = report_cells(r, lang)
        flag = f" {after}" if r.get("after_as_of") else ""
        source = (r.get("source") or "")[:70]
        rows.append(f"<tr><td>{escape(day)}</td><td>{escape(where)}</td>"
                    f"<td>{escape(what)}{escape(flag)}</td><td class=\"n\">{escape(value)}</td>"
                    f"<td>{escape(source)}</td></tr>")
    head = "".join(f"<th>{escape(h)}</th>" for h in (_("Date"), _("Place"), _("What"), _("Figure"), _("Source")))
    return f'<table class="reports"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def map_svg(b: Briefing, lang: Language, width: int = 260, height: int = 200) -> str:
    """The routes as grey lines, their places as dots, this place as a red dot with its name."""
    geo = b.geography or {}
    places = [p for p in geo.get("places", []) if p.get("lat") is not None]
    if not places:
        return ""
    lats = [p["lat"] for p in places]
    lons = [p["lon"] for p in places]
    pad = 0.5
    x0, x1, y0, y1 = min(lons) - pad, max(lons) + pad, min(lats) - pad, max(lats) + pad
    scale = min(width / (x1 - x0), height / (y1 - y0))

    def xy(p):
        return (p["lon"] - x0) * scale, height - (p["lat"] - y0) * scale

    lines = []
    for i, j in geo.get("routes", []):
        (ax, ay), (bx, by) = xy(geo["places"][i]), xy(geo["places"][j])
        lines.append(f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" stroke="#bbb" stroke-width="1"/>')
    dots = [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.6" fill="#888"/>' for x, y in map(xy, places)]
    here = next((p for p in places if p["name"] == b.place), None)
    mark = ""
    if here is not None:
        x, y = xy(here)
        anchor = "end" if x > width * 0.6 else "start"
        dx = -7 if anchor == "end" else 7
        mark = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#c0392b"/>'
                f'<text x="{x + dx:.1f}" y="{y + 4:.1f}" font-size="12" text-anchor="{anchor}" '
                f'font-weight="bold">{escape(lang.place(b.place))}</text>')
    title = escape(lang._("{place} on the caravans' routes").format(place=lang.place(b.place)))
    return (f'<svg class="map" viewBox="0 0 {width} {height}" role="img" aria-label="{title}">'
            f'<title>{title}</title>{"".join(lines)}{"".join(dots)}{mark}</svg>')


def fragment(b: Briefing, lang: Language | str | None = None) -> str:
    """The briefing as an ``<article>``: heading, key figures, sentences, needs, reports, map."""
    lang = (lang if isinstance(lang, Language) else language(lang)).about(b.names)
    _ = lang._
    says = sentences(b, lang)
    kind = {"run": _("a single run"), "ensemble": _("an ensemble of {n} runs").format(n=b.members),
            "forecast": _("a forecast of {n} particles").format(n=b.members)}[b.kind]
    made = _("Made on {made} from {kind} of scenario {scenario} ({source}).").format(
        made=lang.date(b.made), kind=kind, scenario=b.scenario, source=b.source)
    if b.as_of is not None:
        made += " " + _("Reports used up to {date} (the as-of date).").format(date=lang.date(b.as_of))
    day = lambda d: lang.date(b.date(d), year=False)  # noqa: E731
    keys = []
    if b.arrival is not None:
        keys.append(_key(_range(lang, b.arrival, day), _("arrival of the first large group")))
    if b.peak is not None:
        keys.append(_key(_range(lang, b.peak, lang.number), _("people here at the peak (P5–P95)")))
    if b.days_above_half is not None:
        period = forecast_days(b, lang, year=False)
        n = int(round(b.days_above_half.p95))  # "1–2 days", "1 day"
        keys.append(_key(_range(lang, b.days_above_half, lang.number),
                         lang.n_("day above half the peak", "days above half the peak", n) if period is None
                         else lang.n_("day above half the peak, {first} – {last}",
                                      "days above half the peak, {first} – {last}", n).format(**period)))
    if b.person_days is not None:
        keys.append(_key(lang.number(b.person_days.p50), _("people-days in all (median)")))
    if b.departure is not None:
        keys.append(_key(_range(lang, b.departure, day), _("most have left")))
    parts = [
        f'<article class="briefing" lang="{lang.code}" data-place="{escape(b.place)}">',
        map_svg(b, lang),
        f"<h2>{escape(lang.place(b.place))}</h2>",
        f'<p class="made">{escape(made)}</p>',
        f'<div class="figs">{"".join(keys)}</div>',
        *(f'<p class="says">{escape(s)}</p>' for s in says.values()),
    ]
    if b.needs:
        explain = _("Daily needs at the busiest moment, by the Sphere minimum standards; the whole stay adds "
                    "water and food over every day. Covered space and toilets are set up once, for the peak.")
        prepare = _("What to prepare")
        parts += [f"<h3>{escape(prepare)}</h3>", needs_table(b, lang), f'<p class="says">{escape(explain)}</p>']
    nearby = _("Reports at or near this place")
    parts += [f"<h3>{escape(nearby)}</h3>", reports_table(b, lang)]
    parts += [f'<p class="note">{escape(n)}</p>' for n in b.notes]
    parts.append("</article>")
    return "\n".join(p for p in parts if p)


def page(b: Briefing, lang: Language | str | None = None) -> str:
    """A whole, self-contained HTML page of one briefing (what ``--pdf`` prints)."""
    lang = (lang if isinstance(lang, Language) else language(lang)).about(b.names)
    title = lang._("Briefing: {place}").format(place=lang.place(b.place))
    return ("<!DOCTYPE html>\n"
            f'<html lang="{lang.code}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f"{fragment(b, lang)}\n</body>\n</html>\n")
