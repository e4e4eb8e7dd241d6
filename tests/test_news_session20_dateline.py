"""Session 20 (s20news): change D, a dateline the sentence splitter cut off the sentence it opens joined back
(``news/sentences.py``), a full stop and any dash ending a dateline's head, and the dateline's departure allowing its
own town named again (``news/extract.py``); switched by ``benchmarks/news_changes.py`` while judged. Hand-made
sentences; no labelled set is scored."""

from __future__ import annotations

import pytest

pytest.importorskip("pysbd")
pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana.news import sentences  # noqa: E402
from caravana.news.sentences import split_sentences  # noqa: E402
from tests.news_helpers import corridor_gazetteer, read  # noqa: E402


@pytest.fixture
def joined():
    old = sentences.JOIN_DATELINES
    sentences.JOIN_DATELINES = True
    yield
    sentences.JOIN_DATELINES = old


@pytest.fixture
def cut():
    old = sentences.JOIN_DATELINES
    sentences.JOIN_DATELINES = False
    yield
    sentences.JOIN_DATELINES = old


def _texts(text: str, language: str = "es") -> list[str]:
    found = split_sentences(text, language)
    assert all(text[s.start:s.end] == s.text for s in found)  # the spans stay the text's
    return [s.text for s in found]


@pytest.mark.parametrize(("text", "language"), [
    ("Tapachula.— La segunda caravana partió la mañana de ayer con unas 800 personas.", "es"),
    ("Juchitán, Oax. – La caravana de migrantes salió rumbo a la capital.", "es"),
    ("OAXACA, Oax. 24 de enero de 2024.- Unos 500 migrantes fueron abandonados en un parque.", "es"),
    ("CIUDAD HIDALGO, Chis., 16 de enero de 2021.- Con un reducido grupo de agentes llegaron.", "es"),
    ("TAPACHULA, Chis. (Proceso).- En la carretera sólo quedan carriolas vacías.", "es"),
    ("Tapachula, Mexico, Feb 28 (EFE).- Some 1,000 migrants left the city on foot.", "en"),
])
def test_a_dateline_cut_off_is_joined_to_its_sentence(joined, text, language):
    assert _texts(text, language) == [text]


def test_without_the_change_the_splitter_cuts_the_dateline_off(cut):
    # what the change is for: pysbd ends a sentence at the dateline's town or at a state's abbreviation
    assert _texts("Tapachula.— La segunda caravana partió ayer.") == ["Tapachula.", "— La segunda caravana partió ayer."]


@pytest.mark.parametrize(("text", "language", "pieces"), [
    # a short sentence inside a paragraph is no dateline: only the paragraph's opening piece is joined
    ("La caravana llegó a Huixtla. Descansaron. - Nadie sabe cuándo saldrán.", "es", 3),
    # an opening sentence followed by one with no dash, date or agency: left as it is
    ("Llegaron a Tapachula. La caravana sigue en el parque.", "es", 2),
    ("They arrived in Tapachula. The caravan is resting in the park.", "en", 2),
    # a long opening sentence is news, not a dateline's head, whatever follows
    ("Unos 300 migrantes salieron de Tapachula este lunes por la mañana rumbo a Huixtla con sus hijos en brazos. "
     "- Otros se quedaron.", "es", 2),
])
def test_sentences_that_are_no_dateline_are_not_joined(joined, text, language, pieces):
    assert len(_texts(text, language)) == pieces


def test_the_dateline_departure_reads_a_dateline_the_splitter_had_cut_off(joined):
    text = "Tapachula.— La segunda caravana Viacrucis Migrante partió la mañana de ayer con unas 800 personas."
    assert ("departed", "Tapachula", "2022-04-16", None) in read(corridor_gazetteer(), text, "2022-04-17")


def test_this_city_is_the_dateline_town_once_joined(joined):
    text = "TUXTLA GUTIÉRREZ.- Así partió desde anoche un grupo de casi 500 extranjeros de esta ciudad hacia Oaxaca."
    assert ("departed", "Tuxtla Gutierrez", "2024-07-27", None) in read(corridor_gazetteer(), text, "2024-07-28")


def test_without_the_change_neither_is_read(cut):
    text = "Tapachula.— La segunda caravana Viacrucis Migrante partió la mañana de ayer con unas 800 personas."
    assert not any(q == "departed" for q, *_ in read(corridor_gazetteer(), text, "2022-04-17"))


def test_the_dateline_departure_allows_the_dateline_town_named_again(joined):
    text = ("SAN PEDRO SULA, HONDURAS.- Un nutrido grupo de personas salió la noche de este miércoles desde la Gran "
            "Terminal de San Pedro Sula con rumbo a Estados Unidos.")
    assert ("departed", "San Pedro Sula", "2021-01-13", None) in read(corridor_gazetteer(), text, "2021-01-13")


def test_the_dateline_departure_still_yields_to_another_town_in_english_and_spanish(joined):
    # the caravan left another town the body names: not the dateline's town
    english = "TAPACHULA, Mexico.- About 300 migrants departed from Huixtla on Wednesday."
    found = read(corridor_gazetteer(), english, "2021-08-26", "en")
    assert not any(q == "departed" and place == "Tapachula" for q, place, *_ in found)
    spanish = "Tapachula.— Unos 300 migrantes salieron el miércoles de Huixtla."
    found = read(corridor_gazetteer(), spanish, "2021-08-26")
    assert not any(q == "departed" and place == "Tapachula" for q, place, *_ in found)
