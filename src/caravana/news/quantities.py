"""Which observation quantity (``docs/observations.md``) a count of people is, from the
words of its clause: what happened to them (died, detained, deported, returned, crossed
into the US, asked for asylum) first, the nearest such word winning; else the caravan's
size if the sentence is about the caravan; else people present at a place.

Arrivals and departures are dates, not counts: ``movement`` finds them.
"""

from __future__ import annotations

import re

from ..observations import Quantity

# Session 24 (s24news, change R): a return home told in the forms the list below did not read: "han sido regresados a su
# país", "se ha retornado a 3 mil 500", "solicitaron el retorno", "400 solicitaron retornar a su país", "decidieron de
# manera voluntaria volver a sus países", "han decidido retornar al país", "que regresen a sus países de origen",
# "decided to voluntarily return", "interest in returning to their hometowns", "abordaron autobuses ... rumbo a su país
# de origen" (kept by its rule: benchmarks/results/news_crossval-2026-11-28-session24-s24news-rule.txt, -outcome.txt).
_RETURNED_MORE = (
    r"regresad[oa]s|retornado|"
    r"(?:solicitaron|solicito|pidieron|pidio|aceptaron|acepto|optaron por|eligieron)\s+(?:el\s+|su\s+)?"
    r"(?:retorno|regreso|retornar|regresar|volver(?! a [a-z]+[aei]r\b))|"
    r"(?:decidieron|decidio|han decidido|ha decidido|habian decidido|optaron por|prefirieron)\s+"
    r"(?:de manera voluntaria\s+|de forma voluntaria\s+|voluntariamente\s+)?"
    r"(?:regresar|retornar|volver(?! a [a-z]+[aei]r\b))|"
    r"(?:decided|chose|opted|preferred)\s+to\s+(?:voluntarily\s+)?(?:return|go back|go home)|"
    r"(?:regres|retorn|volv)\w*\s+(?:a|hacia)\s+(?:su|sus)\s+(?:pais(?:es)?|hogares|lugares de origen|comunidades)|"
    r"(?:regres|retorn)\w*\s+al\s+pais|"
    r"(?:rumbo|de regreso|de vuelta)\s+a\s+(?:su|sus)\s+pais(?:es)?\s+de origen|"
    r"(?:return|returned|returning)\s+to\s+(?:their|his|her)\s+(?:home\w*|countr\w+)")

