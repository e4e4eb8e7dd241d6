"""How far a run is from what was observed: one home for every error measure.

Validation, calibration and assimilation all score runs here.

Simulated counterparts (``simulated_value``), at the end of the observation's day:

- counts of people by status, at the row's place, in its country (all places whose
  ``country`` is the code) or everywhere (no place); people on a road count at the
  place the road leaves from:

  ============== ==============================================================
  present        not in a final status and not held: resting, travelling,
                 waiting or arrived at the border. People held in a migration
                 station are left out: a report of the people at a place counts
                 the town's shelters, plazas and streets, and the held are their
                 own quantity (``detained``), so no one is counted in both
  camp           resting at the place (Flee's camp head-count)
  detained       held in a migration station
  crossed        crossed into the US (cumulative: a final status)
  returned       went home, by choice or deported (cumulative)
  deported       deported (cumulative)
  settled        stayed in a transit country (cumulative)
  dead           died on the way (cumulative)
  ============== ==============================================================

- ``asylum_requests``: asylum claims made up to and including the day (the run's
  ``asylum_claim`` and ``admitted_to_claim`` events: at an office, or let through a
  blockade to claim), at the place, in the country or everywhere;
- ``arrivals``: people who came from elsewhere to stay at the place (a night there), up to
  and including the day (the run's declared ``arrivals`` array, ``behaviours/flows.py``):
  what a shelter that registers everyone who comes reports;
- ``caravan_size``: people travelling with the caravan (``caravans`` table ``size``);
- ``arrived`` / ``departed``: the day number of the first day on which the centre of
  the caravan (the median member's km along its route, ``caravans`` table
  ``centre_km``) is at or past / beyond the place's km on the route; NaN when that
  never happens within the run.

Errors, one per observation (``observation_errors``):

- a count with a range [low, high] (low/high default to the value) is wrong only
  outside it, by the relative distance to the nearer bound:
  ``(low - sim) / low`` below, ``(sim - high) / high`` above (bounds below 1 count as 1);
- an arrival or departure: simulated day minus observed day (signed); a run that
  never gets there counts as getting there the day after it ends;
- a ``camp`` row: ``|sim - obs| / max(observed total in camps that day, 1)``, its
  term of Flee's averaged relative difference, so the ARD over camp rows is their
  sum divided by the number of days.

The scalar ``loss`` adds the ARD over camp rows (if any) to the mean score of the
other rows, where a count scores its error and a day scores ``day_weight`` x |days|
(by default 0.25 a day: one day late weighs as a count 25% off).

The ``log_likelihood`` (for particle filters) assumes reports scatter around the
truth: a count is log-normal outside its range, flat inside it; a day is Gaussian.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa

from .engine.status import Status
from .errors import CaravanaError
from .flee.validation import averaged_relative_difference  # noqa: F401  (Flee's measure, with the others)
from .observations import Observation, Observations, Quantity, ScenarioContext
from .results.results import Results

PRESENT = (Status.RESTING, Status.TRAVELLING, Status.WAITING, Status.ARRIVED)

STATUSES: dict[Quantity, tuple[Status, ...]] = {
    Quantity.present: PRESENT,
    Quantity.camp: (Status.RESTING,),
    Quantity.detained: (Status.DETAINED,),
    Quantity.crossed: (Status.CROSSED,),
    Quantity.returned: (Status.RETURNED, Status.DEPORTED),
    Quantity.deported: (Status.DEPORTED,),
    Quantity.settled: (Status.SETTLED,),
    Quantity.dead: (Status.DEAD,),
}
# Asylum is asked at an office (papers) or by people let through a blockade to claim it (enforcement).
EVENTS: dict[Quantity, tuple[str, ...]] = {Quantity.asylum_requests: ("asylum_claim", "admitted_to_claim")}
KM_TOLERANCE = 1e-3  # km positions are float32
DAY_WEIGHT = 0.25  # loss per day of arrival error: one day off weighs as a count 25% off


# ---------------------------------------------------------------- simulated counterparts


class _RunView:
    """One run's results read the way observations need them (computed once per run)."""

    def __init__(self, results: Results, context: ScenarioContext | None) -> None:
        self.results = results
        self.context = context
        self.place_of = {name: i for i, name in enumerate(results.places)}

    def day(self, date: dt.date) -> int:
        day = (date - self.results.start).days
        if not 0 <= day < self.results.days:
            end = self.results.dates[-1]
            raise CaravanaError(f"an observation of {date} is outside the run ({self.results.start} to {end})")
        return day

    def places(self, place: str | None) -> np.ndarray | slice:
        """Place indices for a row's place: one place, a country's places, or all."""
        if place is None:
            return slice(None)
        if place in self.place_of:
            return np.array([self.place_of[place]])
        if self.context is not None and place in set(self.context.countries.values()):
            return np.array([self.place_of[p] for p, c in self.context.countries.items() if c == place and p in self.place_of])
        raise CaravanaError(f"no place '{place}' in the run's results (check the observations against the scenario)")

    @cached_property
    def events(self) -> dict[str, np.ndarray]:
        """event -> (days, places) counts, from the run's events table."""
        table = self.results.tables.get("events")
        if table is None:
            return {}
        out: dict[str, np.ndarray] = {}
        shape = (self.results.days, len(self.results.places))
        days = table.column("day").to_numpy()
        places = np.array([self.place_of[p] for p in table.column("place").to_pylist()], dtype=np.int64)
        counts = table.column("count").to_numpy()
        events = np.array(table.column("event").to_pylist(), dtype=object)
        for name in set(events):
            mask = events == name
            grid = out[name] = np.zeros(shape, dtype=np.int64)
            np.add.at(grid, (days[mask], places[mask]), counts[mask])
        return out

    @cached_property
    def caravans(self) -> dict[str, dict[str, np.ndarray]]:
        """caravan -> {"size", "arrived", "centre_km": (days,)} from the caravans table (NaN km: not formed)."""
        table = self.results.tables.get("caravans")
        if table is None:
            return {}
        names = np.array(table.column("caravan").to_pylist(), dtype=object)
        days = table.column("day").to_numpy()
        out: dict[str, dict] = {}
        for name in dict.fromkeys(names):
            mine = names == name
            series = out[name] = {"size": np.zeros(self.results.days), "arrived": np.zeros(self.results.days),
                                  "centre_km": np.full(self.results.days, np.nan)}
            series["size"][days[mine]] = table.column("size").to_numpy()[mine]
            if "arrived" in table.column_names:
                series["arrived"][days[mine]] = table.column("arrived").to_numpy()[mine]
            series["centre_km"][days[mine]] = table.column("centre_km").to_numpy(zero_copy_only=False)[mine]
        return out

    def caravan(self, name: str | None) -> dict:
        if not self.caravans:
            raise CaravanaError("the run has no caravans table, so caravan observations cannot be scored")
        name = name or next(iter(self.caravans))
        if name not in self.caravans:
            raise CaravanaError(f"no caravan '{name}' in the run")
        return self.caravans[name]

    def route(self, name: str | None) -> dict[str, float]:
        if self.context is None or not self.context.routes:
            raise CaravanaError("arrival and departure days need the caravan's route: check the observations against the scenario")
        return self.context.routes[name or next(iter(self.context.routes))]

    def value(self, obs: Observation) -> float:
        q = obs.quantity
        if q in (Quantity.arrived, Quantity.departed):
            return self.passing_day(obs)
        day = self.day(obs.date)
        if q == Quantity.caravan_size:
            return float(self.caravan(obs.caravan)["size"][day])
        if q in STATUSES:
            counts = self.results.counts[day][self.places(obs.place)]
            return float(counts[:, [int(s) for s in STATUSES[q]]].sum())
        if q == Quantity.arrivals:
            if "arrivals" not in self.results.arrays:
                raise CaravanaError("'arrivals' are counted from the run's declared arrivals, and this run has none")
            return float(self.results.arrays["arrivals"].values[day][self.places(obs.place)].sum())
        if q in EVENTS:
            if "events" not in self.results.tables:
                raise CaravanaError(f"'{q}' is counted from the run's events table, and this run has none")
            where = self.places(obs.place)
            return float(sum(self.events[e][: day + 1][:, where].sum() for e in EVENTS[q] if e in self.events))
        raise CaravanaError(f"no simulated counterpart for '{q}'")  # a new Quantity without one

    def passing_day(self, obs: Observation) -> float:
        """First day the caravan's centre is at (arrived) or beyond (departed) the place."""
        assert obs.place is not None  # arrivals and departures name a place (checked on reading)
        km = self.route(obs.caravan)[obs.place]
        centre = self.caravan(obs.caravan)["centre_km"]
        with np.errstate(invalid="ignore"):  # NaN before the caravan forms: not there
            passed = centre >= km - KM_TOLERANCE if obs.quantity == Quantity.arrived else centre > km + KM_TOLERANCE
        hits = np.flatnonzero(passed)
        return float(hits[0]) if len(hits) else np.nan


