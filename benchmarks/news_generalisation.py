"""Does a learned precision gate generalise better than the rules' own confidence? Leave one set out.

    python benchmarks/news_generalisation.py [--data tests/data/news]   # needs scikit-learn

The labelled reports that may be read (``dev``, ``fresh``, ``fresh2``, ``fresh3``, ``fresh4``; never
the sealed ``fresh5``) are five sets found and labelled at different times. Each set in turn is held
out: a logistic regression (scikit-learn) over the features of ``news_rescorer.py`` (the rules'
reading, families of cue words around the figure) is trained on the rules' proposals of the other
four sets (1 if the proposal matches a label by the benchmark's rule, else 0) and keeps a held-out
proposal when its probability is >= 0.5 ("gate"), or re-scores it as min(rules, model) ("min").
Both are printed against the rules alone (confidence >= 0.5) on the same held-out set, and pooled
over the five. Every figure is measured here; nothing is tuned on the held-out set.

A second family of features reads the report as a whole (document-level reasoning): where the
proposal stands in the report, how many other proposals of the report say the same (support), the
figure against the report's largest caravan size (another group or a national figure is far from it),
how many proposals and kinds the report has, and whether the proposal is in its opening. The gate is
run on those alone ("doc") and with the others ("doc+cues").

A last experiment widens the candidates with document context before gating: for each sentence
that says people arrived or left (a movement verb) but names no place the rules could tie to it,
one candidate per town of the sentence, of the sentence before, and of the report's dateline, dated
by the day nearest the verb; those the rules already propose are left out. A gate over where the
town came from, the kind of movement, a stated day, the opening and the language, trained on the
other four sets, decides which to add (kept at a probability >= 0.5, 0.3, 0.2).

It also prints how much recall any gate could reach: the share of labels that some proposal of the
rules matches at any confidence (a gate only chooses among the rules' proposals).
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import news_rescorer  # noqa: E402  (the features of session 3's experiment)

from caravana import load_scenario  # noqa: E402
from caravana.news.extract import extract  # noqa: E402
from caravana.news.loading import load_reports  # noqa: E402
from caravana.news.places import Gazetteer  # noqa: E402
from caravana.news.scoring import prf, score  # noqa: E402

SETS = ("dev", "fresh", "fresh2", "fresh3", "fresh4")


def document_features(p, report_proposals) -> list[float]:
    """The proposal read against the rest of its report's proposals."""
    n = len(report_proposals)
    rank = sorted(q.start for q in report_proposals).index(p.start) / max(n - 1, 1)
    support = sum(1 for q in report_proposals if q is not p and q.quantity is p.quantity and (
        (q.value is None and p.value is None and q.place == p.place)
        or (q.value is not None and p.value is not None and abs(q.value - p.value) <= 0.15 * p.value)))
    sizes = [q.value for q in report_proposals if q.quantity.value == "caravan_size" and q.value]
    ratio = math.log10(p.value / max(sizes)) if p.value and sizes else 0.0
    return [p.confidence, float(p.dated), rank, min(support, 3) / 3, ratio, min(n, 20) / 20,
            len({q.quantity for q in report_proposals}) / 5, float(p.start < 400)] + \
        [float(p.quantity.value == q) for q in ("caravan_size", "present", "arrived", "departed", "detained", "returned",
                                                "deported")]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1] / "tests" / "data" / "news")
    ap.add_argument("--c", type=float, nargs="+", default=[0.3, 1.0, 3.0], help="inverse regularisation strengths")
    args = ap.parse_args(argv)
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise SystemExit("error: this experiment needs scikit-learn (pip install scikit-learn)") from None

    def read(name):
        with (args.data / name).open(newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    manifest = [r for r in read("reports.csv") if r["split"] in SETS]
    set_of = {r["file"]: r["split"] for r in manifest}
    labels = [label for label in read("labels.csv") if label["file"] in set_of]
    gazetteer = Gazetteer.from_scenario(load_scenario("corridor"))
    reports = load_reports([str(args.data / r["file"]) for r in manifest])
    proposals = extract(reports, gazetteer)
    hits, _, _ = score(proposals, labels)
    matched = {id(p) for p, _ in hits}
    cues = [news_rescorer.features(p, news_rescorer.headline(p)) for p in proposals]
    of_report: dict[str, list] = {}
    for p in proposals:
        of_report.setdefault(p.file, []).append(p)
    documents = [document_features(p, of_report[p.file]) for p in proposals]
    y = [int(id(p) in matched) for p in proposals]
    held = [set_of[Path(p.file).name] for p in proposals]
    print(f"{len(proposals)} proposals of the rules (any confidence) on {len(manifest)} reports of {', '.join(SETS)}; "
          f"{sum(y)} match one of {len(labels)} labels (the most any gate can keep: recall "
          f"{sum(y) / len(labels):.2f})")

    def line(name, confidences):
        cells, total = [], [0, 0, 0]
        for s in SETS:
            kept = [replace(p, confidence=c) for p, c, h in zip(proposals, confidences, held) if h == s and c >= 0.5]
            h_, w_, m_ = score(kept, [label for label in labels if set_of[label["file"]] == s])
            total = [total[0] + len(h_), total[1] + len(w_), total[2] + len(m_)]
            cells.append("{:.2f}/{:.2f}/{:.2f}".format(*prf(len(h_), len(w_), len(m_))))
        print(f"{name:<16} " + "  ".join(f"{c:>14}" for c in cells) + "  {:.3f}/{:.3f}/{:.3f}".format(*prf(*total)))

    print(f"{'held out:':<16} " + "  ".join(f"{s:>14}" for s in SETS) + "  pooled (P/R/F1)")
    line("rules", [p.confidence for p in proposals])
    for name, X in (("cues", cues), ("doc", documents), ("doc+cues", [a + b for a, b in zip(documents, cues)])):
        for c in args.c:
            probability = [0.0] * len(proposals)
            for s in SETS:
                train = [i for i, h in enumerate(held) if h != s]
                test = [i for i, h in enumerate(held) if h == s]
                model = LogisticRegression(C=c, max_iter=5000).fit([X[i] for i in train], [y[i] for i in train])
                for i, q in zip(test, model.predict_proba([X[i] for i in test])[:, 1]):
                    probability[i] = float(q)
            line(f"{name} C={c}", probability)
            line("  min(rules,.)", [min(p.confidence, q) for p, q in zip(proposals, probability)])
    context_experiment(reports, gazetteer, proposals, labels, set_of, LogisticRegression)


def context_candidates(reports, gazetteer, proposals):
    """(candidate, features) for movements the rules tie to no place, one per town of the context."""
    from caravana.news.dates import find_dates
    from caravana.news.extract import Proposal, _home_town
    from caravana.news.movement import movement_verb, movements
    from caravana.news.sentences import split_sentences
    from caravana.news.textnorm import fold
    from caravana.observations import Quantity

    proposed = {(p.file, p.quantity, p.place) for p in proposals}
    out = []
    for r in reports:
        sentences = split_sentences(r.text, r.language)
        home, before = _home_town(sentences, gazetteer), []
        for s in sentences:
            places, _ = gazetteer.find(s.text)
            towns = [x.place for x in places if not x.country]
            dates = find_dates(s.text, r.published, r.language)
            undated = list(fold(s.text))
            for d in dates:
                undated[d.start:d.end] = " " * (d.end - d.start)
            text = "".join(undated)
            verb = movement_verb(text)
            if verb and not movements(text, [(x.place, x.start, x.end) for x in places if not x.country]):
                days = [d for d in dates if d.date and d.date <= r.published]
                day = min(days, key=lambda d: abs(d.start - verb[1])).date if days else r.published
                for town in set(towns) | set(before) | ({home} if home else set()):
                    if (r.file, verb[0], town) in proposed:
                        continue
                    candidate = Proposal(r.file, day, town, verb[0], None, None, None, 0.0, s.text, s.start, s.end,
                                         language=r.language, published=r.published)
                    out.append((candidate, [float(town in towns), float(town in before), float(town == home),
                                            float(verb[0] is Quantity.arrived), float(bool(days)),
                                            float(s.start < 400), float(r.language == "es"),
                                            min(len(towns), 3) / 3]))
            before = towns or before
    return out


def context_experiment(reports, gazetteer, proposals, labels, set_of, model_class) -> None:
    from caravana.news.scoring import matches

    found = context_candidates(reports, gazetteer, proposals)
    if not found:
        return
    candidates = [c for c, _ in found]
    X = [x for _, x in found]
    y = [int(any(label["file"] == Path(c.file).name and matches(c, label) for label in labels)) for c in candidates]
    held = [set_of[Path(c.file).name] for c in candidates]
    kept = [p for p in proposals if p.confidence >= 0.5]
    print(f"\ncontext candidates: {len(candidates)} movements with a town from the sentence, the sentence before or "
          f"the dateline (none the rules propose); {sum(y)} of them match a label")
    probability = [0.0] * len(candidates)
    for s in SETS:
        train = [i for i, h in enumerate(held) if h != s]
        test = [i for i, h in enumerate(held) if h == s]
        model = model_class(C=1.0, max_iter=5000).fit([X[i] for i in train], [y[i] for i in train])
        for i, q in zip(test, model.predict_proba([X[i] for i in test])[:, 1]):
            probability[i] = float(q)
    for threshold in (0.5, 0.3, 0.2):
        added = [replace(c, confidence=0.5) for c, q in zip(candidates, probability) if q >= threshold]
        h_, w_, m_ = score(kept + added, labels)
        print(f"  gate >= {threshold}: {len(added)} added, pooled P/R/F1 " + "{:.3f}/{:.3f}/{:.3f}".format(
            *prf(len(h_), len(w_), len(m_))))


if __name__ == "__main__":
    main()
