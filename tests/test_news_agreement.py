"""The second, independent hand labelling of the sealed fresh8 set (tests/data/news/agreement,
read by benchmarks/news_agreement.py) is well-formed by the same checks as labels.csv: its reports
are fresh8's, its sentences verbatim, its places the corridor scenario's, its rows valid observations."""

import csv
import datetime as dt

import pytest

import tests.test_news_dataset as dataset

SECOND = dataset.NEWS / "agreement" / "fresh8_second.csv"


@pytest.fixture(scope="module")
def second():
    with open(SECOND, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def reports():
    return {r["file"]: r for r in dataset._read("reports.csv")}


def test_same_columns_as_the_first_labelling():
    with open(SECOND, newline="", encoding="utf-8") as a, open(dataset.NEWS / "labels.csv", newline="",
                                                                encoding="utf-8") as b:
        assert next(csv.reader(a)) == next(csv.reader(b))


def test_every_row_is_on_a_fresh8_report_whose_text_exists(second, reports):
    assert second
    for row in second:
        assert reports[row["file"]]["split"] == "fresh8", row
        assert (dataset.NEWS / row["file"]).is_file(), row


def test_sentences_verbatim(second, reports):
    texts = {f: (dataset.NEWS / f).read_text(encoding="utf-8") for f in {row["file"] for row in second}}
    dataset.test_labelled_sentences_are_verbatim(second, [], texts)


def test_places_exist_in_the_corridor_scenario(second):
    dataset.test_label_places_are_corridor_places_or_countries(second)


def test_dates_plausible_and_blind_test_rule(second, reports):
    dataset.test_label_dates_are_plausible(second, reports)
    for row in second:
        if reports[row["file"]]["caravan"].startswith("2018"):
            assert dt.date.fromisoformat(row["date"]) < dataset.BLIND_TEST_START, row


def test_rows_are_valid_observations_and_not_repeated(second, reports, tmp_path):
    dataset.test_labels_are_valid_observations(second, reports, tmp_path)
    dataset.test_no_label_twice(second)
