"""Malformed scenarios fail with one ScenarioError that says where, and write nothing.

Every case checks ``.file``, ``.row`` and ``.field`` of the error, for both input
formats (YAML + CSV tables, and Flee folders), and that ``load_scenario`` left the
whole temporary tree (and the working directory) exactly as it was. The CLI tests
check the same mistakes end in exit code 2, a single ``error:`` line, and nothing written.
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import pytest

import caravana
from caravana import ScenarioError, ScenarioWarning, load_scenario

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# --------------------------------------------------------------------------- helpers


@pytest.fixture
def load_fails(tmp_path, monkeypatch, tree_snapshot):
    """Load ``source`` expecting a ScenarioError; check nothing was written; return it."""

    def run(source: Path) -> ScenarioError:
        monkeypatch.chdir(tmp_path)  # relative writes would land in the snapshot too
        before = tree_snapshot(tmp_path)
        with pytest.raises(ScenarioError) as info:
            caravana.load_scenario(source)
        after = tree_snapshot(tmp_path)
        assert after == before, "load_scenario changed files while failing"
        return info.value

    return run


def same_file(reported: str | None, expected: Path) -> bool:
    return reported is not None and Path(reported).resolve() == expected.resolve()


def assert_where(err: ScenarioError, file: Path, row, field) -> None:
    """``row``/``field`` may be a value or a tuple of acceptable values."""
    assert same_file(err.file, file), f"file: {err.file!r} is not {str(file)!r} ({err})"
    rows = row if isinstance(row, tuple) else (row,)
    fields = field if isinstance(field, tuple) else (field,)
    assert err.row in rows, f"row: {err.row!r} not in {rows} ({err})"
    assert err.field in fields, f"field: {err.field!r} not in {fields} ({err})"
    # The one-line rendering names the file and, when known, row and field.
    text = str(err)
    assert Path(err.file).name in text
    if err.row is not None:
        assert f"row {err.row}" in text
    if err.field is not None:
        assert err.field in text


def append_line(path: Path, line: str | bytes) -> int:
    """Append one line to a file; return its 1-based line number."""
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        data += b"\n"
    row = data.count(b"\n") + 1
    payload = line.encode("utf-8") if isinstance(line, str) else line
    path.write_bytes(data + payload + b"\n")
    return row


def yaml_line(text: str, key: str) -> int:
    """Line number of the first line of a YAML text that starts with ``key:``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(f"{key}:"):
            return number
    raise AssertionError(f"{key} not in YAML")


def test_the_base_scenarios_are_valid(yaml_scenario, flee_folder):
    """The fixtures' scenarios load, so each failure below comes from its one change."""
    scenario = caravana.load_scenario(yaml_scenario())
    assert [loc.name for loc in scenario.locations] == ["A", "B", "C"]
    assert scenario.period.days == 10
    flee = caravana.load_scenario(flee_folder("burundi2015"))
    assert flee.period.days == 396
    assert len(flee.routes) == 41


# --------------------------------------------------------------------------- YAML + CSV: table rows

LOC_HEAD = "name,type,country,lat,lon,population,capacity\n"
LOC_A = "A,conflict_zone,X,10.0,20.0,1000,\n"
LOC_C = "C,camp,Y,11.0,21.0,0,300\n"

