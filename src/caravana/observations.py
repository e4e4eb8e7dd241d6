"""What was observed: dated reports of where the caravan was and how many people were where.

An observations file is a CSV table, one report per row (``docs/observations.md``)::

    date,place,quantity,value,low,high,source,note,caravan,reported

``date``, ``quantity`` and (for counts) ``value`` are required; ``low``/``high`` give
the range when reports disagree; ``reported`` is the date of the (latest) report the row
rests on, when it came out after the day it describes (a blind split must not see it
before then: ``known_by``); ``place`` may be a place, a country code of the
scenario's locations, or empty (everywhere), as each quantity allows. What each
quantity means in a run (its simulated counterpart) is defined once, in
:mod:`caravana.metrics`; the table :data:`QUANTITIES` says what a row of it must hold.

>>> obs = read_observations("obs.csv").check_against(scenario)   # places, dates, routes
>>> fit, held_back = obs.split(datetime.date(2018, 10, 24))
>>> known, not_yet = obs.known_by(datetime.date(2018, 10, 24))   # by the reports' dates
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn

import pyarrow as pa
from pydantic import Field, PrivateAttr, ValidationInfo, field_validator, model_validator

from .errors import E_, CaravanaError, ScenarioError
from .scenario.aliases import resolve as resolve_place
from .scenario.schema import FromFile, Scenario
from .scenario.series import interpolate_counts
from .scenario.tables import WRITTEN, read_table


class Quantity(StrEnum):
    present = "present"
    camp = "camp"
    caravan_size = "caravan_size"
    arrived = "arrived"
    departed = "departed"
    crossed = "crossed"
    detained = "detained"
    returned = "returned"
    deported = "deported"
    settled = "settled"
    dead = "dead"
    asylum_requests = "asylum_requests"
    arrivals = "arrivals"


@dataclass(frozen=True)
class QuantityRule:
    kind: str  # "count": value is a number of people; "day": the date is the observation
    place: str  # "required" (a place), "optional" (a place, a country or empty), "route" (a place on a caravan's route)
    caravan: bool  # the row belongs to one caravan (the ``caravan`` column or the first whose route has the place)


QUANTITIES: dict[Quantity, QuantityRule] = {
    Quantity.present: QuantityRule("count", "optional", False),
    Quantity.camp: QuantityRule("count", "required", False),
    Quantity.caravan_size: QuantityRule("count", "optional", True),
    Quantity.arrived: QuantityRule("day", "route", True),
    Quantity.departed: QuantityRule("day", "route", True),
    Quantity.crossed: QuantityRule("count", "optional", False),
    Quantity.detained: QuantityRule("count", "optional", False),
    Quantity.returned: QuantityRule("count", "optional", False),
    Quantity.deported: QuantityRule("count", "optional", False),
    Quantity.settled: QuantityRule("count", "optional", False),
    Quantity.dead: QuantityRule("count", "optional", False),
    Quantity.asylum_requests: QuantityRule("count", "optional", False),
    Quantity.arrivals: QuantityRule("count", "optional", False),
}

COLUMNS = ("date", "place", "quantity", "value", "low", "high", "source", "note", "caravan", "reported")
REQUIRED_COLUMNS = ("date", "place", "quantity", "value")
# columns of a proposals file (caravana.news.proposals) an observations file never has
PROPOSALS_ONLY = ("file", "confidence", "sentence", "evidence", "status")

Count = float | None


GROUPED_THOUSANDS = re.compile(r"\d{1,3}([.,]\d{3})+")  # 7.000, 7,000, 1.234.567
DAY_MONTH_YEAR = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")  # 24/10/2018, 10/24/18, 24.10.2018


class Observation(FromFile):
    """One report. Fields are validated in this order, so each check can see the ones before."""

    date: dt.date
    quantity: Quantity
    # validate_default: an empty cell is checked too (a count needs a value, an arrival a place)
    place: str | None = Field(default=None, validate_default=True)
    caravan: str | None = None
    value: Count = Field(default=None, ge=0, allow_inf_nan=False, validate_default=True)
    high: Count = Field(default=None, ge=0, allow_inf_nan=False)  # before low, so low sees both
    low: Count = Field(default=None, ge=0, allow_inf_nan=False)
    source: str = ""
    note: str = ""
    reported: dt.date | None = None  # the report's date, when later than the day it describes
    # the quantity as the row wrote it ("llegados"), for the errors about the row (see quantity_named)
    _quantity_written: str | None = PrivateAttr(default=None)

    @property
    def quantity_named(self) -> str:
        """The quantity as the row wrote it ("llegados", a name the tables show), else its code: what
        an error about the row calls it, so that it names what the user typed."""
        return self._quantity_written or self.quantity.value

    @model_validator(mode="after")
    def _keep_the_quantity_as_written(self, info: ValidationInfo) -> Observation:
        self._quantity_written = as_written(info, "quantity")
        return self

    def __eq__(self, other: object) -> bool:
        """Fields and origin alike, whatever name the quantity was written by ("llegados" or "arrived"):
        that name is only for the errors (pydantic would compare it, a private attribute, too)."""
        if not isinstance(other, Observation):
            return NotImplemented

        def kept(row: Observation) -> dict:
            return {k: v for k, v in (row.__pydantic_private__ or {}).items() if k != "_quantity_written"}

        return type(self) is type(other) and self.__dict__ == other.__dict__ and kept(self) == kept(other)

    __hash__ = None  # type: ignore[assignment]  # (as pydantic's: a mutable model is not hashable)

    @property
    def known_on(self) -> dt.date:
        """The first day a reader could know this row: its report's date (default: its date)."""
        return self.reported or self.date

    @property
    def rule(self) -> QuantityRule:
        return QUANTITIES[self.quantity]

    @property
    def is_count(self) -> bool:
        return self.rule.kind == "count"

    @property
    def row(self) -> int | None:
        return self.origin[1] if self.origin else None

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """(low, high) of a count, each defaulting to the value."""
        return (self.value if self.low is None else self.low, self.value if self.high is None else self.high)

    @field_validator("quantity", mode="before")
    @classmethod
    def _quantity_by_its_name(cls, value: object) -> object:
        return quantity_code(value) if isinstance(value, str) else value

    @field_validator("date", "reported", mode="before")
    @classmethod
    def _year_first(cls, value: object) -> object:
        # 24/10/2018 (a spreadsheet's date): pydantic would say "invalid character in year"
        return _refused(value, DAY_MONTH_YEAR, E_("not a date caravana reads: write it as YYYY-MM-DD (2018-10-24); "
                                                  "a day/month order is never guessed"))

    @field_validator("value", "high", "low", mode="before")
    @classmethod
    def _no_thousands_separator(cls, value: object) -> object:
        # "7.000 migrantes" is 7,000 in Spanish news; read as a decimal it would be 7 people
        return _refused(value, GROUPED_THOUSANDS, E_("write the number without a thousands separator (7000, not 7.000 "
                                                     "or 7,000): 7.000 would be read as 7"))

    @field_validator("place")
    @classmethod
    def _place_allowed(cls, place: str | None, info: ValidationInfo) -> str | None:
        quantity = info.data.get("quantity")
        if quantity is not None and place is None and QUANTITIES[quantity].place != "optional":
            named = as_written(info, "quantity") or quantity
            raise ValueError(f"'{named}' needs a place")
        return place

    @field_validator("value")
    @classmethod
    def _value_fits_quantity(cls, value: Count, info: ValidationInfo) -> Count:
        quantity = info.data.get("quantity")
        if quantity is None:
            return value
        named = as_written(info, "quantity") or quantity
        if QUANTITIES[quantity].kind == "day" and value is not None:
            raise ValueError(
                f"'{named}' takes no value (the date is the observation); "
                "report the caravan's size in a caravan_size row"
            )
        if QUANTITIES[quantity].kind == "count" and value is None:
            raise ValueError(f"'{named}' needs a value (a number of people)")
        return value

    @field_validator("high")
    @classmethod
    def _high_above_value(cls, high: Count, info: ValidationInfo) -> Count:
        value = info.data.get("value")
        if high is not None and value is not None and high < value:
            raise ValueError(f"high ({high:g}) is below the value ({value:g})")
        return _no_range_on_days(high, info)

    @field_validator("low")
    @classmethod
    def _low_below_high_and_value(cls, low: Count, info: ValidationInfo) -> Count:
        high, value = info.data.get("high"), info.data.get("value")
        if low is not None and high is not None and low > high:
            raise ValueError(f"low ({low:g}) is above high ({high:g})")
        if low is not None and value is not None and low > value:
            raise ValueError(f"low ({low:g}) is above the value ({value:g})")
        return _no_range_on_days(low, info)

    @field_validator("reported")
    @classmethod
    def _reported_after_the_day(cls, reported: dt.date | None, info: ValidationInfo) -> dt.date | None:
        date = info.data.get("date")
        if reported is not None and date is not None and reported < date:
            raise ValueError(f"reported ({reported}) is before the day the row describes ({date})")
        return reported


