"""People by state, several lists in one compiled pass over the population.

A behaviour that asks "who waits for a permit?", "who waits on an asylum claim?", "who
arrived at a port?"... in turn would pass over everyone once per question (NumPy: a few
full-length temporaries each). ``StateLists`` answers them all in one pass at the start of
the behaviour's step. A list found then is a *superset* of the people in that state later
in the step once the people the step itself put into that state are added; ``still``
filters such a superset by the state now. So the answers are exactly those of a fresh pass
(``tests/test_state_lists.py``), as long as the step adds whom it changed.
"""

from __future__ import annotations

import numpy as np

from ...engine.jit import njit
from ...engine.status import N_STATUS

ANY = -1  # any wait / any group


@njit(nogil=True)
def _fill(status, waiting_for, group, table, out, k):
    """``table[grouped, status, waiting_for]``: the list a person goes to (-1: none)."""
    for i in range(status.shape[0]):
        grouped = 1 if group[i] >= 0 else 0
        j = table[grouped, status[i], waiting_for[i]]
        if j >= 0:
            out[j, k[j]] = i
            k[j] += 1


class StateLists:
    """Which lists to find: each a (status, waiting_for or ANY, grouped: True, False or None).

    ``find(pop)`` returns one ascending index array per state, in order. No person may be in
    two of the states."""

    def __init__(self, states: list[tuple[int, int, bool | None]], n_waiting: int) -> None:
        self.states = list(states)
        table = np.full((2, N_STATUS, n_waiting), -1, dtype=np.int8)
        for j, (status, waiting, grouped) in enumerate(self.states):
            for g in (0, 1):
                if grouped is not None and bool(g) != grouped:
                    continue
                cells = table[g, int(status)] if waiting == ANY else table[g, int(status), int(waiting):int(waiting) + 1]
                if (cells >= 0).any():
                    raise ValueError(f"state {self.states[j]} overlaps another")
                cells[:] = j
        self.table = table

    def find(self, pop) -> list[np.ndarray]:
        n = pop.n
        out = np.empty((len(self.states), n), dtype=np.int64)  # rows written only as far as they fill
        k = np.zeros(len(self.states), dtype=np.int64)
        _fill(pop.status, pop.waiting_for, pop.group, self.table, out, k)
        return [out[j, : k[j]] for j in range(len(self.states))]


def still(pop, candidates: np.ndarray, status: int, waiting: int = ANY, grouped: bool | None = None,
          added: np.ndarray | None = None) -> np.ndarray:
    """Those of ``candidates`` (ascending), with ``added`` (people the step put into the state
    since), who are in the state now: ascending, each once."""
    if added is not None and len(added):  # merged in order (a sort of millions for a few would cost more)
        added = np.unique(added)
        if len(candidates):
            at = np.searchsorted(candidates, added)
            there = (at < len(candidates)) & (candidates[np.minimum(at, len(candidates) - 1)] == added)
            candidates = np.insert(candidates, at[~there], added[~there])
        else:
            candidates = added
    keep = pop.status[candidates] == status
    if waiting != ANY:
        keep &= pop.waiting_for[candidates] == waiting
    if grouped is not None:
        keep &= (pop.group[candidates] >= 0) == grouped
    return candidates[keep]
