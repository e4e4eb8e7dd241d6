"""People by state: several lists from one look at each status.

A behaviour that asks "who waits for a permit?", "who waits on an asylum claim?", "who
arrived at a port?"... in turn would pass over everyone once per question (NumPy: a few
full-length temporaries each). ``StateLists`` answers them all at the start of the
behaviour's step, with one vectorised pass per status asked about (the waits and groups
are then read for those people only). A list found then is a *superset* of the people in
that state later in the step once the people the step itself put into that state are
added; ``still`` filters such a superset by the state now. So the answers are exactly those
of a fresh pass (``tests/test_state_lists.py``), as long as the step adds whom it changed.
"""

from __future__ import annotations

import numpy as np

from ...engine.jit import njit
from ...engine.status import Status
from .groups import Scratch

ANY = -1  # any wait / any group


class StateLists:
    """Which lists to find: each a (status, waiting_for or ANY, grouped: True, False or None).
    ``find(pop)`` returns one ascending index array per state, in order."""

    def __init__(self, states: list[tuple[int, int, bool | None]]) -> None:
        self.states = [(int(status), int(waiting), grouped) for status, waiting, grouped in states]

    def find(self, pop, scratch: Scratch | None = None, index: StatusIndex | None = None, tally=None) -> list[np.ndarray]:
        """``scratch``: as ``with_status``'s (the lists live within the step that asks). With
        ``index`` (the run's, see ``StatusIndex``), the (status, waiting) lists come from it, not
        from a pass over everyone (``tally``: the head-counts by place and status, its check)."""
        found: dict[int, np.ndarray] = {}
        out = []
        for status, waiting, grouped in self.states:
            if index is not None:
                idx = index.people(pop, status, waiting, tally)
            else:
                if status not in found:
                    found[status] = with_status(pop.status, status, scratch)
                idx = found[status]
                if waiting != ANY:
                    idx = idx[pop.waiting_for[idx] == waiting]
            if grouped is not None:
                idx = idx[(pop.group[idx] >= 0) == grouped]
            out.append(idx)
        return out


class StatusIndex:
    """Who is in each (status, waiting) state asked about, kept from day to day as people are
    put into it, so that finding them costs the people in it, not a pass over everyone: the
    claimants waiting on asylum decisions, the permit and port queues, the detained.

    ``set_status`` (``common.py``) tells it whom it put into which state (``entered``). A
    state's list is then last time's list with those added, filtered by the state now
    (``still``): exactly ``np.flatnonzero`` of the state as long as nobody enters it another
    way (only ``set_status`` writes these statuses, and nothing but it writes a wait into
    ``waiting_for``; people are spawned resting, waiting for nothing). Checked only where the
    head-counts can tell, a status asked with any wait (the detained, the arrived at a port): its
    list must hold as many as are counted in it, else it is found afresh. The lists of one wait
    (permit, asylum, blockade queues, Remain in Mexico) are not checked at run time: the head-counts
    count WAITING as a whole, and an ANY list of it would hold the transit stock, most of the
    waiting (tests check every list against a full pass, ``test_people_kept_by_state_are_a_fresh_pass``).
    People read between days (``forget``, e.g. by a forecast that moves them) are looked at afresh,
    by a full pass.
    """

    def __init__(self) -> None:
        # (status, waiting) -> [the list when last asked, the people put into it since]
        self.kept: dict[tuple[int, int], list] = {}

    def forget(self) -> None:
        """Everything found afresh next time asked (people may have changed in other ways)."""
        self.kept.clear()

    def entered(self, idx: np.ndarray, status: int, waiting: int) -> None:
        """People ``idx`` were put into ``status`` (waiting for ``waiting``)."""
        for key in ((int(status), int(waiting)), (int(status), ANY)):
            kept = self.kept.get(key)
            if kept is not None:
                kept[1].append(np.array(idx, dtype=np.int64))  # (a copy: callers reuse their buffers)

    def people(self, pop, status: int, waiting: int = ANY, tally=None) -> np.ndarray:
        """Indices, ascending, of the people in ``status`` (and ``waiting``, unless ANY) now."""
        key = (int(status), int(waiting))
        kept = self.kept.get(key)
        if kept is not None:
            found = still(pop, kept[0], status, waiting, added=np.concatenate(kept[1]) if kept[1] else None)
            if waiting == ANY and tally is not None and len(found) != int(tally[:, status].sum()):
                kept = None  # someone entered it unseen: found afresh below
        if kept is None:
            found = with_status(pop.status, status)
            if waiting != ANY:
                found = found[pop.waiting_for[found] == waiting]
        self.kept[key] = [found, []]
        return found


def still(pop, candidates: np.ndarray, status: int | np.integer, waiting: int = ANY, grouped: bool | None = None,
          added: np.ndarray | None = None) -> np.ndarray:
    """Those of ``candidates`` (ascending), with ``added`` (people the step put into the state
    since), who are in the state now: ascending, each once."""
    if added is None or not len(added):
        added = _NOBODY
    elif not (added[1:] > added[:-1]).all():  # (usually ascending already: a selection of a list)
        added = np.sort(added)  # (np.unique, as NumPy 2 does it, hashes first: slower on a few runs)
        added = added[np.concatenate(([True], added[1:] != added[:-1]))]
    return _in_state(candidates, added, pop.status, np.int8(status), pop.waiting_for, int(waiting),
                     -1 if grouped is None else int(grouped), pop.group)


