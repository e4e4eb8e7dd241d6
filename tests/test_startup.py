"""`caravana --help` loads no heavy module (times are in benchmarks/startup.py), and a
command whose optional dependency is missing says which extra to install."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from caravana.cli import app

HEAVY = ("numba", "optuna", "duckdb", "fastapi", "matplotlib", "dask", "distributed", "scipy", "pyarrow",
         "pydantic", "pandas", "uvicorn")


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["ensemble", "--help"], ["forecast", "--help"]])
def test_help_imports_no_heavy_module(argv):
    code = (
        "import sys\nfrom caravana.cli import app\n"
        f"try:\n    app({argv!r})\nexcept SystemExit:\n    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = eval(done.stdout.strip().splitlines()[-1])
    # A command's own help has Typer look at its parameters' types, and Typer imports pydantic to do so.
    allowed = {"pydantic"} if argv != ["--help"] else set()
    assert set(loaded) <= allowed


def test_a_missing_extra_is_one_clear_line(monkeypatch, tmp_path):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real(name, *a))
    result = CliRunner().invoke(app, ["report", str(tmp_path)])
    assert result.exit_code == 2
    assert "needs the 'report' extra" in result.output and "pip install 'caravana[report]'" in result.output


def _run_python(code: str, env: dict | None = None) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()


def test_kernels_cache_in_a_temporary_folder_when_no_folder_numba_knows_is_writable(tmp_path):
    """Numba refuses cache=True when neither the source's folder nor the user's cache folder
    can be written; the kernels then cache in the temporary folder. Simulated by leaving numba
    only locators that find nothing (a zip-file locator) or read NUMBA_CACHE_DIR (unset)."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env.update(NUMBA_CACHE_LOCATOR_CLASSES="ZipCacheLocator,UserProvidedCacheLocator", TMPDIR=str(tmp_path),
               CARAVANA_AOT_DIR=str(tmp_path / "no-aot"))  # Numba's kernels, not ones compiled ahead of time
    code = (
        "import numpy as np\nfrom caravana.engine.jit import fallback_cache_dir\n"
        "from caravana.engine.counting import count_by_place_and_status as f\n"
        "out = np.zeros((2, 9), np.int64)\n"
        "f(np.array([0, 1, 1], np.int32), np.array([0, 0, 2], np.int8), out)\n"
        "print(out[1, 2], out[0, 0])\nprint(fallback_cache_dir())"
    )
    lines = _run_python(code, env)
    assert lines[0] == "1 1"
    cache = tmp_path / lines[1].rpartition("/")[2]
    assert str(cache) == lines[1] and any(cache.rglob("*count_by_place_and_status*.nbi"))


