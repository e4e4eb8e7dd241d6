"""The dashboard's guards: where it listens, what an upload can reach, what a bad request gets."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caravana import catalogue
from caravana.dashboard.app import create_app
from caravana.dashboard.serving import build_server
from caravana.dashboard.uploads import MAX_UNPACKED_BYTES, MAX_UPLOAD_BYTES
from caravana.scenario.load import BUILTIN_DIR
from tests.test_dashboard_api import corridor_run  # noqa: F401  (session fixture)

VALID_YAML = """\
name: uploaded
start: 2020-01-01
days: 5
tables:
  locations: {locations}
  routes: routes.csv
"""
LOCATIONS = "name,type,country,lat,lon,population\nA,conflict_zone,X,10,20,1000\nB,camp,Y,11,21,0\n"
ROUTES = "from,to,km\nA,B,100\n"


@pytest.fixture(autouse=True)
def private_catalogue(tmp_path, monkeypatch):
    monkeypatch.setenv(catalogue.HOME_ENV, str(tmp_path / "caravana-home"))


@pytest.fixture
def workspace(tmp_path) -> Path:
    return tmp_path / "sandbox" / "workspace"


@pytest.fixture
def client(workspace, corridor_run):  # noqa: F811
    with TestClient(create_app(workspace, [corridor_run]), base_url="http://127.0.0.1") as c:
        yield c


def zip_of(entries: dict[str, bytes | str], symlinks: dict[str, str] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
        for name, target in dict(symlinks).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, target)
    return buffer.getvalue()


def upload(client: TestClient, name: str, data: bytes):
    return client.post("/api/runs", files={"file": (name, data, "application/octet-stream")})


def files_under(path: Path) -> set[Path]:
    return {p for p in path.rglob("*")} if path.exists() else set()


# ------------------------------------------------------------------ where it listens
def test_server_binds_loopback_by_default(tmp_path):
    _, sock = build_server(tmp_path / "ws", port=0)
    try:
        assert sock.getsockname()[0] == "127.0.0.1"
    finally:
        sock.close()


def _listening(port: int) -> list[str]:
    """Local addresses of the TCP sockets listening on ``port`` (from the kernel's table)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.append(address)
    return found


def test_serve_command_listens_on_loopback_only(tmp_path):
    """``caravana serve`` with no --host: the kernel's listening socket is 127.0.0.1."""
    process = subprocess.Popen(
        [sys.executable, "-c", "from caravana.cli import app; app()", "serve", "--port", "0",
         "--workspace", str(tmp_path / "ws")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, catalogue.HOME_ENV: str(tmp_path / "home")},
    )
    try:
        line = process.stdout.readline()
        assert "caravana dashboard on http://127.0.0.1:" in line, line
        port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        if os.path.exists("/proc/net/tcp"):
            assert _listening(port) == ["0100007F"]  # 127.0.0.1, and on no other address
        import httpx

        for _ in range(50):
            try:
                assert httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).json()["status"] == "ok"
                break
            except httpx.ConnectError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server never answered")
    finally:
        process.terminate()
        process.wait(timeout=10)


# ------------------------------------------------------------------ uploads: paths
@pytest.mark.parametrize("entry", ["../evil.txt", "scenario/../../evil.txt", "/tmp/caravana-evil.txt",
                                   "C:/evil.txt", "..\\evil.txt", "a/../../../evil.txt"])
def test_zip_entries_leaving_the_folder_are_refused(client, workspace, entry):
    before = files_under(workspace.parent)
    r = upload(client, "s.zip", zip_of({"scenario.yml": "name: x", entry: "owned"}))
    assert r.status_code == 400
    assert "refused" in r.json()["detail"] and entry in r.json()["detail"]
    assert not Path("/tmp/caravana-evil.txt").exists()
    # Nothing was written anywhere, and the refused run left no folder behind.
    assert files_under(workspace.parent) == before


def test_zip_symlink_is_refused(client, workspace):
    data = zip_of({"scenario.yml": VALID_YAML.format(locations="locations.csv")},
                  symlinks={"locations.csv": "/etc/passwd"})
    r = upload(client, "s.zip", data)
    assert r.status_code == 400 and "symbolic link" in r.json()["detail"]
    assert not any(p.is_symlink() for p in files_under(workspace))


