"""Reading and writing the links between articles (migration 3's tables).

Kept apart from ``Store`` so the article store stays small; every function
takes the open ``Store``.
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

import numpy as np

from .db import _LATEST, Store, _json, _unjson


def latest_of(store: Store, ids: Iterable[str]) -> set[str]:
    """Those of ``ids`` that are the latest version of their document.

    Read by id and document key, a few hundred at a time, so a story's handful
    of articles costs a handful of index lookups rather than a pass over every article.
    """
    ids = sorted(set(ids))
    out: set[str] = set()
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        rows = store._x(f"SELECT id, doc_key, version FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
                        chunk).fetchall()
        keys = sorted({k for _, k, _ in rows})
        if not keys:
            continue
        top = dict(store._x(f"SELECT doc_key, max(version) FROM articles WHERE doc_key IN ({','.join('?' * len(keys))}) "
                            "GROUP BY doc_key", keys).fetchall())
        out.update(i for i, k, v in rows if v == top.get(k))
    return out


def iter_link_docs(store: Store, only: set[str] | None = None) -> Iterator[dict[str, Any]]:
    """Latest version of every article (or of those in ``only``) with what linking needs (fields by name, flag codes, extractions)."""
    if only is None:
        rows = store._x(f"""SELECT a.id, a.text, a.extractions FROM articles a
                            WHERE {_LATEST} ORDER BY a.ingested_at, a.id""").fetchall()
    else:
        keep = sorted(latest_of(store, only))
        rows = []
        for chunk in (keep[i:i + 500] for i in range(0, len(keep), 500)):
            rows += store._x(f"""SELECT a.id, a.text, a.extractions, a.ingested_at FROM articles a
                                 WHERE a.id IN ({','.join('?' * len(chunk))})""", chunk).fetchall()
        rows = [r[:3] for r in sorted(rows, key=lambda r: (r[3], r[0]))]
    ids = [r[0] for r in rows]
    fields: dict[str, dict[str, Any]] = {}
    flags: dict[str, list[str]] = {}
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        marks = ",".join("?" * len(chunk))
        for aid, name, value, origin in store._x(
                f"SELECT article_id, name, value, origin FROM fields WHERE article_id IN ({marks})", chunk).fetchall():
            fields.setdefault(aid, {})[name] = _unjson(value)
            if name == "published" and origin == "inferred":
                fields[aid]["published_inferred"] = True
        for aid, code in store._x(f"SELECT article_id, code FROM flags WHERE article_id IN ({marks})", chunk).fetchall():
            flags.setdefault(aid, []).append(code)
    for aid, text, ext in rows:
        yield {"id": aid, "text": text or "", "fields": fields.get(aid, {}), "flags": flags.get(aid, []),
               "extractions": _unjson(ext) or {}}


def get_vectors(store: Store, keys: Iterable[str]) -> dict[str, np.ndarray]:
    keys = list(dict.fromkeys(keys))
    out: dict[str, np.ndarray] = {}
    for chunk in (keys[i:i + 500] for i in range(0, len(keys), 500)):
        marks = ",".join("?" * len(chunk))
        for k, v in store._x(f"SELECT key, vec FROM vectors WHERE key IN ({marks})", chunk).fetchall():
            out[k] = np.asarray(v, dtype=np.float32)
    return out


def put_vectors(store: Store, vectors: dict[str, np.ndarray]) -> None:
    if not vectors:
        return
    rows = [(k, [float(x) for x in v]) for k, v in vectors.items()]
    store.con.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)


def get_signatures(store: Store) -> dict[str, np.ndarray]:
    return {a: np.asarray(h, dtype=np.uint64) for a, h in store._x("SELECT article_id, minhash FROM signatures").fetchall()}


def put_signatures(store: Store, sigs: dict[str, np.ndarray]) -> None:
    if sigs:
        store.con.executemany("INSERT OR REPLACE INTO signatures VALUES (?, ?)",
                              [(a, [int(x) for x in h]) for a, h in sigs.items()])


def replace_pairs(store: Store, pairs: list[dict[str, Any]]) -> None:
    store._x("DELETE FROM pairs")
    if pairs:
        store.con.executemany("INSERT INTO pairs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                              [(p["a"], p["b"], p["kind"], p.get("jaccard"), p.get("containment"), p.get("aligned"),
                                p.get("origin"), _json(p.get("evidence"))) for p in pairs])


def pairs(store: Store, article_id: str | None = None) -> list[dict[str, Any]]:
    where, params = ("WHERE a = ? OR b = ?", [article_id, article_id]) if article_id else ("", [])
    rows = store._dicts(f"SELECT * FROM pairs {where} ORDER BY a, b, kind", params)
    for r in rows:
        r["evidence"] = _unjson(r["evidence"])
    return rows


def story_members(store: Store) -> dict[str, str]:
    """The story of every article placed so far."""
    return dict(store._x("SELECT article_id, story_id FROM story_members").fetchall())


def save_stories(store: Store, stories: list[dict[str, Any]], new_members: list[dict[str, Any]]) -> None:
    for s in stories:
        store._x("INSERT OR REPLACE INTO stories VALUES (?, ?, ?, ?, ?, ?)",
                 [s["story_id"], s.get("title"), s.get("anchor"), s.get("first_date"), s.get("last_date"),
                  s["n_articles"]])
    for m in new_members:
        store._x("INSERT OR REPLACE INTO story_members VALUES (?, ?, ?, ?)",
                 [m["article_id"], m["story_id"], m.get("score"), _json(m.get("evidence"))])


def replace_claims(store: Store, claims: list[dict[str, Any]]) -> None:
    store._x("DELETE FROM claims")
    if claims:
        store.con.executemany("INSERT INTO claims VALUES (?, ?, ?, ?)",
                              [(c["claim_id"], c["text"], c.get("kind"), c["n_articles"]) for c in claims])


def story_rows(store: Store, story_id: str | None = None) -> list[dict[str, Any]]:
    """Stories (or the one asked for) with their member article ids (latest versions only), largest first."""
    if story_id:
        head = store._dicts("SELECT story_id, title, anchor, first_date, last_date FROM stories WHERE story_id = ?",
                            [story_id])
        members = [r[0] for r in store._x("SELECT article_id FROM story_members WHERE story_id = ?",
                                          [story_id]).fetchall()]
        latest = latest_of(store, members)
        ids = sorted(m for m in members if m in latest)
        return [dict(head[0], article_ids=ids)] if head and ids else []
    return store._dicts(f"""SELECT s.story_id, s.title, s.anchor, s.first_date, s.last_date,
               list(m.article_id ORDER BY m.article_id) AS article_ids
        FROM stories s JOIN story_members m ON m.story_id = s.story_id
        JOIN articles a ON a.id = m.article_id AND {_LATEST}
        GROUP BY ALL ORDER BY count(*) DESC, s.first_date NULLS LAST, s.story_id""")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
