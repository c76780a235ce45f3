"""All of narrascope's storage: one DuckDB file, one class.

    with Store("story.duckdb") as store:
        run = store.begin_run(["articles/"])
        outcome = store.save_article(article, run)    # "ingested" | "version" | "unchanged"
        store.finish_run(run, {"ingested": 1}, "finished")
        for row in store.list_articles(limit=20):
            print(row["id"], row["title"])
        everything = store.get_article("6230")       # id or unique id prefix

Articles are keyed by content hash, so saving the same content again changes
nothing (only a new place it was seen is noted). New content for a document
already stored (same URL, else same source) is kept as a new version; older
versions are never overwritten. Every article is written in one transaction:
a crash leaves the store as it was before that article.

Timestamps are UTC. Every query is parameterised.
"""
from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from typing import Any, Iterator, Sequence

import duckdb

from ..errors import NarrascopeError, Rejected, StoreError, StoreLocked
from ..model import Article, Field, Flag, OffsetMap, RawInput, Removed, content_id
from .migrations import LATEST, MIGRATIONS, SCHEMA_MIGRATIONS

INGESTED, VERSION, UNCHANGED = "ingested", "version", "unchanged"

# Export record keys, in order; extraction keys follow them (see narrascope.export).
EXPORT_KEYS: tuple[str, ...] = (
    "id", "source", "url", "doc_key", "version", "title", "dek", "authors", "byline_affiliation", "publisher",
    "published", "published_inferred", "updated", "republished_from", "dateline", "wire_credit", "contributors", "language", "text", "flags",
    "provenance", "removed",
)

_ARTICLE_COLUMNS = ("id", "raw_hash", "doc_key", "version", "source", "url", "title", "dek", "authors",
                    "publisher", "published", "republished_from", "language", "text", "offsets",
                    "text_length", "removed", "extractions", "ingested_at", "run_id")
_JSON_ARTICLE_COLUMNS = ("republished_from", "offsets", "removed", "extractions")

# Only the latest version of each document.
_LATEST = "a.version = (SELECT max(b.version) FROM articles b WHERE b.doc_key = a.doc_key)"


class AmbiguousId(NarrascopeError, LookupError):
    """An id prefix matches more than one article."""

    def __init__(self, prefix: str, candidates: list[tuple[str, str | None]], more: int = 0):
        listed = "; ".join(f"{i} ({t or 'no title'})" for i, t in candidates)
        extra = f"; and {more} more" if more else ""
        super().__init__(f"id prefix {prefix!r} matches {len(candidates) + more} articles: {listed}{extra}. "
                         "Give more characters of the id.")
        self.prefix, self.candidates = prefix, [i for i, _ in candidates]


class ArticleNotFound(NarrascopeError, LookupError):
    """No stored article has this id (or id prefix)."""


