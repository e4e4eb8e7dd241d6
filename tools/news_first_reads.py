"""What the rules proposed on reports they had never read: each sealed set's first reading, rebuilt.

    python tools/news_first_reads.py [--data tests/data/news] [--out tools/data/news_first_reads.csv]
                                     [--no-count-filter --out /tmp/unfiltered.csv]

Each held-out set of the labelled news reports was scored once with the extractor frozen before
anyone read it (the commits below, from the results files in ``benchmarks/results``). The rules
have since been written from those sets' errors, so today's extractor on them gives development
figures; the frozen extractor of the day gives what the rules do on unseen reports. This checks
out each commit in a temporary git worktree, runs its extractor (its own code and data, in a
child process) on the set's reports as they are now, and writes every proposal at any
confidence, with the set, to one CSV: the training data of the rescorer
(``news/train.py``) and the data of ``benchmarks/news_crossval.py --first-reads``.

Never a sealed set: a set has no first reading until the lead scores it (none is sealed since ``fresh26`` was opened in
session 25).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# set -> the commit whose extractor first scored it (results file that says so)
FIRST_READS = {
    "fresh3": "d9338fd",  # news_extraction-2026-11-26-session4.txt
    "fresh4": "609f83e",  # news_extraction-2026-11-26-session4b.txt
    "fresh5": "c9bf2da",  # news_extraction-2026-11-26-session5.txt
    "fresh6": "b033d70",  # news_extraction-2026-11-26-session6-final.txt (frozen at 2d25df4, document readings on)
    "fresh7": "fcd404c",  # news_extraction-2026-11-26-session7-fresh7-sealed.txt
    "fresh8": "12af6dd",  # news_extraction-2026-11-26-session7-fresh8-sealed.txt
    "fresh9": "51c3c17",  # news_extraction-2026-11-26-session8-fresh9-sealed.txt
    "fresh10": "9a35f22",  # news_extraction-2026-11-26-session9-fresh10-sealed.txt (news code = 8b492bf's)
    "fresh11": "36479ee",  # news_extraction-2026-11-27-session10-fresh11-sealed-rules.txt (rules 0.57/0.45/0.50)
    "fresh12": "d405114",  # news_extraction-2026-11-27-session11-fresh12-sealed-rules.txt (rules 0.58/0.51/0.54)
    # news_extraction-2026-11-27-session12-fresh13-sealed-rules.txt (rules 0.53/0.48/0.50): scored at main 59f3ffa,
    # committed as 1a1695c (results files only: the same news code)
    "fresh13": "1a1695c",
    # news_extraction-2026-11-27-session13-lead-fresh14-sealed-once.txt (rules 0.71/0.57/0.63): scored at main 8aab973,
    # committed as 53f3fb5 (results files only: the same news code)
    "fresh14": "53f3fb5",
    # news_extraction-2026-11-27-session14-lead-fresh15-sealed-once.txt (rules 0.64/0.58/0.61): scored at main dde58e2
    # (results committed as f6e2872: results files only, the same news code)
    "fresh15": "dde58e2",
    # news_extraction-2026-11-27-session15-lead-fresh16-sealed-once.txt (rules 0.66/0.58/0.62): scored at main 9f148bc
    # (results committed as a50e4bd: results files only, the same news code)
    "fresh16": "9f148bc",
    # news_extraction-2026-11-27-session16-lead-fresh17-sealed-once.txt (rules 0.68/0.55/0.61): scored at main d6f36e3
    # (results committed as a4a6b21: results files only, the same news code)
    "fresh17": "d6f36e3",
    # news_extraction-2026-11-27-session17-lead-fresh18-sealed-once.txt (rules 0.63/0.61/0.62): scored at main 44a3b946
    # (results committed as 53c62ec7: results files only, the same news code)
    "fresh18": "44a3b946",
    # news_extraction-2026-11-28-session18-lead-fresh19-sealed-once.txt (rules 0.52/0.47/0.49): scored at main 09f3bf1e
    # (results committed as 56cb5a34: results files only, the same news code)
    "fresh19": "09f3bf1e",
    # news_extraction-2026-11-28-session19-lead-fresh20-sealed-once.txt (rules 0.56/0.52/0.54): scored at main 6f192867
    # (results committed as 9c2fddc8: results files only, the same news code)
    "fresh20": "6f192867",
    # news_extraction-2026-11-28-session20-lead-fresh21-sealed-once.txt (rules 0.58/0.57/0.57): scored at main b303859b
    # (results committed as 1b3c9f41: results files only, the same news code)
    "fresh21": "b303859b",
    # news_extraction-2026-11-28-session21-lead-fresh22-sealed-once.txt (rules 0.58/0.42/0.49): scored at main 86461232
    # (results committed as 597e93ad: results files only, the same news code)
    "fresh22": "597e93ad",
    # news_extraction-2026-11-28-session22-lead-fresh23-sealed-once.txt (rules 0.41/0.38/0.40): scored at lead22 7e6d6bc2
    # (main's news code since; results committed as 633ce4c6: results files only)
    "fresh23": "7e6d6bc2",
    # news_extraction-2026-11-28-session23-lead-fresh24-sealed-once.txt (rules 0.59/0.49/0.53): scored at lead23 faa94b88
    # (main's news code since; results committed as 9a29b2cc: results files only)
    "fresh24": "faa94b88",
    # news_extraction-2026-11-28-session24-lead-fresh25-sealed-once.txt (rules 0.45/0.42/0.43): scored at lead24 3cca38ea
    # (main's news code since; results committed as a4257b32: results files only)
    "fresh25": "3cca38ea",
    # news_extraction-2026-11-28-session25-lead-fresh26-sealed-once.txt (rules 0.61/0.48/0.54): scored at lead25 f51261ed
    # (main 6a554dfd + s25label26, whose news code is main's since; results committed as 3be7fb3a: results files only)
    "fresh26": "f51261ed",
}
COLUMNS = ("set", "commit", "file", "date", "place", "quantity", "value", "low", "high", "confidence", "sentence",
           "start", "end", "evidence", "language", "published", "dated")

# run in the child, with the old tree's src first on the path
_CHILD = """
import json, sys
from caravana import load_scenario
from caravana.news.extract import extract
from caravana.news.loading import load_reports
from caravana.news.places import Gazetteer
import caravana
assert caravana.__file__.startswith(sys.argv[1]), caravana.__file__
if len(sys.argv) > 2 and sys.argv[2] == "no-count-filter":  # counts never dropped as distractors (movements still are)
    import caravana.news.extract as module
    kept_filter = module.why_not
    module.why_not = lambda *a, **k: None if a[3] else kept_filter(*a, **k)  # a[3]: the figure (0 for a movement)
