"""Pathological inputs: each is rejected with a reason naming the file (or read), within bounded memory and time.

Each case runs in a child process (``hostile.probe``) capped at 2 GB of address
space; its peak resident memory is compared with the same probe over one small
article, and the inputs are larger than the margin allowed, so a reader that
held its input whole would fail. The 1 GB versions are in ``bench/pathological.py``.
"""
from __future__ import annotations

import threading

import pytest

import hostile as H
from narrascope.api import ingest
from narrascope.errors import BAD_RECORD, BINARY, BOMB, NO_ARTICLE, TIMEOUT, TOO_LARGE
from narrascope.pipeline import CLEAN_STAGES
from narrascope.store import Store

BIG = 256          # MB: every single-line and huge-record input is this large
MARGIN = 120       # MB over the small-article baseline: a 20 MB document read and decoded, nothing more
SECONDS = 60


@pytest.fixture(scope="module")
def base():
    """Peak memory of the probe over one small article: read only, and read + clean stages."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "a.txt"
        p.write_text(H.GOOD_TEXT)
        return {False: H.probe({"mode": "read", "paths": [str(p)]})["peak_mb"],
                True: H.probe({"mode": "read", "paths": [str(p)], "process": True})["peak_mb"]}


def run(spec: dict, base: dict) -> dict:
    out = H.probe(spec)
    assert out["seconds"] < SECONDS, out
    assert out["peak_mb"] < base[bool(spec.get("process"))] + MARGIN, (out["peak_mb"], base)
    return out


def kinds(out: dict) -> list[tuple[str, str | None, str]]:
    return [(x["type"], x["code"], x["source"].rsplit("/", 1)[-1]) for x in out["items"]]


def test_a_single_line_of_256_mb_in_jsonl(tmp_path, base):
    p = H.single_line_jsonl(tmp_path / "feed.jsonl", BIG)
    out = run({"mode": "read", "paths": [str(p)]}, base)
    assert kinds(out) == [("RawInput", None, "feed.jsonl#row=1"), ("Rejected", TOO_LARGE, "feed.jsonl#row=2"),
                          ("RawInput", None, "feed.jsonl#row=3")]
    assert "row 2 is over" in out["items"][1]["reason"]


@pytest.mark.parametrize("via", ["file", "stdin"])
def test_a_single_line_of_256_mb_in_text(tmp_path, base, via):
    p = H.single_line_text(tmp_path / "one.txt", BIG)
    spec = {"mode": "read", "paths": [str(p)]} if via == "file" else {"mode": "read", "paths": ["-"], "stdin": str(p)}
    out = run(spec, base)
    name = "one.txt" if via == "file" else "<stdin>"
    assert kinds(out) == [("Rejected", TOO_LARGE, name)] and "limit for one article" in out["items"][0]["reason"]


def test_a_single_line_of_256_mb_in_csv(tmp_path, base):
    """Regression: the CSV reader held a whole physical line before the field limit could refuse it."""
    p = H.single_line_csv(tmp_path / "feed.csv", BIG)
    out = run({"mode": "read", "paths": [str(p)], "process": True}, base)
    assert kinds(out) == [("Rejected", TOO_LARGE, "feed.csv#row=1"), ("RawInput", None, "feed.csv#row=2")]


@pytest.mark.parametrize("tag", [b"div"])
def test_a_million_nested_tags(tmp_path, base, tag):
    p = H.nested_html(tmp_path / "deep.html", 10**6, tag)
    out = run({"mode": "read", "paths": [str(p)], "process": True}, base)
    assert kinds(out) == [("Rejected", NO_ARTICLE, "deep.html")]
    assert "nests its tags 1,000,00" in out["items"][0]["reason"]


def test_nesting_within_the_parser_depth_is_read(tmp_path, base):
    p = H.nested_html(tmp_path / "deep.html", 200)
    out = run({"mode": "read", "paths": [str(p)], "process": True}, base)
    assert kinds(out) == [("RawInput", None, "deep.html")]


def test_gzip_bombs(tmp_path, base):
    paths = [H.gzip_bomb(tmp_path / "zeros.txt.gz", BIG // 2), H.text_gzip_bomb(tmp_path / "text.txt.gz", BIG // 2),
             H.nested_gzip_bomb(tmp_path / "twice.txt.gz", BIG // 2), H.zip_bomb(tmp_path / "zeros.zip", BIG // 2)]
    assert all(p.stat().st_size < 2 * H.MB for p in paths)
    out = run({"mode": "read", "paths": [str(p) for p in paths]}, base)
    assert kinds(out) == [("Rejected", BINARY, "zeros.txt.gz"), ("Rejected", TOO_LARGE, "text.txt.gz"),
                          ("Rejected", TOO_LARGE, "twice.txt.gz"), ("Rejected", BINARY, "zeros.zip")]


def test_jsonl_gzip_bomb_stops_at_the_ratio(tmp_path, base):
    """Rows alike, 256 KB each, 1,000 to a file of under 1 MB: reading stops once it expands 200-fold."""
    p = H.jsonl_gzip_bomb(tmp_path / "feed.jsonl.gz", 1000)
    out = run({"mode": "read", "paths": [str(p)]}, base)
    rows = [x for x in out["items"] if x["type"] == "RawInput"]
    assert out["items"][-1]["code"] == BOMB and out["items"][-1]["source"].endswith("feed.jsonl.gz")
    assert 0 < len(rows) * 256 * 1024 <= 200 * p.stat().st_size + 256 * 1024


@pytest.mark.parametrize("gz", [False, True])
def test_a_warc_with_a_huge_record(tmp_path, base, gz):
    """The huge record is refused alone; the records around it are read. Regression (gz): checking that the
    crawl's gzip members all end looped forever on a member that expanded past 1 MB."""
    name = "crawl.warc.gz" if gz else "crawl.warc"
    p = H.warc_huge_record(tmp_path / name, BIG, gz)
    out = run({"mode": "read", "paths": [str(p)], "process": True}, base)
    assert kinds(out) == [("RawInput", None, f"{name}#record=1"), ("Rejected", TOO_LARGE, f"{name}#record=2"),
                          ("RawInput", None, f"{name}#record=3")]


