"""Registering runs and finding them again."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from .._version import __version__
from ..results.format import FolderError, folder_kind, read_manifest
from .store import CatalogueError, catalogue_path, connection

_KIND = re.compile(r"[a-z][a-z0-9_-]*")
_COLUMNS = (
    "id, kind, scenario, scenario_name, seed, parameters, metadata, caravana_version, created, wall_seconds, path"
)


@dataclass(frozen=True)
class RunRecord:
    id: str
    kind: str
    scenario: str  # a built-in name or an absolute path: what load_scenario takes
    scenario_name: str | None
    seed: int | None
    parameters: dict
    metadata: dict
    caravana_version: str
    created: dt.datetime  # UTC
    wall_seconds: float | None
    path: Path

    @classmethod
    def from_row(cls, row: tuple) -> RunRecord:
        id_, kind, scenario, name, seed, params, meta, version, created, wall, path = row
        return cls(
            id=id_,
            kind=kind,
            scenario=scenario,
            scenario_name=name,
            seed=seed,
            parameters=json.loads(params),
            metadata=json.loads(meta),
            caravana_version=version,
            created=dt.datetime.fromisoformat(created).replace(tzinfo=dt.UTC),
            wall_seconds=wall,
            path=Path(path),
        )


def _scenario_source(scenario: str | Path) -> str:
    """A path that exists is stored absolute, so the run can be reloaded from anywhere."""
    path = Path(scenario)
    return str(path.resolve()) if path.exists() else str(scenario)


def _folder_metadata(out_dir: Path) -> dict:
    kind = folder_kind(out_dir)
    if kind is None:
        return {}
    try:
        return read_manifest(out_dir, kind)
    except FolderError:
        return {}


def register(
    kind: str,
    scenario: str | Path,
    out_dir: Path,
    *,
    seed: int | None = None,
    parameters: dict | None = None,
    metadata: dict | None = None,
) -> str:
    """Record a finished run (or ensemble, calibration, forecast: ``kind``) whose results
    are in ``out_dir``; return its new id.

    ``parameters`` are the setting overrides that made this run differ from the
    scenario (dotted paths, as :func:`caravana.scenario.overrides.apply_overrides`
    takes them). Seed, wall time and version not given are read from the folder's
    ``metadata.json`` or ``ensemble.json`` when there is one.
    """
    if not _KIND.fullmatch(kind):
        raise ValueError(f"kind must be a lower-case word, not {kind!r}")
    out_dir = Path(out_dir).resolve()
    given = dict(metadata or {})
    recorded = _folder_metadata(out_dir)
    if seed is None:
        seed = recorded.get("seed", recorded.get("root_seed"))  # an ensemble's is its root seed
    wall = given.get("wall_seconds", recorded.get("wall_seconds"))
    version = given.get("caravana_version") or recorded.get("caravana_version") or __version__
    name = given.get("scenario") or recorded.get("scenario")
    values = [
        kind,
        _scenario_source(scenario),
        None if name is None else str(name),
        None if seed is None else int(seed),
        json.dumps(parameters or {}, default=str, sort_keys=True),
        json.dumps(given, default=str, sort_keys=True),
        str(version),
        dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(),
        None if wall is None else float(wall),
        str(out_dir),
    ]
    with connection(write=True) as con:
        # BEGIN IMMEDIATE holds the write lock, so checking and inserting cannot race.
        run_id = secrets.token_hex(4)
        while con.execute("SELECT 1 FROM runs WHERE id = ?", [run_id]).fetchone():
            run_id = secrets.token_hex(4)
        con.execute(f"INSERT INTO runs ({_COLUMNS}) VALUES ({', '.join('?' * 11)})", [run_id, *values])
    return run_id


def register_or_warn(kind: str, scenario: str | Path, out_dir: Path, **fields) -> str | None:
    """:func:`register`, but a catalogue problem is a warning, not a failure: the
    results are already on disk and stay useful without their catalogue entry."""
    try:
        return register(kind, scenario, out_dir, **fields)
    except CatalogueError as exc:
        warnings.warn(f"run not added to the catalogue: {exc}", stacklevel=2)
        return None


def list_runs(*, scenario: str | None = None, kind: str | None = None, limit: int | None = None) -> list[RunRecord]:
    """Registered runs, newest first. ``scenario`` matches the scenario's name or its
    source (built-in name or path) exactly."""
    where, args = [], []
    if scenario is not None:
        where.append("(scenario_name = ? OR scenario = ? OR scenario = ?)")
        args += [scenario, scenario, _scenario_source(scenario)]
    if kind is not None:
        where.append("kind = ?")
        args.append(kind)
    sql = f"SELECT {_COLUMNS} FROM runs"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY created DESC, id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    with connection(write=False) as con:
        rows = con.execute(sql, args).fetchall()
    return [RunRecord.from_row(r) for r in rows]


def get_run(run_id: str) -> RunRecord:
    """The run with this id, or with the only id that starts with it."""
    run_id = run_id.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{1,32}", run_id):
        raise CatalogueError(f"'{run_id}' is not a run id (ids are hexadecimal, see 'caravana runs list')")
    with connection(write=False) as con:
        rows = con.execute(
            f"SELECT {_COLUMNS} FROM runs WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 6", [len(run_id), run_id]
        ).fetchall()
    if not rows:
        raise CatalogueError(f"no run with id '{run_id}' in the catalogue {catalogue_path()}")
    exact = [r for r in rows if r[0] == run_id]
    if exact:
        return RunRecord.from_row(exact[0])
    if len(rows) > 1:
        shown = ", ".join(r[0] for r in rows[:5])
        raise CatalogueError(f"run id '{run_id}' is ambiguous: it starts {shown}{'...' if len(rows) > 5 else ''}")
    return RunRecord.from_row(rows[0])


def find_by_path(out_dir: Path) -> RunRecord | None:
    """The newest run registered with this folder, or None (also when there is no catalogue)."""
    if not catalogue_path().exists():
        return None
    with connection(write=False) as con:
        row = con.execute(
            f"SELECT {_COLUMNS} FROM runs WHERE path = ? ORDER BY created DESC LIMIT 1",
            [str(Path(out_dir).resolve())],
        ).fetchone()
    return None if row is None else RunRecord.from_row(row)
