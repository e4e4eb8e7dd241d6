"""Session 22 (s22news): change R, more relative days resolved against the publication date (``news/dates.py``'s
``_more_relative_days``; kept by its rule, benchmarks/results/news_crossval-...-s22news-R-outcome.txt). Hand-made
sentences in Spanish and English; no labelled set is scored."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana import load_scenario  # noqa: E402
from caravana.news import dates  # noqa: E402
from caravana.news.extract import extract_report  # noqa: E402
from caravana.news.loading import Report  # noqa: E402
from caravana.news.places import Gazetteer  # noqa: E402

WEDNESDAY = dt.date(2020, 1, 22)
MONDAY = dt.date(2020, 1, 20)
SATURDAY = dt.date(2020, 1, 25)


def _days(text: str, published: dt.date, language: str) -> list[tuple[dt.date, str]]:
    return [(d.date, text[d.start:d.end]) for d in dates.find_dates(text, published, language) if d.date]


@pytest.mark.parametrize(("text", "language", "published", "day", "words"), [
    # a day of the month without its month: this month, else the month before
    ("La caravana salió el pasado día 13 de San Pedro Sula.", "es", WEDNESDAY, dt.date(2020, 1, 13),
     "el pasado día 13"),
    ("Partió de esta ciudad el pasado 6 del presente mes con unas 300 personas.", "es", WEDNESDAY,
     dt.date(2020, 1, 6), "el pasado 6 del presente mes"),
    ("Salió rumbo a la Ciudad de México el pasado uno de este mes.", "es", WEDNESDAY, dt.date(2020, 1, 1),
     "el pasado uno de este mes"),
    ("La caravana partió el 1 de este mes.", "es", WEDNESDAY, dt.date(2020, 1, 1), "el 1 de este mes"),
    ("La segunda salió el día 28 desde Tapachula.", "es", WEDNESDAY, dt.date(2019, 12, 28), "el día 28"),
    ("The caravan left Tapachula on the 13th.", "en", WEDNESDAY, dt.date(2020, 1, 13), "on the 13th"),
    # a weekday with its day: that day when they agree (17 January 2020 was a Friday)
    ("Lograron entrar en Guatemala el viernes 17.", "es", SATURDAY, dt.date(2020, 1, 17), "viernes 17"),
    ("They crossed on Friday the 17th.", "en", SATURDAY, dt.date(2020, 1, 17), "Friday the 17th"),
    # the weekend: its last day on or before publication
    ("El fin de semana unos mil 500 migrantes fueron contenidos.", "es", WEDNESDAY, dt.date(2020, 1, 19),
     "El fin de semana"),
    ("About 5,000 migrants crossed over the weekend.", "en", WEDNESDAY, dt.date(2020, 1, 19), "over the weekend"),
    ("Se reagrupó este fin de semana en Arriaga.", "es", MONDAY, dt.date(2020, 1, 19), "este fin de semana"),
    ("They arrived this weekend.", "en", SATURDAY, SATURDAY, "this weekend"),
    # "el pasado lunes" / "last Monday" said on a Monday: the Monday before
    ("Salieron el pasado lunes de Tapachula.", "es", MONDAY, dt.date(2020, 1, 13), "el pasado lunes"),
    ("They left last Monday.", "en", MONDAY, dt.date(2020, 1, 13), "last Monday"),
])
def test_more_relative_days(text, language, published, day, words):
    assert (day, words) in _days(text, published, language)


@pytest.mark.parametrize(("text", "language", "published", "expected"), [
    ("El pasado 30 migrantes llegaron.", "es", WEDNESDAY, []),          # a count, not a day
    ("The 5th caravan of the year left.", "en", WEDNESDAY, []),         # an ordinal, not "on the 5th"
    ("Este fin de semana saldrá otra caravana.", "es", WEDNESDAY, []),  # maybe the coming weekend
    ("Los fines de semana llegan más personas.", "es", WEDNESDAY, []),  # every weekend
    ("Saldrá el 28 de este mes.", "es", WEDNESDAY, []),                 # this month's 28th is still to come
    # the figure goes on ("2 mil"): the weekday alone
    ("El domingo 2 mil migrantes salieron.", "es", WEDNESDAY, [(dt.date(2020, 1, 19), "domingo")]),
    # 3 January 2020 was a Friday, not a Tuesday: the weekday alone, as before
    ("El pasado martes 3 salieron.", "es", WEDNESDAY, [(dt.date(2020, 1, 21), "martes")]),
])
def test_not_a_day_of_this_kind(text, language, published, expected):
    assert _days(text, published, language) == expected


def test_a_departure_dated_by_its_day_of_the_month():
    gazetteer = Gazetteer.from_scenario(load_scenario("corridor"))
    text = "La caravana de unos 2.000 migrantes salió el pasado día 13 de Tapachula."
    found = extract_report(Report("r.txt", text, WEDNESDAY, "es"), gazetteer)
    departed = {(p.place, p.date) for p in found if p.quantity.value == "departed"}
    assert ("Tapachula", dt.date(2020, 1, 13)) in departed
    sizes = {(p.value, p.date) for p in found if p.quantity.value == "caravan_size"}
    assert (2000.0, dt.date(2020, 1, 13)) in sizes
