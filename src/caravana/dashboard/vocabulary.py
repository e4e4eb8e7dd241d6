"""The words the page shows straight from the data: people's states, the quantities a
chart draws and reports state, the events behaviours log and their causes, a job's state. Each comes from
the Python that defines it (behaviours declare their events and causes), is served by
``GET /api/page`` and is translated there by the message catalogue, into which
``tools/babel_errors.py`` extracts this list: the page keeps no copy of its own."""

from __future__ import annotations

from functools import cache

from ..behaviours import corridor  # noqa: F401  (imports every corridor behaviour class)
from ..engine.behaviour import Behaviour
from ..engine.status import STATUS_NAMES
from ..observations import Quantity
from .runner import JOB_STATES
from .views import QUANTITIES


def behaviour_classes() -> list[type[Behaviour]]:
    """Every behaviour class of the package (Flee's rules and the corridor's)."""
    found, todo = [], list(Behaviour.__subclasses__())
    while todo:
        kind = todo.pop()
        found.append(kind)
        todo += kind.__subclasses__()
    return [k for k in found if k.__module__.startswith("caravana.behaviours")]


@cache
def vocabulary() -> tuple[str, ...]:
    """Every such word, as the page shows it (underscores as spaces), sorted."""
    words = {*STATUS_NAMES, *QUANTITIES, *Quantity, *JOB_STATES}
    for kind in behaviour_classes():
        words.update(kind.events)
        words.update(kind.causes)
    return tuple(sorted(w.replace("_", " ") for w in words))
