"""Leaving a caravan: each day some members give up. Most go home (RETURNED), the
others stay in the country they are in (SETTLED). Members whose main body is held
at a blockade give up more often (``leave_rate_held``): waiting at a closed border
is when governments offered buses home; so do, with ``leave_rate_queued``, members who
stay in the blockade's queue to be let through after the body has gone on.

With ``leavers_wait_share``, that share of the leavers stays instead, waiting where they are as
migrants in transit (``transit.py``), out of their caravan. Leavers are counted at the place
where they left the route.

Worn out by the road (``stay_behind_km``): the morning after the main body rested a day in a
town, members with it stay there in transit with a chance that rises with the km walked before
that rest (``1 - exp(-km / stay_behind_km)``): a caravan sheds people at its rest stops after
long stretches on foot (illness, exhaustion), not at a steady daily rate.

Offers (``corridor.offers``): on given days a government offers the caravans' members in a
country, or at places, buses home or a plan to stay; each member there takes it with a daily
chance (``uptake``) and leaves the caravan (RETURNED or SETTLED, the offer's name as cause).

Staying means asking (``papers.asylum.claim_when_staying``): a member who stops in the country
of the asylum offices (leaves and stays, waits in transit, or stays behind worn out) asks for
asylum there with that chance, wherever that is (any authority must pass a request on to the
asylum office), and waits for the decision (WAITING for asylum, ``claim_day`` set, logged as
``asylum_claim``) instead of settling or waiting in transit: without papers, staying means being
detained and sent back, and a request is what keeps a person there lawfully.
"""

from __future__ import annotations

import numpy as np

from ...engine.behaviour import Behaviour, Needs
from ...engine.jit import njit
from ...engine.pcg import give_state, row_streams, step_double, take_state
from ...engine.status import Status
from ...scenario.corridor import Offer
from .common import RESTING, Waiting, asylum_offices, lodge_asylum_claims, set_status, status_index
from .groups import Scratch
from .interfaces import CaravanGroups
from .states import StateLists

QUEUED = StateLists([(Status.WAITING, Waiting.BLOCKADE, None)])  # in a blockade's queue


