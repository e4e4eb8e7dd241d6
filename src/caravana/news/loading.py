"""Reports as text: plain text or HTML saved from a browser, one file, a folder (with an
optional ``reports.csv`` manifest: file, published, url, language) or standard input.

Each report needs its publication date, against which "ayer" or "on Saturday" are
resolved: from the manifest, from the page itself (HTML metadata, or a date line near
the top of a text file), or from ``--published``. A report with none of these stops
with a clear error rather than being dated by guess.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..errors import CaravanaError, ScenarioError
from .textnorm import fold

SUFFIXES = {".txt", ".text", ".md", ".html", ".htm"}
MANIFEST = "reports.csv"
LANGUAGES = ("es", "en")


@dataclass(frozen=True)
class Report:
    file: str  # as given (or "-" for standard input); proposals name it
    text: str
    published: dt.date
    language: str  # "es" or "en"
    url: str = ""

    @property
    def source(self) -> str:
        return " ".join(x for x in (self.url or self.file, self.published.isoformat()) if x)


def load_reports(paths: list[str], published: dt.date | None = None, language: str | None = None,
                 stdin_text: str | None = None) -> list[Report]:
    """Every report named by ``paths`` (files, folders, "-" for standard input), in order."""
    if language is not None and language not in LANGUAGES:
        raise CaravanaError(f"--language must be one of {', '.join(LANGUAGES)}, got '{language}'")
    reports = []
    for name in paths:
        if name == "-":
            text = stdin_text if stdin_text is not None else sys.stdin.read()
            reports.append(_report("-", text, False, {}, published, language))
            continue
        path = Path(name)
        if path.is_dir():
            manifest = read_manifest(path / MANIFEST) if (path / MANIFEST).exists() else {}
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not files:
                raise CaravanaError(f"folder {path}: no report files ({', '.join(sorted(SUFFIXES))})")
            for f in files:
                reports.append(_report(str(f), _read(f), _is_html(f), manifest.get(f.name, {}), published, language))
        elif path.is_file():
            manifest = read_manifest(path.parent / MANIFEST) if (path.parent / MANIFEST).exists() else {}
            reports.append(_report(str(path), _read(path), _is_html(path), manifest.get(path.name, {}), published, language))
        else:
            raise CaravanaError(f"file {path}: not found")
    return reports


def _read(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        warnings.warn(f"file {path}: not UTF-8; read as Windows-1252 (check its accents in the proposals)")
        return data.decode("cp1252", errors="replace")  # old Windows pages


def _is_html(path: Path) -> bool:
    return path.suffix.lower() in {".html", ".htm"}


def read_manifest(path: Path) -> dict[str, dict]:
    """``reports.csv``: file -> {published, url, language}; dates and languages checked."""
    entries = {}
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "file" not in reader.fieldnames:
            raise ScenarioError("needs a 'file' column (file, published, url, language)", file=path, row=1)
        for row_number, row in enumerate(reader, start=2):
            entry = {"url": (row.get("url") or "").strip()}
            text = (row.get("published") or "").strip()
            if text:
                try:
                    entry["published"] = dt.date.fromisoformat(text)
                except ValueError:
                    raise ScenarioError(f"'{text}' is not a date (YYYY-MM-DD)", file=path, row=row_number,
                                        field="published") from None
            lang = (row.get("language") or "").strip().lower()
            if lang:
                if lang not in LANGUAGES:
                    raise ScenarioError(f"'{lang}' is not one of {', '.join(LANGUAGES)}", file=path,
                                        row=row_number, field="language")
                entry["language"] = lang
            entries[(row.get("file") or "").strip()] = entry
    return entries


def _report(name: str, raw: str, html: bool, entry: dict, published: dt.date | None,
            language: str | None) -> Report:
    if html or (name == "-" and raw.lstrip()[:1] == "<"):
        text, page_date, page_lang = html_to_text(raw)
    else:
        text, page_date, page_lang = raw, text_date(raw), None
    date = entry.get("published") or page_date or published
    if date is None:
        raise CaravanaError(
            f"file {name}: no publication date (none in the page or in a {MANIFEST} manifest); "
            "give it with --published YYYY-MM-DD")
    lang = entry.get("language") or language or page_lang or detect_language(text)
    return Report(file=name, text=text, published=date, language=lang, url=entry.get("url", ""))


# --- HTML ------------------------------------------------------------------------------

_BLOCKS = "h1, h2, h3, h4, p, li, blockquote, figcaption"
_DATE_META = (
    'meta[property="article:published_time"]', 'meta[name="article:published_time"]',
    'meta[itemprop="datePublished"]', 'meta[name="date"]', 'meta[name="pubdate"]',
    'meta[name="publish-date"]', 'meta[name="DC.date.issued"]', 'meta[property="og:published_time"]',
)


def html_to_text(html: str) -> tuple[str, dt.date | None, str | None]:
    """(the article's text, one block per paragraph; its publication date; its language)."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(html)
    date = None
    for selector in _DATE_META:
        node = tree.css_first(selector)
        if node is not None and (date := _iso_date(node.attributes.get("content") or "")):
            break
    if date is None:
        for node in tree.css("time[datetime]"):
            if date := _iso_date(node.attributes.get("datetime") or ""):
                break
    if date is None:
        date = _json_ld_date(html)
    root = tree.css_first("html")
    lang = ((root.attributes.get("lang") or "") if root is not None else "")[:2].lower() or None
    tree.strip_tags(["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg"])
    blocks = [node.text(deep=True, separator=" ", strip=True) for node in tree.css(_BLOCKS)]
    blocks = [" ".join(b.split()) for b in blocks if b.strip()]
    if not blocks and tree.body is not None:
        blocks = [line.strip() for line in tree.body.text(separator="\n").splitlines() if line.strip()]
    return "\n\n".join(blocks), date, lang if lang in LANGUAGES else None


def _iso_date(text: str) -> dt.date | None:
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", text)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _json_ld_date(html: str) -> dt.date | None:
    m = re.search(r'"datePublished"\s*:\s*"([^"]+)"', html)
    return _iso_date(m[1]) if m else None


# --- plain text ------------------------------------------------------------------------

_DATE_LINE = re.compile(r"^\s*(?:(?:published|publicado|fecha|date|updated|actualizado)\s*:?\s*)?(.{6,45}?)\s*$",
                        re.IGNORECASE)


def text_date(text: str, lines: int = 15) -> dt.date | None:
    """A line near the top that is only a full date ("October 26, 2021", "Publicado: 22 de
    octubre de 2018"): the dateline of text saved from a page."""
    import dateparser

    for line in text.splitlines()[:lines]:
        m = _DATE_LINE.match(line)
        if not m or not re.search(r"\b(19|20)\d\d\b", m[1]):
            continue
        found = dateparser.parse(m[1], languages=list(LANGUAGES),
                                 settings={"REQUIRE_PARTS": ["day", "month", "year"]})
        if found is not None:
            return found.date()
    return None


_STOPWORDS = {
    "es": {"el", "la", "los", "las", "de", "del", "que", "y", "en", "por", "con", "para", "una", "se", "su", "al"},
    "en": {"the", "of", "and", "to", "in", "that", "is", "was", "for", "on", "with", "by", "from", "at", "they"},
}


def detect_language(text: str) -> str:
    """Spanish or English, by which language's commonest words the text uses more."""
    words = re.findall(r"[a-z]+", fold(text[:5000]))
    counts = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    return max(counts, key=lambda lang: counts[lang])
