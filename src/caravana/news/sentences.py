"""Sentences of a report with their character spans in its text.

Paragraphs (line breaks) are split first; pysbd, a rule-based sentence splitter for
both languages, then splits each paragraph longer than a short line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # in the report's text
    end: int
    paragraph: int = 0  # which paragraph of the report (a date stated early in one dates what follows)


_PARAGRAPH = re.compile(r"[^\n]+")
# pages saved without the space after a full stop ("...Estados Unidos.Decenas de elementos"):
# a word, a stop and a capitalised word is a sentence break ("U.S.", "EE.UU." have capitals before)
_GLUED = re.compile(r"(?<=[a-záéíóúñü]{2}[.!?])(?=[A-ZÁÉÍÓÚÑ¿¡][a-záéíóúñü])")
# A dateline the splitter cut off the sentence it opens (session 20, change D): pysbd ends a sentence at
# "Tapachula." in "Tapachula.— La caravana partió ...", at a state's abbreviation in "Juchitán, Oax. – La caravana"
# or "OAXACA, Oax. 24 de enero de 2024.- Unos 500", and at an agency's name in "TAPACHULA, Chis. (Proceso).- En".
# The extractor's dateline readings (the report's town, "esta ciudad", a departure from it) need the head and its
# sentence in one piece, as the labeller quotes them. Off until judged by its keep rule (benchmarks/news_changes.py).
JOIN_DATELINES = False
_HEAD_LENGTH = 80  # characters: a dateline's head (town, state, date, agency), never a sentence of news
# what continues a dateline's head after its full stop: the dash that ends it, an agency's name in brackets,
# or (after a state's abbreviation, "Chis.", "Oax.") a comma or the date
_DASH_NEXT = re.compile(r"^\s*[-\u2013\u2014]")
_AGENCY_NEXT = re.compile(r"^\s*\([^()]{1,40}\)\.?\s*$")
_ABBREVIATED = re.compile(r"\b[A-Z][a-z]{1,3}\.$")
_DATE_NEXT = re.compile(r"^\s*(?:,|\d)")


@lru_cache(maxsize=2)
def _segmenter(language: str):
    import pysbd

    return pysbd.Segmenter(language=language, clean=False, char_span=True)


def split_sentences(text: str, language: str) -> list[Sentence]:
    """The sentences of ``text``, in order."""
    sentences = []
    for number, para in enumerate(_PARAGRAPH.finditer(text)):
        chunk = para.group()
        if not chunk.strip():
            continue
        if not any(mark in chunk.rstrip()[:-1] for mark in ".?!"):
            pieces = [(chunk, 0, len(chunk))]
        else:
            pieces = [(s.sent, s.start, s.end) for s in _segmenter(language).segment(chunk)]
        pieces = [(sub, start + offset, start + offset + len(sub))
                  for piece, start, _end in pieces for sub, offset in _unglue(piece)]
        if JOIN_DATELINES:
            pieces = _join_dateline(chunk, pieces)
        for piece, start, _end in pieces:
            stripped = piece.strip()
            if stripped:
                offset = para.start() + start + (len(piece) - len(piece.lstrip()))
                sentences.append(Sentence(stripped, offset, offset + len(stripped), number))
    return sentences


def _join_dateline(chunk: str, pieces: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """``pieces`` with the paragraph's opening piece joined to the next while it is a dateline's head that
    the splitter cut off (a dateline opens its paragraph: no other piece is ever joined)."""
    while len(pieces) > 1 and _cut_head(pieces[0][0].strip(), pieces[1][0]):
        (_, start, _), (_, _, end) = pieces[0], pieces[1]
        pieces = [(chunk[start:end], start, end)] + pieces[2:]
    return pieces


def _cut_head(head: str, after: str) -> bool:
    """``head`` is a dateline's head whose piece ``after`` continues it ("Tapachula." + "— La caravana ...")."""
    if len(head) > _HEAD_LENGTH or not head.endswith("."):
        return False
    return bool(_DASH_NEXT.match(after) or _AGENCY_NEXT.match(after)
                or (_ABBREVIATED.search(head) and _DATE_NEXT.match(after)))


def _unglue(piece: str) -> list[tuple[str, int]]:
    """(part, offset) of ``piece`` split at full stops with no space after them."""
    cuts = [0] + [m.start() for m in _GLUED.finditer(piece)] + [len(piece)]
    return [(piece[a:b], a) for a, b in zip(cuts, cuts[1:]) if piece[a:b]]
