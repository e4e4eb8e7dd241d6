"""How well `caravana news extract` reads the labelled news reports, and how fast.

    python benchmarks/news_extraction.py [--data tests/data/news]
                                         [--split dev|fresh|...|fresh26|work|work5|open|all|spent]
                                         [--min-confidence 0.5] [--reports 100] [--curve] [--learned] [--moves]

``--learned`` scores the extractor with the learned rescorer's confidence (``news/rescore.py``,
``caravana news extract --learned``): on the open reports that is a training-set figure (the model was
fitted on them); ``benchmarks/news_crossval.py`` gives its honest figures. ``--moves`` adds the learned
movement proposer's rows (``news/mover.py``, ``news extract --moves``), trained on the open reports too:
its honest figures are ``news_crossval.py --moves``.

The labelled set (``tests/data/news/README.md``) holds real reports in Spanish and
English with hand labels (``labels.csv``: the observations an analyst takes) and the
numbers that must not be taken (``distractors.csv``). Each batch was held out when it was
added, scored, then opened to development: ``fresh`` (session 2) and ``fresh2`` (session 3) from
session 4, ``fresh3`` and ``fresh4`` (session 4) from sessions 4 and 5, ``fresh5`` (session 5) and
``fresh6`` (session 6) from session 7; ``fresh7`` (session 7) was scored once by the lead in session 7
with the frozen extractor, then opened; ``fresh8`` (session 7) was scored once in session 7 and once
more at the start of session 8 (the same extractor after review mends: 0.48 both times), then opened;
``fresh9`` (session 8) was scored as totals after each of session 8's two waves and once more at the start
of session 9 (rules: 0.54 each time), then opened.
``fresh10`` (session 9) was scored once by the lead after session 9's last change to the extractor
(9a35f22: rules 0.71, ``--learned`` 0.73), scored again at the start of session 10 (the same totals), then opened.
``fresh11`` (session 10) was scored once by the lead after session 10's last change to the extractor (36479ee: rules
0.50, ``--learned`` 0.52), then opened in session 11.
``fresh12`` (session 11) was scored once by the lead after session 11's last change to the extractor (d405114: rules
0.54, ``--learned`` 0.54), then opened in session 12.
``fresh13`` (session 12) was scored once by the lead after session 12's last change to the extractor (main 59f3ffa,
results committed as 1a1695c: rules 0.50, ``--learned`` 0.50), then opened in session 13.
``fresh14`` (session 12) was scored once by the lead at the end of session 13 (main 8aab973, no extractor change that session;
results committed as 53f3fb5: rules 0.63, ``--learned`` 0.64), then opened in session 13.
``fresh15`` (session 13) was scored once by the lead after session 14's last change to the extractor (main dde58e2,
results committed as f6e2872: rules 0.61, ``--learned`` 0.61), then opened in session 14.
``fresh16`` (session 13) was scored once by the lead at the end of session 15 (main 9f148bc, no extractor change that session;
results committed as a50e4bd: rules 0.62, ``--learned`` 0.61), then opened in session 15.
``fresh17`` (session 14) was scored once by the lead in session 16 (main d6f36e3, no extractor change that session;
results committed as a4a6b21: rules 0.61, ``--learned`` 0.60), then opened in session 16.
``fresh18`` (session 14) was scored once by the lead in session 17 (main 44a3b946, no extractor change that session;
results committed as 53c62ec7: rules 0.62, ``--learned`` 0.63), then opened in session 17.
``fresh19`` (session 15) was scored once by the lead at the start of session 18 (main 09f3bf1e, rules unchanged since
6c809318; results committed as 56cb5a34: rules 0.49, ``--learned`` 0.48), then opened in session 18.
``fresh20`` (session 17) was scored once by the lead at the start of session 19 (main 6f192867, rules unchanged since
6c809318; results committed as 9c2fddc8: rules 0.54, ``--learned`` 0.54), then opened in session 19.
``fresh21`` (session 18) was scored once by the lead at the start of session 20 (main b303859b, rules unchanged since
6c809318; results committed as 1b3c9f41: rules 0.57, ``--learned`` 0.56), then opened in session 20.
``fresh22`` (session 19) was scored once by the lead at the start of session 21 (main 86461232, rules unchanged since
6c809318; results committed as 597e93ad: rules 0.49, ``--learned`` 0.49), then opened in session 21.
``fresh23`` (session 22) was scored once by the lead in session 22 (lead22 7e6d6bc2, the news code of main since;
results committed as 633ce4c6: rules 0.40, ``--learned`` 0.37), then opened in session 22.
``fresh24`` (session 23) was scored once by the lead in session 23 (lead23 faa94b88, the news code of main since;
results committed as 9a29b2cc: rules 0.53, ``--learned`` 0.54), then opened in session 23.
``fresh25`` (session 24) was scored once by the lead in session 24 (lead24 3cca38ea, the news code of main since;
results committed as a4257b32: rules 0.43, ``--learned`` 0.43), then opened in session 24.
``fresh26`` (session 25) was scored once by the lead in session 25 (lead25 f51261ed, the news code of main since;
results committed as 3be7fb3a: rules 0.54, ``--learned`` 0.50), then opened in session 25.
``work`` scores the development reports (``dev`` and ``fresh`` to ``fresh26``); ``work5`` the five sets
that were readable before session 7 (``dev``, ``fresh`` to ``fresh4``: session 6's ``work``), to compare
with earlier figures.

A set in ``HELD_OUT`` is SEALED (none since session 25 opened ``fresh26``, the last one; a new set labelled by hand
joins it until the lead scores it once):
labelled by hand without the extractor, scored once by the lead after the last change to the extractor, its
errors never listed. No development figure includes it: ``open`` is every report except the sealed sets, and
``all`` means the same; ``--split`` on a sealed set prints its totals only (the overall line and the speed):
``--errors`` and ``--curve`` are refused on it, and no breakdown by language, quantity, confidence level, kind
of error or kind of distractor is printed. ``spent``
is the part of ``dev`` that was the first held-out split (scored four times, then moved into
dev; see the data's README).

A proposal at or above ``--min-confidence`` (the threshold ``caravana news review``
shows by default) matches a label when it is from the same report, of the same
quantity and place, dated within a day, and its value is within 5 % (both empty for
arrivals and departures); each label is matched at most once, the most confident
proposals first. It prints precision, recall and F1 overall, by language and by
quantity; how many listed distractors were taken; and the time to read ``--reports``
reports (the split's files, repeated as needed), in CPU seconds (the machine is shared,
so wall time is also shown and is noisy).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

from caravana import load_scenario
from caravana.news.extract import extract
from caravana.news.loading import load_reports
from caravana.news.mover import load_mover
from caravana.news.numbers import find_numbers
from caravana.news.places import Gazetteer
from caravana.news.rescore import load_model
from caravana.news.scoring import prf, score, value_matches

ROOT = Path(__file__).resolve().parents[1]
WORK5 = {"dev", "fresh", "fresh2", "fresh3", "fresh4"}  # readable before session 7 (session 6's `work`)
WORK = WORK5 | {"fresh5", "fresh6", "fresh7", "fresh8", "fresh9", "fresh10", "fresh11", "fresh12",
                "fresh13", "fresh14", "fresh15", "fresh16", "fresh17", "fresh18",
                "fresh19", "fresh20", "fresh21", "fresh22",
                "fresh23", "fresh24", "fresh25",
                "fresh26"}  # session 25's development reports (fresh26 opened after its one score)
# sealed: errors never listed, left out of `open` and `all` (none since fresh26 was opened in session 25)
HELD_OUT: set[str] = set()


def old_split(manifest: list[dict], data: Path) -> dict:
    """The first dev/test draw of batches 1-2, from the data set's own split.py."""
    spec = importlib.util.spec_from_file_location("news_split", data / "split.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.old_split(manifest)


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def line(name: str, tp: int, fp: int, fn: int) -> str:
    p, r, f = prf(tp, fp, fn)
    return f"{name:<18} {tp + fn:>6} {tp + fp:>9} {tp:>5} {p:>9.2f} {r:>7.2f} {f:>6.2f}"


def distractors_taken(proposals, distractors, language_of) -> tuple[int, int, dict]:
    """(listed distractors that some proposal took, all listed, taken by kind)."""
    taken, by_kind = 0, defaultdict(lambda: [0, 0])
    for d in distractors:
        values = [n.value for n in find_numbers(d["number"], language_of[d["file"]])]
        if not values:
            continue
        by_kind[d["kind"]][1] += 1
        sentence = " ".join(d["sentence"].split())
        if any(Path(p.file).name == d["file"] and p.value is not None and abs(p.value - values[0]) < 0.5
               and " ".join(p.sentence.split()) == sentence for p in proposals):
            taken += 1
            by_kind[d["kind"]][0] += 1
    return taken, sum(v[1] for v in by_kind.values()), by_kind


def wrong_kinds(wrong, missed) -> dict:
    """How many false proposals have a missed label of the same report with the same value (or both no value)
    but another day (``day``), quantity (``quantity``) or place (``place``); ``no label`` otherwise."""
    kinds = {"day": 0, "quantity": 0, "place": 0, "no label": 0}
    for p in wrong:
        near = [m for m in missed if m["file"] == Path(p.file).name and value_matches(p, m)]
        if any(m["quantity"] == p.quantity.value and m["place"] == p.place for m in near):
            kinds["day"] += 1
        elif any(m["quantity"] == p.quantity.value for m in near):
            kinds["place"] += 1
        elif near:
            kinds["quantity"] += 1
        else:
            kinds["no label"] += 1
    return kinds


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "news")
    ap.add_argument("--split", default="dev", choices=("dev", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6",
                                                       "fresh7", "fresh8", "fresh9", "fresh10", "fresh11", "fresh12", "fresh13",
                                                       "fresh14", "fresh15", "fresh16", "fresh17", "fresh18", "fresh19", "fresh20",
                                                       "fresh21", "fresh22", "fresh23", "fresh24", "fresh25", "fresh26", "work",
                                                       "work5", "open", "all", "spent"))
    ap.add_argument("--batch", help="only the reports of this batch (the order they were added in; see the data's README)")
    ap.add_argument("--min-confidence", type=float, default=0.5)
    ap.add_argument("--reports", type=int, default=100, help="reports read for the speed figure")
    ap.add_argument("--learned", action="store_true",
                    help="the confidence of the learned rescorer (news/rescorer.json; `news extract --learned`)")
    ap.add_argument("--moves", action="store_true",
                    help="also the learned movement proposer's rows (news/mover.json; `news extract --moves`)")
    ap.add_argument("--errors", action="store_true", help="list misses and false proposals (never on a sealed split)")
    ap.add_argument("--curve", action="store_true",
                    help="also print precision, recall and F1 at each confidence threshold (the review threshold's "
                         "choice) and the precision at each level (never on a sealed split)")
    args = ap.parse_args(argv)
    sealed = args.split in HELD_OUT
    if sealed and (args.errors or args.curve):
        # a sealed set's totals only: per-level precision or errors by kind would show what to fix on it
        print(f"error: --errors and --curve break down mistakes on the development reports only "
              f"({args.split} is sealed: its totals only)", file=sys.stderr)
        sys.exit(2)

    manifest = read_csv(args.data / "reports.csv")
    if args.split == "spent":
        spent = {f for f, s in old_split(manifest, args.data).items() if s == "test"}
        chosen = [r for r in manifest if r["file"] in spent]
    else:
        if args.split in ("open", "all"):  # the development reports (an allowlist: a new set is sealed until listed)
            chosen = [r for r in manifest if r["split"] in WORK]
        else:
            wanted = {"work": WORK, "work5": WORK5}.get(args.split, {args.split})
            chosen = [r for r in manifest if r["split"] in wanted]
    if args.batch:
        chosen = [r for r in chosen if r["batch"] == args.batch]
    if not chosen:
        sys.exit(f"error: no report in split {args.split}" + (f", batch {args.batch}" if args.batch else ""))
    names = {r["file"] for r in chosen}
    language_of = {r["file"]: r["language"] for r in manifest}
    labels = [label for label in read_csv(args.data / "labels.csv") if label["file"] in names]
    distractors = [d for d in read_csv(args.data / "distractors.csv") if d["file"] in names]

    gazetteer = Gazetteer.from_scenario(load_scenario("corridor"))
    reports = load_reports([str(args.data / r["file"]) for r in chosen])
    model = load_model() if args.learned else None
    mover = load_mover() if args.moves else None
    every = extract(reports, gazetteer, model=model, mover=mover)
    proposals = [p for p in every if p.confidence >= args.min_confidence]
    hits, wrong, missed = score(proposals, labels)

    print(f"split {args.split}: {len(chosen)} reports "
          f"({sum(r['language'] == 'es' for r in chosen)} es, {sum(r['language'] == 'en' for r in chosen)} en), "
          f"{len(labels)} labels, {len(proposals)} proposals at confidence >= {args.min_confidence}")
    print(f"{'':<18} {'labels':>6} {'proposals':>9} {'match':>5} {'precision':>9} {'recall':>7} {'F1':>6}")
    print(line("overall", len(hits), len(wrong), len(missed)))
    if not sealed:
        breakdowns(args, every, labels, hits, wrong, missed, proposals, distractors, language_of)
    speed(args, chosen, gazetteer)


