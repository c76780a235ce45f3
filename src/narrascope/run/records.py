"""One processed article as a flat record (Parquet row), and back.

A record holds everything the store keeps of an article — raw input, clean
text, offsets, fields with provenance, flags, removed segments and the
extractions — with nested values as JSON strings, so every runner writes the
same columns and the importer can rebuild the ``Article`` exactly. Nothing in
a record depends on when or where it was made: two runners that process the
same input produce equal records.
"""
from __future__ import annotations

import json
from typing import Any

from ..errors import Rejected
from ..model import Article, Field, Flag, OffsetMap, RawInput, Removed, content_id

UNKNOWN_MONTH = "unknown"

# column name -> Arrow/Spark type name ("string", "int", "strings" = list of string)
ARTICLE_COLUMNS: dict[str, str] = {
    "id": "string", "raw_hash": "string", "doc_key": "string", "source": "string",
    "container": "string", "format": "string", "encoding": "string", "raw_text": "string",
    "given": "string", "url": "string", "title": "string", "dek": "string", "authors": "strings",
    "publisher": "string", "published": "string", "language": "string", "text": "string",
    "text_length": "int", "offsets": "string", "removed": "string", "fields": "string",
    "flags": "string", "shard": "string", "month": "string",
}
EXTRACTION_COLUMNS: dict[str, str] = {"id": "string", "data": "string", "shard": "string",
                                      "stage": "string", "month": "string"}
REJECTED_COLUMNS: dict[str, str] = {"source": "string", "code": "string", "reason": "string", "shard": "string"}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def _strs(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else [value]
    return [str(v) for v in items if v not in (None, "")]


def month_of(published: Any) -> str:
    """The partition an article falls in: its publication month, or ``unknown``."""
    p = _str(published)
    if p and len(p) >= 7 and p[:4].isdigit() and p[4] == "-" and p[5:7].isdigit():
        return p[:7]
    return UNKNOWN_MONTH


def article_record(article: Article, shard: str) -> dict[str, Any]:
    """The article's row in the ``articles`` dataset (extractions go to their own rows)."""
    raw = article.raw
    return {
        "id": article.id,
        "raw_hash": raw.content_hash or content_id(raw.text.encode("utf-8", "surrogatepass")),
        "doc_key": raw.doc_key,
        "source": raw.source,
        "container": raw.container,
        "format": raw.format,
        "encoding": raw.encoding,
        "raw_text": raw.text,
        "given": _dumps(raw.given or {}),
        "url": _str(article.get("url")) or raw.url,
        "title": _str(article.get("title")),
        "dek": _str(article.get("dek")),
        "authors": _strs(article.get("authors")),
        "publisher": _str(article.get("publisher")),
        "published": _str(article.get("published")),
        "language": _str(article.get("language")),
        "text": article.text,
        "text_length": len(article.text),
        "offsets": _dumps(article.offsets.to_json()),
        "removed": _dumps([{"start": r.start, "end": r.end, "kind": r.kind, "text": r.text} for r in article.removed]),
        "fields": _dumps([[name, f.as_dict()] for name, f in article.fields.items()]),
        "flags": _dumps([{"code": f.code, "detail": f.detail, "start": f.start, "end": f.end, "reason": f.reason}
                         for f in article.flags]),
        "shard": shard,
        "month": month_of(article.get("published")),
    }


def extraction_records(article: Article, shard: str) -> list[dict[str, Any]]:
    """One row per stage output of the article: the ``extractions`` dataset, partitioned by stage."""
    month = month_of(article.get("published"))
    return [{"id": article.id, "data": _dumps(value), "shard": shard, "stage": stage, "month": month}
            for stage, value in sorted(article.extractions.items())]


def rejected_record(r: Rejected, shard: str) -> dict[str, Any]:
    return {"source": r.source, "code": r.code, "reason": r.reason, "shard": shard}


def article_from_records(row: dict[str, Any], extractions: dict[str, Any]) -> Article:
    """Rebuild the ``Article`` a record was made from (what the store's importer saves)."""
    raw = RawInput(row["source"], row["raw_text"], row["format"], row["container"], row["encoding"],
                   json.loads(row["given"] or "{}"), row["raw_hash"])
    article = Article(raw, id=row["id"], text=row["text"] or "",
                      offsets=OffsetMap.from_json(json.loads(row["offsets"] or "[]"), len(row["text"] or "")))
    article.fields = {name: Field(**f) for name, f in json.loads(row["fields"] or "[]")}
    article.flags = [Flag(**f) for f in json.loads(row["flags"] or "[]")]
    article.removed = [Removed(**r) for r in json.loads(row["removed"] or "[]")]
    article.extractions = dict(extractions)
    return article
