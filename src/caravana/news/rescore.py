"""A learned confidence for the rules' proposals (issue 13, session 8).

The rules (``extract.extract_report``) propose observations generously, each with the rules' own
confidence; a logistic regression trained on the labelled open reports (``news/train.py``,
rebuilt by ``tools/train_news_rescorer.py``) gives each proposal the probability that an
analyst would take it, from features of the proposal (its quantity and the rules' reading,
the number's size and form, its day, its place's kind), of the report (other proposals with the
same figure, the figure against the report's largest) and the words around the figure. That
probability becomes the proposal's confidence; ``caravana news review`` shows those >= 0.5.

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

from .textnorm import fold

MODEL_FILE = Path(__file__).with_name("rescorer.json")
FORMAT = "caravana-news-rescorer"
WINDOW = 60  # characters either side of the figure whose words are features
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Model:
    coefficients: dict[str, float]
    intercept: float
    words: bool  # whether the words around the figure are features

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
    return Model(dict(zip(names, map(float, coef), strict=True)), float(intercept), bool(data.get("words", False)))


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_FILE) -> Model:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: cannot read the rescorer model ({exc})") from None
    try:
        return model_from_dict(data)
    except ModelError as exc:
        raise ModelError(f"{path}: {exc}") from None


def _near(p, q) -> bool:
    return p.value is not None and q.value is not None and abs(p.value - q.value) <= 0.05 * max(p.value, 1)


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
    f["opening"] = float(p.start < 800)
    f["headline"] = float(p.start == 0)
    f["position"] = min(p.start, 8000) / 8000
    same = [o for o in report if o is not p and o.quantity is p.quantity and o.place == p.place]
    f["same_kind_in_report"] = min(len(same), 5) / 5
    f["proposals_in_report"] = min(len(report), 30) / 30
    if p.value is not None:
        f["log_value"] = math.log10(max(p.value, 1.0)) / 4
        f["round_1000"] = float(p.value >= 1000 and p.value % 1000 == 0)
        f["round_100"] = float(p.value % 100 == 0)
        f["under_40"] = float(p.value < 40)
        f["low"] = float(p.low is not None)
        f["high"] = float(p.high is not None)
        f["range"] = float(p.low is not None and p.high is not None)
        support = [o for o in report if o is not p and _near(p, o)]
        f["support"] = min(len(support), 3) / 3
        f["support_same_kind"] = float(any(o.quantity is p.quantity for o in support))
        largest = max((o.value for o in report if o.value is not None), default=p.value)
        f["share_of_largest"] = p.value / largest if largest else 1.0
        f["largest"] = float(p.value >= largest)
    if words:
        folded = fold(p.sentence)
        at = p.sentence.find(p.evidence) if p.evidence else -1
        if at < 0:
            window = folded
        else:
            window = folded[max(0, at - WINDOW):at] + " " + folded[at + len(p.evidence):at + len(p.evidence) + WINDOW]
        for word in set(_WORD.findall(window)):
            f["w=" + word] = 1.0
    return f


def rescore(proposals: list, model: Model | None = None) -> list:
    """The proposals of ONE report, each with the model's probability as its confidence."""
    model = model or load_model()
    return [replace(p, confidence=round(model.probability(features(p, proposals, model.words)), 2))
            for p in proposals]
