"""Readings of `caravana news extract` added in session 3, each written as a reporter would
(sentences made up for the test, not copied from the labelled set): bounds on both sides,
two figures that are not a range, a year-like count, lists of parts after a total, groups
counted "each", running totals "in the last six days" against history "in the last ten
years", a caravan's own size whatever happened to it, where people were sent back from,
destinations that are not departures, repeated and rounded figures.

Where a number must be left out, a count to take sits next to it, so an extractor that
takes nothing fails too."""

from __future__ import annotations

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana.news.numbers import find_numbers  # noqa: E402
from tests.news_helpers import read  # noqa: E402


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


@pytest.mark.parametrize("text, language, row", [
    ("Más de 3.000 hondureños entraron a territorio guatemalteco el lunes.", "es", ("present", "GT", "2022-03-07", 3000.0)),
    ("Unos 800 migrantes cruzaron la frontera hacia Guatemala este martes.", "es", ("present", "GT", "2022-03-08", 800.0)),
    ("Unos 600 migrantes cruzaron el río Suchiate hacia México el martes.", "es", ("present", "MX", "2022-03-08", 600.0)),
    ("Al menos 1.200 personas de la caravana lograron ingresar a México.", "es", ("present", "MX", "2022-03-09", 1200.0)),
    ("At least 2,000 members of the caravan made it into Guatemala on Monday.", "en",
     ("present", "GT", "2022-03-07", 2000.0)),
    ("Según el Instituto Guatemalteco de Migración, ingresaron al país unos 2.500 migrantes.", "es",
     ("present", "GT", "2022-03-09", 2500.0)),
    ("More than 7,000 migrants have entered Mexico since the caravan crossed the border on Friday.", "en",
     ("present", "MX", "2022-03-09", 7000.0)),
])
def test_people_entering_a_country_are_present_there(gazetteer, text, language, row):
    assert row in read(gazetteer, text, language=language)


@pytest.mark.parametrize("text, language, row", [
    ("Agentes del INM rescataron este miércoles a 120 migrantes de la caravana en Huixtla.", "es",
     ("detained", "Huixtla", "2022-03-09", 120.0)),
    ("Unos 500 migrantes de la caravana decidieron regresar a Honduras.", "es", ("returned", "", "2022-03-09", 500.0)),
    ("Unos 300 abandonaron la caravana el martes en Huixtla.", "es", ("returned", "MX", "2022-03-08", 300.0)),
    ("Honduran authorities said 300 people were turned back at the Corinto border crossing on Saturday.", "en",
     ("returned", "HN", "2022-03-05", 300.0)),
])
def test_more_words_for_detentions_and_returns(gazetteer, text, language, row):
    assert row in read(gazetteer, text, language=language)


@pytest.mark.parametrize("text, language, row", [
    ("Sale de Tapachula nueva caravana con unos 1.000 migrantes", "es", ("departed", "Tapachula", "2022-03-09", None)),
    ("New caravan of 2,000 migrants leaves Tapachula", "en", ("departed", "Tapachula", "2022-03-09", None)),
    ("La caravana retomó su camino este martes desde Huixtla.", "es", ("departed", "Huixtla", "2022-03-08", None)),
    ("Los migrantes se pusieron en marcha desde Huixtla la madrugada del martes.", "es",
     ("departed", "Huixtla", "2022-03-08", None)),
    ("On Tuesday the caravan resumed its march from Huixtla.", "en", ("departed", "Huixtla", "2022-03-08", None)),
])
def test_departures_in_headlines_and_resumed_marches(gazetteer, text, language, row):
    assert row in read(gazetteer, text, language=language)


@pytest.mark.parametrize("text, language", [
    ("Last year, a caravan of 12,000 people left Tapachula.", "en"),
    ("En octubre de 2018, una caravana de 7.000 personas cruzó México y salió de Tapachula.", "es"),
])
def test_a_departure_of_another_year_is_not_proposed(gazetteer, text, language):
    assert not any(r[0] == "departed" for r in read(gazetteer, text, language=language))


@pytest.mark.parametrize("text, language", [
    ("More than 1,000 migrants wait in Tapachula for their papers.", "en"),
    ("Más de 30.000 migrantes esperan en Tapachula una respuesta del INM.", "es"),
    ("La Cruz Roja atendió a 300 migrantes de la caravana por deshidratación.", "es"),
    ("About 500 caravan members accepted humanitarian visas on Tuesday.", "en"),
])
def test_people_waiting_for_papers_or_given_help_are_not_counts_to_take(gazetteer, text, language):
    assert read(gazetteer, text, language=language) == set()


def test_the_caravan_in_apposition_is_its_size(gazetteer):
    rows = read(gazetteer, "The caravan, made up of roughly 3,000 people, arrived in Huixtla late Monday.", language="en")
    assert ("caravan_size", "", "2022-03-07", 3000.0) in rows
    assert ("arrived", "Huixtla", "2022-03-07", None) in rows
    assert not any(r[0] == "present" for r in rows)


def test_part_of_is_not_a_departure(gazetteer):
    rows = read(gazetteer, "Las autoridades de Guatemala calcularon que aún permanecen en el país unas 900 personas "
                           "como parte de la caravana.")
    assert rows == {("present", "GT", "2022-03-09", 900.0)}


def test_what_was_done_to_a_caravan_of_n_is_done_to_all_of_them(gazetteer):
    rows = read(gazetteer, "La Guardia Nacional detuvo a la caravana de unos 400 migrantes el martes en Huixtla.")
    assert {("caravan_size", "", "2022-03-08", 400.0), ("detained", "Huixtla", "2022-03-08", 400.0)} <= rows


