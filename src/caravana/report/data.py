"""The numbers a report draws, from a single run or an ensemble, in one shape: bands.

A band is P5, P25, P50, P75, P95 and the mean of a series over an ensemble's members
(:mod:`caravana.results.bands`). A single run is an ensemble of one: each of its
bands has every quantile equal to the run's own value, so every figure has one code
path. Missing rows in a long table mean zero people (both writers leave them out).
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..catalogue import CatalogueError, results_from_folder
from ..engine.itinerary import along
from ..engine.status import STATUS_NAMES, STAYING
from ..i18n import N_
from ..metrics import STATUSES
from ..observations import Quantity
from ..results.bands import STAT_COLUMNS, one_run, summarise
from ..results.reader import Bands, ResultsFolder, all_values, member_files, read_bands, read_member_counts


def _names(statuses) -> tuple[str, ...]:
    return tuple(STATUS_NAMES[int(s)] for s in statuses)


STAYING_NAMES = _names(STAYING)  # people sleeping at a place (aid's rule), for the map


@dataclass(frozen=True)
class Measure:
    """What a place's chart counts: an observable quantity (:mod:`caravana.metrics`), so
    that reports of that quantity can be drawn on it."""

    quantity: Quantity
    label: str

    @property
    def statuses(self) -> tuple[str, ...]:
        return _names(STATUSES[self.quantity])


CAMP = Measure(Quantity.camp, N_("people resting at the place (Flee's camp count)"))
PRESENT = Measure(Quantity.present, N_("people at the place or on the road leaving it, not held and not yet arrived at the border"))


@dataclass(frozen=True)
class Band:
    p5: np.ndarray
    p25: np.ndarray
    p50: np.ndarray
    p75: np.ndarray
    p95: np.ndarray
    mean: np.ndarray

    @classmethod
    def exact(cls, values) -> Band:
        """A single run's values: an ensemble of one."""
        return cls(*one_run(values))

    @classmethod
    def from_columns(cls, columns: dict[str, np.ndarray]) -> Band:
        return cls(*(np.asarray(columns[name], dtype=np.float64) for name in STAT_COLUMNS))

    @property
    def has_spread(self) -> bool:
        return not np.allclose(np.nan_to_num(self.p5), np.nan_to_num(self.p95))

    def __getitem__(self, index) -> Band:
        return Band(*(getattr(self, name)[index] for name in STAT_COLUMNS))


def _where(table: pa.Table, **equal: str) -> pa.Table:
    mask = None
    for column, value in equal.items():
        m = pc.equal(table[column].cast(pa.string()), value)
        mask = m if mask is None else pc.and_(mask, m)
    return table.filter(mask)


def _strings(table: pa.Table, column: str) -> list[str]:
    return table[column].cast(pa.string()).to_pylist()


