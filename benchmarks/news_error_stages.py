"""Which stage of the extractor lost each missed label and made each false proposal: a table of counts.

    nice -n 10 python benchmarks/news_error_stages.py [--split fresh12] [--learned] [--list] [--min-confidence 0]
    nice -n 10 python benchmarks/news_error_stages.py --split fresh7,fresh8,...,fresh17   (several sets summed)
    nice -n 10 python benchmarks/news_error_stages.py --first-reads [--sets fresh7,fresh8] [--list]
    nice -n 10 python benchmarks/news_error_stages.py --first-reads --false [--loso] [--sets fresh7,fresh8] [--list]
    nice -n 10 python benchmarks/news_error_stages.py --cuts --split open [--list]
    nice -n 10 python benchmarks/news_error_stages.py --cuts --sets fresh7,...,fresh13 [--list [--list-all]]

On an open split (never a sealed one: ``news_extraction.HELD_OUT``), the extractor runs with light taps on its
stages (the number finder, ``_is_count``, the distractor filter ``why_not`` and the raw readings of each
sentence before the report-level merging); the taps only record, nothing the extractor returns changes.
Each missed label (the benchmark's matching rule, confidence >= 0.5) is put in the FIRST stage that lost it:

- ``sentence``: no sentence of the split report holds the label's sentence (the splitter joined or cut it);
- movements (no value): ``place not in sentence`` (the label's town is not named in its sentence: the previous
  sentence, the dateline, "the checkpoint"), ``movement not read`` (named, but no reading of that kind there),
  ``quantity`` (an arrival read as a departure or back), ``place`` (that kind, another town), ``day``;
- counts: ``number not found`` (no figure of the label's value in the sentence), ``not a count`` (``_is_count``
  said no), ``distractor filter: <why>``, ``date/context checks`` (a count the filter let through but no reading
  came out: a day after publication, a past period, "original", last year, superseded), ``quantity``,
  ``place``, ``day`` (a raw reading with the label's figure, wrong on that first);
- both: ``merged away`` (a raw reading matched, the report-level merging dropped it) and ``confidence cut``
  (a final proposal matches, below 0.5).

The misses at ``quantity`` are also counted by the label's quantity and what today's extractor reads its figure as
(``quantity_read``: the raw readings of the label's figure in its sentence; session 17, s17news).

With ``--min-confidence 0`` a miss is a label no proposal reaches at any confidence: the reach by stage (session 12,
``results/news_error_stages-2026-11-27-session12-s12news-reach-*.txt``).

Each false proposal: ``distractor filter: <kind>`` (its figure is a listed distractor of that kind),
``duplicate`` (it matches a label another proposal took), ``day``/``place``/``quantity`` (a label of the report
with the same figure, or the same movement, differs in that first), ``no label`` otherwise.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from news_extraction import HELD_OUT, ROOT, WORK, read_csv  # noqa: E402, F401 (HELD_OUT: the tests name the sealed sets by it)
from news_time_cues import print_time_cues, time_cues  # noqa: E402

import caravana.news.extract as ex  # noqa: E402
from caravana import load_scenario  # noqa: E402
from caravana.news.distractors import why_not_rule  # noqa: E402
from caravana.news.loading import load_reports  # noqa: E402
from caravana.news.numbers import find_numbers  # noqa: E402
from caravana.news.places import Gazetteer  # noqa: E402
from caravana.news.rescore import load_model  # noqa: E402
from caravana.news.scoring import matches, score, value_matches  # noqa: E402
from caravana.news.sentences import split_sentences  # noqa: E402
from caravana.news.textnorm import fold  # noqa: E402
from caravana.news.train import same_sentence  # noqa: E402


class Taps:
    """What each stage of ``extract_report`` decided, keyed by the folded sentence and the figure's start."""

    def __init__(self):
        self.not_count: set[tuple[str, int]] = set()
        self.filtered: dict[tuple[str, int], str] = {}
        self.rule: dict[tuple[str, int], str] = {}  # the distractor check that cut a count (``why_not_rule``)
        self.dated: dict[tuple[str, int], tuple] = {}  # a count's day (``_Context._date``)
        self.past: set[tuple[str, int]] = set()  # counts in a past period
        self.superseded: set[tuple[str, int]] = set()
        self.raw: list = []

    def __enter__(self):
        self.saved = ex._is_count, ex.why_not, ex._Context.proposals, ex._Context._date, \
            ex._Context._in_a_past_period, ex._Context._superseded
        is_count, why_not, proposals, date, past, superseded = self.saved

        def tap_is_count(folded, n):
            out = is_count(folded, n)
            if not out:
                self.not_count.add((folded, n.start))
            return out

        def tap_why_not(folded, start, end, value, *args, **kwargs):
            out = why_not(folded, start, end, value, *args, **kwargs)
            if out and value:  # a count's reason (value 0: a movement's check)
                self.filtered.setdefault((folded, start), out)
                why = why_not_rule(folded, start, end, value, *args, **kwargs)
                self.rule.setdefault((folded, start), f"{why[0]}: {why[1]}" if why else out)
            return out

        def tap_date(context, position, end=None, *args, **kwargs):
            out = date(context, position, end, *args, **kwargs)
            if end is not None:
                self.dated.setdefault((context.folded, position), out)
            return out

        def tap_past(context, start, end, before_only=False):
            out = past(context, start, end, before_only)
            if out and before_only:
                self.past.add((context.folded, start))
            return out

        def tap_superseded(context, number):
            out = superseded(context, number)
            if out:
                self.superseded.add((context.folded, number.start))
            return out

        def tap_proposals(context):
            for p in proposals(context):
                self.raw.append(p)
                yield p

        ex._is_count, ex.why_not, ex._Context.proposals = tap_is_count, tap_why_not, tap_proposals
        ex._Context._date, ex._Context._in_a_past_period, ex._Context._superseded = tap_date, tap_past, tap_superseded
        return self

    def __exit__(self, *exc):
        ex._is_count, ex.why_not, ex._Context.proposals, ex._Context._date, ex._Context._in_a_past_period, \
            ex._Context._superseded = self.saved

    def context_check(self, folded: str, n, published) -> str:
        """The check after the distractor filter that dropped the count ``n`` (the order of ``proposals``)."""
        key = (folded, n.start)
        day, dated = self.dated.get(key, (None, False))
        if key not in self.dated:
            return "context: no day looked up"
        if day is None or day > published:
            return "context: day after publication"
        if key in self.past:
            return "context: past period"
        if not dated and ex.ORIGINAL.search(folded, max(0, n.start - ex._ORIGINAL_REACH), n.start):
            return "context: original size"
        if ex._THEIR_LAST_YEAR.search(folded[n.end:]) and not ex._ASIDE_LAST_YEAR.search(folded[n.end:]):
            return "context: last year's people"
        if key in self.superseded:
            return "context: superseded"
        return "context: no reading (from the US, two countries, arrival's day)"


