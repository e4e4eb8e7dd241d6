"""Departures read by their construction, not by a list of verbs (session 16, change M): a place is where a
journey began when it is the complement of an origin preposition ("desde", "from"; for a noun of departure also "de",
"en", "in") that a word of travelling governs, in its own clause:

- a verb of travelling in any tense or person, found by its Snowball stem ("marchan desde", "viajaron desde",
  "partiera desde", "were bused from", "trekked from");
- a noun of journey or departure ("su travesía desde", "their journey ... from", "desde su salida en", "the
  departure from") or of origin ("originada en", "originating in").

Who travels is the sentence's group or, in a sentence that names none ("caminaron desde"), the people the report is
about (``subject``). The place's other roles end the verb's reach: a measure before the origin ("25 miles from
Tapachula" is a distance), a clause opened in between, a plan, a negation or hearsay.
"""

from __future__ import annotations

import re

from ..observations import Quantity
from .stems import stem

# the lexical class of verbs and nouns of travelling (a closed class of the language, not the data's words); each
# verb is matched by the stems of its forms, so a tense or person not spelt out still counts
_VERBS = {
    "es": ("caminar", "caminaron", "camina", "marchar", "marcharon", "marchan", "viajar", "viajaron", "viajan",
           "avanzar", "avanzaron", "avanzan", "trasladar", "trasladaron", "trasladados", "desplazar", "desplazaron",
           "recorrer", "recorrieron", "transitar", "transitaron", "partir", "partieron", "partiera", "emigrar",
           "peregrinar", "huir", "huyeron"),
    "en": ("walk", "walked", "walking", "march", "marched", "marching", "travel", "traveled", "travelled",
           "traveling", "trek", "trekked", "hike", "hiked", "journey", "journeyed", "move", "moved", "bus", "bused",
           "bussed", "transport", "transported", "ferry", "ferried", "flee", "fled", "depart", "departed", "embark",
           "embarked", "migrate", "migrated"),
}
_NOUNS = (r"viaje|travesia|trayecto|recorrido|caminata|marcha|peregrinacion|periplo|exodo|exodus|journey|trek|trip|"
          r"march|walk|hike|pilgrimage|odyssey|voyage")
_DEPARTURE_NOUNS = r"salida|partida|departure"  # a departure is from a place or at it: "su salida en Tapachula"
_ORIGIN = r"originada|originado|originadas|originados|se origino|originating|originated|which originated|that originated"
_MEASURES = (r"km|kms|kilometers|kilometres|kilometros|miles|millas|metros|meters|metres|blocks|cuadras|hours|horas|"
             r"minutes|minutos|leguas|steps|pasos|away|lejos")
# words that end a verb's reach towards its origin: another clause, or another role for the place
_STOP = (r"y|e|and|o|or|que|which|who|where|donde|cuando|when|pero|but|while|mientras|after|tras|before|antes|"
         r"since|because|porque|pues|sino|if|si|without|sin")


def _gap(n: int) -> str:
    """Up to ``n`` words that open no other clause."""
    return rf"(?:[\s,]+(?!(?:{_STOP})\b)[\w']+){{0,{n}}}"


# "from" / "desde" then the filler before a town ("from the town of", "desde la ciudad de", "desde el municipio de")
_FILLER = (r"(?:\s+(?:la|el|los|las|the|a|an|su|sus|their|its|este|esta|this|that|ese|esa|mexican|mexicana|mexicano|"
           r"guatemalan|guatemalteca|guatemalteco|honduran|hondurena|hondureno|southern|northern|sureña|surena|norteña|"
           r"nortena|border|fronteriza|fronterizo|small|pequena|city|town|village|municipality|municipio|ciudad|"
           r"localidad|poblado|comunidad|cabecera|puerto|port|estado|state|capital|of|de|del|bus|terminal|estacion|"
           r"station|central|parque|park|plaza|en|in|at|shelter|albergue)\b)*\s*$")
_ORIGIN_PREP = r"desde|from"
_PLAN = re.compile(r"\b(?:to|para|will|would|could|can|may|might|should|plan|plans|planned|planning|hope|hoping|"
                   r"aim|aiming|want|wants|intend|intends|seek|seeking|por|van a|iban a|va a|ira|iran|pretenden|"
                   r"planean|buscan|quieren|esperan|deben|podrian|podran|tienen previsto)\s+$")
