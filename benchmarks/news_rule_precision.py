"""Which reading rules of `caravana news extract` misfire: the precision of each way a count gets its quantity.

    python benchmarks/news_rule_precision.py [--data tests/data/news] [--min-confidence 0.5]

A count's quantity comes from one of the `return` statements of `news.extract._Context._what_and_where` (a
caravan's size after "the caravan of", an event verb, a stop at a place, the fallback "people on the move",
...). This script runs the extractor on every report of `open` (never the sealed splits of the benchmark's
``HELD_OUT``), notes which `return` gave each count (by tracing the function, so the extractor is not
changed for it), scores the proposals at ``--min-confidence`` as `benchmarks/news_extraction.py` does, and
prints each rule's matches / proposals, overall and for dev, fresh..fresh6 and fresh7 apart: a rule that is
right less than half the time on every split is one to remove; one that is right on the development
reports only does not carry over. Movements (arrivals, departures) and counts read by other paths (deaths,
figures that refer back) are pooled as "movement" and "other count".
"""

from __future__ import annotations

import argparse
import linecache
import sys
from collections import defaultdict
from pathlib import Path

from caravana import load_scenario
from caravana.news import extract as extractor
from caravana.news.loading import load_reports
from caravana.news.places import Gazetteer
from caravana.news.scoring import score

sys.path.insert(0, str(Path(__file__).resolve().parent))
from news_extraction import ROOT, WORK, read_csv  # noqa: E402

GROUPS = {"dev": "dev", "fresh7": "fresh7"}  # every other open split is pooled as fresh1-6


def traced_extract(reports, gazetteer):
    """The proposals, and {(file, sentence start, figure's words): line of the `return` that read it}."""
    rule: dict[tuple, int] = {}
    code = extractor._Context._what_and_where.__code__

    def inside(frame, event, arg):
        if event == "return":
            context, number = frame.f_locals["self"], frame.f_locals["number"]
            rule[(Path(context.report.file).name, context.sentence.start,
                  context.sentence.text[number.start:number.end])] = frame.f_lineno
        return inside

    def calls(frame, event, arg):
        return inside if frame.f_code is code else None

    sys.settrace(calls)
    try:
        proposals = extractor.extract(reports, gazetteer)
    finally:
        sys.settrace(None)
    return proposals, rule


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "news")
    ap.add_argument("--min-confidence", type=float, default=0.5)
    args = ap.parse_args(argv)
    manifest = [r for r in read_csv(args.data / "reports.csv") if r["split"] in WORK]
    group = {r["file"]: GROUPS.get(r["split"], "fresh1-6") for r in manifest}
    labels = [label for label in read_csv(args.data / "labels.csv") if label["file"] in group]
    gazetteer = Gazetteer.from_scenario(load_scenario("corridor"))
    every, rule = traced_extract(load_reports([str(args.data / r["file"]) for r in manifest]), gazetteer)
    proposals = [p for p in every if p.confidence >= args.min_confidence]
    right = {id(p) for p, _ in score(proposals, labels)[0]}
    tally: dict[tuple, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for p in proposals:
        name = Path(p.file).name
        line = rule.get((name, p.start, p.evidence))
        key = (line, p.quantity.value) if line else (0, "movement" if p.value is None else "other count")
        for g in (group[name], "all"):
            tally[key][g][0] += 1
            tally[key][g][1] += id(p) in right
    source = extractor.__file__
    print(f"open: {len(manifest)} reports, {len(labels)} labels, {len(proposals)} proposals at confidence >= "
          f"{args.min_confidence}; right / proposed, by the rule that gave the quantity")
    print(f"{'line':>5} {'quantity':<16} {'all':>9} {'dev':>9} {'fresh1-6':>9} {'fresh7':>9}  rule")
    for (line, quantity), by in sorted(tally.items()):
        cells = " ".join(f"{f'{by[g][1]}/{by[g][0]}' if by[g][0] else '-':>9}" for g in ("all", "dev", "fresh1-6", "fresh7"))
        text = linecache.getline(source, line).strip()[:90] if line else ""
        print(f"{line or '':>5} {quantity:<16} {cells}  {text}")


if __name__ == "__main__":
    main()
