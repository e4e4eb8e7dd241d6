"""Readings of `caravana news extract` added in session 10 (s10news), studied on the opened fresh10 set and the
rest of `open` (fresh11 sealed). Each fixes a class of failure seen in at least two open reports on different
caravans or from different outlets (named in the test), or mends a reading session 9 left wrong; the sentences
are written for the test, in both languages where the construction exists in both, and each test also shows what
must still be read. Reports are dated Wednesday 9 March 2022."""

from __future__ import annotations

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from tests.news_helpers import read  # noqa: E402


@pytest.mark.parametrize("text, language", [
    ("On Monday the caravan walked from Tapachula to Huixtla, as another group did in 2018.", "en"),
    ("El lunes la caravana caminó desde Tapachula hasta Huixtla, como lo hizo otro grupo en 2018.", "es"),
])
def test_a_past_marker_in_another_clause_does_not_make_todays_walk_background(gazetteer, text, language):
    # session 9's review: _PAST_TRIP was looked for across the whole sentence
    rows = read(gazetteer, text, language=language)
    assert ("arrived", "Huixtla", "2022-03-07", None) in rows
    assert ("departed", "Tapachula", "2022-03-07", None) in rows


@pytest.mark.parametrize("text, language", [
    ("Years ago, thousands of migrants walked from Tapachula to Tijuana.", "en"),
    ("Hace dos años, miles de migrantes caminaron desde Tapachula hasta Tijuana.", "es"),
    ("The caravan, which walked from Tapachula last week, reached Huixtla on Monday.", "en"),
])
def test_a_walk_of_the_past_is_no_departure_either(gazetteer, text, language):
    rows = read(gazetteer, text, language=language)
    assert not any(r[0] == "departed" and r[1] == "Tapachula" for r in rows)
    assert not any(r[0] == "arrived" and r[1] == "Tijuana" for r in rows)


def test_a_walk_of_the_past_still_leaves_todays_arrival(gazetteer):
    rows = read(gazetteer, "The caravan, which walked from Tapachula last week, reached Huixtla on Monday.",
                language="en")
    assert ("arrived", "Huixtla", "2022-03-07", None) in rows


@pytest.mark.parametrize("text, language", [
    # 2024-04-13_razon: "una caravana apenas habría salido de Tapachula"; 2019-01-15_laprensa-hn: "varios migrantes
    # hondureños habrían cruzado ya hacia Guatemala" (the data README: a departure in reported speech is not taken)
    ("Según activistas, la caravana habría salido el lunes de Tapachula.", "es"),
    ("Según medios locales, unos 300 migrantes habrían llegado el lunes a Huixtla.", "es"),
])
def test_a_movement_in_the_conditional_of_reported_speech_is_not_taken(gazetteer, text, language):
    rows = read(gazetteer, text, language=language)
    assert not any(r[0] in ("departed", "arrived") for r in rows)


def test_the_same_movement_said_plainly_is_taken(gazetteer):
    rows = read(gazetteer, "Según activistas, la caravana salió el lunes de Tapachula.")
    assert ("departed", "Tapachula", "2022-03-07", None) in rows


_RHC = ("Mexico City, March 9 (RHC)-- Several hundred migrants set off from southern Mexico on Monday.\n\n"
        "The migrants departed before dawn from Tapachula.")


def test_a_double_dash_after_the_agency_closes_a_dateline(gazetteer):
    # 2019-10-14_radiohc, 2021-12-09_radiohc ("Mexico City, December 9 (RHC)-- "): the dateline's day is the report's,
    # not the news the next paragraphs continue; its town is not where people set off from a region
    rows = read(gazetteer, _RHC, language="en")
    assert ("departed", "Tapachula", "2022-03-07", None) in rows
    assert not any(r[0] == "departed" and r[1] == "Mexico City" for r in rows)
    assert not any(r[0] == "departed" and r[2] == "2022-03-09" for r in rows)


def test_a_dateline_with_a_spaced_dash_still_reads(gazetteer):
    rows = read(gazetteer, "TAPACHULA, Mexico (Reuters) - About 400 migrants departed on Monday.", language="en")
    assert ("departed", "Tapachula", "2022-03-07", None) in rows


