"""Checkpoints: a long run or ensemble that dies resumes where it stopped, not from day 0.

A run's checkpoint is its whole :class:`~caravana.engine.simulation.Simulation` (people,
behaviours, random streams) pickled every ``every`` days into ``OUT.checkpoint/``
beside the run's ``--out`` folder, with ``checkpoint.json`` saying what was run. Resumed,
it continues on the same random streams, so the results equal those of an unbroken run
person for person. An ensemble's checkpoint folder also keeps each finished member's
output (``members/NNNN.pkl``), so a resumed ensemble runs only the unfinished members,
each from its own latest checkpoint.

Every file is written atomically; the folder is removed once the results are written.
A checkpoint is a pickle: resume only checkpoints you made (a pickle can run code).

A pickle holds the objects' fields as the code that wrote it had them: another caravana's
(another version, or the same version with other source) may lack fields this one reads, and
fail deep inside a run. So ``checkpoint.json`` carries a stamp of the code (:func:`stamp`:
the version and a digest of the package's source), and a checkpoint with another stamp, or
none (written before stamps), is refused with one clear error.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from .errors import CaravanaError
from .results.io import atomic_write, atomic_write_text

RECORD = "checkpoint.json"
STATE = "state.pkl"
STAMP = "caravana"  # the record's key for :func:`stamp`
PACKAGE = Path(__file__).resolve().parent


@cache
def stamp() -> str:
    """This caravana's version and a digest of its Python source (a few ms, once a process)."""
    from ._version import __version__

    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


def checkpoint_folder(out: Path) -> Path:
    """Where the checkpoints of results bound for ``out`` are kept: ``OUT.checkpoint``."""
    out = Path(out)
    return out if out.name.endswith(".checkpoint") else out.with_name(out.name + ".checkpoint")


def save_pickle(path: Path, obj: Any) -> None:
    atomic_write(path, lambda tmp: tmp.write_bytes(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)))


def load_pickle(path: Path) -> Any:
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        raise CaravanaError(f"{path}: cannot read the checkpoint ({type(exc).__name__}: {exc})") from None


def write_record(folder: Path, record: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_text(folder / RECORD, json.dumps({**record, STAMP: stamp()}, indent=2, default=str) + "\n")


def read_record(resume: Path, kind: str) -> tuple[Path, dict[str, Any]]:
    """The checkpoint folder for ``resume`` (an --out folder or its checkpoint folder) and its record."""
    folder = checkpoint_folder(resume)
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CaravanaError(f"{folder}: no checkpoint to resume (no {RECORD}; was --checkpoint-every given?)") from None
    except (OSError, ValueError) as exc:
        raise CaravanaError(f"{folder / RECORD}: cannot read the checkpoint record ({exc})") from None
    if not isinstance(record, dict) or record.get("kind") != kind:
        found = record.get("kind") if isinstance(record, dict) else None
        raise CaravanaError(f"{folder}: a checkpoint of a {found or 'something else'}, not of a {kind}")
    if record.get(STAMP) != stamp():
        raise CaravanaError(f"{folder}: this checkpoint was made by another version of caravana; start the run again")
    return folder, record


def run_simulation(sim, every: int | None, state: Path | None,
                   progress: Callable[[int, int], None] | None = None):
    """Run ``sim`` to its end, pickling it to ``state`` every ``every`` days (none when
    ``every`` is None); return its results."""
    if every is not None and every < 1:
        raise CaravanaError(f"--checkpoint-every must be at least 1 day, got {every}")
    started = time.perf_counter()
    while sim.day < sim.days:
        sim.step()
        if progress is not None:
            progress(sim.day, sim.days)
        if every and state is not None and sim.day % every == 0 and sim.day < sim.days:
            save_pickle(state, sim)
    return sim.results(wall_seconds=time.perf_counter() - started)


def resume_simulation(folder: Path):
    """The simulation saved in ``folder`` (at the day of its last checkpoint)."""
    path = folder / STATE
    if not path.exists():
        raise CaravanaError(f"{folder}: the run stopped before its first checkpoint; start it again")
    return load_pickle(path)


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
