"""Batch runs: shards to Parquet on every engine, checkpoints, incremental runs, import."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from narrascope.cli import cli
from narrascope.errors import NarrascopeError
from narrascope.link import dedup
from narrascope.pipeline import CLEAN_STAGES, DEFAULT_STAGES
from narrascope.run import RunOptions, find_shards, import_output, run
from narrascope.run import output as O
from narrascope.run.near import band_keys, band_params
from narrascope.run.records import article_from_records, article_record, extraction_records, month_of
from narrascope.run.synth import source_texts, write_corpus
from narrascope.store import Store

from conftest import FIXTURES, SEEDS, article_from_text

CLEAN = RunOptions(stages=CLEAN_STAGES, timeout=None, batch_size=7)


def rows(out, dataset: str, order: str) -> list[tuple]:
    con = duckdb.connect()
    try:
        drop = "" if dataset in ("near_copies", "statements", "stories") else " EXCLUDE (shard)"
        return con.execute(f"SELECT *{drop} FROM {O.dataset_sql(out, dataset)} ORDER BY {order}").fetchall()
    finally:
        con.close()


def columns(out, dataset: str) -> list[str]:
    con = duckdb.connect()
    try:
        return [d[0] for d in con.execute(f"SELECT * EXCLUDE (shard) FROM {O.dataset_sql(out, dataset)} LIMIT 0").description]
    finally:
        con.close()


def table(out, dataset: str, order: str) -> list[tuple]:
    """Rows of a dataset with columns in name order (none when the runner wrote no row there)."""
    if not O.has_dataset(out, dataset):
        return []
    cols = ", ".join(sorted(c for c in columns(out, dataset)))
    con = duckdb.connect()
    try:
        return con.execute(f"SELECT {cols} FROM {O.dataset_sql(out, dataset)} ORDER BY {order}").fetchall()
    finally:
        con.close()


def same_output(a, b) -> None:
    """The two outputs hold the same rows, article by article (whatever the engine named the files)."""
    for dataset, order in (("articles", "id"), ("extractions", "id, stage"), ("rejected", "source")):
        ra, rb = table(a, dataset, order), table(b, dataset, order)
        assert len(ra) == len(rb), dataset
        for x, y in zip(ra, rb):
            assert x == y, f"{dataset}: {x[:3]} differs"
    assert rows(a, "near_copies", "a, b") == rows(b, "near_copies", "a, b")
    assert rows(a, "statements", "article_id, quote_index") == rows(b, "statements", "article_id, quote_index")
    sa, sb = rows(a, "stories", "article_id"), rows(b, "stories", "article_id")
    assert [(x[0], x[1], x[3], x[4]) for x in sa] == [(y[0], y[1], y[3], y[4]) for y in sb]
    # scores: the same up to the last bits of the lead vectors (embedded in other batches on Spark)
    assert all((x[2] is None) == (y[2] is None) and abs((x[2] or 0) - (y[2] or 0)) <= 0.002 for x, y in zip(sa, sb))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Fixture articles (our own words) as 3 JSONL shards and one WARC shard, with repeats and near-copies."""
    d = tmp_path_factory.mktemp("corpus")
    texts = source_texts([FIXTURES / "outlets"])
    write_corpus(d / "jsonl", texts, 30, shard_size=10, repeat_every=6, near_every=4)
    write_corpus(d / "warc", texts[::-1], 8, shard_size=8, fmt="warc.gz", repeat_every=0)
    return d


# ---------------------------------------------------------------- records
def test_record_round_trip_keeps_everything_the_store_keeps():
    a = article_from_text("Harbour gates to close\nBy Mira Lund\nMarch 3, 2024\n\n"
                          "The harbour authority said on Monday the gates would close. \"We have no choice,\" "
                          "Lund said.", url="https://example.org/x")
    rec = article_record(a, "k")
    exts = {e["stage"]: json.loads(e["data"]) for e in extraction_records(a, "k")}
    b = article_from_records(rec, exts)
    assert (b.id, b.text, b.offsets, b.fields, b.flags, b.removed) == (a.id, a.text, a.offsets, a.fields, a.flags, a.removed)
    assert json.loads(json.dumps(a.extractions)) == b.extractions
    assert rec["month"] == "2024-03"


