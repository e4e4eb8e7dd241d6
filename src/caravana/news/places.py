"""Places a sentence names: the scenario's places and countries, by their own names
(with or without accents), by the aliases every caravana input accepts
(``scenario/place_aliases.csv``: "CDMX", "Ciudad de Guatemala") and by those news
reports add here (``aliases.csv``: countries, demonyms such as "capital chiapaneca"); a misspelt name by fuzzy matching
(rapidfuzz); "the state capital" by the capital of the state the report last named
(``states.csv``), and only then.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from importlib import resources

from .textnorm import fold

NOT_A_PLACE = "-"  # an alias row that only stops a shorter name from matching ("New Mexico")
FUZZY_CUTOFF = 90  # rapidfuzz ratio (0-100) for a misspelt name


@dataclass(frozen=True)
class PlaceMention:
    place: str  # a place of the scenario or a country code
    start: int
    end: int
    country: bool = False
    score: float = 100.0  # 100: exact (accents and case aside); lower: fuzzy


def _table(name: str) -> list[dict]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return [row for row in csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))]


@dataclass
class Gazetteer:
    """Names -> places of one scenario. ``find`` is called sentence by sentence."""

    places: set[str]
    countries: set[str]
    names: dict[str, str] = field(default_factory=dict)  # folded name -> place, country code or "-"
    exact_case: set[str] = field(default_factory=set)  # abbreviations matched only as written (US, DF)
    states: dict[str, str] = field(default_factory=dict)  # folded state name -> capital ("" if none)
    country_of: dict[str, str] = field(default_factory=dict)  # place -> its country code
    state_country: dict[str, str] = field(default_factory=dict)  # folded state or department -> country code
    # Built by from_places, from the names above.
    _names_re: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _states_re: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _fuzzy_choices: list[str] = field(init=False, repr=False, compare=False)

    @classmethod
    def from_scenario(cls, scenario) -> Gazetteer:
        return cls.from_places({loc.name: loc.country for loc in scenario.locations})

    @classmethod
    def from_places(cls, countries_of: dict[str, str]) -> Gazetteer:
        g = cls(places=set(countries_of), countries=set(countries_of.values()), country_of=dict(countries_of))
        known = g.places | g.countries | {NOT_A_PLACE}
        for name in g.places:
            g.names[fold(name)] = name
        for row in _table("aliases.csv"):
            alias, place = row["alias"].strip(), row["place"].strip()
            if place in known:
                if alias.isupper() or alias.replace(".", "").isupper():
                    g.exact_case.add(alias)
                g.names.setdefault(fold(alias), place)
        from ..scenario.aliases import _aliases  # the names every caravana input accepts

        for alias, place in _aliases().items():
            if place in known:
                g.names.setdefault(alias, place)
        for row in _table("states.csv"):
            capital = row["capital"].strip()
            g.states[fold(row["state"].strip())] = capital if capital in g.places else ""
            if row["country"].strip() in g.countries:
                g.state_country[fold(row["state"].strip())] = row["country"].strip()
            if row["demonym"].strip():
                g.names.setdefault(fold("capital " + row["demonym"].strip()),
                                   capital if capital in g.places else NOT_A_PLACE)
        names = sorted(g.names, key=len, reverse=True)  # the longest name wins ("Ciudad de Mexico")
        g._names_re = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])")
        g._states_re = re.compile(r"\b(?:" + "|".join(re.escape(s) for s in sorted(g.states, key=len, reverse=True))
                                  + r")\b")
        # only places: a country's name is a prefix of its demonym ("Guatemalan"), never misspelt on purpose
        g._fuzzy_choices = [n for n in names if len(n) >= 6 and g.names[n] in g.places]
        return g

    def find(self, sentence: str, last_state: str | None = None) -> tuple[list[PlaceMention], str | None]:
        """The places ``sentence`` names, in order, and the state it last names (or the one given)."""
        folded = fold(sentence)
        found: list[PlaceMention] = []
        taken: list[tuple[int, int]] = []
        for m in self._names_re.finditer(folded):
            original = sentence[m.start():m.end()]
            name = m.group()
            if not self._written_as_name(original, name) or _RIVER.search(folded, 0, m.start()) \
                    or _RIVER_AFTER.match(folded, m.end()):
                continue
            taken.append((m.start(), m.end()))
            place = self.names[name]
            if place in self.places and _REGION_OF.search(folded, max(0, m.start() - 30), m.start()):
                place = self.country_of[place]  # "the department of Chiquimula", "el estado de Veracruz"
                found.append(PlaceMention(place, m.start(), m.end(), country=True))
            elif place != NOT_A_PLACE:
                found.append(PlaceMention(place, m.start(), m.end(), country=place in self.countries
                                          and place not in self.places))
        for m in self._states_re.finditer(folded):
            if sentence[m.start()].isupper():
                last_state = m.group()
                country = self.state_country.get(m.group())
                if country and not _overlaps(m.start(), m.end(), taken):  # "en Chiapas": in Mexico
                    found.append(PlaceMention(country, m.start(), m.end(), country=True))
                    taken.append((m.start(), m.end()))
        for m in _STATE_CAPITAL.finditer(folded):
            capital = self.states.get(last_state or "", "")
            if capital and not _overlaps(m.start(), m.end(), taken):
                found.append(PlaceMention(capital, m.start(), m.end(), score=95.0))
                taken.append((m.start(), m.end()))
        found += self._fuzzy(sentence, folded, taken)
        found.sort(key=lambda p: p.start)
        return found, last_state

    def _written_as_name(self, original: str, name: str) -> bool:
        """A name as a name: capitalised (so 'isla' the word is not Isla the town) or, for
        abbreviations, exactly as written (so 'us' is not the US)."""
        if any(fold(a) == name for a in self.exact_case):
            return original in self.exact_case or original.isupper()
        return original[:1].isupper() or not name[:1].isalpha() or name.startswith(("capital ", "puente ", "garita ", "territorio ", "suelo "))

    def _fuzzy(self, sentence: str, folded: str, taken) -> list[PlaceMention]:
        from rapidfuzz import fuzz, process

        out = []
        for m in _CAPITALISED.finditer(sentence):
            if m.start() == 0 or _overlaps(m.start(), m.end(), taken) or len(m.group()) < 6:
                continue
            hit = process.extractOne(folded[m.start():m.end()], self._fuzzy_choices, scorer=fuzz.ratio,
                                     score_cutoff=FUZZY_CUTOFF)
            if hit is not None:
                place = self.names[hit[0]]
                out.append(PlaceMention(place, m.start(), m.end(), score=float(hit[1])))
                taken.append((m.start(), m.end()))
        return out


# who deports or sends people back says where they left from. The authorities of a country, in both languages
# and both word orders, from one list of agencies: "Mexican troops", "el Ejército Mexicano", "soldiers of the
# Guatemalan army", "la policía de Honduras", "Mexico's National Guard" (session 9: "Ejército Mexicano" and
# "Mexican army" were not read, so a detention by them was counted nowhere)
_AGENCIES_EN = (r"authorities|government|police|army|military|soldiers|troops|forces|security forces|officials|agents|"
                r"officers|immigration|migration|national guard|navy|marines")
_AGENCIES_ES = (r"autoridades(?: migratorias)?|gobierno|policias?|ejercito|militares|soldados|tropas|fuerzas(?: de seguridad)?|"
                r"funcionarios|agentes(?: migratorios)?|migracion|marina|efectivos")
# code: (English adjective, Spanish adjective stem, the country's names)
_NATIONS = {"MX": ("mexican", "mexican", "mexico"), "GT": ("guatemalan", "guatemaltec", "guatemala"),
            "HN": ("honduran", "honduren", "honduras"), "SV": ("salvadoran", "salvadoren", "el salvador"),
            # "U.S." only with its dots (a folded "us" is the pronoun), "American" not Central, Latin, South or North
            "US": (r"u\.s\.?|(?<!central )(?<!latin )(?<!south )(?<!north )american", "estadounidens",
                   r"the united states|united states|estados unidos")}


def _authorities(adjective: str, stem: str, names: str, own: str) -> re.Pattern:
    return re.compile(rf"\b(?:(?:{adjective}) (?:{_AGENCIES_EN})|(?:{_AGENCIES_ES}) (?:{stem})(?:[oa]s?|es)?|"
                      rf"(?:{_AGENCIES_ES}) (?:de|del gobierno de) (?:{names})|(?:{names})[’']?s (?:{_AGENCIES_EN})|"
                      rf"(?:{_AGENCIES_EN}) of (?:{names})|(?:{names}) (?:migration|immigration)|(?:{names}) (?:deported|deporto|sent)|by (?:{names})|{own})\b")


# each country's own agencies by name
_OWN = {
    "MX": r"inm|instituto nacional de migracion|national migration institute|fuerzas federales|policia federal|"
          r"guardia nacional|national guard",
    "GT": r"igm|instituto guatemalteco de migracion|policia nacional civil|pnc",
    "HN": r"instituto nacional de migracion de honduras",
    "SV": r"policia nacional civil de el salvador",
    "US": r"border patrol|patrulla fronteriza|ice|cbp",
}
_AUTHORITIES = {code: _authorities(*_NATIONS[code], _OWN[code]) for code in ("MX", "GT", "HN", "SV", "US")}


def authority_country(folded: str, countries: set[str]) -> str | None:
    """The country whose authorities the sentence names as acting, if one of ``countries``: not
    the ones people are handed to ("handed over to the Honduran authorities"). Of several names, the
    longest ("Instituto Nacional de Migración de Honduras" is Honduras', not the INM's; "Policía Nacional
    Civil de El Salvador" El Salvador's, not Guatemala's PNC); on a tie, the first country listed."""
    found = [(m.end() - m.start(), -i, code) for i, (code, pattern) in enumerate(_AUTHORITIES.items())
             if code in countries for m in pattern.finditer(folded)
             if not _HANDED_TO.search(folded, max(0, m.start() - 12), m.start())]
    return max(found)[2] if found else None


_HANDED_TO = re.compile(r"(?<!according )(?<!acuerdo )\b(?:to|a|ante)\s+(?:the\s+|las\s+|los\s+|la\s+)?$")  # not "according to"


# "el departamento de Chiquimula", "the state of Veracruz": a region named like its town, which is
# not the town (its country stands for it)
_REGION_OF = re.compile(r"\b(?:departamento|department|estado|state)\s+(?:de|del|of)\s+(?:the\s+)?$")
# "el río Suchiate", "the Suchiate River": the river, not the town named after it
_RIVER = re.compile(r"\b(?:rio|river)\s+$")
_RIVER_AFTER = re.compile(r"\s+river\b")
_STATE_CAPITAL = re.compile(r"\b(?:la capital (?:del estado|estatal)|the state capital|state capital)\b")
# one to three capitalised words ("Tapachulla", "Ciudad Ixtepek"), joined by de/del/la
_CAPITALISED = re.compile(r"\b[A-ZÁÉÍÓÚÑ][\wáéíóúñü]+(?:\s+(?:de\s+|del\s+|la\s+)?[A-ZÁÉÍÓÚÑ][\wáéíóúñü]+){0,2}")


def _overlaps(start: int, end: int, spans) -> bool:
    return any(start < e and s < end for s, e in spans)
