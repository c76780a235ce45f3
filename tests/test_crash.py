"""Crash safety: `narrascope ingest` killed with SIGKILL at random moments, and at exact points of a run.

After every kill the store opens, every article in it is whole (its raw input,
fields, source and every stage's extractions) or absent, and no row is
duplicated. The next run resumes: it stores only what is missing (the run
counts say so) and rebuilds the cross-article views the dead run left stale.
``NARRASCOPE_CRASH_KILLS`` sets the number of random kills (``bench/crash.py``
runs many more); ``NARRASCOPE_CRASH_SEED`` replays a sequence of delays.
"""
from __future__ import annotations

import os
import random
import time

import pytest

import crashkit as K
from narrascope.ingest import iter_inputs
from newsgen import write_articles

KILLS = int(os.environ.get("NARRASCOPE_CRASH_KILLS", "5"))


def expected_ids(folder) -> set[str]:
    return {x.content_hash for x in iter_inputs([str(folder)])}


def check_resumed(report: dict, n: int, stored_before_final: int) -> None:
    """The last run finished, stored exactly what was missing; every earlier run is closed; nothing counted twice."""
    runs = report["runs"]
    *earlier, (_, status, ingested, versions, unchanged, rejected) = runs
    assert status == "finished" and (ingested, versions, rejected) == (n - stored_before_final, 0, 0)
    assert unchanged == stored_before_final
    assert {r[1] for r in earlier} <= {"finished", "crashed"}
    assert sum(r[2] for r in runs) == n and sum(r[3] for r in runs) == 0


def test_random_kills(tmp_path):
    seed = int(os.environ.get("NARRASCOPE_CRASH_SEED") or time.time() * 1000) % 10**9
    rng = random.Random(seed)
    folder, db, log = tmp_path / "in", tmp_path / "store.duckdb", tmp_path / "ingest.log"
    n = 14
    write_articles(folder, n)
    horizon, kills, history = 10.0, 0, []
    for _ in range(4 * KILLS):
        if kills == KILLS:
            break
        delay = rng.uniform(0.3, horizon)
        t0 = time.monotonic()
        outcome = K.kill_after(K.start_cli(folder, db, log), delay)
        report = K.check_store(db, expected_ids(folder))
        history.append((round(delay, 2), outcome, report["articles"], report["stale"]))
        if outcome == "killed":
            kills += 1
        else:  # it finished first: kill sooner next time, and give it new work
            horizon = max(1.0, time.monotonic() - t0)
            write_articles(folder, 4, start=n)
            n += 4
    assert kills == KILLS, (seed, history)
    stored = K.check_store(db, expected_ids(folder))["articles"]
    assert K.kill_after(K.start_cli(folder, db, log), 900) == "finished", (seed, history)
    report = K.check_store(db, expected_ids(folder))
    assert report["articles"] == n and report["stale"] == [], (seed, history, report)
    check_resumed(report, n, stored)
    K.check_views(db)


# Exact kill points, in the order one store meets them: each child run resumes the one before.
# (Store method or None for anywhere, a SQL fragment, which occurrence) -> what the store holds after the kill.
N = 8
KILL_POINTS = [
    ("inside the 4th article's transaction", ("save_article", "INSERT INTO article_sources", 4),
     {"articles": 3, "stale": ["timeline", "statements", "links"]}),
    ("inside the timeline rebuild", ("replace_timeline", "DELETE FROM fields WHERE origin", 1),
     {"articles": N, "stale": ["timeline", "statements", "links"]}),
    ("inside the statements rebuild", ("update_extractions", "UPDATE articles SET extractions", 3),
     {"articles": N, "stale": ["statements", "links"]}),
    ("inside the links rebuild", (None, "json_merge_patch", 2),
     {"articles": N, "stale": ["links"]}),
    ("after the links rebuild, before it is marked", ("mark_view_fresh", "INSERT OR REPLACE INTO derived_state", 1),
     {"articles": N, "stale": ["links"]}),
]


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory):
    """The same articles ingested by one run that nobody killed."""
    tmp = tmp_path_factory.mktemp("clean")
    write_articles(tmp / "in", N)
    assert K.run_child(tmp / "in", tmp / "store.duckdb") == "finished"
    return K.check_views(tmp / "store.duckdb")


def test_kills_at_exact_points_then_resume(tmp_path, clean_run):
    folder, db = tmp_path / "in", tmp_path / "store.duckdb"
    write_articles(folder, N)
    ids = expected_ids(folder)
    for name, point, expected in KILL_POINTS:
        assert K.run_child(folder, db, point) == "killed", name
        report = K.check_store(db, ids)
        assert {k: report[k] for k in expected} == expected, name
        assert report["runs"][-1][1] == "running", name  # closed as crashed by the next run
    assert K.run_child(folder, db) == "finished"
    report = K.check_store(db, ids)
    assert report["articles"] == N and report["stale"] == []
    assert [r[1] for r in report["runs"]] == ["crashed"] * len(KILL_POINTS) + ["finished"]
    check_resumed(report, N, N)
    assert report["runs"][0][2] == 3 and report["runs"][1][2] == N - 3  # what the first two runs stored
    assert K.check_views(db) == clean_run
