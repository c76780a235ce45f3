"""Pages and endpoints over what links articles: stories, claims, outlets, narratives.

Stories, the claims matrix and outlet profiles come from
``narrascope.link.views`` (``list_stories``, ``story_view``, ``claims_matrix``,
``outlet_profiles``). The narratives heat map is built here
from each article's ``extractions["narratives"]``.
"""
from __future__ import annotations

import threading
from collections import Counter, defaultdict
from typing import Any, Callable

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam

from ..link import views as link
from ..store import Store
from . import views
from .data import Workbench

KEY = r"^[A-Za-z0-9_.:-]{1,100}$"
_STORY_BUILD = threading.Lock()
HEAT_BINS = 6


def stories(wb: Workbench, limit: int, offset: int) -> dict[str, Any]:
    return link.list_stories(wb.store(), limit=limit, offset=offset)


def story(wb: Workbench, story_id: str) -> dict[str, Any]:
    """The story view, plus for each article the shared quotes it carries and those it omits."""
    def build(store: Store) -> dict[str, Any] | None:
        with _STORY_BUILD:                 # one story view built at a time: it reads many articles
            return link.story_view(store, story_id)

    out = wb.cached(f"story:{story_id}", build)
    if not out:
        raise views.NotFound("story", story_id)
    out = dict(out, articles=[dict(a) for a in out.get("articles") or []])
    shared = out.get("shared_quotes") or []
    unique = out.get("unique_quotes") or []
    for a in out.get("articles") or []:
        carried = {s["id"] for s in shared if a["id"] in {v["article_id"] for v in s["variants"]}}
        a["carries"] = [s["id"] for s in shared if s["id"] in carried]
        a["omits"] = [s["id"] for s in shared if s["id"] not in carried]
        a["unique_quotes"] = [s["id"] for s in unique if s["variants"] and s["variants"][0]["article_id"] == a["id"]]
    out["outlet_of"] = {a["id"]: a.get("outlet") or "unknown outlet" for a in out.get("articles") or []}
    return out


def claims(wb: Workbench, story_id: str | None) -> dict[str, Any]:
    return link.claims_matrix(wb.store(), story_id=story_id)


def outlets(wb: Workbench) -> dict[str, Any]:
    items = link.outlet_profiles(wb.store())
    return {"count": len(items), "limit": len(items), "offset": 0, "items": items}


def _heat(store: Store) -> dict[str, Any]:
    cells: dict[tuple[str, str], Counter] = defaultdict(Counter)
    totals: Counter = Counter()
    names: Counter = Counter()
    any_narratives = False
    for d in store.iter_extraction_docs(("narratives",)):
        found = d["extractions"].get("narratives")
        if found is None:
            continue
        any_narratives = True
        key = (d["publisher"] or "unknown outlet", str(d["published"] or "undated")[:7])
        totals[key] += 1
        for n in {x.get("narrative") for x in found if x.get("narrative")}:
            cells[key][n] += 1
            names[n] += 1
    if not any_narratives:
        raise views.Unavailable("no article has narratives yet: the narratives stage has not run on this store")
    cols = [n for n, _ in names.most_common()]
    rows = []
    for key in sorted(totals, key=lambda k: (k[0].lower(), k[1])):
        n = totals[key]
        rows.append({"outlet": key[0], "month": key[1], "n_articles": n,
                     "cells": [{"narrative": c, "n": cells[key][c], "share": round(cells[key][c] / n, 3),
                                "bin": min(HEAT_BINS - 1, int(cells[key][c] / n * HEAT_BINS))} for c in cols]})
    return {"narratives": cols, "rows": rows, "count": len(rows), "limit": len(rows), "offset": 0, "items": rows}


def narratives(wb: Workbench) -> dict[str, Any]:
    return wb.cached("narratives", _heat)


def add_routes(api: APIRouter, pages: APIRouter, wb: Workbench, page: Callable, Limit, Offset) -> None:
    @api.get("/stories", summary="Stories: the happenings articles report, with their articles")
    def api_stories(limit: int = Limit, offset: int = Offset):
        return stories(wb, limit, offset)

    @api.get("/stories/{story_id}", summary="One story: outlets side by side, shared and unique quotes, claims")
    def api_story(story_id: str = PathParam(..., pattern=KEY)):
        return story(wb, story_id)

    @api.get("/claims", summary="The claims matrix (claims x outlets, with stances)")
    def api_claims(story_id: str | None = Query(None, pattern=KEY)):
        return claims(wb, story_id)

    @api.get("/outlets", summary="Outlets with their profiles")
    def api_outlets():
        return outlets(wb)

    @api.get("/narratives", summary="Narratives by outlet and month (share of articles carrying each)")
    def api_narratives():
        return narratives(wb)

    @pages.get("/stories")
    def stories_page(request: Request, limit: int = Limit, offset: int = Offset):
        return page("stories.html", request, stories(wb, limit, offset), api="/api/stories")

    @pages.get("/stories/{story_id}")
    def story_page(request: Request, story_id: str = PathParam(..., pattern=KEY)):
        return page("story.html", request, story(wb, story_id), api=f"/api/stories/{story_id}")

    @pages.get("/outlets")
    def outlets_page(request: Request):
        return page("outlets.html", request, outlets(wb), api="/api/outlets")

    @pages.get("/narratives")
    def narratives_page(request: Request):
        return page("narratives.html", request, narratives(wb), api="/api/narratives")
