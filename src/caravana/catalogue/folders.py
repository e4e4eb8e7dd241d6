"""What a results folder holds: a single run or an ensemble, its metadata and its tables.

A single run is what :func:`caravana.results.io.write_results` writes:
``metadata.json``, ``counts.parquet`` and one Parquet file per behaviour table
(``caravans``, ``needs``...). An ensemble is ``ensemble.json``,
``quantiles.parquet`` (day, date, place, status, p5, p25, p50, p75, p95, mean) and
each member's counts under ``members/member=NNNN/`` (see :mod:`caravana.ensemble.store`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..results.format import ARRAYS_DIR, FormatError, check_format, read_world
from .store import CatalogueError

RUN, ENSEMBLE = "run", "ensemble"
# kind -> (metadata file, the table that must be there, the table exported by default)
LAYOUTS = {RUN: ("metadata.json", "counts"), ENSEMBLE: ("ensemble.json", "quantiles")}


@dataclass(frozen=True)
class ResultsFolder:
    path: Path
    kind: str  # RUN or ENSEMBLE

    @cached_property
    def metadata(self) -> dict:
        meta_file = self.path / LAYOUTS[self.kind][0]
        try:
            data = json.loads(meta_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CatalogueError(f"cannot read {meta_file}: {exc}") from None
        if not isinstance(data, dict):
            raise CatalogueError(f"{meta_file}: expected a JSON object")
        try:
            check_format(meta_file, data)
        except FormatError as exc:
            raise CatalogueError(str(exc)) from None
        return data

    @cached_property
    def world(self) -> dict | None:
        """The places, routes and caravan roads the results were computed on (``world.json``)."""
        return read_world(self.path)

    def arrays(self) -> dict[str, dict]:
        """The declared results in the folder: name -> their manifest entry (dims, combine...)."""
        return dict(self.metadata.get("arrays") or {})

    def read_array(self, name: str) -> pa.Table:
        """A declared result's table (``arrays/<name>.parquet``)."""
        if name not in self.arrays():
            known = ", ".join(sorted(self.arrays())) or "none"
            raise CatalogueError(f"{self.path} has no declared result '{name}' (results: {known})")
        return read_parquet(self.path / ARRAYS_DIR / f"{name}.parquet")

    @property
    def main_table(self) -> str:
        return LAYOUTS[self.kind][1]

    def table_names(self) -> list[str]:
        """Names of the Parquet tables in the folder (``counts``, ``needs``...)."""
        return sorted(p.stem for p in self.path.glob("*.parquet"))

    def has_table(self, name: str) -> bool:
        return (self.path / f"{name}.parquet").is_file()

    def read_table(self, name: str) -> pa.Table:
        path = self.path / f"{name}.parquet"
        if not path.is_file():
            known = ", ".join(self.table_names()) or "none"
            raise CatalogueError(f"{self.path} has no table '{name}' (tables: {known})")
        return read_parquet(path)


def read_parquet(path: Path) -> pa.Table:
    try:
        return pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        raise CatalogueError(f"cannot read {path}: {exc}") from None


def identify(path: Path) -> ResultsFolder | None:
    """The results in ``path``, or None if it holds neither a run nor an ensemble."""
    for kind, (meta, table) in LAYOUTS.items():
        if (path / meta).is_file() and (path / f"{table}.parquet").is_file():
            return ResultsFolder(path, kind)
    return None


def open_results(path: Path) -> ResultsFolder:
    """The results in ``path``; a clear error if there are none."""
    path = Path(path)
    if not path.is_dir():
        raise CatalogueError(f"{path}: no such folder")
    found = identify(path)
    if found is not None and found.metadata.get("complete") is not True:
        manifest = LAYOUTS[found.kind][0]
        raise CatalogueError(
            f'{path}: the {found.kind} is not complete (its {manifest} lacks "complete": true: it stopped while '
            "writing, or an older caravana wrote it); run it again"
        )
    if found is None:
        raise CatalogueError(
            f"{path} holds no caravana results "
            "(a run has metadata.json and counts.parquet, an ensemble ensemble.json and quantiles.parquet)"
        )
    return found
