"""Nothing of the old forecast and news guides was lost when their development record moved out.

Session 19 moved the session-by-session record of docs/forecast.md and docs/news.md, verbatim, into
docs/history/ and rewrote the guides for users. ``tests/data/docs_history/manifest.tsv`` lists every
paragraph of the two files as they stood at the session's start (9c2fddc8): its key, where it stood, its
first words, and its status. A ``moved`` or ``kept`` paragraph must still be found, word for word, in
docs/forecast.md, docs/news.md or docs/history/; a ``rewritten`` one was replaced deliberately by new
text in the guide (the status says where). A paragraph edited later is marked ``rewritten`` by hand.

    python tools/docs_history.py --check          # the paragraphs not found (exit 1 if any)
    python tools/docs_history.py --manifest REV   # (re)write the manifest from REV, keeping statuses
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "tests" / "data" / "docs_history" / "manifest.tsv"
OLD = ("docs/forecast.md", "docs/news.md")
START = "9c2fddc8"


def paragraphs(text: str) -> list[tuple[int, str]]:
    """Blocks between blank lines, with the line each starts on (1-based)."""
    out: list[tuple[int, str]] = []
    block: list[str] = []
    first = 0
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            if not block:
                first = number
            block.append(line.rstrip())
        elif block:
            out.append((first, "\n".join(block)))
            block = []
    if block:
        out.append((first, "\n".join(block)))
    return out


def key(paragraph: str) -> str:
    # Whitespace collapsed: a paragraph re-indented or re-wrapped is still the same words.
    return hashlib.sha1(" ".join(paragraph.split()).encode("utf-8")).hexdigest()[:16]


def current_texts(root: Path = ROOT) -> dict[str, str]:
    files = [root / name for name in OLD] + sorted((root / "docs" / "history").glob("*.md"))
    return {str(path.relative_to(root)): path.read_text(encoding="utf-8") for path in files if path.exists()}


def read_manifest(path: Path = MANIFEST) -> list[dict[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            digest, where, status, words = line.split("\t", 3)
            rows.append({"key": digest, "where": where, "status": status, "words": words})
    return rows


def missing(rows: list[dict[str, str]], texts: dict[str, str]) -> list[dict[str, str]]:
    """The rows not marked rewritten whose paragraph is in none of the texts."""
    found = {key(p) for text in texts.values() for _, p in paragraphs(text)}
    return [r for r in rows if not r["status"].startswith("rewritten") and r["key"] not in found]


def write_manifest(rev: str) -> None:
    old = {r["key"] + r["where"]: r["status"] for r in read_manifest()} if MANIFEST.exists() else {}
    texts = current_texts()
    found_in = {}
    for name, text in texts.items():
        for _, p in paragraphs(text):
            found_in.setdefault(key(p), name)
    lines = [f"# paragraphs of {', '.join(OLD)} at {rev}: key, file:line, status, first words (tools/docs_history.py)"]
    for name in OLD:
        text = subprocess.run(["git", "show", f"{rev}:{name}"], cwd=ROOT, check=True, capture_output=True,
                              text=True).stdout
        for line, p in paragraphs(text):
            digest, where = key(p), f"{name}:{line}"
            status = old.get(digest + where) or ("moved" if "history" in found_in.get(digest, "") else "kept")
            words = " ".join(p.split())[:80]
            lines.append(f"{digest}\t{where}\t{status}\t{words}")
    MANIFEST.parent.mkdir(parents=True, exist_ok=True)
    MANIFEST.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--manifest", metavar="REV")
    args = parser.parse_args()
    if args.manifest:
        write_manifest(args.manifest)
    lost = missing(read_manifest(), current_texts())
    for row in lost:
        print(f"not found: {row['where']}: {row['words']}")
    rows = read_manifest()
    counts = {s: sum(r["status"].split(":")[0] == s for r in rows) for s in ("moved", "kept", "rewritten")}
    print(f"{len(rows)} paragraphs: {counts}; {len(lost)} not found")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
