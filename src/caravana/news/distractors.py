"""Why a number is not a count of migrants to take.

Each check looks at the words around the number (in the accent-free, lower-case
sentence) and returns the kind of distractor, or None:

- ``unit``: a distance, temperature, sum of money, share, age or span of time ("1,100
  miles", "40 grados", "$2,000", "9 percent", "ten days");
- ``police``: police, troops, agents ("400 Mexican riot police", "3 mil elementos");
- ``capacity``: what a shelter or a stadium can hold;
- ``statistic``: historical or national figures (another year, "so far this year", "per
  day", "nationwide", or more people than any caravan);
- ``future``: expectations ("se espera que lleguen 3,000", "could reach 10,000");
- ``part``: part of a total already counted ("2,300 children", "of them 500 women");
- ``not_people``: a number of something else, or of nobody named.
"""

from __future__ import annotations

import re

from .cues import future, negated

# what a number counts: the first of these words within three words after it
# (never past another number or a preposition of place or time: in "1,000 was trailing 250 miles" and "400 en
# horas de la mañana" the miles and the hours are not what 1,000 and 400 count)
_NOUN_WINDOW = (r"[\s,]*(?:(?:de|of|the|los|las|mas|more|other|otros|otras|"
                r"(?!(?:en|in|at|durante|during|por|for|hacia|toward|towards|desde|from|hasta|until|behind|tras)\s)"
                r"(?![\d.,]+\s)[\w-]{2,})\s+){0,3}?")
PEOPLE = (r"migrantes|migrante|personas|people|persons|migrants|immigrants|inmigrantes|emigrantes|refugees|"
          r"refugiados|hondurenos|hondurans|guatemaltecos|guatemalans|salvadorenos|salvadorans|"
          r"centroamericanos|central americans|nicaraguenses|nicaraguans|venezolanos|venezuelans|haitianos|"
          r"haitians|cubanos|cubans|extranjeros|foreigners|integrantes|members|miembros|participantes|"
          r"participants|caminantes|marchers|asylum.seekers|solicitantes|individuos|individuals|adultos|adults|"
          r"viajeros|travell?ers|indocumentados|undocumented|deportados|deportees|detenidos|detainees|"
          r"connacionales|compatriotas|hombres y mujeres|men and women|africanos|africans|sudamericanos|aliens|"
          r"south americans|ecuatorianos|colombianos|peruanos|extracontinentales")
SUBGROUP = (r"ninos|ninas|children|kids|menores|minors|mujeres|women|hombres|men|adolescentes|teenagers|"
            r"bebes|babies|embarazadas|pregnant|familias|families|infantes|infants|jovenes|youths|ancianos|"
            r"elderly|unaccompanied|no acompanados|nucleos familiares|"
            # session 10: "472 are adults and 232 minors" (2020-10-04_telesurenglish), "1.279 son adultos y 523 menores"
            # (2021-01-20_eldiario), "2 mil 297 adultos" (2021-01-20_publinews): the grown-ups among the counted
            r"adultos|adultas|adults")
POLICE = (r"policias|policia|police|policemen|agentes|agents|elementos|efectivos|soldados|soldiers|troops|"
          r"tropas|militares|guardias|guardsmen|officers|oficiales|marinos|marines|personnel|gendarmes|"
          r"federales|antimotines|riot|national guard|guardia nacional|border patrol agents")
UNITS = (r"km|kilometros|kilometers|kilometres|kilometro|millas|mile|miles|metros|meters|metres|grados|degrees|"
         r"dolares|dollars|pesos|lempiras|quetzales|euros|usd|mdp|por ciento|percent|per cent|porciento|anos|"
         r"years|year-old|horas|hours|dias|days|semanas|weeks|meses|months|minutos|minutes|toneladas|tons|"
         r"kilos|kilogramos|litros|liters|camiones|trucks|autobuses|buses|vehiculos|vehicles|albergues|"
         r"shelters|raciones|meals|comidas|despensas|cobijas|blankets|veces|times|puntos|points|hectareas|"
         r"acres|casos|cases|votos|votes|paginas|pages|tweets|visas|permisos|permits|tarjetas|cards|"
         r"documentos|documents|puestos|jobs|empleos|paises|countries|estados|states|municipios|ciudades|cities|"
         r"habitantes|inhabitants|residents|residentes|pobladores|vecinos|heridos|injured|wounded|lesionados|"
         r"vuelos|flights|unidades|balsas|rafts")

