"""The dashboard's resource limits: people per uploaded scenario (refused before anything is
allocated), the alias bomb answered in a few hundred bytes, and connections that never
finish their request (half-open, or trickling) closed after the request timeout."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from fastapi.testclient import TestClient

from caravana.dashboard.app import create_app
from caravana.dashboard.serving import build_server

TINY = """\
name: huge
start: 2020-01-01
days: 5
tables:
  locations: locations.csv
  routes: routes.csv
corridor:
  caravans:
    - {name: c, origin: A, itinerary: [B], initial_size: 300000000}
"""


@pytest.fixture
def client(tmp_path, monkeypatch):
    monkeypatch.setenv("CARAVANA_HOME", str(tmp_path / "home"))
    with TestClient(create_app(tmp_path / "ws")) as c:
        yield c


def _zip(files: dict[str, str]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buffer.getvalue()


def test_an_upload_of_300_million_people_is_refused_before_allocation(client, tmp_path, monkeypatch):
    allocated = []
    monkeypatch.setattr("caravana.engine.population.Population.__init__",
                        lambda *a, **k: allocated.append(1) or (_ for _ in ()).throw(AssertionError("allocated")))
    data = _zip({"scenario.yml": TINY, "locations.csv": "name,type\nA,origin\nB,town\n",
                 "routes.csv": "from,to,km\nA,B,10\n"})
    r = client.post("/api/runs", files={"file": ("huge.zip", data, "application/zip")})
    assert r.status_code == 413, r.text
    assert "300,000,000 people" in r.json()["detail"] and "2,000,000" in r.json()["detail"]
    assert not allocated
    assert not any((tmp_path / "ws").rglob("run.json"))  # nothing queued


def test_an_alias_bomb_upload_gets_a_short_answer(client):
    levels = ["&a [1,1,1,1,1,1,1,1,1,1]"] + [
        f"&{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 10)}]" for i in range(7)
    ]
    bomb = f"name: bomb\nstart: 2020-01-01\ndays: 3\ndescription: [{', '.join(levels)}]\n"
    started = time.process_time()
    r = client.post("/api/runs", files={"file": ("bomb.yml", bomb.encode(), "application/x-yaml")})
    assert r.status_code == 400
    assert len(r.content) < 1024, len(r.content)
    assert "alias" in r.json()["detail"]
    assert time.process_time() - started < 10


@pytest.fixture
def live(tmp_path):
    server, sock = build_server(tmp_path / "ws", port=0, request_timeout=1.0, idle_timeout=1)
    host, port = sock.getsockname()[:2]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield host, port
    server.should_exit = True
    thread.join(timeout=20)


def _closed_within(conn: socket.socket, seconds: float) -> bool:
    """True when the server closes the connection (EOF or reset) within ``seconds``."""
    conn.settimeout(seconds)
    try:
        while True:
            data = conn.recv(4096)
            if not data:
                return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


@pytest.mark.parametrize("sent", [b"", b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n",
                                  b"POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\nabc"])
def test_a_request_that_never_completes_is_closed(live, sent):
    """Nothing sent, headers never finished, a body cut short: closed after the request timeout."""
    with socket.create_connection(live) as conn:
        conn.sendall(sent)
        started = time.monotonic()
        assert _closed_within(conn, 10), "the server kept a half-open connection"
        assert time.monotonic() - started < 8


def test_a_trickled_request_is_closed_even_while_bytes_arrive(live):
    with socket.create_connection(live) as conn:
        started = time.monotonic()
        conn.settimeout(0.3)
        closed = False
        for _ in range(40):  # one header byte every 0.3 s: it would take 12 s
            try:
                conn.sendall(b"X")
                if conn.recv(4096) == b"":
                    closed = True
                    break
            except TimeoutError:
                continue
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
        assert closed and time.monotonic() - started < 8


def test_a_complete_request_is_answered_and_an_idle_connection_closed(live):
    with socket.create_connection(live) as conn:
        conn.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        conn.settimeout(10)
        assert conn.recv(4096).startswith(b"HTTP/1.1 200")
        assert _closed_within(conn, 10)  # idle after the answer: the keep-alive timeout


# ------------------------------------------------------------------ Dask


def test_a_dask_worker_dying_while_the_local_cluster_starts_is_one_clean_error(tmp_path):
    """It used to end in a raw traceback ("Nanny failed to start")."""
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    from typer.testing import CliRunner

    from caravana.cli import app

    die = tmp_path / "die_on_start.py"
    die.write_text("import os\nos._exit(3)  # the worker process dies while it starts\n")
    out = tmp_path / "ens"
    with dask.config.set({"distributed.worker.preload": [str(die)]}):
        result = CliRunner().invoke(app, ["ensemble", "corridor", "--members", "2", "--days", "2",
                                          "--backend", "dask", "--workers", "1", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "Dask cluster did not start" in errors[0], result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()
