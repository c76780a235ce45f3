"""Export: the record shape, and JSON Lines / CSV / Parquet written and read back."""
from __future__ import annotations

import csv
import io
import json

import duckdb
import pytest

from narrascope.export import FORMATS, export
from narrascope.model import Article, Field, Flag, OffsetMap, RawInput, Removed, content_id
from narrascope.store import EXPORT_KEYS, Store

RAW = "Séisme à Lisbonne\n\nPar Ana Lima\n\nLISBONNE (AFP) - La terre a tremblé.\n\nPartager sur Facebook\n"


def article(raw_text: str = RAW, url: str | None = "https://info.example/seisme", extractions=None) -> Article:
    raw = RawInput("seisme.txt", raw_text, "text", "file", given={"url": url} if url else {},
                   content_hash=content_id(raw_text.encode()))
    a = Article(raw)
    p = raw_text.find("LISBONNE")
    e = raw_text.find("\n", p)
    a.text = raw_text[p:e]
    a.offsets = OffsetMap.from_positions(range(p, e))
    a.fields["title"] = Field("Séisme à Lisbonne", "text", 0, 17, 1, "Séisme à Lisbonne")
    a.fields["authors"] = Field(["Ana Lima"], "text", 19, 31, 3, "Par Ana Lima")
    a.fields["dateline"] = Field("LISBONNE", "text", p, p + 8, 5, raw_text[p:e])
    a.fields["wire_credit"] = Field("AFP", "text", p + 10, p + 13, 5, raw_text[p:e])
    a.fields["published"] = Field("2025-03-03T08:15:00+01:00", "html", evidence="article:published_time")
    a.fields["language"] = Field("fr", "derived", evidence="py3langid p=0.99")
    if url:
        a.fields["url"] = Field(url, "given")
    a.flags.append(Flag("missing_publisher", "", None, None, "no outlet named anywhere"))
    a.flags.append(Flag("malformed_date", "2025-14-40", 40, 50, "month 14"))
    s = raw_text.find("Partager")
    a.removed.append(Removed(s, s + 21, "boilerplate:social", "Partager sur Facebook"))
    a.extractions = extractions if extractions is not None else {}
    return a


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.duckdb") as s:
        run = s.begin_run(["in"])
        s.save_article(article(extractions={"quotes": [{"text": "La terre a tremblé", "start": 16, "end": 34}]}), run)
        s.save_article(article(RAW.replace("tremblé", "tremblé deux fois")), run)  # version 2, no extractions
        s.save_article(article(RAW + "Plus tard.\n", url="https://info.example/autre",
                               extractions={"entities": [{"text": "Lisbonne", "label": "GPE"}]}), run)
        yield s


COLUMNS = list(EXPORT_KEYS) + ["entities"]  # "quotes" is only in version 1, not the latest


def test_jsonl_records(store, tmp_path):
    out = tmp_path / "out.jsonl"
    assert export(store, "jsonl", out) == 2
    text = out.read_text(encoding="utf-8")
    assert "Séisme à Lisbonne" in text  # not \u-escaped
    recs = [json.loads(line) for line in text.splitlines()]
    assert [list(r) for r in recs] == [COLUMNS, COLUMNS]
    r = recs[0]
    assert r["version"] == 2 and r["doc_key"] == "https://info.example/seisme" and r["source"] == "seisme.txt"
    assert r["title"] == "Séisme à Lisbonne" and r["authors"] == ["Ana Lima"] and r["contributors"] == []
    assert r["publisher"] is None and r["dek"] is None and r["republished_from"] is None
    assert r["published"] == "2025-03-03T08:15:00+01:00" and r["language"] == "fr"
    assert r["dateline"] == "LISBONNE" and r["wire_credit"] == "AFP"
    assert r["text"] == "LISBONNE (AFP) - La terre a tremblé deux fois."
    assert r["flags"] == ["missing_publisher", "malformed_date:2025-14-40"]
    assert r["provenance"]["authors"] == {"origin": "text", "start": 19, "end": 31, "line": 3,
                                          "evidence": "Par Ana Lima"}
    assert r["provenance"]["published"]["origin"] == "html"
    assert set(r["provenance"]) == {"title", "authors", "dateline", "wire_credit", "published", "language", "url"}
    s = RAW.replace("tremblé", "tremblé deux fois").find("Partager")
    assert r["removed"] == [{"start": s, "end": s + 21, "kind": "boilerplate:social"}]
    assert r["entities"] is None  # version 2 has no extractions
    assert recs[1]["entities"] == [{"text": "Lisbonne", "label": "GPE"}]


