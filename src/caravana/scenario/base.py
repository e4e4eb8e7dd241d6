"""The building blocks of every scenario model: names, strict models, rows from files."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

Name = Annotated[str, Field(min_length=1, max_length=200)]


class Strict(BaseModel):
    """Base for every scenario model: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


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

    def with_origin(self, file: str, row: int, columns: dict[str, str] | None = None) -> "FromFile":
        self._origin = (file, row)
        self._columns = columns
        return self
