"""Kernels compiled ahead of time (caravana.engine.aot): a call runs from the compiled module
only with the exact types it was compiled for; other kernels wait for Numba, which comes only
when one of them is called; runs give the same results either way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from caravana.engine import aot


def _env(aot_dir, tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    return dict(env, CARAVANA_AOT_DIR=str(aot_dir), CARAVANA_HOME=str(tmp_path / "home"))


def test_a_signature_accepts_only_the_compiled_types():
    sig = aot.Signature("void(int32[::1], int8[::1], int64, int64[:, ::1], boolean, float64)")
    good = (np.zeros(3, np.int32), np.zeros(3, np.int8), 2, np.zeros((2, 3), np.int64), True, 0.5)
    assert sig.matches(good)
    assert sig.matches((good[0], good[1], np.int64(2), good[3], np.bool_(False), np.float64(1.0)))
    wrong = [
        (np.zeros(3, np.int64), *good[1:]),  # another dtype
        (good[0], good[1], 2, np.zeros(6, np.int64), *good[4:]),  # another number of dimensions
        (good[0], good[1], 2, np.zeros((3, 2), np.int64).T, *good[4:]),  # not C-contiguous
        (np.zeros(6, np.int32)[::2], *good[1:]),  # a strided view
        (good[0], good[1], True, *good[3:]),  # a bool where an integer is compiled
        (good[0], good[1], 2.0, *good[3:]),  # a float where an integer is compiled
        (*good[:4], 1, good[5]),  # an integer where a bool is compiled
        (list(good[0]), *good[1:]),  # a list, not an array
        good[:5],  # one argument short
    ]
    for args in wrong:
        assert not sig.matches(args)


def test_every_entry_is_a_kernel_with_a_signature_numba_reads():
    import importlib

    from numba.core import sigutils

    for (module, name), text in aot.ENTRIES.items():
        kernel = getattr(importlib.import_module(module), name)
        assert callable(kernel.py_func)
        args, _ = sigutils.normalize_signature(text)
        assert len(args) == len(aot.Signature(text).checks) == kernel.py_func.__code__.co_argcount


def test_the_module_name_follows_the_entries(monkeypatch):
    before = aot.module_name()
    monkeypatch.setitem(aot.ENTRIES, ("caravana.engine.counting", "count_at_places"),
                        "void(int32[::1], int8[::1], int64, int32[::1])")
    assert aot.module_name() != before


# Stand-ins for a compiled module: Python functions that count their calls, so that the
# test sees which calls went to the "compiled" kernel and which to Numba's.
FAKE = """
import sys, types
import numpy as np
import caravana.engine.aot as aot
calls = []
def count_at_places(loc, status, wanted, out):
    calls.append('ahead')
    out[:] = np.bincount(loc[status == wanted], minlength=len(out))
