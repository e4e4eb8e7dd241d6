"""The README's "Speed and accuracy" section: its session-by-session record moved whole to docs/history/speed.md,
and every results file it names exists.

Session 23 moved the section's paragraphs, verbatim, to docs/history/speed.md and rewrote the section as the newest
figure of each benchmark. ``tests/data/docs_history/speed_manifest.tsv`` lists each paragraph of the old section
(key as tools/docs_history.py computes it: the words, whitespace collapsed).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import docs_history as tool  # noqa: E402

MANIFEST = ROOT / "tests" / "data" / "docs_history" / "speed_manifest.tsv"
HISTORY = ROOT / "docs" / "history" / "speed.md"
RESULTS = ROOT / "benchmarks" / "results"
# A results file's name as the docs write it: <benchmark>-<date>-<what>.txt, with or without its folder.
RESULTS_NAME = re.compile(r"[A-Za-z0-9_]+-2026-\d\d-\d\d(?:-[A-Za-z0-9_.-]+?)?\.txt")


def manifest_keys() -> list[tuple[str, str]]:
    rows = []
    for line in MANIFEST.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            digest, where, _words = line.split("\t", 2)
            rows.append((digest, where))
    return rows


def speed_section(readme: str) -> str:
    start = readme.index("\n## Speed and accuracy\n")
    end = readme.index("\n## ", start + 1)
    return readme[start:end]


def test_every_old_paragraph_is_in_the_history_word_for_word():
    rows = manifest_keys()
    assert len(rows) == 17  # the whole old section, its table one block
    found = {tool.key(p) for _, p in tool.paragraphs(HISTORY.read_text(encoding="utf-8"))}
    lost = [where for digest, where in rows if digest not in found]
    assert not lost, f"not in {HISTORY.name} word for word: {lost}"


def test_the_readme_links_the_history_and_no_longer_holds_the_record():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = speed_section(readme)
    assert "(docs/history/speed.md)" in section
    assert "[speed](docs/history/speed.md)" in readme  # the line on docs/history/
    in_readme = {tool.key(p) for _, p in tool.paragraphs(readme)}
    assert not [where for digest, where in manifest_keys() if digest in in_readme]


def test_every_results_file_the_section_names_exists():
    section = speed_section((ROOT / "README.md").read_text(encoding="utf-8"))
    names = set(RESULTS_NAME.findall(section))
    assert len(names) >= 10  # a file cited for each benchmark
    missing = sorted(n for n in names if not (RESULTS / n).is_file())
    assert not missing, f"named in the README but not in benchmarks/results/: {missing}"


def test_the_pattern_finds_a_name_and_a_missing_one_fails():
    text = ("(`flee_parity-2026-11-28-session22-lead-head.txt`; `flee_suite-2026-11-26.txt`, "
            "`benchmarks/results/nothing-2026-01-01-none.txt`)")
    names = RESULTS_NAME.findall(text)
    assert names == ["flee_parity-2026-11-28-session22-lead-head.txt", "flee_suite-2026-11-26.txt",
                     "nothing-2026-01-01-none.txt"]
    assert [n for n in names if not (RESULTS / n).is_file()] == ["nothing-2026-01-01-none.txt"]
