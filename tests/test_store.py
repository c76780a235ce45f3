"""The store: migrations, save semantics (ingested / unchanged / version), atomic saves, reading back."""
from __future__ import annotations

import duckdb
import pytest

from narrascope.errors import Rejected, StoreError
from narrascope.model import Article, Field, Flag, OffsetMap, RawInput, Removed, content_id
from narrascope.store import AmbiguousId, ArticleNotFound, Store, migrations

TABLES = ("raw_inputs", "articles", "article_sources", "fields", "flags", "ingest_runs", "ingest_errors")

RAW = ("Storm closes ports\n\nBy Ana Lima and Tom Berg\n\nLISBON (Reuters) - Ports shut on Monday.\n\n"
       "Sign up for our newsletter\n\nShips waited offshore.\n")


def build(raw_text: str = RAW, url: str | None = "https://news.example/storm", source: str = "storm.txt",
          article_id: str = "") -> Article:
    """An article as the clean and metadata stages would leave it, built by hand."""
    raw = RawInput(source, raw_text, "text", "file", given={"url": url} if url else {},
                   content_hash=content_id(raw_text.encode()))
    a = Article(raw, id=article_id)
    p1 = raw_text.find("LISBON")
    e1 = raw_text.find("\n", p1)
    p2 = raw_text.find("Ships")
    e2 = raw_text.find("\n", p2)
    # body = paragraph 1 + inserted "\n\n" + paragraph 2 (the newsletter line is dropped)
    a.text = raw_text[p1:e1] + "\n\n" + raw_text[p2:e2]
    a.offsets = OffsetMap.from_positions([*range(p1, e1), p2, p2, *range(p2, e2)])
    t = raw_text.find("Storm")
    a.fields["title"] = Field(raw_text[t:raw_text.find("\n")], "text", t, raw_text.find("\n"), 1, "Storm closes ports")
    b = raw_text.find("By ")
    a.fields["authors"] = Field(["Ana Lima", "Tom Berg"], "text", b, raw_text.find("\n", b), 3,
                                "By Ana Lima and Tom Berg")
    a.fields["publisher"] = Field("Harbour Post", "given")
    a.fields["published"] = Field("2025-03-03", "text", p1, p1 + 6, 5, "LISBON (Reuters) - Ports shut on Monday.")
    a.fields["wire_credit"] = Field("Reuters", "text", p1 + 8, p1 + 15, 5, "LISBON (Reuters) -")
    a.fields["republished_from"] = Field({"publisher": "Reuters", "published": None}, "text", p1 + 8, p1 + 15, 5)
    if url:
        a.fields["url"] = Field(url, "given")
    a.flags.append(Flag("byline_conflicts_with_wire_credit", "", b, b + 24, "byline names people, story is wire"))
    a.flags.append(Flag("malformed_date", "2025-14-40", None, None, "month 14 does not exist"))
    n = raw_text.find("Sign up")
    a.removed.append(Removed(n, raw_text.find("\n", n), "boilerplate:newsletter", "Sign up for our newsletter"))
    a.extractions = {"quotes": [{"text": "Ports shut", "start": 19, "end": 29}]}
    return a


