"""Per-outlet summary of the framing extractions of stored articles (pure; the CLI prints it)."""
from __future__ import annotations

from collections import Counter
from typing import Iterable


def by_outlet(docs: Iterable[dict], outlet: str | None = None, story_id: str | None = None) -> list[dict]:
    """``[{outlet, articles, other, narratives: [(label, n)], subnarratives, loaded_language, roles}]``.

    ``docs`` are ``{id, publisher, extractions}`` records; ``outlet`` keeps the outlets whose
    name contains it (case-insensitive), ``story_id`` the articles of one story.
    """
    groups: dict[str, dict] = {}
    for d in docs:
        ext = d.get("extractions") or {}
        if story_id and ext.get("story_id") != story_id:
            continue
        name = d.get("publisher") or "(unknown outlet)"
        if outlet and outlet.lower() not in name.lower():
            continue
        g = groups.setdefault(name, {"outlet": name, "articles": 0, "other": 0, "narratives": Counter(),
                                     "subnarratives": Counter(), "loaded_language": Counter(), "roles": Counter()})
        g["articles"] += 1
        narr = ext.get("narratives") or []
        if not narr:
            g["other"] += 1
        g["narratives"].update({n["narrative"] for n in narr})
        g["subnarratives"].update(n["subnarrative"] for n in narr)
        g["loaded_language"].update(x["text"] for x in ext.get("loaded_language") or [])
        g["roles"].update(f"{r['mention']}: {r['main_role']}" for r in ext.get("roles") or [])
    out = []
    for g in sorted(groups.values(), key=lambda g: (-g["articles"], g["outlet"])):
        out.append({k: (v.most_common() if isinstance(v, Counter) else v) for k, v in g.items()})
    return out