# counts of what happened to people: each is one person ("1.700 solicitudes de refugio")
EVENTS = (r"solicitudes|applications|requests|claims|peticiones|detenciones|detentions|arrests|aprehensiones|"
          r"apprehensions|deportaciones|deportations|expulsiones|expulsions|retornos|returns|repatriaciones|"
          r"repatriations|rescates|muertes|deaths|fallecimientos|cruces|crossings|encuentros|encounters")
_NOUN = re.compile(_NOUN_WINDOW + rf"(?P<noun>\b(?:{PEOPLE}|{SUBGROUP}|{POLICE}|{EVENTS}|{UNITS})\b)")
_EVENT_NOUN = re.compile(rf"\b(?:{EVENTS})\b")
_PEOPLE = re.compile(rf"\b(?:{PEOPLE})\b")
_SUBGROUP = re.compile(rf"\b(?:{SUBGROUP})\b")
_UNIT = re.compile(rf"\b(?:{UNITS})\b")
_POLICE = re.compile(rf"\b(?:{POLICE})\b")
_SYMBOL_AFTER = re.compile(r"^\s*(?:%|°|º|\$|-?(?:mile|km|kilometer|meter|metre|year|hour|day|foot|feet)s?\b)")
_SYMBOL_BEFORE = re.compile(r"(?:\$|us\$|€|£|mxn|usd|no\.|num\.|#|km|ruta|route|highway|carretera)\s*$")
_PART_BEFORE = re.compile(r"(?:los otros|las otras|the other|the remaining|el resto de los|"
                          # "in one of them, some 1,100 migrants walked": one group of several, not a part of one
                          r"(?<!\bone )(?<!\buna )(?<!\buno )(?:of them|de ellos|de ellas)|de los cuales|de las cuales|among them|entre ellos|"
                          r"entre ellas|including|incluidos|incluidas|incluyendo|among whom|of whom|de estos|"
                          r"de estas|mostly|mayoria)[\s,:]*(?:some|about|unos|unas|mas de|more than)?\s*$")
_PART_AFTER = re.compile(r"^\s*(?:de ellos|de ellas|of them|of whom|de los cuales|de las cuales)\b")
# a part to whom something else happened is a count of its own (LABELLING.md C6): "around 300 of them reached
# Izabal", "medio centenar de ellos pernoctaron en", "interceptaron a unos 300 de ellos"
_CONDITIONAL = re.compile(r"\b(?:serian|seria|podrian|deberian|tendrian)\b")
_THEM = re.compile(r"\s*(?:de ellos|de ellas|of them|of those|of these)\b,?")
_DONE_TO = re.compile(r"\b(?:detuvieron|detuvo|interceptaron|intercepto|aseguraron|aseguro|retuvieron|retuvo|deportaron|"
                      r"deporto|rescataron|detained|arrested|intercepted|deported|rescued|apprehended)\s+(?:a\s+)?"
                      r"(?:unos|unas|about|some|around|mas de|more than|al menos|at least)?\s*$")
_CAPACITY = re.compile(r"\b(?:capacidad|capacity|space for|room for|cupo|puede albergar|pueden albergar|"
                       r"can hold|can house|able to house|designed for|built for|disenado para|disenada para|"
                       r"camas|beds|para albergar|to house|to accommodate|albergar hasta|holds up to)\b")
_FUTURE = re.compile(r"\b(?:se espera|se esperan|esperan que|expected|expects|expect|will|could(?! not\b)|podria|podrian|"
                     r"may reach|might|plan(?:s|ned)? to|preve|preven|proyecta|projected|forecast|would|"
                     r"llegaran|arribaran|saldran|por llegar|are due|next week|la proxima semana|(?<!esta )(?<!la )manana|"
                     r"tomorrow|estiman que llegaran|calculan que llegaran|podran|van a|is going to|are going to|seran|"
                     r"habran|scheduled to|set to|braces for|bracing for|prepares? to receive|se prepara para recibir|"
                     r"se preparan para recibir|espera recibir|esperan recibir)\b")
