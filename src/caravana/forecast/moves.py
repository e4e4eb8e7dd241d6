"""What a report changes in a particle besides its weight: the caravan's size, where it
is and the people who went home (move steps on the state), and the parameter factors
and the walk's sd (Liu-West rejuvenation after resampling).

**Caravan size.** People join and leave a caravan in ways the model does not see
(word of mouth, buses home, groups catching up). Between two reports of a caravan's
size the filter treats that as a random walk of its log size (``log1p``), with sd
``sd_per_day`` x sqrt(days since the last report of its size). A particle whose
caravan has ``s`` members before a report ``y`` then

- is weighted by the *marginal* likelihood p(y | s) = integral of p(y | x) N(x; log1p s, tau^2) dx
  (the report's likelihood, ``caravana.metrics.NoiseModel``, smoothed by the walk), and
- has its caravan set to a size drawn from p(x | s, y), the walk's prior times the
  report's likelihood (``Caravans.resize``: joiners at the main body, leavers drawn
  at random among the members).

This is the locally optimal proposal of a particle filter for this part of the state
(Doucet, Godsill and Andrieu 2000): weights then depend on the state before the move
only, so a report far from every particle moves them all toward it instead of
leaving the weight on the one nearest. Both are computed on a grid of log sizes.

The walk's sd is each particle's own, drawn from a prior range and learnt like a factor
(the size reports weigh it through the marginal).

**Where the caravan is.** A report of people present at a place on a caravan's road
says where its main body was: the body's progress drifts from the model's by a random
walk of its km (sd ``km_sd_per_day`` x sqrt(days since its position was last reported)).
Each stop on the road near the body takes the walk's mass of the km nearer it than its
neighbours; the particle is weighted by the report's likelihood averaged over the stops
(its count at the place with the body's members there or not) and the body, with its
members, is moved to a stop drawn from the posterior (``PositionMove``,
``move_positions``). Moves stop short of planned stays, splits, borders and blockades.
A reported arrival or departure day says where the body slept (the night of the arrival,
the eve of the departure) and is assimilated the same way on that night, each stop
scored by the days it puts the body early or late (``move_days``). With
``reported_days="once"`` the walk is realised once a night: a second report of a night
already reported only weighs where the first left the body (``PositionMove.walks_again``).
A count far below the caravan's reported size (an advance group, stragglers: ``part_counts``)
says nothing of where the body slept: it is scored as a count and moves nothing, nor restarts
the walk.

**People who went home.** A report of returns (at a place, in a country, everywhere) is
scored and moved alike: the leaving half of the walk may have sent home, unseen, a share
1 - exp(-e) (e half-normal, the walk's sd over the days since the last report of returns
there) of the members of the caravans whose main body stood there since; the particle is
weighted by the report's likelihood averaged over that share, and members drawn from the
posterior share become RETURNED at those places (``LeaveMove``, ``move_returns``).

**Parameters.** After each resampling the factors (in log space) of particle j, a copy
of particle k, are drawn from N(a theta_k + (1 - a) theta_bar, h^2 V), with theta_bar and
V the weighted mean and covariance before resampling, a = (3 delta - 1) / (2 delta) and
h^2 = 1 - a^2 (Liu and West 2001): the kernel keeps the posterior's mean and variance
while copies of one particle spread out again. Values are clipped to the prior range.
Only factors of settings a running caravan can take up (``Caravans.RETUNABLE``) move.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..behaviours.corridor.caravan import Caravans
from ..behaviours.corridor.common import set_status
from ..behaviours.corridor.interfaces import CaravanGroups, CaravanTrack
from ..engine.behaviour import Behaviour
from ..engine.simulation import Simulation
from ..engine.status import Status
from ..metrics import PRESENT, NoiseModel, day_error
from ..observations import Observation, Observations, Quantity
from ..scenario.overrides import get_setting
from ..scenario.schema import Scenario
from .parameters import Factor

# A caravan's settings a running simulation can take up (Caravans.retune): the setting
# itself or an item of a list of them (pace[i].km, joiners[i].per_day).
_RETUNABLE = re.compile(r"corridor\.caravans\[\d+\]\.(" + "|".join(Caravans.RETUNABLE) + r")(\[\d+\]\.\w+)?$")
_RETUNABLE_PARTS = re.compile(r"corridor\.caravans\[(\d+)\]\.(\w+)(?:\[(\d+)\]\.(\w+))?$")
CAUSE = "assimilation"  # the cause of events the move step logs


def _learnt(low: float, high: float | None) -> bool:
    """A walk's sd is learnt when it has a prior range, not a fixed value."""
    return high is not None and high > low


def walk_spread(sd_per_day: float, days: int, reversion: float = 0.0) -> float:
    """sd of the size walk's log deviation ``days`` (at least 1) after it was last set to
    zero (a report): sd x sqrt(days) for a random walk (``reversion`` 0); for a walk that
    reverts to the model's own size at ``reversion`` a day (Ornstein-Uhlenbeck),
    sd x sqrt((1 - exp(-2 k days)) / (2 k)), which levels off at sd / sqrt(2 k)."""
    days = max(days, 1)
    if reversion <= 0.0:
        return sd_per_day * math.sqrt(days)
    return sd_per_day * math.sqrt(-math.expm1(-2.0 * reversion * days) / (2.0 * reversion))


def _draw_sd(low: float, high: float | None, n: int, rng: np.random.Generator) -> np.ndarray:
    """Each particle's sd of a walk: ``low`` if fixed, else log-uniform in [low, high]."""
    if high is None or not _learnt(low, high):
        return np.full(n, low)
    return np.exp(rng.uniform(np.log(low), np.log(high), n))


