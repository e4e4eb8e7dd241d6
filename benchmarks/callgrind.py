"""Machine instructions of parts of a Python run, counted by Valgrind's callgrind: a measure of work
that does not depend on what else the machine runs (CPU seconds on a shared, memory-bound machine
vary by ~20 % from window to window for the same code). It counts instructions, not the time they
wait on memory: a pass over millions of people costs more than its instructions say.

A process run under ``valgrind --tool=callgrind --collect-atstart=no`` marks its parts itself with
Valgrind's client requests (``collect``, ``dump``): each dump holds the instructions since the last
one, named. Python cannot issue a client request, so ``_request`` is a few bytes of x86-64 machine
code (Valgrind's documented "magic sequence", a no-op on a real CPU) in an executable page.
"""

from __future__ import annotations

import ctypes
import mmap
import os
import platform
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

# mov rax, rdi (the request's arguments); xor edx, edx (0 if not under Valgrind); the magic
# rotations of rdi (3 + 13 + 61 + 51 = 128 bits: rdi unchanged); xchg rbx, rbx; mov rax, rdx; ret
_CODE = bytes.fromhex("4889f8" "31d2" "48c1c703" "48c1c70d" "48c1c73d" "48c1c733" "4887db" "4889d0" "c3")
_CALLGRIND = (ord("C") << 24) | (ord("T") << 16)  # VG_USERREQ_TOOL_BASE('C', 'T')
RUNNING_ON_VALGRIND, TOGGLE_COLLECT, DUMP_STATS_AT = 0x1001, _CALLGRIND + 2, _CALLGRIND + 3
_page: mmap.mmap | None = None
_call = None


def _request(code: int, *args: int) -> int:
    global _page, _call
    if platform.machine() not in ("x86_64", "AMD64"):
        return 0
    if _call is None:
        _page = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
        _page.write(_CODE)
        address = ctypes.addressof(ctypes.c_char.from_buffer(_page))
        _call = ctypes.CFUNCTYPE(ctypes.c_uint64, ctypes.c_void_p)(address)
    block = (ctypes.c_uint64 * 6)(code, *args, *([0] * (5 - len(args))))
    return int(_call(ctypes.addressof(block)))


def under_valgrind() -> bool:
    return _request(RUNNING_ON_VALGRIND) > 0


def collect() -> None:
    """Start (or, called again, stop) counting."""
    _request(TOGGLE_COLLECT)


def dump(name: str) -> None:
    """Write the instructions counted since the last dump, as ``name``."""
    text = ctypes.create_string_buffer(name.encode())
    _request(DUMP_STATS_AT, ctypes.addressof(text))


def numba_as_valgrind(cache: Path) -> dict[str, str]:
    """Environment for Numba to compile for the CPU Valgrind shows a program (an older one than
    the host: Numba would find no kernel in its cache and compile all of them under Valgrind,
    ~100 times slower), cached in ``cache``: warm it with a run outside Valgrind first."""
    probe = "import llvmlite.binding as b; b.initialize_native_target(); " \
            "print(b.get_host_cpu_name()); print(b.get_host_cpu_features().flatten())"
    name, features = subprocess.run(["valgrind", "--tool=none", "-q", sys.executable, "-c", probe], check=True,
                                    stdout=subprocess.PIPE, text=True).stdout.split()
    return {"NUMBA_CPU_NAME": name, "NUMBA_CPU_FEATURES": features, "NUMBA_CACHE_DIR": str(cache)}


def run(command: list[str], folder: Path) -> tuple[dict[str, int], str]:
    """Run ``command`` (a Python process that marks its parts) under callgrind, its dumps in
    ``folder``, its Numba kernels compiled for Valgrind's CPU and warmed by a first run outside
    Valgrind; returns the instructions by name (each name's dumps summed) and what it printed."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "callgrind.out"
    env = {**os.environ, **numba_as_valgrind(folder / "numba")}
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)  # (compiles every kernel)
    printed = subprocess.run(["valgrind", "--tool=callgrind", "--collect-atstart=no", "--dump-line=no",
                              f"--callgrind-out-file={out}.%p", *command],
                             check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env).stdout
    totals: dict[str, int] = defaultdict(int)
    for path in folder.glob("callgrind.out.*"):
        text = path.read_text(errors="replace")
        name = re.search(r"^desc: Trigger: Client Request: (.*)$", text, re.M)
        total = re.search(r"^summary: (\d+)", text, re.M)
        if name and total:
            totals[name.group(1)] += int(total.group(1))
        path.unlink()
    return dict(totals), printed
