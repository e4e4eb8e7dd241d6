"""The names a user reads for a scenario's identifiers, per language (es, en): a place's
("Juchitan" is shown "Juchitán", "Mexico City" "Ciudad de México" in Spanish) and a
built-in caravan's ("second-2018": "segunda caravana de 2018").

They are data shipped with the package: the places' in ``place_aliases.csv`` (the rows whose
``shown`` column names the language), the caravans' in each built-in scenario's
``caravan_labels.csv`` (caravan, es, en). Files and tables keep the identifiers; an
identifier without a name here is shown as it is. The places' names are the built-in
scenarios' (the corridor's, venezuela2022's): shown for those scenarios only, so that a user's
own scenario with a place "Cordoba" shows "Cordoba" (:func:`place_name` with the scenario shown). Read on first
use only: a command that shows no name never opens them.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from .aliases import alias_rows

LABELS_FILES = "*/caravan_labels.csv"  # under the built-in scenarios' folder
BUILTIN_DIR = Path(__file__).parent / "builtin"


@cache
def named_scenarios() -> frozenset[str]:
    """The scenarios the places' shown names are for, the built-in ones (place_aliases.csv names
    the corridor's and venezuela2022's places): each built-in folder's name and the name of each
    scenario file in them ("corridor-2021"...)."""
    names = {folder.name for folder in BUILTIN_DIR.iterdir() if folder.is_dir()}
    for path in BUILTIN_DIR.glob("*/*.yml"):
        found = re.search(r"^name:\s*(\S+)", path.read_text(encoding="utf-8"), re.MULTILINE)
        if found:
            names.add(found.group(1).strip("'\""))
    return frozenset(names)


OWN = ""  # the key of a user's own scenario, whatever its name: no built-in scenario's names


def names_key(name: str, builtin: bool | None = None) -> str:
    """The scenario key the shown names go by (:func:`place_name`, ``Language.about``): the
    scenario's name when it is the built-in scenario of that name, :data:`OWN` when it is a
    user's own, even one named "corridor". ``builtin`` None: not recorded (a folder written
    before session 23 says only its scenario's name), so the name decides."""
    return OWN if builtin is False else name


def recorded_key(metadata: Mapping[str, Any]) -> str:
    """:func:`names_key` of a result as recorded (its metadata's ``scenario`` and ``builtin``)."""
    return names_key(str(metadata.get("scenario", "")), recorded_builtin(metadata))


def recorded_builtin(metadata: Mapping[str, Any]) -> bool | None:
    """Whether a result's scenario was the package's own, as recorded; None: not recorded."""
    builtin = metadata.get("builtin")
    return builtin if isinstance(builtin, bool) else None


@cache
def place_names() -> dict[str, dict[str, str]]:
    """place identifier -> {language: the name shown}."""
    names: dict[str, dict[str, str]] = {}
    for row in alias_rows():
        for code in (row.get("shown") or "").split():
            names.setdefault(row["place"], {})[code] = row["alias"]
    return names


@cache
def caravan_labels() -> dict[str, dict[str, str]]:
    """caravan identifier -> {language: its label}, from every built-in scenario's labels."""
    labels: dict[str, dict[str, str]] = {}
    for path in sorted(BUILTIN_DIR.glob(LABELS_FILES)):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                labels[row["caravan"]] = {code: text for code, text in row.items() if code != "caravan" and text}
    return labels


def place_name(place: str, code: str, scenario: str | None = None) -> str:
    """The place's name in language ``code``; its identifier when it has none, or when the
    place belongs to ``scenario`` and that is not one the names are for (None: not said)."""
    if scenario is not None and scenario not in named_scenarios():
        return place
    return place_names().get(place, {}).get(code, place)


def caravan_label(caravan: str, code: str) -> str | None:
    """The caravan's label in language ``code``; None when it has none."""
    return caravan_labels().get(caravan, {}).get(code)


def names_in(code: str) -> dict[str, object]:
    """Every name the package has in language ``code``, as ``{"places": {identifier: name},
    "caravans": {identifier: label}, "named_scenarios": [...]}`` (what the dashboard's script
    shows; the places' names only for a run of one of the named scenarios)."""
    return {"named_scenarios": sorted(named_scenarios()),
            "places": {place: names[code] for place, names in place_names().items() if code in names},
            "caravans": {caravan: labels[code] for caravan, labels in caravan_labels().items() if code in labels}}
