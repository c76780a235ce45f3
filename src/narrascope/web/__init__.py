"""The faces over HTTP: a REST API and the web workbench, served by one process.

    from narrascope.web import Settings, create_app, serve
    serve(Settings(db="story.duckdb"), host="127.0.0.1", port=8000)
"""
from __future__ import annotations

from .app import Settings, create_app

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
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level, server_header=False,
                proxy_headers=False, limit_concurrency=256, timeout_keep_alive=5)
