"""Across-outlet views, ready for JSON: stories, one story, the claims matrix, outlets.

Read-only over what ``refresh_links`` stored; the CLI and the web workbench
both render these.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from ..extract.statements import statement_summary
from ..store import Store
from ..store import links as L
from .syndication import outlet

STANCES = ("asserted", "attributed", "disputed", "absent")


def _articles(store: Store, ids: set[str] | None = None) -> list[dict[str, Any]]:
    out = []
    for d in L.iter_link_docs(store, ids):
        f, ext = d["fields"], d["extractions"]
        out.append({"id": d["id"], "title": f.get("title"), "outlet": outlet(d), "published": f.get("published"),
                    "published_inferred": bool(f.get("published_inferred")), "authors": f.get("authors") or [],
                    "url": f.get("url"), "story_id": ext.get("story_id"), "republished_from": ext.get("republished_from"),
                    "duplicates": ext.get("duplicates") or [], "syndication": ext.get("syndication") or {},
                    "flags": d["flags"] + (ext.get("_link_flags") or []), "claims": ext.get("claims") or [],
                    "quotes": ext.get("quotes") or []})
    return out


def list_stories(store: Store, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    rows = L.story_rows(store)
    page = rows[offset:offset + limit]
    ids = {a for r in page for a in r["article_ids"]}
    arts = {a["id"]: a for a in _articles(store, ids)}
    items = []
    for r in page:
        members = [arts[a] for a in r["article_ids"] if a in arts]
        items.append({"id": r["story_id"], "title": r["title"], "first_date": r["first_date"], "last_date": r["last_date"],
                      "n_articles": len(members), "outlets": sorted({m["outlet"] or "unknown outlet" for m in members}),
                      "articles": [{k: m[k] for k in ("id", "title", "outlet", "published")} for m in members]})
    return {"count": len(rows), "limit": limit, "offset": offset, "items": items}


def story_view(store: Store, story_id: str) -> dict[str, Any] | None:
    """Coverage by outlet: the articles, the quotes shared by several and those only one carries, the claims."""
    rows = L.story_rows(store, story_id)
    if not rows:
        return None
    r = rows[0]
    arts = _articles(store, set(r["article_ids"]))
    by_article = {a["id"]: a["quotes"] for a in arts}
    groups = {(a["id"], i): q["statement_id"] for a in arts for i, q in enumerate(a["quotes"]) if q.get("statement_id")}
    stmts = statement_summary(by_article, groups, {a["id"]: a["published"] for a in arts})
    shared = [s for s in stmts if len({v["article_id"] for v in s["variants"]}) > 1]
    unique = [s for s in stmts if len({v["article_id"] for v in s["variants"]}) == 1]
    return {"id": story_id, "title": r["title"], "first_date": r["first_date"], "last_date": r["last_date"],
            "articles": [{k: a[k] for k in ("id", "title", "outlet", "published", "published_inferred", "authors",
                                            "republished_from", "duplicates", "flags")} for a in arts],
            "shared_quotes": shared, "unique_quotes": unique,
            "claims": claims_matrix(store, story_id, _arts=arts)}


def claims_matrix(store: Store, story_id: str | None = None, min_articles: int = 2, _arts=None) -> dict[str, Any]:
    """Claims made by at least ``min_articles`` articles × articles, each cell a stance with its evidence."""
    if _arts is not None:
        arts = _arts
    elif story_id:
        rows = L.story_rows(store, story_id)
        arts = _articles(store, set(rows[0]["article_ids"])) if rows else []
    else:
        arts = _articles(store)
    claims: dict[str, dict[str, Any]] = {}
    for a in arts:
        for c in a["claims"]:
            row = claims.setdefault(c["claim_id"], {"claim_id": c["claim_id"], "kind": c["kind"], "text": c["text"],
                                                    "cells": {}})
            row["cells"][a["id"]] = {"stance": c["stance"], "sentence": c["text"], "start": c["start"], "end": c["end"],
                                     "cue": c.get("stance_cue") or c.get("cue")}
    rows = [r for r in claims.values() if len(r["cells"]) >= min(min_articles, len(arts))]
    for r in rows:
        for a in arts:
            r["cells"].setdefault(a["id"], {"stance": "absent", "sentence": None, "start": None, "end": None, "cue": None})
        r["counts"] = dict(Counter(c["stance"] for c in r["cells"].values()))
    rows.sort(key=lambda r: (-sum(1 for c in r["cells"].values() if c["stance"] != "absent"), r["claim_id"]))
    return {"articles": [{"id": a["id"], "outlet": a["outlet"], "title": a["title"], "published": a["published"]}
                         for a in arts], "claims": rows}


def outlet_profiles(store: Store) -> list[dict[str, Any]]:
    """Per publisher: articles, stories, claims by stance, syndication, flags."""
    out: dict[str, dict[str, Any]] = {}
    arts = _articles(store)
    for a in arts:
        name = a["outlet"] or "unknown outlet"
        p = out.setdefault(name, {"outlet": name, "articles": 0, "stories": set(), "claims": Counter(),
                                  "originates": 0, "republishes": 0, "flags": Counter()})
        p["articles"] += 1
        if a["story_id"]:
            p["stories"].add(a["story_id"])
        p["claims"].update(c["stance"] for c in a["claims"])
        if a["republished_from"]:
            p["republishes"] += 1
        p["flags"].update(f.split(":")[0] for f in a["flags"])
    for p in out.values():
        p["stories"] = len(p["stories"])
        p["claims"] = {s: p["claims"].get(s, 0) for s in STANCES[:3]}
        p["flags"] = dict(p["flags"])
    origins = Counter()
    for row in L.pairs(store):
        if row["origin"]:
            origins[row["origin"]] += 1
    by_id = {a["id"]: a["outlet"] or "unknown outlet" for a in arts}
    for aid, n in origins.items():
        if aid in by_id:
            out[by_id[aid]]["originates"] += n
    return sorted(out.values(), key=lambda p: (-p["articles"], p["outlet"]))