def _first_wrong(candidates, label) -> str | None:
    """The first field of ``label`` that the best of ``candidates`` (readings of its figure) gets wrong."""
    if not candidates:
        return None
    if any(matches(p, label) for p in candidates):
        return "match"
    if not any(p.quantity.value == label["quantity"] for p in candidates):
        return "quantity"
    if not any(p.quantity.value == label["quantity"] and p.place == label["place"] for p in candidates):
        return "place"
    return "day"


def miss_stage(label, sentences, report, taps, raw, every, gazetteer, detail: bool = False) -> str:
    sentence = next((s for s in sentences if same_sentence(s.text, label["sentence"])), None)
    if sentence is None:
        return "sentence"
    final = [p for p in every if matches(p, label)]
    in_sentence = [p for p in raw if p.start == sentence.start]
    if not label["value"]:
        mention = [m for m in gazetteer.find(sentence.text)[0] if m.place == label["place"]]
        movements = [p for p in in_sentence if p.value is None]
        wrong = _first_wrong(movements, label)
        if wrong in (None, "quantity", "place") and not mention:
            return "place not in sentence"
        if wrong is None:
            return "movement not read"
    else:
        value = float(label["value"])
        folded = fold(sentence.text)
        # a reading with the label's figure (the number finder's, or a pattern's such as "un migrante murió")
        readings = [p for p in in_sentence if p.value is not None and value_matches(p, label)]
        wrong = _first_wrong(readings, label)
        if wrong is None:
            numbers = [n for n in find_numbers(sentence.text, report.language)
                       if abs(n.value - value) <= 0.05 * max(value, 1)
                       or any(b is not None and abs(b - value) <= 0.05 * max(value, 1) for b in (n.low, n.high))]
            if not numbers:
                return "number not found"
            if all((folded, n.start) in taps.not_count for n in numbers):
                return "not a count" if not detail else _not_a_count(folded, numbers[0])
            reasons = [taps.filtered.get((folded, n.start)) for n in numbers]
            if all(reasons):
                return f"distractor filter: {taps.rule[(folded, numbers[0].start)] if detail else reasons[0]}"
            if detail:
                n = next(n for n, why in zip(numbers, reasons, strict=True) if not why)
                return taps.context_check(folded, n, report.published)
            return "date/context checks"
    if wrong != "match":
        return wrong
    return "confidence cut" if final else "merged away"


