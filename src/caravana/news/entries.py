"""People who entered a country, told in the shapes the extractor's ``_ENTERED`` does not read (session 24, s24news,
change E): a count of them is ``present`` in that country (LABELLING.md C8: "entered a country").

- forcing a way in: "pushed their way into Guatemala", "pushed into Guatemala", "irrumpieron en territorio";
- an infinitive after managing: "lograron entrar en Guatemala", "pudieron ingresar hacia México";
- the border crossed, then the country entered after words about the border: "crossed the Pedro de Alvarado border
  from El Salvador to Guatemala", "cruzó por la fuerza la frontera de Tecún Umán con el estado sureño de Chiapas";
- the border of a country: "cruzaron la frontera de Guatemala el jueves" (not when another country follows it:
  "la frontera de Guatemala hacia México" is an entry into Mexico).

Kept by its rule (``benchmarks/results/news_crossval-2026-11-28-session24-s24news-rule.txt``, ``-outcome.txt``).
"""

from __future__ import annotations

import re

from .movement import CROSSING

_INTO = (r"(?:(?:pushed|forced|made|fought|muscled|shoved|elbowed|pushing|forcing|making)\s+(?:their|its|his|her)\s+way"
         r"\s+(?:into|across)|pushed into|forced into|surged into|streamed into|poured into|burst into|"
         r"irrumpieron en|irrumpio en|se adentraron en|se internaron a|se internaron al)")
_MANAGED = (r"(?:lograron|logran|logro|pudieron|pudo|consiguieron|consiguio|managed to|were able to)\s+"
            r"(?:ingresar|entrar|internarse|pasar|cruzar|get|enter|cross|make it)\s+(?:en|hacia|al|a|into|to)")
_BEFORE = re.compile(rf"\b(?:{_INTO}|{_MANAGED})\s+(?:territorio de\s+|the\s+)?$")
# the border, then up to a few words about it, then the country entered: "con"/"to"/"into", after "from" another
_BORDER_TO = re.compile(rf"\b(?:{CROSSING}|atravesaron|atraveso)\b(?:\s+[\w,-]+){{0,4}}?\s+(?:la frontera|el limite|"
                        r"the(?:\s+[\w-]+){0,4}?\s+border)\b[^.;:]{0,60}?\s(?:con|to|into|hacia)\s+"
                        r"(?:(?:el estado|el departamento|la provincia)(?:\s+\w+)?\s+de\s+|the (?:state|department|province) of\s+|"
                        r"territorio de\s+)?$")
_BORDER_OF = re.compile(rf"\b(?:{CROSSING})\s+(?:la frontera de|the border of)\s+$")
_ONWARD = re.compile(r"\s*(?:,\s*)?(?:hacia|a|al|con|into|to|y|and)\s+(?:territorio\s+|el estado de\s+)?\w")
_REACH = 130  # characters before the country: the border's words between the verb and the country


def entered(folded: str, start: int, end: int) -> bool:
    """The country at [start, end) of the folded sentence is one the counted people entered."""
    before = folded[max(0, start - _REACH):start]
    if _BEFORE.search(before[-60:]) or _BORDER_TO.search(before):
        return True
    return _BORDER_OF.search(before[-40:]) is not None and not _ONWARD.match(folded, end)
