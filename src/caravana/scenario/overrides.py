"""Change settings of a loaded scenario by dotted path, with the same validation as a file.

Policy comparisons, calibration and the dashboard's form all vary a handful of
settings of one scenario. They name each one by its path in the scenario, e.g.

    settings.movement.awareness_level
    corridor.papers.permits.per_day
    corridor.caravans[0].leave_rate          (list item by position)
    corridor.caravans[october-2018].pace_km  (list item by its ``name``)
    corridor.enforcement.checkpoints[Federal Police roadblock, Arriaga - Tapanatepec].detention
    corridor.aid.standards[water_total_min]  (dict entry by key)

and :func:`apply_overrides` returns a new, fully validated scenario; the original
is never modified. A wrong path or value raises :class:`ScenarioError` naming it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import CaravanaError, ScenarioError
from .aliases import resolve as resolve_place
from .checks import check_scenario
from .schema import Scenario

_TOKEN = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")


def parse_path(path: str) -> list[str | tuple[str]]:
    """``a.b[2].c`` → ``['a', 'b', ('2',), 'c']``: attribute names and bracketed selectors."""
    tokens: list[str | tuple[str]] = []
    pos = 0
    for match in _TOKEN.finditer(path):
        between = path[pos:match.start()]
        if between not in ("", "."):
            raise ScenarioError(f"cannot read setting path '{path}'", field=path)
        attr, selector = match.groups()
        tokens.append(attr if attr is not None else (selector,))
        pos = match.end()
    if pos != len(path) or not tokens or not isinstance(tokens[0], str):
        raise ScenarioError(f"cannot read setting path '{path}'", field=path)
    return tokens


def _field_name(model: BaseModel, name: str, path: str) -> str:
    """The model's field for ``name``, which may be the field name or its alias."""
    fields = type(model).model_fields
    if name in fields:
        return name
    for field_name, info in fields.items():
        if info.alias == name:
            return field_name
    raise ScenarioError(
        f"{type(model).__name__} has no field '{name}' "
        f"(known: {', '.join(sorted(fields))})",
        field=path,
    )


def _list_index(items: list, selector: str, path: str) -> int:
    if selector.lstrip("-").isdigit():
        index = int(selector)
        if -len(items) <= index < len(items):
            return index % len(items)
        raise ScenarioError(f"no item [{selector}] in a list of {len(items)}", field=path)
    names = [getattr(item, "name", None) for item in items]
    if selector in names:
        return names.index(selector)
    named = [n for n in names if isinstance(n, str)]
    try:  # a place written with accents or in Spanish/English: "Juchitán", "Ciudad de México"
        return names.index(resolve_place(selector, named))
    except CaravanaError as exc:
        close = exc.places  # the close items by their identifiers, as a path writes them ("october-2018")
    if close:
        suggested = ", ".join(f"'{c}'" for c in close)
        raise ScenarioError(f"no item named '{selector}' (did you mean {suggested}?)", field=path)
    raise ScenarioError(f"no item named '{selector}'", field=path)


def _replace(node: Any, tokens: list, value: Any, path: str) -> Any:
    """A copy of ``node`` with the value at ``tokens`` replaced, re-validated where it changed."""
    return _replace_all(node, [(tokens, value, path)]) if tokens else value


def _revalidate(model: BaseModel, name: str, child: Any, path: str) -> BaseModel:
    """Rebuild ``model`` with ``name`` set to ``child`` through the model's own validation,
    keeping private attributes (such as where a row came from)."""
    return _rebuilt(model, {name: child}, path)


