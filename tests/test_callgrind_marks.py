"""benchmarks/callgrind.py marks a process's parts with Valgrind's client requests, issued by a few
bytes of machine code: outside Valgrind they must do nothing (and say so)."""

from __future__ import annotations

import platform
from pathlib import Path

import pytest


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="the requests are x86-64 code")
def test_client_requests_do_nothing_outside_valgrind(monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parents[1] / "benchmarks"))
    import callgrind

    assert not callgrind.under_valgrind()
    callgrind.collect()
    callgrind.dump("a part")
    callgrind.collect()
    assert callgrind._request(callgrind.RUNNING_ON_VALGRIND) == 0
