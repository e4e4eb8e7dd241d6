"""Session 11 (s11news): leave one set out in benchmarks/news_crossval.py and the error stages of
benchmarks/news_error_stages.py, on small hand-made inputs (no labelled set is scored here)."""

from __future__ import annotations

import datetime as dt

import pytest

from caravana import load_scenario
from caravana.news.loading import Report
from caravana.news.places import Gazetteer
from caravana.news.sentences import split_sentences
from tests.news_helpers import benchmark_module


def _module(name: str):
    return benchmark_module(name, "s11")


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.from_scenario(load_scenario("corridor"))


def test_leave_one_set_out_holds_out_exactly_one_set_at_a_time():
    pytest.importorskip("sklearn")
    cv = _module("news_crossval")
    rows = [{"file": f"{s}-{i}.txt", "split": s, "caravan": c}
            for i, (s, c) in enumerate([("dev", "2018-10-12"), ("fresh7", "2018-10-12"), ("fresh7", "2021-10-23"),
                                        ("fresh9", "2018-10-12"), ("fresh11", "2024-01-01")])]
    keyed = cv.by_set(rows)
    folds = cv.set_folds(keyed)
    assert len(folds) == 3  # fresh7, fresh9, fresh11: the once-sealed sets the rows hold (dev is never a fold)
    for fold in folds:
        held = {r["split"] for r in keyed if r["caravan"] in fold}
        assert len(held) == 1 and held <= set(cv.LOSO_SETS)
    # a caravan in two sets stays in training when the other set is held out
    fresh7 = next(f for f in folds if any(k.startswith("fresh7|") for k in f))
    assert "fresh9|2018-10-12" not in fresh7 and "fresh7|2018-10-12" in fresh7


def test_error_stages_name_the_stage_and_leave_the_extractor_as_it_was(gazetteer):
    stages = _module("news_error_stages")
    import caravana.news.extract as ex

    before = ex._is_count, ex.why_not, ex._Context.proposals
    text = ("Unos 3.000 migrantes salieron el lunes de Tapachula. La policía desplegó 500 agentes en la carretera. "
            "El grupo avanzó hacia Huixtla.")
    report = Report("r.txt", text, dt.date(2022, 6, 7), "es")
    with stages.Taps() as taps:
        every = ex.extract([report], gazetteer)
    assert (ex._is_count, ex.why_not, ex._Context.proposals) == before
    sentences = split_sentences(text, "es")

    def stage(**label):
        row = {"file": "r.txt", "date": "2022-06-06", "place": "", "value": "", **label}
        return stages.miss_stage(row, sentences, report, taps, taps.raw, every, gazetteer)

    assert stage(quantity="caravan_size", value="7000", sentence=sentences[0].text) == "number not found"
    assert stage(quantity="present", place="Tapachula", value="3000", sentence=sentences[0].text) == "quantity"
    assert stage(quantity="caravan_size", value="500", sentence=sentences[1].text).startswith("distractor filter")
    assert stage(quantity="departed", place="Tuxtla Gutierrez", sentence=sentences[0].text) == "place not in sentence"
