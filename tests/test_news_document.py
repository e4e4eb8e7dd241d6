"""Reading the whole report (`caravana.news.document`, session 6): a figure that refers back to an
earlier count is a figure of that count; two sources of one count in two sentences make one range;
a bound and the precise figure of one count are one observation (LABELLING.md C13, C3, C2).
Sentences made up for the test; each test also shows what must not be read. Reports are dated
Wednesday 9 March 2022."""

from __future__ import annotations

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from tests.news_helpers import read  # noqa: E402


@pytest.mark.parametrize("text, language", [
    ("Unos 2.000 migrantes acampaban este martes en Tapachula, según las autoridades. "
     "Los organizadores cifraron en 3.000 el número de personas.", "es"),
    ("Some 2,000 migrants camped in Tapachula on Tuesday, the authorities said. "
     "The organizers put the number at 3,000.", "en"),
])
def test_a_figure_that_refers_back_is_a_second_source_of_the_same_count(gazetteer, text, language):
    rows = read(gazetteer, text, language=language)
    assert ("present", "Tapachula", "2022-03-08", 2500.0) in rows  # one range, 2,000 to 3,000
    assert not any(r[3] in (2000.0, 3000.0) for r in rows)


def test_a_figure_of_now_referring_back_keeps_its_own_day(gazetteer):
    rows = read(gazetteer, "La caravana partió de Tapachula el sábado pasado con unos dos mil migrantes. "
                           "Los activistas aseguran que ahora son unos cuatro mil.")
    assert ("caravan_size", "", "2022-03-05", 2000.0) in rows
    assert ("caravan_size", "", "2022-03-09", 4000.0) in rows  # now, not the day it left
    assert not any(r[3] == 3000.0 for r in rows)  # two days, two counts: no range


def test_a_number_after_words_of_reference_that_counts_something_else_is_not_a_figure(gazetteer):
    rows = read(gazetteer, "Unos 500 migrantes salieron este martes de Tapachula. "
                           "Con esta ya son ocho marchas similares en un mes.")
    assert ("caravan_size", "", "2022-03-08", 500.0) in rows
    assert not any(r[3] == 8.0 for r in rows)


def test_a_bound_and_the_precise_figure_of_one_count_are_one(gazetteer):
    rows = read(gazetteer, "Las autoridades disolvieron este martes una caravana formada por más de 300 personas. "
                           "La caravana estaba conformada por 319 migrantes.")
    assert ("caravan_size", "", "2022-03-08", 319.0) in rows
    assert not any(r[3] == 300.0 for r in rows)


def test_a_bound_the_precise_figure_does_not_meet_is_another_count(gazetteer):
    rows = read(gazetteer, "Las autoridades disolvieron este martes una caravana formada por más de 300 personas. "
                           "La caravana estaba conformada por 900 migrantes.")
    assert {r[3] for r in rows if r[0] == "caravan_size"} >= {300.0, 900.0}


def test_another_group_is_not_a_second_source(gazetteer):
    rows = read(gazetteer, "Un grupo de 500 migrantes salió el martes de Tapachula, según las autoridades. "
                           "Otro grupo de 300 migrantes salió el mismo día de Tapachula, según los activistas.",
                language="es")
    assert ("caravan_size", "", "2022-03-08", 500.0) in rows
    assert ("caravan_size", "", "2022-03-08", 300.0) in rows
    assert not any(r[3] == 400.0 for r in rows)


def test_two_figures_without_a_source_are_not_merged(gazetteer):
    rows = read(gazetteer, "Some 2,000 migrants camped in Tapachula on Tuesday. "
                           "About 900 migrants camped in Tapachula on Tuesday too.", language="en")
    assert not any(r[3] == 1450.0 for r in rows)
    assert {2000.0, 900.0} <= {r[3] for r in rows}  # both kept, each its own figure


def test_the_readings_can_be_turned_off(gazetteer, monkeypatch):
    from caravana.news import document

    text = ("Some 2,000 migrants camped in Tapachula on Tuesday, the authorities said. "
            "The organizers put the number at 3,000.")
    monkeypatch.setattr(document, "STEPS", frozenset())
    rows = read(gazetteer, text, language="en")
    assert ("present", "Tapachula", "2022-03-08", 2000.0) in rows
    assert not any(r[3] in (2500.0, 3000.0) for r in rows)


def test_the_benchmark_scores_with_and_without_the_readings_and_restores_them(gazetteer):
    import datetime as dt
    import importlib.util
    from pathlib import Path

    from caravana.news import document
    from caravana.news.loading import Report

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "news_document.py"
    spec = importlib.util.spec_from_file_location("news_document_benchmark", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    report = Report("r.txt", "Some 2,000 migrants camped in Tapachula on Tuesday, the authorities said. "
                             "The organizers put the number at 3,000.", dt.date(2022, 3, 9), "en")
    label = {"file": "r.txt", "date": "2022-03-08", "place": "Tapachula", "quantity": "present",
             "value": "2500", "low": "2000", "high": "3000"}
    before = document.STEPS
    assert bench.counts(bench.VARIANTS["all"], [report], [label], gazetteer) == (1, 0, 0)
    assert bench.counts(bench.VARIANTS["none"], [report], [label], gazetteer) == (0, 1, 1)
    assert document.STEPS == before
