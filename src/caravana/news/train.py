"""Training the rescorer (``news/rescore.py``) from the labelled reports: shared by
``tools/train_news_rescorer.py`` (which writes the shipped model) and
``benchmarks/news_crossval.py`` (which scores it by cross-validation grouped by caravan).

Needs scikit-learn (the ``news-train`` extra), imported inside ``fit`` only; the shipped
extractor never imports this module.

Every proposal the rules make on a report (at any confidence), and for the chooser every other
reading of their figures (``news/candidates.py``), is an example: 1 if it matches one of the
report's hand labels by the benchmark's rule (``news/scoring.py``), else 0.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .candidates import alternatives
from .rescore import FORMAT, features
from .scoring import matches
from .textnorm import fold

# the splits the model may learn from: never a sealed one (fresh13 and fresh14 opened in session 13, fresh15 in
# session 14, fresh16 in session 15, fresh17 in session 16, fresh18 in session 17, fresh19 in session 18, fresh20 in
# session 19, fresh21 in session 20, fresh22 in session 21, fresh23 in session 22, fresh24 in session 23, fresh25 in
# session 24, fresh26 in session 25, their first readings in tools/news_first_reads.py; a new sealed set joins when the
# lead opens it)
OPEN_SPLITS = frozenset({"dev", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8",
                         "fresh9", "fresh10", "fresh11", "fresh12", "fresh13", "fresh14", "fresh15", "fresh16",
                         "fresh17", "fresh18", "fresh19", "fresh20", "fresh21", "fresh22", "fresh23",
                         "fresh24", "fresh25", "fresh26"})
C = 1.0  # the logistic regression's inverse regularisation (decided before any score, not tuned)
MIN_REPORTS = 5  # a word is a feature when the words around figures of at least this many reports hold it
DIGITS = 6  # decimals kept in the model file


@dataclass
class Example:
    file: str
    caravan: str
    proposal: Any  # an extract.Proposal (or another reading of one)
    label: int
    features: dict[str, float]


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def open_manifest(data: Path) -> list[dict]:
    """The manifest rows of the open reports: never a sealed split's."""
    return [r for r in read_csv(data / "reports.csv") if r["split"] in OPEN_SPLITS]


def open_labels(data: Path, names: set[str]) -> list[dict]:
    return [row for row in read_csv(data / "labels.csv") if row["file"] in names]


def rule_proposals(data: Path, rows: list[dict], gazetteer) -> dict[str, list]:
    """{file: the rules' proposals of the report, at any confidence}."""
    from .extract import extract_report
    from .loading import load_reports

    reports = load_reports([str(data / r["file"]) for r in rows])
    return {r["file"]: extract_report(report, gazetteer) for r, report in zip(rows, reports, strict=True)}


def examples(rows: list[dict], proposals: dict[str, list], labels: list[dict], gazetteer=None) -> list[Example]:
    """One example per proposal of the rules (and, with ``gazetteer``, per alternative reading of
    their figures: ``candidates.alternatives``): 1 if it matches some label of its report."""
    by_file: dict[str, list[dict]] = {}
    for label in labels:
        by_file.setdefault(label["file"], []).append(label)
    out = []
    for r in rows:
        found = proposals[r["file"]]
        if gazetteer is not None:
            found = found + alternatives(found, gazetteer)
        own = by_file.get(r["file"], [])
        out += [Example(r["file"], r["caravan"], p, int(any(matches(p, label) for label in own)), features(p, found))
                for p in found]
    return out


def first_read_proposals(path: Path) -> dict[str, list]:
    """{file: the proposals the frozen extractor of the day made on the report when its set was first
    scored, unseen} (``tools/news_first_reads.py``)."""
    import datetime as dt

    from ..observations import Quantity
    from .extract import Proposal

    def number(text: str) -> float | None:
        return float(text) if text else None

    out: dict[str, list] = {}
    for r in read_csv(Path(path)):
        out.setdefault(r["file"], []).append(Proposal(
            r["file"], dt.date.fromisoformat(r["date"]), r["place"], Quantity(r["quantity"]), number(r["value"]),
            number(r["low"]), number(r["high"]), float(r["confidence"]), r["sentence"], int(r["start"]), int(r["end"]),
            language=r["language"], published=dt.date.fromisoformat(r["published"]), evidence=r["evidence"],
            dated=r["dated"] == "True"))
    return out


