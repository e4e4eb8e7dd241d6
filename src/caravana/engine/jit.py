"""Numba kernels compiled once and kept on disk, from any kind of install.

Numba caches a compiled kernel beside its source (``__pycache__``) or, when that folder
is read-only (a system-wide install), in the user's cache folder. When neither can be
written (a read-only home, some containers) it refuses ``cache=True`` outright, at
import time. :func:`njit` then caches in the system's temporary folder instead, and
only if that fails too compiles at every run (about a second), with a warning.

A kernel found in the cache is loaded without Numba's typing and lowering registries
(:func:`_load_cached_lean`): they serve only to compile, and loading them costs a whole
process about 0.2-0.4 s of CPU (with Numba's BLAS probe). Nor does such a load search
the installed packages for Numba extensions or compile Numba's runtime functions
(another 30-50 ms): compiling does.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numba
from llvmlite import binding as llvm
from numba.core import config as numba_config
from numba.core import entrypoints
from numba.core.runtime import nrt, rtsys


def fallback_cache_dir() -> Path:
    """Where kernels are cached when neither the install nor the home folder is writable."""
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return Path(tempfile.gettempdir()) / f"caravana-numba-{user}"


def _no_cache_location(exc: RuntimeError) -> bool:
    return "no locator available" in str(exc)  # numba.core.caching's message


def njit(**options: Any) -> Callable[[Callable[..., Any]], Any]:
    """``numba.njit(cache=True, **options)``, falling back as the module docstring says."""

    def decorate(func: Callable[..., Any]) -> Any:
        try:
            return _load_cached_lean(numba.njit(cache=True, **options)(func))
        except RuntimeError as exc:
            if not _no_cache_location(exc):
                raise
        # numba's own setting (NUMBA_CACHE_DIR) wins when given; its settings are set at run time,
        # so mypy does not see them.
        if not numba_config.CACHE_DIR:  # type: ignore[attr-defined]
            numba_config.CACHE_DIR = str(fallback_cache_dir())  # type: ignore[attr-defined]
            try:
                return _load_cached_lean(numba.njit(cache=True, **options)(func))
            except RuntimeError as exc:
                if not _no_cache_location(exc):
                    raise
        warnings.warn(f"no writable folder to cache the compiled {func.__name__}: it is compiled at each run "
                      "(set NUMBA_CACHE_DIR to a writable folder)", RuntimeWarning, stacklevel=2)
        return numba.njit(**options)(func)

    return decorate


def _load_cached_lean(dispatcher: Any) -> Any:
    """``dispatcher``, loading its cached machine code without Numba's registries.

    Numba's cache refreshes the whole compiler context before loading a kernel: it
    imports and registers every typing and lowering rule (numba.np.arraymath, linalg and
    its BLAS probe, typed containers, ...), which only compiling reads. Loading needs the
    addresses of the runtime's C functions (NRT, :func:`_runtime_symbols`) and Numba's C
    helpers (linked when the context was made). Not found in the cache, or failing to
    load, the kernel goes the usual way: the context is refreshed and the kernel compiled
    or loaded as Numba does. Only caravana's own kernels load this way; they use no ``parallel=True``
    and no typed containers or hashing, whose symbols the registries would set up
    (tests/test_startup.py runs the commands with kernels loaded this way).
    """
    cache = getattr(dispatcher, "_cache", None)
    if cache is None or not hasattr(cache, "_load_overload") or dispatcher.targetoptions.get("parallel"):
        return dispatcher
    usual = cache.load_overload

    def load_overload(sig, target_context):
        try:
            _runtime_symbols()
            found = cache._load_overload(sig, target_context)
        except Exception:  # numba's own path below says what is wrong, or compiles
            found = None
        if found is None:  # Numba's own loading, or compiling: with all Numba's set-up
            entrypoints.init_all()
            found = usual(sig, target_context)
        return found

    cache.load_overload = load_overload
    # Numba's first call of any kernel looks for third-party Numba extensions among the
    # entry points of every installed package (30-100 ms): needed to compile, done above.
    dispatcher._compilation_chain_init_hook = _no_set_up
    return dispatcher


def _no_set_up() -> None:
    pass


def _runtime_symbols() -> None:
    """What cached machine code needs of Numba's runtime: the addresses of its C functions.

    ``rtsys.initialize`` registers them too, and also compiles the runtime's own LLVM
    functions (reference counts, 20-50 ms of LLVM's optimiser per process): those only
    compiling links into a kernel, whose cached code carries its copy.
    """
    global _symbols_known
    if _symbols_known or rtsys._init:
        return
    for name, address in nrt._nrt.c_helpers.items():  # the runtime's C extension
        llvm.add_symbol(name if name.startswith("_") else f"NRT_{name}", address)
    _symbols_known = True


_symbols_known = False
