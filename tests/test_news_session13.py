"""Session 13 (s13open): ``news_error_stages.py --cuts --sets`` counts each cutting check's figures by what the
data set says they are (a label's, a listed distractor, neither) and by form; ``news_crossval.py --nested`` chooses
the rescorer's C and cut without reading the outer set. Hand-made reports and data; no labelled set is scored."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from tests.news_helpers import benchmark_module  # noqa: E402


def _module(name: str):
    return benchmark_module(name, "s13")


def _write(path: Path, name: str, header: str, rows: list[str]) -> None:
    (path / name).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def test_cuts_by_set_count_labels_distractors_and_neither_by_form(tmp_path, capsys):
    stages = _module("news_error_stages")
    label_sentence = "Otros 113 arribaron el miércoles a Tapachula."  # no people noun: "not a count", a label's
    distractor_sentence = "La caravana caminó 40 kilómetros el martes."  # a unit, listed as a distractor
    text = f"{label_sentence}\n{distractor_sentence}\nUn centenar esperaba ayer."  # "centenar": cut, neither
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    (tmp_path / "s.txt").write_text("Unos 500 ciudadanos salieron.", encoding="utf-8")  # another set: not read
    _write(tmp_path, "reports.csv", "file,published,url,language,caravan,split",
           ["r.txt,2022-06-09,,es,x,fresh7", "s.txt,2022-06-09,,es,y,fresh8"])
    _write(tmp_path, "labels.csv", "file,date,place,quantity,value,low,high,sentence",
           [f"r.txt,2022-06-08,Tapachula,arrived,113,,,{label_sentence}",
            "s.txt,2022-06-09,,departed,500,,,Unos 500 ciudadanos salieron."])
    _write(tmp_path, "distractors.csv", "file,number,kind,sentence", [f"r.txt,40,distance,{distractor_sentence}"])
    args = argparse.Namespace(data=tmp_path, split="open", sets="fresh7", list=True, list_all=False)
    stages.cut_precision(args, stages.Gazetteer.from_scenario(stages.load_scenario("corridor")))
    out = capsys.readouterr().out
    assert out.startswith("fresh7: 1 reports")
    table = [line.split("  <-")[0].split() for line in out.splitlines()[2:8]]
    assert table == [["not", "a", "count:", "no", "people", "noun", "or", "count", "phrase", "1", "0", "1"],
                     ["digits", "1", "0", "0"],  # the label's 113
                     ["words", "0", "0", "1"],  # "un centenar", nobody's
                     ["distractor", "filter:", "unit:", "noun", "(kilometros)", "0", "1", "0"],
                     ["digits", "0", "1", "0"],
                     ["all", "checks", "1", "1", "1"]]
    assert "WRONG CUT not a count: no people noun or count phrase" in out and "arrived Tapachula 113" in out
    assert "ciudadanos" not in out  # fresh8's report is not read


def test_nested_choice_never_reads_the_outer_set(monkeypatch):
    cv = _module("news_crossval")
    read = []
    monkeypatch.setattr(cv, "fit", lambda train, words=False, c=1.0: {"c": c})
    monkeypatch.setattr(cv, "model_from_dict", lambda d: d)
    monkeypatch.setattr(cv, "rescore", lambda found, model: read.extend(found) or [])
    monkeypatch.setattr(cv, "score", lambda kept, labels: ([], [], [1]))
    rows = [{"file": f"{s}.txt", "split": s} for s in cv.LOSO_SETS]
    found = {r["file"]: [r["file"]] for r in rows}
    c, cut = cv.nested_choice({"fresh9"}, rows, [], found, [])
    assert "fresh9.txt" not in read and set(read) == {f"{s}.txt" for s in cv.LOSO_SETS if s != "fresh9"}
    assert (c, cut) == (1.0, 0.5)  # every choice ties at F1 0: C nearest 1, the cut nearest 0.5


def test_first_reads_false_proposals_by_kind_with_cue_words(tmp_path, capsys):
    """s13prec: ``--first-reads --false`` sorts a first reading's false proposals at 0.5 by kind (a listed distractor,
    a figure under another quantity named as the label's <- the reading's, no label) and shows the words around
    each figure; proposals below 0.5 and other sets are not read."""
    stages = _module("news_error_stages")
    right = "Unos 500 migrantes salieron el lunes de Tapachula."
    stat = "En lo que va del año 9000 migrantes fueron deportados."
    size = "La caravana de 2000 migrantes descansa hoy en Huixtla."
    _write(tmp_path, "reports.csv", "file,published,url,language,caravan,split",
           ["r.txt,2022-06-09,,es,x,fresh7", "s.txt,2022-06-09,,es,y,fresh8"])
    _write(tmp_path, "labels.csv", "file,date,place,quantity,value,low,high,sentence",
           [f"r.txt,2022-06-06,Tapachula,departed,500,,,{right}", f"r.txt,2022-06-09,Huixtla,present,2000,,,{size}"])
    _write(tmp_path, "distractors.csv", "file,number,kind,sentence", [f"r.txt,9000,statistic,{stat}"])
    head = "set,commit,file,date,place,quantity,value,low,high,confidence,sentence,start,end,evidence,language," \
           "published,dated"

    def row(split, file, date, place, quantity, value, confidence, sentence, evidence):
        return f"{split},abc,{file},{date},{place},{quantity},{value},,,{confidence},{sentence},0,{len(sentence)}," \
               f"{evidence},es,2022-06-09,True"

    _write(tmp_path, "first.csv", head, [
        row("fresh7", "r.txt", "2022-06-06", "Tapachula", "departed", 500, 0.9, right, "500"),
        row("fresh7", "r.txt", "2022-06-09", "MX", "deported", 9000, 0.9, stat, "9000"),
        row("fresh7", "r.txt", "2022-06-09", "Huixtla", "caravan_size", 2000, 0.8, size, "2000"),
        row("fresh7", "r.txt", "2022-06-09", "Huixtla", "dead", 7, 0.3, size, "2000"),  # below 0.5: not read
        row("fresh8", "s.txt", "2022-06-09", "", "departed", 40, 0.9, "Unos 40 ciudadanos salieron.", "40")])
    args = argparse.Namespace(data=tmp_path, sets="fresh7", list=True, min_confidence=0.5, loso=False, cues=False,
                              first_reads_file=tmp_path / "first.csv")
    stages.first_read_falses(args)
    out = capsys.readouterr().out
    assert "proposals (their own confidence) at >= 0.5: 3, 1 right, 2 false" in out
    assert "count: distractor filter: statistic" in out
    assert "count: quantity: present read as caravan_size" in out
    assert "del ano [9000] migrantes fueron deportados" in out  # the words either side, folded
    assert "ciudadanos" not in out and "dead" not in out


def test_first_reads_false_loso_model_never_trained_on_its_set(tmp_path, monkeypatch):
    """s13prec: ``--false --loso`` re-scores each set's first reading by a model trained on the other sets' reports
    only (the ``open`` recipe of ``news_crossval.py --by-set``)."""
    import caravana.news.train as train

    stages = _module("news_error_stages")
    for name, text in (("a.txt", "Unos 500 migrantes salieron el lunes de Tapachula."),
                       ("b.txt", "Unos 300 migrantes llegaron el martes a Huixtla.")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    _write(tmp_path, "reports.csv", "file,published,url,language,caravan,split",
           ["a.txt,2022-06-09,,es,x,fresh7", "b.txt,2022-06-09,,es,y,fresh8"])
    _write(tmp_path, "labels.csv", "file,date,place,quantity,value,low,high,sentence", [])
    seen = []

    def fake_fit(train_examples, words=True):
        seen.append({e.file for e in train_examples})
        return {"format": "caravana-news-rescorer", "features": [], "coefficients": [], "intercept": 0.0}

    monkeypatch.setattr(train, "fit", fake_fit)
    out = stages._rescored_loso(tmp_path, {}, ["fresh7", "fresh8"])
    assert seen == [{"b.txt"}, {"a.txt"}]  # fresh7's model read fresh8's report only, and back
    assert set(out) == {"a.txt", "b.txt"}


@pytest.mark.parametrize("breakdown", ["first_read_losses", "first_read_falses"])
def test_first_reads_refuse_a_set_outside_the_development_sets(tmp_path, breakdown, monkeypatch):
    """``--first-reads`` takes only development sets (``WORK``, an allowlist): a set not in it, sealed but not yet
    listed in ``HELD_OUT`` or misspelt, is refused before any file is read (review 2, 4.1)."""
    stages = _module("news_error_stages")
    monkeypatch.setattr(stages, "WORK", stages.WORK - {"fresh7"})  # fresh7 as if sealed but not yet in HELD_OUT
    assert "fresh7" not in stages.HELD_OUT
    args = argparse.Namespace(data=tmp_path, sets="fresh8,fresh7", list=False, min_confidence=0.5, loso=False, cues=False,
                              first_reads_file=tmp_path / "missing.csv")
    with pytest.raises(SystemExit, match="fresh7 is sealed or unknown"):
        getattr(stages, breakdown)(args, None) if breakdown == "first_read_losses" else stages.first_read_falses(args)