def test_kernels_still_run_uncached_with_a_warning_when_nothing_is_writable(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env.update(NUMBA_CACHE_LOCATOR_CLASSES="ZipCacheLocator", TMPDIR=str(tmp_path),
               CARAVANA_AOT_DIR=str(tmp_path / "no-aot"))
    code = (
        "import warnings, numpy as np\nwarnings.simplefilter('always')\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    from caravana.engine.counting import count_at_places as f\n"
        "out = np.zeros(2, np.int64)\nf(np.array([0, 1, 1], np.int32), np.array([0, 0, 2], np.int8), 0, out)\n"
        "print(out.tolist())\nprint(sum('compiled at each run' in str(w.message) for w in caught))"
    )
    lines = _run_python(code, env)
    assert lines[0] == "[1, 1]" and int(lines[1]) >= 1
    assert not any(tmp_path.rglob("*.nbi"))


@pytest.mark.parametrize("scenario", ["mali2012", "corridor"])
def test_a_simulating_command_loads_kernels_lean_skips_the_pandas_probe_and_writes_the_same_tables(
        tmp_path, scenario):
    """`caravana run` (the console script), its kernels in Numba's cache, loads neither Numba's
    compiler rules (the registries its context refresh imports: typed lists, polynomials, ...)
    nor pandas (pyarrow's probe), cloudpickle or pyarrow's remote filesystems, nor rich.progress (no
    bar where stderr is not a terminal, as here), neither searches
    Numba's extensions nor compiles its runtime's functions, writes what the in-process app
    writes, and leaves scipy.linalg, pandas and cloudpickle importable."""
    runner_out = tmp_path / "in_process"  # compiles and caches the kernels if they are not yet
    result = CliRunner().invoke(app, ["run", scenario, "--days", "8", "--out", str(runner_out)],
                                env={"CARAVANA_HOME": str(tmp_path / "home")})
    assert result.exit_code == 0, result.output
    script_out = tmp_path / "script"
    code = (  # `run` ends its process inside main() (caravana.cli.quit): look at the end, at exit
        "import atexit, sys\nfrom caravana.cli import main\n"
        "def look():\n"
        "    import gc, os\n    print('collector', gc.isenabled(), 'blas threads', os.environ.get('OPENBLAS_NUM_THREADS'))\n"
        "    print(sorted(m for m in ('pandas', 'numba.cpython.listobj', 'numba.np.polynomial.polynomial_core', "
        "'cloudpickle', 'pyarrow._s3fs', 'pyarrow._azurefs', 'rich.progress') if m in sys.modules))\n"
        "    from numba.core import entrypoints\n    from numba.core.runtime import rtsys\n"
        "    print('extensions searched', entrypoints._already_initialized, 'runtime compiled', rtsys._init)\n"
        "    import scipy.linalg, pandas, cloudpickle\n"
        "    print(scipy.linalg.det([[2.0]]), len(pandas.DataFrame({'a': [1, 2]})), callable(cloudpickle.dumps))\n"
        "atexit.register(look)\n"
        f"sys.argv = ['caravana', 'run', {scenario!r}, '--days', '8', '--out', {str(script_out)!r}]\n"
        "main()\nprint('main returned')"
    )
    import os

    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    # Numba's cached kernels (tests/test_aot.py runs with kernels compiled ahead of time)
    lines = _run_python(code, dict(env, CARAVANA_HOME=str(tmp_path / "home"), CARAVANA_AOT_DIR=str(tmp_path / "no-aot")))
    # The collector, paused while the command starts, is on again; NumPy's BLAS started no pool.
    assert lines[-4] == "collector True blas threads 1"
    assert lines[-3] == "[]"
    assert lines[-2] == "extensions searched False runtime compiled False"  # only compiling needs them
    assert lines[-1] == "2.0 2 True" and "main returned" not in lines
    tables = sorted(p.relative_to(runner_out) for p in runner_out.rglob("*.csv"))
    assert tables == sorted(p.relative_to(script_out) for p in script_out.rglob("*.csv")) and tables
    for table in tables:
        assert (script_out / table).read_text() == (runner_out / table).read_text(), table


def test_probes_are_skipped_for_simulating_commands_only():
    from caravana.cli.probes import SIMULATING, command_of

    assert command_of(["run", "mali2012"]) == "run" and command_of(["--help"]) is None
    assert command_of(["runs", "list"]) not in SIMULATING
    assert {"run", "ensemble", "forecast"} <= SIMULATING


def test_the_core_imports_no_optional_package():
    """`caravana run` needs only the core install: outside the modules of an extra's commands,
    no module imports SciPy or pandas (SciPy is in the 'calibrate' extra, for its sampler, and
    comes with scikit-learn in 'news-train', which only `news/train.py` uses, to fit)."""
    import ast
    from pathlib import Path

    import caravana

    package = Path(caravana.__file__).parent
    optional = {"scipy", "pandas"}
    offenders = []
    for path in package.rglob("*.py"):
        if path.relative_to(package).parts[0] == "calibrate" or path.relative_to(package).as_posix() == "news/train.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            offenders += [f"{path.relative_to(package)}: {n}" for n in names if n.split(".")[0] in optional]
    assert offenders == []


def test_every_kernel_is_compiled_through_engine_jit():
    """numba.njit(cache=True) used directly fails at import on a read-only install with a
    read-only home; caravana.engine.jit.njit falls back (see its tests above)."""
    from pathlib import Path

    import caravana

    package = Path(caravana.__file__).parent
    direct = [str(p.relative_to(package)) for p in package.rglob("*.py")
              if p.name != "jit.py" and ("numba.njit" in p.read_text(encoding="utf-8")
                                         or "from numba import njit" in p.read_text(encoding="utf-8"))]
    assert direct == []


def _quit_code(body: str, env: dict | None = None) -> subprocess.CompletedProcess:
    code = ("import atexit, sys, tempfile, pathlib\nfrom caravana.cli.quit import exit_now, exit_code\n" + body)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)


