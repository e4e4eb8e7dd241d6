"""Session 14 (s14news): ``news_error_stages.py --first-reads --false --cues`` counts the cues of another time or
caravan on the first readings' false and right proposals, movements and counts apart; ``--first-reads`` puts each
movement no first-read proposal reaches in the stage of today's extractor that loses it. Hand-made reports and
data; no labelled set is scored."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from tests.news_helpers import benchmark_module  # noqa: E402

HEAD = "set,commit,file,date,place,quantity,value,low,high,confidence,sentence,start,end,evidence,language,published,dated"


def _write(path: Path, name: str, header: str, rows: list[str]) -> None:
    (path / name).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def _row(file, date, place, quantity, value, sentence, evidence, text):
    start = text.index(sentence)
    return f"fresh7,abc,{file},{date},{place},{quantity},{value},,,0.9,{sentence},{start},{start + len(sentence)}," \
           f"{evidence},es,2022-11-09,True"


def test_time_cues_on_false_and_right_proposals(tmp_path, capsys):
    stages = benchmark_module("news_error_stages", "s14")
    right = "Unos 500 migrantes llegaron el domingo a Huixtla."
    month = "La caravana salió de Tapachula en octubre."  # its clause's month does not hold the publication day
    old = "Una caravana de 3000 personas salió el 2 de octubre."  # a count a month back
    text = f"{right}\n\n{month}\n\n{old}"
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    _write(tmp_path, "reports.csv", "file,published,url,language,caravan,split", ["r.txt,2022-11-09,,es,x,fresh7"])
    _write(tmp_path, "labels.csv", "file,date,place,quantity,value,low,high,sentence",
           [f"r.txt,2022-11-06,Huixtla,present,500,,,{right}"])
    _write(tmp_path, "distractors.csv", "file,number,kind,sentence", [])
    _write(tmp_path, "first.csv", HEAD, [
        _row("r.txt", "2022-11-06", "Huixtla", "present", 500, right, "500", text),
        _row("r.txt", "2022-11-09", "Tapachula", "departed", "", month, "Tapachula", text),
        _row("r.txt", "2022-10-02", "", "caravan_size", 3000, old, "3000", text)])
    args = argparse.Namespace(data=tmp_path, sets="fresh7", list=False, min_confidence=0.5, loso=False, cues=True,
                              first_reads_file=tmp_path / "first.csv")
    stages.first_read_falses(args)
    out = capsys.readouterr().out
    assert "(movements 1 / 0, counts 1 / 1)" in out
    rows = {line[:58].strip(): line[58:].split() for line in out.splitlines() if line.startswith("  ")}
    assert rows["E1: a month or year of its clause not holding its day"] == ["1/0", "0/0"]
    assert rows["E2 as applied (counts only)"] == ["0/0", "1/0"]
    assert rows["a day over 7 days from publication in its sentence"] == ["0/0", "1/0"]
    assert rows["in the lead (first 800 characters)"] == ["1/0", "1/1"]
    assert "last year in its sentence" not in rows


def test_a_month_is_a_time_a_day_of_it_is_not():
    cues = benchmark_module("news_time_cues", "s14")
    published = dt.date(2022, 11, 9)
    spans = cues._spans("Salieron del parque 5 de mayo en octubre, y desde junio de 2021 esperan.", published, "es")
    assert [(first.isoformat(), last.isoformat()) for _, _, first, last in spans] == [
        ("2022-10-01", "2022-10-31"), ("2021-06-01", "2021-06-30")]  # "5 de mayo" is a day, not a month
    assert cues._spans("In December 20 migrants left.", published, "en") == []  # "December 20" is a day
    assert [s[2].year for s in cues._spans("They left in December.", published, "en")] == [2021]  # the latest


def test_first_reads_movements_never_proposed_by_todays_stage(tmp_path, capsys, monkeypatch):
    stages = benchmark_module("news_error_stages", "s14")
    import news_crossval  # noqa: PLC0415 (loaded by news_error_stages from benchmarks/)

    unread = "Los migrantes emprendieron su travesía rumbo al norte el lunes."  # no town in it
    read = "La caravana salió el lunes de Tapachula."
    (tmp_path / "r.txt").write_text(f"{unread}\n\n{read}", encoding="utf-8")
    _write(tmp_path, "reports.csv", "file,published,url,language,caravan,split", ["r.txt,2022-11-09,,es,x,fresh7"])
    _write(tmp_path, "labels.csv", "file,date,place,quantity,value,low,high,sentence",
           [f"r.txt,2022-11-07,Huixtla,departed,,,,{unread}", f"r.txt,2022-11-07,Tapachula,departed,,,,{read}"])
    _write(tmp_path, "first.csv", HEAD, [])  # the first reading proposed nothing
    monkeypatch.setattr(news_crossval, "FIRST_READS", tmp_path / "first.csv")
    args = argparse.Namespace(data=tmp_path, sets="fresh7", list=True)
    stages.first_read_losses(args, stages.Gazetteer.from_scenario(stages.load_scenario("corridor")))
    out = capsys.readouterr().out
    assert "a movement never proposed at its place and day        2" in out
    assert "place not in sentence" in out.split("the movements never proposed (2)")[1].split("\n\n")[0]
    assert "today's rules propose it" in out.split("the movements never proposed (2)")[1].split("\n\n")[0]
