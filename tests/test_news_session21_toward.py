"""Session 21's change H (s21open22; ``news/movement.py``'s ``FROM_AFTER_TOWARD``, OFF until judged by its keep rule):
an origin named after the destination is still the origin ("partieron ... hacia Estados Unidos desde la ciudad de San
Pedro Sula"). Sentences written for the test; no labelled set is scored."""

from __future__ import annotations

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from tests.news_helpers import corridor_gazetteer, read  # noqa: E402


@pytest.fixture
def change_h(monkeypatch):
    from caravana.news import movement

    monkeypatch.setattr(movement, "FROM_AFTER_TOWARD", True)


def _departures(text, language="es"):
    return {(place, day) for quantity, place, day, value in read(corridor_gazetteer(), text, "2025-01-08", language)
            if quantity == "departed"}


@pytest.mark.parametrize(("text", "language", "place", "day"), [
    ("Unos 200 hondureños partieron este martes en caravana hacia Estados Unidos desde la ciudad de San Pedro Sula.",
     "es", "San Pedro Sula", "2025-01-07"),
    ("Una caravana de migrantes salió el martes con destino a los Estados Unidos desde el municipio de Tapachula.",
     "es", "Tapachula", "2025-01-07"),
    ("The caravan left on Tuesday toward the United States from Tapachula.", "en", "Tapachula", "2025-01-07"),
])
def test_an_origin_after_the_destination_is_read_with_h_only(text, language, place, day, monkeypatch):
    assert (place, day) not in _departures(text, language)  # the extractor as shipped: the destination phrase vetoes
    from caravana.news import movement

    monkeypatch.setattr(movement, "FROM_AFTER_TOWARD", True)
    assert (place, day) in _departures(text, language)


@pytest.mark.parametrize("text", [
    "La caravana salió el martes hacia Huixtla.",  # the destination, no origin
    "La caravana salió el martes hacia Huixtla desde hace una semana.",  # "desde" of time: no place after it
])
def test_a_destination_is_never_read_as_the_origin(text, change_h):
    assert ("Huixtla", "2025-01-07") not in _departures(text)
