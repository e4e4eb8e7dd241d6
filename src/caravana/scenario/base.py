"""The building blocks of every scenario model: names, strict models, rows from files."""

from __future__ import annotations

import types
from typing import Annotated, Any, Self, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, field_validator

MAX_NAME = 200  # characters of a name
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
MAX_DAYS = 32_767  # days of one run (89 years): day numbers are kept as 16-bit integers


def _numbers_only(annotation: Any) -> bool:
    """True when a field holds only numbers (int, float, optional, in lists or dicts)."""
    if annotation in (int, float, type(None)):
        return True
    origin = get_origin(annotation)
    if origin is Annotated:
        return _numbers_only(get_args(annotation)[0])
    if origin in (Union, types.UnionType, list, tuple):
        return all(_numbers_only(a) for a in get_args(annotation) if a is not Ellipsis)
    if origin is dict:
        return _numbers_only(get_args(annotation)[1])
    return False


def _holds_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, (list, tuple)):
        return any(_holds_bool(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_bool(v) for v in value.values())
    return False


class Strict(BaseModel):
    """Base for every scenario model: unknown fields are errors, every float is finite
    (no inf or NaN), and ``true``/``false`` are not read as the numbers 1 and 0.

    A model's validator is built when it is first used, not when its class is defined
    (``defer_build``): a run uses a few of the ~50 models (a Flee run none of the
    corridor's), and building them all cost every ``caravana`` process 30-60 ms of CPU."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False, allow_inf_nan=False,
                              defer_build=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        if not _holds_bool(value):  # first: pydantic's model_fields costs ~10 µs a look
            return value
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and _numbers_only(field.annotation):
            raise ValueError("expected a number, not true/false")
        return value


class FromFile(Strict):
    """A row that may have been read from a table; ``origin`` says where."""

    _origin: tuple[str, int] | None = PrivateAttr(default=None)
    _columns: dict[str, str] | None = PrivateAttr(default=None)

    @property
    def origin(self) -> tuple[str, int] | None:
        return self._origin

    def column_name(self, field: str) -> str:
        """The name the source file gives this field (Flee's files use their own names)."""
        return (self._columns or {}).get(field, field)

    def with_origin(self, file: str, row: int, columns: dict[str, str] | None = None) -> Self:
        self._origin = (file, row)
        self._columns = columns
        return self