def simulated_value(results: Results, observation: Observation, context: ScenarioContext | None = None) -> float:
    """The run's counterpart of one observation (a count, or a day number for arrived/departed)."""
    return _RunView(results, context).value(observation)


def by_place(results: Results, quantity: Quantity, date: dt.date) -> np.ndarray:
    """The run's counterpart of a report of ``quantity`` (a status or an event count, not a
    caravan's) at every place on ``date``, one value per place, as ``simulated_value``
    reads it at each place; their sum is its value everywhere. One pass for all places."""
    view = _RunView(results, None)
    day = view.day(date)
    if quantity in STATUSES:
        return results.counts[day][:, [int(s) for s in STATUSES[quantity]]].sum(axis=1).astype(np.float64)
    if quantity in EVENTS:
        out = np.zeros(len(results.places))
        for event in EVENTS[quantity]:
            if event in view.events:
                out += view.events[event][: day + 1].sum(axis=0)
        return out
    raise ValueError(f"'{quantity}' is not counted per place")


def simulated_values(results: Results, observations: Observations) -> np.ndarray:
    """The run's counterpart of every observation, in order (float64; NaN: never reached)."""
    view = _RunView(results, observations.context)
    return np.array([view.value(obs) for obs in observations], dtype=np.float64)


# ---------------------------------------------------------------- a caravan's course