@pytest.mark.parametrize("text, language, part", [
    # 2020-10-04_telesurenglish "472 are adults and 232 minors"; 2021-01-20_eldiario "1.279 son adultos y 523 menores"
    ("Of the 900 Hondurans that returned to the country on Monday, 600 are adults and 300 minors.", "en", 600.0),
    ("Del total de retornados el lunes, 1.200 son adultos y 300 menores de edad.", "es", 1200.0),
])
def test_the_adults_among_the_counted_are_a_part(gazetteer, text, language, part):
    rows = read(gazetteer, text, language=language)
    assert not any(r[3] == part for r in rows)


def test_a_return_with_no_part_named_is_still_read(gazetteer):
    rows = read(gazetteer, "Unos 900 hondureños regresaron el lunes desde Guatemala.")
    assert ("returned", "GT", "2022-03-07", 900.0) in rows


@pytest.mark.parametrize("text", [
    # 2019-03-29_laraza "volvieron a partir ya con un total de 2,000 personas"; 2020-01-23_angulo7 "volvió a frenar"
    "El lunes los migrantes volvieron a partir ya con un total de 2.000 personas.",
    "El lunes volvieron a caminar unas 2.000 personas de la caravana.",
])
def test_volver_a_with_an_infinitive_is_again_not_a_return(gazetteer, text):
    rows = read(gazetteer, text)
    assert not any(r[0] == "returned" for r in rows)


def test_volver_to_a_place_is_still_a_return(gazetteer):
    rows = read(gazetteer, "El lunes unos 2.000 migrantes volvieron a Honduras desde Guatemala.")
    assert any(r[0] == "returned" and r[3] == 2000.0 for r in rows)


@pytest.mark.parametrize("text, language", [
    # 2025-10-01_sdpnoticias "partió ... desde Tapachula con dirección a CDMX"; 2018-10-21_eltribuno "marchan ... desde
    # la mexicana Ciudad Hidalgo (sur) con dirección a Estados Unidos"
    ("La caravana partió el lunes desde Tapachula con dirección a Huixtla.", "es"),
    ("The caravan set off on Monday from Tapachula in the direction of Huixtla.", "en"),
])
def test_a_direction_is_where_people_go_not_where_they_left(gazetteer, text, language):
    rows = read(gazetteer, text, language=language)
    assert ("departed", "Tapachula", "2022-03-07", None) in rows
    assert not any(r[1] == "Huixtla" for r in rows)


@pytest.mark.parametrize("text, language, row", [
    # 2021-04-18_cubacute "Esta logró partir desde Tapachula"; 2020-01-23_angulo7 "la caravana que logró llegar al
    # municipio de Frontera Hidalgo"; 2019-01-17_noti-america "lograron llegar a Guatemala"
    ("La caravana logró partir el lunes desde Tapachula.", "es", ("departed", "Tapachula", "2022-03-07", None)),
    ("The caravan managed to leave Tapachula on Monday.", "en", ("departed", "Tapachula", "2022-03-07", None)),
    ("Los migrantes de la caravana lograron llegar el lunes a Huixtla.", "es", ("arrived", "Huixtla", "2022-03-07", None)),
])
def test_managing_to_move_is_moving(gazetteer, text, language, row):
    assert row in read(gazetteer, text, language=language)


def test_not_managing_to_leave_is_no_departure(gazetteer):
    rows = read(gazetteer, "La caravana no logró partir el lunes desde Tapachula.")
    assert not any(r[0] == "departed" for r in rows)


@pytest.mark.parametrize("text, language", [
    # 2022-04-03_latin-american-news "the caravan had 456 people, after 90 migrants were detained on Friday";
    # 2020-01-23_elperiodicodearagon "a los 1.764 inmigrantes se suman otros 81 hondureños que fueron deportados"
    ("On Monday the caravan had 800 people, after 90 migrants were detained on Friday.", "en"),
    ("El lunes la caravana tenía 800 personas, luego de que 90 migrantes fueron detenidos el viernes.", "es"),
])
def test_an_event_word_belongs_to_the_count_nearest_it(gazetteer, text, language):
    rows = read(gazetteer, text, language=language)
    assert ("caravan_size", "", "2022-03-07", 800.0) in rows
    assert not any(r[0] == "detained" and r[3] == 800.0 for r in rows)
    assert any(r[0] == "detained" and r[3] == 90.0 for r in rows)


@pytest.mark.parametrize("text, language", [
    # what stands between is no other count: a unit, or the size naming the people's caravan
    ("As many as 500 migrants traveling with the caravan of about 3,000 were detained on Monday.", "en"),
    ("Las autoridades deportaron en nueve días a más de 500 migrantes el lunes.", "es"),
])
def test_a_unit_or_the_caravans_size_between_does_not_take_the_event(gazetteer, text, language):
    rows = read(gazetteer, text, language=language)
    assert any(r[0] in ("detained", "deported") and r[3] == 500.0 for r in rows)