_NOBODY = np.zeros(0, dtype=np.int64)
_PAST_EVERYONE = np.iinfo(np.int64).max


@njit(nogil=True)
def _in_state(candidates, added, status, value, waiting_for, waiting, grouped, group):
    """Those of ``candidates`` and ``added`` (both ascending, each once; one may hold some of the
    other) whose status is ``value``, wait ``waiting`` (unless ANY) and group >= 0 is ``grouped``
    (unless -1), in order, each once: the two merged as they are read, in one pass (inserting the
    few added into a list of millions copied it, and the filter read it again)."""
    out = np.empty(candidates.shape[0] + added.shape[0], dtype=np.int64)
    k = 0
    b = 0
    upcoming = added[0] if added.shape[0] else _PAST_EVERYONE  # the next added not yet merged
    for j in range(candidates.shape[0]):
        i = candidates[j]
        while upcoming <= i:  # (few: added before this candidate, or it again)
            if upcoming != i and _keeps(status[upcoming], waiting_for[upcoming], group[upcoming], value, waiting,
                                        grouped):
                out[k] = upcoming
                k += 1
            b += 1
            upcoming = added[b] if b < added.shape[0] else _PAST_EVERYONE
        if _keeps(status[i], waiting_for[i], group[i], value, waiting, grouped):
            out[k] = i
            k += 1
    for c in range(b, added.shape[0]):  # added past the last candidate
        i = added[c]
        if _keeps(status[i], waiting_for[i], group[i], value, waiting, grouped):
            out[k] = i
            k += 1
    return out[:k].copy()


@njit(inline="always")
def _keeps(status, waiting_for, group, value, waiting, grouped):
    """Whether someone of this status, wait and group is in the state (plain numbers: see ``groups``)."""
    return (status == value and (waiting == ANY or waiting_for == waiting)
            and (grouped < 0 or (group >= 0) == (grouped == 1)))


RESTING = np.int8(Status.RESTING)


def with_status(status: np.ndarray, value: int, scratch: Scratch | None = None) -> np.ndarray:
    """``np.flatnonzero(status == value)``; with ``scratch``, written into its buffer named after
    the status (overwritten by the next call with it and that status): at millions of people a
    fresh list is fresh memory, mapped and faulted in page by page every day."""
    if scratch is None:
        return np.flatnonzero(status == value)
    out = scratch.get((1, len(status)), np.int64, f"status {int(value)}")[0]
    return out[: _with_status(status, np.int8(value), out)]


BYTE_ONES = np.uint64(0x0101010101010101)  # a byte of 1 in each of a word's eight
BYTE_HIGHS = np.uint64(0x8080808080808080)


@njit(nogil=True)
def eights(status, value):
    """``status`` (int8) read eight at a time: its whole words, and ``value`` in each of a word's
    eight bytes, for :func:`holds`. The last ``len(status) % 8`` are left to the caller."""
    whole = status.shape[0] - status.shape[0] % 8
    return status[:whole].view(np.uint64), np.uint64(np.uint8(value)) * BYTE_ONES


@njit(nogil=True)
def holds(word, pattern):
    """Whether one of the eight bytes of ``word`` is ``pattern``'s (a zero byte of their xor)."""
    y = word ^ pattern
    return ((y - BYTE_ONES) & ~y & BYTE_HIGHS) != 0


@njit(nogil=True)
def _with_status(status, value, out):
    n = status.shape[0]
    c = 0
    for i in range(n):  # counted first (a vectorised loop): most states are rare
        c += status[i] == value
    if c == 0:
        return 0
    k = 0
    if c * 8 < n:  # few, mostly in runs: eight statuses tested at once, eights without it skipped
        words, pattern = eights(status, value)
        whole = 8 * words.shape[0]
        for w in range(words.shape[0]):
            if holds(words[w], pattern):
                for i in range(8 * w, 8 * w + 8):
                    out[k] = i  # kept only if k moves on: no branch to mispredict
                    k += status[i] == value
        for i in range(whole, n):
            out[k] = i
            k += status[i] == value
    else:  # many: no branch to mispredict (each kept only if k moves on)
        for i in range(n):
            out[k] = i
            k += status[i] == value
    return k


def members_resting_at(pop, places: np.ndarray, scratch: Scratch | None = None) -> np.ndarray:
    """Indices, ascending, of caravan members (a group) resting at one of ``places`` (a mask
    over places): a branch-free pass over status, then over the resting only for their group
    and place (NumPy took full-length temporaries and gathers). ``scratch``: as
    ``with_status``'s."""
    scratch = Scratch() if scratch is None else scratch
    out = scratch.get((1, pop.n), np.int64, "resting at")[0]
    return out[: _members_resting_at(pop.status, pop.group, pop.loc, places, out)]


@njit(nogil=True)
def _members_resting_at(status, group, loc, places, out):
    k = 0
    for i in range(status.shape[0]):  # the resting (no branch to mispredict: kept if k moves on) ...
        out[k] = i
        k += status[i] == RESTING
    m = 0
    for j in range(k):  # ... those of them with a group, at one of the places
        i = out[j]
        out[m] = i
        m += (group[i] >= 0) & places[loc[i]]
    return m
