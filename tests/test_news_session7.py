"""Readings of `caravana news extract` added in session 7 (general rules of LABELLING.md, studied on the
development reports dev + fresh..fresh6; fresh7 sealed). Sentences made up for the test; each test also
shows what must not be read. Reports are dated Wednesday 9 March 2022."""

from __future__ import annotations

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from tests.news_helpers import read  # noqa: E402


def test_people_held_back_are_present_where_they_were_stopped_not_detained(gazetteer):
    # C8: "contenidos" (held back by the police), not arrested; the clause "y los que se dispersaron
    # eran devueltos" names its own people, so its return is not theirs
    rows = read(gazetteer, "Unos 800 migrantes fueron contenidos este martes en Tecún Umán, y los que se dispersaron "
                           "eran detectados y devueltos.")
    assert ("present", "Tecun Uman", "2022-03-08", 800.0) in rows
    assert not any(r[0] in ("detained", "returned") for r in rows)


def test_some_people_from_the_caravan_waiting_at_a_town_are_present_there(gazetteer):
    # "some 2,000" is a hedge, not "a caravan of 2,000"; "back down to Huixtla" is where they go
    rows = read(gazetteer, "Early Tuesday, some 2,000 migrants from the caravan were still waiting for buses back down "
                           "to Huixtla in Mapastepec.", language="en")
    assert ("present", "Mapastepec", "2022-03-08", 2000.0) in rows
    assert not any(r[0] == "caravan_size" or r[1] == "Huixtla" for r in rows)


def test_the_border_city_of_a_named_town_is_that_town_not_the_dateline(gazetteer):
    rows = read(gazetteer, "HUIXTLA, Mexico (AP) — The caravan dissolved here on Tuesday.\n\nThe group had started "
                           "walking from the border city of Tapachula on Monday.", language="en")
    assert ("departed", "Tapachula", "2022-03-07", None) in rows
    assert not any(r[0] == "departed" and r[1] == "Huixtla" for r in rows)


def test_a_count_since_a_day_is_of_the_periods_end(gazetteer):
    # C11: a stay or a march "desde el 1 de marzo" is counted at its end (here, the publication day)
    rows = read(gazetteer, "Los 6.000 migrantes permanecen varados en Tapachula desde el pasado sábado.")
    assert any(r[0] == "present" and r[3] == 6000.0 and r[2] == "2022-03-09" for r in rows)
    assert not any(r[3] == 6000.0 and r[2] == "2022-03-05" for r in rows)


@pytest.mark.parametrize("text, language, place, day", [
    ("La madrugada de este martes, la caravana migrante reinició su trayecto desde el municipio de Mapastepec "
     "hacia Pijijiapan.", "es", "Mapastepec", "2022-03-08"),
    ("Unlike previous marches, the caravan that started Saturday from Tapachula did not include many Haitians.",
     "en", "Tapachula", "2022-03-05"),
    ("Este nuevo grupo de migrantes, que llevaba varios días varados en Tapachula, salió el martes por la mañana.",
     "es", "Tapachula", "2022-03-08"),
])
def test_departures_by_other_verbs(gazetteer, text, language, place, day):
    rows = read(gazetteer, text, language=language)
    assert ("departed", place, day, None) in rows
    assert not any(r[0] == "arrived" for r in rows)


def test_people_who_forced_their_way_in_entered_the_country_at_the_border_post(gazetteer):
    rows = read(gazetteer, "Unos 3 mil migrantes hondureños penetraron el lunes a Guatemala por El Florido.")
    assert ("present", "GT", "2022-03-07", 3000.0) in rows
    assert ("arrived", "El Florido", "2022-03-07", None) in rows


def test_the_capital_of_a_country_by_its_name(gazetteer):
    rows = read(gazetteer, "A group of about 40 migrants left on Tuesday from the capital of El Salvador.",
                language="en")
    assert ("departed", "San Salvador", "2022-03-08", None) in rows
