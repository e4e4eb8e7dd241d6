"""Arrivals and departures: "la caravana llegó a Juchitán", "the caravan left Tapachula
on Saturday". The place is the one right after the verb (and its "a"/"to"/"de"/"from");
a sentence that says "rumbo a" or "toward" is not an arrival."""

from __future__ import annotations

import re

from ..observations import Quantity

_ARRIVED = re.compile(
    r"\b(?:llego|llegaron|llegan|arribo|arribaron|arrived|arrives|arrive|reached|reach|reaches|alcanzaron|"
    r"alcanzo|entered|entraron|ingresaron|got to|made it to|pulled into)\b(?:\s+(?:a|al|en|hasta|in|at|to|"
    r"into|ciudad de|city of|municipio de|town of|la|el|the|border city of|southern city of)\b)*\s*$")
_DEPARTED = re.compile(
    r"\b(?:salio|salieron|partio|partieron|left|departed|set off from|set out from|leaving|dejaron|"
    r"abandonaron|emprendieron (?:la marcha|camino) (?:desde|de))\b(?:\s+(?:de|desde|del|from|la|el|the|city of|ciudad de|town of|"
    r"municipio de|border city of|southern city of)\b)*\s*$")
_NEGATED = re.compile(r"\b(?:no|not|never|nunca|sin|without|yet to|aun no)\b\s*(?:\w+\s+)?$")
_WHO = re.compile(r"\b(?:caravanas?|caravans?|migrantes|migrants|contingentes?|exodo|exodus|columna|column|"
                  r"marcha|march|grupo|group|personas|people|hondurenos|hondurans|centroamericanos)\b")


def movements(folded: str, place_spans: list[tuple[str, int, int]]) -> list[tuple[Quantity, str, int, int]]:
    """(arrived|departed, place, start, end) for each place the caravan is said to reach or leave."""
    if not _WHO.search(folded):
        return []
    found = []
    for place, start, end in place_spans:
        before = folded[max(0, start - 60):start]
        for quantity, pattern in ((Quantity.arrived, _ARRIVED), (Quantity.departed, _DEPARTED)):
            m = pattern.search(before)
            if m and not _NEGATED.search(before[:m.start()]):
                found.append((quantity, place, start, end))
                break
    return found


_LEFT = re.compile(r"\b(?:salio|salieron|partio|partieron|left|departed|set off|set out|emprendieron)\b")


def left(folded: str) -> bool:
    """The sentence says people set off (from anywhere, named or not)."""
    return _LEFT.search(folded) is not None
