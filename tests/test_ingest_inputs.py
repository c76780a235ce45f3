"""Ingest: every container and encoding, and every kind of bad input, file by file."""
import gzip
import io
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from narrascope.errors import BAD_RECORD, BINARY, BOMB, EMPTY, NO_ARTICLE, TOO_LARGE, TRUNCATED, UNREADABLE, Rejected
from narrascope.ingest import Limits, iter_inputs
from narrascope.model import RawInput

ARTICLE = ("Reservoir levels fall to a record low\n\nBy Irene Costa\n\n"
           "The valley's main reservoir held less than a fifth of its capacity on Monday, the water board said.\n\n"
           "\u201cWe have never seen it this low in August,\u201d said engineer Tomas Berg.\n")
HTML = ("<!doctype html><html><head><title>Reservoir low</title></head><body><article><h1>Reservoir low</h1>"
        "<p>The valley's main reservoir held less than a fifth of its capacity on Monday, the water board said.</p>"
        "<p>Engineers expect the level to keep falling until the autumn rains arrive in the hills.</p></article></body></html>")


def items(*paths, **kw):
    return list(iter_inputs([str(p) for p in paths], **kw))


def ok(xs):
    return [x for x in xs if isinstance(x, RawInput)]


def bad(xs):
    return [x for x in xs if isinstance(x, Rejected)]


def test_text_and_html_by_content_and_extension(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "c.dat").write_text(HTML, encoding="utf-8")  # HTML by content
    got = {os.path.basename(x.source): x.format for x in items(tmp_path)}
    assert got == {"a.txt": "text", "b.html": "html", "c.dat": "html"}


def test_same_content_same_hash_new_content_new_hash(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "c.txt").write_text(ARTICLE + "More.\n", encoding="utf-8")
    h = [x.content_hash for x in items(tmp_path)]
    assert h[0] == h[1] != h[2]


def test_folders_recursive_sorted_hidden_skipped(tmp_path):
    (tmp_path / "z").mkdir()
    (tmp_path / "z" / "deep").mkdir()
    (tmp_path / ".git").mkdir()
    for p in ("z/deep/2.txt", "z/1.txt", "0.txt", ".hidden.txt", ".git/x.txt"):
        (tmp_path / p).write_text(ARTICLE, encoding="utf-8")
    assert [os.path.relpath(x.source, tmp_path) for x in items(tmp_path)] == ["0.txt", "z/1.txt", "z/deep/2.txt"]


def test_symlink_loop_does_not_hang(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    os.symlink(tmp_path, tmp_path / "loop")
    assert len(items(tmp_path)) >= 1


def test_stdin():
    (x,) = items("-", stdin=io.BytesIO(ARTICLE.encode()))
    assert x.source == "<stdin>" and x.container == "stdin" and x.text == ARTICLE


def test_jsonl_rows_aliases_and_bad_rows(tmp_path):
    rows = [json.dumps({"URL": "https://example.org/1", "headline": "Reservoir low", "body": ARTICLE,
                        "published_at": "2023-08-07", "site_name": "Valley Courier", "byline": "Irene Costa"}),
            "this is not json",
            json.dumps({"url": "https://example.org/2", "title": "no body"}),
            json.dumps({"url": "https://example.org/3", "html": HTML}),
            "[1, 2]", ""]
    (tmp_path / "feed.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    xs = items(tmp_path / "feed.jsonl")
    good, rej = ok(xs), bad(xs)
    assert [x.source.rsplit("#", 1)[1] for x in good] == ["row=1", "row=4"]
    assert good[0].given == {"url": "https://example.org/1", "title": "Reservoir low", "date": "2023-08-07",
                             "outlet": "Valley Courier", "author": "Irene Costa"}
    assert good[0].format == "text" and good[1].format == "html" and good[0].container == "jsonl"
    assert [r.code for r in rej] == [BAD_RECORD] * 3
    assert "row 2" in rej[0].reason and "no text or html" in rej[1].reason


def test_csv_with_large_fields(tmp_path):
    big = "word " * 60000
    (tmp_path / "feed.csv").write_text('url,title,text,date,outlet\nhttps://e.org/1,T1,"' + ARTICLE.replace('"', '""')
                                       + '",2023-08-07,Valley Courier\nhttps://e.org/2,T2,"' + big + '",2023-08-08,X\n', encoding="utf-8")
    xs = items(tmp_path / "feed.csv")
    assert [x.given["title"] for x in xs] == ["T1", "T2"] and xs[0].text == ARTICLE and xs[0].container == "csv"


def _warc(path, n=3, gz=True):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=gz)
        for i in range(n):
            body = HTML.replace("Reservoir low", f"Reservoir low {i}").encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(f"https://example.org/{i}", "response", payload=io.BytesIO(body), http_headers=headers))
            img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(f"https://example.org/{i}.png", "response", payload=io.BytesIO(b"\x89PNG"), http_headers=img))


def test_warc_gz_html_records_only(tmp_path):
    _warc(tmp_path / "crawl.warc.gz")
    xs = items(tmp_path / "crawl.warc.gz")
    assert len(xs) == 3 and all(x.format == "html" and x.container == "warc" for x in xs)
    assert xs[1].given["url"] == "https://example.org/1" and "date" not in xs[1].given and "crawl_date" in xs[1].given


def test_truncated_warc_keeps_earlier_records(tmp_path):
    p = tmp_path / "crawl.warc.gz"
    _warc(p, n=6)
    data = p.read_bytes()
    p.write_bytes(data[: int(len(data) * 0.6)])
    xs = items(p)
    assert len(ok(xs)) >= 2
    assert bad(xs) and bad(xs)[-1].code == TRUNCATED and "crawl.warc.gz" in bad(xs)[-1].source