DISPERSED_SHARE = 0.1  # a caravan is over when fewer than this share of its peak walk with it


def caravan_end_day(results: Results, caravan: str | None = None, share: float = DISPERSED_SHARE) -> float:
    """The day a caravan ends: the first day, after its peak, on which fewer than ``share``
    of its peak membership travel with it (dispersed, stopped, gone home), or the first
    day at least as many of its people are at its destination (``caravans`` table
    ``arrived``) as on the road. NaN when it is still going at the end of the run."""
    series = _RunView(results, None).caravan(caravan)
    size, arrived = series["size"], series["arrived"]
    if not (size.max() > 0):
        return np.nan
    peak_day = int(np.argmax(size))
    low = np.flatnonzero(size[peak_day:] < share * size.max())
    done = np.flatnonzero((arrived > 0) & (arrived >= size))
    days = [peak_day + int(low[0])] if len(low) else []
    days += [int(done[0])] if len(done) else []
    return float(min(days)) if days else np.nan


def caravan_furthest_km(results: Results, caravan: str | None = None, until_day: float | None = None) -> float:
    """The furthest km along its route that a caravan's centre (its median member) reached,
    up to and including ``until_day`` (default: the whole run); 0 if it never formed."""
    centre = _RunView(results, None).caravan(caravan)["centre_km"]
    if until_day is not None and np.isfinite(until_day):
        centre = centre[: int(until_day) + 1]
    return float(np.nanmax(centre)) if np.isfinite(centre).any() else 0.0



def course_error(furthest_km: float, end_day: float, recorded_km: float, recorded_days: float | None,
                 days: int, km_floor: float = 50.0, day_floor: float = 3.0) -> float:
    """How far a replayed caravan's course is from the record: |log| ratio of the furthest
    km (+ ``km_floor``) plus, when the record has an end, |log| ratio of the duration in
    days (+ ``day_floor``; still going at the end of the run counts as ``days``). Ratios
    weigh a caravan stopped at 40 km and one that crossed Mexico alike; the floors keep
    a few km or days from counting as a huge error."""
    error = abs(np.log((furthest_km + km_floor) / (recorded_km + km_floor)))
    if recorded_days is not None:
        end = float(day_error(np.array(end_day), 0.0, days))
        error += abs(np.log((end + day_floor) / (recorded_days + day_floor)))
    return float(error)

# ---------------------------------------------------------------- errors


def count_error(simulated, low, high) -> np.ndarray:
    """Relative distance from the range [low, high]; 0 inside it."""
    simulated, low, high = (np.asarray(a, dtype=np.float64) for a in (simulated, low, high))
    below = (low - simulated) / np.maximum(low, 1.0)
    above = (simulated - high) / np.maximum(high, 1.0)
    return np.where(simulated < low, below, np.where(simulated > high, above, 0.0))


