"""A cross-article timeline: the same happening, told by several outlets, as one entry.

``build_timeline(docs)`` takes ``[{"id", "publisher", "published", "events"}]``
(events as ``Event`` or their ``as_dict()``) and merges events that are the
same happening:

- *compatible dates*: the same value, or one contains the other ("2008" and
  "2008-02-01", "2022-W48" and "2022-11-29", a range and a day inside it).
  Two different days never merge.
- *similar wording or participants*: each event is a bag of its sentence's
  content-word stems plus its capitalised name tokens (names count twice),
  weighted by IDF over all the events given, so the words every article of a
  story shares ("NATO", "Ukraine") weigh little and the distinctive ones
  ("Bucharest", "Burns", "cable") much. When a sentence carries several dated
  events, each is compared by its own part of the sentence (cut at the
  punctuation or conjunction between the date expressions), so a quote about
  2008 and the "said on Tuesday" that attributes it do not pull each other.

Clustering is agglomerative on the cosine of cluster centroids, the most
similar pair first, down to ``MERGE_THRESHOLD``; two clusters join only if
every cross pair has compatible dates (and no sentence's two dates end up
together). Centroids rather than single links: one sentence that mentions
both the 2008 summit and the 2008 cable must not chain the two.
``MERGE_THRESHOLD`` = 0.12 was tuned on the fixtures of ``tests/test_events.py``
and the five seed articles: there, every true merge scored >= 0.133 and the
closest wrong one 0.112 (a thin margin: see the limits in the report).

Each ``TimelineEntry`` has a stable ``event_id`` (SHA-1 of the entry's date and
the smallest (doc id, normalised sentence) among its sources, so it does not
depend on input order), the most precise date of its sources, the sources,
and a short representative ``label``.

``infer_published(docs)`` proposes publication dates for undated documents
(which need ``"text"``): a sentence of the undated document holding a relative
expression that could not be resolved ("on Tuesday") is matched against the
events of dated documents (content-word Jaccard at least
``INFER_THRESHOLD``); the matched event's date D is taken as the lower bound
of publication (a past-tense report appears on or after what it reports;
"yesterday" gives D + 1), and accepted only if re-reading the expression with
that date gives D back (a "Tuesday" must match a Tuesday). ``apply_inferred``
re-extracts those documents' events against the inferred date (events marked
``inferred``).
"""
from __future__ import annotations

import hashlib
import heapq
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Iterable

from .events import Event, content_words, extract_events, participants_of
from .temporal import find_temporal, sentence_bounds, value_interval

__all__ = ["Timeline", "TimelineEntry", "build_timeline", "infer_published", "apply_inferred",
           "dates_compatible", "MERGE_THRESHOLD", "INFER_THRESHOLD"]

MERGE_THRESHOLD = 0.12
INFER_THRESHOLD = 0.3
LABEL_MAX = 240


@dataclass
class TimelineEntry:
    event_id: str
    date: str
    precision: str
    sources: list[dict[str, Any]]
    label: str

    def as_dict(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "date": self.date, "precision": self.precision,
                "sources": self.sources, "label": self.label}


@dataclass
class Timeline:
    entries: list[TimelineEntry] = field(default_factory=list)

    def as_dicts(self) -> list[dict[str, Any]]:
        return [e.as_dict() for e in self.entries]

    def entries_for(self, doc_id: str) -> list[TimelineEntry]:
        return [e for e in self.entries if any(s["doc_id"] == doc_id for s in e.sources)]

    def __len__(self) -> int:
        return len(self.entries)


# ------------------------------------------------------------------ dates
def dates_compatible(a: str, b: str) -> bool:
    """Same value, or one interval inside the other."""
    if a == b:
        return True
    ia, ib = value_interval(a), value_interval(b)
    if ia is None or ib is None:
        return False
    return (ia[0] <= ib[0] and ib[1] <= ia[1]) or (ib[0] <= ia[0] and ia[1] <= ib[1])


def _span_days(value: str) -> int:
    iv = value_interval(value)
    return (iv[1] - iv[0]).days if iv else 10 ** 6


