"""Full-text search for the workbench: a small inverted index kept in memory.

DuckDB's own ``fts`` extension is downloaded at run time, which an offline
workbench cannot do, so the server builds its own index when it starts:

    search_postings(term, id, tf)   one row per (term, article), sorted by term
    search_docs(id, len, outlet, published, language)
                                    each article's length in terms and what
                                    the search filters look at
    search_entities(id, entity_id, name)   the canonical entities of each article

Both live in the server's in-memory database (``memory.main``), next to the
store attached read-only, and are rebuilt when the store changes (checked at
most every ``RECHECK_SECONDS``). Terms are lower-cased runs of letters and
digits in any script, so "Zelenskyy's" gives "zelenskyy" and "s", "Київ"
stays one term. ``Store.search_articles`` ranks the articles with BM25.

    terms, phrases = parse_query('nato "door is open" -')
    # (['door', 'is', 'nato', 'open'], ['door is open'])
"""
from __future__ import annotations

import re
import threading
import time
from typing import Any, Callable

INDEX = "memory.main.search"
RECHECK_SECONDS = 5.0
MAX_TERMS = 16

_TERM = re.compile(r"[^\W_]+", re.UNICODE)
_PHRASE = re.compile(r'"([^"]+)"')
# The same tokenisation in DuckDB (RE2): runs of letters and digits.
_SQL_SPLIT = r"[^\p{L}\p{N}]+"


def terms_of(text: str) -> list[str]:
    """Lower-cased terms of ``text``, in order (the index's tokenisation)."""
    return _TERM.findall(text.lower())


def parse_query(q: str) -> tuple[list[str], list[str]]:
    """(distinct terms, quoted phrases) of a search box query; at most ``MAX_TERMS`` terms."""
    phrases = [" ".join(terms_of(p)) for p in _PHRASE.findall(q)]
    terms = sorted(set(terms_of(q)))[:MAX_TERMS]
    return terms, [p for p in phrases if p]


def snippet(text: str, terms: list[str], phrases: list[str] = (), width: int = 220) -> dict[str, Any]:
    """A window of ``text`` around the best place to show, with the term spans inside it.

    The window opens on the first phrase found, else on the first occurrence of
    the term that is rarest in this text. Returns {"text", "highlights":
    [[start, end], ...]} (offsets into the snippet text).
    """
    text = text or ""
    wanted = set(terms)
    hits = [(m.start(), m.end(), m.group().lower()) for m in _TERM.finditer(text) if m.group().lower() in wanted]
    low = text.lower()
    found = [i for i in (low.find(p) for p in phrases) if i >= 0]
    if found:
        first = min(found)
    elif hits:
        counts = {t: sum(1 for h in hits if h[2] == t) for t in wanted}
        rarest = min((t for t in wanted if counts[t]), key=lambda t: (counts[t], t))
        first = next(h[0] for h in hits if h[2] == rarest)
    else:
        first = 0
    lo = max(0, first - width // 3)
    if lo:
        space = text.find(" ", lo)
        lo = space + 1 if 0 <= space < first else lo
    hi = min(len(text), lo + width)
    if hi < len(text):
        space = text.rfind(" ", lo, hi)
        hi = space if space > first else hi
    prefix = "… " if lo else ""
    marks = [[s - lo + len(prefix), e - lo + len(prefix)] for s, e, _ in hits if s >= lo and e <= hi]
    return {"text": prefix + text[lo:hi] + (" …" if hi < len(text) else ""), "highlights": marks}


class SearchIndex:
    """The in-memory postings over one store's latest article versions.

    Args:
        cursor: makes a new DuckDB cursor whose default catalog is the store and
            which sees the in-memory database ``memory`` (see ``narrascope.web.data``).
    """

    def __init__(self, cursor: Callable[[], Any]) -> None:
        self.cursor = cursor
        self.stamp: tuple | None = None
        self.checked = 0.0
        self.build_seconds: float | None = None
        self._lock = threading.Lock()

    def _stamp(self, cur) -> tuple:
        return tuple(cur.execute("SELECT count(*), max(ingested_at) FROM articles").fetchone())

    def build(self) -> float:
        """(Re)build the postings; returns the seconds it took."""
        t0 = time.perf_counter()
        cur = self.cursor()
        try:
            stamp = self._stamp(cur)
            cur.execute(f"""CREATE OR REPLACE TABLE {INDEX}_postings AS
                SELECT term, id, count(*)::INTEGER AS tf FROM (
                    SELECT a.id, unnest(regexp_split_to_array(lower(a.text), '{_SQL_SPLIT}')) AS term
                    FROM articles a
                    WHERE a.version = (SELECT max(b.version) FROM articles b WHERE b.doc_key = a.doc_key))
                WHERE term <> '' GROUP BY term, id ORDER BY term, id""")
            cur.execute(f"""CREATE OR REPLACE TABLE {INDEX}_docs AS
                SELECT l.id, l.len, lower(a.publisher) AS outlet, lower(a.language) AS language,
                       coalesce(a.published, (SELECT json_extract_string(f.value, '$') FROM fields f
                                              WHERE f.article_id = a.id AND f.name = 'published' LIMIT 1)) AS published
                FROM (SELECT id, sum(tf)::INTEGER AS len FROM {INDEX}_postings GROUP BY id) l
                JOIN articles a ON a.id = l.id""")
            cur.execute(f"""CREATE OR REPLACE TABLE {INDEX}_entities AS
                SELECT id, unnest(ids) AS entity_id, lower(unnest(names)) AS name FROM (
                    SELECT a.id, json_extract_string(a.extractions, '$.entities[*].id') AS ids,
                           json_extract_string(a.extractions, '$.entities[*].name') AS names
                    FROM articles a JOIN {INDEX}_docs d ON d.id = a.id)
                ORDER BY entity_id""")
        finally:
            cur.close()
        self.stamp, self.checked = stamp, time.monotonic()
        self.build_seconds = time.perf_counter() - t0
        return self.build_seconds

    def ensure_fresh(self) -> None:
        """Rebuild when articles were added since the last build (checked at most every few seconds)."""
        if self.stamp is not None and time.monotonic() - self.checked < RECHECK_SECONDS:
            return
        with self._lock:
            if self.stamp is not None and time.monotonic() - self.checked < RECHECK_SECONDS:
                return
            cur = self.cursor()
            try:
                stamp = self._stamp(cur)
            finally:
                cur.close()
            if stamp != self.stamp:
                self.build()
            self.checked = time.monotonic()
