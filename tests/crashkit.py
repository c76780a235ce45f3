"""Kill an ingest with SIGKILL and check what it left: shared by tests/test_crash.py and bench/crash.py.

    proc = start_cli(folder, db)             # `narrascope ingest FOLDER --db DB -q` in its own process
    outcome = kill_after(proc, 3.2)          # "killed" or "finished"
    report = check_store(db, expected_ids)   # raises AssertionError on a half article or a duplicate row

``run_child(folder, db, kill=("update_extractions", "UPDATE articles", 3))`` runs
``narrascope.api.ingest`` in a child process that sends itself SIGKILL at an
exact point: before the n-th statement containing the SQL fragment issued
while the named ``Store`` method (or the whole run, for ``None``) is running.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

NARRASCOPE = str(Path(sys.executable).parent / "narrascope")
# Keys each stage writes into an article's extractions, stored with the article in one transaction.
STAGE_KEYS = {"events", "_local_entities", "entities", "quotes", "_claims", "narratives", "roles", "loaded_language"}
# Keys the cross-article rebuild ("links") writes into every article.
LINK_KEYS = {"story_id", "syndication", "duplicates", "claims", "_link_flags"}
VIEWS = ["timeline", "statements", "links"]


def start_cli(folder: Path | str, db: Path | str, log: Path | str | None = None) -> subprocess.Popen:
    out = open(log, "ab") if log else subprocess.DEVNULL
    return subprocess.Popen([NARRASCOPE, "ingest", str(folder), "--db", str(db), "-q"], stdout=out, stderr=out)


def kill_after(proc: subprocess.Popen, seconds: float) -> str:
    """SIGKILL ``proc`` after ``seconds`` unless it ended first; "killed" or "finished" (which must be rc 0)."""
    try:
        rc = proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return "killed"
    if rc != 0:
        raise AssertionError(f"narrascope ingest exited with {rc}")
    return "finished"


CHILD = r"""
import json, os, signal, sys
from narrascope import api
from narrascope.store import Store

folder, db, kill = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
if kill:
    method, fragment, nth = kill
    state = {"inside": method is None, "seen": 0}
    original_x = Store._x

    def _x(self, sql, params=None):
        if state["inside"] and fragment in sql:
            state["seen"] += 1
            if state["seen"] == nth:
                os.kill(os.getpid(), signal.SIGKILL)
        return original_x(self, sql, params)
    Store._x = _x
    if method is not None:
        original = getattr(Store, method)

        def wrapped(self, *a, **k):
            state["inside"] = True
            try:
                return original(self, *a, **k)
            finally:
                state["inside"] = False
        setattr(Store, method, wrapped)