_STATISTIC = re.compile(r"\b(?:last year|el ano pasado|so far this year|en lo que va del ano|en lo que va de|"
                        r"since january|desde enero|this year|este ano|cada ano|al ano|per year|(?<!within )(?<!in )(?<!for )(?<!than )a year|"
                        r"annually|anualmente|per day|al dia|por dia|(?<!within )(?<!in )(?<!for )a day|daily|diarios|diarias|diariamente|each day|"
                        # "for a month", like "for a day": how long, not a monthly rate (session 10: 2022-06-25_latin-american-
                        # news "travel through the country for a month"; 2021-11-29_pulsenewsmexico "for more than a month")
                        r"every day|(?<!within )(?<!in )(?<!for )(?<!than )a month|al mes|per month|mensual|mensuales|record|"
                        r"fiscal year|ano fiscal|"
                        r"nationwide|a nivel nacional|en todo el pais|across the country|in the country|"
                        r"en el pais|decade|decada|historically|historicamente|since 20\d\d|desde 20\d\d|"
                        r"in the past|en los ultimos anos|in recent years|cada semana|each week|per week|"
                        r"a la semana|por semana|every year|every month|population|poblacion(?! de [a-z])|"
                        # "in the last ten years" is history; "en los últimos seis días" a running total
                        r"(?:during|in|over) the (?:last|past) (?:\w+ )?(?:years|months|decades)|"
                        r"(?:durante|en) los ultimos (?:\w+ )?(?:anos|meses|lustros|decenios)|"
                        r"(?:en|in) (?:las|the) (?:ultimas|last|past) 24 (?:horas|hours)|"
                        r"end of the year|fin de ano|fin del ano)\b")
# "a small town of about 30,000 people": its population
_POPULATION_BEFORE = re.compile(r"\b(?:town|city|village|pueblo|ciudad|municipio|localidad|comunidad)\s+(?:of|de)\s+"
                                r"(?:about|some|around|nearly|unos|unas|alrededor de|cerca de|mas de|more than)?\s*$")
_INJURED_AFTER = re.compile(r"^[^.;]*?\b(?:heridos|heridas|lesionad[oa]s|injured|wounded|hospitalizad[oa]s|"
                            r"hospitalized)\b")
_DEATH = re.compile(r"\b(?:muert|murio|murieron|fallec|died|dead|killed)")
# "the largest since June 2022": a comparison, not the year the count is about
# a rank in the year is a comparison too, not a yearly tally (session 10: 2022-08-24_pulsenewsmexico "The largest caravan so
# far this year left Tapachula on June 6 with more than 10,000 migrants"; 2022-07-03_localnews8 "the ninth migrant caravan
# to be formed so far this year"; 2022-06-25_latin-american-news "the eighth so far in 2022")
_SINCE_LARGEST = re.compile(r"\b(?:largest|biggest|mas grande|mayor|mas numerosa|first|second|third|fourth|fifth|sixth|"
                            r"seventh|eighth|ninth|tenth|primera|segunda|tercera|cuarta|quinta|sexta|septima|octava|novena|"
                            r"decima)\b[^.;]*\b(?:since|desde|so far (?:this year|in 20\d\d)|en lo que va del? ano)\b")
_IN_VEHICLE = re.compile(r"\b(?:full of|packed with|carrying|a bordo|with|con|llevaba|transportaba)\s*(?:some|about|unos|unas|mas de|more than)?\s*$")
# a bus terminal is a place, not a vehicle (session 10: 2021-03-30_pledgetimes "arrived Monday night at the Gran Central
# Metropolitana, the main bus terminal"; 2019-01-15_laprensa-hn, 2024-01-21_norteasur "la principal terminal de autobuses")
_STATION = re.compile(r"\b(?:bus (?:terminal|station|depot)s?|(?:terminal|terminales|estacion|central|centrales) de "
                      r"(?:autobuses|buses|camiones))\b")
_VEHICLE = re.compile(r"\b(?:trailer|trailers|camion|truck|tractocamion|caja seca|autobus|bus|vehiculo|vehicle|"
                      r"van|camioneta|lancha|boat|tren|train)\b")
# people stuck in a city, waiting for papers: not a caravan's people unless the sentence says so
_STUCK = re.compile(r"\b(?:varad[oa]s|stranded|stuck|trapped|atrapad[oa]s|a la espera de|waiting for (?:papers|documents|"
                    r"permits|visas|asylum|their)|en espera de|esperan (?:sus|documentos|papeles))\b"
                    # "more than 1,000 wait in Tapachula for their papers": waiting, not travelling
                    r"|\b(?:wait|waits|esperan|aguardan)\b[^.;]{0,40}\b(?:papers|documents|permits|visas|asylum|"
                    r"respuesta|documentos|papeles|permisos|tramites?|citas?|cbp one|regularizacion)\b")