def test_a_quick_exit_runs_the_atexit_functions_flushes_and_keeps_the_exit_code():
    """caravana.cli.quit.exit_now skips only Python's teardown: what was registered at exit
    runs, buffered output is written, the code is the command's (a message code: 1)."""
    done = _quit_code("atexit.register(lambda: print('at exit'))\nsys.stdout.write('buffered, ')\n"
                      "exit_now(exit_code(SystemExit(3)))\nprint('after')")
    assert (done.returncode, done.stdout) == (3, "buffered, at exit\n")
    done = _quit_code("exit_now(exit_code(SystemExit('error: bad')))")
    assert (done.returncode, done.stderr.strip()) == (1, "error: bad")
    assert _quit_code("exit_now(exit_code(SystemExit(None)))").returncode == 0


def test_a_quick_exit_waits_the_usual_way_for_a_running_thread():
    done = _quit_code("import threading, time\n"
                      "t = threading.Thread(target=lambda: (time.sleep(0.3), print('thread done')))\nt.start()\n"
                      "exit_now(4)")
    assert (done.returncode, done.stdout) == (4, "thread done\n")


@pytest.mark.parametrize(("command", "set_"), [("validate", True), ("run", True), ("runs", False), ("serve", False)])
def test_pydantic_plugins_are_turned_off_only_for_run_and_validate(command, set_):
    """The console script turns pydantic's plugin lookup off to start `run` and `validate`
    faster; any other command (whose child processes inherit the environment: Dask's
    workers, `serve`) keeps the user's plugins."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    code = ("import atexit, os, sys\nfrom caravana.cli import main\n"
            "atexit.register(lambda: print('plugins', os.environ.get('PYDANTIC_DISABLE_PLUGINS')))\n"
            f"sys.argv = ['caravana', {command!r}, '--help']\nmain()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == f"plugins {'__all__' if set_ else None}"


def test_a_flee_run_imports_no_corridor_model_and_a_corridor_still_validates(tmp_path):
    """A Flee run (`caravana run mali2012`) never imports the corridor's ~50 models
    (caravana.scenario.schema.CorridorLater); in a fresh process a Scenario and a scenario file
    with a corridor still validate, dump and give their JSON schema, and a corridor's mistake is
    still pydantic's error, at its path."""
    import os

    env = dict(os.environ, CARAVANA_HOME=str(tmp_path / "home"))
    code = ("import atexit, sys\nfrom caravana.cli import main\n"
            "atexit.register(lambda: print(sorted(m for m in sys.modules if m.startswith('caravana.scenario'))))\n"
            f"sys.argv = ['caravana', 'run', 'mali2012', '--days', '2', '--out', {str(tmp_path / 'out')!r}]\nmain()")
    loaded = eval(_run_python(code, env)[-1])
    assert "caravana.scenario.schema" in loaded and "caravana.scenario.corridor" not in loaded
    code = (
        "import sys\nfrom caravana.scenario.schema import Scenario\n"
        "assert 'caravana.scenario.corridor' not in sys.modules\n"
        "base = {'name': 'x', 'period': {'start': '2018-10-12', 'days': 3}, 'locations': [{'name': 'A', 'type': 'town'}]}\n"
        "sc = Scenario.model_validate({**base, 'corridor': {}})\n"
        "print(type(sc.corridor).__name__, 'corridor' in Scenario.model_json_schema()['properties'])\n"
        "print(Scenario.model_validate(sc.model_dump()) == sc)\n"
        "try:\n    Scenario.model_validate({**base, 'corridor': {'no_such_setting': 1}})\n"
        "except Exception as exc:\n    print(type(exc).__name__, exc.errors()[0]['loc'])\n"
        "from caravana import load_scenario\nprint(type(load_scenario('corridor').corridor).__name__)"
    )
    assert _run_python(code, env) == ["CorridorSpec True", "True", "ValidationError ('corridor', 'no_such_setting')",
                                      "CorridorSpec"]


