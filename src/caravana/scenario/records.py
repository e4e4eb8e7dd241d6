"""Scenarios for recorded caravans: from a caravan's start, origin and size, its year's
policy, and one set of shared habits, a scenario that replays it on the 2018 road.

The records are ``builtin/corridor/caravans_other.csv`` (the caravans of ``caravans.csv``
other than those of October 2018); the policies are ``builtin/corridor/policies_other.yml``,
where ``"$name"`` stands for a shared setting (``detention``, ``papers_rate``...) so that
every caravan meets the same strength of enforcement, and a window's ``start``/``end`` may
be a date (converted to the caravan's day numbers). A policy's ``caravan`` section sets the
replayed caravan's own settings (``pace_km: $walk_pace_km``: where a year's policy kept
caravans on foot). Nothing here is tuned per caravan.

    records = read_records()
    scenario = record_scenario(records[1], SharedHabits(pace_km=30, ...))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ConfigDict, Field

from ..errors import ScenarioError
from .corridor import CorridorSpec
from .graph import shortest_paths
from .load import BUILTIN_DIR, load_scenario
from .schema import FromFile, Name, Scenario
from .tables import read_table, read_yaml

RECORDS = BUILTIN_DIR / "corridor" / "caravans_other.csv"
TRANSIT = BUILTIN_DIR / "corridor" / "transit_other.csv"
POLICIES = BUILTIN_DIR / "corridor" / "policies_other.yml"
ROAD_MODES = ("road", "foot", "river")


class CaravanRecord(FromFile):
    """One recorded caravan (a row of caravans_other.csv)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: Name
    start: dt.date
    place: Name = Field(alias="origin", description="Where it set out (a place of the road graph).")
    initial_size: int = Field(ge=1)
    furthest_place: Name | None = None
    furthest_km: float | None = Field(default=None, ge=0)
    end: dt.date | None = None
    policy: str | None = None
    source: str = ""
    note: str = ""

    @property
    def duration_days(self) -> int | None:
        """Days from the start to the end (None when the end is not recorded)."""
        return None if self.end is None else (self.end - self.start).days

    @property
    def scored(self) -> bool:
        """Whether the record has what a replay is scored on (a furthest point)."""
        return self.furthest_place is not None


@dataclass(frozen=True)
class SharedHabits:
    """The settings every replayed caravan shares (one set, never per caravan)."""

    pace_km: float = 30.0  # km a travel day
    rest_after_km: float = 150.0  # rests with chance km-since-rest / this, each morning in a town
    leave_rate: float = 0.02  # a member's daily chance of leaving the caravan
    leave_rate_held: float = 0.15  # the same while held at a blockade
    detention: float = 0.3  # a lone person's chance of detention at a policy checkpoint
    papers_rate: float = 0.05  # a member's daily chance of taking papers offered by a policy
    # Migrants in transit (``transit_other.csv``: that year's asylum seekers arriving a day at each
    # hub, a general figure): ``stock_days`` days' worth wait there at the start; a person waiting
    # joins a passing caravan of 1,000 at ``in_transit`` a day. 0: no stock (the replays before it).
    stock_days: float = 0.0
    in_transit: float = 0.0
    # km a travel day of a caravan on foot: the pace where a year's policy kept caravans from
    # riding (a policy's ``caravan: {pace_km: $walk_pace_km}``); elsewhere ``pace_km`` holds.
    walk_pace_km: float = 20.0

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def read_records(path: str | Path = RECORDS) -> list[CaravanRecord]:
    """The recorded caravans; a bad cell stops with file, row and field."""
    return read_table(Path(path), CaravanRecord, required=("name", "start", "origin", "initial_size"))


class TransitRate(FromFile):
    """One row of transit_other.csv: migrants in transit arriving a day at a hub in a year."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    year: int
    place: Name
    per_day: float = Field(ge=0)
    source: str = ""


def read_transit(path: str | Path = TRANSIT) -> list[TransitRate]:
    return read_table(Path(path), TransitRate, required=("year", "place", "per_day"))


def transit_fragment(year: int, habits: SharedHabits, rates: list[TransitRate] | None = None) -> dict:
    """The ``transit`` section of a replay of a caravan of ``year`` (empty without a stock)."""
    if habits.stock_days <= 0 and habits.in_transit <= 0:
        return {}
    hubs = [{"place": r.place, "per_day": r.per_day, "initial": round(r.per_day * habits.stock_days)}
            for r in (read_transit() if rates is None else rates) if r.year == year]
    return {"transit": {"hubs": hubs, "in_transit": habits.in_transit}} if hubs else {}


def read_policies(path: str | Path = POLICIES) -> dict[str, dict]:
    """Policy name -> its corridor fragment (enforcement/papers), as written."""
    data = read_yaml(Path(path))
    if not isinstance(data, Mapping) or not all(isinstance(v, Mapping) for v in data.values()):
        raise ScenarioError("expected a mapping of policy names to settings", file=path)
    return {name: dict(v) for name, v in data.items()}


def the_road(base: Scenario | None = None) -> list[str]:
    """The 2018 caravan's road (its origin, then its itinerary): the road replays follow."""
    base = base or load_scenario("corridor")
    if base.corridor is None:
        raise ScenarioError(f"scenario '{base.name}' has no corridor section to take the road from")
    first = base.corridor.caravans[0]
    return [first.origin, *first.itinerary]


