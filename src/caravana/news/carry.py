"""Where a movement happened when its own sentence names no town (session 14, change C): "They arrived in town
as night fell", "La caravana partió cerca de las 8:00 am. de este domingo". One rule in general terms: the nearest
earlier sentence of the same paragraph that names any place decides, if it names exactly one place and that place
is a town (no other place stands between it and the movement); when no earlier sentence of the paragraph names a
place, the town of the report's dateline. Never the headline nor an earlier paragraph (other news as often).

The town is a guess the sentence does not state, so the movement is proposed less sure (``DOUBT`` off the
confidence of a movement whose sentence names its town): only one whose sentence gives its day reaches the review
threshold; the rescorer weighs the rest by its "town_unnamed" feature.
"""

from __future__ import annotations

from collections.abc import Sequence

from .places import PlaceMention

ENABLED = False  # switched by benchmarks/news_crossval.py and news_extraction.py --change C while it is judged
DOUBT = 0.25  # taken off a movement's confidence when its town is carried, not named
COMPLEMENT = 40  # characters after the verb in which a country is the movement's own place ("left Honduras")


def carried_town(earlier: Sequence[Sequence[PlaceMention]], home: str | None) -> str | None:
    """The town a movement of a sentence naming no town took place in: ``earlier`` holds the places named by each
    earlier sentence of its paragraph, in order; ``home`` is the dateline's town (or None)."""
    for places in reversed(earlier):
        if places:
            named = {p.place for p in places}
            only = places[0]
            return only.place if len(named) == 1 and not only.country else None
    return home
