"""`caravana --help` loads no heavy module (times are in benchmarks/startup.py), and a
command whose optional dependency is missing says which extra to install."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from caravana.cli import app

HEAVY = ("numba", "optuna", "duckdb", "fastapi", "matplotlib", "dask", "distributed", "scipy", "pyarrow",
         "pydantic", "pandas", "uvicorn")


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["ensemble", "--help"], ["forecast", "--help"]])
def test_help_imports_no_heavy_module(argv):
    code = (
        "import sys\nfrom caravana.cli import app\n"
        f"try:\n    app({argv!r})\nexcept SystemExit:\n    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = eval(done.stdout.strip().splitlines()[-1])
    # A command's own help has Typer look at its parameters' types, and Typer imports pydantic to do so.
    allowed = {"pydantic"} if argv != ["--help"] else set()
    assert set(loaded) <= allowed


def test_a_missing_extra_is_one_clear_line(monkeypatch, tmp_path):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real(name, *a))
    result = CliRunner().invoke(app, ["report", str(tmp_path)])
    assert result.exit_code == 2
    assert "needs the 'report' extra" in result.output and "pip install 'caravana[report]'" in result.output
