"""Corpus-wide entities (``canonicalize``): every article's entities merged across articles by
folded, transliteration-insensitive keys, curated aliases and given-name + surname compatibility."""
from __future__ import annotations

from collections import Counter
from typing import Any, Mapping, Sequence

from .names import LocalEntity, _name_parts, _person_name_tokens, _strip_possessive, _type_group, alias_canonical, entity_id, name_key, names_compatible, translit

# ------------------------------------------------------------------ across articles


class _UF:
    def __init__(self, n: int) -> None:
        self.p = list(range(n))

    def find(self, i: int) -> int:
        while self.p[i] != i:
            self.p[i] = self.p[self.p[i]]
            i = self.p[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)




def _person_key(e: LocalEntity) -> str | None:
    if e.canonical:
        return e.canonical
    for v in e.variants():
        c = alias_canonical(v)
        if c and c[1] == "PERSON":
            return c[0]
    return None


def canonicalize(articles: Mapping[str, Sequence[LocalEntity]],
                 dates: Mapping[str, str | None] | None = None) -> dict[str, Any]:
    """Corpus-wide entities from each article's ``LocalEntity`` list.

    Returns ``{"entities": {id: {id, name, type, variants: {form: count},
    count, articles, titles: [{title, article_id, article_date}]}},
    "articles": {article_id: [{id, name, type, mentions: [{text, start, end}]}]}}``
    (the per-article list is the export shape, in the order of the input).
    """
    dates = dates or {}
    flat: list[tuple[str, LocalEntity]] = [(aid, e) for aid, es in articles.items() for e in es]
    uf = _UF(len(flat))
    _merge_keyed(flat, uf)
    _merge_people(flat, uf)
    groups: dict[int, list[int]] = {}
    for i in range(len(flat)):
        groups.setdefault(uf.find(i), []).append(i)
    entities: dict[str, Any] = {}
    ids: dict[int, str] = {}
    for root, members in groups.items():
        info = _canonical_info([flat[i] for i in members], dates)
        entities.setdefault(info["id"], info)
        if entities[info["id"]] is not info:     # two groups with the same name: merge the records
            _absorb(entities[info["id"]], info)
        for i in members:
            ids[i] = info["id"]
    per_article: dict[str, list[dict[str, Any]]] = {aid: [] for aid in articles}
    for i, (aid, e) in enumerate(flat):
        rec = entities[ids[i]]
        per_article[aid].append({"id": rec["id"], "name": rec["name"], "type": rec["type"],
                                 "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in e.mentions]})
    return {"entities": entities, "articles": per_article}


def _absorb(a: dict[str, Any], b: dict[str, Any]) -> None:
    for k, v in b["variants"].items():
        a["variants"][k] = a["variants"].get(k, 0) + v
    a["count"] += b["count"]
    a["articles"] = sorted(set(a["articles"]) | set(b["articles"]))
    a["titles"].extend(t for t in b["titles"] if t not in a["titles"])


def _merge_keyed(flat: list[tuple[str, LocalEntity]], uf: _UF) -> None:
    seen: dict[tuple[str, str], int] = {}
    for i, (aid, e) in enumerate(flat):
        if e.type == "DOCUMENT":
            keys = [name_key(m.text) for m in e.mentions if m.kind == "title"]
        elif e.type == "PERSON":
            k = _person_key(e)
            keys = [name_key(k)] if k else [name_key(e.name)] if len(_person_name_tokens(e.name)) >= 2 else []
        else:
            keys = [name_key(e.canonical)] if e.canonical else []
            keys += [name_key((alias_canonical(v) or (v,))[0]) for v in e.variants()]
        for k in keys:
            if not k:
                continue
            tk = (_type_group(e.type), k)
            if tk in seen:
                uf.union(seen[tk], i)
            else:
                seen[tk] = i


def _merge_people(flat: list[tuple[str, LocalEntity]], uf: _UF) -> None:
    people = [i for i, (_, e) in enumerate(flat) if e.type == "PERSON"]
    by_name: dict[str, list[int]] = {}             # identical names first: one representative each
    singles: dict[str, list[int]] = {}
    for i in people:
        name = _strip_possessive(flat[i][1].name)
        if len(_person_name_tokens(name)) >= 2:
            by_name.setdefault(name, []).append(i)
        else:
            singles.setdefault(translit(name), []).append(i)
    for members in list(by_name.values()) + list(singles.values()):
        for j in members[1:]:
            uf.union(members[0], j)
    blocks: dict[str, list[str]] = {}
    for name in by_name:
        blocks.setdefault(translit(_name_parts(name)[1].split()[-1])[:4], []).append(name)
    for names in blocks.values():
        compat = {a: [b for b in names if b != a and names_compatible(a, b)] for a in names}
        for a, bs in compat.items():
            # merge only when the compatible names do not contradict each other
            if all(names_compatible(x, y) for k, x in enumerate(bs) for y in bs[k + 1:]):
                for b in bs:
                    uf.union(by_name[a][0], by_name[b][0])
    # surname-only people: the unique compatible full-name group in the corpus
    surname_roots: dict[str, set[int]] = {}
    for name, members in by_name.items():
        surname_roots.setdefault(translit(_name_parts(name)[1].split()[-1]), set()).add(members[0])
    for key, members in singles.items():
        roots = {uf.find(j) for j in surname_roots.get(key, ())}
        if len(roots) == 1:
            uf.union(members[0], roots.pop())


def _canonical_info(members: list[tuple[str, LocalEntity]], dates: Mapping[str, str | None]) -> dict[str, Any]:
    types = Counter(e.type for _, e in members)
    type_ = "MEDIA" if types.get("MEDIA") else types.most_common(1)[0][0]
    variants: Counter[str] = Counter()
    for _, e in members:
        for v in e.variants():
            variants[_strip_possessive(v)] += 1
    canon = next((e.canonical for _, e in members if e.canonical), None)
    if canon is None:
        for v in variants:
            c = alias_canonical(v)
            if c and _type_group(c[1]) == _type_group(type_):
                canon = c[0]
                break
    if canon is None:
        canon = _most_complete(variants, type_) if variants else members[0][1].name
    if type_ == "DOCUMENT" and not any(m.kind == "title" for _, e in members for m in e.mentions):
        eid = entity_id(type_, f"{canon}@{members[0][0]}@{members[0][1].first}")
    else:
        eid = entity_id(type_, canon)
    titles = []
    for aid, e in members:
        for t in e.titles:
            rec = {"title": t, "article_id": aid, "article_date": dates.get(aid)}
            if rec not in titles:
                titles.append(rec)
    return {"id": eid, "name": canon, "type": type_, "variants": dict(variants), "count": sum(variants.values()),
            "articles": sorted({aid for aid, _ in members}), "titles": titles}


def _most_complete(variants: Counter[str], type_: str) -> str:
    top = max(variants.values())
    cands = [v for v, c in variants.items() if c >= max(1, 0.2 * top)]

    def size(v: str) -> int:
        return len(_person_name_tokens(v)) if type_ == "PERSON" else len(v.split())

    def shouting(v: str) -> bool:
        return _shouting(v) if type_ == "PERSON" else v.isupper() and len(v) > 6

    best = max(cands, key=lambda v: (size(v), not shouting(v), variants[v], -len(v), v))
    return _person_case(best) if type_ == "PERSON" else best


def _shouting(name: str) -> bool:
    """'BORIS Johnson' in a tabloid."""
    return any(len(w) > 4 and w.isupper() for w in name.split())


def _person_case(name: str) -> str:
    return " ".join(w.capitalize() if len(w) > 4 and w.isupper() else w for w in name.split())


def export_entities(entities: Sequence[LocalEntity], ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The export shape for one article without a corpus: ids from the local names."""
    out = []
    for k, e in enumerate(entities):
        eid = ids[k] if ids else entity_id(e.type, e.canonical or e.name)
        out.append({"id": eid, "name": e.canonical or e.name, "type": e.type,
                    "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in e.mentions]})
    return out
