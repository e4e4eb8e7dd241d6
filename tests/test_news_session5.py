"""Readings of `caravana news extract` added in session 5 (mechanisms, judged on the development
reports dev + fresh..fresh4; fresh5 unread): a count whose people are the subject of an arrival is
present where they arrived, from the arrival's day; a movement verb reaches its place past any few
words (not only listed ones); a place followed by "a donde llegaron" was reached; "la población de X"
is a town, not a population. Sentences made up for the test; each test also shows what must not be
read. Reports are dated Wednesday 9 March 2022."""

from __future__ import annotations

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from tests.news_helpers import read  # noqa: E402


@pytest.mark.parametrize("text, language", [
    ("Más de 800 migrantes que forman parte de la caravana que partió de Tapachula el pasado 1 de marzo "
     "arribaron este martes a Tonalá.", "es"),
    ("More than 800 migrants, members of the caravan that left Tapachula on March 1, arrived on Tuesday "
     "in Tonala.", "en"),
])
def test_people_who_arrived_are_present_where_they_arrived_from_that_day(gazetteer, text, language):
    rows = read(gazetteer, text, language=language)
    assert ("present", "Tonala", "2022-03-08", 800.0) in rows
    assert ("arrived", "Tonala", "2022-03-08", None) in rows
    assert not any(r[0] == "caravan_size" for r in rows)  # not the caravan's size on the 1st
    assert ("departed", "Tapachula", "2022-03-01", None) in rows


def test_marching_toward_a_town_they_later_reached_is_the_caravans_size(gazetteer):
    rows = read(gazetteer, "Unos 2 mil migrantes de la caravana se enfilaron este martes por la carretera costera hacia Pijijiapan, "
                           "municipio al que llegaron por la tarde.")
    assert ("caravan_size", "", "2022-03-08", 2000.0) in rows
    assert ("arrived", "Pijijiapan", "2022-03-08", None) in rows
    assert not any(r[0] == "present" for r in rows)


@pytest.mark.parametrize("text, language", [
    ("La caravana migrante llegó el lunes a la unidad deportiva de Arriaga.", "es"),
    ("The migrant caravan arrived on Monday at the crowded sports field of Arriaga.", "en"),
])
def test_a_movement_reaches_its_place_past_unlisted_words(gazetteer, text, language):
    assert ("arrived", "Arriaga", "2022-03-07", None) in read(gazetteer, text, language=language)


def test_words_that_give_the_place_another_role_end_the_verbs_reach(gazetteer):
    rows = read(gazetteer, "La caravana migrante llegó el lunes a un campamento rumbo a Arriaga.")
    assert not any(r[0] == "arrived" and r[1] == "Arriaga" for r in rows)


@pytest.mark.parametrize("text, language", [
    ("La caravana descansó el domingo en Mapastepec, a donde llegó el viernes tras caminar cinco días.", "es"),
    ("The caravan rested on Sunday in Mapastepec, where the migrants arrived on Friday.", "en"),
])
def test_a_place_then_where_people_arrived_was_reached(gazetteer, text, language):
    rows = read(gazetteer, text, language=language)
    assert ("arrived", "Mapastepec", "2022-03-04", None) in rows
    assert not any(r[0] == "departed" for r in rows)


def test_la_poblacion_de_a_town_is_a_town_not_a_population(gazetteer):
    rows = read(gazetteer, "Unos 900 migrantes arribaron este martes a la población de Pijijiapan.")
    assert ("present", "Pijijiapan", "2022-03-08", 900.0) in rows
    rows = read(gazetteer, "Pijijiapan tiene una población de 50 mil habitantes.")
    assert not rows


def test_two_sources_one_with_a_range_and_one_with_a_bound_are_one_range(gazetteer):
    rows = read(gazetteer, "The organisers estimated the caravan at between 3,000 and 4,000 migrants on Monday, while "
                           "officials said it had at least 5,000 people.", language="en")
    assert ("caravan_size", "", "2022-03-07", 4000.0) in rows
    assert len([r for r in rows if r[0] == "caravan_size"]) == 1


def test_a_phrasal_verb_split_by_its_object_is_still_the_event(gazetteer):
    rows = read(gazetteer, "Guatemalan police sent more than 1,200 Honduran migrants of the caravan back to their country "
                           "on Tuesday.", language="en")
    assert ("returned", "GT", "2022-03-08", 1200.0) in rows
    assert not any(r[0] == "caravan_size" for r in rows)


def test_an_original_size_with_no_day_of_its_own_is_history(gazetteer):
    rows = read(gazetteer, "Menos de la mitad del contingente original de 4 mil personas llegó a Tonalá.")
    assert not any(r[3] == 4000.0 for r in rows)
    # with its day, it is what the report says of that day
    rows = read(gazetteer, "Initially, the caravan of about 700 people left Tapachula on Saturday.", language="en")
    assert ("caravan_size", "", "2022-03-05", 700.0) in rows