@pytest.mark.parametrize("published, month", [("2024-03-05", "2024-03"), ("2024-03", "2024-03"), ("2024", "unknown"),
                                              (None, "unknown"), ("March 2024", "unknown")])
def test_month_partition(published, month):
    assert month_of(published) == month


def test_band_keys_propose_the_pairs_datasketch_proposes():
    texts = {f"t{i}": " ".join(f"w{(i * 3 + j) % 40}" for j in range(60)) for i in range(12)}
    texts["copy"] = texts["t3"] + " and one more line"
    sigs = {k: dedup.signature(dedup.shingles(t)) for k, t in texts.items()}
    b, r = band_params()
    buckets: dict = {}
    for k, hv in sigs.items():
        for key in band_keys(hv, b, r):
            buckets.setdefault(key, set()).add(k)
    banded = {(x, y) for ids in buckets.values() for x in ids for y in ids if x < y}
    assert banded == dedup.candidate_pairs(sigs)
    assert ("copy", "t3") in banded


# ---------------------------------------------------------------- shards
def test_shards_from_folders_and_globs(corpus, tmp_path):
    shards, missing = find_shards([str(corpus / "jsonl"), str(corpus / "warc" / "*.warc.gz"), str(tmp_path / "nope-*")])
    assert [Path(s.path).name for s in shards] == ["shard-00000.jsonl", "shard-00001.jsonl", "shard-00002.jsonl",
                                                   "shard-00000.warc.gz"]
    assert len(missing) == 1 and "matches no file" in missing[0].reason


def test_nothing_to_run_names_the_input(tmp_path):
    with pytest.raises(NarrascopeError, match="nope"):
        run([str(tmp_path / "nope")], str(tmp_path / "out"))


def test_parquet_input(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"headline": ["Ferry back", "Empty"], "body": ["The ferry to Ostend runs again from Friday, "
                                                                  "the port said.", None],
                      "published": ["2024-05-02", "2024-05-03"]})
    pq.write_table(table, tmp_path / "feed.parquet")
    rep = run([str(tmp_path / "feed.parquet")], str(tmp_path / "out"), options=CLEAN)
    assert rep.articles == 1 and rep.rejected == 1
    assert rows(tmp_path / "out", "rejected", "source")[0][0].endswith("feed.parquet#row=2")
    assert rows(tmp_path / "out", "articles", "id")[0][columns(tmp_path / "out", "articles").index("title")] == "Ferry back"


# ---------------------------------------------------------------- runs
def test_local_run_writes_partitioned_parquet_and_skips_repeats(corpus, tmp_path):
    out = tmp_path / "out"
    rep = run([str(corpus)], str(out), options=CLEAN)
    assert rep.shards == 4 and rep.skipped_shards == 0
    assert rep.duplicates == 4                     # rows 6, 12, 18, 24 repeat earlier rows
    assert rep.articles + rep.rejected == 30 + 8 - rep.duplicates
    months = {p.name for p in (out / "articles").iterdir()}
    assert all(m.startswith("month=") for m in months) and len(months) > 3
    assert (out / "extractions" / "stage=events").is_dir()
    ids = [r[0] for r in rows(out, "articles", "id")]
    assert len(ids) == len(set(ids)) == rep.articles
    assert rep.near_copies and rows(out, "near_copies", "a, b")
    assert len(O.read_checkpoints(out)) == 4


def test_second_run_does_only_new_shards(corpus, tmp_path):
    src = tmp_path / "in"
    shutil.copytree(corpus / "jsonl", src)
    out = tmp_path / "out"
    first = run([str(src)], str(out), options=CLEAN)
    again = run([str(src)], str(out), options=CLEAN)
    assert again.skipped_shards == 3 and again.articles == 0
    texts = source_texts([FIXTURES / "outlets"])
    write_corpus(tmp_path / "more", texts, 5, shard_size=5, repeat_every=6, near_every=4)
    shutil.copy(tmp_path / "more" / "shard-00000.jsonl", src / "shard-00009.jsonl")
    third = run([str(src)], str(out), options=CLEAN)
    assert third.skipped_shards == 3 and third.shards == 4
    # the new shard repeats the first five generated rows: their content is already in the output
    assert third.articles == 0 and third.duplicates == 5
    assert len(rows(out, "articles", "id")) == first.articles


