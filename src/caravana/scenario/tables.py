"""Reading CSV tables into validated rows, with errors that name file, row and field.

Row numbers are the line numbers a person sees in an editor (the header is row 1).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import ScenarioError
from .schema import FromFile

RowModel = TypeVar("RowModel", bound=BaseModel)


def read_text(path: Path) -> str:
    """The file's text as UTF-8 (a BOM is allowed), or a ScenarioError saying why not."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError("file not found", file=path) from None
    except IsADirectoryError:
        raise ScenarioError("expected a file but found a folder", file=path) from None
    except OSError as exc:
        raise ScenarioError(f"cannot read file: {exc.strerror}", file=path) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save the file as UTF-8",
            file=path,
            row=line,
        ) from None


def read_csv_rows(path: Path, *, skip_comments: bool = False) -> list[tuple[int, list[str]]]:
    """All non-blank rows of a CSV file with their line numbers.

    With ``skip_comments`` (Flee's files), rows whose first cell starts with ``#`` are dropped.
    """
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not cells or all(not c.strip() for c in cells):
                continue
            if skip_comments and cells[0].lstrip().startswith("#"):
                continue
            rows.append((line, cells))
    except csv.Error as exc:
        raise ScenarioError(f"malformed CSV: {exc}", file=path, row=reader.line_num) from None
    return rows


def _first_error(exc: ValidationError) -> tuple[str | None, str]:
    err = exc.errors()[0]
    field = ".".join(str(part) for part in err["loc"]) or None
    message = err["msg"]
    if err["type"] == "extra_forbidden":
        message = "unknown field (not a setting or column caravana knows)"
    elif err["type"] == "missing":
        message = "required value is missing"
    elif "input" in err and err["type"] not in ("missing",):
        message = f"{message} (got {err['input']!r})"
    return field, message


def validate_row(
    model: type[RowModel],
    values: dict,
    *,
    file: Path | str,
    row: int | None,
    column_names: dict[str, str] | None = None,
) -> RowModel:
    """Build one model from a dict, turning a validation error into a ScenarioError.

    ``column_names`` maps model fields to the column names the user sees in the file,
    so that errors name the file's own columns (Flee's ``distance`` rather than ``km``).
    """
    try:
        obj = model.model_validate(values)
    except ValidationError as exc:
        field, message = _first_error(exc)
        if column_names and field in column_names:
            field = column_names[field]
        raise ScenarioError(message, file=file, row=row, field=field) from None
    if isinstance(obj, FromFile) and row is not None:
        obj.with_origin(str(file), row, column_names)
    return obj


def read_table(path: Path, model: type[RowModel], *, required: tuple[str, ...] = ()) -> list[RowModel]:
    """Read a headed CSV file into models; empty cells take the model's defaults."""
    rows = read_csv_rows(path)
    if not rows:
        raise ScenarioError("the table is empty (no header row)", file=path)
    header_line, header = rows[0]
    header = [h.strip() for h in header]
    for column in required:
        if column not in header:
            raise ScenarioError("required column is missing", file=path, row=header_line, field=column)
    known = set()
    for name, info in model.model_fields.items():
        known.add(info.alias or name)
    for column in header:
        if column not in known:
            raise ScenarioError("unknown column", file=path, row=header_line, field=column)
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise ScenarioError("column appears twice", file=path, row=header_line, field=dup)
    out = []
    for line, cells in rows[1:]:
        if len(cells) > len(header):
            raise ScenarioError(
                f"row has {len(cells)} cells but the header has {len(header)}", file=path, row=line
            )
        values = {col: cell.strip() for col, cell in zip(header, cells) if cell.strip() != ""}
        out.append(validate_row(model, values, file=path, row=line))
    return out


class _PlainSafeLoader(yaml.SafeLoader):
    """YAML's safe loader, but dates stay strings so the schema validates them
    (PyYAML's own date parsing fails with a bare error on impossible dates)."""


_PlainSafeLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> object:
    """Parse a YAML file safely (no code execution), or raise a ScenarioError with the line."""
    text = read_text(path)
    try:
        return yaml.load(text, Loader=_PlainSafeLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ScenarioError(f"invalid YAML: {problem}", file=path, row=row) from None
