"""The server's hold on the store: one DuckDB database, one cursor per thread.

The store file is attached to an in-memory DuckDB database, read-only unless
HTTP ingest is enabled, so the in-memory side can hold what the server
derives (the search index) without writing to the store. Each request thread
reads through its own cursor (DuckDB connections are not shared between
threads); writes go through one writer, one at a time.

    wb = Workbench("story.duckdb")
    store = wb.store()                    # a Store on this thread's cursor
    wb.cached("statements", build)        # recomputed when the store changes
"""
from __future__ import annotations

import os
import threading
import time
from typing import Any, Callable

import duckdb

from ..errors import StoreError
from ..store import Store
from ..store.db import open_error
from ..store.migrations import LATEST
from .search import SearchIndex

CACHE_ENTRIES = 512      # corpus aggregates and recently viewed stories kept between requests


def _store_on(con, path: str, read_only: bool) -> Store:
    """A ``Store`` reading and writing through ``con`` (already pointed at the store catalog)."""
    store = Store.__new__(Store)
    store.path, store.read_only, store.con = path, read_only, con
    return store


class Workbench:
    """The store behind the workbench.

    Args:
        db: the DuckDB file; it must exist.
        writable: attach it read-write (only for HTTP ingest); otherwise read-only.

    Raises:
        StoreError: no store there, not a DuckDB file, locked by a writer, or
            its schema is older than this narrascope (run any command that writes once).
    """

    def __init__(self, db: str | os.PathLike, writable: bool = False) -> None:
        self.path = os.fspath(db)
        self.writable = writable
        if not os.path.isfile(self.path):
            raise StoreError(f"no store at {self.path}: ingest something first, or check --db")
        self.con = duckdb.connect(":memory:")
        quoted = self.path.replace("'", "''")
        try:
            self.con.execute(f"ATTACH '{quoted}' AS store" + ("" if writable else " (READ_ONLY)"))
            self.con.execute("USE store")
        except duckdb.Error as e:
            self.con.close()
            raise open_error(self.path, e) from e
        self.writer = _store_on(self.con, self.path, not writable)
        if writable:
            self.writer._migrate()
        elif self.writer.schema_version() < LATEST:
            self.con.close()
            raise StoreError(f"the store {self.path} has schema version {self.writer.schema_version()}, older than "
                             f"this narrascope's {LATEST}: run `narrascope ingest` on it once to upgrade it")
        self.write_lock = threading.Lock()
        self.index = SearchIndex(self.cursor)
        self._local = threading.local()
        self._cache: dict[str, tuple[tuple, Any]] = {}
        self._cache_lock = threading.Lock()
        self._stamp: tuple[float, tuple] | None = None

    def cursor(self):
        """A new cursor on the store (the caller closes it)."""
        cur = self.con.cursor()
        cur.execute("USE store")
        return cur

    def store(self) -> Store:
        """A read ``Store`` on this thread's own cursor."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = _store_on(self.cursor(), self.path, True)
        return store

    def stamp(self) -> tuple:
        """What changes when articles or derived data change (checked at most once a second)."""
        now = time.monotonic()
        if self._stamp is None or now - self._stamp[0] > 1.0:
            row = self.store()._x("SELECT count(*), max(ingested_at), (SELECT max(id) FROM ingest_runs), "
                                  "(SELECT max(finished_at) FROM ingest_runs) FROM articles").fetchone()
            self._stamp = (now, tuple(row))
        return self._stamp[1]

    def expire(self) -> None:
        """Forget cached aggregates and the stamp (after a write through this server)."""
        self._stamp = None
        self.index.stamp = None
        with self._cache_lock:
            self._cache.clear()

    def cached(self, name: str, build: Callable[[Store], Any]) -> Any:
        """``build(store)``, kept until the store changes (the least recently built go first past ``CACHE_ENTRIES``)."""
        stamp = self.stamp()
        hit = self._cache.get(name)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        value = build(self.store())
        with self._cache_lock:
            self._cache.pop(name, None)
            self._cache[name] = (stamp, value)
            while len(self._cache) > CACHE_ENTRIES:
                self._cache.pop(next(iter(self._cache)))
        return value

    def close(self) -> None:
        self.con.close()
