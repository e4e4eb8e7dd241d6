"""Arrivals and departures: "la caravana llegó a Juchitán", "the caravan left the border
city of Tapachula on Saturday", "departed as a group of 2,000 from San Pedro Sula". The
place is the one right after the verb (past a preposition and words such as "the
southern Mexican city of"), or after "from"/"desde" later in a clause with a departure
verb; a sentence that says "rumbo a" or "toward" is not an arrival."""

from __future__ import annotations

import re

from ..observations import Quantity
from .cues import COORDINATION, clause_bounds

# words that may stand between the verb and the place: "left the southern Mexican city of"
_FILLER = (r"(?:\s+(?:a|al|en|hasta|in|at|to|into|de|desde|del|from|la|el|los|las|the|city|town|village|port|"
           r"este|esta|this|last|pasado|on|"
           r"municipality|ciudad|municipio|poblado|localidad|puerto|comunidad|cabecera|municipal|of|southern|"
           r"northern|border|mexican|guatemalan|honduran|small|sureña|surena|fronteriza|fronterizo|chiapaneca|"
           r"chiapaneco|mexicana|mexicano|oaxaqueña|oaxaquena|guatemalteca|guatemalteco|hondurena|hondureno|state|capital|estado|"
           r"una|un|an|its|their|su|sus|control|station|checkpoint|crossing|terminal|bus|buses|autobuses|plaza|"
           r"central|parque|park|puesto|paso|garita|aduana|fronterizo)\b)*\s*$")
_ARRIVED_VERBS = (r"llego|llegaron|llegan|llegado|arribo|arribaron|arribado|arrived|arrives|arrive|reached|reach|"
                  r"ingreso|entro|penetraron|penetro|avanzaron hasta|avanzado hasta|avanzo hasta|advanced to|"  # "por donde la masa ingresó al país", "penetraron ... por El Florido"
                  r"reaches|alcanzaron|alcanzo|entered|entraron|ingresaron|ingresar|al llegar|tras llegar|"
                  r"got to|made it to|pulled into|arriving in|landed in|landed at|rolled into|caminaron hasta|walked to|"
                  r"walked into|"
                  # managing to reach is reaching (session 10: 2021-12-13_laprensalatina "managed to arrive in Mexico
                  # City", 2019-01-17_noti-america "lograron llegar a Guatemala", 2020-01-23_angulo7 "logró llegar al")
                  r"(?:logro|lograron|logran|consiguio|consiguieron|pudo|pudieron) (?:llegar|arribar)")
_DEPARTED_VERBS = (r"salio|salieron|salido|partio|partieron|partido|left|departed|departing|set off|set out|"
                   r"sale|salen|leaves|leave|departs|sets off|sets out|"  # headlines and captions, in the present
                   # ("parte" is also a noun)
                   r"se (?:puso|pusieron)\s+(?:\w+\s+)?en\s+marcha|retomo|retomaron|retoma|retoman|"
                   r"resumed (?:its|their) (?:march|journey|trek|walk)|reanudo|"
                   # "comenzaron un largo viaje desde Tapachula", "began their long trek from"
                   r"(?:comenzaron|comenzo|iniciaron|inicio|empezaron|empezo|emprendieron|emprendio|began|begun|started) "
                   r"(?:(?:un|una|su|sus|el|la|their|its|a|the|largo|larga|long|nuevo|new)\s+){0,3}"
                   r"(?:viaje|recorrido|travesia|camino|caminata|marcha|trek|journey|march|walk)|"
                   r"reinicio|reiniciaron|reinicia|reinician|"
                   r"leaving|dejaron|abandonaron|abandono|emprendieron (?:la marcha|camino)|reanudaron (?:la marcha|su camino)|"
                   r"started walking|(?:began|begun) walking|started out|(?:began|begun) (?:its|their|the) (?:journey|trek|march|walk)|"
                   r"(?:comenzo|comenzaron|inicio|iniciaron|empezo|empezaron) (?:a caminar|su (?:recorrido|caminata|"
                   r"marcha|travesia|camino)|la (?:caminata|marcha|travesia))|emprendio|emprendieron|"
                   r"(?:began|started) (?:\w+ly )?winding|winding (?:its|their) way|"
                   # managing to leave is leaving (session 10: 2021-04-18_cubacute "logró partir desde Tapachula")
                   r"(?:logro|lograron|logran|consiguio|consiguieron|pudo|pudieron) (?:partir|salir)|managed to (?:leave|depart|set out)")