def test_interrupted_shard_is_redone_without_duplicates(corpus, tmp_path):
    out = tmp_path / "out"
    clean = run([str(corpus / "jsonl")], str(out), options=CLEAN)
    shards, _ = find_shards([str(corpus / "jsonl")])
    victim = shards[1].key
    O.checkpoint_path(out, victim).unlink()        # as if the run died after writing some of its files
    for f in list((out / "articles").rglob(f"{victim}-*.parquet"))[1:]:
        f.unlink()
    resumed = run([str(corpus / "jsonl")], str(out), options=CLEAN)
    assert resumed.skipped_shards == 2
    ids = [r[0] for r in rows(out, "articles", "id")]
    assert len(ids) == len(set(ids)) == clean.articles


def test_process_pool_writes_what_the_local_runner_writes(corpus, tmp_path):
    a = run([str(corpus)], str(tmp_path / "a"), options=CLEAN)
    b = run([str(corpus)], str(tmp_path / "b"), engine="processes",
            options=RunOptions(stages=CLEAN_STAGES, timeout=None, batch_size=7, workers=2, task_size=3))
    assert (a.articles, a.rejected, a.duplicates) == (b.articles, b.rejected, b.duplicates)
    same_output(tmp_path / "a", tmp_path / "b")


def test_import_into_the_store_once(corpus, tmp_path):
    out = tmp_path / "out"
    rep = run([str(corpus / "jsonl")], str(out), options=CLEAN)
    db = tmp_path / "s.duckdb"
    first = import_output(str(out), str(db))
    again = import_output(str(out), str(db))
    assert first.articles == rep.articles and again.articles == 0 and again.unchanged == rep.articles
    with Store(str(db)) as s:
        assert s.count_articles() == rep.articles
        one = s.get_article(rows(out, "articles", "id")[0][0])
        assert one["text"] and one["fields"]


def test_import_refuses_a_folder_without_output(tmp_path):
    with pytest.raises(NarrascopeError, match="no articles dataset"):
        import_output(str(tmp_path), str(tmp_path / "s.duckdb"))


def test_cli_run_and_import(corpus, tmp_path):
    out, db = tmp_path / "out", tmp_path / "s.duckdb"
    res = CliRunner().invoke(cli, ["run", str(corpus / "warc"), "--out", str(out), "--stages", ",".join(CLEAN_STAGES),
                                   "--import", str(db), "-q"])
    assert res.exit_code == 0, res.output
    assert "1 shards (0 already done), 8 articles" in res.output
    assert "imported 8 new articles" in res.output
    bad = CliRunner().invoke(cli, ["run", str(corpus), "--out", str(out), "--conf", "nonsense"])
    assert bad.exit_code != 0 and "KEY=VALUE" in bad.output


# ---------------------------------------------------------------- Spark
def _spark_ready() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed"
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        return "no Java for Spark"
    return None


@pytest.mark.skipif(_spark_ready() is not None, reason=str(_spark_ready()))
def test_spark_local2_equals_the_in_process_runner(corpus, tmp_path):
    """Seeds plus generated articles, all stages: Spark with local[2] writes what the in-process runner writes."""
    inputs = [str(corpus)] + ([str(SEEDS)] if SEEDS.exists() else [])
    opts = RunOptions(stages=DEFAULT_STAGES, timeout=None, batch_size=50)
    local = run(inputs, str(tmp_path / "local"), options=opts)
    spark = run(inputs, str(tmp_path / "spark"), engine="spark", master="local[2]", options=opts)
    assert (spark.articles, spark.rejected, spark.duplicates) == (local.articles, local.rejected, local.duplicates)
    assert local.articles >= 30
    same_output(tmp_path / "local", tmp_path / "spark")
    again = run(inputs, str(tmp_path / "spark"), engine="spark", master="local[2]", options=opts)
    assert again.skipped_shards == again.shards and again.articles == 0
    assert local.stories and local.stories < local.articles     # near-copies and repeats share stories


