"""People staying at a place, told in the words ``quantities.PRESENT_HINT`` does not read (session 25, s25news,
change S): a count whose clause says its people spent the night, were found or are at a place the sentence names is
``present`` there (LABELLING.md C8: "stopped at a named place (arrived at, camped, slept, rested, waited ...)"),
not the size of a caravan on the road.

- a night spent: "pasaron la noche del domingo en Sayula de Alemán", "que el miércoles pasaban la noche en una
  comunidad", "spent Sunday night in" (the future "pasarán la noche" is a plan: not read);
- being there: "se encontraban dispersos en Tecún Umán", "se encontraban desayunando en la Casa del Migrante";
- at a place named right after: "ya están en Tecún Umán", "is currently in the Guatemalan city of Tecun Uman",
  "have been camping in", "had been stationed at" (only with a place of the sentence right after the words, or
  after a noun of place: "en el municipio de", "in the Guatemalan city of"; "están en riesgo" names none).

Kept as a correctness fix by its rule (``benchmarks/results/news_crossval-2026-11-28-session25-s25news-rule.txt``,
``-outcome.txt``: leave-one-set-out rules F1 +0.0036, under the +0.004 of an improvement; no figure fell). Seen after
its score, not mended: the words also read a stay said of another group in a relative clause ("another caravan that
left ... and is currently in the state of Veracruz").
"""

from __future__ import annotations

import re

# words that say where the people are by themselves
_STAYED = re.compile(r"\b(?:(?:pasaron|pasaban|pasan|pasamos|han pasado|habian pasado|spent|spend|spending)\s+"
                     r"(?:la|the|(?:el|the)\s+\w+\s+(?:por\s+la\s+)?|\w+\s+)?(?:noche|night)|"
                     r"se encontraban|se encontraba|se hallaban|se hallan)\b")
# words that do so only with a place right after them
_AT = re.compile(r"\b(?:(?:ya\s+)?(?:estan|estaban|siguen|seguian|permanecian)\s+en|"
                 r"(?:is|are|was|were)\s+(?:currently|now|still)\s+in|"
                 r"(?:have|has|had)\s+been\s+(?:camping|staying|stationed|sleeping|sheltering)|"
                 r"(?:were|are|is)\s+(?:camping|staying|stationed|sheltering))\b")
# what may stand between those words and the place: nothing, or an article and a noun of place ("la ciudad de",
# "the Guatemalan city of", "el parque central de")
_GAP = re.compile(r"\s*(?:(?:in|at|en)\s+)?(?:(?:la|el|los|las|the|a|an)\s+)?(?:[\w-]+\s+){0,2}?"
                  r"(?:(?:ciudad|municipio|poblado|localidad|comunidad|cabecera municipal|parque|plaza|albergue|"
                  r"city|town|village|municipality|park|square|shelter|state|estado|departamento|department)\s+"
                  r"(?:de|of)\s+)?")


# the caravan itself as the subject of the words, the count after them: "La caravana se encontraba este martes en
# Tonalá, reduciéndose de 2,500 personas a unas 700" is where the caravan was and its size (LABELLING.md C8)
_CARAVAN_SUBJECT = re.compile(r"\b(?:caravanas?|caravans?|contingentes?|exodo|exodus|columna|column|marcha|march)"
                              r"\s+(?:[\w-]+\s+){0,2}$")


def stay(folded: str, start: int, end: int, places: list[int], count: int) -> int | None:
    """Where, in folded[start:end], words begin that say the counted people (the count starting at ``count``) are
    staying at a place (``places``: the starts of the sentence's place mentions); None when there are none."""
    found = list(_STAYED.finditer(folded, start, end))
    found += [m for m in _AT.finditer(folded, start, end)
              if any(p >= m.end() and _GAP.fullmatch(folded, m.end(), p) for p in places)]
    for m in sorted(found, key=lambda m: m.start()):
        if not (count > m.start() and _CARAVAN_SUBJECT.search(folded, max(0, m.start() - 40), m.start())):
            return m.start()
    return None
