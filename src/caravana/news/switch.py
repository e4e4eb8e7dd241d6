"""A learned switch between two readings of a count (change Q, session 15): the caravan's size and
people present at a place.

The rules read a figure as the caravan's size or as people present by the words next to it; the
labelled reports often take the other one ("about 1,000 Honduran migrants ... in northern
Guatemala" is present GT, not the caravan's size). For each figure the rules read so, this gives
the other readings (present at each place the sentence names or at none; the caravan's size), and
a logistic regression over the rescorer's features and the words around the figure
(``news/train.py``: ``switch_examples``, ``fit``) says how likely an analyst takes each. Only a
confident reading (``CUT``) replaces the rules' one, which then stays below the review threshold.
"""

from __future__ import annotations

from dataclasses import replace

from ..observations import Quantity
from .rescore import Model, features

SCOPE = (Quantity.caravan_size, Quantity.present)
CUT = 0.7  # the other reading's probability that replaces the rules' one (fixed before any score)


def _key(p) -> tuple:
    return (p.start, p.evidence)


def other_readings(proposals: list, gazetteer) -> list:
    """The other readings of the rules' ``proposals`` (one report's, at the rules' own confidence)
    whose most confident reading is the caravan's size or people present, on that reading's day."""
    figures: dict[tuple, list] = {}
    for p in proposals:
        if p.reading == "rules" and p.value is not None and p.evidence:
            figures.setdefault(_key(p), []).append(p)
    out = []
    for group in figures.values():
        base = max(group, key=lambda p: p.confidence)
        if base.quantity not in SCOPE:
            continue
        if base.quantity is Quantity.caravan_size:
            places = ["", *(m.place for m in gazetteer.find(base.sentence)[0])]
            readings = [(Quantity.present, place) for place in dict.fromkeys(places)]
        else:
            readings = [(Quantity.caravan_size, "")]
        have = {(p.quantity, p.place) for p in group}
        out += [replace(base, quantity=q, place=place, reading="alternative")
                for q, place in readings if (q, place) not in have]
    return out


def apply(rules: list, scored: list, gazetteer, model: Model, cut: float = CUT) -> list:
    """One report's ``scored`` proposals (``rules``, the same proposals at the rules' confidence, as
    the learned rescorer left them) with each figure's confident other reading: proposed at its
    probability, the figure's readings of ``SCOPE`` lowered below 0.5."""
    best: dict[tuple, tuple[float, object]] = {}
    for o in other_readings(rules, gazetteer):
        probability = model.probability(features(o, rules, model.words))
        if probability >= cut and probability > best.get(_key(o), (0.0, None))[0]:
            best[_key(o)] = (probability, o)
    if not best:
        return scored
    out = [replace(p, confidence=min(p.confidence, 0.49)) if p.reading == "rules" and p.quantity in SCOPE
           and _key(p) in best else p for p in scored]
    out += [replace(o, confidence=round(probability, 2)) for probability, o in best.values()]
    return sorted(out, key=lambda p: (p.start, p.quantity.value))