# ------------------------------------------------------------------ items
@dataclass
class _Item:
    doc_id: str
    publisher: str | None
    ev: Event
    words: set[str]
    names: set[str]


def _as_event(e: Event | dict) -> Event:
    return e if isinstance(e, Event) else Event.from_dict(e)


_CLAUSE_SEP = re.compile(r"[,;:()\u2014\u2013\"\u201c\u201d]|\s-\s|\s(?:and|but|while|whereas|when|where)\s")


def _region(text: str, a: int, b: int, left: int, right: int) -> str:
    """Text of the expression at ``a..b``, cut at the separators nearest its neighbours.

    ``left`` is the end of the previous expression (or 0), ``right`` the start of
    the next (or len): between two expressions the last separator splits them,
    or the middle word when there is none.
    """
    lo, hi = 0, len(text)
    if left > 0:
        seps = [m.start() for m in _CLAUSE_SEP.finditer(text, left, a)]
        lo = seps[-1] if seps else _mid_word(text, left, a)
    if right < len(text):
        seps = [m.start() for m in _CLAUSE_SEP.finditer(text, b, right)]
        hi = seps[0] if seps else _mid_word(text, b, right)
    return text[lo:hi]


def _mid_word(text: str, a: int, b: int) -> int:
    mid = (a + b) // 2
    j = text.rfind(" ", a, mid + 1)
    return j if j > a else mid


def _texts(evs: list[Event]) -> list[str]:
    """What each event is compared by: its sentence, or its part of a sentence with several dates."""
    out = []
    for ev in evs:
        siblings = sorted((e for e in evs if (e.start, e.end) == (ev.start, ev.end)), key=lambda e: e.expr_start)
        if len(siblings) == 1:
            out.append(ev.text)
            continue
        k = next(i for i, e in enumerate(siblings) if e is ev)
        left = siblings[k - 1].expr_end - ev.start if k else 0
        right = siblings[k + 1].expr_start - ev.start if k + 1 < len(siblings) else len(ev.text)
        out.append(_region(ev.text, ev.expr_start - ev.start, ev.expr_end - ev.start, left, right))
    return out


def _name_tokens(names: Iterable[str]) -> set[str]:
    return {t.lower() for n in names for t in re.findall(r"[A-Za-z][A-Za-z-]+", n) if len(t) > 2}


def _items(docs: list[dict]) -> list[_Item]:
    items = []
    for d in docs:
        evs = [_as_event(e) for e in d.get("events", [])]
        for ev, text in zip(evs, _texts(evs)):
            if value_interval(ev.date) is None:
                continue
            names = participants_of(text) if text != ev.text else (ev.participants or participants_of(text))
            items.append(_Item(str(d["id"]), d.get("publisher"), ev, content_words(text), _name_tokens(names)))
    return items


def _idf(sets: list[set[str]]) -> dict[str, float]:
    n = len(sets)
    df = Counter(t for s in sets for t in s)
    return {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}


# ------------------------------------------------------------------ clustering
Vector = dict[str, float]


def _vectors(items: list[_Item]) -> list[Vector]:
    """IDF-weighted, unit-length bags of content words and (prefixed) name tokens."""
    bags = [i.words | {"@" + n for n in i.names} for i in items]
    idf = _idf(bags)
    out = []
    for bag in bags:
        v = {t: idf[t] for t in bag}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        out.append({t: x / norm for t, x in v.items()})
    return out


