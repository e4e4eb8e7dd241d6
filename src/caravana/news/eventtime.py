"""The time a proposal's own clause speaks of, against the day the proposal is given.

A report's counts and movements are its news. A clause that names a month or a year for its
event ("who left Tapachula, in Chiapas, in October"; "the largest since June 2022 when 6,000
migrants departed Tapachula") speaks of that time: when the proposal's day falls outside it,
the figure or the movement is an earlier event's, recalled as background (change E1, session 14).
A count dated more than a week before publication is outside the report's window: an earlier
event's figure, not the report's news (change E2). Both look only at the proposal's own fields
(its sentence, evidence, day and publication day), so they apply as well to proposals read
before (``benchmarks/news_crossval.py --event-time``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .cues import clause_bounds
from .dates import find_dates
from .textnorm import fold

_MONTHS = {"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
           "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
           "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
           "september": 9, "october": 10, "november": 11, "december": 12,
           "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
           "nov": 11, "dec": 12}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
# a month as the time of a clause: with its year ("junio de 2022", "June 2022"), or after a word that makes it
# a time ("in October", "desde enero", "a finales de octubre", "el pasado mes de mayo"); "mayo" alone is a word,
# and "15 de enero" is a day (dates.find_dates reads it; such spans are skipped)
_MONTH_TIME = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\.?,?\s+(?:de\s+|del\s+)?(?P<y1>(?:19|20)\d\d)\b"
    rf"|(?:in|en|since|desde|during|durante|until|hasta|early|late|mid-?|(?:a|hacia|at the) "
    rf"(?:principios|inicios|mediados|finales|fines|beginning|end|start) (?:de|of)|mes de|month of)"
    rf"\s+(?P<m2>{_MONTH})\b(?!\.?\s*\d{{1,2}}\b)(?:,?\s+(?:de\s+|del\s+)?(?P<y2>(?:19|20)\d\d)\b)?)")
WINDOW = 7  # days: a count dated further back than this before publication is an earlier event's (E2)
TOLERANCE = 1  # a day either side, the benchmark's matching rule


def _spans(sentence: str, published: dt.date, language: str) -> list[tuple[int, int, dt.date, dt.date]]:
    """The months and years ``sentence`` names as a time, as (start, end, first day, last day) in its
    folded text; a month with no year is the latest such month on or before ``published``."""
    folded = fold(sentence)
    found = find_dates(sentence, published, language)
    days = [(d.start, d.end) for d in found if d.date is not None]
    out = []
    for m in _MONTH_TIME.finditer(folded):
        if any(a < m.end() and m.start() < b for a, b in days):
            continue
        month = _MONTHS[m["m1"] or m["m2"]]
        year = int(m["y1"] or m["y2"] or 0) or (published.year if month <= published.month else published.year - 1)
        out.append((m.start(), m.end(), dt.date(year, month, 1),
                    dt.date(year, month, calendar.monthrange(year, month)[1])))
    for d in found:  # a year alone ("in 2021"): not the year of a month already read
        if d.date is None and d.year is not None and not d.vague \
                and not any(a < d.end and d.start < b for a, b, _, _ in out):
            out.append((d.start, d.end, dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)))
    return out


def other_time(p) -> bool:
    """E1: the clause of ``p``'s figure (or place) names a month or year that does not hold ``p``'s day."""
    if p.published is None:
        return False
    folded = fold(p.sentence)
    at = p.sentence.find(p.evidence) if p.evidence else -1
    if at < 0:
        return False
    left, right = clause_bounds(folded, at, at + len(p.evidence))
    margin = dt.timedelta(days=TOLERANCE)
    return any(left <= a and b <= right and not (first - margin <= p.date <= last + margin)
               for a, b, first, last in _spans(p.sentence, p.published, p.language))


def outside_window(p) -> bool:
    """E2: a count dated more than ``WINDOW`` days before its report's publication."""
    return p.value is not None and p.published is not None and (p.published - p.date).days > WINDOW


CHANGES = {"none": (), "E1": (other_time,), "E2": (outside_window,), "E1+E2": (other_time, outside_window)}
SHIPPED = "none"  # which of CHANGES extract_report applies (judged by leave-one-set-out before any is switched on)


def in_time(proposals: list, change: str | None = None) -> list:
    """The proposals that no check of ``change`` (a key of ``CHANGES``; default ``SHIPPED``) drops."""
    checks = CHANGES[change or SHIPPED]
    return [p for p in proposals if not any(check(p) for check in checks)]