# id, overrides, file with the mistake, row, field
CSV_CASES = [
    ("route-unknown-to", {"routes": "from,to,km\nA,B,100\nB,Nowhere,150\n"}, "routes.csv", 3, "to"),
    ("route-unknown-from", {"routes": "from,to,km\nA,B,100\nNowhere,C,150\n"}, "routes.csv", 3, "from"),
    ("route-to-itself", {"routes": "from,to,km\nA,B,100\nB,B,150\nB,C,150\n"}, "routes.csv", 3, ("to", "from")),
    ("duplicate-location", {"locations": LOC_HEAD + LOC_A + "B,town,X,1,1,5,\n" + "A,camp,Y,1,1,0,300\n" + LOC_C},
     "locations.csv", 4, "name"),
    ("negative-distance", {"routes": "from,to,km\nA,B,100\nB,C,-150\n"}, "routes.csv", 3, "km"),
    ("non-numeric-distance", {"routes": "from,to,km\nA,B,100\nB,C,far\n"}, "routes.csv", 3, "km"),
    ("nan-distance", {"routes": "from,to,km\nA,B,nan\nB,C,150\n"}, "routes.csv", 2, "km"),
    ("infinite-distance", {"routes": "from,to,km\nA,B,100\nB,C,inf\n"}, "routes.csv", 3, "km"),
    ("zero-distance", {"routes": "from,to,km\nA,B,0\nB,C,150\n"}, "routes.csv", 2, "km"),
    ("latitude-out-of-range", {"locations": LOC_HEAD + LOC_A + "B,town,X,95,20.5,500,\n" + LOC_C},
     "locations.csv", 3, "lat"),
    ("longitude-out-of-range", {"locations": LOC_HEAD + LOC_A + "B,town,X,10,-181,500,\n" + LOC_C},
     "locations.csv", 3, "lon"),
    ("unknown-location-type", {"locations": LOC_HEAD + LOC_A + "B,village,X,10,20,500,\n" + LOC_C},
     "locations.csv", 3, "type"),
    ("negative-population", {"locations": LOC_HEAD + LOC_A + "B,town,X,10,20,-5,\n" + LOC_C},
     "locations.csv", 3, "population"),
    ("closure-unknown-location", {"closures": "kind,name1,name2,start,end\ncountry,X,Y,5,8\nlocation,Nowhere,,1,3\n"},
     "closures.csv", 3, "name1"),
    ("closure-unknown-country", {"closures": "kind,name1,name2,start,end\ncountry,X,Atlantis,1,3\n"},
     "closures.csv", 2, "name2"),
    ("closure-link-unknown-end", {"closures": "kind,name1,name2,start,end\nlink,A,Nowhere,1,3\n"},
     "closures.csv", 2, "name2"),
    ("closure-camp-unknown", {"closures": "kind,name1,name2,start,end\ncamp,Nowhere,,1,3\n"},
     "closures.csv", 2, "name1"),
    ("closure-unknown-kind", {"closures": "kind,name1,name2,start,end\nwall,A,B,1,3\n"}, "closures.csv", 2, "kind"),
    ("closure-negative-day", {"closures": "kind,name1,name2,start,end\nlocation,A,,-1,3\n"},
     "closures.csv", 2, "start"),
    ("bad-date-in-totals", {"totals": "date,count\n2020-01-01,0\n2020-13-10,100\n"}, "totals.csv", 3, "date"),
    ("impossible-date-in-totals", {"totals": "date,count\n2020-02-30,0\n2020-03-10,100\n"}, "totals.csv", 2, "date"),
    ("negative-count-in-totals", {"totals": "date,count\n2020-01-01,0\n2020-01-10,-100\n"}, "totals.csv", 3, "count"),
    ("unknown-column", {"locations": "name,type,country,lat,lon,population,capacity,colour\n"
                        "A,conflict_zone,X,10,20,1000,,red\nB,town,X,10.5,20.5,500,,\nC,camp,Y,11,21,0,300,\n"},
     "locations.csv", 1, "colour"),
    ("missing-required-column", {"routes": "from,to\nA,B\nB,C\n"}, "routes.csv", 1, "km"),
    ("non-utf8-in-routes", {"routes": b"from,to,km\nA,B,100\nB,C\xff,150\n"}, "routes.csv", 3, None),
    ("non-utf8-in-locations", {"locations": (LOC_HEAD + LOC_A + LOC_C).encode() + b"D\xe9n,town,X,1,1,5,\n"},
     "locations.csv", 4, None),
    ("routes-table-deleted", {"routes": None}, "routes.csv", None, (None, "tables.routes")),
]


