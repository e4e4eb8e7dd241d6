"""From reports to proposed observations: each count of people in each sentence, with its
quantity, place, date, value and bounds, a confidence, and the sentence as evidence."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from ..observations import QUANTITIES, Quantity
from . import entries, stays
from .background import background_day, caravans_start
from .cues import clause_bounds, place_clause_bounds, running_total, said_now
from .dates import DateMention, find_dates
from .distractors import ORIGINAL, PEOPLE, noun_after, noun_unit, part_with_its_own_event, why_not
from .document import SAME, SHOWN, anaphoric_numbers, consolidate, one_count, refer_back
from .loading import Report
from .movement import CROSSING, ENTERING, arrival_verb, arrived_after, left, left_at, movement_verb, movements
from .numbers import Number, find_numbers
from .places import Gazetteer, PlaceMention, authority_country
from .quantities import PRESENT_HINT, about_caravan, classify, names_event, people_moving
from .sentences import Sentence, split_sentences
from .stems import StemFamily
from .textnorm import fold

_CARAVAN_OF = re.compile(r"\b(?:caravanas?|caravans?|contingentes?|grupo|group|columna|column|marcha|march|exodo|"
                         r"exodus|made up of|conformada por|integrada por|compuesta por|formada por|"
                         r"number(?:ed|s)?|suman|sumaban|cifra de|some|total of|un total de)\s*,?\s+(?:de\s+|of\s+)?"
                         r"(?:mas de|more than|about|around|unos|unas|some|alrededor de|cerca de|casi|nearly|"
                         r"no less than|not less than|no menos de|"
                         r"almost|at least|al menos|an estimated|aproximadamente)?\s*$")
# the caravan's own size, whatever the sentence says happened: "la caravana de más de 6.000 hondureños",
# "una caravana migrante conformada por más de 9.000", "the caravan of about 3,000"
_THE_CARAVAN_OF = re.compile(r"\b(?:caravanas?|caravans?|exodo|exodus)\s*(?:migrante\s*|migrant\s*|de migrantes\s*|"
                             r"of migrants\s*)?,?\s*(?:(?:conformada|integrada|compuesta|formada) por\s+|made up of\s+|"
                             r"(?:estimada|calculada|cifrada) en\s+|(?:estimated|put|calculated) at\s+|numbering\s+|"
                             r"que suma\s+|which numbers\s+|de\s+|of\s+)(?:mas de|more than|about|around|unos|unas|some|roughly|alrededor de|cerca de|casi|"
                             r"nearly|almost|at least|al menos|an estimated|aproximadamente|as many as|up to|hasta|"
                             r"upwards of|over)?\s*$"
                             # "estimated the caravan's size at about 2,000", "grew in size to more than 12,000"
                             r"|\b(?:caravan'?s size|size of the caravan|tamano de la caravana)\s+(?:at|to|of|en|de)\s+"
                             r"(?:about|around|some|more than|over|nearly|unos|unas|mas de|cerca de)?\s*$"
                             r"|\b(?:caravan|caravana)\b[^.;]{0,40}\b(?:grew|swelled|grown|swollen|crecio|aumento)\s+"
                             r"(?:in size\s+)?(?:to|a|hasta)\s+(?:about|around|some|more than|over|nearly|unos|unas|mas de|"
                             r"cerca de)?\s*$")
# all of a caravan's people, whatever happened to them: "los aproximadamente 200 integrantes de esta caravana"
_ALL_MEMBERS = re.compile(r"\b(?:los|las|the|sus|its|all)\s+(?:aproximadamente|unos|unas|about|some|around|mas de|"
                          r"more than)?\s*[\d.,]+\s+(?:integrantes|miembros|members|participantes)\s+(?:de|del|of)\s+"
                          r"(?:la|esta|the|this)\s+(?:\w+\s+)?(?:caravana|caravan)\b")
# "Son unos 3 mil 630 según las autoridades": a sentence that opens with its people's number
_THEY_ARE = re.compile(r"^\W*(?:son|eran|suman|sumaban|they are|they were|they number|they numbered)\s+(?:unos|unas|about|"
                       r"some|around|mas de|more than|cerca de|alrededor de|casi|nearly)?\s*$")
_THEY_ARE_OPENING = re.compile(r"^\W*(?:son|eran|suman|sumaban|they are|they were|they number|they numbered|"
                               r"it (?:is|was) (?:estimated|thought|believed|said) to (?:include|number|have)|"
                               r"it (?:includes|included|numbers|numbered))\b")
# "unos 5 mil 500 según los organizadores": a figure attributed to a source is a count
_PER_SOURCE = re.compile(r"\s*,?\s*(?:personas|migrantes|people|migrants)?\s*,?\s*(?:segun|according to|de acuerdo con)\b")
_NO_NOUN = re.compile(r"\s*(?:[,;.\u2013\u2014)]|$|segun\b|according\b|y\b|and\b|personas\b|migrantes\b|people\b|migrants\b)")
# people named first, then their number ("the migrants ... number approximately 300", "los
# migrantes, que suman unos 3.000", "migrants - who officials estimate may be as high as 7,200")
_PEOPLE_NUMBER = re.compile(rf"\b(?:{PEOPLE})\b[^;:\d]{{0,90}}\b(?:numbers?|numbered|totall?ing|totall?ed|suman|sumaban|"
                            r"ascienden a|asciende a|as high as|as many as|estimated at|calculated at|se calculan en|"
                            r"se estiman en)\s+(?:about|some|around|approximately|aproximadamente|unos|unas|mas de|"
                            r"more than|cerca de|alrededor de|nearly|almost|casi)?\s*$")
# "los migrantes, más de un millar, partieron": the people, then their number in apposition
_APPOSITION = re.compile(rf"\b(?:{PEOPLE})\s*,\s*(?:about|some|around|approximately|aproximadamente|unos|unas|mas de|"
                         r"more than|cerca de|alrededor de|nearly|almost|casi|at least|al menos)?\s*$")
# "–los organizadores hablan hasta de 8 mil–", "organizers put it at 8,000": a source's own figure of the count
_SOURCE_SAYS = re.compile(r"\b(?:organizadores|organizers|organisers|activistas|activists|autoridades|authorities|"
                          r"officials|funcionarios)\s+(?:hablan|hablaban|hablaron|calculan|calcularon|estiman|estimaron|"
                          r"cuentan|contaron|speak|spoke|say|said|estimate|estimated|count|counted|put it)\s+"
                          r"(?:hasta\s+)?(?:de|of|at)?\s*(?:hasta|up to|unos|unas|about|some|around|mas de|more than|"
                          r"cerca de)?\s*$"
                          # "local media reported the group to be over 1,000", "calcularon el grupo en unos 800"
                          r"|\b(?:reported|estimated|put|said|calculated|believed|reportaron|estimaron|calcularon|cifraron)\s+"
                          r"(?:the group|the caravan|the number|it|them|el grupo|la caravana|el numero)\s+(?:to be|at|en|to number)\s+"
                          r"(?:over|more than|about|some|around|up to|nearly|almost|mas de|unos|unas|cerca de|hasta)?\s*$")
# "reduciéndose de 2,500 personas a unas 700", "dropped from 2,500 to about 700": the count went from one
# figure to the other; the second is the count of now, the first what it was
_CHANGE = (r"(?:reduciendose|reducida|reducido|redujo|se redujo|disminuyo|bajo|bajaron|paso|pasaron|pasando|crecio|"
           r"aumento|dropped|fell|shrank|shrunk|dwindled|went|grew|rose|swelled|reduced)")
_CHANGED_TO = re.compile(rf"\b{_CHANGE}\s+(?:\w+\s+){{0,2}}?(?:de|from)\s+[\d.,]+(?:\s+mil)?\s*(?:\w+\s+)?(?:a|to)\s+"
                         r"(?:unos|unas|about|some|around|alrededor de|cerca de|solo|only|just)?\s*$")
_CHANGED_FROM = re.compile(rf"\b{_CHANGE}\s+(?:\w+\s+){{0,2}}?(?:de|from)\s+$")
# "el contingente se ha reducido a unos mil 200", "had swelled to some 7,000": the size it changed to
_CHANGED_TO_BARE = re.compile(rf"\b{_CHANGE}\s+(?:a|to)\s+(?:unos|unas|about|some|around|alrededor de|cerca de|"
                              r"solo|only|just|mas de|more than|over)?\s*$")
_REACHED = re.compile(r"\b(?:reached|alcanzaron|alcanzo)\s+(?:the\s+|el\s+|la\s+)?$")
_BORDER_AFTER = re.compile(r"\s*(?:-\s*\w+\s+)?(?:border|frontera)\b")
_HOUR_WORDS = r"(?:\d{1,2}(?::\d\d)?|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce)"
_TIME_OF_DAY = re.compile(r"\b(?:(?:at|around|about|before|after|shortly after|a eso de|alrededor de|cerca de|hacia|antes del?|"
                          r"despues del?|a|de|en|por)\s+)?(?:(?:la|las|el|the)\s+)?(?:midnight|dawn|daybreak|noon|"
                          r"first light|sunrise|medianoche|madrugada|amanecer|mediodia)\b"
                          rf"|\b(?:alrededor de |cerca de |a eso de |hacia |a )?las? {_HOUR_WORDS}"
                          r"(?: (?:y media|y cuarto|treinta|quince|cuarenta y cinco|\d\d))?"
                          r"(?: (?:de la|del) (?:manana|tarde|noche|madrugada))?\b")
_ABBREVIATION = re.compile(r"\b([a-z])\.([a-z])\.")
_TITLE_OF_LAW = re.compile(r"\b(?:title|titulo)\s*$")
# "y ahora se mantienen alrededor de mil 500", "quedan unos 1.200": the people who remain, then their number
_REMAIN_NUMBER = re.compile(r"\b(?:se mantienen|quedan|quedaban|permanecen|remain|remained|are left|were left)\s+"
                            r"(?:about|some|around|approximately|aproximadamente|unos|unas|alrededor de|cerca de|"
                            r"nearly|almost|casi|only|solo)?\s*$")
_PERSON_SUFFIX = re.compile(r"^[- ](?:person|people|strong|member|miembros|personas)\b")
_DIED = r"murieron|died|fallecieron|were killed|have died|had died|dead|muertos|han muerto|perdieron la vida"
_VERB_AFTER = re.compile(rf"^\s*(?:\w+\s+)?(?:{_DIED}|were detained|fueron detenidos|fueron deportados|were deported|"
                         r"were arrested|llegaron|arrived|cruzaron|crossed|salieron|left|regresaron|"
                         r"returned|solicitaron|applied|abandonaron|desistieron|decidieron|se entregaron|gave up|"
                         r"decided|were sent|fueron enviados|fueron devueltos|fueron retornados|preferred|prefirieron|"
                         r"optaron|opted|chose|eligieron)\b")
_DIED_AFTER = re.compile(rf"^\s*(?:\w+\s+)?(?:{_DIED})\b")


LEAD = 800  # characters: a day named this early in a report dates what it says later (the lead)


@dataclass(frozen=True)
class Proposal:
    file: str
    date: dt.date
    place: str  # a place, a country code, or "" (everywhere)
    quantity: Quantity
    value: float | None
    low: float | None
    high: float | None
    confidence: float
    sentence: str
    start: int  # the sentence's span in the report's text
    end: int
    source: str = ""
    language: str = ""
    published: dt.date | None = None
    evidence: str = ""  # the words of the sentence that gave the figure
    dated: bool = True  # the sentence (or its paragraph, or the lead) gave the day; False: the publication day
    reading: str = "rules"  # "alternative": another reading of a rules' figure (news/candidates.py)


def extract(reports: list[Report], gazetteer: Gazetteer, progress=None, model=None, mover=None) -> list[Proposal]:
    """The proposals of every report; with ``model`` (a ``rescore.Model``), each report's proposals
    take the model's probability as their confidence (``rescore.apply``); with ``mover`` (the
    movement model, ``mover.load_mover``), the arrivals and departures it takes that the rules do
    not propose are added (``mover.propose``)."""
    out = []
    for i, report in enumerate(reports):
        rules = found = extract_report(report, gazetteer)
        if model is not None:
            from .rescore import apply

            found = apply(found, gazetteer, model)
        if mover is not None:
            from .mover import propose

            found = sorted(found + propose(report, gazetteer, mover, rules), key=lambda p: (p.start, p.quantity))
        out += found
        if progress:
            progress(i + 1, len(reports))
    return out


def extract_report(report: Report, gazetteer: Gazetteer) -> list[Proposal]:
    proposals: dict[tuple, Proposal] = {}
    state, paragraph, paragraph_date, paragraph_place, lead_date = None, -1, None, None, None
    authority = None  # the country whose authorities the report last named
    sentences = split_sentences(report.text, report.language)
    home = _home_town(sentences, gazetteer)
    last_move: dict[Quantity, str] = {}  # the place the report last said people reached or left
    # the caravan or its people are the paragraph's subject: an earlier sentence of the paragraph (or,
    # for its first sentence, the sentence before) spoke of them, so "they" are them
    after_caravan, last_spoke, last_town, carried = False, False, None, None
    for index, sentence in enumerate(sentences):
        if sentence.paragraph != paragraph:  # a date stated in a paragraph dates the sentences after it
            # stored pages often hold one sentence a paragraph: the town the sentence before named is
            # still the one spoken of ("... camped in Vado Hondo. / A group of 2,000 had stopped short
            # of the roadblock"), as its people are (after_caravan)
            paragraph, paragraph_date, paragraph_place = sentence.paragraph, None, last_town
            carried, after_caravan = last_town, last_spoke
        places, state = gazetteer.find(sentence.text, state)
        folded = fold(sentence.text)
        if home is not None:  # "landed in this border city": the dateline's town
            places = sorted(places + [PlaceMention(home, m.start(), m.end(), score=99.0)
                                      for m in _THIS_PLACE.finditer(folded)], key=lambda p: p.start)
        elif paragraph_place is not None:  # no dateline: "esta ciudad", "that border town" is the town the
            # paragraph named last ("... en Tapachula. Desde esa ciudad fronteriza partieron ...")
            places = sorted(places + [PlaceMention(paragraph_place.place, m.start(), m.end(), score=99.0)
                                      for m in _THAT_PLACE.finditer(folded)
                                      if not any(p.start < m.end() and m.start() < p.end for p in places)],
                            key=lambda p: p.start)
        dates = find_dates(sentence.text, report.published, report.language)
        authority = authority_country(folded, gazetteer.countries) or authority
        context = _Context(report, sentence, folded, places, dates, paragraph_date, paragraph_place, lead_date,
                           gazetteer, authority, gazetteer.country_of.get(home or ""), dict(last_move),
                           after_caravan=after_caravan, opening=index < _OPENING,
                           carried_place=paragraph_place is not None and paragraph_place is carried, home=home)
        last_spoke = about_caravan(folded) or _PEOPLE_WORD.search(folded) is not None
        after_caravan = after_caravan or last_spoke
        found = _one_place_per_count(context.proposals())
        found += refer_back(list(proposals.values()), sentence, _referring(context, found), context.figure_of)
        for p in found:
            key = (p.quantity, p.place, p.date, p.value)
            # the same observation twice (a headline and the body): the more confident, else the one whose
            # day the body states, so a later "undated" check does not take it for a headline's echo
            if key not in proposals or (proposals[key].confidence, proposals[key].dated) < (p.confidence, p.dated):
                proposals[key] = p
            if p.value is None and p.place:
                last_move[p.quantity] = p.place
        # "... de la caravana que salió el 24 de diciembre": background, not the day the next sentences continue
        stated = [d for d in dates if d.date is not None and not d.vague and not background_day(folded, d.start, d.end)]
        # "TAPACHULA, CHIAPAS (October 16th, 2022) – Hundreds set off ... on Friday, October 14th": the
        # dateline's day is the report's, the body's day is the news the next sentences continue
        line = _DATELINE.match(folded, sentence.text, places)
        stated = [d for d in stated if not (line and d.end <= line.end())] or stated
        if stated:
            paragraph_date = stated[-1].date
            if lead_date is None and sentence.start < LEAD:
                lead_date = max(d.date for d in stated if d.date is not None)  # the news, not its background
        towns = [p for p in places if not p.country]
        last_town = towns[-1] if towns else None
        if towns:
            paragraph_place = towns[-1]
    kept = _stated_days_first(_once_per_report(_ranges_of_sources(proposals.values())), gazetteer.country_of)
    return sorted(consolidate(kept, sentences, gazetteer.country_of), key=lambda p: (p.start, p.quantity))


def _referring(context: _Context, found: list[Proposal]) -> list[Number]:
    """The sentence's numbers that give again a figure of a count already made ("Reuters put the
    number at over 60"), when no reading of the sentence (``found``) took them, at the review
    threshold, as a count of their own."""
    text, folded, report = context.sentence.text, context.folded, context.report
    numbers = find_numbers(text, report.language, [(d.start, d.end) for d in context.dates])
    taken = {p.evidence for p in found if p.confidence >= SHOWN}
    used = {n.start for n in numbers if text[n.start:n.end] in taken}
    return [n for n in anaphoric_numbers(context.sentence, numbers, used)
            if why_not(folded, n.start, n.end, n.value, n.plain_integer, [], report.published.year, True, text)
            is None]




def _home_town(sentences, gazetteer: Gazetteer) -> str | None:
    """The town of the report's dateline ("PIEDRAS NEGRAS, Mexico — ..."), if it has one."""
    for sentence in sentences[:_DATELINE_SENTENCES]:
        places, _ = gazetteer.find(sentence.text)
        folded = fold(sentence.text)
        m = _DATELINE.match(folded, sentence.text, places)
        towns = [p for p in places if not p.country and m and p.end <= m.end()]
        if towns:
            return towns[0].place
    return None


