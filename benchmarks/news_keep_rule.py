"""The keep rule, commit by commit: the split developed on and the rest of the open reports, for each extractor.

    nice -n 10 python benchmarks/news_keep_rule.py [--data tests/data/news] [--session 10|9] [COMMIT ...]

The rule (docs/history/news.md, "Session 10: the rule that decides what is kept", written before any change; session
9's the same with fresh9): a change to the rules is kept only if, at confidence 0.5, it raises F1 on the
split developed on (``fresh10`` in session 10, ``fresh9`` in session 9) and lowers neither precision nor recall
on the rest of ``open``. For each commit (default: the session's start and each landed reading, in order)
this checks the commit out in a temporary git worktree, runs its extractor
(``tools/news_first_reads.first_reads``: its own code, in a child process) on every open report as the data
are now, and prints proposals, matches, P, R and F1 on the developed split and on the rest, and whether the step from the
commit before meets the rule. The sealed split (``HELD_OUT``) is never read. Each commit costs about 10 s of
CPU in the child.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from news_extraction import ROOT, WORK, read_csv  # noqa: E402
from news_first_reads import COLUMNS, first_reads  # noqa: E402

from caravana.news.scoring import prf, score  # noqa: E402
from caravana.news.train import first_read_proposals  # noqa: E402

# the session's start, then each landed reading (the commits that changed the extractor)
SESSION10 = {
    "e1bdb42": "start: session 9's final extractor",
    "edaa282": "session 9's left mends (past clause, walk of the past, habria, RHC dateline)",
    "3501058": "adults are a part",
    "f55fe87": "volver a + infinitive is again",
    "8e7be78": "con/en direccion a, in the direction of",
    "f896241": "managing to leave or reach",
    "83cd90e": "an event word belongs to the count nearest it",
    "bf0fd6b": "for a month is how long",
    "49d1c12": "a rank in the year is a comparison",
    "856b801": "Gran Central Metropolitana is San Pedro Sula",
    "9ed623a": "a thousand, one hundred (+ decided not to, headline bound)",
    "e0e7361": "a bus terminal is a place, not a vehicle",
    "aa4fa95": "set off and then stopped (a decided stop is a stop)",
}
# session 9's (with fresh9; its results file was made while fresh10 was sealed, so "rest" then had 324 reports)
SESSION9 = {
    "8d7d2cc": "start: session 8's final extractor",
    "2f43f11": "authorities of a country, one cue family",
    "48efe8b": "no unit noun past another number or a preposition",
    "0430b0c": "a part to whom an event happened (C6)",
    "d96e03c": "the body's stated day wins a tie; possessive capitals",
    "980385b": "a stretch walked from A to B; movers named by origin",
    "8a417b7": "members of a force",
    "4aff77e": "an asylum request held (as mended)",
    "b5a6ae8": "the hour read past; leaving a venue of a town",
    "26264db": "stay verbs in any form",
    "c482319": "the review's mends (U.S., longest authority, past stretches)",
}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "news")
    ap.add_argument("--session", choices=("10", "9"), default="10",
                    help="whose rule: 10 develops on fresh10, 9 on fresh9 (the split and the default commits)")
    ap.add_argument("commits", nargs="*", help="commits in order (default: the session's, SESSION10 or SESSION9)")
    args = ap.parse_args(argv)
    listed = SESSION10 if args.session == "10" else SESSION9
    dev = "fresh10" if args.session == "10" else "fresh9"
    commits = args.commits or list(listed)
    manifest = [r for r in read_csv(args.data / "reports.csv") if r["split"] in WORK]
    splits = frozenset(r["split"] for r in manifest)
    split_of = {r["file"]: r["split"] for r in manifest}
    labels = [label for label in read_csv(args.data / "labels.csv") if label["file"] in split_of]
    print(f"{len(manifest)} open reports ({sum(s == dev for s in split_of.values())} in {dev}), {len(labels)} "
          f"labels; threshold 0.5")
    print(f"{'commit':<8} {dev + ' prop/match  P     R     F1':<36} {'rest prop/match  P     R     F1':<36} rule  what")
    before = None
    for commit in commits:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "proposals.csv"
            with path.open("w", newline="", encoding="utf-8") as fh:
                writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
                writer.writeheader()
                writer.writerows(first_reads(args.data, splits, commit))
            found = first_read_proposals(path)
        kept = [p for ps in found.values() for p in ps if p.confidence >= 0.5]
        figures = {}
        for name, wanted in (("dev", lambda s: s == dev), ("rest", lambda s: s != dev)):
            hits, wrong, missed = score([p for p in kept if wanted(split_of[p.file])],
                                        [label for label in labels if wanted(split_of[label["file"]])])
            figures[name] = (len(hits) + len(wrong), len(hits), *prf(len(hits), len(wrong), len(missed)))
        verdict = ""
        if before is not None:
            d, rest, bd, brest = figures["dev"], figures["rest"], before["dev"], before["rest"]
            up = round(d[4], 3) > round(bd[4], 3)
            held = round(rest[2], 3) >= round(brest[2], 3) and round(rest[3], 3) >= round(brest[3], 3)
            verdict = "met" if up and held else ("dev =" if round(d[4], 3) == round(bd[4], 3) and held else "NOT")
        cells = [f"{n:>4}/{m:<4} {p:.3f} {r:.3f} {f:.3f}" for n, m, p, r, f in (figures["dev"], figures["rest"])]
        print(f"{commit:<8} {cells[0]:<36} {cells[1]:<36} {verdict:<5} {listed.get(commit, '')}")
        before = figures


if __name__ == "__main__":
    main()