fake = types.SimpleNamespace(**{aot.export_name('caravana.engine.counting', 'count_at_places'): count_at_places})
aot._found[:] = [fake]
from caravana.engine import counting, jit
print('numba', 'numba' in sys.modules, type(counting.count_at_places).__name__)
out = np.zeros(3, np.int64)
counting.count_at_places(np.array([0, 2, 2], np.int32), np.array([1, 1, 0], np.int8), 1, out)
print(out.tolist(), calls, 'numba', 'numba' in sys.modules)
out32 = np.zeros(3, np.int64)
counting.count_at_places(np.array([0, 2, 2], np.int64), np.array([1, 1, 0], np.int8), 1, out32)
print(out32.tolist(), calls, 'numba', 'numba' in sys.modules, type(counting.count_at_places).__name__)
"""


def test_a_deferred_kernel_runs_ahead_with_its_types_and_loads_numba_for_others(tmp_path):
    done = subprocess.run([sys.executable, "-c", FAKE], capture_output=True, text=True, env=_env(tmp_path / "none", tmp_path))
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    assert lines[0] == "numba False Deferred"
    assert lines[1] == "[1, 0, 1] ['ahead'] numba False"
    # int64 places: not the compiled types, so Numba's kernel (Numba loaded, kernels rebound)
    assert lines[2] == "[1, 0, 1] ['ahead'] numba True CPUDispatcher"


def test_a_damaged_module_is_passed_over_with_a_warning(tmp_path):
    folder = tmp_path / "ahead"
    folder.mkdir()
    code = ("import importlib.machinery, warnings\nimport caravana.engine.aot as aot\n"
            "path = aot.folders()[0] / (aot.module_name() + importlib.machinery.EXTENSION_SUFFIXES[0])\n"
            "path.write_bytes(b'not a shared library')\n"
            "with warnings.catch_warnings(record=True) as caught:\n"
            "    warnings.simplefilter('always')\n"
            "    import numpy as np\n    from caravana.engine.counting import count_at_places\n"
            "out = np.zeros(2, np.int64)\n"
            "count_at_places(np.array([0, 1, 1], np.int32), np.array([0, 0, 2], np.int8), 0, out)\n"
            "print(out.tolist(), type(count_at_places).__name__, any('not loaded' in str(w.message) for w in caught))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(folder, tmp_path))
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "[1, 1] CPUDispatcher True"


def _run(scenario: str, days: int, out, env: dict, look: bool = False) -> list[str]:
    code = (
        "import atexit, sys\nfrom caravana.cli import main\n"
        + ("atexit.register(lambda: print('numba', 'numba' in sys.modules))\n" if look else "")
        + f"sys.argv = ['caravana', 'run', {scenario!r}, '--days', '{days}', '--out', {str(out)!r}]\nmain()"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()


@pytest.mark.slow
def test_runs_with_kernels_compiled_ahead_of_time_need_no_numba_and_write_the_same(tmp_path):
    """Builds the module (5-20 s), then runs mali2012 (no Numba imported) and the corridor
    (its own kernels load Numba) with it and without it: the same tables, to the byte."""
    ahead = tmp_path / "ahead"
    env = _env(ahead, tmp_path)
    done = subprocess.run([sys.executable, "-m", "caravana.engine.aot"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert any(ahead.glob("_caravana_kernels_*"))
    for scenario, days in (("mali2012", 60), ("corridor", 12)):
        with_ahead = _run(scenario, days, tmp_path / f"{scenario}-ahead", env, look=True)
        assert with_ahead[-1] == f"numba {scenario != 'mali2012'}"
        _run(scenario, days, tmp_path / f"{scenario}-numba", _env(tmp_path / "none", tmp_path))
        tables = sorted(p.name for p in (tmp_path / f"{scenario}-numba").glob("*.csv"))
        assert tables
        for table in tables:
            a = (tmp_path / f"{scenario}-ahead" / table).read_bytes()
            assert a == (tmp_path / f"{scenario}-numba" / table).read_bytes(), (scenario, table)


def _isolated(monkeypatch, tmp_path, build: str) -> list[str]:
    """aot.ensure looking in ``tmp_path`` only, with ``build`` (Python code) as its build command;
    returns the list its callbacks write to."""
    monkeypatch.delenv("CARAVANA_AOT_DIR", raising=False)
    monkeypatch.delenv("CARAVANA_AOT", raising=False)
    monkeypatch.setattr(aot, "_found", [])
    monkeypatch.setattr(aot, "folders", lambda: [tmp_path])
    monkeypatch.setattr(aot, "BUILD", [sys.executable, "-c", build])
    return []


def test_a_failed_build_is_said_once_and_numba_serves_from_then_on(monkeypatch, tmp_path):
    said = _isolated(monkeypatch, tmp_path, "import sys, pathlib\n"
                     f"pathlib.Path({str(tmp_path / 'tries')!r}).open('a').write('x')\n"
                     "sys.exit('error: command gcc failed: No such file or directory')")
    for _ in range(2):
        assert aot.ensure(lambda: said.append("building"), lambda reason: said.append(reason)) is None
        aot._found.clear()  # a later process
    assert said == ["building", "error: command gcc failed: No such file or directory"]
    assert (tmp_path / "tries").read_text() == "x"  # not tried again for this source
    marker = tmp_path / f"{aot.module_name()}.failed"
    assert marker.read_text().startswith("error: command gcc failed")


def test_a_build_that_never_ends_is_stopped_with_what_it_started_and_tried_again_later(monkeypatch, tmp_path):
    """Past the time limit the build's whole process group is killed (a compiler it started
    too), its folder aside removed, and no .failed marker written: the next run tries again."""
    grandchild = tmp_path / "grandchild"
    said = _isolated(monkeypatch, tmp_path, "import pathlib, subprocess, sys, time\n"
                     f"pathlib.Path({str(tmp_path)!r}, aot_name() + '-building-x').mkdir()\n"
                     "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
                     f"pathlib.Path({str(grandchild)!r}).write_text(str(p.pid))\ntime.sleep(60)"
                     .replace("aot_name()", repr(aot.module_name())))
    monkeypatch.setattr(aot, "BUILD_TIMEOUT", 3)
    assert aot.ensure(lambda: said.append("building"), said.append) is None
    assert said == ["building", "the build took more than 3 s"]
    assert not any(tmp_path.glob("*.failed")) and not any(tmp_path.glob("*-building-*"))
    pid = int(grandchild.read_text())
    for _ in range(100):  # (killed at once; reaped by init soon after)
        if not _alive(pid):
            break
        time.sleep(0.1)
    assert not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_build_killed_by_a_signal_leaves_no_marker(monkeypatch, tmp_path):
    said = _isolated(monkeypatch, tmp_path, "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    assert aot.ensure(lambda: said.append("building"), said.append) is None
    assert said == ["building", f"the build was stopped by signal {int(signal.SIGKILL)}"]
    assert not any(tmp_path.glob("*.failed"))


def test_a_numba_module_in_the_working_folder_is_not_what_the_build_imports(monkeypatch, tmp_path):
    """The build runs ``python -m``, which would put the current folder first on the import path."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "numba.py").write_text(f"open({str(tmp_path / 'stray')!r}, 'w')\nraise SystemExit('stray numba')\n")
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "_aot_stray_probe.py").write_text(f"import numba\nopen({str(tmp_path / 'real')!r}, 'w')\n")
    monkeypatch.chdir(work)
    monkeypatch.syspath_prepend(str(lib))  # (the build's import path is the parent's)
    interpreter = aot.BUILD[:-1]  # the build's interpreter and options, running a module that imports numba
    _isolated(monkeypatch, tmp_path, "")
    monkeypatch.setattr(aot, "BUILD", [*interpreter, "_aot_stray_probe"])
    said: list[str] = []
    aot.ensure(lambda: None, said.append)
    assert not (tmp_path / "stray").exists() and (tmp_path / "real").exists(), said