def quantity_code(value: str) -> str:
    """The code of a quantity written as its code or as the tables show it ("presentes",
    "detenidos", in either language); a ValueError that says the value once, the codes, and
    the closest names' codes for a misspelt one (observations and proposals files alike)."""
    from .i18n.quantities import CODES_LISTED as codes
    from .i18n.quantities import close_codes, code_of

    if value in Quantity.__members__.values():
        return value
    code = code_of(value)
    if code is not None:
        return code
    if close := close_codes(value):  # a misspelt name: say which one
        names = ", ".join(f"'{c}'" for c in close)
        raise ValueError(f"'{value}' is not a quantity (did you mean {names}?); one of: {codes}")
    raise ValueError(f"'{value}' is not a quantity; one of: {codes}")


def _refused(value: object, pattern: re.Pattern[str], message: str) -> object:
    """``value`` as it is, unless it is text written the way ``pattern`` matches."""
    if isinstance(value, str) and pattern.fullmatch(value.strip()):
        raise ValueError(message)
    return value


def _no_range_on_days(bound: Count, info: ValidationInfo) -> Count:
    quantity = info.data.get("quantity")
    if bound is not None and quantity is not None and QUANTITIES[quantity].kind == "day":
        named = as_written(info, "quantity") or quantity
        raise ValueError(f"'{named}' takes no low/high (the date is the observation)")
    return bound