@pytest.mark.parametrize(
    ("overrides", "file", "row", "field"),
    [pytest.param(o, f, r, fd, id=i) for i, o, f, r, fd in CSV_CASES],
)
def test_yaml_format_bad_table(yaml_scenario, load_fails, overrides, file, row, field):
    scenario = yaml_scenario(**overrides)
    err = load_fails(scenario)
    assert_where(err, scenario.parent / file, row, field)


# --------------------------------------------------------------------------- YAML + CSV: the YAML file


def replace(old: str, new: str):
    """A change to the default scenario.yml: replace one exact piece of text."""

    def edit(text: str) -> str:
        assert old in text
        return text.replace(old, new)

    return edit


def add(extra: str):
    return lambda text: text + extra


@pytest.fixture
def base_yaml(default_files) -> str:
    return default_files["scenario.yml"]


# id, change to scenario.yml, field, key on the offending line. The row may be that
# line or None: the loader validates the parsed mapping, which has no line numbers.
YAML_CASES = [
    ("unparseable-start-date", replace("start: 2020-01-01", "start: someday"), "start", "start"),
    ("days-0", replace("days: 10", "days: 0"), "days", "days"),
    ("days-negative", replace("days: 10", "days: -4"), "days", "days"),
    ("days-not-a-number", replace("days: 10", "days: ten"), "days", "days"),
    ("unknown-top-level-key", add("colour: red\n"), "colour", "colour"),
    ("unknown-movement-setting", replace("max_move_speed: 200", "max_move_sped: 200"),
     "settings.movement.max_move_sped", "movement"),
    ("unknown-settings-section", replace("settings:\n", "settings:\n  detention: {rate: 1}\n"),
     "settings.detention", "detention"),
    ("setting-out-of-range", replace("max_move_speed: 200", "awareness_level: 99"),
     "settings.movement.awareness_level", "movement"),
    ("unknown-table-key", replace("  totals: totals.csv", "  totalz: totals.csv"), "tables.totalz", "totalz"),
    ("missing-name", replace("name: tiny\n", ""), "name", None),
    ("table-path-escapes", replace("locations: locations.csv", "locations: ../x.csv"),
     "tables.locations", "locations"),
    ("table-path-absolute", replace("locations: locations.csv", "locations: /etc/hostname"),
     "tables.locations", "locations"),
]


@pytest.mark.parametrize(("edit", "field", "key"), [pytest.param(e, f, k, id=i) for i, e, f, k in YAML_CASES])
def test_yaml_format_bad_settings(yaml_scenario, load_fails, tmp_path, base_yaml, edit, field, key):
    # A real file outside the folder, so an escaping path fails for escaping, not for being missing.
    (tmp_path / "x.csv").write_text("name,type\nA,town\n")
    text = edit(base_yaml)
    scenario = yaml_scenario(yaml=text)
    err = load_fails(scenario)
    rows = (None,) if key is None else (None, yaml_line(text, key))
    assert_where(err, scenario, rows, field)


def test_yaml_format_impossible_start_date(yaml_scenario, load_fails, base_yaml):
    text = replace("start: 2020-01-01", "start: 2020-02-30")(base_yaml)
    scenario = yaml_scenario(yaml=text)
    err = load_fails(scenario)
    assert_where(err, scenario, (None, yaml_line(text, "start")), "start")


@pytest.mark.parametrize(
    ("bad_line", "row"),
    [
        pytest.param("days: 10: 5", 3, id="mapping-in-value"),
        pytest.param("\tdays: 10", 3, id="tab-indent"),
        pytest.param("  days: 10", 3, id="bad-indent"),
        pytest.param("days: *nope", 3, id="undefined-alias"),
    ],
)
def test_yaml_format_invalid_yaml_syntax(yaml_scenario, load_fails, base_yaml, bad_line, row):
    text = replace("days: 10", bad_line)(base_yaml)
    assert text.splitlines()[row - 1] == bad_line
    scenario = yaml_scenario(yaml=text)
    err = load_fails(scenario)
    assert_where(err, scenario, row, None)
    assert "YAML" in err.message