_ARRIVED = re.compile(rf"\b(?:{_ARRIVED_VERBS})\b{_FILLER}")
_DEPARTED = re.compile(rf"\b(?:{_DEPARTED_VERBS})\b{_FILLER}")
# verbs that start anything: a departure only with an origin ("the one that started Saturday from Tapachula");
# alone they start the aid, the rain or the registration ("where aid workers started handing out water")
_STARTING = r"started|began|begun|comenzo|inicio|arranco"
# ... unless the caravan is what starts: "The caravan, the second of 2018, began Friday in San Pedro Sula", "la
# caravana comenzó en Tapachula", "otro grupo ... que arrancó la semana previa"
_STARTER = (r"(?:caravanas?|caravans?|marcha|march|exodo|exodus|viacrucis|contingentes?|contingent|grupos?|groups?|"
            r"columna|column|trek|journey|viaje|recorrido|travesia|caminata)(?:\s*,[^.;:,]{0,40},)?|que|which|that|who")
_STARTED = rf"\b(?:{_STARTER})\s+(?:had\s+|has\s+|have\s+|se\s+)?(?:{_STARTING})"
# "the moment it began March 25 in the Mexican city of Tapachula": "it" only before a place (not "where it began to rain")
_STARTED_AT = re.compile(rf"(?:{_STARTED}|\bit\s+(?:{_STARTING}))\b{_FILLER}")
# the place named by any few words after the verb's preposition, not only the listed ones ("arribaron a la
# población de Pijijiapan", "llegaron al ejido y cabecera de"...): words that open another clause or
# give another role to the place (a destination, an origin) end the verb's reach
_STOP = (r"y|e|and|o|or|que|which|who|where|donde|cuando|when|pero|but|hacia|toward|towards|rumbo|tras|after|"
         r"antes|before|para|for|sin|without|procedentes|provenientes|dejando|leaving|luego|then|despues|while|"
         r"mientras|via|sino|bound|camino|headed|heading|hoping|no|not|se|they|ellos|los cuales|direccion|direction|"
         r"destino")
_WORDS = rf"(?:\s+(?!(?:{_STOP})\b)[a-z]+){{0,5}}\s*$"
_ONE_OR_TWO = rf"(?:\s+(?!(?:{_STOP})\b)[a-z]+){{0,2}}?"  # "arribaron este [martes] a", "left early from"
_ARRIVED_LOOSE = re.compile(rf"\b(?:{_ARRIVED_VERBS})\b{_ONE_OR_TWO}\s+(?:a|al|en|hasta|in|at|to|into){_WORDS}")
_DEPARTED_LOOSE = re.compile(rf"\b(?:{_DEPARTED_VERBS}|{_STARTING})\b{_ONE_OR_TWO}\s+(?:de|del|desde|from){_WORDS}")
# "left on foot from the Honduran city of", "salió este mediodía de": a few words, then the origin
_DEPARTED_FROM = re.compile(rf"\b(?:(?:{_DEPARTED_VERBS})\b(?:[^.;:]{{0,80}}?\b(?:from|desde)|(?:\s+[\w,]+){{1,4}}?\s+de)|"
                            rf"(?:{_STARTING})\b[^.;:]{{0,80}}?\b(?:from|desde))"
                            rf"{_FILLER}")
# leaving a venue of a town is leaving the town: "salieron ... de la estación de autobuses en San Pedro Sula",
# "avanzó desde el parque Bicentenario, en Tapachula"
_DEPARTED_VENUE = re.compile(rf"\b(?:{_DEPARTED_VERBS}|avanzo|avanzaron)\b[^.;:]{{0,60}}?\b(?:(?:de|desde|from)\s+(?:la|el|los|las|"
                             rf"the|a|an|un|una)|del|desde el)\s+(?:estacion|terminal|station|albergue|shelter|parque|park|plaza|"
                             rf"central)\b[^.;:]{{0,50}}?\b(?:en|in|de|of)\s*$")
