"""Session 15 (s15news), change R: where a proposal sits in its report, as features of the rescorer
(news/rescore.py ``structure``): its sentence's rank among the figures' sentences, whether an earlier
figure named its place, how many other figures share its sentence."""

from __future__ import annotations

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana.news.rescore import features, structure  # noqa: E402
from caravana.observations import Quantity  # noqa: E402
from tests.test_news_rescore import proposal  # noqa: E402

SENTENCE = "Unos 3.000 migrantes llegaron a Tapachula y 200 a Huixtla."


def report():
    lead = proposal(start=0, place="")
    two = [proposal(value=3000.0, quantity=Quantity.present, place="Tapachula", evidence="Unos 3.000",
                    sentence=SENTENCE, start=300),
           proposal(value=200.0, quantity=Quantity.present, place="Huixtla", evidence="200", sentence=SENTENCE,
                    start=300)]
    later = proposal(value=5000.0, quantity=Quantity.present, place="Tapachula", evidence="5.000", start=900)
    return [lead, *two, later]


def test_the_rank_of_the_sentence_among_the_figures_sentences():
    lead, first, second, later = report()
    rules = report()
    assert structure(lead, rules)["order"] == 0.0 and structure(lead, rules)["late"] == 0.0
    assert structure(first, rules)["order"] == pytest.approx(0.5) and structure(first, rules)["late"] == 0.0
    assert structure(later, rules)["order"] == 1.0 and structure(later, rules)["late"] == 1.0
    alone = proposal(start=500)
    assert structure(alone, [alone])["order"] == 0.0  # one sentence: first, not late


def test_a_place_named_by_an_earlier_figure_is_named_again():
    lead, first, second, later = rules = report()
    assert "place_first" not in structure(lead, rules) and "place_again" not in structure(lead, rules)  # no place
    assert structure(first, rules)["place_first"] == 1.0 and structure(second, rules)["place_first"] == 1.0
    assert structure(later, rules)["place_again"] == 1.0 and "place_first" not in structure(later, rules)


def test_the_other_figures_of_the_sentence_are_counted():
    lead, first, second, later = rules = report()
    assert structure(first, rules)["shared_sentence"] == pytest.approx(1 / 3)
    assert structure(lead, rules)["shared_sentence"] == 0.0
    # two readings of ONE figure are not two figures
    twice = [first, proposal(value=3000.0, quantity=Quantity.caravan_size, evidence="Unos 3.000", sentence=SENTENCE,
                             start=300)]
    assert structure(first, twice)["shared_sentence"] == 0.0


def test_the_rescorer_sees_the_structure_and_ignores_other_readings():
    rules = report()
    f = features(rules[3], rules, words=False)
    assert f["order"] == 1.0 and f["place_again"] == 1.0
    from dataclasses import replace

    alternative = replace(rules[0], start=2000, reading="alternative")  # not one of the report's figures
    assert features(rules[3], [*rules, alternative], words=False)["order"] == 1.0
