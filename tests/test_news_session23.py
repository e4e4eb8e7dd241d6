"""Session 23 (s23news): change V (a day told of the caravan's start in a relative clause dates neither the count
before it nor the next sentences; "el lunes pasado" said on a Monday is the Monday before) and change D (one death
told in more shapes), each switched by ``benchmarks/news_changes.py`` while judged. Hand-made sentences in Spanish
and English; no labelled set is scored."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from news_changes import switch  # noqa: E402

from caravana import load_scenario  # noqa: E402
from caravana.news import background, dates, deaths  # noqa: E402
from caravana.news.extract import extract_report  # noqa: E402
from caravana.news.loading import Report  # noqa: E402
from caravana.news.places import Gazetteer  # noqa: E402

FRIDAY = dt.date(2019, 3, 29)
MONDAY = dt.date(2021, 11, 22)
SATURDAY = dt.date(2018, 10, 20)


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.from_scenario(load_scenario("corridor"))


@pytest.fixture
def change():
    yield switch
    switch(None)


def _found(gazetteer, text, published, language="es"):
    return {(p.quantity.value, p.place, p.date, p.value) for p in
            extract_report(Report("r.txt", text, published, language), gazetteer)}


def test_off_by_default():
    assert not background.ON and not dates.WEEKDAY_PASADO and not deaths.ON  # until the keep rule is met


@pytest.mark.parametrize(("text", "language", "published", "count", "day"), [
    # the count's people did not leave that day: the caravan did, in a clause of its own
    ("Permanecen unos 200 cubanos trabados en Mapastepec, tras andar en una caravana que partió el pasado día 23 "
     "desde Tapachula.", "es", FRIDAY, 200.0, FRIDAY),
    ("La caravana integrada por más de 4 mil migrantes que salió el pasado jueves de Tapachula avanza por la costa "
     "de Chiapas.", "es", MONDAY, 4000.0, MONDAY),
    ("Some 500 Hondurans belonging to the caravan that set off on Monday are walking north through Guatemala.",
     "en", dt.date(2019, 1, 16), 500.0, dt.date(2019, 1, 16)),
])
def test_a_day_of_the_caravans_start_does_not_date_the_count(gazetteer, change, text, language, published, count,
                                                              day):
    before = {(v, d) for q, _, d, v in _found(gazetteer, text, published, language) if v == count}
    change("V")
    after = {(v, d) for q, _, d, v in _found(gazetteer, text, published, language) if v == count}
    assert (count, day) in after and (count, day) not in before


def test_the_departure_keeps_its_day(gazetteer, change):
    change("V")
    text = "Permanecen unos 200 cubanos en Mapastepec, tras andar en una caravana que partió el pasado día 23 desde " \
           "Tapachula."
    assert ("departed", "Tapachula", dt.date(2019, 3, 23), None) in _found(gazetteer, text, FRIDAY)


def test_the_counted_peoples_own_departure_keeps_its_day(gazetteer, change):
    change("V")  # "partieron": the 1,000 themselves left on Wednesday (their caravan's size that day)
    text = "Cerca de un centenar de los casi 1,000 migrantes hondureños que partieron en una nueva caravana este " \
           "miércoles iniciaron la gestión para pedir refugio."
    sizes = {d for q, _, d, v in _found(gazetteer, text, dt.date(2019, 4, 11)) if v == 1000.0}
    assert sizes == {dt.date(2019, 4, 10)}


def test_the_next_sentence_is_not_dated_by_the_caravans_start(gazetteer, change):
    text = ("Unos 200 cubanos siguen en Mapastepec, de una caravana que partió el pasado día 23 desde Tapachula.\n"
            "La caravana está compuesta por 1,393 personas.")
    change("V")
    sizes = {d for q, _, d, v in _found(gazetteer, text, FRIDAY) if v == 1393.0}
    assert sizes == {FRIDAY}


def test_the_saturday_before_said_on_a_saturday(change):
    text = "La caravana, que salió el sábado pasado de San Pedro Sula, llegó a Tecún Umán."
    before = [d.date for d in dates.find_dates(text, SATURDAY, "es") if d.date]
    change("V")
    after = [d.date for d in dates.find_dates(text, SATURDAY, "es") if d.date]
    assert before == [SATURDAY] and after == [dt.date(2018, 10, 13)]
    # on another day of the week "el viernes pasado" is the latest Friday, as before
    assert [d.date for d in dates.find_dates("Salió el viernes pasado.", SATURDAY, "es") if d.date] == \
        [dt.date(2018, 10, 19)]


@pytest.mark.parametrize(("text", "language", "published", "day", "place"), [
    ("La caravana avanzó hacia el norte. El pasado 20 de octubre, en Guatemala, otro migrante murió al caer de un "
     "vehículo en movimiento.", "es", dt.date(2018, 10, 22), dt.date(2018, 10, 20), "GT"),
    ("La caravana llegó a Huixtla. Por otra parte, ayer murió un migrante hondureño de 26 años de edad.", "es",
     dt.date(2018, 10, 29), dt.date(2018, 10, 28), ""),
    ("The caravan crossed the bridge. One migrant who had epilepsy suffered a seizure on the bridge and died.", "en",
     dt.date(2019, 2, 20), dt.date(2019, 2, 20), ""),
    # a long aside with a count of the caravan in it, between the person and the verb
    ("Una venezolana, integrante de la caravana de más de 10 mil migrantes que avanza rumbo a Estados Unidos, "
     "habría fallecido en Huixtla, Chiapas.", "es", dt.date(2022, 6, 9), dt.date(2022, 6, 9), "Huixtla"),
])
def test_one_death_told_otherwise(gazetteer, change, text, language, published, day, place):
    assert not any(q == "dead" for q, *_ in _found(gazetteer, text, published, language))
    change("D")
    assert ("dead", place, day, 1.0) in _found(gazetteer, text, published, language)


def test_an_abbreviations_dots_are_no_full_stop(change):
    change("D")
    found = deaths.one_death("un joven hondureno de unos 25 anos, miembro de la caravana que va rumbo a ee.uu., murio")
    assert found is not None and found[0].group().endswith("murio")


@pytest.mark.parametrize(("text", "language", "published"), [
    # no caravan in the report
    ("Un migrante murió ayer en Tapachula al caer de un tren.", "es", dt.date(2018, 10, 22)),
    # last year's death
    ("La caravana llegó a Huixtla, donde el año pasado murió un migrante hondureño.", "es", dt.date(2018, 10, 22)),
])
def test_not_one_death_of_this_caravan(gazetteer, change, text, language, published):
    change("D")
    assert not any(q == "dead" for q, *_ in _found(gazetteer, text, published, language))
