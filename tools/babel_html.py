"""Babel extractor for the dashboard's page: an element's ``data-t`` (its text) and
``data-t-ATTR`` (an attribute's text) are messages of the catalogue (static/i18n.js
translates them in the browser)."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from typing import IO, Any


class _Messages(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "data-t" or name.startswith("data-t-")):
                self.found.append((self.getpos()[0], value))


def extract(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict) -> Iterator[tuple]:
    parser = _Messages()
    parser.feed(fileobj.read().decode(options.get("encoding", "utf-8")))
    parser.close()
    for line, message in parser.found:
        yield line, None, message, []