def as_written(info: ValidationInfo, name: str) -> str | None:
    """Field ``name`` as the row being validated wrote it (a file's cell, a review's edit: the
    validation's context, scenario.tables.WRITTEN), or None when it was not given."""
    written = (info.context or {}).get(WRITTEN) or {}
    value = written.get(name)
    return value if isinstance(value, str) and value else None


@dataclass(frozen=True)
class ScenarioContext:
    """What the simulated counterparts need to know about the scenario beyond a run's
    results: each place's country, and each caravan's route (origin, then itinerary)
    with each place's km from the origin, as the caravan measures its position."""

    start: dt.date
    days: int
    countries: dict[str, str]  # place -> country
    routes: dict[str, dict[str, float]]  # caravan name -> {place: km from the origin}, in route order

    @classmethod
    def of(cls, scenario: Scenario) -> ScenarioContext:
        from .engine.world import World  # the caravan's own reading of its route

        routes = {}
        if scenario.corridor is not None and scenario.corridor.caravans:
            world = World.of(scenario)
            for spec in scenario.corridor.caravans:
                road = world.road(spec.name)
                routes[spec.name] = dict(zip(road["places"], road["km"]))
        return cls(
            start=scenario.period.start,
            days=scenario.period.days,
            countries={loc.name: loc.country for loc in scenario.locations},
            routes=routes,
        )


