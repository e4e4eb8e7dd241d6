"""Settings of the corridor system (caravans, enforcement, papers, transport, aid).

The ``corridor:`` section of a scenario YAML file. A scenario with it runs the
corridor behaviours (``caravana.behaviours.corridor``) instead of Flee's rules.
Days count from the scenario's start (day 0); a window ``start``..``end`` includes
``start`` and excludes ``end`` (``end: null`` = open-ended). Every setting has a
default, given in its description; names of places are checked against the
scenario's locations when a simulation is built.

A minimal section::

    corridor:
      caravans:
        - name: october-2018
          origin: San Pedro Sula
          itinerary: [Agua Caliente, Esquipulas, ...]   # each place linked to the one before
          initial_size: 160
"""

# No `from __future__ import annotations` here: pydantic then reads the models' annotations as
# objects, instead of compiling and evaluating each from a string (4-5 ms of every run's start).
# A name defined further down is quoted.

import csv
import functools
import math
from pathlib import Path
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from .base import Name, Strict

Share = Annotated[float, Field(ge=0.0, le=1.0)]
Day = Annotated[int, Field(ge=0)]
SHARES_TOLERANCE = 1e-6
STANDARDS_FILE = Path(__file__).parent / "builtin" / "corridor" / "needs_standards.csv"


@functools.cache
def standard_names() -> frozenset[str]:
    """Names of the humanitarian standards in needs_standards.csv (``aid.standards`` keys)."""
    with STANDARDS_FILE.open(encoding="utf-8", newline="") as f:
        return frozenset(row["standard"] for row in csv.DictReader(f))


def _check_shares(shares: dict[str, float], what: str) -> dict[str, float]:
    total = sum(shares.values())
    if shares and not math.isclose(total, 1.0, abs_tol=SHARES_TOLERANCE):
        raise ValueError(f"{what} shares must sum to 1 (got {total:g})")
    return shares


class Window(Strict):
    """Active on days ``start`` (included) to ``end`` (excluded; null = for ever)."""

    start: Day = Field(default=0, description="First active day. Default 0.")
    end: Day | None = Field(default=None, description="First day no longer active. Default null (never ends).")

    @model_validator(mode="after")
    def _ordered(self):
        if self.end is not None and self.end < self.start:
            raise ValueError("end must not come before start")
        return self

    def active(self, day: int) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


# --------------------------------------------------------------------------- caravans


class Composition(Strict):
    """Shares of men, women and children among the people of a caravan (must sum to 1).

    Defaults from the October 2018 caravan: about 2,300 children and 2,200 women
    among 7,200 people (seed facts), the rest men.
    """

    men: Share = Field(default=0.375, description="Share of adult men. Default 0.375.")
    women: Share = Field(default=0.305, description="Share of adult women. Default 0.305.")
    children: Share = Field(default=0.32, description="Share of children. Default 0.32.")

    @model_validator(mode="after")
    def _sum(self):
        _check_shares({"men": self.men, "women": self.women, "children": self.children}, "composition")
        return self


class Joiners(Window):
    """People joining a caravan at a place on its itinerary while its main body is
    there or passes through (a Poisson number a day, in the window), or, with ``follow``,
    setting out from there after it has passed and catching it up."""

    place: Name = Field(description="Where people join; must be the origin or on the itinerary. Required.")
    per_day: float = Field(ge=0.0, description="Mean number joining a day. Required.")
    follow: bool = Field(
        default=False,
        description="People who set out after the caravan: once its main body has passed ``place``, they still "
        "start there each day of the window, as members behind the body, and catch it up as stragglers do. "
        "Default false: they join only while the main body is there or passes.",
    )
    by_date: bool = Field(
        default=False,
        description="People come to ``place`` on the window's days whatever the caravan does, so how many join "
        "does not depend on how long its main body stays there: those who come before the body reaches the place "
        "(also before the caravan forms) wait there and join as it passes (counted from that day), those who come "
        "while it is there or passes join it, those who come after it has passed (or wait when a forecast's move "
        "carries it past) set out after it (as with ``follow``). Default false: "
        "people join a day only while the main body is there or passes (a caravan that stays longer grows more).",
    )


