"""`qa serve`: run the web app with uvicorn."""

from __future__ import annotations

from qa.settings import Settings


def serve(settings: Settings) -> None:
    import uvicorn

    from web.app import create_app

    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
