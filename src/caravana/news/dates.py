"""Dates a sentence names, resolved against the report's publication date.

Absolute dates ("13 de octubre", "Oct. 20", "October 20, 2018") are parsed by
dateparser, preferring the past of the publication date (an undated "October 13" in a
January report is last October). Relative ones ("ayer", "el domingo", "on Saturday",
"hace diez días", "this week") count back from the publication date: a weekday is the
latest such day on or before it; a day of the month without its month ("el pasado día 13",
"el 1 de este mes") is of the publication's month, else the month before; the weekend is
its last day on or before publication.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .distractors import PEOPLE
from .textnorm import fold

# each month's names (folded) and its number; in the patterns, the names in this order
MONTH_NUMBERS_ES = {"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
                    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12}
MONTH_NUMBERS_EN = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
                    "september": 9, "october": 10, "november": 11, "december": 12,
                    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sept": 9, "sep": 9,
                    "oct": 10, "nov": 11, "dec": 12}
_MONTHS_ES = "|".join(MONTH_NUMBERS_ES)
_MONTHS_EN = "|".join(MONTH_NUMBERS_EN)
_WEEKDAYS = {
    "lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5, "domingo": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
_WD = "|".join(_WEEKDAYS)
_ABSOLUTE = re.compile(
    rf"\b(?:(?:{_WD}),?\s+)?(?:(?P<d1>\d{{1,2}})\s+(?:de\s+)?(?P<m1>{_MONTHS_ES})(?:\s+(?:de|del)\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<m2>{_MONTHS_EN})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y2>\d{{4}}))?"
    rf"|(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m3>{_MONTHS_EN})\b(?:,?\s+(?P<y3>\d{{4}}))?)")
_MONTH_YEAR = re.compile(rf"\b(?:{_MONTHS_ES}|{_MONTHS_EN})\.?\s+(?:de\s+|del\s+)?(?P<y>\d{{4}})\b")
_PEOPLE_AFTER = re.compile(rf"\s+(?:{PEOPLE})\b")
# "(2000 GMT)", "a las 2000 horas": a clock time, not a year
_YEAR = re.compile(r"(?<![\d.,])\b(?P<y>19[5-9]\d|20\d\d)(?:s\b|\b)(?![\d.,]\d)(?!\s*(?:gmt|utc|hrs?\b|horas|h\b))")
_SHIFTS = [  # (pattern, days back)
    (re.compile(r"\b(?:anteayer|antier|antes de ayer|the day before yesterday)\b"), 2),
    (re.compile(r"\b(?:ayer|yesterday|anoche|last night)\b"), 1),
    (re.compile(r"\b(?:hoy|today|this morning|this afternoon|this evening|tonight|esta manana|esta tarde|"
                r"esta noche)\b"), 0),
]
# a past period, not a day ("left Honduras last week", "a principios de mes", "earlier in January"):
# masked like a month, so it dates nothing; `extract` leaves out what it governs
PART_OF_ES = "(?:a|hacia) (?:principios|inicios|mediados|finales|fines) de"  # the start, middle or end of a period
VAGUE_PAST = re.compile(rf"\b(?:la semana pasada|last week|el mes pasado|last month|the previous week|"
                        rf"earlier (?:this|that|last) (?:week|month)|earlier in (?:{_MONTHS_EN})|"
                        rf"{PART_OF_ES}(?:l mes| este mes| mes|l ano| (?:{_MONTHS_ES})))\b")
# feast days named instead of a date ("partió en la Nochebuena de 2023", "on Christmas Eve")
_FEASTS = {"nochebuena": (12, 24), "christmas eve": (12, 24), "nochevieja": (12, 31), "new year's eve": (12, 31),
           "navidad": (12, 25), "christmas day": (12, 25), "christmas": (12, 25), "ano nuevo": (1, 1),
           "new year's day": (1, 1)}
_FEAST = re.compile(r"\b(?P<feast>" + "|".join(sorted(_FEASTS, key=len, reverse=True))
                    + r")\b(?:\s+(?:de\s+|del\s+|of\s+)?(?P<y>\d{4})\b)?")
_WEEK = re.compile(r"\b(?:esta semana|this week|en los ultimos dias|in recent days|recently|recientemente)\b")
_WEEKDAY = re.compile(rf"\b(?P<wd>{_WD})\b")
_AGO = re.compile(r"\b(?:hace\s+(?P<n1>[\w]+)\s+dias|(?P<n2>[\w]+)\s+days\s+ago)\b")

# session 22's change R (s22news), kept by its rule (benchmarks/results/news_crossval-...-s22news-R-outcome.txt):
# a day of the month without its month: of the publication's month, else the month before ("el pasado día 13",
# "el pasado 6 del presente mes", "el pasado uno de este mes", "el día 8", "on the 13th"); a day in words only
# with "día" before it or "de este mes" after it ("el pasado uno" alone is not a day)
_DAY_WORDS = {"primero": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
              "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
              "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiuno": 21,
              "veintidos": 22, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25, "veintiseis": 26,
              "veintisiete": 27, "veintiocho": 28, "veintinueve": 29, "treinta": 30, "treinta y uno": 31}
_DAY_WORD = "|".join(sorted(_DAY_WORDS, key=len, reverse=True))
_THIS_MONTH = r"(?:de este (?:mismo )?mes|del presente mes|del mes en curso|of this month)"
_THIS_MONTH_NAMED = re.compile(_THIS_MONTH)
# not a day: a month follows (an absolute date, read above), or the figure goes on ("el domingo 2 mil migrantes",
# "a las 17:00", "el pasado 30 migrantes")
_NO_MONTH_AFTER = (rf"(?!\s+(?:de\s+|del\s+|of\s+)?(?:{_MONTHS_ES}|{_MONTHS_EN})\b)(?![\d.,:]\d)"
                   rf"(?!\s+(?:mil|cien|ciento|cientos|millon|millones|thousand|hundred|million|y\s+medio)\b)"
                   rf"(?!\s+(?:{PEOPLE})\b)")
_DAY_OF_MONTH = re.compile(
    rf"\bel\s+(?:pasado\s+)?(?:dia\s+)?(?P<d1>\d{{1,2}})\s+{_THIS_MONTH}"
    rf"|\bel\s+(?:pasado\s+)?(?:dia\s+)?(?P<w1>{_DAY_WORD})\s+{_THIS_MONTH}"
    rf"|\bel\s+pasado\s+(?:dia\s+)?(?P<d2>\d{{1,2}})\b{_NO_MONTH_AFTER}"
    rf"|\bel\s+(?:pasado\s+)?dia\s+(?P<w2>{_DAY_WORD}|\d{{1,2}})\b{_NO_MONTH_AFTER}"
    rf"|\bon\s+the\s+(?P<d3>\d{{1,2}})(?:st|nd|rd|th)\b(?:\s+{_THIS_MONTH})?{_NO_MONTH_AFTER}")
# a weekday with its day of the month ("el pasado martes 3", "el viernes 17", "Monday the 3rd"): that day, when
# the weekday agrees with it
_WEEKDAY_DAY = re.compile(rf"\b(?P<wd>{_WD}),?\s+(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"
                          rf"(?:\s+{_THIS_MONTH})?{_NO_MONTH_AFTER}")
# the weekend: its last day on or before publication; "este fin de semana", "this weekend" only from Saturday to
# Monday (before then it may be the coming one); not "los fines de semana" (every weekend) nor "el próximo"
_WEEKEND = re.compile(r"\b(?:(?:el|del)\s+(?:pasado\s+|ultimo\s+)?fin\s+de\s+semana(?:\s+pasado)?"
                      r"|(?:this\s+past|last|the|over\s+the)\s+weekend)\b")
_THIS_WEEKEND = re.compile(r"\b(?:este\s+fin\s+de\s+semana|this\s+weekend)\b")
# "el pasado lunes", "last Monday", "this past Monday" on a Monday: the Monday before, not the day itself
_LAST_WEEKDAY = re.compile(rf"\b(?:el\s+pasado|el\s+ultimo|last|this\s+past)\s+(?P<wd>{_WD})\b")
# "el lunes pasado" said on a Monday, the same (session 23's change V, with news/background.py; LABELLING.md C11)
_WEEKDAY_LAST = re.compile(rf"\bel\s+(?P<wd>{_WD})\s+pasado\b")


# a period ("between Thursday and Saturday", "entre el lunes y el miércoles", "from Oct. 1 to Oct. 3"):
# what is counted over it is counted up to its end, so its first day dates nothing
_PERIOD_OPENS = re.compile(r"\b(?:between|entre|from|desde|del|de)\s+(?:el\s+|la\s+|the\s+)?$")
_PERIOD_JOINS = re.compile(r"\s*(?:and|y|to|a|al|hasta|through|until|-|–)\s+(?:el\s+|la\s+|the\s+)?")


@dataclass(frozen=True)
class DateMention:
    date: dt.date | None  # None: a month or a year, not a day (kept to mask its digits)
    start: int
    end: int
    vague: bool = False  # "this week": the publication date stands in for some day of it
    year: int | None = None  # the year it names, if it names one


def _in_a_name(sentence: str, start: int) -> bool:
    """In Spanish, where weekdays are written in lower case, a capitalised weekday after a
    capitalised word is part of a name ("Santo Domingo Ingenio"), not a day."""
    before = sentence[:start].split()
    return sentence[start:start + 1].isupper() and bool(before) and before[-1][:1].isupper() \
        and not before[-1].endswith((".", ":", ",", ";"))


def find_dates(sentence: str, published: dt.date, language: str) -> list[DateMention]:
    """Each date, month or year in ``sentence``, in order, without overlaps."""
    folded = fold(sentence)
    found: list[DateMention] = []

    def free(start, end):
        return not any(start < m.end and m.start < end for m in found)

    for m in _ABSOLUTE.finditer(folded):
        found.append(DateMention(_absolute(sentence[m.start():m.end()], m, published, language),
                                 m.start(), m.end(), year=_int(m["y1"] or m["y2"] or m["y3"])))
    for m in _FEAST.finditer(folded):
        found.append(DateMention(_feast(m, published), m.start(), m.end(), year=_int(m["y"])))
    for m in _MONTH_YEAR.finditer(folded):
        if free(m.start(), m.end()):
            found.append(DateMention(None, m.start(), m.end(), year=int(m["y"])))
    for pattern, back in _SHIFTS:
        for m in pattern.finditer(folded):
            if free(m.start(), m.end()):
                found.append(DateMention(published - dt.timedelta(days=back), m.start(), m.end()))
    for m in VAGUE_PAST.finditer(folded):
        if free(m.start(), m.end()):
            found.append(DateMention(None, m.start(), m.end(), vague=True))
    for m in _AGO.finditer(folded):
        n = _count(m["n1"] or m["n2"], language)
        if n is not None and free(m.start(), m.end()):
            found.append(DateMention(published - dt.timedelta(days=n), m.start(), m.end()))
    found += _more_relative_days(sentence, folded, published, language, free)
    for m in _WEEKDAY.finditer(folded):
        if free(m.start(), m.end()) and not (language == "es" and _in_a_name(sentence, m.start())):
            back = (published.weekday() - _WEEKDAYS[m["wd"]]) % 7
            found.append(DateMention(published - dt.timedelta(days=back), m.start(), m.end()))
    for m in _WEEK.finditer(folded):
        if free(m.start(), m.end()):
            found.append(DateMention(published, m.start(), m.end(), vague=True))
    for m in _YEAR.finditer(folded):
        if free(m.start(), m.end()) and not _PEOPLE_AFTER.match(folded, m.end()):  # "2000 personas": a count
            found.append(DateMention(None, m.start(), m.end(), year=int(m["y"])))
    found.sort(key=lambda d: d.start)
    return _period_ends(folded, found)


def _more_relative_days(sentence: str, folded: str, published: dt.date, language: str, free) -> list[DateMention]:
    """A weekday with its day of the month, a day of the month alone, the weekend, and "the last Monday" said on a
    Monday (session 22's change R); each where no earlier pattern stands."""
    out: list[DateMention] = []

    def add(day: dt.date | None, m: re.Match) -> None:
        if day is not None and day <= published and free(m.start(), m.end()) \
                and not any(m.start() < d.end and d.start < m.end() for d in out):
            out.append(DateMention(day, m.start(), m.end()))

    for m in _WEEKDAY_DAY.finditer(folded):
        if language == "es" and _in_a_name(sentence, m.start()):
            continue
        day = _day_of_month(int(m["d"]), published, this_month=_THIS_MONTH_NAMED.search(m.group()) is not None)
        add(day if day is not None and day.weekday() == _WEEKDAYS[m["wd"]] else None, m)
    for m in _DAY_OF_MONTH.finditer(folded):
        number = m["d1"] or m["d2"] or m["d3"] or m["w1"] or m["w2"]
        add(_day_of_month(int(number) if number.isdigit() else _DAY_WORDS[number], published,
                          this_month=_THIS_MONTH_NAMED.search(m.group()) is not None), m)
    for pattern in (_LAST_WEEKDAY, _WEEKDAY_LAST):
        for m in pattern.finditer(folded):
            if _WEEKDAYS[m["wd"]] == published.weekday():
                add(published - dt.timedelta(days=7), m)
    weekend = _last_weekend_day(published)
    for m in _WEEKEND.finditer(folded):
        add(weekend, m)
    if published.weekday() in (5, 6, 0):  # Saturday, Sunday, Monday: the weekend just gone
        for m in _THIS_WEEKEND.finditer(folded):
            add(weekend, m)
    return out


def _day_of_month(day: int, published: dt.date, this_month: bool = False) -> dt.date | None:
    """That day of the publication's month if it is not after publication, else of the month before; None for a
    day after publication said to be of this month ("el 28 de este mes" in a report of the 20th: still to come)."""
    year, month = published.year, published.month
    if day > published.day:
        if this_month:
            return None
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    try:
        return dt.date(year, month, day)
    except ValueError:  # the 31st of a shorter month
        return None


def _last_weekend_day(published: dt.date) -> dt.date:
    """The latest Saturday or Sunday on or before publication (a Sunday unless published on a Saturday)."""
    back = (published.weekday() - 6) % 7  # days since the last Sunday
    return published if published.weekday() == 5 else published - dt.timedelta(days=back)


def _period_ends(folded: str, found: list[DateMention]) -> list[DateMention]:
    """The first day of a period ("between Thursday and Saturday") masked like a month: a count
    over the period is dated by its last day."""
    out = list(found)
    for i, (first, last) in enumerate(zip(found, found[1:])):
        if first.date is not None and last.date is not None and last.date >= first.date \
                and _PERIOD_JOINS.fullmatch(folded, first.end, last.start) \
                and _PERIOD_OPENS.search(folded, max(0, first.start - 14), first.start):
            out[i] = DateMention(None, first.start, first.end, year=first.year)
    return out


def _absolute(text: str, m: re.Match, published: dt.date, language: str) -> dt.date | None:
    import dateparser

    base = dt.datetime.combine(published, dt.time(23, 59))
    parsed = dateparser.parse(text, languages=[language, "en" if language == "es" else "es"],
                              settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past",
                                        "REQUIRE_PARTS": ["day", "month"]})
    return parsed.date() if parsed is not None else None


def _feast(m: re.Match, published: dt.date) -> dt.date | None:
    """The feast day in the year named, else the latest one on or before publication."""
    month, day = _FEASTS[m["feast"]]
    if m["y"]:
        return dt.date(int(m["y"]), month, day)
    this_year = dt.date(published.year, month, day)
    return this_year if this_year <= published else dt.date(published.year - 1, month, day)


def _count(word: str, language: str) -> int | None:
    if word.isdigit():
        return int(word)
    from text_to_num import text2num

    for lang in (language, "en" if language == "es" else "es"):
        try:
            return int(text2num(word, lang))
        except ValueError:
            continue
    return None


def _int(text: str | None) -> int | None:
    return int(text) if text else None
