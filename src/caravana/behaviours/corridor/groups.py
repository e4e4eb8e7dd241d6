"""Caravan members in compiled passes: who travels with which caravan, and putting
members on the network from their km along the caravan's road.

A caravan's members are the people of its group who are on the move (resting or
travelling). NumPy finds them with five full-length temporaries per caravan
(two status tests, their union, the group test, the intersection); these loops read
each person's group and status once, for one caravan or for all of them at once.
"""

from __future__ import annotations

import numpy as np

from ...engine.jit import njit
from ...engine.status import Status

RESTING = np.int8(Status.RESTING)
TRAVELLING = np.int8(Status.TRAVELLING)


@njit(nogil=True)
def members_of(group, status, c):
    """Indices, ascending, of the people of group ``c`` who are resting or travelling."""
    out = np.empty(group.shape[0], dtype=np.int64)  # untouched pages cost nothing
    k = 0
    for i in range(group.shape[0]):
        if group[i] == c and (status[i] == RESTING or status[i] == TRAVELLING):
            out[k] = i
            k += 1
    return out[:k].copy()


@njit(nogil=True)
def by_group(group, status, n_groups):
    """Everyone of groups 0 .. n_groups-1, by group and by whether they are on the move.

    Returns ``(idx, ptr)``: group g's people on the move (resting or travelling) are
    ``idx[ptr[2g]:ptr[2g+1]]`` and its others ``idx[ptr[2g+1]:ptr[2g+2]]``, each ascending.
    """
    counts = np.zeros(2 * n_groups + 1, dtype=np.int64)
    for i in range(group.shape[0]):
        g = group[i]
        if 0 <= g < n_groups:
            moving = status[i] == RESTING or status[i] == TRAVELLING
            counts[2 * g + (0 if moving else 1) + 1] += 1
    ptr = counts  # running sum in place: np.cumsum would tie the cached kernel to Numba's
    for k in range(1, ptr.shape[0]):  # array rules, loaded with it (caravana.engine.jit)
        ptr[k] += ptr[k - 1]
    fill = ptr[:-1].copy()
    idx = np.empty(ptr[-1], dtype=np.int64)
    for i in range(group.shape[0]):
        g = group[i]
        if 0 <= g < n_groups:
            slot = 2 * g + (0 if status[i] == RESTING or status[i] == TRAVELLING else 1)
            idx[fill[slot]] = i
            fill[slot] += 1
    return idx, ptr


@njit(nogil=True)
def place_on_road(idx, seg, ckm, km, places, links, loc, link, dist, status, days_in_status):
    """People ``idx`` at km ``ckm[idx]`` of a road (places ``places`` at ``km``, ``links``
    between them; ``seg``: each one's segment): at the place, resting, or on the link
    after it, travelling, ``dist`` km along it. A changed status restarts its clock."""
    last = links.shape[0] - 1
    for j in range(idx.shape[0]):
        i = idx[j]
        s = seg[j]
        loc[i] = places[s]
        if ckm[i] == km[s]:
            now = RESTING
            link[i] = -1
            dist[i] = 0.0
        else:
            now = TRAVELLING
            link[i] = links[min(s, last)]
            dist[i] = ckm[i] - km[s]
        if status[i] != now:
            days_in_status[i] = 0
        status[i] = now