@pytest.mark.parametrize("text, language", [
    # 2022-06-25_latin-american-news "safe-conducts that allow them to travel through the country for a month";
    # 2021-11-29_pulsenewsmexico "traveling on foot through Mexico for more than a month"
    ("A caravan of more than 3,000 migrants was dispersed on Monday after immigration authorities began to give them "
     "permits that allow them to travel through the country for a month.", "en"),
    ("Una caravana de más de 3.000 migrantes se dispersó el lunes tras recibir permisos para viajar durante un mes.",
     "es"),
])
def test_for_a_month_is_how_long_not_a_monthly_figure(gazetteer, text, language):
    assert ("caravan_size", "", "2022-03-07", 3000.0) in read(gazetteer, text, language=language)


def test_a_monthly_figure_is_still_a_statistic(gazetteer):
    rows = read(gazetteer, "Some 3,000 migrants a month cross the border at Tapachula.", language="en")
    assert not any(r[3] == 3000.0 for r in rows)


@pytest.mark.parametrize("text, language", [
    # 2022-08-24_pulsenewsmexico "The largest caravan so far this year left Tapachula on June 6 with more than 10,000
    # migrants"; 2022-07-03_localnews8 "the ninth migrant caravan to be formed so far this year"
    ("The largest caravan so far this year left Tapachula on Monday with more than 5,000 migrants.", "en"),
    ("La caravana más numerosa en lo que va del año salió el lunes de Tapachula con más de 5.000 migrantes.", "es"),
])
def test_a_rank_in_the_year_is_no_yearly_tally(gazetteer, text, language):
    rows = read(gazetteer, text, language=language)
    assert ("caravan_size", "", "2022-03-07", 5000.0) in rows


def test_a_tally_so_far_this_year_is_still_a_statistic(gazetteer):
    rows = read(gazetteer, "Mexico has detained more than 5,000 migrants so far this year.", language="en")
    assert not any(r[3] == 5000.0 for r in rows)


@pytest.mark.parametrize("text, language", [
    # 2019-01-15_laprensa-hn, 2024-01-21_norteasur "salieron a pie de la Gran Central Metropolitana, la principal terminal
    # de autobuses de San Pedro Sula"; 2025-01-07_honduras-hoy; 2021-03-30_pledgetimes "arrived Monday night at the Gran
    # Central Metropolitana, the main bus terminal"
    ("Los migrantes salieron el lunes a pie de la Gran Central Metropolitana.", "es"),
    ("The migrants set off on Monday from the Gran Central Metropolitana.", "en"),
])
def test_san_pedro_sulas_bus_terminal_is_san_pedro_sula(gazetteer, text, language):
    assert ("departed", "San Pedro Sula", "2022-03-07", None) in read(gazetteer, text, language=language)


@pytest.mark.parametrize("text, language, value", [
    # 2019-02-20_digitaljournal "a caravan of about a thousand"; 2021-12-09_radiohc "Nearly a thousand people left";
    # 2021-03-30_pledgetimes "At least a hundred Hondurans"; 2023-01-23_mexicodailypost "About a hundred migrants"
    ("A caravan of about a thousand migrants left Tapachula on Monday.", "en", 1000.0),
    ("A caravan of one hundred migrants left Tapachula on Monday.", "en", 100.0),
    ("Una caravana de un millar de migrantes salió el lunes de Tapachula.", "es", 1000.0),
])
def test_a_thousand_and_one_hundred_are_numbers(gazetteer, text, language, value):
    assert ("caravan_size", "", "2022-03-07", value) in read(gazetteer, text, language=language)


def test_a_hundred_at_the_head_of_a_longer_number_is_that_number():
    from caravana.news.numbers import find_numbers

    assert [n.value for n in find_numbers("one thousand two hundred people", "en")] == [1200.0]
    assert [n.value for n in find_numbers("a hundred and fifty people", "en")] == [150.0]
    assert [n.value for n in find_numbers("about one thousand kilometers", "en")] == [1000.0]  # a unit: left to why_not