class PaceLeg(Strict):
    """From ``place`` on (along the itinerary), the main body's pace is ``km`` a travel day (and,
    optionally, its rest days come after ``rest_after_km`` walked)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    place: Name = Field(alias="from", description="First place of the leg (origin or on the itinerary). Required.")
    km: float = Field(gt=0.0, description="km a travel day on this leg. Required.")
    rest_after_km: float | None = Field(
        default=None, gt=0.0,
        description="From ``place`` on, the caravan's rest_after_km (a rest day each morning in a town with chance "
        "km walked since the last rest / this), until a later leg that sets one. Default null: as before the leg.",
    )


class Split(Strict):
    """The caravan breaks up at a place: a share of the main body leaves as a new group on
    its own itinerary (as a caravan may split over the route north)."""

    name: Name = Field(description="Name of the new group. Required.")
    at: Name = Field(description="Place on the caravan's itinerary (not its last) where it splits. Required.")
    share: Share = Field(description="Share of the members with the main body there who leave with the new group. Required.")
    itinerary: list[Name] = Field(
        min_length=1, description="The new group's places after ``at``, in order (rules as for a caravan's). Required."
    )
    pace_km: float | None = Field(
        default=None, gt=0.0, description="km a travel day of the new group. Default: the caravan's pace at ``at``."
    )


class RouteChoice(Strict):
    """How a caravan's assembly chooses its destination at a fork: destination d is chosen with
    probability proportional to ``weight_d x exp(U_d)``, where

    U_d = - per_1000_km x (km of road to d) / 1000
          - per_checkpoint x (checks and blockades active today on the route to d)
          - per_accident x (transport accidents so far at the places on the route to d)
          + per_bus_seat x (bus seats offered today here towards d) / (group size)
          + per_shelter_bed x log(1 + shelter beds at d / group size)
          - per_wait_day x (days of waiting at d's port: its waiting list / its daily metering).

    With every coefficient 0 the choice follows the weights alone."""

    per_1000_km: float = Field(default=1.0, ge=0.0, description="Disutility per 1,000 km of road. Default 1.")
    per_checkpoint: float = Field(default=0.0, ge=0.0, description="Disutility per active check on the route. Default 0.")
    per_accident: float = Field(default=0.0, ge=0.0, description="Disutility per accident so far on the route. Default 0.")
    per_bus_seat: float = Field(
        default=0.0, ge=0.0, description="Utility of bus seats offered towards d, per member of the group. Default 0."
    )
    per_shelter_bed: float = Field(
        default=0.0, ge=0.0, description="Utility of log(1 + beds at d / group size). Default 0."
    )
    per_wait_day: float = Field(default=0.0, ge=0.0, description="Disutility per day of port waiting at d. Default 0.")
    split_share: Share = Field(
        default=0.0,
        description="At each fork, this share of the members with the main body splits off towards another "
        "destination (drawn from the same probabilities without the one chosen). Default 0: no split.",
    )


class CaravanSpec(Strict):
    """A caravan: a group that walks a planned itinerary and decides, day by day and as
    one, whether to walk on or rest. Its members fall behind, ride ahead, drop out and
    join; the group regroups after a contested crossing."""

    name: Name = Field(description="Name of the caravan. Required. Its id (``population.group``) is its position in the list.")
    origin: Name = Field(description="Place where the group gathers. Required.")
    itinerary: list[Name] = Field(
        min_length=1,
        description="Planned places after the origin, in order; each must share a route (of an allowed mode) "
        "with the place before it. The last place is the destination: members who reach it are ARRIVED. Required.",
    )
    start_day: Day = Field(default=0, description="Day the group forms at the origin with ``initial_size`` people. Default 0.")
    departure_day: Day = Field(default=0, description="First day the group walks (>= start_day). Default 0.")
    initial_size: int = Field(ge=1, description="People at the origin on ``start_day``. Required.")
    composition: Composition = Field(default_factory=Composition, description="Men/women/children shares. Default: 2018 caravan's.")
    nationality: dict[str, float] = Field(
        default_factory=lambda: {"HN": 1.0}, description="Shares of members by nationality (codes). Default {HN: 1}."
    )
    modes: list[str] = Field(
        default_factory=lambda: ["road", "foot", "river"],
        min_length=1,
        description="Route modes the group may use, in order of preference between two places "
        "(the first is used, the others are detours); km on 'rail' links are ridden on freight trains "
        "(transport.rail_mode). Default [road, foot, river] (no freight train).",
    )
    pace_km: float = Field(
        default=50.0, gt=0.0,
        description="km a travel day of the main body, walking with hitchhiked stretches. Default 50.",
    )
    pace: list[PaceLeg] = Field(
        default_factory=list, description="Pace by leg of the itinerary (overrides pace_km from a place on). Default none."
    )
    stage_slack: float = Field(
        default=0.5, ge=0.0,
        description="The day's stop is the place nearest to one pace ahead, at most pace x (1 + slack) away; "
        "with no place in reach the group sleeps by the road one pace on. Default 0.5.",
    )
    stopovers: dict[Name, Annotated[int, Field(ge=0)]] = Field(
        default_factory=dict, description="Places where the main body stays at least this many extra days. Default none."
    )
    rest_after_km: float = Field(
        default=150.0, gt=0.0,
        description="Each morning in a town the group rests with chance (km walked since its last rest) / "
        "rest_after_km; a day's walking is at most transport.walk_km, the rest of a stage is ridden. Default 150.",
    )
    fall_behind: Share = Field(default=0.05, description="Chance a member stays behind a day when the group walks. Default 0.05.")
    ride_ahead: Share = Field(
        default=0.02, description="Chance a member rides ahead to the next stop and waits there, a travel day. Default 0.02."
    )
    regroup_share: Share = Field(
        default=0.8,
        description="After a contested crossing the group waits at the first place beyond it until this share "
        "of its members is with the main body (or max_regroup_days pass). Default 0.8.",
    )
    max_regroup_days: int = Field(default=1, ge=0, description="Most days spent regrouping. Default 1.")
    assembly_days: int = Field(
        default=1, ge=0,
        description="Nights the group holds at a blockade it cannot break before it takes a parallel open route "
        "between the same two places (a river beside a bridge), if there is one. Default 1.",
    )
    joiners: list[Joiners] = Field(default_factory=list, description="Where and when people join. Default none.")
    leave_rate: Share = Field(default=0.02, description="Chance a member leaves the caravan on a day. Default 0.02.")
    leave_rate_held: Share = Field(
        default=0.15, description="Same, for members with a main body held at a blockade. Default 0.15."
    )
    leave_rate_queued: Share | None = Field(
        default=None,
        description="Daily chance that a member waiting in a blockade's queue to be let through (``queue_share``) "
        "gives up and leaves, as leavers do (``return_share``): waiting at a closed border is when governments "
        "offered buses home. Default null: they wait until let through or the blockade lifts.",
    )
    return_share: Share = Field(
        default=0.8, description="Share of leavers who go home (RETURNED); the rest stay where they are (SETTLED). Default 0.8."
    )
    splits: list[Split] = Field(
        default_factory=list, description="Places where part of the caravan breaks away as a new group. Default none."
    )
    leavers_wait_share: Share = Field(
        default=0.0,
        description="Share of leavers who neither go home nor settle but wait where they are as migrants in "
        "transit (WAITING; a later caravan may take them in, see ``transit``). Taken before return_share "
        "splits the rest. Default 0.",
    )
    stay_behind_km: float | None = Field(
        default=None, gt=0.0,
        description="Worn out by the road: when the main body has rested a day in a town (a stopover, a rest day "
        "or a regrouping; not a hold at a blockade), each member with it stays there as the caravan walks on, "
        "waiting as a migrant in transit (a later caravan may take them in), with chance "
        "1 - exp(-km / stay_behind_km), km: walked since the rest before (a day's walking counts at most "
        "transport.walk_km). Default null: nobody.",
    )
    break_up_rate: Share = Field(
        default=0.0,
        description="Daily chance that a section of the caravan breaks away at once (papers or buses offered, "
        "a split after a long stop): members leave in groups, not one by one. Each such day a share of its "
        "column, drawn around break_up_share, stays in the country it is in (SETTLED, cause 'the caravan broke "
        "up'). Counts on top of leave_rate. Default 0: no break-ups.",
    )
    break_up_share: float = Field(
        default=0.4, gt=0.0, lt=1.0,
        description="Mean share of the column that leaves on a break-up day (each day's share drawn from a beta "
        "distribution with this mean, sum of parameters 4). Default 0.4.",
    )
    ride_ahead_stages: int = Field(
        default=1, ge=1,
        description="Riders ahead go 1 to this many stops ahead (uniformly), and wait there. Default 1.",
    )
    straggler_km: float | None = Field(
        default=None, gt=0.0,
        description="km a day a member behind the main body walks to catch up. Default null: the group's longest "
        "stage (pace x (1 + stage_slack)); smaller values let stragglers fall days behind.",
    )
    destinations: dict[Name, float] = Field(
        default_factory=dict,
        description="Possible destinations (border cities or ports) with prior weights (> 0). Empty (the default): "
        "the itinerary is fixed and its last place is the destination (a replay). Otherwise the itinerary's last "
        "place is the first fork: there, and at each place of ``choose_at`` met later, the assembly chooses a "
        "destination (``choice``) and the group goes on by the shortest route of its modes.",
    )
    choose_at: list[Name] = Field(
        default_factory=list,
        description="Further places where the assembly chooses again, if they are on its route then. Default none.",
    )
    choice: RouteChoice = Field(
        default_factory=lambda: RouteChoice(), description="How the assembly weighs the destinations. Default: distance only."
    )

    def pace_at(self, place: str) -> float:
        """km a travel day from ``place`` (on the itinerary) on."""
        names = [self.origin, *self.itinerary]
        legs = [leg for leg in self.pace if names.index(leg.place) <= names.index(place)]
        return max(legs, key=lambda leg: names.index(leg.place)).km if legs else self.pace_km

    def rest_after_at(self, place: str) -> float:
        """km walked before a rest day from ``place`` (on the itinerary) on: of the last pace leg at or
        before it that sets one, else ``rest_after_km``."""
        names = [self.origin, *self.itinerary]
        legs = [leg for leg in self.pace if leg.rest_after_km is not None and names.index(leg.place) <= names.index(place)]
        last = max(legs, key=lambda leg: names.index(leg.place)) if legs else None
        return self.rest_after_km if last is None or last.rest_after_km is None else last.rest_after_km

    def split_groups(self) -> list["CaravanSpec"]:
        """Each split as a caravan of its own: it forms at the split place with no members
        (they come from this caravan) and inherits this caravan's habits."""
        groups = []
        for split in self.splits:
            groups.append(
                self.model_copy(
                    update={
                        "name": split.name,
                        "origin": split.at,
                        "itinerary": split.itinerary,
                        "pace_km": split.pace_km or self.pace_at(split.at),
                        "pace": [],
                        "rest_after_km": self.rest_after_at(split.at),
                        "stopovers": {k: v for k, v in self.stopovers.items() if k in split.itinerary},
                        "joiners": [],
                        "splits": [],
                        "destinations": {},
                        "choose_at": [],
                    }
                )
            )
        return groups

    @field_validator("nationality")
    @classmethod
    def _nationality_sums_to_one(cls, value: dict[str, float]) -> dict[str, float]:
        if not value or any(v < 0 for v in value.values()):
            raise ValueError("nationality needs at least one non-negative share")
        return _check_shares(value, "nationality")

    def choice_groups(self) -> list["CaravanSpec"]:
        """The groups that may split off at the forks (one per fork, when ``choice.split_share`` > 0):
        caravans of their own that form only when the split happens, on a route chosen then."""
        if not self.destinations or self.choice.split_share <= 0:
            return []
        forks = 1 + len(self.choose_at)
        return [
            self.model_copy(update={"name": f"{self.name} split {k + 1}", "joiners": [], "splits": [],
                                    "destinations": {}, "choose_at": []})
            for k in range(forks)
        ]

    @field_validator("destinations")
    @classmethod
    def _weights_positive(cls, value: dict[str, float]) -> dict[str, float]:
        if any(not (v > 0 and math.isfinite(v)) for v in value.values()):
            raise ValueError("destination weights must be positive numbers")
        return value

    @field_validator("stopovers")
    @classmethod
    def _stopovers_positive(cls, value: dict[str, int]) -> dict[str, int]:
        if any(v < 0 for v in value.values()):
            raise ValueError("stopover days must not be negative")
        return value

    @model_validator(mode="after")
    def _days_ordered(self):
        if self.departure_day < self.start_day:
            raise ValueError("departure_day must not come before start_day")
        return self


# --------------------------------------------------------------------------- enforcement


class Checkpoint(Window):
    """A police/migration check on the links into ``place``, or on the links from
    ``from`` to ``to`` (optionally of one ``mode``), active in a window.

    Each person crossing is detained with chance ``detention x S / (S + N)``, where N is
    the number of people of the same caravan crossing that day and S the enforcement's
    ``safety_size``: safety in numbers. A ``blockade`` also stops every crossing group
    smaller than ``breach_size``; of those it holds, a share queue each day to be let
    through, ``admit_per_day`` at most, to request asylum (they are then held in the
    migration station).
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str = Field(default="", description="Label. Default empty.")
    place: Name | None = Field(default=None, description="Check every link into this place. Default null.")
    start_place: Name | None = Field(default=None, alias="from", description="Or: links from this place... Default null.")
    end_place: Name | None = Field(default=None, alias="to", description="...to this place. Default null.")
    mode: str | None = Field(default=None, description="Only links of this mode (with from/to). Default null: all.")
    detention: Share = Field(default=0.0, description="Chance a person crossing alone is detained. Default 0.")
    blockade: bool = Field(default=False, description="Stops groups smaller than breach_size. Default false.")
    breach_size: int | None = Field(
        default=None, ge=1, description="Group size that pushes through a blockade; null: nobody does. Default null."
    )
    admit_per_day: int = Field(default=0, ge=0, description="People a blockade lets through a day to request asylum. Default 0.")
    holds_nights: int | None = Field(
        default=None, ge=1,
        description="Nights (1 or more: the night it comes counts) the blockade holds a caravan's main body it "
        "stops; the next morning the caravan goes on past it (let through, or walking around it on paths the "
        "map does not have), detention as at any check. Default null: it holds a caravan too small to break it for as long as it stands.",
    )
    queue_share: Share = Field(
        default=0.0, description="Share of the people held at a blockade who join its asylum queue, a day. Default 0."
    )

    @model_validator(mode="after")
    def _where(self):
        if (self.place is None) == (self.start_place is None or self.end_place is None):
            raise ValueError("give either place, or both from and to")
        if self.place is not None and (self.start_place or self.end_place or self.mode):
            raise ValueError("give either place, or from/to/mode, not both")
        if not self.blockade and (self.breach_size is not None or self.admit_per_day or self.queue_share
                                  or self.holds_nights is not None):
            raise ValueError("breach_size, admit_per_day, queue_share and holds_nights need blockade: true")
        return self


class EnforcementSpec(Strict):
    """Checkpoints and blockades, detention and deportation."""

    checkpoints: list[Checkpoint] = Field(default_factory=list, description="Checks and blockades. Default none.")
    safety_size: float = Field(
        default=50.0, gt=0.0, description="Crossing-group size at which the detention chance halves. Default 50."
    )
    station: Name | None = Field(
        default=None,
        description="Migration station where the detained are held. Default null: the place with a "
        "'migration_station' office nearest to the checkpoint (or the checkpoint's place if there is none).",
    )
    deport_after_days: int = Field(default=15, ge=0, description="Days in detention before deportation. Default 15.")
    claim_release_days: int = Field(
        default=7, ge=0,
        description="Detained asylum seekers are released, at the earliest, after this many days to wait for a "
        "decision (WAITING at the station's place) instead of being deported. Default 7.",
    )
    claim_release_rate: float = Field(
        default=1.0, gt=0.0, le=1.0,
        description="From claim_release_days on, each held asylum seeker's daily chance of release: the days held "
        "are claim_release_days + a geometric number of extra days (mean (1 - rate) / rate), as a station processes "
        "its cases over days. Default 1: everyone on day claim_release_days.",
    )


# --------------------------------------------------------------------------- papers


class AsylumSpec(Strict):
    """Asylum in Mexico (COMAR): applications at offices, a first-come-first-served
    queue of decisions with a daily capacity, grant rates by nationality."""

    offices: list[Name] | None = Field(
        default=None, description="Places where caravan members can apply. Default null: places with a 'comar' office."
    )
    apply_rate: Share = Field(
        default=0.0, description="Chance a caravan member who slept at an office place applies that morning. Default 0."
    )
    decisions_per_day: int = Field(default=50, ge=0, description="Decisions an office makes a day. Default 50.")
    min_wait_days: int = Field(default=45, ge=0, description="Days a claim waits at least before its decision. Default 45.")
    grant_rate: dict[str, Share] = Field(
        default_factory=lambda: {"HN": 0.09},
        description="Share of decisions granted, by nationality. Default {HN: 0.09} (COMAR 2017, seed facts).",
    )
    default_grant_rate: Share = Field(
        default=0.28, description="Grant share for other nationalities. Default 0.28 (1,907 of 6,877 in 2017)."
    )
    give_up_rate: Share = Field(
        default=0.0, description="Chance a day that a waiting applicant gives up and goes home (RETURNED). Default 0."
    )
    claim_when_staying: Share = Field(
        default=0.0,
        description="Chance that a caravan member who stops in the offices' country (leaves the caravan and stays, or "
        "stays behind worn out) asks for asylum there, wherever that is (any authority takes a request), and waits for "
        "the decision. Default 0.",
    )


class PermitSpec(Strict):
    """INM transit permits: caravan members who slept at an office place queue for a
    permit with chance ``apply_rate`` that morning (WAITING); each office issues
    ``per_day`` permits a day, first come first served, to people who have waited
    ``min_wait_days``. Permit holders go back to their caravan and are not detained
    at checkpoints. After ``give_up_days`` without a permit, people leave the queue and
    go back to their caravan without one."""

    offices: list[Name] | None = Field(
        default=None, description="Offices. Default null: places with an 'inm_permits' office."
    )
    apply_rate: Share = Field(default=0.0, description="Chance a member at an office place queues, a morning. Default 0.")
    per_day: int = Field(default=100, ge=0, description="Permits an office issues a day. Default 100.")
    min_wait_days: int = Field(default=0, ge=0, description="Days of processing before a permit. Default 0.")
    give_up_days: int | None = Field(
        default=None, ge=0, description="Days in the queue before giving up; null: never. Default null."
    )


class PortSpec(Strict):
    """A US port of entry: people who reached ``place`` (its Mexican side) are let
    through ``per_day`` a day, first come first served (metering)."""

    place: Name = Field(description="The port's Mexican side (a port_of_entry place). Required.")
    per_day: int = Field(ge=0, description="People processed a day. Required.")


class RemainInMexico(Window):
    """While active, people processed at a US port are sent back to wait in the
    Mexican border city (WAITING) for ``wait_days`` before they cross."""

    wait_days: int = Field(default=90, ge=0, description="Days waiting in Mexico for the hearing. Default 90.")
    give_up_rate: Share = Field(default=0.0, description="Chance a day a waiting person gives up (RETURNED). Default 0.")


class PapersSpec(Strict):
    asylum: AsylumSpec = Field(default_factory=AsylumSpec, description="Asylum in Mexico. Default: nobody applies.")
    permits: PermitSpec = Field(default_factory=PermitSpec, description="INM transit permits. Default: nobody queues.")
    ports: list[PortSpec] = Field(default_factory=list, description="Metered US ports. Default none.")
    metering_per_day: int | None = Field(
        default=None, ge=0, description="Capacity of ports not listed in ports; null = unlimited. Default null."
    )
    remain_in_mexico: RemainInMexico | None = Field(default=None, description="The policy's window. Default null (off).")


# --------------------------------------------------------------------------- transport


class ModeSpec(Strict):
    """A way of travelling and its danger: accidents per million vehicle-km, each
    killing each occupant with chance ``fatality``."""

    occupancy: int = Field(default=1, ge=1, description="People per vehicle. Default 1.")
    accidents_per_million_km: float = Field(default=0.0, ge=0.0, description="Per vehicle-km. Default 0 (safe).")
    fatality: Share = Field(default=0.0, description="Chance an occupant dies in an accident. Default 0.")


def _default_modes() -> dict[str, ModeSpec]:
    # est: no source gives rates for migrants riding on cargo trucks; one fatal crash in the
    # Chiapas leg of 2018 (6 of 40 dead, seed facts) over roughly 10^4-10^5 vehicle-km.
    return {
        "walk": ModeSpec(),
        "truck": ModeSpec(occupancy=40, accidents_per_million_km=5.0, fatality=0.15),
        "bus": ModeSpec(occupancy=50, accidents_per_million_km=0.5, fatality=0.05),
        # est: falls from the tops of freight cars ("La Bestia"), a few at a time
        "train": ModeSpec(occupancy=20, accidents_per_million_km=20.0, fatality=0.1),
    }


class BusOffer(Strict):
    """Buses offered (by a state) on ``day``: ``seats`` people of a caravan whose main
    body is at ``place`` ride to ``to``, a later place of its itinerary."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    place: Name = Field(description="Where the buses leave. Required.")
    to: Name = Field(description="Where they go. Required.")
    day: Day = Field(description="Day offered. Required.")
    seats: int = Field(ge=0, description="Seats a day. Required.")
    end: Day | None = Field(
        default=None,
        description="Day the offer is withdrawn (first day no longer offered); the seats are offered every day "
        "from ``day``. Default null: offered on ``day`` only.",
    )

    @model_validator(mode="after")
    def _window(self):
        if self.end is not None and self.end <= self.day:
            raise ValueError("end must come after day")
        return self

    def days(self, last: int) -> range:
        """The days (before ``last``) the buses are offered."""
        return range(self.day, min(self.day + 1 if self.end is None else self.end, max(last, self.day + 1)))


class TransportSpec(Strict):
    walk_km: float = Field(
        default=30.0, gt=0.0,
        description="km a person walks in a travel day; the rest of the day's distance is ridden. Default 30.",
    )
    ride_mode: str = Field(default="truck", description="Mode of hitchhiked rides. Default truck.")
    rail_mode: str = Field(
        default="train", description="Mode of the km a caravan covers on 'rail' links (freight trains). Default train."
    )
    modes: dict[str, ModeSpec] = Field(
        default_factory=_default_modes,
        description="Modes by name; 'walk', ride_mode, rail_mode and 'bus' must be there. Default walk (safe), "
        "truck (40 a vehicle, 5 accidents per million km, 15% die), bus (50, 0.5, 5%), train (20, 20, 10%).",
    )
    buses: list[BusOffer] = Field(default_factory=list, description="Buses offered on given days. Default none.")

    @model_validator(mode="after")
    def _modes_known(self):
        for needed in ("walk", self.ride_mode, self.rail_mode, "bus"):
            if needed not in self.modes:
                raise ValueError(f"mode '{needed}' is missing from modes")
        return self


# --------------------------------------------------------------------------- aid


class ShelterOpening(Window):
    """A shelter open from ``start`` to ``end`` (excluded) with ``beds`` beds at ``place``."""

    place: Name = Field(description="Where. Required.")
    beds: int = Field(ge=0, description="Beds. Required.")


class AidSpec(Strict):
    """Shelter and daily needs where migrants stay (resting, waiting, arrived)."""

    standards: dict[str, Annotated[float, Field(gt=0.0)]] = Field(
        default_factory=dict,
        description="Override values of needs_standards.csv by standard name (e.g. water_total_min: 20), each "
        "above 0. Default none.",
    )
    shelters: dict[Name, Annotated[int, Field(ge=0)]] = Field(
        default_factory=dict, description="Shelter capacity by place (overrides the location's capacity). Default none."
    )
    openings: list[ShelterOpening] = Field(
        default_factory=list,
        description="Shelters that open (start) and close (end) on given days, adding their beds to the place's "
        "capacity while open; people beyond the beds sleep outside (the ``plaza`` overflow). Default none.",
    )


    @field_validator("standards")
    @classmethod
    def _known_standards(cls, standards: dict[str, float]) -> dict[str, float]:
        known = standard_names()
        for name in standards:
            if name not in known:
                raise ValueError(f"unknown standard '{name[:60]}' (see needs_standards.csv for the names)")
        return standards


# --------------------------------------------------------------------------- the section


class Travellers(Strict):
    """Who the people of a flow are."""

    composition: Composition = Field(default_factory=Composition, description="Men/women/children shares. Default: 2018 caravan's.")
    nationality: dict[str, float] = Field(
        default_factory=lambda: {"HN": 1.0}, description="Shares by ISO country code (sum to 1). Default all HN."
    )

    @model_validator(mode="after")
    def _shares(self):
        _check_shares(self.nationality, "nationality")
        return self


class IndividualFlow(Window, Travellers):
    """People who set out alone, not with a caravan: they arrive at ``origin`` each day
    (Poisson, mean ``per_day``) and move by Flee's rules (``settings.movement``), heading
    for the ports of entry, which act as Flee's camps for them."""

    origin: Name = Field(description="Where they start. Required.")
    per_day: float = Field(ge=0.0, description="Mean number setting out a day. Required.")


class Hub(Window, Travellers):
    """A place where migrants in transit wait (Tecun Uman, Tapachula, Mexico City, a border city):
    ``initial`` people on day 0, then a Poisson ``per_day`` of lone travellers arriving in the window.
    They wait (WAITING, in transit) until a caravan takes them in."""

    place: Name = Field(description="Where. Required.")
    initial: int = Field(default=0, ge=0, description="People waiting there on day 0. Default 0.")
    per_day: float = Field(default=0.0, ge=0.0, description="Mean arrivals a day in the window. Default 0.")


class TransitSpec(Strict):
    """Migrants in transit as a stock at places, taken in by caravans (``corridor.transit``).

    Each day a caravan's main body is at a place or passes it, each person waiting there joins it
    with chance ``1 - exp(-rate x (S / reference_size) ** size_power)``, S the caravan's members with
    its main body and ``rate`` by what the person waits for: nothing but a caravan (``in_transit``:
    hub arrivals, caravan leavers, people a caravan left ahead of its route), an INM permit
    (``permit_queue``) or a COMAR decision (``asylum_claim``); lone travellers of the ``individuals``
    flows resting there join at ``lone_travellers``. A bigger caravan and more days there take in
    more."""

    hubs: list[Hub] = Field(default_factory=list, description="Places with people waiting. Default none.")
    in_transit: float = Field(default=0.5, ge=0.0, description="Daily rate for people waiting in transit. Default 0.5 (est).")
    permit_queue: float = Field(default=0.05, ge=0.0, description="Daily rate for people in a permit queue. Default 0.05 (est).")
    asylum_claim: float = Field(default=0.02, ge=0.0, description="Daily rate for asylum claimants. Default 0.02 (est).")
    lone_travellers: float = Field(
        default=0.5, ge=0.0,
        description="Daily rate for lone travellers (``individuals``, moved by Flee's rules) resting at the place. "
        "Default 0.5 (est).",
    )
    reference_size: float = Field(default=1000.0, gt=0.0, description="Caravan size at which the rate applies as given. Default 1000.")
    size_power: float = Field(default=0.5, ge=0.0, description="How the pull grows with caravan size. Default 0.5 (est).")


class Offer(Window):
    """A government's offer to the caravans' members in a country (or at given places), on days
    ``start`` to ``end``: each member there takes it, each day, with chance ``uptake``, and leaves
    the caravan: buses home (RETURNED) or a plan to stay in the country (SETTLED)."""

    name: str = Field(default="", description="Label (the cause in the event log). Default empty.")
    country: str | None = Field(default=None, description="Members at places of this country (code). Default null.")
    places: list[Name] = Field(default_factory=list, description="Or: members at these places. Default none.")
    uptake: Share = Field(description="Daily chance a member there takes the offer. Required.")
    outcome: Literal["returned", "settled"] = Field(
        default="returned", description="returned (home) or settled (stays in the country). Default returned."
    )

    @model_validator(mode="after")
    def _where(self):
        if (self.country is None) == (not self.places):
            raise ValueError("give either country or places")
        return self


class Regularisation(Window):
    """Papers handed out to a caravan at once (INM's humanitarian visas or transit permits, given where a
    caravan stops: a practice with the caravans of 2019-2024): on a morning in the window after its main body
    slept at one of ``places``, with chance ``chance`` (once per caravan), a share of the members with the
    main body, drawn around ``share`` (a beta distribution, parameters summing to 4), are given papers (a
    permit held: not detained at checks); of them, ``leave_share`` leave the caravan and stay in the country
    (SETTLED, the event's name as cause), the others walk on with it."""

    name: str = Field(default="regularised at once", description="Label (the cause in the event log). Default "
                      "'regularised at once'.")
    places: list[Name] = Field(min_length=1, description="Where papers are handed out to a caravan there. Required.")
    chance: Share = Field(
        default=1.0, description="Chance, each morning in the window after a night at one of the places, that it "
        "happens (then it does not again for that caravan). Default 1: the first such morning.",
    )
    share: float = Field(
        gt=0.0, lt=1.0, description="Mean share of the members with the main body given papers. Required."
    )
    leave_share: Share = Field(
        default=1.0, description="Share of those given papers who then leave the caravan (SETTLED). Default 1."
    )


class MergingSpec(Strict):
    """Caravans that meet (main bodies at the same place at night) hold an assembly that decides,
    with chance ``chance`` a night, to go on as one: the bigger takes in the members of the other
    who are on its route. Members keep the caravan they first travelled with (``caravan_origins``)."""

    chance: Share = Field(default=0.5, description="Chance a night the assembly decides to merge. Default 0.5 (est).")


class VisaOffer(Window):
    """Humanitarian visas (Mexico's TVRH) handed out at ``place``: people staying there (arrived at the
    border, waiting in transit, or resting with a caravan) ask with chance ``take_share`` a day; up to
    ``per_day`` are granted, first come first served; holders settle (SETTLED)."""

    place: Name = Field(description="Where. Required.")
    per_day: int = Field(ge=0, description="Visas a day. Required.")
    take_share: Share = Field(default=0.1, description="Chance a day a person there asks. Default 0.1 (est).")


class BorderSpec(Strict):
    """Border cities (``corridor.border``): what people on a port's waiting list (ARRIVED) do besides
    waiting for metering (``papers.ports``)."""

    irregular_rate: Share = Field(default=0.0, description="Chance a day a waiting person tries to cross irregularly. Default 0.")
    irregular_success: Share = Field(default=0.3, description="Chance an attempt gets across (CROSSED). Default 0.3 (est).")
    deported_share: Share = Field(
        default=0.5,
        description="Share of the apprehended who are deported (DEPORTED); the rest are returned to the "
        "Mexican side and go to the back of the waiting list. Default 0.5 (est).",
    )
    settle_rate: Share = Field(default=0.0, description="Chance a day a waiting person settles in the city (SETTLED). Default 0.")
    asylum_rate: Share = Field(
        default=0.0, description="Chance a day a waiting person asks Mexico for asylum there (WAITING for COMAR). Default 0."
    )
    visas: list[VisaOffer] = Field(default_factory=list, description="Humanitarian visas offered. Default none.")


class CorridorSpec(Strict):
    """The ``corridor:`` section of a scenario YAML file."""

    caravans: list[CaravanSpec] = Field(default_factory=list, description="Caravans. Default none.")
    individuals: list[IndividualFlow] = Field(
        default_factory=list, description="People travelling alone, moved by Flee's rules. Default none."
    )
    enforcement: EnforcementSpec = Field(default_factory=EnforcementSpec, description="Default: no checkpoints.")
    papers: PapersSpec = Field(default_factory=PapersSpec, description="Default: no asylum applications, no metering.")
    transport: TransportSpec = Field(default_factory=TransportSpec, description="Default: walk 30 km, ride trucks.")
    aid: AidSpec = Field(default_factory=AidSpec, description="Default: Sphere standards, locations' capacities.")
    transit: TransitSpec | None = Field(
        default=None, description="Migrants in transit waiting at places, taken in by caravans. Default null (off)."
    )
    merging: MergingSpec | None = Field(default=None, description="Caravans that meet may merge. Default null (off).")
    offers: list[Offer] = Field(
        default_factory=list, description="Dated offers to caravan members (buses home, a plan to stay). Default none."
    )
    regularisations: list[Regularisation] = Field(
        default_factory=list,
        description="Papers handed out to a caravan at once where it stops, after which most leave it. Default none.",
    )
    border: BorderSpec | None = Field(
        default=None, description="Irregular crossings, settling, visas and asylum in border cities. Default null (off)."
    )