def test_yaml_format_yaml_not_a_mapping(yaml_scenario, load_fails):
    scenario = yaml_scenario(yaml="- just\n- a list\n")
    err = load_fails(scenario)
    assert_where(err, scenario, None, None)


def test_yaml_format_non_utf8_yaml(yaml_scenario, load_fails, base_yaml):
    text = base_yaml.encode().replace(b"name: tiny", b"name: ti\xffny")
    scenario = yaml_scenario(yaml=text)
    err = load_fails(scenario)
    assert_where(err, scenario, 1, None)


def test_yaml_format_table_path_to_missing_file(yaml_scenario, load_fails, base_yaml):
    scenario = yaml_scenario(yaml=replace("routes: routes.csv", "routes: nothere.csv")(base_yaml))
    err = load_fails(scenario)
    assert_where(err, scenario.parent / "nothere.csv", None, (None, "tables.routes"))


def test_yaml_format_table_path_is_a_directory(yaml_scenario, load_fails, base_yaml):
    scenario = yaml_scenario(yaml=replace("locations: locations.csv", "locations: places")(base_yaml))
    (scenario.parent / "places").mkdir()
    err = load_fails(scenario)
    assert_where(err, scenario.parent / "places", None, (None, "tables.locations"))


def test_yaml_format_scenario_yml_is_a_directory(tmp_path, load_fails):
    folder = tmp_path / "odd"
    (folder / "scenario.yml").mkdir(parents=True)
    err = load_fails(folder)
    assert_where(err, folder / "scenario.yml", None, None)


@pytest.mark.skipif(IS_ROOT, reason="root reads files whatever their mode")
def test_yaml_format_unreadable_table(yaml_scenario, load_fails):
    scenario = yaml_scenario()
    routes = scenario.parent / "routes.csv"
    routes.chmod(0)
    try:
        err = load_fails(scenario)
    finally:
        routes.chmod(0o644)
    assert_where(err, routes, None, None)


def test_missing_scenario_path(tmp_path, load_fails):
    missing = tmp_path / "no-such-scenario.yml"
    err = load_fails(missing)
    assert_where(err, missing, None, None)


def test_yaml_format_unknown_column_in_header_only_table(yaml_scenario, load_fails):
    scenario = yaml_scenario(closures="kind,name1,name2,start,end,colour\n")
    err = load_fails(scenario)
    assert_where(err, scenario.parent / "closures.csv", 1, "colour")


# --------------------------------------------------------------------------- Flee folders

FLEE = "burundi2015"


def _append(rel: str, line: str | bytes):
    def mutate(folder: Path):
        return folder / rel, append_line(folder / rel, line)

    return mutate


def _write(rel: str, content: str, row):
    def mutate(folder: Path):
        (folder / rel).write_text(content)
        return folder / rel, row

    return mutate


def _replace_line(rel: str, number: int, line: bytes):
    def mutate(folder: Path):
        path = folder / rel
        lines = path.read_bytes().split(b"\n")
        lines[number - 1] = line
        path.write_bytes(b"\n".join(lines))
        return path, number

    return mutate


def _remove(rel: str):
    def mutate(folder: Path):
        (folder / rel).unlink()
        return folder / rel, None

    return mutate


def _make_dir(rel: str):
    def mutate(folder: Path):
        (folder / rel).unlink()
        (folder / rel).mkdir()
        return folder / rel, None

    return mutate


