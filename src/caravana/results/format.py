"""The results folder format: one version number for runs and ensembles alike.

A run folder holds ``metadata.json`` (its manifest: format version, scenario, seed,
days, settings, behaviours), ``world.json`` (the places, routes and caravan roads it
ran on, so it can be drawn without its scenario), ``counts.parquet`` and each
behaviour's tables. An ensemble holds ``ensemble.json`` (its manifest), ``world.json``,
its quantiles and members (:mod:`caravana.ensemble.store`). Readers refuse a folder of
another format version with a message that names both versions.

Version history: 1 (caravana 0.1, no version recorded); 2 (manifest with
``format_version``, ``world.json``, declared results under ``arrays/`` listed in the
manifest's ``arrays``); 3 (needs and the caravan log, origins and arrivals are declared
results too: an ensemble keeps them under ``arrays/`` and no longer writes its own
``needs.parquet`` and ``caravans.parquet``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import CaravanaError

FORMAT_VERSION = 3
WORLD_FILE = "world.json"
ARRAYS_DIR = "arrays"  # one Parquet file per declared result (caravana.results.declared)


class FormatError(CaravanaError):
    """A results folder written in another format version."""


class FolderError(CaravanaError):
    """A results folder that is missing, incomplete, of another format, or unreadable."""


RUN, ENSEMBLE = "run", "ensemble"
# kind -> (metadata file, the table that must be there)
LAYOUTS = {RUN: ("metadata.json", "counts"), ENSEMBLE: ("ensemble.json", "quantiles")}


def folder_kind(path: Path) -> str | None:
    """:data:`RUN` or :data:`ENSEMBLE`, by the files the folder ``path`` holds; None if neither.
    (Here rather than in :mod:`caravana.results.reader`, so that the catalogue registers a run
    without importing the reader: a ``caravana run`` reads back only the manifest it wrote.)"""
    for kind, (meta, table) in LAYOUTS.items():
        if (path / meta).is_file() and (path / f"{table}.parquet").is_file():
            return kind
    return None


def read_manifest(path: Path, kind: str) -> dict[str, Any]:
    """The manifest of the ``kind`` of results in the folder ``path``, its format version checked."""
    meta_file = path / LAYOUTS[kind][0]
    try:
        data = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FolderError(f"cannot read {meta_file}: {exc}") from None
    if not isinstance(data, dict):
        raise FolderError(f"{meta_file}: expected a JSON object")
    try:
        check_format(meta_file, data)
    except FormatError as exc:
        raise FolderError(str(exc)) from None
    return data


def stamped(kind: str, manifest: dict[str, Any]) -> dict[str, Any]:
    """``manifest`` with the format's name and version first."""
    return {"format": f"caravana-{kind}", "format_version": FORMAT_VERSION, **manifest}


def check_format(manifest_file: Path, manifest: dict[str, Any]) -> None:
    """Raise :class:`FormatError` unless ``manifest`` is of this format version."""
    version = manifest.get("format_version", 1)
    if version == FORMAT_VERSION:
        return
    folder = manifest_file.parent
    if not isinstance(version, int) or version < FORMAT_VERSION:
        raise FormatError(
            f"{folder}: results format version {version} (written by an older caravana); this caravana reads "
            f"version {FORMAT_VERSION}: run the scenario again to get a folder it can read"
        )
    raise FormatError(
        f"{folder}: results format version {version} (written by a newer caravana); this caravana reads "
        f"version {FORMAT_VERSION}: upgrade caravana to read it"
    )


def read_world(folder: Path) -> dict[str, Any] | None:
    """The folder's ``world.json`` (places, routes, caravan roads), or None when absent or unreadable."""
    try:
        data = json.loads((folder / WORLD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