def vocabulary(train: list[Example], words: bool, min_reports: int = MIN_REPORTS) -> list[str]:
    """The feature names of the model: every non-word feature seen, and the words seen around
    figures of at least ``min_reports`` reports (when ``words``)."""
    seen: dict[str, set[str]] = {}
    for e in train:
        for name in e.features:
            if "w=" in name and not words:
                continue
            seen.setdefault(name, set()).add(e.file)
    return sorted(n for n, files in seen.items() if "w=" not in n or len(files) >= min_reports)


def fit(train: list[Example], words: bool = True, c: float = C, sparse: bool = False) -> dict:
    """A logistic regression on ``train``, as the model file's dictionary (deterministic: lbfgs from
    zero, names sorted, coefficients rounded); ``sparse``: the features as a sparse matrix (the
    movement proposer's many examples and words)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    names = vocabulary(train, words)
    index = {n: i for i, n in enumerate(names)}
    cells = [(row, index[name], value) for row, e in enumerate(train)
             for name, value in e.features.items() if name in index]
    if sparse:
        from scipy.sparse import csr_matrix

        rows, cols, values = zip(*cells, strict=True) if cells else ((), (), ())
        x = csr_matrix((values, (rows, cols)), shape=(len(train), len(names)))
    else:
        x = np.zeros((len(train), len(names)))
        for row, col, value in cells:
            x[row, col] = value
    y = np.array([e.label for e in train])
    clf = LogisticRegression(C=c, max_iter=5000, solver="lbfgs").fit(x, y)
    coef = [round(float(v), DIGITS) for v in clf.coef_[0]]
    kept = [(n, v) for n, v in zip(names, coef, strict=True) if v != 0.0]
    return {
        "format": FORMAT, "version": 1, "words": words, "chooser": any(e.proposal.reading == "alternative" for e in train),
        "C": c, "min_reports": MIN_REPORTS,
        "examples": len(train), "positives": int(y.sum()), "reports": len({e.file for e in train}),
        "intercept": round(float(clf.intercept_[0]), DIGITS),
        "features": [n for n, _ in kept], "coefficients": [v for _, v in kept],
    }


def _words_of(sentence: str) -> str:
    return " ".join(fold(sentence).split())


def same_sentence(a: str, b: str) -> bool:
    """Two quotes of one sentence (a label's, the report's split): one holds the other's opening."""
    a, b = _words_of(a), _words_of(b)
    return a[:50] in b or b[:50] in a


def mover_examples(rows: list[dict], reports: dict, labels: list[dict], gazetteer) -> list[Example]:
    """One example per candidate movement of ``news/mover.py`` in each report (``reports``: {file:
    loaded report}): 1 if it matches a label of its report that quotes the candidate's sentence (a
    town that a label's movement names, in another sentence, is not what that sentence says)."""
    from .mover import as_proposal, candidates

    by_file: dict[str, list[dict]] = {}
    for label in labels:
        by_file.setdefault(label["file"], []).append(label)
    out = []
    for r in rows:
        report, own = reports[r["file"]], by_file.get(r["file"], [])
        for c in candidates(report, gazetteer):
            p = as_proposal(c, report, 0.0)
            right = any(matches(p, label) and same_sentence(p.sentence, label["sentence"]) for label in own)
            out.append(Example(r["file"], r["caravan"], p, int(right), c.features))
    return out


def load_open_reports(data: Path, rows: list[dict]) -> dict:
    """{file: the loaded report} of manifest ``rows``."""
    from .loading import load_reports

    reports = load_reports([str(data / r["file"]) for r in rows])
    return {r["file"]: report for r, report in zip(rows, reports, strict=True)}

