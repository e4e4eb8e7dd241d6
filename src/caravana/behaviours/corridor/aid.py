"""Aid: where migrants sleep and what they need, per place and day.

People staying at a place (resting, waiting for papers, or arrived at the border;
not those on the road or held in a station) sleep in its shelter up to its
capacity (shelters that open and close on given days add theirs while open,
``AidSpec.openings``); the rest overflow to the plazas (``plaza``, the overflow).
Daily needs follow the head-count
and the humanitarian standards in the corridor data's ``needs_standards.csv``
(Sphere): water, food energy, covered space and toilets; the scenario's
``aid.standards`` overrides any value by name.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

import numpy as np
import pyarrow as pa

from ...engine.behaviour import Behaviour
from ...engine.network import NO_CAPACITY
from ...engine.status import STAYING
from ...results.declared import Declared, ResultArray
from ...scenario.corridor import STANDARDS_FILE, AidSpec
from .interfaces import ShelterBeds

# need -> (standard, how it scales: "per_person" x value, or "ratio" = people per unit)
NEEDS: dict[str, tuple[str, str]] = {
    "water_l": ("water_total_min", "per_person"),
    "food_kcal": ("food_energy_min", "per_person"),
    "covered_m2": ("covered_living_space_min", "per_person"),
    "toilets": ("toilet_ratio_initial", "ratio"),
}


def read_standards(path: Path = STANDARDS_FILE) -> dict[str, float]:
    """The standards in ``path`` (the file read once a process: every run's aid reads them)."""
    return dict(_standards(path))


@functools.cache
def _standards(path: Path) -> dict[str, float]:
    with path.open(encoding="utf-8", newline="") as f:
        return {row["standard"]: float(row["value"]) for row in csv.DictReader(f)}


def needs_for(present: np.ndarray, standards: dict[str, float]) -> dict[str, np.ndarray]:
    """Daily needs of ``present`` people (any shape), one array per need."""
    out = {}
    for need, (standard, scaling) in NEEDS.items():
        value = standards[standard]
        out[need] = present * value if scaling == "per_person" else np.ceil(present / value)
    return out


class Aid(Behaviour, ShelterBeds):
    name = "aid"
    keeps_counts = True  # reads them only
    moves_people = False
    declares = (Declared("needs", ("day", "place", "quantity"), "float64", "quantiles",
                         "people staying at each place (present, in shelters, in the plaza) and what they need"),)

    def __init__(self, spec: AidSpec) -> None:
        self.spec = spec

    def init(self, sim) -> None:
        net = sim.network
        self.standards = {**read_standards(), **self.spec.standards}
        capacity = np.where(net.capacity == NO_CAPACITY, 0.0, net.capacity)
        for place, beds in self.spec.shelters.items():
            capacity[net.index(place)] = beds
        self.capacity = capacity.astype(np.int64)
        self.openings = [(o, net.index(o.place)) for o in self.spec.openings]
        shape = (sim.days, net.n_places)
        self.present = np.zeros(shape, dtype=np.int64)
        self.sheltered = np.zeros(shape, dtype=np.int64)
        self.staying = [int(s) for s in STAYING]

    def capacity_on(self, day: int) -> np.ndarray:
        """Beds per place on ``day``: the places' own, plus the shelters open that day."""
        if not self.openings:
            return self.capacity
        capacity = self.capacity.copy()
        for opening, place in self.openings:
            if opening.active(day):
                capacity[place] += opening.beds
        return capacity

    @property
    def plaza(self) -> np.ndarray:
        """People sleeping outside shelters (days x places)."""
        return self.present - self.sheltered

    def needs(self) -> dict[str, np.ndarray]:
        """Daily needs, days x places: water_l, food_kcal, covered_m2, toilets."""
        return needs_for(self.present, self.standards)

    def outputs(self, sim) -> dict[str, pa.Table]:
        """Needs per place and day (long format, places with anyone present)."""
        days, places = np.nonzero(self.present[: sim.day])
        columns = {
            "day": pa.array(days.astype(np.int32)),
            "date": pa.array(np.array(sim.scenario.period.start, dtype="datetime64[D]") + days.astype("timedelta64[D]")),
            "place": pa.array([sim.network.names[p] for p in places]),
            "present": pa.array(self.present[days, places]),
            "sheltered": pa.array(self.sheltered[days, places]),
            "plaza": pa.array(self.plaza[days, places]),
        }
        for need, values in self.needs().items():
            columns[need] = pa.array(values[days, places])
        return {"needs": pa.table(columns)}

    def arrays(self, sim) -> dict[str, ResultArray]:
        """The needs table's quantities, dense over days and places (zero where nobody stays)."""
        quantities = {"present": self.present, "sheltered": self.sheltered, "plaza": self.plaza, **self.needs()}
        values = np.stack([q[: sim.day] for q in quantities.values()], axis=-1).astype(np.float64)
        return {"needs": ResultArray(self.declares[0], values, {"quantity": list(quantities)})}

    def step(self, sim) -> None:
        present = sim.place_status_counts()[:, self.staying].sum(axis=1)
        self.present[sim.day] = present
        self.sheltered[sim.day] = np.minimum(present, self.capacity_on(sim.day))
