"""Run an ensemble: members with seeds spawned from one root seed, reduced to quantiles.

>>> from caravana.ensemble import run_ensemble
>>> ens = run_ensemble("corridor", members=50, root_seed=1, out_dir=Path("out/ens"))
>>> ens.quantiles          # day, date, place, status, p5, p25, p50, p75, p95, mean
>>> ens.outcome_quantiles  # arrival day at each place, totals by outcome

Members run wherever the backend puts them; the reduction runs here, in member
order, so the numbers are the same bit for bit whatever the backend and workers.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from .._version import __version__
from ..checkpoint import load_pickle
from ..engine.behaviour import Behaviour
from ..engine.world import World
from ..errors import CaravanaError
from ..results.declared import Combiner
from ..results.results import Results
from ..results.spool import Spool
from ..scenario.load import load_scenario
from ..scenario.overrides import apply_overrides
from ..scenario.schema import Scenario
from .backends import Backend, resolve_backend
from .events import EventReduction
from .members import MemberOutput, MemberTask, member_seeds, run_member
from .outcomes import check_keys, outcome_quantiles, outcome_row, outcomes_table
from .reduce import count_quantiles
from .store import check_out_dir, write_ensemble


@dataclass
class EnsembleResult:
    scenario: str
    start: dt.date
    places: tuple[str, ...]
    statuses: tuple[str, ...]
    root_seed: int
    member_seeds: list[int]
    counts: np.ndarray | Spool  # (members, days, places, statuses) int64; a Spool reads from disk
    spawned: np.ndarray  # (members, days)
    quantiles: pa.Table  # day, date, place, status, p5, p25, p50, p75, p95, mean
    outcomes: pa.Table  # member, seed, outcome, caravan, place, status, value
    outcome_quantiles: pa.Table  # outcome, caravan, place, status, reached, p5..p95, mean
    events: pa.Table | None = None  # day, date, place, event, cause, p5..mean (no row: 0 in every member)
    metadata: dict = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)  # written, when out_dir was given
    world: dict | None = None  # places, routes and caravan roads (World.geography), for world.json
    arrays: dict[str, tuple[dict, pa.Table]] = field(default_factory=dict)  # declared: manifest, combined
    weights: np.ndarray | None = None  # one per member, summing to 1 (a forecast's posterior); None: alike

    @property
    def members(self) -> int:
        return self.counts.shape[0]

    @property
    def days(self) -> int:
        return self.counts.shape[1]

    @property
    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=d) for d in range(self.days)]

    def member(self, i: int) -> Results:
        """Member ``i``'s counts as a Results (the same as ``caravana run --seed member_seeds[i]``)."""
        return Results(
            scenario=self.scenario,
            start=self.start,
            places=self.places,
            counts=self.counts[i],
            spawned=self.spawned[i],
            metadata={"scenario": self.scenario, "builtin": self.metadata.get("builtin"),
                      "seed": self.member_seeds[i], "days": self.days,
                      **({} if self.weights is None else {"weight": float(self.weights[i])})},
            statuses=self.statuses,
        )


def run_ensemble(
    scenario: Scenario | str | Path,
    members: int,
    root_seed: int = 0,
    *,
    overrides: Mapping[str, Any] | None = None,
    days: int | None = None,
    backend: Backend | str | None = None,
    out_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    metadata: Mapping[str, Any] | None = None,
    extra: Sequence[Behaviour] = (),
    checkpoint: Path | None = None,
    checkpoint_every: int | None = None,
) -> EnsembleResult:
    """Run ``members`` members of ``scenario`` (with ``overrides`` applied) and reduce them.

    ``backend``: a Backend (left open), a kind name, or None for local processes on
    all cores (closed at the end). ``progress(done, total)`` counts finished members.
    With ``out_dir``, writes the layout described in :mod:`caravana.ensemble.store`.
    ``metadata``: more to record in ``ensemble.json`` (e.g. the command's arguments).
    ``extra``: behaviours stepped after the scenario's own (each member gets fresh copies).
    ``checkpoint``: a folder where each finished member's output is kept (and, with
    ``checkpoint_every``, each member's state every so many days); members found there
    are not run again (:mod:`caravana.checkpoint`).
    """
    _check_arguments(members, root_seed, days)
    source = None if isinstance(scenario, Scenario) else scenario
    loaded = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    scenario = apply_overrides(loaded, dict(overrides or {}))
    if out_dir is not None:
        check_out_dir(Path(out_dir))  # before hours of work, not after
    seeds = member_seeds(root_seed, members)
    saved = _saved_members(checkpoint, members)
    tasks = [MemberTask(scenario, seed, days, tuple(extra), save_to=saved.get(i), every=checkpoint_every)
             for i, seed in enumerate(seeds)]
    finished = {i for i in saved if Path(saved[i]).exists()}
    todo = [i for i in range(members) if i not in finished]
    started = time.perf_counter()
    runner, owned = resolve_backend(backend)
    try:
        report = None if progress is None else lambda done, total: progress(done + len(finished), members)
        if progress is not None and finished:
            progress(len(finished), members)  # members taken from the checkpoint
        produced = runner.imap(run_member, [tasks[i] for i in todo], progress=report)
        result = reduce_members(scenario, _in_order(members, saved, finished, produced), root_seed, seeds)
        described = runner.describe()
    finally:
        if owned:
            runner.close()
    result.metadata.update(
        source=None if source is None else str(source),
        overrides=dict(overrides or {}),
        backend=described,
        wall_seconds=time.perf_counter() - started,
    )
    if checkpoint is not None:
        result.metadata["resumed"] = {"members_from_checkpoint": len(finished), "members_run": len(todo)}
    result.metadata.update(metadata or {})
    if out_dir is not None:
        result.files = write_ensemble(result, Path(out_dir))
    return result


