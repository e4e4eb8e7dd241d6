"""Other readings of the rules' counts, for the learned chooser (``rescore.choose``).

The rules give each figure one reading (or two); on reports nobody developed on, the figure is
often right and its reading wrong: the caravan's size where an analyst takes people present at
the sentence's place, or the figure on another day. For each figure the rules read as a count,
this proposes the readings it could also be, from what the sentence itself names:

- the caravan's size (no place);
- people present at each place the sentence names (a town, or a country), or at no place;
- each event of the observation format whose word the sentence has (detained, returned, deported,
  asylum requests, dead) at each town the sentence names, at that town's country, and at no place
  (session 11: the readings an analyst took on fresh11 where the rules read another quantity);
- the same reading on another day: the publication day, or a day the sentence states.

Each keeps the evidence and sentence of the figure, with ``reading="alternative"``; the model
decides which reading of a figure, if any, an analyst would take.
"""

from __future__ import annotations

from dataclasses import replace

from ..observations import Quantity
from .dates import find_dates
from .quantities import _EVENTS
from .textnorm import fold

_EVENT_READINGS = (Quantity.detained, Quantity.returned, Quantity.deported, Quantity.asylum_requests, Quantity.dead)


def _figure(p) -> tuple:
    return (p.file, p.start, p.evidence)


def alternatives(proposals: list, gazetteer) -> list:
    """The other readings of the counts among one report's rules ``proposals``."""
    figures: dict[tuple, list] = {}
    for p in proposals:
        if p.value is not None and p.evidence:
            figures.setdefault(_figure(p), []).append(p)
    out: list = []
    for group in figures.values():
        base = max(group, key=lambda p: p.confidence)
        published = base.published or base.date
        folded = fold(base.sentence)
        places, _ = gazetteer.find(base.sentence)
        days = {base.date, published} | {d.date for d in find_dates(base.sentence, published, base.language)
                                          if d.date is not None and not d.vague and d.date <= published}
        readings: list[tuple[Quantity, str]] = [(Quantity.caravan_size, ""), (Quantity.present, "")]
        readings += [(Quantity.present, m.place) for m in places]
        for quantity in _EVENT_READINGS:
            if _EVENTS[quantity].search(folded):
                readings.append((quantity, ""))
                for m in places:
                    readings.append((quantity, m.place))
                    if not m.country:
                        readings.append((quantity, gazetteer.country_of.get(m.place, "")))
        have = [(p.quantity, p.place, p.date) for p in group]
        for quantity, place in dict.fromkeys(readings):
            for day in sorted(days):
                if any(q is quantity and pl == place and abs((d - day).days) <= 1 for q, pl, d in have):
                    continue  # the same observation by the scoring rule (a day apart at most)
                have.append((quantity, place, day))
                out.append(replace(base, quantity=quantity, place=place, date=day, reading="alternative",
                                   dated=day != published or base.dated))
    return out
