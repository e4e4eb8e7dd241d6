"""Session 17 (s17news): change G, a count's country by the grammar of its own clause (``news/country.py``;
tests/data/news/LABELLING.md C8: people who entered a country are ``present`` there, C14: a country named by its
adjective), switched by ``benchmarks/news_changes.py`` while judged. Hand-made sentences; no labelled set is
scored."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana import load_scenario  # noqa: E402
from caravana.news import country  # noqa: E402
from caravana.news.extract import extract_report  # noqa: E402
from caravana.news.loading import Report  # noqa: E402
from caravana.news.places import Gazetteer  # noqa: E402

PUBLISHED = dt.date(2020, 1, 18)


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.from_scenario(load_scenario("corridor"))


def _counts(gazetteer, text: str, language: str, on: bool = True) -> set[tuple]:
    old = country.ENABLED
    country.ENABLED = on
    try:
        found = extract_report(Report("r.txt", text, PUBLISHED, language), gazetteer)
    finally:
        country.ENABLED = old
    return {(p.quantity.value, p.place, p.value) for p in found if p.value is not None}


@pytest.mark.parametrize(("text", "language", "place", "value"), [
    # an infinitive after a modal, "en" as the destination
    ("Unos 3.500 ciudadanos hondureños que partieron de San Pedro Sula lograron entrar en Guatemala el viernes.",
     "es", "GT", 3500.0),
    # the far side of the border crossed
    ("On Friday approximately 1,700 people crossed the border between Honduras and Guatemala.", "en", "GT", 1700.0),
    ("On Friday more than 100 people crossed the border from El Salvador to Guatemala.", "en", "GT", 100.0),
    ("El jueves unos 1.250 hondureños cruzaron la frontera de Guatemala.", "es", "GT", 1250.0),
    # a country's territory by its adjective, whatever the verb
    ("Aproximadamente 7000 hondureños transitan por territorio guatemalteco.", "es", "GT", 7000.0),
    ("About 2,000 migrants walked on Mexican soil on Friday.", "en", "MX", 2000.0),
])
def test_a_count_in_a_country_by_its_clause(gazetteer, text, language, place, value):
    assert ("present", place, value) in _counts(gazetteer, text, language)
    assert ("present", place, value) not in _counts(gazetteer, text, language, on=False)  # off: as before


@pytest.mark.parametrize(("text", "language"), [
    # the border "with" a country: the people are on its other side
    ("Unos 900 hondureños se reunieron el viernes en la frontera con Guatemala.", "es"),
    # the United States: a crossing there is not a presence
    ("About 1,000 migrants tried to cross into the United States on Friday.", "en"),
    # the caravan's own size decides (C8): "the caravan of N ... crossed"
    ("La caravana de unos 4.000 migrantes cruzó el viernes la frontera de Guatemala.", "es"),
    # the Mexican side of a border town is the town (C14), not the country
    ("Another 140 migrants remained on the Mexican side of the border in Tijuana.", "en"),
])
def test_no_country_where_the_grammar_gives_another(gazetteer, text, language):
    assert _counts(gazetteer, text, language) == _counts(gazetteer, text, language, on=False)  # G reads nothing new


def test_another_count_between_keeps_the_country_to_its_own_count():
    folded = "unos 500 migrantes esperaban y otros 300 cruzaron a guatemala"
    places = [country.PlaceMention("GT", folded.index("guatemala"), len(folded), country=True)]
    counts = [(5, 8), (folded.index("300"), folded.index("300") + 3)]
    assert country.country_of_count(folded, 5, 8, places, counts, (0, len(folded)), {"US"}) is None
    first = counts[1]
    assert country.country_of_count(folded, *first, places, counts, (0, len(folded)), {"US"}).place == "GT"
