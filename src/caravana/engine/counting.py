"""Head-counts by place and status, in one pass over the population."""

from __future__ import annotations

from .jit import njit


@njit(nogil=True)
def count_by_place_and_status(loc, status, out):
    """Fill ``out[place, status]`` (int64, zeroed here) with head-counts."""
    out[:, :] = 0
    for i in range(loc.shape[0]):
        out[loc[i], status[i]] += 1


@njit(nogil=True)
def count_at_places(loc, status, wanted_status, out):
    """``out[place]`` = people at each place whose status is ``wanted_status``."""
    out[:] = 0
    for i in range(loc.shape[0]):
        if status[i] == wanted_status:
            out[loc[i]] += 1

