"""The FastAPI application factory: lifespan, middleware and error mapping.

``web/`` is a thin layer over ``qa/``: it validates input, calls
``qa.service`` / ``qa.answerer`` and renders JSON or templates.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from index.errors import IndexError_
from qa.errors import QAError, describe
from qa.settings import Settings, load_settings

log = logging.getLogger("qa.web")
STATIC_DIR = Path(__file__).parent / "static"
MAX_BODY_BYTES = 64 * 1024

# Inline script and styles are forbidden: the page's JS lives in /static.
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


class BodyLimitMiddleware:
    """Reject request bodies over ``limit`` bytes with 413, before parsing them."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        too_big = JSONResponse(error_body("body_too_large", f"request body over {self.limit} bytes"), status_code=413)
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await too_big(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await too_big(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        # Swagger UI at /docs loads its script from a CDN and runs an inline one.
        relaxed = scope.get("path") in ("/docs", "/redoc")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if relaxed and name == "content-security-policy":
                        continue
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        if first.get("type") == "json_invalid":
            return JSONResponse(error_body("malformed_json", "the request body is not valid JSON"), status_code=422)
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        said = str(first.get("msg", "invalid request")).removeprefix("Value error, ")  # our validators' own words
        message = f"{where}: {said}" if where else said
        if where == "question" and first.get("type") in ("string_pattern_mismatch", "string_too_short"):
            message = "question: the question is empty"  # not the pattern's regex
        return JSONResponse(error_body("validation_error", message), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # an unparsable body (e.g. not UTF-8): same answer as malformed JSON
            return JSONResponse(error_body("malformed_json", "the request body could not be parsed"), status_code=422)
        codes = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}
        return JSONResponse(
            error_body(codes.get(exc.status_code, "http_error"), str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),  # e.g. Allow on 405
        )

    async def domain_error(request: Request, exc: Exception) -> JSONResponse:
        info = describe(exc)
        if info is None:  # not a domain error: a bug, logged with its traceback
            log.error("internal error on %s", request.url.path, exc_info=exc)
            return JSONResponse(error_body("internal_error", "internal error; see the server log"), status_code=500)
        return JSONResponse(error_body(info.code, info.message), status_code=info.http_status)

    app.add_exception_handler(QAError, domain_error)
    app.add_exception_handler(IndexError_, domain_error)
    app.add_exception_handler(Exception, domain_error)


def create_app(settings: Settings | None = None, backend: Any = None) -> FastAPI:
    """Build the app. ``backend`` (tests) skips loading the index from disk."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.backend = backend
        app.state.load_error = None
        if backend is None:
            from qa.service import answer_config, open_index

            try:
                app.state.backend = open_index(settings)
                answer_config(settings)  # loads the reader now, not on the first question
            except Exception as exc:  # the server still starts and reports 503
                info = describe(exc)
                if info is None:
                    raise
                log.error("index not loaded: %s", info.message)
                app.state.load_error = info.message
        yield

    app = FastAPI(
        title="News QA",
        version="0.1.0",
        summary="Ask questions of a news archive; get short answers quoted verbatim, with citations.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.backend = backend
    app.state.load_error = None
    _install_error_handlers(app)
    from web import pages, routes

    app.include_router(routes.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(BodyLimitMiddleware, limit=MAX_BODY_BYTES)
    return app
