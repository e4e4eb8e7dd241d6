"""The distractor filter names the check that cut a count (``distractors.why_not_rule``, session 12), so
``benchmarks/news_error_stages.py --cuts`` can count each check's wrong and right cuts; ``why_not`` still gives
only the kind. Sentences made up for the test."""

from __future__ import annotations

import pytest

from caravana.news.distractors import why_not, why_not_rule
from caravana.news.textnorm import fold


def _check(sentence: str, figure: str, value: float, event: bool = False):
    folded = fold(sentence)
    start = folded.index(figure)
    args = (folded, start, start + len(figure), value, figure.isdigit(), [], 2023, event, sentence)
    return why_not(*args), why_not_rule(*args)


@pytest.mark.parametrize("sentence, figure, value, kind, check", [
    ("Caminaron 15 días hasta la frontera.", "15", 15, "unit", "noun (dias)"),
    ("The caravan walked 300 kilometers in a week.", "300", 300, "unit", "symbol"),
    ("Unos 400 policías bloquearon la carretera.", "400", 400, "police", "police noun"),
    ("Among them, 200 children slept at the shelter.", "200", 200, "part", "subgroup noun"),
    ("The shelter has capacity for 500 people.", "500", 500, "capacity", "capacity"),
    ("Se espera que 3000 migrantes lleguen a Tapachula.", "3000", 3000, "future", "future word (se espera)"),
    ("Unos 3000 migrantes caminarán hacia Huixtla.", "3000", 3000, "future", "future tense"),
    ("Some 60000 migrants crossed the country last decade.", "60000", 60000, "statistic", "larger than a caravan"),
])
def test_the_check_that_cut_a_count_is_named_and_the_kind_is_unchanged(sentence, figure, value, kind, check):
    assert _check(sentence, figure, value) == (kind, (kind, check))


def test_a_count_no_check_cuts_has_no_reason():
    assert _check("Unos 3000 migrantes salieron de Tapachula el lunes.", "3000", 3000) == (None, None)


def test_error_stages_name_the_cut_check_and_leave_the_extractor_as_it_was():
    """``news_error_stages.py``'s taps (``--cuts``, ``--first-reads``) name the distractor check or the day check that
    dropped a label's figure, and put every tapped function back."""
    import datetime as dt
    import importlib.util
    import sys
    from pathlib import Path

    import caravana.news.extract as ex
    from caravana import load_scenario
    from caravana.news.loading import Report
    from caravana.news.places import Gazetteer
    from caravana.news.sentences import split_sentences

    benchmarks = Path(__file__).resolve().parents[1] / "benchmarks"
    sys.path.insert(0, str(benchmarks))
    try:
        spec = importlib.util.spec_from_file_location("news_error_stages_s12", benchmarks / "news_error_stages.py")
        stages = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(stages)
    finally:
        sys.path.remove(str(benchmarks))
    gazetteer = Gazetteer.from_scenario(load_scenario("corridor"))
    before = ex._is_count, ex.why_not, ex._Context.proposals, ex._Context._date, ex._Context._in_a_past_period, \
        ex._Context._superseded
    text = "Se espera que unos 3.000 migrantes lleguen a Tapachula. Unos 800 migrantes llegaron a Huixtla el lunes."
    report = Report("r.txt", text, dt.date(2022, 6, 7), "es")
    with stages.Taps() as taps:
        every = ex.extract([report], gazetteer)
    assert (ex._is_count, ex.why_not, ex._Context.proposals, ex._Context._date, ex._Context._in_a_past_period,
            ex._Context._superseded) == before
    sentences = split_sentences(text, "es")
    label = {"file": "r.txt", "date": "2022-06-07", "place": "Tapachula", "quantity": "present", "value": "3000",
             "sentence": sentences[0].text}
    assert stages.miss_stage(label, sentences, report, taps, taps.raw, every, gazetteer, detail=True) \
        == "distractor filter: future: future word (se espera)"
    assert stages.miss_stage(label, sentences, report, taps, taps.raw, every, gazetteer) == "distractor filter: future"
