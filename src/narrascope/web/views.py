"""What each workbench page shows, as JSON-ready dicts (the API returns them as they are).

Every function takes a ``Workbench`` (or a ``Store``) and plain parameters and
returns a dict; list views return ``{"count", "limit", "offset", "items"}``.
The HTML pages render the same dicts, so each page has its JSON twin.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from ..extract.statements import statement_summary
from ..store import Store
from .data import Workbench
from .search import INDEX, parse_query, snippet


class NotFound(LookupError):
    """The thing asked for is not in the store (HTTP 404)."""

    def __init__(self, what: str, key: str):
        super().__init__(f"no {what} with id {key!r}")
        self.what, self.key = what, key


class Unavailable(RuntimeError):
    """The store holds no data of this kind yet (HTTP 404, code ``not_available``)."""


def page(items: list, count: int, limit: int, offset: int, **extra: Any) -> dict[str, Any]:
    return {"count": count, "limit": limit, "offset": offset, "items": items, **extra}


def _slice(items: list, limit: int, offset: int, **extra: Any) -> dict[str, Any]:
    return page(items[offset:offset + limit], len(items), limit, offset, **extra)


# ------------------------------------------------------------ articles and search
def articles(wb: Workbench, *, limit: int, offset: int, **filters: Any) -> dict[str, Any]:
    total, rows = wb.store().find_articles(limit=limit, offset=offset, **filters)
    return page(rows, total, limit, offset, filters={k: v for k, v in filters.items() if v})


def search(wb: Workbench, q: str, *, limit: int, offset: int, **filters: Any) -> dict[str, Any]:
    """Full-text search (all terms; "quoted phrases" exactly) within the filters.

    With no words in ``q`` it lists the articles the filters select.
    """
    terms, phrases = parse_query(q or "")
    used = {k: v for k, v in filters.items() if v}
    if not terms:
        out = articles(wb, limit=limit, offset=offset, **filters)
        out.update(query=q or "", terms=[])
        return out
    wb.index.ensure_fresh()
    total, rows = wb.store().search_articles(terms, phrases, index=INDEX, limit=limit, offset=offset, **filters)
    for r in rows:
        r["snippet"] = snippet(r.pop("text") or "", terms, phrases)
        r["score"] = round(float(r["score"]), 4)
    return page(rows, total, limit, offset, query=q, terms=terms, phrases=phrases, filters=used)


def article(wb: Workbench, article_id: str) -> dict[str, Any]:
    """One article: metadata with provenance, flags, text and every extraction."""
    a = wb.store().get_article(article_id)
    if a is None:
        raise NotFound("article", article_id)
    ext = a.get("extractions") or {}
    fields = {f["name"]: f for f in a.get("fields") or []}
    raw = a.get("raw") or {}
    out: dict[str, Any] = {
        "id": a["id"], "version": a["version"], "doc_key": a["doc_key"], "source": a["source"], "url": a["url"],
        "title": a["title"], "publisher": a["publisher"],
        "published": (fields.get("published") or {}).get("value"),
        "published_inferred": (fields.get("published") or {}).get("origin") == "inferred",
        "language": a["language"], "text": a["text"],
        "metadata": [{"name": f["name"], "value": f["value"], "origin": f["origin"], "start": f["start"],
                      "end": f["end"], "line": f["line"], "evidence": f["evidence"]} for f in a.get("fields") or []],
        "flags": a.get("flags") or [],
        "removed": [{"start": r["start"], "end": r["end"], "kind": r["kind"]} for r in a.get("removed") or []],
        "versions": a.get("versions") or [],
        "sources": a.get("sources") or [],
        "raw": {k: raw.get(k) for k in ("hash", "source", "container", "format", "encoding", "size")},
        "republished_from": ext.get("republished_from") or (fields.get("republished_from") or {}).get("value")
        or a.get("republished_from"),
        "extractions": {k: v for k, v in ext.items() if not k.startswith("_")},
    }
    out["partners"] = partners(wb.store(), out)
    return out


def partners(store: Store, a: dict[str, Any]) -> list[dict[str, Any]]:
    """Articles syndicated with this one: copies and rewrites found by the linker, its origin, the credited outlet."""
    ext = a["extractions"]
    found: dict[str, str] = {}
    related = list(ext.get("duplicates") or []) + list((ext.get("syndication") or {}).get("related") or [])
    for d in related:
        other = (d.get("article_id") or d.get("id")) if isinstance(d, dict) else d
        if isinstance(other, str) and other != a["id"]:
            found.setdefault(other, (d.get("kind") if isinstance(d, dict) else None) or "duplicate")
    rep = a.get("republished_from") if isinstance(a.get("republished_from"), dict) else {}
    if rep.get("article_id") and rep["article_id"] != a["id"]:
        found[rep["article_id"]] = "origin"
    elif rep.get("publisher"):
        _, rows = store.find_articles(outlet=rep["publisher"], limit=20)
        for r in rows:
            if r["id"] != a["id"]:
                found.setdefault(r["id"], "credited outlet")
    if not found:
        return []
    _, rows = store.find_articles(ids=list(found), limit=len(found))
    return [{**r, "relation": found[r["id"]]} for r in rows]


def raw_text(wb: Workbench, article_id: str) -> str:
    a = wb.store().get_article(article_id)
    if a is None:
        raise NotFound("article", article_id)
    return (a.get("raw") or {}).get("text") or ""


# ------------------------------------------------------------ statements and entities
def _all_statements(store: Store) -> dict[str, Any]:
    docs = list(store.iter_extraction_docs(("quotes",)))
    by_article = {d["id"]: d["extractions"].get("quotes") or [] for d in docs}
    groups = {(aid, i): q["statement_id"] for aid, qs in by_article.items() for i, q in enumerate(qs)
              if q.get("statement_id")}
    stmts = statement_summary(by_article, groups, {d["id"]: d["published"] for d in docs})
    publisher = {d["id"]: d["publisher"] for d in docs}
    for st in stmts:
        for v in st["variants"]:
            q = by_article[v["article_id"]][v["index"]]
            v.update(publisher=publisher.get(v["article_id"]), start=q.get("start"), end=q.get("end"),
                     cue=q.get("cue"), speaker_text=q.get("speaker_text"), evidence=q.get("evidence"))
        st["outlets"] = sorted({publisher.get(a) or "unknown outlet" for a in st["carriers"]})
        st["text"] = max((v["text"] for v in st["variants"]), key=len)
    return {"items": stmts, "by_id": {s["id"]: s for s in stmts}}


def statements(wb: Workbench, *, speaker: str | None = None, q: str | None = None, limit: int, offset: int) -> dict:
    items = wb.cached("statements", _all_statements)["items"]
    if speaker:
        items = [s for s in items if speaker.lower() in (s["speaker"] or "").lower()]
    if q:
        needle = q.lower()
        items = [s for s in items if any(needle in v["text"].lower() for v in s["variants"])]
    return _slice(items, limit, offset, filters={k: v for k, v in (("speaker", speaker), ("q", q)) if v})


def statement(wb: Workbench, statement_id: str) -> dict[str, Any]:
    st = wb.cached("statements", _all_statements)["by_id"].get(statement_id)
    if st is None:
        raise NotFound("statement", statement_id)
    _, rows = wb.store().find_articles(ids=st["carriers"], limit=len(st["carriers"]))
    carriers = sorted(rows, key=lambda r: (r["published"] or "~", r["id"]))
    return {**st, "carrier_articles": carriers}


def _all_entities(store: Store) -> dict[str, Any]:
    recs: dict[str, dict] = {}
    for d in store.iter_extraction_docs(("entities",)):
        for e in d["extractions"].get("entities") or []:
            r = recs.setdefault(e["id"], {"id": e["id"], "name": e["name"], "type": e["type"], "articles": set(),
                                          "variants": Counter(), "mentions": 0})
            r["articles"].add(d["id"])
            r["variants"].update(m["text"] for m in e.get("mentions") or [])
            r["mentions"] += len(e.get("mentions") or [])
    items = sorted(recs.values(), key=lambda r: (-len(r["articles"]), -r["mentions"], r["name"]))
    for r in items:
        r["articles"] = sorted(r["articles"])
        r["n_articles"] = len(r["articles"])
        r["variants"] = [{"text": t, "count": n} for t, n in r["variants"].most_common()]
    return {"items": items, "by_id": {r["id"]: r for r in items}}


def entities(wb: Workbench, *, type: str | None = None, q: str | None = None, limit: int, offset: int) -> dict:
    items = wb.cached("entities", _all_entities)["items"]
    if type:
        items = [e for e in items if e["type"] == type.upper()]
    if q:
        needle = q.lower()
        items = [e for e in items if needle in e["name"].lower() or any(needle in v["text"].lower() for v in e["variants"])]
    listed = [{k: v for k, v in e.items() if k != "articles"} for e in items[offset:offset + limit]]
    return page(listed, len(items), limit, offset, filters={k: v for k, v in (("type", type), ("q", q)) if v})


def entity(wb: Workbench, entity_id: str) -> dict[str, Any]:
    e = wb.cached("entities", _all_entities)["by_id"].get(entity_id)
    if e is None:
        raise NotFound("entity", entity_id)
    _, rows = wb.store().find_articles(ids=e["articles"], limit=len(e["articles"]))
    stmts = [s for s in wb.cached("statements", _all_statements)["items"] if s["speaker_id"] == entity_id]
    return {**{k: v for k, v in e.items() if k != "articles"}, "articles": rows,
            "statements": [{k: s[k] for k in ("id", "text", "earliest", "outlets")} for s in stmts]}


# ------------------------------------------------------------ timeline and runs
def timeline(wb: Workbench, *, date_from: str | None = None, date_to: str | None = None,
             limit: int, offset: int) -> dict[str, Any]:
    entries = wb.store().timeline(date_from, date_to)
    for e in entries:
        e["inferred"] = any(s.get("inferred") for s in e["sources"])
        e["outlets"] = sorted({s.get("publisher") or "unknown outlet" for s in e["sources"]})
    filters = {k: v for k, v in (("from", date_from), ("to", date_to)) if v}
    return _slice(entries, limit, offset, filters=filters)


def runs(wb: Workbench, *, limit: int, offset: int) -> dict[str, Any]:
    store = wb.store()
    items = list(reversed(store.runs()))
    listed = items[offset:offset + limit]
    for r in listed:
        r["errors"] = store.errors(r["id"])
    return page(listed, len(items), limit, offset)


def outlets_basic(wb: Workbench) -> list[dict[str, Any]]:
    return wb.store().publishers()