def test_bad_rows_are_cheap(tmp_path, base):
    """A JSONL file of 200,000 broken rows: each rejected with its row number, memory flat."""
    p = tmp_path / "broken.jsonl"
    with open(p, "wb") as f:
        for i in range(200_000):
            f.write(b'{"text": "unterminated\n')
    out = run({"mode": "read", "paths": [str(p)]}, base)
    assert len(out["items"]) == 200_000 and {x["code"] for x in out["items"]} == {BAD_RECORD}
    assert out["items"][-1]["source"].endswith("broken.jsonl#row=200000")


# ------------------------------------------------------------ the per-article time limit
def _slow_and_good(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a_slow.txt").write_text("Harbour board " + "word " * 400_000)  # one 2 MB line: seconds of work
    (tmp_path / "in" / "b_good.txt").write_text(H.GOOD_TEXT)
    return str(tmp_path / "in")


def _check_timeout_stored(db: str, summary) -> None:
    assert summary.counts == {"ingested": 1, "versions": 0, "unchanged": 0, "rejected": 1}
    with Store(db, read_only=True) as store:
        (err,) = store.errors()
        assert store.count_articles() == 1
    assert err["code"] == TIMEOUT and err["source"].endswith("a_slow.txt")
    assert "took longer than 0.5 s" in err["reason"] and "stage '" in err["reason"]


def test_a_pathological_article_is_rejected_with_the_timeout_stored(tmp_path):
    db = str(tmp_path / "s.duckdb")
    summary = ingest([_slow_and_good(tmp_path)], db, stages=CLEAN_STAGES, timeout=0.5)
    _check_timeout_stored(db, summary)


def test_the_time_limit_holds_outside_the_main_thread(tmp_path):
    """The web server ingests in a worker thread, where no SIGALRM can reach."""
    db = str(tmp_path / "s.duckdb")
    box = {}
    t = threading.Thread(target=lambda: box.setdefault(
        "s", ingest([_slow_and_good(tmp_path)], db, stages=CLEAN_STAGES, timeout=0.5)))
    t.start()
    t.join(60)
    assert not t.is_alive()
    _check_timeout_stored(db, box["s"])
