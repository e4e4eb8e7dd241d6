"""Write docs/settings.md, the reference of every scenario setting, from the pydantic schema.

    python tools/settings_doc.py          # rewrite docs/settings.md
    python tools/settings_doc.py --check  # exit 1 if docs/settings.md is out of date

Every field of the ``settings:`` and ``corridor:`` sections of a scenario YAML file:
its path (as ``--set`` and ``apply_overrides`` take it), type, default, bounds and
description, read from the models in ``caravana.scenario``. Nothing here is written by hand.
"""

from __future__ import annotations

import sys
import types
import typing
from pathlib import Path

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from caravana.scenario.corridor import CorridorSpec
from caravana.scenario.schema import Settings

OUT = Path(__file__).resolve().parents[1] / "docs" / "settings.md"
BOUNDS = ((annotated_types.Ge, "ge", "≥ {}"), (annotated_types.Gt, "gt", "> {}"), (annotated_types.Le, "le", "≤ {}"),
          (annotated_types.Lt, "lt", "< {}"), (annotated_types.MinLen, "min_length", "at least {} items"),
          (annotated_types.MaxLen, "max_length", "at most {} items"))


def _models_in(annotation) -> list[tuple[str, type[BaseModel]]]:
    """Nested models of a field's type, with the path suffix they sit under ('', '[i]', '{key}')."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [("", annotation)]
    if origin in (list, tuple, set):
        return [("[i]" + s, m) for a in args for s, m in _models_in(a)]
    if origin is dict:
        return [("{key}" + s, m) for s, m in _models_in(args[1])]
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        return [x for a in args for x in _models_in(a)]
    return []


def _type_name(annotation) -> str:
    text = getattr(annotation, "__name__", None) if typing.get_origin(annotation) is None else None
    text = text or repr(annotation)
    for noise in ("typing.", "caravana.scenario.schema.", "caravana.scenario.corridor.", "caravana.scenario.base.",
                  "datetime.", "<class '", "'>"):
        text = text.replace(noise, "")
    return text


def _bounds(info: FieldInfo) -> str:
    parts = []
    for meta in info.metadata:
        for kind, attribute, text in BOUNDS:
            if isinstance(meta, kind):
                parts.append(text.format(getattr(meta, attribute)))
    return ", ".join(parts)


def _default(info: FieldInfo) -> str:
    if info.default_factory is not None:
        try:
            value = info.default_factory()
        except TypeError:
            return "(computed)"
        return "(see below)" if isinstance(value, BaseModel) else f"`{value!r}`"
    if info.default is PydanticUndefined:
        return "required"
    return f"`{info.default!r}`"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def rows(model: type[BaseModel], prefix: str) -> list[str]:
    out = []
    nested = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        path = f"{prefix}.{key}"
        out.append(f"| `{path}` | {_cell(_type_name(info.annotation))} | {_cell(_default(info))} | "
                   f"{_cell(_bounds(info))} | {_cell(info.description or '')} |")
        nested += [(path + suffix, sub) for suffix, sub in _models_in(info.annotation)]
    for path, sub in nested:
        out += rows(sub, path)
    return out


def render() -> str:
    head = ["# Scenario settings reference", "",
            "Generated from the pydantic schema by `python tools/settings_doc.py`; do not edit by hand.",
            "Paths are those `caravana run --set PATH=VALUE` takes (`[i]`: an item of a list, `{key}`: a map's value).",
            "Several `--set`s are applied together, then checked as the scenario file is: settings valid together are "
            "accepted in any order; a wrong one is named.",
            ""]
    body = []
    for title, model, prefix in (("`settings:` (movement and spawning rules)", Settings, "settings"),
                                 ("`corridor:` (caravans, enforcement, papers, transport, aid)", CorridorSpec, "corridor")):
        body += [f"## {title}", "", "| setting | type | default | bounds | description |", "|---|---|---|---|---|",
                 *rows(model, prefix), ""]
    return "\n".join(head + body)


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        if not OUT.is_file() or OUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUT} is out of date: run python tools/settings_doc.py")
    else:
        OUT.write_text(text, encoding="utf-8")
        print(f"wrote {OUT} ({text.count(chr(10) + '| `')} settings)")
