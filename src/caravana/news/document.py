"""Reading the whole report, after its sentences: what one sentence alone cannot settle.

The labelling conventions (tests/data/news/LABELLING.md) count a report's observations, not its
sentences. Three of them need the report as a whole, and are applied here to the proposals
the sentences gave:

- a figure that refers back to an earlier count ("Reuters put the number at over 60", "ahora
  son unos cuatro mil", "la cifra asciende a 6 mil") is a figure *of that count*: same quantity,
  place and day (C13);
- two figures of one count from two sources, in two sentences, are one observation: a range
  from the lower to the higher, the midpoint as value (C3);
- a count the report states once with a bound and once precisely ("más de 300" ... "319
  migrantes") is one observation, the precise one (C2).

Nothing here reads a phrase of a particular report: the words are those of reference to an
earlier figure and of attribution to a source, in both languages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from ..observations import Quantity
from .numbers import Number
from .sentences import Sentence
from .textnorm import fold

# words that point back to a figure already given: "put the number at", "estimated it at", "la
# cifra asciende a", "el total es de"; and a bare copula whose subject is the people already
# counted: "ahora son unos cuatro mil", "they now number about 2,000"
_ANAPHOR = re.compile(
    r"\b(?:(?:put|puts|putting|placed|places|estimated|estimates|estimating|raised|raises|lowered|revised|"
    r"calculated)\s+(?:the|that|this|its|their)\s+(?:number|figure|total|count|size|tally)\s+at|"
    r"(?:estimated|put|calculated|placed)\s+(?:it|them)\s+at|"
    r"(?:the|that|this|their|its)\s+(?:number|figure|total|count|tally)\s+(?:is|was|stood at|stands at|rose to|"
    r"reached|grew to|fell to|dropped to|climbed to|at)|"
    r"(?:la|esa|esta)\s+cifra\s+(?:asciende a|ascendia a|es de|era de|llega a|llego a|alcanza|alcanzo|sube a|subio a|"
    r"baja a|bajo a|se eleva a|se elevo a|de)|"
    r"(?:el|ese|este)\s+(?:numero|total|conteo)\s+(?:asciende a|ascendia a|es de|era de|llega a|llego a|alcanza|"
    r"alcanzo|sube a|subio a|de)|"
    r"(?:la|las|los)?\s*(?:calculo|calcularon|estimo|estimaron|cifro|cifraron)\s+en|"
    r"(?:ahora|ya|hoy|actualmente|now|today)\s+(?:son|eran|suman|sumaban|quedan|number|numbered|are|total)|"
    r"(?:they|who)\s+(?:now\s+)?(?:number|numbered|total|totalled|totaled))"
    r"\s+(?:de\s+|a\s+|at\s+)?(?:unos|unas|mas de|menos de|cerca de|alrededor de|casi|poco mas de|hasta|"
    r"about|some|around|nearly|almost|more than|over|at least|al menos|roughly|up to|aproximadamente|"
    r"approximately)?\s*$")
# what may follow a figure given by reference: nothing (the clause ends) or a word for people
# ("son ocho marchas" counts marches, not the people of the count before)
_BARE = re.compile(r"\s*(?:[,;:.)\u2013\u2014-]|$|(?:personas|migrantes|people|migrants|members|miembros|integrantes|"
                   r"extranjeros|individuos|individuals)\b|(?:segun|according|de acuerdo)\b|"
                   r"(?:el|la|los)\s+(?:numero|cifra|total|conteo)\b)")  # "cifraron en 3.000 el número de personas"
# a figure attributed to a source: who says it ("according to Reuters", "segun los organizadores",
# "Reuters sources say", "put the number at")
_ATTRIBUTED = re.compile(
    r"\b(?:according to|segun|de acuerdo con|de acuerdo a|citing|cited by|sources? (?:say|said)|fuentes|"
    r"put the number|put the figure|estimated|estimates|estimo|estimaron|estima|calculo|calcularon|calcula|"
    r"reported|reports|informo|informaron|reporto|reportaron|said|says|dijo|dijeron|asegura|aseguran|aseguro|"
    r"afirmo|afirman|organizers|organisers|organizadores|activistas|activists|authorities|autoridades|"
    r"officials|funcionarios|registro|register)\b")
# a figure of another group, not another reading of the same one
_OTHER_GROUP = re.compile(
    r"\b(?:otro|otra|otros|otras|another|other|a different|un segundo|una segunda|segundo grupo|a second|the second|"
    r"el segundo|la segunda|un tercer|una tercera|a third|the third|el primer|la primera|the first|a first|"
    r"ademas de|besides|in addition|tambien|also)\b")
STEPS = frozenset({"refer", "sources", "bounds", "parts"})  # the readings applied; benchmarks/news_document.py turns them off one by one
SAME = 0.05  # two figures of one report within 5 % ("más de 3.200", "3.329") are one observation
_BOUND_SPAN = 0.15  # "más de 300" and "319": the bound and a precise figure within 15 % of it
SHOWN = 0.5  # the review threshold (caravana news review's default): vague amounts ("miles", "cientos") stay below it and merge with nothing
# two sources' readings of one count differ by at most this factor (3,500 by the government, 7,000 by the
# organisers): "50 detained" and "a caravan of 800" are two counts, whatever verbs of saying surround them
_SOURCES_RATIO = 2.5
_NEAR = 3  # sentences: two sources of one count are given close together
_NEAR_RANGE = 8  # sentences: a source's range that holds the earlier figure


def anaphoric_numbers(sentence: Sentence, numbers: Iterable[Number], used: set[int]) -> list[Number]:
    """The numbers of ``sentence`` that refer back to a figure already given ("Reuters put the
    number at over 60"): preceded, in their clause, by words of reference, and not already
    read as a count of their own (``used``: their starts)."""
    folded = fold(sentence.text)
    return [n for n in numbers if n.start not in used and not n.vague
            and _ANAPHOR.search(folded[max(0, n.start - 60):n.start]) and _BARE.match(folded, n.end)]


def refer_back(proposals: list, sentence: Sentence, numbers: list[Number], make: Callable) -> list:
    """Proposals for the anaphoric ``numbers`` of ``sentence``: each a figure of the latest
    count the report gave before it (its quantity, place and day), made by ``make(antecedent,
    number, sentence)``. ``proposals`` are those of the earlier sentences, in order."""
    earlier = [p for p in proposals if p.value is not None and p.start < sentence.start]
    if not earlier or not numbers or "refer" not in STEPS:
        return []
    antecedent = max(earlier, key=lambda p: (p.start, p.confidence))
    return [make(antecedent, n, sentence) for n in numbers]


def consolidate(proposals: list, sentences: list[Sentence], country_of: dict[str, str] | None = None) -> list:
    """The report's proposals as observations: two sources of one count merged into a range
    (C3), and a bound dropped for the precise figure of the same count (C2)."""
    index = {s.start: i for i, s in enumerate(sentences)}
    if "parts" in STEPS:
        proposals = _groups_of_a_total(proposals)
    if "bounds" in STEPS:
        proposals = _precise_over_bounds(proposals, country_of or {})
    if "sources" in STEPS:
        proposals = _sources_of_one_count(proposals, index)
    return proposals


def _sources_of_one_count(proposals: list, index: dict[int, int]) -> list:
    """Two figures of the same quantity, place and day (a day apart at most) in sentences at
    most ``_NEAR`` apart, the later attributed to a source and neither naming another group,
    are one count from two sources (C3): one range row at the earlier sentence."""
    out = list(proposals)
    counts = sorted((p for p in proposals if p.value is not None and p.confidence >= SHOWN
                     and p.quantity in (Quantity.caravan_size, Quantity.present)), key=lambda p: p.start)
    merged: set[int] = set()
    for i, later in enumerate(counts):
        if id(later) in merged or not _ATTRIBUTED.search(fold(later.sentence)) \
                or _OTHER_GROUP.search(fold(later.sentence)):
            continue
        for first in reversed(counts[:i]):
            # a source's range that holds the figure given before it ("about 3,000" ... "between 2,300 and 3,000,
            # according to the ministry") is the same count further apart than two loose figures
            holds = later.low is not None and later.high is not None and later.low <= first.value <= later.high
            if id(first) in merged or first.start == later.start \
                    or index.get(later.start, 0) - index.get(first.start, 0) > (_NEAR_RANGE if holds else _NEAR):
                continue
            if (first.quantity, first.place) != (later.quantity, later.place) \
                    or abs((first.date - later.date).days) > 1 or _OTHER_GROUP.search(fold(first.sentence)) \
                    or abs(first.value - later.value) <= SAME * max(first.value, later.value) \
                    or not one_count(first.value, later.value):
                continue
            lows = [p.low if p.low is not None else p.value for p in (first, later)]
            highs = [p.high if p.high is not None else p.value for p in (first, later)]
            low, high = min(lows), max(highs)
            out[out.index(first)] = replace(first, value=float((low + high) // 2), low=low, high=high,
                                            confidence=min(first.confidence, later.confidence),
                                            evidence=f"{first.evidence} / {later.evidence}")
            out.remove(later)
            merged |= {id(first), id(later)}
            break
    return out


def one_count(a: float, b: float) -> bool:
    """Two figures close enough to be two sources' readings of one count."""
    return max(a, b) <= _SOURCES_RATIO * max(min(a, b), 1.0)


def _groups_of_a_total(proposals: list) -> list:
    """Groups whose figures add up to a total the report gives for the same quantity and place, a
    day apart at most ("over 300 detained" ... "the first group of 281" ... "the second group of 38"),
    are parts of that total (C3): the total is the observation, the groups are not."""
    counts = [p for p in proposals if p.value is not None and p.confidence >= SHOWN]
    parts: set[int] = set()
    for total in counts:
        others = [p for p in counts if p is not total and (p.quantity, p.place) == (total.quantity, total.place)
                  and abs((p.date - total.date).days) <= 1 and p.value < total.value * (1 + _BOUND_SPAN)
                  and p.start != total.start]
        if len(others) < 2:
            continue
        added = sum(p.value for p in others)
        low = total.low if total.low is not None else total.value * (1 - SAME)
        high = total.high if total.high is not None else total.value * (1 + _BOUND_SPAN if total.low is not None
                                                                         else 1 + SAME)
        if low <= added <= high:
            parts |= {id(p) for p in others}
    return [p for p in proposals if id(p) not in parts]


def _precise_over_bounds(proposals: list, country_of: dict[str, str]) -> list:
    """A bound ("más de 300") and a precise figure of the same quantity and place, a day apart at
    most, that agree (the precise figure on the bound's side, within 15 %) are one count: the
    precise one (C2). So is a range that opens or closes on the bound's figure ("more than 300
    detained" ... "police arrested 300-500"). A bound said of a country and a figure said of one of
    its towns are the same place, named less precisely."""
    precise = [p for p in proposals if p.value is not None and p.low is None and p.high is None]
    ranges = [p for p in proposals if p.value is not None and p.low is not None and p.high is not None
              and p.low < p.high]

    def same(p, bound) -> bool:
        return p.quantity == bound.quantity and bound.place in (p.place, country_of.get(p.place)) \
            and abs((p.date - bound.date).days) <= 1

    def restated(bound) -> bool:
        if bound.value is None or (bound.low is None) == (bound.high is None):
            return False  # no bound, or a range (both sides)
        for p in precise:
            if not same(p, bound):
                continue
            if bound.low is not None and bound.low <= p.value <= bound.low * (1 + _BOUND_SPAN):
                return True
            if bound.high is not None and bound.high * (1 - _BOUND_SPAN) <= p.value <= bound.high:
                return True
        return any(same(p, bound) and ((bound.low is not None and abs(p.low - bound.low) <= SAME * bound.low)
                                       or (bound.high is not None and abs(p.high - bound.high) <= SAME * bound.high))
                   for p in ranges)

    return [p for p in proposals if not restated(p)]

