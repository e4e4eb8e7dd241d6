"""The interface every behaviour module implements.

A behaviour is one mechanism (spawning, closures, movement, detention...). The
simulation calls ``init`` once, then ``step`` once a day, in a fixed order. Each
behaviour gets its own random stream in ``self.rng``.

Behaviours talk to each other through declared interfaces, never by name. An interface
is a plain class listing what its provider offers; a behaviour provides it by
subclassing it, and another declares that it talks to it with a :class:`Needs` class
attribute. The simulation wires each need to its provider before any ``init``
(:func:`wire`), and stops with a clear error when a needed interface has no provider.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar, overload

import numpy as np

from ..results.declared import Declared, ResultArray

if TYPE_CHECKING:
    import pyarrow as pa

    from .simulation import Simulation

T = TypeVar("T")


class MissingInterface(LookupError):
    """No behaviour of the simulation provides an interface that is needed."""


class Needs(Generic[T]):
    """A behaviour's declared need of an interface, as a class attribute::

        class Merging(Behaviour):
            caravans = Needs(CaravanGroups)                  # a CaravanGroups
            transport = Needs(BusOffers, optional=True)      # a BusOffers, or None

    The simulation sets the attribute on each instance (:func:`wire`); until then
    reading it is an error."""

    @overload
    def __init__(self: Needs[T], interface: type[T], optional: Literal[False] = ...) -> None: ...
    @overload
    def __init__(self: Needs[T | None], interface: type[T], optional: Literal[True]) -> None: ...
    def __init__(self, interface: type[Any], optional: bool = False) -> None:
        self.interface = interface
        self.optional = optional
        self.attribute = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.attribute = name

    # A non-data descriptor: the instance attribute that wire() sets hides it.
    @overload
    def __get__(self, obj: None, owner: type) -> Needs[T]: ...
    @overload
    def __get__(self, obj: object, owner: type) -> T: ...
    def __get__(self, obj: object, owner: type) -> Needs[T] | T:
        if obj is None:
            return self
        raise AttributeError(f"{owner.__name__}.{self.attribute} needs a {self.interface.__name__}: "
                             "a Simulation wires it before init")


class Behaviour:
    name: ClassVar[str] = "behaviour"
    # The arrays this behaviour produces (see caravana.results.declared): a run folder, an
    # ensemble, the dashboard's API and the report take each of them with no other code.
    declares: ClassVar[tuple[Declared, ...]] = ()
    # True if a step leaves ``sim.place_status_counts()`` right: it changes nobody's place or
    # status, or updates those counts as it does. Otherwise they are recounted when next asked.
    keeps_counts: ClassVar[bool] = False
    # False if a step changes nobody's place or status and spawns nobody (it reads people, or
    # changes other fields): a count made before it still holds after it (``Simulation.day_flows``).
    moves_people: ClassVar[bool] = True
    # True if each step hands ``sim.moved(people)`` everyone whose place or status it may have
    # changed (people it spawns need not be listed): when every behaviour that moves people
    # does, the day's arrivals and departures are found from those people alone, not from a
    # pass over everyone (``Simulation.day_flows``).
    reports_moves: ClassVar[bool] = False
    # The engine's optional per-person fields this behaviour reads or writes
    # (caravana.engine.population.OPTIONAL_FIELDS); a run allocates only those its behaviours name.
    uses: ClassVar[tuple[str, ...]] = ()
    # The event names this behaviour logs (``sim.events.record``, as written in the event
    # log): logging any other raises, so the list is the truth the dashboard's vocabulary
    # and the message catalogue are built from.
    events: ClassVar[tuple[str, ...]] = ()
    # The fixed causes it gives those events (others are names from the scenario: a
    # caravan, a checkpoint, a mode of transport).
    causes: ClassVar[tuple[str, ...]] = ()
    rng: np.random.Generator

    def init(self, sim: Simulation) -> None:
        """Set up state before day 0 (register population fields, pre-fill places)."""

    def step(self, sim: Simulation) -> None:
        """Advance this mechanism by one day (``sim.day``)."""
        raise NotImplementedError

    def arrays(self, sim: Simulation) -> dict[str, ResultArray]:
        """The values of every declared result, for the days run so far (name -> array)."""
        return {}

    def outputs(self, sim: Simulation) -> dict[str, pa.Table]:
        """Tables this behaviour adds to the results (name -> table), e.g. a caravan log."""
        return {}


_NEEDS: dict[type, dict[str, Needs[Any]]] = {}  # needs_of's answers, by class


def needs_of(kind: type) -> dict[str, Needs[Any]]:
    """The interfaces a behaviour class needs (attribute -> need), its bases' included (found once
    a class: every run wires its behaviours with them; read only)."""
    found = _NEEDS.get(kind)
    if found is None:
        found = {}
        for cls in reversed(kind.__mro__):
            found.update({k: v for k, v in vars(cls).items() if isinstance(v, Needs)})
        _NEEDS[kind] = found  # stored once whole, so no reader sees it half filled
    return found


def provider(behaviours: Sequence[Behaviour], interface: type[T], *, besides: object = None) -> T | None:
    """The one behaviour (other than ``besides``) that provides ``interface``, or None."""
    found = [b for b in behaviours if isinstance(b, interface) and b is not besides]
    if len(found) > 1:
        raise ValueError(f"behaviours {[b.name for b in found]} all provide {interface.__name__}; "
                         "a simulation may have only one")
    return found[0] if found else None


def wire(behaviours: Sequence[Behaviour]) -> None:
    """Set every behaviour's needs (:class:`Needs`) to the behaviours that provide them."""
    for behaviour in behaviours:
        for attribute, need in needs_of(type(behaviour)).items():
            found = provider(behaviours, need.interface, besides=behaviour)
            if found is None and not need.optional:
                raise MissingInterface(
                    f"behaviour '{behaviour.name}' needs a {need.interface.__name__} (its '{attribute}'), "
                    f"and none of {[b.name for b in behaviours]} provides one")
            setattr(behaviour, attribute, found)


def loggable(behaviour: Behaviour) -> frozenset[str]:
    """The events logged while ``behaviour`` steps: its own, and (through the interfaces it
    calls) those of the behaviours wired to its needs, and theirs in turn. After ``wire``."""
    found: set[str] = set()
    todo, seen = [behaviour], set()
    while todo:
        b = todo.pop()
        if id(b) in seen:
            continue
        seen.add(id(b))
        found.update(b.events)
        todo += [p for p in (getattr(b, a, None) for a in needs_of(type(b))) if isinstance(p, Behaviour)]
    return frozenset(found)
