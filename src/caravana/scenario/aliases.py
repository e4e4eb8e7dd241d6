"""Place names as people type them: with or without accents, any case, and the Spanish or
English form ("Ciudad de México" or "Mexico City" for the scenario's ``Mexico City``,
"Juchitán" for ``Juchitan``). One resolver for every input that names a place.

Other names are listed in ``place_aliases.csv`` (alias, place, shown); a row whose place the
scenario lacks is ignored. The rows marked ``shown`` are also the names a user reads
(:mod:`caravana.scenario.names`).
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from ..errors import UnknownPlace

ALIASES_FILE = Path(__file__).parent / "place_aliases.csv"


def fold(name: str) -> str:
    """Lower case, accents removed, inner spaces collapsed: the key names are compared by."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().replace("-", " ").split())


@cache
def alias_rows() -> tuple[dict[str, str], ...]:
    """The file's rows (alias, place, shown), comment rows (``#``) left out."""
    with ALIASES_FILE.open(encoding="utf-8", newline="") as f:
        return tuple(r for r in csv.DictReader(f) if not r["alias"].startswith("#"))


@cache
def _aliases() -> dict[str, str]:
    return {fold(r["alias"]): r["place"] for r in alias_rows()}


CLOSE_ENOUGH = 0.65  # difflib's ratio for "did you mean": "Tapachla" 0.94, "Tecun" 0.67; "Atlantis"-"Mazatlan" 0.62 is noise


def resolve(name: str, places: Iterable[str], scenario: str | None = None) -> str:
    """The place of ``places`` that ``name`` means; a clear error naming close ones if none.
    The error's suggestions are the places' identifiers, written as the reader sees them
    where it is shown (``UnknownPlace.places``); ``scenario``: the key of the scenario whose
    names those are (:func:`caravana.scenario.names.names_key`)."""
    places = list(places)
    if name in places:
        return name
    folded = {fold(p): p for p in places}
    key = fold(name)
    if key in folded:
        return folded[key]
    alias = _aliases().get(key)
    if alias is not None and alias in places:
        return alias
    close = close_places(key, folded)
    if close:  # two messages, so that the hint is translated with the rest
        names = ", ".join(f"'{p}'" for p in close)
        raise UnknownPlace(f"no place named '{name}' (did you mean {names}?)", places=close, scenario=scenario)
    raise UnknownPlace(f"no place named '{name}'")


def close_places(key: str, folded: dict[str, str], n: int = 3) -> tuple[str, ...]:
    """Up to ``n`` places whose name, or another name of theirs ("Ciudad de México"), is close
    to ``key`` (folded), closest first."""
    import difflib

    names = dict(folded)
    for alias, place in _aliases().items():
        if place in folded.values():
            names.setdefault(alias, place)
    close = difflib.get_close_matches(key, list(names), n=2 * n, cutoff=CLOSE_ENOUGH)
    return tuple(dict.fromkeys(names[c] for c in close))[:n]