@dataclass(frozen=True)
class SizeMove:
    """Caravan-size reports move each particle's caravan (see the module doc)."""

    noise: NoiseModel  # how reports scatter, as in the likelihood
    sd_per_day: float = 0.1  # unobserved joining and leaving: sd of log size per day (the lower end if learnt)
    sd_high: float | None = None  # learnt: each particle draws its sd log-uniformly in [sd_per_day, sd_high]
    points: int = 801  # grid of log sizes, over +-6 sd of the walk
    reversion: float = 0.0  # a day: the walk reverts to the model's own size (0: a random walk; see walk_spread)

    @property
    def learns_sd(self) -> bool:
        return _learnt(self.sd_per_day, self.sd_high)

    def draw_sd(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Each particle's sd of the walk: the fixed value, or a draw from its prior."""
        return _draw_sd(self.sd_per_day, self.sd_high, n, rng)

    def weigh_and_draw(self, size: int, low: float, high: float, days: int, u: float,
                       sd_per_day: float | None = None) -> tuple[float, int]:
        """(log marginal likelihood of the report, the new size drawn with ``u`` in [0, 1));
        ``sd_per_day``: the particle's own sd of the walk (default: the move's)."""
        tau = walk_spread(self.sd_per_day if sd_per_day is None else sd_per_day, days, self.reversion)
        mu = np.log1p(size)
        x = mu + tau * np.linspace(-6.0, 6.0, self.points)
        x = x[x >= 0.0]  # no fewer than zero people
        dx = 12.0 * tau / (self.points - 1)
        log_prior = -0.5 * ((x - mu) / tau) ** 2 - np.log(tau * np.sqrt(2 * np.pi))
        log_report = self.noise.count_log_density(x, np.log1p(low), np.log1p(high))
        joint = log_prior + log_report
        top = joint.max()
        mass = np.exp(joint - top)
        log_marginal = float(top + np.log(mass.sum() * dx))
        cumulative = np.cumsum(mass) / mass.sum()
        i = min(int(np.searchsorted(cumulative, u, side="right")), len(x) - 1)
        return log_marginal, max(int(round(np.expm1(x[i]))), 0)


class SizeWalk(Behaviour):
    """After the as-of date the unobserved joining and leaving go on: each day, every
    caravan's log size takes a step of the walk (sd ``sd_per_day``), drawn on this
    behaviour's own stream (``Caravans.resize``, logged with cause ``CAUSE``). Its first
    step also takes the days since the caravan's size was last reported, which no
    report has settled (``last``: caravan -> that day). Without it a forecast's bands
    would carry only the model's own noise past the as-of date, and narrow with time
    where the reports say a caravan's size drifts. With ``until`` (the as-of day) it takes
    the noise of the days up to ``until`` only and then fades (``walk_after_as_of=False``)."""

    name = "size_walk"
    events = ("joined", "settled")  # through Caravans.resize

    def __init__(self, sd_per_day: float, last: dict[int, int], reversion: float = 0.0,
                 until: int | None = None) -> None:
        self.sd_per_day, self.last, self.reversion = sd_per_day, dict(last), reversion
        self.until = until  # the last day the walk takes fresh noise (None: every day)
        self.deviation: dict[int, float] = {}  # caravan -> the walk's log deviation so far (0 at its last report)

    def step(self, sim: Simulation) -> None:
        caravans = sim.provider(CaravanGroups)
        # Every caravan's members in one pass (resizing one changes no other's members).
        for c, (spec, members) in enumerate(zip(caravans.specs, caravans.all_members(sim))):
            column = caravans.column(sim, c, members)  # as the size reports count it
            if len(column) == 0:  # not formed yet, or every member arrived or left
                continue
            since = self.last.get(c, spec.start_day)
            days = max(sim.day - since, 1)
            self.last[c] = sim.day
            # The deviation's transition over ``days`` (Ornstein-Uhlenbeck; a random walk
            # when reversion is 0): it decays by exp(-k days) and takes fresh noise, with
            # ``until`` the noise of the days up to it only, decayed over the days after.
            fed = days if self.until is None else min(sim.day, self.until) - since
            spread = 0.0 if fed <= 0 else (walk_spread(self.sd_per_day, fed, self.reversion)
                                           * math.exp(-self.reversion * (days - fed)))
            step = spread * self.rng.standard_normal()
            if self.reversion > 0.0:
                before = self.deviation.get(c, 0.0)
                self.deviation[c] = before * math.exp(-self.reversion * days) + step
                step = self.deviation[c] - before
            target = max(int(round(np.expm1(np.log1p(len(column)) + step))), 0)
            caravans.resize(sim, c, target, self.rng, CAUSE, column)


class StageNoise(Behaviour):
    """A caravan's day's stage is not the same every day (a ride found or not, heat, a long
    walk to the next town): every member of a forecast, prior and posterior alike, scales
    each caravan's pace by a fresh factor every day, log-normal with sd ``sd`` and mean 1
    (the model's pace stays its mean pace), drawn on this behaviour's own stream. Stepped
    after the model's own behaviours, a day's draw sets the next day's stages (the first
    is drawn at start-up). Without it the model's stages are fixed, so a member's timing
    varies only by its pace factor and its rest days: the prior of the 2018 corridor
    reached Tecun Uman on Oct 18 or Oct 21, never in between."""

    name = "stage_noise"
    keeps_counts = True  # changes nobody's place or status
    moves_people = False
    # Class defaults: a forecast checkpoint pickled before these attributes existed
    # resumes with daily draws (as it was run), not an AttributeError.
    half_life: float = 0.0
    deviation: np.ndarray | None = None

    def __init__(self, sd: float, half_life: float = 0.0) -> None:
        self.sd, self.half_life = sd, half_life
        self.applied: list[float] = []  # caravan -> the factor its pace carries now
        self.deviation: np.ndarray | None = None  # caravan -> its pace's log deviation today

    def init(self, sim: Simulation) -> None:
        self.applied = [1.0] * len(sim.provider(CaravanGroups).states)
        self.deviation = None
        self.step(sim)

    def step(self, sim: Simulation) -> None:
        states = sim.provider(CaravanGroups).states
        x = self.sd * self.rng.standard_normal(len(states))
        if self.half_life > 0 and self.deviation is not None:
            # A stretch of fast or slow days lasts (AR(1), stationary sd ``sd``): today's
            # deviation keeps rho of yesterday's, rho halving it every ``half_life`` days.
            rho = 0.5 ** (1.0 / self.half_life)
            x = rho * self.deviation + math.sqrt(1.0 - rho * rho) * x
        self.deviation = x
        draws = np.exp(x - self.sd**2 / 2)
        for c, (st, factor) in enumerate(zip(states, draws)):
            # One ratio on every leg, as Caravans.retune scales pace: a factor rejuvenated
            # meanwhile is kept.
            st.path.pace = (st.path.pace * (factor / self.applied[c])).astype(np.float32)
            self.applied[c] = float(factor)


def size_rows(observations: Observations) -> tuple[list[Observation], list[Observation]]:
    """(caravan-size reports, the others)."""
    size = [r for r in observations if r.quantity == Quantity.caravan_size]
    return size, [r for r in observations if r.quantity != Quantity.caravan_size]


def caravan_index(sim: Simulation, name: str | None) -> int:
    """The caravan a report names, or the first (as ``caravana.metrics`` reads it)."""
    specs = sim.provider(CaravanGroups).specs
    return 0 if name is None else [s.name for s in specs].index(name)


def _walk_report(sim: Simulation, obs: Observation, since: dict[int, int], origin: str,
                 what: str) -> tuple[int, int, float, float]:
    """(caravan, days of its walk since it was last reported or since its spec's ``origin``
    day, the report's low and high) of a count report just stepped to; ``since`` updated."""
    c = caravan_index(sim, obs.caravan)
    day = sim.day - 1  # the report's day, just stepped
    days = day - since.get(c, getattr(sim.provider(CaravanGroups).specs[c], origin))
    since[c] = day
    low, high = obs.bounds
    if low is None or high is None:
        raise ValueError(f"{what} of {obs.date} has no count")
    return c, days, low, high


def move_sizes(
    sims: Sequence[Simulation], rows: Sequence[Observation], move: SizeMove, since: dict[int, int],
    rng: np.random.Generator, sd: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Apply the size reports of one date to every particle, in order; returns each
    particle's log marginal likelihood and (people added, people removed) over all.
    ``since[c]`` is the day caravan c's size was last reported (updated); ``sd``: each
    particle's sd of the walk (default: the move's). A caravan with no members (not
    formed, or all arrived) is scored as it is and not moved."""
    out, changed = np.zeros(len(sims)), np.zeros(2, dtype=np.int64)
    for obs in rows:
        c, days, low, high = _walk_report(sims[0], obs, since, "start_day", "a caravan size report")
        for i, sim in enumerate(sims):
            caravans = sim.provider(CaravanGroups)
            size = caravans.size(sim, c)
            if size == 0:
                out[i] += float(move.noise.count_log_density(0.0, np.log1p(low), np.log1p(high)))
                continue
            score, target = move.weigh_and_draw(size, low, high, days, float(rng.random()),
                                                None if sd is None else float(sd[i]))
            out[i] += score
            change = caravans.resize(sim, c, target, rng, CAUSE)
            changed[int(change < 0)] += abs(change)
    return out, changed


# ---------------------------------------------------------------- where the caravan is


# How a reported arrival or departure day is assimilated (``PositionMove.reported_days``):
# "move": it says where the main body slept, and moves it there (``move_days``, session 7);
# "once": the same, but the walk of the body's km is realised once a night: a report of a
# night whose position was already reported (a count at a place on the road, another
# reported day) weights the particle where its body is and moves nothing (session 8);
# "weigh": it only weights particles, by the day the run's caravan gets there (session 6).
REPORTED_DAYS = ("move", "once", "weigh")


@dataclass(frozen=True)
class PositionMove:
    """Reports of how many people were at a place on the caravan's road move each
    particle's caravan along it (see the module doc)."""

    noise: NoiseModel  # how reports scatter, as in the likelihood
    km_sd_per_day: float = 10.0  # unobserved progress: sd of the main body's km per sqrt(day) (the lower end if learnt)
    km_sd_high: float | None = 80.0  # learnt: each particle draws its sd log-uniformly in [km_sd_per_day, km_sd_high]
    reported_days: str = "move"  # how a reported arrival or departure day is assimilated: one of REPORTED_DAYS

    def __post_init__(self) -> None:
        if self.reported_days not in REPORTED_DAYS:
            raise ValueError(f"reported_days must be one of {', '.join(REPORTED_DAYS)}, got {self.reported_days!r}")

    @property
    def learns_sd(self) -> bool:
        return _learnt(self.km_sd_per_day, self.km_sd_high)

    @property
    def moves_days(self) -> bool:
        """Reported arrival and departure days move the main body (``move_days``); else they
        only weight particles, by the day the run's caravan gets there (as before session 7)."""
        return self.reported_days != "weigh"

    def walks_again(self, since: dict[int, int], c: int, night: int) -> bool:
        """Whether a report of caravan ``c``'s position on ``night`` realises the walk of its
        body's km again: not under "once" when the body's position on that night was already
        reported (``since``: caravan -> the last night reported). The walk's increment over
        no time is zero, so a second report of one night can only weigh where the first left
        the body (two reports of one state, each scored once: sequential Bayes)."""
        return self.reported_days != "once" or since.get(c) != night

    def draw_sd(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Each particle's sd of the position walk: the fixed value, or a draw from its prior."""
        return _draw_sd(self.km_sd_per_day, self.km_sd_high, n, rng)

    def weigh_and_draw(self, km: np.ndarray, body: float, counts: np.ndarray, low: float, high: float,
                       tau: float, u: float) -> tuple[float, int]:
        """(log marginal likelihood of the report, the stop drawn with ``u`` in [0, 1)) for a
        main body at km ``body`` whose candidate stops are ``km`` (ascending, ``body`` among
        them) and would make the report's count ``counts``. Each stop takes the prior mass
        of the km nearer it than its neighbours under N(body, tau^2), the walk's spread."""
        return _weigh_stops(km, body, tau, self.noise.count_log_density(np.log1p(counts), np.log1p(low), np.log1p(high)), u)

    def weigh_and_draw_day(self, km: np.ndarray, body: float, place_km: float, stage_km: float, tau: float,
                           u: float) -> tuple[float, int]:
        """The same for a report that the main body slept at the place at km ``place_km``
        that night (``move_days``): a stop ``x`` km from the place is (x - place_km) /
        ``stage_km`` days ahead of the report (a day's stage away is a day early or late),
        scored as a reported day is (Gaussian, the noise's ``day_sd``)."""
        off = (km - place_km) / max(stage_km, 1e-6)
        return _weigh_stops(km, body, tau, self.noise.day_log_density(off), u)


def _weigh_stops(km: np.ndarray, body: float, tau: float, log_report: np.ndarray, u: float) -> tuple[float, int]:
    """(log marginal likelihood, the stop drawn with ``u``) over the candidate stops ``km``
    (ascending, ``body`` among them), each with the prior mass of the km nearer it than
    its neighbours under N(body, tau^2) and the report's log-likelihood ``log_report``."""
    mids = (km[1:] + km[:-1]) / 2
    cdf = _normal_cdf((np.concatenate(([-np.inf], mids, [np.inf])) - body) / tau)
    prior = np.diff(cdf)
    with np.errstate(divide="ignore"):
        joint = np.log(prior) + log_report
    top = joint.max()
    mass = np.exp(joint - top)
    i = min(int(np.searchsorted(np.cumsum(mass) / mass.sum(), u, side="right")), len(km) - 1)
    return float(top + np.log(mass.sum())), i


def _normal_cdf(z: np.ndarray) -> np.ndarray:
    """Phi(z), elementwise (few values: math.erfc, no SciPy at run time)."""
    return np.array([0.5 * math.erfc(-x / math.sqrt(2.0)) for x in z])


def position_rows(observations: Sequence[Observation], routes: dict[str, dict[str, float]],
                  parts: Sequence[Observation] = ()) -> tuple[list[Observation], list[Observation]]:
    """(reports of people present at a place on a caravan's road, the others); the caravan
    is the one a report names, or the first (as ``caravana.metrics`` reads it). A report
    among ``parts`` (``part_counts``: it counts a part of the caravan) is among the others."""
    return _on_road(observations, routes,
                    lambda r: r.quantity == Quantity.present and not any(r is p for p in parts))


# A count at a place this many times below the caravan's size counts a part of it (an advance
# group, stragglers), not where its main body slept (``part_counts``). Set from the other caravans,
# not from any 2018 score: a count of the main body fell 2.2 times below the largest size reported
# before it (2023: 3,000 at Huixtla on Nov 8 after 6,500 on Nov 1, the caravan dwindling), and two
# reports of a whole caravan a day apart differ by up to 2.4 times (2021: 4,000 on Nov 8, 1,680 on
# Nov 9); 3 is the first whole factor above both. (In-sample: chosen after session 20 read that
# 2018's 500 at Tecun Uman on Oct 18, an advance group, restarted the position walk.)
PART_OF_CARAVAN = 3.0


def part_counts(observations: Sequence[Observation], routes: dict[str, dict[str, float]],
                factor: float = PART_OF_CARAVAN) -> list[Observation]:
    """The reports of people present at a place on a caravan's road that count a part of it,
    not its main body: their count (the high end) is more than ``factor`` times below the
    largest size reported for that caravan on or before their date (not its latest report:
    reports of a whole caravan scatter by a factor 2 and more from one day to the next). Such
    a report is scored as a count of the place, as the particle stands; it does not place the
    body there, nor restart the body's walk (``move_positions``). A caravan with no size
    reported yet has no part counts. The caravan is the one a report names, or the first (as
    ``caravana.metrics`` reads it)."""
    first = next(iter(routes), None)
    sizes: dict[str | None, list[tuple[dt.date, float]]] = {}
    for r in observations:
        if r.quantity == Quantity.caravan_size and r.value is not None:
            sizes.setdefault(r.caravan or first, []).append((r.date, float(r.value)))
    out = []
    for r in _on_road(observations, routes, lambda r: r.quantity == Quantity.present)[0]:
        largest = max((v for d, v in sizes.get(r.caravan or first, []) if d <= r.date), default=None)
        high = r.bounds[1]
        if largest is not None and high is not None and high * factor < largest:
            out.append(r)
    return out


def _on_road(observations: Sequence[Observation], routes: dict[str, dict[str, float]],
             keep: Callable[[Observation], bool]) -> tuple[list[Observation], list[Observation]]:
    """(the reports ``keep`` takes that name a place on their caravan's road, the others); the
    caravan is the one a report names, or the first (as ``caravana.metrics`` reads it)."""
    first = next(iter(routes), None)
    on_road = [r for r in observations if keep(r) and r.place is not None
               and r.place in routes.get(r.caravan or first or "", {})]
    return on_road, [r for r in observations if not any(r is o for o in on_road)]


# Where a moved body may stop between towns: a point every ROAD_STEP_KM of road (est: a few
# hours' walk, a fraction of a day's stage of 40-90 km).
ROAD_STEP_KM = 20.0


def _stops(sim: Simulation, c: int, tau: float) -> tuple[np.ndarray, np.ndarray]:
    """Where caravan ``c``'s main body may be moved: (km, place index of each) of the
    stops on its road within 4 tau of the body (its towns and a point every
    ``ROAD_STEP_KM`` between them), the body's own km among them. Not past
    a stay the body has planned or made, a split, a blockade or the road's end (the
    model's own events there are not skipped or repeated), and not on from the place
    where it regroups after crossing a blockade (``CaravanState.regroup``)."""
    caravans = sim.provider(CaravanGroups)
    st = caravans.states[c]
    path, body = st.path, float(st.body)
    km = path.km.astype(np.float64)
    halt = path.halt.copy()  # a move may land on a planned stay or a split, not pass it
    for split in st.spec.splits:
        halt |= path.places == sim.network.index(split.at)
    # Link s leaves place s. A border or a blockade is not crossed by a move, either way:
    # the model's own crossing there (a bridge, checks, a queue) is not skipped or repeated.
    country = sim.network.country_id[path.places]
    closed = country[1:] != country[:-1]
    enforcement = getattr(caravans, "enforcement", None)
    if enforcement is not None and len(path.links):
        closed = closed | (np.asarray(enforcement.barriers(path.links)[0]) > 0)
    # The stay the body sits on with days of it left is ahead too: a move past it would skip it.
    ahead = [k for k, h in zip(km, halt) if h and (k > body or (k == body and st.stay_left > 0))] + [
        k for k, c in zip(km[:-1], closed) if c and k >= body]
    # The night at the first place past a blockade it crossed (and the nights it regroups
    # there) is the model's crossing too (``Caravans._stage``: "cross, then regroup at the
    # next place"): a move does not carry the body on past it that night.
    if st.regroup:
        ahead.append(body)
    behind = [k for k, h in zip(km, halt) if h and k < body] + [k for k, c in zip(km[1:], closed) if c and k <= body]
    low = max(body - 4 * tau, max(behind, default=0.0))
    high = min(body + 4 * tau, min(ahead, default=np.inf))
    keep = (km >= low) & (km <= high) & (km < km[-1])
    # Points by the road between towns too (a body that stopped short of a town, as the
    # model's own stages do where towns are far apart: 265 km of road between Guatemala
    # City and Tecun Uman have none); counted, as the metrics count them, at the place the
    # road leaves from.
    road = np.arange(np.ceil(max(low, 0.0) / ROAD_STEP_KM) * ROAD_STEP_KM, min(high, float(km[-1])), ROAD_STEP_KM)
    candidates = np.unique(np.concatenate((km[keep], road, [body])))
    return candidates, path.places[path.segment(candidates.astype(path.km.dtype))]


def shift(sim: Simulation, c: int, km: float) -> int:
    """Move caravan ``c``'s main body, and its members with it, to km ``km`` of its road
    (a stop: the body sleeps at a place there); stragglers stay where they are. Returns
    how many people moved."""
    caravans = sim.provider(CaravanGroups)
    st = caravans.states[c]
    pop = sim.population
    m = caravans.members(sim, c)
    with_body = m[pop.ckm[m] == st.body]
    target = st.path.km.dtype.type(km)
    _reach_again(caravans.arrivals[c], st.path, sim.day - 1, float(st.body), float(target), len(with_body))
    pop.ckm[with_body] = target
    caravans.place(sim, c, with_body)
    at = np.flatnonzero(st.path.km == target)
    st.body = np.float32(target)
    # A planned stay is kept where the body lands on one. At a blockade the night the move
    # puts it there is its first night held, as the model counts the night it arrives
    # (``_step_caravan``): a body moved to the bridge on the night of Oct 19, 2018 tries
    # the river the next day, as one that walked there; elsewhere nobody is held.
    st.stay_left = int(st.path.stopover[at[0]]) if len(at) else 0
    st.held = caravans.held_here(c, int(np.count_nonzero(pop.ckm[m] == target)))
    st.held_nights = int(st.held)
    return len(with_body)


def _reach_again(arrivals: np.ndarray, path, day: int, old: float, new: float, n: int) -> None:
    """The caravan's arrivals at places (``arrivals``: day x place, the ``caravan_arrivals``
    table) as a body of ``n`` moved on the night of ``day`` from km ``old`` to ``new`` makes
    them: moved on, they reach the places in (old, new] that day, as the model counts a stage;
    moved back, they have not reached those in (new, old], and their latest arrivals there
    are taken back (they will reach them again when they walk on)."""
    ahead = new > old
    passed = path.places[(path.km > min(old, new)) & (path.km <= max(old, new))]
    for place in passed:
        if ahead:
            arrivals[day, place] += n
            continue
        left = n
        for d in range(day, -1, -1):  # the latest first
            take = min(left, int(arrivals[d, place]))
            arrivals[d, place] -= take
            left -= take
            if not left:
                break


def move_positions(
    sims: Sequence[Simulation], rows: Sequence[Observation], move: PositionMove, since: dict[int, int],
    rng: np.random.Generator, sd: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Apply the reports of people present at a place on a caravan's road of one date to
    every particle, in order; returns each particle's log marginal likelihood and (caravans
    moved, people moved) over all. A particle's count at the place is what its caravan's
    main body would make it at each stop the body may be moved to (``_stops``): the count
    without the body's members, plus them if the stop is at the place. ``since[c]``: the
    day caravan c's position was last reported (updated); ``sd``: each particle's sd of
    the walk (default: the move's). A caravan not on the road (not
    formed, merged, no members, not set out yet) is scored as it is and not moved, as is,
    under "once", one whose position on that night was already reported (``walks_again``)."""
    out, moved = np.zeros(len(sims)), np.zeros(2, dtype=np.int64)
    statuses = [int(s) for s in PRESENT]
    for obs in rows:
        walks = move.walks_again(since, caravan_index(sims[0], obs.caravan), sims[0].day - 1)
        c, days, low, high = _walk_report(sims[0], obs, since, "departure_day", "a report of people present")
        spec = sims[0].provider(CaravanGroups).specs[c]
        if obs.place is None:
            raise ValueError(f"a report of people present of {obs.date} names no place")
        place = sims[0].network.index(obs.place)
        for i, sim in enumerate(sims):
            tau = (move.km_sd_per_day if sd is None else float(sd[i])) * np.sqrt(max(days, 1))
            caravans = sim.provider(CaravanGroups)
            st = caravans.states[c]
            pop = sim.population
            # As the particle stands now, not as the day was counted: an earlier report of the
            # date may have moved a body (the day's record is re-counted after all its moves).
            present = float(np.count_nonzero((pop.loc[: pop.n] == place) & np.isin(pop.status[: pop.n], statuses)))
            walking = st.formed and st.merged_into is None and sim.day > spec.departure_day
            m = caravans.members(sim, c) if walking else np.zeros(0, dtype=np.int64)
            n_body = int(np.count_nonzero(pop.ckm[m] == st.body))
            if n_body == 0 or place not in st.path.places or not walks:
                out[i] += float(move.noise.count_log_density(np.log1p(present), np.log1p(low), np.log1p(high)))
                continue
            km, where = _stops(sim, c, tau)
            here = int(st.path.places[st.path.segment(np.asarray([st.body]))[0]]) == place
            counts = present - n_body * here + n_body * (where == place)
            score, j = move.weigh_and_draw(km, float(st.body), counts, low, high, tau, float(rng.random()))
            out[i] += score
            if km[j] != float(st.body):
                moved += (1, shift(sim, c, float(km[j])))
    return out, moved


# ---------------------------------------------------------------- reported days


def night_of(obs: Observation) -> dt.date:
    """The night a reported arrival or departure puts the caravan's main body at its
    place: the day it arrived, or the eve of the day it left."""
    return obs.date - dt.timedelta(days=1) if obs.quantity == Quantity.departed else obs.date


def day_rows(observations: Sequence[Observation], routes: dict[str, dict[str, float]], start: dt.date) -> tuple[
        list[Observation], list[Observation]]:
    """(reported arrival and departure days at a place on a caravan's road whose night
    (``night_of``) falls within the run, the others); the caravan is the one a report
    names, or the first (as ``caravana.metrics`` reads it)."""
    return _on_road(observations, routes,
                    lambda r: r.quantity in (Quantity.arrived, Quantity.departed) and night_of(r) >= start)


def _mean_stage(sim: Simulation, c: int, seg: int) -> float:
    """Caravan ``c``'s pace on leg ``seg`` without the day's stage noise (``StageNoise``)."""
    pace = float(sim.provider(CaravanGroups).states[c].path.pace[seg])
    noise = next((b for b in sim.behaviours if isinstance(b, StageNoise)), None)
    return pace / noise.applied[c] if noise is not None and c < len(noise.applied) else pace


def move_days(
    sims: Sequence[Simulation], rows: Sequence[Observation], move: PositionMove, since: dict[int, int],
    rng: np.random.Generator, sd: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Apply the reported arrival and departure days whose night is the day just stepped
    (``night_of``) to every particle, in order: the report says the main body slept at the
    place that night. Scored and moved like a report of people present
    (``move_positions``): each stop near the body (``_stops``, the same walk of its km)
    is weighted by how many days early or late it puts the body
    (``PositionMove.weigh_and_draw_day``), the particle by the marginal, and the body, with
    its members, is moved to a stop drawn from the posterior. So a caravan that halted
    (a rest, a stop negotiated with the authorities) is held in the state, where it ends,
    and not read as a slow pace, which would last. Returns each particle's log marginal
    likelihood and (caravans moved, people moved) over all. A caravan not on the road
    (not formed, merged, no members with its body) is scored where its body is and not
    moved; one whose road does not pass the place, as never getting there; under "once", a
    night already reported is scored where the body is and not moved (``walks_again``)."""
    out, moved = np.zeros(len(sims)), np.zeros(2, dtype=np.int64)
    for obs in rows:
        c = caravan_index(sims[0], obs.caravan)
        spec = sims[0].provider(CaravanGroups).specs[c]
        day = sims[0].day - 1  # the report's night, just stepped
        reported = day + (obs.date - night_of(obs)).days  # the report's own day (a departure: the night's next)
        walks = move.walks_again(since, c, day)
        days = day - since.get(c, spec.departure_day)
        since[c] = day
        if obs.place is None:
            raise ValueError(f"a reported {obs.quantity} day of {obs.date} names no place")
        place = sims[0].network.index(obs.place)
        for i, sim in enumerate(sims):
            tau = (move.km_sd_per_day if sd is None else float(sd[i])) * np.sqrt(max(days, 1))
            caravans = sim.provider(CaravanGroups)
            st = caravans.states[c]
            path, body, u = st.path, float(st.body), float(rng.random())
            if place not in path.places:  # as the metrics score a run that never gets there (days - D)
                out[i] += float(move.noise.day_log_density(day_error(np.nan, reported, sim.days)))
                continue
            place_km = float(path.km[path.index_of(place)])
            stage = _mean_stage(sim, c, int(path.segment(np.asarray([st.body]))[0]))
            walking = st.formed and st.merged_into is None and sim.day > spec.departure_day
            m = caravans.members(sim, c) if walking else np.zeros(0, dtype=np.int64)
            if not walks or not np.count_nonzero(sim.population.ckm[m] == st.body):
                out[i] += move.weigh_and_draw_day(np.array([body]), body, place_km, stage, tau, u)[0]
                continue
            km, _ = _stops(sim, c, tau)
            score, j = move.weigh_and_draw_day(km, body, place_km, stage, tau, u)
            out[i] += score
            if km[j] != body:
                moved += (1, shift(sim, c, float(km[j])))
    return out, moved


# ---------------------------------------------------------------- people who went home


@dataclass(frozen=True)
class LeaveMove:
    """Reports of people who went home move caravan members home (see the module doc)."""

    noise: NoiseModel  # how reports scatter, as in the likelihood
    points: int = 201  # grid of the walk's step, over [0, 5 sd]

    def weigh_and_draw(self, returned: int, available: int, low: float, high: float, tau: float,
                       u: float) -> tuple[float, int]:
        """(log marginal likelihood of the report, how many more members went home, drawn
        with ``u`` in [0, 1)) for a particle that counts ``returned`` and has ``available``
        caravan members that may have gone home unseen. The share that did is the leaving
        half of the size walk: 1 - exp(-e), e half-normal with sd ``tau`` (the walk's sd
        over the days since the last report of returns)."""
        e = np.linspace(0.0, 5.0 * tau, self.points)
        extra = np.round(available * -np.expm1(-e))
        log_prior = -0.5 * (e / tau) ** 2  # half-normal; the grid is even, so its constant cancels
        joint = log_prior + self.noise.count_log_density(np.log1p(returned + extra), np.log1p(low), np.log1p(high))
        top = joint.max()
        mass = np.exp(joint - top)
        log_marginal = float(top + np.log(mass.sum() / np.exp(log_prior).sum()))
        i = min(int(np.searchsorted(np.cumsum(mass) / mass.sum(), u, side="right")), len(e) - 1)
        return log_marginal, int(extra[i])


def returns_rows(observations: Sequence[Observation]) -> tuple[list[Observation], list[Observation]]:
    """(reports of people who went home, the others)."""
    home = [r for r in observations if r.quantity == Quantity.returned]
    return home, [r for r in observations if r.quantity != Quantity.returned]


def scope_of(sim: Simulation, place: str | None, countries: dict[str, str]) -> np.ndarray:
    """Which places a report counts at (bool per place): one place, a country's places
    or everywhere, as ``caravana.metrics`` reads it."""
    names = list(sim.network.names)
    if place is None:
        return np.ones(len(names), dtype=bool)
    if place in names:
        return np.array([n == place for n in names])
    return np.array([countries.get(n) == place for n in names])


def _left_from(sim: Simulation, since: int, scope: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """The members of every caravan whose main body stood in ``scope`` on a day after
    day ``since``: (members, each one's caravan as an index into the third item, and per
    such caravan the places in scope it stood at, one per day)."""
    caravans = sim.provider(CaravanGroups)
    log = sim.provider(CaravanTrack)
    members: list[np.ndarray] = []
    owner: list[np.ndarray] = []
    places: list[np.ndarray] = []
    for c, st in enumerate(caravans.states):
        body = log.body[c, since + 1: sim.day]
        body = body[~np.isnan(body)]
        where = st.path.places[st.path.segment(body)] if len(body) else np.zeros(0, dtype=np.int64)
        where = where[scope[where]]
        if len(where):
            mine = caravans.members(sim, c)
            members.append(mine)
            owner.append(np.full(len(mine), len(places)))
            places.append(where)
    if not members:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), []
    return np.concatenate(members), np.concatenate(owner), places


def move_returns(
    sims: Sequence[Simulation], rows: Sequence[Observation], move: LeaveMove, countries: dict[str, str],
    since: dict[str | None, int], sd: np.ndarray, rng: np.random.Generator, reversion: float = 0.0,
) -> tuple[np.ndarray, int]:
    """Apply the reports of people who went home of one date to every particle, in
    order; returns each particle's log marginal likelihood and the people sent home
    over all particles. A particle counts the people who went home or were deported
    where the report counts (``caravana.metrics``: at the place they left from). Some
    members of the caravans that stood there since the last report of returns there
    (``since[place]``, updated; the run's start before any) may have gone home unseen:
    they are drawn at random among the caravans' members and become RETURNED at one of
    those places (drawn among the days each caravan stood at one), logged as
    ``returned`` with cause ``CAUSE``. ``sd``: each particle's sd of the size walk a day
    (``reversion``: its reversion a day, ``walk_spread``).
    Nobody comes back from home: a report below a particle's count weighs it down, and
    the draw then sends next to nobody."""
    out, sent = np.zeros(len(sims)), 0
    home = [int(Status.RETURNED), int(Status.DEPORTED)]
    for obs in rows:
        scope = scope_of(sims[0], obs.place, countries)
        day = sims[0].day - 1  # the report's day, just stepped
        last = since.get(obs.place, -1)
        since[obs.place] = day
        low, high = obs.bounds
        if low is None or high is None:
            raise ValueError(f"a report of returns of {obs.date} has no count")
        for i, sim in enumerate(sims):
            pop = sim.population
            returned = int(np.count_nonzero(scope[pop.loc[: pop.n]] & np.isin(pop.status[: pop.n], home)))
            members, owner, places = _left_from(sim, last, scope)
            tau = walk_spread(float(sd[i]), day - last, reversion)
            score, extra = move.weigh_and_draw(returned, len(members), low, high, tau, float(rng.random()))
            out[i] += score
            if extra:
                chosen = rng.choice(len(members), size=extra, replace=False)
                where = np.empty(extra, dtype=np.int64)
                for k, at in enumerate(places):
                    mine = owner[chosen] == k
                    where[mine] = at[rng.integers(len(at), size=int(mine.sum()))]
                pop.loc[members[chosen]] = where  # first, so that the event is logged where they left from
                set_status(sim, members[chosen], Status.RETURNED, cause=CAUSE)
                sent += extra
    return out, sent


# ---------------------------------------------------------------- parameters


def retunable(factors: Sequence[Factor]) -> np.ndarray:
    """Which factors a running simulation can take up (bool per factor)."""
    return np.array([all(_RETUNABLE.match(p) for p in f.paths) for f in factors], dtype=bool)


def weighted_moments(columns: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The weighted mean and covariance of ``columns`` (rows: particles; weights summing to 1),
    in whatever coordinates the kernel works in (Liu-West's logs, the move's logits)."""
    mean = weights @ columns
    centred = columns - mean
    return mean, np.atleast_2d((weights[:, None] * centred).T @ centred)


@dataclass(frozen=True)
class LiuWest:
    """Kernel shrinkage of the factors after resampling (see the module doc)."""

    discount: float = 0.95

    @property
    def shrink(self) -> float:
        return (3 * self.discount - 1) / (2 * self.discount)

    def cooled(self, scale: float) -> LiuWest:
        """The kernel whose jitter sd h = sqrt(1 - a^2) is ``scale`` times this one's
        (iterated filtering's cooling, ``passes``): a = sqrt(1 - h^2), discount 1 / (3 - 2a)."""
        h = scale * float(np.sqrt(1.0 - self.shrink**2))
        return LiuWest(discount=1.0 / (3.0 - 2.0 * float(np.sqrt(1.0 - h * h))))

    def rejuvenate(
        self, values: np.ndarray, weights: np.ndarray, keep: np.ndarray, factors: Sequence[Factor],
        rng: np.random.Generator,
    ) -> np.ndarray:
        """New (particles, factors) values for the resampled particles ``keep`` of
        ``values``, weighted by ``weights`` before resampling; fixed factors are copied."""
        return self.rejuvenate_columns(values, weights, keep, retunable(factors),
                                       np.array([f.low for f in factors]), np.array([f.high for f in factors]), rng)

    def rejuvenate_columns(
        self, values: np.ndarray, weights: np.ndarray, keep: np.ndarray, moving: np.ndarray, low: np.ndarray,
        high: np.ndarray, rng: np.random.Generator,
    ) -> np.ndarray:
        """The same for any positive values (particles, columns): the ``moving`` columns
        are rejuvenated in log space and clipped to [low, high], the others copied."""
        out = values[keep].copy()
        if not moving.any():
            return out
        theta = np.log(values[:, moving])
        mean, cov = weighted_moments(theta, weights)
        a = self.shrink
        h2 = 1.0 - a * a
        centre = a * theta[keep] + (1 - a) * mean
        noise = rng.multivariate_normal(np.zeros(len(mean)), h2 * cov, size=len(keep), method="eigh")
        out[:, moving] = np.exp(np.clip(centre + noise, np.log(low[moving]), np.log(high[moving])))
        return out


def retune(sims: Sequence[Simulation], scenario: Scenario, factors: Sequence[Factor], values: np.ndarray) -> None:
    """Each particle's caravans carry on with its (new) values of the retunable factors.

    The caravans' settings are rebuilt directly (``model_copy``), not by re-validating
    the whole scenario as ``scenario_with`` does (16 ms a particle, a third of the
    filter's own time at 200 particles): every value lies within the factor's range,
    whose two ends ``check_factors`` validated."""
    if scenario.corridor is None:
        raise ValueError(f"scenario '{scenario.name}' has no caravans to retune")
    declared = len(scenario.corridor.caravans)
    moving = [(k, f) for k, (f, m) in enumerate(zip(factors, retunable(factors))) if m]
    bases = {p: get_setting(scenario, p) for _, f in moving for p in f.paths}
    for sim, v in zip(sims, values):
        caravans = sim.provider(CaravanGroups)
        specs = list(caravans.specs[:declared])
        for k, factor in moving:
            for path in factor.paths:
                scaled = bases[path] * float(v[k])
                parts = _RETUNABLE_PARTS.match(path)
                if parts is None:  # retunable() let it through: both patterns must agree
                    raise ValueError(f"{path}: not a caravan setting that can change mid-run")
                c, name, item, sub = parts.groups()
                specs[int(c)] = _set(specs[int(c)], name, int(item) if item else None, sub,
                                     round(scaled) if isinstance(bases[path], int) else scaled)
        caravans.retune(sim, specs)


def _set(spec, name: str, item: int | None, sub: str | None, value):
    """``spec`` with ``name`` (or ``name[item].sub``) set to ``value``."""
    if item is None:
        return spec.model_copy(update={name: value})
    items = list(getattr(spec, name))
    items[item] = items[item].model_copy(update={sub: value})
    return spec.model_copy(update={name: items})
