"""Assign the split of the news test set and print its counts.

    python tests/data/news/split.py            # rewrite the split column of reports.csv
    python tests/data/news/split.py --counts   # print the counts table for README.md

Batches 1 and 2 are development (`dev`). Their first held-out part (the old `test`
split, drawn per batch and language: the file names of one batch and language,
sorted, shuffled with random.Random(SEED), the first round(DEV_SHARE * n) dev) was
scored four times while the rules were tuned, so it is spent and was moved into
dev; `old_split` still draws it, so its reports can be named. Batch 3 is the fresh
held-out set (`fresh`), labelled and committed before the extractor first read it.
"""

import csv
import random
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent
SEED = 13
DEV_SHARE = 0.4
SPENT_BATCHES = {"1", "2"}  # their held-out part was scored four times: now development
DEV_BATCHES = SPENT_BATCHES | {"4", "5", "6"}  # batches 4-6: new development reports of session 3
FRESH_BATCHES = {"3"}  # held out: labelled before the extractor first read them
FRESH2_BATCHES = {"7"}  # the second held-out set (session 3), labelled and committed before any extraction
FRESH3_BATCHES = {"8"}  # the third held-out set (session 4), labelled and committed before any extraction
FRESH4_BATCHES = {"9"}  # the fourth held-out set (session 4, second half), likewise; open from session 5
FRESH5_BATCHES = {"10"}  # the fifth held-out set (session 5), labelled and committed before any extraction
FRESH6_BATCHES = {"11"}  # the sixth held-out set (session 6), labelled by LABELLING.md and committed before extraction
# the seventh held-out set (session 7), labelled by hand before any extraction; scored once by the lead in
# session 7 with the frozen extractor, then opened to development (s7news2)
FRESH7_BATCHES = {"12"}
FRESH8_BATCHES = {"13"}  # the eighth held-out set (session 7, second labeller): scored, opened in session 8
FRESH9_BATCHES = {"14"}  # the ninth held-out set (session 8, s8label): scored once, opened in session 9
FRESH10_BATCHES = {"15"}  # the tenth held-out set (session 9, s9label): sealed in session 9, opened in session 10
FRESH11_BATCHES = {"16"}  # the eleventh held-out set (session 10, s10label): sealed in session 10, scored once, opened in session 11
FRESH12_BATCHES = {"17"}  # the twelfth held-out set (session 11, s11label): sealed in session 11, scored once, opened in session 12
FRESH13_BATCHES = {"18"}  # the thirteenth held-out set (session 12, s12label): sealed, scored once, opened in session 13
FRESH14_BATCHES = {"19"}  # the fourteenth held-out set (session 12, s12label2): sealed, scored once, opened in session 13
FRESH15_BATCHES = {"20"}  # the fifteenth held-out set (session 13, s13label): sealed, scored once, opened in session 14
FRESH16_BATCHES = {"21"}  # the sixteenth held-out set (session 13, s13label16): sealed, scored once, opened in session 15
FRESH17_BATCHES = {"22"}  # the seventeenth held-out set (session 14, s14label): sealed, scored once, opened in session 16
FRESH18_BATCHES = {"23"}  # the eighteenth held-out set (session 14, s14label18): sealed, scored once, opened in session 17
FRESH19_BATCHES = {"24"}  # the nineteenth held-out set (session 15, s15label19): sealed, scored once, opened in session 18
FRESH20_BATCHES = {"25"}  # the twentieth held-out set (session 17, s17label20): sealed, scored once, opened in session 19
FRESH21_BATCHES = {"26"}  # the twenty-first held-out set (session 18, s18label21): sealed, scored once, opened in session 20
FRESH22_BATCHES = {"27"}  # the twenty-second held-out set (session 19, s19label22): sealed, scored once, opened in session 21
FRESH23_BATCHES = {"28"}  # the twenty-third held-out set (session 22, s22label23): sealed, scored once, opened in session 22
FRESH24_BATCHES = {"29"}  # the twenty-fourth held-out set (session 23, s23label24): sealed, scored once, opened in session 23
FRESH25_BATCHES = {"30"}  # the twenty-fifth held-out set (session 24, s24label25): sealed, scored once, opened in session 24
FRESH26_BATCHES = {"31"}  # the twenty-sixth held-out set (session 25, s25label26): sealed, scored once, opened in session 25


