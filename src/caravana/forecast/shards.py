"""Where the move by re-simulation's runs live between report dates (``resim``): in this process
(``LocalRuns``, as the filter's own particles), or in worker processes that keep them (``Workers``,
``HeldRuns``), so that their building, stepping and scoring use the other cores while every draw
of the sweep's shared stream is made in the same order as in one process.

Why workers that keep runs, and not the backend's ``map``: the 2018 reports fall nearly every day,
and shipping a run to a worker and back at each report date (a pickled ``Simulation``, 2-4 MB,
about 10 ms of this process's time each way) costs several times the day of stepping it saves.
A worker here builds its runs from (factor values, seed), keeps them, and is sent instructions
only: step to a date, apply a move, amend the night, score; only the runs the Metropolis-Hastings
ratio takes come back.

The order of the draws: a move (``moves.move_sizes`` and the others) takes a date's rows one after
the other and, for each row, the runs in order, drawing from the sweep's stream. The runs are split
into contiguous blocks, one per worker; for each row, the first block moves its runs from the
stream's state and sends the state back, which the next block takes on: the draws are those of one
process moving every run in order (the rows one at a time, as ``filter._traced`` already does). Each
block gets the moves' ``since`` (a caravan's or place's last report day) as it stood before the row.
A move reads the row's caravan, its specs and the day from its first run (``sims[0]``), so every
block's first run must have the same as the first block's (``_header``, checked after building);
when one does not, the runs come back here and step in order (``LocalRuns``).

No restarts: a worker that dies (killed, out of memory) raises ``WorkerLost``; the filter then ends
the workers (``Workers.lose``: from then on ``hold`` builds here) and makes that trial again here
from the stream's state at its start (a run is built from its factor values and seed: the same
result, more slowly).
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
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
    """Runs stepped, moved, amended and scored in this process, in order."""

    def __init__(self, sims: list[Simulation], add: Add) -> None:
        self.sims, self.add = sims, add
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
        """``fn(runs, rows, **kwargs)``: a move (``rng``, ``since``, ``sd`` among ``kwargs``)."""
        return fn(self.sims, rows, **kwargs)

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
            done, value, days = self._conn(k).recv()
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

    def hold(self, recipes: Sequence[Buildable], add: Add) -> HeldRuns | LocalRuns:
        """The runs of ``recipes`` built and kept in contiguous blocks, one per worker (no empty
        block); here when there is nothing to build or a worker was lost."""
        if self.lost or not recipes:
            return LocalRuns([recipe.build() for recipe in recipes], add)
        blocks = [block for block in np.array_split(np.arange(len(recipes)), self.count) if len(block)]
        for k, block in enumerate(blocks):
            self.send(k, "build", [recipes[i] for i in block])
        headers = self.gather(len(blocks), add)
        held = HeldRuns(self, blocks, add)
        if any(header != headers[0] for header in headers):  # a block's moves would read another first run
            return LocalRuns(held.take(range(len(recipes))), add)
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
    """Runs kept by ``Workers`` in ``blocks`` (their places, in order): the ``LocalRuns`` interface,
    the blocks stepping, amending and scoring at once, and moving one after the other."""

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

    def apply(self, fn: Callable, rows: Sequence, *, rng: np.random.Generator, since: dict, sd: np.ndarray | None,
              **kwargs) -> tuple:
        """As ``LocalRuns.apply``, a row at a time (see the module doc), the blocks in order on the stream."""
        out, changed = np.zeros(len(self)), fn([], [], rng=rng, since={}, sd=sd, **kwargs)[1]  # the move's zero
        for row in rows:
            before, parts = dict(since), []
            for k, block in enumerate(self.blocks):
                self.workers.send(k, "move", fn, [row], rng,
                                  {**kwargs, "since": dict(before), "sd": None if sd is None else sd[block]})
                part, more, moved_on, after = self.workers.receive(k, self.add)
                rng.bit_generator.state = moved_on.bit_generator.state
                parts.append(part)
                changed = changed + more
            since.clear()
            since.update(after)
            out = out + np.concatenate(parts)
        return out, changed

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
    told None; replies (done, value or error, particle-days stepped). Ctrl-C is the parent's
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
        try:
            if op == "build":
                runs.sims, runs.nights = [recipe.build() for recipe in args[0]], []
                value: Any = _header(runs.sims[0]) if runs.sims else None
            elif op == "move":  # the stream and ``since`` go back as the block left them
                fn, rows, rng, kwargs = args
                out, changed = runs.apply(fn, rows, rng=rng, **kwargs)
                value = out, changed, rng, kwargs["since"]
            else:
                value = getattr(runs, op)(*args)
            reply: tuple = (True, value, sum(stepped))
        except Exception as error:  # raised in the parent
            reply = (False, error, 0)
        conn.send(reply)
