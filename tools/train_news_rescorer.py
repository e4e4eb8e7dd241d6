"""Rebuild the news rescorer's model (``src/caravana/news/rescorer.json``) from the labelled reports.

    nice -n 10 python tools/train_news_rescorer.py [--data tests/data/news] [--chooser] [--words] [--out PATH] [--check]
    nice -n 10 python tools/train_news_rescorer.py --mover [--check]   # news/mover.json instead
    # needs scikit-learn (pip install 'caravana[news-train]')

Reads the open labelled reports only (never a sealed split: ``news/train.py``'s ``OPEN_SPLITS``),
extracts them with the rules, labels each proposal by the benchmark's matching rule and fits
the logistic regression of ``news/train.py``. The output is deterministic (the same data give the
same file byte for byte); ``--check`` exits 1 when the file on disk differs from a rebuild.
``--mover`` builds the movement proposer's model (``news/mover.py``) instead: the same regression on
every candidate movement of the open reports, sentence-anchored labels, the words around the town.
How well they generalise is measured by ``benchmarks/news_crossval.py`` (``--moves``), not here.

Since session 12 the shipped rescorer is session 8's plain recipe again (today's rules' own readings on the open
reports): left one set out over fresh7-fresh12's first readings it beat session 11's chooser (rule D of
``benchmarks/results/news_keep_rule-2026-11-27-session12-s12move-rule.txt``). ``--chooser`` builds that chooser
(``rescore.choose``): the regression trained on every reading of each figure (the rules' and
``news/candidates.py``'s others) of today's rules on the open reports AND of each once-sealed set's first reading
(``tools/data/news_first_reads.csv``), the ``chooser+open`` recipe of ``news_crossval.py --by-set --first-reads-only``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from caravana import load_scenario
from caravana.news import mover
from caravana.news.places import Gazetteer
from caravana.news.rescore import MODEL_FILE
from caravana.news.train import (
    examples,
    first_read_proposals,
    fit,
    load_open_reports,
    mover_examples,
    open_labels,
    open_manifest,
    read_csv,
    rule_proposals,
)

ROOT = Path(__file__).resolve().parents[1]
FIRST_READS = ROOT / "tools" / "data" / "news_first_reads.csv"  # tools/news_first_reads.py


def build(data: Path, words: bool, movements: bool = False, plain: bool = False, leave_out: str = "") -> str:
    rows = [r for r in open_manifest(data) if r["split"] != leave_out]
    labels = open_labels(data, {r["file"] for r in rows})
    gazetteer = Gazetteer.from_scenario(load_scenario("corridor"))
    if movements:
        model = fit(mover_examples(rows, load_open_reports(data, rows), labels, gazetteer), words=True, sparse=True)
    elif plain:
        model = fit(examples(rows, rule_proposals(data, rows, gazetteer), labels), words=words)
    else:  # the chooser: every reading of today's rules and of the first readings (open sets only)
        first = first_read_proposals(FIRST_READS)
        sets = {r["set"] for r in read_csv(FIRST_READS)}
        first_rows = [r for r in rows if r["split"] in sets]
        model = fit(examples(rows, rule_proposals(data, rows, gazetteer), labels, gazetteer)
                    + examples(first_rows, {r["file"]: first.get(r["file"], []) for r in first_rows}, labels, gazetteer),
                    words=words)
    return json.dumps(model, indent=1, ensure_ascii=False) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "news")
    ap.add_argument("--words", action="store_true", help="also the words around the figure (not shipped: see the CV)")
    ap.add_argument("--mover", action="store_true", help="the movement proposer's model (news/mover.json)")
    ap.add_argument("--leave-out", default="", metavar="SPLIT",
                    help="train without this open split (with --out: a model to read that split as unseen; "
                         "benchmarks/news_error_stages.py --model)")
    ap.add_argument("--chooser", action="store_true",
                    help="session 11's chooser (every reading of each figure, with the first readings), not the "
                         "plain rescorer shipped since session 12")
    ap.add_argument("--plain", action="store_true", help="the plain rescorer: the default since session 12")
    ap.add_argument("--out", type=Path, help="the model file (default: the package's rescorer.json or mover.json)")
    ap.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    args = ap.parse_args(argv)
    args.out = args.out or (mover.MODEL_FILE if args.mover else MODEL_FILE)
    if args.leave_out and not args.out:
        ap.error("--leave-out builds a model for a study: name its file with --out")
    text = build(args.data, args.words, args.mover, not args.chooser, args.leave_out)
    if args.check:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'identical to a rebuild' if same else 'DIFFERS from a rebuild'}")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(json.loads(text)['features'])} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
