"""One death told in words, read more widely (session 23's change D, s23news).

Before D, ``extract`` read one death only as "un joven ... murió" with a caravan named in the same sentence
(``_ONE_DEATH``). Reports tie the dead person to the caravan across sentences (LABELLING.md C10: "only when the
report ties them to the caravan") and tell the death in other shapes:

- other words for the person: "otro migrante murió", "one woman in the group was killed", "Una venezolana ...
  habría fallecido", "Un centroamericano ... perdió la vida";
- the verb first: "ayer murió un migrante hondureño", "este martes falleció un hondureño";
- the death as a noun: "se registró la muerte de un migrante";
- a longer aside between the person and the verb ("Una venezolana, integrante de la caravana de más de 10 mil
  migrantes que salió ... rumbo a Estados Unidos, habría fallecido");
- an abbreviation's dots on the way ("... que va rumbo a EE.UU., murió").

D reads these when the sentence names a caravan, or another sentence of the report does (the death is told in a
report about the caravan: "Se conoció que el ciudadano viajaba en el «Viacrucis migrante»" follows the death's
sentence); the second a little less sure. ``ON`` switches it (benchmarks/news_changes.py), judged by its keep rule
(benchmarks/results/news_crossval-...-s23news-rule.txt).
"""

from __future__ import annotations

import re

ON = False

_WHO = (r"(?:joven|migrante|hombre|mujer|nino|nina|persona|menor|hondureno|hondurena|guatemalteco|guatemalteca|"
        r"salvadoreno|salvadorena|venezolano|venezolana|cubano|cubana|haitiano|haitiana|nicaraguense|centroamericano|"
        r"centroamericana|extranjero|extranjera|integrante|young man|young woman|man|woman|migrant|boy|girl|child|"
        r"person|member|honduran|guatemalan|salvadoran|venezuelan|cuban|haitian|nicaraguan)")
_ONE = r"(?:un|una|a|an|one|otro|otra|another)"
_DIES = (r"(?:murio|fallecio|perdio la vida|ha muerto|ha fallecido|habria muerto|habria fallecido|died|was killed|"
         r"has died|drowned|se ahogo)")
# an abbreviation's dots do not end the span ("EE.UU.", "U.S."): a full stop is one followed by a space and a capital
_NOT_A_STOP = r"(?:[^.;]|\.(?=[\w,]))"
SUBJECT_FIRST = re.compile(rf"\b{_ONE}\s+(?:\w+\s+)?{_WHO}\b{_NOT_A_STOP}{{0,160}}?\b{_DIES}\b")
VERB_FIRST = re.compile(rf"\b(?:murio|fallecio|perdio la vida)\s+{_ONE}\s+(?:\w+\s+)?{_WHO}\b")
NOUN = re.compile(rf"\b(?:la muerte|el fallecimiento|the death)\s+(?:de|of)\s+{_ONE}\s+(?:\w+\s+)?{_WHO}\b")
_SUBJECT = re.compile(rf"\b{_ONE}\s+(?:\w+\s+)?{_WHO}\b")


def one_death(folded: str) -> tuple[re.Match, int] | None:
    """The words telling one death and where its subject ends (a count of one, for dating it); None if none."""
    if not ON:
        return None
    for pattern in (SUBJECT_FIRST, VERB_FIRST, NOUN):
        m = pattern.search(folded)
        if m is not None:
            subject = _SUBJECT.search(folded, m.start(), m.end())
            return m, subject.end() if subject is not None else m.end()
    return None
