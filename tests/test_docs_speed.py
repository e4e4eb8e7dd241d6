"""The README's "Speed and accuracy" section and benchmarks/README.md: their session-by-session records moved whole
to docs/history/speed.md, and every results file they name exists.

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
    return manifest_keys_of(MANIFEST)


def manifest_keys_of(manifest: Path) -> list[tuple[str, str]]:
    rows = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
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


# benchmarks/README.md: session 24 moved its record of the Flee kernel (sessions 1-14), verbatim, to the end of
# docs/history/speed.md; it keeps what each script does, how to run it and what it prints, and quotes a figure only
# with the results file and session it comes from.
BENCHMARKS = ROOT / "benchmarks" / "README.md"
BENCHMARKS_MANIFEST = ROOT / "tests" / "data" / "docs_history" / "benchmarks_speed_manifest.tsv"
# There a results file is cited as results/<name> or by name alone, .txt or .json, a few as a glob (`*`), some
# with no date (startup-before-50cb17b.txt).
BENCHMARKS_NAME = re.compile(r"[A-Za-z0-9_]+-[A-Za-z0-9_.*-]*?\.(?:txt|json)\b")
# Each figure benchmarks/README.md quotes, with the results file it cites beside it: the figure must stand in the same
# paragraph (or table) as the file's name, and in the file.
QUOTED = {
    "flee_parity-2026-11-28-session23-lead-quiet-head.txt": [
        "148.1", "0.81", "0.98", "285x", "381x", "184x", "233x", "0.26 s", "0.52 s", "0.48 s", "190x", "247x",
        "6303559d"],
    "flee_kernel_ab-2026-11-28-session23-s23ckern-outcome.txt": ["3,098.7 M", "3,100.9 M", "0-8 %"],
    "ensemble_memory-2026-11-28-session23-lead-replay10000.txt": ["79.8"],
}


def test_every_moved_benchmarks_paragraph_is_in_the_history_word_for_word():
    rows = manifest_keys_of(BENCHMARKS_MANIFEST)
    assert len(rows) == 8  # session 1's, 6's, 7's, 8's three, 14's, the FabFlee run's
    found = {tool.key(p) for _, p in tool.paragraphs(HISTORY.read_text(encoding="utf-8"))}
    lost = [where for digest, where in rows if digest not in found]
    assert not lost, f"not in {HISTORY.name} word for word: {lost}"
    still = {tool.key(p) for _, p in tool.paragraphs(BENCHMARKS.read_text(encoding="utf-8"))}
    assert not [where for digest, where in rows if digest in still], "moved, yet still in benchmarks/README.md"


def test_benchmarks_readme_links_the_history_and_the_readme_section():
    text = BENCHMARKS.read_text(encoding="utf-8")
    assert "(../docs/history/speed.md)" in text
    assert "(../README.md#speed-and-accuracy)" in text


def test_every_results_file_benchmarks_readme_cites_exists():
    names = set(BENCHMARKS_NAME.findall(BENCHMARKS.read_text(encoding="utf-8")))
    assert len(names) >= 8
    missing = sorted(n for n in names if not list(RESULTS.glob(n)))
    assert not missing, f"named in benchmarks/README.md but not in benchmarks/results/: {missing}"


def test_every_figure_benchmarks_readme_quotes_is_in_the_file_it_cites():
    blocks = [p for _, p in tool.paragraphs(BENCHMARKS.read_text(encoding="utf-8"))]
    wrong = []
    for name, figures in QUOTED.items():
        source = (RESULTS / name).read_text(encoding="utf-8")
        citing = " ".join(p for p in blocks if name in p)
        wrong += [(name, f, "README") for f in figures if f not in citing]
        wrong += [(name, f, "file") for f in figures if f not in source]
    assert not wrong, f"(results file, figure, where it is missing): {wrong}"


def test_the_benchmarks_pattern_takes_globs_json_and_undated_names():
    text = ("(`results/startup-before-50cb17b.txt`; `results/flee_suite-2026-11-26-part*.json`; "
            "`--json out.json`, `flee31-runs-session14`)")
    names = BENCHMARKS_NAME.findall(text)
    assert names == ["startup-before-50cb17b.txt", "flee_suite-2026-11-26-part*.json"]
    assert all(list(RESULTS.glob(n)) for n in names)
    assert not list(RESULTS.glob("nothing-2026-01-01-*.txt"))