# help given to people ("la Cruz Roja atendió a 300"), papers handed out ("500 accepted humanitarian
# visas"): people the caravan may hold, but not a count of the caravan
# the size a group had at first, said in passing (the labelling rules: history, not a count of now)
ORIGINAL = re.compile(r"\b(?:original|originales|inicial|iniciales|initial|initially|originally|inicialmente|"
                       r"originalmente|al principio|en un principio|al inicio|at first|at the start)\b[^.;]*$")
_ONCE = re.compile(r"\b(?:once numbered|once had|at one point|at its peak|at their peak|llego a tener|llego a sumar|"
                   r"llegaron a ser|(?:llego|llegaron) a (?:reunir|juntar|congregar|agrupar)|en su momento|que alguna vez|llego a contar con|peaked at)\b[^.;]*$")
_AIDED = re.compile(r"\b(?:atendio|atendieron|fueron atendid[oa]s|brindo atencion|brindaron atencion|treated|attended to|"
                    r"received medical|recibieron atencion)\b"
                    r"|\b(?:accepted|aceptaron|recibieron|received|obtained|obtuvieron|were (?:given|granted|issued)|"
                    r"tramitaron|got)\b[^.;]{0,30}\b(?:visas?|permisos?|permits?|papers|documents|documentos|tarjetas?|"
                    r"cards?|oficios)\b")
# health checks and paperwork asked for ("21 caravan migrants tested positive for COVID-19", "10,000
# people have requested visas"): people the caravan may hold, counted for something else
_TESTED_OR_APPLIED = re.compile(r"\b(?:tested positive|test(?:ed)? positive|dieron positivo|resultaron positivos?|"
                                r"contagiad[oa]s|infected with|infectad[oa]s)\b"
                                r"|\b(?:requested|request|applied for|apply for|solicitaron|han solicitado|solicitado|"
                                r"pidieron|tramitan)\s+(?:a\s+|an?\s+|for\s+)?(?:humanitarian\s+|humanitarias?\s+)?"
                                r"(?:visas?|permits?|permisos?|tarjetas?|papers|documents|documentos)\b"
                                # papers handed out: "el INM entregó documentos a 650 migrantes", "issued visas to 500"
                                r"|\b(?:entrego|entregaron|entregara|expidio|expidieron|otorgo|otorgaron|issued|handed out|"
                                r"granted|gave)\s+(?:\w+\s+){0,3}?(?:visas?|permits?|permisos?|tarjetas?|papers|documents|"
                                r"documentos|oficios|salvoconductos)\b")
# a list of parts after its total: "3.329 migrantes, de los cuales 3.228 son hondureños, 96 salvadoreños y cinco"
_LISTED_PART = re.compile(r"\b(?:de los cuales|de las cuales|of whom|of which|among them|entre ellos|entre ellas|"
                          r"including|incluidos|incluidas|incluyendo)\b[^;:]*?\d[^;:]*$")  # a count already listed between
# "461 de los migrantes retornados ... son menores de edad": a subgroup named after its count
_SUBGROUP_PREDICATE = re.compile(rf"[^.;:]{{0,90}}?\b(?:son|eran|are|were)\s+(?:\w+\s+)?(?:{SUBGROUP})\b")
_EACH = re.compile(r"\s*(?:\w+\s+){0,2}?(?:cada uno|cada una|each|apiece)\b")
# "los 6.000 migrantes estaban varados": the people the report already counted, not a town's
_DEFINITE = re.compile(r"\b(?:los|las|the|these|those|estos|estas|esos|esas)\s*$")
_STILL_THERE = re.compile(r"\b(?:permanecen|permanecian|permanece|quedan|quedaban|se encuentran|se encontraban|"
                          r"remain|remained|stay|stayed|are still|were still|siguen|seguian)\b")
_FORCE_BEFORE = re.compile(r"\b(?:guard|guardia|police|policia|army|ejercito|military|militares|forces|fuerzas|"
                           r"troops|tropas|marina|navy|sedena|agency|agencia)\b[^.;]*$")
