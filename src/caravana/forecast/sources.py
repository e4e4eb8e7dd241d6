"""Reports of one article enter the filter as one observation.

Several rows of an observations file often come from one article on one day (the
caravan's arrival at a town and the number counted there). Their errors are not
independent: the reporter's one reading of the situation (which group, which hour,
whose estimate) is in all of them. Multiplying their likelihoods as if they were
independent counts that shared error k times and makes the filter k times as sure as
one article warrants. So the k rows of one source and one date are tempered: each row's
log-likelihood is weighted 1/k (the geometric mean of their likelihoods), the usual
conservative way to combine dependent evidence (a power likelihood; Grünwald and van
Ommen 2017; tempering in Del Moral, Doucet and Jasra 2006). For the Gaussian report
noise of ``metrics.NoiseModel`` this is, up to a constant that is the same for every
particle, the same report with its sd times sqrt(k), which is how the state moves
(``moves``) take it.

A source is the first web address of the row's ``source`` column (the text after it is
often a note: "EFE gives >3,000"), or, without one, the whole column; a row without a
source stands alone.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ..metrics import NoiseModel
from ..observations import Observation, Observations

_URL = re.compile(r"https?://\S+")


def source_key(obs: Observation) -> str | None:
    """The source a row shares with other rows (None: none given)."""
    text = obs.source.strip()
    if not text:
        return None
    url = _URL.search(text)
    return url.group(0).rstrip(".,;)") if url else text


def shared_counts(rows: Iterable[Observation]) -> dict[int, int]:
    """id(row) -> k, the number of rows of its source on its date (1 when alone or without a source)."""
    rows = list(rows)
    keys = [(obs.date, source_key(obs)) for obs in rows]
    counts = Counter(key for key in keys if key[1] is not None)
    return {id(obs): counts[key] if key[1] is not None else 1 for obs, key in zip(rows, keys)}


def by_share(rows: Sequence[Observation], k_of: dict[int, int]) -> list[tuple[int, list[Observation]]]:
    """The rows grouped by their k, in order of first appearance."""
    groups: dict[int, list[Observation]] = {}
    for obs in rows:
        groups.setdefault(k_of.get(id(obs), 1), []).append(obs)
    return list(groups.items())


def widened(noise: NoiseModel, k: int) -> NoiseModel:
    """The report noise of one of k rows of one source: sd times sqrt(k) (tempering by 1/k)."""
    return noise if k == 1 else replace(noise, count_sd=noise.count_sd * math.sqrt(k), day_sd=noise.day_sd * math.sqrt(k))


def with_noise(move, k: int):
    """A move (``moves.SizeMove``, ``PositionMove``, ``LeaveMove``) taking reports of one of k rows of one source."""
    return move if k == 1 else replace(move, noise=widened(move.noise, k))


@dataclass(frozen=True)
class Tempered:
    """A log-likelihood that weights each row 1/k, k the rows of its source on its date."""

    log_likelihood: object  # (Results, Observations) -> float
    k_of: dict[int, int]

    def __call__(self, results, observations: Observations) -> float:
        groups = by_share(list(observations), self.k_of)
        if len(groups) == 1 and groups[0][0] == 1:
            return self.log_likelihood(results, observations)  # type: ignore[operator]
        total = 0.0
        for k, rows in groups:
            part = self.log_likelihood(results, replace(observations, rows=tuple(rows)))  # type: ignore[operator]
            total += part / k
        return total
