"""Where each setting of a scenario comes from: a provenance table, and its checks.

A provenance table is a CSV with one row per setting (or per group of settings)::

    setting,value,kind,date,source,marked,note
    corridor.caravans[october-2018].initial_size,160,report,2018-10-12,timeline 2018-10-12 ...,,

- ``setting``: a dotted path in the scenario file (the syntax of
  :mod:`caravana.scenario.overrides`; list items by ``[name]`` or ``[index]``). A row
  for a path covers every setting under it (``...composition`` covers its shares).
  ``[*]`` stands for every item of a list (the same value for all).
  ``locations.csv/<place>/<column>`` and ``routes.csv/<from>-<to>/<column>`` name a
  cell of the scenario's tables.
- ``value``: the value, in YAML (checked against the file, so the table cannot go stale).
- ``kind``: ``report`` (a dated report), ``cal`` (set by hand against dated reports;
  ``date`` is the last report used), ``caravan`` (another caravan; ``date`` is its start),
  ``fact`` (a general fact), ``est`` (an estimate).
- ``marked``: why a value that cites, or was set with, a report later than the cutoff
  is kept (empty when nothing later is involved).

A benchmark may replace some of a file's settings (``forecast_2021.py``'s ``SETTINGS``, as
``--set`` gives them): ``check_provenance(..., replaced=...)`` checks the rows against the file
with them applied, so the table is the provenance of what the benchmark forecasts from. A value
chosen by scoring it on reports (a variant kept because it scored better) is ``cal``, dated the
last report it was scored on: on held-back reports, the check fails it like a later report.

:func:`check_provenance` returns what is wrong, as one sentence per problem; the
blind-test rule of the 2018 scenario is a cutoff date: no ``report`` or ``cal`` row dated
after it, and no row citing a later date unless marked.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import re
from collections.abc import Iterator, Mapping, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

KINDS = ("report", "cal", "caravan", "fact", "est")
DATED_KINDS = ("report", "cal", "caravan")
# Keys of a scenario file that describe it rather than set anything.
NOT_SETTINGS = frozenset({"name", "description"})
TABLE_PREFIXES = ("locations.csv/", "routes.csv/")

_ISO_DATE = re.compile(r"\b(20\d\d)-(\d\d)(?:-(\d\d))?\b")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_YEAR = re.compile(r"\b(" + "|".join(_MONTHS) + r")[a-z]*\.? (20\d\d)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Provenance:
    row: int  # line number in the file (header = 1)
    setting: str
    value: Any
    kind: str
    date: dt.date | None
    source: str
    marked: str
    note: str


def read_provenance(path: str | Path) -> list[Provenance]:
    """The rows of a provenance table (values parsed as YAML)."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = []
        for i, r in enumerate(csv.DictReader(f), start=2):
            date = dt.date.fromisoformat(r["date"]) if r["date"].strip() else None
            rows.append(Provenance(i, r["setting"].strip(), yaml.safe_load(r["value"]) if r["value"].strip() else None,
                                   r["kind"].strip(), date, r["source"], r["marked"].strip(), r["note"]))
    return rows


def _key(item: Any, index: int) -> str:
    name = item.get("name") if isinstance(item, Mapping) else None
    return f"[{name}]" if name else f"[{index}]"