def _in_order(members: int, saved: dict[int, str], finished: set[int],
              produced: Iterator[MemberOutput]) -> Iterator[MemberOutput]:
    """Every member's output in member order: from its checkpoint file, or as run."""
    for i in range(members):
        yield load_pickle(Path(saved[i])) if i in finished else next(produced)


def _saved_members(checkpoint: Path | None, members: int) -> dict[int, str]:
    """member -> the file its output is saved to (none without a checkpoint folder)."""
    if checkpoint is None:
        return {}
    folder = Path(checkpoint) / "members"
    folder.mkdir(parents=True, exist_ok=True)
    return {i: str(folder / f"{i:05d}.pkl") for i in range(members)}


def _check_arguments(members: int, root_seed: int, days: int | None) -> None:
    if not isinstance(members, int | np.integer) or members < 1:
        raise CaravanaError(f"members must be a whole number of at least 1, got {members!r}")
    if not isinstance(root_seed, int | np.integer) or root_seed < 0:
        raise CaravanaError(f"the root seed must be a whole number of at least 0, got {root_seed!r}")
    if days is not None and (not isinstance(days, int | np.integer) or days < 1):
        raise CaravanaError(f"days must be a whole number of at least 1, got {days!r}")


def reduce_members(scenario: Scenario, outputs: Iterable[MemberOutput], root_seed: int, seeds: list[int],
                   weights: np.ndarray | None = None) -> EnsembleResult:
    """Quantiles and outcome distributions of the members (in member order). Each member
    is taken in as it comes and let go: its arrays go to spools on disk (exact quantiles
    need every member of a cell), sums and peaks are kept as they go, so the memory used
    here does not grow with the number of members (``benchmarks/ensemble_memory.py``).
    ``weights``: one per member (a forecast's weighted posterior), normalised here; every
    statistic is then weighted (:mod:`caravana.results.bands`) and the weights are kept
    with the members (``EnsembleResult.weights``, ``member_weights`` in ensemble.json)."""
    if weights is not None:
        weights = _normalised(weights, len(seeds))
    reduction: _Reduction | None = None
    for i, output in enumerate(outputs):
        if reduction is None:
            reduction = _Reduction(output, len(seeds))
        reduction.add(i, output)
    if reduction is None or reduction.taken != len(seeds):
        raise ValueError(f"{0 if reduction is None else reduction.taken} member outputs for {len(seeds)} seeds")
    return reduction.result(scenario, root_seed, seeds, weights)


def _normalised(weights: np.ndarray, members: int) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (members,) or not np.all(np.isfinite(w)) or np.any(w < 0) or not w.sum() > 0:
        raise ValueError(f"member weights must be {members} finite numbers, 0 or more, not all 0")
    return w / w.sum()


class _Reduction:
    """What the parent keeps of the members while they arrive (see :func:`reduce_members`)."""

    def __init__(self, first: MemberOutput, members: int) -> None:
        results = first.results
        self.first = first
        self.counts = Spool(members, results.counts.shape, results.counts.dtype)
        self.spawned = np.zeros((members, *results.spawned.shape), dtype=results.spawned.dtype)
        self.keys, row = outcome_row(first)
        self.outcomes = np.zeros((members, len(row)))
        self.arrays = {name: Combiner(a, members) for name, a in first.arrays.items()}
        self.events = EventReduction(members, results.places)
        self.people = np.zeros(members)
        self.taken = 0

    def add(self, i: int, output: MemberOutput) -> None:
        if i != self.taken:
            raise ValueError(f"member {i} arrived before member {self.taken}")
        results = output.results
        self.counts.put(i, results.counts)
        self.spawned[i] = results.spawned
        keys, self.outcomes[i] = outcome_row(output)
        check_keys(keys, self.keys)
        for name, combiner in self.arrays.items():
            combiner.add(output.arrays[name])
        self.events.add(i, output.events)
        self.people[i] = results.metadata["people"]
        self.taken += 1

    def result(self, scenario: Scenario, root_seed: int, seeds: list[int], weights: np.ndarray | None = None) -> EnsembleResult:
        first = self.first.results
        world = World.of(scenario)
        outcomes = outcomes_table(self.keys, self.outcomes, seeds)
        weighted = {}
        if weights is not None:
            outcomes = outcomes.append_column("weight", pa.array(np.repeat(weights, len(self.keys))))
            weighted = {"member_weights": weights.tolist(),
                        "people_mean": float(weights @ self.people)}  # as every other statistic: weighted
        return EnsembleResult(
            scenario=scenario.name,
            start=first.start,
            places=first.places,
            statuses=first.statuses,
            root_seed=root_seed,
            member_seeds=list(seeds),
            counts=self.counts,
            spawned=self.spawned,
            quantiles=count_quantiles(self.counts, first.start, first.places, first.statuses, weights),
            outcomes=outcomes,
            outcome_quantiles=outcome_quantiles(self.keys, self.outcomes, weights),
            events=self.events.table(first.start, weights),
            world=world.geography(),
            arrays={name: (self.first.arrays[name].manifest(), c.table(first.start, first.places, weights))
                    for name, c in self.arrays.items()},
            weights=weights,
            metadata={
                "scenario": scenario.name,
                "builtin": scenario.builtin,  # whose places' shown names (scenario.names.names_key)
                "root_seed": root_seed,
                "members": self.taken,
                "member_seeds": list(seeds),
                "days": first.days,
                "start": first.start.isoformat(),
                "caravana_version": __version__,
                "people_mean": float(np.mean(self.people)),
                **weighted,
            },
        )