def _once_per_report(proposals: list[Proposal]) -> list[Proposal]:
    """A figure a report repeats (same quantity, values within 5 %, days at most one apart:
    "más de 3.200" and "3.329"; "el lunes" and, later, the publication day) is one
    observation: the most confident, else the first."""
    best: dict[Quantity, list[tuple[float, Proposal]]] = {}  # quantity -> (value, proposal) kept
    out: list[Proposal] = []
    for p in sorted(proposals, key=lambda p: (-p.confidence, p.start)):
        value = p.value
        if value is None:  # an arrival or departure said twice, a day apart: one
            if not any(q.quantity is p.quantity and q.place == p.place and abs((q.date - p.date).days) <= 1
                       for q in out):
                out.append(p)
            continue
        kept = best.setdefault(p.quantity, [])
        if not any(abs((q.date - p.date).days) <= 1 and abs(v - value) <= SAME * v for v, q in kept):
            kept.append((value, p))
    return out + [p for kept in best.values() for _, p in kept]


def _one_place_per_count(proposals) -> list[Proposal]:
    """One count of one sentence is one observation, at its most likely place."""
    best: dict[tuple, Proposal] = {}
    for p in proposals:
        key = (p.quantity, p.value, p.date, p.evidence) if p.value is not None else (id(p),)
        if key not in best or best[key].confidence < p.confidence:
            best[key] = p
    return list(best.values())