def day_error(simulated_day, observed_day, days: int) -> np.ndarray:
    """Simulated minus observed day; never reached within ``days`` counts as day ``days``."""
    simulated_day = np.where(np.isnan(simulated_day), float(days), simulated_day)
    return simulated_day - np.asarray(observed_day, dtype=np.float64)


@dataclass(frozen=True)
class _Arrays:
    """Observations as arrays, for scoring many runs against them."""

    observed: np.ndarray  # count, or day number for day rows
    low: np.ndarray
    high: np.ndarray
    is_day: np.ndarray
    is_camp: np.ndarray
    camp_date: np.ndarray  # index of the row's date among camp dates (-1: not a camp row)
    camp_total: np.ndarray  # observed total in camps on the row's date

    @classmethod
    def of(cls, observations: Observations, start: dt.date) -> _Arrays:
        rows = observations.rows
        is_day = np.array([not r.is_count for r in rows], dtype=bool)
        observed = np.array([(r.date - start).days if not r.is_count else r.value for r in rows], dtype=np.float64)
        bounds = np.array([r.bounds if r.is_count else (np.nan, np.nan) for r in rows], dtype=np.float64).reshape(-1, 2)
        is_camp = np.array([r.quantity == Quantity.camp for r in rows], dtype=bool)
        dates = sorted({r.date for r in rows if r.quantity == Quantity.camp})
        index = {d: i for i, d in enumerate(dates)}
        camp_date = np.array([index[r.date] if c else -1 for r, c in zip(rows, is_camp)], dtype=np.int64)
        totals = np.zeros(len(dates))
        np.add.at(totals, camp_date[is_camp], observed[is_camp])
        camp_total = np.where(is_camp, totals[np.maximum(camp_date, 0)] if len(dates) else 0.0, np.nan)
        return cls(observed, bounds[:, 0], bounds[:, 1], is_day, is_camp, camp_date, camp_total)

    @property
    def camp_days(self) -> int:
        return int(self.camp_date.max()) + 1 if self.is_camp.any() else 0


def _errors(arrays: _Arrays, simulated: np.ndarray, days: int, day_weight: float) -> tuple[np.ndarray, np.ndarray]:
    """(error, score) per observation; ``simulated`` may have leading axes (seeds...)."""
    a = arrays
    by_count = count_error(simulated, a.low, a.high)
    by_day = day_error(simulated, a.observed, days)
    by_camp = np.abs(simulated - a.observed) / np.maximum(np.nan_to_num(a.camp_total), 1.0)
    error = np.where(a.is_day, by_day, np.where(a.is_camp, by_camp, by_count))
    score = np.where(a.is_day, np.abs(by_day) * day_weight, error)
    return error, score


def _loss(arrays: _Arrays, score: np.ndarray) -> np.ndarray:
    """ARD over camp rows plus the mean score of the other rows (over the last axis)."""
    other = ~arrays.is_camp
    total = np.zeros(score.shape[:-1])
    if arrays.is_camp.any():
        total = total + score[..., arrays.is_camp].sum(axis=-1) / arrays.camp_days
    if other.any():
        total = total + score[..., other].mean(axis=-1)
    return total


