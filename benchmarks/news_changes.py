"""Session 23's changes (s23news), switched off and on for judging: ``--change V|D`` of ``news_crossval.py`` and
``news_extraction.py`` (session 14's delta method, s14recall's script of commit c8c710e, as s16news, s17news,
s20news, s21open22 and s22news used it; restored from s22news's 9f202a95).

- ``V``: a day told of the caravan's start in a relative clause dates neither the count before it nor the
  sentences after it (``news/background.py``): "permanecen unos 200 cubanos ... en una caravana que partió el
  pasado día 23"; and "el lunes pasado" said on a Monday is the Monday before, as R reads "el pasado lunes"
  (``news/dates.py``'s ``WEEKDAY_PASADO``).
- ``D``: one death told in the other shapes reports use, tied to the caravan by the sentence or an earlier one
  (``news/deaths.py``): "otro migrante murió", "ayer murió un migrante hondureño", "one woman in the group was
  killed", "se registró la muerte de un migrante".

The frozen extractors of the first readings cannot run today's code, so a change is judged on them by its DELTA
(``with_delta``): today's extractor runs on each report with the change off and on; what the change adds is added to
the first reading (unless it holds the same observation), what it removes is removed from it. The added proposals
carry today's readings of their sentences: a little in the change's favour (say so with the figure).
"""

from __future__ import annotations

from caravana.news import background, dates, deaths

CHANGES = ("V", "D")


def switch(change: str | None) -> None:
    """Turn the named change on (None or "": off, the extractor before it)."""
    background.ON = dates.WEEKDAY_PASADO = change == "V"
    deaths.ON = change == "D"


def _key(p) -> tuple:
    return p.quantity, p.place, p.date, p.value


def with_delta(found: dict[str, list], reports: dict, gazetteer, change: str) -> dict[str, list]:
    """``found`` (file -> the first reading's proposals) with what ``change`` adds to and removes from today's
    extractor's proposals of each report in ``reports`` (file -> loaded report); the switch left as given."""
    from caravana.news.extract import extract_report

    out = {}
    for name, report in reports.items():
        switch(None)
        off = {_key(p) for p in extract_report(report, gazetteer)}
        switch(change)
        on = extract_report(report, gazetteer)
        removed = off - {_key(p) for p in on}
        kept = [p for p in found.get(name, []) if _key(p) not in removed]
        held = {_key(p) for p in kept}
        out[name] = kept + [p for p in on if _key(p) not in off and _key(p) not in held]
    switch(change)
    return out
