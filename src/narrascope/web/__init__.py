"""The faces over HTTP: a REST API and the web workbench, served by one process.

    from narrascope.web import Settings, create_app, serve
    serve(Settings(db="story.duckdb"), host="127.0.0.1", port=8000)
"""
from __future__ import annotations

from .app import Settings, create_app
from .handoff import remove_note, write_note

__all__ = ["Settings", "create_app", "serve"]


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000, log_level: str = "warning") -> None:
    """Run the workbench with uvicorn until interrupted."""
    import uvicorn

    if host not in ("0.0.0.0", "::"):
        settings.hosts = set(settings.hosts) | {host}
    else:
        settings.hosts = {"*"}
    # proxy_headers=False: X-Forwarded-For is not believed, even from loopback, so a client cannot
    # take another address to escape its rate limit (put a proxy in front and the proxy's limits apply)
    app = create_app(settings)
    note = write_note(settings.db, f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}",
                      bool(settings.ingest_token)) if port else None

    async def served(scope, receive, send):
        """The app, removing the note when the server shuts down (uvicorn then re-raises SIGTERM)."""
        if scope["type"] != "lifespan" or not note:
            return await app(scope, receive, send)

        async def receive_and_clean():
            message = await receive()
            if message["type"] == "lifespan.shutdown":
                remove_note(settings.db)
            return message
        return await app(scope, receive_and_clean, send)

    try:
        uvicorn.run(served, host=host, port=port, log_level=log_level, server_header=False,
                    proxy_headers=False, limit_concurrency=256, timeout_keep_alive=5)
    finally:
        if note:
            remove_note(settings.db)
