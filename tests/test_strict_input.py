"""Each finding of issue 15's input probes, as a test: the input is refused with one
``error:`` line naming file, row and field, exit code 2, nothing written, no traceback.

The cases mutate copies of the built-in corridor and mali2012 scenarios and run
``caravana run`` in-process.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from caravana.cli import app
from caravana.scenario.load import BUILTIN_DIR

from .conftest import snapshot


@pytest.fixture
def copy(tmp_path):
    def make(name: str) -> Path:
        target = tmp_path / "scenarios" / name
        shutil.copytree(BUILTIN_DIR / name, target)
        return target

    return make


def run_fails(tmp_path, source: Path, *args: str, file: str | None, row: int | None = None,
              field: str | None = None, says: str = "") -> str:
    """Run expecting a clean error; return its line."""
    before = snapshot(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(source), "--days", "2", *args, "--out", str(out)])
    assert isinstance(result.exception, SystemExit), f"{result.exception!r}\n{result.output}"
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if not line.startswith("warning: ")]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    line = lines[0]
    assert len(line) < 500, line[:200]
    if file is not None:
        assert f"file {tmp_path}" in line and file in line, line
    if row is not None:
        assert re.search(rf"\brow {row}\b", line), line
    if field is not None:
        assert f"field '{field}'" in line, line
    assert says in line, line
    assert not out.exists()
    assert snapshot(tmp_path) == before
    return line


def edit_line(path: Path, number: int, change) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[number - 1] = change(lines[number - 1])
    path.write_text("".join(lines), encoding="utf-8")


def edit_yaml(path: Path, change) -> None:
    tree = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(tree)
    path.write_text(yaml.safe_dump(tree, sort_keys=False), encoding="utf-8")


# ------------------------------------------------------------------ broken tables


def test_a_stray_quote_in_a_flee_count_file_is_refused(copy, tmp_path):
    """It used to swallow every later row (Bobo-Dioulasso: 13 observations read as 6)."""
    mali = copy("mali2012")
    edit_line(mali / "source_data" / "bf-bobo.csv", 3, lambda line: line.replace(",", ',"'))
    run_fails(tmp_path, mali, file="bf-bobo.csv", row=3, says="quote")


def test_a_quote_never_closed_at_the_end_of_a_table_is_refused(copy, tmp_path):
    corridor = copy("corridor")
    path = corridor / "routes.csv"
    rows = path.read_text(encoding="utf-8").count("\n")
    path.write_text(path.read_text(encoding="utf-8") + 'Tijuana,Mexicali,"180,road\n', encoding="utf-8")
    run_fails(tmp_path, corridor, file="routes.csv", row=rows + 1, says="never closed")


def test_a_short_row_does_not_shift_its_values_left(copy, tmp_path):
    """Mexico City's shelter capacity (6,000) became a resident population of 6,000; here its
    empty population cell goes missing, which would shift its quality into the offices column."""
    corridor = copy("corridor")
    path = corridor / "locations.csv"
    number = next(i for i, line in enumerate(path.read_text().splitlines(), 1) if line.startswith("Mexico City,"))
    edit_line(path, number, lambda line: line.replace(",shelter,,,,approx", ",shelter,,,approx"))
    run_fails(tmp_path, corridor, file="locations.csv", row=number, says="cells but the header has")


def test_a_short_row_of_a_flee_table_is_refused(copy, tmp_path):
    mali = copy("mali2012")
    edit_line(mali / "input_csv" / "locations.csv", 5, lambda line: line.split(",", 1)[1])
    run_fails(tmp_path, mali, file="locations.csv", row=5, says="cells but the header")


def test_a_long_row_of_the_conflict_matrix_is_refused(copy, tmp_path):
    mali = copy("mali2012")
    edit_line(mali / "input_csv" / "conflicts.csv", 3, lambda line: line.rstrip("\n") + ", 1\n")
    run_fails(tmp_path, mali, file="conflicts.csv", row=3, says="cells but the header")


def test_a_nul_byte_in_data_layout_is_refused(copy, tmp_path):
    mali = copy("mali2012")
    path = mali / "source_data" / "data_layout.csv"
    path.write_bytes(path.read_bytes().replace(b"Mentao", b"Men\x00tao"))
    run_fails(tmp_path, mali, file="data_layout.csv", row=3, says="NUL")


def test_a_data_layout_row_without_a_file_is_refused(copy, tmp_path):
    """It used to be skipped silently, dropping that place's observations."""
    mali = copy("mali2012")
    edit_line(mali / "source_data" / "data_layout.csv", 3, lambda line: "Mentao\n")
    run_fails(tmp_path, mali, file="data_layout.csv", row=3)


