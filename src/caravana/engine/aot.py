"""Flee's kernels compiled ahead of time, so that a run need not import Numba at all.

A whole ``caravana run mali2012`` spends about 0.25 s of CPU importing Numba (and LLVM) only
to load its cached kernels. ``python -m caravana.engine.aot`` compiles the kernels a Flee
run calls (:data:`ENTRIES`) once into an extension module with Numba's ahead-of-time compiler
(``numba.pycc``; it needs a C compiler to link). When that module is found for this very
source (its name carries a hash of the kernels' source files and of the NumPy and Numba
versions), :mod:`caravana.engine.jit` runs those kernels from it and imports Numba only if
another kernel is called (see there). Without it, nothing changes: kernels are Numba's,
cached on disk.

The console script builds the module itself the first time ``run`` or ``validate`` reads a
Flee scenario (:func:`ensure`, 5-20 s once, in a child process), unless ``$CARAVANA_AOT_DIR`` names
the folder (then only what is there is used: build into it with ``python -m
caravana.engine.aot``), ``$CARAVANA_AOT=off`` or ``$NUMBA_DISABLE_JIT`` is set (those two also
keep a module built earlier from being used). A build that
ends with an error (no C compiler, a Numba without ``pycc``) is not tried again for this
source: a ``.failed`` file beside where the module would be says why, and Numba's kernels
serve, as before. A build stopped from outside (a signal, the out-of-memory killer, the
time limit) leaves no such file: it is tried again next time.

The folders looked in and built in are the engine's ``__pycache__``, the user's cache
folder, then the temporary folder; one that is not the user's (or the system's) own, or
that others may write to, is passed over, as is a module file others may write to (a
module found there would be loaded and run).

A compiled function checks nothing of what it is handed: an array of another type would be
read as if it were right. So each call is first checked against the signature it was
compiled for (:class:`Signature`); any other types go to the usual Numba kernel.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.machinery
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

# (module, kernel) -> signature, in Numba's notation; arrays are C-contiguous ("[::1]").
ENTRIES: dict[tuple[str, str], str] = {
    ("caravana.behaviours.flee_kernels", "move_people"): (
        "int64(int64, int32[::1], int32[::1], float64[::1], int8[::1], int32[::1], int8[::1], int32[::1], "
        "int32[::1], uint8[::1], float32[::1], int32[::1], boolean[::1], float64[::1], boolean[::1], "
        "int64[::1], float64[:, ::1], int32[::1], int64[::1], int32[::1], int16[::1], "
        "int32[::1], int32[::1], float64[::1], float64[::1], float64[::1], boolean[::1], "
        "boolean[::1], float64[::1], float64, int64[::1], int64[:, ::1], "
        "float64, float64, boolean, boolean, int32[::1], boolean, int8[::1], uint64[::1], int32[::1], uint8[::1], "
        "boolean, int32[::1], boolean[::1], int64[::1], int64[::1], boolean[::1], boolean)"
    ),
    ("caravana.behaviours.flee_kernels", "capacity_multipliers_into"): (
        "void(int64[::1], float64[::1], float64, float64[::1])"
    ),
    ("caravana.behaviours.routes", "cumulative_into"): "void(int64[::1], float64[::1], boolean[::1], float64[::1])",
    ("caravana.engine.counting", "_flows_pass"): (
        "int64(int32[::1], int8[::1], boolean[::1], int32[::1], int64[::1], int64, boolean, int64[:, ::1], "
        "int64[::1], int64[::1], int64[::1], int32[::1], boolean)"
    ),
    ("caravana.engine.counting", "commit_nights"): "void(int32[::1], int64[::1], int32[::1], int64)",
    ("caravana.engine.counting", "count_by_place_and_status"): "void(int32[::1], int8[::1], int64[:, ::1])",
    ("caravana.engine.counting", "count_at_places"): "void(int32[::1], int8[::1], int64, int64[::1])",
}

# The source files whose code the compiled kernels hold (the kernels and what they call).
SOURCES = ("behaviours/flee_kernels.py", "behaviours/routes.py", "engine/pcg.py", "engine/counting.py",
           "engine/status.py", "engine/prefetch.py")

PACKAGE = Path(__file__).resolve().parents[1]


def export_name(module: str, kernel: str) -> str:
    """The name of ``module.kernel`` in the compiled module."""
    return f"{module.replace('.', '_')}__{kernel}"


def module_name() -> str:
    """The compiled module's name for this source and these versions of Python, NumPy and Numba."""
    digest = hashlib.sha256()
    for relative in SOURCES:
        digest.update((PACKAGE / relative).read_bytes())
    numba_spec = importlib.util.find_spec("numba")  # its version without importing it
    numba_init = Path(numba_spec.origin) if numba_spec and numba_spec.origin else None
    numba_stamp = f"{numba_init}:{numba_init.stat().st_mtime_ns}" if numba_init else "none"
    digest.update(f"{sorted(ENTRIES.items())}|{np.__version__}|{numba_stamp}|{sys.version}".encode())
    return f"_caravana_kernels_{digest.hexdigest()[:16]}"


