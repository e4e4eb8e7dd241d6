"""Starting the dashboard's server: bind the socket ourselves (so the address it
listens on is known and printed before it serves), then hand it to Uvicorn."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Sequence
from pathlib import Path

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..errors import CaravanaError
from . import DEFAULT_HOST, DEFAULT_PORT
from .app import LOCAL_HOSTS, create_app
from .registry import catalogued_folders

REQUEST_TIMEOUT = 30.0  # seconds for a whole request (headers and body) to arrive
IDLE_TIMEOUT = 5  # seconds a kept-alive connection may wait for its next request
MAX_CONNECTIONS = 64  # connections and requests at once; more get 503


class DeadlineProtocol(H11Protocol):
    """Uvicorn's HTTP/1.1 protocol with a deadline for each request: a connection that has
    not delivered a whole request ``request_timeout`` seconds after one was awaited (a
    half-open connection, headers or a body sent a trickle at a time) is closed. Uvicorn
    itself times out only the idle wait after a response, and not once any byte arrives."""

    request_timeout = REQUEST_TIMEOUT
    _deadline: asyncio.TimerHandle | None = None

    def _watch(self) -> None:
        awaiting = self.conn.their_state in (h11.IDLE, h11.SEND_BODY)
        if awaiting and self._deadline is None:
            self._deadline = self.loop.call_later(self.request_timeout, self._too_slow)
        elif not awaiting and self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self.conn.their_state in (h11.IDLE, h11.SEND_BODY) and not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._watch()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        super().connection_lost(exc)


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


def build_server(workspace: Path, folders: Sequence[Path] = (), *, host: str = DEFAULT_HOST,
                 port: int = DEFAULT_PORT, log_level: str = "warning",
                 catalogued: int = 0, request_timeout: float = REQUEST_TIMEOUT,
                 idle_timeout: int = IDLE_TIMEOUT) -> tuple[uvicorn.Server, socket.socket]:
    """The server and its bound socket; ``server.run(sockets=[sock])`` serves until stopped.
    ``catalogued``: also list that many of the newest catalogued runs and ensembles.
    ``request_timeout``: seconds a request may take to arrive; ``idle_timeout``: seconds an
    idle kept-alive connection stays open."""
    # Bound to all interfaces, the user wants other machines to reach it by any name.
    everywhere = host in ("0.0.0.0", "::", "")
    allowed = ["*"] if everywhere else sorted({*LOCAL_HOSTS, host})
    # Runs made from this dashboard are catalogued too; they are listed as its own.
    from_catalogue = catalogued_folders(catalogued, skip=[*folders, workspace])
    app = create_app(workspace, list(folders), allowed_hosts=allowed,  # checks the folders first
                     catalogued=from_catalogue)
    sock = listen(host, port)
    protocol = type("Deadline", (DeadlineProtocol,), {"request_timeout": request_timeout})
    config = uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="on", http=protocol,
                            timeout_keep_alive=idle_timeout, limit_concurrency=MAX_CONNECTIONS)
    return uvicorn.Server(config), sock
