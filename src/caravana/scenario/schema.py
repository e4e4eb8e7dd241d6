"""What a scenario is: the validated description of a world to simulate.

Every model forbids unknown fields, so a typo in a setting is an error rather
than a silently ignored value. Every setting has a default documented here; the
defaults of the movement and spawning rules are Flee 3.1's.

Rows read from files remember where they came from (``origin``), so that a
cross-reference error (a route to an unknown place, say) names file and row.
"""

# No `from __future__ import annotations` here: pydantic then reads the models' annotations as
# objects, instead of compiling and evaluating each from a string (4-5 ms of every run's start).
# A name defined further down is quoted.

import datetime as dt
import math
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from .base import MAX_DAYS, FromFile, Name, Strict

if TYPE_CHECKING:
    from .corridor import CorridorSpec


class CorridorLater(Strict):
    """A model with a ``corridor: "CorridorSpec | None"`` field whose ~50 models are imported
    when the model is first validated (or dumped), not when caravana is: a Flee run, which has no
    corridor and whose Scenario is put together without validation, never imports them (58 M
    machine instructions, 4 % of `caravana run mali2012 --days 2`). pydantic builds a model's
    validator through ``model_rebuild``, given here the name it cannot find in this module."""

    @classmethod
    def model_rebuild(cls, **kwargs: Any) -> bool | None:
        from .corridor import CorridorSpec

        kwargs["_types_namespace"] = {**(kwargs.get("_types_namespace") or {}), "CorridorSpec": CorridorSpec}
        return super().model_rebuild(**kwargs)


class LocationType(StrEnum):
    """Kinds of place. The first six are Flee's; the rest describe the corridor."""

    conflict_zone = "conflict_zone"
    town = "town"
    camp = "camp"
    idpcamp = "idpcamp"
    forward = "forward"
    marker = "marker"
    origin = "origin"
    border_crossing = "border_crossing"
    shelter = "shelter"
    port_of_entry = "port_of_entry"
    us_port = "us_port"
    migration_station = "migration_station"


class Location(FromFile):
    """A place people can be at."""

    # Frozen: a network built from these rows is reused while the rows are the same objects
    # (engine.network), so a row is replaced, never edited in place.
    model_config = ConfigDict(frozen=True)

    name: Name
    type: LocationType
    country: str = "unknown"
    region: str = ""
    lat: float = Field(default=0.0, ge=-90.0, le=90.0)
    lon: float = Field(default=0.0, ge=-180.0, le=180.0)
    population: int = Field(default=0, ge=0, description="Resident (non-migrant) population.")
    capacity: int | None = Field(
        default=None, ge=0, description="Migrants the place can hold; None means unlimited."
    )
    conflict_date: int | None = Field(
        default=None,
        ge=0,
        description="Flee: day a conflict zone becomes active; before it the place is a town.",
    )
    conflict_intensity: float = Field(
        default=1.0,
        ge=0.0,
        description="Flee: intensity of a conflict zone in conflict from the start (conflict_date 0) "
        "until a conflict change sets another.",
    )
    deactivation_probability: float = Field(
        default=0.0, ge=0.0, le=1.0, description="Flee: daily chance a person resting here settles (camps_are_sicks)."
    )
    offices: str = Field(default="", description="Semicolon list of offices (inm_permits; comar; ...).")
    quality: str = ""
    source: str = ""
    notes: str = ""

    @field_validator("name", "country")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be empty")
        return value


