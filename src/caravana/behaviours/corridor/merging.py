"""Merging: caravans whose main bodies sleep at the same place hold an assembly; with chance
``MergingSpec.chance`` a night they go on as one.

The caravan with more members at the place takes in every member of the other who is on
its itinerary (at one of its places, or on one of its links); their km becomes their
position on the bigger caravan's itinerary. Members elsewhere (off the shared road) stay
with the smaller caravan, which goes on with whoever is left. A group does not merge back
into the caravan it split off (nor the caravan into it). Each member keeps
``first_group``, the caravan they first travelled with, so the caravan log can say who
came from where (``caravan_origins``); a merge is logged as the event ``merged`` at the
place, with the cause "<smaller> into <bigger>". A caravan merged whole is no more: its
members who come back to the road later (a permit issued) go on with the one that took it
in, and nobody joins it any more (its ``joiners`` stop).
"""

from __future__ import annotations

import numpy as np

from ...engine.behaviour import Behaviour, Needs
from ...scenario.corridor import MergingSpec
from .interfaces import CaravanGroups


class Merging(Behaviour):
    name = "merging"
    keeps_counts = True  # head-counts kept, and whom it changed listed (common.uncount, count, spawn)
    reports_moves = True
    events = ("merged",)
    caravans = Needs(CaravanGroups)

    def __init__(self, spec: MergingSpec) -> None:
        self.spec = spec

    def init(self, sim) -> None:
        self.merges: list[tuple[int, int, int, int, int]] = []  # (day, place, from caravan, into caravan, people)

    def step(self, sim) -> None:
        at: dict[int, list[tuple[int, int, np.ndarray | None]]] = {}
        # Main bodies counted in one pass, and members listed only where two caravans meet;
        # both as they are at each caravan's turn (a sweep before it may have moved people).
        sizes = None
        for c, st in enumerate(self.caravans.states):
            if st.merged_into is not None:
                back = self.caravans.members(sim, c)
                if len(back):
                    at = self._with_members(sim, at)  # as they were before the sweep
                    if self._sweep(sim, back, st.merged_into):
                        sizes = None
                continue
            if not st.formed or sim.day < st.spec.start_day or st.body >= st.path.end:
                continue
            seg = st.path.segment_of(st.body)
            if st.path.km[seg] != st.body:
                continue  # sleeping by the road: no assembly with another caravan
            if sizes is None:
                sizes = self.caravans.body_sizes(sim)
            if sizes[c]:
                at.setdefault(int(st.path.places[seg]), []).append((int(sizes[c]), c, None))
        for place, here in at.items():
            if len(here) < 2:
                continue
            here.sort(key=lambda entry: (-entry[0], entry[1]))
            _, big, _ = here[0]
            for _, small, members in here[1:]:
                if self._kin(small, big):
                    continue  # a group that split off chose another way: no assembly to merge back
                if self.rng.random() < self.spec.chance:
                    # Members listed only for a merge (most nights two caravans meet, none merges): as
                    # a list of everyone's before any merge would give them, since a merge changes
                    # no other small caravan's members.
                    self._merge(sim, place, small, big, self.caravans.members(sim, small) if members is None else members)

    def _with_members(self, sim, at: dict) -> dict:
        """``at`` with every caravan's members filled in where not yet (one pass, if any)."""
        if not any(m is None for here in at.values() for _, _, m in here):
            return at
        roster = self.caravans.all_members(sim)
        return {place: [(n, c, roster[c] if m is None else m) for n, c, m in here] for place, here in at.items()}

    def _kin(self, a: int, b: int) -> bool:
        states = self.caravans.states
        return states[a].parent == b or states[b].parent == a

    def _merge(self, sim, place: int, small: int, big: int, members: np.ndarray) -> None:
        found = self._transfer(sim, members, big)
        names = self.caravans.specs
        moved = int(found.sum())
        sim.events.record(sim.day, "merged", place, cause=f"{names[small].name} into {names[big].name}", count=moved)
        self.merges.append((sim.day, place, small, big, moved))
        if found.all():  # nobody left on the road: the smaller caravan is no more
            st = self.caravans.states[small]
            st.merged_into, st.joiners = big, []

    def _sweep(self, sim, members: np.ndarray, big: int) -> bool:
        """Members of a caravan that merged away who are back on the road (a permit issued, a
        blockade lifted) go on with the caravan that took it in, if they are on its road.
        Whether anyone went."""
        return bool(self._transfer(sim, members, big).any())

    def _transfer(self, sim, members: np.ndarray, big: int) -> np.ndarray:
        """Members on caravan ``big``'s road become its members, at their km on it; which were."""
        pop = sim.population
        found, km = self.caravans.states[big].path.locate(pop, members)
        moving = members[found]
        pop.group[moving] = big
        pop.ckm[moving] = km[found]
        self.caravans.place(sim, big, moving)
        return found
