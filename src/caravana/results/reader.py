"""The one reader of results folders: a single run or an ensemble, its manifest, its
world, its tables and its declared arrays. Everything that reads a folder (the
catalogue, the dashboard, the report, forecasts) goes through :func:`open_results`.

A single run is what :func:`caravana.results.io.write_results` writes:
``metadata.json``, ``counts.parquet`` and one Parquet file per behaviour table
(``caravans``, ``needs``...). An ensemble is ``ensemble.json``,
``quantiles.parquet`` (day, date, place, status, p5, p25, p50, p75, p95, mean) and
each member's counts under ``members/member=NNNN/`` (see :mod:`caravana.ensemble.store`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pyarrow as pa

from ..engine.status import STATUS_NAMES
from .bands import STAT_COLUMNS, one_run
from .format import ARRAYS_DIR, ENSEMBLE, LAYOUTS, RUN, FolderError, folder_kind, read_manifest, read_world


@dataclass(frozen=True)
class ResultsFolder:
    path: Path
    kind: str  # RUN or ENSEMBLE

    @cached_property
    def metadata(self) -> dict:
        return read_manifest(self.path, self.kind)

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
            raise FolderError(f"{self.path} has no declared result '{name}' (results: {known})")
        return read_parquet(self.path / ARRAYS_DIR / f"{name}.parquet")

    @cached_property
    def member_weights(self) -> np.ndarray | None:
        """An ensemble's weight per member, normalised (a forecast's weighted posterior:
        ``member_weights`` in ``ensemble.json``); None when its members weigh alike, and
        for a run."""
        raw = self.metadata.get("member_weights") if self.kind == ENSEMBLE else None
        if raw is None:
            return None
        members = self.metadata.get("members")
        try:
            w = np.asarray(raw, dtype=np.float64)
        except (TypeError, ValueError):
            w = np.zeros(0)
        if w.ndim != 1 or len(w) != members or not np.all(np.isfinite(w)) or np.any(w < 0) or not w.sum() > 0:
            raise FolderError(f"{self.path}: member_weights must be {members} numbers, 0 or more, not all 0")
        return w / w.sum()

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
            # the declared results too, by the name `runs export --table` takes them ("arrays/departures")
            known = ", ".join([*self.table_names(), *(f"{ARRAYS_DIR}/{a}" for a in sorted(self.arrays()))]) or "none"
            raise FolderError(f"{self.path} has no table '{name}' (tables: {known})")
        return read_parquet(path)


@dataclass(frozen=True)
class Bands:
    """A declared result read back as bands (:mod:`caravana.results.bands`): ``values`` is
    (6 statistics P5..P95 and mean, day, other dims...); a single run is an ensemble of one.
    ``labels``: each dimension's labels but the day's. Cells no member has a value for are NaN."""

    dims: tuple[str, ...]
    labels: dict[str, list[str]]
    values: np.ndarray

    def label_index(self, dim: str, label: str) -> int:
        try:
            return self.labels[dim].index(label)
        except ValueError:
            raise KeyError(f"no {dim} '{label}' in the results") from None


def read_bands(folder: ResultsFolder, name: str, days: int, places: list[str] | tuple[str, ...]) -> Bands:
    """A declared result of a run (its values) or an ensemble (quantiles over the members),
    dense over ``days`` and ``places``, in one shape for both."""
    table = folder.read_array(name)  # FolderError if the folder has none of that name
    entry = folder.arrays()[name]
    dims = tuple(entry["dims"])
    labels = {dim: list(places) if dim == "place" else list(entry.get("labels", {}).get(dim, [])) for dim in dims[1:]}
    if folder.kind == ENSEMBLE and entry.get("combine") != "quantiles":
        raise FolderError(f"{folder.path}: declared result '{name}' is combined by {entry.get('combine')}, not in bands")
    keep = table["day"].to_numpy() < days
    index = [table["day"].to_numpy()[keep]]
    for dim in dims[1:]:
        index.append(_label_indices(table[dim], labels[dim], f"{folder.path.name}: declared result '{name}'")[keep])
    shape = (days, *(len(labels[dim]) for dim in dims[1:]))
    columns = ("value",) if folder.kind == RUN else STAT_COLUMNS
    dense = np.full((len(columns), *shape), np.nan)
    for i, column in enumerate(columns):
        dense[(i, *index)] = table[column].to_numpy(zero_copy_only=False).astype(np.float64)[keep]
    return Bands(dims, labels, one_run(dense[0]) if folder.kind == RUN else dense)


def _label_indices(column: pa.ChunkedArray, labels: list[str], where: str) -> np.ndarray:
    """Each row's position in ``labels`` (a dictionary column, chunk by chunk)."""
    position = {label: i for i, label in enumerate(labels)}
    parts = []
    for chunk in column.chunks:
        if not pa.types.is_dictionary(chunk.type):
            chunk = chunk.dictionary_encode()
        try:
            lookup = np.array([position[v] for v in chunk.dictionary.to_pylist()], dtype=np.int64)
        except KeyError as exc:
            raise FolderError(f"{where}: label {exc} is not one of its {len(labels)} labels") from None
        parts.append(lookup[chunk.indices.to_numpy(zero_copy_only=False)] if len(lookup) else np.zeros(len(chunk), np.int64))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def read_parquet(path: Path) -> pa.Table:
    import pyarrow.parquet as pq  # here: registering a run (caravana.catalogue) reads no Parquet
    try:
        return pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        raise FolderError(f"cannot read {path}: {exc}") from None