@dataclass(frozen=True)
class Observations:
    """The rows of one observations file (or built from a scenario), optionally checked
    against a scenario (``context``), which the simulated counterparts then use."""

    rows: tuple[Observation, ...]
    file: str | None = None
    context: ScenarioContext | None = field(default=None, compare=False)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def _with(self, rows) -> Observations:
        return replace(self, rows=tuple(rows))

    def split(self, last_fitted: dt.date) -> tuple[Observations, Observations]:
        """(rows dated up to and including ``last_fitted``, rows after it)."""
        return (
            self._with(r for r in self.rows if r.date <= last_fitted),
            self._with(r for r in self.rows if r.date > last_fitted),
        )

    def known_by(self, day: dt.date) -> tuple[Observations, Observations]:
        """(rows whose report came out by ``day``, the rest): what a fit on ``day`` may
        use, dating each row by its report (``reported``), not by the day it describes."""
        return (
            self._with(r for r in self.rows if r.known_on <= day),
            self._with(r for r in self.rows if r.known_on > day),
        )

    def as_published(self, as_of: dt.date) -> tuple[Observations, Observations]:
        """(the rows a forecast as of ``as_of`` is given: those published by then and those
        about later days, which it holds back; the rows about days up to ``as_of`` published
        after it, which it is not given at all). A report about Oct 19 that came out on Oct 22
        is in neither part a forecast as of Oct 20 uses: not assimilated (it was not out), not
        scored (the forecast is scored on the days after its as-of date)."""
        known, unknown = self.known_by(as_of)
        return (known._with(known.rows + tuple(r for r in unknown.rows if r.date > as_of)),
                unknown._with(r for r in unknown.rows if r.date <= as_of))

    def select(self, *quantities: Quantity | str) -> Observations:
        wanted = {Quantity(q) for q in quantities}
        return self._with(r for r in self.rows if r.quantity in wanted)

    def __add__(self, other: Observations) -> Observations:
        return replace(self, rows=self.rows + other.rows, context=self.context or other.context)

    @property
    def last_date(self) -> dt.date | None:
        return max((r.date for r in self.rows), default=None)

    def check_against(self, scenario: Scenario) -> Observations:
        """The same rows, checked against ``scenario`` (known places and caravans, dates
        within its period, arrival places on a caravan's route) and bound to it: each
        caravan row names its caravan. Raises ScenarioError naming file, row and field."""
        context = ScenarioContext.of(scenario)
        end = context.start + dt.timedelta(days=context.days - 1)
        known_countries = set(context.countries.values())
        checked = []
        for r in self.rows:
            fail = _failer(self.file, r)
            if not context.start <= r.date <= end:
                # the period as the reader writes dates; the row's date as in the file
                fail("date", f"{r.date} is outside the scenario's period ({context.start} to {end})", (context.start, end))
            close: tuple[str, ...] = ()
            if r.place is not None and r.place not in context.countries and r.place not in known_countries:
                try:  # "Juchitán", "Ciudad de México": the scenario's own name
                    r = r.model_copy(update={"place": resolve_place(r.place, context.countries)})
                except CaravanaError as exc:
                    close = exc.places  # reported just below, with the file and row
            if r.place is not None and r.place not in context.countries:
                if r.place not in known_countries:
                    _unknown_place(fail, r.place, scenario, close)
                if r.rule.place != "optional":
                    fail("place", f"'{r.quantity_named}' needs a place, not a country ('{r.place}')")
            if r.rule.caravan:
                r = _bind_caravan(r, context, scenario.name, fail)
            elif r.caravan is not None:
                fail("caravan", f"'{r.quantity_named}' is not about one caravan; leave caravan empty")
            checked.append(r)
        return Observations(rows=tuple(checked), file=self.file, context=context)

    def to_table(self) -> pa.Table:
        """One row per observation, the file's columns plus its line number."""
        columns = {name: [getattr(r, name) for r in self.rows] for name in COLUMNS}
        columns["quantity"] = [str(q) for q in columns["quantity"]]
        table = pa.table({"row": pa.array([r.row for r in self.rows], pa.int32()), **columns})
        return table


