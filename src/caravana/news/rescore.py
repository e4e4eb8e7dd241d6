"""A learned confidence for the rules' proposals (issue 13, session 8; ``news extract --learned``).

The rules (``extract.extract_report``) propose observations, each with the rules' own confidence;
a logistic regression trained on the labelled open reports (``news/train.py``, rebuilt by
``tools/train_news_rescorer.py``) gives each proposal the probability that an analyst would take
it, from features of the proposal (its quantity and the rules' reading, the number's size and
form, its day, its place's kind), of the report (other proposals with the same figure, the figure
against the report's largest) and families of cue words around the figure. That probability
becomes the proposal's confidence. Judged by ``benchmarks/news_crossval.py``: on reports the rules
had not read it orders right proposals above wrong ones far better than the rules' confidence,
while F1 at 0.5 stays the same (docs/history/news.md, session 8).

Prediction needs no library beyond the standard one: the model is a JSON file of named
coefficients shipped in the package (``rescorer.json``), never a pickle.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .cues import negated, running_total
from .distractors import PEOPLE, POLICE, SUBGROUP
from .document import SAME
from .quantities import _CARAVAN, _EVENTS, MOVING, PRESENT_HINT
from .textnorm import fold

MODEL_FILE = Path(__file__).with_name("rescorer.json")
FORMAT = "caravana-news-rescorer"
WINDOW = 60  # characters either side of the figure whose words are features
_WORD = re.compile(r"[a-z]+")


# families of cue words around the figure, the same in both languages: what the sentence says of the
# people (each event of the observation format, a stop, a movement) and who they are
FAMILIES: dict[str, re.Pattern] = {
    "caravan": _CARAVAN, "people": re.compile(rf"\b(?:{PEOPLE})\b"), "police": re.compile(rf"\b(?:{POLICE})\b"),
    "subgroup": re.compile(rf"\b(?:{SUBGROUP})\b"), "moving": MOVING, "stop": PRESENT_HINT,
    **{f"event_{q.value}": pattern for q, pattern in _EVENTS.items()},
}


@dataclass(frozen=True)
class Model:
    coefficients: dict[str, float]
    intercept: float
    words: bool  # whether the words around the figure are features
    chooser: bool = False  # trained on the other readings too (``choose``), not only the rules' (``rescore``)

    def probability(self, features: dict[str, float]) -> float:
        z = self.intercept + sum(self.coefficients.get(name, 0.0) * x for name, x in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


class ModelError(ValueError):
    """The model file is missing or not a rescorer of this format."""


def model_from_dict(data: dict) -> Model:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelError(f"not a {FORMAT} model")
    names, coef = data.get("features"), data.get("coefficients")
    if not isinstance(names, list) or not isinstance(coef, list) or len(names) != len(coef):
        raise ModelError("'features' and 'coefficients' must be lists of the same length")
    if not all(isinstance(n, str) for n in names) or not all(isinstance(c, (int, float)) for c in coef):
        raise ModelError("'features' must be names and 'coefficients' numbers")
    intercept = data.get("intercept")
    if not isinstance(intercept, (int, float)) or not all(math.isfinite(c) for c in [*coef, intercept]):
        raise ModelError("coefficients and intercept must be finite numbers")
    return Model(dict(zip(names, map(float, coef), strict=True)), float(intercept), bool(data.get("words", False)),
                 bool(data.get("chooser", False)))


def load_model(path: Path | None = None, movement: bool = False) -> Model:
    """The rescorer's model (``rescorer.json``, or the file ``path``); ``movement``: the file is the
    movement proposer's (``mover.py``), named so in an error."""
    return _load(Path(path) if path is not None else MODEL_FILE, movement)


@lru_cache(maxsize=4)
def _load(path: Path, movement: bool) -> Model:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        if movement:
            raise ModelError(f"file {path}: cannot read the movement model ({exc})") from None
        raise ModelError(f"file {path}: cannot read the rescorer model ({exc})") from None
    try:
        return model_from_dict(data)
    except ModelError as exc:
        raise ModelError(f"file {path}: {exc}") from None


OPENING = 800  # characters: a report's lead


def _near(p, q) -> bool:
    return p.value is not None and q.value is not None and abs(p.value - q.value) <= SAME * max(p.value, 1)


