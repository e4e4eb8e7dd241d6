"""A coherent prior over where the people who leave a caravan go (``Outflows``).

With independent factors each outflow (the leave rates, the asylum applications, the
detentions) has its own multiplier, drawn apart from the others over a wide range, so the
prior's members mix a high return rate with a low asylum rate and an unchanged size, and
the filter must find the rare member where they agree. Here they are drawn together:

- one **total** multiplier ``T``, log-uniform in [low, high], for how many leave;
- a **share vector** ``s`` over the routes out of the caravan (``leave``: give up, home or
  staying as ``return_share`` splits them; ``papers``: asylum or permit applications;
  ``detained``), Dirichlet with centre ``m`` and concentration ``alpha``;
- every setting of route k is multiplied by ``T * s_k / m_k * b_k`` (clipped to its factor's
  range), where ``b_k = m_k / mhat_k`` (within x1/3-3) moves the scenario's own split of its
  outflow, ``mhat`` (:func:`implied`: three runs of the scenario as written, counting who
  leaves by each route), to ``m``: at ``T = 1`` and ``s = m`` the scenario's total outflow
  split as the other caravans' was; a member with more leaving has more of every route, and a
  member sending more to one route sends fewer to the others.

``m`` and ``alpha`` are measured on the OTHER caravans (``outflows_other.csv``, the counts
that reports give of where a caravan's people went; ``benchmarks/outflow_shares.py`` prints
them): ``m`` the mean over caravans of each caravan's shares, ``alpha`` by the method of
moments from their spread between caravans (the caravan forecast is one more draw from
them). A scenario's own caravans (same start date) are left out.

Nothing is lost: the factors change rates, not people; each person stays in one state.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..model import simulation
from ..scenario.overrides import get_setting
from ..scenario.schema import Scenario

DATA = Path(__file__).resolve().parents[1] / "scenario" / "builtin" / "corridor" / "outflows_other.csv"
ROUTES = ("leave", "papers", "detained")  # the routes out of a caravan the model has
REBASE = 3.0  # the most the rebasing moves a route's settings (``Outflows.rebased``)
COLUMNS = {"leave": ("home", "stayed"), "papers": ("papers",), "detained": ("detained",)}  # the file's columns


@dataclass(frozen=True)
class Outflows:
    """The joint prior of the outflow factors (module doc): a factor on route ``routes[k]``
    gets ``T * s_k / shares[k]``."""

    routes: tuple[str, ...]
    shares: tuple[float, ...]  # m: the Dirichlet's centre, summing to 1
    concentration: float  # alpha: the Dirichlet's parameters are alpha * m
    low: float  # T's range
    high: float
    rebase: tuple[float, ...] | None = None  # b: m / the scenario's own shares (None: 1, the scenario's split kept)

    def draw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """(n, routes) multipliers T * s / m * b."""
        total = np.exp(np.log(self.low) + rng.random(n) * (np.log(self.high) - np.log(self.low)))
        m = np.array(self.shares)
        s = rng.dirichlet(self.concentration * m, size=n)
        return total[:, None] * s / m[None, :] * np.array(self.rebase or np.ones(len(m)))[None, :]

    def only(self, routes: list[str]) -> Outflows:
        """The same prior over ``routes`` only (the scenario has no setting on the others), shares renormalised."""
        keep = [k for k, r in enumerate(self.routes) if r in routes]
        m = np.array([self.shares[k] for k in keep])
        return Outflows(tuple(self.routes[k] for k in keep), tuple(float(x) for x in m / m.sum()),
                        self.concentration, self.low, self.high,
                        None if self.rebase is None else tuple(self.rebase[k] for k in keep))

    def rebased(self, own: dict[str, float]) -> Outflows:
        """The prior moving ``own`` shares (the scenario's, :func:`implied`) to ``shares``: b = m / own,
        within x1/3-3 (1 for a route nobody took in the scenario's runs: nothing to scale): a first-order
        correction, and a route's settings respond less than in proportion far from the scenario's
        (a chance saturates, a checkpoint detains fewer of a large group), or are not all its route."""
        b = [min(max(m / own[r], 1 / REBASE), REBASE) if own.get(r, 0) > 0 else 1.0
             for r, m in zip(self.routes, self.shares)]
        return replace(self, rebase=tuple(b))


@dataclass(frozen=True)
class Caravan:
    """One row of ``outflows_other.csv``: how many went each way (None: not counted)."""

    name: str
    start: dt.date
    size: int
    counts: dict[str, int | None]
    note: str

    def shares(self) -> dict[str, float] | None:
        """Its shares over ``ROUTES`` (a route no report counted: 0, reports count the routes that
        mattered), or None when nothing was counted."""
        by_route = {r: sum(self.counts[c] or 0 for c in COLUMNS[r]) for r in ROUTES}
        total = sum(by_route.values())
        return {r: v / total for r, v in by_route.items()} if total > 0 else None


def read_caravans(path: Path = DATA) -> list[Caravan]:
    with open(path, newline="", encoding="utf-8") as f:
        return [Caravan(row["caravan"], dt.date.fromisoformat(row["start"]), int(row["size"]),
                        {c: int(row[c]) if row[c] else None for c in ("home", "papers", "detained", "stayed")},
                        row["note"]) for row in csv.DictReader(f)]


def measured(caravans: list[Caravan]) -> tuple[np.ndarray, float, float, np.ndarray]:
    """(the caravans' share vectors (caravans, routes) of those with shares, their concentration by
    the method of moments, the concentration the prior uses, their mean ``m``).

    The prior's concentration is at least ``1 / min(m)``, so that every route's Dirichlet parameter
    is >= 1 (unimodal): the caravans' spread is mostly routes no report counted, entered as 0, and a
    U-shaped Dirichlet would put most members on one route alone."""
    x = np.array([[c.shares()[r] for r in ROUTES] for c in caravans if c.shares() is not None])  # type: ignore[index]
    m = x.mean(axis=0)
    var = x.var(axis=0, ddof=1)
    moments = float((m * (1 - m)).sum() / var.sum() - 1)  # Var(s_k) = m_k (1 - m_k) / (alpha + 1)
    return x, moments, max(moments, 1 / float(m.min())), m


def outflows_for(scenario: Scenario, low: float, high: float, path: Path = DATA) -> Outflows:
    """The prior measured on the other caravans: those of the file not starting on a day one of
    ``scenario``'s caravans starts (its own are left out), T in [low, high]."""
    own = _starts(scenario)
    _, _, alpha, m = measured([c for c in read_caravans(path) if c.start not in own])
    return Outflows(ROUTES, tuple(float(v) for v in m), alpha, low, high)


def _starts(scenario: Scenario) -> set[dt.date]:
    if scenario.corridor is None:
        return set()
    return {scenario.date_of(c.start_day) for c in scenario.corridor.caravans}


def route_paths(scenario: Scenario) -> dict[str, list[str]]:
    """The settings (non-zero) of each route in ``scenario``: one factor each."""
    corridor = scenario.corridor
    paths: dict[str, list[str]] = {r: [] for r in ROUTES}
    if corridor is None:
        return paths
    for i in range(len(corridor.caravans)):
        for name in ("leave_rate", "leave_rate_held", "leave_rate_queued"):
            paths["leave"].append(f"corridor.caravans[{i}].{name}")
    paths["leave"] += [f"corridor.offers[{j}].uptake" for j in range(len(corridor.offers))]
    paths["papers"] += ["corridor.papers.asylum.apply_rate", "corridor.papers.permits.apply_rate"]
    paths["detained"] += [f"corridor.enforcement.checkpoints[{j}].detention"
                          for j in range(len(corridor.enforcement.checkpoints))]
    return {r: [p for p in ps if _positive(scenario, p)] for r, ps in paths.items()}


def _positive(scenario: Scenario, path: str) -> bool:
    value = get_setting(scenario, path)
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


LEAVING = ("left the caravan", "left the caravan, stayed")  # the causes of the leave rates' events


def implied(scenario: Scenario, routes: list[str], seeds: tuple[int, ...] = (0, 1, 2)) -> dict[str, float]:
    """The scenario's own split of its outflow over ``routes``, counted over its whole period in
    runs with ``seeds``: leave (events of the leave rates and the offers), papers (asylum claims made
    at an office, permit requests), detained (detentions)."""
    offers = {o.name for o in scenario.corridor.offers} if scenario.corridor else set()
    counts = dict.fromkeys(routes, 0)
    for seed in seeds:
        events = simulation(scenario, seed=seed).run().tables.get("events")
        if events is None:
            continue
        for event, cause, n in zip(*(events[c].to_pylist() for c in ("event", "cause", "count"))):
            route = ("leave" if cause in LEAVING or cause in offers else
                     "papers" if (event, cause) == ("asylum_claim", "") or event == "permit_requested" else
                     "detained" if event == "detained" else None)
            if route in counts:
                counts[route] += n
    total = sum(counts.values())
    return {r: c / total for r, c in counts.items()} if total else {}
