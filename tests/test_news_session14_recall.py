"""Session 14 (s14recall): change C, a movement's town carried from its paragraph or dateline when its sentence
names none (``news/carry.py``), and change N, number grammar (``news/numbers.py``'s ``GRAMMAR``: collective
numerals, "mil" alone, "2, 000"); both switched by ``benchmarks/news_changes.py`` while judged. Hand-made
sentences; no labelled set is scored."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana import load_scenario  # noqa: E402
from caravana.news import carry, numbers  # noqa: E402
from caravana.news.extract import extract_report  # noqa: E402
from caravana.news.loading import Report  # noqa: E402
from caravana.news.numbers import find_numbers  # noqa: E402
from caravana.news.places import Gazetteer, PlaceMention  # noqa: E402
from tests.news_helpers import benchmark_module  # noqa: E402

PUBLISHED = dt.date(2018, 10, 30)  # a Tuesday: "on Monday" is the 29th


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.from_scenario(load_scenario("corridor"))


def _town(name: str) -> PlaceMention:
    return PlaceMention(name, 0, len(name))


def _country(code: str) -> PlaceMention:
    return PlaceMention(code, 0, 2, country=True)


# the carry rule itself
def test_carried_town_is_the_one_place_of_the_nearest_sentence_naming_any():
    assert carry.carried_town([[_town("Tapachula")], []], "Huixtla") == "Tapachula"  # a sentence between names none
    assert carry.carried_town([[_town("Tapachula")], [_town("Huixtla")]], None) == "Huixtla"  # the nearest decides


def test_no_town_carried_when_the_nearest_sentence_names_two_places_or_a_country():
    assert carry.carried_town([[_town("Tapachula"), _town("Huixtla")]], "Tapachula") is None
    assert carry.carried_town([[_town("Tapachula")], [_country("MX")]], None) is None  # another place between
    # one town named twice is still one place
    assert carry.carried_town([[_town("Tapachula"), _town("Tapachula")]], None) == "Tapachula"


def test_the_dateline_town_only_when_the_paragraph_named_no_place():
    assert carry.carried_town([], "Tapachula") == "Tapachula"
    assert carry.carried_town([[], []], "Tapachula") == "Tapachula"
    assert carry.carried_town([], None) is None


def _moves(gazetteer, text: str, language: str = "en", on: bool = True) -> list[tuple]:
    old = carry.ENABLED
    carry.ENABLED = on
    try:
        found = extract_report(Report("r.txt", text, PUBLISHED, language), gazetteer)
    finally:
        carry.ENABLED = old
    return [(p.quantity.value, p.place, p.date, p.confidence) for p in found if p.value is None]


def test_a_movement_takes_the_town_of_the_sentence_before(gazetteer):
    text = "Migrants camped overnight in Esquipulas after a long walk. The migrants arrived there as night fell on Monday."
    assert _moves(gazetteer, text) == [("arrived", "Esquipulas", dt.date(2018, 10, 29), 0.6)]  # 0.85 - DOUBT
    assert _moves(gazetteer, text, on=False) == []  # switched off, nothing carried


def test_a_departure_in_a_new_paragraph_takes_the_dateline_town(gazetteer):
    text = ("TAPACHULA, Chiapas (EFE) - Cientos de migrantes se reunieron en la plaza.\n\n"
            "La caravana partió este domingo en busca del sueño americano.")
    assert _moves(gazetteer, text, "es") == [("departed", "Tapachula", dt.date(2018, 10, 28), 0.6)]


def test_an_undated_carried_movement_is_below_the_review_threshold(gazetteer):
    text = "The caravan rested in Tapachula. The migrants left the park together."
    assert _moves(gazetteer, text) == [("departed", "Tapachula", PUBLISHED, 0.35)]  # the opening's 0.6 - DOUBT


@pytest.mark.parametrize("second", [
    "The migrants left Honduras on Monday.",  # the verb's own complement is a country
    "The migrants plan to leave on Monday.",  # a plan
    "The migrants left Huixtla on Monday.",  # the sentence names its town: read as any movement
])
def test_no_carry_for_a_country_a_plan_or_a_named_town(gazetteer, second):
    moves = _moves(gazetteer, f"The caravan rested in Tapachula. {second}")
    assert not any(place == "Tapachula" for _, place, _, _ in moves)


def test_no_carry_from_a_sentence_naming_two_towns(gazetteer):
    assert _moves(gazetteer, "The caravan rested in Tapachula and Huixtla. The migrants left on Monday.") == []


# number grammar
def _read(text: str, language: str, on: bool = True) -> list[tuple]:
    old = numbers.GRAMMAR
    numbers.GRAMMAR = on
    try:
        return [(n.value, text[n.start:n.end]) for n in find_numbers(text, language)]
    finally:
        numbers.GRAMMAR = old


@pytest.mark.parametrize(("text", "language", "value", "said"), [
    ("una decena de migrantes", "es", 10, "una decena"),
    ("una docena de personas", "es", 12, "una docena"),
    ("media docena de niños", "es", 6, "media docena"),
    ("una veintena de migrantes", "es", 20, "una veintena"),
    ("una treintena de migrantes", "es", 30, "una treintena"),
    ("a dozen migrants", "en", 12, "a dozen"),
    ("half a dozen people", "en", 6, "half a dozen"),
    ("two dozen migrants", "en", 24, "two dozen"),  # read as 2 without the change
    ("2 dozen migrants", "en", 24, "2 dozen"),
    ("dos docenas de personas", "es", 24, "dos docenas"),
    ("tres centenares de personas", "es", 300, "tres centenares"),
    ("con mil integrantes", "es", 1000, "mil"),  # "mil" alone: Spanish says a thousand with no article
    ("unas 2, 000 personas", "es", 2000, "2, 000"),
    ("unas 3. 000 personas", "es", 3000, "3. 000"),
])
def test_each_number_format(text, language, value, said):
    assert (value, said) in _read(text, language)
    assert (value, said) not in _read(text, language, on=False)  # what the change adds


def test_formats_the_number_grammar_does_not_change():
    assert _read("el día 14, 200 migrantes llegaron", "es") == [(14, "14"), (200, "200")]  # a list, not 14,200
    assert _read("dozens of people", "en") == [(30, "dozens")]  # still vague
    assert _read("decenas de migrantes", "es") == [(30, "decenas")]
    assert _read("mil 500 migrantes", "es") == [(1500, "mil 500")]  # as before
    assert _read("dos mil personas", "es") == [(2000, "dos mil")]
    assert _read("medio millar de migrantes", "es") == [(500, "medio millar")]


def test_a_range_of_collectives_is_a_range():
    old = numbers.GRAMMAR
    numbers.GRAMMAR = True
    try:
        found = find_numbers("entre una decena y una veintena de migrantes", "es")
    finally:
        numbers.GRAMMAR = old
    assert [(n.value, n.low, n.high) for n in found] == [(15, 10, 20)]


# the delta that judges a change on the frozen first readings
def test_the_delta_adds_what_the_change_adds_once(gazetteer):
    changes = benchmark_module("news_changes", "s14recall")
    text = "Migrants camped overnight in Esquipulas after a long walk. The migrants arrived there as night fell on Monday."
    report = Report("r.txt", text, PUBLISHED, "en")
    try:
        added = changes.with_delta({"r.txt": []}, {"r.txt": report}, gazetteer, "C")["r.txt"]
        assert [(p.quantity.value, p.place) for p in added] == [("arrived", "Esquipulas")]
        again = changes.with_delta({"r.txt": added}, {"r.txt": report}, gazetteer, "C")["r.txt"]
        assert len(again) == 1  # the first reading already held it
        assert changes.with_delta({"r.txt": []}, {"r.txt": report}, gazetteer, "N")["r.txt"] == []
    finally:
        changes.switch(None)