def features(p, report: Sequence, words: bool = True) -> dict[str, float]:
    """The features of proposal ``p`` among its report's proposals ``report`` (``p`` included):
    named, each 0-1 or a small number, the same in both languages except the words."""
    f: dict[str, float] = {}
    q = p.quantity.value
    f[f"q={q}"] = 1.0
    f["rule"] = p.confidence
    f[f"q={q}&rule"] = p.confidence
    f["rule>=0.5"] = float(p.confidence >= 0.5)
    f["dated"] = float(p.dated)
    f[f"q={q}&dated"] = float(p.dated)
    f["lang=es"] = float(p.language == "es")
    f["place=town" if p.place and len(p.place) > 2 else "place=country" if p.place else "place=none"] = 1.0
    back = (p.published - p.date).days if p.published else 0
    f["same_day"] = float(back == 0)
    f["days_back"] = min(max(back, 0), 30) / 30
    f["opening"] = float(p.start < OPENING)
    f["headline"] = float(p.start == 0)
    f["position"] = min(p.start, 8000) / 8000
    rules = [o for o in report if o.reading == "rules"]  # alternatives are not more of the report's figures
    same = [o for o in rules if o is not p and o.quantity is p.quantity and o.place == p.place]
    f["same_kind_in_report"] = min(len(same), 5) / 5
    f["proposals_in_report"] = min(len(rules), 30) / 30
    if p.value is not None:
        f["log_value"] = math.log10(max(p.value, 1.0)) / 4
        f["round_1000"] = float(p.value >= 1000 and p.value % 1000 == 0)
        f["round_100"] = float(p.value % 100 == 0)
        f["under_40"] = float(p.value < 40)
        f["low"] = float(p.low is not None)
        f["high"] = float(p.high is not None)
        f["range"] = float(p.low is not None and p.high is not None)
        support = [o for o in rules if (o.start, o.evidence) != (p.start, p.evidence) and _near(p, o)]
        f["support"] = min(len(support), 3) / 3
        f["support_same_kind"] = float(any(o.quantity is p.quantity for o in support))
        largest = max((o.value for o in rules if o.value is not None), default=p.value)
        f["share_of_largest"] = p.value / largest if largest else 1.0
        f["largest"] = float(p.value >= largest)
    if p.reading != "rules":
        f["alternative"] = 1.0
        f[f"q={q}&alternative"] = 1.0
    figure = [o for o in report if o.reading == "rules" and o.start == p.start and o.evidence == p.evidence]
    for o in figure:
        f[f"rules_read={o.quantity.value}"] = 1.0
    f["rules_day"] = float(any(o.date == p.date for o in figure))
    folded = fold(p.sentence)
    at = p.sentence.find(p.evidence) if p.evidence else -1
    if at < 0:
        window = folded
        span = (0, len(folded))
    else:
        span = (at, at + len(p.evidence))
        window = folded[max(0, at - WINDOW):at] + " " + folded[span[1]:span[1] + WINDOW]
    for family, pattern in FAMILIES.items():
        if pattern.search(window):
            f[f"near_{family}"] = 1.0
            f[f"q={q}&near_{family}"] = 1.0
    if p.place and len(p.place) > 2:  # a town: where the sentence names it, from the figure (which town)
        named = folded.find(fold(p.place))
        if named >= 0:
            f["town_named"] = 1.0
            f["town_after"] = float(named > span[0])
            f["town_distance"] = min(abs(named - span[0]), 200) / 200
        else:
            f["town_unnamed"] = 1.0
    if negated(folded, *span):
        f["negated"] = 1.0
    if running_total(folded, *span):
        f["running_total"] = 1.0
    if words:
        for word in set(_WORD.findall(window)):
            f["w=" + word] = 1.0
    return f


def choose(candidates: list, model: Model | None = None) -> list:
    """The candidates of ONE report (the rules' proposals and ``candidates.alternatives``), each
    with the model's probability as its confidence; of the readings of one figure, the most
    probable is kept (and any other reading of the rules the model also puts at >= 0.5, of another
    quantity); the rules' readings that lose are kept below 0.5 (for review), alternatives that
    lose are dropped."""
    scored = rescore(candidates, model)
    figures: dict[tuple, list] = {}
    out = []
    for p in scored:
        if p.value is None or not p.evidence:
            out.append(p)
        else:
            figures.setdefault((p.start, p.evidence), []).append(p)
    for group in figures.values():
        group.sort(key=lambda p: (-p.confidence, p.reading != "rules", p.quantity.value, p.place, p.date))
        kept = [group[0]] if group[0].confidence >= 0.5 else []
        for p in group[1:]:
            if p.reading == "rules" and p.confidence >= 0.5 and all(k.quantity is not p.quantity for k in kept):
                kept.append(p)
            elif p.reading == "rules":
                out.append(replace(p, confidence=min(p.confidence, 0.49)))
        out += kept
        if group[0] not in kept and group[0].reading == "rules":
            out.append(group[0])
    return sorted(out, key=lambda p: (p.start, p.quantity.value))


def rescore(proposals: list, model: Model | None = None) -> list:
    """The proposals of ONE report, each with the model's probability as its confidence."""
    model = model or load_model()
    return [replace(p, confidence=round(model.probability(features(p, proposals, model.words)), 2))
            for p in proposals]


def apply(proposals: list, gazetteer, model: Model) -> list:
    """One report's rules ``proposals`` as the model reads them: re-scored, or (a chooser model)
    with the other readings of their figures, the most probable of each figure kept."""
    if not model.chooser:
        return rescore(proposals, model)
    from .candidates import alternatives

    return choose(proposals + alternatives(proposals, gazetteer), model)
