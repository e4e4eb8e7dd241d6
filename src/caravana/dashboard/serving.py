"""Starting the dashboard's server: bind the socket ourselves (so the address it
listens on is known and printed before it serves), then hand it to Uvicorn."""

from __future__ import annotations

import socket
from pathlib import Path

import uvicorn

from ..errors import CaravanaError
from . import DEFAULT_HOST, DEFAULT_PORT
from .app import LOCAL_HOSTS, create_app
from .registry import catalogued_folders


def listen(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: any free port)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        sock = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as exc:
        raise CaravanaError(f"cannot listen on {host}:{port}: {exc}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise CaravanaError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def build_server(workspace: Path, folders: list[Path] = (), *, host: str = DEFAULT_HOST,
                 port: int = DEFAULT_PORT, log_level: str = "warning",
                 catalogued: int = 0) -> tuple[uvicorn.Server, socket.socket]:
    """The server and its bound socket; ``server.run(sockets=[sock])`` serves until stopped.
    ``catalogued``: also list that many of the newest catalogued runs and ensembles."""
    # Bound to all interfaces, the user wants other machines to reach it by any name.
    everywhere = host in ("0.0.0.0", "::", "")
    allowed = ["*"] if everywhere else sorted({*LOCAL_HOSTS, host})
    # Runs made from this dashboard are catalogued too; they are listed as its own.
    from_catalogue = catalogued_folders(catalogued, skip=[*folders, workspace])
    app = create_app(workspace, list(folders), allowed_hosts=allowed,  # checks the folders first
                     catalogued=from_catalogue)
    sock = listen(host, port)
    config = uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="on")
    return uvicorn.Server(config), sock