def quantity_read(label, sentences, raw) -> str:
    """What the raw readings of ``label``'s figure in its sentence read it as ("caravan_size", "caravan_size,detained";
    "" when none holds the figure): the confusion of a miss at ``quantity``."""
    sentence = next((s for s in sentences if same_sentence(s.text, label["sentence"])), None)
    if sentence is None or not label["value"]:
        return ""
    return ",".join(sorted({p.quantity.value for p in raw if p.start == sentence.start and p.value is not None
                            and value_matches(p, label)}))


def _not_a_count(folded: str, n) -> str:
    """Which part of ``_is_count`` said no: a law's title, a small number in words with no death, else no
    people noun nor count phrase (with the words after the figure)."""
    if ex._TITLE_OF_LAW.search(folded[max(0, n.start - 45):n.start]):
        return "not a count: a law's title"
    if n.value < 10 and not any(c.isdigit() for c in folded[n.start:n.end]):
        return "not a count: small number in words"
    return "not a count: no people noun or count phrase"


def false_stage(p, labels, hit_labels, distractors, language) -> str:
    name = Path(p.file).name
    sentence = " ".join(p.sentence.split())
    if p.value is not None:
        for d in distractors:
            values = [n.value for n in find_numbers(d["number"], language)]
            if d["file"] == name and values and abs(values[0] - p.value) < 0.5 \
                    and " ".join(d["sentence"].split()) == sentence:
                return f"distractor filter: {d['kind']}"
    own = [label for label in labels if label["file"] == name]
    if any(matches(p, label) for label in own if id(label) in hit_labels):
        return "duplicate"
    near = [label for label in own if value_matches(p, label)
            and (p.value is not None or same_sentence(p.sentence, label["sentence"]))]
    wrong = _first_wrong([p], near[0]) if len(near) == 1 else None
    if len(near) > 1:
        wrong = min((_first_wrong([p], label) for label in near), key=("day", "place", "quantity").index)
    return wrong or "no label"


def _development_sets(sets: list[str]) -> list[str]:
    """``sets`` when every one is a development set (``WORK``, an allowlist as in 518d07d); a set sealed but not
    yet listed in ``HELD_OUT``, an unknown or a misspelt name stops the run before any file is read."""
    outside = [s for s in sets if s not in WORK]
    if outside:
        sys.exit(f"error: {outside[0]} is sealed or unknown (not a development set): its errors are never broken down")
    return sets


def _first_read_sets(args) -> tuple[list[str], list[dict], list[dict]]:
    """The sets ``--first-reads`` breaks down (``--sets``, default ``news_crossval.LOSO_SETS``), with their
    reports and labels. Every one must be a development set (``_development_sets``)."""
    from news_crossval import LOSO_SETS

    sets = _development_sets([s for s in args.sets.split(",") if s] or list(LOSO_SETS))
    manifest = [r for r in read_csv(args.data / "reports.csv") if r["split"] in sets]
    names = {r["file"] for r in manifest}
    return sets, manifest, [row for row in read_csv(args.data / "labels.csv") if row["file"] in names]