def test_gzip_text_and_truncated_gzip(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(ARTICLE.encode()))
    (x,) = items(tmp_path / "a.txt.gz")
    assert x.text == ARTICLE and x.format == "text"
    (tmp_path / "b.txt.gz").write_bytes(gzip.compress((ARTICLE * 50).encode())[:-30])
    (r,) = items(tmp_path / "b.txt.gz")
    assert isinstance(r, Rejected) and r.code == TRUNCATED


def test_gzip_bomb_stops_at_the_limit(tmp_path):
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"A" * (8 * 2**20)))
    (r,) = items(tmp_path / "bomb.txt.gz", limits=Limits(max_decompressed_bytes=2**20))
    assert r.code == BOMB and "decompression limit" in r.reason


@pytest.mark.parametrize("data,encoding,needle", [
    ("\u201cQuoted\u201d caf\u00e9 text about the reservoir and the board".encode("cp1252"), "cp1252", "\u201cQuoted\u201d caf\u00e9"),
    ("Caf\u00e9 na\u00efve text about the reservoir and the board members".encode("latin-1"), "cp1252", "Caf\u00e9 na\u00efve"),
    (b"\xef\xbb\xbf" + "BOM text about the reservoir caf\u00e9".encode(), "utf-8-sig", "BOM text"),
    ("Mixed caf\u00e9 text, ".encode() + b"then \x93cp1252\x94 quotes about the reservoir", "utf-8+cp1252", "caf\u00e9 text, then \u201ccp1252\u201d"),
    ("\ufeffUTF-16 text about the reservoir".encode("utf-16"), "utf-16", "UTF-16 text"),
])
def test_encodings(tmp_path, data, encoding, needle):
    (tmp_path / "e.txt").write_bytes(data)
    (x,) = items(tmp_path / "e.txt")
    assert x.encoding == encoding and needle in x.text


def test_html_meta_charset_honoured(tmp_path):
    page = "<html><head><meta charset='windows-1252'></head><body><p>\u201cCaf\u00e9\u201d words</p></body></html>"
    (tmp_path / "p.html").write_bytes(page.encode("cp1252"))
    (x,) = items(tmp_path / "p.html")
    assert x.encoding == "cp1252" and "\u201cCaf\u00e9\u201d" in x.text


@pytest.mark.parametrize("name,data,code", [
    ("empty.txt", b"", EMPTY),
    ("blank.txt", b"  \n\n\t ", EMPTY),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, BINARY),
    ("doc.pdf", b"%PDF-1.7\n" + bytes(range(256)), BINARY),
    ("nul.txt", b"abc\x00\x00\x00def" * 50, BINARY),
    ("nothing.html", b"<html><head><script>x()</script></head><body><div></div></body></html>", NO_ARTICLE),
])
def test_bad_files_are_rejected_with_a_reason(tmp_path, name, data, code):
    (tmp_path / name).write_bytes(data)
    (r,) = items(tmp_path / name)
    assert isinstance(r, Rejected) and r.code == code and r.source.endswith(name) and r.reason


def test_too_large_is_rejected_without_reading_it(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"word " * 50_000)
    (r,) = items(tmp_path / "big.txt", limits=Limits(max_document_bytes=10_000))
    assert r.code == TOO_LARGE and "limit" in r.reason


def test_missing_and_unreadable(tmp_path):
    (r,) = items(tmp_path / "nope.txt")
    assert r.code == UNREADABLE
    p = tmp_path / "locked.txt"
    p.write_text(ARTICLE)
    p.chmod(0)
    try:
        xs = items(p)
        if os.geteuid() != 0:  # root reads anything
            assert xs[0].code == UNREADABLE
    finally:
        p.chmod(0o644)


def test_a_bad_file_never_stops_the_batch(tmp_path):
    (tmp_path / "0.txt").write_bytes(b"")
    (tmp_path / "1.txt.gz").write_bytes(b"\x1f\x8b\x08\x00broken")
    (tmp_path / "2.jsonl").write_text("{broken\n")
    (tmp_path / "3.txt").write_text(ARTICLE)
    xs = items(tmp_path)
    assert [type(x).__name__ for x in xs] == ["Rejected", "Rejected", "Rejected", "RawInput"]


def test_thousands_of_files_stream(tmp_path):
    for i in range(2000):
        (tmp_path / f"{i:05d}.txt").write_text(ARTICLE + str(i))
    it = iter_inputs([str(tmp_path)])
    assert next(it).source.endswith("00000.txt")
    assert sum(1 for _ in it) == 1999


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=3000), st.sampled_from(["x.txt", "x.html", "x.jsonl", "x.csv", "x.warc", "x.gz", "x"]))
def test_arbitrary_bytes_never_raise(tmp_path, data, name):
    p = tmp_path / name
    p.write_bytes(data)
    for x in iter_inputs([str(p)]):
        assert isinstance(x, (RawInput, Rejected))


def test_json_documents(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps({"title": "Reservoir low", "text": ARTICLE}), encoding="utf-8")
    (tmp_path / "many.json").write_text(json.dumps([{"text": ARTICLE}, {"html": HTML}, 3]), encoding="utf-8")
    (tmp_path / "config.json").write_text(json.dumps({"documents": {"a": 1}}), encoding="utf-8")
    xs = items(tmp_path)
    by = {x.source.rsplit("/", 1)[1]: x for x in xs}
    assert isinstance(by["one.json"], RawInput) and by["one.json"].given["title"] == "Reservoir low"
    assert by["many.json#row=1"].format == "text" and by["many.json#row=2"].format == "html"
    assert by["many.json#row=3"].code == BAD_RECORD
    assert by["config.json"].code == BAD_RECORD and "no article" in by["config.json"].reason