summary = api.ingest([folder], db)
print(json.dumps(summary.counts))
"""


def run_child(folder: Path | str, db: Path | str, kill: tuple | None = None, timeout: float = 600) -> str:
    """Ingest ``folder`` into ``db`` in a child process, killed at ``kill`` (see the module doc); "killed" or
    "finished"."""
    proc = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(db), json.dumps(kill)],
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode == -signal.SIGKILL:
        return "killed"
    if proc.returncode != 0:
        raise AssertionError(f"the ingest failed ({proc.returncode}): {proc.stderr[-3000:]}")
    return "finished"


def q(con, sql: str, params=None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def check_store(db: Path | str, expected: set[str]) -> dict:
    """Open the store as the next run would and check it: every article whole, no duplicate, nothing unknown.

    Returns {"articles", "stale": [views not rebuilt over the stored articles], "runs": [(id, status, ingested,
    versions, unchanged, rejected)]}.
    """
    if not Path(db).exists():  # killed before the store was created
        return {"articles": 0, "stale": list(VIEWS), "runs": []}
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {t for (t,) in q(con, "SELECT table_name FROM duckdb_tables()")}
        if not {"articles", "derived_state"} <= tables:  # killed while the schema was being made
            assert not tables & {"articles"} or not q(con, "SELECT 1 FROM articles LIMIT 1")
            return {"articles": 0, "stale": list(VIEWS), "runs": []}
        ids = [r[0] for r in q(con, "SELECT id FROM articles")]
        assert len(ids) == len(set(ids)), "duplicate article ids"
        assert set(ids) <= expected, f"articles that are not in the input: {set(ids) - expected}"
        assert not q(con, "SELECT doc_key, version FROM articles GROUP BY ALL HAVING count(*) > 1")
        # every article whole: its raw input, fields, source and every stage's extractions
        assert not q(con, "SELECT a.id FROM articles a LEFT JOIN raw_inputs r ON r.hash = a.raw_hash WHERE r.hash IS NULL")
        assert not q(con, "SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_sources s WHERE s.article_id = a.id)")
        assert not q(con, "SELECT a.id FROM articles a WHERE (SELECT count(*) FROM fields f WHERE f.article_id = a.id) < 3")
        for aid, ext, title, n_title in q(con, "SELECT a.id, a.extractions, a.title, (SELECT count(*) FROM fields f "
                                               "WHERE f.article_id = a.id AND f.name = 'title') FROM articles a"):
            keys = set(json.loads(ext))
            assert STAGE_KEYS <= keys, f"article {aid} lacks {STAGE_KEYS - keys}"
            assert title and n_title == 1, f"article {aid}: title column and field disagree"
        # nothing left over from an article that was not stored
        for table, col in (("fields", "article_id"), ("flags", "article_id"), ("article_sources", "article_id")):
            assert not q(con, f"SELECT {col} FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = t.{col})"), table
        assert not q(con, "SELECT hash FROM raw_inputs r WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.raw_hash = r.hash)")
        # no duplicated rows
        assert not q(con, "SELECT article_id, seq FROM flags GROUP BY ALL HAVING count(*) > 1")
        assert not q(con, "SELECT article_id, name FROM fields GROUP BY ALL HAVING count(*) > 1")
        assert not q(con, "SELECT id FROM ingest_runs GROUP BY ALL HAVING count(*) > 1")
        n, last = q(con, "SELECT count(*), max(ingested_at) FROM articles")[0]
        fingerprint = f"{n}:{last.isoformat() if last else '-'}"
        done = dict(q(con, "SELECT name, fingerprint FROM derived_state"))
        runs = q(con, "SELECT id, status, ingested, versions, unchanged, rejected FROM ingest_runs ORDER BY id")
        errors = q(con, "SELECT source, code, reason FROM ingest_errors")
        assert not errors, errors
        return {"articles": len(ids), "stale": [v for v in VIEWS if done.get(v) != fingerprint], "runs": runs}
    finally:
        con.close()


def check_views(db: Path | str) -> dict:
    """After a finished run: every view current and over every article. Returns what a clean run is compared on."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        arts = {aid: json.loads(ext) for aid, ext in q(con, "SELECT id, extractions FROM articles")}
        for aid, ext in arts.items():
            assert LINK_KEYS <= set(ext), f"article {aid} was not linked: lacks {LINK_KEYS - set(ext)}"
            assert all(q_.get("statement_id") for q_ in ext["quotes"] if q_.get("speaker")), aid
        members = dict(q(con, "SELECT article_id, story_id FROM story_members"))
        assert set(members) == set(arts) and all(members[a] == arts[a]["story_id"] for a in arts)
        stories = sorted(sorted(a for a in members if members[a] == s) for s in set(members.values()))
        statements = sorted(sorted((aid, q_["text"]) for aid, e in arts.items() for q_ in e["quotes"]
                                   if q_.get("statement_id") == sid)
                            for sid in {q_.get("statement_id") for e in arts.values() for q_ in e["quotes"]} - {None})
        timeline = sorted((d, n) for d, n in q(con, "SELECT date, n_sources FROM timeline"))
        claims = sorted(n for (n,) in q(con, "SELECT n_articles FROM claims"))
        return {"stories": stories, "statements": statements, "timeline": timeline, "claims": claims}
    finally:
        con.close()


def wait_until(pred, timeout: float = 30.0, step: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return False