@pytest.mark.parametrize("how", ["absolute", "dotdot"])
def test_table_path_outside_the_scenario_folder_is_refused(client, tmp_path, how):
    outside = tmp_path / "outside" / "locations.csv"  # a valid table: reading it would work
    outside.parent.mkdir()
    outside.write_text(LOCATIONS)
    path = str(outside) if how == "absolute" else "../" * 30 + str(outside).lstrip("/")
    r = upload(client, "s.zip", zip_of({"scenario.yml": VALID_YAML.format(locations=path), "routes.csv": ROUTES}))
    assert r.status_code == 400, r.text
    assert "leaves the scenario's folder" in r.json()["detail"] and "tables.locations" in r.json()["detail"]
    # the same scenario with its table inside the folder is accepted
    ok = upload(client, "s.zip", zip_of({"scenario.yml": VALID_YAML.format(locations="locations.csv"),
                                          "locations.csv": LOCATIONS, "routes.csv": ROUTES}))
    assert ok.status_code == 202, ok.text


def test_flee_count_file_outside_source_data_is_refused(client, tmp_path):
    """A Flee folder's data_layout.csv names count files; one outside source_data/ is refused."""
    mali = BUILTIN_DIR / "mali2012"
    outside = tmp_path / "outside.csv"
    outside.write_text("2012-02-29,100\n")  # a count file that would read fine
    entries = {str(p.relative_to(mali)): p.read_bytes() for p in mali.rglob("*") if p.is_file()}
    entries["source_data/data_layout.csv"] = f"total,{'../' * 30}{str(outside).lstrip('/')}\n".encode()
    r = upload(client, "mali.zip", zip_of(entries))
    assert r.status_code == 400, r.text
    assert r.json()["detail"] == "file source_data/data_layout.csv, row 1: count file path leaves source_data/"


# ------------------------------------------------------------------ uploads: no code
@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/object/new:os.system",
                                 "!!python/name:os.system"])
def test_yaml_with_python_tags_is_refused(client, tmp_path, tag):
    marker = tmp_path / "pwned"
    body = f'name: {tag} ["touch {marker}"]\nstart: 2020-01-01\ndays: 5\ntables: {{locations: l.csv}}\n'
    r = upload(client, "evil.yml", body.encode())
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert "invalid YAML" in detail and "file evil.yml" in detail and str(tmp_path) not in detail
    assert not marker.exists()


# ------------------------------------------------------------------ uploads: size
def test_upload_over_the_limit_is_refused_413(client, workspace):
    before = files_under(workspace)
    r = upload(client, "big.yml", b"#" * (MAX_UPLOAD_BYTES + 1))
    assert r.status_code == 413 and "limit" in r.json()["detail"]
    assert files_under(workspace) == before


