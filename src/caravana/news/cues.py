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
_COORDINATION = re.compile(r";|,\s*(?:and|y|e|but|pero|while|whereas|mientras(?: que)?|aunque|although|"
                           r"sin embargo|however)\b|\s(?:but|pero|mientras que|whereas)\s")


def clause_bounds(folded: str, start: int, end: int) -> tuple[int, int]:
    """The coordinated clause of ``folded`` holding [start, end)."""
    left = [m.end() for m in _COORDINATION.finditer(folded, 0, start)]
    right = _COORDINATION.search(folded, end)
    return (left[-1] if left else 0), (right.start() if right else len(folded))


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
                       r"not verify|not confirm|denied|nego|negaron|desmintio|desmintieron)\b")


def negated(folded: str, start: int, end: int) -> bool:
    return _NEGATION.search(folded, start, end) is not None


# a running total: dated by the report (or by "hasta este martes"), not by an earlier event
_RUNNING = re.compile(r"\b(?:ya|hasta ahora|hasta el momento|so far|already|a total of|un total de|in total|"
                      r"en total|han sido|habian sido|have been|has been|hasta la fecha|to date|suman|sumaban)\b")


def running_total(folded: str, start: int, end: int) -> bool:
    return _RUNNING.search(folded, start, end) is not None


# said in the present ("the caravan is the largest", "has expanded into", "está integrado por")
_NOW = re.compile(r"\b(?:is|are|remains?|now|currently|has (?:grown|swelled|expanded|become|reached)|"
                  r"have (?:grown|swelled|become)|esta|estan|son|permanece|permanecen|suma|ahora|actualmente|"
                  r"se encuentra|se encuentran)\b")


def said_now(folded: str, start: int, end: int) -> bool:
    return _NOW.search(folded, start, end) is not None
