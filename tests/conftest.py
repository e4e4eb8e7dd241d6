"""Shared fixtures: small scenarios on disk, in both input formats.

``yaml_scenario(**overrides)`` writes a tiny, valid YAML+CSV scenario into a new
folder under ``tmp_path`` and returns the path of its ``scenario.yml``. Keyword
arguments replace a file's content: ``yaml=`` is ``scenario.yml``, any other key
``k`` is ``k.csv`` (``locations=``, ``routes=``, ``closures=``, ``totals=``...).
A value may be ``str`` or ``bytes``; ``None`` removes the file.

``flee_folder(name)`` copies ``../shared/anchors/flee-scenarios/<name>`` (the shared folder
beside the checkout, or ``$CARAVANA_SHARED``) into a
new folder under ``tmp_path`` and returns its path.

``tree_snapshot(path)`` records every file and folder below ``path`` (bytes and
mode), to check that something wrote nothing.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# The command line prints in $CARAVANA_LANG, else the locale's language: the tests read its
# English (subprocesses inherit this), and the tests of Spanish ask for it with --lang es.
os.environ["CARAVANA_LANG"] = "en"

# Flee's kernels compiled ahead of time (caravana.engine.aot) are looked for in an empty folder
# of the suite's own, so that the suite tests Numba's kernels whatever a developer built before
# (a module in the engine's __pycache__ or the user's cache would otherwise be loaded), and no
# command a test runs builds one (a folder given is used as it is). Set before any test module
# imports caravana; subprocesses inherit it. The tests of the compiled kernels (test_aot.py,
# test_startup.py) set their own.
AOT_DIR = tempfile.mkdtemp(prefix="caravana-tests-aot-")
os.environ["CARAVANA_AOT_DIR"] = AOT_DIR
atexit.register(shutil.rmtree, AOT_DIR, ignore_errors=True)

# The shared read-only folder sits beside the checkout (../shared); $CARAVANA_SHARED overrides.
SHARED = Path(os.environ.get("CARAVANA_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
FLEE_ANCHORS = SHARED / "anchors" / "flee-scenarios"


@pytest.fixture(autouse=True, scope="session")
def _private_catalogue(tmp_path_factory):
    """Runs made by tests register in a catalogue of their own, never in ~/.caravana."""
    saved = os.environ.get("CARAVANA_HOME")
    os.environ["CARAVANA_HOME"] = str(tmp_path_factory.mktemp("caravana-home"))
    yield
    if saved is None:
        os.environ.pop("CARAVANA_HOME", None)
    else:
        os.environ["CARAVANA_HOME"] = saved

SCENARIO_YML = """\
name: tiny
start: 2020-01-01
days: 10
seed: 0
tables:
  locations: locations.csv
  routes: routes.csv
  closures: closures.csv
  totals: totals.csv
settings:
  movement: {max_move_speed: 200}
"""

LOCATIONS_CSV = """\
name,type,country,lat,lon,population,capacity
A,conflict_zone,X,10.0,20.0,1000,
B,town,X,10.5,20.5,500,
C,camp,Y,11.0,21.0,0,300
"""

ROUTES_CSV = """\
from,to,km
A,B,100
B,C,150
"""

CLOSURES_CSV = """\
kind,name1,name2,start,end
country,X,Y,5,8
"""

TOTALS_CSV = """\
date,count
2020-01-01,0
2020-01-10,100
"""

DEFAULT_FILES: dict[str, str] = {
    "scenario.yml": SCENARIO_YML,
    "locations.csv": LOCATIONS_CSV,
    "routes.csv": ROUTES_CSV,
    "closures.csv": CLOSURES_CSV,
    "totals.csv": TOTALS_CSV,
}


def _file_name(key: str) -> str:
    return "scenario.yml" if key == "yaml" else f"{key}.csv"


@pytest.fixture
def yaml_scenario(tmp_path):
    """Factory: write a small valid YAML+CSV scenario (with overrides); return scenario.yml."""
    counter = itertools.count()

    def make(**overrides: str | bytes | None) -> Path:
        folder = tmp_path / f"scenario{next(counter)}"
        folder.mkdir()
        files: dict[str, str | bytes | None] = dict(DEFAULT_FILES)
        for key, content in overrides.items():
            files[_file_name(key)] = content
        for name, content in files.items():
            if content is None:
                continue
            data = content.encode("utf-8") if isinstance(content, str) else content
            (folder / name).write_bytes(data)
        return folder / "scenario.yml"

    return make


@pytest.fixture
def flee_folder(tmp_path):
    """Factory: copy a Flee input folder from the shared anchors; return the copy's path."""
    counter = itertools.count()

    def copy(name: str = "burundi2015") -> Path:
        source = FLEE_ANCHORS / name
        if not source.is_dir():
            pytest.skip(f"Flee anchor scenario {source} is not available")
        target = tmp_path / f"flee{next(counter)}" / name
        shutil.copytree(source, target)
        return target

    return copy


def snapshot(root: Path) -> dict[str, tuple[str, int, bytes | None]]:
    """Every entry below ``root``: relative path -> (kind, mode, bytes of files)."""
    out: dict[str, tuple[str, int, bytes | None]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            st = path.lstat()
            rel = str(path.relative_to(root))
            if path.is_dir():
                out[rel] = ("dir", st.st_mode, None)
            else:
                try:
                    data = path.read_bytes()
                except OSError:  # e.g. a chmod 000 file when not root
                    data = None
                out[rel] = ("file", st.st_mode, data)
    return out


@pytest.fixture
def tree_snapshot():
    """The ``snapshot`` function, as a fixture."""
    return snapshot


@pytest.fixture
def default_files() -> dict[str, str]:
    """The default scenario's files (name -> text), for tests that edit one of them."""
    return dict(DEFAULT_FILES)


@pytest.fixture(scope="session")
def gazetteer():
    """The corridor's gazetteer for the news tests (built once; needs the ``news`` extra)."""
    from tests.news_helpers import corridor_gazetteer

    return corridor_gazetteer()
