"""Readings of `caravana news extract` added in session 7's second round (s7news2), studied on the
opened fresh7 set and the rest of `open`; fresh8 sealed. Sentences made up for the test; each test also
shows what must not be read. Reports are dated Wednesday 9 March 2022."""

from __future__ import annotations

import pytest

pytest.importorskip("dateparser")
pytest.importorskip("text_to_num")
pytest.importorskip("rapidfuzz")

from caravana.news.document import one_count  # noqa: E402
from tests.news_helpers import read  # noqa: E402


def test_two_sources_far_apart_are_two_counts_not_one_range(gazetteer):
    # C3 merges two sources' readings of one count; 500 and 5,000 are not readings of one count
    rows = read(gazetteer, "The caravan left on Monday with some 500 people, according to the government, while "
                           "organizers said 5,000.", language="en")
    assert not any(r[3] == 2750.0 for r in rows)
    rows = read(gazetteer, "The caravan left on Monday with some 3,500 people, according to the government, while "
                           "organizers said 7,000.", language="en")
    assert ("caravan_size", "", "2022-03-07", 5250.0) in rows
    assert one_count(3500, 7000) and not one_count(50, 800)


def test_a_few_people_are_not_a_caravans_size(gazetteer):
    rows = read(gazetteer, "El miércoles unos 30 migrantes de la caravana alcanzaron acuerdos con el INM.")
    assert not any(r[0] == "caravan_size" for r in rows)


def test_a_detention_is_counted_where_the_acting_authorities_are(gazetteer):
    rows = read(gazetteer, "Around 300 people who were part of the caravan that left San Pedro Sula, Honduras on "
                           "Saturday, were detained by Guatemalan authorities.", language="en")
    assert ("detained", "GT", "2022-03-05", 300.0) in rows
    assert not any(r[0] == "detained" and r[1] == "HN" for r in rows)
    rows = read(gazetteer, "Members of the National Guard arrested around 800 members of the caravan on Monday "
                           "along the southern border with Guatemala.", language="en")
    assert ("detained", "MX", "2022-03-07", 800.0) in rows