def _unknown_place(fail: Callable[..., NoReturn], place: str, scenario: Scenario, close: tuple[str, ...]) -> NoReturn:
    """The row's place is none of the scenario's: say so, with the places close to it (as the
    reader sees their names, those of this scenario)."""
    from .scenario.names import names_key

    if not close:
        fail("place", f"unknown place '{place}' (not a place or a country of scenario {scenario.name})")
    names = ", ".join(f"'{p}'" for p in close)
    fail("place", f"unknown place '{place}' (not a place or a country of scenario {scenario.name}; "
         f"did you mean {names}?)", places=close, scenario=names_key(scenario.name, scenario.builtin))


def _failer(file: str | None, row: Observation):
    def fail(field_name: str, message: str, dates: tuple = (), **names: Any) -> NoReturn:
        raise ScenarioError(message, file=file, row=row.row, field=field_name, dates=dates, **names)

    return fail


def _bind_caravan(r: Observation, context: ScenarioContext, scenario_name: str,
                  fail: Callable[[str, str], NoReturn]) -> Observation:
    """The row with its caravan named: the given one, else the first whose route has the place."""
    if not context.routes:
        fail("quantity", f"'{r.quantity_named}' is about a caravan, and scenario {scenario_name} has none")
    if r.caravan is not None:
        if r.caravan not in context.routes:
            fail("caravan", f"unknown caravan '{r.caravan}' (known: {', '.join(context.routes)})")
        caravan = r.caravan
    elif r.place is None or r.place not in context.countries:
        caravan = next(iter(context.routes))
    else:
        on_route = next((name for name, route in context.routes.items() if r.place in route), None)
        if on_route is None:
            fail("place", f"'{r.place}' is on no caravan's route")
        caravan = on_route
    if r.place is not None and r.place in context.countries and r.place not in context.routes[caravan]:
        fail("place", f"'{r.place}' is not on the route of caravan '{caravan}'")
    if r.rule.place == "route" and r.place not in context.routes[caravan]:
        fail("place", f"'{r.quantity_named}' needs a place on the route of caravan '{caravan}', not '{r.place}'")
    bound = r.model_copy(update={"caravan": caravan})
    if r.origin:
        bound.with_origin(*r.origin)
    return bound


def read_observations(path: str | Path) -> Observations:
    """Read an observations CSV file. Raises ScenarioError naming file, row and field."""
    path = Path(path)
    try:
        rows = read_table(path, Observation, required=REQUIRED_COLUMNS)
    except ScenarioError as exc:
        if exc.message == "unknown column" and exc.field in PROPOSALS_ONLY:  # a step of the news workflow skipped
            raise ScenarioError("unknown column: this is a proposals file from 'caravana news extract', not "
                                "observations; review it first with 'caravana news review' and give the file "
                                "its --out writes", file=path, row=exc.row, field=exc.field) from None
        raise
    return Observations(rows=tuple(rows), file=str(path))


def camp_observations(scenario: Scenario, days: int | None = None) -> Observations:
    """A Flee scenario's camp counts as ``camp`` rows, one per camp and day, interpolated
    as Flee's validation reads them, so that the ARD over them is Flee's ARD."""
    days = days or scenario.period.days
    rows = []
    for camp, points in scenario.observations.items():
        for day, count in enumerate(interpolate_counts(points, days)):
            rows.append(
                Observation(
                    date=scenario.period.start + dt.timedelta(days=day),
                    quantity=Quantity.camp,
                    place=camp,
                    value=float(count),
                    source=f"{scenario.name} observations (interpolated daily)",
                )
            )
    rows.sort(key=lambda r: (r.date, r.place))
    return Observations(rows=tuple(rows), context=ScenarioContext.of(scenario))