class Returns(Behaviour):
    name = "returns"
    keeps_counts = True  # head-counts kept, and whom it changed listed (common.uncount, count, spawn)
    reports_moves = True
    events = ("waiting_in_transit", "returned", "settled", "asylum_claim")
    causes = ("left the caravan", "left the caravan, stayed", "worn out by the road")
    caravans = Needs(CaravanGroups)

    def __init__(self, offers: list[Offer] | None = None) -> None:
        self.offers = list(offers or [])

    def init(self, sim) -> None:
        self._lists = Scratch()  # who waits, reused the next day
        # Where each offer is made: a mask over places.
        net = sim.network
        country = [loc.country for loc in sim.scenario.locations]
        self._offered_at = []
        for offer in self.offers:
            at = np.zeros(net.n_places, dtype=bool)
            if offer.country is not None:
                at[[net.index(loc.name) for loc, c in zip(sim.scenario.locations, country) if c == offer.country]] = True
            else:
                at[[net.index(p) for p in offer.places]] = True
            self._offered_at.append(at)
        # Where a member who stops asks for asylum (``claim_when_staying``): the asylum offices' country.
        asylum = sim.scenario.corridor.papers.asylum
        self.claim_share = asylum.claim_when_staying
        self._claims_at = np.isin(net.country_id, net.country_id[asylum_offices(sim)])

    def step(self, sim) -> None:
        pop = sim.population
        queued = None  # every caravan's people in a blockade's queue, found when first needed
        # Everyone's caravan at once: leaving one caravan changes no other's members (nor anyone's
        # place in a queue: leavers go home, stay, or wait in transit).
        for c, (st, m) in enumerate(zip(self.caravans.states, self.caravans.all_members(sim, scratch=True))):
            if not len(m):
                continue
            spec = st.spec
            # rng.random((2, n)) (and a third row for who waits) drawn inside one pass
            # (engine.pcg): the same numbers, no per-member arrays.
            rows = 3 if spec.leavers_wait_share > 0 else 2
            streams = row_streams(self.rng, len(m), rows)
            home, stay, wait = _leavers(m, streams, spec.leave_rate, st.held, spec.leave_rate_held, st.body, pop.ckm,
                                        spec.leavers_wait_share, spec.return_share)
            give_state(self.rng, streams[rows])
            if spec.leavers_wait_share > 0:  # some stay where they are, in transit
                pop.group[wait] = -1
                wait = self._ask_asylum(sim, wait, "left the caravan")
                set_status(sim, wait, Status.WAITING, waiting=Waiting.TRANSIT, cause="left the caravan")
            set_status(sim, home, Status.RETURNED, cause="left the caravan")
            stay = self._ask_asylum(sim, stay, "left the caravan, stayed")
            set_status(sim, stay, Status.SETTLED, cause="left the caravan, stayed")
            if spec.stay_behind_km is not None and st.rested_km > 0:
                self._stay_behind(sim, st, m)
            for offer, at in zip(self.offers, self._offered_at):
                if offer.active(sim.day) and offer.uptake > 0:
                    self._take_offer(sim, offer, at, m)
            if spec.leave_rate_queued is not None:
                if queued is None:
                    (queued,) = QUEUED.find(pop, self._lists, status_index(sim))
                self._give_up_queue(sim, spec, queued[pop.group[queued] == c])

    def _stay_behind(self, sim, st, m: np.ndarray) -> None:
        """After the body's day of rest in a town, members with it (``m``: the caravan's, this
        morning) who are worn out by the km walked before it stay there, in transit."""
        pop = sim.population
        p = -np.expm1(-st.rested_km / st.spec.stay_behind_km)
        worn = resting_with_body(m, pop.status, pop.group, pop.ckm, st.body, self.rng, p)
        pop.group[worn] = -1
        worn = self._ask_asylum(sim, worn, "worn out by the road")
        set_status(sim, worn, Status.WAITING, waiting=Waiting.TRANSIT, cause="worn out by the road")

    def _ask_asylum(self, sim, stopping: np.ndarray, cause: str) -> np.ndarray:
        """Of ``stopping`` (members leaving their caravan to stay where they are), those in the asylum
        offices' country ask for asylum there with chance ``claim_when_staying`` (see the module doc);
        returns the others. No draw when the chance is 0."""
        if self.claim_share <= 0 or not len(stopping):
            return stopping
        pop = sim.population
        asks = self._claims_at[pop.loc[stopping]]
        asks[asks] = self.rng.random(int(asks.sum())) < self.claim_share
        claimants = stopping[asks]
        pop.group[claimants] = -1
        lodge_asylum_claims(sim, claimants, cause=cause)
        return stopping[~asks]

    def _take_offer(self, sim, offer: Offer, at: np.ndarray, m: np.ndarray) -> None:
        """Members (``m``: the caravan's this morning) still with it at a place of the offer take it
        with chance ``uptake``."""
        pop = sim.population
        took = on_the_move_at(m, pop.status, pop.group, pop.loc, at, self.rng, offer.uptake)
        status = Status.RETURNED if offer.outcome == "returned" else Status.SETTLED
        set_status(sim, took, status, cause=offer.name)

    def _give_up_queue(self, sim, spec, queued: np.ndarray) -> None:
        """A caravan's people waiting in a blockade's queue (``queued``) give up at
        ``leave_rate_queued``, home or staying as other leavers."""
        if not len(queued):
            return
        u = self.rng.random((2, len(queued)))
        leave = u[0] < spec.leave_rate_queued
        home = u[1] < spec.return_share
        set_status(sim, queued[leave & home], Status.RETURNED, cause="left the caravan")
        set_status(sim, queued[leave & ~home], Status.SETTLED, cause="left the caravan, stayed")


# Each of those found takes a chance: ``found[rng.random(len(found)) < p]``, the draws made in the
# pass that finds them (``engine.pcg``: the same numbers, one per person found, in order), without
# the list of everyone found, the list of draws and the mask (millions, when a caravan rests).

