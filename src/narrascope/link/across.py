"""Across outlets, after each run: copies, syndication, stories and claims.

``refresh_links`` reads every stored article (latest versions), extends what
was linked before and writes back, per article, the export keys
``duplicates``, ``republished_from`` (evidence-backed), ``syndication``,
``story_id`` and ``claims``. Embeddings are cached in the store by text, so a
later run embeds only what is new; stories already made keep their articles.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable, Callable

import numpy as np

from ..lang import crosslingual as X
from ..store import Store
from ..store import links as L
from . import claims as C
from . import dedup, stories as S, syndication as Y
from .embed import MODEL_NAME, encode

Embed = Callable[[list[str]], np.ndarray]
REWRITE_CANDIDATE = 0.7   # lead similarity from which two articles are aligned sentence by sentence


@dataclass
class LinkSummary:
    near_copies: int = 0
    rewrites: int = 0
    stories: int = 0
    new_in_stories: int = 0
    claims: int = 0
    shared_claims: int = 0


def cached(store: Store, embed: Embed = encode, model: str = MODEL_NAME) -> Embed:
    """``embed`` with the store's vector cache in front of it (keyed by model and text)."""
    def key(t: str) -> str:
        return hashlib.sha1(f"{model}\n{t}".encode()).hexdigest()

    def run(texts: list[str]) -> np.ndarray:
        keys = [key(t) for t in texts]
        have = L.get_vectors(store, keys)
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in have))
        if missing:
            fresh = embed(missing)
            new = {key(t): v for t, v in zip(missing, fresh)}
            L.put_vectors(store, new)
            have.update(new)
        return np.stack([have[k] for k in keys]) if keys else np.zeros((0, 384), dtype=np.float32)
    return run


def _profile(doc: dict[str, Any], vec: np.ndarray) -> S.Profile:
    ext = doc["extractions"]
    day = S.happening_day(doc["fields"].get("published"), ext.get("events") or [])
    ents = frozenset(e["id"] for e in ext.get("entities") or [] if e.get("type") in ("PERSON", "ORG", "NORP", "EVENT"))
    quotes = ext.get("quotes") or []
    recent = frozenset(q["statement_id"] for q in quotes if q.get("statement_id") and _recent(q.get("said_on"), day))
    return S.Profile(doc["id"], vec, day, ents, recent, doc["fields"].get("title"), doc["fields"].get("language"))


def cross_language_ids(items: Iterable[tuple[str, date | None, str | None]]) -> set[str]:
    """The articles, of (id, happening day, language), that an article in another language could
    join (within the story window, or undated): only those need a multilingual lead vector, and
    none do in a one-language corpus. The store's refresh and the batch runner (local and Spark)
    both ask this."""
    items = list(items)
    if len({lang for _, _, lang in items}) < 2:
        return set()
    langs_near: dict[date | None, set[str | None]] = {}
    for _, day, lang in items:
        if day is None:
            langs_near.setdefault(None, set()).add(lang)
            continue
        for k in range(-S.WINDOW_DAYS, S.WINDOW_DAYS + 1):
            langs_near.setdefault(day + timedelta(days=k), set()).add(lang)
    undated = langs_near.get(None, set())
    every = set().union(*langs_near.values())
    return {aid for aid, day, lang in items
            if len((langs_near.get(day, set()) if day else every) | undated | {lang}) > 1}


def _cross_language(profiles: dict[str, S.Profile], leads: dict[str, str], xemb: Embed) -> None:
    """Multilingual lead vectors for the articles ``cross_language_ids`` picks."""
    need = [profiles[a] for a in sorted(cross_language_ids((p.article_id, p.day, p.lang)
                                                           for p in profiles.values()))]
    if not need:
        return
    vecs = xemb([leads[p.article_id] for p in need])
    for p, v in zip(need, vecs):
        p.xvec = v


def _recent(said_on: Any, day: date | None) -> bool:
    """A quote of the happening itself, not an old one recalled (a 2008 cable in a 2022 story)."""
    if not said_on or not day:
        return True
    return str(said_on)[:4] >= str(day.year - 1)


def _order(doc: dict[str, Any]) -> tuple[str, str]:
    return (str(doc["fields"].get("published") or "9999"), doc["id"])