def test_numba_disable_jit_builds_nothing_and_is_not_handed_to_the_build(monkeypatch, tmp_path):
    said = _isolated(monkeypatch, tmp_path, "import os, sys\n"
                     f"open({str(tmp_path / 'env')!r}, 'w').write(os.environ.get('NUMBA_DISABLE_JIT', '-'))\n"
                     "sys.exit('no module')")
    monkeypatch.setenv("NUMBA_DISABLE_JIT", "1")
    assert aot.ensure(lambda: said.append("building"), said.append) is None
    assert said == [] and not (tmp_path / "env").exists() and not any(tmp_path.glob("*.failed"))
    monkeypatch.setenv("NUMBA_DISABLE_JIT", "0")
    aot.ensure(lambda: said.append("building"), said.append)
    assert said[0] == "building" and (tmp_path / "env").read_text() == "-"


def test_a_run_waiting_for_another_build_says_so_then_takes_its_outcome(monkeypatch, tmp_path):
    """Runs started together with no compiler: the first builds (and fails), the others wait,
    then find its .failed marker and build nothing."""
    import fcntl
    import threading

    said = _isolated(monkeypatch, tmp_path, f"open({str(tmp_path / 'built')!r}, 'w')")
    name = aot.module_name()
    waiting = threading.Event()
    result: list = []
    with open(tmp_path / f"{name}.lock", "a") as held:  # another process's build under way
        fcntl.flock(held, fcntl.LOCK_EX)
        worker = threading.Thread(target=lambda: result.append(
            aot.ensure(lambda: said.append("building"), said.append, lambda: (said.append("waiting"), waiting.set()))))
        worker.start()
        assert waiting.wait(30)
        (tmp_path / f"{name}.failed").write_text("error: no compiler\n")  # ... and it failed
        fcntl.flock(held, fcntl.LOCK_UN)
    worker.join(30)
    assert result == [None] and said == ["waiting"] and not (tmp_path / "built").exists()


def test_a_folder_others_may_write_to_is_neither_built_in_nor_loaded_from(monkeypatch, tmp_path):
    import importlib.machinery
    import warnings

    monkeypatch.delenv("CARAVANA_AOT_DIR", raising=False)
    shared, own = tmp_path / "shared", tmp_path / "own"
    shared.mkdir()
    shared.chmod(0o777)
    # a module planted there (not a real one: loading it would warn that it is damaged)
    (shared / f"{aot.module_name()}{importlib.machinery.EXTENSION_SUFFIXES[0]}").write_bytes(b"planted")
    monkeypatch.setattr(aot, "folders", lambda: [shared, own])
    assert aot._first_writable(aot.folders()) == own
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert aot._find() is None
    shared.chmod(0o755)  # the user's own, others may not write: looked in
    with pytest.warns(RuntimeWarning, match="not loaded"):
        assert aot._find() is None