_EVENTS: dict[Quantity, re.Pattern] = {
    Quantity.dead: re.compile(
        r"\b(?:muert[oa]s?|murio|murieron|fallecid[oa]s|fallecio|fallecieron|perdieron la vida|perdio la vida|"
        r"sin vida|cadaveres|killed|died|dead|deaths|death toll|bodies|drowned|ahogad[oa]s)\b"),
    Quantity.asylum_requests: re.compile(
        r"\b(?:solicit\w* (?:de |el |la )?(?:asilo|refugio)|(?:asylum|refugee) (?:applications?|requests?|"
        r"claims?|petitions?)|applied for (?:asylum|refuge)|sought asylum|requested asylum|seek asylum|"
        r"pidieron (?:asilo|refugio)|claimed asylum|condicion de refugiad[oa]|tramitar (?:asilo|refugio)|"
        r"solicitudes|applications for asylum|refugee status|applied for refugee|estatus de refugiad[oa]|"
        r"(?:evaluated|processed|screened|interviewed) for asylum|asylum (?:screening|interviews?))\b"),
    Quantity.deported: re.compile(r"\b(?:deport\w*|expulsad[oa]s|expelled|expulsion|expulsiones|"
                                  r"devuelt[oa]s (?:obligatoriamente|por la fuerza|forzosamente))\b"),
    Quantity.returned: re.compile(
        # "volvieron a partir" is setting out again, not going home (session 10: 2019-03-29_laraza "volvieron a partir ya
        # con un total de 2,000 personas"; 2020-01-23_angulo7 "volvió a frenar"): "volver a" + an infinitive is "again"
        r"\b(?:retorno asistido|assisted return|(?:el )?retornos? de|regresaron|regresado|volvieron(?! a [a-z]+[aei]r\b)|"
        r"retornaron|retornad[oa]s|"
        r"returned|went back|went home|headed home|desistieron|gave up|abandonaron la caravana|"
        r"devuelt[oa]s|devolvieron|turned back home|turned back|sent home|sent back|enviad[oa]s de (?:regreso|vuelta)|"
        # a phrasal verb split by its object: "have sent more than 2,000 Honduran migrants back"
        r"(?:sent|sending|send|bused|bussed|flown|flew|trucked|taken|took)\s+(?:[\w,.-]+\s+){1,8}?(?:back|home)(?!\s+(?:to|in)\s+(?:the\s+)?(?:u\.s|us|united))|"
        r"repatriad[oa]s|repatriated|repatriation|repatriaciones|voluntary return|retorno voluntario|"
        r"regreso voluntario|regresar a (?:su|sus) pais(?:es)?|return home|returning home|"
        r"obligad[oa]s a (?:volver|regresar|retornar)|forced to return|forced back|"
        # "decidieron volver a caminar" is setting out again, as "volvieron a partir" is (session 24)
        r"(?:decidieron|optaron por|prefirieron|decided to|chose to|opted to|preferred to) (?:regresar|"
        r"volver(?! a [a-z]+[aei]r\b)|retornar|return|go back|"
        r"go home)|se entregaron|turned themselves in|"
        rf"{_RETURNED_MORE})\b"),
    Quantity.detained: re.compile(
        r"\b(?:detenid[oa]s|detencion(?:es)?|(?<!se )detuvieron(?! (?:su|el) (?:paso|avance|marcha))|(?<!se )detuvo(?! (?:su|el) (?:paso|avance|marcha))|detained|detention|arrest\w*|aprehendid[oa]s|"
        r"apprehen\w*|asegurad[oa]s|aseguramiento|custody|custodia|estacion migratoria|siglo xxi|held in|"
        r"held at|rescatad[oa]s|rescued|rescataron|rescato|encerrad[oa]s|locked up|detainees|detenidas|retuvieron|retuvo|"
        r"retenid[oa]s|intercepted|interceptad[oa]s|interceptaron|intercepto|apprehended|aseguraron|aseguro|"
        r"taken into custody|remitid[oa]s a (?:migracion|las autoridades migratorias)|puest[oa]s a disposicion)\b"),
    Quantity.crossed: re.compile(
        r"\b(?:cruzaron|cruzado|ingresaron|entraron|crossed|entered|cross)\b(?:\s+(?:a|al|into|to|the|el|"
        r"illegally|ilegalmente|border|frontera|la|hacia|territorio|de|the border into|over into))*\s+(?:estados unidos|"
        r"ee\.? ?uu|united states|u\.s\.|us soil|american soil|territorio estadounidense|el otro lado|"
        r"san ysidro|el paso|texas|california|arizona)"),
}
_CARAVAN = re.compile(r"\b(?:caravanas?|caravans?|contingentes?|exodo|exodus|columna|column|marcha|march|viacrucis|"
                      r"procession|procesion|convoy)\b")
PRESENT_HINT = re.compile(
    r"\b(?:albergue|albergues|shelter|shelters|campamento|camp|camped|acampan|acampaban|acamparon|plaza|"
    r"estadio|stadium|permanecen|permanecian|remain|remained|se encuentran|stayed|pernoctaron|spent the night|"
    r"descansan|descansaron|rested|varad[oa]s|stranded|waiting|aguardan|concentrad[oa]s|gathered|reunid[oa]s|"
    r"se concentraron|se concentran|se reunieron|se congregaron|congregated|assembled|"
    r"registrad[oa]s|registered|hay|there are|there were|were in|are in|llegaron|arrived|reached|"
    r"stopped|se detuvieron|se quedaron|instalaron|alojad[oa]s|housed|sheltered|durmieron|slept|"
    # held back by the police, not arrested (LABELLING.md C8): where they were stopped
    r"contenid[oa]s|contuvieron|held back|"
    # a decision acted on (session 10: 2021-12-09_radiohc "decided to rest another day"; the Spanish forms by stem)
    r"decided to (?:stay|rest|camp|remain|spend the night)|decidieron quedarse)\b")
# people on the move: the caravan's size, even where a place is named
MOVING = re.compile(
    r"\b(?:resumed|advance|advanced|advancing|walk|walked|walking|march|marched|marching|continued|continue|"
    r"heading|headed|avanza|avanzan|avanzaron|avanzo|caminan|caminaron|camina|marchan|marcharon|reanudaron|"
    r"continuaron|continua|se dirige|se dirigen|trek|trekked|travel|(?:traveling|travelling|viajan)(?! (?:in|with|en|con)\b)|"
    r"salida|departure|enfilaron|se enfila|se enfilan|"
    r"partida|recorrido|caminata|travesia|journey)\b")