class ReportData(ABC):
    """What every figure asks of a result folder. ``kind``: "run" or "ensemble"."""

    kind: str
    members: int
    weights: np.ndarray | None = None  # per member (a forecast's weighted posterior); None: alike
    start: dt.date
    days: int
    places: tuple[str, ...]
    metadata: dict

    def __init__(self, folder: ResultsFolder) -> None:
        self.folder = folder
        self.metadata = folder.metadata

    @property
    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=d) for d in range(self.days)]

    @property
    def scenario_name(self) -> str:
        return str(self.metadata.get("scenario", "?"))

    # Implemented by each kind ----------------------------------------------------
    @abstractmethod
    def place_bands(self, measure: Measure) -> Band:
        """(days, places) bands of the people in the measure's statuses."""

    @abstractmethod
    def member_counts(self) -> np.ndarray:
        """(members, days, places, statuses) every member's own counts (a run: one member)."""

    def member_staying(self) -> np.ndarray:
        """(members, days, places) people staying (resting, waiting, arrived) in each member:
        a place's figures over members (its peak, its people-days) come from these series."""
        return self.member_counts()[..., [STATUS_NAMES.index(s) for s in STAYING_NAMES]].sum(axis=-1)

    @abstractmethod
    def staying_on(self, day: int) -> dict[str, float]:
        """People sleeping at each place at the end of ``day`` (an ensemble: the mean)."""

    @abstractmethod
    def totals_by_status(self) -> dict[str, np.ndarray]:
        """People in each status, every day, all places together (an ensemble: the mean)."""

    @abstractmethod
    def outcomes(self) -> dict[str, Band]:
        """People in each status at the end."""

    # Shared ------------------------------------------------------------------------
    def _declared(self, name: str) -> Bands | None:
        """A declared result as bands (a run: its values), or None if the folder has none."""
        if name not in self.folder.arrays():
            return None
        return read_bands(self.folder, name, self.days, self.places)

    @cached_property
    def _caravans(self) -> Bands | None:
        return self._declared("caravans")

    @cached_property
    def _needs(self) -> Bands | None:
        return self._declared("needs")

    def caravan_names(self) -> list[str]:
        return [] if self._caravans is None else list(self._caravans.labels["caravan"])

    def caravan(self, name: str, quantity: str) -> Band:
        """A quantity of the caravan log (size, head_km...) over days; NaN before it forms."""
        log = self._caravans
        if log is None:
            raise KeyError("no caravans in these results")
        return Band(*log.values[:, :, log.label_index("caravan", name), log.label_index("quantity", quantity)])

    def caravan_centre_path(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Latitude and longitude of the caravan's (median) centre, every day, on its road
        as the folder's world has it; NaN before it forms or without a world."""
        road = ((self.folder.world or {}).get("itineraries") or {}).get(name)
        centre = self.caravan(name, "centre_km").p50
        lat, lon = np.full(self.days, np.nan), np.full(self.days, np.nan)
        if road is None:
            return lat, lon
        known = ~np.isnan(centre)
        lat[known], lon[known] = along(np.asarray(road["km"], dtype=np.float64), road["lat"], road["lon"], centre[known])
        return lat, lon

    def has_needs(self) -> bool:
        return self._needs is not None and bool(np.nanmax(self._needs.values, initial=0.0) > 0)

    def needs(self, place: str, quantity: str) -> Band:
        """A needs quantity (present, water_l...) at a place over days."""
        needs = self._needs
        if needs is None:
            raise KeyError("no needs in these results")
        return Band(*needs.values[:, :, self.places.index(place), needs.label_index("quantity", quantity)])

    def needs_peaks(self) -> dict[str, float]:
        """Most people (median) staying at each place on any day (places where anyone stayed)."""
        if not self.has_needs():
            return {}
        needs = self._needs
        assert needs is not None
        present = needs.values[2, :, :, needs.label_index("quantity", "present")]  # P50, (days, places)
        return {p: float(present[:, i].max()) for i, p in enumerate(self.places) if present[:, i].any()}

    def busiest_places(self, bands: Band, n: int, first: tuple[str, ...] = ()) -> list[str]:
        """Up to ``n`` places to chart: those in ``first`` then the highest median peaks."""
        peaks = np.nanmax(bands.p50, axis=0)
        ranked = [p for i, p in enumerate(self.places) if peaks[i] > 0 or p in first]
        ranked.sort(key=lambda p: (p not in first, -peaks[self.places.index(p)], p))
        return ranked[:n]

    def busiest_shelters(self, n: int) -> list[str]:
        peaks = self.needs_peaks()
        return sorted((p for p in peaks if peaks[p] > 0), key=lambda p: (-peaks[p], p))[:n]


class RunData(ReportData):
    kind = "run"
    members = 1

    def __init__(self, folder: ResultsFolder) -> None:
        super().__init__(folder)
        self.results = results_from_folder(folder)
        self.start, self.days, self.places = self.results.start, self.results.days, self.results.places

    def place_bands(self, measure: Measure) -> Band:
        index = [STATUS_NAMES.index(s) for s in measure.statuses]
        return Band.exact(self.results.counts[:, :, index].sum(axis=2))

    def member_counts(self) -> np.ndarray:
        return self.results.counts[None]

    def staying_on(self, day: int) -> dict[str, float]:
        staying = self.results.counts[day][:, [STATUS_NAMES.index(s) for s in STAYING_NAMES]].sum(axis=1)
        return {p: float(n) for p, n in zip(self.places, staying)}

    def totals_by_status(self) -> dict[str, np.ndarray]:
        totals = self.results.totals_by_status()
        return {s: totals[:, i].astype(np.float64) for i, s in enumerate(STATUS_NAMES)}

    def outcomes(self) -> dict[str, Band]:
        return {s: Band.exact(v[-1]) for s, v in self.totals_by_status().items()}


class EnsembleData(ReportData):
    """From the ensemble's reduced tables (:mod:`caravana.ensemble.store`): quantiles by
    place and status, and when present, of caravan positions, of needs, of outcomes."""

    kind = "ensemble"

    def __init__(self, folder: ResultsFolder) -> None:
        super().__init__(folder)
        self.members = int(self.metadata.get("members", 0)) or len(list((folder.path / "members").glob("member=*")))
        self.weights = folder.member_weights
        self._quantiles = folder.read_table("quantiles")
        self.days = int(self.metadata.get("days") or pc.max(self._quantiles["day"]).as_py() + 1)
        first = self._quantiles.slice(0, 1).to_pylist()[0]
        self.start = first["date"] - dt.timedelta(days=first["day"])
        self.places = tuple(all_values(self._quantiles["place"]))
        self._outcomes = folder.read_table("outcome_quantiles") if folder.has_table("outcome_quantiles") else None

    def place_bands(self, measure: Measure) -> Band:
        """One status: straight from ``quantiles.parquet``. Several: quantiles of their sum
        over the members' own counts (a sum of quantiles is not a quantile of the sum)."""
        if len(measure.statuses) == 1:
            q = _where(self._quantiles, status=measure.statuses[0])
            stats = np.zeros((len(STAT_COLUMNS), self.days, len(self.places)))
            place = np.array([self.places.index(p) for p in _strings(q, "place")], dtype=np.int64)
            for i, c in enumerate(STAT_COLUMNS):
                stats[i, q["day"].to_numpy(), place] = q[c].to_numpy(zero_copy_only=False)
            return Band(*stats)
        index = [STATUS_NAMES.index(s) for s in measure.statuses]
        return Band(*summarise(self.member_counts()[..., index].sum(axis=-1), weights=self.weights))

    @cached_property
    def _members(self) -> np.ndarray:
        files = member_files(self.folder)
        if not files:
            raise CatalogueError(f"{self.folder.path}: no members/member=NNNN/counts.parquet to take quantiles over")
        return read_member_counts(files, self.days, list(self.places))

    def member_counts(self) -> np.ndarray:
        """(members, days, places, statuses) from ``members/member=NNNN/counts.parquet`` (read once)."""
        return self._members

    @cached_property
    def _mean_by_day_place_status(self) -> pa.Table:
        return self._quantiles.select(["day", "place", "status", "mean"])

    def staying_on(self, day: int) -> dict[str, float]:
        """The mean over members (a sum of per-status means is the mean of the sum)."""
        q = self._mean_by_day_place_status
        today = q.filter(
            pc.and_(pc.equal(q["day"], day), pc.is_in(q["status"].cast(pa.string()), pa.array(STAYING_NAMES)))
        )
        out = dict.fromkeys(self.places, 0.0)
        for place, mean in zip(_strings(today, "place"), today["mean"].to_pylist()):
            out[place] += mean
        return out

    def totals_by_status(self) -> dict[str, np.ndarray]:
        """Mean over members of the people in each status, every day."""
        q = self._mean_by_day_place_status
        out = {s: np.zeros(self.days) for s in STATUS_NAMES}
        for day, status, mean in zip(q["day"].to_numpy(), _strings(q, "status"), q["mean"].to_numpy()):
            out[status][day] += mean
        return out

    def outcomes(self) -> dict[str, Band]:
        if self._outcomes is None:  # the mean is still exact; no spread without the members' totals
            return {s: Band.exact(v[-1]) for s, v in self.totals_by_status().items()}
        finals = _where(self._outcomes, outcome="final_count")
        rows = finals.to_pylist()
        return {r["status"]: Band.from_columns({c: r[c] for c in STAT_COLUMNS}) for r in rows}


def report_data(folder: ResultsFolder) -> ReportData:
    return EnsembleData(folder) if folder.kind == "ensemble" else RunData(folder)
