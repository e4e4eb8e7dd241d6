"""Session 13 (s13open), change K: a figure ``extract._is_count`` rejects (no people noun nor count phrase) is
read as a count would be and kept BELOW the review threshold, reading "uncounted", for the rescorer to weigh;
the rules' rows at >= 0.5 do not change."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana.news.extract import UNCOUNTED, extract_report  # noqa: E402
from caravana.news.loading import Report  # noqa: E402
from caravana.news.rescore import features  # noqa: E402
from tests.news_helpers import corridor_gazetteer, read  # noqa: E402


def _proposals(text, language="es"):
    return extract_report(Report("r.txt", text, dt.date(2022, 3, 9), language), corridor_gazetteer())


def test_a_figure_with_no_people_noun_is_kept_below_the_threshold_as_uncounted():
    # "almas" is no people noun of the rules: the figure was dropped before session 13 (fresh7's cadenapolitica)
    text = "Alrededor de 1,500 almas, un mosaico de nacionalidades, avanzan agotadas este martes hacia Huixtla."
    found = [p for p in _proposals(text) if p.value == 1500.0]
    assert found and all(p.reading == "uncounted" and p.confidence <= UNCOUNTED for p in found)
    assert not any(row[3] == 1500.0 for row in read(corridor_gazetteer(), text))  # nothing at >= 0.5
    f = features(found[0], found)
    assert f["uncounted"] == 1.0 and f[f"q={found[0].quantity.value}&uncounted"] == 1.0
    assert f["uncounted&words"] == 0.0 and "alternative" not in f


def test_a_count_of_people_is_not_uncounted_and_a_repeat_is_not_added():
    found = _proposals("Unos 1.500 migrantes salieron este martes de Tapachula. Alrededor de 1.500 almas, un mosaico de nacionalidades, avanzan agotadas.")
    assert [p.reading for p in found if p.value == 1500.0] == ["rules"]  # the second figure repeats the first


def test_a_unit_is_still_cut_outright():
    found = _proposals("La caravana caminó 40 kilómetros este martes desde Tapachula.")
    assert not any(p.value == 40.0 for p in found)
