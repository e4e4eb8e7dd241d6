"""Session 17 (s17news): ``benchmarks/news_error_stages.py`` sums several sets (``--split fresh7,fresh8``, never a
sealed one) and counts the misses at ``quantity`` by what today's extractor reads their figure as
(``quantity_read``). Hand-made sentences; no labelled set is scored."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana.news.loading import Report  # noqa: E402
from caravana.news.sentences import split_sentences  # noqa: E402
from tests.news_helpers import benchmark_module, corridor_gazetteer  # noqa: E402


@pytest.fixture(scope="module")
def stages():
    return benchmark_module("news_error_stages", "s17")


@pytest.mark.parametrize(("text", "language", "value", "read"), [
    ("Unos 3.000 migrantes salieron el lunes de Tapachula.", "es", "3000", "caravan_size"),
    ("On Monday about 3,000 migrants left Tapachula.", "en", "3000", "caravan_size"),
    ("El lunes fueron detenidos 300 migrantes en Huixtla.", "es", "300", "detained"),
    ("Unos 3.000 migrantes salieron el lunes de Tapachula.", "es", "7000", ""),  # no reading holds that figure
])
def test_quantity_read_names_what_the_rules_read_the_labels_figure_as(stages, text, language, value, read):
    import caravana.news.extract as ex

    report = Report("r.txt", text, dt.date(2022, 6, 7), language)
    with stages.Taps() as taps:
        ex.extract([report], corridor_gazetteer())
    label = {"file": "r.txt", "date": "2022-06-06", "place": "Tapachula", "quantity": "present", "value": value,
             "low": "", "high": "", "sentence": text}
    assert stages.quantity_read(label, split_sentences(text, language), taps.raw) == read


def test_several_sets_are_summed_but_never_a_sealed_one(stages, capsys, monkeypatch):
    if not stages.HELD_OUT:  # no set sealed this session (between a set's opening and the next one's): stand one in
        monkeypatch.setattr(stages, "WORK", stages.WORK - {"fresh8"})
        monkeypatch.setattr(stages, "HELD_OUT", {"fresh8"})
    sealed = sorted(stages.HELD_OUT)[0]  # whichever set is sealed this session
    with pytest.raises(SystemExit) as stop:
        stages.main(["--split", f"fresh7,{sealed}"])
    assert sealed in str(stop.value) and "sealed" in str(stop.value)


def test_several_sets_give_the_sum_of_their_reports_and_labels(stages, capsys, monkeypatch):
    """``--split fresh7,fresh8``'s first line counts the reports and labels of both sets (review 1-s17, s17news 3);
    the extractor is stood down (no proposal), as only the sets' reading is under test."""
    import csv

    data = stages.ROOT / "tests" / "data" / "news"
    with (data / "reports.csv").open(newline="", encoding="utf-8") as fh:
        split_of = {r["file"]: r["split"] for r in csv.DictReader(fh) if r["split"] in ("fresh7", "fresh8")}
    with (data / "labels.csv").open(newline="", encoding="utf-8") as fh:
        labels = [r for r in csv.DictReader(fh) if r["file"] in split_of]
    assert {"fresh7", "fresh8"} <= set(split_of.values())  # both sets hold reports: a sum, not one set
    monkeypatch.setattr(stages.ex, "extract", lambda reports, gazetteer, model=None: [])
    stages.main(["--split", "fresh7,fresh8"])
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"split fresh7,fresh8: {len(split_of)} reports, {len(labels)} labels;")
    assert f"0 matches, 0 false proposals, {len(labels)} missed labels" in first


@pytest.mark.parametrize("name", ["fresh77", "Fresh7", "fresh7 "])
def test_an_unknown_or_misspelt_set_is_refused_not_dropped(stages, name):
    """A name that is no development set stops the run (it was silently dropped from the sum before)."""
    with pytest.raises(SystemExit) as stop:
        stages.main(["--split", f"fresh8,{name}"])
    assert name in str(stop.value) and "unknown" in str(stop.value)
