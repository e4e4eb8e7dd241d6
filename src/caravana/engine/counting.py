"""Head-counts by place and status, and each place's arrivals and departures, in one pass
over the population.

Arrivals and departures compare where each person stays tonight (their place if their
status is one of ``STAYING``, else -1) with where they stayed last night (``night``, a
per-person field; ``NEW`` for someone spawned since the last count). An arrival at a
place: someone staying there tonight who was not last night and who existed then. A
departure from a place: someone who stayed there last night and does not tonight.
"""

from __future__ import annotations

import numpy as np

from .jit import njit
from .status import N_STATUS

NEW = -2  # ``night`` of a person not seen by a count of flows yet (spawned since)


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


def count_with_flows(loc, status, staying, night, recount, out, arrivals, departures, changed, tonight_of,
                     commit=False):
    """One pass: head-counts into ``out`` if ``recount`` (else ``out`` is left alone), and
    today's arrivals and departures per place (zeroed here) against ``night``.

    The people whose place tonight differs from last night are listed in ``changed[:k]``, with
    tonight's place in ``tonight_of[:k]`` (-1: not staying; both as long as the population);
    ``night`` is not changed, for :func:`commit_nights`, unless ``commit`` (then it is set as
    it goes). Returns ``k``.
    """
    arrivals[:] = 0
    departures[:] = 0
    return _flows_pass(loc, status, staying, night, _EVERYONE, 0, recount, out, arrivals, departures, changed,
                       tonight_of, commit)


def flows_of_listed(loc, status, staying, night, listed, first_new, arrivals, departures, changed, tonight_of) -> None:
    """Today's arrivals and departures per place (zeroed here) from the people in ``listed``
    and those from ``first_new`` on (spawned since the last commit), the only ones whose
    place tonight may differ from last night; ``night`` is updated as it goes, so that a
    person listed twice counts once. ``changed``, ``tonight_of``: room for as many as looked at."""
    arrivals[:] = 0
    departures[:] = 0
    _flows_pass(loc, status, staying, night, listed, first_new, False, _NO_COUNTS, arrivals, departures, changed,
                tonight_of, True)


_EVERYONE = np.zeros(0, dtype=np.int64)  # with first_new 0: nobody listed, everyone from person 0
_NO_COUNTS = np.zeros((0, N_STATUS), dtype=np.int64)


@njit(inline="always")
def night_change(tonight, before):
    """The place left and the place arrived at (-1: none) by someone who stays at ``tonight``
    and stayed at ``before`` last night (-1: nowhere; ``NEW``: did not exist), the two
    being different. Plain numbers, for any kernel counting flows (no arrays handed over)."""
    return (before if before >= 0 else -1), (tonight if tonight >= 0 and before != NEW else -1)


@njit(nogil=True)
def _flows_pass(loc, status, staying, night, listed, first_new, recount, out, arrivals, departures, changed,
                tonight_of, commit):
    """The one loop behind :func:`count_with_flows` and :func:`flows_of_listed`: over the
    people in ``listed``, then everyone from ``first_new`` on, those whose night changes are
    listed in ``changed``/``tonight_of`` (room for all of them; returns how many); then, over
    that list, their flows are added to ``arrivals`` and ``departures`` (the callers zero
    them) and, if ``commit``, ``night`` is set.

    Two loops, because whether a night changes is about as often true as not, in no order a
    processor can guess: the first lists without branching on it (each written at k, kept
    only if k moves on), the second goes through the changed, who come in runs from one place
    to the same other, whose flow is kept in a register until the run ends (a count in memory
    bumped per person waits on the last bump). A person listed twice is counted once: by the
    time the second is reached, the first has committed their night."""
    if recount:
        out[:, :] = 0
    k = 0
    n_listed = listed.shape[0]
    for j in range(n_listed + loc.shape[0] - first_new):
        i = listed[j] if j < n_listed else first_new + j - n_listed
        place = loc[i]
        s = status[i]
        if recount:
            out[place, s] += 1
        tonight = place if staying[s] else -1
        changed[k] = i
        tonight_of[k] = tonight
        k += tonight != night[i]
    run_left, run_came, run_n = -1, -1, 0
    for j in range(k):
        i = changed[j]
        tonight = tonight_of[j]
        before = night[i]
        if tonight == before:  # (listed twice, committed the first time)
            continue
        left, came = night_change(tonight, before)
        if left != run_left or came != run_came:
            _add_flows(arrivals, departures, run_left, run_came, run_n)
            run_left, run_came, run_n = left, came, 0
        run_n += 1
        if commit:
            night[i] = tonight
    _add_flows(arrivals, departures, run_left, run_came, run_n)
    return k