def open_error(path: str, e: Exception) -> StoreError:
    """The error to raise when DuckDB cannot open ``path``: ``StoreLocked`` naming the holder when another
    process holds the file, else ``StoreError`` with DuckDB's reason."""
    text = str(e)
    if "Could not set lock" not in text and "Conflicting lock" not in text:
        return StoreError(f"cannot open the store {path}: {text}")
    m = re.search(r"\(PID (\d+)\)", text)
    pid = int(m.group(1)) if m else None
    holder = None
    if pid is not None:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                args = [a.decode("utf-8", "replace") for a in f.read().split(b"\0") if a]
            holder = " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(args))
        except OSError:
            pass
    who = f"process {pid}" + (f" ({holder})" if holder else "") if pid is not None else "another process"
    return StoreLocked(f"the store {path} is in use by {who}: a store is written by one process at a time, "
                       "and read by others only while none writes", path, pid, holder)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def _unjson(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _str_or_none(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def _str_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v is not None and str(v) != ""]
    return [str(value)]


class Store:
    """A DuckDB file holding articles, their provenance and the ingest runs.

    Args:
        path: the DuckDB file; created (with its schema) when missing.
            ``":memory:"`` gives a throw-away store.
        read_only: open without writing; the file must exist with a current schema.

    Raises:
        StoreError: the file cannot be opened (missing in read-only mode, locked
            by another process, not a DuckDB file), or it was written by a newer
            narrascope, or its schema cannot be brought up to date.
    """

    def __init__(self, path: str | os.PathLike = "narrascope.duckdb", read_only: bool = False):
        self.path = os.fspath(path)
        self.read_only = read_only
        if read_only and self.path != ":memory:" and not os.path.exists(self.path):
            raise StoreError(f"no store at {self.path}: ingest something first, or check --db")
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as e:
            raise open_error(self.path, e) from e
        try:
            self._migrate()
        except BaseException:
            self.con.close()
            raise

    # ------------------------------------------------------------ lifecycle
    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.path!r}{', read_only=True' if self.read_only else ''}{'' if self.con else ', closed'})"

    def _x(self, sql: str, params: Sequence[Any] | None = None):
        """Run one parameterised statement (the single door every query goes through)."""
        if self.con is None:
            raise StoreError(f"the store {self.path} is closed")
        return self.con.execute(sql, params) if params is not None else self.con.execute(sql)

    # ------------------------------------------------------------ schema
    def schema_version(self) -> int:
        """Highest migration applied to this file (0 for an empty file)."""
        has_table = self._x("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_migrations' "
                            "AND schema_name = 'main' AND database_name = current_database()").fetchone()[0]
        if not has_table:
            return 0
        return self._x("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]

    def _migrate(self) -> None:
        current = self.schema_version()
        if current > LATEST:
            raise StoreError(f"the store {self.path} has schema version {current}, but this narrascope knows "
                             f"only up to version {LATEST}: upgrade narrascope to open it")
        pending = [m for m in MIGRATIONS if m[0] > current]
        if not pending:
            return
        if self.read_only:
            raise StoreError(f"the store {self.path} has schema version {current} and needs migrating to "
                             f"{LATEST}: open it once without read-only to upgrade it")
        for version, name, sql in pending:
            self.con.begin()
            try:
                self._x(SCHEMA_MIGRATIONS)
                self._x(sql)
                self._x("INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, name, _now()])
                self.con.commit()
            except duckdb.Error as e:
                self.con.rollback()
                raise StoreError(f"cannot apply migration {version} ({name}) to {self.path}: {e}") from e

    def migrations(self) -> list[dict]:
        """The migrations applied to this file, oldest first."""
        return self._dicts("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")

    # ------------------------------------------------------------ helpers
    def _dicts(self, sql: str, params: Sequence[Any] | None = None) -> list[dict]:
        cur = self._x(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    # ------------------------------------------------------------ writing
    def has_article(self, article_id: str) -> bool:
        return self._x("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is not None

    def note_source(self, article_id: str, source: str, run_id: int | None = None) -> str:
        """Record that the stored article ``article_id`` was seen (again) at ``source``.

        Adds an ``article_sources`` row when the source is new; returns "unchanged".
        """
        self._x("INSERT INTO article_sources VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [article_id, source, run_id, _now()])
        return UNCHANGED

    def save_article(self, article: Article, run_id: int | None = None) -> str:
        """Store one article with its raw input, fields, flags and source, in one transaction.

        Returns "ingested" (a new document), "version" (new content for a
        ``doc_key`` already stored: stored as version max+1, older versions kept)
        or "unchanged" (this content is stored already: only a new source is noted).
        """
        if not article.id:
            raise ValueError("the article has no id: give its RawInput a content_hash")
        raw = article.raw
        raw_hash = raw.content_hash or content_id(raw.text.encode("utf-8"))
        doc_key = raw.doc_key
        now = _now()
        self.con.begin()
        try:
            if self._x("SELECT 1 FROM articles WHERE id = ?", [article.id]).fetchone() is not None:
                self.note_source(article.id, raw.source, run_id)
                self.con.commit()
                return UNCHANGED
            latest = self._x("SELECT max(version) FROM articles WHERE doc_key = ?", [doc_key]).fetchone()[0]
            version = (latest or 0) + 1
            self._x("INSERT INTO raw_inputs VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [raw_hash, raw.source, raw.container, raw.format, raw.encoding,
                     len(raw.text.encode("utf-8", "surrogatepass")), raw.text, _json(raw.given or {})])
            republished = article.get("republished_from")
            self._x(f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}) "
                    f"VALUES ({', '.join('?' * len(_ARTICLE_COLUMNS))})",
                    [article.id, raw_hash, doc_key, version, raw.source,
                     _str_or_none(article.get("url")) or raw.url,
                     _str_or_none(article.get("title")), _str_or_none(article.get("dek")),
                     _str_list(article.get("authors")), _str_or_none(article.get("publisher")),
                     _str_or_none(article.get("published")), _json(republished),
                     _str_or_none(article.get("language")), article.text,
                     _json(article.offsets.to_json()), len(article.text),
                     _json([{"start": r.start, "end": r.end, "kind": r.kind, "text": r.text}
                            for r in article.removed]),
                     _json(article.extractions or {}), now, run_id])
            self._insert_rows("fields", [
                (article.id, seq, name, _json(f.value), f.origin, f.start, f.end, f.line, f.evidence)
                for seq, (name, f) in enumerate(article.fields.items())])
            self._insert_rows("flags", [
                (article.id, seq, fl.code, fl.detail, fl.start, fl.end, fl.reason)
                for seq, fl in enumerate(article.flags)])
            self._x("INSERT INTO article_sources VALUES (?, ?, ?, ?)", [article.id, raw.source, run_id, now])
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise
        return VERSION if version > 1 else INGESTED

    def _insert_rows(self, table: str, rows: list[tuple]) -> None:
        """Insert rows in one statement (one multi-row VALUES list, all parameters)."""
        if not rows:
            return
        one = "(" + ", ".join("?" * len(rows[0])) + ")"
        self._x(f"INSERT INTO {table} VALUES " + ", ".join([one] * len(rows)), [v for row in rows for v in row])

    def set_extractions(self, article_id: str, extractions: dict[str, Any], merge: bool = True) -> None:
        """Write what later stages found for a stored article.

        With ``merge`` the given keys replace those keys only; otherwise the
        whole ``extractions`` dict is replaced.
        """
        row = self._x("SELECT extractions FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            raise ArticleNotFound(f"no article with id {article_id!r}")
        current = (_unjson(row[0]) or {}) if merge else {}
        current.update(extractions)
        self._x("UPDATE articles SET extractions = ? WHERE id = ?", [_json(current), article_id])

    # ------------------------------------------------------------ cross-article (derived) data
    def iter_event_docs(self) -> Iterator[dict]:
        """Latest version of every article: id, publisher, published (as the page says), title, text, events."""
        rows = self._x(f"""SELECT a.id, a.publisher, a.title, a.text, a.extractions,
                   (SELECT f.value FROM fields f WHERE f.article_id = a.id AND f.name = 'published'
                      AND f.origin <> 'inferred' LIMIT 1)
                FROM articles a WHERE {_LATEST} ORDER BY a.ingested_at, a.id""").fetchall()
        for id_, publisher, title, text, ext, published in rows:
            yield {"id": id_, "publisher": publisher, "title": title, "text": text,
                   "published": _unjson(published), "events": (_unjson(ext) or {}).get("events") or []}

    def replace_timeline(self, entries: list[dict], events_by_article: dict[str, list[dict]],
                         inferred: dict[str, tuple[str, dict]]) -> None:
        """Rewrite the derived timeline, per-article events and inferred dates in one transaction."""
        self.con.begin()
        try:
            self._x("DELETE FROM timeline")
            self._insert_rows("timeline", [(e["event_id"], e["date"], e["precision"], e.get("label"),
                                            len(e["sources"]), _json(e["sources"])) for e in entries])
            self._x("DELETE FROM fields WHERE origin = 'inferred'")
            for article_id, (date, evidence) in inferred.items():
                seq = self._x("SELECT coalesce(max(seq), -1) + 1 FROM fields WHERE article_id = ?", [article_id]).fetchone()[0]
                self._x("INSERT INTO fields VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [article_id, seq, "published", _json(date), "inferred", None, None, None, _json(evidence)])
            for article_id, events in events_by_article.items():
                row = self._x("SELECT extractions FROM articles WHERE id = ?", [article_id]).fetchone()
                current = (_unjson(row[0]) or {}) if row else {}
                current["events"] = events
                self._x("UPDATE articles SET extractions = ? WHERE id = ?", [_json(current), article_id])
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def iter_extraction_docs(self, keys: tuple[str, ...] = ()) -> Iterator[dict]:
        """Latest version of every article: id, publisher, published, and its extractions (only ``keys`` if given)."""
        rows = self._x(f"""SELECT a.id, a.publisher, a.extractions,
                   (SELECT f.value FROM fields f WHERE f.article_id = a.id AND f.name = 'published' LIMIT 1)
                FROM articles a WHERE {_LATEST} ORDER BY a.ingested_at, a.id""").fetchall()
        for id_, publisher, ext, published in rows:
            ext = _unjson(ext) or {}
            if keys:
                ext = {k: ext[k] for k in keys if k in ext}
            yield {"id": id_, "publisher": publisher, "published": _unjson(published), "extractions": ext}

    def update_extractions(self, updates: dict[str, dict[str, Any]]) -> None:
        """Replace the given extraction keys of many articles in one transaction."""
        self.con.begin()
        try:
            for article_id, ext in updates.items():
                row = self._x("SELECT extractions FROM articles WHERE id = ?", [article_id]).fetchone()
                current = (_unjson(row[0]) or {}) if row else {}
                current.update(ext)
                self._x("UPDATE articles SET extractions = ? WHERE id = ?", [_json(current), article_id])
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def timeline(self, date_from: str | None = None, date_to: str | None = None) -> list[dict]:
        """Timeline entries in date order, optionally within [date_from, date_to] (ISO prefixes)."""
        where, params = [], []
        if date_from:
            where.append("date >= ?")
            params.append(date_from)
        if date_to:
            where.append("substr(date, 1, ?) <= ?")
            params += [len(date_to), date_to]
        rows = self._dicts("SELECT event_id, date, precision, label, n_sources, sources FROM timeline"
                           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY date, event_id", params)
        for r in rows:
            r["sources"] = _unjson(r["sources"])
        return rows

    def articles_fingerprint(self) -> str:
        """What changes whenever an article (or a version) is stored: their number and the latest ingest time."""
        n, last = self._x("SELECT count(*), max(ingested_at) FROM articles").fetchone()
        return f"{n}:{last.isoformat() if last else '-'}"

    def stale_views(self, names: Sequence[str]) -> list[str]:
        """Those of the cross-article views ``names`` not rebuilt over the articles stored now."""
        now = self.articles_fingerprint()
        done = dict(self._x("SELECT name, fingerprint FROM derived_state").fetchall())
        return [n for n in names if done.get(n) != now]

    def mark_view_fresh(self, name: str, fingerprint: str) -> None:
        """Record that the view ``name`` was rebuilt over the articles ``fingerprint`` describes."""
        self._x("INSERT OR REPLACE INTO derived_state VALUES (?, ?, ?)", [name, fingerprint, _now()])

    # ------------------------------------------------------------ runs
    def begin_run(self, paths: Sequence[str]) -> int:
        """Open an ingest run; returns its id.

        Runs still marked "running" belong to a process that died (killed, out of
        memory, the machine went down): only one process writes to a store, so
        they are closed first as "crashed", with the counts of what they stored.
        """
        self.close_crashed_runs()
        return self._x("INSERT INTO ingest_runs (started_at, status, paths) VALUES (?, 'running', ?) RETURNING id",
                       [_now(), _json([os.fspath(p) for p in paths])]).fetchone()[0]

    def record_rejection(self, run_id: int | None, rejected: Rejected) -> None:
        self._x("INSERT INTO ingest_errors VALUES (?, ?, ?, ?, ?)",
                [run_id, rejected.source, rejected.code, rejected.reason, _now()])

    def close_crashed_runs(self) -> list[int]:
        """Mark every run still "running" as "crashed", counting what it stored; returns their ids."""
        dead = [r for (r,) in self._x("SELECT id FROM ingest_runs WHERE status = 'running' ORDER BY id").fetchall()]
        for run_id in dead:
            ingested, versions = self._x("SELECT count(*) FILTER (WHERE version = 1), count(*) FILTER (WHERE version > 1) "
                                         "FROM articles WHERE run_id = ?", [run_id]).fetchone()
            unchanged = self._x("SELECT count(*) FROM article_sources s WHERE s.run_id = ? AND NOT EXISTS "
                                "(SELECT 1 FROM articles a WHERE a.id = s.article_id AND a.run_id = ?)",
                                [run_id, run_id]).fetchone()[0]
            rejected = self._x("SELECT count(*) FROM ingest_errors WHERE run_id = ?", [run_id]).fetchone()[0]
            last = self._x("SELECT greatest((SELECT max(ingested_at) FROM articles WHERE run_id = ?), "
                           "(SELECT max(seen_at) FROM article_sources WHERE run_id = ?), "
                           "(SELECT max(\"at\") FROM ingest_errors WHERE run_id = ?))", [run_id] * 3).fetchone()[0]
            self._x("UPDATE ingest_runs SET finished_at = ?, status = 'crashed', ingested = ?, versions = ?, "
                    "unchanged = ?, rejected = ? WHERE id = ?", [last, ingested, versions, unchanged, rejected, run_id])
        return dead

    def finish_run(self, run_id: int, counts: dict[str, int], status: str = "finished") -> None:
        """Close a run with its counts (keys: ingested, versions, unchanged, rejected)."""
        self._x("UPDATE ingest_runs SET finished_at = ?, status = ?, ingested = ?, versions = ?, unchanged = ?, "
                "rejected = ? WHERE id = ?",
                [_now(), status, int(counts.get("ingested", 0)), int(counts.get("versions", 0)),
                 int(counts.get("unchanged", 0)), int(counts.get("rejected", 0)), run_id])

    def runs(self) -> list[dict]:
        """Every ingest run, oldest first."""
        rows = self._dicts("SELECT * FROM ingest_runs ORDER BY id")
        for r in rows:
            r["paths"] = _unjson(r["paths"])
        return rows

    def errors(self, run_id: int | None = None) -> list[dict]:
        """Rejected inputs (of one run, or of all runs), in the order they were recorded."""
        if run_id is None:
            return self._dicts('SELECT * FROM ingest_errors ORDER BY "at", run_id')
        return self._dicts('SELECT * FROM ingest_errors WHERE run_id = ? ORDER BY "at"', [run_id])

    # ------------------------------------------------------------ reading
    def count_articles(self, latest_only: bool = True) -> int:
        """Number of documents (``latest_only``) or of stored versions."""
        where = f"WHERE {_LATEST}" if latest_only else ""
        return self._x(f"SELECT count(*) FROM articles a {where}").fetchone()[0]

    def list_articles(self, limit: int = 50, offset: int = 0, latest_only: bool = True) -> list[dict]:
        """One dict per article, in ingest order: id, version, title, publisher,
        published, authors, n_flags, source, doc_key, url."""
        where = f"WHERE {_LATEST}" if latest_only else ""
        rows = self._dicts(
            "SELECT a.id, a.version, a.title, a.publisher, a.published, a.authors, "
            "(SELECT count(*) FROM flags f WHERE f.article_id = a.id) AS n_flags, a.source, a.doc_key, a.url "
            f"FROM articles a {where} ORDER BY a.ingested_at, a.id LIMIT ? OFFSET ?", [int(limit), int(offset)])
        for r in rows:
            r["authors"] = list(r["authors"] or [])
        return rows

    def resolve_id(self, id_or_prefix: str) -> str | None:
        """The full id of the article ``id_or_prefix`` names, or None.

        Raises AmbiguousId when a prefix matches several articles.
        """
        if not id_or_prefix:
            return None
        if self.has_article(id_or_prefix):
            return id_or_prefix
        rows = self._x("SELECT id, title FROM articles WHERE starts_with(id, ?) ORDER BY id LIMIT 11",
                       [id_or_prefix]).fetchall()
        if not rows:
            return None
        if len(rows) > 1:
            total = self._x("SELECT count(*) FROM articles WHERE starts_with(id, ?)", [id_or_prefix]).fetchone()[0]
            raise AmbiguousId(id_or_prefix, rows[:10], total - min(len(rows), 10))
        return rows[0][0]

    def get_article(self, id_or_prefix: str) -> dict | None:
        """Everything stored about one article, or None.

        Keys: every ``articles`` column (JSON columns decoded), ``fields``
        (list of {name, value, origin, start, end, line, evidence}), ``flags``
        (list of {code, detail, start, end, reason}), ``sources`` (list of
        {source, run_id, seen_at}), ``versions`` (every version of the same
        document: {id, version, title, ingested_at}) and ``raw`` (the raw input:
        hash, source, container, format, encoding, size, text, given).
        """
        article_id = self.resolve_id(id_or_prefix)
        if article_id is None:
            return None
        rows = self._dicts(f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles WHERE id = ?", [article_id])
        a = rows[0]
        for c in _JSON_ARTICLE_COLUMNS:
            a[c] = _unjson(a[c])
        a["authors"] = list(a["authors"] or [])
        a["fields"] = self._fields([article_id]).get(article_id, [])
        a["flags"] = self._flags([article_id]).get(article_id, [])
        a["sources"] = self._dicts("SELECT source, run_id, seen_at FROM article_sources WHERE article_id = ? "
                                   "ORDER BY seen_at, source", [article_id])
        a["versions"] = self._dicts("SELECT id, version, title, ingested_at FROM articles WHERE doc_key = ? "
                                    "ORDER BY version", [a["doc_key"]])
        raw = self._dicts("SELECT * FROM raw_inputs WHERE hash = ?", [a["raw_hash"]])
        a["raw"] = raw[0] if raw else None
        if a["raw"] is not None:
            a["raw"]["given"] = _unjson(a["raw"]["given"]) or {}
        return a

    def load_article(self, id_or_prefix: str) -> Article:
        """Rebuild the ``Article`` a stored row came from, so stages can run over it again.

        Restored: raw input, id, text, offsets, fields, flags, removed segments
        and extractions. Not stored, so not restored: the working blocks, the
        HTML extractor's layer and ``html_meta``.
        """
        a = self.get_article(id_or_prefix)
        if a is None:
            raise ArticleNotFound(f"no article with id {id_or_prefix!r}")
        r = a["raw"] or {}
        raw = RawInput(source=a["source"], text=r.get("text") or "", format=r.get("format") or "text",
                       container=r.get("container") or "file", encoding=r.get("encoding") or "utf-8",
                       given=r.get("given") or {}, content_hash=a["raw_hash"])
        return Article(
            raw=raw, id=a["id"], text=a["text"] or "",
            offsets=OffsetMap.from_json(a["offsets"] or [], a["text_length"] or 0),
            fields={f["name"]: Field(f["value"], f["origin"], f["start"], f["end"], f["line"], f["evidence"] or "")
                    for f in a["fields"]},
            flags=[Flag(f["code"], f["detail"] or "", f["start"], f["end"], f["reason"] or "") for f in a["flags"]],
            removed=[Removed(r["start"], r["end"], r["kind"], r.get("text") or "") for r in a["removed"] or []],
            extractions=a["extractions"] or {},
        )

    def _fields(self, ids: list[str]) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        rows = self._x("SELECT article_id, name, value, origin, start_offset, end_offset, line, evidence FROM fields "
                       "WHERE article_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY article_id, seq", [ids]).fetchall()
        for aid, name, value, origin, start, end, line, evidence in rows:
            out.setdefault(aid, []).append({"name": name, "value": _unjson(value), "origin": origin,
                                            "start": start, "end": end, "line": line, "evidence": evidence})
        return out

    def _flags(self, ids: list[str]) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        rows = self._x("SELECT article_id, code, detail, start_offset, end_offset, reason FROM flags "
                       "WHERE article_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY article_id, seq", [ids]).fetchall()
        for aid, code, detail, start, end, reason in rows:
            out.setdefault(aid, []).append({"code": code, "detail": detail, "start": start, "end": end,
                                            "reason": reason})
        return out

    # ------------------------------------------------------------ export
    def extraction_keys(self, latest_only: bool = True) -> list[str]:
        """Every key found in stored ``extractions``, sorted (export columns after EXPORT_KEYS)."""
        where = f"AND {_LATEST}" if latest_only else ""
        rows = self._x("SELECT DISTINCT unnest(json_keys(a.extractions)) AS k FROM articles a "
                       f"WHERE a.extractions IS NOT NULL {where} ORDER BY k").fetchall()
        return [k for (k,) in rows if k not in EXPORT_KEYS and not k.startswith("_")]  # "_x": internal working data

    def iter_export_records(self, latest_only: bool = True, batch_size: int = 500) -> Iterator[dict]:
        """Yield one export record per article (keys: see ``narrascope.export``), in ingest order.

        Articles are read ``batch_size`` at a time, so the store is never loaded whole.
        Every record has every extraction key found in the store (null when the
        article has none under that key).
        """
        ext_keys = self.extraction_keys(latest_only)
        where = f"AND {_LATEST}" if latest_only else ""
        cols = ("id", "source", "url", "doc_key", "version", "text", "extractions", "ingested_at", "removed")
        last: tuple[Any, str] | None = None
        while True:
            after = "AND (a.ingested_at > ? OR (a.ingested_at = ? AND a.id > ?))" if last else ""
            params = [last[0], last[0], last[1]] if last else []
            rows = self._x(f"SELECT {', '.join('a.' + c for c in cols)} FROM articles a WHERE true {after} {where} "
                           "ORDER BY a.ingested_at, a.id LIMIT ?", params + [int(batch_size)]).fetchall()
            if not rows:
                return
            ids = [r[0] for r in rows]
            fields, flags = self._fields(ids), self._flags(ids)
            for row in rows:
                yield _record(dict(zip(cols, row)), fields.get(row[0], []), flags.get(row[0], []), ext_keys)
            last = (rows[-1][7], rows[-1][0])
            if len(rows) < batch_size:
                return

    # ------------------------------------------------------------ filtered reads (workbench, API)
    def find_articles(self, *, outlet: str | None = None, date_from: str | None = None, date_to: str | None = None,
                      language: str | None = None, entity: str | None = None, ids: Sequence[str] | None = None,
                      limit: int = 50, offset: int = 0) -> tuple[int, list[dict]]:
        """Latest versions matching every filter given: (total count, one page of summaries).

        ``outlet`` matches the publisher (case-insensitive); ``date_from``/``date_to``
        are ISO prefixes compared with the publication date (printed, else
        inferred); ``entity`` is a canonical entity id or name; ``ids`` restricts
        to those articles. Summaries: id, version, title, publisher, published,
        published_inferred, language, authors, n_flags, source, url; in ingest order.
        """
        cond, params = _article_filters(outlet, date_from, date_to, language, entity, ids)
        total = self._x(f"SELECT count(*) FROM articles a WHERE {cond}", params).fetchone()[0]
        page = [r[0] for r in self._x(f"SELECT a.id FROM articles a WHERE {cond} ORDER BY a.ingested_at, a.id "
                                      "LIMIT ? OFFSET ?", params + [int(limit), int(offset)]).fetchall()]
        rows = self.summaries(page)
        return total, [rows[i] for i in page if i in rows]

    def summaries(self, ids: Sequence[str], with_text: bool = False) -> dict[str, dict]:
        """Article summaries by id (as ``find_articles`` gives them; plus ``text`` when asked).

        Read by id, a few hundred at a time: the inferred dates and flag counts
        are looked up for these articles only, never joined over the whole store.
        """
        out: dict[str, dict] = {}
        ids = list(dict.fromkeys(ids))
        for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
            marks = ",".join("?" * len(chunk))
            rows = self._dicts(f"SELECT a.id, a.version, a.title, a.publisher, a.published, a.language, a.authors, "
                               f"a.source, a.url{', a.text' if with_text else ''} FROM articles a "
                               f"WHERE a.id IN ({marks})", chunk)
            undated = [r["id"] for r in rows if r["published"] is None]
            inferred: dict[str, str] = {}
            if undated:
                inferred = dict(self._x(
                    "SELECT article_id, json_extract_string(value, '$') FROM fields WHERE name = 'published' "
                    f"AND article_id IN ({','.join('?' * len(undated))})", undated).fetchall())
            flags = dict(self._x(f"SELECT article_id, count(*) FROM flags WHERE article_id IN ({marks}) "
                                 "GROUP BY article_id", chunk).fetchall())
            for r in rows:
                published = r["published"] if r["published"] is not None else inferred.get(r["id"])
                out[r["id"]] = {"id": r["id"], "version": r["version"], "title": r["title"],
                                "publisher": r["publisher"], "published": published,
                                "published_inferred": r["published"] is None and published is not None,
                                "language": r["language"], "authors": list(r["authors"] or []),
                                "n_flags": flags.get(r["id"], 0), "source": r["source"], "url": r["url"],
                                **({"text": r["text"]} if with_text else {})}
        return out

    def search_articles(self, terms: Sequence[str], phrases: Sequence[str] = (), *, index: str = "search",
                        outlet: str | None = None, date_from: str | None = None, date_to: str | None = None,
                        language: str | None = None, entity: str | None = None,
                        limit: int = 50, offset: int = 0) -> tuple[int, list[dict]]:
        """Full-text search through an inverted index: (total count, one page of summaries, best first).

        ``index`` names the tables ``{index}_postings(term, id, tf)`` and
        ``{index}_docs(id, len, outlet, published, language)`` (lower-cased
        outlet and language, publication date printed or inferred) and
        ``{index}_entities(id, entity_id, name)`` (lower-cased canonical names), built over
        the latest versions by ``narrascope.web.search``; they may live in an
        attached database (e.g. ``memory.main.search``). Every term must occur;
        every phrase's words must occur in a row (``phrase_pattern``). Ranking is BM25
        (k1 = 1.2, b = 0.75). Summaries as in ``find_articles`` plus ``score``
        and ``text``. Filters as in ``find_articles``.
        """
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}", index):
            raise ValueError(f"not a table name: {index!r}")
        terms = sorted(set(terms))
        if not terms:
            return 0, []
        where, params = _field_filters("d.outlet", "d.language", "d.published", outlet, language, date_from, date_to)
        if entity:
            where.append(f"d.id IN (SELECT e.id FROM {index}_entities e WHERE e.entity_id = ? OR e.name = lower(?))")
            params += [entity, entity]
        # Phrases are checked on the texts of the articles that have every term, not on every text: the
        # CASE names the hits' score, so DuckDB cannot push the test down into the scan of the articles.
        # The quick pattern (no boundaries, a literal start for RE2) weeds out most texts; the exact one decides.
        text_cond = " AND ".join("CASE WHEN s.score IS NOT NULL AND regexp_matches(a.text, ?) "
                                 "THEN regexp_matches(a.text, ?) ELSE false END" for _ in phrases)
        text_params = [p for ph in phrases for p in (phrase_pattern(ph, bounded=False), phrase_pattern(ph))]
        # the terms as a literal list, so the scan of the postings (sorted by term) skips to them
        marks = ",".join("?" * len(terms))
        hits = f"""WITH p AS (SELECT term, id, tf FROM {index}_postings WHERE term IN ({marks})),
            stats AS (SELECT count(*) AS n, avg(len) AS avglen FROM {index}_docs),
            df AS (SELECT term, count(*) AS df FROM p GROUP BY term),
            scored AS (SELECT p.id, sum(ln(1 + (stats.n - df.df + 0.5) / (df.df + 0.5))
                                       * p.tf * 2.2 / (p.tf + 1.2 * (0.25 + 0.75 * d.len / stats.avglen))) AS score
                       FROM p JOIN df USING (term) JOIN {index}_docs d USING (id), stats
                       {'WHERE ' + ' AND '.join(where) if where else ''}
                       GROUP BY p.id HAVING count(*) = ?),
            hits AS ({'SELECT s.* FROM scored s JOIN articles a ON a.id = s.id WHERE ' + text_cond
                      if text_cond else 'SELECT * FROM scored'})"""
        head = list(terms) + params + [len(terms)] + text_params
        top = self._x(f"{hits} SELECT id, score, count(*) OVER () FROM hits ORDER BY score DESC, id LIMIT ? OFFSET ?",
                      head + [int(limit), int(offset)]).fetchall()
        if not top:
            return (self._x(f"{hits} SELECT count(*) FROM hits", head).fetchone()[0] if offset else 0), []
        rows = self.summaries([i for i, _, _ in top], with_text=True)
        return top[0][2], [dict(rows[i], score=score) for i, score, _ in top if i in rows]

    def publishers(self) -> list[dict]:
        """Every publisher of a latest version with its number of articles, most articles first."""
        return self._dicts(f"SELECT a.publisher AS name, count(*) AS n_articles FROM articles a "
                           f"WHERE {_LATEST} AND a.publisher IS NOT NULL GROUP BY a.publisher "
                           "ORDER BY n_articles DESC, name")


_NOT_WORD = r"[^\p{L}\p{N}]"


def phrase_pattern(phrase: str, bounded: bool = True) -> str:
    """An RE2 pattern for a phrase's words in a row, whatever case, spaces or punctuation between them.

    The words are the index's terms (runs of letters and digits), so ``zelenskyy s plan``
    finds "Zelenskyy's plan" and ``door to nato`` finds "door to NATO" but, ``bounded``,
    not "backdoor to NATO".
    """
    inner = f"{_NOT_WORD}+".join(re.escape(w) for w in phrase.split())
    return f"(?i)(?:^|{_NOT_WORD}){inner}(?:$|{_NOT_WORD})" if bounded else f"(?i){inner}"


_PUBLISHED = ("coalesce(a.published, (SELECT json_extract_string(f.value, '$') FROM fields f "
              "WHERE f.article_id = a.id AND f.name = 'published' LIMIT 1))")


def _field_filters(outlet_col: str, language_col: str, published_col: str, outlet: str | None,
                   language: str | None, date_from: str | None, date_to: str | None) -> tuple[list[str], list]:
    """Conditions on outlet and language (case-insensitive; the columns given already lowered) and on a
    publication date range of ISO prefixes ("2024", "2024-03"), with their parameters."""
    where, params = [], []
    if outlet:
        where.append(f"{outlet_col} = lower(?)")
        params.append(outlet)
    if language:
        where.append(f"{language_col} = lower(?)")
        params.append(language)
    if date_from:
        where.append(f"{published_col} >= ?")
        params.append(date_from)
    if date_to:
        where.append(f"substr({published_col}, 1, ?) <= ?")
        params += [len(date_to), date_to]
    return where, params


def _article_filters(outlet: str | None, date_from: str | None, date_to: str | None, language: str | None,
                     entity: str | None, ids: Sequence[str] | None) -> tuple[str, list]:
    """SQL condition over ``articles a`` (latest versions only) and its parameters."""
    where, params = _field_filters("lower(a.publisher)", "lower(a.language)", _PUBLISHED,
                                   outlet, language, date_from, date_to)
    where.insert(0, _LATEST)
    if entity:
        where.append("(list_contains(json_extract_string(a.extractions, '$.entities[*].id'), ?) OR "
                     "list_contains(list_transform(json_extract_string(a.extractions, '$.entities[*].name'), "
                     "lambda x: lower(x)), lower(?)))")
        params += [entity, entity]
    if ids is not None:
        where.append("a.id IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(ids))
    return " AND ".join(where), params


def _record(a: dict, fields: list[dict], flags: list[dict], ext_keys: list[str]) -> dict:
    values = {f["name"]: f["value"] for f in fields}
    extractions = _unjson(a["extractions"]) or {}
    rec: dict[str, Any] = {
        "id": a["id"],
        "source": a["source"],
        "url": values.get("url") if values.get("url") is not None else a["url"],
        "doc_key": a["doc_key"],
        "version": a["version"],
        "title": values.get("title"),
        "dek": values.get("dek"),
        "authors": _str_list(values.get("authors")),
        "byline_affiliation": values.get("byline_affiliation"),
        "publisher": values.get("publisher"),
        "published": values.get("published"),
        "published_inferred": any(f["name"] == "published" and f["origin"] == "inferred" for f in fields),
        "updated": values.get("updated"),
        "republished_from": extractions.get("republished_from") or values.get("republished_from"),
        "dateline": values.get("dateline"),
        "wire_credit": values.get("wire_credit"),
        "contributors": _str_list(values.get("contributors")),
        "language": values.get("language"),
        "text": a["text"],
        "flags": [f"{f['code']}:{f['detail']}" if f["detail"] else f["code"] for f in flags]
        + [f for f in extractions.get("_link_flags") or [] if f not in {x["code"] for x in flags}],
        "provenance": {f["name"]: {"origin": f["origin"], "start": f["start"], "end": f["end"], "line": f["line"],
                                   "evidence": f["evidence"]} for f in fields},
        "removed": [{"start": r["start"], "end": r["end"], "kind": r["kind"]} for r in _unjson(a["removed"]) or []],
    }
    for k in ext_keys:
        rec[k] = extractions.get(k)
    return rec