def test_all_versions(store):
    buf = io.StringIO()
    assert export(store, "jsonl", buf, latest_only=False) == 3
    recs = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert [r["version"] for r in recs] == [1, 2, 1]
    assert list(recs[0]) == list(EXPORT_KEYS) + ["entities", "quotes"]
    assert recs[1]["quotes"] is None and recs[2]["quotes"] is None
    assert recs[0]["quotes"] == [{"text": "La terre a tremblé", "start": 16, "end": 34}]


def test_csv_round_trip(store, tmp_path):
    out = tmp_path / "out.csv"
    assert export(store, "csv", out) == 2
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == COLUMNS and len(rows) == 2
    r = rows[0]
    assert json.loads(r["authors"]) == ["Ana Lima"] and json.loads(r["contributors"]) == []
    assert r["flags"].split(";") == ["missing_publisher", "malformed_date:2025-14-40"]
    assert json.loads(r["provenance"])["title"]["line"] == 1
    assert json.loads(r["removed"])[0]["kind"] == "boilerplate:social"
    assert r["publisher"] == "" and r["republished_from"] == "" and r["entities"] == ""
    assert r["version"] == "2" and r["title"] == "Séisme à Lisbonne"
    assert json.loads(rows[1]["entities"])[0]["label"] == "GPE"


def test_csv_to_a_stream(store):
    buf = io.StringIO()
    assert export(store, "csv", buf, latest_only=False) == 3
    assert len(list(csv.reader(io.StringIO(buf.getvalue())))) == 4


def test_parquet_round_trip(store, tmp_path):
    out = tmp_path / "out.parquet"
    assert export(store, "parquet", out) == 2
    con = duckdb.connect()
    cur = con.execute("SELECT * FROM read_parquet(?)", [str(out)])
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, row)) for row in cur.fetchall()]
    assert names == COLUMNS and len(rows) == 2
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))",
                             [str(out)]).fetchall())
    assert types["authors"] == "VARCHAR[]" and types["flags"] == "VARCHAR[]" and types["version"] == "INTEGER"
    r = rows[0]
    assert r["version"] == 2 and r["authors"] == ["Ana Lima"] and r["contributors"] == []
    assert r["flags"] == ["missing_publisher", "malformed_date:2025-14-40"]
    assert r["title"] == "Séisme à Lisbonne" and r["publisher"] is None
    assert json.loads(r["provenance"])["wire_credit"]["evidence"].startswith("LISBONNE")
    assert r["entities"] is None and json.loads(rows[1]["entities"])[0]["text"] == "Lisbonne"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]  # no scratch files left


def test_empty_store_exports_nothing(tmp_path):
    with Store(tmp_path / "empty.duckdb") as s:
        for fmt in FORMATS:
            out = tmp_path / f"out.{fmt}"
            assert export(s, fmt, out) == 0
        assert (tmp_path / "out.jsonl").read_text() == ""
        assert (tmp_path / "out.csv").read_text().strip() == ",".join(EXPORT_KEYS)
        con = duckdb.connect()
        assert con.execute("SELECT count(*) FROM read_parquet(?)", [str(tmp_path / "out.parquet")]).fetchone() == (0,)


def test_unknown_format_names_the_accepted_ones(store, tmp_path):
    with pytest.raises(ValueError, match="jsonl, csv, parquet"):
        export(store, "xml", tmp_path / "out.xml")
    assert not (tmp_path / "out.xml").exists()


def test_parquet_needs_a_file(store):
    with pytest.raises(ValueError, match="file path"):
        export(store, "parquet", io.StringIO())


def test_a_failed_export_leaves_the_old_file(store, tmp_path, monkeypatch):
    out = tmp_path / "out.jsonl"
    out.write_text("previous export\n")

    def broken(*a, **k):
        yield {"id": "x"}
        raise RuntimeError("store went away")

    monkeypatch.setattr(store, "iter_export_records", broken)
    with pytest.raises(RuntimeError):
        export(store, "jsonl", out)
    assert out.read_text() == "previous export\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