# crossing from a place is leaving it ("cruzar ... desde la localidad guatemalteca de Tecún Umán")
_CROSSED_FROM = re.compile(rf"\b(?:cruzar|cruzaron|cruzo|crossed|cross|crossing)\b[^.;:]{{0,80}}?\b(?:from|desde)"
                           rf"{_FILLER}")
# "partieron de la estación de autobuses ... de la ciudad de San Pedro Sula", "set out from a bus terminal
# in the northern Honduras city of San Pedro Sula", "se dirigió desde la ciudad de": the town named last
_DEPARTED_CITY = re.compile(rf"\b(?:{_DEPARTED_VERBS}|se dirigio|se dirigieron|walked|marched|caminaron|marcharon)\b"
                            # "caminaron 100 kilómetros en el municipio de Mapastepec": where they are, not whence
                            rf"[^.;:,]{{0,90}}?(?<!en el )(?<!en la )(?<!in the )(?<!at the )"
                            rf"\b(?:ciudad|city|municipio|municipality|town|poblado)\s+(?:de|of)\s*$")
# crossing at a border post is reaching it: "cruzaron el punto fronterizo de Agua Caliente", "se colaron
# por el puesto fronterizo de El Florido", "crossed through the El Florido border post"
_CROSSED_AT = re.compile(r"\b(?:cruzaron|cruzo|cruzan|se colaron|se colo|pasaron|crossed|passed)\b[^.;:]{0,60}?"
                         r"\b(?:(?:el|por el|por la|la|through the|at the|the)\s+(?:punto|puesto|paso|cruce|garita|aduana)"
                         r"(?:\s+fronteriz[oa])?(?:\s+de)?|(?:through|at) the)\s*$")
# the verbs of entering a country or a town, and of crossing into it (the one home of both lists: the
# extractor's entries into a country use them too)
ENTERING = (r"ingresaron|ingresan|ingresa|ingreso|entraron|entran|entra|entro|penetraron|penetro|se colaron|se colo|"
            r"entered|entering|enter|enters|came in")
CROSSING = r"cruzaron|cruzan|cruza|cruzo|crossed|crossing|cross|crosses"
# entering through a border post is reaching it: "penetraron ... a Guatemala desde Honduras por El Florido"
_ENTERED_BY = re.compile(rf"\b(?:{ENTERING}|{CROSSING})\b[^.;:]{{0,80}}?\b(?:por|through|via)\b"
                         # "crossed into Mexico through the Rodolfo Robles bridge in Ciudad Hidalgo"
                         rf"(?:[^.;:]{{0,50}}?\b(?:puente|bridge|cruce|crossing|paso)\b[^.;:]{{0,30}}?\b(?:in|en|de)\b)?{_FILLER}")
_MOVED_FROM = re.compile(rf"\b(?:se dirigio|se dirigieron|walked|marched|caminaron|marcharon|avanzaron|avanzo|"
                         rf"camino|recorrer|recorrieron|recorrio|caminar)\b(?:\s+(?:de|desde)|[^.;:]{{0,50}}?\b(?:desde|from))"
                         rf"{_FILLER}")
# a stretch walked "from A to B" ends at B: "avanzaron por la carretera costera desde Escuintla hasta el municipio de
# Mapastepec", "walked 30 kilometers from Huixtla to Escuintla" (the verbs of walking, in the past)
_TRAVELLED_TO = re.compile(r"\b(?:caminaron|camino|marcharon|marcho|avanzaron|avanzo|recorrieron|recorrio|anduvieron|"
                           r"walked|marched|trekked|hiked|advanced|covered|travell?ed)\b[^.;:]{0,80}?\b(?:desde|from)\s+"
                           rf"[^.;:]{{1,60}}?\s+(?:hasta|to){_FILLER}")
