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


def resolve(name: str, places: Iterable[str]) -> str:
    """The place of ``places`` that ``name`` means; a clear error naming close ones if none."""
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
    import difflib

    close = difflib.get_close_matches(key, list(folded), n=3, cutoff=0.6)
    if close:  # two messages, so that the hint is translated with the rest
        names = ", ".join(repr(folded[c]) for c in close)
        raise UnknownPlace(f"no place named '{name}' (did you mean {names}?)")
    raise UnknownPlace(f"no place named '{name}'")
