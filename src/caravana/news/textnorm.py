"""Accent- and case-free copies of text that keep every character's position, so a
match in the folded text is a span of the original."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    base = "".join(ch for ch in unicodedata.normalize("NFKD", c) if not unicodedata.combining(ch)).lower()
    return base[:1] if base else " "


def fold(text: str) -> str:
    """Lower case without accents, one character for each character of ``text``."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)
