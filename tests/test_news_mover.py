"""The learned movement proposer of `caravana news extract --moves` (news/mover.py): its candidates
(every town a sentence names, both readings, each day the sentence could mean), what it proposes
with a model, what it leaves to the rules, its training examples (sentence-anchored labels) and the
shipped model."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana.news.extract import extract  # noqa: E402
from caravana.news.loading import Report  # noqa: E402
from caravana.news.mover import MIN_SHOWN, MODEL_FILE, candidates, load_mover, propose  # noqa: E402
from caravana.news.rescore import FORMAT, model_from_dict  # noqa: E402
from caravana.observations import Quantity  # noqa: E402
from tests.news_helpers import corridor_gazetteer  # noqa: E402

DAY = dt.date(2021, 10, 26)  # a Tuesday
TEXT = ("Cientos de migrantes reiniciaron este sábado su trayecto desde el municipio de Huixtla hacia Mapastepec. "
        "Otros se quedaron en Tapachula.")


def model(**coefficients):
    names = list(coefficients)
    return model_from_dict({"format": FORMAT, "features": names, "coefficients": [coefficients[n] for n in names],
                            "intercept": -3.0})


def test_candidates_are_both_readings_of_every_town_on_each_day_the_sentence_may_mean():
    found = candidates(Report("r.txt", TEXT, DAY, "es"), corridor_gazetteer())
    first = [c for c in found if c.sentence.start == 0]
    assert {c.place for c in first} == {"Huixtla", "Mapastepec"}
    assert {c.quantity for c in first} == {Quantity.arrived, Quantity.departed}
    assert {c.date for c in first} == {DAY, dt.date(2021, 10, 23)}  # the publication day and "este sábado"
    saturday = next(c for c in first if c.date == dt.date(2021, 10, 23) and c.place == "Huixtla"
                    and c.quantity is Quantity.departed)
    assert saturday.dated and saturday.features["departed&day=stated"] == 1.0
    assert saturday.features["departed&w=prev:de"] == 1.0 and "departed&w=prev:hacia" not in saturday.features
    # the second sentence's paragraph stated Saturday: Tapachula may be that day too
    assert {c.date for c in found if c.place == "Tapachula"} == {DAY, dt.date(2021, 10, 23)}


def test_propose_takes_the_most_probable_day_and_leaves_what_the_rules_hold():
    report = Report("r.txt", TEXT, DAY, "es")
    gazetteer = corridor_gazetteer()
    departs = model(**{"departed&w=prev:de": 4.0, "departed&day=stated": 1.0, "q=departed": 0.5})
    found = propose(report, gazetteer, departs, [])
    assert [(p.quantity, p.place, p.date, p.value, p.reading) for p in found] == [
        (Quantity.departed, "Huixtla", dt.date(2021, 10, 23), None, "mover")]
    assert found[0].confidence >= MIN_SHOWN and found[0].evidence == "Huixtla" and found[0].sentence.startswith("Cientos")
    # the rules already propose it (a day apart, at any confidence): nothing to add
    held = [found[0].__class__(**{**found[0].__dict__, "date": dt.date(2021, 10, 24), "confidence": 0.2,
                                  "reading": "rules"})]
    assert propose(report, gazetteer, departs, held) == []
    # below MIN_SHOWN: not proposed
    assert propose(report, gazetteer, model(**{"q=departed": 1.0}), []) == []
    # a higher cut (news_crossval.py --cut-by-loso) drops a row the default cut keeps (its probability is 0.92)
    assert propose(report, gazetteer, departs, [], cut=0.95) == [] and propose(report, gazetteer, departs, [], cut=0.9)


def test_the_shipped_model_adds_only_movements_to_the_rules_rows():
    mover = load_mover()
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT and data["examples"] > data["positives"] > 0 and not data["chooser"]
    gazetteer = corridor_gazetteer()
    reports = [Report("r.txt", "The caravan of about 3,000 migrants reached Tapachula on Saturday. Hundreds started "
                              "out walking from the city of Huixtla on Monday.", DAY, "en")]
    rules = extract(reports, gazetteer)
    both = extract(reports, gazetteer, mover=mover)
    added = [p for p in both if p not in rules]
    assert added, "the shipped model reads no movement beyond the rules' in these sentences"
    assert [p for p in both if p in rules] == rules
    assert all(p.value is None and p.reading == "mover" and p.confidence >= MIN_SHOWN for p in added)
    assert extract(reports, gazetteer, mover=mover) == both  # deterministic


def test_training_examples_are_right_only_where_a_label_quotes_their_sentence():
    from caravana.news.train import mover_examples

    report = Report("r.txt", TEXT, DAY, "es")
    label = {"file": "r.txt", "date": "2021-10-23", "place": "Huixtla", "quantity": "departed", "value": "",
             "low": "", "high": "", "sentence": "Cientos de migrantes reiniciaron este sábado su trayecto desde el "
                                                "municipio de Huixtla hacia Mapastepec."}
    rows = [{"file": "r.txt", "caravan": "c"}]
    found = mover_examples(rows, {"r.txt": report}, [label], corridor_gazetteer())
    right = [e for e in found if e.label]
    assert right and all(e.proposal.place == "Huixtla" and e.proposal.quantity is Quantity.departed for e in right)
    elsewhere = {**label, "sentence": "Another sentence of the report, which also says it."}
    assert not any(e.label for e in mover_examples(rows, {"r.txt": report}, [elsewhere], corridor_gazetteer()))


def test_the_shipped_movement_model_is_what_the_training_script_rebuilds():
    pytest.importorskip("sklearn")
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    run = subprocess.run([sys.executable, str(root / "tools" / "train_news_rescorer.py"), "--mover", "--check"],
                         capture_output=True, text=True, cwd=root)
    assert run.returncode == 0, run.stdout + run.stderr
