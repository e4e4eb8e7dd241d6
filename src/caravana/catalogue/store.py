"""The catalogue's SQLite file: where it lives, opening it, and its one table.

SQLite (standard library) is made for a small registry that several processes write
at once: in WAL mode readers never wait for writers, and a writer waits up to
:data:`LOCK_TIMEOUT_S` for another's transaction to end (SQLite's own busy timeout),
so nothing here locks or retries by hand. Each operation opens the file, does its
work in one transaction and closes it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from ..errors import CaravanaError

HOME_ENV = "CARAVANA_HOME"
DEFAULT_HOME = Path("~/.caravana")
FILE_NAME = "catalogue.sqlite"
SCHEMA_VERSION = 2  # 1 was the DuckDB file (catalogue.duckdb) of caravana 0.1
LOCK_TIMEOUT_S = 60.0  # how long a writer waits for another process's transaction

SCHEMA = f"""
CREATE TABLE catalogue_info (key TEXT PRIMARY KEY, value TEXT);
INSERT INTO catalogue_info VALUES ('schema_version', '{SCHEMA_VERSION}');
CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,                 -- run, ensemble, calibration, forecast...
    scenario TEXT NOT NULL,             -- as given: a built-in name or an absolute path
    scenario_name TEXT,                 -- the scenario's own name (its ``name:`` field)
    seed INTEGER,
    parameters TEXT NOT NULL,           -- JSON: the setting overrides of this run
    metadata TEXT NOT NULL,             -- JSON: anything else the producer records
    caravana_version TEXT NOT NULL,
    created TEXT NOT NULL,              -- UTC, ISO 8601
    wall_seconds REAL,
    path TEXT NOT NULL                  -- absolute path of the run's folder
);
CREATE INDEX runs_created ON runs (created);
CREATE INDEX runs_path ON runs (path);
"""


class CatalogueError(CaravanaError):
    """The catalogue is missing, unreadable, busy for too long, or has no such run."""


def home() -> Path:
    """caravana's own folder: ``$CARAVANA_HOME``, else ``~/.caravana``."""
    value = os.environ.get(HOME_ENV)
    return Path(value).expanduser() if value else DEFAULT_HOME.expanduser()


def catalogue_path() -> Path:
    return home() / FILE_NAME


@contextmanager
def connection(*, write: bool) -> Iterator[sqlite3.Connection]:
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
    try:
        with closing(sqlite3.connect(path, timeout=LOCK_TIMEOUT_S, isolation_level=None)) as con:
            if con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                try:  # persistent, set once: readers and a writer at once
                    con.execute("PRAGMA journal_mode=WAL")
                except sqlite3.OperationalError:
                    pass  # another process is switching it now; transactions are safe in either mode
            # IMMEDIATE: a writer takes the write lock first, so its check-then-insert cannot race.
            con.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                if write and con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
                    # One statement at a time: executescript would commit the open transaction.
                    for statement in SCHEMA.split(";"):
                        if statement.strip():
                            con.execute(statement)
                _check_schema(con, path)
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise CatalogueError(
                f"the catalogue {path} has been locked by another process for {LOCK_TIMEOUT_S:g} s; "
                "try again when it has finished"
            ) from None
        raise CatalogueError(f"cannot use the catalogue {path}: {exc}") from None
    except sqlite3.DatabaseError as exc:
        raise CatalogueError(f"cannot open the catalogue {path}: {exc}") from None


def _check_schema(con: sqlite3.Connection, path: Path) -> None:
    try:
        row = con.execute("SELECT value FROM catalogue_info WHERE key = 'schema_version'").fetchone()
    except sqlite3.OperationalError:  # no such table
        row = None
    if row is None:
        raise CatalogueError(f"{path} is an SQLite file but not a caravana catalogue")
    if int(row[0]) > SCHEMA_VERSION:
        raise CatalogueError(
            f"the catalogue {path} was written by a newer caravana (schema {row[0]}, this one reads {SCHEMA_VERSION})"
        )
