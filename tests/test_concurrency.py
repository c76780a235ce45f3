"""Concurrent use: a real server on a loopback port reads while ingests write through it.

DuckDB lets one process write a store, and other processes read it only while
none writes. So the server is the one process holding the store: readers hit
its API while ``POST /api/ingest`` (and ``narrascope ingest``, which hands its
files to the server) writes, each article in one transaction. Checked: no 5xx,
no lock error text anywhere, every article a reader sees is whole, and what
was ingested is visible (search index and cached views included) once the
ingest returns.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from crashkit import NARRASCOPE
from conftest import free_port, stop_server, wait_for_server
from narrascope.api import ingest
from newsgen import article, write_articles

TOKEN = "concurrency-test-token-0123456789"
LOCK_WORDS = ("database is locked", "could not set lock", "conflicting lock", "lock on file")
# What every stored article carries from its own stages (the article view hides keys starting with "_").
STAGE_KEYS = {"events", "entities", "quotes", "narratives", "roles", "loaded_language"}


def _request(url: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 600):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def _start(db: str, token: str | None):
    port = free_port()
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    env.pop("NARRASCOPE_INGEST_TOKEN", None)
    args = [NARRASCOPE, "serve", "--db", db, "--port", str(port), "--rate-limit", "0"]
    if token:
        env["NARRASCOPE_INGEST_TOKEN"] = token
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_for_server(proc, lambda: _request(base + "/api/runs", timeout=5)[0] == 200, 600)
    return proc, base


def _stop(proc) -> str:
    return stop_server(proc, 20)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("conc")
    db = str(tmp / "store.duckdb")
    write_articles(tmp / "first", 6)
    ingest([str(tmp / "first")], db)
    return tmp, db


class Readers:
    """Threads hammering the read endpoints; every response checked."""

    def __init__(self, base: str, n: int = 2):
        self.base, self.stop, self.errors, self.counts = base, threading.Event(), [], {}
        self.seen_articles: set[str] = set()
        self.threads = [threading.Thread(target=self.loop, args=(k,), daemon=True) for k in range(n)]

    def get(self, path: str) -> dict | str:
        status, body = _request(self.base + path, timeout=120)
        text = body.decode("utf-8", "replace")
        self.counts[status] = self.counts.get(status, 0) + 1
        if status >= 500 or any(w in text.lower() for w in LOCK_WORDS):
            self.errors.append((path, status, text[:300]))
        if status != 200:
            if status != 404:
                self.errors.append((path, status, text[:300]))
            return {}
        return json.loads(text) if path.startswith("/api/") else text

    def check_article(self, a: dict) -> None:
        missing = STAGE_KEYS - set(a.get("extractions") or {})
        if not a.get("text") or not a.get("title") or not a.get("metadata") or not a.get("sources") or missing:
            self.errors.append(("half article", a.get("id"), sorted(missing)))
        self.seen_articles.add(a["id"])

    def loop(self, k: int) -> None:
        paths = ["/api/search?q=harbour", "/api/stories", "/api/statements", "/api/timeline", "/api/entities",
                 "/api/outlets", "/api/runs", "/", "/stories"]
        i = 0
        while not self.stop.is_set():
            i += 1
            listing = self.get(f"/api/articles?limit=100&offset=0")
            items = listing.get("items") or [] if isinstance(listing, dict) else []
            if items:
                a = self.get(f"/api/articles/{items[(i * 7 + k) % len(items)]['id']}")
                if a:
                    self.check_article(a)
                self.get(f"/articles/{items[(i * 3 + k) % len(items)]['id']}")
            stories = self.get("/api/stories")
            for s in (stories.get("items") or [])[:2] if isinstance(stories, dict) else []:
                self.get(f"/api/stories/{s['story_id'] if 'story_id' in s else s['id']}")
            self.get(paths[i % len(paths)])

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(180)


def _jsonl(start: int, n: int, marker: str) -> bytes:
    rows = []
    for i in range(start, start + n):
        name, text = article(i)
        rows.append(json.dumps({"url": f"https://news.example/{marker}/{name}", "text": text + f"\nKeyword {marker}.\n"}))
    return ("\n".join(rows) + "\n").encode()


def test_reads_while_ingests_write(store):
    tmp, db = store
    proc, base = _start(db, TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    try:
        before = json.loads(_request(base + "/api/articles?limit=1")[1])["count"]
        with Readers(base) as readers:
            time.sleep(1.0)
            results = []
            for k, marker in enumerate(["zanzibarite", "quokkaline"]):
                status, body = _request(f"{base}/api/ingest?name=batch{k}.jsonl", _jsonl(20 + 4 * k, 4, marker), auth)
                assert status == 200, body[:500]
                results.append(json.loads(body))
                # visible at once: the search index and cached views were dropped by the write
                hits = json.loads(_request(f"{base}/api/search?q={marker}")[1])
                assert hits["count"] == 4, (marker, hits)
            time.sleep(1.0)
        assert [r["ingested"] for r in results] == [4, 4] and all(r["rejected"] == 0 for r in results)
        assert not readers.errors, readers.errors[:5]
        assert sum(readers.counts.values()) > 50, readers.counts
        print(f"concurrency: {sum(readers.counts.values())} reads during 2 ingests, statuses {readers.counts}, "
              f"{len(readers.seen_articles)} articles opened whole, 0 errors")
        after = json.loads(_request(base + "/api/articles?limit=500")[1])
        assert after["count"] == before + 8
        sources = {a["source"] for a in after["items"]}
        assert {f"batch0.jsonl#row={i}" for i in (1, 2, 3, 4)} <= sources
        for a in after["items"]:
            full = json.loads(_request(f"{base}/api/articles/{a['id']}")[1])
            assert "story_id" in full["extractions"], a["id"]   # linked once the run ended
    finally:
        log = _stop(proc)
    assert not any(w in log.lower() for w in LOCK_WORDS), log[-2000:]


def _cli_ingest(folder, db, token: str | None):
    env = dict(os.environ)
    env.pop("NARRASCOPE_INGEST_TOKEN", None)
    if token:
        env["NARRASCOPE_INGEST_TOKEN"] = token
    return subprocess.run([NARRASCOPE, "ingest", str(folder), "--db", db, "-q"], env=env, capture_output=True,
                          text=True, timeout=900)


def test_cli_ingest_against_a_read_only_server_says_what_to_do(store):
    tmp, db = store
    write_articles(tmp / "late", 2, start=40)
    proc, base = _start(db, None)
    try:
        out = _cli_ingest(tmp / "late", db, None)
        listing = subprocess.run([NARRASCOPE, "list", "--db", db], capture_output=True, text=True, timeout=120)
        assert os.path.exists(db + ".serve.json")
    finally:
        _stop(proc)
    assert not os.path.exists(db + ".serve.json")   # the server removes its note when it stops
    assert out.returncode == 1
    msg = out.stderr
    assert "served by `narrascope serve` at " + base in msg and "read-only" in msg and "ingest token" in msg, msg
    assert not any(w in msg.lower() for w in LOCK_WORDS), msg
    assert listing.returncode == 0 and "article(s)" in listing.stderr   # reading beside a reading server works


def test_cli_ingest_hands_its_files_to_the_server(store):
    tmp, db = store
    folder = tmp / "handoff"
    write_articles(folder, 3, start=60)
    proc, base = _start(db, TOKEN)
    try:
        before = json.loads(_request(base + "/api/articles?limit=1")[1])["count"]
        no_token = _cli_ingest(folder, db, None)
        with Readers(base, n=1) as readers:
            out = _cli_ingest(folder, db, TOKEN)
        again = _cli_ingest(folder, db, TOKEN)
        items = json.loads(_request(base + "/api/articles?limit=500")[1])["items"]
    finally:
        _stop(proc)
    assert no_token.returncode == 1 and "set NARRASCOPE_INGEST_TOKEN" in no_token.stderr, no_token.stderr
    assert out.returncode == 0, out.stderr
    assert "through the server" in out.stderr and "ingested 3," in out.stderr, out.stderr
    assert again.returncode == 0 and "ingested 0," in again.stderr and "unchanged 3" in again.stderr, again.stderr
    assert len(items) == before + 3
    sent = {a["source"] for a in items if a["source"].startswith(str(folder))}
    assert sent == {str(p) for p in sorted(folder.iterdir())}   # the same sources a direct ingest records
    assert not readers.errors, readers.errors[:5]