def identify(path: Path) -> ResultsFolder | None:
    """The results in ``path``, or None if it holds neither a run nor an ensemble."""
    kind = folder_kind(path)
    return None if kind is None else ResultsFolder(path, kind)


def open_results(path: Path) -> ResultsFolder:
    """The results in ``path``; a clear error if there are none."""
    path = Path(path)
    if not path.is_dir():
        raise FolderError(f"{path}: no such folder")
    found = identify(path)
    if found is not None and found.metadata.get("complete") is not True:
        manifest = LAYOUTS[found.kind][0]
        raise FolderError(
            f'{path}: the {found.kind} is not complete (its {manifest} lacks "complete": true: it stopped while '
            "writing, or an older caravana wrote it); run it again"
        )
    if found is None:
        raise FolderError(
            f"{path} holds no caravana results "
            "(a run has metadata.json and counts.parquet, an ensemble ensemble.json and quantiles.parquet)"
        )
    return found


def all_values(column: pa.ChunkedArray) -> list[str]:
    """All values of a dictionary column: write_results keeps every place in it, even empty ones."""
    if pa.types.is_dictionary(column.type) and column.num_chunks:
        return column.chunk(0).dictionary.to_pylist()
    return sorted(set(column.to_pylist()))


def dense_counts(table: pa.Table, name: str, days: int | None = None, places: list[str] | None = None):
    """A long counts table (day, date, place, status, count) as a (days, places, statuses)
    array; returns it with the places and the date of day 0. ``name`` is for errors."""
    missing = {"day", "date", "place", "status", "count"} - set(table.column_names)
    if missing:
        raise FolderError(f"{name}: missing columns {', '.join(sorted(missing))}")
    if table.num_rows == 0:
        raise FolderError(f"{name} holds no counts")
    places = places or all_values(table["place"])
    statuses = all_values(table["status"])
    unknown = set(statuses) - set(STATUS_NAMES)
    if unknown:
        raise FolderError(f"{name}: unknown statuses {', '.join(sorted(unknown))}")
    import pyarrow.compute as pc  # here: registering a run (catalogue) imports this module

    day = table["day"].to_numpy()
    days = days or int(day.max()) + 1
    first = int(pc.min(table["day"]).as_py())
    start = table.filter(pc.equal(table["day"], first))["date"][0].as_py() - dt.timedelta(days=first)
    place_index = {p: i for i, p in enumerate(places)}
    try:
        p = np.array([place_index[v] for v in table["place"].cast(pa.string()).to_pylist()], dtype=np.int64)
    except KeyError as exc:
        raise FolderError(f"{name}: unknown place {exc}") from None
    s = np.array([STATUS_NAMES.index(v) for v in table["status"].cast(pa.string()).to_pylist()], dtype=np.int64)
    if day.min() < 0 or day.max() >= days:
        raise FolderError(f"{name}: days outside 0..{days - 1}")
    counts = np.zeros((days, len(places), len(STATUS_NAMES)), dtype=np.int64)
    np.add.at(counts, (day, p, s), table["count"].to_numpy())
    return counts, tuple(places), start


def member_files(folder: ResultsFolder) -> list[Path]:
    """An ensemble's ``members/member=NNNN/counts.parquet``, in member order."""
    return sorted((folder.path / "members").glob("member=*/counts.parquet"))


def read_member_counts(files: list[Path], days: int | None, places: list[str], dtype=np.int64) -> np.ndarray:
    """(members, days, places, statuses): every member's counts, read one member at a time
    into one array (no list of tables or of dense copies: a 10,000-member ensemble needs
    only the array itself)."""
    out: np.ndarray | None = None
    for m, path in enumerate(files):
        dense = dense_counts(read_parquet(path), str(path), days, places)[0]
        if out is None:
            out = np.zeros((len(files), *dense.shape), dtype=dtype)
        out[m] = dense
    if out is None:
        raise FolderError("no members' counts to read")
    return out
