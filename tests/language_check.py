"""Is a page meant to be Spanish free of English? The check the dashboard's and the report's
tests share."""

from __future__ import annotations

import csv
import re

from caravana.i18n import language
from caravana.scenario.load import BUILTIN_DIR

# The reports' sources, quoted on the page as they are (an English headline is not a message).
SOURCES = sorted({row["source"] for row in csv.DictReader(
    (BUILTIN_DIR / "corridor" / "observations_2018.csv").open(encoding="utf-8")) if row["source"]}, key=len, reverse=True)


def english_left(texts: list[str]) -> list[str]:
    """Catalogued English messages (their fixed words, as whole words) found on a page meant to be
    Spanish, outside the reports' quoted sources ("caravan {name}" is not in Spanish "caravana")."""
    es = language("es").catalogue()
    found = []
    for english, spanish in es.items():
        if english == spanish:
            continue
        fixed = [p.strip() for p in re.split(r"\{\w*\}", english) if len(p.strip()) > 3]
        for text in texts:
            # A source quoted whole, or cut short (a long piece of one).
            unquoted = "" if len(text) >= 20 and any(text in source for source in SOURCES) else text
            for source in SOURCES:
                unquoted = unquoted.replace(source, "")
            if text == english or (fixed and " " in english and all(
                    re.search(rf"(?<!\w){re.escape(p)}(?!\w)", unquoted) for p in fixed)):
                found.append(f"{english!r} in {text!r}")
    return found
