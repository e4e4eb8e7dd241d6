"""How much of each report of one news set is found in another report of the labelled data (a copy or a rewrite).

    python benchmarks/news_near_duplicates.py --split fresh20 [--data tests/data/news] [--threshold 0.3]

A report's long sentences (at least ``LONG`` words, accents and case folded) are cut into 8-word shingles. Against
another report (the whole text's shingles), a long sentence is *copied* when at least half its shingles are found
there, and *shared* when at least ``RUN`` of them are (a run of ten words in the same order: a rewrite keeps its
quotes and some clauses). For each report of ``--split`` this prints how many long sentences it has and the largest
share of them shared with any ONE other report of the data set (every split, the set itself included), that
report's copied share, and its name and split only when the other is not sealed (``news_extraction.HELD_OUT``).
Against each sealed set it prints yes or no only: whether some report of that set shares at least ``--threshold`` of
the report's long sentences (no share, no name, nothing of the sealed text). At or over the threshold the two
reports share a story (an agency's story on another site, or its rewrite): read both before keeping the report.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from news_extraction import HELD_OUT, ROOT, read_csv  # noqa: E402

from caravana.news.textnorm import fold  # noqa: E402

N = 8  # words per shingle
RUN = 3  # shingles in common that make a sentence shared: ten words in the same order, rarely met by chance
LONG = 12  # a sentence with fewer words (a dateline, a title, a short quote) is left out: shared by chance
# the share of shared long sentences that marks a story in common: chosen on the review's pairs and the open sets
# (at >= 0.3 each open set flags 0-4 reports, all agency stories or their rewrites), not on a sealed set
THRESHOLD = 0.3
_SENTENCE_END = re.compile(r"(?<=[.!?»\"”])\s+|\n+")
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def shingles(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + N]) for i in range(len(tokens) - N + 1)}


def long_sentences(text: str) -> list[set[tuple[str, ...]]]:
    """The shingles of each sentence of at least ``LONG`` words."""
    return [shingles(w) for w in map(words, _SENTENCE_END.split(text)) if len(w) >= LONG]


def shares(sentences: list[set[tuple[str, ...]]], other: set[tuple[str, ...]]) -> tuple[float, float]:
    """(shared, copied): the shares of ``sentences`` with ``RUN`` shingles, and with half their shingles, in
    ``other``."""
    if not sentences:
        return 0.0, 0.0
    common = [len(s & other) for s in sentences]
    shared = sum(c >= RUN for c in common)
    copied = sum(2 * c >= len(s) for c, s in zip(common, sentences, strict=True))
    return shared / len(sentences), copied / len(sentences)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "news")
    ap.add_argument("--split", required=True)
    ap.add_argument("--threshold", type=float, default=THRESHOLD)
    args = ap.parse_args(argv)
    manifest = read_csv(args.data / "reports.csv")
    mine = sorted(r["file"] for r in manifest if r["split"] == args.split)
    if not mine:
        sys.exit(f"error: {args.data / 'reports.csv'}: no report in split {args.split}")
    split_of = {r["file"]: r["split"] for r in manifest}
    text_of = {f: (args.data / f).read_text(encoding="utf-8") for f in split_of}
    every = {f: shingles(words(t)) for f, t in text_of.items()}
    sealed = sorted({s for s in split_of.values() if s in HELD_OUT})
    print(f"# {args.split}: {len(mine)} reports against the {len(split_of) - 1} others; {N}-word shingles, sentences of "
          f">= {LONG} words; shared: {RUN} shingles in common, copied: half; sealed sets yes/no at shared >= "
          f"{args.threshold}")
    print(f"{'report':<44} {'long':>4} {'shared':>6} {'copied':>6}  {'with (open report, split)':<48} "
          + " ".join(f"{s:>8}" for s in sealed))
    for f in mine:
        sentences = long_sentences(text_of[f])
        best = (0.0, 0.0, "", "")
        over = dict.fromkeys(sealed, False)
        for other, other_split in split_of.items():
            if other == f:
                continue
            shared, copied = shares(sentences, every[other])
            if other_split in HELD_OUT:
                over[other_split] |= shared >= args.threshold
            elif (shared, copied) > best[:2]:
                best = (shared, copied, other, other_split)
        named = f"{best[2]} ({best[3]})" if best[0] or best[1] else "-"
        print(f"{f:<44} {len(sentences):>4} {best[0]:>6.2f} {best[1]:>6.2f}  {named:<48} "
              + " ".join(f"{'yes' if over[s] else 'no':>8}" for s in sealed))


if __name__ == "__main__":
    main()
