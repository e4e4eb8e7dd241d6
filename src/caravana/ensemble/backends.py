"""Where ensemble members run: in this process, in local worker processes, or on Dask.

Every backend has the same small interface::

    with get_backend("processes", workers=2) as backend:
        results = backend.map(run_member, tasks, progress=lambda done, total: ...)

``map`` returns one result per item, in the items' order, whatever order the
tasks finish in; ``imap`` yields them in that order as soon as each is ready, keeping
none once handed over (an ensemble's parent then holds only the few that finished
early), and ``map`` is ``list(imap(...))``. ``fn`` must be a picklable top-level function. If a worker
process dies, the tasks it had not finished are run again; if they still cannot
finish, ``map`` raises :class:`CaravanaError` and returns nothing, so a partial
ensemble is never taken for a complete one.
"""

from __future__ import annotations

import importlib.util
import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Self

from ..errors import CaravanaError, one_line

Progress = Callable[[int, int], None]
KINDS = ("inprocess", "processes", "dask")


class Backend:
    """Runs ``fn`` over items; a context manager that releases its workers on exit."""

    kind: str = ""

    @property
    def workers(self) -> int:
        raise NotImplementedError

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any], progress: Progress | None = None) -> list:
        return list(self.imap(fn, items, progress))

    def imap(self, fn: Callable[[Any], Any], items: Iterable[Any], progress: Progress | None = None) -> Iterator:
        raise NotImplementedError

    def close(self) -> None:
        """Release workers (idempotent)."""

    def describe(self) -> dict:
        return {"kind": self.kind, "workers": self.workers}

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class InProcessBackend(Backend):
    """One task after the other in this process: no start-up cost, easiest to debug."""

    kind = "inprocess"

    @property
    def workers(self) -> int:
        return 1

    def imap(self, fn, items, progress=None) -> Iterator:
        items = list(items)
        for done, item in enumerate(items, start=1):
            result = fn(item)
            if progress is not None:
                progress(done, len(items))
            yield result


class ProcessBackend(Backend):
    """Local worker processes (``concurrent.futures``), all cores by default.

    Workers are forked from a small server process (the ``forkserver`` start method)
    that has already imported caravana: safe when this process runs threads (a
    progress bar, a Dask client), and quicker than starting each from scratch.
    When a worker dies the whole pool breaks; the pool is replaced and every
    unfinished task resubmitted. ``max_restarts`` breaks in a row without any task
    finishing in between mean a task that kills its worker: give up.
    """

    kind = "processes"

    def __init__(self, workers: int | None = None, *, max_restarts: int = 3) -> None:
        self._workers = workers or os.cpu_count() or 1
        self.max_restarts = max_restarts
        self.restarts = 0  # pools replaced after a worker died, over this backend's life
        self._context: multiprocessing.context.BaseContext
        if "forkserver" in multiprocessing.get_all_start_methods():
            forkserver = multiprocessing.get_context("forkserver")
            # "__main__" too: imported once in the server, not again in every worker. And
            # pandas, if installed: pyarrow imports it on its first conversion of an array
            # (to tell pandas objects apart), which every worker makes (0.3 s of CPU each).
            preload = ["__main__", "caravana.ensemble.members"]
            forkserver.set_forkserver_preload(preload + ["pandas"] * (importlib.util.find_spec("pandas") is not None))
            self._context = forkserver
        else:
            self._context = multiprocessing.get_context("spawn")
        self._pool: ProcessPoolExecutor | None = None

    @property
    def workers(self) -> int:
        return self._workers

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            _check_main_importable()
            self._pool = ProcessPoolExecutor(self._workers, mp_context=self._context)
        return self._pool

    def _discard_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def imap(self, fn, items, progress=None) -> Iterator:
        items = list(items)
        ready: dict[int, Any] = {}  # finished, not yet handed over (finished before an earlier item)
        finished = [False] * len(items)
        n_done = breaks_in_a_row = handed = 0

        def record(future: Future, i: int) -> None:
            nonlocal n_done, breaks_in_a_row
            ready[i], finished[i] = future.result(), True
            n_done += 1
            breaks_in_a_row = 0
            if progress is not None:
                progress(n_done, len(items))

        while n_done < len(items):
            pool = self._get_pool()
            futures: dict[Future, int] = {}
            broken = False
            for i in (i for i in range(len(items)) if not finished[i]):
                try:
                    futures[pool.submit(fn, items[i])] = i
                except BrokenProcessPool:  # a worker died while we were still submitting
                    broken = True
                    break
            pending: set[Future] = set(futures)
            while pending and not broken:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=futures.__getitem__):  # report in item order
                    error = future.exception()
                    if isinstance(error, BrokenProcessPool):
                        broken = True
                    elif error is not None:
                        for other in pending:
                            other.cancel()
                        raise error
                    else:
                        record(future, futures.pop(future))
                while handed in ready:  # hand over in item order, and forget
                    yield ready.pop(handed)
                    handed += 1
            if broken:
                self._discard_pool()  # settles every future: finished, failed or cancelled
                # Tasks that finished before the break are kept; the rest run again.
                for future in sorted(pending, key=futures.__getitem__):
                    if not future.cancelled() and future.exception() is None:
                        record(future, futures[future])
                self.restarts += 1
                breaks_in_a_row += 1
                if breaks_in_a_row > self.max_restarts:
                    raise CaravanaError(
                        f"worker processes died {breaks_in_a_row} times in a row without finishing a task; "
                        f"{n_done} of {len(items)} done, the run is incomplete"
                    )
        while handed in ready:
            yield ready.pop(handed)
            handed += 1

    def close(self) -> None:
        self._discard_pool()


