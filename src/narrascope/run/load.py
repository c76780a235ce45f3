"""Import a run's Parquet output into the DuckDB store the workbench and the CLI read.

Articles are read in id batches with their extraction rows, rebuilt and saved
one transaction each (``Store.save_article``): an article already stored is
only noted, so importing again, or after a later incremental run, adds just
what is new. The cross-article views (timeline, statements, stories, claims)
are then rebuilt on the store as after ``narrascope ingest``.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Callable

import duckdb

from ..errors import NarrascopeError
from ..store import Store
from . import output as O
from .records import article_from_records


@dataclass
class ImportReport:
    articles: int = 0      # newly stored
    unchanged: int = 0     # already in the store
    seconds: float = 0.0
    linked: bool = False


def import_output(out: str, db: str | Store, *, batch: int = 500, link: bool | None = None,
                  on_article: Callable[[str, str], None] | None = None) -> ImportReport:
    """Load ``out`` (written by ``narrascope run``) into ``db``; ``link`` None: link when small enough."""
    from ..api import TIMELINE_AUTO_MAX, refresh_after_run

    if not O.has_dataset(out, "articles"):
        raise NarrascopeError(f"{out}: no articles dataset here (expected {out}/articles/**/*.parquet "
                              "written by `narrascope run`)")
    t0 = time.perf_counter()
    report = ImportReport()
    store = db if isinstance(db, Store) else Store(db)
    run_id = store.begin_run([out])
    status = "failed"
    try:
        src = duckdb.connect()
        try:
            arts = O.dataset_sql(out, "articles")
            exts = O.dataset_sql(out, "extractions") if O.has_dataset(out, "extractions") else None
            cur = src.execute(f"SELECT * FROM {arts} ORDER BY month, id")
            cols = [d[0] for d in cur.description]
            while rows := cur.fetchmany(batch):
                records = [dict(zip(cols, r)) for r in rows]
                extractions = _extractions(src, exts, [r["id"] for r in records])
                for rec in records:
                    if store.has_article(rec["id"]):
                        store.note_source(rec["id"], rec["source"], run_id)
                        report.unchanged += 1
                        continue
                    outcome = store.save_article(article_from_records(rec, extractions.get(rec["id"], {})), run_id)
                    report.articles += outcome != "unchanged"
                    report.unchanged += outcome == "unchanged"
                    if on_article:
                        on_article(rec["source"], outcome)
        finally:
            src.close()
        if report.articles and (link or (link is None and store.count_articles() <= TIMELINE_AUTO_MAX)):
            refresh_after_run(store)
            report.linked = True
        status = "finished"
    finally:
        report.seconds = time.perf_counter() - t0
        store.finish_run(run_id, {"ingested": report.articles, "versions": 0, "unchanged": report.unchanged,
                                  "rejected": 0}, status)
        if not isinstance(db, Store):
            store.close()
    return report


def _extractions(con, exts: str | None, ids: list[str]) -> dict[str, dict]:
    if not exts or not ids:
        return {}
    found: dict[str, dict] = {}
    rows = con.execute(f"SELECT id, stage, data FROM {exts} WHERE id IN (SELECT unnest(?))", [ids]).fetchall()
    for aid, stage, data in rows:
        found.setdefault(aid, {})[stage] = json.loads(data)
    return found
