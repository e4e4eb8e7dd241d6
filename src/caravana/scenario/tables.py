"""Reading CSV tables into validated rows, with errors that name file, row and field.

Row numbers are the line numbers a person sees in an editor (the header is row 1).
Tables are strict: a row with more or fewer cells than its header, a quote left open,
a NUL byte are errors, never a silent shift or a swallowed row. YAML is bounded:
nesting deeper than ``MAX_YAML_DEPTH`` or more than ``MAX_YAML_NODES`` values once
aliases are expanded (an "alias bomb") is refused before anything is built.
"""

from __future__ import annotations

import csv
import io
import re
import reprlib
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import E_, ScenarioError
from .schema import FromFile

RowModel = TypeVar("RowModel", bound=BaseModel)

MAX_YAML_DEPTH = 32  # the deepest built-in scenario nests 6 levels
MAX_YAML_NODES = 200_000  # values with aliases expanded; the corridor has about 2,000
# the validation context's key for a row's cells as written (validate_row): a validator names a
# value as the user wrote it ("'llegados' takes no value"), not as it was read ("'arrived'")
WRITTEN = "written"

_short = reprlib.Repr()
_short.maxstring = _short.maxother = 60
_short.maxlevel, _short.maxlist, _short.maxdict = 2, 4, 4


def short_repr(value: object) -> str:
    """A bounded ``repr`` for error messages: a 60-character cut of long or deep values."""
    return _short.repr(value)


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
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save the file as UTF-8",
            file=path,
            row=line,
        ) from None
    nul = text.find("\0")
    if nul >= 0:
        raise ScenarioError("holds a NUL byte (a binary or damaged file?)", file=path, row=text.count("\n", 0, nul) + 1)
    return text


def read_csv_rows(path: Path, *, skip_comments: bool = False) -> list[tuple[int, list[str]]]:
    """All non-blank rows of a CSV file with their line numbers.

    With ``skip_comments`` (Flee's files), rows whose first cell starts with ``#`` are dropped.
    """
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        previous_end = 0
        for cells in reader:
            line = reader.line_num
            first_line, previous_end = previous_end + 1, line
            if line != first_line:
                # A quoted cell ran over a line break: nearly always a stray quote that
                # would swallow the rows after it.
                raise ScenarioError(
                    f"a quote opened on this row is closed only on row {line} (a stray \"?)",
                    file=path, row=first_line,
                )
            if not cells or all(not c.strip() for c in cells):
                continue
            if skip_comments and cells[0].lstrip().startswith("#"):
                continue
            rows.append((line, cells))
    except csv.Error as exc:
        if "end of data" in str(exc):  # a quote that is never closed
            raise ScenarioError("a quote opened on this row is never closed (a stray \"?)",
                                file=path, row=previous_end + 1) from None
        raise ScenarioError(f"malformed CSV: {exc}", file=path, row=reader.line_num) from None
    return rows


def check_width(path: Path, line: int, cells: list[str], width: int, header: str = "the header") -> None:
    """A row must have as many cells as its header: a missing cell would shift the
    values after it into the wrong columns. Empty cells past the header's end are allowed."""
    if len(cells) > width and not any(c.strip() for c in cells[width:]):
        return
    if len(cells) != width:
        raise ScenarioError(f"row has {len(cells)} cells but {header} has {width}", file=path, row=line)


def _first_error(exc: ValidationError) -> tuple[str | None, str]:
    err = exc.errors()[0]
    field = ".".join(str(part) for part in err["loc"]) or None
    message = err["msg"]
    if err["type"] == "extra_forbidden":
        message = E_("unknown field (not a setting or column caravana knows)")
    elif err["type"] == "missing":
        message = E_("required value is missing")
    elif "input" in err and err["type"] not in ("missing",):
        got = short_repr(err["input"])
        # a message that quotes the text already says it once ("'detenidso' is not a quantity ..."); a number is
        # always said ("greater than 0" does not say the 0 typed)
        if not (isinstance(err["input"], str) and got in message):
            message = E_(f"{message} (got {got})")
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
    try:  # the cells as written go with them, so a check can name a value as the user wrote it
        obj = model.model_validate(values, context={WRITTEN: values})
    except ValidationError as exc:
        field, message = _first_error(exc)
        if column_names and field in column_names:
            field = column_names[field]
        raise ScenarioError(message, file=file, row=row, field=field) from None
    if isinstance(obj, FromFile) and row is not None:
        obj.with_origin(str(file), row, column_names)
    return obj


def check_separator(header: list[str], path: Path | str, line: int) -> None:
    """A ScenarioError if the header is one cell holding ';' (a table saved with the wrong separator)."""
    if len(header) == 1 and ";" in header[0]:
        # Excel in a language with decimal commas (Spanish in Spain, French...) saves "CSV" this way
        raise ScenarioError("the columns are separated by ';', not ','; save the file as \"CSV UTF-8 "
                            "(comma delimited)\" or replace each ';' by ','", file=path, row=line)


