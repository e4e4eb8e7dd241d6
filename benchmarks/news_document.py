"""Does reading the whole report (``caravana.news.document``) carry over from one set of reports to another?

    python benchmarks/news_document.py [--data tests/data/news]

The document-level readings (a figure that refers back to an earlier count takes its quantity,
place and day; two sources of one count in two sentences make one range; a bound and the precise
figure of the same count are one; groups that add up to a total the report gives are parts of it,
session 7) were written from the labelling conventions
(``tests/data/news/LABELLING.md`` C2, C3, C13), with their constants fixed before any score. Each of
the labelled sets that may be read (``dev``, ``fresh`` .. ``fresh6``; never a sealed set) is
scored on its own, as a held-out set, with the readings off, each alone, and all on: nothing is
fitted, so leave-one-set-out reduces to asking whether a reading helps on every set, not only
pooled. Prints P / R / F1 per set and pooled, and the matches, proposals and labels behind them.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from caravana import load_scenario
from caravana.news import document
from caravana.news.extract import extract
from caravana.news.loading import load_reports
from caravana.news.places import Gazetteer
from caravana.news.scoring import prf, score

ROOT = Path(__file__).resolve().parents[1]
SETS = ("dev", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6")  # fresh5, fresh6: open from session 7
VARIANTS = {"none": frozenset(), "refer": frozenset({"refer"}), "sources": frozenset({"sources"}),
            "bounds": frozenset({"bounds"}), "parts": frozenset({"parts"}), "all": document.STEPS}


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def counts(steps, reports, labels, gazetteer, min_confidence=0.5) -> tuple[int, int, int]:
    """(matches, false proposals, missed labels) with the document readings ``steps``."""
    saved = document.STEPS
    document.STEPS = steps
    try:
        proposals = [p for p in extract(reports, gazetteer) if p.confidence >= min_confidence]
    finally:
        document.STEPS = saved
    hits, wrong, missed = score(proposals, labels)
    return len(hits), len(wrong), len(missed)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "news")
    args = ap.parse_args(argv)
    manifest = read_csv(args.data / "reports.csv")
    all_labels = read_csv(args.data / "labels.csv")
    gazetteer = Gazetteer.from_scenario(load_scenario("corridor"))
    pooled = {v: [0, 0, 0] for v in VARIANTS}
    print(f"{'set':<8} {'reading':<8} {'match':>5} {'prop':>5} {'labels':>6} {'P':>6} {'R':>6} {'F1':>6}")
    for name in SETS:
        files = [r["file"] for r in manifest if r["split"] == name]
        reports = load_reports([str(args.data / f) for f in files])
        labels = [label for label in all_labels if label["file"] in set(files)]
        for variant, steps in VARIANTS.items():
            tp, fp, fn = counts(steps, reports, labels, gazetteer)
            pooled[variant] = [a + b for a, b in zip(pooled[variant], (tp, fp, fn))]
            p, r, f = prf(tp, fp, fn)
            print(f"{name:<8} {variant:<8} {tp:>5} {tp + fp:>5} {tp + fn:>6} {p:>6.3f} {r:>6.3f} {f:>6.3f}")
    for variant, (tp, fp, fn) in pooled.items():
        p, r, f = prf(tp, fp, fn)
        print(f"{'pooled':<8} {variant:<8} {tp:>5} {tp + fp:>5} {tp + fn:>6} {p:>6.3f} {r:>6.3f} {f:>6.3f}")


if __name__ == "__main__":
    main()
