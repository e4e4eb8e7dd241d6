"""A learned proposer of arrivals and departures (issue 13, session 8; ``news extract --moves``).

On reports nobody developed the rules on, most labels the rules never propose are movements: a
sentence names a town of the corridor and the caravan or its people, and an analyst reads that
they arrived there or left it, on some day, in words the verb lists do not hold. This proposes,
for every town a sentence names, both readings (arrived, departed) on each day the sentence could
mean (the publication day, a day the sentence states, the day its paragraph last stated), and a
logistic regression per reading gives each the probability that an analyst would take it, from
the words around the town (the word just before it, the words within ``WINDOW`` characters either
side and those of the clause that leads to it, by stem), the cue families of ``rescore.FAMILIES`` before and after it and in the sentence,
a future or a denial, where the sentence stands in the report and which day the candidate is.

Of one town's readings in one sentence the most probable day is kept; a movement the rules already
propose (same reading, town, a day apart at most, at any confidence) is left to the rules. Only
rows at probability >= ``MIN_SHOWN`` are returned, with the probability as their confidence.

The model is a JSON file of named coefficients in the package (``mover.json``), rebuilt from the
open labelled reports by ``tools/train_news_rescorer.py --mover`` (scikit-learn, ``news/train.py``); prediction
needs only the standard library. Judged by ``benchmarks/news_crossval.py --moves`` (docs/history/news.md).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..observations import Quantity
from .cues import future, negated
from .dates import find_dates
from .places import PlaceMention
from .rescore import FAMILIES, OPENING, Model, load_model
from .sentences import Sentence, split_sentences
from .stems import stem
from .textnorm import fold

MODEL_FILE = Path(__file__).with_name("mover.json")
WINDOW = 40  # characters either side of the town whose words are features
CLAUSE = 100  # characters before the town within which its clause's words are features
_CLAUSE_MARKS = ",;:()"
MIN_SHOWN = 0.5  # rows below this probability are not proposed at all (the rules' rows go lower, for review)
READINGS = (Quantity.arrived, Quantity.departed)
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Candidate:
    """One reading of one town mention on one day, with its features."""

    quantity: Quantity
    place: str
    date: dt.date
    sentence: Sentence
    mention: PlaceMention
    dated: bool
    features: dict[str, float]


def _words(text: str, language: str) -> set[str]:
    return {stem(w, language) for w in _WORD.findall(text) if len(w) > 1}


def _mention_features(folded: str, start: int, end: int, language: str, towns: int, order: int) -> dict[str, float]:
    """What the sentence says around one town mention, the same for both readings and every day."""
    f: dict[str, float] = {}
    before, after = folded[max(0, start - WINDOW):start], folded[end:end + WINDOW]
    previous = _WORD.findall(folded[max(0, start - 30):start])
    if previous:
        f["w=prev:" + previous[-1]] = 1.0
        if len(previous) > 1:
            f["w=prev2:" + previous[-2]] = 1.0
    for word in _words(before, language):  # "w=" marks a word: kept when in enough reports (train.vocabulary)
        f["w=b:" + word] = 1.0
    for word in _words(after, language):
        f["w=a:" + word] = 1.0
    # the clause that leads to the town, up to CLAUSE characters: the verb often stands further back
    # than the window ("reinició su trayecto desde el municipio de", "started out walking from the city of")
    lead = folded[max(0, start - CLAUSE):start]
    lead = lead[max(lead.rfind(mark) for mark in _CLAUSE_MARKS) + 1:]
    for word in _words(lead, language):
        f["w=c:" + word] = 1.0
    for family, pattern in FAMILIES.items():
        if pattern.search(before):
            f["fb_" + family] = 1.0
        if pattern.search(after):
            f["fa_" + family] = 1.0
        if pattern.search(folded):
            f["fs_" + family] = 1.0
    if future(folded, folded, 0, len(folded)):
        f["future"] = 1.0
    if negated(folded, 0, len(folded)):
        f["negated"] = 1.0
    f["towns"] = min(towns, 4) / 4
    f["first_town"] = float(order == 0)
    f["last_town"] = float(order == towns - 1)
    f["lang=es"] = float(language == "es")
    return f


def candidates(report, gazetteer) -> list[Candidate]:
    """Every reading of every town mention of ``report`` on each day it could mean."""
    published = report.published
    out: list[Candidate] = []
    paragraph, paragraph_day = -1, None
    for index, sentence in enumerate(split_sentences(report.text, report.language)):
        if sentence.paragraph != paragraph:
            paragraph, paragraph_day = sentence.paragraph, None
        places, _ = gazetteer.find(sentence.text)
        towns = [m for m in places if not m.country and m.place in gazetteer.places]
        stated = [d.date for d in find_dates(sentence.text, published, report.language)
                  if d.date is not None and not d.vague and d.date <= published]
        if towns:
            folded = fold(sentence.text)
            days = {published: "published"}
            if paragraph_day is not None:
                days.setdefault(paragraph_day, "paragraph")
            for day in stated:
                days[day] = "stated"
            shared = {"headline": float(index == 0), "opening": float(sentence.start < OPENING),
                      "stated_in_sentence": float(bool(stated))}
            for order, m in enumerate(towns):
                base = {**_mention_features(folded, m.start, m.end, report.language, len(towns), order), **shared}
                for day, kind in days.items():
                    back = (published - day).days
                    f = {**base, "day=" + kind: 1.0, "days_back": min(max(back, 0), 30) / 30,
                         "same_day": float(back == 0)}
                    for quantity in READINGS:
                        out.append(Candidate(quantity, m.place, day, sentence, m, kind != "published",
                                             {f"{quantity.value}&{k}": v for k, v in f.items()}
                                             | {f"q={quantity.value}": 1.0}))
        if stated:
            paragraph_day = stated[-1]
    return out


def as_proposal(c: Candidate, report, confidence: float):
    from .extract import Proposal

    return Proposal(report.file, c.date, c.place, c.quantity, None, None, None, round(confidence, 2),
                    c.sentence.text, c.sentence.start, c.sentence.end, source=report.source, language=report.language,
                    published=report.published, evidence=c.sentence.text[c.mention.start:c.mention.end],
                    dated=c.dated, reading="mover")


def propose(report, gazetteer, model: Model, rules: list, cut: float = MIN_SHOWN) -> list:
    """The movements the model takes in ``report`` that the ``rules``' proposals (of the same report,
    at any confidence) do not already hold, each at its probability (>= ``cut``)."""
    best: dict[tuple, tuple[float, Candidate]] = {}
    for c in candidates(report, gazetteer):
        p = model.probability(c.features)
        key = (c.quantity, c.place, c.sentence.start, c.mention.start)
        if key not in best or best[key][0] < p:
            best[key] = (p, c)
    have = [(r.quantity, r.place, r.date) for r in rules if r.value is None]
    out = []
    for p, c in sorted(best.values(), key=lambda pc: (-pc[0], pc[1].sentence.start)):
        if p < cut:
            continue
        if any(q is c.quantity and place == c.place and abs((d - c.date).days) <= 1 for q, place, d in have):
            continue
        have.append((c.quantity, c.place, c.date))
        out.append(as_proposal(c, report, p))
    return out


def load_mover(path: Path | None = None) -> Model:
    """The movement proposer's model (``mover.json``, or the file ``path``)."""
    return load_model(path if path is not None else MODEL_FILE, movement=True)
