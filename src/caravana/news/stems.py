"""Words of a cue family matched by their stem (Snowball, Spanish and English), so that a form the
lists do not spell out still counts: "descansó" is "descansaron", "pernoctó" is "pernoctaron",
"camps" is "camped". The lists stay the reference: a stem is taken from each single word they
hold, and only stems of five letters or more are used ("sal-" would also be "sala", "part-" "parte").
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache

_MIN_STEM = 5
_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=2)
def _stemmer(language: str):
    import snowballstemmer

    return snowballstemmer.stemmer("spanish" if language == "es" else "english")


@lru_cache(maxsize=20000)
def stem(word: str, language: str) -> str:
    return _stemmer(language).stemWord(word)


class StemFamily:
    """The stems of the single words of an alternation ("descansan|descansaron|rested|..."),
    in both languages."""

    def __init__(self, alternation: str):
        alternation = re.sub(r"^\\b\(\?:|\)\\b$", "", alternation)  # a compiled family's "\b(?:...)\b"
        self.words = [w for alt in alternation.split("|") for w in _spelt(alt) if _WORD.fullmatch(w)]

    @cached_property
    def stems(self) -> dict[str, set[str]]:
        """Per language, the stems of the family's words (the stemmer is loaded on first use)."""
        return {lang: {s for s in (stem(w, lang) for w in self.words) if len(s) >= _MIN_STEM} for lang in ("es", "en")}

    def search(self, folded: str, start: int = 0, end: int | None = None, language: str = "es") -> int | None:
        """Where a word of folded[start:end] whose stem is one of the family's begins. Spanish only
        (English forms are few and listed), and not an infinitive, a future or a conditional
        ("para descansar", "descansarán": a plan, not a stop)."""
        if language != "es":
            return None
        for m in _WORD.finditer(folded, start, end or len(folded)):
            if (not _NOT_DONE.search(m.group()) or _DECIDED.search(folded, max(0, m.start() - 25), m.start())) \
                    and stem(m.group(), "es") in self.stems["es"]:
                return m.start()
        return None


# a decision acted on: "decidieron pernoctar en Huixtla", "decidieron quedarse a descansar en Pijijiapan" is a stop made
# (session 10: 2023-03-02_elorbe, 2024-10-13_amexi, 2024-05-24_lahora-mx)
_DECIDED = re.compile(r"\b(?:decidieron|decidio|optaron por|opto por|prefirieron|prefirio)\s+(?:quedarse a\s+)?$")


def _spelt(alternative: str) -> list[str]:
    """The words a simple alternative spells: "varad[oa]s" is "varados" and "varadas"."""
    m = re.fullmatch(r"([a-z]*)\[([a-z]+)\]([a-z]*)", alternative)
    return [m.group(1) + c + m.group(3) for c in m.group(2)] if m else [alternative]


_NOT_DONE = re.compile(r"(?:ar|er|ir|ara|aran|iera|ieran|ra|ran|ria|rian|re|ren|remos)$"
                       r"|(?:ar|er|ir)(?:se|lo|la|los|las|le|les|nos)$")  # "sin registrarse": an infinitive too
