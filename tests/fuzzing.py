"""A seeded mutator of scenario folders, and the check that a mutated input either runs
or stops with one clean error line (exit 2, nothing written, no traceback).

Each case copies a base scenario (the built-in corridor, a YAML scenario, or the
built-in mali2012 Flee folder), applies one or two random mutations of its files or
of the command line, and runs ``caravana run`` in-process (typer's CliRunner), so a
few hundred cases take seconds. Everything is drawn from ``random.Random(seed)``:
a failing case is replayed by its seed.
"""

from __future__ import annotations

import csv
import io
import itertools
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from caravana.scenario.load import BUILTIN_DIR

BASES = ("corridor", "mali2012")
MAX_ERROR_CHARS = 400  # "a few hundred characters", path included

# Cell values that are wrong in some column and right in others.
CELLS = [
    "", "0", "-1", "-100", "1", "0.5", "-1e9", "1e12", "inf", "-inf", "nan", "NaN", "1e400",
    "true", "false", "abc", "  ", "2018-02-30", "2012-13-01", "2018-10-20", "9" * 30,
    "town", "camp", "conflict_zone", "Mexico City", "Nowhere", "x" * 300, "\"", "é", "1,5",
]
# YAML values put in place of a setting.
VALUES: list = [
    0, -1, -100, 1, 2, 0.5, -1e9, 1e12, 10**12, 300_000_000, float("inf"), float("-inf"), float("nan"),
    True, False, None, "abc", "", "2018-02-30", "2018-10-20", [], {}, [1, 2], [-1e9, 1.0], {"x": 1},
    {"water_total_min": 0}, {"toilet_ratio_initial": 0}, {"nonsense": 1}, [{"a": 1}], "x" * 500,
]
# Whole-file replacements of YAML text.
YAML_TEXTS = [
    "a: &a [1,1,1,1,1,1,1,1,1,1]\n"
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(7)),
    "x: " + "[" * 1000 + "]" * 1000 + "\n",
    "x: " + "{a: " * 300 + "1" + "}" * 300 + "\n",
    "!!set {a, b}\n",
    "- 1\n- 2\n",
    "just a string\n",
    "",
    "a: !!python/object/apply:os.system ['true']\n",
    "a: 1\na: 2\n",
    "\x00",
]
DAYS = ["0", "-1", "1", "2", "32768", "100001", "1000000000", "abc", "1e3"]
SEEDS = ["-1", "0", "7", str(2**64), "abc", str(2**32)]
SETS = [
    "x=2018-02-30", "settings.movement.max_move_speed=-1", "settings.movement.max_move_speed=inf",
    "settings.movement.max_move_speed=true", "settings.movement.awareness_level=2.5", "=1", "novalue",
    "corridor.caravans[0].initial_size=1e12", "corridor.caravans[0].initial_size=300000000",
    "corridor.aid.standards[toilet_ratio_initial]=0", "corridor.aid.standards[nonsense]=3",
    "corridor.aid.shelters[Tapachula]=-100", "settings.spawning.conflict_spawn_decay=[-1e9]",
    "settings.movement.max_move_speed=[1, 2]", "corridor.caravans[99].initial_size=5", "period.days=100001",
    "corridor.caravans[0].start_day=2018-10-20", "seed=-3",
]


@dataclass
class Case:
    seed: int
    base: str
    folder: Path
    args: list[str] = field(default_factory=list)
    mutations: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"case {self.seed} ({self.base}): " + "; ".join(self.mutations)


# Files of the base folders that `caravana run` does not read: mutating them tests nothing.
UNREAD = {"2021.yml", "2022.yml", "2023.yml", "policies_2018.yml", "observations_2018.csv", "observations_2023.csv",
          "timeline_2018.csv",
          "provenance_2018.csv", "caravans_other.csv", "outflows_other.csv", "policies_other.yml",
          "needs_standards.csv", "religion.csv", "tribes.csv"}


def _text_files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in suffixes and p.name not in UNREAD)


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def _mutate_csv_cell(folder: Path, rng: random.Random) -> str:
    path = rng.choice(_text_files(folder, (".csv",)))
    lines = _lines(path)
    if not lines:
        return f"{path.name}: empty, left alone"
    i = rng.randrange(len(lines))
    try:
        cells = next(csv.reader([lines[i].decode("utf-8-sig")]))
    except (StopIteration, csv.Error, UnicodeDecodeError):
        return f"{path.name}: line {i + 1} not a plain row, left alone"
    how = rng.choice(("replace", "replace", "replace", "drop", "add"))
    j = rng.randrange(len(cells)) if cells else 0
    if how == "replace" and cells:
        cells[j] = rng.choice(CELLS)
    elif how == "drop" and cells:
        del cells[j]
    else:
        cells.insert(j, rng.choice(CELLS))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    if rng.random() < 0.3:  # written raw: a quote or comma in a cell is not escaped
        buffer = io.StringIO(",".join(cells) + "\n")
    lines[i] = buffer.getvalue().encode("utf-8")
    path.write_bytes(b"".join(lines))
    return f"{path.name} line {i + 1}: {how} cell {j}"


