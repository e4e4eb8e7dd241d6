"""Forks: where a caravan's assembly chooses its destination, and part of it may split off.

A caravan with ``destinations`` walks its itinerary to its last place, the first fork (and
stops there). There, and at each ``choose_at`` place it meets later, the assembly weighs each
destination it can reach by road of its modes (``RouteChoice``: distance, checks, accidents,
buses offered, shelters, port waiting) and draws one with probability proportional to
``weight x exp(utility)``. The itinerary is then the road so far plus the shortest road on
(places already passed are not gone through again). With ``split_share``, that share of the
members with the main body forms a new group towards another destination, drawn from the same
probabilities without the first. Members already ahead of the fork who are not on the new road
stay where they are, in transit (``Waiting.TRANSIT``), for a later caravan to take in.
"""

from __future__ import annotations

import numpy as np

from ...engine.roads import road_to, shortest_roads
from ...engine.status import Status
from .common import Waiting, set_status


def choice_probabilities(weights: np.ndarray, utilities: np.ndarray) -> np.ndarray:
    """Probability of each option: ``weight x exp(utility)``, normalised."""
    score = np.log(weights) + utilities
    score = np.exp(score - score.max())
    return score / score.sum()


class Forks:
    """The assemblies at forks of the caravans that have destinations to choose from."""

    def __init__(self, caravans) -> None:
        self.caravans = caravans

    def decide(self, sim, c: int, st) -> bool:
        """If the main body of caravan ``c`` reached a fork it has not decided at, choose (and
        maybe split); True if its route changed."""
        net, spec, path = sim.network, st.spec, st.path
        forks = set(spec.choose_at) | {spec.itinerary[-1]}
        due = [j for j in np.flatnonzero(path.km <= st.body)
               if net.names[path.places[j]] in forks and int(path.places[j]) not in st.decided]
        if not due:
            return False
        j = int(due[-1])
        here = int(path.places[j])
        st.decided.update(int(path.places[k]) for k in due)
        dist, pred = shortest_roads(net, spec.modes, here, path.places[:j])
        names = [d for d in spec.destinations if np.isfinite(dist[net.index(d)]) and net.index(d) != here]
        if not names:
            return False
        dests = np.array([net.index(d) for d in names])
        roads = [road_to(pred, here, d) for d in dests]
        pop = sim.population
        members = self.caravans.members(sim, c)
        with_body = members[pop.ckm[members] == st.body]
        size = max(len(with_body), 1)
        utility = self._utilities(sim, spec.choice, here, dests, dist[dests], roads, size)
        probs = choice_probabilities(np.array([spec.destinations[d] for d in names]), utility)
        rng = self.caravans.rng
        k = int(rng.choice(len(names), p=probs))
        sim.events.record(sim.day, "chose_destination", here, cause=f"{spec.name}: {names[k]}", count=len(with_body))
        if spec.choice.split_share > 0 and len(names) > 1 and st.children:
            rest = probs.copy()
            rest[k] = 0.0
            second = int(rng.choice(len(names), p=rest / rest.sum()))
            leaving = with_body[rng.random(len(with_body)) < spec.choice.split_share]
            self._split(sim, st, st.children.pop(0), j, roads[second], names[second], leaving)
        ahead = members[(pop.ckm[members] > path.km[j]) & (pop.group[members] == c)]
        st.path = path.extended(net, spec, j, roads[k])
        st.rest_legs = st.path.rest_legs(spec)  # where the legs start on the new road
        st.destination = names[k]
        self._follow(sim, c, st, ahead)
        return True

    def _utilities(self, sim, choice, here: int, dests, km, roads, size: int) -> np.ndarray:
        """U_d of each destination (``RouteChoice``)."""
        net = sim.network
        u = -choice.per_1000_km * km / 1000.0
        caravans = self.caravans
        enforcement, transport = caravans.enforcement, caravans.transport
        if choice.per_checkpoint and enforcement is not None:
            checked = np.flatnonzero((enforcement.hold > 0) | (enforcement.detain_p > 0))
            pairs = set(zip(net.src[checked].tolist(), net.dst[checked].tolist()))
            for i, road in enumerate(roads):
                stops = [here, *road.tolist()]
                u[i] -= choice.per_checkpoint * sum((a, b) in pairs for a, b in zip(stops[:-1], stops[1:]))
        if choice.per_accident:
            accidents = sim.events.total("accident")[: sim.day].sum(axis=0)
            u -= choice.per_accident * np.array([accidents[road].sum() + accidents[here] for road in roads])
        if choice.per_bus_seat and transport is not None:
            offer = transport.bus_offer(sim.day, here)
            if offer is not None:
                u += choice.per_bus_seat * np.array([offer[1] / size if offer[0] in road else 0.0 for road in roads])
        if choice.per_shelter_bed:
            aid = caravans.aid
            if aid is not None:
                u += choice.per_shelter_bed * np.log1p(aid.capacity_on(sim.day)[dests] / size)
        if choice.per_wait_day:
            papers = caravans.papers
            if papers is not None:
                pop = sim.population
                waiting = np.bincount(pop.loc[pop.status == Status.ARRIVED], minlength=net.n_places)
                per_day = np.array([(papers.ports.get(int(d), (0, None))[1] or 0) for d in dests], dtype=float)
                days = np.where(per_day > 0, waiting[dests] / np.maximum(per_day, 1.0), 0.0)
                u -= choice.per_wait_day * days
        return u

    def _split(self, sim, st, child: int, j: int, road, name: str, leaving: np.ndarray) -> None:
        """Part of the main body leaves as group ``child`` towards ``name``; it shares the road so
        far, so its members keep their km. The group keeps its name (the same in every run of an
        ensemble); its destination is in the caravan log."""
        caravans = self.caravans
        cs = caravans.states[child]
        spec = cs.spec
        cs.path = st.path.extended(sim.network, spec, j, road)
        cs.rest_legs = cs.path.rest_legs(spec)
        cs.body, cs.walked, cs.formed = st.body, st.walked, True
        cs.decided, cs.destination = set(st.decided), name
        sim.population.group[leaving] = child
        caravans.place(sim, child, leaving)
        sim.events.record(sim.day, "split", int(st.path.places[j]), cause=f"{spec.name}: {name}", count=len(leaving))

    def _follow(self, sim, c: int, st, ahead: np.ndarray) -> None:
        """Members already past the fork: on with the caravan if they are on its new road, else
        they wait where they are, in transit."""
        if not len(ahead):
            return
        pop = sim.population
        found, km = st.path.locate(pop, ahead)
        pop.ckm[ahead[found]] = km[found]
        self.caravans.place(sim, c, ahead[found])
        lost = ahead[~found]
        pop.group[lost] = -1
        set_status(sim, lost, Status.WAITING, waiting=Waiting.TRANSIT, cause="ahead on another road")

