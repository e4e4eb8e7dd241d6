"""The labelled news test set of issue 13 (tests/data/news): its files agree with each
other, with the observation format and with the built-in corridor scenario."""

import csv
import datetime as dt
import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest

from caravana.observations import QUANTITIES, Quantity, read_observations
from caravana.scenario.load import BUILTIN_DIR

NEWS = Path(__file__).parent / "data" / "news"
BLIND_TEST_START = dt.date(2018, 11, 1)  # nothing on the 2018 caravans dated from here on
KINDS = {"distance", "temperature", "police_troops", "shelter_capacity", "statistic",
         "future_expectation", "part_of_total", "other"}
MAX_DAYS_BEFORE_PUBLICATION = 90  # older counts are history, not news (one blog post looks back 62 days)


def _read(name):
    with open(NEWS / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def reports():
    return {r["file"]: r for r in _read("reports.csv")}


@pytest.fixture(scope="module")
def labels():
    return _read("labels.csv")


@pytest.fixture(scope="module")
def distractors():
    return _read("distractors.csv")


@pytest.fixture(scope="module")
def texts(reports):
    return {f: (NEWS / f).read_text(encoding="utf-8") for f in reports}


def _corridor_places():
    with open(BUILTIN_DIR / "corridor" / "locations.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {r["name"] for r in rows}, {r["country"] for r in rows}


def test_every_text_is_in_the_manifest_and_every_row_has_its_text(reports):
    on_disk = {p.name for p in NEWS.glob("*.txt")}
    assert on_disk == set(reports)


def test_manifest_fields(reports):
    for f, r in reports.items():
        assert r["language"] in ("es", "en"), f
        assert r["split"] in ("dev", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8",
                              "fresh9", "fresh10", "fresh11", "fresh12", "fresh13", "fresh14", "fresh15", "fresh16", "fresh17",
                              "fresh18", "fresh19", "fresh20", "fresh21", "fresh22", "fresh23", "fresh24",
                              "fresh25", "fresh26"), f
        assert r["caravan"], f
        assert r["date_basis"], f
        dt.date.fromisoformat(r["published"])
        if not f.startswith("seed_"):
            assert r["url"].startswith(("http://", "https://")), f
    urls = [r["url"] for r in reports.values() if r["url"]]
    assert len(urls) == len(set(urls)), "a report is in the manifest twice"


def test_enough_reports_and_spanish_share(reports):
    seeds = [f for f in reports if f.startswith("seed_")]
    found = [f for f in reports if not f.startswith("seed_")]
    assert len(seeds) == 5
    assert len(found) >= 45
    share = Counter(r["language"] for r in reports.values())["es"] / len(reports)
    assert share >= 0.40


def test_blind_test_rule(reports, labels):
    """No report on the 2018 caravans dated after Oct 31, 2018, and no label from after it."""
    for f, r in reports.items():
        published = dt.date.fromisoformat(r["published"])
        if r["caravan"].startswith("2018") or published.year == 2018:
            assert published < BLIND_TEST_START, f
    for row in labels:
        if reports[row["file"]]["caravan"].startswith("2018"):
            assert dt.date.fromisoformat(row["date"]) < BLIND_TEST_START, row


def _split_module():
    spec = importlib.util.spec_from_file_location("news_split", NEWS / "split.py")
    split = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(split)
    return split


def test_split_is_the_declared_one(reports):
    """Batches 1-2 and 4-6 are development (the old held-out part of 1-2 is spent), batch 3 is the
    fresh held-out set, batch 7 the second one, batch 8 the third, and split.py assigns exactly the
    manifest's column."""
    split = _split_module()
    drawn = split.draw_split(list(reports.values()))
    assert drawn == {f: r["split"] for f, r in reports.items()}
    fresh = [r for r in reports.values() if r["split"] == "fresh"]
    assert len(fresh) >= 25
    assert Counter(r["language"] for r in fresh)["es"] / len(fresh) >= 0.40
    assert not any(r["caravan"].startswith("2018") for r in fresh)
    fresh2 = [r for r in reports.values() if r["split"] == "fresh2"]  # session 3's second held-out set
    assert len(fresh2) >= 20
    assert Counter(r["language"] for r in fresh2)["es"] / len(fresh2) >= 0.40
    fresh3 = [r for r in reports.values() if r["split"] == "fresh3"]  # session 4's held-out set
    assert len(fresh3) >= 25
    assert Counter(r["language"] for r in fresh3)["es"] / len(fresh3) >= 0.40
    assert not any(r["caravan"].startswith("2018") for r in fresh3)
    assert {r["batch"] for r in fresh3} == {"8"}
    fresh4 = [r for r in reports.values() if r["split"] == "fresh4"]  # session 4's second held-out set
    assert len(fresh4) >= 25
    assert Counter(r["language"] for r in fresh4)["es"] / len(fresh4) >= 0.40
    assert not any(r["caravan"].startswith("2018") for r in fresh4)
    assert {r["batch"] for r in fresh4} == {"9"}
    fresh5 = [r for r in reports.values() if r["split"] == "fresh5"]  # session 5's held-out set
    assert len(fresh5) >= 25
    assert Counter(r["language"] for r in fresh5)["es"] / len(fresh5) >= 0.40
    assert not any(r["caravan"].startswith("2018") for r in fresh5)
    assert {r["batch"] for r in fresh5} == {"10"}
    fresh6 = [r for r in reports.values() if r["split"] == "fresh6"]  # session 6's held-out set
    assert len(fresh6) >= 25
    assert Counter(r["language"] for r in fresh6)["es"] / len(fresh6) >= 0.40
    assert not any(r["caravan"].startswith("2018") for r in fresh6)
    assert {r["batch"] for r in fresh6} == {"11"}
    fresh7 = [r for r in reports.values() if r["split"] == "fresh7"]  # session 7's sealed set
    assert len(fresh7) >= 30
    assert Counter(r["language"] for r in fresh7)["es"] / len(fresh7) >= 0.40
    assert not any(r["caravan"].startswith("2018") for r in fresh7)
    assert {r["batch"] for r in fresh7} == {"12"}
    # The sealed sets since session 7 (some opened since): their batch and least size; each at least
    # 40 % in Spanish, and no report on the 2018 caravans published after Oct 31, 2018.
    sealed = {"fresh8": ("13", 30), "fresh9": ("14", 30), "fresh10": ("15", 30), "fresh11": ("16", 30),
              "fresh12": ("17", 25), "fresh13": ("18", 25), "fresh14": ("19", 25),
              "fresh15": ("20", 30), "fresh16": ("21", 27), "fresh17": ("22", 36),
              "fresh18": ("23", 22), "fresh19": ("24", 31), "fresh20": ("25", 28),
              "fresh21": ("26", 31), "fresh22": ("27", 28), "fresh23": ("28", 27),
              "fresh24": ("29", 31), "fresh25": ("30", 27), "fresh26": ("31", 27)}
    for split, (batch, least) in sealed.items():
        rows = [r for r in reports.values() if r["split"] == split]
        assert len(rows) >= least, split
        assert Counter(r["language"] for r in rows)["es"] / len(rows) >= 0.40, split
        assert not any(r["caravan"].startswith("2018") for r in rows if r["published"] >= "2018-11-01"), split
        assert {r["batch"] for r in rows} == {batch}, split


def test_old_split_is_still_the_seeded_stratified_draw(reports):
    old = _split_module().old_split(list(reports.values()))
    assert set(old) == {f for f, r in reports.items() if r["batch"] in ("1", "2")}
    assert Counter(old.values()) == {"dev": 25, "test": 37}
    for language in ("es", "en"):
        rows = [f for f in old if reports[f]["language"] == language]
        dev = sum(old[f] == "dev" for f in rows)
        assert abs(dev - 0.4 * len(rows)) <= 1, language


def test_labelled_sentences_are_verbatim(labels, distractors, texts):
    for row in labels + distractors:
        assert row["file"] in texts, row
        assert row["sentence"] and row["sentence"] in texts[row["file"]], row


def test_label_dates_are_plausible(labels, reports):
    for row in labels:
        date = dt.date.fromisoformat(row["date"])
        published = dt.date.fromisoformat(reports[row["file"]]["published"])
        assert date <= published, row
        assert (published - date).days <= MAX_DAYS_BEFORE_PUBLICATION, row


def test_label_places_are_corridor_places_or_countries(labels):
    names, countries = _corridor_places()
    for row in labels:
        assert row["place"] in names | countries | {""}, row
        if QUANTITIES[Quantity(row["quantity"])].kind == "day":
            assert row["place"] in names, f"an arrival or departure needs a place: {row}"


def test_labels_are_valid_observations(labels, reports, tmp_path):
    """Written as an observations file, the labels pass caravana's own reader
    (quantities, values, ranges, no value on a day)."""
    path = tmp_path / "obs.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["date", "place", "quantity", "value", "low", "high", "source"])
        for row in labels:
            w.writerow([row[k] for k in ("date", "place", "quantity", "value", "low", "high")]
                       + [reports[row["file"]]["url"] or row["file"]])
    assert len(read_observations(path).rows) == len(labels)
    for row in labels:
        if row["low"] and row["high"]:
            assert float(row["low"]) < float(row["high"]), row


def test_no_label_twice(labels):
    keys = [(r["file"], r["date"], r["place"], r["quantity"], r["value"]) for r in labels]
    assert len(keys) == len(set(keys))


def test_distractors(distractors):
    for row in distractors:
        assert row["kind"] in KINDS, row
        assert row["number"] in row["sentence"], row


def test_one_count_one_row(labels):
    """LABELLING.md C2: a report never has two labels of the same quantity, place and day whose
    figures agree within 5 % (the same count said twice is one row)."""
    seen: dict[tuple, list[float]] = {}
    for row in labels:
        if row["value"]:
            key = (row["file"], row["quantity"], row["place"], row["date"])
            value = float(row["value"])
            assert not any(abs(value - v) <= 0.05 * max(value, v) for v in seen.get(key, [])), row
            seen.setdefault(key, []).append(value)


def test_bounds_and_ranges_follow_the_conventions(labels):
    """LABELLING.md C3, C7: a range's value is its midpoint rounded down; a bound keeps only its
    own side, equal to the value."""
    for row in labels:
        low, high = row["low"], row["high"]
        if low and high:
            assert int(float(row["value"])) == (int(float(low)) + int(float(high))) // 2, row
        elif low:
            assert float(low) == float(row["value"]), row
        elif high:
            assert float(high) == float(row["value"]), row


def test_every_audit_change_cites_a_convention():
    """AUDIT.md: each logged change names its file and the LABELLING.md rule it follows."""
    conventions = set(re.findall(r"\*\*(C\d+)\b", (NEWS / "LABELLING.md").read_text(encoding="utf-8")))
    changes = [line for line in (NEWS / "AUDIT.md").read_text(encoding="utf-8").splitlines() if line.startswith("- ")]
    assert len(changes) >= 20
    for line in changes:
        assert (NEWS / (line[2:].split(":")[0] + ".txt")).exists(), line
        cited = set(re.findall(r"\bC\d+\b", line))
        assert cited and cited <= conventions, line