def _cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(x * b.get(t, 0.0) for t, x in a.items())
    na = math.sqrt(sum(x * x for x in a.values()))
    nb = math.sqrt(sum(x * x for x in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def _add(a: Vector, b: Vector) -> Vector:
    out = dict(a)
    for t, x in b.items():
        out[t] = out.get(t, 0.0) + x
    return out


def _can_join(items: list[_Item], a: list[int], b: list[int]) -> bool:
    for i in a:
        for j in b:
            x, y = items[i], items[j]
            if not dates_compatible(x.ev.date, y.ev.date):
                return False
            if x.doc_id == y.doc_id and x.ev.start == y.ev.start:
                return False  # two dates of one sentence are two happenings
    return True


# A token shared by more events than this says little about which happening they
# report (its IDF is low); candidate pairs come from the rarer tokens only, so the
# clustering stays near-linear in the number of events instead of quadratic.
MAX_POSTING = 400


def _candidates(vecs: list[Vector]) -> set[tuple[int, int]]:
    """Pairs sharing at least one token that is not ubiquitous."""
    postings: dict[str, list[int]] = {}
    for i, v in enumerate(vecs):
        for t in v:
            postings.setdefault(t, []).append(i)
    pairs: set[tuple[int, int]] = set()
    for ids in postings.values():
        if 1 < len(ids) <= MAX_POSTING:
            for a in range(len(ids)):
                for b in range(a + 1, len(ids)):
                    pairs.add((ids[a], ids[b]))
    return pairs


def _cluster(items: list[_Item], threshold: float, vecs: list[Vector] | None = None) -> list[list[int]]:
    """Agglomerative clustering on centroid cosine, most similar pair first, dates kept nested.

    Only clusters linked by a candidate pair (a shared, not ubiquitous token) are
    ever compared; after a merge, only the merged cluster's neighbours are rescored.
    """
    vecs = vecs if vecs is not None else _vectors(items)
    members: dict[int, list[int]] = {i: [i] for i in range(len(items))}
    cent: dict[int, Vector] = {i: vecs[i] for i in range(len(items))}
    neighbours: dict[int, set[int]] = {i: set() for i in range(len(items))}
    heap: list[tuple[float, int, int]] = []
    for i, j in _candidates(vecs):
        if _can_join(items, [i], [j]):
            neighbours[i].add(j)
            neighbours[j].add(i)
            s = _cosine(vecs[i], vecs[j])
            if s >= threshold:
                heapq.heappush(heap, (-s, i, j))
    while heap:
        neg, i, j = heapq.heappop(heap)
        if i not in members or j not in members:
            continue  # stale: one side was merged away
        s = _cosine(cent[i], cent[j])
        if abs(s + neg) > 1e-12:  # stale score: push the current one back
            if s >= threshold:
                heapq.heappush(heap, (-s, i, j))
            continue
        if not _can_join(items, members[i], members[j]):
            continue
        members[i].extend(members.pop(j))
        cent[i] = _add(cent.pop(j), cent[i])
        merged = (neighbours[i] | neighbours.pop(j)) - {i, j}
        neighbours[i] = merged
        for k in merged:
            neighbours[k].discard(j)
            neighbours[k].add(i)
            if _can_join(items, members[i], members[k]):
                s2 = _cosine(cent[i], cent[k])
                if s2 >= threshold:
                    heapq.heappush(heap, (-s2, min(i, k), max(i, k)))
    return [sorted(m) for m in members.values()]


def _pair_sims(vecs: list[Vector], idx: list[int]) -> dict[tuple[int, int], float]:
    if len(idx) > 60:  # a large entry: its label needs no exact all-pairs centrality
        idx = idx[:60]
    return {(i, j): _cosine(vecs[i], vecs[j]) for i in idx for j in idx if i < j}


def _norm_sentence(s: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", "", s.lower())).strip()


def _entry(items: list[_Item], idx: list[int], sims: dict[tuple[int, int], float]) -> TimelineEntry:
    group = [items[i] for i in idx]
    best = min(group, key=lambda it: (_span_days(it.ev.date), it.ev.date))
    first = min((it.doc_id, _norm_sentence(it.ev.text)) for it in group)
    event_id = hashlib.sha1(f"{best.ev.date}|{first[0]}|{first[1]}".encode()).hexdigest()[:16]

    pool = idx[:60]  # the label is chosen among the first sources of a large entry

    def centrality(i: int) -> float:
        others = [sims.get((min(i, j), max(i, j)), 0.0) for j in pool if j != i]
        return sum(others) / len(others) if others else 0.0
    ranked = sorted(pool, key=lambda i: (-round(centrality(i), 6), len(items[i].ev.text)))
    top = centrality(ranked[0])
    short = [i for i in ranked if centrality(i) >= 0.8 * top and len(items[i].ev.text) <= LABEL_MAX]
    label = _label(items[(short or ranked)[0]].ev.text)
    sources = [{"doc_id": it.doc_id, "publisher": it.publisher, "text": it.ev.text, "start": it.ev.start,
                "end": it.ev.end, "date": it.ev.date, "expr_start": it.ev.expr_start,
                "expr_end": it.ev.expr_end, "inferred": it.ev.inferred}
               for it in sorted(group, key=lambda it: (it.doc_id, it.ev.start, it.ev.expr_start))]
    return TimelineEntry(event_id, best.ev.date, best.ev.precision, sources, label)


def _label(sentence: str) -> str:
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", sentence)  # markdown links, if any
    s = re.sub(r"\s+", " ", s).strip(" *_")
    if len(s) <= LABEL_MAX:
        return s
    cut = s.rfind(" ", 0, LABEL_MAX - 1)
    return s[: cut if cut > 0 else LABEL_MAX - 1] + "\u2026"


def build_timeline(docs: list[dict], threshold: float = MERGE_THRESHOLD) -> Timeline:
    """Merge the documents' events into timeline entries (see module doc)."""
    items = _items(docs)
    vecs = _vectors(items)
    entries = [_entry(items, idx, _pair_sims(vecs, idx)) for idx in _cluster(items, threshold, vecs)]
    entries.sort(key=lambda e: (value_interval(e.date)[0], _span_days(e.date), e.event_id))
    return Timeline(entries)


# ------------------------------------------------------------------ inference
def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def infer_published(docs: list[dict], threshold: float = INFER_THRESHOLD) -> dict[str, tuple[str, dict]]:
    """Publication dates for undated documents, from an event they share with a dated one.

    Returns ``{doc_id: (date, evidence)}``; ``evidence`` has the dated doc's id,
    both sentences, the expression, the similarity, and ``"inferred": True``,
    ``"bound": "lower"``.
    """
    dated = [(str(d["id"]), _as_event(e)) for d in docs if d.get("published") for e in d.get("events", [])]
    out: dict[str, tuple[str, dict]] = {}
    for d in docs:
        if d.get("published") or not d.get("text"):
            continue
        best: tuple[float, str, dict] | None = None
        text = d["text"]
        for x in find_temporal(text, None):
            if x.value is not None or not x.relative:
                continue
            s, e = sentence_bounds(text, x.start)
            sentence = text[s:e]
            words = content_words(sentence)
            for other_id, ev in dated:
                if not ev.relative or ev.precision != x.precision:
                    continue
                sim = _jaccard(words, content_words(ev.text))
                if sim < threshold or (best and sim <= best[0]):
                    continue
                proposed = _consistent_date(text, x.start, ev.date)
                if proposed is None:
                    continue
                evidence = {"doc_id": other_id, "sentence": sentence, "matched": ev.text,
                            "expr": x.text, "event_date": ev.date, "similarity": round(sim, 3),
                            "inferred": True, "bound": "lower"}
                best = (sim, proposed, evidence)
        if best:
            out[str(d["id"])] = (best[1], best[2])
    return out


def _consistent_date(text: str, expr_start: int, event_date: str) -> str | None:
    """The earliest publication date (D or D+1) under which the expression reads as D."""
    iv = value_interval(event_date)
    if iv is None:
        return None
    for offset in (0, 1):
        pub = (iv[0] + timedelta(days=offset)).isoformat()
        s, e = sentence_bounds(text, expr_start)
        for x in find_temporal(text[s:e], pub):
            if x.start == expr_start - s and x.value == event_date:
                return pub
    return None


def apply_inferred(docs: list[dict], inferred: dict[str, tuple[str, dict]]) -> list[dict]:
    """Copies of ``docs`` where each undated doc with an inferred date has its events re-extracted."""
    out = []
    for d in docs:
        got = inferred.get(str(d["id"]))
        if got is None or d.get("published") or not d.get("text"):
            out.append(d)
            continue
        new = dict(d)
        new["published_inferred"] = got[0]
        new["inference"] = got[1]
        new["events"] = extract_events(d["text"], got[0], d.get("title"), inferred=True)
        out.append(new)
    return out
