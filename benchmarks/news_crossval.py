"""Does the learned rescorer generalise? Cross-validation grouped by caravan, rules as the baseline.

    nice -n 10 python benchmarks/news_crossval.py [--data tests/data/news] [--folds 5] [--draws 1000] [--seed 0]
    # needs scikit-learn (the news-train extra)

The open labelled reports (every split but a sealed one, which is never read; ``fresh13`` and
``fresh14`` are open since session 13, ``fresh15`` since session 14, ``fresh16`` since session 15, ``fresh17`` since
session 16, ``fresh18`` since session 17, ``fresh19`` since session 18, ``fresh20`` since session 19, ``fresh21``
since session 20, ``fresh22`` since session 21, ``fresh23`` since session 22, ``fresh24`` since session 23, ``fresh25``
since session 24, ``fresh26`` since session 25) are split
into ``--folds`` folds by the caravan each report is on (``reports.csv``'s ``caravan``, joined into groups by
``caravan_groups`` since the review of session 8: one caravan is spelled several ways; ``--raw-caravans`` folds on the
keys as written, as every run before): a fold never trains on a caravan it is tested on. For each fold, the rules'
proposals of the other folds' reports (at any confidence) train the rescorer (``news/train.py``: 1 if a proposal matches a hand
label, else 0), and each variant is scored on the fold's reports, against all their labels, at
threshold 0.5 by the benchmark's matching rule (``news/scoring.py``):

- ``rules``: the rules' own confidence (the extractor of session 7);
- ``lr-dense``: a logistic regression re-scores the rules' proposals from features of the proposal,
  its report and the cue-word families around the figure (``news/rescore.py``), no words;
- ``lr-words``: the same plus the words around the figure (in at least 5 training reports);
- ``chooser``: the rules' proposals and the other readings of their figures
  (``news/candidates.py``: the caravan's size, people present at a place the sentence names, an
  event in its country, another day), the same regression (dense features) choosing the most
  probable reading of each figure (``rescore.choose``);
- ``chooser-words``: the chooser with the words as well.

Every setting (C = 1, words in >= 5 reports, the threshold 0.5) was fixed before the first run of
each variant. The first run (session 8, commit f6da89f) also scored gradient-boosted trees on the
dense features (scikit-learn's HistGradientBoostingClassifier): pooled F1 0.75 against the rules'
0.77, not kept (``benchmarks/results/news_crossval-2026-11-26-session8.txt``).
It prints the pooled precision, recall and F1 of each variant, the range over the folds, and a 95 %
bootstrap interval over caravans (``--draws`` resamples of the caravans, paired: the same draw for
every variant) of F1 and of the difference in F1 with the rules.

A second test, ``--test-split`` (default ``fresh8``): the rules were never written from fresh8's reports
(scored twice with the frozen extractor of session 7, then opened in session 8), so training on the other
open reports and testing on fresh8 is an open figure where neither the rules nor the model saw the
reports. ``fresh9`` (sealed in session 8, opened in session 9) was such a set until session 9's rules
were written from its errors (from 00:00 UTC of session 9): a development figure since; ``fresh10`` (sealed
in session 9, opened in session 10) likewise from 03:00 UTC of session 10. The rules
themselves were written from every other open report, so on those the ``rules`` baseline (and the
candidates every variant chooses from) is a development figure, not an unseen one. The first readings
(``--first-reads``) hold fresh3-fresh10 as each frozen extractor first read them.

Leave one set out (``--by-set``, session 11): the folds are the sets that were once sealed (``LOSO_SETS``,
fresh7 to fresh26), one at a time; everything else open trains (each report's group key becomes its set and its
caravan, so a fold drops exactly its set). On the first readings (``--first-reads``) that is the honest figure of
a method: the rules' candidates are those the frozen extractor made when the set was unseen, and the model never
trained on the set. On today's rules it is a development figure for every fold: fresh7-fresh10's errors shaped the
rules, and fresh11's listed errors (session 11, ``news_error_stages.py``) shaped the chooser of 1174ca4. fresh12
(opened in session 12; first reading d405114) is a sixth fold: its model never trains on it, but any proposal
rule written from its listed errors makes its fold a development figure too (say so with the figure). fresh13
(opened in session 13; first reading 1a1695c, the news code of main 59f3ffa that the lead scored) is a seventh fold,
under the same caveat; fresh14 (opened later in session 13; first reading 53f3fb5, the news code of main 8aab973 that
the lead scored) is an eighth; fresh15 (opened in session 14; first reading dde58e2, the news code the lead scored) is
a ninth; fresh16 (opened in session 15; first reading 9f148bc, the news code the lead scored) is a tenth; fresh17
(opened in session 16; first reading d6f36e3, the news code the lead scored) is an eleventh; fresh18
(opened in session 17; first reading 44a3b946, the news code the lead scored) is a twelfth; fresh19 (opened in session
18; first reading 09f3bf1e, the news code the lead scored) is a thirteenth; fresh20 (opened in session 19; first
reading 6f192867, the news code the lead scored) is a fourteenth; fresh21 (opened in session 20; first reading
b303859b, the news code the lead scored) is a fifteenth; fresh22 (opened in session 21; first reading 597e93ad, the news
code the lead scored) is a sixteenth; fresh23 (opened in session 22; first reading 7e6d6bc2, the news code the lead
scored) is a seventeenth; fresh24 (opened in session 23; first reading faa94b88, the news code the lead scored) is an
eighteenth; fresh25 (opened in session 24; first reading 3cca38ea, the news code the lead scored) is a nineteenth;
fresh26 (opened in session 25; first reading f51261ed, the news code the lead scored) is a twentieth.

Why the movement proposer loses a movement (``--moves --why``, session 12): for each first-read movement label the
frozen extractor never proposed, its best candidate, the candidate of its sentence that beats it and the cut; then the
proposer's false proposals by kind. ``--moves --cut-by-loso`` chooses each fold's proposer regularisation and cut by
leaving one of the other sets out in turn (nested), the fold itself never read.

Caveat (say it with any figure): recall is bounded by what the rules propose at any confidence
(printed as ``ceiling``); a rescorer only chooses among them.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

from caravana import load_scenario
from caravana.news.candidates import alternatives
from caravana.news.places import Gazetteer
from caravana.news.rescore import apply, choose, model_from_dict, rescore
from caravana.news.scoring import prf, score
from caravana.news.train import (
    C,
    examples,
    first_read_proposals,
    fit,
    open_labels,
    open_manifest,
    read_csv,
    rule_proposals,
)

ROOT = Path(__file__).resolve().parents[1]
FIRST_READS = ROOT / "tools" / "data" / "news_first_reads.csv"  # tools/news_first_reads.py
VARIANTS = ("rules", "lr-dense", "lr-words", "chooser", "chooser-words")
LOSO_SETS = ("fresh7", "fresh8", "fresh9", "fresh10", "fresh11", "fresh12", "fresh13",
             "fresh14", "fresh15", "fresh16", "fresh17", "fresh18",
             "fresh19", "fresh20", "fresh21", "fresh22", "fresh23", "fresh24",
             "fresh25", "fresh26")  # once sealed, each first read unseen


JOIN_DAYS = 3  # caravans whose keys start on days this close are one group (fixed before the regrouped run)


def caravan_groups(rows: list[dict]) -> dict[str, str]:
    """{caravan key: its group}. The manifest spells one caravan several ways ("2023-04-23 Tapachula
    (Viacrucis)" and "(Viacrucis 2023)"; "2024-03-24 Tapachula" and "2024-03-25 ... (Viacrucis Migrante
    2024)"), so folds grouped on the raw key would train on the caravan they test. Keys whose start days
    are at most ``JOIN_DAYS`` apart are joined, one after another (a chain), and a key that gives only a
    month ("2022-04 Tapachula (Viacrucis Doloroso)") joins every key of that month: a grouping that can
    only be too coarse, never too fine (a fold then holds out more than one caravan, which is stricter)."""
    import datetime as dt
    import re

    keys = sorted({r["caravan"] for r in rows})
    parent = {k: k for k in keys}

    def root(k: str) -> str:
        while parent[k] != k:
            k = parent[k]
        return k

    def join(a: str, b: str) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    days = {k: dt.date.fromisoformat(m.group()) for k in keys if (m := re.match(r"\d{4}-\d{2}-\d{2}", k))}
    dated = sorted(days, key=lambda k: (days[k], k))
    for a, b in zip(dated, dated[1:]):
        if (days[b] - days[a]).days <= JOIN_DAYS:
            join(a, b)
    for k in keys:
        if k not in days and (m := re.match(r"\d{4}-\d{2}(?!-\d)", k)):
            for other in keys:
                if other != k and other.startswith(m.group()):
                    join(k, other)
    return {k: root(k) for k in keys}


def grouped(rows: list[dict]) -> list[dict]:
    """The manifest ``rows`` with each ``caravan`` replaced by its group (``caravan_groups``)."""
    group = caravan_groups(rows)
    return [{**r, "caravan": group[r["caravan"]]} for r in rows]


def by_set(rows: list[dict]) -> list[dict]:
    """The manifest ``rows`` with each ``caravan`` keyed by its set too ("fresh9|2021-10-23"), so that a fold of
    keys is a set of reports (``set_folds``)."""
    return [{**r, "caravan": f"{r['split']}|{r['caravan']}"} for r in rows]


def set_folds(rows: list[dict]) -> list[set[str]]:
    """One fold per set of ``LOSO_SETS`` that ``rows`` hold: the group keys of its reports (``by_set``)."""
    return [fold for s in LOSO_SETS if (fold := {r["caravan"] for r in rows if r["split"] == s})]


def folds_of(rows: list[dict], args) -> list[set[str]]:
    return set_folds(rows) if getattr(args, "by_set", False) else group_folds(rows, args.folds)


def group_folds(rows: list[dict], k: int) -> list[set[str]]:
    """k sets of caravans, the largest caravans first, each into the fold with fewest reports so far
    (deterministic; GroupKFold's rule, written out so the folds do not depend on a library's version)."""
    size: dict[str, int] = defaultdict(int)
    for r in rows:
        size[r["caravan"]] += 1
    folds: list[set[str]] = [set() for _ in range(k)]
    load = [0] * k
    for caravan in sorted(size, key=lambda c: (-size[c], c)):
        i = min(range(k), key=lambda j: (load[j], j))
        folds[i].add(caravan)
        load[i] += size[caravan]
    return folds


def kept_by_variant(train, test_rows, proposals, gazetteer) -> dict[str, list]:
    """{variant: the proposals of the test reports kept at 0.5, with that variant's confidence}."""
    kept: dict[str, list] = {v: [] for v in VARIANTS}
    rules_only = [e for e in train if e.proposal.reading == "rules"]
    models = {"lr-dense": model_from_dict(fit(rules_only, words=False)), "lr-words": model_from_dict(fit(rules_only, words=True)),
              "chooser": model_from_dict(fit(train, words=False)), "chooser-words": model_from_dict(fit(train, words=True))}
    for r in test_rows:
        found = proposals[r["file"]]
        candidates = found + alternatives(found, gazetteer)
        kept["rules"] += [p for p in found if p.confidence >= 0.5]
        for name in ("lr-dense", "lr-words"):
            kept[name] += [p for p in rescore(found, models[name]) if p.confidence >= 0.5]
        for name in ("chooser", "chooser-words"):
            kept[name] += [p for p in choose(candidates, models[name]) if p.confidence >= 0.5]
    return kept


def counts_by_caravan(kept, labels, caravan_of) -> dict[str, list[int]]:
    """{caravan: [tp, fp, fn]}."""
    hits, wrong, missed = score(kept, labels)
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for _, label in hits:
        out[caravan_of[label["file"]]][0] += 1
    for p in wrong:
        out[caravan_of[Path(p.file).name]][1] += 1
    for label in missed:
        out[caravan_of[label["file"]]][2] += 1
    return out


def summed(per_caravan: dict, caravans) -> tuple[int, int, int]:
    tp = sum(per_caravan[c][0] for c in caravans if c in per_caravan)
    fp = sum(per_caravan[c][1] for c in caravans if c in per_caravan)
    fn = sum(per_caravan[c][2] for c in caravans if c in per_caravan)
    return tp, fp, fn


def interval(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return values[int(0.025 * len(values))], values[min(len(values) - 1, int(0.975 * len(values)))]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "news")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--first-reads", action="store_true",
                    help="also cross-validate on the first readings of the held-out sets (tools/news_first_reads.py)")
    ap.add_argument("--first-reads-file", type=Path, default=FIRST_READS, metavar="CSV",
                    help="the first readings (default tools/data/news_first_reads.csv): another file of "
                         "tools/news_first_reads.py's columns, e.g. one a study built (session 13's change K)")
    ap.add_argument("--nested", action="store_true",
                    help="with --by-set --first-reads-only: also 'open-nested', the open recipe with its C and review "
                         "cut chosen by leaving one of the other sets out in turn (session 13, change T)")
    ap.add_argument("--reach", type=Path, help="first readings made without the count filter "
                    "(tools/news_first_reads.py --no-count-filter): how many more labels they reach")
    ap.add_argument("--first-reads-only", action="store_true", help="only the cross-validation on the first readings")
    ap.add_argument("--raw-caravans", action="store_true",
                    help="fold on the manifest's caravan keys as written (before session 8's regrouping: one caravan "
                         "spelled two ways could be in two folds)")
    ap.add_argument("--test-split", default="fresh8",
                    help="the open split the second test holds out (trained on the other open reports)")
    ap.add_argument("--by-set", action="store_true",
                    help="leave one set out: the folds are LOSO_SETS (fresh7-fresh26), not groups of caravans")
    ap.add_argument("--moves", action="store_true",
                    help="only the learned movement proposer (news/mover.py): open reports and first readings")
    ap.add_argument("--cut-by-loso", action="store_true",
                    help="with --moves --by-set: each fold's proposer regularisation and cut chosen from MOVER_CS x CUTS "
                         "by leaving one of the other sets out in turn (nested; session 12), not train.C and "
                         "mover.MIN_SHOWN")
    ap.add_argument("--why", action="store_true",
                    help="with --moves: why the proposer loses each first-read movement label its candidates hold, "
                         "and what its false proposals are (one row each, by fold)")
    args = ap.parse_args(argv)
    cpu = time.process_time()
    if args.moves:
        moves(args)
        print(f"\nCPU {time.process_time() - cpu:.1f} s")
        return

    rows = open_manifest(args.data) if args.raw_caravans else grouped(open_manifest(args.data))
    rows = by_set(rows) if args.by_set else rows
    names = {r["file"] for r in rows}
    labels = open_labels(args.data, names)
    caravan_of = {r["file"]: r["caravan"] for r in rows}
    gazetteer = Gazetteer.from_scenario(load_scenario("corridor"))
    proposals = rule_proposals(args.data, rows, gazetteer)
    every = examples(rows, proposals, labels, gazetteer)
    rules = [e for e in every if e.proposal.reading == "rules"]
    ceiling = score([e.proposal for e in rules], labels)[0]
    wide = score([e.proposal for e in every], labels)[0]
    print(f"open reports: {len(rows)} on {len(set(caravan_of.values()))} caravans, {len(labels)} labels; "
          f"the rules propose {len(rules)} at any confidence, {sum(e.label for e in rules)} of them right "
          f"(ceiling of recall: {len(ceiling) / len(labels):.2f}); with the other readings {len(every)} candidates, "
          f"{sum(e.label for e in every)} right (ceiling {len(wide) / len(labels):.2f})")

    if not args.first_reads_only:
        cross_validate(rows, labels, args, VARIANTS,
                       lambda fold, test_rows: kept_by_variant([e for e in every if e.caravan not in fold], test_rows,
                                                               proposals, gazetteer))

    # a split the rules were never written from (fresh8): train on the other open reports
    test_rows = [r for r in rows if r["split"] == args.test_split]
    if test_rows and not args.first_reads_only:
        test_names = {r["file"] for r in test_rows}
        train = [e for e in every if e.file not in test_names]
        kept = kept_by_variant(train, test_rows, proposals, gazetteer)
        fold_labels = [label for label in labels if label["file"] in test_names]
        print(f"\n{args.test_split} ({len(test_rows)} reports, {len(fold_labels)} labels; trained on the other "
              f"{len({e.file for e in train})} reports with proposals)")
        for v in VARIANTS:
            hits, wrong, missed = score(kept[v], fold_labels)
            p, r, f = prf(len(hits), len(wrong), len(missed))
            print(f"{v:<13} {len(hits) + len(wrong):>9} {len(hits):>5} {p:>5.2f} {r:>5.2f} {f:>5.2f}")
    if args.first_reads or args.first_reads_only:
        first_reads(args, rows, labels, every, gazetteer)
    print(f"\nCPU {time.process_time() - cpu:.1f} s")


def cross_validate(rows, labels, args, variants, kept_of) -> None:
    """Folds of ``rows`` grouped by caravan; ``kept_of(fold's caravans, test rows)`` gives each variant's
    kept proposals on the fold's reports; prints each fold, then the pooled figures with intervals."""
    caravan_of = {r["file"]: r["caravan"] for r in rows}
    folds = folds_of(rows, args)
    per_caravan: dict[str, dict] = {v: {} for v in variants}
    print(f"\n{'fold':<6} {'reports':>7} {'labels':>6}  " + "  ".join(f"{v + ' P/R/F1':>22}" for v in variants))
    for i, fold in enumerate(folds):
        test_rows = [r for r in rows if r["caravan"] in fold]
        test_names = {r["file"] for r in test_rows}
        fold_labels = [label for label in labels if label["file"] in test_names]
        kept = kept_of(fold, test_rows)
        cells = []
        for v in variants:
            counts = counts_by_caravan(kept[v], fold_labels, caravan_of)
            per_caravan[v].update(counts)
            p, r, f = prf(*summed(counts, fold))
            cells.append(f"{p:.2f} / {r:.2f} / {f:.2f}")
        name = test_rows[0]["split"] if getattr(args, "by_set", False) else str(i + 1)
        print(f"{name:<7} {len(test_rows):>6} {len(fold_labels):>6}  " + "  ".join(f"{c:>22}" for c in cells))

    caravans = sorted(set().union(*folds))  # the tested ones (leave one set out tests five sets only)
    rng = random.Random(args.seed)
    draws = [[rng.choice(caravans) for _ in caravans] for _ in range(args.draws)]
    print(f"\npooled over the {len(folds)} folds (95 % interval: {args.draws} bootstrap draws of the "
          f"{len(caravans)} caravans, seed {args.seed})")
    print(f"{'variant':<13} {'proposals':>9} {'match':>5} {'P':>5} {'R':>5} {'F1':>5}  {'F1 interval':>12}  "
          f"{'F1 - rules':>10}  {'interval':>14}")
    base = [prf(*summed(per_caravan["rules"], d))[2] for d in draws]
    for v in variants:
        tp, fp, fn = summed(per_caravan[v], caravans)
        p, r, f = prf(tp, fp, fn)
        boot = [prf(*summed(per_caravan[v], d))[2] for d in draws]
        diff = [b - a for a, b in zip(base, boot, strict=True)]
        lo, hi = interval(boot)
        dlo, dhi = interval(diff)
        print(f"{v:<13} {tp + fp:>9} {tp:>5} {p:>5.2f} {r:>5.2f} {f:>5.2f}  {lo:>5.2f}-{hi:<6.2f}  "
              f"{f - prf(*summed(per_caravan['rules'], caravans))[2]:>+10.3f}  {dlo:>+6.3f}..{dhi:<+6.3f}")


def out_of_reach(found: dict[str, list], labels: list[dict]) -> None:
    """Which labels no proposal of the rules matches at any confidence (no gate can take them), by
    quantity, and what the rules got wrong about them."""
    from collections import Counter

    from caravana.news.scoring import value_matches

    missed = score([p for ps in found.values() for p in ps], labels)[2]
    total, lost = Counter(label["quantity"] for label in labels), Counter(label["quantity"] for label in missed)
    print("labels within reach of the rules' proposals at any confidence, by quantity: " + ", ".join(
        f"{q} {total[q] - lost[q]}/{total[q]}" for q in sorted(total, key=lambda q: -total[q])))
    kinds: Counter = Counter()
    for m in missed:
        same = [p for p in found.get(m["file"], []) if value_matches(p, m)]
        if not m["value"]:
            kinds["a movement never proposed at that place and day"] += 1
        elif any(p.quantity.value == m["quantity"] and p.place == m["place"] for p in same):
            kinds["the figure, quantity and place on another day"] += 1
        elif any(p.quantity.value == m["quantity"] for p in same):
            kinds["the figure and quantity at another place"] += 1
        else:
            kinds["the figure under another quantity" if same else "a figure never proposed"] += 1
    print("the labels out of reach: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))


def where_out_of_reach(found: dict[str, list], labels: list[dict], data: Path, rows: list[dict], gazetteer) -> None:
    """Of the labels out of reach (``out_of_reach``): for a movement, where the report names its town (its own
    sentence, the dateline, the sentence before, the headline, earlier, only later, nowhere) and whether the
    sentence has a movement verb (``movement.movement_verb``); for a figure no proposal holds, whether the number
    finder finds it and in what form (digits, words, both). Session 12: what a new candidate could reach."""
    import re
    from collections import Counter

    from caravana.news.extract import _home_town
    from caravana.news.movement import movement_verb
    from caravana.news.numbers import find_numbers
    from caravana.news.scoring import value_matches
    from caravana.news.sentences import split_sentences
    from caravana.news.textnorm import fold
    from caravana.news.train import load_open_reports, same_sentence

    missed = score([p for ps in found.values() for p in ps], labels)[2]
    wanted = {m["file"] for m in missed}
    reports = load_open_reports(data, [r for r in rows if r["file"] in wanted])
    moves: Counter = Counter()
    figures: Counter = Counter()
    for m in missed:
        if m["value"] and any(value_matches(p, m) for p in found.get(m["file"], [])):
            continue  # proposed under another reading: out_of_reach's other kinds
        report = reports[m["file"]]
        sentences = split_sentences(report.text, report.language)
        at = next((i for i, s in enumerate(sentences) if same_sentence(s.text, m["sentence"])), None)
        if at is None or len(sentences[at].text) < len(m["sentence"].strip()) / 2:  # "Huixtla.- La caravana ..." cut
            (figures if m["value"] else moves)["its sentence cut by the splitter"] += 1  # after "Huixtla."
            continue
        text = sentences[at].text
        if m["value"]:
            value = float(m["value"])
            numbers = [text[n.start:n.end] for n in find_numbers(text, report.language)
                       if abs(n.value - value) <= 0.05 * max(value, 1)]
            form = ("not found" if not numbers else "digits" if re.fullmatch(r"[\d.,\s]+", numbers[0])
                    else "digits and words" if re.search(r"\d", numbers[0]) else "words")
            figures[form] += 1
            continue

        named = [any(p.place == m["place"] for p in gazetteer.find(s.text)[0]) for s in sentences]
        verb = "verb" if movement_verb(fold(text)) else "no verb"
        if len(m["place"]) <= 2:
            where = "a country or no place"
        elif named[at]:
            where = "its own sentence"
        elif _home_town(sentences, gazetteer) == m["place"]:
            where = "the dateline"
        elif at and named[at - 1]:
            where = "the sentence before"
        elif named[0]:
            where = "the headline"
        else:
            where = "earlier" if any(named[:at]) else "only later" if any(named[at:]) else "nowhere (\"the border\")"
        moves[f"{where}, {verb}"] += 1
    print("movements never proposed, by where the report names the town: " + ", ".join(
        f"{k} {n}" for k, n in moves.most_common()))
    print("figures never proposed, by what the number finder makes of them: "
          + ", ".join(f"{k} {n}" for k, n in figures.most_common()))


FIRST_VARIANTS = ("rules", "first", "first+open", "open", "chooser", "chooser+open")
NESTED_CS = (0.1, 0.3, 1.0, 3.0)  # --nested (session 13, change T): the rescorer's C and review cut it chooses among
NESTED_CUTS = tuple(round(0.30 + 0.05 * i, 2) for i in range(9))  # 0.30 .. 0.70


def nested_choice(outer: set, rows, open_examples, found, labels) -> tuple[float, float]:
    """The (C, cut) of the ``open`` recipe with the highest F1 pooled over the once-sealed sets but the ``outer``
    sets, each read (its first reading) by a model trained on today's rules without it and without ``outer``;
    ties: C nearest 1, then the cut nearest 0.5. ``outer`` itself is never read (``by_set``'s keys: "set|caravan")."""
    def set_of(key: str) -> str:
        return key.split("|")[0]

    inner = [s for s in LOSO_SETS if s not in outer and any(r["split"] == s for r in rows)]
    counts = {(c, cut): [0, 0, 0] for c in NESTED_CS for cut in NESTED_CUTS}
    for held in inner:
        train = [e for e in open_examples if set_of(e.caravan) not in outer and set_of(e.caravan) != held]
        files = [r["file"] for r in rows if r["split"] == held]
        held_labels = [label for label in labels if label["file"] in set(files)]
        for c in NESTED_CS:
            model = model_from_dict(fit(train, words=False, c=c))
            read = [p for f in files for p in rescore(found[f], model)]
            for cut in NESTED_CUTS:
                hits, wrong, missed = score([p for p in read if p.confidence >= cut], held_labels)
                for i, n in enumerate((len(hits), len(wrong), len(missed))):
                    counts[(c, cut)][i] += n
    return max(counts, key=lambda k: (round(prf(*counts[k])[2], 6), -abs(math.log(k[0])), -abs(k[1] - 0.5)))


def rescorer_ceiling(proposals: list, labels: list[dict]) -> tuple[int, float, float]:
    """What a perfect ranking of ``proposals`` (at any confidence) could give: the labels they reach,
    and the recall and F1 with every right proposal kept and every false one dropped (precision 1)."""
    reach = len(score(proposals, labels)[0])
    return reach, reach / len(labels) if labels else 0.0, 2 * reach / (reach + len(labels)) if labels else 0.0


def first_reads(args, open_rows, labels, open_every, gazetteer) -> None:
    """The same cross-validation on what the rules did on reports they had never read: each held-out
    set's proposals by the extractor frozen when the set was first scored (``tools/news_first_reads.py``).
    ``rules``: that extractor's confidence; ``first``: the regression trained on the first readings of
    the other folds' caravans; ``first+open``: also on today's rules on the open reports of those
    caravans; ``open``: on today's rules only (what the shipped model of the first landing was);
    ``chooser``: the first readings' proposals and the other readings of their figures
    (``news/candidates.py``), the regression trained on those of the other folds choosing
    (``rescore.choose``); ``chooser+open``: also trained on today's rules' readings and alternatives."""
    found = first_read_proposals(args.first_reads_file)
    sets = {r["set"] for r in read_csv(args.first_reads_file)}
    rows = [r for r in open_rows if r["split"] in sets]
    found = {r["file"]: found.get(r["file"], []) for r in rows}
    first = examples(rows, found, labels)
    wide = examples(rows, found, labels, gazetteer)  # with the other readings of each figure
    open_examples = [e for e in open_every if e.proposal.reading == "rules"]
    names = {r["file"] for r in rows}
    print(f"\nFIRST READINGS: {len(rows)} reports of {', '.join(sorted(sets))} on "
          f"{len({r['caravan'] for r in rows})} caravans, {sum(label['file'] in names for label in labels)} labels; "
          f"the frozen extractors proposed {len(first)}, {sum(e.label for e in first)} right; with the other readings "
          f"{len(wide)} candidates, {sum(e.label for e in wide)} right (labels within reach: rules "
          f"{len(score([e.proposal for e in first], labels)[0])}, with the other readings "
          f"{len(score([e.proposal for e in wide], labels)[0])})")

    variants = FIRST_VARIANTS + (("open-nested",) if args.nested else ())

    def kept_of(fold, test_rows):
        own = [e for e in first if e.caravan not in fold]
        today = [e for e in open_examples if e.caravan not in fold]
        own_wide = [e for e in wide if e.caravan not in fold]
        today_wide = [e for e in open_every if e.caravan not in fold]
        models = {"first": model_from_dict(fit(own, words=False)), "first+open": model_from_dict(fit(own + today, words=False)),
                  "open": model_from_dict(fit(today, words=False))}
        choosers = {"chooser": model_from_dict(fit(own_wide, words=False)),
                    "chooser+open": model_from_dict(fit(own_wide + today_wide, words=False))}
        kept: dict[str, list] = {v: [] for v in variants}
        if args.nested:
            outer = {key.split("|")[0] for key in fold}
            c, cut = nested_choice(outer, rows, open_examples, found, labels)
            print(f"  (open-nested, fold {', '.join(sorted(outer))}: C {c:g}, cut {cut:.2f}, chosen on the other sets)")
            nested = model_from_dict(fit(today, words=False, c=c))
            kept["open-nested"] = [p for r in test_rows for p in rescore(found[r["file"]], nested) if p.confidence >= cut]
        test = {r["file"] for r in test_rows}
        truth = [e.label for e in first if e.file in test]
        ranked["truth"] += truth
        ranked["rules"] += [e.proposal.confidence for e in first if e.file in test]
        for r in test_rows:
            kept["rules"] += [p for p in found[r["file"]] if p.confidence >= 0.5]
            every_confidence["rules"] += found[r["file"]]
            every_confidence["open"] += rescore(found[r["file"]], models["open"])
            for name, model in models.items():
                kept[name] += [p for p in rescore(found[r["file"]], model) if p.confidence >= 0.5]
            for name, model in choosers.items():
                kept[name] += [p for p in apply(found[r["file"]], gazetteer, model) if p.confidence >= 0.5]
        for name, model in {**models, **choosers}.items():
            ranked[name] += [model.probability(e.features) for e in first if e.file in test]
        return kept

    out_of_reach(found, [label for label in labels if label["file"] in names])
    tested = {r["file"] for fold in folds_of(rows, args) for r in rows if r["caravan"] in fold}
    print(f"on the {len(folds_of(rows, args))} folds' sets only:")
    where_out_of_reach(found, [label for label in labels if label["file"] in tested], args.data, rows, gazetteer)
    if args.reach:
        unfiltered = first_read_proposals(args.reach)
        every_set = [label for label in labels if label["file"] in names]
        print(f"without the frozen extractors' count filter (distractors): "
              f"{sum(len(v) for f, v in unfiltered.items() if f in names)} proposals (against {len(first)}), "
              f"{len(score([p for f, v in unfiltered.items() if f in names for p in v], every_set)[0])} labels within "
              f"reach (against {len(score([e.proposal for e in first], every_set)[0])})")
    ranked: dict[str, list] = {v: [] for v in ("truth", *FIRST_VARIANTS)}
    every_confidence: dict[str, list] = {"rules": [], "open": []}  # every proposal, each with its fold's confidence
    cross_validate(rows, labels, args, variants, kept_of)
    if args.nested:
        c, cut = nested_choice(set(), rows, open_examples, found, labels)
        print(f"\nopen-nested over all {len(LOSO_SETS)} once-sealed sets (the setting that would ship): C {c:g}, cut {cut:.2f}")
    from sklearn.metrics import average_precision_score, roc_auc_score

    print("\nhow well each confidence orders the first readings' proposals, right above wrong (pooled over the "
          "folds, each proposal scored by the model of the fold that did not train on it):")
    for v in FIRST_VARIANTS:
        print(f"{v:<13} ROC AUC {roc_auc_score(ranked['truth'], ranked[v]):.3f}   "
              f"average precision {average_precision_score(ranked['truth'], ranked[v]):.3f}")
    tested = {r["file"] for fold in folds_of(rows, args) for r in rows if r["caravan"] in fold}
    first_labels = [label for label in labels if label["file"] in tested]
    reach, recall, f1 = rescorer_ceiling([p for f in tested for p in found[f]], first_labels)
    print(f"\nthe ceiling of any rescorer on the folds' sets (session 15): the first readings' proposals at any "
          f"confidence reach {reach} of {len(first_labels)} labels; every right one kept and every false one dropped "
          f"gives P 1.00 / R {recall:.2f} / F1 {f1:.3f}")
    print("\nwhat each review threshold (--min-confidence) keeps of the first readings, pooled over the folds: "
          "P / R / F1 (proposals)")
    print(f"{'threshold':<10} {'rules':>24} {'open (--learned)':>24}")
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        cells = []
        for v in ("rules", "open"):
            hits, wrong, missed = score([p for p in every_confidence[v] if p.confidence >= threshold], first_labels)
            p, r, f = prf(len(hits), len(wrong), len(missed))
            cells.append(f"{p:.2f} / {r:.2f} / {f:.2f} ({len(hits) + len(wrong)})")
        print(f">= {threshold:<7} {cells[0]:>24} {cells[1]:>24}")


MOVE_VARIANTS = ("rules", "rules+moves", "rules+moves-dense", "learned", "learned+moves")
CUTS = (0.5, 0.6, 0.7, 0.8, 0.9)  # the proposer's cuts --cut-by-loso chooses from (fixed before the first run)
MOVER_CS = (0.1, 0.3, 1.0, 3.0)  # and its regularisations (change M5, fixed before its first run)


def moves(args) -> None:
    """The learned movement proposer (``news/mover.py``), trained on the other folds' caravans, adds its
    movements to the rules' proposals: on the open reports (today's rules, whose reach there is a
    development figure) and on the first readings (the frozen extractors' proposals on reports they
    had never read). The proposer learns from sentence-anchored labels (``train.mover_examples``; the
    first run, ``news_crossval-2026-11-26-session8-s8news2-moves1-unanchored.txt``, took any label of
    the report with the same reading, town and day, and added 96 rows for 9 matches). ``-dense``: without
    the words around the town; ``learned``: the rules' proposals
    re-scored by the rescorer trained on the same folds (``--learned``)."""
    from caravana.news.mover import MIN_SHOWN, propose
    from caravana.news.train import load_open_reports, mover_examples

    rows = open_manifest(args.data) if args.raw_caravans else grouped(open_manifest(args.data))
    rows = by_set(rows) if args.by_set else rows
    labels = open_labels(args.data, {r["file"] for r in rows})
    gazetteer = Gazetteer.from_scenario(load_scenario("corridor"))
    reports = load_open_reports(args.data, rows)
    proposals = rule_proposals(args.data, rows, gazetteer)
    candidates = mover_examples(rows, reports, labels, gazetteer)
    rules = examples(rows, proposals, labels)
    movements = [label for label in labels if not label["value"]]
    print(f"open reports: {len(rows)}, {len(labels)} labels of which {len(movements)} movements; "
          f"the proposer's {len(candidates)} candidates reach {len(score([e.proposal for e in candidates], movements)[0])} "
          f"of them, the rules at any confidence {len(score([e.proposal for e in rules], movements)[0])}")

    def models(fold, c: float = C):
        train = [e for e in candidates if e.caravan not in fold]
        return (model_from_dict(fit(train, words=True, c=c, sparse=True)),
                model_from_dict(fit(train, words=False, sparse=True)),
                model_from_dict(fit([e for e in rules if e.caravan not in fold], words=False)))

    frozen = first_read_proposals(FIRST_READS)
    sets = {r["set"] for r in read_csv(FIRST_READS)}
    first_rows = [r for r in rows if r["split"] in sets]
    names = {r["file"] for r in first_rows}
    first_labels = [label for label in labels if label["file"] in names]
    cuts: dict[frozenset, tuple[float, float]] = {}

    def cut_of(fold) -> tuple[float, float]:
        """The proposer's (C, cut) for a fold: with ``--cut-by-loso``, the pair of ``MOVER_CS`` x ``CUTS`` that gives
        learned+moves the best pooled F1 over the first readings of the other once-sealed sets, each left out in turn
        of a proposer and rescorer trained without the fold and without it (nested: the fold is never read); ties keep
        the pair nearest today's (C = 1, then the lowest cut)."""
        if not args.cut_by_loso:
            return C, MIN_SHOWN
        key = frozenset(fold)
        if key not in cuts:
            inner = [s for s in folds_of(first_rows, args) if not s & fold]
            kept: dict[tuple[float, float], list] = {(c, cut): [] for c in MOVER_CS for cut in CUTS}
            for s in inner:
                for c in MOVER_CS:
                    mover, _, rescorer = models(fold | s, c)
                    for r in (r for r in first_rows if r["caravan"] in s):
                        found = frozen.get(r["file"], [])
                        base = [p for p in rescore(found, rescorer) if p.confidence >= 0.5]
                        added = propose(reports[r["file"]], gazetteer, mover, found, min(CUTS))
                        for cut in CUTS:
                            kept[c, cut] += base + [p for p in added if p.confidence >= cut]
            tested = {r["file"] for s in inner for r in first_rows if r["caravan"] in s}
            inner_labels = [label for label in first_labels if label["file"] in tested]
            f1 = {pair: prf(*(len(x) for x in score(kept[pair], inner_labels)))[2] for pair in kept}
            cuts[key] = max(kept, key=lambda pair: (round(f1[pair], 3), pair[0] == C, -abs(math.log10(pair[0])), -pair[1]))
            print(f"  ((C, cut) chosen without {sorted({r['split'] for r in first_rows if r['caravan'] in fold}) or 'any set'}"
                  f" on {len(inner)} sets: {cuts[key]}; F1 " + ", ".join(f"{c}/{cut} {v:.3f}" for (c, cut), v in f1.items()) + ")")
        return cuts[key]

    def kept_of(base_of, names):
        def kept(fold, test_rows):
            c, cut = cut_of(fold)
            mover, dense, rescorer = models(fold, c)
            out: dict[str, list] = {v: [] for v in names}
            for r in test_rows:
                found, report = base_of(r["file"]), reports[r["file"]]
                learned = rescore(found, rescorer)
                plain = [p for p in found if p.confidence >= 0.5]
                out[names[0]] += plain
                out[names[1]] += plain + propose(report, gazetteer, mover, found, cut)
                out[names[2]] += plain + propose(report, gazetteer, dense, found, cut)
                out[names[3]] += [p for p in learned if p.confidence >= 0.5]
                out[names[4]] += [p for p in learned if p.confidence >= 0.5] + propose(report, gazetteer, mover, found, cut)
            return out
        return kept

    print("\nOPEN REPORTS (today's rules)")
    cross_validate(rows, labels, args, MOVE_VARIANTS, kept_of(lambda f: proposals[f], MOVE_VARIANTS))
    print(f"\nFIRST READINGS ({len(first_rows)} reports of {', '.join(sorted(sets))}, {len(first_labels)} labels; "
          "the proposer trained on the open reports of the other folds' caravans)")
    print("(rules: the frozen extractor's proposals of each set's first reading)")
    cross_validate(first_rows, first_labels, args, MOVE_VARIANTS, kept_of(lambda f: frozen.get(f, []), MOVE_VARIANTS))
    residual_ranking(first_rows, first_labels, candidates, frozen, folds_of(first_rows, args))
    if args.cut_by_loso:
        print(f"(C, cut) chosen by leaving each of the six sets out (what the proposer would ship): {cut_of(set())}")
    if args.why:
        why_lost(first_rows, first_labels, candidates, frozen, folds_of(first_rows, args), reports, gazetteer)


def residual_ranking(rows, labels, candidates, frozen, folds) -> None:
    """How well the proposer (trained on the other folds' caravans) ranks the first readings' candidates
    that the frozen extractors do not already hold (what it can add), and how many movement labels the
    candidates hold at all."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    from caravana.news.scoring import matches

    def held(e) -> bool:
        return any(p.value is None and p.quantity is e.proposal.quantity and p.place == e.proposal.place
                   and abs((p.date - e.proposal.date).days) <= 1 for p in frozen.get(e.file, []))

    names = {r["file"] for r in rows}
    rest = [e for e in candidates if e.file in names and not held(e)]
    truth: list[int] = []
    probability: list[float] = []
    for fold in folds:
        model = model_from_dict(fit([e for e in candidates if e.caravan not in fold], words=True, sparse=True))
        for e in rest:
            if e.caravan in fold:
                truth.append(e.label)
                probability.append(model.probability(e.features))
    movements = [label for label in labels if not label["value"]]
    within = sum(any(e.file == label["file"] and e.label and matches(e.proposal, label) for e in candidates)
                 for label in movements)
    print(f"\nthe candidates hold {within} of the first readings' {len(movements)} movement labels (quoting their "
          f"sentence); of the {len(rest)} candidates the frozen extractors do not hold, {sum(truth)} are right: the "
          f"proposer ranks them at ROC AUC {roc_auc_score(truth, probability):.3f}, average precision "
          f"{average_precision_score(truth, probability):.3f}")


def why_lost(rows, labels, candidates, frozen, folds, reports, gazetteer) -> None:
    """Session 12 (s12move): for each first-read movement label the frozen extractor never proposed (at any
    confidence) whose sentence the proposer's candidates hold, why the proposer (trained on the other folds'
    caravans) does not propose it: the label's best candidate and its probability, the candidate of the same
    sentence that beats it (another town, day or reading) and the cut (``mover.MIN_SHOWN``); then each false
    proposal of the proposer, by what is wrong with it (the reading, the day, the town, no movement at all)."""
    from collections import Counter

    from caravana.news.mover import MIN_SHOWN, propose
    from caravana.news.scoring import matches
    from caravana.news.train import same_sentence

    def differs(a, b) -> str:
        what = [w for w, same in (("town", a.place == b.place), ("day", a.date == b.date),
                                  ("reading", a.quantity is b.quantity)) if not same]
        return "+".join(what) or "same"

    by_file: dict[str, list[dict]] = defaultdict(list)
    for label in labels:
        by_file[label["file"]].append(label)
    lost: Counter = Counter()
    wrong: Counter = Counter()
    table, false_rows = [], []
    fp_probability: list[float] = []
    for fold in folds:
        model = model_from_dict(fit([e for e in candidates if e.caravan not in fold], words=True, sparse=True))
        test = [r for r in rows if r["caravan"] in fold]
        for r in test:
            name, found = r["file"], frozen.get(r["file"], [])
            own = [e for e in candidates if e.file == name]
            p_of = {id(e): model.probability(e.features) for e in own}
            added = propose(reports[name], gazetteer, model, found)
            for label in by_file[name]:
                if label["value"] or any(matches(p, label) for p in found):
                    continue  # a figure, or a movement the rules hold at some confidence
                mine = [e for e in own if same_sentence(e.proposal.sentence, label["sentence"])]
                right = [e for e in mine if matches(e.proposal, label)]
                if any(matches(p, label) for p in added):
                    why, best, rival = "proposed", max(right, key=lambda e: p_of[id(e)]), None
                elif not mine:
                    why, best, rival = "its sentence names no town (no candidate)", None, None
                elif not right:
                    why, best, rival = "no candidate of its sentence has its town and day", None, None
                else:
                    best = max(right, key=lambda e: p_of[id(e)])
                    rivals = [e for e in mine if e.proposal.start == best.proposal.start and not matches(e.proposal, label)]
                    rival = max(rivals, key=lambda e: p_of[id(e)]) if rivals else None
                    above = rival is not None and p_of[id(rival)] > p_of[id(best)]
                    if p_of[id(best)] >= MIN_SHOWN:
                        why = f"over the cut but beaten by another {differs(rival.proposal, best.proposal)}" if above \
                            else "over the cut, left to the rules' row of another day"
                    else:
                        why = (f"under the cut, below another {differs(rival.proposal, best.proposal)}" if above
                               else "under the cut, first of its sentence")
                lost[why] += 1
                table.append((r["split"], name, label, why, best, rival, p_of))
            for p in added:
                if any(matches(p, label) for label in by_file[name]):
                    continue
                same = [label for label in by_file[name] if not label["value"]
                        and same_sentence(p.sentence, label["sentence"])]
                kind = ("a movement label of the sentence, another " + "+".join(
                    w for w, ok in (("town", any(lb["place"] == p.place for lb in same)),
                                    ("reading", any(lb["quantity"] == p.quantity.value for lb in same))) if not ok)
                    if same else "no movement label in its sentence")
                if same and all(lb["place"] == p.place and lb["quantity"] == p.quantity.value for lb in same):
                    kind = "a movement label of the sentence, another day"
                wrong[kind] += 1
                fp_probability.append(p.confidence)
                false_rows.append((r["split"], name, p, kind))

    def cell(e, p_of) -> str:
        if e is None:
            return "-"
        p = e.proposal
        kind = next((k.split("=", 1)[1] for k in e.features if "&day=" in k), "?")
        return f"{p.quantity.value[:3]} {p.place} {p.date} ({kind}) {p_of[id(e)]:.2f}"

    print(f"\nWHY THE PROPOSER LOSES THE FIRST READINGS' MOVEMENTS (labels the frozen extractors never proposed; "
          f"the proposer of each fold trained on the others; cut {MIN_SHOWN})")
    print("by reason: " + ", ".join(f"{k} {n}" for k, n in lost.most_common()))
    print(f"\n{'set':<8} {'file':<44} {'label':<40} {'its best candidate':<48} {'the rival of its sentence':<48} reason")
    for split, name, label, why, best, rival, p_of in sorted(table, key=lambda t: (t[3], t[0], t[1])):
        text = f"{label['quantity'][:3]} {label['place']} {label['date']}"
        print(f"{split:<8} {name[:44]:<44} {text[:40]:<40} {cell(best, p_of)[:48]:<48} {cell(rival, p_of)[:48]:<48} {why}")
    print(f"\nthe proposer's false proposals on the first readings ({len(false_rows)}; probability median "
          f"{sorted(fp_probability)[len(fp_probability) // 2] if fp_probability else 0:.2f}): "
          + ", ".join(f"{k} {n}" for k, n in wrong.most_common()))
    for split, name, p, kind in sorted(false_rows, key=lambda t: (t[3], t[0], t[1])):
        print(f"{split:<8} {name[:44]:<44} {p.quantity.value[:3]} {p.place} {p.date} {p.confidence:.2f}  {kind}  "
              f"| {p.sentence[:90]}")


if __name__ == "__main__":
    sys.exit(main())
