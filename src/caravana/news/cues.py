"""Clause-level cue words: what part of a sentence a count belongs to, and whether that
part speaks of the future, denies what it says, or gives a running total.

A sentence often joins two facts ("some 400 were taken to other states, and about 70
were deported"; "the group is made up of 2,000 migrants, and wants to reach the
contingent that left on 23 October"). A count takes its quantity word and its day from
its own clause, not from the other one.
"""

from __future__ import annotations

import re

# coordinated clauses: ", and", ", y", ";", a contrast; dashes are asides, not breaks
COORDINATION = re.compile(r";|,\s*(?:and|y|e|but|pero|while|whereas|mientras(?: que)?|aunque|although|"
                           r"sin embargo|however)\b|\s(?:but|pero|mientras que|whereas)\s"
                           # "9,000 migrants, 3,000 of whom returned": the part has its own clause
                           r"|,(?=\s*(?:\S+\s+){1,3}?(?:of whom|of which|de los cuales|de las cuales|de ellos|"
                           r"de ellas)\b)")


# a coordinated clause that names its own people ("..., y los que se dispersaron eran devueltos",
# "and the rest went home") is their fact, not the count's, even with no count of its own
_OWN_SUBJECT = re.compile(r"\s*(?:los que|las que|those who|the others|the rest|el resto|los demas|las demas|"
                          r"otros|otras|others)\b")


# for where people are: a relative "where" clause is its own fact ("walked from the port of
# entry, where more than 100 members of the caravan had gathered")
_WHERE = re.compile(r";|,\s*(?:where|donde|en donde|en el que|en la que)\b")


def clause_bounds(folded: str, start: int, end: int, breaks: re.Pattern = COORDINATION,
                  counts: list[tuple[int, int]] | None = None) -> tuple[int, int]:
    """The coordinated clause of ``folded`` holding [start, end). With ``counts`` (the spans
    of the sentence's counts), a clause with no count of its own shares the subject of its
    neighbour ("unas 500 personas portaban banderas, y llegaron custodiadas") and is kept."""
    counts = counts or []
    lefts = [m for m in breaks.finditer(folded, 0, start)]
    left = 0
    for m in reversed(lefts):
        if not counts or any(a < m.start() for a, _ in counts) or _OWN_SUBJECT.match(folded, m.end()):
            left = m.end()
            break
    right = len(folded)
    for m in breaks.finditer(folded, end):
        if not counts or any(m.start() < a for a, _ in counts if a >= end) or _OWN_SUBJECT.match(folded, m.end()):
            right = m.start()
            break
    return left, right


def place_clause_bounds(folded: str, start: int, end: int) -> tuple[int, int]:
    """The part of the sentence a count's place words belong to: relative "where" clauses
    ("walked from the port of entry, where more than 100 had gathered") are their own."""
    return clause_bounds(folded, start, end, _WHERE)


# the Spanish future tense keeps its accent in print ("serán retornados", "llegarán");
# capitalised words ending so are names (Durán, Beltrán), not verbs
_FUTURE_ES = re.compile(r"(?<![\w])(?:[a-záéíóúñ]+(?:rá|rán)|habrá|habrán)(?![\w])")
_FUTURE_EN = re.compile(r"\b(?:are to be|is to be|were to be|set to|scheduled to|due to (?:arrive|leave|reach)|"
                        r"will be|'ll)\b")


def future(original: str, folded: str, start: int, end: int) -> bool:
    """The clause [start, end) speaks of what will happen (Spanish future tense, "is to be")."""
    return bool(_FUTURE_ES.search(original, start, end) or _FUTURE_EN.search(folded, start, end))


# a denial of the clause's own fact, not a bound ("no more than", "not fewer than")
_NEGATION = re.compile(r"\b(?:did not|didn't|does not|doesn't|has not|have not|had not|hasn't|haven't|"
                       r"was not|were not|not been|no (?:se )?(?:ha|han|habia|habian|hubo|fue|fueron|pudo|"
                       r"pudieron|logro|lograron|confirmo|confirmaron)|could not confirm|no confirmo|"
                       r"not verify|not confirm|denied|nego|negaron|desmintio|desmintieron|"
                       # a decision not to act (session 10: 2023-01-23_mexicodailypost "decided not to stay ... and not
                       # leave in a caravan")
                       r"(?:decided|chose|opted|preferred) not to|(?:decidio|decidieron|prefirio|prefirieron) no|"
                       r"(?:opto|optaron) por no)\b")


def negated(folded: str, start: int, end: int) -> bool:
    return _NEGATION.search(folded, start, end) is not None


# a running total: dated by the report (or by "hasta este martes"), not by an earlier event
_RUNNING = re.compile(r"\b(?:ya|hasta ahora|hasta el momento|so far|already|a total of|un total de|in total|"
                      r"en total|han sido|habian sido|have been|has been|hasta la fecha|to date|suman|sumaban)\b")


def running_total(folded: str, start: int, end: int) -> bool:
    return _RUNNING.search(folded, start, end) is not None


# said in the present ("the caravan is the largest", "has expanded into", "está integrado por")
_NOW = re.compile(r"\b(?:is|are|remains?|now|currently|has (?:grown|swelled|expanded|become|reached)|"
                  r"have (?:grown|swelled|become)|esta|estan|son|permanece|permanecen|suma|ahora|actualmente|queda|quedan|"
                  r"se encuentra|se encuentran|aun|todavia|still)\b")


def said_now(folded: str, start: int, end: int) -> bool:
    return _NOW.search(folded, start, end) is not None