@pytest.mark.parametrize("value", ["inf", "1e400", "nan", "-inf"])
def test_non_finite_numbers_in_the_conflict_matrix_are_refused(copy, tmp_path, value):
    mali = copy("mali2012")
    edit_line(mali / "input_csv" / "conflicts.csv", 4, lambda line: line.replace(" 1,", f" {value},", 1))
    run_fails(tmp_path, mali, file="conflicts.csv", row=4, field="Kidal", says="finite")


def test_a_word_in_the_conflict_matrix_is_refused_at_its_row_and_place(copy, tmp_path):
    mali = copy("mali2012")
    edit_line(mali / "input_csv" / "conflicts.csv", 5, lambda line: line.replace(" 1,", " one,", 1))
    run_fails(tmp_path, mali, file="conflicts.csv", row=5, field="Kidal", says="not a number")


def test_a_place_with_two_columns_in_the_conflict_matrix_is_refused(copy, tmp_path):
    """Which of the two would Flee read? Neither reading is safe to assume."""
    mali = copy("mali2012")
    edit_line(mali / "input_csv" / "conflicts.csv", 1, lambda line: line.replace(" Menaka,", " Kidal,", 1))
    run_fails(tmp_path, mali, file="conflicts.csv", row=1, field="Kidal", says="two columns")


@pytest.mark.parametrize("value", ["inf", "1e400", "nan"])
def test_non_finite_numbers_in_count_files_are_refused(copy, tmp_path, value):
    mali = copy("mali2012")
    edit_line(mali / "source_data" / "refugees.csv", 2, lambda line: line.split(",")[0] + f",{value}\n")
    run_fails(tmp_path, mali, file="refugees.csv", row=2, field="count", says="finite")


# ------------------------------------------------------------------ values out of their meaning


@pytest.mark.parametrize(
    ("section", "value", "field", "says"),
    [
        ("shelters", {"Tapachula": -100}, "corridor.aid.shelters.Tapachula", "greater than or equal to 0"),
        ("standards", {"toilet_ratio_initial": 0}, "corridor.aid.standards.toilet_ratio_initial", "greater than 0"),
        ("standards", {"water_total_min": -15}, "corridor.aid.standards.water_total_min", "greater than 0"),
        ("standards", {"water_l": 20}, "corridor.aid.standards", "unknown standard 'water_l'"),
        ("standards", {"water_total_min": float("inf")}, "corridor.aid.standards.water_total_min", "finite"),
    ],
)
def test_aid_values_out_of_their_meaning_are_refused(copy, tmp_path, section, value, field, says):
    corridor = copy("corridor")
    edit_yaml(corridor / "scenario.yml", lambda t: t["corridor"].setdefault("aid", {}).update({section: value}))
    run_fails(tmp_path, corridor, file="scenario.yml", field=field, says=says)


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("max_move_speed", float("inf"), "finite"),
        ("max_move_speed", float("nan"), "finite"),
        ("max_move_speed", True, "not true/false"),
        ("awareness_level", True, "not true/false"),
        ("softening", "1e400", "finite"),
    ],
)
def test_flee_move_rules_must_be_finite_numbers(copy, tmp_path, key, value, says):
    mali = copy("mali2012")
    edit_yaml(mali / "simsetting.yml", lambda t: t["move_rules"].update({key: value}))
    run_fails(tmp_path, mali, file="simsetting.yml", field=key, says=says)


def test_a_negative_spawn_decay_multiplier_is_refused(copy, tmp_path):
    mali = copy("mali2012")
    edit_yaml(mali / "simsetting.yml", lambda t: t["spawn_rules"].update(conflict_spawn_decay=[1.0, -1e9]))
    run_fails(tmp_path, mali, file="simsetting.yml", field="conflict_spawn_decay.1", says="greater than or equal to 0")


def test_true_is_not_a_caravan_size(copy, tmp_path):
    corridor = copy("corridor")
    edit_yaml(corridor / "scenario.yml", lambda t: t["corridor"]["caravans"][0].update(initial_size=True))
    run_fails(tmp_path, corridor, file="scenario.yml", field="corridor.caravans.0.initial_size", says="true/false")


