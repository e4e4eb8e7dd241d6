"""Session 12 (s12news): where the labels no first reading reaches are (benchmarks/news_crossval.py
``where_out_of_reach``), on a small hand-made report (no labelled set is scored here)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from caravana import load_scenario
from caravana.news.places import Gazetteer

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _crossval():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location("news_crossval_s12", BENCHMARKS / "news_crossval.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCHMARKS))


def _label(sentence, quantity, place="", value=""):
    return {"file": "r.txt", "date": "2024-01-10", "place": place, "quantity": quantity, "value": value,
            "low": "", "high": "", "sentence": sentence}


def test_the_reach_breakdown_says_where_each_unreached_label_is(tmp_path, capsys):
    cv = _crossval()
    text = ("Huixtla.- La caravana guarda luto por uno de sus integrantes.\n"
            "Los migrantes durmieron en Tapachula. Al amanecer partió otro grupo de 400 personas.\n"
            "Unos 1.500 hondureños esperan en la frontera.")
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    (tmp_path / "reports.csv").write_text("file,published,url,language\nr.txt,2024-01-10,,es\n", encoding="utf-8")
    labels = [
        # the splitter cuts "Huixtla." off its news: no reading of that sentence can reach the label
        _label("Huixtla.- La caravana guarda luto por uno de sus integrantes.", "dead", "", "1"),
        # a departure whose town is the sentence before's, with a verb of setting off
        _label("Al amanecer partió otro grupo de 400 personas.", "departed", "Tapachula"),
        # a figure no proposal holds, written in digits
        _label("Unos 1.500 hondureños esperan en la frontera.", "present", "", "1500"),
    ]
    gazetteer = Gazetteer.from_scenario(load_scenario("corridor"))
    cv.where_out_of_reach({"r.txt": []}, labels, tmp_path, [{"file": "r.txt"}], gazetteer)
    out = capsys.readouterr().out
    assert "its sentence cut by the splitter 1" in out
    assert "the sentence before, verb 1" in out
    assert "digits 1" in out.split("makes of them:")[1]


def test_a_label_whose_figure_was_proposed_under_another_reading_is_left_to_the_other_kinds(tmp_path, capsys):
    import datetime as dt

    from caravana.news.extract import Proposal
    from caravana.observations import Quantity

    cv = _crossval()
    sentence = "Unos 1.500 hondureños esperan en la frontera."
    (tmp_path / "r.txt").write_text(sentence, encoding="utf-8")
    (tmp_path / "reports.csv").write_text("file,published,url,language\nr.txt,2024-01-10,,es\n", encoding="utf-8")
    day = dt.date(2024, 1, 10)
    other = Proposal("r.txt", day, "", Quantity.caravan_size, 1500.0, None, None, 0.9, sentence, 0, len(sentence),
                     language="es", published=day, evidence="1.500")
    gazetteer = Gazetteer.from_scenario(load_scenario("corridor"))
    cv.where_out_of_reach({"r.txt": [other]}, [_label(sentence, "present", "", "1500")], tmp_path,
                          [{"file": "r.txt"}], gazetteer)
    out = capsys.readouterr().out
    assert out.rstrip().endswith("what the number finder makes of them:")  # no figure counted


def test_why_the_proposer_loses_a_movement_names_its_rival_and_the_cut(monkeypatch, capsys):
    """s12move: ``news_crossval.py --moves --why`` on a hand-made report and a fixed model (no training): a
    label the proposer takes, one under the cut below another town's reading of its sentence, one whose
    sentence names another town only, one whose sentence names none; and a false proposal's kind."""
    import datetime as dt

    from caravana.news.loading import Report
    from caravana.news.rescore import FORMAT
    from caravana.news.train import mover_examples

    cv = _crossval()
    coefficients = {"departed&w=prev:de": 4.0, "departed&day=stated": 1.0, "q=departed": 0.5}
    monkeypatch.setattr(cv, "fit", lambda *a, **k: {"format": FORMAT, "features": list(coefficients),
                                                    "coefficients": list(coefficients.values()), "intercept": -3.0})
    text = ("Cientos de migrantes reiniciaron este sábado su trayecto desde el municipio de Huixtla hacia Mapastepec. "
            "Otros se quedaron en Tapachula. La caravana avanzó de noche.")
    first, second, third = (s + "." for s in text.split(". "))
    third = third.rstrip(".") + "."
    reports = {"r.txt": Report("r.txt", text, dt.date(2021, 10, 26), "es")}
    rows = [{"file": "r.txt", "caravan": "B", "split": "fresh9"}]

    def label(sentence, quantity, place):
        return {"file": "r.txt", "date": "2021-10-23", "place": place, "quantity": quantity, "value": "",
                "low": "", "high": "", "sentence": sentence}

    labels = [label(first, "departed", "Huixtla"), label(first, "arrived", "Mapastepec"),
              label(second, "departed", "Mapastepec"), label(third, "departed", "Tapachula")]
    gazetteer = Gazetteer.from_scenario(load_scenario("corridor"))
    candidates = mover_examples(rows, reports, labels, gazetteer)
    cv.why_lost(rows, labels, candidates, {}, [{"B"}], reports, gazetteer)
    out = capsys.readouterr().out
    reasons = out.split("by reason: ")[1].splitlines()[0]
    assert "proposed 1" in reasons
    assert "under the cut, below another town+reading 1" in reasons
    assert "no candidate of its sentence has its town and day 1" in reasons
    assert "its sentence names no town (no candidate) 1" in reasons
    assert "false proposals on the first readings (0;" in out
    # without the departure's label the proposer's row is false: a movement of its sentence, another town and reading
    cv.why_lost(rows, labels[1:], candidates, {}, [{"B"}], reports, gazetteer)
    assert "a movement label of the sentence, another town+reading 1" in capsys.readouterr().out