def setting_leaves(tree: Mapping, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(path, value) of every setting in a scenario file's mapping: mappings are walked by
    key, lists of mappings by item (``[name]`` when the item has one, else ``[index]``);
    anything else, lists of names included, is one setting."""
    for key, value in tree.items():
        if not prefix and key in NOT_SETTINGS:
            continue
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping) and value:
            yield from setting_leaves(value, path)
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            for i, item in enumerate(value):
                yield from setting_leaves({k: v for k, v in item.items() if k != "name"}, path + _key(item, i))
        else:
            yield path, value


def values_at(tree: Any, path: str) -> list[Any]:
    """The raw values at ``path`` in a scenario file's mapping: one, or one per list item
    for each ``[*]`` in the path (KeyError if there is none)."""
    from .overrides import parse_path

    nodes = [tree]
    for token in parse_path(path):
        found = []
        for node in nodes:
            if isinstance(token, tuple):
                if not isinstance(node, list):
                    continue
                selector = token[0]
                named = [item for item in node if isinstance(item, Mapping) and item.get("name") == selector]
                if selector == "*":
                    found.extend(node)
                elif named:
                    found.append(named[0])
                elif selector.isdigit() and int(selector) < len(node):
                    found.append(node[int(selector)])
            elif isinstance(node, Mapping) and token in node:
                found.append(node[token])
        nodes = found
    if not nodes:
        raise KeyError(path)
    return nodes


def _covers(entry: str, leaf: str) -> bool:
    """Whether the row for ``entry`` (``[*]`` matching any list item) covers the setting ``leaf``."""
    pattern = re.escape(entry).replace(re.escape("[*]"), r"\[[^\]]*\]")
    return re.match(pattern + r"($|[.\[])", leaf) is not None


def later_dates(text: str, cutoff: dt.date) -> list[str]:
    """Dates in ``text`` (ISO ``YYYY-MM-DD``/``YYYY-MM``, or ``Nov 2018``) later than ``cutoff``."""
    found = []
    for year, month, day in _ISO_DATE.findall(text):
        if not 1 <= int(month) <= 12:
            continue
        date = dt.date(int(year), int(month), int(day) if day else 1)
        if date > cutoff or (not day and (date.year, date.month) > (cutoff.year, cutoff.month)):
            found.append("-".join(p for p in (year, month, day) if p))
    for month, year in _MONTH_YEAR.findall(text):
        if (int(year), _MONTHS.index(month[:3].lower()) + 1) > (cutoff.year, cutoff.month):
            found.append(f"{month} {year}")
    return found


def table_cell(folder: Path, setting: str) -> str | None:
    """The text of ``locations.csv/<name>/<column>`` or ``routes.csv/<from>-<to>/<column>``."""
    table, row, column = setting.split("/", 2)
    with open(folder / table, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            key = r["name"] if table == "locations.csv" else f"{r['from']}-{r['to']}"
            if key == row:
                return r.get(column)
    return None


def with_replaced(tree: Mapping, replaced: Mapping[str, Any]) -> Any:
    """A copy of a scenario file's mapping with each ``path: value`` of ``replaced`` set (a path
    ends in a key; every item a ``[*]`` in it selects is set); KeyError on a path it lacks."""
    from .overrides import parse_path

    tree = copy.deepcopy(dict(tree))
    for path, value in replaced.items():
        *parent, key = parse_path(path)
        if not isinstance(key, str):
            raise KeyError(path)
        parent_path = path[: len(path) - len(key)].rstrip(".")
        for node in values_at(tree, parent_path) if parent else [tree]:
            if not isinstance(node, dict):
                raise KeyError(path)
            node[key] = copy.deepcopy(value)
    return tree


def check_provenance(scenario_file: str | Path, entries: list[Provenance], cutoff: dt.date,
                     caravan_starts: Set[dt.date] = frozenset(), replaced: Mapping[str, Any] | None = None) -> list[str]:
    """Problems with ``entries`` as the provenance of ``scenario_file`` (empty: none), with
    ``replaced`` (``path: value``, a benchmark's replacements) applied to the file first.

    Every setting in the file needs a row (its own or one for a path above it); every row
    must name a setting of the file (or a table cell) and give its value; ``report`` and
    ``cal`` rows need a date no later than ``cutoff``; ``caravan`` rows the start date of
    one of ``caravan_starts``; and a row whose date, source or note mentions a date after
    ``cutoff`` must say in ``marked`` why it is kept.
    """
    scenario_file = Path(scenario_file)
    tree = with_replaced(yaml.safe_load(scenario_file.read_text(encoding="utf-8")), replaced or {})
    problems = []
    starts = {str(d) for d in caravan_starts}
    settings = [e for e in entries if not e.setting.startswith(TABLE_PREFIXES)]
    for leaf, _ in setting_leaves(tree):
        if not any(_covers(e.setting, leaf) for e in settings):
            problems.append(f"setting {leaf} has no provenance row")
    for e in entries:
        where = f"row {e.row} ({e.setting})"
        if e.kind not in KINDS:
            problems.append(f"{where}: kind '{e.kind}' is not one of {', '.join(KINDS)}")
        if e.setting.startswith(TABLE_PREFIXES):
            cell = table_cell(scenario_file.parent, e.setting)
            if cell is None:
                problems.append(f"{where}: no such table cell")
            elif yaml.safe_load(cell) != e.value:
                problems.append(f"{where}: value {e.value!r} but the table has {cell!r}")
        else:
            try:
                actual = values_at(tree, e.setting)
            except KeyError:
                problems.append(f"{where}: not a setting of {scenario_file.name}")
                continue
            if any(a != e.value for a in actual):
                problems.append(f"{where}: value {e.value!r} but the file has {', '.join(map(repr, actual))}")
        if e.kind in DATED_KINDS and e.date is None:
            problems.append(f"{where}: a '{e.kind}' row needs the report's date")
        if e.kind in ("report", "cal") and e.date is not None and e.date > cutoff:
            problems.append(f"{where}: dated {e.date}, after {cutoff}")
        if e.kind == "caravan" and e.date not in caravan_starts:
            problems.append(f"{where}: {e.date} is not the start of another caravan")
        # Other caravans' start dates are citations of those caravans, not later reports.
        later = [d for d in later_dates(" ".join((e.source, e.note)), cutoff) if d not in starts]
        if e.kind not in ("caravan",) and e.date is not None and e.date > cutoff:
            later.append(str(e.date))
        if later and not e.marked:
            problems.append(f"{where}: cites {', '.join(later)} (after {cutoff}) and is not marked")
    return problems


def table_rows_citing_later(folder: Path, cutoff: dt.date) -> list[str]:
    """``locations.csv/<name>/source``-style keys of table rows whose source cites a later date."""
    keys = []
    for table in ("locations.csv", "routes.csv"):
        with open(folder / table, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                if later_dates(r["source"], cutoff):
                    keys.append(f"{table}/{r['name'] if table == 'locations.csv' else r['from'] + '-' + r['to']}")
    return keys
