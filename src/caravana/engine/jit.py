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

Ahead of time: when the kernels of a Flee run were compiled into an extension module for
this very source (:mod:`caravana.engine.aot`), Numba is not imported at all. Those kernels
run from the module (when a call's types are the ones compiled); every other kernel waits,
undecorated (:class:`Deferred`), until it is called: the first such call imports Numba and
makes every waiting kernel the usual Numba kernel (:func:`load_numba`).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import warnings
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from . import aot


def fallback_cache_dir() -> Path:
    """Where kernels are cached when neither the install nor the home folder is writable."""
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return Path(tempfile.gettempdir()) / f"caravana-numba-{user}"


def _no_cache_location(exc: RuntimeError) -> bool:
    return "no locator available" in str(exc)  # numba.core.caching's message


def njit(**options: Any) -> Callable[[Callable[..., Any]], Any]:
    """``numba.njit(cache=True, **options)``, falling back as the module docstring says; while
    kernels compiled ahead of time stand in for Numba, a :class:`Deferred` kernel."""

    def decorate(func: Callable[..., Any]) -> Any:
        if not _numba_loaded:
            entry = (func.__module__, func.__name__)
            compiled = getattr(_ahead, aot.export_name(*entry), None) if entry in aot.ENTRIES else None
            ahead = None if compiled is None else (compiled, aot.Signature(aot.ENTRIES[entry]))
            deferred = Deferred(func, options, ahead)
            _deferred.append(deferred)
            return deferred
        return _numba_kernel(func, options)

    return decorate


def _numba_kernel(func: Callable[..., Any], options: dict[str, Any]) -> Any:
    import numba
    from numba.core import config as numba_config

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
                  "(set NUMBA_CACHE_DIR to a writable folder)", RuntimeWarning, stacklevel=3)
    return numba.njit(**options)(func)


class Deferred:
    """A kernel made while Numba is not loaded (see the module docstring): called, it runs
    from the module compiled ahead of time if it is there and the arguments' types are the
    compiled ones, else as a Numba kernel (loading Numba first). Its attributes are those of
    the Numba kernel (``py_func``, ``signatures``...)."""

    def __init__(self, func: Callable[..., Any], options: dict[str, Any], ahead: tuple[Any, Any] | None) -> None:
        self.func = func
        self.options = options
        self.ahead = ahead
        self.kernel: Any = None

    def __call__(self, *args: Any) -> Any:
        if self.kernel is None and self.ahead is not None and self.ahead[1].matches(args):
            return self.ahead[0](*args)
        return self.numba_kernel()(*args)

    def numba_kernel(self) -> Any:
        if self.kernel is None:
            load_numba()
        return self.kernel

    def __getattr__(self, name: str) -> Any:
        # Not set yet (copying, unpickling), or a protocol probe (copy's __deepcopy__): no Numba
        if name in ("func", "options", "ahead", "kernel") or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.numba_kernel(), name)


def when_numba_loads(hook: Callable[[], None]) -> Callable[[], None]:
    """Run ``hook`` (a module's Numba-only set-up: intrinsics, Numba's tables) once Numba is
    loaded: now if it is, else before any kernel is made."""
    if _numba_loaded:
        hook()
    else:
        _hooks.append(hook)
    return hook


def load_numba() -> None:
    """Import Numba and make every :class:`Deferred` kernel a Numba kernel, in every module
    that holds it (kernels find each other through their modules' globals when compiled)."""
    global _numba_loaded
    if _numba_loaded:
        return
    with import_guard():
        import numba  # noqa: F401

    _numba_loaded = True
    for hook in _hooks:
        hook()
    for deferred in _deferred:
        deferred.kernel = _numba_kernel(deferred.func, deferred.options)
    if not _deferred:
        return
    for module in list(sys.modules.values()):
        names = getattr(module, "__dict__", None)
        if names is None:
            continue
        for name, value in list(names.items()):
            if type(value) is Deferred:
                names[name] = value.kernel


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
    from numba.core import entrypoints

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
            if found is None:  # not in the cache: Numba compiles it now
                _compiling()
        return found

    cache.load_overload = load_overload
    # Numba's first call of any kernel looks for third-party Numba extensions among the
    # entry points of every installed package (30-100 ms): needed to compile, done above.
    dispatcher._compilation_chain_init_hook = _no_set_up
    return dispatcher


def _no_set_up() -> None:
    pass


def _compiling() -> None:
    """Tell :data:`on_compile`, once per process, that a kernel is about to be compiled."""
    global on_compile
    hook, on_compile = on_compile, None
    if hook is not None:
        hook()


def _runtime_symbols() -> None:
    """What cached machine code needs of Numba's runtime: the addresses of its C functions.

    ``rtsys.initialize`` registers them too, and also compiles the runtime's own LLVM
    functions (reference counts, 20-50 ms of LLVM's optimiser per process): those only
    compiling links into a kernel, whose cached code carries its copy.
    """
    from llvmlite import binding as llvm
    from numba.core.runtime import nrt, rtsys

    global _symbols_known
    if _symbols_known or rtsys._init:
        return
    for name, address in nrt._nrt.c_helpers.items():  # the runtime's C extension
        llvm.add_symbol(name if name.startswith("_") else f"NRT_{name}", address)
    _symbols_known = True


_symbols_known = False


# What Numba's import is wrapped in when it comes late (a command line that refuses SciPy,
# which Numba imports only to check its version: caravana.cli.probes).
import_guard: Callable[[], AbstractContextManager[None]] = contextlib.nullcontext
# Called once, as the first kernel not found in Numba's cache is about to be compiled (a first run
# spends 5-30 s there with its progress bar at 0): the command line says so (caravana.cli.probes).
on_compile: Callable[[], None] | None = None
_numba_loaded = False
_deferred: list[Deferred] = []
_hooks: list[Callable[[], None]] = []
_ahead = aot.load()  # the kernels compiled ahead of time for this source, or None
if _ahead is None:  # then kernels are Numba's from the start, as they always were
    load_numba()