# id, mutation returning (file, row), field: the column name Flee's files use
FLEE_CASES = [
    ("route-unknown-place", _append("input_csv/routes.csv", "Bujumbura,Nowhere,10,"), "name2"),
    ("route-unknown-first-place", _append("input_csv/routes.csv", "Nowhere,Bujumbura,10,"), "name1"),
    ("route-to-itself", _append("input_csv/routes.csv", "Bujumbura,Bujumbura,10,"), ("name2", "name1")),
    ("duplicate-location", _append("input_csv/locations.csv", "Bujumbura,Bujumbura,Burundi,-3.3,29.3,town,,100"),
     "name"),
    ("negative-distance", _append("input_csv/routes.csv", "Bujumbura,Gitega,-5,"), "distance"),
    ("non-numeric-distance", _append("input_csv/routes.csv", "Bujumbura,Gitega,far,"), "distance"),
    ("zero-distance", _append("input_csv/routes.csv", "Bujumbura,Gitega,0,"), "distance"),
    ("latitude-out-of-range", _append("input_csv/locations.csv", "Foo,Bar,Burundi,-95,29.3,town,,100"), "latitude"),
    ("unknown-location-type", _append("input_csv/locations.csv", "Foo,Bar,Burundi,-3,29.3,village,,100"), "location_type"),
    ("longitude-out-of-range", _append("input_csv/locations.csv", "Foo,Bar,Burundi,-3,190,town,,100"), "longitude"),
    ("closure-unknown-kind", _append("input_csv/closures.csv", "wall,Bujumbura,,3,10"), "closure_type"),
    ("population-not-a-number", _append("input_csv/locations.csv", "Foo,Bar,Burundi,-3,29.3,town,,many"),
     "population"),
    ("bad-start-date", _write("input_csv/sim_period.csv", "StartDate,2015-02-30\nLength,396\n", 1), "StartDate"),
    ("unparseable-start-date", _write("input_csv/sim_period.csv", "Length,396\nStartDate,1st May\n", 2),
     "StartDate"),
    ("length-0", _write("input_csv/sim_period.csv", "StartDate,2015-05-01\nLength,0\n", 2), "Length"),
    ("length-negative", _write("input_csv/sim_period.csv", "StartDate,2015-05-01\nLength,-3\n", 2), "Length"),
    ("length-not-a-number", _write("input_csv/sim_period.csv", "StartDate,2015-05-01\nLength,long\n", 2), "Length"),
    ("bad-date-in-camp-counts", _append("source_data/tan-nduta.csv", "2016-13-01,5"), "date"),
    ("bad-date-in-totals", _append("source_data/refugees.csv", "2016-02-30,5"), "date"),
    ("bad-count-in-camp-counts", _append("source_data/tan-nduta.csv", "2016-12-01,lots"), "count"),
    ("closure-unknown-location", _append("input_csv/closures.csv", "location,Nowhere,,3,10"), "name1"),
    ("closure-unknown-country", _append("input_csv/closures.csv", "country,Burundi,Atlantis,3,10"), "name2"),
    ("closure-link-unknown-end", _append("input_csv/closures.csv", "link,Bujumbura,Nowhere,3,10"), "name2"),
    ("closure-camp-unknown", _append("input_csv/closures.csv", "camp,Nowhere,,3,10"), "name1"),
    ("closure-bad-day", _append("input_csv/closures.csv", "location,Bujumbura,,soon,10"), "closure_start"),
    ("non-utf8-in-routes", _replace_line("input_csv/routes.csv", 10, b"Gitega,Kar\xfczi,54,"), None),
    ("non-utf8-in-locations", _replace_line("input_csv/locations.csv", 5, b"Cibitoke,Cibitoke,Burundi,-2.89,29.12,"
                                            b"conflict_zone,76,4604\x80"), None),
    ("locations-missing", _remove("input_csv/locations.csv"), None),
    ("routes-missing", _remove("input_csv/routes.csv"), None),
    ("routes-is-a-directory", _make_dir("input_csv/routes.csv"), None),
    ("closures-is-a-directory", _make_dir("input_csv/closures.csv"), None),
    ("sim-period-is-a-directory", _make_dir("input_csv/sim_period.csv"), None),
    ("camp-count-file-missing", _remove("source_data/tan-nduta.csv"), None),
]


