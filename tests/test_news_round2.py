"""Readings of `caravana news extract` added in session 7's second round (s7news2), studied on the
opened fresh7 set and the rest of `open`; fresh8 sealed. Sentences written for the test (the review of
session 7 rewrote those that copied development reports: new places, figures and wording, the same
construction); where one is still adapted from a development report, its test says which. Each test also
shows what must not be read. Reports are dated Wednesday 9 March 2022."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana.news.document import one_count  # noqa: E402
from tests.news_helpers import read  # noqa: E402


def test_two_sources_far_apart_are_two_counts_not_one_range(gazetteer):
    # C3 merges two sources' readings of one count; 500 and 5,000 are not readings of one count
    rows = read(gazetteer, "The caravan left on Monday with some 500 people, according to the government, while "
                           "organizers said 5,000.", language="en")
    assert not any(r[3] == 2750.0 for r in rows)
    rows = read(gazetteer, "The caravan left on Monday with some 3,500 people, according to the government, while "
                           "organizers said 7,000.", language="en")
    assert ("caravan_size", "", "2022-03-07", 5250.0) in rows
    assert one_count(3500, 7000) and not one_count(50, 800)


def test_a_few_people_are_not_a_caravans_size(gazetteer):
    rows = read(gazetteer, "El miércoles unos 30 migrantes de la caravana alcanzaron acuerdos con el INM.")
    assert not any(r[0] == "caravan_size" for r in rows)


def test_a_detention_is_counted_where_the_acting_authorities_are(gazetteer):
    # adapted from the report 2022-01-16_pledgetimes.txt
    from caravana.news.extract import extract_report
    from caravana.news.loading import Report

    text = ("Around 300 people who were part of the caravan that left San Pedro Sula, Honduras on Saturday, were "
            "detained by Guatemalan authorities.")
    found = extract_report(Report("r.txt", text, dt.date(2022, 3, 9), "en"), gazetteer)
    detained = {(p.place, p.value) for p in found if p.quantity.value == "detained"}
    # the place: Guatemala's, not Honduras's. The day is left out: since session 23's change V the caravan's start
    # ("that left ... on Saturday") no longer dates the count, so the detention is undated (0.45, shown for review
    # only), while the report this is adapted from is labelled with that Saturday: a loss V's outcome lists
    # (benchmarks/results/news_crossval-2026-11-28-session23-s23news-outcome.txt), to be mended, not pinned here
    assert detained == {("GT", 300.0)}
    # its last words from the report 2020-01-28_technoea.txt
    rows = read(gazetteer, "Members of the National Guard arrested around 800 members of the caravan on Monday "
                           "along the southern border with Guatemala.", language="en")
    assert ("detained", "MX", "2022-03-07", 800.0) in rows


def test_the_size_a_caravan_changed_to_is_its_count_and_the_earlier_one_was(gazetteer):
    rows = read(gazetteer, "Más de cinco mil migrantes estuvieron casi una semana en Tapanatepec; el contingente se ha "
                           "reducido a unos mil 200.")
    assert ("caravan_size", "", "2022-03-09", 1200.0) in rows
    assert not any(r[3] == 5000.0 for r in rows)


def test_a_past_peak_is_not_a_count(gazetteer):
    rows = read(gazetteer, "La caravana, que llegó a reunir entre 2.000 y 3.000 migrantes, está formada ahora por "
                           "unas 800 personas.")
    assert ("caravan_size", "", "2022-03-09", 800.0) in rows
    assert not any(r[3] == 2500.0 for r in rows)


def test_people_handed_papers_are_not_a_count(gazetteer):
    assert not read(gazetteer, "Las autoridades migratorias entregaron el lunes documentos de tránsito a 420 "
                               "integrantes de la caravana.")
    assert not read(gazetteer, "Mexican authorities issued humanitarian visas to about 500 members of the caravan on "
                               "Monday.", language="en")


def test_have_begun_walking_from_a_town_is_a_departure(gazetteer):
    rows = read(gazetteer, "Thousands of migrants have begun walking on Christmas Eve from the Mexican city of "
                           "Tapachula.", published="2023-12-25", language="en")
    assert ("departed", "Tapachula", "2023-12-24", None) in rows


def test_deportations_from_the_us_or_from_two_countries_are_not_the_caravans(gazetteer):
    assert not any(r[0] in ("deported", "returned") for r in read(
        gazetteer, "Some 64 deportees arrived on Monday on a flight from the United States to San Pedro Sula.",
        language="en"))
    assert ("deported", "MX", "2022-03-07", 64.0) in read(  # the same from Mexico: the rule is the US
        gazetteer, "Some 64 deportees arrived on Monday on a flight from Mexico to San Pedro Sula.", language="en")
    assert not any(r[0] in ("deported", "returned") for r in read(
        gazetteer, "By Monday some 1,200 Hondurans of the caravan had been deported from Guatemala and Mexico.",
        language="en"))
    assert ("deported", "GT", "2022-03-07", 1200.0) in read(  # from one country: kept
        gazetteer, "By Monday some 1,200 Hondurans of the caravan had been deported from Guatemala.", language="en")
    rows = read(gazetteer, "Mexican migration authorities said on Monday they have deported 2,300 Hondurans of the "
                           "caravan.", language="en")
    assert ("deported", "MX", "2022-03-07", 2300.0) in rows


def test_a_count_expected_or_of_last_year_is_not_taken(gazetteer):
    assert not read(gazetteer, "Guatemala braces for 640 migrants deported from Mexico", language="en")
    assert read(gazetteer, "Guatemala receives 640 migrants deported from Mexico", language="en")  # a count now
    rows = read(gazetteer, "Un grupo de al menos 250 hondureños partió hoy en caravana y se suma a los casi 5.000 "
                           "migrantes de ese país que iniciaron desde diciembre del año pasado un viaje al norte.")
    assert ("caravan_size", "", "2022-03-09", 250.0) in rows
    assert not any(r[3] == 5000.0 for r in rows)
