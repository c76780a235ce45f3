"""Rebuild the story timeline over the stored articles.

Per-article events come from the ``events`` stage. Here, over the latest version
of every stored article: undated articles get a publication date inferred from
the events they share with dated ones (stored as a ``published`` field with
origin "inferred" and its evidence), their events are re-resolved against it,
and the same happening told by several articles becomes one timeline entry
whose ``event_id`` is written back to each article's events.

The clustering compares every pair of events, so the cost grows with the square
of the number of events: fine for a story of hundreds of articles, not for a
crawl (blocking by date window is the way out when that matters).
"""
from __future__ import annotations

from ..extract.events import Event
from ..extract.timeline import apply_inferred, build_timeline, infer_published
from ..store import Store


def refresh_timeline(store: Store) -> int:
    """Recompute the timeline, event ids and inferred dates; returns the number of entries."""
    docs = list(store.iter_event_docs())
    for d in docs:
        d["events"] = [Event.from_dict(e) for e in d["events"]]
    inferred = infer_published(docs)
    docs = apply_inferred(docs, inferred)
    timeline = build_timeline(docs)
    ids: dict[tuple[str, int, int], str] = {}
    for entry in timeline.entries:
        for s in entry.sources:
            ids[(s["doc_id"], s["expr_start"], s["expr_end"])] = entry.event_id
    events_by_article = {}
    for d in docs:
        out = []
        for e in d["events"]:
            row = e.as_dict()
            row["event_id"] = ids.get((d["id"], e.expr_start, e.expr_end))
            out.append(row)
        events_by_article[d["id"]] = out
    store.replace_timeline(timeline.as_dicts(), events_by_article, inferred)
    return len(timeline.entries)