def test_members_of_a_force_are_not_migrants(gazetteer):
    rows = read(gazetteer, "The National Guard, which keeps some 27,500 members at the border, detained about 300 "
                           "migrants of the caravan on Monday.", language="en")
    assert ("detained", "MX", "2022-03-07", 300.0) in rows
    assert not any(r[3] == 27500.0 for r in rows)


def test_what_a_caravan_once_numbered_is_not_its_size(gazetteer):
    rows = read(gazetteer, "More than 400 migrants, part of a caravan that once numbered 1,500, reached Tijuana on "
                           "Monday.", language="en")
    assert not any(r[3] == 1500.0 for r in rows)


def test_a_weekday_inside_a_spanish_place_name_is_not_a_day(gazetteer):
    rows = read(gazetteer, "La caravana llegó este martes a Juchitán, desde Santo Domingo Ingenio.")
    assert ("arrived", "Juchitan", "2022-03-08", None) in rows


def test_a_year_in_a_relative_clause_does_not_make_the_news_history(gazetteer):
    rows = read(gazetteer, "La caravana, que salió a finales de 2021 de Tapachula, llegó este martes a Juchitán.")
    assert ("arrived", "Juchitan", "2022-03-08", None) in rows
    rows = read(gazetteer, "Esta caravana, compuesta por unas 2.000 personas, sigue una tradición que comenzó en 2018.")
    assert ("caravan_size", "", "2022-03-09", 2000.0) in rows


def test_a_count_said_still_to_be_walking_is_of_the_report_day(gazetteer):
    text = "La caravana salió el 2 de marzo de Tapachula.\n\nLos 900 migrantes que aún caminan con ella buscan llegar a Oaxaca."
    assert ("caravan_size", "", "2022-03-09", 900.0) in read(gazetteer, text)


def test_the_lead_is_dated_by_its_news_not_its_background(gazetteer):
    text = ("La caravana, que se formó hace diez días, llegó este martes a Juchitán.\n\n"
            "La caravana, conformada por unos 1.200 migrantes, descansa en el parque.")
    assert ("caravan_size", "", "2022-03-08", 1200.0) in read(gazetteer, text)


@pytest.mark.parametrize("text, language, row", [
    ("Miles de migrantes comenzaron un largo viaje desde Tapachula este martes.", "es",
     ("departed", "Tapachula", "2022-03-08", None)),
    ("The caravan began March 1 in the Mexican city of Tapachula.", "en", ("departed", "Tapachula", "2022-03-01", None)),
    ("El Viacrucis del Migrante salió de Tapachula el pasado domingo 6 de marzo.", "es",
     ("departed", "Tapachula", "2022-03-06", None)),
])
def test_more_ways_to_set_out(gazetteer, text, language, row):
    assert row in read(gazetteer, text, language=language)


def test_people_travelling_in_a_caravan_who_arrived_are_present(gazetteer):
    rows = read(gazetteer, "About 345 people traveling in a migrant caravan arrived in Tijuana on Tuesday.", language="en")
    assert ("present", "Tijuana", "2022-03-08", 345.0) in rows


@pytest.mark.parametrize("sentence, value", [
    ("Llegaron unos mil migrantes.", 1000), ("Salieron unos mil 200 migrantes.", 1200),
    ("Son casi mil quinientos migrantes.", 1500),
])
def test_a_thousand_said_with_a_quantifier(sentence, value):
    assert [n.value for n in find_numbers(sentence, "es")] == [value]


def test_entering_a_country_named_after_the_count(gazetteer):
    rows = read(gazetteer, "Se estima que el viernes ingresaron unos mil migrantes a Guatemala.")
    assert ("present", "GT", "2022-03-04", 1000.0) in rows


def test_all_the_members_of_the_caravan_are_its_size(gazetteer):
    rows = read(gazetteer, "Los aproximadamente 300 integrantes de esta caravana fueron detenidos el lunes en Huixtla.")
    assert {("caravan_size", "", "2022-03-07", 300.0), ("detained", "Huixtla", "2022-03-07", 300.0)} <= rows
    rows = read(gazetteer, "Unos 300 integrantes de la caravana fueron detenidos el lunes en Huixtla.")
    assert not any(r[0] == "caravan_size" for r in rows)  # some of its members: not its size


def test_they_are_opens_a_count_but_not_a_count_of_things(gazetteer):
    from caravana.news.extract import _is_count
    from caravana.news.textnorm import fold

    counted = fold("Son unos 3 mil 630 según las autoridades y unos 5 mil 500 según los organizadores.")
    numbers = find_numbers(counted, "es")
    assert [n.value for n in numbers] == [3630, 5500] and all(_is_count(counted, n) for n in numbers)
    things = fold("Son tres éxodos los que han salido de Tapachula.")
    assert not any(_is_count(things, n) for n in find_numbers(things, "es"))


def test_where_they_aim_to_go_is_not_an_arrival(gazetteer):
    rows = read(gazetteer, "The caravan left Tapachula on Monday, aiming to reach Mexico City.", language="en")
    assert ("departed", "Tapachula", "2022-03-07", None) in rows
    assert not any(r[0] == "arrived" for r in rows)


def test_a_departure_some_months_ago_has_no_day(gazetteer):
    rows = read(gazetteer, "La caravana llegó este martes a Juchitán, como el contingente que partió hace más de un mes "
                           "desde Tapachula.")
    assert ("arrived", "Juchitan", "2022-03-08", None) in rows
    assert not any(r[0] == "departed" for r in rows)
