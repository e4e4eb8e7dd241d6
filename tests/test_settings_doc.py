"""docs/settings.md is generated from the schema and up to date with it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

TOOL = Path(__file__).resolve().parents[1] / "tools" / "settings_doc.py"


def _tool():
    spec = importlib.util.spec_from_file_location("settings_doc", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_settings_reference_is_up_to_date():
    tool = _tool()
    assert tool.OUT.read_text(encoding="utf-8") == tool.render(), "run: python tools/settings_doc.py"


def test_the_reference_lists_every_field_with_its_bounds():
    from caravana.scenario.schema import MovementSettings

    text = _tool().render()
    for name in MovementSettings.model_fields:
        assert f"| `settings.movement.{name}` |" in text
    assert "| `settings.movement.max_move_speed` | float | `360.0` | > 0 |" in text