@pytest.mark.parametrize("text, language", [
    # 2023-01-23_mexicodailypost "decided not to stay in the central square and not leave in a caravan";
    # 2022-01-15_sancristobalpost "preferred not to identify themselves"
    ("About 300 migrants decided not to leave Tapachula in a caravan on Monday.", "en"),
    ("Unos 300 migrantes decidieron no salir en caravana el lunes de Tapachula.", "es"),
])
def test_a_decision_not_to_act_denies_it(gazetteer, text, language):
    rows = read(gazetteer, text, language=language)
    assert not any(r[3] == 300.0 for r in rows)
    assert not any(r[0] == "departed" for r in rows)


def test_a_headlines_lower_bound_at_the_towns_country_is_the_bodys_figure(gazetteer):
    # 2020-12-02_thecaravelgu "More than a Thousand Hondurans Arrived at Guatemala" above "More than 1,300 Honduran migrants
    # arrived at the Guatemalan border control station El Ceibo" (one open report: kept with the reading of "a thousand"
    # it guards; see docs/history/news.md, session 10)
    text = ("More than a Thousand Hondurans Arrived at Guatemala\n\n"
            "On Monday, more than 1,300 Honduran migrants arrived at the Guatemalan border post of El Ceibo.")
    rows = read(gazetteer, text, language="en")
    assert ("present", "El Ceibo", "2022-03-07", 1300.0) in rows
    assert not any(r[1] == "GT" for r in rows)


@pytest.mark.parametrize("text, language", [
    # 2021-03-30_pledgetimes "arrived Monday night at the Gran Central Metropolitana, the main bus terminal";
    # 2019-01-15_laprensa-hn, 2024-01-21_norteasur "la principal terminal de autobuses de San Pedro Sula"
    ("About 300 migrants arrived on Monday at the main bus terminal of Tapachula.", "en"),
    ("Unos 300 migrantes llegaron el lunes a la terminal de autobuses de Tapachula.", "es"),
])
def test_a_bus_terminal_is_a_place_not_a_vehicle(gazetteer, text, language):
    assert ("present", "Tapachula", "2022-03-07", 300.0) in read(gazetteer, text, language=language)


def test_people_counted_in_a_bus_are_still_left_out(gazetteer):
    rows = read(gazetteer, "A bus carrying 50 migrants arrived in Tapachula on Monday.", language="en")
    assert not any(r[3] == 50.0 for r in rows)


@pytest.mark.parametrize("text, language", [
    # 2023-03-02_elorbe "Unos 400 migrantes que partieron en caravana desde esta localidad ... decidieron pernoctar en el
    # municipio de Huixtla"; 2024-10-13_amexi "decidieron quedarse a descansar en el municipio chiapaneco de Pijijiapan";
    # 2021-12-09_radiohc "decided to rest another day"; 2019-01-15_laprensa-hn "salió anoche ... y llegó a Agua Caliente"
    ("Unos 400 migrantes que partieron el lunes desde Tapachula decidieron pernoctar en el municipio de Huixtla.", "es"),
    ("About 400 migrants who left Tapachula on Monday decided to spend the night in Huixtla.", "en"),
    ("Unos 400 migrantes salieron el lunes de Tapachula y pernoctaron en Huixtla.", "es"),
])
def test_people_who_set_off_and_then_stopped_are_where_they_stopped(gazetteer, text, language):
    rows = read(gazetteer, text, language=language)
    assert any(r[:2] == ("present", "Huixtla") and r[3] == 400.0 for r in rows)
    assert not any(r[0] == "caravan_size" and r[3] == 400.0 for r in rows)
    assert ("departed", "Tapachula", "2022-03-07", None) in rows


@pytest.mark.parametrize("text, language", [
    ("Unos 400 migrantes salieron el lunes de Tapachula para descansar en Huixtla.", "es"),  # a plan, not a stop
    ("About 400 migrants left Tapachula on Monday, heading for Huixtla.", "en"),
])
def test_people_who_set_off_toward_a_stop_are_still_on_the_road(gazetteer, text, language):
    rows = read(gazetteer, text, language=language)
    assert ("caravan_size", "", "2022-03-07", 400.0) in rows


def test_a_stop_of_other_people_counted_between_is_not_theirs(gazetteer):
    # the stop belongs to the count nearest it (tests/test_news_context.py has the Spanish sentence)
    rows = read(gazetteer, "About 2,000 migrants left Tapachula on Monday and now 1,500 migrants rest in Huixtla.",
                language="en")
    assert ("caravan_size", "", "2022-03-07", 2000.0) in rows