def _rebuilt(model: BaseModel, changes: dict[str, Any], path: str) -> BaseModel:
    """``model`` with the fields of ``changes`` set, validated once (see :func:`_revalidate`)."""
    data = {field: getattr(model, field) for field in type(model).model_fields}
    data.update(changes)  # untouched siblings stay the same instances, with their private attributes
    try:
        # Lax mode here: values from YAML or a form arrive as int for float and so on; strict
        # checking of the file itself already happened at load.
        rebuilt = type(model).model_validate(data, strict=False, by_name=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ScenarioError(f"{first['msg']}", field=path) from None
    if model.__pydantic_private__:
        rebuilt.__pydantic_private__ = dict(model.__pydantic_private__)
    return rebuilt


class _Overlapping(Exception):
    """One override's path lies inside another's: set them one by one."""


def _key(node: Any, head: str | tuple[str], path: str) -> Any:
    """The child of ``node`` that ``head`` names: a field name, a list index or a dict key."""
    if isinstance(node, BaseModel):
        if not isinstance(head, str):
            raise ScenarioError(f"[{head[0]}] used on a {type(node).__name__}", field=path)
        return _field_name(node, head, path)
    if isinstance(node, list):
        if not isinstance(head, tuple):
            raise ScenarioError(f"'{head}' used on a list; write [index] or [name]", field=path)
        return _list_index(node, head[0], path)
    if isinstance(node, dict):
        return head[0] if isinstance(head, tuple) else head
    raise ScenarioError(f"cannot go into a {type(node).__name__}", field=path)


def _replace_all(node: Any, entries: list[tuple[list, Any, str]]) -> Any:
    """A copy of ``node`` with every ``(tokens, value, path)`` of ``entries`` (non-empty tokens)
    set, each model on the way re-validated once, however many of the entries go through it."""
    if node is None:
        head = entries[0][0][0]  # (the message of _replace, translated once)
        raise ScenarioError(f"'{head}' is not set in this scenario", field=entries[0][2])
    children: dict[Any, list[tuple[list, Any, str]]] = {}
    for tokens, value, path in entries:
        children.setdefault(_key(node, tokens[0], path), []).append((tokens[1:], value, path))
    changes: dict[Any, Any] = {}
    for key, below in children.items():
        if any(not rest for rest, _, _ in below):
            if len(below) > 1 and any(rest for rest, _, _ in below):
                raise _Overlapping
            changes[key] = below[-1][1]  # the same setting given twice: the last one
        elif isinstance(node, dict) and key not in node:
            raise ScenarioError(f"no entry '{key}'", field=below[0][2])
        else:
            changes[key] = _replace_all(node[key] if isinstance(node, (list, dict)) else getattr(node, key), below)
    if isinstance(node, BaseModel):
        return _rebuilt(node, changes, entries[-1][2])
    copy = list(node) if isinstance(node, list) else dict(node)
    for key, child in changes.items():
        copy[key] = child
    return copy


def apply_overrides(scenario: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """A new scenario with each ``path: value`` of ``overrides`` set, validated and cross-checked."""
    # All the settings at once, each model on their paths validated once (a forecast's
    # particle sets 26, which one by one re-validated the whole scenario 26 times: ~3 ms a
    # particle). The models' checks read only the model they are in, so when setting them one by
    # one succeeds the result is the same. Unlike one by one, settings that are valid only
    # together (a low and a high moved past each other) are accepted. Should one fail (or one
    # path lie inside another), they are set one by one, so the error names the setting that
    # first made the scenario invalid.
    try:
        result = _replace_all(scenario, [(parse_path(path), value, path) for path, value in overrides.items()]
                              ) if overrides else scenario
    except (ScenarioError, _Overlapping):
        result = scenario
        for path, value in overrides.items():
            result = _replace(result, parse_path(path), value, path)
    if overrides:
        check_scenario(result)  # with the corridor's names, so a bad change fails before any run
    return result


def get_setting(scenario: Scenario, path: str) -> Any:
    """The current value at ``path`` (same syntax as :func:`apply_overrides`)."""
    node: Any = scenario
    for token in parse_path(path):
        if isinstance(node, BaseModel) and isinstance(token, str):
            node = getattr(node, _field_name(node, token, path))
        elif isinstance(node, list) and isinstance(token, tuple):
            node = node[_list_index(node, token[0], path)]
        elif isinstance(node, dict):
            key = token[0] if isinstance(token, tuple) else token
            if key not in node:
                raise ScenarioError(f"no entry '{key}'", field=path)
            node = node[key]
        else:
            raise ScenarioError(f"cannot go into a {type(node).__name__}", field=path)
    return node


def read_fitted(path, scenario: Scenario) -> dict[str, Any]:
    """The fitted values of a calibration (the ``fitted`` overrides of the ``fitted.json``
    that ``caravana calibrate`` writes), checked against ``scenario`` as ``--set`` values
    are; a mistake raises :class:`ScenarioError` naming the file and the field."""
    import json
    from pathlib import Path

    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError("not found", file=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read it: {exc}", file=path) from None
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"not a JSON file (line {exc.lineno}: {exc.msg})", file=path) from None
    fitted = data.get("fitted") if isinstance(data, dict) else None
    if not isinstance(fitted, dict) or not fitted:
        raise ScenarioError("no fitted values: expected the fitted.json that caravana calibrate writes",
                            file=path, field="fitted")
    if data.get("scenario") not in (None, scenario.name):
        raise ScenarioError(f"fitted for scenario '{data['scenario']}', not '{scenario.name}'", file=path,
                            field="scenario")
    for key, value in fitted.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ScenarioError(f"expected a number, got {value!r}", file=path, field=f"fitted.{key}")
    try:
        apply_overrides(scenario, fitted)
    except ScenarioError as exc:
        raise ScenarioError(exc.message, file=path, field=f"fitted.{exc.field}" if exc.field else "fitted") from None
    return dict(fitted)