def folders() -> list[Path]:
    """Where the compiled module is looked for, the first writable (and safe: :func:`_safe`) one
    being where it is built: ``$CARAVANA_AOT_DIR`` if set, else beside the engine's bytecode,
    else the user's cache folder, else the temporary folder."""
    given = os.environ.get("CARAVANA_AOT_DIR")
    if given:
        return [Path(given)]
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    found = [Path(__file__).parent / "__pycache__"]
    with contextlib.suppress(RuntimeError):  # no home folder known
        found.append(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "caravana")
    return [*found, Path(tempfile.gettempdir()) / f"caravana-aot-{user}"]


def _safe(path: Path) -> bool:
    """Whether ``path`` is the user's (or the system's) own and nobody else may write to it:
    a folder of a predictable name in the temporary folder may have been made by another user,
    who could then put a module there for this user to load. Always true where it cannot be
    told (no ``os.getuid``) and for a folder the user named (``$CARAVANA_AOT_DIR``)."""
    if not hasattr(os, "getuid") or os.environ.get("CARAVANA_AOT_DIR"):
        return True
    try:
        st = path.stat()
    except OSError:
        return False
    return st.st_uid in (os.getuid(), 0) and not st.st_mode & 0o022


def load() -> ModuleType | None:
    """The compiled module for this source, or None if it has not been built or is switched
    off (:func:`switched_off`; looked for once a process)."""
    if switched_off():
        return None
    if not _found:
        _found.append(_find())
    return _found[0]


_found: list[ModuleType | None] = []

# The command that builds the module in a child process (a test may stand in for it).
# ``-P``: not the current folder first on the child's import path (a ``numba.py`` there
# would be imported instead of Numba, and the build would fail for good).
BUILD = [sys.executable, "-P", "-m", __name__]
BUILD_TIMEOUT = 900  # s: a build takes 5-20 s (6 s of CPU); the limit is for a stuck one


def switched_off() -> bool:
    """``$CARAVANA_AOT=off`` or ``$NUMBA_DISABLE_JIT``: no compiled module is built or used
    (Numba's kernels serve, or plain Python ones; whoever turned compiling off does not want
    it done, or a module built earlier used, behind their back)."""
    return (_true(os.environ.get("NUMBA_DISABLE_JIT", "0"))
            or os.environ.get("CARAVANA_AOT", "on").strip().lower() in ("off", "0", "no", "false"))


def automatic() -> bool:
    """Whether :func:`ensure` may build the module: not when ``$CARAVANA_AOT_DIR`` names the
    folder to use as it is, nor when :func:`switched_off`."""
    return not os.environ.get("CARAVANA_AOT_DIR") and not switched_off()


def _true(value: str) -> bool:
    return value.strip().lower() not in ("", "0", "off", "no", "false")


def ensure(building: Callable[[], None], failed: Callable[[str], None],
           waiting: Callable[[], None] = lambda: None) -> ModuleType | None:
    """The compiled module for this source, built first if it is missing and may be built
    (:func:`automatic`). ``building()`` is called before a build starts (it takes seconds),
    ``failed(reason)`` when it fails; then, and on later calls for this source, None (Numba's
    kernels serve). A build is run once at a time: another process waits for it (after
    ``waiting()``) and then uses what it built, or gives up as it did."""
    found = load()
    if found is not None or not automatic():
        return found
    try:
        folder = _first_writable(folders())
    except OSError:
        return None
    name = module_name()
    marker = folder / f"{name}.failed"
    if marker.exists():
        return None
    with _locked(folder / f"{name}.lock", waiting):
        _found.clear()
        if load() is not None or marker.exists():  # built, or failed, in another process meanwhile
            return _found[0]
        building()
        code, output = _build_in_child(folder, name)
        _found.clear()
        if code == 0 and load() is not None:
            return _found[0]
        lines = [line.strip() for line in output.splitlines() if line.strip()]
        if code is None:
            reason = f"the build took more than {BUILD_TIMEOUT} s"
        elif code < 0:
            reason = f"the build was stopped by signal {-code}"
        else:
            reason = lines[-1] if lines else f"exit code {code}"
        if code is not None and code >= 0:  # it ended by itself, and would end so again
            marker.write_text(f"{reason}\n\n{output}", encoding="utf-8")
        failed(reason)
        _found[:] = [None]
        return None