def counts(store: Store) -> dict[str, int]:
    return {t: store.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.duckdb") as s:
        yield s


# ---------------------------------------------------------------- schema
def test_new_store_applies_every_migration_once(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        assert s.schema_version() == migrations.LATEST
        first = s.migrations()
        assert [m["version"] for m in first] == [v for v, _, _ in migrations.MIGRATIONS]
        s.save_article(build(), s.begin_run(["storm.txt"]))
    with Store(path) as s:  # re-open: nothing re-applied, nothing lost
        assert s.migrations() == first
        assert s.count_articles() == 1
    with Store(path, read_only=True) as s:
        assert s.count_articles() == 1


def test_migration_versions_run_one_to_n():
    migrations.check()
    with pytest.raises(ValueError):
        migrations.check([(1, "a", ""), (3, "b", "")])


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_migrations VALUES (?, 'from the future', now()::TIMESTAMP)",
                [migrations.LATEST + 1])
    con.close()
    with pytest.raises(StoreError, match=r"schema version %d.*upgrade narrascope" % (migrations.LATEST + 1)):
        Store(path)


def test_read_only_needs_an_existing_store(tmp_path):
    with pytest.raises(StoreError, match="no store at"):
        Store(tmp_path / "missing.duckdb", read_only=True)
    assert not (tmp_path / "missing.duckdb").exists()


def test_not_a_duckdb_file_is_a_store_error(tmp_path):
    bad = tmp_path / "notes.duckdb"
    bad.write_text("just some notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="cannot open the store"):
        Store(bad)


# ---------------------------------------------------------------- save semantics
def test_same_content_twice_is_unchanged(store):
    run = store.begin_run(["storm.txt"])
    assert store.save_article(build(), run) == "ingested"
    before = counts(store)
    assert store.save_article(build(), run) == "unchanged"
    assert counts(store) == before
    assert before["articles"] == 1 and before["fields"] == 7 and before["flags"] == 2


def test_same_content_from_a_new_place_only_adds_a_source(store):
    run = store.begin_run(["a", "b"])
    store.save_article(build(source="a/storm.txt"), run)
    before = counts(store)
    assert store.save_article(build(source="b/copy.txt"), run) == "unchanged"
    after = counts(store)
    assert after["article_sources"] == before["article_sources"] + 1
    assert {k: v for k, v in after.items() if k != "article_sources"} == \
           {k: v for k, v in before.items() if k != "article_sources"}
    a = store.get_article(build().id)
    assert [s["source"] for s in a["sources"]] == ["a/storm.txt", "b/copy.txt"]
    assert a["source"] == "a/storm.txt"
    assert store.note_source(a["id"], "b/copy.txt", run) == "unchanged"  # already noted: no new row
    assert counts(store) == after


def test_new_content_at_same_url_is_a_new_version_and_the_old_is_kept(store):
    run = store.begin_run(["x"])
    v1 = build()
    v2 = build(RAW.replace("Ships waited offshore.", "Ships waited offshore for two days."))
    assert store.save_article(v1, run) == "ingested"
    assert store.save_article(v2, run) == "version"
    got1, got2 = store.get_article(v1.id), store.get_article(v2.id)
    assert (got1["version"], got2["version"]) == (1, 2)
    assert got1["text"] == v1.text and got2["text"] == v2.text
    assert [v["id"] for v in got2["versions"]] == [v1.id, v2.id]
    assert store.count_articles() == 1 and store.count_articles(latest_only=False) == 2
    assert [r["id"] for r in store.list_articles()] == [v2.id]
    assert [r["id"] for r in store.list_articles(latest_only=False)] == [v1.id, v2.id]
    v3 = build(RAW.replace("Ports", "Harbours"))
    assert store.save_article(v3, run) == "version"
    assert store.get_article(v3.id)["version"] == 3


def test_without_url_the_source_is_the_document_key(store):
    run = store.begin_run(["x"])
    assert store.save_article(build(url=None, source="a.txt"), run) == "ingested"
    assert store.save_article(build(RAW + "More.\n", url=None, source="a.txt"), run) == "version"
    assert store.save_article(build(RAW + "Other.\n", url=None, source="b.txt"), run) == "ingested"


# inserts in a save: raw_inputs, articles, fields, flags, article_sources
@pytest.mark.parametrize("fail_at", [1, 2, 3, 4, 5])
def test_a_failure_mid_save_leaves_no_partial_rows(store, monkeypatch, fail_at):
    run = store.begin_run(["x"])
    store.save_article(build(), run)
    before = counts(store)
    calls = {"inserts": 0}
    real = store._x

    def failing(sql, params=None):
        if sql.lstrip().upper().startswith("INSERT"):
            calls["inserts"] += 1
            if calls["inserts"] == fail_at:
                raise RuntimeError("disk on fire")
        return real(sql, params)

    monkeypatch.setattr(store, "_x", failing)
    v2 = build(RAW.replace("Ships", "Boats"))
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.save_article(v2, run)
    assert calls["inserts"] == fail_at
    monkeypatch.undo()
    assert counts(store) == before
    assert not store.has_article(v2.id)
    assert store.save_article(v2, run) == "version"  # the store is usable and consistent afterwards


def test_an_article_needs_an_id(store):
    raw = RawInput("x.txt", "text", "text", "file")
    with pytest.raises(ValueError, match="no id"):
        store.save_article(Article(raw), None)


# ---------------------------------------------------------------- reading
def test_get_article_has_fields_with_provenance_flags_and_raw(store):
    a = build()
    store.save_article(a, store.begin_run(["x"]))
    got = store.get_article(a.id)
    assert got["title"] == "Storm closes ports" and got["authors"] == ["Ana Lima", "Tom Berg"]
    assert got["publisher"] == "Harbour Post" and got["published"] == "2025-03-03"
    assert got["republished_from"] == {"publisher": "Reuters", "published": None}
    assert [f["name"] for f in got["fields"]] == list(a.fields)
    authors = next(f for f in got["fields"] if f["name"] == "authors")
    assert authors == {"name": "authors", "value": ["Ana Lima", "Tom Berg"], "origin": "text",
                       "start": a.fields["authors"].start, "end": a.fields["authors"].end, "line": 3,
                       "evidence": "By Ana Lima and Tom Berg"}
    assert RAW[authors["start"]:authors["end"]] == "By Ana Lima and Tom Berg"
    assert [(f["code"], f["detail"]) for f in got["flags"]] == [("byline_conflicts_with_wire_credit", ""),
                                                                ("malformed_date", "2025-14-40")]
    assert got["raw"]["text"] == RAW and got["raw"]["given"] == {"url": "https://news.example/storm"}
    assert got["raw"]["size"] == len(RAW.encode())
    assert got["removed"][0]["kind"] == "boilerplate:newsletter"
    assert got["offsets"] == a.offsets.to_json() and got["text_length"] == len(a.text)
    rows = store.list_articles()
    assert rows[0]["n_flags"] == 2 and rows[0]["authors"] == ["Ana Lima", "Tom Berg"]


def test_id_prefix_lookup(store):
    run = store.begin_run(["x"])
    store.save_article(build(article_id="abcd1111aaaa0000"), run)
    store.save_article(build(RAW + "x\n", article_id="abcd2222bbbb0000"), run)
    assert store.get_article("abcd1")["id"] == "abcd1111aaaa0000"
    assert store.get_article("abcd2222bbbb0000")["id"] == "abcd2222bbbb0000"
    assert store.get_article("ffff") is None
    assert store.get_article("") is None
    with pytest.raises(AmbiguousId, match="abcd1111aaaa0000.*abcd2222bbbb0000") as e:
        store.get_article("abcd")
    assert e.value.candidates == ["abcd1111aaaa0000", "abcd2222bbbb0000"]


def test_load_article_round_trip(store):
    a = build()
    store.save_article(a, store.begin_run(["x"]))
    b = store.load_article(a.id[:6])
    assert b.raw == a.raw
    assert b.id == a.id and b.text == a.text
    assert b.offsets == a.offsets and len(b.offsets.to_json()) > 1
    assert b.raw_span(0, 6) == a.raw_span(0, 6) and RAW[slice(*b.raw_span(0, 6))] == "LISBON"
    assert b.fields == a.fields and list(b.fields) == list(a.fields)
    assert b.flags == a.flags and b.removed == a.removed and b.extractions == a.extractions
    with pytest.raises(ArticleNotFound):
        store.load_article("0000000000000000")


def test_set_extractions_merges_by_key(store):
    a = build()
    store.save_article(a, store.begin_run(["x"]))
    store.set_extractions(a.id, {"entities": [{"text": "Lisbon", "label": "GPE"}]})
    assert set(store.load_article(a.id).extractions) == {"quotes", "entities"}
    store.set_extractions(a.id, {"claims": []}, merge=False)
    assert store.load_article(a.id).extractions == {"claims": []}
    assert store.extraction_keys() == ["claims"]
    with pytest.raises(ArticleNotFound):
        store.set_extractions("nope", {})


def test_export_records_stream_in_batches(store):
    run = store.begin_run(["x"])
    ids = []
    for i in range(7):
        a = build(RAW + f"Update {i}.\n", url=f"https://news.example/{i}")
        store.save_article(a, run)
        ids.append(a.id)
    recs = list(store.iter_export_records(batch_size=3))
    assert [r["id"] for r in recs] == ids


# ---------------------------------------------------------------- runs
def test_runs_and_rejections(store):
    run = store.begin_run(["in/", "feed.jsonl"])
    store.record_rejection(run, Rejected("in/empty.txt", "empty", "the file is empty"))
    store.finish_run(run, {"ingested": 2, "versions": 1, "unchanged": 0, "rejected": 1}, "finished")
    other = store.begin_run(["more/"])
    assert other != run
    (r, r2) = store.runs()
    assert r["id"] == run and r["paths"] == ["in/", "feed.jsonl"] and r["status"] == "finished"
    assert (r["ingested"], r["versions"], r["unchanged"], r["rejected"]) == (2, 1, 0, 1)
    assert r["finished_at"] >= r["started_at"]
    assert r2["status"] == "running" and r2["finished_at"] is None
    (e,) = store.errors(run)
    assert (e["source"], e["code"], e["reason"]) == ("in/empty.txt", "empty", "the file is empty")
    assert store.errors(other) == [] and len(store.errors()) == 1


def test_closed_store_says_so(tmp_path):
    s = Store(tmp_path / "s.duckdb")
    s.close()
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.count_articles()
