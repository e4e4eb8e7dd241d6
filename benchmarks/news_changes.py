"""Session 25's changes S and P (s25news), switched off and on for judging: ``--change S|P`` of ``news_crossval.py``
and ``news_extraction.py`` (session 14's delta method, as s16news-s24news used it; restored from 840118ee).

- ``S``: people staying at a place, in the words ``PRESENT_HINT`` does not read ("pasaron la noche en", "se
  encontraban en", "ya están en Tecún Umán", "is currently in"): ``present`` there (``news/stays.py``);
- ``P``: people let into a US port of entry ("were allowed into the San Ysidro Port of Entry"): ``asylum_requests``
  at the port (``news/ports.py``).

The frozen extractors of the first readings cannot run today's code, so a change is judged on them by its DELTA
(``with_delta``): today's extractor runs on each report with the change off and on; what the change adds is added to
the first reading (unless it holds the same observation), what it removes is removed from it. The added proposals
carry today's readings of their sentences: a little in the change's favour (say so with the figure).
"""

from __future__ import annotations

from caravana.news import ports, stays

CHANGES = ("S", "P")


def switch(change: str | None) -> None:
    """Turn the named change on (None or "": off, the extractor before it)."""
    stays.ON = change == "S"
    ports.ON = change == "P"


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