def resting_with_body(m: np.ndarray, status, group, ckm, body, rng: np.random.Generator, p: float) -> np.ndarray:
    """Those of ``m`` resting, in a group, at km ``body``, in order, each kept with chance ``p``:
    ``found[rng.random(len(found)) < p]`` of ``found = m[(status[m] == RESTING) & (group[m] >= 0)
    & (ckm[m] == body)]``, in one pass."""
    out = np.empty(len(m), dtype=np.int64)  # (pages never written cost nothing)
    state = take_state(rng)
    k = _resting_with_body(m, status, group, ckm, ckm.dtype.type(body), state, p, out)
    give_state(rng, state)
    return out[:k]


def on_the_move_at(m: np.ndarray, status, group, loc, at, rng: np.random.Generator, p: float) -> np.ndarray:
    """Those of ``m`` on the move (resting or travelling), in a group, at a place marked in ``at``, in
    order, each kept with chance ``p``: ``found[rng.random(len(found)) < p]`` of ``found = m[(group[m]
    >= 0) & ((status[m] == RESTING) | (status[m] == TRAVELLING)) & at[loc[m]]]``, in one pass."""
    out = np.empty(len(m), dtype=np.int64)
    state = take_state(rng)
    k = _on_the_move_at(m, status, group, loc, at, state, p, out)
    give_state(rng, state)
    return out[:k]


@njit(nogil=True)
def _on_the_move_at(m, status, group, loc, at, state, p, out):
    hi, lo, inc_hi, inc_lo = state[0], state[1], state[2], state[3]
    k = 0
    for j in range(m.shape[0]):
        i = m[j]
        if (np.uint8(status[i]) <= np.uint8(1)) & (group[i] >= 0) & at[loc[i]]:  # RESTING 0, TRAVELLING 1
            hi, lo, u = step_double(hi, lo, inc_hi, inc_lo)
            out[k] = i  # kept only if k moves on
            k += u < p
    state[0], state[1] = hi, lo
    return k


@njit(nogil=True)
def _resting_with_body(m, status, group, ckm, body, state, p, out):
    hi, lo, inc_hi, inc_lo = state[0], state[1], state[2], state[3]
    k = 0
    for j in range(m.shape[0]):
        i = m[j]
        if (status[i] == RESTING) & (group[i] >= 0) & (ckm[i] == body):
            hi, lo, u = step_double(hi, lo, inc_hi, inc_lo)
            out[k] = i  # kept only if k moves on
            k += u < p
    state[0], state[1] = hi, lo
    return k



@njit(nogil=True)
def _leavers(m, streams, rate, held, held_rate, body, ckm, wait_share, return_share):
    """Members ``m`` who leave today, in one pass: each leaves if ``u0 < rate`` (``held_rate``
    for those with the main body, ``body`` km, while it is ``held``); of the leavers, those
    with ``u2 < wait_share`` wait in transit, the others go home if ``u1 < return_share``,
    else stay. ``u0``, ``u1``, ``u2``: rows 0, 1, 2 of ``rng.random((rows, len(m)))``, drawn
    from ``streams`` (``pcg.row_streams``; row 2 only if ``wait_share > 0``). Returns
    (home, stay, wait), ascending."""
    n = m.shape[0]
    home = np.empty(n, dtype=np.int64)
    stay = np.empty(n, dtype=np.int64)
    wait = np.empty(n, dtype=np.int64)
    n_home = n_stay = n_wait = 0
    inc_hi, inc_lo = streams[0, 2], streams[0, 3]
    hi0, lo0, hi1, lo1, hi2, lo2 = streams[0, 0], streams[0, 1], streams[1, 0], streams[1, 1], streams[2, 0], streams[2, 1]
    u2 = 1.0
    for j in range(n):
        hi0, lo0, u0 = step_double(hi0, lo0, inc_hi, inc_lo)
        hi1, lo1, u1 = step_double(hi1, lo1, inc_hi, inc_lo)
        if wait_share > 0:
            hi2, lo2, u2 = step_double(hi2, lo2, inc_hi, inc_lo)
        i = m[j]
        if u0 < (held_rate if held and ckm[i] == body else rate):
            if wait_share > 0 and u2 < wait_share:
                wait[n_wait] = i
                n_wait += 1
            elif u1 < return_share:
                home[n_home] = i
                n_home += 1
            else:
                stay[n_stay] = i
                n_stay += 1
    return home[:n_home], stay[:n_stay], wait[:n_wait]