def _stated_days_first(proposals: list[Proposal], country_of: dict[str, str]) -> list[Proposal]:
    """A figure (or an arrival or departure at a place) the report gives twice, once with its
    day (the body) and once without (a headline, dated by publication), is one observation:
    the dated one. A headline rounds ("more than 2,000" for 2,300)."""
    stated = [p for p in proposals if p.dated]
    return [p for p in proposals if p.dated or not any(_restates(p, q, country_of) for q in stated)]


def _restates(undated: Proposal, dated: Proposal, country_of: dict[str, str]) -> bool:
    """The undated proposal says the dated one's figure again, perhaps rounded ("More than
    2,000 migrants" above "a group of about 2,300 left on Monday"), or as a lower bound, perhaps
    at the town's country ("More than a Thousand Hondurans Arrived at Guatemala" above "More than
    1,300 Honduran migrants arrived at ... El Ceibo")."""
    if undated.quantity != dated.quantity or undated.place not in (dated.place, country_of.get(dated.place)):
        return False
    if undated.value is None or dated.value is None:
        return undated.value is None and dated.value is None and undated.place == dated.place
    if undated.low is not None and undated.high is None and undated.low == undated.value:
        return undated.low <= dated.value <= (1 + _BOUND_REACH) * undated.low
    return abs(undated.value - dated.value) <= _ROUNDING * dated.value