# ------------------------------------------------------------------ causes of tracebacks


@pytest.mark.parametrize("section", ["5", "[1, 2]", "!!set {a, b}", "abc"])
def test_a_simsetting_section_of_the_wrong_type_is_refused(copy, tmp_path, section):
    mali = copy("mali2012")
    path = mali / "simsetting.yml"
    text = path.read_text()
    path.write_text(text[: text.index("move_rules:")] + f"move_rules: {section}\n")
    run_fails(tmp_path, mali, file="simsetting.yml", field="move_rules", says="mapping")


@pytest.mark.parametrize("hasten", ["abc", "0", "-2", "1.5", "true"])
def test_a_bad_hasten_is_refused(copy, tmp_path, hasten):
    mali = copy("mali2012")
    path = mali / "simsetting.yml"
    path.write_text(path.read_text().replace("hasten: 1", f"hasten: {hasten}"))
    run_fails(tmp_path, mali, file="simsetting.yml", field="optimisations.hasten")


def test_yaml_nested_a_thousand_deep_is_refused(copy, tmp_path):
    corridor = copy("corridor")
    path = corridor / "scenario.yml"
    path.write_text(path.read_text() + "extra: " + "[" * 1000 + "]" * 1000 + "\n")
    run_fails(tmp_path, corridor, file="scenario.yml", says="nested deeper than")


def test_a_key_given_twice_is_refused(copy, tmp_path):
    """YAML would keep the second value silently."""
    corridor = copy("corridor")
    path = corridor / "scenario.yml"
    lines = path.read_text().splitlines()
    path.write_text(path.read_text().replace("days: 60\n", "days: 60\ndays: 30\n"))
    run_fails(tmp_path, corridor, file="scenario.yml", row=lines.index("days: 60") + 2, says="appears twice")


def test_an_alias_bomb_gives_a_short_error_quickly(copy, tmp_path):
    """Seven levels of ten aliases each: 10^8 values, once used to build a 58 MB message."""
    corridor = copy("corridor")
    levels = ["&a [1,1,1,1,1,1,1,1,1,1]"] + [
        f"&{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 10)}]" for i in range(7)
    ]
    path = corridor / "scenario.yml"
    path.write_text(path.read_text().replace("description: October", f"description: [{', '.join(levels)}]\n#"))
    started = time.process_time()
    line = run_fails(tmp_path, corridor, file="scenario.yml", says="alias")
    assert len(line.encode()) < 1024
    assert time.process_time() - started < 10  # it used to build a 58 MB message


def test_a_flee_period_past_the_day_limit_is_refused(copy, tmp_path):
    mali = copy("mali2012")
    (mali / "input_csv" / "sim_period.csv").write_text("StartDate,2012-02-29\nLength,100001\n")
    run_fails(tmp_path, mali, file="sim_period.csv", row=2, field="Length", says="32,767")


def test_a_huge_caravan_is_refused_before_allocation(copy, tmp_path):
    """initial_size 1e12 used to try to allocate 3.6 TiB."""
    corridor = copy("corridor")
    edit_yaml(corridor / "scenario.yml", lambda t: t["corridor"]["caravans"][0].update(initial_size=10**12))
    line = run_fails(tmp_path, corridor, file=None, field="people", says="limit of 20,000,000")
    assert "TB of memory" in line


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--seed", "-1"], "seed"),
        (["--seed", str(2**64)], "seed"),
        (["--set", "x=2018-02-30"], "'x'"),
        (["--set", "corridor.caravans[0].start_day=2018-02-30"], "start_day"),
        (["--days", "32768"], "32,767"),
        (["--days", "abc"], "--days"),
    ],
)
def test_bad_options_give_one_clean_error(copy, tmp_path, args, says):
    run_fails(tmp_path, copy("corridor"), *args, file=None, says=says)


def test_corridor_cross_reference_errors_name_the_yaml_file(copy, tmp_path):
    corridor = copy("corridor")
    edit_yaml(corridor / "scenario.yml", lambda t: t["corridor"]["caravans"][0].update(origin="Atlantis"))
    run_fails(tmp_path, corridor, file="scenario.yml", field="corridor.caravans[0].origin", says="Atlantis")
