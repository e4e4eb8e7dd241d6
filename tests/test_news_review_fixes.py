"""The review of session 7's extraction rules: readings those rules broke on ordinary sentences, and
the narrower rules that replace them. Sentences made up for the test (none is a report's); each test
shows what must be read and what must not. Reports are dated Wednesday 9 March 2022."""

from __future__ import annotations

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from tests.news_helpers import read  # noqa: E402


@pytest.mark.parametrize("text, row", [
    ("Some 3,000 migrants rested in Huixtla on Tuesday, where aid workers started handing out water.",
     ("present", "Huixtla", "2022-03-08", 3000.0)),
    ("About 2,500 migrants were in Tapachula on Tuesday, where the rains started.",
     ("present", "Tapachula", "2022-03-08", 2500.0)),
])
def test_started_alone_does_not_set_people_off(gazetteer, text, row):
    # "started" starts anything: only with an origin ("started ... from X") is it a departure
    rows = read(gazetteer, text, language="en")
    assert row in rows
    assert not any(r[0] in ("caravan_size", "departed") for r in rows)


@pytest.mark.parametrize("text, language", [
    ("Some 3,000 migrants rested in Huixtla on Tuesday, where aid workers began handing out water.", "en"),
    ("Some 3,000 migrants rested in Huixtla on Tuesday, where it began to rain.", "en"),
    ("Unos 3.000 migrantes descansaron el martes en Huixtla, donde se inició el reparto de agua.", "es"),
])
def test_began_and_its_spanish_twins_alone_do_not_set_people_off(gazetteer, text, language):
    rows = read(gazetteer, text, language=language)
    assert ("present", "Huixtla", "2022-03-08", 3000.0) in rows
    assert not any(r[0] in ("caravan_size", "departed") for r in rows)


@pytest.mark.parametrize("text, language", [
    ("Registration of the migrants began on Tuesday in Tapachula.", "en"),
    ("El registro de los migrantes comenzó el martes en Tapachula.", "es"),
])
def test_what_else_begins_in_a_town_is_no_departure(gazetteer, text, language):
    assert not read(gazetteer, text, language=language)


def test_a_caravan_that_began_in_a_town_left_it(gazetteer):
    rows = read(gazetteer, "The caravan, the third this year, began on Tuesday in Tapachula.", language="en")
    assert ("departed", "Tapachula", "2022-03-08", None) in rows


def test_something_that_started_in_a_town_is_no_departure_from_it(gazetteer):
    assert not read(gazetteer, "Registration of the migrants started on Tuesday in Tapachula.", language="en")
    rows = read(gazetteer, "The caravan started from Tapachula on Tuesday after a week of waiting.", language="en")
    assert ("departed", "Tapachula", "2022-03-08", None) in rows


@pytest.mark.parametrize("text, language", [
    ("Mexico deported 300 migrants from Honduras and Guatemala on Tuesday, members of the caravan.", "en"),
    ("México deportó el martes a 300 migrantes de Honduras y Guatemala, integrantes de la caravana.", "es"),
])
def test_two_countries_after_the_people_are_their_origin_not_two_deporting_countries(gazetteer, text, language):
    # the deporting country is named as acting: the count is one deportation, kept, and Mexico's (the country
    # people left), not Honduras' (theirs)
    rows = read(gazetteer, text, language=language)
    assert ("deported", "MX", "2022-03-08", 300.0) in rows
    assert not any(r[0] == "deported" and r[1] in ("HN", "GT") for r in rows)


def test_deported_right_from_two_countries_is_still_not_one_observation(gazetteer):
    assert not any(r[0] in ("deported", "returned") for r in read(
        gazetteer, "Unos 900 hondureños de la caravana fueron deportados desde México y Guatemala hasta el lunes."))


