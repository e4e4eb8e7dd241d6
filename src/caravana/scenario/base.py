"""The building blocks of every scenario model: names, strict models, rows from files."""

from __future__ import annotations

import dataclasses
import types
from typing import Annotated, Any, ForwardRef, Literal, Self, Union, get_args, get_origin

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

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        _check_bools_in_numbers_only(cls)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        if not _holds_bool(value):  # first: pydantic's model_fields costs ~10 µs a look
            return value
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and _numbers_only(field.annotation):
            raise ValueError("expected a number, not true/false")
        return value


def _check_bools_in_numbers_only(model: type[Strict]) -> None:
    """Have ``_no_bool_numbers`` wrap only the fields that may hold numbers (it returns any other
    field's value as it is): pydantic builds a wrapper, and reads the function's signature, for
    every field a validator names, and with ``"*"`` that doubled the time to build a model's
    validator (about 3 ms of a Flee run's first validations, more for the corridor's ~50 models).
    A field whose type is not yet known (a name still to resolve) keeps the check. If pydantic
    keeps its validators otherwise than this expects, every field keeps the check."""
    validators = getattr(getattr(model, "__pydantic_decorators__", None), "field_validators", None)
    check = validators.get("_no_bool_numbers") if isinstance(validators, dict) else None
    if check is None or not dataclasses.is_dataclass(check) or not dataclasses.is_dataclass(check.info):
        return
    fields = tuple(name for name, field in model.model_fields.items()
                   if _numbers_only(field.annotation) or _unresolved(field.annotation))
    validators["_no_bool_numbers"] = dataclasses.replace(check, info=dataclasses.replace(check.info, fields=fields))


def _unresolved(annotation: Any) -> bool:
    if isinstance(annotation, (str, ForwardRef)):
        return True
    return get_origin(annotation) is not Literal and any(_unresolved(a) for a in get_args(annotation))


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
