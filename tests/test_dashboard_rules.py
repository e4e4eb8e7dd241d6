"""The page takes the server's rules from the server (GET /api/page): the upload limit, the
longest label, the needs table's columns and the runner form's policy fields live in Python
only, and the page's own files hold no copy of them."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from caravana.dashboard import views
from caravana.dashboard.api import MAX_LABEL
from caravana.dashboard.app import STATIC, create_app
from caravana.dashboard.policies import POLICY_LABELS, PolicyForm
from caravana.dashboard.uploads import MAX_UPLOAD_BYTES


@pytest.fixture
def rules(tmp_path):
    return TestClient(create_app(tmp_path / "ws")).get("/api/page").json()


def test_the_page_gets_the_rules_from_python(rules):
    assert rules["max_upload_bytes"] == MAX_UPLOAD_BYTES and rules["max_label"] == MAX_LABEL
    assert [c["name"] for c in rules["needs_columns"]] == list(views.NEEDS_COLUMNS)
    assert [c["label"] for c in rules["needs_columns"]] == list(views.NEEDS_COLUMNS.values())
    fields = dataclasses.fields(PolicyForm)
    assert [f["name"] for f in rules["policy_fields"]] == [f.name for f in fields]
    assert [f["kind"] for f in rules["policy_fields"]] == ["switch", "count", "count", "count", "switch"]
    assert [f["label"] for f in rules["policy_fields"]] == [POLICY_LABELS[f.name] for f in fields]


def test_the_pages_files_hold_no_copy(rules):
    """No needs column, policy field, upload limit or label length written in app.js or index.html."""
    names = [c["name"] for c in rules["needs_columns"] if c["name"] != "present"]  # "present" is also a quantity
    names += [f["name"] for f in rules["policy_fields"]]
    limits = [str(rules["max_upload_bytes"]), "5 * 1024 * 1024", f'maxlength="{rules["max_label"]}"', "5 MB"]
    for path in sorted(Path(STATIC).glob("*")):
        if path.suffix not in (".js", ".html"):
            continue
        text = path.read_text(encoding="utf-8")
        for name in names:
            assert not re.search(rf"\b{name}\b", text), f"{path.name} holds a copy of '{name}'"
        for limit in limits:
            assert limit not in text, f"{path.name} holds a copy of {limit}"


def test_the_page_gets_each_languages_conventions_from_python(tmp_path):
    from caravana.i18n import BABEL_LOCALES

    client = TestClient(create_app(tmp_path / "ws"))
    for lang in ("es", "en"):
        assert client.get(f"/api/i18n/{lang}").json()["locale"] == BABEL_LOCALES[lang].replace("_", "-")
    assert "es-MX" not in (Path(STATIC) / "i18n.js").read_text(encoding="utf-8")