def test_a_flee_run_catalogues_itself_without_the_results_reader(tmp_path):
    """`caravana run` registers its run in the catalogue reading back only the manifest it
    wrote (caravana.results.format.read_manifest), without importing caravana.results.reader
    (the reader of whole folders: 7 M machine instructions of every run's start); the run is
    catalogued with the seed, scenario name and wall time of its manifest, and the catalogue's
    readers still open the folder."""
    import os

    env = dict(os.environ, CARAVANA_HOME=str(tmp_path / "home"))
    out = tmp_path / "out"
    code = ("import atexit, sys\nfrom caravana.cli import main\n"
            "atexit.register(lambda: print('caravana.results.reader' in sys.modules))\n"
            f"sys.argv = ['caravana', 'run', 'mali2012', '--days', '2', '--seed', '3', '--out', {str(out)!r}]\nmain()")
    assert _run_python(code, env)[-1] == "False"
    code = ("import json\nfrom caravana import catalogue\n(record,) = catalogue.list_runs()\n"
            f"meta = json.loads(open({str(out / 'metadata.json')!r}).read())\n"
            "print(record.seed, record.scenario_name, record.wall_seconds == meta['wall_seconds'], "
            "catalogue.open_results(record.path).metadata == meta)")
    assert _run_python(code, env) == ["3 mali2012 True True"]