# a stretch walked in a relative clause or in the past is background (review of session 9)
_RELATIVE_TRIP = re.compile(r"\b(?:which|that|who|que|quienes|la cual|el cual|los cuales|cuando|when)\s+(?:\w+\s+){0,2}$")
_PAST_TRIP = re.compile(r"\b(?:years ago|months ago|a year ago|last (?:week|month|year)|the year before|in (?:19|20)\d\d|"
                        r"hace (?:\w+ )?(?:anos|meses|un ano|una semana|semanas)|la semana pasada|el mes pasado|"
                        r"el ano pasado|en (?:19|20)\d\d)\b")
# the past marker must be in the walk's own clause: "On Monday the caravan walked from Tapachula to Huixtla, as another
# group did in 2018" is today's walk (session 10: a comparison, like a coordinated clause, is another fact)
_TRIP_CLAUSES = re.compile(rf"(?:{COORDINATION.pattern})|,\s*(?:as|like|just as|como|tal como|al igual que|igual que)\b")
# the conditional of reported speech is hearsay, not a movement the report gives: "una caravana apenas habría salido de
# Tapachula" (2024-04-13_razon), "varios migrantes habrían cruzado ya hacia Guatemala" (2019-01-15_laprensa-hn); the
# data README: its departure is not taken (session 10)
_HEARSAY = re.compile(r"\bhabrian?\s+(?:\w+\s+)?$")
# a word between the verb and its place: "llegaron compactos a Corinto", "arrived safely in Huixtla"
_ARRIVED_AS = re.compile(rf"\b(?:{_ARRIVED_VERBS})(?:\s+[a-z]+){{1,2}}\s+(?:a|al|en|in|at|to)\b{_FILLER}")
# resuming the march after the night somewhere is leaving it: "retomó su caminata este lunes después de
# haber pasado la noche en Tapachula", "set out again after spending the night in Huixtla"
_LEFT_AFTER_NIGHT = re.compile(rf"\b(?:{_DEPARTED_VERBS})\b[^.;:]{{0,80}}?\b(?:(?:despues de|luego de) (?:haber )?(?:pasado la "
                               rf"noche|pernoctado|descansado|dormido|acampado)|(?:tras|luego de|despues de) (?:pasar la "
                               rf"noche|pernoctar|descansar|dormir|acampar)|"
                               rf"after (?:spending the night|resting|sleeping|camping|a night))"
                               # "luego de descansar durante la víspera en Mapastepec"
                               rf"(?:\s+(?:durante|during)\s+(?:la|el|the)\s+\w+)?\s+(?:en|in|at){_FILLER}")
# a stay that began on a day is an arrival that day: "has been held up since Saturday at the town of Vado
# Hondo", "aguardan desde ayer en el poblado guatemalteco Tecún Umán" (the day is blanked out here)
# (the Spanish verbs in any person and tense: "permanece desde ayer en Juchitán", "El grupo permaneció desde el lunes en
# la plaza central de Pijijiapan"; session 9)
_STAYED_SINCE = re.compile(rf"\b(?:held up|stuck|stranded|waiting|camped|camping|stalled|sheltering|aguard\w*|"
                           rf"esperan|esperaban|permanec\w*|varados|varadas|acamp\w*|descans\w*|pernoct\w*)\b"
                           rf"[^.;:]{{0,30}}?\b(?:since|desde)\b[^.;:]{{0,25}}?\b(?:en|in|at){_FILLER}")
# "salió ayer hacia el punto de Agua Caliente": where they went, not where they left
# (session 10: "con dirección a CDMX", 2025-10-01_sdpnoticias; "con dirección a Estados Unidos", 2018-10-21_eltribuno;
# "in the direction of central Mexico", 2022-06-25_latin-american-news)
_TOWARD = re.compile(r"\b(?:hacia|rumbo a|rumbo al|toward|towards|bound for|con destino a|(?:en|con) direccion (?:a|al|hacia)|"
                     r"in the direction of|headed to|"
                     r"heading to|heading for|headed for|para llegar a|to reach)\b")
_PURPOSE = re.compile(r"\b(?:to|para|aiming to|hoping to|trying to|want to|wants to|plan to|plans to|intend to|"
                      r"buscan|buscaba|buscaban|quieren|intentan|pretenden|esperan|con el fin de)\s*$")
