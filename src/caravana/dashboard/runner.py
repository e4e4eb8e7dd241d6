"""One dashboard run, executed in a background thread: simulate, write the results
atomically into the run's folder with what the map needs beside them, and record it.

A thread rather than a process: the engine's kernels are Numba-compiled and cached, a
corridor run takes about a second, and progress is a plain callback. One worker runs
jobs one after another, so a laptop stays usable while a queue of runs works through.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import catalogue
from ..display.context import CONTEXT_FILE, write_context
from ..errors import E_, CaravanaError
from ..model import simulation
from ..results.io import atomic_write_text, write_results
from ..scenario.schema import Scenario
from .uploads import relative_message

log = logging.getLogger(__name__)
RUN_RECORD = "run.json"


JOB_STATES = ("queued", "running", "done", "failed")  # a job's life, in order


@dataclass
class Job:
    """A run made from the dashboard, as listed by the API and saved in ``run.json``."""

    id: str
    label: str
    folder: Path
    scenario: str
    seed: int | None
    days: int | None
    overrides: dict[str, Any]
    source: str = ""  # what load_scenario takes: a built-in name or the uploaded file's path
    status: str = "queued"  # one of JOB_STATES
    done: int = 0
    total: int = 0
    error: str | None = None
    created: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    finished: str | None = None
    catalogue_id: str | None = None
    warnings: list[str] = field(default_factory=list)  # about an uploaded scenario

    def public(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("folder")
        out.pop("source")  # a path on the server
        out["origin"] = "dashboard"
        return out

    def save(self) -> None:
        record = {**asdict(self), "folder": None}
        atomic_write_text(self.folder / RUN_RECORD, json.dumps(record, indent=2, default=str) + "\n")

    @classmethod
    def from_record(cls, folder: Path) -> Job:
        record = json.loads((folder / RUN_RECORD).read_text(encoding="utf-8"))
        record["folder"] = folder
        job = cls(**record)
        if job.status in ("queued", "running"):  # the server stopped during the run
            job.status, job.error = "failed", E_("interrupted: the server stopped before the run finished")
        return job


def execute(job: Job, scenario: Scenario, scenario_folder: Path | None, lock: threading.Lock) -> None:
    """Run the job to the end; its status says how it went (never raises).
    ``scenario_folder``: where observations files beside the scenario are looked for."""
    def progress(done: int, total: int) -> None:
        job.done, job.total = done, total

    try:
        with lock:
            job.status = "running"
        sim = simulation(scenario, seed=job.seed, days=job.days)
        job.total = sim.days
        results = sim.run(progress=progress)
        def context(folder: Path) -> list[Path]:  # beside the results, in the same atomic write
            job.warnings.extend(write_context(scenario, scenario_folder, folder))
            return [folder / CONTEXT_FILE]

        write_results(results, job.folder / "results", also=context)
        job.catalogue_id = register_in_catalogue(job, results.metadata)
        job.status = "done"
    except CaravanaError as exc:
        job.status, job.error = "failed", relative_message(str(exc), job.folder)
    except Exception as exc:  # a bug: keep the server up, say so, log the traceback
        log.exception("run %s failed", job.id)
        job.status, job.error = "failed", E_(f"internal error ({type(exc).__name__}); see the server's log")
    finally:
        job.finished = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        try:
            job.save()
        except OSError:
            log.exception("cannot save the record of run %s", job.id)


def register_in_catalogue(job: Job, metadata: dict[str, Any]) -> str | None:
    """Record the run in the results catalogue (its id, or None if that failed)."""
    try:
        return catalogue.register("run", job.source, job.folder / "results", seed=metadata.get("seed"),
                                  parameters=job.overrides, metadata={"label": job.label, "made_by": "dashboard"})
    except (CaravanaError, OSError) as exc:  # the results are on disk and useful without an entry
        job.warnings.append(f"not added to the results catalogue: {exc}")
        return None