def _ranges_of_sources(proposals) -> list[Proposal]:
    """Two sizes of the caravan in one sentence ("7,000 per the organisers, 3,500 per the
    government"; "AP estimated between 4,000 and 5,000, while Reuters reported at least 6,000")
    are one report of a range: from the lowest figure or bound to the highest, the midpoint as
    value."""
    out: list[Proposal] = []
    by_sentence: dict[tuple[int, dt.date], list[Proposal]] = {}
    for p in proposals:
        if p.quantity is Quantity.caravan_size and p.value is not None:
            by_sentence.setdefault((p.start, p.date), []).append(p)
        else:
            out.append(p)
    for group in by_sentence.values():
        if len(group) == 2 and group[0].value != group[1].value and _SOURCES.search(fold(group[0].sentence)) \
                and one_count(group[0].value or 0.0, group[1].value or 0.0):
            lows = [p.low if p.low is not None else p.value for p in group]
            highs = [p.high if p.high is not None else p.value for p in group]
            low, high = min(x for x in lows if x is not None), max(x for x in highs if x is not None)
            first = min(group, key=lambda p: p.confidence)
            out.append(replace(first, value=float((low + high) // 2), low=low, high=high,
                               evidence=" / ".join(p.evidence for p in sorted(group, key=lambda p: p.value or 0.0))))
        else:
            out += group
    return out


@dataclass
class _Context:
    """One sentence of one report, with what was found in it."""

    report: Report
    sentence: Sentence
    folded: str
    places: list[PlaceMention]
    dates: list[DateMention]
    paragraph_date: dt.date | None
    paragraph_place: PlaceMention | None  # the last town an earlier sentence of the paragraph named
    lead_date: dt.date | None  # the first day the report's opening names
    gazetteer: Gazetteer
    authority: str | None = None  # the country whose authorities the report last named (this sentence included)
    home_country: str | None = None  # the country of the report's dateline town
    last_move: dict | None = None  # quantity -> the place the report last said people reached or left
    counts: list | None = None  # the spans of the sentence's counts of people
    left_from: set | None = None  # where the places the sentence says people left begin
    after_caravan: bool = False  # the sentence before spoke of the caravan or its people
    opening: bool = False  # the report's headline or first sentence: the news of its publication day
    carried_place: bool = False  # paragraph_place is the town the previous paragraph's last sentence named
    home: str | None = None  # the town of the report's dateline
    arrived_at: dict = field(default_factory=dict)  # a count's start -> where the place its people reached begins

    def proposals(self):
        report, folded = self.report, self.folded
        masked = [(d.start, d.end) for d in self.dates]
        event = names_event(folded)
        # dates blanked out, so that "salió el domingo de Tapachula" reads as "salió de Tapachula"
        undated = list(folded)
        for d in self.dates:
            undated[d.start:d.end] = " " * (d.end - d.start)
        undated = "".join(undated)
        # "departed around 4 a.m. from", "leaving for the U.S. from": an abbreviation's dots are no full stop
        undated = _ABBREVIATION.sub(r"\1 \2 ", undated)
        # the hour, like the day, stands between a verb and its place: "began on Friday at midnight in Tapachula",
        # "habían salido alrededor de las cuatro treinta de la mañana, en caravana, del parque central de Tapachula"
        undated = _TIME_OF_DAY.sub(lambda m: " " * len(m.group()), undated)
        moves = movements(undated, [(p.place, p.start, p.end) for p in self.places if not p.country],
                          subject=self.after_caravan and _THEY.match(folded) is not None, sentence=folded)
        self.left_from = {start for quantity, _, start, _ in moves if quantity is Quantity.departed}
        numbers = [n for n in find_numbers(self.sentence.text, report.language, masked) if _is_count(folded, n)]
        self.counts = [(n.start, n.end) for n in numbers]
        for number in numbers:
            years = [d.year for d in self.dates if d.year is not None and d.date is None
                     and abs(d.start - number.start) <= 60
                     and not (d.start > number.end and _RELATIVE.search(folded, number.end, d.start))]
            if why_not(folded, number.start, number.end, number.value, number.plain_integer, years,
                       report.published.year, event, self.sentence.text):
                continue
            date, dated = self._date(number.start, number.end)
            if date is None or date > report.published or self._in_a_past_period(number.start, number.end, True):
                continue
            if not dated and ORIGINAL.search(folded, max(0, number.start - _ORIGINAL_REACH), number.start):
                continue  # "el contingente original de 3 mil 500", with no day of its own: what it was, not is
            if _THEIR_LAST_YEAR.search(folded[number.end:]) and not _ASIDE_LAST_YEAR.search(folded[number.end:]):
                continue
            if self._superseded(number):
                continue  # "reunió más de 4 mil personas y ahora se mantienen unos mil 500": the 4 mil was
            readings = [self._what_and_where(number, moves)]
            if readings[0][0] is Quantity.caravan_size:  # "detained a caravan of some 300": its size, and them
                readings += self._done_to_the_caravan(number)
            elif _ALL_MEMBERS.search(folded[max(0, number.start - 30):number.end + 50]) and readings[0][2] == 0.0:
                readings.append((Quantity.caravan_size, None, 0.0))  # "los 200 integrantes de esta caravana ..."
            clause = clause_bounds(folded, number.start, number.end)
            for quantity, place, doubt in readings:
                if quantity in (Quantity.returned, Quantity.deported) and _FROM_THE_US.search(folded, *clause):
                    continue  # "81 deportees arriving on a flight from the United States": not the caravan's people
                if quantity in (Quantity.returned, Quantity.deported) and _FROM_TWO.search(folded, *clause) \
                        and authority_country(folded, self.gazetteer.countries) is None:
                    continue  # "deported from Mexico and Guatemala": a count over two countries no observation holds
                day, day_stated = date, dated
                if quantity is Quantity.present and number.start in self.arrived_at:
                    # people who arrived somewhere are there from the arrival's day, not from a day the
                    # sentence gives their caravan ("... que partió el 20 de noviembre, arribaron este martes")
                    day, day_stated = self._date(self.arrived_at[number.start], other_move=_DEPARTED_DAY, stay=True)
                    if day is None or day > report.published:
                        continue
                confidence = 0.9 - (0.5 if number.vague else 0) - (0 if day_stated else 0.1) - doubt
                if quantity is Quantity.detained and not day_stated:
                    # detentions are the rarely right quantity (none of the 3 proposed on fresh4 when first
                    # read): one no day dates is as likely another operation's tally; shown for review only.
                    # Session 7 (round 2) dropped the exception for the report's opening: on the 292 reports
                    # none of the 3 undated detentions it let through (2 in fresh1-6, 1 in fresh7) was right
                    confidence -= _UNDATED_DETENTION
                if place is not None and place.score < 100:
                    confidence -= 0.1
                if quantity is Quantity.caravan_size and number.value < _SMALLEST_CARAVAN:
                    confidence -= 0.5  # "8", "unos 30": a few people, an age, a count of days; not a caravan
                yield self._proposal(day, self._event_place(quantity, place), quantity, number, round(confidence, 2),
                                     self.sentence.text[number.start:number.end], day_stated)
        one = _ONE_DEATH.search(folded)
        if one and about_caravan(folded) and not find_numbers(folded[one.start():one.end()], report.language):
            date, dated = self._date(one.start())  # "un joven que participó en la caravana murió": one death
            if date is not None and date <= report.published:
                one_dead = Number(1.0, None, None, one.start(), one.end())
                yield self._proposal(date, self._place_name(Quantity.dead, one_dead), Quantity.dead, one_dead,
                                     0.8 if dated else 0.7, self.sentence.text[one.start():one.end()])
        found = movement_verb(undated) if not moves and self.last_move else None
        if found is not None and found[0] in self.last_move \
                and why_not(folded, 0, len(folded), 0, False, [], report.published.year, True,
                            self.sentence.text) not in ("future", "negated") \
                and not _RELATIVE_VERB.search(folded):
            # "the migrants arrived late Sunday": a verb whose only complement is its day
            verb, verb_end = found
            day = next((d for d in self.dates if d.date is not None and 0 <= d.start - verb_end <= _VERB_TO_DAY), None)
            if day is not None and day.date < report.published:
                yield self._proposal(day.date, self.last_move[verb], verb, None, 0.7, "")
        dateline = _DATELINE.match(folded, self.sentence.text, self.places) if self.home else None
        gone = movement_verb(undated) if dateline is not None and not moves else None
        if gone is not None and gone[0] is Quantity.departed and not any(
                p.start >= dateline.end() and (not p.country or _FROM_REGION.search(folded, max(0, p.start - 30),
                                                                                   p.start))
                for p in self.places) \
                and why_not(folded, 0, len(folded), 0, False, [], report.published.year, True,
                            self.sentence.text) not in ("future", "negated") and not _RELATIVE_VERB.search(folded):
            # "SAN SALVADOR (Reuters) - At least 150 migrants departed in a group on Wednesday": left the dateline's
            # town, when the sentence names no other
            date, dated = self._date(gone[1])
            if date is not None and date <= report.published and dated:
                yield self._proposal(date, self.home, Quantity.departed, None, 0.85, self.sentence.text[:dateline.end()])
        years = [d for d in self.dates if d.date is None and d.year not in (None, report.published.year)
                 and not _SINCE_YEAR.search(folded, max(0, d.start - 25), d.start)
                 # "la caravana, que salió a finales de 2023, llegó este jueves": the year is the clause's
                 and not _RELATIVE.search(folded, 0, d.start)]
        for quantity, place, start, end in moves:
            if _LAST_YEAR.search(folded) or any(0 <= start - d.end <= _YEAR_TO_MOVE for d in years) \
                    or _VAGUE_AGO.search(folded, max(0, start - 60), start) \
                    or _BEFORE_CLAUSE.search(folded, max(0, start - 80), start) \
                    or _HOW_MANY.search(folded, max(0, start - 60), start):
                continue  # "last year (in 2018), a caravan of 12,000 left Tapachula": not this caravan's day
            anchor = arrived_after(undated, end) if quantity is Quantity.arrived else None
            date, dated = self._date(start if anchor is None else anchor,
                                     other_move=_DEPARTED_DAY if quantity is Quantity.arrived else _ARRIVED_DAY)
            # a plan after the place is the next step ("began Friday in San Pedro Sula with plans to march
            # north"): only the words up to the place say whether this movement is a plan
            if date is None or date > report.published or self._in_a_past_period(start, end) or why_not(
                    folded[:end], start, end, 0, False, [], report.published.year, True,
                    self.sentence.text[:end]) in ("future", "negated"):
                continue
            # a movement no day governs is the publication day's news only in the report's opening;
            # further on it is as likely background ("han salido de Tapachula más de 100 caravanas")
            yield self._proposal(date, place, quantity, None, 0.85 if dated else 0.6 if self.opening else _UNDATED_LATER,
                                 self.sentence.text[start:end], dated)

    def figure_of(self, antecedent: Proposal, number: Number, sentence: Sentence) -> Proposal:
        """The antecedent count again, with the figure this sentence gives (a little less sure),
        on the day the sentence gives it ("ahora son unos cuatro mil": now), else the count's."""
        date, dated = self._date(number.start, number.end)
        if not dated or date is None or date > self.report.published:
            date = antecedent.date
        return replace(antecedent, date=date, value=number.value, low=number.low, high=number.high,
                       confidence=round(max(0.05, antecedent.confidence - _REFERRED), 2), sentence=sentence.text,
                       start=sentence.start, end=sentence.end, evidence=sentence.text[number.start:number.end])

    def _what_and_where(self, number: Number, moves) -> tuple[Quantity, PlaceMention | None, float]:
        """(quantity, place, doubt to take off the confidence) of a count, by the labelling
        rules of docs/news.md: what happened to the people if the sentence says so; else
        people who entered a country or stopped at a place are ``present`` there; else the
        caravan's size (people on the move)."""
        folded = self.folded
        if _STRONG.match(folded, number.end):
            return Quantity.caravan_size, None, 0.0  # "a 3000-strong caravan", "a 7,000-person caravan"
        if _THE_CARAVAN_OF.search(folded[max(0, number.start - 60):number.start]):
            return Quantity.caravan_size, None, 0.0  # "the caravan of about 3,000 were detained": its size
        # the other counts of people that may stand between this one and an event word: not a unit ("en nueve días")
        # nor the size that names the people's caravan ("500 migrants traveling with the caravan of about 3,000")
        others = [(n0, n1) for n0, n1 in self.counts or () if (n0, n1) != (number.start, number.end)
                  and noun_unit(folded, n1) is None and not _THE_CARAVAN_OF.search(folded[max(0, n0 - 60):n0])]
        quantity, why = classify(folded, number.start, number.end,
                                 clause_bounds(folded, number.start, number.end, counts=self.counts), others)
        if why == "event":
            place = self._place_for(quantity, number)
            doubt = 0.5 if quantity is Quantity.dead and not about_caravan(folded) else 0.0  # caravan deaths only
            return quantity, place, doubt
        before = folded[max(0, number.start - 45):number.start]
        # "a group of about 600 crossed into Guatemala": a group's count where it entered (the
        # labelling rules), unlike the caravan's own size ("the caravan of 7,200 crossed into Mexico")
        group = _GROUP_OF.search(before) is not None
        if why == "caravan" and _CARAVAN_OF.search(before) and not _SOME.search(before) and not group:
            return Quantity.caravan_size, None, 0.0  # "the caravan of more than 7,200 ... crossed into Mexico"
        entered = [p for p in self.places if p.country and p.place not in _US
                   and (_ENTERED.search(folded[max(0, p.start - 40):p.start])
                        # "reached the Guatemalan province of Izabal" (not "reached the Guatemala-Mexico border")
                        or (_REACHED.search(folded[max(0, p.start - 20):p.start])
                            and not _BORDER_AFTER.match(folded, p.end))
                        or (_ENTERED_LATER.search(folded[max(0, p.start - 90):p.start])
                            and p.start > number.end)  # "ingresaron unos mil migrantes a Guatemala"
                        or entries.entered(folded, p.start, p.end))  # "pushed their way into Guatemala"
                   # not the entry of other people counted between ("... los miles de migrantes que llegan a México")
                   and not any(number.end < c0 < p.start for c0, _ in self.counts or [])]
        if entered:
            return Quantity.present, entered[0], 0.0  # "9,000 crossed into Guatemala"
        named = _ENTERED_NAMED.search(folded)
        if named and _COUNTRY_ADJECTIVE[named["adj"]] not in _US:
            return Quantity.present, PlaceMention(_COUNTRY_ADJECTIVE[named["adj"]], 0, 0, country=True, score=99.0), 0.0
        country = self.authority or self.home_country
        if country and country not in _US and (_ENTERED_COUNTRY.search(folded) or (
                not self.places and _ENTERED_BARE.search(folded, max(0, number.start - 40), number.end + 25))):
            # "ingresaron al país"; "se estima que el viernes ingresaron unos mil migrantes", after the
            # report has named the country's authorities and no place: that country
            return Quantity.present, PlaceMention(country, 0, 0, country=True, score=99.0), 0.0
        # a departure said of the caravan in a relative clause ("que integran la caravana que partió el
        # sábado de Tapachula") is not what the counted people are doing now
        departures = [m for m in moves if m[0] is Quantity.departed
                      and not _CARAVAN_THAT.search(folded, max(0, m[2] - 70), m[2])]
        another = _ANOTHER_GROUP.search(folded, max(0, number.start - 40), number.start) is not None
        stopped_after = self._left_then_stopped(number, moves)
        if stopped_after is not None and number.start in self.arrived_at:
            return Quantity.present, stopped_after, 0.0
        if ((why == "caravan" and group and not another) or departures or left(_CARAVAN_THAT_VERB.sub(" ", folded))) \
                and stopped_after is None:
            return Quantity.caravan_size, None, 0.0  # "some 2,000 left Tapachula"
        arrival = self._arrival_of(number, moves)
        if arrival is not None:  # "más de mil 500 migrantes ... arribaron este lunes a Juchitán": there now
            self.arrived_at[number.start] = arrival.start
            return Quantity.present, arrival, 0.0
        # "some 2,000 migrants who joined the caravan in Tapachula rested in Huixtla": the relative clause's
        # place is where they were, not where they are
        joined = next((p.start for p in self.places if p.start >= number.end
                       and _WHO_THEN.match(folded, number.end, p.start)), None)
        at_place = any(0 <= p.start - number.end <= 45 and _AT.search(folded[max(0, p.start - 20):p.start])
                       for p in self.places if not p.country and p.start != joined)  # "300 migrantes en Tapachula"
        c0, c1 = place_clause_bounds(folded, number.start, number.end)
        hint = PRESENT_HINT.search(folded, c0, c1)
        stop = hint.start() if hint else _STOPPED.search(folded, c0, c1, self.report.language)
        # "pasaron la noche en", "se encontraban en", "is currently in" (change S): a stay dated as the count is, by
        # its own clause (not a stop's day: "is currently in" is now)
        stayed = stays.stay(folded, c0, c1, [p.start for p in self.places], number.start) if stop is None else None
        if (stop is not None or stayed is not None or at_place) and (stopped_after is not None or not people_moving(folded, c0, c1)):
            if stop is not None and stop > number.end:  # "ingresaron el jueves 2 ... y este lunes descansó en"
                self.arrived_at[number.start] = stop  # their stop's day, not the day before it
            place = self._place_for(Quantity.present, number, skip=joined)
            if place is None and self.authority and _IN_THE_COUNTRY.search(folded, c0, c1):
                place = PlaceMention(self.authority, c0, c0, country=True, score=99.0)  # "permanecen en el país"
            country = self.authority or self.home_country
            if place is None and country and _UNNAMED_TOWN.search(folded, c0, c1):
                place = PlaceMention(country, c0, c0, country=True, score=99.0)  # "en un pueblo vecino"
            if place is None and self.paragraph_place is not None \
                    and not (self.carried_place and any(not p.country for p in self.places)):
                # "Unos 5.000 durmieron en la plaza": of the town the paragraph is about
                place = replace(self.paragraph_place, score=min(self.paragraph_place.score, 99))
            if place is not None:
                if place.place in _WAITING_SIDE and _WAITING_SIDE[place.place] in self.gazetteer.places:
                    place = replace(place, place=_WAITING_SIDE[place.place])
                return Quantity.present, place, 0.0
        if another:
            # "otro conformado por unas 200 personas", "a different group of about 600": a part of the
            # people on the road, not the caravan; shown for review, below the default threshold
            return Quantity.caravan_size, None, _UNANCHORED
        if why == "caravan" or people_moving(folded) or _GROUP.search(folded):
            return Quantity.caravan_size, None, 0.0 if why == "caravan" else 0.1
        if self.after_caravan and _THEY_ARE_OPENING.match(folded):
            return Quantity.caravan_size, None, 0.0  # "... la caravana. Son unos 3 mil 630 según las autoridades"
        # people counted with no caravan, movement or stop named ("400 have been taken to other
        # states", "80 people have been able to move forward"): shown for review, rarely an observation
        return Quantity.caravan_size, None, _UNANCHORED

    def _left_then_stopped(self, number: Number, moves) -> PlaceMention | None:
        """The counted people set off and then reached or stopped at a town the sentence names after
        it ("Unos 400 migrantes que partieron desde esta localidad ... decidieron pernoctar en el
        municipio de Huixtla"): where they are now, not a caravan on the road (session 10)."""
        after = left_at(self.folded, number.end)
        if after is None:
            return None
        arrival = self._arrival_of(number, moves)
        if arrival is not None and arrival.start > after:
            return arrival
        for p in self.places:
            hint = PRESENT_HINT.search(self.folded, after, p.start) if p.start > after else None
            stop = hint.start() if hint else (
                _STOPPED.search(self.folded, after, p.start, self.report.language) if p.start > after else None)
            if not p.country and stop is not None and not people_moving(self.folded, stop, p.start) \
                    and not any(after < c0 < p.start and noun_unit(self.folded, c1) is None
                                for c0, c1 in self.counts or []):  # not another count's stop ("y ahora 1.500 descansan")
                self.arrived_at[number.start] = stop  # their stop's day
                return p  # the stop's own words up to the town: no march in between
        return None

    def _arrival_of(self, number: Number, moves) -> PlaceMention | None:
        """The town the counted people are said to reach, when the count is the subject of the
        arrival: the first arrival after it in the sentence, its verb between them ("se enfilaron
        hacia Pijijiapan, municipio al que llegaron" is a march, not a stay), no other count between."""
        for quantity, _place, start, _end in moves:
            if quantity is Quantity.arrived and start > number.end \
                    and arrival_verb(self.folded, number.end, start) \
                    and not any(number.end < c0 < start for c0, _ in self.counts or []):
                return next((p for p in self.places if p.start == start and not p.country), None)
        return None

    def _superseded(self, number: Number) -> bool:
        """A count the sentence then replaces by a figure of now ("gathered more than 4,000 and now
        about 1,500 remain"), when no day of its own dates it: what the caravan was, not is."""
        later = [n for n in find_numbers(self.sentence.text, self.report.language, [(d.start, d.end) for d in self.dates])
                 if n.start > number.end]
        if later and _CHANGED_FROM.search(self.folded, max(0, number.start - 40), number.start) \
                and _CHANGED_TO.search(self.folded[max(0, later[0].start - 80):later[0].start]):
            return True  # "reduciéndose de 2,500 personas a unas 700": the 2,500 was
        if later and _CHANGED_TO_BARE.search(self.folded, max(0, later[0].start - 45), later[0].start) \
                and not any(d.date is not None and number.end <= d.start < later[0].start for d in self.dates):
            return True  # "más de cinco mil ... ; el contingente se ha reducido a unos mil 200": the 5,000 was
        if not later or not _NOW_AFTER.search(self.folded, number.end, later[0].start):
            return False
        c0, _ = clause_bounds(self.folded, number.start, number.end)
        return not any(d.date is not None and c0 <= d.start < later[0].start for d in self.dates)

    def _in_a_past_period(self, start: int, end: int, before_only: bool = False) -> bool:
        """A past period that gives no day ("last week", "a principios de mes", "earlier in
        January") governs [start, end) in its clause: for a count, when it comes first ("Earlier
        in January, another group of 600 set out"; not "the 6,000 who left last week", a count of
        now); for an arrival or departure, when it is the clause's time nearest the verb ("left San
        Pedro Sula last week"; not "la caravana que se formó la semana pasada llegó este lunes")."""
        c0, c1 = clause_bounds(self.folded, start, end)
        inside = [d for d in self.dates if c0 <= d.start and d.end <= c1 and (d.date is not None or d.vague)]
        if before_only:
            # "the 6,000 people who left San Pedro Sula last week", "las 10.000 personas que se han sumado
            # durante la última semana": a size said of a past period the report does not date (C4)
            # (not "unos 3.500, que salieron la semana pasada, descansan hoy": the clause's own day)
            own_day = any(d.date is not None for d in inside)
            return any(d.date is None and d.vague and (d.end <= start or (
                not own_day and _WHO_THEN.match(self.folded, end, d.start))) for d in inside)
        nearest = min(inside, key=lambda d: d.start - end if d.start >= end else start - d.end, default=None)
        return nearest is not None and nearest.date is None

    def _event_place(self, quantity: Quantity, place: PlaceMention | None) -> str:
        """Where an observation is counted: returns and deportations in the country people
        left; a detention with no place named in the country whose authorities acted."""
        name = place.place if place else ""
        if quantity in (Quantity.returned, Quantity.deported):
            acting = authority_country(self.folded, self.gazetteer.countries)
            if place is not None and place.country and acting and acting != name \
                    and _THEIR_COUNTRY.search(self.folded, max(0, place.start - 40), place.start):
                return acting  # "México deportó a 300 migrantes de Honduras": their country, Mexico's deportation
            return self.gazetteer.country_of.get(name, name) if name else self.authority or self.home_country or ""
        if quantity is Quantity.detained and not name:  # "Mexican police detained 300"
            return self.authority or self.home_country or ""
        if quantity is Quantity.detained and place is not None and place.country:
            # people are detained where the authorities who hold them act: "detained by Guatemalan
            # authorities" after "left San Pedro Sula, Honduras"; the National Guard "along the border
            # with Guatemala" (a country the sentence names for another role)
            acting = authority_country(self.folded, self.gazetteer.countries)
            return acting or name
        return name

    def _done_to_the_caravan(self, number: Number) -> list:
        """What a verb before "a caravan of N" did to all of them: [(quantity, place, doubt)] for
        "detained a caravan of some 300", "deportaron a la caravana de 200", else []."""
        folded = self.folded
        head = _THE_CARAVAN_OF.search(folded[max(0, number.start - 60):number.start])
        if head is None:
            return []
        verb = _OBJECT.search(folded, 0, max(0, number.start - 60) + head.start())
        if verb is None:
            return []
        quantity, why = classify(verb.group(), 0, 0)
        return [(quantity, self._place_for(quantity, number), 0.0)] if why == "event" else []

    def _date(self, position: int, end: int | None = None,
              other_move: re.Pattern | None = None, stay: bool = False) -> tuple[dt.date | None, bool]:
        """The day the sentence names nearest ``position`` (and True), not one across a
        relative clause ("9 mil personas, misma que había salido el 13"), nor one in a later
        coordinated clause ("..., y busca alcanzar al contingente que salió el 23"), nor a
        dateline; else, for a running total ("ya habían sido deportadas", "so far"), the
        publication day; else the day an earlier sentence of the paragraph named, or the
        lead; else the publication day."""
        text = self.folded
        dateline = _DATELINE.match(text, self.sentence.text, self.places)
        clause_start, clause_end = clause_bounds(text, position, end if end is not None else position)
        days = [d for d in self.dates if d.date is not None
                and not (dateline and d.end <= dateline.end())
                and d.start < clause_end
                and not (d.start >= position and _RELATIVE.search(text, position, d.start))
                and not (d.start >= position and _PLAN.search(text, position, d.start))
                # an arrival is not dated by "la caravana que partió el sábado", nor a departure by
                # "the group that arrived on Monday"
                and not (other_move is not None and other_move.search(text, max(0, d.start - 50), d.start))
                and not (d.end <= position and _RELATIVE_AFTER.search(text, d.end, position))
                # "unos 200 ... en una caravana que partió el pasado día 23": the caravan's start, not the count's day
                and not (end is not None and caravans_start(text, end, d.start, d.end))
                # a count "since Friday" runs up to now; a stay "since Saturday at Vado Hondo" began then
                # (LABELLING.md C11: a count over a period is dated by its end)
                and not ((end is not None or stay) and _SINCE.search(text, max(0, d.start - 60), d.start))]
        if days:
            nearest = min(days, key=lambda d: abs(d.start - position))
            return nearest.date, not nearest.vague
        if end is not None and (running_total(text, clause_start, clause_end)
                                or said_now(text, clause_start, clause_end)):
            return self.report.published, True
        for fallback in (self.paragraph_date, self.lead_date):
            if fallback is not None:
                # "the night before", "al día siguiente", "esa noche": a day told from the paragraph's day
                shift = _FROM_THAT_DAY.search(text, clause_start, clause_end)
                if shift is not None:
                    day = fallback + dt.timedelta(days=-1 if shift["before"] else 1 if shift["after"] else 0)
                    if day <= self.report.published:
                        return day, True
                return fallback, True
        lined = [d for d in self.dates if d.date is not None and dateline and d.end <= dateline.end()]
        if lined:
            return lined[0].date, True
        return self.report.published, False

    def _place_for(self, quantity: Quantity, number: Number, towns_only: bool = False,
                   skip: int | None = None) -> PlaceMention | None:
        """The place nearest the number, not a destination ("rumbo a", "toward"); none for
        the caravan's size; a country only where the quantity accepts one; not the place
        beginning at ``skip``."""
        if quantity is Quantity.caravan_size:
            return None
        dateline = _DATELINE.match(self.folded, self.sentence.text, self.places)
        allowed = [p for p in self.places
                   if p.start != skip and (not p.country or (QUANTITIES[quantity].place == "optional" and not towns_only))
                   and not _DESTINATION.search(_QUOTES.sub("", self.folded[max(0, p.start - 32):p.start]))
                   and not self._from_to(p)
                   and not (quantity is Quantity.present and p.start in (self.left_from or ()))  # they left it
                   and not (quantity in (Quantity.returned, Quantity.deported)
                            and _SENT_TO.search(self.folded, max(0, p.start - 20), p.start))
                   and not (quantity in _EVENT_PLACE and (_ORIGIN.search(self.folded[max(0, p.start - 40):p.start])
                                                          or (dateline and p.end <= dateline.end())))]
        if not allowed:
            return None
        towns = [p for p in allowed if not p.country]
        if towns:  # "in Tapachula, Mexico": the town; "entre Tapachula y Huixtla": neither, their country
            between = _BETWEEN.search(self.folded[max(0, towns[0].start - 25):towns[0].start])
            # "entre Tapachula y Huixtla" (two towns), "durante el trayecto de Tapachula hacia Huehuetán" (a
            # stretch of road from a town, whatever follows): neither town, their country
            if between and (len(towns) >= 2 or not between.group().startswith(("entre", "between"))):
                return replace(towns[0], place=self.gazetteer.country_of[towns[0].place], country=True)
            allowed = towns
        # a place after the number ("4,000 in Tapachula") before one ahead of it
        return min(allowed, key=lambda p: p.start - number.end if p.start >= number.end
                   else (number.start - p.end) * 1.5)

    def _from_to(self, place: PlaceMention) -> bool:
        """The place is the second of "de Guatemala a Honduras", "from X to Y": where people went."""
        return any(_FROM_BEFORE.search(self.folded, max(0, q.start - 8), q.start)
                   and _TO_BETWEEN.fullmatch(self.folded, q.end, place.start) for q in self.places if q.end <= place.start)

    def _place_name(self, quantity: Quantity, number: Number) -> str:
        place = self._place_for(quantity, number)
        return place.place if place else ""

    def _proposal(self, date, place, quantity, number, confidence, evidence, dated=True) -> Proposal:
        r, s = self.report, self.sentence
        return Proposal(
            file=r.file, date=date, place=place, quantity=quantity,
            value=number.value if number else None,
            low=number.low if number else None, high=number.high if number else None,
            confidence=max(0.05, confidence), sentence=s.text, start=s.start, end=s.end,
            source=r.source, language=r.language, published=r.published, evidence=evidence,
            dated=dated and not _headline(s))


def _headline(sentence: Sentence) -> bool:
    """A title at the top of a report (short, no full stop): its figure, if the body gives it
    again with its day, is the body's ("More than 2,000 migrants are heading to US, official says"
    above "a group of about 2,300 people left Tapachula on Monday")."""
    return sentence.start < _TOP and len(sentence.text) <= _TITLE_LENGTH and not sentence.text.rstrip().endswith(
        (".", "!", "?", '."', ".”", "»"))


_US = {"US"}
_COUNTRY_NAMES = r"(?:mexico|guatemala|honduras|el salvador|the united states|united states|estados unidos|nicaragua)"
# "migrantes de Honduras", "migrants from Guatemala": a country right after the people is their own
_THEIR_COUNTRY = re.compile(rf"\b(?:{PEOPLE})\s+(?:de|from)\s+$")
_SENT_BACK_ES = r"deportad[oa]s|retornad[oa]s|devuelt[oa]s|expulsad[oa]s|repatriad[oa]s"
# "deported from Mexico and Guatemala": the verb right before, else the two countries are the people's origin
# ("deported 300 migrants from Honduras and Guatemala")
_FROM_TWO = re.compile(rf"\b(?:deported|returned|expelled|sent back|{_SENT_BACK_ES})\s+(?:from|desde|de)\s+"
                       rf"{_COUNTRY_NAMES}\s+(?:and|y|e)\s+{_COUNTRY_NAMES}\b")
# "deportees ... from the United States", "deportados de Estados Unidos": only dotted "u.s." (a folded "us" is the
# pronoun: "returned 200 of us")
_FROM_THE_US = re.compile(rf"\b(?:from|desde|procedentes? de|provenientes? de|(?:{_SENT_BACK_ES}) de)\s+(?:the\s+|los\s+)?"
                          r"(?:(?:united states|usa|estados unidos|eeuu|ee\.? ?uu|eua)\b|u\.s\.)")
_STOPPED = StemFamily(PRESENT_HINT.pattern)  # "descansó", "pernoctó": the stop words in any form
_OBJECT = re.compile(r"\b(?:detained|arrested|deported|returned|stopped|detuvieron|detuvo|deportaron|deporto|"
                     r"aseguraron|aseguro|retuvieron|devolvieron|rescataron)\s+(?:a\s+)?(?:la|una|the|a)\s*$")
_TOP = 400  # characters: where a stored page keeps its title and subtitle
_TITLE_LENGTH = 160
_REFERRED = 0.1  # a figure given by reference to an earlier count: its count, a little less sure
_ROUNDING = 0.15  # a headline's figure within 15 % of the body's is the body's, rounded
_BOUND_REACH = 0.5  # a headline's "more than N" is the body's figure up to 1.5 N
_VERB_TO_DAY = 12  # characters between "arrived" and its day ("arrived late Sunday", "salieron el lunes")
_DATELINE_SENTENCES = 8  # a stored page may open with a title, a byline and captions before the dateline
# the report's own town, named by a demonstrative ("this border city", "este municipio")
_THIS_PLACE = re.compile(r"\b(?:this (?:border |small |southern |northern )?(?:city|town|village|municipality)|"
                         r"the border (?:city|town)|esta (?:ciudad|localidad|frontera)|este (?:municipio|poblado|"
                         r"lugar)|esta ciudad fronteriza|este municipio fronterizo)\b(?!\s+(?:of|de)\s)")
# the town a paragraph named, named again by a demonstrative (no dateline to anchor "this city")
_THAT_PLACE = re.compile(r"\b(?:(?:this|that|the same) (?:border |small |southern |northern )?(?:city|town|village|"
                         r"municipality)|(?:esta|esa|la misma) (?:ciudad|localidad)(?: fronteriza)?|(?:este|ese|el mismo) "
                         r"(?:municipio|poblado|lugar)(?: fronterizo)?)\b(?!\s+(?:of|de)\s)")
# a day named from the day an earlier sentence gave (the paragraph's, or the lead's)
_FROM_THAT_DAY = re.compile(r"\b(?:(?P<before>the (?:night|day|evening) before|the previous (?:day|night|evening)|"
                            r"a day earlier|la noche anterior|el dia anterior|la tarde anterior|un dia antes|"
                            r"la vispera(?! de))|(?P<after>the (?:next|following) day|the day after|al dia siguiente|"
                            r"el dia siguiente|un dia despues|a day later)|that (?:same )?(?:night|day|evening)|"
                            r"esa (?:misma )?noche|ese (?:mismo )?dia|esa (?:misma )?tarde)\b")
# between two counts: the second is the figure of now ("... y ahora se mantienen alrededor de mil 500")
_NOW_AFTER = re.compile(r"\b(?:y ahora|pero ahora|ahora solo|and now|but now|now only|is now down to|ahora)\b")
_SMALLEST_CARAVAN = 40  # people: no labelled caravan is smaller (the 585 labels of session 7: 40 the least)
_OPENING = 3  # sentences: a title, a subtitle and the first sentence of the body (stored pages open so)
_UNDATED_LATER = 0.45  # confidence of a movement no day governs, after the opening: shown for review only
_YEAR_TO_MOVE = 80  # characters from a year named before a place to the place it dates
_SINCE_YEAR = re.compile(r"\b(?:since|desde)\b[^.;,]*$")  # "the largest since June 2022": a comparison
# "el contingente que partió hace más de un mes": a day the report does not give
_VAGUE_AGO = re.compile(r"\bhace (?:mas de |casi |unos |unas |poco mas de )?(?:un|una|varios|varias|algunos|algunas)\s+"
                        r"(?:mes|meses|semana|semanas|ano|anos)\b|\b(?:more than|over|about|nearly) (?:a|one|two|three) "
                        r"(?:months?|weeks?|years?) ago\b")
# "days before the Secretary of State arrives in Mexico City", "antes de llegar a Huixtla": a
# movement the clause only points to, not one it dates
_BEFORE_CLAUSE = re.compile(r"\b(?:before|antes de(?: que)?|until|hasta que)\b(?!\s+(?:sunrise|dawn|daybreak|noon|"
                            r"midnight|first light|the sun|amanecer|que amaneciera|el amanecer|las \d|la madrugada|"
                            r"mediodia))(?:[^,.;]|(?<=\b\w)\.)*$")  # "before U.S. Secretary ...": abbreviations go on
# "if you see how many arrived to Huixtla": a question, not a report of the arrival
_HOW_MANY = re.compile(r"\b(?:how many|cuantos|cuantas)\b[^.;,]*$")
_LAST_YEAR_WORDS = r"(?:last year|the year before|the previous year|(?:el|del) ano (?:pasado|anterior))"
_LAST_YEAR = re.compile(rf"\b{_LAST_YEAR_WORDS}\b")
# "los más de 3,000 migrantes de ese país que comenzaron desde finales de octubre del año pasado un viaje": people
# whose own clause puts them in last year are another year's, not this caravan's
_THEIR_LAST_YEAR = re.compile(rf"^[^.;:]{{0,40}}?\b(?:que|who|which|that)\b[^.;:]{{0,80}}?\b{_LAST_YEAR_WORDS}\b")
# but a caravan's own past in an aside is not another caravan: "The caravan of 2,000 migrants, which left San
# Pedro Sula last year, arrived in Tapachula on Tuesday" (a late-December departure) is counted today
_ASIDE_LAST_YEAR = re.compile(rf"^[^.;:,]{{0,40}}?,\s*(?:que|who|which|that)\b[^.;:,]{{0,80}}?\b{_LAST_YEAR_WORDS}\b"
                              rf"[^.;:,]{{0,30}},\s*\w")
_IN_THE_COUNTRY = re.compile(r"\b(?:en el pais|in the country)\b")
# "contenidos en un pueblo vecino", "stuck in a nearby town": a town the report does not name, in the
# country whose authorities it speaks of (LABELLING.md C14: a place not in the scenario gives its country)
_UNNAMED_TOWN = re.compile(r"\b(?:en|in|at)\s+(?:un|una|a|an|otro|otra|another)\s+(?:\w+\s+)?(?:pueblo|poblado|aldea|"
                           r"comunidad|localidad|municipio|ejido|town|village|community|municipality)\b")
_CARAVAN_THAT = re.compile(r"\b(?:caravanas?|caravans?|contingentes?|contingent|exodo|exodus)\s+(?:migrantes?\s+|"
                           r"migrant\s+)?(?:que|which|that)\s+[^,;.]*$")
_CARAVAN_THAT_VERB = re.compile(r"\b(?:caravanas?|caravans?|contingentes?|contingent|exodo|exodus)\s+(?:migrantes?\s+|"
                                r"migrant\s+)?(?:que|which|that)\s+\w+")
_DEPARTED_DAY = re.compile(r"\b(?:que|which|that|who|de donde|desde donde|from where|from which)\s+(?:se\s+|had\s+|habia\s+)?"
                           r"(?:partio|salio|partieron|salieron|left|departed|set out|set off)\s+(?:\w+\s+){0,2}?"
                           r"(?:el\s+|on\s+|last\s+|el pasado\s+)?$")
_ARRIVED_DAY = re.compile(r"\b(?:que|which|that|who)\s+(?:had\s+|habia\s+)?(?:llego|llegaron|arribo|arrived|reached)\s+"
                          r"(?:el\s+|on\s+|last\s+|el pasado\s+)?$")
_GROUP_OF = re.compile(r"\b(?:grupo|group|contingentes?|contingent|columna|column)\s+(?:de\s+|of\s+)(?:mas de|more than|"
                       r"about|around|unos|unas|some|alrededor de|cerca de|casi|nearly|almost|at least|al menos|"
                       r"an estimated|aproximadamente)?\s*$")
_PEOPLE_WORD = re.compile(rf"\b(?:{PEOPLE})\b")
# a count, then a relative clause of its people's past ("who left ... last week"): up to a period's words
_WHO_THEN = re.compile(r"[^.;:]{0,30}?\b(?:who|que|quienes)\s+(?:had\s+|have\s+|habian\s+|han\s+|se han\s+|se\s+)?"
                       r"(?:left|began|set out|set off|started|joined|departed|salieron|partieron|iniciaron|comenzaron|"
                       r"sumado|unieron|unido)\b[^.;:]{0,80}$")
# "some 2,000 migrants from the caravan were still waiting": a hedge, not "a caravan of"
_SOME = re.compile(r"\b(?:some|total of|un total de)\s*$")
_ANOTHER_GROUP = re.compile(r"\b(?:otro|otra|another|a different|un segundo|una segunda|a second|un tercer|"
                            r"una tercera|a third)\b[^.;:]{0,30}$")
_GROUP = re.compile(r"\b(?:grupo|group|contingente|contingent|columna|column)\b")
_UNDATED_DETENTION = 0.35  # takes an undated detention (0.8) below the review threshold (0.5)
_ORIGINAL_REACH = 70  # characters: "Initial reports had tolled the number of migrants between 8,000 and 10,000"
_UNANCHORED = 0.45  # doubt for a count of people the sentence ties to no caravan, movement or place
# where people were detained, died or were sent back from: not where they came from, nor the dateline
_EVENT_PLACE = {Quantity.detained, Quantity.dead}
_ORIGIN = re.compile(r"\b(?:salido de|salieron de|partido de|partieron de|procedentes de|provenientes de|"
                     r"originari[oa]s de|oriund[oa]s de|de origen|que venian de|came from|coming from|"
                     r"had left|who left|that left|which left|que salio de|que partio de|fled|fleeing|huyen de|"
                     r"huyendo de)\s+(?:la ciudad de\s+|the city of\s+)?$")
_STRONG = re.compile(r"-(?:strong|person|member)\b|\s+strong\b")
_ONE_DEATH = re.compile(
    r"\b(?:un|una|a|an)\s+(?:joven|migrante|hombre|mujer|nino|nina|persona|menor|hondureno|hondurena|"
    r"guatemalteco|guatemalteca|salvadoreno|salvadorena|young man|young woman|man|woman|migrant|boy|girl|child|"
    r"person|honduran|guatemalan|salvadoran)\b[^.;]{0,90}?\b(?:murio|fallecio|perdio la vida|died|was killed|"
    r"drowned|se ahogo)\b")
# "most to Honduras", "a Honduras": where people were sent, not the country they left (C10)
_SENT_TO = re.compile(r"\b(?:to|a|al|hacia)\s+$")
# people waiting at a US port of entry are on its Mexican side (claims and entries are at the port)
_WAITING_SIDE = {"San Ysidro": "Tijuana El Chaparral"}
_BETWEEN = re.compile(r"\b(?:entre|between|(?:trayecto|tramo|camino|ruta|route|way|road|highway|carretera|"
                      r"journey|trip)\s+(?:de|desde|from))\s+$")
_SOURCES = re.compile(r"\b(?:according to|segun|said|dijo|dijeron|estimated|estimo|calculo|calcularon|"
                      r"per|organizers|organizadores|authorities|autoridades|while|mientras)\b")
_ENTERED = re.compile(rf"\b(?:(?:{ENTERING})(?:\s+(?:a|into))?|(?:{CROSSING})\s+(?:into|a|hacia)|"
                      r"se internaron en|arrived in|arrive in|arrives in|llegaron a|llegan a|"
                      r"llega a|llego a|made it into|got into|pasaron a|penetraron\s+(?:\w+\s+){0,4}?a|"
                      r"(?:lograron|logran|pudieron|consiguieron) (?:ingresar|entrar|cruzar|pasar) a|"
                      r"managed to (?:enter|cross into|get into)|"
                      # "cruzaron la frontera hacia Guatemala", "crossed the Suchiate river into Mexico"
                      rf"(?:{CROSSING}) (?:la frontera|el rio \w+|the border|"
                      r"the \w+ river|the river) (?:hacia|a|con|into|to))\s+(?:territorio de\s+|the\s+)?$")
_ENTERED_LATER = re.compile(rf"\b(?:{ENTERING}|{CROSSING})\b[^.;]{{0,60}}\s(?:a|al|into|en)\s+"
                            r"(?:territorio de\s+)?$")
# "ingresaron al país", "had entered the country": the country of the authorities the report names
_ENTERED_COUNTRY = re.compile(r"\b(?:entraron|ingresaron|ingresado|entrado|entered|crossed into|cruzaron a)\s+"
                              r"(?:\w+\s+){0,2}?(?:al|a este|el|the|this)\s+(?:pais|country)\b"
                              # "entraron a territorio nacional", "ingresó por la frontera sur": the country
                              # whose press or authorities speak
                              r"|\b(?:entraron|ingresaron|ingreso|entro|pasaron|cruzaron|llegaron)\s+(?:a|al|en)\s+"
                              r"territorio nacional\b|\b(?:ingreso|ingresaron|entro|entraron|cruzo|cruzaron)\s+"
                              r"por la frontera sur\b")
_ENTERED_BARE = re.compile(r"\b(?:ingresaron|entraron|ingreso|entro|entered|crossed over|have entered|had entered|"
                           r"han ingresado|habian ingresado)\b(?!\s+(?:a|al|en|into|to|the|a la|el|la)\b)")
# "entraron a territorio mexicano", "cruzaron a suelo guatemalteco": the country named by its adjective
_ENTERED_NAMED = re.compile(r"\b(?:entraron|ingresaron|ingreso|entro|pasaron|cruzaron|cruzo|llegaron|internaron)\s+"
                            r"(?:a|al|en)\s+(?:territorio|suelo)\s+(?P<adj>mexicano|guatemalteco|hondureno|"
                            r"salvadoreno|estadounidense)\b")
_COUNTRY_ADJECTIVE = {"mexicano": "MX", "guatemalteco": "GT", "hondureno": "HN", "salvadoreno": "SV",
                      "estadounidense": "US"}
_AT = re.compile(r"\b(?:en|in|at)\s+(?:la ciudad de\s+|the city of\s+|el municipio de\s+)?$")
# "TAPACHULA, Mexico, November 30, 2021 (Reuters) – ", "Huixtla, Chiapas; 28 de agosto de 2022.- ", "Mexico City,
# December 9 (RHC)-- " (session 10: Radio Habana Cuba's, 2019-10-14_radiohc and 2021-12-09_radiohc)
_DATELINE_RE = re.compile(r"^.{0,110}?(?:(?:\([\w ./]+\)\s*)?(?:\s[–—-]\s|\.-\s?)|\([\w ./]+\)\s*(?::|--)\s)")


class _Dateline:
    """ "TAPACHULA, Mexico, November 30, 2021 (Reuters) – ", "Huixtla, Chiapas; 28 de agosto de
    2022.- ": a sentence's opening place and date, in capitals or naming a place, in a few
    words (not "Most of the migrants on the move on Sunday - ...")."""

    @staticmethod
    def match(folded: str, original: str = "", places=()):
        m = _DATELINE_RE.match(folded)
        if m is None:
            return None
        head = original[:m.end()] if original else ""
        first = head.split()[0].strip(",.;") if head.split() else ""
        named = any(p.end <= m.end() for p in places)
        if (first.isupper() and len(first) > 1) or named:
            return m
        return None


_DATELINE = _Dateline
# "ha contabilizado desde el pasado jueves el retorno de 3.329": the count runs up to the report
_SINCE = re.compile(r"\b(?:desde|since|a partir de|starting)\b[^.;,]{0,50}$")
# "retornados de Guatemala a Honduras": the second place is where they went
_FROM_BEFORE = re.compile(r"\b(?:de|desde|from)\s+$")
# "Mexico City, October 14 (RHC)-- Several hundred migrants ... set off from southern Mexico": a departure from a region
# of a country, not from the dateline's town
_FROM_REGION = re.compile(r"\b(?:de|desde|from)\s+(?:the\s+|el\s+)?(?:southern|northern|sur de|norte de)\s+$")
_TO_BETWEEN = re.compile(r"\s+(?:a|al|to|hacia)\s+")
# "have entered Mexico since Friday", "han ingresado desde el viernes": counted up to the report
_PERFECT = re.compile(r"\b(?:have|has|han|ha)\s+(?:\w+ed|\w+ado|\w+ido|been|gone|come)\b")
_RELATIVE = re.compile(r",\s*(?:misma que|mismo que|la cual|el cual|que|which|who|where|donde)\b"
                       r"|\b(?:una tradicion que|a tradition that)\b")
# a count in a relative clause after a date is not of that date ("left on October 13 which grew to 8,000")
_RELATIVE_VERB = re.compile(r"\b(?:one|ones|that|which|who|que|la que|el que)\s+(?:had\s+|habia\s+)?"
                            r"(?:left|departed|arrived|salio|partio|llego|salieron|partieron|llegaron)\b")
# "the group of 1,000, whose plan is to leave this Sunday": a day the count's people mean to act
_PLAN = re.compile(r"\b(?:plan(?:s|ned)? (?:is |was )?to|is to|are to|intends? to|intend(?:s|ed)? to|hope to|"
                   r"planean|planea|piensan|pretenden|tienen previsto|tiene previsto|preven)\b")
_RELATIVE_AFTER = re.compile(r"\b(?:which|misma que|mismo que|la cual|el cual|los cuales|las cuales)\b")
_DESTINATION = re.compile(r"\b(?:for|toward|towards|hacia|rumbo a|con destino a|(?:en|con) direccion (?:a|al|hacia)|"
                          r"in the direction of|to reach|heading to|headed to|"
                          r"bound for|en camino a|on (?:its|their) way to|camino a|destino|llegar a|reach|"
                          r"regresar a|return to|back to|de vuelta a|devuelt[oa]s a|deportad[oa]s a|deported to|retornad[oa]s a|"
                          r"returned to|regresaron a|retornados a|enviados a|sent to|dirigen a|se dirige a|back down to|back up to)\s+"
                          r"(?:the\s+|la\s+|el\s+|los\s+)?$")


# quotation marks around a word do not change what it says: 'were "returned" to Honduras'
_QUOTES = re.compile(r"[\"'\u201c\u201d\u2018\u2019\u00ab\u00bb]")
# a sentence whose subject is the people of the sentence before: "They started out walking from
# Tapachula", "Partieron de Tapachula el miércoles" (a Spanish verb with no subject named)
_THEY = re.compile(r"^\W*(?:they|ellos|ellas|estos|these|many|muchos|most|la mayoria|"
                   r"(?:salieron|partieron|llegaron|arribaron|caminaron|avanzaron|left|arrived|set out|set off)\b)")


def _is_count(folded: str, n: Number) -> bool:
    """A number of people: followed by a noun for people (or a subgroup, police... which
    the distractor checks then leave out), after "a caravan of", or before "died"."""
    before, after = folded[max(0, n.start - 45):n.start], folded[n.end:n.end + 40]
    if _TITLE_OF_LAW.search(before):
        return False  # "Title 42", "Título 42": a law, not people
    if noun_after(folded, n.end) is not None or part_with_its_own_event(folded, n.start, n.end):
        return True
    # "dos salieron en enero" (two caravans), "three were found": a small number in words with
    # no noun is only taken as people when they died
    word = n.value < 10 and not any(c.isdigit() for c in folded[n.start:n.end])
    verb = _VERB_AFTER.match(after) if not word else _DIED_AFTER.match(after)
    return bool(_CARAVAN_OF.search(before) or _THE_CARAVAN_OF.search(folded[max(0, n.start - 60):n.start])
                or _PERSON_SUFFIX.match(after) or verb
                or _APPOSITION.search(before) or (_THEY_ARE.match(folded[:n.start]) and _NO_NOUN.match(after))
                or _PER_SOURCE.match(after)
                or _PEOPLE_NUMBER.search(folded[max(0, n.start - 120):n.start])
                or (_REMAIN_NUMBER.search(before) is not None and _NO_NOUN.match(after) is not None)
                or (_SOURCE_SAYS.search(before) is not None and _NO_NOUN.match(after) is not None)
                or _CHANGED_TO.search(folded[max(0, n.start - 80):n.start]) is not None
                or _CHANGED_TO_BARE.search(before) is not None)
