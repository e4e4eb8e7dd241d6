"""Fuzzing the input: every mutated scenario runs, or stops with one clean error line.

A few hundred seeded cases in the default run, thousands with ``-m slow``; the counts
are printed (``pytest -s``). A failing case is replayed with ``make_case(seed, folder)``.
"""

from __future__ import annotations

import collections

import pytest
import typer.main
from typer.testing import CliRunner

from caravana.cli import app

from .conftest import snapshot
from .fuzzing import MAX_ERROR_CHARS, Case, make_case


def outcome(case: Case, root, out) -> tuple[str, str]:
    """("ok" | "error" | "FAIL", detail) for one case run in-process."""
    before = snapshot(root)
    args = ["run", str(case.folder), *case.args, "--out", str(out)]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "80"})
    if result.exit_code == 0:
        return ("ok", "") if out.is_dir() else ("FAIL", "exit 0 but nothing written")
    if not isinstance(result.exception, SystemExit):
        return "FAIL", f"{type(result.exception).__name__}: {str(result.exception)[:200]}"
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    others = [line for line in lines if not line.startswith(("error: ", "warning: "))]
    if result.exit_code != 2:
        return "FAIL", f"exit {result.exit_code}: {result.stderr[:200]!r}"
    if len(errors) != 1 or others:
        return "FAIL", f"not one error line: {result.stderr[:300]!r}"
    if len(errors[0]) > MAX_ERROR_CHARS:
        return "FAIL", f"error line of {len(errors[0])} characters: {errors[0][:200]!r}"
    if "Traceback" in result.output:
        return "FAIL", "traceback printed"
    if out.exists():
        return "FAIL", "error but the output folder was written"
    if snapshot(root) != before:
        return "FAIL", "error but the scenario folder changed"
    return "error", errors[0]


def fuzz(tmp_path, seeds, monkeypatch) -> collections.Counter:
    # A catalogue entry per successful run costs more than the run; the catalogue is not
    # what is fuzzed here.
    monkeypatch.setattr("caravana.cli.run.register_or_warn", lambda *args, **kwargs: None)
    # typer's runner rebuilds the click command on every call; build it once.
    command = typer.main.get_command(app)
    monkeypatch.setattr("typer.testing._get_command", lambda _app: command)
    counts: collections.Counter = collections.Counter()
    failures = []
    for seed in seeds:
        root = tmp_path / f"case{seed}"
        root.mkdir()
        case = make_case(seed, root)
        kind, detail = outcome(case, root, tmp_path / f"out{seed}")
        counts[kind] += 1
        if kind == "FAIL":
            failures.append(f"{case}: {detail}")
    print(f"\nfuzz: {sum(counts.values())} cases: {counts['ok']} ran, {counts['error']} clean errors, "
          f"{counts['FAIL']} failures")
    assert not failures, "\n".join(failures[:20])
    return counts


def test_fuzz_mutated_inputs_run_or_fail_cleanly(tmp_path, monkeypatch):
    counts = fuzz(tmp_path, range(300), monkeypatch)
    # The mutator is not so gentle that everything runs, nor so rough that nothing does.
    assert counts["ok"] > 10 and counts["error"] > 100


@pytest.mark.slow
def test_fuzz_many_mutated_inputs(tmp_path, monkeypatch):
    fuzz(tmp_path, range(1000, 4000), monkeypatch)