_NEGATED = re.compile(r"\b(?:no|not|never|nunca|without|sin|yet to|aun no|ni)\s+(?:\w+\s+)?$")
_HEARSAY = re.compile(r"\bhabrian?\s+(?:\w+\s+)?$")
_WORD = re.compile(r"[a-z]+")
# Spanish forms that are not an event that happened: an infinitive, a future, a conditional
_NOT_DONE = re.compile(r"(?:ar|er|ir|aran|eran|iran|ara|(?<!i)era|ira|aria|eria|iria|arian|erian|irian)$")


def _stems(language: str) -> frozenset[str]:
    return frozenset(stem(w, language) for w in _VERBS[language])


_STEMS: dict[str, frozenset[str]] = {}


def _travel_verb(word: str, language: str) -> bool:
    if language not in _STEMS:
        _STEMS[language] = _stems(language)
    return stem(word, language) in _STEMS[language]


_NOUN_ORIGIN = re.compile(rf"\b(?:{_NOUNS})\b{_gap(6)}[\s,]+(?:{_ORIGIN_PREP}){_FILLER}")
_DEPARTURE_AT = re.compile(rf"\b(?:{_DEPARTURE_NOUNS})\b(?:\s+\w+){{0,2}}?\s+(?:{_ORIGIN_PREP}|de|del|en|in|at|"
                           rf"out of){_FILLER}")
_ORIGIN_IN = re.compile(rf"\b(?:{_ORIGIN})\b(?:\s+\w+){{0,2}}?\s+(?:en|in|desde|from|at){_FILLER}")
_TO_ORIGIN = re.compile(rf"{_gap(8)}[\s,]+(?:{_ORIGIN_PREP}){_FILLER}")
# the preposition that opens the town's phrase ("from the town of", "desde la ciudad de")
_TAIL = re.compile(rf"\b(?:{_ORIGIN_PREP}|de|del|en|in|at|out of){_FILLER}")
_MEASURE_BEFORE = re.compile(rf"\b(?:{_MEASURES})\s*$")


def departures(folded: str, place_spans: list[tuple[str, int, int]], language: str,
               subject: bool) -> list[tuple[str, int, int]]:
    """(place, start, end) of each town of ``place_spans`` that the sentence ``folded`` says a journey began at, by
    construction; ``subject``: the sentence names no group but the report's people are its subject."""
    from .movement import _WHO  # the words for a group of people that moves (one list for every reading)

    if not (subject or _WHO.search(folded)):
        return []
    found = []
    for place, start, end in place_spans:
        before = folded[max(0, start - 140):start]
        head = _construction(before, language)
        if head is None:
            continue
        if _PLAN.search(before, max(0, head - 30), head) or _NEGATED.search(before[:head]) \
                or _HEARSAY.search(before[:head]):
            continue
        found.append((place, start, end))
    return found


def _construction(before: str, language: str) -> int | None:
    """Where, in the text just before a town, the word of travelling that makes the town an origin begins."""
    tail = _TAIL.search(before)
    if tail is None or _MEASURE_BEFORE.search(before, 0, tail.start()):
        return None  # "25 miles from Tapachula": a distance, not an origin
    for pattern in (_NOUN_ORIGIN, _DEPARTURE_AT, _ORIGIN_IN):
        m = pattern.search(before)
        if m:
            return m.start()
    if not re.match(rf"(?:{_ORIGIN_PREP})\b", before[tail.start():]):
        return None
    # a verb of travelling governs the origin: the nearest such verb before "desde" / "from", in its clause
    for word in reversed(list(_WORD.finditer(before, max(0, tail.start() - 90), tail.start()))):
        if word.group() in _STOP.split("|"):
            return None  # another clause begins between the verb and its origin
        if _travel_verb(word.group(), language) and not (language == "es" and _NOT_DONE.search(word.group())):
            return word.start() if _TO_ORIGIN.match(before, word.end()) else None
    return None


ENABLED = True  # change M; the judging benchmarks switch it off to measure its delta (benchmarks/news_changes.py)


def more_moves(moves: list[tuple[Quantity, str, int, int]], undated: str, towns: list[tuple[str, int, int]],
               language: str, about_them: bool, folded: str) -> list[tuple[Quantity, str, int, int]]:
    """``moves`` (the movement verbs' readings) with (b) the readings of a sentence that names no group when the
    report's people are its subject (``about_them``), and (a) the departures by construction, each town read once."""
    from .movement import movements

    if about_them and not moves:
        moves = movements(undated, towns, subject=True, sentence=folded)
    read = {start for _, _, start, _ in moves}
    return moves + [(Quantity.departed, place, start, end)
                    for place, start, end in departures(undated, towns, language, about_them) if start not in read]
