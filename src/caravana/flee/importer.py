"""Reading a Flee input folder into a caravana Scenario.

A Flee folder holds ``input_csv/`` (locations, routes, closures, conflicts,
registration_corrections, sim_period.csv or conflict_period.csv), ``source_data/``
(data_layout.csv and the UNHCR count files) and ``simsetting.yml``.

``compat`` chooses how ``simsetting.yml`` is read (see :mod:`caravana.flee.settings`):
``"3.1"`` (the default) as Flee 3.1 reads it; ``"latest"`` also honours
``sum_from_camps``, ``conflict_spawn_decay_interval``, ``capacity_scaling`` and the
rules newer Flee changed.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from pathlib import Path

import numpy as np

from ..errors import ScenarioError, ScenarioWarning
from ..scenario.base import MAX_NAME
from ..scenario.checks import check_scenario
from ..scenario.schema import (
    MAX_DAYS,
    Closure,
    ConflictChange,
    CountPoint,
    Location,
    Period,
    Route,
    Scenario,
    Spawning,
)
from ..scenario.tables import check_width, read_csv_rows, short_repr, validate_row
from .counts import add_count_tables, last_per_day
from .demographics import read_demographics
from .settings import Compat, SettingsReport, read_settings

# Extra columns of locations.csv / routes.csv that Flee 3.1 reads (as location or link
# attributes) -> our field. Any other extra column Flee 3.1 stores and never reads.
LOCATION_ATTRIBUTES = {"deactivation_probability": "deactivation_probability", "conflict_intensity": "conflict_intensity"}
LINK_ATTRIBUTES = {"max_move_speed": "max_move_speed", "walk_probability": "walk_probability"}
# Our field names -> the column names of Flee's files, for error messages.
LOCATION_COLUMNS = {"lat": "latitude", "lon": "longitude", "type": "location_type", "capacity": "population"}
ROUTE_COLUMNS = {"start": "name1", "from": "name1", "end": "name2", "to": "name2", "km": "distance"}
CLOSURE_COLUMNS = {"kind": "closure_type", "start": "closure_start", "end": "closure_end"}
def _rows(path: Path) -> list[tuple[int, list[str]]]:
    """A Flee table's rows without its ``#`` comments, each as wide as the file's first
    row (its ``#name,...`` header, or the first data row): a missing or extra cell
    would shift every value after it into the wrong column."""
    rows = read_csv_rows(path)
    if not rows:
        return []
    first = rows[0][1]
    width = len(first)
    while width > 1 and not first[width - 1].strip():  # a trailing comma
        width -= 1
    header = "the header (row 1)" if first[0].lstrip().startswith("#") else f"the first row (row {rows[0][0]})"
    out = []
    for line, cells in rows:
        if cells[0].lstrip().startswith("#"):
            continue
        check_width(path, line, cells, width, header)
        out.append((line, cells))
    return out


def _number(path: Path, line: int, field: str, text: str, kind: type = float) -> float:
    """A finite number from a cell, or a ScenarioError naming it."""
    try:
        value = kind(text.strip())
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ScenarioError(f"not {what} (got {short_repr(text)})", file=path, row=line, field=field) from None
    if not math.isfinite(value):
        raise ScenarioError(f"must be a finite number (got {short_repr(text)})", file=path, row=line, field=field)
    return value


def _type_of(raw: str) -> str:
    """Flee's substring rules for location_type (``flee.Location.__init__``)."""
    kind = raw.strip().lower()
    if "camp" in kind:
        return "idpcamp" if "idp" in kind else "camp"
    for flee_word, ours in (("conflict", "conflict_zone"), ("forward", "forward"), ("marker", "marker")):
        if flee_word in kind:
            return ours
    if "default" in kind or "town" in kind:
        return "town"
    return raw  # let validation reject it with the offending value


def _extra_columns(path: Path, fixed: int) -> list[str]:
    """Names of the columns after the ``fixed`` ones, from the first commented header row
    (Flee 3.1 names location and link attributes this way)."""
    for cells in read_csv_rows(path):
        if cells[1] and cells[1][0].lstrip().startswith("#"):
            if len(cells[1]) > fixed:
                return [c.strip() for c in cells[1][fixed:]]
            return []
    return []


def _attributes(path: Path, fixed: int, known: dict[str, str]) -> list[tuple[int, str, str | None]]:
    """(column index, column name, our field or None) for each extra column; warns about
    the ones Flee 3.1 never reads."""
    out, unread = [], []
    for k, name in enumerate(_extra_columns(path, fixed)):
        out.append((fixed + k, name, known.get(name)))
        if name not in known:
            unread.append(name or f"(unnamed column {fixed + k + 1})")
    if unread:
        warnings.warn(
            f"{path}: columns ignored, as Flee 3.1 ignores them (stored, never read): {', '.join(unread)}",
            ScenarioWarning,
            stacklevel=3,
        )
    return out


def _read_locations(path: Path, hasten: int) -> list[Location]:
    out: list[Location] = []
    rows_seen: dict[str, tuple[int, list[str]]] = {}
    extra = _attributes(path, 8, LOCATION_ATTRIBUTES)
    for line, cells in _rows(path):
        if len(cells) < 6:
            raise ScenarioError(
                "expected at least name,region,country,latitude,longitude,location_type",
                file=path,
                row=line,
            )
        cells = [c.strip() for c in cells] + [""] * max(0, 8 - len(cells))
        name, region, country, lat, lon, kind, conflict_date, pop = cells[:8]
        if name in rows_seen:
            first_line, first_cells = rows_seen[name]
            if first_cells != cells:
                raise ScenarioError(
                    f"location '{name}' is listed twice with different values (first at row {first_line})",
                    file=path, row=line, field="name",
                )
            # Flee 3.1 makes two places of one name and links only the last copy.
            warnings.warn(
                f"{path} row {line}: location '{name}' repeats row {first_line} exactly; read once",
                ScenarioWarning, stacklevel=3,
            )
            continue
        rows_seen[name] = (line, cells)
        kind = _type_of(kind)
        values: dict = {"name": name, "region": region, "type": kind, "country": country or "unknown"}
        if lat:
            values["lat"] = lat
        if lon:
            values["lon"] = lon
        if conflict_date and kind == "conflict_zone":
            values["conflict_date"] = conflict_date
        if pop:
            scaled = int(_number(path, line, "population", pop, int)) // hasten
            if scaled < 0:
                raise ScenarioError("must not be negative", file=path, row=line, field="population")
            # Flee reads a camp's population column as its capacity.
            values["capacity" if kind in ("camp", "idpcamp") else "population"] = scaled
        for k, _column, ours in extra:
            if ours and k < len(cells) and cells[k]:
                values[ours] = cells[k]
        columns = LOCATION_COLUMNS | {ours: column for _, column, ours in extra if ours}
        out.append(validate_row(Location, values, file=path, row=line, column_names=columns))
    if not out:
        raise ScenarioError("no locations", file=path)
    return out


def _read_routes(path: Path) -> list[Route]:
    out = []
    extra = _attributes(path, 4, LINK_ATTRIBUTES)
    columns = ROUTE_COLUMNS | {ours: column for _, column, ours in extra if ours}
    for line, cells in _rows(path):
        if len(cells) < 3:
            raise ScenarioError("expected name1,name2,distance[,forced_redirection]", file=path, row=line)
        values: dict = {"from": cells[0].strip(), "to": cells[1].strip(), "km": cells[2].strip()}
        if len(cells) > 3 and cells[3].strip():
            values["forced_redirection"] = cells[3].strip()
        for k, _, ours in extra:
            if ours and k < len(cells) and cells[k].strip():
                values[ours] = cells[k].strip()
        out.append(validate_row(Route, values, file=path, row=line, column_names=columns))
    return out


def _read_closures(path: Path) -> list[Closure]:
    if not path.exists():
        return []
    out = []
    for line, cells in _rows(path):
        if len(cells) < 5:
            raise ScenarioError("expected closure_type,name1,name2,closure_start,closure_end", file=path, row=line)
        keys = ("kind", "name1", "name2", "start", "end")
        values = {k: c.strip() for k, c in zip(keys, cells)}
        out.append(validate_row(Closure, values, file=path, row=line, column_names=CLOSURE_COLUMNS))
    return out


def _read_conflicts(path: Path, known: set[str]) -> list[ConflictChange]:
    """Turn Flee's day × place matrix into the changes Flee's AddNewConflictZones acts on.

    A conflict starts where the value rises above zero (day 0 included); it ends where
    the value falls to zero from exactly 1 (Flee 3.1's test). Intensity changes while a
    conflict lasts are ignored, as in Flee.
    """
    if not path.exists():
        return []
    rows = read_csv_rows(path)
    if not rows:
        return []
    header_line, header = rows[0]
    while len(header) > 1 and not header[-1].strip():  # a trailing comma
        header = header[:-1]
    for line, cells in rows[1:]:
        check_width(path, line, cells, len(header))
    names = [h.strip().lstrip("#").strip() for h in header]
    columns = [(j, n) for j, n in enumerate(names) if j > 0 and n]
    unknown = [name for _, name in columns if name not in known]
    if unknown:
        # Flee 3.1 prints an error for these and carries on; so do we, louder.
        warnings.warn(
            f"{path}: conflict columns for unknown locations ignored: {', '.join(unknown)}",
            ScenarioWarning,
            stacklevel=3,
        )
        columns = [(j, n) for j, n in columns if n in known]
    named = [n for _, n in columns]
    twice = next((n for i, n in enumerate(named) if n in named[:i]), None)
    if twice is not None:  # which would Flee read? (its last; no reading is safe to assume)
        raise ScenarioError("the place has two columns", file=path, row=header_line, field=twice)
    body = rows[1:]
    values = _conflict_matrix(path, body, columns)
    # Each cell against the day before in its column (day 0 against itself: it only starts).
    before = np.vstack([values[:1], values[:-1]])
    first_day = (np.arange(len(body)) == 0)[:, None]
    starts = (values > 1e-6) & (first_day | (before < 1e-6))
    ends = (values < 1e-6) & ~first_day & (before == 1.0)
    changes: list[ConflictChange] = []
    for t, k in zip(*np.nonzero(starts | ends)):  # day by day, in the file's column order
        intensity = float(values[t, k]) if starts[t, k] else 0.0
        # Checked here (a day, a known place, a finite number >= 0): built without pydantic's validator.
        changes.append(ConflictChange.model_construct(day=int(t), location=columns[k][1], intensity=intensity)
                       .with_origin(str(path), body[t][0]))
    return changes


def _conflict_matrix(path: Path, body: list[tuple[int, list[str]]], columns: list[tuple[int, str]]) -> np.ndarray:
    """The day x place numbers of the conflict matrix (only ``columns``), each read as
    :func:`_number` reads it; a cell that is not a finite number is that function's error.
    (The matrix is most of a Flee folder's cells, and holds few distinct texts, mostly 0
    and 1: each text is read once.)"""
    table = [[cells[j] for j, _ in columns] for _, cells in body]
    texts = {text for row in table for text in row}
    numbers: dict[str, float] = {}
    for text in texts:
        try:
            numbers[text] = float(text.strip())
        except ValueError:
            continue
    if len(numbers) < len(texts) or not all(map(math.isfinite, numbers.values())):
        for line, cells in body:  # the first bad cell, as the file is read: its own error
            for j, name in columns:
                _number(path, line, name, cells[j])
    return np.array([[numbers[text] for text in row] for row in table], dtype=np.float64).reshape(len(body), len(columns))


def _read_period(input_csv: Path) -> tuple[dt.date, int]:
    for candidate in ("sim_period.csv", "conflict_period.csv"):
        path = input_csv / candidate
        if path.exists():
            break
    else:
        raise ScenarioError("neither sim_period.csv nor conflict_period.csv found", file=input_csv)
    start, length = None, None
    for line, cells in _rows(path):
        key = cells[0].strip().lower()
        value = cells[1].strip() if len(cells) > 1 else ""
        if key == "startdate":
            try:
                start = dt.date.fromisoformat(value)
            except ValueError:
                raise ScenarioError(f"not a date YYYY-MM-DD (got {short_repr(value)})", file=path, row=line, field="StartDate") from None
        elif key == "length":
            length = int(_number(path, line, "Length", value, int))
            if not 0 < length <= MAX_DAYS:
                raise ScenarioError(f"the period must be 1 to {MAX_DAYS:,} days", file=path, row=line, field="Length")
    if start is None:
        raise ScenarioError("StartDate row is missing", file=path, field="StartDate")
    if length is None:
        raise ScenarioError("Length row is missing", file=path, field="Length")
    return start, length


def _read_count_file(path: Path, start: dt.date, hasten: int) -> list[CountPoint]:
    """A UNHCR count file (``date,count`` rows), as Flee's ConvertCsvFileToNumPyTable reads it."""
    points = []
    for line, cells in _rows(path):
        if len(cells) < 2:
            raise ScenarioError("expected date,count", file=path, row=line)
        if cells[0].strip() in ("DateTime", "Date") or not cells[1].strip():
            continue  # a header, or a date without a count (Flee skips both)
        try:
            date = dt.date.fromisoformat(cells[0].strip())
        except ValueError:
            raise ScenarioError(f"not a date YYYY-MM-DD (got {short_repr(cells[0])})", file=path, row=line, field="date") from None
        count = _number(path, line, "count", cells[1]) / hasten
        if count < 0:
            raise ScenarioError("must not be negative", file=path, row=line, field="count")
        points.append(CountPoint.model_construct(day=(date - start).days, count=count))  # checked above
    return points


def _apply_registration_correction(points: list[CountPoint], day: int) -> None:
    """Flee's ``correctLevel1Registrations``: scale counts before a re-registration date
    by the jump at that date, so early (level-1) counts match the later (level-2) scale."""
    for i, point in enumerate(points):
        if point.day == day and i > 0 and points[i - 1].count > 0:
            factor = point.count / points[i - 1].count
            for earlier in points[:i]:
                earlier.count = earlier.count * factor


def _read_source_data(
    folder: Path, start: dt.date, hasten: int, corrections: Path, known: set[str]
) -> tuple[list[CountPoint], dict[str, list[CountPoint]]]:
    source = folder / "source_data"
    layout = source / "data_layout.csv"
    totals: list[CountPoint] = []
    camps: dict[str, list[CountPoint]] = {}
    for line, cells in read_csv_rows(layout, skip_comments=True):
        name = cells[0].strip()
        files = [c.strip() for c in cells[1:] if c.strip()]
        if not files:  # skipping it would drop the place's counts without a word
            raise ScenarioError(f"no count file given for '{short_repr(name)[1:-1]}'", file=layout, row=line)
        if name != "total" and name not in known:
            # Flee 3.1 reads the counts and never uses them.
            warnings.warn(
                f"{layout} row {line}: counts for '{name}' ignored: no location of that name "
                "(Flee 3.1 reads them and never uses them)",
                ScenarioWarning, stacklevel=3,
            )
            continue
        points: list[CountPoint] = []
        for k, file in enumerate(files):
            target = (source / file).resolve()
            if not target.is_relative_to(source.resolve()):
                raise ScenarioError("count file path leaves source_data/", file=layout, row=line)
            table = _read_count_file(target, start, hasten)
            # Several files on a row are added up (Flee 3.1's own way, see counts.py).
            points = table if k == 0 else add_count_tables(points, table)
        if len(files) > 1:
            points = last_per_day(points)
        if name == "total":
            totals = points
        else:
            camps[name] = points
    if corrections.exists():
        for line, cells in _rows(corrections):
            if len(cells) < 2:
                raise ScenarioError("expected name,date", file=corrections, row=line)
            name, date = cells[0].strip(), cells[1].strip()
            if name not in camps:
                raise ScenarioError(f"no count data for '{name}'", file=corrections, row=line, field="name")
            try:
                day = (dt.date.fromisoformat(date) - start).days
            except ValueError:
                raise ScenarioError(f"not a date YYYY-MM-DD (got {short_repr(date)})", file=corrections, row=line, field="date") from None
            _apply_registration_correction(camps[name], day)
    return totals, camps


def _camps_only(counts: dict[str, list[CountPoint]], locations: list[Location], layout: Path) -> dict:
    """The count series Flee 3.1 compares with the simulation: those of camps (its output
    has a column per camp). Counts of other places still take part in spawning (newer
    Flee's sum_from_camps adds every row), they are only not compared."""
    camps = {loc.name for loc in locations if loc.type in ("camp", "idpcamp")}
    others = [name for name in counts if name not in camps]
    if others:
        warnings.warn(
            f"{layout}: counts not compared with the simulation, as in Flee 3.1 (not camps): {', '.join(others)}",
            ScenarioWarning,
            stacklevel=3,
        )
    return {name: points for name, points in counts.items() if name in camps}


def read_flee_folder(folder: str | Path, compat: Compat = "3.1", ignore_unknown: bool = False) -> Scenario:
    """Read a Flee input folder; raises ScenarioError naming file, row and field on bad input.

    A ``simsetting.yml`` key caravana does not implement or know is an error, or with
    ``ignore_unknown`` a warning (see :mod:`caravana.flee.settings`).
    """
    return read_flee_folder_report(folder, compat, ignore_unknown)[0]


def read_flee_folder_report(
    folder: str | Path, compat: Compat = "3.1", ignore_unknown: bool = False
) -> tuple[Scenario, SettingsReport]:
    """:func:`read_flee_folder`, and what was read from ``simsetting.yml`` and what set aside."""
    folder = Path(folder)
    input_csv = folder / "input_csv"
    if not input_csv.is_dir():
        raise ScenarioError("not a Flee folder: input_csv/ is missing", file=folder)
    report = read_settings(folder / "simsetting.yml", compat, ignore_unknown)
    settings, hasten = report.settings, report.hasten
    start, days = _read_period(input_csv)
    locations = _read_locations(input_csv / "locations.csv", hasten)
    known = {loc.name for loc in locations}
    routes = _read_routes(input_csv / "routes.csv")
    closures = _read_closures(input_csv / "closures.csv")
    conflicts = _read_conflicts(input_csv / "conflicts.csv", known)
    if not (input_csv / "conflicts.csv").exists():
        # Without a conflicts table, a conflict zone turns active on its conflict_date.
        conflicts = [
            ConflictChange(day=loc.conflict_date, location=loc.name, intensity=1.0)
            for loc in locations
            if loc.type == "conflict_zone" and loc.conflict_date
        ]
    demographics = read_demographics(input_csv)
    totals: list = []
    camps: dict = {}
    if (folder / "source_data" / "data_layout.csv").exists():
        totals, camps = _read_source_data(
            folder, start, hasten, input_csv / "registration_corrections.csv", known
        )
    name = folder.resolve().name
    size, most = len(name), MAX_NAME
    if not 0 < size <= most:
        raise ScenarioError(f"the folder's name is the scenario's: it must have 1 to {most} characters "
                            f"(it has {size})", file=folder)
    # Every part was validated as it was read (rows, period, spawning, settings) and the name
    # just above, so the whole is put together without validating it again: that would build
    # the validators of every scenario model, the corridor's too (20-40 ms of a run's start).
    # The same holds for the period, the count series and the conflicts, checked by this module
    # as it read them: building their validators (and pydantic's look at `list`'s signature for
    # a default_factory, which compiles the tokenizer's patterns) cost a Flee run 5-10 ms.
    scenario = Scenario.model_construct(
        name=name,
        description=f"Imported from the Flee folder {folder} (rules: Flee {compat})",
        period=Period.model_construct(start=start, days=days),
        locations=locations,
        routes=routes,
        closures=closures,
        conflicts=conflicts,
        spawning=Spawning.model_construct(totals=totals, camp_counts=camps, demographics=demographics),
        observations=_camps_only(camps, locations, folder / "source_data" / "data_layout.csv"),
        settings=settings,
    )
    check_scenario(scenario)
    return scenario, report
