"""A place's briefing: when people come, how many at once, for how long, and what they need.

Figures of one place, from the daily head-count of every member of a run (one
member) or an ensemble, or from a forecast's own reduced tables. *Present* means
staying at the place tonight (resting, waiting for papers, or arrived at the border),
the people a shelter feeds and the ``needs`` table counts.

Per member (one simulated future), each from that member's own series:

- *peak*: the most people present on any day;
- *arrival*: the first day at least ``ARRIVAL_SHARE`` of the member's own peak is
  present. Where that many are already there on the first simulated day (migrants in
  transit waiting since before the run), they did not arrive then: the arrival is the
  first day a group of that size has come *on top of* those there at the start, and
  none if no such group comes (*from the start*: the first day's head-count);
  *departure*: the day after the last day with at least a tenth of the peak present
  (none if still there when the run ends);
- *days above half the peak*: days with more than half the member's own peak;
- *people-days*: the head-count added over every day (what the supplies add up to).

Ranges are P5-P95 over members, so a figure is the distribution of each member's own
value, never a figure of the daily median (which flattens a passing peak: members
peaking on different days each keep their peak here). Peaks and people-days use
NumPy's default quantile (linear, as pandas' ``quantile``); dates use the nearest
member's date (``inverted_cdf``): a day some member had.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from ..behaviours.corridor.aid import NEEDS, needs_for, read_standards
from ..results.bands import member_share, weighted_quantiles

ARRIVAL_SHARE = 0.1
QUANTILES = (0.05, 0.5, 0.95)
NEAR_KM = 30.0  # reports this close count as "near the place"
TOTALLED = ("water_l", "food_kcal")  # consumed every day; space and toilets are set up once, for the peak


@dataclass(frozen=True)
class Spread:
    """P5, median and P95 of one figure over the members that have it (``n`` of ``of``)."""

    p5: float
    p50: float
    p95: float
    n: int
    of: int

    @classmethod
    def of_values(cls, values, *, dates: bool = False, weights: np.ndarray | None = None) -> Spread | None:
        """``weights`` (one per member, summing to 1: a forecast's posterior): weighted
        quantiles (:mod:`caravana.results.bands`) and ``n`` the members' weight share."""
        v = np.asarray(values, dtype=np.float64)
        known = ~np.isnan(v)
        have = v[known]
        if weights is not None:
            if not weights[known].sum() > 0:
                return None
            p5, p50, p95 = weighted_quantiles(have, weights[known])[[0, 2, 4]]
            return cls(float(p5), float(p50), float(p95), member_share(known, weights), len(v))
        if len(have) == 0:
            return None
        method: Literal["inverted_cdf", "linear"] = "inverted_cdf" if dates else "linear"
        p5, p50, p95 = np.quantile(have, QUANTILES, method=method)
        return cls(float(p5), float(p50), float(p95), len(have), len(v))

    @property
    def exact(self) -> bool:
        return self.p5 == self.p95

    def scaled(self, factor: float) -> Spread:
        """The same figure times a positive ``factor`` (its quantiles scale with it)."""
        return Spread(self.p5 * factor, self.p50 * factor, self.p95 * factor, self.n, self.of)


@dataclass(frozen=True)
class Need:
    name: str  # water_l, food_kcal, covered_m2, toilets
    standard: str  # the standard's name in needs_standards.csv
    value: float  # its value (per person and day, or people per toilet)
    per_day: Spread  # at the member's peak
    total: Spread | None  # over the whole stay (water and food only)


@dataclass
class Briefing:
    place: str
    kind: str  # run, ensemble or forecast
    members: int
    scenario: str
    source: str  # the folder it came from
    start: dt.date
    end: dt.date  # last simulated day
    made: dt.date
    peak: Spread | None
    arrival: Spread | None  # day numbers from ``start``
    departure: Spread | None
    still_there: int  # members with people still present on the last day
    from_start: Spread | None  # people there on the first day, in members where a tenth of the peak was
    days_above_half: Spread | None
    person_days: Spread | None
    needs: list[Need]
    reports: list[dict] = field(default_factory=list)
    as_of: dt.date | None = None
    geography: dict | None = None
    notes: list[str] = field(default_factory=list)
    # a forecast's place ahead of several caravans: the one whose arrival is given, and the others'
    # arrival windows (None: some futures have it arrive after the forecast's end)
    caravan: str | None = None
    other_caravans: list[tuple[str, Spread | None]] = field(default_factory=list)
    builtin: bool | None = None  # the scenario is the package's own (None: not recorded); its places' names

    @property
    def names(self) -> str:
        """The key its places' shown names go by (:func:`caravana.scenario.names.names_key`)."""
        from ..scenario.names import names_key

        return names_key(self.scenario, self.builtin)

    def date(self, day: float | None) -> dt.date | None:
        return None if day is None else self.start + dt.timedelta(days=int(round(day)))

    @property
    def came(self) -> int:
        """Members in which anyone stayed at the place."""
        return 0 if self.peak is None else self.peak.n


def member_figures(present: np.ndarray) -> dict[str, np.ndarray]:
    """Each member's own figures from ``present``: (members, days) head-counts."""
    present = np.asarray(present, dtype=np.float64)
    peak = present.max(axis=1)
    days = present.shape[1]
    threshold = np.maximum(ARRIVAL_SHARE * peak, 1.0)
    above = present >= threshold[:, None]
    came = peak > 0
    # People there on day 0 came before the run: count a group that comes on top of them.
    waiting = np.where(present[:, 0] >= threshold, present[:, 0], 0.0)
    arrived = (present - waiting[:, None]) >= threshold[:, None]
    first = np.where(came & arrived.any(axis=1), np.argmax(arrived, axis=1), np.nan)
    last = days - 1 - np.argmax(above[:, ::-1], axis=1)
    still = came & above[:, -1]
    departure = np.where(came & ~still, last + 1, np.nan)
    return {
        "peak": peak,
        "arrival": first,
        "departure": departure,
        "still_there": still,
        "from_start": np.where(came & (waiting > 0), waiting, np.nan),
        "days_above_half": np.where(came, (present > peak[:, None] / 2).sum(axis=1), np.nan),
        "person_days": present.sum(axis=1),
    }


def needs_figures(peak: np.ndarray, person_days: np.ndarray, standards: dict[str, float] | None = None,
                  weights: np.ndarray | None = None) -> list[Need]:
    """Daily needs at each member's peak, and water and food over its whole stay."""
    standards = standards or read_standards()
    daily = needs_for(np.asarray(peak, dtype=np.float64), standards)
    total = needs_for(np.asarray(person_days, dtype=np.float64), standards)
    out = []
    for name, (standard, _) in NEEDS.items():
        per_day = Spread.of_values(daily[name], weights=weights)
        if per_day is not None:  # None: no member had a peak (all NaN)
            out.append(Need(name, standard, standards[standard], per_day,
                            Spread.of_values(total[name], weights=weights) if name in TOTALLED else None))
    return out


def from_members(place: str, present: np.ndarray, *, kind: str, scenario: str, source: str, start: dt.date,
                 reports: Sequence[dict] = (), geography: dict | None = None,
                 standards: dict[str, float] | None = None, made: dt.date | None = None,
                 weights: np.ndarray | None = None, builtin: bool | None = None) -> Briefing:
    """The briefing of ``place`` from its (members, days) head-counts present; ``weights``:
    the members' (a forecast's weighted posterior), for every figure over them."""
    present = np.atleast_2d(present)
    f = member_figures(present)
    came = f["peak"] > 0
    w = weights
    # A member where nobody came has no arrival nor stay; its peak and people-days are 0.
    return Briefing(
        place=place, kind=kind, members=present.shape[0], scenario=scenario, builtin=builtin, source=source, start=start,
        end=start + dt.timedelta(days=present.shape[1] - 1), made=made or dt.date.today(),
        peak=Spread.of_values(f["peak"], weights=w) if came.any() else None,
        arrival=Spread.of_values(f["arrival"], dates=True, weights=w),
        departure=Spread.of_values(f["departure"], dates=True, weights=w),
        still_there=member_share(f["still_there"], w),
        from_start=Spread.of_values(f["from_start"], weights=w),
        days_above_half=Spread.of_values(f["days_above_half"], weights=w),
        person_days=Spread.of_values(f["person_days"], weights=w) if came.any() else None,
        needs=needs_figures(f["peak"], f["person_days"], standards, w) if came.any() else [],
        reports=near(reports, place, geography),
        geography=geography,
    )


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return float(2 * 6371.0 * np.arcsin(np.sqrt(a)))


def near(reports, place: str, geography: dict | None) -> list[dict]:
    """Reports at ``place`` or at a place within ``NEAR_KM`` of it, by date; each gets ``km``."""
    points = {p["name"]: (p.get("lat"), p.get("lon")) for p in (geography or {}).get("places", [])}
    here = points.get(place)
    out = []
    for r in reports:
        where = r.get("place")
        if where == place:
            out.append({**r, "km": 0.0})
        elif here and where in points and None not in points[where] and None not in here:
            km = _km(*here, *points[where])
            if km <= NEAR_KM:
                out.append({**r, "km": round(km, 1)})
    return sorted(out, key=lambda r: (str(r.get("date")), r.get("place") or ""))