def first_read_losses(args, gazetteer) -> None:
    """The labels no proposal of each once-sealed set's first reading reaches at any confidence
    (``tools/data/news_first_reads.csv``, the frozen extractor on unseen text): a figure under another
    quantity (the confusion table: the label's quantity against the rules' reading of the figure, and
    whether the chooser's other readings hold it), at another place or day; or a figure never proposed,
    and then which check of TODAY's extractor cuts it (``miss_stage`` with the checks named: the
    distractor filter's own check, ``_is_count``'s part, the day and context checks)."""
    from news_crossval import FIRST_READS

    from caravana.news.candidates import alternatives
    from caravana.news.train import first_read_proposals

    sets, manifest, labels = _first_read_sets(args)
    frozen = first_read_proposals(FIRST_READS)
    kinds: Counter = Counter()
    cut: Counter = Counter()
    moved: Counter = Counter()  # the movements never proposed, by the stage of today's extractor that loses them
    confusion: Counter = Counter()
    confusion_reach: Counter = Counter()
    listed = []
    for row, report in zip(manifest, load_reports([str(args.data / r["file"]) for r in manifest]), strict=True):
        found = frozen.get(row["file"], [])
        wide = found + alternatives(found, gazetteer)
        with Taps() as taps:
            every = ex.extract([report], gazetteer)
        sentences = split_sentences(report.text, report.language)
        for label in (lb for lb in labels if lb["file"] == row["file"]):
            if any(matches(p, label) for p in found):
                continue
            if not label["value"]:
                kinds["a movement never proposed at its place and day"] += 1
                stage = "today's rules propose it" if any(matches(p, label) for p in every) else \
                    miss_stage(label, sentences, report, taps, taps.raw, every, gazetteer)
                moved[stage] += 1
                listed.append(f"move: {stage:<57} {row['split']:<8} {row['file']}: {label['date']} "
                              f"{label['quantity']} {label['place']} | {label['sentence'][:110]}")
                continue
            same = [p for p in found if value_matches(p, label)]
            reached = any(matches(p, label) for p in wide)
            if same:
                wrong = _first_wrong(same, label)
                kind = {"quantity": "the figure under another quantity", "place": "the figure at another place",
                        "day": "the figure on another day"}[wrong]
                kinds[kind] += 1
                if wrong == "quantity":
                    read = max(same, key=lambda p: p.confidence).quantity.value
                    confusion[(label["quantity"], read)] += 1
                    confusion_reach[(label["quantity"], read)] += reached
                listed.append(f"{kind[11:]:<28} {row['split']:<8} {row['file']}: {label['quantity']} "
                              f"{label['place']} {label['value']} read {[p.quantity.value for p in same]} "
                              f"{'(other readings hold it)' if reached else ''} | {label['sentence'][:100]}")
                continue
            if any(matches(p, label) for p in every):
                stage = "today's rules propose it"
            else:
                stage = miss_stage(label, sentences, report, taps, taps.raw, every, gazetteer, detail=True)
            kinds["a figure never proposed"] += 1
            cut[stage] += 1
            listed.append(f"cut: {stage:<58} {row['split']:<8} {row['file']}: {label['quantity']} {label['place']} "
                          f"{label['value']} | {label['sentence'][:110]}")
    print(f"FIRST READINGS of {', '.join(sets)}: {len(manifest)} reports, {len(labels)} labels; the labels no "
          f"proposal of the first reading reaches at any confidence ({sum(kinds.values())}):")
    for kind, n in kinds.most_common():
        print(f"  {kind:<50} {n:>4}")
    found_later = sum(n for stage, n in cut.items() if stage not in ("number not found", "sentence"))
    print(f"\nthe figures never proposed ({sum(cut.values())}; found by today's number finder: {found_later}), by the "
          "stage of TODAY's extractor that loses them:")
    for stage, n in cut.most_common():
        print(f"  {stage:<66} {n:>4}")
    print(f"\nthe movements never proposed ({sum(moved.values())}), by the stage of TODAY's extractor that loses them "
          "(news_error_stages.py's stages: the town not in the sentence, no reading of that kind there, ...):")
    for stage, n in moved.most_common():
        print(f"  {stage:<66} {n:>4}")
    print("\nthe figures under another quantity: label's quantity <- the first reading's (the most confident reading "
          "of the figure); in brackets, how many the chooser's other readings (news/candidates.py) hold")
    print(f"  {'label':<16} {'read as':<16} {'count':>5} {'held':>5}")
    for (want, read), n in confusion.most_common():
        print(f"  {want:<16} {read:<16} {n:>5} {confusion_reach[(want, read)]:>5}")
    if args.list:
        print()
        print("\n".join(sorted(listed)))


