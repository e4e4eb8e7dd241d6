"""Readings of `caravana news extract` added in the second half of session 4, after `fresh3` was
scored: mechanisms rather than phrases (a sentence's subject taken from the sentence before,
a period dated by its end, a day written without "de", quotation marks that do not change a
destination). Sentences made up for the test, not copied from the labelled set; each test also
shows what must not be read, so an extractor that takes everything fails too. Reports are
dated Wednesday 9 March 2022."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana.news.dates import find_dates  # noqa: E402
from tests.news_helpers import read  # noqa: E402


@pytest.mark.parametrize("text, language", [
    ("About 1,500 migrants have formed a new caravan. They started out walking from the city of Tapachula "
     "on Monday.", "en"),
    ("Unos 1.500 migrantes formaron una nueva caravana. Partieron de Tapachula el lunes por la mañana.", "es"),
])
def test_a_sentence_without_a_subject_speaks_of_the_people_before_it(gazetteer, text, language):
    assert ("departed", "Tapachula", "2022-03-07", None) in read(gazetteer, text, language=language)


def test_a_pronoun_after_a_sentence_about_no_one_is_not_the_caravan(gazetteer):
    rows = read(gazetteer, "The talks ended without an agreement. They left Tapachula on Monday.", language="en")
    assert not any(r[0] == "departed" for r in rows)


def test_a_day_may_be_written_without_de():
    days = [d.date for d in find_dates("una nueva caravana salió el 18 noviembre de Tapachula", dt.date(2021, 11, 27),
                                       "es")]
    assert days == [dt.date(2021, 11, 18)]


def test_a_count_over_a_period_is_dated_by_its_end(gazetteer):
    rows = read(gazetteer, "Guatemala's police said that 2,065 migrants of the caravan were returned to Honduras "
                           "between Monday and Wednesday.", language="en")
    assert ("returned", "GT", "2022-03-09", 2065.0) in rows
    assert not any(r[2] == "2022-03-07" for r in rows)
    days = find_dates("salió el lunes y llegó el martes", dt.date(2022, 3, 9), "es")
    assert [d.date for d in days] == [dt.date(2022, 3, 7), dt.date(2022, 3, 8)]  # two days, not a period


def test_quotation_marks_do_not_hide_where_people_were_sent(gazetteer):
    rows = read(gazetteer, 'Guatemalan authorities said on Tuesday that 900 migrants of the caravan were "returned" '
                           "to Honduras.", language="en")
    assert ("returned", "GT", "2022-03-08", 900.0) in rows
    assert not any(r[1] == "HN" for r in rows)


def test_the_paragraph_keeps_its_subject_across_a_sentence_about_something_else(gazetteer):
    text = ("About 1,500 migrants have formed a new caravan in southern Mexico. Some say it might be more "
            "difficult after January. They started out walking from the city of Tapachula on Monday.\n\n"
            "The talks ended without an agreement. They left Huixtla on Tuesday.")
    rows = read(gazetteer, text, language="en")
    assert ("departed", "Tapachula", "2022-03-07", None) in rows
    assert not any(r[1] == "Huixtla" for r in rows)  # a new paragraph about talks: "they" are not the migrants


@pytest.mark.parametrize("text, expected", [
    ("Entre mil 500 y dos mil 500 migrantes avanzaron.", [(2000.0, 1500.0, 2500.0)]),
    ("Llegaron mil 500 migrantes.", [(1500.0, None, None)]),
    ("Unos dos mil 500 migrantes.", [(2500.0, None, None)]),
    ("Tres mil migrantes y 500 niños.", [(3000.0, None, None), (500.0, None, None)]),  # not joined
])
def test_thousands_written_half_in_words(text, expected):
    from caravana.news.numbers import find_numbers

    assert [(n.value, n.low, n.high) for n in find_numbers(text, "es")] == expected


def test_a_clock_time_written_in_four_digits_is_not_a_year(gazetteer):
    rows = read(gazetteer, "By 2 p.m. local time (2000 GMT), the migration institute said, some 100 migrants "
                           "had crossed into Guatemala.", language="en")
    assert ("present", "GT", "2022-03-09", 100.0) in rows
    assert [d.year for d in find_dates("in 2000, few crossed", dt.date(2022, 3, 9), "en")] == [2000]


def test_resuming_the_march_luego_de_resting_somewhere_is_leaving_it(gazetteer):
    rows = read(gazetteer, "La caravana retomó ayer su marcha luego de descansar durante la víspera en Mapastepec.")
    assert ("departed", "Mapastepec", "2022-03-08", None) in rows
    rows = read(gazetteer, "La caravana retomó ayer su marcha hacia Mapastepec.")
    assert not any(r[0] == "departed" for r in rows)


def test_a_caption_in_the_present_tense_says_people_left(gazetteer):
    rows = read(gazetteer, "Migrants leave Huixtla, Mexico, early Tuesday, as they continue their trek north.",
                language="en")
    assert ("departed", "Huixtla", "2022-03-08", None) in rows
    rows = read(gazetteer, "Migrants want to leave Huixtla on Tuesday.", language="en")
    assert not any(r[0] == "departed" for r in rows)


def test_that_town_is_the_town_the_paragraph_named(gazetteer):
    text = ("Cientos de migrantes esperaban desde hace semanas en Tapachula. Unos 2.000 migrantes partieron el lunes de esa "
            "ciudad fronteriza rumbo al norte.\n\nLa reunión terminó sin acuerdo. Unos 300 migrantes salieron de esa ciudad el martes.")
    rows = read(gazetteer, text)
    assert ("departed", "Tapachula", "2022-03-07", None) in rows
    assert ("departed", "Tapachula", "2022-03-08", None) not in rows  # a new paragraph names no town


@pytest.mark.parametrize("text, language, expected", [
    ("The caravan, which departed Honduras on Friday, has been held up since Monday at the town of Vado Hondo.",
     "en", ("arrived", "Vado Hondo", "2022-03-07", None)),
    ("Los migrantes de la caravana aguardan desde ayer en el poblado guatemalteco Tecún Umán.", "es",
     ("arrived", "Tecun Uman", "2022-03-08", None)),
])
def test_a_stay_since_a_day_is_an_arrival_that_day(gazetteer, text, language, expected):
    assert expected in read(gazetteer, text, language=language)


def test_a_count_since_a_day_still_runs_up_to_the_report(gazetteer):
    rows = read(gazetteer, "Unos 3.000 migrantes de la caravana han ingresado a Guatemala desde el lunes.")
    assert any(r[2:] == ("2022-03-09", 3000.0) for r in rows)
    assert not any(r[2] == "2022-03-07" for r in rows)


@pytest.mark.parametrize("second, language, expected", [
    ("La noche anterior, unos 2.500 migrantes de la caravana habían dormido en Tapachula.", "es",
     ("present", "Tapachula", "2022-03-06", 2500.0)),
    ("The next day, the caravan left Huixtla.", "en", ("departed", "Huixtla", "2022-03-08", None)),
    ("That same night, the caravan left Huixtla.", "en", ("departed", "Huixtla", "2022-03-07", None)),
])
def test_a_day_told_from_the_day_the_sentence_before_gave(gazetteer, second, language, expected):
    first = ("Unos 3.000 migrantes de la caravana llegaron el lunes a Huixtla. " if language == "es"
             else "About 3,000 migrants of the caravan arrived in Huixtla on Monday. ")
    rows = read(gazetteer, first + second, language=language)
    assert expected in rows
    assert not any(r[:2] == expected[:2] and r[2] != expected[2] for r in rows)


def test_a_movement_no_day_governs_is_news_only_in_the_opening(gazetteer):
    opening = "Una nueva caravana de migrantes salió de Tapachula rumbo a Estados Unidos."
    assert ("departed", "Tapachula", "2022-03-09", None) in read(gazetteer, opening)
    later = ("El INM abrió una oficina. Las autoridades pidieron calma. La lluvia no paró. "
             "Solo en este año, han salido de Huixtla más de cien caravanas de migrantes.")
    assert not any(r[0] == "departed" for r in read(gazetteer, later))


@pytest.mark.parametrize("text, language, bounds", [
    ("A second group of no less than 400 migrants left.", "en", (400.0, None)),
    ("Salieron no menos de 400 migrantes.", "es", (400.0, None)),
    ("Fewer than 400 migrants left.", "en", (None, 400.0)),
    ("Salieron menos de 400 migrantes.", "es", (None, 400.0)),
])
def test_no_less_than_is_a_lower_bound(text, language, bounds):
    from caravana.news.numbers import find_numbers

    assert [(n.low, n.high) for n in find_numbers(text, language)] == [bounds]


def test_a_figure_the_sentence_replaces_by_one_of_now_is_history(gazetteer):
    rows = read(gazetteer, "Según observadores, la caravana migrante reunió más de 4 mil personas y ahora quedan "
                           "alrededor de mil 500 migrantes.")
    assert not any(r[3] == 4000.0 for r in rows)
    assert any(r[3] == 1500.0 for r in rows)
    rows = read(gazetteer, "Unos 2.000 migrantes salieron el lunes de Tapachula y ahora 1.500 migrantes descansan "
                           "en Huixtla.")
    assert ("caravan_size", "", "2022-03-07", 2000.0) in rows  # dated: what it was that day


def test_walking_in_a_town_is_being_there_not_leaving_it(gazetteer):
    rows = read(gazetteer, "Unos 200 migrantes de la caravana caminaron el lunes unos 10 kilómetros en el municipio "
                           "de Mapastepec.")
    assert not any(r[0] == "departed" for r in rows)
    rows = read(gazetteer, "Unos 200 migrantes de la caravana caminaron el lunes desde la ciudad de Mapastepec.")
    assert ("departed", "Mapastepec", "2022-03-07", None) in rows