# "about 500 members of Mexico's National Guard", "250 miembros de la Guardia Nacional de Estados Unidos"
_OF_A_FORCE = re.compile(r"\s+(?:\w+\s+)?(?:members|miembros|integrantes|personnel)\s+(?:of|de|del)\s+(?:the\s+|la\s+|el\s+|"
                         r"los\s+|las\s+)?(?:[\w-]+[’']s\s+)?(?:national guard|guardia nacional|army|ejercito|police|"
                         r"policia|military|marina|navy|marines|border patrol|patrulla fronteriza|fuerzas|forces|"
                         r"security forces)\b")
_OF_THE_CARAVAN = re.compile(r"\s+(?:\w+\s+){0,2}?(?:of|de|del)\s+(?:the\s+|la\s+|los\s+|esta\s+|this\s+)?"
                             r"(?:\w+\s+)?(?:caravana|caravan|grupo|group|contingente|migrantes|migrants|exodo)\b")
_A_CARAVAN = re.compile(r"\b(?:caravana|caravan|contingente|grupo|group|exodo|exodus|columna|column|marcha|march)\b")
_CARAVANS = re.compile(r"\b(?:caravanas|caravans)\b")
_NEAR = 50  # characters: how close "caravans" must be to a count to make it a total of several
MAX_CARAVAN = 50_000  # larger than any reported caravan: a national or historical figure


def part_with_its_own_event(folded: str, start: int, end: int) -> bool:
    """ "N of them" (a part of a count already made) to whom the sentence says something else happened: the
    verb of their own clause right after (an event, a stop, reaching a place) or a detention of them."""
    from .quantities import names_event

    them = _THEM.match(folded, end)
    if them is None:
        return False
    verb = folded[them.end():clause_end(folded, them.end())][:50]
    if _FUTURE.search(verb) or _CONDITIONAL.search(verb):
        return False  # "800 de ellos ... serían deportados": not what happened to them
    return names_event(verb) or _DONE_TO.search(folded, max(0, start - 40), start) is not None


def noun_after(folded: str, end: int) -> str | None:
    """The first word of the noun lists within three words after position ``end``."""
    m = _NOUN.match(folded, end)
    return m["noun"] if m else None


def noun_unit(folded: str, end: int) -> str | None:
    """The unit a number counts ("nueve días", "300 km"), if the noun after it is one."""
    noun = noun_after(folded, end)
    return noun if noun is not None and _UNIT.fullmatch(noun) else None


# a reason given after the count: its denial is the reason's, not the count's
_BECAUSE = re.compile(r"\b(?:because|porque|ya que|debido a que|puesto que|as they|since they|where|donde|en donde)\b")


def why_not(folded: str, start: int, end: int, value: float, plain_integer: bool, years: list[int],
            published_year: int, keyword_quantity: bool, original: str = "") -> str | None:
    """The kind of distractor the number at [start, end) of the folded sentence is, or None.
    ``years``: the years named near the number (a comparison further off, "the largest since
    June 2022", does not make a count historical); ``keyword_quantity``: the sentence says what
    happened to the people (detained, died...), which outweighs the vehicle they were in."""
    why = why_not_rule(folded, start, end, value, plain_integer, years, published_year, keyword_quantity, original)
    return why[0] if why else None