@pytest.mark.parametrize("setting", [("CARAVANA_AOT_DIR", "given"), ("CARAVANA_AOT", "off")])
def test_no_build_in_a_folder_given_or_when_turned_off(monkeypatch, tmp_path, setting):
    said = _isolated(monkeypatch, tmp_path, f"open({str(tmp_path / 'built')!r}, 'w')")
    name, value = setting
    monkeypatch.setenv(name, str(tmp_path / value) if value == "given" else value)
    assert aot.ensure(lambda: said.append("building"), said.append) is None
    assert said == [] and not (tmp_path / "built").exists() and not any(tmp_path.glob("*.failed"))


def _console(tmp_path, argv: list[str]) -> subprocess.CompletedProcess:
    """``caravana ARGV`` as the console script runs it, with the module built only into
    ``tmp_path/ahead`` (where nothing is given: a build may happen)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CARAVANA_AOT_DIR", "CARAVANA_AOT")}
    env["CARAVANA_HOME"] = str(tmp_path / "home")
    code = ("import atexit, pathlib, sys\nimport caravana.engine.aot as aot\n"
            f"aot.folders = lambda: [pathlib.Path({str(tmp_path / 'ahead')!r})]\n"
            "atexit.register(lambda: print('numba', 'numba' in sys.modules))\nfrom caravana.cli import main\n"
            f"sys.argv = ['caravana', *{argv!r}]\nmain()")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)


def test_a_corridor_run_builds_nothing_ahead_of_time(tmp_path):
    """Flee's kernels are built only for a Flee scenario: the corridor's own kernels are Numba's."""
    done = _console(tmp_path, ["run", "corridor", "--days", "2", "--lang", "en", "--out", str(tmp_path / "out")])
    assert done.returncode == 0, done.stderr[-3000:]
    # Numba's first-run notice ("compiling the model") may come on a cold cache; the ahead-of-time one may not
    assert "ahead of time" not in done.stderr and not (tmp_path / "ahead").exists()
    assert done.stdout.strip().splitlines()[-1] == "numba True"


@pytest.mark.slow
def test_the_console_script_builds_the_kernels_once_then_runs_without_numba(tmp_path):
    """The first run of a Flee scenario builds the module (5-20 s) and says so on stderr;
    the next finds it, says nothing and imports no Numba."""
    import importlib.machinery

    argv = ["run", "mali2012", "--days", "5", "--lang", "en", "--out", str(tmp_path / "out")]
    first = _console(tmp_path, argv)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "compiling Flee's kernels ahead of time" in first.stderr
    assert len(list((tmp_path / "ahead").glob(f"_caravana_kernels_*{importlib.machinery.EXTENSION_SUFFIXES[0]}"))) == 1
    second = _console(tmp_path, argv)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "compiling" not in second.stderr and second.stdout.strip().splitlines()[-1] == "numba False"
    assert first.stdout.strip().splitlines()[-1] == "numba False"


@pytest.mark.parametrize(("lang", "start"), [("en", "warning: Flee's kernels could not"),
                                             ("es", "aviso: no se pudieron compilar")])
def test_a_failed_build_tells_how_to_try_again_with_this_python(monkeypatch, capsys, lang, start):
    from caravana.cli import common, probes

    monkeypatch.setattr(common, "_speaking", [])
    common.use_language(lang)
    monkeypatch.setattr(aot, "ensure", lambda building, failed, waiting: (waiting(), failed("no compiler")))
    probes.kernels_ahead_of_time()
    waited, warned = capsys.readouterr().err.strip().splitlines()
    assert warned.startswith(start) and f"{sys.executable} -m caravana.engine.aot" in warned
    assert waited.endswith("...") and ("caravana" in waited) and (("esperando" in waited) == (lang == "es"))


def test_the_suite_runs_numba_kernels_whatever_a_developer_built_before():
    """tests/conftest.py points the suite at an empty folder of its own: a module left in the
    engine's __pycache__ or the user's cache is not what the other tests run."""
    from tests.conftest import AOT_DIR

    assert os.environ.get("CARAVANA_AOT_DIR") == AOT_DIR and aot.folders() == [Path(AOT_DIR)]
    assert not aot.automatic() and aot._find() is None


@pytest.mark.parametrize("setting", [("CARAVANA_AOT", "off"), ("NUMBA_DISABLE_JIT", "1")])
def test_a_module_built_earlier_is_not_used_when_switched_off(monkeypatch, setting):
    """The switches stop the use, not only the build: a module found is not loaded."""
    found = object()
    monkeypatch.setattr(aot, "_find", lambda: found)
    monkeypatch.setattr(aot, "_found", [])
    monkeypatch.delenv("CARAVANA_AOT", raising=False)
    monkeypatch.delenv("NUMBA_DISABLE_JIT", raising=False)
    assert aot.load() is found
    monkeypatch.setattr(aot, "_found", [])
    monkeypatch.setenv(*setting)
    assert aot.load() is None

