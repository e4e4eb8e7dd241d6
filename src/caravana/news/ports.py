"""People let into a US port of entry, told without a word of asylum (session 25, s25news, change P): a count of them
is ``asylum_requests`` at the port (LABELLING.md C10 and C14: "claims processed and entries at the port are at the US
place", ``San Ysidro``), not the caravan's size: "50 people were allowed into the San Ysidro Port of Entry", "have
passed into the San Ysidro Port of Entry", "after they passed through the San Ysidro port of entry", "were allowed
through the gate", "se les permitió el ingreso a la garita de San Ysidro".

Only the port, its gate or its garita: "allowed to enter the U.S." alone is not read (parole, visas and crossings are
told so too).

OFF until judged by its keep rule (``benchmarks/results/news_crossval-2026-11-28-session25-s25news-rule.txt``).
"""

from __future__ import annotations

import re

ON = False  # switched by benchmarks/news_changes.py until the keep rule decides

ADMITTED = re.compile(
    r"\b(?:(?:allowed|let|admitted|passed|processed|ushered|waved|escorted)\s+(?:in\s+)?(?:into|through|inside|in at|"
    r"in through|to enter)\s+(?:the\s+)?(?:(?:san ysidro\s+)?port of entry|san ysidro(?:\s+port)?|gate|"
    r"(?:u\.s\.|us|american|border)\s+(?:port|gate|crossing)|pedwest)|"
    r"(?:permitio|permitieron|dejaron|autorizaron)\s+(?:el\s+)?(?:ingreso|ingresar|entrar|pasar|el paso)\s+"
    r"(?:a|al|por|hacia)\s+(?:la\s+garita|el\s+puerto|san ysidro)|"
    r"(?:ingresaron|entraron|pasaron)\s+(?:a|por)\s+(?:la\s+garita|el\s+puerto de entrada)(?:\s+de)?\s+san ysidro)")


def admitted(folded: str, start: int, end: int) -> list[re.Match]:
    """The words, in folded[start:end], telling that people were let into a US port of entry; none when the change is
    off."""
    return list(ADMITTED.finditer(folded, start, end)) if ON else []