@pytest.mark.parametrize("text, language", [
    ("El martes fueron deportados de Estados Unidos 120 hondureños que habían viajado en la caravana.", "es"),
    ("On Tuesday 120 Hondurans who had travelled with the caravan were deported from the United States.", "en"),
    ("On Tuesday 120 Hondurans who had travelled with the caravan were deported from the U.S.", "en"),
])
def test_deportations_from_the_us_are_dropped_in_both_languages(gazetteer, text, language):
    assert not any(r[0] in ("deported", "returned") for r in read(gazetteer, text, language=language))


def test_the_pronoun_us_is_not_the_united_states(gazetteer):
    rows = read(gazetteer, "Guatemala returned 200 migrants from us on Tuesday, the caravan said.", language="en")
    assert ("returned", "GT", "2022-03-08", 200.0) in rows


def test_the_place_of_a_count_s_relative_clause_is_where_they_were_not_are(gazetteer):
    rows = read(gazetteer, "On Tuesday some 2,000 migrants who joined the caravan in Tapachula rested in Huixtla.",
                language="en")
    assert ("present", "Huixtla", "2022-03-08", 2000.0) in rows
    assert not any(r[1] == "Tapachula" for r in rows)


def test_a_caravan_that_left_last_year_is_still_counted_today(gazetteer):
    # a late-December departure: the caravan's own past in an aside does not make its count another year's
    rows = read(gazetteer, "The caravan of 2,000 migrants, which left San Pedro Sula last year, arrived in "
                           "Tapachula on Tuesday.", published="2022-01-05", language="en")
    assert any(r[0] == "caravan_size" and r[3] == 2000.0 for r in rows)
    # but people whose own restrictive clause puts them in last year are not this caravan
    rows = read(gazetteer, "Unos 150 guatemaltecos salieron hoy en caravana y se suman a los más de 4,000 migrantes "
                           "que iniciaron desde noviembre del año pasado su viaje al norte.")
    assert ("caravan_size", "", "2022-03-09", 150.0) in rows
    assert not any(r[3] == 4000.0 for r in rows)


def _benchmark():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "news_extraction.py"
    spec = importlib.util.spec_from_file_location("news_extraction_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("flag", ["--curve", "--errors"])
def test_the_benchmark_refuses_breakdowns_of_a_sealed_set(flag, monkeypatch, capsys):
    # refused before any report is read: the sealed set is never scored by this test
    bench = _benchmark()
    if not bench.HELD_OUT:  # no set sealed this session (between a set's opening and the next one's): stand one in
        monkeypatch.setattr(bench, "HELD_OUT", {"dev"})
    sealed = sorted(bench.HELD_OUT)[0]  # whichever set is sealed this session
    with pytest.raises(SystemExit) as stop:
        bench.main(["--split", sealed, flag])
    assert stop.value.code == 2
    assert "sealed" in capsys.readouterr().err


def test_the_benchmark_prints_a_sealed_sets_totals_only(monkeypatch, capsys):
    # an open split standing in for a sealed one (the sealed set itself is never scored here)
    bench = _benchmark()
    monkeypatch.setattr(bench, "HELD_OUT", {"dev"})
    bench.main(["--split", "dev", "--batch", "1", "--reports", "1"])
    out = capsys.readouterr().out
    assert "overall" in out and "speed:" in out
    assert not any(word in out for word in ("language es", "caravan_size", "false proposals", "distractors taken"))


def test_every_set_is_either_development_or_sealed():
    # `open` is an allowlist (WORK): a set added to reports.csv but listed in neither would be silently left out
    # of every score, and one listed in both would leak a sealed set into `open`
    import csv
    from pathlib import Path

    bench = _benchmark()
    manifest = Path(__file__).resolve().parent / "data" / "news" / "reports.csv"
    splits = {row["split"] for row in csv.DictReader(manifest.open(encoding="utf-8"))}
    assert not bench.WORK & bench.HELD_OUT
    assert splits == bench.WORK | bench.HELD_OUT
