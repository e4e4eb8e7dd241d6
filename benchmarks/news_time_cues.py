"""Cues of another time or another caravan around a proposal (``news_error_stages.py --first-reads --false --cues``).

Session 14 (s14news) measured with them where the first readings' false movements and counts come from, and
judged two changes built on two of them, both FAILED their keep rule and reverted
(``results/news_keep_rule-2026-11-27-session14-s14news-rule.txt``; the code as it was tried is in the history,
commit fbb1170, ``src/caravana/news/eventtime.py``): E1, a proposal whose own clause names a month or a year
that does not hold its day is another event's ("who left Tapachula ... in October", "the largest since June 2022
when 6,000 migrants departed"); E2, a count dated more than a week before publication is outside the report's
window. They stay here as cues, each counted on the right and the false proposals.

The month names and "a principios/mediados/finales de" are ``caravana.news.dates``' (session 14, s14mendC; the
output of ``news_error_stages.py --first-reads --false --cues --list`` unchanged). Two known blurs, kept so that the
saved figures (``results/news_error_stages-2026-11-27-session14-s14news-false-cues-first-reads.txt``) still hold,
to be fixed before a change is built on E1 again: the months of both languages are read in every report, so the
English "mar" matches Spanish "en mar (abierto)" (no count changes on fresh7-14's first readings whether or not
"en mar" is skipped, nor with the report's language's months only); and "since/desde/until/hasta <month>" is read
as the closed month, while "since October" runs from October to now. Read as open (since: up to publication; until:
from any time before), E1 fires on one false movement and one false count fewer (movements 2/2 -> 1/2 false/right,
counts 3/1 -> 2/1).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from typing import Any

from caravana.news.cues import clause_bounds
from caravana.news.dates import MONTH_NUMBERS_EN, MONTH_NUMBERS_ES, PART_OF_ES, find_dates
from caravana.news.extract import _LAST_YEAR, LEAD
from caravana.news.textnorm import fold

_MONTHS = MONTH_NUMBERS_ES | MONTH_NUMBERS_EN  # (no name in both: "mayo", "may")
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
# a month as the time of a clause: with its year ("junio de 2022", "June 2022"), or after a word that makes it
# a time ("in October", "desde enero", "a finales de octubre", "el pasado mes de mayo"); "mayo" alone is a word,
# and "15 de enero" is a day (dates.find_dates reads it; such spans are skipped)
_MONTH_TIME = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\.?,?\s+(?:de\s+|del\s+)?(?P<y1>(?:19|20)\d\d)\b"
    rf"|(?:in|en|since|desde|during|durante|until|hasta|early|late|mid-?|{PART_OF_ES}|at the (?:beginning|end|start) of"
    rf"|mes de|month of)"
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


_PLUPERFECT = re.compile(r"\b(?:had|habia|habian|habria|habrian)\s+(?:\w+\s+)?\w+(?:ed|ado|ido|ada|ida)\b")
_RELATIVE_PAST = re.compile(r"\b(?:que|who|which|that)\s+(?:\w+\s+){0,3}?(?:salio|salieron|partio|partieron|llego|"
                            r"llegaron|arribo|arribaron|inicio|iniciaron|left|departed|arrived|set out|began|started)\b")
_OTHER_CARAVAN = re.compile(r"\b(?:otra|otras|segunda|primera|anterior|anteriores|previous|earlier|another|other|"
                            r"second|first|last year's)\s+(?:\w+\s+)?(?:caravanas?|caravans?|grupos?|groups?|contingentes?)\b"
                            r"|\b(?:caravanas?|caravans?)\s+(?:anteriores|anterior|previas|pasadas)\b")


def time_cues(p, report_text: str) -> list[str]:
    """The cues of another time or caravan around proposal ``p`` (``--cues``): the tense of its clause, a last
    year, a day far from the report's, a month or year its day is not in (change E1), a day over a week back
    (E2), another caravan named, and where it stands in the report."""
    folded = fold(p.sentence)
    at = p.sentence.find(p.evidence) if p.evidence else -1
    left, right = clause_bounds(folded, at, at + len(p.evidence)) if at >= 0 else (0, len(folded))
    clause = folded[left:right]
    far = any(d.date is not None and abs((p.published - d.date).days) > 7
              for d in find_dates(p.sentence, p.published, p.language))
    cues = {"pluperfect in its clause": _PLUPERFECT.search(clause), "relative past clause": _RELATIVE_PAST.search(clause),
            "last year in its sentence": _LAST_YEAR.search(folded),
            "a day over 7 days from publication in its sentence": far,
            "E1: a month or year of its clause not holding its day": other_time(p),
            "E2: dated over 7 days back": (p.published - p.date).days > 7 if p.published else False,
            "E2 as applied (counts only)": outside_window(p),
            "another caravan or group named in its sentence": _OTHER_CARAVAN.search(folded),
            "in the lead (first 800 characters)": p.start < LEAD,
            "in the report's second half": p.start >= len(report_text) / 2}
    return [name for name, hit in cues.items() if hit]


def print_time_cues(rows: list[tuple[bool, Any, list[str]]]) -> None:
    """Each cue of ``time_cues`` by movements and counts: on how many false and right proposals it fires."""
    tally: Counter = Counter()
    totals: Counter = Counter()
    for right, p, cues in rows:
        kind = "movement" if p.value is None else "count"
        totals[(kind, right)] += 1
        for cue in cues:
            tally[(cue, kind, right)] += 1
    print(f"\ncues of another time or caravan (--cues): on how many false / right proposals each fires "
          f"(movements {totals[('movement', False)]} / {totals[('movement', True)]}, counts "
          f"{totals[('count', False)]} / {totals[('count', True)]})")
    print(f"  {'cue':<56} {'movements f/r':>14} {'counts f/r':>12}")
    for cue in dict.fromkeys(c for _, _, cues in rows for c in cues):
        print(f"  {cue:<56} {tally[(cue, 'movement', False)]:>7}/{tally[(cue, 'movement', True)]:<6} "
              f"{tally[(cue, 'count', False)]:>5}/{tally[(cue, 'count', True)]:<6}")
