"""The REST API and the workbench pages, in one FastAPI application.

    app = create_app(Settings(db="story.duckdb"))
    uvicorn.run(app, host="127.0.0.1", port=8000)

Every page ``/x`` has its JSON twin ``/api/x`` built from the same view
(``narrascope.web.views``). The store is opened read-only; ``POST /api/ingest``
exists only when an ingest token is configured, and then needs it.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Callable

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import NarrascopeError
from ..store.db import AmbiguousId
from . import views
from .data import Workbench
from .markup import Span, annotate
from .security import HEADERS, AllowedHosts, BodyLimit, RateLimit, SecurityHeaders, token_ok

STATIC = Path(__file__).parent / "static"
TOKEN_ENV = "NARRASCOPE_INGEST_TOKEN"
ARTICLE_ID = r"^[0-9a-f]{1,64}$"
KEY = r"^[A-Za-z0-9_.:-]{1,100}$"
DATE = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"     # an ISO prefix, or empty (an unused form field)
MAX_LIMIT = 500


@dataclass
class Settings:
    """How the server runs; validated when made.

    Args:
        db: the store (DuckDB file).
        ingest_token: enables ``POST /api/ingest`` for requests carrying it; None keeps the server read-only.
        max_body_bytes: largest request body accepted (413 past it).
        rate_limit: requests a second per client address (0: no limit).
        hosts: Host header values answered ("*": any); the bind address is added by ``serve``.
    """
    db: str
    ingest_token: str | None = None
    max_body_bytes: int = 20 * 2**20
    rate_limit: float = 0.0
    hosts: set[str] = field(default_factory=lambda: {"127.0.0.1", "localhost", "::1", "testserver"})

    def __post_init__(self) -> None:
        if self.ingest_token is not None and len(self.ingest_token) < 16:
            raise ValueError("the ingest token must be at least 16 characters: make one with "
                             "`python -c 'import secrets; print(secrets.token_urlsafe(24))'`")
        if self.max_body_bytes < 1024:
            raise ValueError(f"max_body_bytes={self.max_body_bytes}: give at least 1024")
        if self.rate_limit < 0:
            raise ValueError("rate_limit must be 0 (off) or a positive number of requests a second")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


_TEMPLATES = Environment(loader=PackageLoader("narrascope.web", "templates"),
                         autoescape=select_autoescape(default=True, default_for_string=True))


def _version() -> str:
    try:
        return version("narrascope")
    except PackageNotFoundError:
        return "0"


# ------------------------------------------------------------ reader spans
def reader_spans(a: dict[str, Any]) -> list[Span]:
    """The spans the article reader highlights: quotes, entities, dates, loaded language, narrative evidence."""
    ext = a["extractions"]
    spans: list[Span] = []
    for i, q in enumerate(ext.get("quotes") or []):
        if q.get("start") is None or q.get("kind") == "scare":
            continue
        who = q.get("speaker") or q.get("speaker_text") or "unattributed"
        spans.append(Span(q["start"], q["end"], "quote",
                          {"data-speaker": who, "title": f"{who}" + (f" ({q['cue']})" if q.get("cue") else ""),
                           "tabindex": "0", "id": f"q{i}", "data-statement": q.get("statement_id")},
                          "" if q.get("speaker") else "anon"))
    for e in ext.get("entities") or []:
        for m in e.get("mentions") or []:
            spans.append(Span(m["start"], m["end"], "entity", {"title": f"{e['type']}: {e['name']}"},
                              f"ent-{e['type']}".lower()))
    for ev in ext.get("events") or []:
        if ev.get("expr_start") is not None:
            label = f"{ev.get('date') or 'unresolved'} ({ev.get('precision') or '?'})" + (" inferred" if ev.get("inferred") else "")
            spans.append(Span(ev["expr_start"], ev["expr_end"], "date",
                              {"datetime": ev.get("date") if ev.get("precision") == "day" else None, "title": label}))
    for ll in ext.get("loaded_language") or []:
        if ll.get("start") is not None:
            spans.append(Span(ll["start"], ll["end"], "loaded", {"title": f"loaded language: {ll.get('kind') or ''}"}))
    for n in ext.get("narratives") or []:
        label = " / ".join(x for x in (n.get("narrative"), n.get("subnarrative")) if x)
        for ev in n.get("evidence") or []:
            if ev.get("start") is not None:
                spans.append(Span(ev["start"], ev["end"], "narrative", {"title": f"narrative: {label}"}))
    return spans


# ------------------------------------------------------------ the application
def create_app(settings: Settings, workbench: Workbench | None = None) -> FastAPI:
    wb = workbench or Workbench(settings.db, writable=bool(settings.ingest_token))
    app = FastAPI(title="narrascope", version=_version(), docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="How a news story is told, article by article, with the evidence. "
                              "Every list has count, limit, offset and items; errors are "
                              '{"error": {"code", "message"}}.')
    app.state.workbench = wb
    app.state.settings = settings

    # ---------------- errors: JSON under /api, a page elsewhere
    def error_response(request: Request, status: int, code: str, message: str):
        if request.url.path.startswith("/api/") or request.url.path == "/api":
            return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
        return HTMLResponse(render("error.html", request, status=status, code=code, message=message),
                            status_code=status)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(request, exc.status, exc.code, exc.message)

    @app.exception_handler(views.NotFound)
    async def _not_found(request: Request, exc: views.NotFound):
        return error_response(request, 404, "not_found", str(exc))

    @app.exception_handler(AmbiguousId)
    async def _ambiguous(request: Request, exc: AmbiguousId):
        return error_response(request, 409, "ambiguous_id", str(exc))

    @app.exception_handler(views.Unavailable)
    async def _unavailable(request: Request, exc: views.Unavailable):
        return error_response(request, 404, "not_available", str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
            parts.append(f"{where}: {e.get('msg')}")
        return error_response(request, 422, "invalid_parameter", "; ".join(parts) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        return error_response(request, exc.status_code, code, message)

    @app.exception_handler(NarrascopeError)
    async def _store_error(request: Request, exc: NarrascopeError):
        return error_response(request, 503, "store_error", str(exc))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        # answered by Starlette's outermost middleware, past SecurityHeaders: the headers go on here
        response = error_response(request, 500, "internal_error",
                                  f"the server failed on this request ({type(exc).__name__})")
        for name, value in HEADERS:
            response.headers[name.decode()] = value.decode()
        return response

    # ---------------- pages
    nav = [("/", "Search"), ("/statements", "Quotes"), ("/timeline", "Timeline"), ("/entities", "Entities"),
           ("/stories", "Stories"), ("/outlets", "Outlets"), ("/narratives", "Narratives"), ("/runs", "Runs")]

    def render(template: str, request: Request, **ctx: Any) -> str:
        path = request.url.path
        current = next((href for href, _ in sorted(nav, key=lambda n: -len(n[0]))
                        if path == href or (href != "/" and path.startswith(href))), "/" if path == "/" else None)
        return _TEMPLATES.get_template(template).render(nav=nav, current=current, request=request,
                                                          query=dict(request.query_params), **ctx)

    def page(template: str, request: Request, data: dict, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(render(template, request, data=data, **ctx))

    # ---------------- shared parameters
    def paging(limit: int, offset: int) -> dict:
        return {"limit": limit, "offset": offset}

    Limit = Query(50, ge=1, le=MAX_LIMIT, description="page size")
    Offset = Query(0, ge=0, le=10**7, description="items to skip")
    From = Query(None, alias="from", pattern=DATE, description="earliest date (ISO prefix)")
    To = Query(None, alias="to", pattern=DATE, description="latest date (ISO prefix)")

    def article_filters(outlet, date_from, date_to, language, entity) -> dict:
        return {"outlet": outlet or None, "date_from": date_from or None, "date_to": date_to or None,
                "language": language or None, "entity": entity or None}

    api = APIRouter(prefix="/api")
    pages = APIRouter(include_in_schema=False)

    # articles
    @api.get("/articles", summary="Articles, filtered and paged")
    def api_articles(outlet: str | None = Query(None, max_length=200), date_from: str | None = From,
                     date_to: str | None = To, language: str | None = Query(None, max_length=12),
                     entity: str | None = Query(None, max_length=200), limit: int = Limit, offset: int = Offset):
        return views.articles(wb, limit=limit, offset=offset,
                              **article_filters(outlet, date_from, date_to, language, entity))

    @api.get("/articles/{article_id}", summary="One article with its metadata, provenance, flags and extractions")
    def api_article(article_id: str = PathParam(..., pattern=ARTICLE_ID)):
        return views.article(wb, article_id)

    @api.get("/articles/{article_id}/raw", summary="The raw input of an article, as text",
             response_class=PlainTextResponse)
    def api_raw(article_id: str = PathParam(..., pattern=ARTICLE_ID)):
        return PlainTextResponse(views.raw_text(wb, article_id),
                                 headers={"content-security-policy": "default-src 'none'; sandbox"})

    @api.get("/search", summary="Full-text search (all words; \"quoted phrases\") with filters")
    def api_search(q: str = Query("", max_length=500), outlet: str | None = Query(None, max_length=200),
                   date_from: str | None = From, date_to: str | None = To,
                   language: str | None = Query(None, max_length=12), entity: str | None = Query(None, max_length=200),
                   limit: int = Limit, offset: int = Offset):
        return views.search(wb, q, limit=limit, offset=offset,
                            **article_filters(outlet, date_from, date_to, language, entity))

    @pages.get("/")
    def home(request: Request, q: str = Query("", max_length=500), outlet: str | None = Query(None, max_length=200),
             date_from: str | None = From, date_to: str | None = To,
             language: str | None = Query(None, max_length=12), entity: str | None = Query(None, max_length=200),
             limit: int = Query(20, ge=1, le=MAX_LIMIT), offset: int = Offset):
        data = views.search(wb, q, limit=limit, offset=offset,
                            **article_filters(outlet, date_from, date_to, language, entity))
        return page("home.html", request, data, outlets=views.outlets_basic(wb), api="/api/search")

    @pages.get("/articles")
    def articles_page(request: Request):
        return home(request, q="", outlet=request.query_params.get("outlet"), date_from=None, date_to=None,
                    language=None, entity=request.query_params.get("entity"), limit=20, offset=0)

    @pages.get("/articles/{article_id}")
    def article_page(request: Request, article_id: str = PathParam(..., pattern=ARTICLE_ID)):
        data = views.article(wb, article_id)
        body = annotate(data["text"] or "", reader_spans(data))
        return page("article.html", request, data, body=body, api=f"/api/articles/{data['id']}")

    # statements
    @api.get("/statements", summary="Statements: each quote once per speaker, with its variants and carriers")
    def api_statements(speaker: str | None = Query(None, max_length=200), q: str | None = Query(None, max_length=500),
                       limit: int = Limit, offset: int = Offset):
        return views.statements(wb, speaker=speaker, q=q, limit=limit, offset=offset)

    @api.get("/statements/{statement_id}", summary="One statement: variants side by side, every outlet that carried it")
    def api_statement(statement_id: str = PathParam(..., pattern=KEY)):
        return views.statement(wb, statement_id)

    @pages.get("/statements")
    def statements_page(request: Request, speaker: str | None = Query(None, max_length=200),
                        q: str | None = Query(None, max_length=500), limit: int = Limit, offset: int = Offset):
        data = views.statements(wb, speaker=speaker, q=q, limit=limit, offset=offset)
        return page("statements.html", request, data, api="/api/statements")

    @pages.get("/statements/{statement_id}")
    def statement_page(request: Request, statement_id: str = PathParam(..., pattern=KEY)):
        data = views.statement(wb, statement_id)
        return page("statement.html", request, data, api=f"/api/statements/{statement_id}")

    # entities
    @api.get("/entities", summary="Canonical entities with spelling variants and counts")
    def api_entities(type: str | None = Query(None, pattern=r"^[A-Za-z]{1,12}$"),
                     q: str | None = Query(None, max_length=200), limit: int = Limit, offset: int = Offset):
        return views.entities(wb, type=type, q=q, limit=limit, offset=offset)

    @api.get("/entities/{entity_id}", summary="One entity: variants, articles, statements")
    def api_entity(entity_id: str = PathParam(..., pattern=KEY)):
        return views.entity(wb, entity_id)

    @pages.get("/entities")
    def entities_page(request: Request, type: str | None = Query(None, pattern=r"^[A-Za-z]{0,12}$"),
                      q: str | None = Query(None, max_length=200), limit: int = Limit, offset: int = Offset):
        data = views.entities(wb, type=type or None, q=q, limit=limit, offset=offset)
        return page("entities.html", request, data, api="/api/entities")

    @pages.get("/entities/{entity_id}")
    def entity_page(request: Request, entity_id: str = PathParam(..., pattern=KEY)):
        data = views.entity(wb, entity_id)
        return page("entity.html", request, data, api=f"/api/entities/{entity_id}")

    # timeline and runs
    @api.get("/timeline", summary="The story's events in date order, each with its sources")
    def api_timeline(date_from: str | None = From, date_to: str | None = To, limit: int = Limit, offset: int = Offset):
        return views.timeline(wb, date_from=date_from or None, date_to=date_to or None, limit=limit, offset=offset)

    @pages.get("/timeline")
    def timeline_page(request: Request, date_from: str | None = From, date_to: str | None = To,
                      limit: int = Query(200, ge=1, le=MAX_LIMIT), offset: int = Offset):
        data = views.timeline(wb, date_from=date_from or None, date_to=date_to or None, limit=limit, offset=offset)
        return page("timeline.html", request, data, api="/api/timeline")

    @api.get("/runs", summary="Ingest runs with their counts and rejected inputs")
    def api_runs(limit: int = Limit, offset: int = Offset):
        return views.runs(wb, limit=limit, offset=offset)

    @pages.get("/runs")
    def runs_page(request: Request, limit: int = Limit, offset: int = Offset):
        return page("runs.html", request, views.runs(wb, limit=limit, offset=offset), api="/api/runs")

    # ---------------- ingest (only with a token)
    if settings.ingest_token:
        @api.post("/ingest", summary="Ingest the request body (any format `narrascope ingest` reads); needs the token")
        async def api_ingest(request: Request,
                             name: str = Query("<stdin>", min_length=1, max_length=1000, pattern=r"^[^\x00-\x1f\x7f]+$",
                                               description="the body's file name: its source, and a hint to its format"),
                             views: str = Query("now", pattern="^(now|later)$",
                                                description="'later': leave the cross-article views to the next ingest")):
            auth = request.headers.get("authorization") or ""
            given = auth[7:] if auth.lower().startswith("bearer ") else request.headers.get("x-ingest-token")
            if given is None:
                raise ApiError(401, "token_required", "ingest needs the token: send 'Authorization: Bearer TOKEN'")
            if not token_ok(given, settings.ingest_token):
                raise ApiError(403, "bad_token", "the ingest token is wrong")
            body = await request.body()
            if not body.strip():
                raise ApiError(400, "empty_body", "nothing to ingest: send the document(s) as the request body")
            summary = await run_in_threadpool(_ingest_body, wb, body, name, views == "now")
            return summary

    @api.get("/", include_in_schema=False)
    def api_index():
        return {"endpoints": sorted(app.openapi()["paths"]), "schema": "/api/openapi.json"}

    _add_link_routes(api, pages, wb, page, Limit, Offset)
    app.include_router(api)
    app.include_router(pages)
    app.mount("/static", StaticFiles(directory=STATIC, follow_symlink=False), name="static")

    app.add_middleware(RateLimit, rate=settings.rate_limit)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(AllowedHosts, hosts=settings.hosts)
    app.add_middleware(SecurityHeaders)
    return app


def _ingest_body(wb: Workbench, body: bytes, name: str = "<stdin>", views: bool = True) -> dict:
    """One ingest run over ``body`` through the server's writer, one at a time (readers go on meanwhile:
    each article is committed whole, so a reader sees it complete or not at all)."""
    from ..api import ingest

    with wb.write_lock:
        try:
            summary = ingest(["-"], wb.writer, stdin=io.BytesIO(body), stdin_name=name, views=views)
        finally:
            wb.expire()
    return {"run_id": summary.run_id, **summary.counts, "seconds": round(summary.seconds, 3),
            "rejections": [{"source": r.source, "code": r.code, "reason": r.reason} for r in summary.rejected]}


def _add_link_routes(api: APIRouter, pages: APIRouter, wb: Workbench, page: Callable, Limit, Offset) -> None:
    """Stories, claims, outlets and narratives (see ``narrascope.web.linked``)."""
    from . import linked

    linked.add_routes(api, pages, wb, page, Limit, Offset)
