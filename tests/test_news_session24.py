"""Session 24 (s24news): change E (people who entered a country, told in more shapes, are ``present`` there) and
change R (a return home told in more forms is ``returned``), both kept by their rule
(``benchmarks/results/news_crossval-2026-11-28-session24-s24news-rule.txt``). Hand-made sentences in Spanish and
English; no labelled set is scored."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana.news.extract import extract_report
from caravana.news.loading import Report

DAY = dt.date(2021, 1, 20)


def _found(gazetteer, text, language="es", published=DAY):
    return {(p.quantity.value, p.place, p.value) for p in
            extract_report(Report("r.txt", text, published, language), gazetteer) if p.value is not None}


@pytest.mark.parametrize(("text", "language", "count", "country"), [
    ("Más de 800 hondureños se abrieron camino y lograron entrar en Guatemala este martes.", "es", 800.0, "GT"),
    ("About 600 Honduran migrants pushed their way into Guatemala on Tuesday night.", "en", 600.0, "GT"),
    ("El martes, unos 900 migrantes cruzaron a pie la frontera de El Florido con el departamento de Chiquimula.",
     "es", 900.0, "GT"),
    ("On Tuesday some 700 people crossed the El Amatillo border from Honduras to El Salvador.", "en", 700.0, "SV"),
    ("Unos 1.300 hondureños cruzaron la frontera de Guatemala este martes.", "es", 1300.0, "GT"),
])
def test_people_who_entered_a_country_are_present_there(gazetteer, text, language, count, country):
    found = _found(gazetteer, text, language)
    assert ("present", country, count) in found and ("caravan_size", "", count) not in found


@pytest.mark.parametrize(("text", "language", "count"), [
    # the border of one country, then the country entered: not the first
    ("Unos 1.300 hondureños cruzaron la frontera de Guatemala hacia México este martes.", "es", 1300.0),
    # the caravan's own size decides (LABELLING.md C8)
    ("La caravana de unos 3.000 migrantes logró entrar en Guatemala este martes.", "es", 3000.0),
])
def test_not_an_entry_into_the_named_country(gazetteer, text, language, count):
    found = _found(gazetteer, text, language)
    assert ("present", "GT", count) not in found


@pytest.mark.parametrize(("text", "language", "count"), [
    ("Unos 500 migrantes hondureños ya han sido regresados a su país desde Guatemala.", "es", 500.0),
    ("En Guatemala, más de 300 integrantes de la caravana solicitaron el retorno a su país este martes.", "es", 300.0),
    ("En Guatemala, 200 hondureños decidieron de manera voluntaria volver a sus países este martes.", "es", 200.0),
    ("In Guatemala, about 250 people from the caravan decided to voluntarily return to Honduras on Tuesday.", "en",
     250.0),
])
def test_a_return_told_otherwise_is_returned(gazetteer, text, language, count):
    found = {(q, v) for q, _, v in _found(gazetteer, text, language)}
    assert ("returned", count) in found and ("caravan_size", count) not in found


def test_setting_out_again_is_not_a_return(gazetteer):
    text = "En Guatemala, unos 400 hondureños de la caravana decidieron volver a caminar este martes."
    assert not any(q == "returned" for q, _, _ in _found(gazetteer, text))
