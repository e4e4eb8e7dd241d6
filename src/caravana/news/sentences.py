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
        for piece, start, _end in pieces:
            stripped = piece.strip()
            if stripped:
                offset = para.start() + start + (len(piece) - len(piece.lstrip()))
                sentences.append(Sentence(stripped, offset, offset + len(stripped), number))
    return sentences


def _unglue(piece: str) -> list[tuple[str, int]]:
    """(part, offset) of ``piece`` split at full stops with no space after them."""
    cuts = [0] + [m.start() for m in _GLUED.finditer(piece)] + [len(piece)]
    return [(piece[a:b], a) for a, b in zip(cuts, cuts[1:]) if piece[a:b]]