def _check_main_importable() -> None:
    """Worker processes re-import the main script; one read from stdin cannot be."""
    main = sys.modules["__main__"]
    path = getattr(main, "__file__", None)
    if getattr(main, "__spec__", None) is None and path is not None and not os.path.exists(path):
        raise CaravanaError(
            f"worker processes cannot re-import a main script read from {path}: "
            "save it to a file, or use the 'inprocess' backend"
        )


class DaskBackend(Backend):
    """Dask distributed: a scheduler you started (``tcp://host:port``; the workers may be
    a Slurm or PBS job, see docs/cluster.md) or a ``LocalCluster`` of worker processes.

    A worker that dies is the scheduler's business: its tasks are rescheduled on
    other workers, up to ``distributed.scheduler.allowed-failures`` times (default 3)
    per task, after which the task fails with ``KilledWorker``.
    """

    kind = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None) -> None:
        from distributed import Client, LocalCluster

        self.scheduler = scheduler
        self._cluster = None
        if scheduler is None:
            _check_main_importable()
            try:
                # One thread per worker process: the kernels hold the GIL, and members are independent.
                self._cluster = LocalCluster(
                    n_workers=workers or os.cpu_count() or 1,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self._cluster)
            except Exception as exc:  # e.g. a worker process died while starting ("Nanny failed to start")
                if self._cluster is not None:
                    self._cluster.close()
                raise CaravanaError(
                    f"the local Dask cluster did not start ({type(exc).__name__}: {one_line(str(exc), 160)}); "
                    "try --backend processes, or fewer --workers"
                ) from None
        else:
            try:
                self.client = Client(scheduler, timeout="10s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise CaravanaError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    def describe(self) -> dict:
        return {"kind": self.kind, "workers": self.workers, "scheduler": self.scheduler or "LocalCluster"}

    def imap(self, fn, items, progress=None) -> Iterator:
        from distributed import KilledWorker, as_completed

        items = list(items)
        futures = self.client.map(fn, items, pure=False)
        index = {future.key: i for i, future in enumerate(futures)}
        ready: dict[int, Any] = {}
        n_done = handed = 0
        try:
            for future in as_completed(futures):
                ready[index[future.key]] = future.result()
                n_done += 1
                if progress is not None:
                    progress(n_done, len(items))
                while handed in ready:
                    yield ready.pop(handed)
                    handed += 1
        except KilledWorker as exc:
            raise CaravanaError(
                f"Dask workers kept dying on a task ({exc}); {n_done} of {len(items)} done, the run is incomplete"
            ) from None
        finally:
            self.client.cancel([f for f in futures if not f.done()])

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def get_backend(kind: str = "processes", workers: int | None = None, scheduler: str | None = None) -> Backend:
    """A backend by name: ``inprocess``, ``processes`` (default; ``workers`` local
    processes, all cores by default) or ``dask`` (``scheduler`` address, or a
    ``LocalCluster`` of ``workers`` processes started for you)."""
    if kind not in KINDS:
        raise CaravanaError(f"unknown backend '{kind}' (known: {', '.join(KINDS)})")
    if workers is not None and workers < 1:
        raise CaravanaError(f"workers must be at least 1, got {workers}")
    if scheduler is not None and kind != "dask":
        raise CaravanaError(f"a scheduler address needs the dask backend, not '{kind}'")
    if kind == "inprocess":
        return InProcessBackend()
    if kind == "processes":
        return ProcessBackend(workers)
    return DaskBackend(scheduler, workers)


def resolve_backend(backend: Backend | str | None) -> tuple[Backend, bool]:
    """``backend`` as a Backend, and whether the caller made it (and so must close it)."""
    if isinstance(backend, Backend):
        return backend, False
    return get_backend(backend or "processes"), True


__all__: Sequence[str] = (
    "KINDS",
    "Backend",
    "DaskBackend",
    "InProcessBackend",
    "ProcessBackend",
    "get_backend",
    "resolve_backend",
)