# "a caravan heading to the United States", "la caravana que avanza hacia el norte": what the
# caravan does, said to name it, not what the counted people are doing
_CARAVAN_MODIFIER = re.compile(r"\b(?:caravanas?|caravans?)(?:\s+(?:migrante|migrant|de migrantes|of migrants))?"
                               r"\s*,?\s*(?:que\s+(?:se\s+)?|which is\s+|that is\s+)?$")


def people_moving(folded: str, start: int = 0, end: int | None = None) -> bool:
    """A word of [start, end) says the counted people are on the move (not a word that only
    names the caravan they belong to)."""
    end = len(folded) if end is None else end
    return any(not _CARAVAN_MODIFIER.search(folded, max(0, m.start() - 40), m.start())
               for m in MOVING.finditer(folded, start, end))


# what happened to the counted people before, in a relative clause ("que ya habían sido
# deportados", "who had been deported before"): their history, not the event the count is of
_BACKGROUND = re.compile(r"\b(?:que|quienes|who|which|that)\s+(?:ya\s+|already\s+)?(?:habian|habia|had)\s+"
                         r"(?:sido|been)\s+(?:\w+\s+)?$")


_AFTER = re.compile(r"\b(?:luego de|despues de|after)\s+(?:varias|varios|several|many|muchas|muchos|numerous|"
                    r"numerosas|numerosos)\b")
_AIM = re.compile(r"\b(?:seeking|trying|attempting|hoping|wanting|intending|aiming|want|wants|plan|plans|try|"
                  r"tries|seek|seeks|hope|hopes)\s+to\s+$"
                  # what they were waiting for: "la cita para la solicitud de asilo", "en espera de su deportación"
                  r"|\b(?:para|en espera de|esperando|waiting for|awaiting)\s+(?:la\s+|el\s+|su\s+|sus\s+|the\s+|their\s+)?$"
                  # what they escaped: "hid in plantations to avoid being arrested", "para evitar ser detenidos"
                  r"|\b(?:avoid|avoiding|avoided|evade|evading|evaded|escape|escaping|escaped|evitar|evitando|eludir|"
                  r"eludiendo|evadir|evadiendo|sin ser)\s+(?:being\s+|getting\s+|ser\s+)?$")


# a request people hold, not one they made on the day (session 9: 2021-08-31_alertachiapas "todos con solicitud de
# asilo en trámite"; 2021-10-27_24hbongdda "migrants with humanitarian or asylum claims")
_HELD = re.compile(r"\b(?:con|with|tienen|tenian|tiene|having|holding|cuentan con)\s+(?:\w+\s+){0,2}$")


def classify(folded: str, start: int, end: int, clause: tuple[int, int] | None = None,
             counts: list[tuple[int, int]] | None = None) -> tuple[Quantity, str]:
    """(quantity, why) for the count at [start, end) of the folded sentence; ``why`` is
    'event' (a word of the count's own clause says what happened), 'caravan' or 'present'.
    ``counts``: the spans of the sentence's counts of people; an event word with another count
    between it and this one is that count's ("the caravan had 456 people, after 90 migrants were
    detained": the 90 were)."""
    best, distance = None, None
    c0, c1 = clause or (0, len(folded))
    for quantity, pattern in _EVENTS.items():
        for m in pattern.finditer(folded, c0, c1):
            if any(end <= a and b <= m.start() or m.end() <= a and b <= start for a, b in counts or ()):
                continue
            if _BACKGROUND.search(folded, max(0, m.start() - 40), m.start()):
                continue  # "300 migrantes, que ya habían sido deportados, salieron": their past
            if m.start() >= end and _AFTER.search(folded, end, m.start()):
                continue  # "quedan unas 1.200 personas luego de varias deportaciones, ... han muerto": what they outlasted
            if _AIM.search(folded, max(0, m.start() - 30), m.start()):
                continue  # "seeking to cross the border into Texas": what they want, not what happened
            if quantity is Quantity.asylum_requests and _HELD.search(folded, max(0, m.start() - 30), m.start()):
                continue  # "todos con solicitud de asilo en trámite", "all with pending asylum claims": who they are
            d = m.start() - end if m.start() >= end else start - m.end()
            if distance is None or d < distance:
                best, distance = quantity, d
    if best is not None:
        return best, "event"
    if _CARAVAN.search(folded):
        return Quantity.caravan_size, "caravan"
    return Quantity.present, "present"


def names_event(folded: str) -> bool:
    return any(p.search(folded) for p in _EVENTS.values())


def about_caravan(folded: str) -> bool:
    return _CARAVAN.search(folded) is not None
