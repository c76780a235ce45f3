"""Corpus-wide entities and statements over the stored articles.

Each article's entities (merged within the article by the ``entities`` stage)
are merged across articles (spelling variants, transliterations, surname and
given-name compatibility, curated aliases); quotes get the canonical speaker and
id, roles point at the canonical entity, and quotes that are the same
statement by the same speaker get one ``statement_id``. All are written back
into each article's extractions.
"""
from __future__ import annotations

from typing import Any

from ..extract.entities import canonicalize, entity_id
from ..extract.statements import group_statements
from ..extract.who import local_from_dict
from ..store import Store


def refresh_statements(store: Store) -> tuple[int, int]:
    """Recompute canonical entities and statement ids; returns (entities, statements)."""
    docs = [d for d in store.iter_extraction_docs(("_local_entities", "_entity_map", "quotes", "roles")) if d["extractions"].get("_local_entities") is not None]
    local = {d["id"]: [local_from_dict(e) for e in d["extractions"]["_local_entities"]] for d in docs}
    dates = {d["id"]: d["published"] for d in docs}
    canon = canonicalize(local, dates)
    quotes_by_article: dict[str, list[dict[str, Any]]] = {}
    updates: dict[str, dict[str, Any]] = {}
    for d in docs:
        aid = d["id"]
        exported = canon["articles"][aid]
        to_canon = {entity_id(e.type, e.canonical or e.name): (x["id"], x["name"]) for e, x in zip(local[aid], exported)}
        local_of = _local_ids(d["extractions"].get("_entity_map") or {})
        quotes = [dict(q) for q in d["extractions"].get("quotes") or []]
        for q in quotes:
            sid = local_of.get(q.get("speaker_id"), q.get("speaker_id"))
            if sid in to_canon:
                q["speaker_id"], q["speaker"] = to_canon[sid]
        quotes_by_article[aid] = quotes
        roles = [dict(r) for r in d["extractions"].get("roles") or []]
        for r in roles:
            eid = local_of.get(r.get("entity_id"), r.get("entity_id"))
            if eid in to_canon:
                r["entity_id"] = to_canon[eid][0]
        updates[aid] = {"entities": exported, "quotes": quotes, "_entity_map": {k: v[0] for k, v in to_canon.items()}}
        if roles:
            updates[aid]["roles"] = roles
    groups = group_statements(quotes_by_article, dates)
    for (aid, i), sid in groups.items():
        quotes_by_article[aid][i]["statement_id"] = sid
    store.update_extractions(updates)
    return len(canon["entities"]), len(set(groups.values()))


def _local_ids(entity_map: dict[str, str]) -> dict[str, str]:
    """Canonical id -> the article's own id, from the map the last refresh stored (quotes and roles
    name the canonical entity after a refresh; the next one maps them from the local ids again)."""
    out: dict[str, str] = {}
    for local_id, canonical_id in entity_map.items():
        out.setdefault(canonical_id, local_id)
    return out