def refresh_links(store: Store, embed: Embed = encode) -> LinkSummary:
    emb = cached(store, embed)
    docs = sorted(L.iter_link_docs(store), key=_order)
    by_id = {d["id"]: d for d in docs}
    summary = LinkSummary()
    store.con.begin()
    try:
        copies = _near_copies(store, docs)
        lead_texts = {d["id"]: S.lead_text(d["fields"].get("title"), d["fields"].get("dek"), d["text"]) for d in docs}
        leads = dict(zip(by_id, emb([lead_texts[a] for a in by_id]))) if docs else {}
        profiles = {aid: _profile(by_id[aid], v) for aid, v in leads.items()}
        _cross_language(profiles, lead_texts, cached(store, X.encode, X.MODEL_NAME))
        story_of = _stories(store, docs, profiles, copies)
        rewrites = _rewrites(docs, profiles, story_of, copies, emb)
        L.replace_pairs(store, [_pair_row(p, by_id) for p in copies] + rewrites)
        claims = _claims(store, docs, emb)
        updates = _article_updates(docs, copies, rewrites, story_of, claims)
        for aid, ext in updates.items():
            store._x("UPDATE articles SET extractions = json_merge_patch(coalesce(extractions, '{}'), ?) WHERE id = ?",
                     [L.dumps(ext), aid])
        store.con.commit()
    except BaseException:
        store.con.rollback()
        raise
    summary.near_copies, summary.rewrites = len(copies), len(rewrites)
    summary.stories = len(set(story_of.values()))
    summary.claims = len({c["claim_id"] for cs in claims.values() for c in cs})
    summary.shared_claims = len({c["claim_id"] for cs in claims.values() for c in cs if c["n_articles"] > 1})
    return summary


def _near_copies(store: Store, docs: list[dict[str, Any]]) -> list[dedup.Overlap]:
    sigs = L.get_signatures(store)
    fresh = {d["id"]: dedup.signature(dedup.shingles(d["text"])) for d in docs if d["id"] not in sigs}
    L.put_signatures(store, fresh)
    sigs.update(fresh)
    ids = {d["id"] for d in docs}
    sigs = {k: v for k, v in sigs.items() if k in ids}
    texts = {d["id"]: d["text"] for d in docs}
    return dedup.near_copies_among(sigs, lambda ids: {k: dedup.shingles(texts[k]) for k in ids})