def test_chunked_body_over_the_limit_is_refused_413(client):
    def chunks():
        for _ in range(7):
            yield b"x" * (1024 * 1024)

    r = client.post("/api/runs", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"})
    assert r.status_code == 413


def test_zip_bomb_is_refused_413(client):
    data = zip_of({"scenario.yml": "name: x", "zeros.csv": b"0" * (MAX_UNPACKED_BYTES + 1)})
    assert len(data) < MAX_UPLOAD_BYTES  # small on the wire
    r = upload(client, "bomb.zip", data)
    assert r.status_code == 413 and "unpacked" in r.json()["detail"]


# ------------------------------------------------------------------ other sites
def test_cross_site_post_is_refused(client):
    r = client.post("/api/runs", data={"scenario": "corridor"}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and "cross-site" in r.json()["detail"]


def test_unknown_host_header_is_refused(client):
    assert client.get("/api/runs", headers={"Host": "evil.example"}).status_code == 400


def test_page_may_load_only_its_own_files(client):
    r = client.get("/")
    assert r.status_code == 200 and "default-src 'self'" in r.headers["content-security-policy"]
    assert "http" not in r.text.replace("http-equiv", "").replace('"/openapi.json"', "")
    assert client.get("/docs").status_code == 404  # FastAPI's docs pages load from a CDN: off
    assert client.get("/openapi.json").json()["paths"]["/api/runs"]


@pytest.mark.parametrize("path", ["/static/../pyproject.toml", "/static/%2e%2e/%2e%2e/errors.py",
                                  "/static/..%2f..%2fapi.py", "/static//etc/passwd"])
def test_static_files_stay_in_their_folder(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "root:" not in r.text and "def " not in r.text


# ------------------------------------------------------------------ malformed requests
BAD_REQUESTS = [
    ("get", "/api/runs/nope", {}),
    ("get", "/api/runs/../../etc/passwd", {}),
    ("get", "/api/runs/corridor-seed1/series", {}),
    ("get", "/api/runs/corridor-seed1/series", {"params": {"place": "Atlantis"}}),
    ("get", "/api/runs/corridor-seed1/series", {"params": {"place": "Tapachula", "quantity": "joy"}}),
    ("get", "/api/runs/corridor-seed1/series", {"params": {"place": "x" * 5000}}),
    ("get", "/api/runs/corridor-seed1/needs", {"params": {"place": "Tapachula", "first_day": "soon"}}),
    ("get", "/api/runs/corridor-seed1/needs", {"params": {"place": "Tapachula", "first_day": -1}}),
    ("get", "/api/runs/corridor-seed1/needs", {"params": {"place": "Tapachula", "first_day": 9, "last_day": 3}}),
    ("get", "/api/runs/corridor-seed1/needs", {"params": {"place": "Tapachula", "last_day": 10**30}}),
    ("get", "/api/runs/corridor-seed1/needs", {"params": {"place": "Tapachula", "format": "xlsx"}}),
    ("get", "/api/compare", {"params": {"a": "corridor-seed1"}}),
    ("get", "/api/compare", {"params": {"a": "corridor-seed1", "b": "nope"}}),
    ("post", "/api/runs", {}),
    ("post", "/api/runs", {"data": {"scenario": "atlantis"}}),
    ("post", "/api/runs", {"data": {"scenario": "corridor", "seed": "-4"}}),
    ("post", "/api/runs", {"data": {"scenario": "corridor", "seed": "1e99"}}),
    ("post", "/api/runs", {"data": {"scenario": "corridor", "days": "0"}}),
    ("post", "/api/runs", {"data": {"scenario": "corridor", "checkpoints": "maybe"}}),
    ("post", "/api/runs", {"data": {"scenario": "corridor", "checkpoints": "on", "metering_per_day": "-1"}}),
    ("post", "/api/runs", {"data": {"scenario": "mali2012", "checkpoints": "off"}}),
    ("post", "/api/runs", {"json": {"scenario": "corridor"}}),
    ("post", "/api/runs", {"content": b"\x00\xff garbage", "headers": {"content-type": "multipart/form-data"}}),
    ("post", "/api/runs", {"files": {"file": ("s.zip", b"PK\x03\x04 not a zip", "application/zip")}}),
    ("post", "/api/runs", {"files": {"file": ("s.zip", b"", "application/zip")}}),
    ("post", "/api/runs", {"files": {"file": ("s.exe", b"MZ", "application/octet-stream")}}),
    ("post", "/api/runs", {"files": {"file": ("s.yml", b"\xff\xfe not utf-8", "text/yaml")}}),
    ("post", "/api/runs", {"files": {"file": ("s.yml", b"- a list\n- not a mapping", "text/yaml")}}),
    ("post", "/api/runs", {"files": {"file": ("s.zip", zip_of({"readme.txt": "hello"}), "application/zip")}}),
    ("post", "/api/runs", {"files": {"file": ("s.yml", b"name: x", "text/yaml")}, "data": {"scenario": "corridor"}}),
    ("post", "/api/runs/corridor-seed1", {}),
    ("delete", "/api/runs/corridor-seed1", {}),
]


@pytest.mark.parametrize("method,url,kwargs", BAD_REQUESTS)
def test_malformed_requests_get_4xx_with_a_message(client, method, url, kwargs):
    r = client.request(method.upper(), url, **kwargs)
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    detail = r.json()["detail"]
    assert isinstance(detail, str) and len(detail) > 5 and "Traceback" not in detail


def test_upload_error_names_file_row_and_field(client):
    body = VALID_YAML.format(locations="locations.csv")
    r = upload(client, "s.zip", zip_of({"scenario.yml": body, "routes.csv": ROUTES,
                                        "locations.csv": LOCATIONS.replace("1000", "lots")}))
    assert r.status_code == 400
    assert r.json()["detail"] == "file locations.csv, row 2, field 'population': Input should be a valid " \
                                 "integer, unable to parse string as an integer (got 'lots')"


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(run=st.one_of(st.just("corridor-seed1"), text), place=text, quantity=text,
       first=st.one_of(st.integers(-5, 10**12).map(str), text), last=st.one_of(st.integers(-5, 70).map(str), text))
def test_random_queries_never_get_a_server_error(client, run, place, quantity, first, last):
    run = quote(run, safe="")  # any text, as a browser would send it
    for url, params in [
        (f"/api/runs/{run}/series", {"place": place, "quantity": quantity}),
        (f"/api/runs/{run}/needs", {"place": place, "first_day": first, "last_day": last}),
        (f"/api/runs/{run}/map", {}),
        ("/api/compare", {"a": run, "b": place}),
    ]:
        r = client.get(url, params=params)
        assert r.status_code < 500, (url, params, r.text)
        if r.status_code >= 400:
            assert r.json()["detail"]
