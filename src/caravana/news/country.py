"""Change G (session 17, judged by its keep rule): the country a count of people is in, by the grammar of its own
clause (tests/data/news/LABELLING.md C8: people who "entered a country" are ``present`` there, a country by its
code; C14: a country is also named by its adjective).

The extractor already reads an entry whose verb stands right before the country ("crossed into Guatemala",
"ingresaron a México"). G reads the other constructions of the same grammar:

- the verb in any form, also after a modal ("lograron entrar en Guatemala", "managed to reach Mexico"), with the
  country as its complement of destination or as the far side of the border it crosses ("crossed the border
  between Honduras and Guatemala", "from El Salvador to Guatemala", "cruzaron la frontera de Guatemala");
- a country's territory, soil or side named by its adjective, whatever the verb ("transitan por territorio
  guatemalteco", "pasaron la noche ... en el lado mexicano", "on Mexican soil").

Not the border "with" a country (the people are on its other side), not the country people come from.
"""

from __future__ import annotations

import re

from .movement import CROSSING, ENTERING
from .places import PlaceMention

ENABLED = False  # off until judged (benchmarks/news_changes.py --change G)

# entering, crossing or reaching, in any form (the finite forms of movement.py and their infinitives and gerunds)
_VERB = re.compile(rf"\b(?:{ENTERING}|{CROSSING}|ingresar|ingresando|entrar|entrando|cruzar|cruzando|"
                   r"llegaron|llegan|llega|llego|llegar|llegando|arrived|arrive|arrives|arriving|reached|reach|"
                   r"reaching|made it|got)\b")
# what stands right before the country: a complement of destination, the far side of a border
_TO = re.compile(r"(?:\b(?:into|to|a|al|en|in|hacia)\s+(?:territorio de\s+|the\s+)?"
                 r"|\b(?:border|frontera)\s+(?:\w+\s+)?(?:de|of)\s+"
                 r"|\b(?:between|entre)\s+[\w ]{2,30}?\s+(?:and|y)\s+)$")
_GAP = 90  # characters from the verb to its country, within the clause
_ADJECTIVE = re.compile(r"\b(?:(?:territorio|suelo|lado)\s+(?P<es>mexicano|guatemalteco|hondureno|salvadoreno)"
                        r"|(?P<en>mexican|guatemalan|honduran|salvadoran)\s+(?:territory|soil|side))\b")
_CODE = {"mexicano": "MX", "guatemalteco": "GT", "hondureno": "HN", "salvadoreno": "SV",
         "mexican": "MX", "guatemalan": "GT", "honduran": "HN", "salvadoran": "SV"}


def country_of_count(folded: str, start: int, end: int, places: list[PlaceMention], counts: list[tuple[int, int]],
                     clause: tuple[int, int], abroad: set[str]) -> PlaceMention | None:
    """The country the count at folded[start:end] is in by its clause's grammar, or None. ``places``: the
    sentence's place mentions; ``counts``: the spans of its counts of people (another count between this one and
    the country is that count's); ``clause``: the count's place clause; ``abroad``: country codes never taken
    (the United States: a crossing there is ``crossed``, not a presence)."""
    c0, c1 = clause

    def others_between(a: int, b: int) -> bool:
        return any(a < n0 < b for n0, _ in counts if (n0, _) != (start, end))

    for p in places:
        if not p.country or p.place in abroad or not (end <= p.start <= c1) or others_between(end, p.start):
            continue
        if not _TO.search(folded, max(c0, p.start - 45), p.start):
            continue
        verb = None
        for m in _VERB.finditer(folded, max(c0, p.start - _GAP), p.start):
            verb = m
        if verb is not None and not re.search(r"[.;:]", folded[verb.end():p.start]):
            return p
    for m in _ADJECTIVE.finditer(folded, end, c1):
        code = _CODE[m["es"] or m["en"]]
        if code not in abroad and not others_between(end, m.start()):
            return PlaceMention(code, m.start(), m.end(), country=True, score=99.0)
    return None
