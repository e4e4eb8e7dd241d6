"""Session 23 (s23news): change V, kept as a correctness fix (benchmarks/results/news_crossval-2026-11-28-
session23-s23news-outcome.txt): a day told of the caravan's start in a relative clause dates neither the count
before it nor the next sentences (``news/background.py``); "el lunes pasado" said on a Monday is the Monday before
(``news/dates.py``). Hand-made sentences in Spanish and English; no labelled set is scored."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana.news import dates  # noqa: E402
from caravana.news.background import background_day, caravans_start  # noqa: E402
from caravana.news.extract import extract_report  # noqa: E402
from caravana.news.loading import Report  # noqa: E402
from caravana.news.textnorm import fold  # noqa: E402

FRIDAY = dt.date(2019, 3, 29)
MONDAY = dt.date(2021, 11, 22)
SATURDAY = dt.date(2018, 10, 20)


def _days_of(gazetteer, text, published, value, language="es"):
    return {p.date for p in extract_report(Report("r.txt", text, published, language), gazetteer) if p.value == value}


@pytest.mark.parametrize(("text", "language", "published", "count", "day"), [
    # the count's people did not leave that day: the caravan did, in a clause of its own
    ("Permanecen unos 200 cubanos trabados en Mapastepec, tras andar en una caravana que partió el pasado día 23 "
     "desde Tapachula.", "es", FRIDAY, 200.0, FRIDAY),
    ("La caravana integrada por más de 4 mil migrantes que salió el pasado jueves de Tapachula avanza por la costa "
     "de Chiapas.", "es", MONDAY, 4000.0, MONDAY),
    ("Some 500 Hondurans belonging to the caravan that set off on Monday are walking north through Guatemala.",
     "en", dt.date(2019, 1, 16), 500.0, dt.date(2019, 1, 16)),
])
def test_a_day_of_the_caravans_start_does_not_date_the_count(gazetteer, text, language, published, count, day):
    assert _days_of(gazetteer, text, published, count, language) == {day}


def test_the_departure_keeps_its_day(gazetteer):
    text = "Permanecen unos 200 cubanos en Mapastepec, tras andar en una caravana que partió el pasado día 23 desde " \
           "Tapachula."
    found = extract_report(Report("r.txt", text, FRIDAY, "es"), gazetteer)
    assert ("Tapachula", dt.date(2019, 3, 23)) in {(p.place, p.date) for p in found if p.quantity.value == "departed"}


def test_the_counted_peoples_own_departure_keeps_its_day(gazetteer):
    # "partieron": the 1,000 themselves left on Wednesday (their caravan's size that day)
    text = "Cerca de un centenar de los casi 1,000 migrantes hondureños que partieron en una nueva caravana este " \
           "miércoles iniciaron la gestión para pedir refugio."
    assert _days_of(gazetteer, text, dt.date(2019, 4, 11), 1000.0) == {dt.date(2019, 4, 10)}


def test_the_next_sentence_is_not_dated_by_the_caravans_start(gazetteer):
    text = ("Unos 200 cubanos siguen en Mapastepec, de una caravana que partió el pasado día 23 desde Tapachula.\n"
            "La caravana está compuesta por 1,393 personas.")
    assert _days_of(gazetteer, text, FRIDAY, 1393.0) == {FRIDAY}


@pytest.mark.parametrize(("text", "background"), [
    ("de una caravana que el pasado dia 1 entro a guatemala", True),          # the day before its verb
    ("the caravan of migrants that started on monday", True),
    ("los migrantes que partieron el lunes", False),                          # plural: the people's own departure
    ("la caravana salio el lunes de tapachula", False),                       # a main clause, not a relative one
])
def test_background_day(text, background):
    day = next(d for d in dates.find_dates(text, MONDAY, "es" if " que " in text or "la " in text else "en"))
    assert background_day(fold(text), day.start, day.end) is background


def test_a_day_before_the_count_is_not_its_caravans_start():
    text = fold("la caravana que salio el lunes cuenta con 700 personas")
    assert not caravans_start(text, text.index("700") + 3, text.index("el lunes"), text.index("el lunes") + 8)


def test_the_saturday_before_said_on_a_saturday():
    text = "La caravana, que salió el sábado pasado de San Pedro Sula, llegó a Tecún Umán."
    assert [d.date for d in dates.find_dates(text, SATURDAY, "es") if d.date] == [dt.date(2018, 10, 13)]
    # on another day of the week "el viernes pasado" is the latest Friday, as before
    assert [d.date for d in dates.find_dates("Salió el viernes pasado.", SATURDAY, "es") if d.date] == \
        [dt.date(2018, 10, 19)]
