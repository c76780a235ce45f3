"""The per-article "who said what" stages: entities and quotes, with one spaCy parse shared.

Local entities are kept in a serialisable form (``entities_local``) so the
cross-article step (``link/statements.py``) can merge them corpus-wide later.
"""
from __future__ import annotations

from typing import Any

from ..model import Article
from . import entities as E
from ..lang import reader


def local_to_dict(e: E.LocalEntity) -> dict[str, Any]:
    return {"name": e.name, "type": e.type, "titles": list(e.titles), "gender": e.gender, "canonical": e.canonical,
            "mentions": [[m.start, m.end, m.text, m.type, m.kind] + ([m.norm] if m.norm else []) for m in e.mentions]}


def local_from_dict(d: dict[str, Any]) -> E.LocalEntity:
    return E.LocalEntity(d["name"], d["type"], [E.Mention(*m) for m in d["mentions"]], list(d.get("titles") or []),
                         d.get("gender"), d.get("canonical"))


def entities_stage(article: Article) -> None:
    """Entities of the body, merged within the article (surnames, descriptions, aliases)."""
    reads = reader(article, "entities")
    if reads is None:
        return
    local = reads.article_entities(article.text)
    article.extractions["_local_entities"] = [local_to_dict(e) for e in local]
    article.extractions["entities"] = E.export_entities(local)


def quotes_stage(article: Article) -> None:
    """Quotes with speaker, cue, evidence and the date they were said."""
    reads = reader(article, "quotes")
    if reads is None:
        return
    local = [local_from_dict(d) for d in article.extractions.get("_local_entities") or []]
    quotes = reads.extract_quotes(article.text, local, article.get("published"))
    article.extractions["quotes"] = [dict(q.as_dict(), statement_id=None) for q in quotes]