def _pair_row(p: dedup.Overlap, by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
    origin, why = Y.origin_of(by_id[p.a], by_id[p.b])
    return {"a": p.a, "b": p.b, "kind": p.kind, "jaccard": p.jaccard, "containment": p.containment,
            "aligned": None, "origin": origin, "evidence": why}


def _stories(store: Store, docs, profiles, copies) -> dict[str, str]:
    members = L.story_members(store)
    placed = [(profiles[a], s) for a, s in members.items() if a in profiles]
    new = [profiles[d["id"]] for d in docs if d["id"] not in members]
    new.sort(key=lambda p: (p.day or date.max, p.article_id))
    forced: dict[str, str] = {}
    for p in copies:
        forced.setdefault(p.b, p.a)
        forced.setdefault(p.a, p.b)
    assigned = S.assign(new, placed, forced)
    story_of = {a: s for a, s in members.items() if a in profiles}
    story_of.update({x.article_id: x.story_id for x in assigned})
    rows = []
    for sid in set(story_of.values()):
        ids = sorted(a for a, s in story_of.items() if s == sid)
        ps = [profiles[a] for a in ids]
        days = sorted(p.day.isoformat() for p in ps if p.day)
        first = min(ps, key=lambda p: (p.day or date.max, p.article_id))
        rows.append({"story_id": sid, "title": first.title, "anchor": first.article_id,
                     "first_date": days[0] if days else None, "last_date": days[-1] if days else None,
                     "n_articles": len(ids)})
    L.save_stories(store, rows, [{"article_id": x.article_id, "story_id": x.story_id, "score": x.score,
                                  "evidence": {"matched": x.matched, "forced_by": x.forced_by}} for x in assigned])
    return story_of


def _rewrites(docs, profiles, story_of, copies, emb: Embed) -> list[dict[str, Any]]:
    by_id = {d["id"]: d for d in docs}
    copied = {(p.a, p.b) for p in copies}
    ids = [d["id"] for d in docs]
    if len(ids) < 2:
        return []
    m = np.stack([profiles[a].vec for a in ids])
    sims = m @ m.T
    out = []
    sentences: dict[str, list[str]] = {}
    shingles: dict[str, set[int]] = {}
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            a, b = sorted((ids[i], ids[j]))
            if (a, b) in copied or (sims[i, j] < REWRITE_CANDIDATE and story_of.get(a) != story_of.get(b)):
                continue
            for x in (a, b):
                if x not in sentences:
                    sentences[x] = Y.sentences(by_id[x]["text"])
            al = Y.align(sentences[a], sentences[b], emb)
            if al.aligned < Y.REWRITE_ALIGNED:
                continue
            for x in (a, b):
                if x not in shingles:
                    shingles[x] = dedup.shingles(by_id[x]["text"])
            jac, cont = dedup.overlap(shingles[a], shingles[b])
            qa, qb = ({q.get("statement_id") for q in by_id[x]["extractions"].get("quotes") or []} - {None} for x in (a, b))
            if not Y.is_rewrite(al, jac, len(qa & qb), len(qa), len(qb)):
                continue
            origin, why = Y.origin_of(by_id[a], by_id[b])
            why = dict(why, shared_statements=sorted(qa & qb),
                       aligned_sentences=[{"a": x, "b": y, "similarity": round(s, 3)} for x, y, s in al.pairs[:5]])
            out.append({"a": a, "b": b, "kind": "rewrite", "jaccard": round(jac, 3), "containment": round(cont, 3),
                        "aligned": round(al.aligned, 3), "origin": origin, "evidence": why})
    return out


def _claims(store: Store, docs, emb: Embed) -> dict[str, list[dict[str, Any]]]:
    by_article = {d["id"]: d["extractions"].get("_claims") or [] for d in docs}
    items = [(aid, k, c) for aid, cs in by_article.items() for k, c in enumerate(cs)]
    groups = C.group_claims(items, emb) if items else []
    L.replace_claims(store, [{"claim_id": g.claim_id, "text": g.text, "kind": g.kind,
                              "n_articles": len({a for a, _ in g.members})} for g in groups])
    return C.article_claims(groups, by_article)


def _article_updates(docs, copies, rewrites, story_of, claims) -> dict[str, dict[str, Any]]:
    by_id = {d["id"]: d for d in docs}
    related: dict[str, list[dict[str, Any]]] = {d["id"]: [] for d in docs}
    for p in copies:
        for x, y in ((p.a, p.b), (p.b, p.a)):
            related[x].append({"article_id": y, "kind": p.kind, "jaccard": p.jaccard, "containment": p.containment})
    for r in rewrites:
        for x, y in ((r["a"], r["b"]), (r["b"], r["a"])):
            related[x].append({"article_id": y, "kind": "rewrite", "jaccard": r["jaccard"], "aligned": r["aligned"]})
    updates = {}
    for d in docs:
        aid = d["id"]
        partners = [by_id[r["article_id"]] for r in related[aid]]
        synd = {"related": related[aid], "rebylined_wire": Y.rebylined(d, partners)}
        rep = _republished_from(d, [(by_id[r["article_id"]], r) for r in related[aid]])
        flags = ["rebylined_wire_copy"] if synd["rebylined_wire"] else []
        if any(aid in (r["a"], r["b"]) and r["origin"] not in (None, aid) for r in rewrites):
            flags.append("rewritten_copy")
        updates[aid] = {"entities": _with_credited_outlets(d),
                        "story_id": story_of.get(aid), "duplicates": [r for r in related[aid] if r["kind"] != "rewrite"],
                        "syndication": synd, "republished_from": rep, "claims": claims.get(aid, []),
                        "_link_flags": flags}
    return updates


def _with_credited_outlets(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The article's entities plus the outlet its credit line names ("Source: AntiWar.com"), which the
    body never mentions: one corpus-wide id per outlet, however it is spelt. The mention has no body
    offsets; ``field`` says where it was read."""
    entities = [e for e in doc["extractions"].get("entities") or [] if e.get("field") is None]
    credit = (doc["fields"].get("republished_from") or {}).get("publisher")
    key = Y.outlet_key(credit)
    if not key or Y.wire_name(credit) and any(Y.wire_name(e.get("name")) for e in entities):
        return entities
    if any(Y.outlet_key(e.get("name")) == key for e in entities):
        return entities
    return entities + [{"id": "M" + hashlib.sha1(key.encode()).hexdigest()[:12], "name": credit, "type": "MEDIA",
                        "field": "republished_from", "mentions": [{"text": credit, "start": None, "end": None}]}]


def _republished_from(doc: dict[str, Any], partners: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any] | None:
    """The credited or copied origin, with the evidence for it (None when there is none)."""
    f = doc["fields"]
    credit = f.get("republished_from")
    evidence = []
    if credit:
        evidence.append({"kind": "credit", "publisher": credit.get("publisher")})
    found = None
    for other, rel in partners:
        origin, why = Y.origin_of(doc, other)
        if origin == other["id"]:
            found = other
            evidence.append({"kind": rel["kind"], "article_id": other["id"], "overlap": rel.get("containment") or rel.get("aligned"),
                             "because": why["kind"]})
    if not credit and not found:
        return None
    if found is not None and (not credit or not Y.outlet(found)
                              or Y.outlet_key(credit.get("publisher")) == Y.outlet_key(Y.outlet(found))):
        return {"publisher": (credit or {}).get("publisher") or Y.outlet(found),
                "published": found["fields"].get("published"), "article_id": found["id"], "evidence": evidence}
    return dict(credit, article_id=None, evidence=evidence)
