"""Session 14 (s14recall), change N: number grammar in ``news/numbers.py`` (collective numerals, "mil" alone, a
round thousand written "2, 000"), kept by its rule
(``benchmarks/results/news_keep_rule-2026-11-27-session14-s14recall-rule.txt``). Each format below was read wrong
or not at all before it (checked against the code as judged, c8c710e, with the change switched off). Change C (a
movement's town carried from its context) failed its rule and was reverted with its tests. Hand-made sentences."""

from __future__ import annotations

import pytest

pytest.importorskip("text_to_num")

from caravana.news.numbers import find_numbers  # noqa: E402


def _read(text: str, language: str) -> list[tuple]:
    return [(n.value, text[n.start:n.end]) for n in find_numbers(text, language)]


@pytest.mark.parametrize(("text", "language", "value", "said"), [
    ("una decena de migrantes", "es", 10, "una decena"),
    ("una docena de personas", "es", 12, "una docena"),
    ("media docena de niños", "es", 6, "media docena"),
    ("una veintena de migrantes", "es", 20, "una veintena"),
    ("una treintena de migrantes", "es", 30, "una treintena"),
    ("a dozen migrants", "en", 12, "a dozen"),
    ("half a dozen people", "en", 6, "half a dozen"),  # not "a dozen" inside it
    ("two dozen migrants", "en", 24, "two dozen"),  # was read as 2
    ("2 dozen migrants", "en", 24, "2 dozen"),
    ("dos docenas de personas", "es", 24, "dos docenas"),
    ("tres centenares de personas", "es", 300, "tres centenares"),
    ("dos millares de migrantes", "es", 2000, "dos millares"),
    ("con mil integrantes", "es", 1000, "mil"),  # "mil" alone: Spanish says a thousand with no article
    ("unas 2, 000 personas", "es", 2000, "2, 000"),  # was 2 and 0
    ("unas 3. 000 personas", "es", 3000, "3. 000"),
])
def test_each_number_format(text, language, value, said):
    assert _read(text, language) == [(value, said)]


def test_formats_the_number_grammar_leaves_alone():
    assert _read("el día 14, 200 migrantes llegaron", "es") == [(14, "14"), (200, "200")]  # a list, not 14,200
    assert _read("dozens of people", "en") == [(30, "dozens")]  # still vague
    assert _read("decenas de migrantes", "es") == [(30, "decenas")]
    assert _read("mil 500 migrantes", "es") == [(1500, "mil 500")]  # as before
    assert _read("dos mil personas", "es") == [(2000, "dos mil")]
    assert _read("medio millar de migrantes", "es") == [(500, "medio millar")]
    assert _read("miles de migrantes", "es") == [(3000, "miles")]  # "miles" is not "mil"
    assert _read("mil.", "es") == []  # "mil" with no word after it: not read alone


def test_bounds_and_ranges_of_the_new_formats():
    found = find_numbers("entre una decena y una veintena de migrantes", "es")
    assert [(n.value, n.low, n.high) for n in found] == [(15, 10, 20)]
    more = find_numbers("more than two dozen migrants", "en")
    assert [(n.value, n.low, n.high) for n in more] == [(24, 24, None)]