@njit(inline="always")
def _add_flows(arrivals, departures, left, came, n):
    """A run of ``n`` people who left place ``left`` for ``came`` (-1: none)."""
    if left >= 0:
        departures[left] += n
    if came >= 0:
        arrivals[came] += n


@njit(nogil=True)
def commit_nights(night, changed, tonight_of, k):
    """Tonight becomes last night for the people :func:`count_with_flows` listed."""
    for j in range(k):
        night[changed[j]] = tonight_of[j]


class NightFlows:
    """Today's arrivals and departures per place, found in the day's counting pass.

    A count made during the day holds its flows *pending*: if nobody's place or status
    changes after it (only behaviours that do not move people step after it), they are
    the day's, and taken as they are; otherwise they are counted again at the day's end.
    """

    FIELD = "night_place"  # per person: where they stayed last night, -1 nowhere, NEW unseen

    def __init__(self, population, n_places: int, staying) -> None:
        if self.FIELD not in population.fields:
            population.add_field(self.FIELD, np.int32, NEW)
        self.staying = np.zeros(N_STATUS, dtype=np.bool_)
        self.staying[[int(s) for s in staying]] = True
        self.arrivals = np.zeros(n_places, dtype=np.int64)
        self.departures = np.zeros(n_places, dtype=np.int64)
        self._changed = np.zeros(0, dtype=np.int64)
        self._tonight = np.zeros(0, dtype=np.int32)
        self._k = 0
        self.pending = False
        self.seen = 0  # people whose ``night`` the last commit set (those spawned since are NEW)

    def _room(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """The lists of whose night changes, with room for ``n`` (pages never written cost nothing)."""
        if len(self._changed) < n:
            self._changed = np.empty(max(n, 2 * len(self._changed)), dtype=np.int64)
            self._tonight = np.empty(len(self._changed), dtype=np.int32)
        return self._changed, self._tonight

    def count(self, population, tally, recount: bool) -> None:
        """One pass: ``tally`` recounted if ``recount``, and today's flows, held pending."""
        changed, tonight = self._room(population.n)
        self._k = count_with_flows(population.loc, population.status, self.staying, population.field(self.FIELD),
                                   recount, tally, self.arrivals, self.departures, changed, tonight)
        self.pending = True

    def count_committed(self, population, tally, recount: bool) -> tuple[np.ndarray, np.ndarray]:
        """``count`` and ``commit`` at once, for the day's end: ``night`` set as the flows are
        counted (not in a pass of its own)."""
        changed, tonight = self._room(population.n)
        count_with_flows(population.loc, population.status, self.staying, population.field(self.FIELD), recount, tally,
                         self.arrivals, self.departures, changed, tonight, True)
        self.pending = False
        self.seen = population.n
        return self.arrivals, self.departures

    def commit(self, population) -> tuple[np.ndarray, np.ndarray]:
        """Take the pending flows as the day's: tonight becomes last night."""
        commit_nights(population.field(self.FIELD), self._changed, self._tonight, self._k)
        self.pending = False
        self.seen = population.n
        return self.arrivals, self.departures

    def open_for_mover(self) -> None:
        """Today's flows zeroed, for a behaviour to count those of whom it moves as it moves
        them, committing their nights (``Simulation.flows_for_mover``)."""
        self.arrivals[:] = 0
        self.departures[:] = 0

    def close_after_mover(self, population) -> tuple[np.ndarray, np.ndarray]:
        """The day's flows once a mover counted them (:meth:`open_for_mover`): the people spawned
        since the last commit, whose night it may not have set, are committed (they bring no
        flow: they were nowhere last night)."""
        changed, tonight = self._room(population.n - self.seen)
        _flows_pass(population.loc, population.status, self.staying, population.field(self.FIELD), _EVERYONE,
                    self.seen, False, _NO_COUNTS, self.arrivals, self.departures, changed, tonight, True)
        self.pending = False
        self.seen = population.n
        return self.arrivals, self.departures

    def count_listed(self, population, listed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The day's flows from the people ``listed`` as moved since the last commit (and
        those spawned since), committed at once: nobody else's place or status changed."""
        changed, tonight = self._room(len(listed) + population.n - self.seen)
        flows_of_listed(population.loc, population.status, self.staying, population.field(self.FIELD), listed,
                        self.seen, self.arrivals, self.departures, changed, tonight)
        self.pending = False
        self.seen = population.n
        return self.arrivals, self.departures