_STOP = frozenset("the a an of in and to de la el los las en y que del al se por con para un una su sus was were is are "
                  "have has had on at from by for with as it its this that be been lo le les".split())


def _cue_words(p, width: int = 6) -> tuple[list[str], list[str]]:
    """The ``width`` folded words before and after the figure of proposal ``p`` in its sentence."""
    at = p.sentence.find(p.evidence) if p.evidence else -1
    if at < 0:
        return [], fold(p.sentence).split()[:width]
    before = fold(p.sentence[:at]).split()[-width:]
    after = fold(p.sentence[at + len(p.evidence):]).split()[:width]
    return before, after


def _rescored_loso(data: Path, frozen: dict[str, list], sets: list[str]) -> dict[str, list]:
    """The first readings of ``sets``, each set's re-scored by the ``open`` recipe of ``news_crossval.py --by-set``
    (the shipped ``--learned``): the regression trained on today's rules' proposals of every open report but that
    set's caravans."""
    from news_crossval import by_set, grouped

    from caravana.news.rescore import model_from_dict, rescore
    from caravana.news.train import examples, fit, open_labels, open_manifest, rule_proposals

    rows = by_set(grouped(open_manifest(data)))
    labels = open_labels(data, {r["file"] for r in rows})
    every = examples(rows, rule_proposals(data, rows, Gazetteer.from_scenario(load_scenario("corridor"))), labels)
    out = {}
    for s in sets:
        fold = {r["caravan"] for r in rows if r["split"] == s}
        model = model_from_dict(fit([e for e in every if e.caravan not in fold], words=False))
        out |= {r["file"]: rescore(frozen.get(r["file"], []), model) for r in rows if r["split"] == s}
    return out


def first_read_falses(args) -> None:
    """The first readings' false proposals at ``--min-confidence`` (each set's frozen extractor, its own
    confidence), by kind (``false_stage``; a wrong quantity as the label's quantity <- the reading), with the
    words either side of the figure: for each kind, the words seen around its false proposals at least three
    times, with how often the same word is around the first readings' right proposals."""
    from news_crossval import FIRST_READS

    from caravana.news.train import first_read_proposals

    sets, manifest, labels = _first_read_sets(args)
    frozen = first_read_proposals(args.first_reads_file or FIRST_READS)
    if args.loso:
        frozen = _rescored_loso(args.data, frozen, sets)
    names = {r["file"] for r in manifest}
    distractors = [row for row in read_csv(args.data / "distractors.csv") if row["file"] in names]
    kinds: Counter = Counter()
    words: dict[str, Counter] = {}
    right_words: Counter = Counter()
    listed = []
    n_right = 0
    cued = []
    texts = {r["file"]: rep.text for r, rep in zip(manifest, load_reports([str(args.data / r["file"]) for r in manifest]),
                                                     strict=True)} if args.cues else {}
    for row in manifest:
        own = [label for label in labels if label["file"] == row["file"]]
        kept = [p for p in frozen.get(row["file"], []) if p.confidence >= args.min_confidence]
        hits, wrong, _ = score(kept, own)
        if args.cues:
            cued += [(True, p, time_cues(p, texts[row["file"]])) for p, _ in hits]
            cued += [(False, p, time_cues(p, texts[row["file"]])) for p in wrong]
        for p, _label in hits:
            n_right += 1
            right_words.update(set(w for w in sum(_cue_words(p), []) if w.isalpha() and w not in _STOP))
        hit_ids = {id(label) for _, label in hits}
        for p in wrong:
            kind = false_stage(p, own, hit_ids, distractors, row["language"])
            if kind == "quantity":
                want = [lb["quantity"] for lb in own if value_matches(p, lb)]
                kind = f"quantity: {want[0]} read as {p.quantity.value}"
            kind = f"{'movement' if p.value is None else 'count'}: {kind}"
            kinds[kind] += 1
            before, after = _cue_words(p)
            words.setdefault(kind, Counter()).update(set(w for w in before + after if w.isalpha() and w not in _STOP))
            listed.append(f"{kind:<52} {row['split']:<8} {row['file']}: {p.quantity.value} {p.place} {p.value} "
                          f"({p.confidence:.2f}) | {' '.join(before)} [{p.evidence}] {' '.join(after)}")
    total = sum(kinds.values())
    how = "re-scored by the open recipe left one set out" if args.loso else "their own confidence"
    print(f"FIRST READINGS of {', '.join(sets)}: {len(manifest)} reports, {len(labels)} labels; the frozen "
          f"extractors' proposals ({how}) at >= {args.min_confidence}: {n_right + total}, {n_right} right, {total} false")
    print(f"\nthe false proposals by kind ({total}); cue words: seen around this kind's figures (6 words either "
          f"side) at least 3 times, as 'word n/right' (right: around how many of the {n_right} right proposals)")
    for kind, n in kinds.most_common():
        cues = [f"{w} {c}/{right_words[w]}" for w, c in words[kind].most_common() if c >= 3][:14]
        print(f"  {kind:<52} {n:>4}  {', '.join(cues)}")
    if args.cues:
        print_time_cues(cued)
    if args.list:
        print()
        print("\n".join(sorted(listed)))


