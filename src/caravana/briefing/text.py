"""A briefing as plain text for the terminal: the key figures, each with its sentence."""

from __future__ import annotations

from ..i18n import Language
from .figures import Briefing
from .page import _need_label, report_cells, sentences

SHOWN_REPORTS = 8


def summary(b: Briefing, lang: Language) -> str:
    lang = lang.about(b.names)  # its places' names
    _ = lang._
    lines = [_("Briefing: {place}").format(place=lang.place(b.place))]
    if b.as_of is not None:
        lines.append(_("Reports used up to {date} (the as-of date).").format(date=lang.date(b.as_of)))
    lines += [f"- {s}" for s in sentences(b, lang).values()]
    if b.needs:
        # one run's median and P95 are the same figure: say it once
        single = b.members == 1
        lines.append(_("What to prepare") + " (" + (_("a day at the peak") if single else
                                                    _("a day at the peak, median / plan for P95")) + "):")
        for need in b.needs:
            label, standard = _need_label(lang, need)
            figure = lang.number(need.per_day.p50) + ("" if single else f" / {lang.number(need.per_day.p95)}")
            lines.append(f"  {label}: {figure}  [{standard}]")
    n = len(b.reports)
    lines.append(lang.n_("{n} report at or near this place.", "{n} reports at or near this place.", n).format(n=n))
    after = _("(after the as-of date, not used)")
    for r in b.reports[:SHOWN_REPORTS]:
        day, where, what, value = report_cells(r, lang)
        lines.append(f"  {day} {where}: {what}" + (f" {value}" if value else "")
                     + (f" {after}" if r.get("after_as_of") else ""))
    if n > SHOWN_REPORTS:  # the page (--html, --pdf) lists them all
        lines.append("  " + _("... and {n} more (all of them in --html or --pdf)").format(n=n - SHOWN_REPORTS))
    return "\n".join(lines)
