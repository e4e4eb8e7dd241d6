"""Session 24's changes (s24news), switched off and on for judging: ``--change E|R`` of ``news_crossval.py`` and
``news_extraction.py`` (session 14's delta method, s14recall's script of commit c8c710e, as s16news, s17news,
s20news, s21open22, s22news and s23news used it; restored from s23news's aa0dba4a).

- ``E``: people who entered a country, told in the shapes ``_ENTERED`` does not read (``news/entries.py``): "pushed
  their way into Guatemala", "lograron entrar en Guatemala", "crossed the Pedro de Alvarado border from El Salvador to
  Guatemala", "cruzaron la frontera de Guatemala": ``present`` in that country, not the caravan's size.
- ``R``: a return home told in more forms (``news/quantities.py``'s ``_RETURNED_MORE``): "han sido regresados a su
  país", "solicitaron el retorno", "decidieron de manera voluntaria volver a sus países", "decided to voluntarily
  return": ``returned``, not the caravan's size.

The frozen extractors of the first readings cannot run today's code, so a change is judged on them by its DELTA
(``with_delta``): today's extractor runs on each report with the change off and on; what the change adds is added to
the first reading (unless it holds the same observation), what it removes is removed from it. The added proposals
carry today's readings of their sentences: a little in the change's favour (say so with the figure).
"""

from __future__ import annotations

from caravana.news import entries, quantities

CHANGES = ("E", "R")


def switch(change: str | None) -> None:
    """Turn the named change on (None or "": off, the extractor before it)."""
    entries.ON = change == "E"
    quantities.returns_told_otherwise(change == "R")


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