_NEGATED = re.compile(r"\b(?:no|not|never|nunca|sin|without|yet to|aun no)\b\s*(?:\w+\s+)?$")
# who moves: the caravan, a group, migrants, or people named by where they come from ("Los extranjeros ... avanzaron
# desde Escuintla hasta Mapastepec", "the Haitians left Tapachula"; session 9)
_ORIGINS = (r"hondurenos|hondurans|guatemaltecos|guatemalans|salvadorenos|salvadorans|centroamericanos|central americans|"
            r"nicaraguenses|nicaraguans|venezolanos|venezuelans|haitianos|haitians|cubanos|cubans|extranjeros|foreigners|"
            r"africanos|africans|sudamericanos|south americans|ecuatorianos|ecuadorians|colombianos|colombians|"
            r"peruanos|extracontinentales")
_WHO = re.compile(r"\b(?:caravanas?|caravans?|viacrucis|via crucis|migrantes|migrants|immigrants|inmigrantes|families|"
                  r"familias|adults|contingentes?|exodo|exodus|columna|column|marcha|march|grupos?|groups?|personas|people|"
                  rf"{_ORIGINS})\b")
_PHASES = re.compile(r"\b(?:fases|phases|oleadas|waves|grupos escalonados|por grupos|en grupos|in groups)\b")
_LEFT = re.compile(rf"\b(?:{_DEPARTED_VERBS})\b|{_STARTED}\b")


def movements(folded: str, place_spans: list[tuple[str, int, int]],
              subject: bool = False, sentence: str | None = None) -> list[tuple[Quantity, str, int, int]]:
    """(arrived|departed, place, start, end) for each place the caravan is said to reach or leave;
    ``subject``: the sentence's subject is the caravan's people of the sentence before ("They left");
    ``sentence``: the folded sentence with its days (``folded`` may have them blanked out)."""
    if not (subject or _WHO.search(folded)) or _PHASES.search(folded):
        return []  # "salió en distintas fases los días 13, 14 y 15": no one day
    found = []
    for place, start, end in place_spans:
        before = folded[max(0, start - 120):start]
        best = None
        for quantity, pattern in ((Quantity.arrived, _ARRIVED), (Quantity.arrived, _CROSSED_AT),
                                  (Quantity.arrived, _ARRIVED_AS), (Quantity.arrived, _STAYED_SINCE), (Quantity.arrived, _ENTERED_BY),
                                  (Quantity.arrived, _TRAVELLED_TO),
                                  (Quantity.departed, _DEPARTED), (Quantity.departed, _STARTED_AT),
                                  (Quantity.departed, _DEPARTED_FROM), (Quantity.departed, _CROSSED_FROM),
                                  (Quantity.departed, _DEPARTED_CITY), (Quantity.departed, _MOVED_FROM),
                                  (Quantity.departed, _LEFT_AFTER_NIGHT), (Quantity.departed, _DEPARTED_VENUE),
                                  (Quantity.arrived, _ARRIVED_LOOSE), (Quantity.departed, _DEPARTED_LOOSE)):
            m = pattern.search(before)
            if m and quantity is Quantity.departed and pattern is not _LEFT_AFTER_NIGHT \
                    and _TOWARD.search(before, m.start()):
                continue  # "salió hacia Agua Caliente" (but "retomó su marcha hacia el norte tras pasar la noche en")
            if m and _PURPOSE.search(before, max(0, m.start() - 25), m.start()):
                continue  # "aiming to reach Mexico City", "buscan llegar a": where they want to go
            if m and pattern in (_TRAVELLED_TO, _MOVED_FROM) and (
                    _RELATIVE_TRIP.search(before, max(0, m.start() - 30), m.start())
                    or _past_trip(sentence if sentence is not None else folded, start - len(before) + m.start(), end)):
                continue  # "The caravan, which walked from Tapachula to Mexico City last week, reached ...",
                # "Years ago, thousands walked from San Pedro Sula to Tijuana": a stretch of the past, not today's
                # arrival at its end nor departure from its start (session 10: the departure too)
            if m and _HEARSAY.search(before, 0, m.start()):
                continue
            if m and not _NEGATED.search(before[:m.start()]) and (best is None or m.start() > best[1]):
                best = (quantity, m.start())  # the verb nearest the place governs it
        if best is None and (_STAYED_AT.search(before) or _COMING_FROM.search(before)) and _LEFT.search(folded, end):
            best = (Quantity.departed, start)  # "los migrantes que estaban en Mapastepec se pusieron en marcha"
        if best is None and _WHENCE_THEY_LEFT.match(folded, end):
            best = (Quantity.departed, start)  # "a 247 kilómetros de Tapachula, de donde partió el contingente"
        if best is None and _WHERE_THEY_ARRIVED.match(folded, end):
            best = (Quantity.arrived, start)  # "Mapastepec, a donde llegaron el viernes", "Pijijiapan, municipio al que llegaron"
        if best is not None:
            found.append((best[0], place, start, end))
    return found


