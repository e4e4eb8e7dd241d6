"""Settings of the corridor system (caravans, transport, enforcement, papers, aid).

Filled in by the corridor behaviours; a scenario without a ``corridor`` section
runs Flee's rules only.
"""

from __future__ import annotations

from .schema import Strict


class CorridorSpec(Strict):
    """The ``corridor:`` section of a scenario YAML file."""