@pytest.mark.parametrize(("mutate", "field"), [pytest.param(m, f, id=i) for i, m, f in FLEE_CASES])
def test_flee_format_bad_folder(flee_folder, load_fails, mutate, field):
    folder = flee_folder(FLEE)
    file, row = mutate(folder)
    err = load_fails(folder)
    assert_where(err, file, row, field)


def test_flee_format_no_period_file(flee_folder, load_fails):
    folder = flee_folder(FLEE)
    (folder / "input_csv" / "sim_period.csv").unlink()
    err = load_fails(folder)
    # No file to point into: the error names the folder where it should be.
    assert same_file(err.file, folder / "input_csv") or same_file(err.file, folder / "input_csv" / "sim_period.csv")
    assert err.row is None
    assert err.field is None


def test_flee_format_data_layout_names_unknown_location(flee_folder):
    # Flee 3.1 reads counts for a name that is no location and never uses them: a warning.
    folder = flee_folder(FLEE)
    layout = folder / "source_data" / "data_layout.csv"
    row = append_line(layout, "Nowhere,tan-nduta.csv")
    with pytest.warns(ScenarioWarning, match=f"row {row}: counts for 'Nowhere' ignored"):
        load_scenario(folder)


def test_flee_format_count_file_escapes_source_data(flee_folder, load_fails):
    folder = flee_folder(FLEE)
    layout = folder / "source_data" / "data_layout.csv"
    row = append_line(layout, "Mahama,../input_csv/routes.csv")
    err = load_fails(folder)
    assert_where(err, layout, row, (None, "file"))


def test_flee_format_bad_simsetting(flee_folder, load_fails):
    folder = flee_folder(FLEE)
    (folder / "simsetting.yml").write_text("move_rules:\n  awareness_level: 99\n")
    err = load_fails(folder)
    assert_where(err, folder / "simsetting.yml", (None, 2), ("awareness_level", "move_rules.awareness_level"))


def test_flee_format_invalid_simsetting_yaml(flee_folder, load_fails):
    folder = flee_folder(FLEE)
    (folder / "simsetting.yml").write_text("move_rules:\n  awareness_level: 1: 2\n")
    err = load_fails(folder)
    assert_where(err, folder / "simsetting.yml", 2, None)


@pytest.mark.skipif(IS_ROOT, reason="root reads files whatever their mode")
def test_flee_format_unreadable_file(flee_folder, load_fails):
    folder = flee_folder(FLEE)
    locations = folder / "input_csv" / "locations.csv"
    locations.chmod(0)
    try:
        err = load_fails(folder)
    finally:
        locations.chmod(0o644)
    assert_where(err, locations, None, None)


# --------------------------------------------------------------------------- the CLI


@pytest.fixture
def cli():
    if importlib.util.find_spec("caravana.cli") is None:
        pytest.skip("caravana.cli does not exist yet")
    from typer.testing import CliRunner

    from caravana.cli import app

    def invoke(*args):
        # 80 columns, as rich assumes when output is not a terminal (a pipe, a log file).
        return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "80"})

    return invoke


def _cli_yaml_unknown_place(yaml_scenario, flee_folder):
    scenario = yaml_scenario(routes="from,to,km\nA,B,100\nB,C,150\nC,Nowhere,20\n")
    return scenario, "routes.csv", 4, "to"


def _cli_yaml_non_utf8(yaml_scenario, flee_folder):
    scenario = yaml_scenario(locations=(LOC_HEAD + LOC_A + "B,town,X,1,1,5,\n" + LOC_C).encode() + b"\xffD,town,X,1,1,5,\n")
    return scenario, "locations.csv", 5, None


def _cli_flee_zero_distance(yaml_scenario, flee_folder):
    folder = flee_folder(FLEE)
    row = append_line(folder / "input_csv" / "routes.csv", "Bujumbura,Gitega,0,")
    return folder, "routes.csv", row, "distance"


