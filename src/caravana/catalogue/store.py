"""The catalogue's DuckDB file: where it lives, opening it safely, and its one table.

DuckDB lets one process write a database file at a time (it takes an OS lock on the
file). Several ``caravana`` processes may finish a run at the same moment, so every
operation here opens the file, does its work in one transaction and closes it at
once, and a process that finds the file locked waits and tries again with growing,
jittered pauses, up to :data:`LOCK_TIMEOUT_S`. Within one process a lock serialises
threads (DuckDB refuses two connections to one file with different read modes).
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ..errors import CaravanaError

HOME_ENV = "CARAVANA_HOME"
DEFAULT_HOME = Path("~/.caravana")
FILE_NAME = "catalogue.duckdb"
SCHEMA_VERSION = 1
LOCK_TIMEOUT_S = 60.0  # how long to wait for another process to release the file

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS catalogue_info (key VARCHAR PRIMARY KEY, value VARCHAR);
INSERT INTO catalogue_info VALUES ('schema_version', '{SCHEMA_VERSION}') ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS runs (
    id VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,              -- run, ensemble, calibration, forecast...
    scenario VARCHAR NOT NULL,          -- as given: a built-in name or an absolute path
    scenario_name VARCHAR,              -- the scenario's own name (its ``name:`` field)
    seed BIGINT,
    parameters VARCHAR NOT NULL,        -- JSON: the setting overrides of this run
    metadata VARCHAR NOT NULL,          -- JSON: anything else the producer records
    caravana_version VARCHAR NOT NULL,
    created TIMESTAMP NOT NULL,         -- UTC
    wall_seconds DOUBLE,
    path VARCHAR NOT NULL               -- absolute path of the run's folder
);
"""

_thread_lock = threading.RLock()


class CatalogueError(CaravanaError):
    """The catalogue is missing, unreadable, busy for too long, or has no such run."""


def home() -> Path:
    """caravana's own folder: ``$CARAVANA_HOME``, else ``~/.caravana``."""
    value = os.environ.get(HOME_ENV)
    return Path(value).expanduser() if value else DEFAULT_HOME.expanduser()


def catalogue_path() -> Path:
    return home() / FILE_NAME


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    return "Could not set lock" in str(exc) or "Conflicting lock" in str(exc)


def _open(path: Path, *, read_only: bool, timeout_s: float) -> duckdb.DuckDBPyConnection:
    """Connect, waiting while another process holds the file's lock."""
    deadline = time.monotonic() + timeout_s
    pause = 0.01
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if not _is_lock_conflict(exc):
                raise CatalogueError(f"cannot open the catalogue {path}: {_reason(exc)}") from None
            if time.monotonic() >= deadline:
                raise CatalogueError(
                    f"the catalogue {path} has been locked by another process for {timeout_s:g} s; "
                    "try again when it has finished"
                ) from None
        # Jitter keeps two waiting processes from retrying in lockstep.
        time.sleep(pause * random.uniform(0.5, 1.5))
        pause = min(pause * 2, 0.2)


def _reason(exc: BaseException) -> str:
    """DuckDB's message without its ``IO Error:`` prefix and advice links."""
    text = str(exc).split("\n")[0]
    for prefix in ("IO Error: ", "Catalog Error: ", "Binder Error: "):
        text = text.removeprefix(prefix)
    return text


@contextmanager
def connection(*, write: bool, timeout_s: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection to the catalogue, inside one transaction.

    Reading a catalogue that does not exist yet is an error (nothing was ever
    registered); writing creates it.
    """
    path = catalogue_path()
    if not write and not path.exists():
        raise CatalogueError(
            f"no catalogue at {path}: no run has been registered yet (set {HOME_ENV} to use another folder)"
        )
    if write:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CatalogueError(f"cannot create the catalogue's folder {path.parent}: {exc.strerror}") from None
    with _thread_lock:
        con = _open(path, read_only=not write, timeout_s=LOCK_TIMEOUT_S if timeout_s is None else timeout_s)
        try:
            if write and con.execute("SELECT count(*) FROM duckdb_tables()").fetchone()[0] == 0:
                con.execute(SCHEMA)  # a new file; never add tables to someone else's database
            _check_schema(con, path)
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        except duckdb.Error as exc:
            raise CatalogueError(f"cannot use the catalogue {path}: {_reason(exc)}") from None
        finally:
            con.close()


def _check_schema(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    try:
        row = con.execute("SELECT value FROM catalogue_info WHERE key = 'schema_version'").fetchone()
    except duckdb.Error:
        row = None
    if row is None:
        raise CatalogueError(f"{path} is a DuckDB file but not a caravana catalogue")
    if int(row[0]) > SCHEMA_VERSION:
        raise CatalogueError(
            f"the catalogue {path} was written by a newer caravana (schema {row[0]}, this one reads {SCHEMA_VERSION})"
        )
