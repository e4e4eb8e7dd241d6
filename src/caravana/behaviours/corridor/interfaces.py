"""What the corridor's behaviours offer each other (see ``caravana.engine.behaviour``).

Each class is an interface: what its provider offers, and nothing of how. A behaviour
provides one by subclassing it (``class Transport(Behaviour, BusOffers)``); another talks
to it through a ``Needs`` attribute, wired by the simulation. Another behaviour that
subclasses the same interface can stand in for the provider with no other edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import datetime as dt

    import pyarrow as pa

    from ...engine.simulation import Simulation
    from ...scenario.corridor import CaravanSpec
    from .caravan import CaravanState
    from .forks import Forks


class CaravanGroups:
    """The caravans: their settings and state, who travels with each, and the corrections
    a forecast makes from outside. Provided by ``caravan.Caravans``."""

    specs: list[CaravanSpec]
    states: list[CaravanState]
    arrivals: np.ndarray  # [caravan, day, place]: members reaching each place
    forks: Forks | None  # None: no caravan has destinations to choose from

    def members(self, sim: Simulation, c: int, active: np.ndarray | None = None) -> np.ndarray:
        """Indices of the people travelling with caravan ``c`` now."""
        raise NotImplementedError

    def all_members(self, sim: Simulation, scratch: bool = False) -> list[np.ndarray]:
        """``members`` of every caravan, in one pass over the population (``scratch``: in a
        buffer the next such call overwrites)."""
        raise NotImplementedError

    def roster_room(self, n_people: int) -> np.ndarray:
        """A (caravans, ``n_people``) buffer to list every caravan's members in (``keep_roster``)."""
        raise NotImplementedError

    def keep_roster(self, sim: Simulation, lists: list[np.ndarray]) -> None:
        """``lists`` (in ``roster_room``) are ``all_members`` at the end of today: tomorrow's first
        ``all_members(scratch=True)`` may start from them."""
        raise NotImplementedError

    def rejoined(self, sim: Simulation, idx: np.ndarray) -> None:
        """People ``idx`` were put back on the move (``common.set_status`` tells)."""
        raise NotImplementedError

    def body_sizes(self, sim: Simulation) -> np.ndarray:
        """Per caravan, its members on the move at its main body's km now (one pass)."""
        raise NotImplementedError

    def keep_body_sizes(self, sim: Simulation, sizes: np.ndarray) -> None:
        """``sizes`` are ``body_sizes`` now: the next ``body_sizes`` today may give them."""
        raise NotImplementedError

    def place(self, sim: Simulation, c: int, idx: np.ndarray) -> None:
        """Put people ``idx`` (members of caravan ``c``, their ``ckm`` set) on its itinerary."""
        raise NotImplementedError

    def held_here(self, c: int, size: int) -> bool:
        """Whether caravan ``c``'s main body, ``size`` strong, is held where it stands (a
        blockade it cannot break)."""
        raise NotImplementedError

    def today_moves(self) -> dict[str, tuple[float, np.ndarray | None, np.ndarray | None]]:
        """Per mode gone a km today: total km, and for a mode with accidents who went a km that
        way and how many each, in the order the caravans stepped (else None, None)."""
        raise NotImplementedError

    def column(self, sim: Simulation, c: int, members: np.ndarray | None = None) -> np.ndarray:
        """Members of caravan ``c`` in its column (``members``: its ``members``, if already found)."""
        raise NotImplementedError

    def size(self, sim: Simulation, c: int) -> int:
        """People travelling with caravan ``c`` now."""
        raise NotImplementedError

    def resize(self, sim: Simulation, c: int, target: int, rng: np.random.Generator, cause: str,
               column: np.ndarray | None = None) -> int:
        """Make caravan ``c`` ``target`` strong, as joining and leaving nobody saw; the change
        (``column``: its ``column`` now, if already found)."""
        raise NotImplementedError

    def retune(self, sim: Simulation, specs: list[CaravanSpec]) -> None:
        """Carry on with the caravans' retunable settings replaced by ``specs``."""
        raise NotImplementedError


class CaravanTrack:
    """Where each caravan's column was, day by day. Provided by ``caravan.CaravanLog``."""

    body: np.ndarray  # [caravan, day]: km of the main body (NaN: not formed)

    def to_table(self, start: dt.date, days: int) -> pa.Table:
        """Per caravan and day: size, arrived, head, centre, tail, length and body km."""
        raise NotImplementedError

    def arrival_day(self, c: int, km: float) -> int | None:
        """First day the centre of caravan ``c`` is at or past ``km`` (None: never)."""
        raise NotImplementedError

    def record(self, sim: Simulation, day: int) -> None:
        """Record the columns as they stand now as day ``day``'s (a forecast's moves re-write it)."""
        raise NotImplementedError


class Checkpoints:
    """Police checks and blockades on links. Provided by ``enforcement.Enforcement``."""

    hold: np.ndarray  # per link today: group size needed to break through (0: open)
    detain_p: np.ndarray  # per link today: chance a lone person crossing is detained

    def barriers(self, links: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Today's (hold, detain_p) of ``links``."""
        raise NotImplementedError

    def holds_nights(self, links: np.ndarray) -> np.ndarray:
        """Today's nights the blockade on each of ``links`` holds a caravan (inf: as long as it stands)."""
        raise NotImplementedError

    def detain(self, sim: Simulation, idx: np.ndarray, link: int, group_size: int) -> np.ndarray:
        """Who of ``idx`` (crossing ``link`` together, ``group_size`` in all) is detained."""
        raise NotImplementedError

    def queue(self, sim: Simulation, idx: np.ndarray, link: int) -> np.ndarray:
        """Who of ``idx`` (held at the blockade on ``link``) joins its asylum queue today."""
        raise NotImplementedError


class BusOffers:
    """Buses offered to caravans. Provided by ``transport.Transport``."""

    def bus_offer(self, day: int, place: int) -> tuple[int, int] | None:
        """(destination place, seats) of buses offered on ``day`` at ``place``, or None."""
        raise NotImplementedError


class ShelterBeds:
    """Shelter capacity. Provided by ``aid.Aid``."""

    def capacity_on(self, day: int) -> np.ndarray:
        """Beds per place on ``day``."""
        raise NotImplementedError


class PortQueues:
    """The US ports of entry and who they let through. Provided by ``papers.Papers``."""

    # Mexican side -> (US side, people let through a day; None: unmetered)
    ports: dict[int, tuple[int, int | None]]
    admitted: np.ndarray  # [day, place]: let through by metering, by port
