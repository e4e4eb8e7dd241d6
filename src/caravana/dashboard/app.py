"""The dashboard's web application: the JSON API, one static page, and the guards
around them.

Guards, each for a reason:
- request bodies over the upload limit are refused with 413 before they are parsed;
- unsafe requests (POST) from another site's page are refused (``Origin`` check), so a
  web page the user visits cannot start runs on their machine;
- the ``Host`` header must name this server (against DNS rebinding);
- a Content-Security-Policy lets the page load nothing but its own files;
- FastAPI's /docs and /redoc pages are off (they load Swagger/ReDoc from a CDN): the
  schema is served as /openapi.json and the API is described in docs/dashboard.md.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..catalogue import CatalogueError
from ..display.loading import ResultsError
from ..errors import E_, CaravanaError
from ..results.reader import FolderError
from .api import in_language, router
from .news import router as news_router
from .registry import NotReady, RunRegistry
from .uploads import MAX_UPLOAD_BYTES

log = logging.getLogger(__name__)
STATIC = Path(str(files(__package__).joinpath("static")))
MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 64 * 1024  # the file plus the form's other fields
LOCAL_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def create_app(workspace: Path, folders: Sequence[Path] = (), *, allowed_hosts: list[str] | None = None,
               catalogued: Sequence[tuple[Path, str]] = ()) -> FastAPI:
    """The app, serving runs from ``workspace`` (made if missing), the result ``folders``
    given and the ``catalogued`` (folder, label) pairs (run or ensemble folders, read only)."""
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.registry.shutdown()  # let a run in progress finish writing

    app = FastAPI(title="caravana dashboard API", version=__version__, docs_url=None, redoc_url=None,
                  lifespan=lifespan,
                  description="Runs, results and needs of caravana simulations. See docs/dashboard.md.")
    app.state.registry = RunRegistry(workspace, list(folders), catalogued=list(catalogued))
    app.include_router(router)
    app.include_router(news_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/place/{name}", include_in_schema=False)
    def place_page(name: str) -> FileResponse:  # a deep link to a place's briefing; the page reads the path
        return FileResponse(STATIC / "index.html")

    @app.get("/briefing.css", include_in_schema=False)
    def briefing_css() -> FileResponse:
        from ..briefing.page import CSS_FILE

        return FileResponse(CSS_FILE, media_type="text/css")

    _error_handlers(app)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(SameOriginWrites)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts or [*LOCAL_HOSTS, "testserver"])
    return app


def _error_handlers(app: FastAPI) -> None:
    """Every error answer is ``{"detail": "one plain sentence"}``."""

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors()[:3]:
            where = " ".join(str(p) for p in err["loc"] if p not in ("query", "path", "body"))
            message = in_language(request, err["msg"])
            problems.append(f"{where}: {message}" if where else message)
        return JSONResponse({"detail": "; ".join(problems) or in_language(request, E_("invalid request"))},
                            status_code=422)

    @app.exception_handler(NotReady)
    def not_ready(request: Request, exc: NotReady) -> JSONResponse:
        return JSONResponse({"detail": in_language(request, str(exc))}, status_code=409)

    @app.exception_handler(ResultsError)
    @app.exception_handler(CatalogueError)
    @app.exception_handler(FolderError)
    def unreadable(request: Request, exc: CaravanaError) -> JSONResponse:
        detail = in_language(request, E_(f"cannot read the results: {exc}"))
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": in_language(request, str(exc.detail))}, status_code=exc.status_code,
                            headers=exc.headers)

    @app.exception_handler(Exception)
    def bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        detail = in_language(request, E_(f"internal error ({type(exc).__name__}); see the server's log"))
        return JSONResponse({"detail": detail}, status_code=500)


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, before anything parses them:
    by the declared Content-Length, else by counting while reading."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await _refuse(scope, send, 413 if declared.isdigit() else 400, self._message())
        body, more = [], True
        size = 0
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                return await _refuse(scope, send, 413, self._message())
            body.append(chunk)
            more = message.get("more_body", False)
        whole = b"".join(body)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": whole, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _message(self) -> str:
        return E_(f"the request is larger than the upload limit of {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")


class SameOriginWrites:
    """Refuse unsafe requests whose ``Origin`` is another site (cross-site request forgery)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            headers = dict(scope["headers"])
            origin = headers.get(b"origin")
            host = headers.get(b"host", b"").decode("latin-1")
            if origin is not None and urlsplit(origin.decode("latin-1")).netloc != host:
                return await _refuse(scope, send, 403, E_("cross-site request refused: open the dashboard's own page"))
        await self.app(scope, receive, send)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                ]
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


async def _refuse(scope: Scope, send: Send, status: int, detail: str) -> None:
    response = JSONResponse({"detail": in_language(Request(scope), detail)}, status_code=status)
    await send({"type": "http.response.start", "status": status, "headers": response.raw_headers})
    await send({"type": "http.response.body", "body": response.body})
