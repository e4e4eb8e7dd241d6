"""Nothing of the old forecast and news guides was lost when their development record moved to docs/history/
(tools/docs_history.py says how the manifest of their paragraphs is kept)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

TOOL = Path(__file__).resolve().parents[1] / "tools" / "docs_history.py"


def _tool():
    spec = importlib.util.spec_from_file_location("docs_history", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_old_paragraph_is_in_the_guides_or_the_history_or_listed_as_rewritten():
    tool = _tool()
    rows = tool.read_manifest()
    assert len(rows) > 500  # both old files, whole
    lost = tool.missing(rows, tool.current_texts())
    assert not lost, "not found (move it verbatim, or mark it rewritten in the manifest): " + "; ".join(
        f"{r['where']} {r['words'][:50]}" for r in lost)


def test_a_paragraph_dropped_or_reworded_is_reported():
    tool = _tool()
    texts = tool.current_texts()
    rows = [r for r in tool.read_manifest() if r["status"] == "moved"]
    history = "docs/history/forecast.md"
    target = next(r for r in rows if r["where"].startswith("docs/forecast.md") and len(r["words"]) > 60)
    paragraph = next(p for _, p in tool.paragraphs(texts[history]) if tool.key(p) == target["key"])
    assert tool.missing([target], texts) == []
    reflowed = dict(texts, **{history: texts[history].replace(paragraph, paragraph.replace(" ", "\n  ", 3))})
    assert tool.missing([target], reflowed) == []  # re-wrapped, the same words
    reworded = dict(texts, **{history: texts[history].replace(paragraph, paragraph.replace(" ", " very ", 1))})
    assert tool.missing([target], reworded) == [target]
    dropped = dict(texts, **{history: texts[history].replace(paragraph, "")})
    assert tool.missing([target], dropped) == [target]