class Scorer:
    """Scores simulated values (one run's, or seeds x observations) against observations.

    Calibration and assimilation get the simulated values from worker processes
    (:func:`simulated_values`) and score them here, without shipping whole results.
    """

    def __init__(self, observations: Observations, start: dt.date, days: int, day_weight: float = DAY_WEIGHT):
        if not len(observations):
            raise CaravanaError("no observations to score against")
        self.observations = observations
        self.start = start
        self.days = days
        self.day_weight = day_weight
        self.arrays = _Arrays.of(observations, start)

    def errors(self, simulated: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _errors(self.arrays, np.asarray(simulated, dtype=np.float64), self.days, self.day_weight)

    def loss(self, simulated: np.ndarray) -> np.ndarray | float:
        """Loss of each run (rows of ``simulated``), or of the one run."""
        loss = _loss(self.arrays, self.errors(simulated)[1])
        return float(loss) if np.ndim(loss) == 0 else loss

    def table(self, simulated: np.ndarray) -> pa.Table:
        """One row per observation: its description, the simulated value (mean over
        runs when ``simulated`` has one row per run), observed, low, high, error and
        score (means over runs)."""
        simulated = np.atleast_2d(np.asarray(simulated, dtype=np.float64))
        error, score = self.errors(simulated)
        a, rows = self.arrays, self.observations.rows
        with warnings.catch_warnings():  # never reached in any run: the mean stays NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            mean_sim = np.nanmean(simulated, axis=0)
        reached = (~np.isnan(simulated)).mean(axis=0)
        return pa.table(
            {
                "row": pa.array([r.row for r in rows], pa.int32()),
                "date": pa.array([r.date for r in rows], pa.date32()),
                "place": pa.array([r.place for r in rows], pa.string()),
                "quantity": pa.array([str(r.quantity) for r in rows], pa.string()),
                "caravan": pa.array([r.caravan for r in rows], pa.string()),
                "unit": pa.array(["day" if d else "people" for d in a.is_day], pa.string()),
                "simulated": pa.array(mean_sim),
                "reached": pa.array(reached),
                "observed": pa.array(a.observed),
                "low": pa.array(a.low),
                "high": pa.array(a.high),
                "error": pa.array(error.mean(axis=0)),
                "score": pa.array(score.mean(axis=0)),
                "source": pa.array([r.source for r in rows], pa.string()),
            }
        )

    def log_likelihood_terms(self, simulated: np.ndarray, noise: NoiseModel | None = None) -> np.ndarray:
        return (noise or NoiseModel()).terms(self.arrays, np.asarray(simulated, dtype=np.float64), self.days)


def _scorer(results: Results, observations: Observations, day_weight: float = DAY_WEIGHT) -> Scorer:
    return Scorer(observations, results.start, results.days, day_weight)


def observation_errors(results: Results, observations: Observations, day_weight: float = DAY_WEIGHT) -> pa.Table:
    """One row per observation: simulated, observed, low, high, error, score (see module doc)."""
    return _scorer(results, observations, day_weight).table(simulated_values(results, observations))


def loss(results: Results, observations: Observations, day_weight: float = DAY_WEIGHT) -> float:
    """The scalar that calibration minimises (see module doc)."""
    return float(_scorer(results, observations, day_weight).loss(simulated_values(results, observations)))


# ---------------------------------------------------------------- likelihood


@dataclass(frozen=True)
class NoiseModel:
    """How reports scatter around the truth.

    A count report of [low, high] (a point report: low = high = value) is flat in
    log(1 + count) inside its range and falls off as a Gaussian with sd ``count_sd``
    outside it: a run inside the reported range is as likely as any other inside it;
    one 20% outside is about one sd away. A reported day is Gaussian around the
    simulated day with sd ``day_sd`` days (a run that never gets there counts as
    getting there the day after it ends). Camp rows are counts.
    """

    count_sd: float = 0.2
    day_sd: float = 1.0

    def count_log_density(self, x, lo, hi):
        """Log-density of a count report of range [lo, hi] given the simulated count,
        all three as log1p(count)."""
        outside = np.maximum(lo - x, 0.0) + np.maximum(x - hi, 0.0)
        sd = self.count_sd
        return -0.5 * (outside / sd) ** 2 - np.log(hi - lo + sd * np.sqrt(2 * np.pi))

    def day_log_density(self, delta):
        """Log-density of a reported day given the simulated one, ``delta`` days apart (simulated
        minus reported: :func:`day_error`)."""
        return -0.5 * (delta / self.day_sd) ** 2 - np.log(self.day_sd * np.sqrt(2 * np.pi))

    def terms(self, a: _Arrays, simulated: np.ndarray, days: int) -> np.ndarray:
        """Log-density of each observation given each run (same shape as ``simulated``)."""
        x = np.log1p(np.where(a.is_day, 0.0, np.maximum(simulated, 0.0)))
        count_ll = self.count_log_density(x, np.log1p(np.nan_to_num(a.low)), np.log1p(np.nan_to_num(a.high)))
        day_ll = self.day_log_density(day_error(simulated, a.observed, days))
        return np.where(a.is_day, day_ll, count_ll)


def log_likelihood(results: Results, observations: Observations, noise: NoiseModel | None = None) -> float:
    """log p(observations | run) under ``noise`` (independent reports)."""
    terms = _scorer(results, observations).log_likelihood_terms(simulated_values(results, observations), noise)
    return float(terms.sum())