def test_people_who_hid_to_avoid_arrest_were_not_detained(gazetteer):
    rows = read(gazetteer, "Around 300 migrants of the caravan hid in plantations to avoid being arrested on Monday.",
                language="en")
    assert not any(r[0] == "detained" for r in rows)
    rows = read(gazetteer, "Around 300 migrants of the caravan were arrested on Monday.", language="en")
    assert ("detained", "", "2022-03-07", 300.0) in rows or any(r[0] == "detained" and r[3] == 300.0 for r in rows)


def test_a_stop_verb_in_a_form_the_lists_do_not_spell_is_still_a_stop(gazetteer):
    # "descansó" (the lists hold "descansan", "descansaron"): matched by its Snowball stem, and dated by
    # the stop's own day, not by the day they crossed the isthmus
    rows = read(gazetteer, "Alrededor de 800 personas cruzaron el Istmo el pasado jueves 3 de marzo y este lunes "
                           "descansó el grupo en la ciudad de Matías Romero.")
    assert ("present", "Matias Romero", "2022-03-07", 800.0) in rows
    # a stop planned is no stop: "para descansar", "descansarán"
    rows = read(gazetteer, "Alrededor de 800 personas de la caravana caminan este lunes para descansar en Matías Romero.")
    assert not any(r[0] == "present" for r in rows)


def test_stems_are_long_enough_to_mean_one_word():
    from caravana.news.stems import StemFamily

    family = StemFamily(r"\b(?:salieron|descansaron|pernoctaron)\b")
    assert family.search("la sala del albergue", language="es") is None  # "sal-" is too short to be used
    assert family.search("el grupo pernoctó en el parque", language="es") == 9
    assert family.search("they rested", language="en") is None  # English forms are listed, not stemmed


def test_the_town_of_the_sentence_before_carries_over_a_paragraph_break(gazetteer):
    # stored pages often hold one sentence a paragraph
    text = ("The caravan camped on Monday on the highway at Vado Hondo.\n\n"
            "A group of about 2,000 migrants had stopped short of the roadblock the night before.")
    assert ("present", "Vado Hondo", "2022-03-06", 2000.0) in read(gazetteer, text, language="en")
    # not when the sentence names its own town (there it is where they head for)
    text = ("The caravan camped on Monday at Tapachula.\n\n"
            "Unos 2 mil migrantes de la caravana se enfilaron por la carretera hacia Pijijiapan, municipio al que "
            "llegaron este martes.")
    assert not any(r[0] == "present" and r[1] == "Tapachula" for r in read(gazetteer, text, language="es"))


def test_an_arrival_is_not_dated_by_where_they_had_left_from(gazetteer):
    text = ("La caravana avanzó ayer de Tonalá a Arriaga.\n\nLos migrantes llegaron agotados ayer a este municipio, "
            "a más de 200 kilómetros de Tapachula, de donde partió este contingente el pasado 23 de febrero.")
    rows = read(gazetteer, text)
    assert not any(r[0] == "arrived" and r[2] == "2022-02-23" for r in rows)


def test_an_infinitive_with_a_pronoun_is_no_stop():
    from caravana.news.extract import _STOPPED

    assert _STOPPED.search("atravesaron sin registrarse la frontera", language="es") is None
    assert _STOPPED.search("se registraron en la frontera", language="es") is not None


_OPENING = ("La caravana migrante sigue en Chiapas. Los migrantes caminaron hacia Huixtla. "
            "Varios grupos descansaron en el parque. ")  # no day: nothing dates what follows


def test_a_detention_no_day_dates_is_for_review_only(gazetteer):
    assert not any(r[0] == "detained" for r in read(gazetteer, _OPENING + "Agentes del INM detuvieron a 50 migrantes "
                                                                "de la caravana en hoteles de Tapachula."))
    assert ("detained", "Tapachula", "2022-03-07", 50.0) in read(
        gazetteer, _OPENING + "Agentes del INM detuvieron el lunes a 50 migrantes de la caravana en hoteles de Tapachula.")
    # in the opening too (session 7, round 2: none of the 3 undated detentions the opening let through on the
    # 292 labelled reports was right); with its day it is taken there
    assert not any(r[0] == "detained" for r in read(
        gazetteer, "Agentes del INM detuvieron a 50 migrantes de la caravana en hoteles de Tapachula."))
    assert ("detained", "Tapachula", "2022-03-09", 50.0) in read(
        gazetteer, "Agentes del INM detuvieron este miércoles a 50 migrantes de la caravana en hoteles de Tapachula.")
