"""The states a person can be in. Every spawned person is in exactly one, every day."""

from enum import IntEnum


class Status(IntEnum):
    RESTING = 0  # at a place, free to move on
    TRAVELLING = 1  # on a link between two places
    WAITING = 2  # at a place, waiting for papers (permit, asylum, port-of-entry turn)
    DETAINED = 3  # held in a migration station
    DEPORTED = 4  # sent back to the country of origin (final)
    SETTLED = 5  # stays in the country of transit (final)
    ARRIVED = 6  # at the US border, not yet crossed
    CROSSED = 7  # crossed into the US (final)
    RETURNED = 8  # went home of their own accord (final)
    DEAD = 9  # died on the way (final)


STATUS_NAMES: tuple[str, ...] = tuple(s.name.lower() for s in Status)
N_STATUS = len(Status)

# Who sleeps at a place tonight (needs, the map's head-counts): one list for every layer.
STAYING: tuple[Status, ...] = (Status.RESTING, Status.WAITING, Status.ARRIVED)