def _build_in_child(folder: Path, name: str) -> tuple[int | None, str]:
    """Run :data:`BUILD` into ``folder``: its exit code (None past :data:`BUILD_TIMEOUT`, negative
    if a signal stopped it) and its stderr (else stdout)."""
    # The child imports this very caravana (the parent's import path) and builds into `folder`.
    env = dict(os.environ, CARAVANA_AOT_DIR=str(folder), PYTHONSAFEPATH="1",
               PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    env.pop("NUMBA_DISABLE_JIT", None)
    # A session of its own: on timeout the whole group goes (the compiler and linker too).
    with subprocess.Popen(BUILD, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True) as child:
        try:
            out, err = child.communicate(timeout=BUILD_TIMEOUT)
            code: int | None = child.returncode
        except subprocess.TimeoutExpired:
            killpg = getattr(os, "killpg", None)
            with contextlib.suppress(OSError):
                killpg(child.pid, signal.SIGKILL) if killpg else child.kill()
            out, err = child.communicate()
            code = None
    if code is None or code < 0:  # killed: its folder aside was not removed (see build)
        for aside in folder.glob(f"{name}{BUILDING}*"):
            shutil.rmtree(aside, ignore_errors=True)
    return code, err or out


BUILDING = "-building-"  # in the name of a build's folder aside


@contextlib.contextmanager
def _locked(path: Path, waiting: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Held by one process at a time where the system has ``fcntl`` (elsewhere two builds may
    run at once: each moves its module in whole); ``waiting()`` is called first if another
    process holds it."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _find() -> ModuleType | None:
    name = module_name()
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    for folder in folders():
        path = folder / f"{name}{suffix}"
        if path.is_file() and _safe(folder) and _safe(path):
            loader = importlib.machinery.ExtensionFileLoader(name, str(path))
            spec = importlib.util.spec_from_file_location(name, path, loader=loader)
            if spec is None:
                continue
            try:
                module = importlib.util.module_from_spec(spec)
                loader.exec_module(module)
            except (ImportError, OSError) as exc:  # damaged: Numba's kernels serve, as without it
                warnings.warn(f"kernels compiled ahead of time not loaded ({exc}): Numba's are used; "
                              "rebuild with python -m caravana.engine.aot", RuntimeWarning, stacklevel=2)
                continue
            return module
    return None


class Signature:
    """Whether a call's arguments are exactly of the types a kernel was compiled for."""

    SCALARS: dict[str, tuple[type, ...]] = {
        "int64": (int, np.integer), "float64": (float, np.floating), "boolean": (bool, np.bool_),
    }

    def __init__(self, text: str) -> None:
        inside = text[text.index("(") + 1: text.rindex(")")]
        self.checks: list[Any] = []
        for part in _split_arguments(inside):
            if "[" in part:
                kind, dims = part.split("[", 1)
                dtype = np.dtype("bool" if kind == "boolean" else kind)
                self.checks.append((dtype, dims.count(",") + 1))
            else:
                self.checks.append(self.SCALARS[part])
        # The same checks by position, arrays apart: a Flee day calls the kernel with ~40
        # arguments, and checking them one by one as generic objects cost ~40 µs a call.
        self._arrays = [(at, c[0], c[1]) for at, c in enumerate(self.checks) if isinstance(c[0], np.dtype)]
        self._scalars = [(at, c, bool not in c) for at, c in enumerate(self.checks) if not isinstance(c[0], np.dtype)]

    def matches(self, args: tuple) -> bool:
        if len(args) != len(self.checks):
            return False
        for at, dtype, ndim in self._arrays:
            value = args[at]
            if not isinstance(value, np.ndarray) or value.ndim != ndim:
                return False
            if value.dtype is not dtype and value.dtype != dtype:  # (NumPy's dtypes are mostly shared)
                return False
            flags = value.flags
            if not (flags.c_contiguous and flags.aligned):
                return False
        for at, kinds, not_bool in self._scalars:
            value = args[at]
            if not isinstance(value, kinds) or (not_bool and isinstance(value, (bool, np.bool_))):
                return False
        return True


def _split_arguments(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        depth += ch == "["
        depth -= ch == "]"
        current += ch
    if current.strip():
        parts.append(current.strip())
    return parts


def build(folder: Path | None = None) -> Path:
    """Compile :data:`ENTRIES` into the module :func:`load` finds; returns its path."""
    from numba.core.errors import NumbaPendingDeprecationWarning

    with warnings.catch_warnings():  # numba.pycc is pending deprecation, with no successor yet
        warnings.simplefilter("ignore", NumbaPendingDeprecationWarning)
        from numba.pycc import CC

    import importlib

    name = module_name()
    target = folder or _first_writable(folders())
    target.mkdir(parents=True, exist_ok=True)
    file = f"{name}{importlib.machinery.EXTENSION_SUFFIXES[0]}"
    # Compiled aside, then moved in at once: a run starting meanwhile finds it whole or not at all.
    with tempfile.TemporaryDirectory(prefix=f"{name}{BUILDING}", dir=target) as aside:
        cc = CC(name)
        cc.output_dir = aside
        cc.verbose = False
        for (module, kernel), signature in ENTRIES.items():
            function = getattr(importlib.import_module(module), kernel)
            cc.export(export_name(module, kernel), signature)(function.py_func)
        cc.compile()
        os.replace(Path(aside) / file, target / file)
    return target / file


def _first_writable(candidates: list[Path]) -> Path:
    for folder in candidates:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _safe(folder):
                continue
            probe = folder / f".write-test-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
            return folder
        except OSError:
            continue
    raise OSError(f"no writable folder for the compiled kernels among {', '.join(map(str, candidates))}")


def main() -> None:
    started = time.perf_counter()
    path = build()
    print(f"compiled {len(ENTRIES)} kernels ahead of time into {path} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
