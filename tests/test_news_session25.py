"""Session 25 (s25news): change S (people staying at a place, told in words the stop list did not read, are
``present`` there), kept as a correctness fix by its rule
(``benchmarks/results/news_crossval-2026-11-28-session25-s25news-rule.txt``, ``-outcome.txt``; change P, people let
into a US port of entry as asylum requests, failed and was reverted). Hand-made sentences in Spanish and English; no
labelled set is scored."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana.news.extract import extract_report
from caravana.news.loading import Report

DAY = dt.date(2020, 1, 21)


def _found(gazetteer, text, language="es", published=DAY):
    return {(p.quantity.value, p.place, p.value) for p in
            extract_report(Report("r.txt", text, published, language), gazetteer) if p.value is not None}


STAYS = [
    ("Unos 2.000 migrantes que forman parte de la caravana pasaron la noche del lunes en Tapachula.", "es", 2000.0,
     "Tapachula"),
    ("Hasta la tarde del lunes unos 900 integrantes de la caravana se encontraban dispersos en Tecún Umán.", "es",
     900.0, "Tecun Uman"),
    ("Another group of about 400 people is currently in the Mexican city of Tapachula.", "en", 400.0, "Tapachula"),
]


@pytest.mark.parametrize(("text", "language", "count", "place"), STAYS)
def test_people_staying_at_a_place_are_present_there(gazetteer, text, language, count, place):
    found = _found(gazetteer, text, language)
    assert ("present", place, count) in found and ("caravan_size", "", count) not in found


@pytest.mark.parametrize(("text", "language", "count"), [
    # "están en" with no place after it is not a stay ("en riesgo")
    ("Unos 700 migrantes de la caravana están en riesgo, dijo el alcalde de Tapachula.", "es", 700.0),
    # the caravan is where the words say, and the count after them is its size (tests/test_news_session7.py)
    ("La caravana se encontraba este martes en Tonalá, con unas 700 personas.", "es", 700.0),
    # a night they plan to spend is not a stay
    ("Unos 600 migrantes de la caravana caminan hacia Huixtla, donde pasarán la noche.", "es", 600.0),
])
def test_not_a_stay(gazetteer, text, language, count):
    assert not any(q == "present" and v == count for q, _, v in _found(gazetteer, text, language))
