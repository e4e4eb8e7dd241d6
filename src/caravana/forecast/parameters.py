"""Uncertain parameters carried by each particle.

A *factor* multiplies the scenario's own value(s) at one or more setting paths
(the ``apply_overrides`` syntax); each particle draws it log-uniformly between
``low`` and ``high``, once, at the start. A factor of 1 is the scenario as
written, so priors read "the leave rate is within half to twice the scenario's".
Resampling keeps the factors of the particles the observations favour: the
posterior spread of each factor is what the data say about it.

Scenarios with caravans get :func:`default_factors`; others vary only the seed
unless factors are given. With ``outflows=True`` their outflow factors (leave rates,
asylum and permit applications, detentions) are drawn together (``outflows.Outflows``: a
total and the shares of its routes, measured on other caravans); by default the leave rate is
drawn alone, independently, as before: the joint prior failed its keep rule in session 13 (2021's
count score +15.8 %, its ancestors 104.4 -> 104.1;
benchmarks/results/forecast_outflows-2026-11-27-session13-s13attr-summary.txt), so it is asked
for by each caller (``caravana forecast --joint-outflows``), never by a module setting.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..errors import CaravanaError, ScenarioError
from ..scenario.overrides import apply_overrides, get_setting
from ..scenario.schema import Scenario
from .outflows import Outflows, implied, outflows_for, route_paths


@dataclass(frozen=True)
class Factor:
    """A multiplier drawn log-uniformly in [low, high] for every value at ``paths``; or, with
    ``outflows``, drawn with the other factors of that prior as its route ``route`` (clipped to
    [low, high])."""

    name: str
    paths: tuple[str, ...]
    low: float
    high: float
    outflows: Outflows | None = None
    route: int = 0

    def __post_init__(self) -> None:
        if not (0 < self.low <= self.high) or not math.isfinite(self.high):
            raise CaravanaError(f"factor '{self.name}': need 0 < low <= high, got {self.low}:{self.high}")
        if not self.paths:
            raise CaravanaError(f"factor '{self.name}': no setting to multiply")


def default_factors(scenario: Scenario, outflows: bool = False) -> list[Factor]:
    """For each caravan: its leave rate (x0.5-2), pace on every leg (x0.8-1.25), rest
    after km (x0.7-1.4; with a pace leg's own, if set) and joiners a day at every place (x0.7-1.4): the settings the
    corridor scenario marks as calibrated or estimated that move arrival days and
    head-counts most. With ``outflows`` (off by default) the leave rates are replaced by
    :func:`outflow_factors`, every outflow setting drawn together, the total x0.5-2."""
    if scenario.corridor is None:
        return []
    factors = []
    for i, caravan in enumerate(scenario.corridor.caravans):
        at = f"corridor.caravans[{i}]"
        pace = (f"{at}.pace_km", *(f"{at}.pace[{j}].km" for j in range(len(caravan.pace))))
        joiners = tuple(f"{at}.joiners[{j}].per_day" for j in range(len(caravan.joiners)))
        rest = (f"{at}.rest_after_km", *(f"{at}.pace[{j}].rest_after_km" for j, leg in enumerate(caravan.pace)
                                         if leg.rest_after_km is not None))  # (a leg's rest, if set: with it)
        if not outflows:
            factors.append(Factor(f"{caravan.name}.leave_rate", (f"{at}.leave_rate",), 0.5, 2.0))
        factors += [
            Factor(f"{caravan.name}.pace", pace, 0.8, 1.25),
            Factor(f"{caravan.name}.rest_after_km", rest, 0.7, 1.4),
        ]
        if joiners:
            factors.append(Factor(f"{caravan.name}.joiners", joiners, 0.7, 1.4))
    names = {f"corridor.caravans[{i}].{setting}": f"{c.name}.{setting}" for i, c in enumerate(scenario.corridor.caravans)
             for setting in ("leave_rate", "leave_rate_held", "leave_rate_queued")}
    return factors + (outflow_factors(scenario, outflows_for(scenario, 0.5, 2.0), names=names) if outflows else [])


def drawn(factor: Factor) -> str:
    """How ``factor`` is drawn, for forecast.json and parameters.csv: a joint outflow factor's range is only
    the clip of T * s_k / m_k (a route's share of a total), not a log-uniform range."""
    return "log-uniform" if factor.outflows is None else f"jointly (route {factor.outflows.routes[factor.route]})"


def outflows_record(factors: Sequence[Factor]) -> dict:
    """forecast.json's record of how the outflows were drawn: ``"joint"`` with the prior (routes, shares,
    concentration, T's range, rebase), else ``"independent"`` (each factor log-uniform), or ``"fixed"``
    (no factor drawn)."""
    prior = next((f.outflows for f in factors if f.outflows is not None), None)
    if prior is None:
        return {"outflows": "independent" if factors else "fixed"}
    return {"outflows": "joint", "outflow_prior": {
        "routes": list(prior.routes), "shares": list(prior.shares), "concentration": prior.concentration,
        "total_range": [prior.low, prior.high], "rebase": None if prior.rebase is None else list(prior.rebase)}}


def outflow_factors(scenario: Scenario, prior: Outflows, boxes: dict[str, tuple[float, float]] | None = None,
                    names: dict[str, str] | None = None) -> list[Factor]:
    """One factor for each non-zero outflow setting of ``scenario`` (``outflows.route_paths``), drawn
    jointly by ``prior`` (the routes it has settings on), rebased on the scenario's own split of its
    outflow (``outflows.implied``: three runs of it). A factor's range: ``boxes[path]`` if given,
    else T's range widened to the shares' (x0.05 below, / m_k above), every setting at most 1 (a share)."""
    paths = route_paths(scenario)
    routes = [r for r, ps in paths.items() if ps]
    prior = prior.only(routes).rebased(implied(scenario, routes))
    b = prior.rebase or (1.0,) * len(routes)
    factors = []
    for k, route in enumerate(prior.routes):
        for path in paths[route]:
            low, high = (boxes or {}).get(path, (0.05 * prior.low * b[k], prior.high / prior.shares[k] * b[k]))
            high = min(high, (1 - 1e-9) / float(get_setting(scenario, path)))  # a rate or chance stays a share (x high <= 1)
            factors.append(Factor((names or {}).get(path, path), (path,), min(low, high), high, prior, k))
    return factors


def parse_factor(text: str) -> Factor:
    """``PATH=LOW:HIGH`` (e.g. ``corridor.caravans[0].leave_rate=0.5:2``) as a factor."""
    path, sep, bounds = text.rpartition("=")
    low, sep2, high = bounds.partition(":")
    try:
        if not (sep and sep2 and path):
            raise ValueError
        return Factor(path, (path,), float(low), float(high))
    except ValueError:
        raise CaravanaError(f"--vary '{text}': write PATH=LOW:HIGH, e.g. corridor.caravans[0].leave_rate=0.5:2") from None


def check_factors(scenario: Scenario, factors: Sequence[Factor]) -> None:
    """Fail early, naming the setting, if a path is wrong, is varied twice or its value is not a number."""
    varied_by: dict[str, str] = {}
    for factor in factors:
        for path in factor.paths:
            if path in varied_by:  # the later factor would silently overwrite the earlier one's value
                raise ScenarioError(f"setting '{path}' is varied by two factors: '{varied_by[path]}' and "
                                    f"'{factor.name}'", field=path)
            varied_by[path] = factor.name
        for path in factor.paths:
            value = get_setting(scenario, path)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ScenarioError(f"factor '{factor.name}': setting '{path}' is not a number ({value!r})", field=path)
        for bound in (factor.low, factor.high):
            scenario_with(scenario, [factor], np.array([bound]))  # raises if a bound breaks a setting's limits


def without(factors: Sequence[Factor], paths: set[str]) -> list[Factor]:
    """``factors`` with the settings ``paths`` taken out (another factor varies them; a factor left with
    none is dropped): e.g. the default pace factor on the first days' pace only, when a caravan's later
    legs are drawn by a factor of their own."""
    kept = [(f, tuple(p for p in f.paths if p not in paths)) for f in factors]
    return [f if len(left) == len(f.paths) else replace(f, paths=left) for f, left in kept if left]


def draw_factors(factors: Sequence[Factor], n: int, rng: np.random.Generator) -> np.ndarray:
    """(n, factors) multipliers, each log-uniform in its [low, high]; those of an ``Outflows``
    prior then drawn together by it (after the others, from the same stream), clipped to their ranges."""
    u = rng.random((n, len(factors)))
    low = np.log([f.low for f in factors]).reshape(1, -1)
    high = np.log([f.high for f in factors]).reshape(1, -1)
    values = np.exp(low + u * (high - low))
    for prior in dict.fromkeys(f.outflows for f in factors if f.outflows is not None):
        routes = prior.draw(n, rng)
        for j, f in enumerate(factors):
            if f.outflows == prior:
                values[:, j] = np.clip(routes[:, f.route], f.low, f.high)
    return values


def scenario_with(scenario: Scenario, factors: Sequence[Factor], values: np.ndarray) -> Scenario:
    """The scenario with each factor's settings multiplied by its value (integers stay integers)."""
    overrides = {}
    for factor, value in zip(factors, values):
        for path in factor.paths:
            base = get_setting(scenario, path)
            scaled = base * float(value)
            overrides[path] = round(scaled) if isinstance(base, int) else scaled
    return apply_overrides(scenario, overrides)
