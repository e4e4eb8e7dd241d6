"""The report as one self-contained HTML page: styles inline, figures as base64 PNG
data URIs, no scripts, no fonts or links to fetch, so it opens offline and can be
mailed as a single file."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from html import escape

from ..briefing.page import CSS as BRIEFING_CSS

CSS = """
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; margin: 0 auto; max-width: 1040px;
       padding: 1.5em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
nav a { margin-right: 1em; color: #1f5f99; }
img { max-width: 100%; height: auto; display: block; margin: 0.8em 0; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 0.25em 0.7em; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: #7a4a00; background: #fff6e0; padding: 0.5em 0.8em; border-left: 3px solid #e0a030; }
.muted { color: #666; font-size: 0.85em; }
"""


# Printed, each place's briefing starts a page; the rest of the report follows.
PRINT_CSS = """
@media print { body { max-width: none; padding: 0; } nav { display: none; }
  #briefings article.briefing { break-before: page; } section { break-inside: avoid-page; } }
"""


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    numeric: set[int] = field(default_factory=set)  # column positions aligned right

    def html(self) -> str:
        def cell(tag: str, i: int, text: str) -> str:
            cls = ' class="n"' if i in self.numeric else ""
            return f"<{tag}{cls}>{escape(text)}</{tag}>"

        head = "".join(cell("th", i, c) for i, c in enumerate(self.columns))
        body = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in self.rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


@dataclass
class Section:
    id: str  # the anchor, and the PNG's suffix
    title: str
    text: str = ""
    png: bytes | None = None
    alt: str = ""
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)  # HTML made elsewhere from escaped text (briefings)

    def html(self) -> str:
        parts = [f'<section id="{escape(self.id)}">', f"<h2>{escape(self.title)}</h2>"]
        if self.text:
            parts.append(f"<p>{escape(self.text)}</p>")
        parts += [f'<p class="note">{escape(n)}</p>' for n in self.notes]
        if self.png is not None:
            data = base64.b64encode(self.png).decode("ascii")
            parts.append(f'<img src="data:image/png;base64,{data}" alt="{escape(self.alt or self.title)}">')
        parts += [t.html() for t in self.tables]
        parts += self.raw
        parts.append("</section>")
        return "\n".join(parts)


def render_page(title: str, subtitle: str, sections: list[Section], footer: str, lang: str = "en") -> str:
    nav = " ".join(f'<a href="#{escape(s.id)}">{escape(s.title)}</a>' for s in sections)
    body = "\n".join(s.html() for s in sections)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}{BRIEFING_CSS}{PRINT_CSS}</style>\n</head>\n<body>\n"
        f'<h1>{escape(title)}</h1>\n<p class="muted">{escape(subtitle)}</p>\n<nav>{nav}</nav>\n'
        f'{body}\n<footer><p class="muted">{escape(footer)}</p></footer>\n</body>\n</html>\n'
    )