def read(name):
    with open(HERE / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def draw_split(rows):
    """{file: 'dev'|'fresh'|'fresh2'|...|'fresh11'} for the manifest rows."""
    split = {}
    for r in rows:
        if r["batch"] in DEV_BATCHES:
            split[r["file"]] = "dev"
        elif r["batch"] in FRESH_BATCHES:
            split[r["file"]] = "fresh"
        elif r["batch"] in FRESH2_BATCHES:
            split[r["file"]] = "fresh2"
        elif r["batch"] in FRESH3_BATCHES:
            split[r["file"]] = "fresh3"
        elif r["batch"] in FRESH4_BATCHES:
            split[r["file"]] = "fresh4"
        elif r["batch"] in FRESH5_BATCHES:
            split[r["file"]] = "fresh5"
        elif r["batch"] in FRESH6_BATCHES:
            split[r["file"]] = "fresh6"
        elif r["batch"] in FRESH7_BATCHES:
            split[r["file"]] = "fresh7"
        elif r["batch"] in FRESH8_BATCHES:
            split[r["file"]] = "fresh8"
        elif r["batch"] in FRESH9_BATCHES:
            split[r["file"]] = "fresh9"
        elif r["batch"] in FRESH10_BATCHES:
            split[r["file"]] = "fresh10"
        elif r["batch"] in FRESH11_BATCHES:
            split[r["file"]] = "fresh11"
        elif r["batch"] in FRESH12_BATCHES:
            split[r["file"]] = "fresh12"
        elif r["batch"] in FRESH13_BATCHES:
            split[r["file"]] = "fresh13"
        elif r["batch"] in FRESH14_BATCHES:
            split[r["file"]] = "fresh14"
        elif r["batch"] in FRESH15_BATCHES:
            split[r["file"]] = "fresh15"
        elif r["batch"] in FRESH16_BATCHES:
            split[r["file"]] = "fresh16"
        elif r["batch"] in FRESH17_BATCHES:
            split[r["file"]] = "fresh17"
        elif r["batch"] in FRESH18_BATCHES:
            split[r["file"]] = "fresh18"
        elif r["batch"] in FRESH19_BATCHES:
            split[r["file"]] = "fresh19"
        elif r["batch"] in FRESH20_BATCHES:
            split[r["file"]] = "fresh20"
        elif r["batch"] in FRESH21_BATCHES:
            split[r["file"]] = "fresh21"
        elif r["batch"] in FRESH22_BATCHES:
            split[r["file"]] = "fresh22"
        elif r["batch"] in FRESH23_BATCHES:
            split[r["file"]] = "fresh23"
        elif r["batch"] in FRESH24_BATCHES:
            split[r["file"]] = "fresh24"
        elif r["batch"] in FRESH25_BATCHES:
            split[r["file"]] = "fresh25"
        elif r["batch"] in FRESH26_BATCHES:
            split[r["file"]] = "fresh26"
        else:
            raise ValueError(f"{r['file']}: batch {r['batch']!r} has no split")
    return split


def old_split(rows):
    """{file: 'dev'|'test'}: the first, spent draw of batches 1 and 2 (per batch and language)."""
    rows = [r for r in rows if r["batch"] in SPENT_BATCHES]
    split = {}
    for batch, language in sorted({(r["batch"], r["language"]) for r in rows}):
        files = sorted(r["file"] for r in rows if (r["batch"], r["language"]) == (batch, language))
        random.Random(SEED).shuffle(files)
        n_dev = round(DEV_SHARE * len(files))
        split.update({f: "dev" if i < n_dev else "test" for i, f in enumerate(files)})
    return split


def write_split():
    rows = read("reports.csv")
    split = draw_split(rows)
    for r in rows:
        r["split"] = split[r["file"]]
    with open(HERE / "reports.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def print_counts():
    reports = read("reports.csv")
    labels = read("labels.csv")
    distractors = read("distractors.csv")
    split_of = {r["file"]: r["split"] for r in reports}
    lang_of = {r["file"]: r["language"] for r in reports}
    splits = ("dev", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8", "fresh9", "fresh10",
              "fresh11", "fresh12", "fresh13", "fresh14", "fresh15", "fresh16", "fresh17", "fresh18",
              "fresh19", "fresh20", "fresh21", "fresh22", "fresh23", "fresh24", "fresh25", "fresh26")
    print("| reports | " + " | ".join(splits) + " | total |\n|" + " --- |" * (len(splits) + 2))
    for lang in ("es", "en"):
        c = Counter(r["split"] for r in reports if r["language"] == lang)
        print(f"| {lang} | " + " | ".join(str(c[s]) for s in splits) + f" | {sum(c.values())} |")
    c = Counter(r["split"] for r in reports)
    print("| all | " + " | ".join(str(c[s]) for s in splits) + f" | {len(reports)} |\n")
    for title, rows, key in (("labels", labels, "quantity"), ("distractors", distractors, "kind")):
        print(f"| {title}: {key} | " + " | ".join(splits) + " | es | en | total |\n|"
              + " --- |" * (len(splits) + 4))
        for value in sorted({r[key] for r in rows}) + [None]:
            sel = [r for r in rows if value is None or r[key] == value]
            s = Counter(split_of[r["file"]] for r in sel)
            lg = Counter(lang_of[r["file"]] for r in sel)
            print(f"| {value or 'all'} | " + " | ".join(str(s[x]) for x in splits)
                  + f" | {lg['es']} | {lg['en']} | {len(sel)} |")
        print()


if __name__ == "__main__":
    print_counts() if "--counts" in sys.argv[1:] else write_split()