def _profiles(n: int = 60):
    """Profiles on a few topics over three weeks, some undated, with shared entities and statements."""
    import random
    from datetime import date, timedelta

    import numpy as np

    from narrascope.link.stories import Profile

    rnd = random.Random(7)
    topics = [np.array([rnd.gauss(0, 1) for _ in range(16)], dtype=np.float32) for _ in range(5)]
    out = []
    for i in range(n):
        t = rnd.randrange(5)
        v = topics[t] + np.array([rnd.gauss(0, 0.45) for _ in range(16)], dtype=np.float32)
        v /= np.linalg.norm(v)
        day = None if i % 7 == 3 else date(2024, 5, 1) + timedelta(days=rnd.randrange(21))
        out.append(Profile(f"a{i:03d}", v, day, frozenset({f"E{t}", f"E{rnd.randrange(9)}"}),
                           frozenset({f"S{t}"}) if rnd.random() < 0.3 else frozenset(), f"title {i}"))
    return out


@pytest.mark.skipif(_spark_ready() is not None, reason=str(_spark_ready()))
def test_spark_story_and_statement_shuffles_equal_the_local_passes():
    from narrascope.run import across as A
    from narrascope.run.spark import session

    sc = session("local[2]").sparkContext
    profiles = _profiles()
    forced = {"a010": "a002", "a002": "a010", "a031": "a045", "a045": "a031", "a050": "a999"}
    local = A.stories_local(profiles, forced)
    assert len({x.story_id for x in local}) < len(profiles) / 2 and any(x.forced_by for x in local)
    assert any(x.matched for x, p in zip(local, sorted(profiles, key=A._order)) if p.day is None)
    assert A.stories_spark(sc.parallelize(profiles, 4), forced, sc) == local

    said = ["NATO's door stays open to new members", "The door of the alliance stays open to new members",
            "We will not send troops", "Harbour fees rise in June for every ship"]
    docs = [{"id": f"d{i}", "published": f"2024-05-{1 + i % 9:02d}",
             "quotes": [{"text": said[(i + k) % 4], "speaker_id": f"P{(i + k) % 3}", "kind": "direct"}
                        for k in range(2)] + [{"text": said[i % 4] + " and more", "speaker_id": None}]}
            for i in range(12)]
    groups = A.statements_local(docs)
    assert len(set(groups.values())) < len(groups)
    assert A.statements_spark(sc.parallelize(docs, 3)) == groups


# ---------------------------------------------------------------- two languages
def _mixed_corpus(tmp_path) -> Path:
    d = tmp_path / "mixed"
    d.mkdir()
    for f in (FIXTURES / "mixed").glob("*.txt"):
        shutil.copy(f, d / f.name)
    return d


def _stories_by_file(out) -> dict[str, str]:
    con = duckdb.connect()
    try:
        src = dict(con.execute(f"SELECT id, source FROM {O.dataset_sql(out, 'articles')}").fetchall())
        rows = con.execute(f"SELECT article_id, story_id FROM {O.dataset_sql(out, 'stories')}").fetchall()
    finally:
        con.close()
    return {Path(src[a]).name: s for a, s in rows}


def test_the_runner_links_stories_across_languages(tmp_path):
    """Russian and English reports of the same happenings (the project's own fixtures): one story
    each, as the store's import finds, from the same cross-language decision and the same
    transliterated speakers and entities."""
    expected = json.loads((FIXTURES / "mixed" / "expected.json").read_text())["stories"]
    opts = RunOptions(stages=DEFAULT_STAGES, timeout=None)
    run([str(_mixed_corpus(tmp_path))], str(tmp_path / "out"), options=opts)
    story = _stories_by_file(tmp_path / "out")
    found = [{story[f] for f in files} for files in expected.values()]
    assert all(len(s) == 1 for s in found), found
    assert len(set().union(*found)) == len(expected)


@pytest.mark.skipif(_spark_ready() is not None, reason=str(_spark_ready()))
def test_spark_links_stories_across_languages_as_the_local_runner_does(tmp_path):
    corpus = _mixed_corpus(tmp_path)
    opts = RunOptions(stages=DEFAULT_STAGES, timeout=None)
    run([str(corpus)], str(tmp_path / "local"), options=opts)
    run([str(corpus)], str(tmp_path / "spark"), engine="spark", master="local[2]", options=opts)
    assert _stories_by_file(tmp_path / "spark") == _stories_by_file(tmp_path / "local")
