"""``benchmarks/pass_sharing.py`` rests on one fact it prints: between caravan_log's tally and the
flows pass over everyone nobody's status, group or place changes (the pair a fused pass could
serve). Run small, it must find that pair and no change between them; and ``changes`` counts
field by field."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _benchmark():
    sys.path.insert(0, str(ROOT / "benchmarks"))  # (it imports particle_day_profile, beside it)
    try:
        spec = importlib.util.spec_from_file_location("pass_sharing", ROOT / "benchmarks" / "pass_sharing.py")
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return module


def test_changes_counts_each_field_over_the_people_of_both():
    bench = _benchmark()
    before = (np.array([0, 1, 2], np.int8), np.array([0, 0, -1]), np.array([5, 5, 5]))
    after = (np.array([0, 2, 2, 1], np.int8), np.array([1, 0, -1, 0]), np.array([5, 5, 5, 7]))
    assert bench.changes(before, after) == (1, 1, 0)  # the one spawned since is not compared


def test_nothing_changes_between_the_tally_and_the_flows_pass(capsys, monkeypatch):
    bench = _benchmark()
    originals = [(module, attr, getattr(module, attr)) for _, module, attr in bench.PASSES]
    try:
        assert bench.main(["--particles", "1", "--days", "4", "--repeat", "2"]) == 0
    finally:
        for module, attr, original in originals:
            setattr(module, attr, original)  # (the benchmark wraps the passes where they are looked up)
    lines = capsys.readouterr().out.splitlines()
    pair = [line.split() for line in lines if line.split()[:3] == ["tally", "->", "flows"]]
    assert pair, lines
    times, status, group, loc = map(int, pair[0][3:7])
    assert times > 0 and (status, group, loc) == (0, 0, 0)
    rosters = [line.split() for line in lines if line.split()[:3] == ["rosters", "->", "may"]]
    assert rosters and int(rosters[0][5]) > 0  # (people do change between other passes: the check can tell)
