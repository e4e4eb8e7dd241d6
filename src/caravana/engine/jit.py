"""Numba kernels compiled once and kept on disk, from any kind of install.

Numba caches a compiled kernel beside its source (``__pycache__``) or, when that folder
is read-only (a system-wide install), in the user's cache folder. When neither can be
written (a read-only home, some containers) it refuses ``cache=True`` outright, at
import time. :func:`njit` then caches in the system's temporary folder instead, and
only if that fails too compiles at every run (about a second), with a warning.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numba
from numba.core import config as numba_config


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
            return numba.njit(cache=True, **options)(func)
        except RuntimeError as exc:
            if not _no_cache_location(exc):
                raise
        # numba's own setting (NUMBA_CACHE_DIR) wins when given; its settings are set at run time,
        # so mypy does not see them.
        if not numba_config.CACHE_DIR:  # type: ignore[attr-defined]
            numba_config.CACHE_DIR = str(fallback_cache_dir())  # type: ignore[attr-defined]
            try:
                return numba.njit(cache=True, **options)(func)
            except RuntimeError as exc:
                if not _no_cache_location(exc):
                    raise
        warnings.warn(f"no writable folder to cache the compiled {func.__name__}: it is compiled at each run "
                      "(set NUMBA_CACHE_DIR to a writable folder)", RuntimeWarning, stacklevel=2)
        return numba.njit(**options)(func)

    return decorate
