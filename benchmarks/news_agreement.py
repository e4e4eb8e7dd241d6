"""How well two people agree when they label the same news reports by tests/data/news/LABELLING.md.

    python benchmarks/news_agreement.py [--data tests/data/news] [--second PATH] [--split fresh8]
                                        [--extractor] [--draws 1000] [--seed 1] [--list]

The sealed set ``fresh8`` was labelled twice, by two engineers, each blind to the other and to
the extractor: the first labelling is in ``labels.csv``, the second in
``agreement/fresh8_second.csv`` (see ``agreement/README.md``). Each labelling is scored
against the other with exactly the matching rule of ``benchmarks/news_extraction.py``
(``caravana.news.scoring``: same report, quantity and place, dated within a day, value within
5 %, both empty for arrivals and departures; each row matched at most once): the rows of one
labelling play the proposals, the other's the labels. This is the usual F1 agreement for
record annotation (no chance correction: the space of possible rows has no fixed size).
Precision of "second against first" is the share of the second labeller's rows that the
first also made, recall the share of the first labeller's rows that the second also made;
the other direction swaps them (and can differ by a row or two where the one-to-one greedy
match pairs rows differently). Printed overall, by language and by quantity, with a 95 % bootstrap
interval of the F1 over the reports (``--draws`` resamples of the split's reports, ``--seed``).

``--extractor`` also scores ``caravana news extract`` (at ``--min-confidence``) against each
labelling, totals only, to set the extractor's figure beside the people's. It scores the sealed
set: like ``news_extraction.py --split fresh8``, for the lead, once per frozen extractor (the saved
result used main's frozen 12af6dd, the one the lead scored). ``--list`` prints
the unmatched rows of each labelling (for reading the disagreements; like every fresh8
label, not for anyone who develops the extractor while fresh8 is sealed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from news_extraction import HELD_OUT, ROOT, line, read_csv, wrong_kinds

from caravana.news.scoring import prf, score
from caravana.observations import Quantity


@dataclass(frozen=True)
class Row:
    """One hand label seen as a proposal, the shape ``caravana.news.scoring.score`` reads."""
    file: str
    date: dt.date
    place: str
    quantity: Quantity
    value: float | None
    sentence: str
    confidence: float = 1.0  # all equal: the greedy match then keeps the file's order


def as_rows(labels: list[dict]) -> list[Row]:
    return [Row(label["file"], dt.date.fromisoformat(label["date"]), label["place"], Quantity(label["quantity"]),
                float(label["value"]) if label["value"].strip() else None, label["sentence"])
            for label in labels]


def agreement(reference: list[dict], other: list[dict]):
    """(matched pairs, rows of ``other`` the reference lacks, rows of ``reference`` that ``other`` lacks)."""
    return score(as_rows(other), reference)


def table(title: str, reference: list[dict], other: list[dict], language_of: dict) -> None:
    hits, extra, missed = agreement(reference, other)
    print(f"\n{title}")
    print(f"{'':<18} {'ref':>6} {'other':>9} {'match':>5} {'precision':>9} {'recall':>7} {'F1':>6}")
    print(line("overall", len(hits), len(extra), len(missed)))
    for lang in ("es", "en"):
        print(line(f"language {lang}", sum(language_of[label["file"]] == lang for _, label in hits),
                   sum(language_of[r.file] == lang for r in extra),
                   sum(language_of[label["file"]] == lang for label in missed)))
    for q in sorted({label["quantity"] for label in reference + other}):
        print(line(q, sum(label["quantity"] == q for _, label in hits), sum(r.quantity.value == q for r in extra),
                   sum(label["quantity"] == q for label in missed)))
    print("unmatched rows of 'other' whose value the reference has on the same report, but by: "
          + "  ".join(f"{k} {n}" for k, n in wrong_kinds(extra, missed).items()))


def bootstrap_f1(first: list[dict], second: list[dict], files: list[str], draws: int, seed: int):
    """2.5 and 97.5 percentiles of the agreement F1 over reports drawn with replacement: how much
    the figure owes to which 32 reports happened to be labelled."""
    rng = random.Random(seed)
    f1s = []
    for _ in range(draws):
        drawn = [rng.choice(files) for _ in files]
        # a draw may repeat a report: each copy gets its own name (score() matches on the name)
        a = [dict(label, file=f"{i}#{f}") for i, f in enumerate(drawn) for label in first if label["file"] == f]
        b = [dict(label, file=f"{i}#{f}") for i, f in enumerate(drawn) for label in second if label["file"] == f]
        hits, extra, missed = agreement(a, b)
        f1s.append(prf(len(hits), len(extra), len(missed))[2])
    f1s.sort()
    return f1s[int(0.025 * draws)], f1s[int(0.975 * draws) - 1]


def extractor_scores(data: Path, chosen: list[dict], labellings: dict, min_confidence: float) -> None:
    """The extractor against each labelling, totals only (fresh8's errors are not listed)."""
    from caravana import load_scenario  # the extractor is heavy: imported only when asked for
    from caravana.news.extract import extract
    from caravana.news.loading import load_reports
    from caravana.news.places import Gazetteer

    gazetteer = Gazetteer.from_scenario(load_scenario("corridor"))
    proposals = [p for p in extract(load_reports([str(data / r["file"]) for r in chosen]), gazetteer)
                 if p.confidence >= min_confidence]
    print(f"\nextractor (caravana news extract, confidence >= {min_confidence}), {len(proposals)} proposals")
    print(f"{'against':<18} {'labels':>6} {'proposals':>9} {'match':>5} {'precision':>9} {'recall':>7} {'F1':>6}")
    for name, labels in labellings.items():
        hits, wrong, missed = score(proposals, labels)
        print(line(name, len(hits), len(wrong), len(missed)))
    # how much of the extractor's shortfall lies where the two people differ: its recall on the rows both
    # made, and its precision when a proposal counts as right if it matches a row of either labelling
    first, second = labellings.values()
    both = [label for _, label in agreement(first, second)[0]]
    hits, wrong, missed = score(proposals, both)
    print(line("rows both made", len(hits), len(wrong), len(missed)))
    hits, wrong, _ = score(proposals, first)
    rescued = len(score(wrong, second)[0])
    print(f"{'either labelling':<18} {'':>6} {len(proposals):>9} {len(hits) + rescued:>5} "
          f"{(len(hits) + rescued) / len(proposals):>9.2f}   (precision only: a proposal matching a row of either)")


def listing(title: str, rows) -> None:
    print(f"\n{title}")
    for r in rows:
        if isinstance(r, Row):
            r = {"file": r.file, "date": r.date.isoformat(), "quantity": r.quantity.value, "place": r.place,
                 "value": "" if r.value is None else f"{r.value:g}", "sentence": r.sentence}
        print(f"  {r['file']}: {r['date']} {r['quantity']} {r['place'] or '-'} {r['value']} | {r['sentence'][:120]}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "news")
    ap.add_argument("--second", type=Path, help="the second labelling (default: DATA/agreement/fresh8_second.csv)")
    ap.add_argument("--split", default="fresh8", help="the split both labellings cover")
    ap.add_argument("--extractor", action="store_true", help="also score the extractor against each labelling")
    ap.add_argument("--min-confidence", type=float, default=0.5)
    ap.add_argument("--draws", type=int, default=1000, help="bootstrap resamples of the reports (0: none)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the bootstrap")
    ap.add_argument("--list", action="store_true", help="print the rows each labelling has and the other lacks")
    args = ap.parse_args(argv)

    if args.split in HELD_OUT and (args.list or args.extractor):  # a sealed set: rows never listed, read once by the lead
        sys.exit(f"error: split {args.split} is sealed: --list and --extractor are refused on it")
    manifest = read_csv(args.data / "reports.csv")
    chosen = [r for r in manifest if r["split"] == args.split]
    if not chosen:
        sys.exit(f"error: no report in split {args.split}")
    names = {r["file"] for r in chosen}
    language_of = {r["file"]: r["language"] for r in manifest}
    first = [label for label in read_csv(args.data / "labels.csv") if label["file"] in names]
    second = read_csv(args.second or args.data / "agreement" / f"{args.split}_second.csv")
    stray = sorted({label["file"] for label in second} - names)
    if stray:
        sys.exit(f"error: the second labelling has reports outside split {args.split}: {', '.join(stray)}")

    print(f"split {args.split}: {len(chosen)} reports ({sum(r['language'] == 'es' for r in chosen)} es, "
          f"{sum(r['language'] == 'en' for r in chosen)} en); first labelling {len(first)} rows, "
          f"second {len(second)} rows")
    print("match: same report, quantity, place, date within a day, value within 5 % (caravana.news.scoring)")
    table("second labelling scored against the first (ref = first, other = second)", first, second, language_of)
    table("first labelling scored against the second (ref = second, other = first)", second, first, language_of)
    hits, extra, missed = agreement(first, second)
    _, _, f1 = prf(len(hits), len(extra), len(missed))
    print(f"\nagreement F1 {f1:.2f}: {len(hits)} rows in common, {len(missed)} only in the first labelling, "
          f"{len(extra)} only in the second")
    if args.draws:
        low, high = bootstrap_f1(first, second, sorted(names), args.draws, args.seed)
        print(f"95 % interval of the agreement F1 over the reports (bootstrap, {args.draws} draws, seed {args.seed}): "
              f"{low:.2f} - {high:.2f}")

    if args.extractor:
        extractor_scores(args.data, chosen, {"first labelling": first, "second labelling": second},
                         args.min_confidence)
    if args.list:
        listing("only in the first labelling:", missed)
        listing("only in the second labelling:", extra)


if __name__ == "__main__":
    main()