class Route(FromFile):
    """An undirected link between two places."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)  # frozen: as Location

    start: Name = Field(alias="from")
    end: Name = Field(alias="to")
    km: float = Field(gt=0.0, description="Travel distance in km.")
    mode: str = "road"
    forced_redirection: int = Field(
        default=0, ge=0, le=2, description="Flee's forced_redirection flag (kept for round trips; unused by 3.1 rules)."
    )
    max_move_speed: float | None = Field(
        default=None, gt=0.0, description="km per day on this link; default is the movement setting."
    )
    walk_probability: float = Field(default=0.0, ge=0.0, le=1.0)
    quality: str = ""
    source: str = ""
    notes: str = ""

    @field_validator("km")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value


ClosureKind = Literal["country", "location", "link", "camp", "idpcamp", "remove_forced_redirection"]


class Closure(FromFile):
    """A time window in which something is closed (Flee's closures.csv).

    ``start`` is the first day of the closure, ``end`` the day it reopens; days count
    from the scenario's start (day 0).
    """

    kind: ClosureKind
    name1: Name
    name2: str = ""
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class ConflictChange(FromFile):
    """From ``day`` on, ``location`` has this conflict intensity (0 ends the conflict)."""

    day: int = Field(ge=0)
    location: Name
    intensity: float = Field(ge=0.0)


class CountPoint(Strict):
    """One observation of a cumulative count on a day (day 0 is the start date)."""

    day: int
    count: float = Field(ge=0.0)


class Period(Strict):
    start: dt.date
    days: int = Field(gt=0, le=MAX_DAYS, description=f"Number of simulated days (at most {MAX_DAYS:,}).")


class MovementSettings(Strict):
    """Flee's move rules. Defaults are Flee 3.1's (``SimulationSettings.ReadFromYML``)."""

    max_move_speed: float = Field(default=360.0, gt=0, description="km a day by vehicle.")
    max_walk_speed: float = Field(default=35.0, gt=0, description="km a day on foot.")
    foreign_weight: float = Field(default=1.0, ge=0)
    camp_weight: float = Field(default=1.0, ge=0)
    conflict_weight: float = Field(default=1.0 / math.sqrt(10.0), ge=0)
    conflict_movechance: float = Field(default=1.0, ge=0, le=1)
    camp_movechance: float = Field(default=0.001, ge=0, le=1)
    idpcamp_movechance: float = Field(default=0.1, ge=0, le=1)
    default_movechance: float = Field(default=0.3, ge=0, le=1)
    awareness_level: int = Field(
        default=1, ge=0, le=12, description="Hops of route look-ahead (Flee sets no limit; routes grow fast with it)."
    )
    capacity_buffer: float = Field(default=0.9, gt=0, lt=1, description="Occupancy where a place starts to count as full.")
    avoid_short_stints: bool = False
    start_on_foot: bool = False
    softening: float = Field(default=10.0, ge=0, description="km added to every route distance.")
    weight_softening: float = Field(default=0.0, ge=0)
    weight_power: float = Field(default=1.0, ge=0)
    distance_power: float = Field(default=1.0, ge=0)
    movechance_pop_base: float = Field(default=10000.0, gt=0)
    movechance_pop_scale_factor: float = 0.0
    capacity_scaling: float = Field(
        default=1.0, gt=0, description="Multiplier on camp capacities (newer Flee; 3.1 has none)."
    )
    stay_close_to_home: bool = Field(
        default=False,
        description="Flee: a route's attraction divided by max(1, km as the crow flies to its end) ** home_distance_power.",
    )
    home_distance_power: float = Field(default=0.5, ge=0)
    use_pop_for_loc_weight: bool = Field(
        default=False,
        description="Flee: a town's or conflict zone's attraction times its population ** pop_power_for_loc_weight "
        "(Flee 3.1 caps the population at 1, so only empty places change: they get 0; newer Flee floors it at 1).",
    )
    pop_power_for_loc_weight: float = Field(default=0.1, ge=0)
    match_camp_ethnicity: bool = Field(default=False, description="Flee 3.1: camps' attraction x10 (see README).")
    match_town_ethnicity: bool = Field(default=False, description="Flee 3.1: towns' attraction x10 (see README).")
    match_conflict_ethnicity: bool = Field(default=False, description="Flee 3.1: conflict zones' attraction x10.")
    children_avoid_hazards: bool = Field(
        default=False,
        description="Flee's ChildrenAvoidHazards: people under 19 weigh a destination's safety score squared "
        "(needs an 'age' table in spawning.demographics).",
    )
    boys_take_risk: bool = Field(
        default=False,
        description="Flee's BoysTakeRisk, only with children_avoid_hazards: males over 14 weigh every "
        "destination's safety score as 1 (needs 'age' and 'gender' tables).",
    )
    flee_rules: Literal["3.1", "latest"] = Field(
        default="3.1", description="Which Flee's version of a rule that changed after 3.1 (use_pop_for_loc_weight)."
    )
    home_country: str | None = Field(
        default=None,
        description="Places outside it count as foreign; default: the first location's country (Flee).",
    )


class SpawnSettings(Strict):
    """Flee's spawn rules. Defaults are Flee 3.1's."""

    conflict_spawn_decay: list[Annotated[float, Field(ge=0.0)]] | None = Field(
        default=None, description="Spawn multiplier by time since a conflict began, one per interval."
    )
    conflict_spawn_decay_interval: int = Field(default=30, gt=0, description="Days per decay step.")
    insert_day0: bool = Field(default=True, description="Pre-fill camps with their day-0 counts.")
    sum_from_camps: bool = Field(
        default=False,
        description="New arrivals from the sum of camp counts (newer Flee) instead of the total (Flee 3.1).",
    )
    take_from_population: bool = False
    conflict_driven: "ConflictDrivenSpawning | None" = Field(
        default=None, description="Flee's conflict_driven_spawning: conflicts spawn people themselves, no count data."
    )
    camps_are_sinks: bool = Field(
        default=False,
        description="Flee's camps_are_sicks: each day a person resting at a camp settles there for good "
        "with the camp's deactivation_probability (still counted at the camp, as in Flee).",
    )


class ConflictDrivenSpawning(Strict):
    """Flee's ``conflict_driven_spawning``: each day each active conflict zone spawns
    int(rate x intensity) people (``constant``), int(rate x population x intensity)
    (``pop_ratio``), or Poisson(rate x intensity) (``poisson``, newer Flee only)."""

    spawn_mode: Literal["constant", "pop_ratio", "poisson"] = "constant"
    displaced_per_conflict_day: float = Field(default=500.0, ge=0)


SpawnSettings.model_rebuild()


class Settings(Strict):
    movement: MovementSettings = Field(default_factory=MovementSettings)
    spawning: SpawnSettings = Field(default_factory=SpawnSettings)


class Demographic(Strict):
    """One attribute of new people (Flee's ``demographics_<attribute>.csv``): its values and,
    per place (or ``Default`` for places not listed), the relative chance of each."""

    values: list[str] = Field(min_length=1)
    weights: dict[str, list[Annotated[float, Field(ge=0.0)]]] = Field(
        description="Place name or 'Default' -> one weight per value."
    )

    @model_validator(mode="after")
    def _check(self) -> "Demographic":
        if "Default" not in self.weights:
            raise ValueError("needs a 'Default' column of weights")
        for column, w in self.weights.items():
            if len(w) != len(self.values):
                raise ValueError(f"column '{column}' has {len(w)} weights for {len(self.values)} values")
            if sum(w) <= 0:
                raise ValueError(f"column '{column}': weights sum to 0")
        return self


class Spawning(Strict):
    """Where new people come from.

    ``totals`` is Flee's "total" series (cumulative displaced people); each day the
    rise in it spawns new agents at conflict zones, weighted by population and
    conflict intensity. ``camp_counts`` are per-camp series used to pre-fill camps
    on day 0 and, with ``sum_from_camps``, as the source of the daily rise.
    """

    totals: list[CountPoint] = Field(default_factory=list)
    camp_counts: dict[str, list[CountPoint]] = Field(default_factory=dict)
    demographics: dict[str, Demographic] = Field(
        default_factory=dict, description="Attribute (age, gender...) -> its table; drawn for each new person."
    )


class Scenario(CorridorLater):
    """A whole world to simulate. Build it in code or load it with :func:`load_scenario`."""

    name: Name
    description: str = ""
    period: Period
    locations: list[Location] = Field(min_length=1)
    routes: list[Route] = Field(default_factory=list)
    closures: list[Closure] = Field(default_factory=list)
    conflicts: list[ConflictChange] = Field(default_factory=list)
    spawning: Spawning = Field(default_factory=Spawning)
    observations: dict[str, list[CountPoint]] = Field(
        default_factory=dict, description="Observed head-counts per place, for validation."
    )
    settings: Settings = Field(default_factory=Settings)
    corridor: "CorridorSpec | None" = Field(  # see CorridorLater
        default=None, description="Caravans, transport, enforcement, papers and aid (see scenario/corridor.py)."
    )
    seed: int = Field(default=0, ge=0)
    builtin: bool = Field(default=False, description="Loaded from the package's own files (set by load_scenario): "
                          "its places are shown by the built-in scenario's names, 'Juchitán', a user's own keep theirs.")

    def location_index(self) -> dict[str, int]:
        return {loc.name: i for i, loc in enumerate(self.locations)}

    def date_of(self, day: int) -> dt.date:
        return self.period.start + dt.timedelta(days=day)

