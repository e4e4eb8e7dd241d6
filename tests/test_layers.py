"""Layers import only downward, and no module imports itself in a circle.

Walks every module's imports in the syntax tree (lazy imports inside functions
count too; imports under ``if TYPE_CHECKING:`` do not, they never run):

- ``caravana.scenario`` imports neither the engine nor the behaviours (nor anything above);
- ``caravana.engine`` does not import the behaviours (it steps those it is given);
- ``caravana.behaviours`` imports no layer above it (ensembles, CLI, dashboard...);
- the parts that compute (ensembles, forecasts, calibration, catalogue, news) import none
  of the views, and the views import each other only downward (``FORBIDDEN``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import caravana

PACKAGE = Path(caravana.__file__).parent

# layer -> the caravana packages/modules it may import (besides itself). Flee's input
# folders are one more way to write a scenario: their reader sits with the scenario layer.
ALLOWED = {
    "scenario": {"errors", "_version", "flee.importer"},
    "flee.importer": {"scenario", "errors", "_version", "flee.settings", "flee.counts", "flee.demographics"},
    "flee.demographics": {"scenario", "errors", "_version"},  # demographics_*.csv, for the importer
    "flee.settings": {"scenario", "errors", "_version"},  # simsetting.yml, for the importer
    "flee.counts": {"scenario", "errors", "_version"},  # summed count files, for the importer
    "engine": {"scenario", "results", "errors", "_version"},
    "results": {"engine", "scenario", "errors", "_version"},
    "behaviours": {"engine", "scenario", "results", "errors", "_version"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_only(node: ast.AST, parents: dict) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports_of(source: str, module: str, is_package: bool) -> list[tuple[str, bool]]:
    """(imported caravana module, at module level?) for every import that runs."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or _type_checking_only(node, parents):
            continue
        top = parents.get(node) is tree
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif node.level:
            base = package.split(".")
            base = base[: len(base) - node.level + 1]
            prefix = ".".join(base + ([node.module] if node.module else []))
            names = [prefix] if node.module else [f"{prefix}.{a.name}" for a in node.names]
        else:
            names = [node.module or ""]
        found += [(n, top) for n in names if n == "caravana" or n.startswith("caravana.")]
    return found


def import_graph() -> dict[str, list[tuple[str, bool]]]:
    graph = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "builtin" in path.parts:
            continue
        name = module_name(path)
        graph[name] = imports_of(path.read_text(encoding="utf-8"), name, path.name == "__init__.py")
    return graph


# Above the model, the parts that compute (ensembles, forecasts...) import none of the parts
# that show results, and the views import each other only downward: ``display`` (a results
# folder loaded for display, its map, date axes) < ``briefing`` < ``report``, ``dashboard``.
VIEWS = ("display", "briefing", "report", "dashboard", "cli")
FORBIDDEN = {
    **{part: set(VIEWS) for part in ("ensemble", "forecast", "calibrate", "catalogue", "news", "policies")},
    "display": {"briefing", "report", "dashboard", "cli"},
    "briefing": {"report", "dashboard", "cli"},
    "report": {"dashboard", "cli"},
    "dashboard": {"report", "cli"},
}
# The forecast's own figure is a view inside the forecast: it may use the views' shared parts.
VIEW_MODULES_OF_LOWER_PARTS = {"caravana.forecast.plot": {"display"}}


def layer_violations(graph: dict[str, list[tuple[str, bool]]]) -> list[str]:
    bad = []
    for module, imported in graph.items():
        layer = next((k for k in ALLOWED if _within(module, k)), None)
        part = next((k for k in FORBIDDEN if _within(module, k)), None)
        for target in sorted({t for t, _ in imported}):
            if target == "caravana" and (layer or part):
                bad.append(f"{module} imports the whole package 'caravana'")
            elif layer is not None and not any(_within(target, k) for k in (layer, *ALLOWED[layer])):
                bad.append(f"{module} imports {target}")
            elif part is not None and any(_within(target, k) for k in FORBIDDEN[part]) and not any(
                _within(target, k) for k in VIEW_MODULES_OF_LOWER_PARTS.get(module, ())
            ):
                bad.append(f"{module} imports {target}")
    return bad


def _within(module: str, part: str) -> bool:
    """``caravana.<part>`` or below it."""
    return module == f"caravana.{part}" or module.startswith(f"caravana.{part}.")


def test_layers_import_only_downward():
    assert layer_violations(import_graph()) == []


def test_the_check_catches_an_upward_import():
    """The check itself can fail: an engine module that imports a behaviour, a
    scenario module that imports the engine, lazily inside a function."""
    graph = {
        "caravana.engine.simulation": imports_of(
            "def f():\n    from ..behaviours import default_behaviours\n", "caravana.engine.simulation", False),
        "caravana.scenario.overrides": imports_of(
            "from caravana.engine.network import Network\n", "caravana.scenario.overrides", False),
        "caravana.engine.places": imports_of(
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..behaviours import x\n",
            "caravana.engine.places", False),
        "caravana.report.figures": imports_of(
            "from ..dashboard.views import stretch\n", "caravana.report.figures", False),
        "caravana.forecast.summary": imports_of(
            "from ..display.loading import load_folder\n", "caravana.forecast.summary", False),
        "caravana.forecast.plot": imports_of(
            "from ..display.dates import date_axis\nfrom ..report.style import png_bytes\n",
            "caravana.forecast.plot", False),
    }
    assert layer_violations(graph) == [
        "caravana.engine.simulation imports caravana.behaviours",
        "caravana.scenario.overrides imports caravana.engine.network",
        "caravana.report.figures imports caravana.dashboard.views",
        "caravana.forecast.summary imports caravana.display.loading",
        "caravana.forecast.plot imports caravana.report.style",
    ]


def _cycles(graph: dict[str, list[tuple[str, bool]]]) -> list[list[str]]:
    """Cycles among module-level imports (a package import counts as importing its __init__)."""
    edges = {m: {t for t, top in imported if top and t in graph and t != m} for m, imported in graph.items()}
    # ``from .pkg import name`` also imports pkg.name when it is a module.
    found, state, stack = [], {}, []

    def visit(m: str) -> None:
        state[m] = "open"
        stack.append(m)
        for t in sorted(edges[m]):
            if state.get(t) == "open":
                found.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t)
        stack.pop()
        state[m] = "done"

    for m in sorted(edges):
        if m not in state:
            visit(m)
    return found


@pytest.mark.parametrize("layer", ["scenario", "engine", "results", "behaviours"])
def test_no_import_cycles_in_the_lower_layers(layer):
    graph = import_graph()
    cycles = [c for c in _cycles(graph) if any(m.startswith(f"caravana.{layer}") for m in c)]
    # A package importing its own submodules in its __init__ is not a cycle worth naming.
    cycles = [c for c in cycles if not all(m.startswith(c[0] + ".") or m == c[0] for m in c[1:-1])]
    assert cycles == []
