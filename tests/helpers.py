"""Small scenario builders shared by the tests (plain functions, not fixtures)."""

from __future__ import annotations

import datetime as dt

from caravana.scenario.schema import (
    CountPoint,
    Location,
    MovementSettings,
    Period,
    Route,
    Scenario,
    Settings,
    Spawning,
)


def scenario(
    places: list[tuple[str, str, int, int | None]],
    routes: list[tuple[str, str, float]],
    *,
    days: int = 10,
    spawn: list[tuple[int, float]] | None = None,
    camp_counts: dict[str, list[tuple[int, float]]] | None = None,
    movement: dict | None = None,
    country: dict[str, str] | None = None,
    **extra,
) -> Scenario:
    """places: (name, type, population, capacity); routes: (from, to, km); spawn: (day, total)."""
    country = country or {}
    return Scenario(
        name="test",
        period=Period(start=dt.date(2020, 1, 1), days=days),
        locations=[
            Location(name=n, type=t, population=p, capacity=c, country=country.get(n, "A"))
            for n, t, p, c in places
        ],
        routes=[Route(**{"from": a, "to": b, "km": km}) for a, b, km in routes],
        spawning=Spawning(
            totals=[CountPoint(day=d, count=c) for d, c in (spawn or [])],
            camp_counts={k: [CountPoint(day=d, count=c) for d, c in v] for k, v in (camp_counts or {}).items()},
        ),
        settings=Settings(movement=MovementSettings(**(movement or {}))),
        **extra,
    )
