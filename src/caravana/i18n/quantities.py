"""The quantities of observations and reports (``caravana.observations.Quantity``) as a user
reads them: singular and plural, marked here once for the catalogue under the context
``quantity`` (a count of one "presente", of many "presentes"). :meth:`Language.quantity`
is the one way to show a quantity's name."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import Language

CONTEXT = "quantity"


def np_(context: str, singular: str, plural: str) -> tuple[str, str]:
    """Marks a name's singular and plural for the catalogue, under ``context``."""
    return singular, plural


# code -> (singular, plural) in English; the codes are the files' (present, caravan_size...)
NAMES: dict[str, tuple[str, str]] = {
    "present": np_("quantity", "present", "present"),
    "camp": np_("quantity", "in the camp", "in the camp"),
    "caravan_size": np_("quantity", "caravan size", "caravan size"),
    "arrived": np_("quantity", "arrived", "arrived"),
    "departed": np_("quantity", "departed", "departed"),
    "crossed": np_("quantity", "crossed", "crossed"),
    "detained": np_("quantity", "detained", "detained"),
    "returned": np_("quantity", "returned", "returned"),
    "deported": np_("quantity", "deported", "deported"),
    "settled": np_("quantity", "settled", "settled"),
    "dead": np_("quantity", "dead", "dead"),
    "asylum_requests": np_("quantity", "asylum request", "asylum requests"),
    "arrivals": np_("quantity", "arrival", "arrivals"),
}


# how an error lists the codes a file accepts ("one of: present, camp, ..."): the raise sites write
# it in English (caravana.observations.quantity_code), listed() shows it in the reader's language
CODES_LISTED = ", ".join(NAMES)


def typed(code: str, speaker: Language) -> str:
    """A quantity as a user may type it in ``speaker``'s language, with the file's code where the
    name is not it: "llegados (arrived)", "in the camp (camp)"; the code alone where it is ("arrived").
    The one order of the pair, wherever both are shown (errors, the review's table)."""
    name = speaker.quantity(code)
    return code if name == code.replace("_", " ") else f"{name} ({code})"


def offered(value: str, speaker: Language) -> str:
    """A quantity as an edit offers it (the terminal's review, the dashboard's panel): by its name in
    ``speaker``'s language ("llegados"), read back to the code; a value that is no code, as it is."""
    return speaker.quantity(value) if value in NAMES else value


def listed(speaker: Language) -> str:
    """The quantities as a user may type them in ``speaker``'s language, each with the file's code
    where the name is not it: "presentes (present), en el campamento (camp), ..."."""
    return ", ".join(typed(code, speaker) for code in NAMES)


def suggested(codes: list[str], speaker: Language) -> str:
    """The quantities a "did you mean" suggests, as a user may type them in ``speaker``'s language:
    "presentes (present)"; a code that is its own name stays quoted, as before ("'present'")."""
    return ", ".join(f"'{code}'" if typed(code, speaker) == code else typed(code, speaker) for code in codes)


def code_of(typed: str) -> str | None:
    """The file's code of a quantity written as its code or as a name the tables show it by,
    in Spanish or English, singular or plural, whatever its accents, case and spaces
    ("presentes", "Solicitudes  de asilo", "caravan size"); None if it is none of them."""
    return _codes_by_name().get(_key(typed))


def _key(text: str) -> str:
    from ..scenario.aliases import fold  # the one way names are compared

    return fold(text.replace("_", " "))


@cache
def _codes_by_name() -> dict[str, str]:
    from . import LANGUAGES, language

    names: dict[str, str] = {}
    for code, (singular, plural) in NAMES.items():
        shown = {code}
        for lang in LANGUAGES:
            for n in (1, 2):
                shown.add(language(lang).translations.npgettext(CONTEXT, singular, plural, n))
        for name in shown:  # a name two quantities share would be a guess: none does (tests/test_observations.py)
            names.setdefault(_key(name), code)
    return names


def close_codes(typed: str, n: int = 2) -> tuple[str, ...]:
    """The codes of up to ``n`` quantities with a name close to ``typed`` ("detenidso": detained),
    closest first; for a "did you mean"."""
    import difflib

    from ..scenario.aliases import CLOSE_ENOUGH

    names = _codes_by_name()
    close = difflib.get_close_matches(_key(typed), list(names), n=3 * n, cutoff=CLOSE_ENOUGH)
    return tuple(dict.fromkeys(names[c] for c in close))[:n]