def breakdowns(args, every, labels, hits, wrong, missed, proposals, distractors, language_of) -> None:
    """By language and quantity, by confidence (``--curve``), by kind of error and of distractor, and the
    errors themselves (``--errors``): for the development reports, never a sealed set."""
    for lang in ("es", "en"):
        print(line(f"language {lang}", sum(language_of[label["file"]] == lang for _, label in hits),
                   sum(language_of[Path(p.file).name] == lang for p in wrong),
                   sum(language_of[label["file"]] == lang for label in missed)))
    quantities = sorted({label["quantity"] for label in labels} | {p.quantity.value for p in wrong})
    for q in quantities:
        print(line(q, sum(label["quantity"] == q for _, label in hits), sum(p.quantity.value == q for p in wrong),
                   sum(label["quantity"] == q for label in missed)))

    if args.curve:
        print(f"\n{'threshold':<18} {'labels':>6} {'proposals':>9} {'match':>5} {'precision':>9} {'recall':>7} {'F1':>6}")
        for threshold in (0.3, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9):
            h, w, m = score([p for p in every if p.confidence >= threshold], labels)
            print(line(f">= {threshold}", len(h), len(w), len(m)))

    if args.curve:  # is the confidence a probability? precision of the proposals at each level, by kind
        print(f"\n{'at level':<18} {'proposals':>9} {'match':>5} {'precision':>9}   (counts | movements)")
        right = {id(p) for p, _ in score(every, labels)[0]}
        for level in sorted({p.confidence for p in every}):
            at = [p for p in every if p.confidence == level]
            counts = [p for p in at if p.value is not None]
            print(f"{'= ' + str(level):<18} {len(at):>9} {sum(id(p) in right for p in at):>5} "
                  f"{sum(id(p) in right for p in at) / len(at):>9.2f}   "
                  f"{sum(id(p) in right for p in counts)}/{len(counts)} | "
                  f"{sum(id(p) in right for p in at if p.value is None)}/{len(at) - len(counts)}")

    print("\nfalse proposals by what is wrong: " + "  ".join(f"{k} {n}" for k, n in wrong_kinds(wrong, missed).items()))

    taken, listed, by_kind = distractors_taken(proposals, distractors, language_of)
    print(f"\ndistractors taken: {taken} of {listed} listed  "
          + "  ".join(f"{kind} {t}/{n}" for kind, (t, n) in sorted(by_kind.items())))

    if args.errors:
        print("\nmissed labels:")
        for label in missed:
            print(f"  {label['file']}: {label['date']} {label['quantity']} {label['place'] or '-'} "
                  f"{label['value'] or ''} | {label['sentence'][:140]}")
        print("false proposals:")
        for p in wrong:
            print(f"  {Path(p.file).name}: {p.date} {p.quantity.value} {p.place or '-'} {p.value or ''} "
                  f"({p.confidence:.2f}) [{p.evidence}] | {p.sentence[:140]}")


def speed(args, chosen, gazetteer) -> None:
    """The split's files again and again up to --reports, read from disk and extracted."""
    files = [str(args.data / r["file"]) for r in chosen]
    batch = [files[i % len(files)] for i in range(args.reports)]
    cpu, wall = time.process_time(), time.perf_counter()
    n = len(extract(load_reports(batch), gazetteer, model=load_model() if args.learned else None,
                    mover=load_mover() if args.moves else None))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    chars = sum(len(Path(f).read_text(encoding="utf-8")) for f in batch)
    print(f"\nspeed: {args.reports} reports ({chars / 1000:.0f} k characters), {n} proposals: "
          f"{cpu:.2f} s CPU, {wall:.2f} s wall (shared machine), peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
