"""Readings of `caravana news extract` added in session 3, each written as a reporter would
(sentences made up for the test, not copied from the labelled set): bounds on both sides,
two figures that are not a range, a year-like count, lists of parts after a total, groups
counted "each", running totals "in the last six days" against history "in the last ten
years", a caravan's own size whatever happened to it, where people were sent back from,
destinations that are not departures, repeated and rounded figures.

Where a number must be left out, a count to take sits next to it, so an extractor that
takes nothing fails too."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana import load_scenario  # noqa: E402
from caravana.news.extract import extract_report  # noqa: E402
from caravana.news.loading import Report  # noqa: E402
from caravana.news.numbers import find_numbers  # noqa: E402


@pytest.fixture(scope="module")
def gazetteer():
    from caravana.news.places import Gazetteer

    return Gazetteer.from_scenario(load_scenario("corridor"))


def read(gazetteer, text, published="2022-03-09", language="es"):
    report = Report("r.txt", text, dt.date.fromisoformat(published), language)
    return {(p.quantity.value, p.place, p.date.isoformat(), p.value) for p in extract_report(report, gazetteer)
            if p.confidence >= 0.5}


@pytest.mark.parametrize("sentence, language, expected", [
    ("A group of at least 2,000 but as many as 4,000 people walked north.", "en", [(3000, 2000, 4000)]),
    ("Son más de 1.000 y hasta 3.000 migrantes.", "es", [(2000, 1000, 3000)]),
    ("Los grupos fueron de 300 y 700 personas.", "es", [(300, None, None), (700, None, None)]),
    ("Más de un centenar de personas salieron.", "es", [(100, 100, None)]),
    ("Llegaron medio centenar de hondureños.", "es", [(50, None, None)]),
])
def test_bounds_on_both_sides_and_two_figures_that_are_not_a_range(sentence, language, expected):
    assert [(n.value, n.low, n.high) for n in find_numbers(sentence, language)] == expected


def test_a_count_that_looks_like_a_year_is_a_count(gazetteer):
    rows = read(gazetteer, "Unas 2020 personas integran la caravana, dijeron los organizadores.")
    assert ("caravan_size", "", "2022-03-09", 2020.0) in rows


def test_parts_listed_after_their_total_are_left_out(gazetteer):
    rows = read(gazetteer, "Guatemala ha devuelto a Honduras a 1.250 migrantes de la caravana, de los cuales "
                           "1.100 son hondureños, 120 nicaragüenses y treinta salvadoreños.")
    assert {r[3] for r in rows} == {1250.0}


def test_a_subgroup_named_after_its_count_is_a_part(gazetteer):
    rows = read(gazetteer, "La caravana de unos 900 migrantes cruzó el martes; al menos 150 de los migrantes "
                           "que viajan en ella son niños.")
    assert {r[3] for r in rows} == {900.0}


def test_groups_counted_each_are_not_the_caravan(gazetteer):
    rows = read(gazetteer, "La caravana de 4.000 personas avanzó en dos columnas de unas 2.000 personas cada una.")
    assert {r[3] for r in rows} == {4000.0}


def test_the_last_days_are_a_running_total_the_last_years_are_history(gazetteer):
    rows = read(gazetteer, "En los últimos cuatro días han sido deportados desde México 820 migrantes de la "
                           "caravana.\n\nEn los últimos diez años han sido deportados 90.000 migrantes.")
    assert ("deported", "MX", "2022-03-09", 820.0) in rows
    assert not any(r[3] == 90000.0 for r in rows)


def test_a_flow_in_the_last_24_hours_is_a_rate(gazetteer):
    rows = read(gazetteer, "Hasta ayer eran 2.000 migrantes de la caravana detenidos en México, y 150 más "
                           "fueron detenidos en las últimas 24 horas.")
    assert not any(r[3] == 150.0 for r in rows)


@pytest.mark.parametrize("text, language, row", [
    ("Up to 400 migrants travelling with the caravan of about 2,500 were detained on Tuesday in Tapachula.",
     "en", ("caravan_size", "", "2022-03-08", 2500.0)),
    ("Los migrantes retornados forman parte de una caravana conformada por más de 5.000 personas.",
     "es", ("caravan_size", "", "2022-03-09", 5000.0)),
])
def test_a_caravan_of_n_is_its_size_whatever_happened_to_it(gazetteer, text, language, row):
    rows = read(gazetteer, text, language=language)
    assert row in rows
    assert not any(r[3] == row[3] and r[0] != "caravan_size" for r in rows)


def test_people_sent_back_are_counted_where_they_left(gazetteer):
    rows = read(gazetteer, "Este martes fueron retornados de México a Guatemala unos 640 migrantes de la caravana.")
    assert ("returned", "MX", "2022-03-08", 640.0) in rows


def test_where_a_group_headed_is_not_where_it_left(gazetteer):
    rows = read(gazetteer, "La caravana salió ayer de Tapachula hacia el municipio de Huixtla.")
    assert ("departed", "Tapachula", "2022-03-08", None) in rows
    assert not any(r[1] == "Huixtla" for r in rows)


def test_a_departure_from_a_station_in_a_named_city(gazetteer):
    rows = read(gazetteer, "Los migrantes partieron ayer de la terminal de autobuses de la ciudad de San Pedro Sula.")
    assert ("departed", "San Pedro Sula", "2022-03-08", None) in rows


def test_a_total_counted_since_a_day_is_of_the_report(gazetteer):
    rows = read(gazetteer, "En total, Guatemala ha contabilizado desde el pasado viernes la detención de 730 "
                           "migrantes de la caravana.")
    assert ("detained", "GT", "2022-03-09", 730.0) in rows


def test_people_still_in_the_country_of_the_authorities(gazetteer):
    rows = read(gazetteer, "Las autoridades de Guatemala calcularon que aún permanecen en el país unas 900 "
                           "personas de la caravana.")
    assert ("present", "GT", "2022-03-09", 900.0) in rows


def test_a_rounded_headline_and_a_refined_figure_are_one_observation(gazetteer):
    text = ("Más de 3.000 migrantes salen en caravana\n\n"
            "Una caravana de unos 3.300 migrantes salió el lunes de Tapachula.\n\n"
            "Según el INM, la caravana la integran 3.310 personas.")
    rows = read(gazetteer, text, published="2022-03-08")
    assert {r for r in rows if r[0] == "caravan_size"} == {("caravan_size", "", "2022-03-07", 3300.0)}


def test_an_agency_dateline_with_a_colon_is_not_a_place_of_the_event(gazetteer):
    rows = read(gazetteer, "Mexico City [Mexico], March 9 (Reuters): Guatemalan police detained on Wednesday "
                           "some 350 members of the migrant caravan.", language="en")
    assert ("detained", "GT", "2022-03-09", 350.0) in rows