files = json.loads(sys.stdin.read())
for p in extract(load_reports(files), Gazetteer.from_scenario(load_scenario("corridor"))):
    print(json.dumps({"file": p.file, "date": p.date.isoformat(), "place": p.place, "quantity": p.quantity.value,
                      "value": p.value, "low": p.low, "high": p.high, "confidence": p.confidence,
                      "sentence": p.sentence, "start": p.start, "end": p.end, "evidence": p.evidence,
                      "language": p.language, "published": p.published.isoformat() if p.published else "",
                      "dated": getattr(p, "dated", True)}))
"""


def first_reads(data: Path, split: str | frozenset[str], commit: str, mode: str = "") -> list[dict]:
    """Every proposal, at any confidence, of the extractor at ``commit`` on the reports of ``split`` (one split,
    or a set of them: ``benchmarks/news_keep_rule.py`` reads every open split at once)."""
    wanted = {split} if isinstance(split, str) else set(split)
    with open(data / "reports.csv", newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["split"] in wanted]
    files = sorted(str((data / r["file"]).resolve()) for r in rows)
    split_of = {r["file"]: r["split"] for r in rows}
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / commit
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), commit],
                       check=True, capture_output=True)
        try:
            env = {**os.environ, "PYTHONPATH": str(tree / "src"), "PYTHONSAFEPATH": "1"}
            run = subprocess.run([sys.executable, "-c", _CHILD, str(tree / "src"), mode], input=json.dumps(files),
                                 capture_output=True, text=True, env=env, check=True)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)
    out = []
    for line in run.stdout.splitlines():
        p = json.loads(line)
        p["file"] = Path(p["file"]).name
        out.append({"set": split_of[p["file"]], "commit": commit, **{k: "" if v is None else v for k, v in p.items()}})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "news")
    ap.add_argument("--out", type=Path, default=ROOT / "tools" / "data" / "news_first_reads.csv")
    ap.add_argument("--no-count-filter", action="store_true",
                    help="also keep the counts each frozen extractor dropped as distractors (what the filter costs; "
                         "benchmarks/news_crossval.py --first-reads-only --reach FILE)")
    args = ap.parse_args(argv)
    rows = []
    for split, commit in FIRST_READS.items():
        found = first_reads(args.data, split, commit, "no-count-filter" if args.no_count_filter else "")
        print(f"{split}: {commit}, {len(found)} proposals", file=sys.stderr)
        rows += found
    with args.out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {args.out} ({len(rows)} proposals)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
