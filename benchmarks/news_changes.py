"""Session 22's change R (s22news), switched off and on for judging: ``--change R`` of ``news_crossval.py`` and
``news_extraction.py`` (session 14's delta method, s14recall's script of commit c8c710e, as s16news, s17news, s20news
and s21open22 used it; restored from s21open22's d0714a2b).

- ``R``: more relative days resolved against the publication date (``news/dates.py``'s ``MORE_RELATIVE_DAYS``): a
  day of the month without its month ("el pasado día 13", "el pasado uno de este mes", "el día 8", "on the 13th"),
  a weekday with its day ("el pasado martes 3"), the weekend ("el fin de semana", "over the weekend"), and "el
  pasado lunes" / "last Monday" said on a Monday (the Monday before).

The frozen extractors of the first readings cannot run today's code, so a change is judged on them by its DELTA
(``with_delta``): today's extractor runs on each report with the change off and on; what the change adds is added to
the first reading (unless it holds the same observation), what it removes is removed from it. The added proposals
carry today's readings of their sentences: a little in the change's favour (say so with the figure).
"""

from __future__ import annotations

from caravana.news import dates

CHANGES = ("R",)


def switch(change: str | None) -> None:
    """Turn the named change on (None or "": off, the extractor before it)."""
    dates.MORE_RELATIVE_DAYS = change == "R"


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