def _past_trip(folded: str, verb: int, end: int) -> bool:
    """A past marker ("years ago", "last week", "in 2018") in the clause that holds the walk from its verb to its place."""
    c0, c1 = clause_bounds(folded, verb, end, _TRIP_CLAUSES)
    return _PAST_TRIP.search(folded, c0, c1) is not None


# "migrantes provenientes de San Pedro Sula partieron": where the people who set off came from
_COMING_FROM = re.compile(rf"\b(?:provenientes|procedentes)\s+de{_FILLER}")
# the place, then where they left it: "Tapachula, de donde partió este contingente", "Tapachula, the city
# from where they left"
_WHENCE_THEY_LEFT = re.compile(r"[^.;:]{0,40}?\b(?:de donde|desde donde|from where|from which)\s+(?:\w+\s+){0,2}?"
                               r"(?:partio|salio|partieron|salieron|left|departed|set out|set off)\b")
# the place, then that people reached it: the arrival's twin of the above
_WHERE_THEY_ARRIVED = re.compile(rf"[^.;:]{{0,40}}?\b(?:a donde|adonde|al que|a la que|al cual|a la cual|por donde|"
                                 rf"where|which)\s+(?:\w+\s+){{0,3}}?(?:{_ARRIVED_VERBS})\b")
# people who had stopped at a place, then set off: "todos los que estaban en Mapastepec ... se pusieron en
# marcha", "the migrants who had spent the night in Huixtla left at dawn"
_STAYED_AT = re.compile(rf"\b(?:que|who|quienes)\s+(?:(?:llevaba|llevaban)\s+(?:\w+\s+){{0,3}}?(?:varad[oa]s|esperando)|"
                        rf"had been (?:stranded|stuck|waiting)|estaban|pernoctaron|durmieron|descansaron|acamparon|were|had "
                        rf"(?:spent the night|rested|camped|slept)|spent the night|rested|camped|slept)\s+(?:en|in|at)"
                        rf"{_FILLER}")


def left(folded: str) -> bool:
    """The sentence says people set off (from anywhere, named or not)."""
    return _LEFT.search(folded) is not None


def left_at(folded: str, start: int = 0) -> int | None:
    """Where the first verb of setting off after ``start`` ends, if the sentence has one."""
    m = _LEFT.search(folded, start)
    return m.end() if m else None


_ARRIVED_VERB = re.compile(rf"\b(?:{_ARRIVED_VERBS})\b")


def arrived_after(folded: str, end: int) -> int | None:
    """Where the verb of "Mapastepec, a donde llegaron el viernes" begins, for the place ending at
    ``end``: the arrival's day is the one its verb names, not one said before the place."""
    m = _WHERE_THEY_ARRIVED.match(folded, end)
    return m.end() - 1 if m else None


def arrival_verb(folded: str, start: int, end: int) -> bool:
    """A verb of arriving in [start, end) of the sentence."""
    return _ARRIVED_VERB.search(folded, start, end) is not None


def movement_verb(folded: str) -> tuple[Quantity, int] | None:
    """(arrived or departed, where the verb ends) if the sentence says people did either."""
    if not _WHO.search(folded) or _PHASES.search(folded):
        return None
    for quantity, pattern in ((Quantity.arrived, _ARRIVED_VERB), (Quantity.departed, _LEFT)):
        m = pattern.search(folded)
        if m:
            return quantity, m.end()
    return None