def read_table(path: Path, model: type[RowModel], *, required: tuple[str, ...] = ()) -> list[RowModel]:
    """Read a headed CSV file into models; empty cells take the model's defaults."""
    rows = read_csv_rows(path)
    if not rows:
        raise ScenarioError("the table is empty (no header row)", file=path)
    header_line, header = rows[0]
    header = [h.strip() for h in header]
    while header and not header[-1]:  # a trailing comma
        header.pop()
    check_separator(header, path, header_line)
    for column in required:
        if column not in header:  # what the header has beside what it needs: "fecha, lugar..." for "date, place..."
            had, needs = ", ".join(h for h in header if h), ", ".join(required)
            if not had:
                raise ScenarioError("required column is missing", file=path, row=header_line, field=column)
            raise ScenarioError(f"required column is missing (the header has {had}; it needs {needs})",
                                file=path, row=header_line, field=column)
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
        check_width(path, line, cells, len(header))
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

# The same loader on PyYAML's parser in C (libyaml), when PyYAML was built with it, for whole
# files (:func:`read_yaml`): 5-10x faster (the corridor's scenario took 30-40 ms of a `caravana
# run corridor` in the pure-Python parser), the same events, marks and values on ordinary text
# (tests/test_yaml_loader.py compares them on every YAML file of the project). Not on text
# holding characters the two parsers treat differently (:data:`_SPECIAL`: a BOM past the
# start, lone surrogates, control characters), and any failure is read again by the
# pure-Python parser: its messages name more (an undefined alias's name) and are the ones
# caravana always gave.
_FastLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        yaml_implicit_resolvers = _PlainSafeLoader.yaml_implicit_resolvers

_SPECIAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\ufeff\ufffe\uffff]")


def _check_yaml_shape(text: str, path: Path, loader: type = _PlainSafeLoader) -> None:
    """Walk the YAML events (nothing is built) and refuse nesting deeper than
    MAX_YAML_DEPTH, more than MAX_YAML_NODES values with aliases expanded, and a key
    given twice in one mapping (YAML keeps the last one silently)."""
    sizes: dict[str, int] = {}  # anchor -> values under it, expanded
    stack: list[list] = []  # [anchor, values so far, keys seen or None, position]
    total = 0

    def add(count: int, key: object = None, line: int | None = None) -> None:
        nonlocal total
        total += count
        if total > MAX_YAML_NODES:
            raise ScenarioError(
                f"more than {MAX_YAML_NODES:,} values once aliases are expanded (an alias bomb?)", file=path, row=line
            )
        if stack:
            frame = stack[-1]
            frame[1] += count
            if frame[2] is not None:
                if frame[3] % 2 == 0 and isinstance(key, str):
                    if key in frame[2]:
                        raise ScenarioError(f"key '{key[:60]}' appears twice in one mapping", file=path, row=line)
                    frame[2].add(key)
                frame[3] += 1

    for event in yaml.parse(text, Loader=loader):  # noqa: S506 - safe loaders only
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(stack) >= MAX_YAML_DEPTH:
                raise ScenarioError(f"nested deeper than {MAX_YAML_DEPTH} levels", file=path, row=line)
            if stack and stack[-1][2] is not None:
                stack[-1][3] += 1  # a collection as a mapping's key or value takes a position
            is_map = isinstance(event, yaml.MappingStartEvent)
            stack.append([event.anchor, 0, set() if is_map else None, 0])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            anchor, count, _, _ = stack.pop()
            if anchor is not None:
                sizes[anchor] = count + 1
            if stack:
                stack[-1][1] += count + 1
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                sizes[event.anchor] = 1
            add(1, event.value, line)
        elif isinstance(event, yaml.AliasEvent):
            add(sizes.get(event.anchor or "", 1), None, line)


def parse_yaml_value(text: str) -> object:
    """One value typed by a person (``--set path=value``), read as YAML; dates stay strings
    so that the schema judges them. Raises yaml.YAMLError."""
    return yaml.load(text, Loader=_PlainSafeLoader)  # noqa: S506 - a SafeLoader subclass


def read_yaml(path: Path) -> object:
    """Parse a YAML file safely (no code execution), or raise a ScenarioError with the line."""
    text = read_text(path)
    if _FastLoader is not None and not _SPECIAL.search(text, 1 if text.startswith("\ufeff") else 0):
        try:
            _check_yaml_shape(text, path, _FastLoader)
            return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - a SafeLoader subclass
        except Exception:  # noqa: BLE001, S110 - told below as the pure-Python parser tells it
            pass
    try:
        _check_yaml_shape(text, path)
        return yaml.load(text, Loader=_PlainSafeLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ScenarioError(f"invalid YAML: {problem}", file=path, row=row) from None
