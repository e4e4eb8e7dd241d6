"""Session 24's change M (s24news), switched off and on for judging: ``--change M`` of ``news_crossval.py`` and
``news_extraction.py`` (session 14's delta method, as s16news-s23news and s24news's E and R used it; restored from
61411e1c).

- ``M``: what people fear, or what would follow a condition, is not what happened to them
  (``news/quantities.py``'s ``_FEARED``): "a credible fear of returning to their home country", "en caso de
  proceder, retornarlos a su país". It mends false readings change R brought (its delta list).

The frozen extractors of the first readings cannot run today's code, so a change is judged on them by its DELTA
(``with_delta``): today's extractor runs on each report with the change off and on; what the change adds is added to
the first reading (unless it holds the same observation), what it removes is removed from it. The added proposals
carry today's readings of their sentences: a little in the change's favour (say so with the figure).
"""

from __future__ import annotations

from caravana.news import quantities

CHANGES = ("M",)


def switch(change: str | None) -> None:
    """Turn the named change on (None or "": off, the extractor before it)."""
    quantities.FEARED_ON = change == "M"


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