def _road_links(base: Scenario) -> tuple[dict[str, int], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Place index by name, and the (start, end, km) of the links by road, foot or river."""
    index = {loc.name: i for i, loc in enumerate(base.locations)}
    routes = [r for r in base.routes if str(r.mode) in ROAD_MODES]
    links = (np.array([index[r.start] for r in routes], dtype=np.int64),
             np.array([index[r.end] for r in routes], dtype=np.int64), np.array([r.km for r in routes], dtype=float))
    return index, links


def road_km(base: Scenario, origin: str, place: str) -> float:
    """km from ``origin`` to ``place``: along the 2018 road when both are on it (leg by leg,
    as a replayed caravan measures its progress), else the shortest way by road, foot or river."""
    index, links = _road_links(base)
    for p in (origin, place):
        if p not in index:
            raise ScenarioError(f"unknown place '{p}'", field="place")
    road = the_road(base)
    if origin in road and place in road and road.index(place) >= road.index(origin):
        legs = road[road.index(origin): road.index(place) + 1]
    else:
        legs = [origin, place]
    km = sum(shortest_paths(len(index), *links, index[a], directed=False)[0][index[b]] for a, b in zip(legs, legs[1:]))
    if not np.isfinite(km):
        raise ScenarioError(f"no road from '{origin}' to '{place}'", field="place")
    return float(km)


def recorded_furthest_km(record: CaravanRecord, base: Scenario | None = None) -> float | None:
    """The record's furthest point in km from its origin: as reported, or by road."""
    if record.furthest_km is not None:
        return record.furthest_km
    if record.furthest_place is None:
        return None
    return road_km(base or load_scenario("corridor"), record.place, record.furthest_place)


def _fill(node: Any, shared: Mapping[str, float], start: dt.date, where: str) -> Any:
    """The policy fragment with ``"$name"`` replaced by shared values and dated window
    bounds turned into day numbers from the caravan's start (never before day 0)."""
    if isinstance(node, Mapping):
        out = {}
        for key, value in node.items():
            if key in ("start", "end") and isinstance(value, (str, dt.date)):
                try:
                    date = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
                except ValueError:
                    raise ScenarioError(f"'{value}' is not a date", file=POLICIES, field=f"{where}.{key}") from None
                value = max((date - start).days, 0)
            out[key] = _fill(value, shared, start, f"{where}.{key}")
        return out
    if isinstance(node, list):
        return [_fill(v, shared, start, f"{where}[{i}]") for i, v in enumerate(node)]
    if isinstance(node, str) and node.startswith("$"):
        if node[1:] not in shared:
            raise ScenarioError(f"unknown shared setting '{node}' (known: {', '.join(shared)})", file=POLICIES, field=where)
        return shared[node[1:]]
    return node


def record_scenario(record: CaravanRecord, habits: SharedHabits, *, days: int = 60, base: Scenario | None = None,
                    policies: Mapping[str, dict] | None = None) -> Scenario:
    """A scenario replaying ``record`` from its start, origin and size, with its year's
    policy and the shared ``habits``, on the 2018 road from its origin on."""
    base = base or load_scenario("corridor")
    policies = read_policies() if policies is None else policies
    road = the_road(base)
    if record.place not in road[:-1]:
        raise ScenarioError(f"origin '{record.place}' is not on the 2018 road", field="origin")
    shared = habits.as_dict()
    fragment: dict = {}
    if record.policy:
        if record.policy not in policies:
            raise ScenarioError(f"unknown policy '{record.policy}'", field="policy")
        policy = {k: v for k, v in policies[record.policy].items() if k not in ("description", "source")}
        fragment = _fill(policy, shared, record.start, record.policy)
    own = fragment.pop("caravan", {})
    if not isinstance(own, dict):
        raise ScenarioError(f"policy '{record.policy}': 'caravan' must be a mapping of caravan settings",
                            file=POLICIES, field="caravan")
    caravan = {
        "name": record.name,
        "origin": record.place,
        "itinerary": road[road.index(record.place) + 1:],
        "initial_size": record.initial_size,
        "pace_km": habits.pace_km,
        "rest_after_km": habits.rest_after_km,
        "leave_rate": habits.leave_rate,
        "leave_rate_held": habits.leave_rate_held,
        **own,
    }
    try:
        corridor = CorridorSpec.model_validate(
            {"caravans": [caravan], **fragment, **transit_fragment(record.start.year, habits)}, strict=False)
    except Exception as exc:  # pydantic's error, said once with the record's name
        raise ScenarioError(f"policy '{record.policy}' for {record.name}: {exc}", file=POLICIES) from None
    return base.model_copy(update={
        "name": f"replay-{record.name}",
        "description": f"replay of the caravan of {record.start} from {record.place}",
        "period": base.period.model_copy(update={"start": record.start, "days": days}),
        "corridor": corridor,
    })