def why_not_rule(folded: str, start: int, end: int, value: float, plain_integer: bool, years: list[int],
                 published_year: int, keyword_quantity: bool, original: str = "") -> tuple[str, str] | None:
    """``why_not``'s kind and the check that gave it (``benchmarks/news_error_stages.py`` counts cuts by check)."""
    before, after = folded[max(0, start - 40):start], folded[end:end + 60]
    if _SYMBOL_AFTER.match(after) or _SYMBOL_BEFORE.search(before):
        return "unit", "symbol"
    noun = noun_after(folded, end)
    if plain_integer and 1950 <= value <= 2099 and (noun is None or not _PEOPLE.fullmatch(noun)):
        return "unit", "year"  # a year
    if noun is not None:
        if _SUBGROUP.fullmatch(noun):
            return "part", "subgroup noun"
        if _POLICE.fullmatch(noun) or (noun in ("members", "miembros", "integrantes", "personnel")
                                       and (_FORCE_BEFORE.search(folded, max(0, start - 60), start)
                                            or _OF_A_FORCE.match(folded, end))
                                       and not _OF_THE_CARAVAN.match(folded, end)):
            return "police", "police noun"  # "the National Guard, which maintains some 27,500 members"
        if not _PEOPLE.fullmatch(noun) and not (_EVENT_NOUN.fullmatch(noun) and keyword_quantity):
            return "unit", f"noun ({noun})"
    if _PART_BEFORE.search(before):
        return "part", "part before"
    if _PART_AFTER.match(after) and not part_with_its_own_event(folded, start, end):
        return "part", "of them after"
    if _LISTED_PART.search(folded, max(0, start - 80), start):
        return "part", "listed part"
    if _SUBGROUP_PREDICATE.match(folded, end):
        return "part", "subgroup predicate"
    if _EACH.match(folded, end):
        return "other", "each"  # "tres grupos de 3.000 personas cada uno": several groups
    if _POPULATION_BEFORE.search(before):
        return "statistic", "population"
    injured = _INJURED_AFTER.match(folded[end:])
    if injured and not _DEATH.search(injured.group()):
        return "other", "injured"  # "11 personas ... resultaron lesionadas": injured, not an observation
    clause = folded[clause_start(folded, start):clause_end(folded, end)]
    if _CAPACITY.search(clause):
        return "capacity", "capacity"
    c0, c1 = clause_start(folded, start), clause_end(folded, end)
    # a reason or a place's relative clause after the count ("36 were deported because they did not meet the
    # requirements", "boarded buses to centers where they are expected to apply"): its tense and denial are its own
    aside = _BECAUSE.search(folded, end, c1)
    c2 = aside.start() if aside else c1
    word = _FUTURE.search(folded, c0, c2)
    if word:
        return "future", f"future word ({word.group()})"
    if original and future(original, folded, c0, c2):
        return "future", "future tense"
    if negated(folded, c0, c2):
        return "negated", "negated"  # "did not verify that eight migrants had been admitted"
    comparison = _SINCE_LARGEST.search(clause)
    if comparison:  # "the largest raid on a caravan since the groups started last year": not a yearly figure
        years, clause = [], clause[:comparison.start()]
    statistic = _STATISTIC.search(clause)
    if statistic and statistic.group() in ("en el pais", "in the country") \
            and _STILL_THERE.search(clause, 0, statistic.start()):
        statistic = None  # "aún permanecen en el país unas 1.500 personas": people there now
    if value > MAX_CARAVAN:
        return "statistic", "larger than a caravan"
    if any(y != published_year for y in years):
        return "statistic", "another year"
    if statistic:
        return "statistic", f"statistic word ({statistic.group()})"
    if _STUCK.search(clause) and not _A_CARAVAN.search(folded) and not _DEFINITE.search(before):
        return "statistic", "stuck"  # "30 mil migrantes varados en Tapachula"
    near = folded[max(0, start - _NEAR):end + _NEAR]
    if _CARAVANS.search(near) and not _A_CARAVAN.search(near):
        return "other", "several caravans"  # several caravans together ("las tres caravanas suman 3.000 personas")
    if _ONCE.search(folded, max(0, start - 40), start):
        return "other", "once"
    if _AIDED.search(clause):
        return "other", "aided"
    if _TESTED_OR_APPLIED.search(clause):
        return "other", "tested or applied"
    if _VEHICLE.search(_STATION.sub(" ", clause)) and (not keyword_quantity or _IN_VEHICLE.search(before)):
        return "vehicle", "vehicle"
    return None


# a clause: the words between semicolons, dashes or a contrast ("but", "mientras")
_CLAUSE_BREAK = re.compile(r";|\s[-–—]\s|\bbut\b|\bpero\b|\bwhile\b|\bmientras\b|\bwhereas\b|\bsin embargo\b|"
                           r",\s*(?:which|where|la cual|el cual|donde|en donde|en el que|en la que|por lo que|"
                           r"aunque|although|though)\b"
                           # ", será en Arriaga donde avanzarán": a new main verb in the future, a new clause
                           r"|,\s*(?=(?:sera|seran|estara|estaran|habra|habran|will)\b)"
                           # a quotation that holds several sentences: each is its own clause
                           r"|(?<=[a-z]{3})[.!?]\s+")


def clause_start(folded: str, position: int) -> int:
    starts = [m.end() for m in _CLAUSE_BREAK.finditer(folded, 0, position)]
    return starts[-1] if starts else 0


def clause_end(folded: str, position: int) -> int:
    m = _CLAUSE_BREAK.search(folded, position)
    return m.start() if m else len(folded)
