"""Where the move by re-simulation's runs live between report dates (``resim``): in this process
(``LocalRuns``, as the filter's own particles), or in worker processes that keep them (``Workers``,
``HeldRuns``), so that their building, stepping, moving and scoring use the other cores with the
same result as in one process.

Why workers that keep runs, and not the backend's ``map``: the 2018 reports fall nearly every day,
and shipping a run to a worker and back at each report date (a pickled ``Simulation``, 2-4 MB,
about 10 ms of this process's time each way) costs several times the day of stepping it saves.
A worker here builds its runs from (factor values, seed), keeps them, and is sent instructions
only: step to a date, apply a move, amend the night, score, drop the runs refused early (``keep``);
only the runs the Metropolis-Hastings ratio takes come back.

The draws: since session 18 each re-simulated run draws its moves from a stream of its own
(``resim.run_stream``, kept with the run), so the blocks (contiguous, one per worker) move their
runs at once and a run dropped changes no other run's draws. (Session 17 shared the sweep's stream
among the runs and handed its state from block to block, row after row.) A move applies a date's
rows to one run after another, each from the moves' ``since`` (a caravan's or place's last report
day) as it stood, which it sets to the report's day: the same for every run. Every block's first
run must have the caravans' names, start and departure days and places of the first block's
(``_header``, checked after building, as in session 17), else the runs come back here (``LocalRuns``).

No restarts: a worker that dies (killed, out of memory) raises ``WorkerLost``; the filter then ends
the workers (``Workers.lose``: from then on ``hold`` builds here) and makes that trial again here
from the stream's state at its start (a run is built from its factor values and seed: the same
result, more slowly).
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np

from ..behaviours.corridor.interfaces import CaravanGroups
from ..engine.behaviour import MissingInterface
from ..engine.simulation import Simulation
from .nights import amend, before_last_day
from .scoring import score, step_to

Add = Callable[[int], None]  # told the particle-days stepped (the filter's progress)


class WorkerLost(Exception):
    """A worker process of the move died (killed, out of memory...): the runs it kept are gone."""


class Buildable(Protocol):
    def build(self) -> Simulation: ...


class LocalRuns:
    """Runs stepped, moved, amended and scored in this process, in order; with ``streams`` (one per
    run: the move's re-simulated runs, ``resim.run_stream``) each run's moves draw from its own."""

    def __init__(self, sims: list[Simulation], add: Add, streams: list[np.random.Generator] | None = None) -> None:
        self.sims, self.add, self.streams = sims, add, streams
        self.nights: list[np.ndarray | None] = []

    def __len__(self) -> int:
        return len(self.sims)

    def step(self, day: int) -> None:
        """To the eve of ``day``, keeping where each person stayed that night (``nights``), then ``day``."""
        self.nights = []
        for sim in self.sims:
            self.add(step_to(sim, day - 1))
            self.nights.append(before_last_day(sim))
            self.add(step_to(sim, day))

    def apply(self, fn: Callable, rows: Sequence, **kwargs) -> tuple:
        """``fn(runs, rows, **kwargs)``: a move (``rng``, ``since``, ``sd`` among ``kwargs``); with
        ``streams``, a run at a time on its own stream (``rng`` unused), each from ``since`` as it
        stood (a move updates it from the rows and the first run's caravans only: alike for each)."""
        if self.streams is None:
            return fn(self.sims, rows, **kwargs)
        since, sd = kwargs.pop("since"), kwargs.pop("sd", None)
        kwargs.pop("rng", None)
        out, changed = [], fn([], [], rng=None, since={}, sd=None, **kwargs)[1]  # the move's zero
        after = since
        for i, (sim, stream) in enumerate(zip(self.sims, self.streams)):
            after = dict(since)
            part, more = fn([sim], rows, rng=stream, since=after, sd=None if sd is None else sd[i: i + 1], **kwargs)
            out.append(part)
            changed = changed + more
        since.update(after)
        return (np.concatenate(out) if out else np.zeros(0)), changed

    def keep(self, mask: np.ndarray) -> None:
        """Only the runs where ``mask`` is true go on (the others were refused early: ``early``)."""
        def kept(values: list) -> list:
            return [value for value, k in zip(values, mask) if k]
        self.sims, self.nights = kept(self.sims), kept(self.nights)
        if self.streams is not None:
            self.streams = kept(self.streams)

    def amend(self) -> None:
        for sim, before in zip(self.sims, self.nights):
            amend(sim, before)

    def score(self, observations, scorer, light: bool) -> np.ndarray:
        return np.array([score(sim, observations, scorer, light) for sim in self.sims])

    def finish(self, day: int) -> None:
        for sim in self.sims:
            self.add(step_to(sim, day))

    def take(self, indices: Sequence[int]) -> list[Simulation]:
        return [self.sims[i] for i in indices]


class Workers:
    """``count`` worker processes that keep runs between report dates (see the module doc),
    started on first use (from the forkserver the ``processes`` backend set up), ended by ``close``."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.lost = False  # a worker died: no more workers, runs are built here (``lose``)
        self._conns: list = []
        self._processes: list = []
        # Each worker's wall and CPU seconds on its last instruction (for ``benchmarks/forecast_speed.py --where``).
        self.busy: dict[int, tuple[float, float]] = {}

    def _conn(self, k: int):
        if not self._conns:
            methods = multiprocessing.get_all_start_methods()
            context: Any = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
            for _ in range(self.count):
                mine, theirs = context.Pipe()
                process = context.Process(target=_serve, args=(theirs,), daemon=True)
                process.start()
                theirs.close()
                self._conns.append(mine)
                self._processes.append(process)
        return self._conns[k]

    def send(self, k: int, op: str, *args) -> None:
        try:
            self._conn(k).send((op, args))
        except OSError as error:  # BrokenPipeError, ConnectionResetError: the worker is gone
            raise WorkerLost(k) from error

    def receive(self, k: int, add: Add) -> Any:
        try:
            done, value, days, self.busy[k] = self._conn(k).recv()
        except (EOFError, OSError) as error:
            raise WorkerLost(k) from error
        if not done:
            raise value
        add(days)
        return value

    def gather(self, count: int, add: Add) -> list:
        """The replies of the first ``count`` workers, every one read before the first error is raised
        (so that no reply is left in a pipe for the next instruction to read)."""
        replies: list = []
        for k in range(count):
            try:
                replies.append((True, self.receive(k, add)))
            except Exception as error:
                replies.append((False, error))
        for done, value in replies:
            if not done:
                raise value
        return [value for _, value in replies]

    def hold(self, recipes: Sequence[Buildable], add: Add, streams: list[np.random.Generator]) -> HeldRuns | LocalRuns:
        """The runs of ``recipes``, each drawing from its own of ``streams``, built and kept in contiguous
        blocks, one per worker (none empty at first); here when there is nothing to build or a worker was lost."""
        if self.lost or not recipes:
            return LocalRuns([recipe.build() for recipe in recipes], add, list(streams))
        blocks = [block for block in np.array_split(np.arange(len(recipes)), self.count) if len(block)]
        for k, block in enumerate(blocks):
            self.send(k, "build", [recipes[i] for i in block], [streams[i] for i in block])
        headers = self.gather(len(blocks), add)
        held = HeldRuns(self, blocks, add)
        if any(header != headers[0] for header in headers):  # blocks' moves would update ``since`` from other runs
            return LocalRuns(held.take(range(len(recipes))), add, list(streams))
        return held

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def lose(self) -> None:
        """After a ``WorkerLost``: end every worker; ``hold`` builds here from then on."""
        self.lost = True
        self.close()

    def close(self) -> None:
        for conn in self._conns:
            try:
                conn.send(None)
            except OSError:  # already gone
                pass
        for process in self._processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
        for conn in self._conns:
            conn.close()
        self._conns, self._processes = [], []


class HeldRuns:
    """Runs kept by ``Workers`` in ``blocks`` (their places, in order), each on its own stream: the
    ``LocalRuns`` interface, the blocks stepping, moving, amending and scoring at once. A block may
    empty as its runs are refused early (``keep``); its worker then answers with nothing."""

    def __init__(self, workers: Workers, blocks: list[np.ndarray], add: Add) -> None:
        self.workers, self.blocks, self.add = workers, blocks, add

    def __len__(self) -> int:
        return sum(len(block) for block in self.blocks)

    def _all(self, op: str, *args) -> list:
        for k in range(len(self.blocks)):
            self.workers.send(k, op, *args)
        return self.workers.gather(len(self.blocks), self.add)

    def step(self, day: int) -> None:
        self._all("step", day)

    def amend(self) -> None:
        self._all("amend")

    def score(self, observations, scorer, light: bool) -> np.ndarray:
        return np.concatenate(self._all("score", observations, scorer, light))

    def finish(self, day: int) -> None:
        self._all("finish", day)

    def apply(self, fn: Callable, rows: Sequence, *, since: dict, sd: np.ndarray | None, **kwargs) -> tuple:
        """As ``LocalRuns.apply`` with streams, every block at once; ``since`` as the first block with
        runs left it (every run updates it alike)."""
        kwargs.pop("rng", None)
        for k, block in enumerate(self.blocks):
            self.workers.send(k, "move", fn, rows, {**kwargs, "since": dict(since), "sd": None if sd is None else sd[block]})
        replies = self.workers.gather(len(self.blocks), self.add)
        since.update(next((after for block, (_, _, after) in zip(self.blocks, replies) if len(block)), since))
        changed = fn([], [], rng=None, since={}, sd=None, **kwargs)[1]  # the move's zero
        for _, more, _ in replies:
            changed = changed + more
        return np.concatenate([part for part, _, _ in replies]), changed

    def keep(self, mask: np.ndarray) -> None:
        """As ``LocalRuns.keep``: each worker drops its refused runs; the blocks renumbered in order."""
        mask = np.asarray(mask, dtype=bool)
        for k, block in enumerate(self.blocks):
            self.workers.send(k, "keep", mask[block].tolist())
        self.workers.gather(len(self.blocks), self.add)
        starts = np.cumsum([0] + [int(mask[block].sum()) for block in self.blocks])
        self.blocks = [np.arange(starts[k], starts[k + 1]) for k in range(len(self.blocks))]

    def take(self, indices: Sequence[int]) -> list[Simulation]:
        """The runs at ``indices`` (places in all the runs), brought here."""
        starts = np.cumsum([0] + [len(block) for block in self.blocks])
        wanted = [[i - starts[k] for i in indices if starts[k] <= i < starts[k + 1]] for k in range(len(self.blocks))]
        for k, some in enumerate(wanted):
            self.workers.send(k, "take", [int(i) for i in some])
        sent = self.workers.gather(len(self.blocks), self.add)
        got = {int(starts[k] + i): sim for k in range(len(self.blocks)) for i, sim in zip(wanted[k], sent[k])}
        return [got[int(i)] for i in indices]


def can_ship(value: object) -> bool:
    """Whether ``value`` (a scorer) can go to a worker process."""
    try:
        pickle.dumps(value)
    except Exception:  # a lambda, a local function...
        return False
    return True


def _header(sim: Simulation) -> tuple:
    """What a move reads from a date's first run (``sims[0]``) besides its day, which every run shares:
    the caravans' names and start and departure days, and the places."""
    try:
        specs = tuple((s.name, s.start_day, s.departure_day) for s in sim.provider(CaravanGroups).specs)
    except MissingInterface:  # a Flee case: no caravans
        specs = ()
    return specs, tuple(sim.network.names)


# ---------------------------------------------------------------- a worker's side

def _serve(conn) -> None:
    """A worker: keeps its runs (a ``LocalRuns``) and applies the instructions it receives, until
    told None; replies (done, value or error, particle-days stepped, (wall, CPU) seconds busy). Ctrl-C is the parent's
    (it ends the workers): ignored here, so that no worker prints a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stepped: list[int] = []
    runs = LocalRuns([], stepped.append)
    while True:
        try:
            message = conn.recv()
        except EOFError:  # the parent is gone
            return
        if message is None:
            return
        op, args = message
        stepped.clear()
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            if op == "build":
                runs.sims, runs.streams, runs.nights = [recipe.build() for recipe in args[0]], args[1], []
                value: Any = _header(runs.sims[0]) if runs.sims else None
            elif op == "move":  # ``since`` goes back as the block left it
                fn, rows, kwargs = args
                out, changed = runs.apply(fn, rows, **kwargs)
                value = out, changed, kwargs["since"]
            else:
                value = getattr(runs, op)(*args)
            reply: tuple = (True, value, sum(stepped))
        except Exception as error:  # raised in the parent
            reply = (False, error, 0)
        conn.send((*reply, (time.perf_counter() - wall, time.process_time() - cpu)))