def _form(text: str) -> str:
    """How a figure is written: ``digits``, ``words`` or ``digits and words`` ("3 mil 500")."""
    if not any(c.isdigit() for c in text):
        return "words"
    return "digits" if all(c.isdigit() or c in ".,  \u00a0\u202f\u2009" for c in text) else "digits and words"


def cut_precision(args, gazetteer) -> None:
    """Each check that cuts a count (the distractor filter's checks, ``_is_count``'s parts), on the reports of
    ``--split`` (or of ``--sets``) with TODAY's extractor: how often the figure it cut is a label's (a wrong cut:
    same figure, the label's sentence), a listed distractor's (a right cut: ``distractors.csv``, same figure and
    sentence) or neither's (a figure nobody takes that the labeller did not list: a date, an age, a repeat). A
    check is worth loosening only where it cuts more labels than distractors; by form (digits, words) too."""
    sets = [s for s in args.sets.split(",") if s]
    manifest = [r for r in read_csv(args.data / "reports.csv")
                if (r["split"] in sets if sets else r["split"] == args.split or args.split == "open")
                and r["split"] in WORK]
    names = {r["file"] for r in manifest}
    labels = [row for row in read_csv(args.data / "labels.csv") if row["file"] in names and row["value"]]
    distractors = [row for row in read_csv(args.data / "distractors.csv") if row["file"] in names]
    language_of = {r["file"]: r["language"] for r in manifest}
    tally: dict[str, Counter] = {"label": Counter(), "distractor": Counter(), "neither": Counter()}
    listed = []
    for row, report in zip(manifest, load_reports([str(args.data / r["file"]) for r in manifest]), strict=True):
        with Taps() as taps:
            ex.extract([report], gazetteer)
        own = [label for label in labels if label["file"] == row["file"]]
        listed_here = [(" ".join(d["sentence"].split()), values[0]) for d in distractors if d["file"] == row["file"]
                       and (values := [n.value for n in find_numbers(d["number"], language_of[d["file"]])])]
        for sentence in split_sentences(report.text, report.language):
            folded = fold(sentence.text)
            plain = " ".join(sentence.text.split())
            for n in find_numbers(sentence.text, report.language):
                key = (folded, n.start)
                if key in taps.not_count:
                    rule = _not_a_count(folded, n)
                elif key in taps.rule:
                    rule = "distractor filter: " + taps.rule[key]
                else:
                    continue
                taken = [label for label in own if same_sentence(sentence.text, label["sentence"])
                         and abs(float(label["value"]) - n.value) <= 0.05 * max(float(label["value"]), 1)]
                kind = "label" if taken else "distractor" if any(
                    s == plain and abs(v - n.value) < 0.5 for s, v in listed_here) else "neither"
                form = _form(sentence.text[n.start:n.end])
                tally[kind][rule] += 1
                tally[kind][(rule, form)] += 1
                if taken or args.list_all:
                    what = f"{taken[0]['quantity']} {taken[0]['place']}" if taken else kind.upper()
                    listed.append(f"{'WRONG CUT' if taken else 'cut':<9} {rule:<60} {form:<16} {row['split']:<8} "
                                  f"{row['file']}: {what} {n.value:g} | {sentence.text[:110]}")
    label, distractor, neither = tally["label"], tally["distractor"], tally["neither"]
    print(f"{', '.join(sets) if sets else 'split ' + args.split}: {len(manifest)} reports; each check that cuts a "
          "count, today's extractor: the figures it cut that a label takes (wrong), that a listed distractor is "
          "(right) and that are neither")
    print(f"  {'check / form':<66} {'label':>5} {'distr':>5} {'neith':>5}")
    checks = {k for c in tally.values() for k in c if isinstance(k, str)}
    for rule in sorted(checks, key=lambda r: (-label[r], -distractor[r], r)):
        flag = "  <- more labels than distractors" if label[rule] > distractor[rule] else ""
        print(f"  {rule:<66} {label[rule]:>5} {distractor[rule]:>5} {neither[rule]:>5}{flag}")
        for form in ("digits", "words", "digits and words"):
            key = (rule, form)
            if label[key] or distractor[key] or neither[key]:
                flag = "  <-" if label[key] > distractor[key] else ""
                print(f"    {form:<64} {label[key]:>5} {distractor[key]:>5} {neither[key]:>5}{flag}")
    totals = [sum(v for k, v in c.items() if isinstance(k, str)) for c in (label, distractor, neither)]
    print(f"  {'all checks':<66} {totals[0]:>5} {totals[1]:>5} {totals[2]:>5}")
    if args.list:
        print()
        print("\n".join(sorted(listed)))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "news")
    ap.add_argument("--split", default="fresh12")
    ap.add_argument("--learned", action="store_true", help="the learned rescorer's confidence")
    ap.add_argument("--model", type=Path, help="with --learned: this model file (tools/train_news_rescorer.py "
                    "--leave-out SPLIT --out FILE: the split read as unseen by the model)")
    ap.add_argument("--min-confidence", type=float, default=0.5)
    ap.add_argument("--list", action="store_true", help="also each error with its stage")
    ap.add_argument("--first-reads", action="store_true",
                    help="the labels the once-sealed sets' first readings never reach: the confusion table of "
                         "quantities and the check that cuts each figure never proposed")
    ap.add_argument("--false", action="store_true", help="with --first-reads: the first readings' false proposals "
                    "at --min-confidence by kind, with the words around each figure")
    ap.add_argument("--first-reads-file", type=Path, metavar="CSV", help="with --first-reads --false: these first "
                    "readings instead of tools/data/news_first_reads.csv")
    ap.add_argument("--cues", action="store_true", help="with --first-reads --false: the cues of another time or "
                    "caravan (tense, last year, a far day, a month or year, another caravan, the position) on the false "
                    "and the right proposals, movements and counts apart (session 14)")
    ap.add_argument("--loso", action="store_true", help="with --first-reads --false: each set's first reading "
                    "re-scored by the open recipe trained without it (news_crossval.py --by-set's 'open', the "
                    "shipped --learned), not the frozen extractor's confidence")
    ap.add_argument("--cuts", action="store_true", help="each check that cuts a count: how often the figure it "
                    "cut is a label's (today's extractor on --split)")
    ap.add_argument("--sets", default="", help="with --first-reads: these sets (comma-separated; default "
                    "news_crossval.LOSO_SETS); with --cuts: these sets instead of --split")
    ap.add_argument("--list-all", action="store_true", help="with --cuts --list: every cut figure, not only labels'")
    args = ap.parse_args(argv)
    if args.first_reads and args.false:
        first_read_falses(args)
        return
    if args.first_reads:
        first_read_losses(args, Gazetteer.from_scenario(load_scenario("corridor")))
        return
    if args.cuts:
        _development_sets([s for s in args.sets.split(",") if s] or ([] if args.split == "open" else [args.split]))
        cut_precision(args, Gazetteer.from_scenario(load_scenario("corridor")))
        return
    # one split, "open", or several sets summed ("fresh7,fresh8"); a sealed, unknown or misspelt name is refused
    wanted = set() if args.split == "open" else set(_development_sets(args.split.split(",")))
    manifest = [r for r in read_csv(args.data / "reports.csv")
                if (r["split"] in wanted or args.split == "open") and r["split"] in WORK]
    if not manifest:
        sys.exit(f"error: no report in split {args.split}")
    names = {r["file"] for r in manifest}
    language_of = {r["file"]: r["language"] for r in manifest}
    labels = [row for row in read_csv(args.data / "labels.csv") if row["file"] in names]
    distractors = [row for row in read_csv(args.data / "distractors.csv") if row["file"] in names]
    gazetteer = Gazetteer.from_scenario(load_scenario("corridor"))
    model = load_model(args.model) if args.learned else None

    misses: Counter = Counter()
    falses: Counter = Counter()
    confusion: Counter = Counter()  # (label's quantity, today's readings of its figure) of the misses at "quantity"
    listed = []
    total = [0, 0, 0]
    for row, report in zip(manifest, load_reports([str(args.data / r["file"]) for r in manifest]), strict=True):
        with Taps() as taps:
            every = ex.extract([report], gazetteer, model=model)
        own = [label for label in labels if label["file"] == row["file"]]
        kept = [p for p in every if p.confidence >= args.min_confidence]
        hits, wrong, missed = score(kept, own)
        total[0] += len(hits)
        total[1] += len(wrong)
        total[2] += len(missed)
        sentences = split_sentences(report.text, report.language)
        for label in missed:
            stage = miss_stage(label, sentences, report, taps, taps.raw, every, gazetteer)
            kind = "movement" if not label["value"] else "count"
            misses[(kind, stage)] += 1
            if stage == "quantity":
                confusion[(label["quantity"], quantity_read(label, sentences, taps.raw))] += 1
            listed.append(f"MISS  {stage:<32} {row['file']}: {label['date']} {label['quantity']} {label['place']} "
                          f"{label['value']} | {label['sentence'][:110]}")
        hit_ids = {id(label) for _, label in hits}
        for p in wrong:
            stage = false_stage(p, own, hit_ids, distractors, language_of[row["file"]])
            kind = "movement" if p.value is None else "count"
            falses[(kind, stage)] += 1
            listed.append(f"FALSE {stage:<32} {row['file']}: {p.date} {p.quantity.value} {p.place} {p.value} "
                          f"({p.confidence:.2f}) | {p.sentence[:110]}")

    tp, fp, fn = total
    print(f"split {args.split}: {len(manifest)} reports, {len(labels)} labels; {'--learned' if model else 'rules'} at "
          f">= {args.min_confidence}: {tp} matches, {fp} false proposals, {fn} missed labels")
    for title, counts, n in (("missed labels", misses, fn), ("false proposals", falses, fp)):
        print(f"\n{title} by the stage that failed first ({n}):")
        print(f"{'stage':<34} {'count':>6} {'movement':>9} {'all':>5} {'share':>6}")
        stages = Counter()
        for (_, stage), c in counts.items():
            stages[stage] += c
        for stage, c in stages.most_common():
            print(f"{stage:<34} {counts[('count', stage)]:>6} {counts[('movement', stage)]:>9} {c:>5} {c / n:>6.0%}")
    if confusion:
        print("\nthe misses at 'quantity': the label's quantity <- what today's extractor reads its figure as")
        for (wanted_q, read), c in confusion.most_common():
            print(f"  {wanted_q:<16} <- {read or '(no reading of the figure)':<28} {c:>4}")
    if args.list:
        print()
        print("\n".join(sorted(listed)))


if __name__ == "__main__":
    main()
