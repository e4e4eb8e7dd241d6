"""Clause-level reading in `caravana news extract`: each count takes its quantity word, its
place and its day from its own clause; the future, denials and running totals; the
report's dateline town; places a sentence names but does not mean.

Each test writes sentences as a reporter would and checks the observations read; where a
number must be left out, a count to take sits next to it, so an extractor that takes
nothing fails too."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana.news.cues import clause_bounds, future, negated  # noqa: E402
from caravana.news.dates import find_dates  # noqa: E402
from caravana.news.extract import extract_report  # noqa: E402
from caravana.news.loading import Report  # noqa: E402
from caravana.news.sentences import split_sentences  # noqa: E402
from caravana.news.textnorm import fold  # noqa: E402
from tests.news_helpers import read  # noqa: E402

# --- the pieces ------------------------------------------------------------------------

def test_a_clause_ends_at_a_coordination_unless_the_next_has_no_count_of_its_own():
    s = fold("Unos 300 fueron llevados a Puebla, y unos 90 fueron deportados.")
    a, b = s.index("300"), s.index("90 ")
    assert clause_bounds(s, a, a + 3) == (0, s.index(", y"))
    shared = fold("Unas 600 personas cargaban banderas, y fueron detenidas en la noche.")
    c = shared.index("600")
    assert clause_bounds(shared, c, c + 3, counts=[(c, c + 3)]) == (0, len(shared))
    assert clause_bounds(s, b, b + 2, counts=[(a, a + 3), (b, b + 2)])[0] > a


@pytest.mark.parametrize("sentence, expected", [
    ("Unos 300 migrantes serán trasladados mañana.", True),
    ("Los 300 migrantes llegarán a Oaxaca.", True),
    ("The 300 migrants are to be flown home.", True),
    ("Unos 300 migrantes fueron trasladados.", False),
    ("El alcalde Beltrán recibió a 300 migrantes.", False),  # a name ending in -rán is not a verb
])
def test_the_future_tense_in_both_languages(sentence, expected):
    assert future(sentence, fold(sentence), 0, len(sentence)) is expected


@pytest.mark.parametrize("sentence, expected", [
    ("Officials did not confirm that 40 migrants had crossed.", True),
    ("No se ha confirmado que 40 migrantes cruzaron.", True),
    ("No more than 40 migrants crossed.", False),
])
def test_a_denial_is_not_a_bound(sentence, expected):
    assert negated(fold(sentence), 0, len(sentence)) is expected


def test_feast_days_are_dates():
    published = dt.date(2023, 1, 4)
    assert [d.date for d in find_dates("salieron en la Nochebuena de 2022", published, "es")] == [dt.date(2022, 12, 24)]
    assert [d.date for d in find_dates("they left on Christmas Eve", published, "en")] == [dt.date(2022, 12, 24)]
    assert [d.date for d in find_dates("llegaron el día de Año Nuevo", published, "es")] == [dt.date(2023, 1, 1)]


def test_a_full_stop_with_no_space_after_it_still_ends_a_sentence():
    text = "Unos 500 migrantes salieron de Tapachula.La policía cerró la carretera. Llegaron a EE.UU. ayer."
    assert [s.text for s in split_sentences(text, "es")][:2] == ["Unos 500 migrantes salieron de Tapachula.",
                                                                 "La policía cerró la carretera."]


# --- extraction --------------------------------------------------------------------------

def test_each_count_takes_the_event_word_of_its_own_clause(gazetteer):
    got = read(gazetteer, "TAPACHULA, México.- Unos 300 migrantes de la caravana fueron llevados a albergues "
                          "de Puebla, y unos 90 fueron deportados este martes.")
    assert ("deported", "MX", "2022-03-08", 90.0) in got
    assert not any(q == "deported" and v == 300.0 for q, _, _, v in got)


def test_a_count_said_of_the_future_is_left_out_in_spanish(gazetteer):
    got = read(gazetteer, "Unos 400 migrantes de la caravana salieron de Tapachula este lunes. Otros 250 "
                          "hondureños serán retornados hoy desde Tapachula.")
    assert ("caravan_size", "", "2022-03-07", 400.0) in got
    assert not any(v == 250.0 for *_, v in got)


def test_a_denied_count_is_left_out(gazetteer):
    got = read(gazetteer, "Some 3,000 migrants in the caravan left Tapachula on Monday. The agency did not "
                          "confirm that 60 migrants had been detained.", language="en")
    assert ("caravan_size", "", "2022-03-07", 3000.0) in got
    assert not any(v == 60.0 for *_, v in got)


def test_a_date_in_a_later_clause_does_not_date_the_count(gazetteer):
    got = read(gazetteer, "El grupo está formado por unos 1.200 migrantes, y quiere alcanzar a la caravana que "
                          "salió el 2 de marzo.")
    assert ("caravan_size", "", "2022-03-09", 1200.0) in got


def test_a_running_total_is_dated_by_the_report(gazetteer):
    got = read(gazetteer, "La caravana entró a Guatemala el viernes 4 de marzo. Según el instituto guatemalteco "
                          "de migración, unas 1.500 personas ya habían sido deportadas a Honduras.")
    assert ("deported", "GT", "2022-03-09", 1500.0) in got


def test_detentions_are_counted_in_the_country_of_the_authorities_not_where_people_came_from(gazetteer):
    got = read(gazetteer, "La policía guatemalteca detuvo este sábado a unas 200 personas que habían salido de "
                          "San Pedro Sula rumbo a Estados Unidos.", published="2022-03-07")
    assert ("detained", "GT", "2022-03-05", 200.0) in got


def test_this_border_city_is_the_dateline_town(gazetteer):
    got = read(gazetteer, "PIEDRAS NEGRAS, Mexico — When some 1,500 migrants arrived in this border city on "
                          "Monday, the shelters were ready.", language="en")
    assert ("arrived", "Piedras Negras", "2022-03-07", None) in got
    assert ("present", "Piedras Negras", "2022-03-07", 1500.0) in got


def test_an_arrival_without_a_place_is_the_one_the_report_just_named(gazetteer):
    got = read(gazetteer, "A caravan of about 900 migrants has arrived in Piedras Negras. The governor said "
                          "the migrants arrived late Sunday aboard buses.", language="en")
    assert ("arrived", "Piedras Negras", "2022-03-06", None) in got
    assert ("arrived", "Piedras Negras", "2022-03-09", None) not in got  # the undated one gives way


def test_a_river_is_not_the_town_named_after_it_and_crossing_from_a_town_is_leaving_it(gazetteer):
    got = read(gazetteer, "Los migrantes cruzaron el río Suchiate este lunes desde la localidad guatemalteca de "
                          "Tecún Umán.")
    assert ("departed", "Tecun Uman", "2022-03-07", None) in got
    assert not any(place == "Ciudad Hidalgo" for _, place, _, _ in got)


def test_a_count_tied_to_no_caravan_movement_or_place_is_left_for_review(gazetteer):
    report = Report("r.txt", "Some 80 people have been able to get permits. A caravan of 700 left Tapachula on "
                             "Monday.", dt.date(2022, 3, 9), "en")
    proposals = extract_report(report, gazetteer)
    low = [p for p in proposals if p.value == 80.0]
    assert low and all(p.confidence < 0.5 for p in low)  # still proposed, below the review threshold
    assert any(p.value == 700.0 and p.confidence >= 0.5 for p in proposals)


def test_a_comparison_since_last_year_does_not_make_a_count_historical(gazetteer):
    got = read(gazetteer, "Mexican police said they detained 410 migrants on Wednesday in the largest operation against a "
                          "caravan since the groups began crossing the country last year.", language="en")
    assert ("detained", "MX", "2022-03-09", 410.0) in got


def test_caravans_far_from_a_count_do_not_make_it_a_total_of_several(gazetteer):
    got = read(gazetteer, "Some 1,100 migrants left Tapachula on Sunday, the latest in a long series of "
                          "caravans heading north.", language="en")
    assert ("caravan_size", "", "2022-03-06", 1100.0) in got
    several = read(gazetteer, "Las tres caravanas suman unos 4.000 migrantes, y otra salió de Tapachula el lunes.")
    assert not any(v == 4000.0 for *_, v in several)


def test_a_hedge_after_although_does_not_make_a_count_a_forecast(gazetteer):
    got = read(gazetteer, "Migración confirmó hasta este martes un total de 1.250 hondureños deportados por "
                          "Guatemala, aunque la cifra podría ser mayor.")
    assert ("deported", "GT", "2022-03-08", 1250.0) in got
