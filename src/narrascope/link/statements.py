"""Corpus-wide entities and statements over the stored articles.

Each article's entities (merged within the article by the ``entities`` stage)
are merged across articles (spelling variants, transliterations, surname and
given-name compatibility, curated aliases); quotes get the canonical speaker and
id, and quotes that are the same statement by the same speaker get one
``statement_id``. Both are written back into each article's extractions.
"""
from __future__ import annotations

from typing import Any

from ..extract.entities import canonicalize, entity_id
from ..extract.statements import group_statements
from ..extract.who import local_from_dict
from ..store import Store


def refresh_statements(store: Store) -> tuple[int, int]:
    """Recompute canonical entities and statement ids; returns (entities, statements)."""
    docs = [d for d in store.iter_extraction_docs(("_local_entities", "quotes")) if d["extractions"].get("_local_entities") is not None]
    local = {d["id"]: [local_from_dict(e) for e in d["extractions"]["_local_entities"]] for d in docs}
    dates = {d["id"]: d["published"] for d in docs}
    canon = canonicalize(local, dates)
    quotes_by_article: dict[str, list[dict[str, Any]]] = {}
    updates: dict[str, dict[str, Any]] = {}
    for d in docs:
        aid = d["id"]
        exported = canon["articles"][aid]
        to_canon = {entity_id(e.type, e.canonical or e.name): (x["id"], x["name"]) for e, x in zip(local[aid], exported)}
        quotes = [dict(q) for q in d["extractions"].get("quotes") or []]
        for q in quotes:
            if q.get("speaker_id") in to_canon:
                q["speaker_id"], q["speaker"] = to_canon[q["speaker_id"]]
        quotes_by_article[aid] = quotes
        updates[aid] = {"entities": exported, "quotes": quotes}
    groups = group_statements(quotes_by_article, dates)
    for (aid, i), sid in groups.items():
        quotes_by_article[aid][i]["statement_id"] = sid
    store.update_extractions(updates)
    return len(canon["entities"]), len(set(groups.values()))
