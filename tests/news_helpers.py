"""Shared by the tests of `caravana news` that read sentences written for the test: the
corridor's gazetteer (built once) and the rows a report gives at the review threshold."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache


@lru_cache(maxsize=1)
def corridor_gazetteer():
    from caravana import load_scenario
    from caravana.news.places import Gazetteer

    return Gazetteer.from_scenario(load_scenario("corridor"))


def read(gazetteer, text, published="2022-03-09", language="es"):
    """{(quantity, place, date, value)} of the proposals at confidence >= 0.5."""
    from caravana.news.extract import extract_report
    from caravana.news.loading import Report

    report = Report("r.txt", text, dt.date.fromisoformat(published), language)
    return {(p.quantity.value, p.place, p.date.isoformat(), p.value) for p in extract_report(report, gazetteer)
            if p.confidence >= 0.5}


def benchmark_module(name: str, tag: str):
    """``benchmarks/<name>.py`` loaded as a module of its own (``<name>_<tag>``), with ``benchmarks`` on the path
    while it loads (its imports of the other benchmark scripts)."""
    import importlib.util
    import sys
    from pathlib import Path

    benchmarks = Path(__file__).resolve().parents[1] / "benchmarks"
    sys.path.insert(0, str(benchmarks))
    try:
        spec = importlib.util.spec_from_file_location(f"{name}_{tag}", benchmarks / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(benchmarks))
