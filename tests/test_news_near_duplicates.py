"""``benchmarks/news_near_duplicates.py``: the share of a report's long sentences found in another report, named only
when the other is open; against a sealed set, yes or no only. Hand-made texts in a temporary data set."""

from __future__ import annotations

import csv

import pytest

from tests.news_helpers import benchmark_module

LEAD = "Several thousand migrants set out walking in the rain from Tapachula early on Monday morning toward the north."
QUOTE = "We are walking for our freedom because we have the right to migrate, said one of the women in the group."
OTHER = ("The caravan's organisers said the group would ask the authorities for papers that let them cross the country "
         "before the summit of the Americas opened in Los Angeles.")
REWORDED = ("Organisers told reporters that the group would ask the authorities for papers that let them cross the "
            "country on foot, a long way from here.")


@pytest.fixture(scope="module")
def nd():
    return benchmark_module("news_near_duplicates", "s17")


def data_set(tmp_path, texts: dict[str, tuple[str, str]]):
    with (tmp_path / "reports.csv").open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["file", "published", "url", "language", "caravan", "split", "date_basis", "batch"])
        for name, (split, text) in texts.items():
            out.writerow([name, "2022-06-06", "", "en", "", split, "url", "1"])
            (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_shared_counts_a_ten_word_run_copied_half_the_shingles(nd):
    sentences = nd.long_sentences(f"Short title\n{LEAD} {QUOTE} {OTHER}")
    assert len(sentences) == 3  # the title is too short to count
    copy = nd.shingles(nd.words(f"{LEAD} And then, {QUOTE}"))
    assert nd.shares(sentences, copy) == (2 / 3, 2 / 3)
    rewrite = nd.shingles(nd.words(REWORDED))  # a run of 14 words of OTHER, under half its shingles
    assert nd.shares(sentences, rewrite) == (1 / 3, 0.0)
    assert nd.shares([], copy) == (0.0, 0.0)


def test_an_open_copy_is_named_a_sealed_one_only_said_yes(nd, tmp_path, capsys, monkeypatch):
    data = data_set(tmp_path, {
        "a.txt": ("mine", f"Title\n{LEAD}\n{QUOTE}\n{OTHER}"),
        "b.txt": ("dev", f"{LEAD}\n{QUOTE}"),
        "secret.txt": ("shut", f"Another title\n{REWORDED}"),
        "c.txt": ("mine", "Nothing here is long enough."),
    })
    monkeypatch.setattr(nd, "HELD_OUT", {"shut"})
    nd.main(["--data", str(data), "--split", "mine", "--threshold", "0.3"])
    rows = {line.split()[0]: line.split() for line in capsys.readouterr().out.splitlines()[2:]}
    assert rows["a.txt"] == ["a.txt", "3", "0.67", "0.67", "b.txt", "(dev)", "yes"]
    assert rows["c.txt"] == ["c.txt", "0", "0.00", "0.00", "-", "no"]
    monkeypatch.setattr(nd, "HELD_OUT", {"shut", "dev"})  # b sealed too: never named, a yes in its column
    nd.main(["--data", str(data), "--split", "mine"])
    out = capsys.readouterr().out
    assert "b.txt" not in out and "secret" not in out
    assert out.splitlines()[2].split() == ["a.txt", "3", "0.00", "0.00", "-", "yes", "yes"]


def test_an_empty_split_is_refused(nd, tmp_path):
    data = data_set(tmp_path, {"a.txt": ("mine", LEAD)})
    with pytest.raises(SystemExit) as stop:
        nd.main(["--data", str(data), "--split", "fresh77"])
    assert "fresh77" in str(stop.value) and "reports.csv" in str(stop.value)