def _mutate_bytes(folder: Path, rng: random.Random) -> str:
    path = rng.choice(_text_files(folder, (".csv", ".yml")))
    data = path.read_bytes()
    pos = rng.randrange(len(data) + 1)
    how = rng.choice(("quote", "nul", "latin1", "delete", "truncate", "dup-line", "drop-line", "swap-lines"))
    lines = _lines(path)
    if how == "quote":
        data = data[:pos] + b'"' + data[pos:]
    elif how == "nul":
        data = data[:pos] + b"\x00" + data[pos:]
    elif how == "latin1":
        data = data[:pos] + b"\xf1" + data[pos:]
    elif how == "delete":
        data = data[:pos] + data[pos + 1 :]
    elif how == "truncate":
        data = data[:pos]
    elif lines:
        i = rng.randrange(len(lines))
        if how == "dup-line":
            lines.insert(i, lines[i])
        elif how == "drop-line":
            del lines[i]
        else:
            k = rng.randrange(len(lines))
            lines[i], lines[k] = lines[k], lines[i]
        data = b"".join(lines)
    path.write_bytes(data)
    return f"{path.name}: {how} at {pos}"


def _paths(node, prefix=()):
    """Every path to a value in a YAML tree (mapping keys and list positions)."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


def _load(path: Path):
    """The YAML file's tree, or None when an earlier mutation broke it."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError):
        return None


def _mutate_yaml_value(folder: Path, rng: random.Random) -> str:
    path = rng.choice(_text_files(folder, (".yml",)))
    tree = _load(path)
    try:  # the first paths only: an earlier mutation may have made an alias bomb
        paths = [p for p in itertools.islice(_paths(tree), 5000) if p]
    except RecursionError:
        paths = []
    if not isinstance(tree, dict) or not paths:
        return f"{path.name}: not a mapping, left alone"
    where = rng.choice(paths)
    parent = tree
    for key in where[:-1]:
        parent = parent[key]
    how = rng.choice(("set", "set", "set", "delete", "add-key"))
    if how == "delete":
        del parent[where[-1]]
    elif how == "add-key" and isinstance(parent, dict):
        parent[rng.choice(("nonsense", "hasten", "standards", "days"))] = rng.choice(VALUES)
    else:
        how = "set"
        parent[where[-1]] = rng.choice(VALUES)
    # PyYAML writes inf and nan as .inf / .nan, which is what a person would type.
    path.write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return f"{path.name}: {how} {'.'.join(map(str, where))}"


def _mutate_yaml_text(folder: Path, rng: random.Random) -> str:
    path = rng.choice(_text_files(folder, (".yml",)))
    text = rng.choice(YAML_TEXTS)
    if rng.random() < 0.5:  # under a known section rather than replacing the whole file
        key = "corridor" if path.name == "scenario.yml" else "move_rules"
        original = _load(path)
        if isinstance(original, dict):
            original.pop(key, None)
            indented = "".join("  " + line for line in text.splitlines(keepends=True))
            text = yaml.safe_dump(original, sort_keys=False) + f"{key}:\n{indented}"
    path.write_text(text, encoding="utf-8")
    return f"{path.name}: text {text[:30]!r}"


def _mutate_args(case: Case, rng: random.Random) -> str:
    option = rng.choice(("--days", "--seed", "--set"))
    value = rng.choice({"--days": DAYS, "--seed": SEEDS, "--set": SETS}[option])
    if option == "--days":
        case.args = [a for a in case.args if a != "--days" and a != "3"]
    case.args += [option, value]
    return f"{option} {value}"


FILE_MUTATIONS = (_mutate_csv_cell, _mutate_csv_cell, _mutate_bytes, _mutate_yaml_value, _mutate_yaml_value,
                  _mutate_yaml_text)


def make_case(seed: int, root: Path) -> Case:
    """Copy a base scenario under ``root`` and mutate it; the same seed gives the same case."""
    rng = random.Random(seed)
    base = rng.choice(BASES)
    folder = root / base
    shutil.copytree(BUILTIN_DIR / base, folder)
    case = Case(seed=seed, base=base, folder=folder, args=["--days", "3"])
    for _ in range(rng.choice((1, 1, 2))):
        if rng.random() < 0.15:
            case.mutations.append(_mutate_args(case, rng))
        else:
            case.mutations.append(rng.choice(FILE_MUTATIONS)(folder, rng))
    return case