def _cli_flee_length_0(yaml_scenario, flee_folder):
    folder = flee_folder(FLEE)
    (folder / "input_csv" / "sim_period.csv").write_text("StartDate,2015-05-01\nLength,0\n")
    return folder, "sim_period.csv", 2, "Length"


CLI_CASES = [
    pytest.param(_cli_yaml_unknown_place, id="yaml-unknown-place"),
    pytest.param(_cli_yaml_non_utf8, id="yaml-non-utf8"),
    pytest.param(_cli_flee_zero_distance, id="flee-zero-distance"),
    pytest.param(_cli_flee_length_0, id="flee-length-0"),
]


def _check_cli_error(result, file_name: str, row: int | None, field: str | None) -> None:
    output = result.output
    assert result.exit_code == 2, f"exit code {result.exit_code}, output:\n{output}"
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in output
    error_lines = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1, f"expected one error: line, got:\n{output}"
    line = error_lines[0]
    assert file_name in line, line
    if field is not None:
        assert field in line, line
    if row is not None:
        # The row number, standing alone (not part of the path or another number).
        without_path = line.split(file_name, 1)[1]
        assert re.search(rf"(?<![\w.\-/]){row}(?![\w.\-/])", without_path), line


@pytest.mark.parametrize("make_case", CLI_CASES)
def test_cli_bad_scenario_does_not_create_out(cli, yaml_scenario, flee_folder, tree_snapshot, tmp_path, make_case):
    source, file_name, row, field = make_case(yaml_scenario, flee_folder)
    out = tmp_path / "results" / "out"
    before = tree_snapshot(tmp_path)
    result = cli("run", source, "--out", out)
    _check_cli_error(result, file_name, row, field)
    assert not out.exists()
    assert not out.parent.exists()
    assert tree_snapshot(tmp_path) == before


@pytest.mark.parametrize("make_case", CLI_CASES)
def test_cli_bad_scenario_leaves_existing_out_alone(cli, yaml_scenario, flee_folder, tree_snapshot, tmp_path, make_case):
    source, file_name, row, field = make_case(yaml_scenario, flee_folder)
    out = tmp_path / "out"
    out.mkdir()
    (out / "sentinel.txt").write_text("keep me\n")
    before = tree_snapshot(tmp_path)
    result = cli("run", source, "--out", out)
    _check_cli_error(result, file_name, row, field)
    assert sorted(p.name for p in out.iterdir()) == ["sentinel.txt"]
    assert (out / "sentinel.txt").read_text() == "keep me\n"
    assert tree_snapshot(tmp_path) == before


def test_cli_missing_scenario(cli, tmp_path):
    out = tmp_path / "out"
    result = cli("run", tmp_path / "nothing-here.yml", "--out", out)
    _check_cli_error(result, "nothing-here.yml", None, None)
    assert not out.exists()


def test_cli_error_is_one_line_when_long(cli, yaml_scenario, tmp_path):
    """A message far wider than the console is still one line (no wrapping of file/row/field)."""
    scenario = yaml_scenario(routes="from,to,km\nA,B,100\nB,C,150\nC,Nowhere,20\n")
    deep = tmp_path / ("a-rather-long-folder-name-" * 8)
    scenario.parent.rename(deep)
    result = cli("run", deep / "scenario.yml", "--out", tmp_path / "out")
    _check_cli_error(result, "routes.csv", 4, "to")
    assert str(deep / "routes.csv") in result.output


def test_cli_good_scenario_writes_out(cli, yaml_scenario, tmp_path):
    """The contrast case: the same command on a valid scenario succeeds and writes results."""
    out = tmp_path / "out"
    result = cli("run", yaml_scenario(), "--out", out)
    assert result.exit_code == 0, result.output
    assert "error:" not in result.output
    assert out.is_dir() and any(out.iterdir())
