"""Session 25 (s25news): change S (people staying at a place, told in words the stop list did not read, are
``present`` there) and change P (people let into a US port of entry are ``asylum_requests`` at the port), each judged
by its rule (``benchmarks/results/news_crossval-2026-11-28-session25-s25news-rule.txt``). Hand-made sentences in
Spanish and English; no labelled set is scored."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana.news import ports, stays
from caravana.news.extract import extract_report
from caravana.news.loading import Report

DAY = dt.date(2020, 1, 21)


def _found(gazetteer, text, language="es", published=DAY):
    return {(p.quantity.value, p.place, p.value) for p in
            extract_report(Report("r.txt", text, published, language), gazetteer) if p.value is not None}


@pytest.fixture
def stays_on(monkeypatch):
    monkeypatch.setattr(stays, "ON", True)


@pytest.fixture
def ports_on(monkeypatch):
    monkeypatch.setattr(ports, "ON", True)


STAYS = [
    ("Unos 2.000 migrantes que forman parte de la caravana pasaron la noche del lunes en Tapachula.", "es", 2000.0,
     "Tapachula"),
    ("Hasta la tarde del lunes unos 900 integrantes de la caravana se encontraban dispersos en Tecún Umán.", "es",
     900.0, "Tecun Uman"),
    ("Another group of about 400 people is currently in the Mexican city of Tapachula.", "en", 400.0, "Tapachula"),
]


@pytest.mark.parametrize(("text", "language", "count", "place"), STAYS)
def test_people_staying_at_a_place_are_present_there(gazetteer, stays_on, text, language, count, place):
    found = _found(gazetteer, text, language)
    assert ("present", place, count) in found and ("caravan_size", "", count) not in found


@pytest.mark.parametrize(("text", "language", "count", "place"), STAYS)
def test_without_change_s_the_stay_words_are_not_read(gazetteer, text, language, count, place):
    assert ("present", place, count) not in _found(gazetteer, text, language)


@pytest.mark.parametrize(("text", "language", "count"), [
    # "están en" with no place after it is not a stay ("en riesgo")
    ("Unos 700 migrantes de la caravana están en riesgo, dijo el alcalde de Tapachula.", "es", 700.0),
    # a night they plan to spend is not a stay
    ("Unos 600 migrantes de la caravana caminan hacia Huixtla, donde pasarán la noche.", "es", 600.0),
])
def test_not_a_stay(gazetteer, stays_on, text, language, count):
    assert not any(q == "present" and v == count for q, _, v in _found(gazetteer, text, language))


@pytest.mark.parametrize(("text", "language", "count"), [
    ("Late on Monday, 40 people were allowed into the San Ysidro Port of Entry.", "en", 40.0),
    ("A total of 30 Central Americans from the caravan have passed into the San Ysidro Port of Entry.", "en", 30.0),
    ("El lunes, a 20 migrantes de la caravana se les permitió el ingreso a la garita de San Ysidro.", "es", 20.0),
])
def test_people_let_into_the_port_are_asylum_requests_there(gazetteer, ports_on, text, language, count):
    found = _found(gazetteer, text, language)
    assert ("asylum_requests", "San Ysidro", count) in found and ("caravan_size", "", count) not in found


def test_entering_the_united_states_alone_is_not_an_asylum_request(gazetteer, ports_on):
    found = _found(gazetteer, "On Monday 40 migrants from the caravan were allowed to enter the U.S. on parole.", "en")
    assert not any(q == "asylum_requests" for q, _, _ in found)


def test_without_change_p_the_port_entry_is_not_read(gazetteer):
    found = _found(gazetteer, "Late on Monday, 40 people were allowed into the San Ysidro Port of Entry.", "en")
    assert ("asylum_requests", "San Ysidro", 40.0) not in found
