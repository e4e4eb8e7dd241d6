"""Session 21's change H (s21open22), switched off and on for judging: ``--change H`` of ``news_crossval.py`` and
``news_extraction.py`` (session 14's delta method, s14recall's script of commit c8c710e, as s16news, s17news and
s20news used it; restored from s20news's 69774959).

- ``H``: an origin named after the destination is still the origin ("partieron ... hacia Estados Unidos desde la
  ciudad de San Pedro Sula"): a departure's "desde"/"from" after its last destination phrase, then the place
  (``news/movement.py``'s ``FROM_AFTER_TOWARD``).

The frozen extractors of the first readings cannot run today's code, so a change is judged on them by its DELTA
(``with_delta``): today's extractor runs on each report with the change off and on; what the change adds is added to
the first reading (unless it holds the same observation), what it removes is removed from it. The added proposals
carry today's readings of their sentences: a little in the change's favour (say so with the figure).
"""

from __future__ import annotations

from caravana.news import movement

CHANGES = ("H",)


def switch(change: str | None) -> None:
    """Turn the named change on (None or "": off, the extractor before it)."""
    movement.FROM_AFTER_TOWARD = change == "H"


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
