"""The runs the dashboard knows: result folders given on the command line and the newest
runs and ensembles of the results catalogue (both read only), and runs made from the
dashboard (in ``WORKSPACE/runs/<id>/``: the uploaded scenario in ``scenario/``, the
results in ``results/``, the record in ``run.json``).

Ids are looked up in this registry, never joined to a path, so a request cannot name a
folder the server was not given. Loaded results are kept in a small cache.
"""

from __future__ import annotations

import re
import shutil
import threading
import warnings
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import catalogue
from ..display.loading import LoadedRun, load_folder
from ..errors import CaravanaError
from ..results.reader import open_results
from ..scenario.schema import Scenario
from .runner import RUN_RECORD, Job, execute

RUN_ID = re.compile(r"run-(\d{4,})")
MAX_QUEUED = 20


class NotReady(CaravanaError):
    """The run exists but has no results yet (queued, running or failed)."""


@dataclass
class FolderEntry:
    """A result folder given to ``caravana serve`` (origin "folder") or found in the
    results catalogue (origin "catalogue")."""

    id: str
    folder: Path
    kind: str
    label: str
    origin: str = "folder"

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "origin": self.origin, "kind": self.kind, "status": "done"}


def catalogued_folders(limit: int, skip: Sequence[Path] = ()) -> list[tuple[Path, str]]:
    """(folder, label) of the ``limit`` newest catalogued runs and ensembles whose folders
    still hold results, leaving out the folders in ``skip`` and those under them.

    Folders that moved or were deleted since are left out without a word: the catalogue
    remembers every run ever made, the dashboard lists what can be shown.
    """
    if limit <= 0 or not catalogue.catalogue_path().exists():
        return []
    try:
        records = catalogue.list_runs()
    except CaravanaError as exc:  # the dashboard still serves what it was given
        warnings.warn(f"catalogued runs not listed: {exc}", stacklevel=2)
        return []
    skip = [Path(p).resolve() for p in skip]
    found: list[tuple[Path, str]] = []
    for record in records:
        if len(found) >= limit:
            break
        if record.kind not in (catalogue.RUN, catalogue.ENSEMBLE):
            continue
        folder = record.path.resolve()
        if any(folder == s or s in folder.parents for s in skip):
            continue
        skip.append(folder)  # a folder written twice is listed once, as its newest run
        try:
            open_results(folder)
        except CaravanaError:
            continue
        when = record.created.strftime("%Y-%m-%d %H:%M")
        seed = f", seed {record.seed}" if record.seed is not None else ""
        found.append((folder, f"{record.scenario_name or record.scenario}{seed} · {when} · {record.id[:8]}"))
    return found


class RunRegistry:
    def __init__(self, workspace: Path, folders: Sequence[Path] = (), cache_size: int = 6,
                 catalogued: Sequence[tuple[Path, str]] = ()) -> None:
        self.folders: dict[str, FolderEntry] = {}
        for folder in folders:  # a wrong folder stops us before anything is written
            self.add_folder(folder)
        for folder, label in catalogued:
            self.add_folder(folder, label=label, origin="catalogue")
        self.workspace = workspace
        self.runs_dir = workspace / "runs"
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        self.cache: OrderedDict[str, LoadedRun] = OrderedDict()
        self.cache_size = cache_size
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="caravana-run")
        for record in sorted(self.runs_dir.glob(f"*/{RUN_RECORD}")):
            try:
                job = Job.from_record(record.parent)
            except (OSError, ValueError, TypeError):
                continue  # a damaged record: leave the folder alone, do not list it
            self.jobs[job.id] = job

    # ------------------------------------------------------------------ listing
    def add_folder(self, folder: Path, label: str | None = None, origin: str = "folder") -> FolderEntry:
        folder = folder.resolve()
        kind = open_results(folder).kind  # a clear error for a folder without results
        base = re.sub(r"[^A-Za-z0-9_.-]+", "-", folder.name).strip("-.") or "results"
        name, n = base, 2
        while name in self.folders or RUN_ID.fullmatch(name):
            name, n = f"{base}-{n}", n + 1
        entry = FolderEntry(name, folder, kind, label or folder.name, origin)
        self.folders[name] = entry
        return entry

    def list(self) -> list[dict[str, Any]]:
        with self.lock:
            return [e.public() for e in self.folders.values()] + [
                {**j.public(), "kind": "run"} for j in sorted(self.jobs.values(), key=lambda j: j.id)
            ]

    def describe(self, run_id: str) -> dict[str, Any]:
        with self.lock:
            if run_id in self.folders:
                return self.folders[run_id].public()
            if run_id in self.jobs:
                return {**self.jobs[run_id].public(), "kind": "run"}
        raise KeyError(run_id)

    # ------------------------------------------------------------------ results
    def results_folder(self, run_id: str) -> Path:
        if run_id in self.folders:
            return self.folders[run_id].folder
        job = self.jobs.get(run_id)
        if job is None:
            raise KeyError(run_id)
        if job.status != "done":
            raise NotReady(f"run {run_id} is {job.status}" + (f": {job.error}" if job.error else ""))
        return job.folder / "results"

    def loaded(self, run_id: str) -> LoadedRun:
        folder = self.results_folder(run_id)
        with self.lock:
            if run_id in self.cache:
                self.cache.move_to_end(run_id)
                return self.cache[run_id]
        run = load_folder(folder)
        with self.lock:
            self.cache[run_id] = run
            while len(self.cache) > self.cache_size:
                self.cache.popitem(last=False)
        return run

    # ------------------------------------------------------------------ new runs
    def new_job(self, label: str, scenario: str, seed: int | None, days: int | None,
                overrides: dict[str, Any]) -> Job:
        """Reserve an id and an empty folder for a run."""
        with self.lock:
            waiting = sum(j.status in ("queued", "running") for j in self.jobs.values())
            if waiting >= MAX_QUEUED:
                raise CaravanaError(f"{waiting} runs are already waiting; try again when some have finished")
            numbers = [int(m.group(1)) for p in self.runs_dir.iterdir() if (m := RUN_ID.fullmatch(p.name))]
            run_id = f"run-{max(numbers, default=0) + 1:04d}"
            folder = self.runs_dir / run_id
            folder.mkdir()
            return Job(id=run_id, label=label, folder=folder, scenario=scenario, seed=seed, days=days,
                       overrides=overrides)

    def discard(self, job: Job) -> None:
        """Remove a job that was refused before it was queued (its folder and all)."""
        shutil.rmtree(job.folder, ignore_errors=True)

    def submit(self, job: Job, scenario: Scenario, scenario_folder: Path | None) -> None:
        with self.lock:
            self.jobs[job.id] = job
        job.save()
        self.executor.submit(execute, job, scenario, scenario_folder, self.lock)

    def shutdown(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