def test_a_flee_run_skips_pydantics_plugin_lookup_and_a_library_keeps_it(tmp_path):
    """`caravana run` turns pydantic's plugin lookup off, so pydantic's plugin loader (which
    imports importlib.metadata: email, zipfile, csv) is not loaded on a run's start, a stand-in
    finding no plugin is; a program that imports caravana as a library keeps pydantic's own.
    The run writes its Parquet files without pyarrow.parquet and pyarrow.fs (caravana.results.parquet)."""
    import os

    env = dict({k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"},
               CARAVANA_HOME=str(tmp_path / "home"))
    loader = "sys.modules['pydantic.plugin._loader']"
    code = ("import atexit, sys\nfrom caravana.cli import main\n"
            f"atexit.register(lambda: print(hasattr({loader}, 'entry_points'), list({loader}.get_plugins()), "
            "sorted(m for m in sys.modules if m.startswith(('pyarrow.parquet', 'pyarrow.fs')))))\n"
            f"sys.argv = ['caravana', 'run', 'mali2012', '--days', '2', '--out', {str(tmp_path / 'out')!r}]\nmain()")
    assert _run_python(code, env)[-1] == "False [] []"
    assert (tmp_path / "out" / "counts.parquet").is_file() and (tmp_path / "out" / "arrays" / "arrivals.parquet").is_file()
    code = ("import sys\nfrom caravana.scenario.load import load_scenario\nload_scenario('mali2012')\n"
            f"print(hasattr({loader}, 'entry_points'))")
    assert _run_python(code, env)[-1] == "True"


def test_the_first_kernel_compiled_is_announced_once_and_a_cached_one_not(tmp_path):
    """caravana.engine.jit.on_compile runs once, as the first kernel not in Numba's cache compiles;
    a process that finds the kernels cached does not call it."""
    import os

    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache"), "CARAVANA_AOT_DIR": str(tmp_path / "no-aot")}
    code = (
        "import numpy as np\nfrom caravana.engine import jit\n"
        "jit.on_compile = lambda: print('compiling')\n"
        "from caravana.engine.counting import count_by_place_and_status as f, count_at_places as g\n"
        "f(np.array([0, 1, 1], np.int32), np.array([0, 0, 2], np.int8), np.zeros((2, 9), np.int64))\n"
        "g(np.array([0, 1, 1], np.int32), np.array([0, 0, 2], np.int8), 0, np.zeros(2, np.int64))\n"
        "print('done')"
    )
    assert _run_python(code, env) == ["compiling", "done"]  # two kernels compiled, one word
    assert _run_python(code, env) == ["done"]  # both cached


@pytest.mark.slow  # a corridor run compiling its kernels: 5-30 s of CPU
def test_a_first_run_says_it_is_compiling_and_a_second_does_not(tmp_path):
    import os
    from pathlib import Path

    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache"), "CARAVANA_HOME": str(tmp_path / "home"),
           "CARAVANA_LANG": "es"}
    caravana = str(Path(sys.executable).parent / "caravana")

    def run(out: str) -> str:
        done = subprocess.run([caravana, "run", "corridor", "--days", "1", "--out", str(tmp_path / out)],
                              capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stderr

    first, second = run("a"), run("b")
    assert first.count("preparando (primera vez: compilando el modelo") == 1
    assert "compilando" not in second


def test_the_run_commands_annotations_are_objects_not_strings():
    """Typer reads a command's annotations twice (inspect.signature(eval_str=True), then
    get_type_hints): strings would be compiled and evaluated each time, 11 M machine
    instructions of every `caravana run` (caravana/cli/run.py has no `from __future__ import
    annotations`)."""
    import inspect

    from caravana.cli import run as commands

    for command in (commands.run, commands.validate, commands.scenarios):
        annotations = [p.annotation for p in inspect.signature(command).parameters.values()]
        assert not any(isinstance(a, str) for a in annotations), command.__name__


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_prints_the_installed_version_and_loads_no_command(flag):
    """`caravana --version`: one line from the installed package's metadata, before Typer or any
    command module loads (the console script), and the same line through the app (the root option)."""
    import ast
    from importlib.metadata import PackageNotFoundError, version

    from caravana._version import __version__

    try:
        installed = version("caravana")
    except PackageNotFoundError:  # the source run uninstalled (PYTHONPATH=src): the version pyproject.toml reads
        installed = __version__
    code = (
        "import sys\nfrom caravana.cli import main\n"
        f"sys.argv = ['caravana', {flag!r}]\nmain()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('caravana.', 'typer', 'numpy', 'numba'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    line, loaded = done.stdout.strip().splitlines()
    assert line == f"caravana {installed}"
    assert set(ast.literal_eval(loaded)) == {"caravana._lazy", "caravana._version", "caravana.cli", "caravana.cli.version"}
    result = CliRunner().invoke(app, [flag])
    assert result.exit_code == 0 and result.output == f"{line}\n"


def test_version_falls_back_to_the_sources_version_when_not_installed(monkeypatch):
    import importlib.metadata

    from caravana._version import __version__
    from caravana.cli.version import version_line

    def not_installed(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert version_line() == f"caravana {__version__}"
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "9.8.7")
    assert version_line() == "caravana 9.8.7"  # the installed distribution's, when there is one


def test_dash_v_and_version_are_told_of_the_option_at_the_top_only():
    """`caravana -v` (many programs' version option) said only "no existe la opción -v"; it now points to
    --version, which `caravana run` does not have, so `caravana run -v` gets no such hint."""
    top = CliRunner().invoke(app, ["-v"], env={"CARAVANA_LANG": "es"})
    assert top.exit_code == 2 and top.output.strip() == "error: no existe la opción -v (opciones posibles: --version)"
    run = CliRunner().invoke(app, ["run", "-v", "corridor"], env={"CARAVANA_LANG": "es"})
    assert run.exit_code == 2 and "--version" not in run.output and "-v" in run.output
    word = CliRunner().invoke(app, ["version"], env={"CARAVANA_LANG": "es"})  # was "no existe el comando 'version'."
    assert word.exit_code == 2 and word.output.strip() == (
        "error: no existe el comando 'version': la versión la da 'caravana --version'.")
    assert "--version" not in CliRunner().invoke(app, ["runs", "version"], env={"CARAVANA_LANG": "es"}).output
