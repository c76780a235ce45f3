"""Property tests over every reader and the cleaning stages: hostile input never escapes as an exception.

Invariants, for any input:
- ``iter_inputs`` yields only ``RawInput`` or ``Rejected``, each naming the file it came from;
- the clean stages return an ``Article`` or raise ``Rejected`` (never anything else);
- every offset stays inside the text it points into: the body's map into the raw input,
  removed segments, field and flag evidence, the events' spans in the body.

The example counts are small so the file runs in the normal suite; set
``NARRASCOPE_FUZZ_EXAMPLES=N`` to run N examples per property (``bench/fuzz.py`` does,
and reports how many inputs were tried). ``NARRASCOPE_FUZZ_REPORT=FILE`` writes the
count per property to FILE as JSON when the module finishes.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from narrascope.errors import Rejected
from narrascope.ingest import Limits, iter_inputs
from narrascope.ingest.readers import read_stream
from narrascope.model import Article, RawInput, content_id
from narrascope.pipeline import CLEAN_STAGES, check_order, process

EXAMPLES = int(os.environ.get("NARRASCOPE_FUZZ_EXAMPLES", "0") or 0)
TRIED: Counter = Counter()
STAGES = check_order(CLEAN_STAGES)
LIMITS = Limits(max_document_bytes=256 * 1024, max_decompressed_bytes=4 * 2**20, ratio_floor=2**20)


def budget(n: int):
    """Hypothesis settings for a property: ``n`` examples in the normal suite, more when asked."""
    return settings(max_examples=EXAMPLES or n, deadline=None, derandomize=not EXAMPLES,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large, HealthCheck.filter_too_much],
                    database=None)


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    path = os.environ.get("NARRASCOPE_FUZZ_REPORT")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(dict(TRIED), f, indent=1, sort_keys=True)


# ------------------------------------------------------------ valid inputs to start from (our own words)
BODY = ("The harbour authority closed the northern pier on Thursday after inspectors found cracks "
        "in two of its concrete supports, a spokesperson said.\n\n"
        "\u201cNobody will walk on it until the engineers sign it off,\u201d said deputy harbour master "
        "Lena Okafor. Repairs are expected to take until March 2024.\n\n"
        "Fishing boats will moor at the southern quay in the meantime.\n")
TEXT = ("Harbour pier closed after inspectors find cracks\n\nBy Piet Andersen\n\n"
        "Coastal Herald, 12 October 2023\n\n" + BODY + "\nShare this article\nSubscribe to our newsletter\n")
HTML = ("<!doctype html><html><head><meta charset='utf-8'><title>Harbour pier closed | Coastal Herald</title>"
        "<meta property='og:site_name' content='Coastal Herald'><meta name='author' content='Piet Andersen'>"
        "<meta property='article:published_time' content='2023-10-12T08:30:00+02:00'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Harbour pier closed</h1>"
        "<p class='byline'>By Piet Andersen</p>"
        + "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
        + "</article><footer>&copy; 2023 Coastal Herald. All rights reserved.</footer></body></html>")


def _jsonl() -> bytes:
    rows = [{"url": "https://herald.example/pier", "title": "Harbour pier closed", "text": TEXT,
             "date": "2023-10-12", "outlet": "Coastal Herald"},
            {"url": "https://herald.example/pier-html", "html": HTML},
            {"link": "https://herald.example/3", "body": BODY, "authors": ["Piet Andersen", "Ada Lind"]}]
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode() + b"\n"


def _csv() -> bytes:
    def cell(s: str) -> str:
        return '"' + s.replace('"', '""') + '"'
    lines = ["url,title,text,date,outlet",
             ",".join(["https://herald.example/pier", cell("Harbour pier closed"), cell(TEXT), "2023-10-12", cell("Coastal Herald")]),
             ",".join(["https://herald.example/2", "Second", cell(BODY), "12/10/2023", "Herald"])]
    return ("\r\n".join(lines) + "\r\n").encode()


def _warc(gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    w = WARCWriter(out, gzip=gz)
    for i, (ctype, body) in enumerate([("text/html; charset=utf-8", HTML.encode()),
                                       ("text/plain", TEXT.encode("cp1252", "replace")),
                                       ("image/png", b"\x89PNG\r\n\x1a\n" + bytes(40))]):
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(f"https://herald.example/{i}", "response",
                                            payload=io.BytesIO(body), http_headers=headers))
    return out.getvalue()


SEEDS: dict[str, bytes] = {
    "a.txt": TEXT.encode(),
    "a.html": HTML.encode(),
    "feed.jsonl": _jsonl(),
    "feed.csv": _csv(),
    "one.json": json.dumps({"title": "Harbour pier closed", "text": TEXT}).encode(),
    "crawl.warc": _warc(False),
    "crawl.warc.gz": _warc(True),
    "a.txt.gz": gzip.compress(TEXT.encode()),
    "feed.jsonl.gz": gzip.compress(_jsonl()),
}

# ------------------------------------------------------------ mutations
INTERESTING = [b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\r", b"\n", b"\r\n", b'"', b"\\", b"{", b"}", b"[", b"<",
               b">", b"</p>", b"<div>" * 8, b"<!--", b"]]>", b"&#0;", b"&#x110000;", b"&amp", b"\xe2\x80",
               b"\xc3", b"\x1f\x8b", b"WARC/1.0\r\n", b"Content-Length: 99999999\r\n", b"\r\n\r\n", b",", b'""',
               "\u201c".encode(), "\u2028".encode(), "\ud7ff".encode(), b"\t" * 40, b" " * 200, b"A" * 5000,
               b"January 31, 2023", b"By ", b"\xf0\x9f\x92\xa9", b"\x1b[31m", b"#", b"*", b"[x](", b"![",
               b"\x85", b"\x0c", b"\x7f"]


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    """``seed`` with a few byte-level edits: flips, inserts of tricky bytes, deletions, cuts, repeats."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "repeat", "random"]))
        at = draw(st.integers(0, max(0, len(data))))
        if op == "flip" and data:
            i = min(at, len(data) - 1)
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[at:at] = draw(st.sampled_from(INTERESTING))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif op == "truncate":
            del data[at:]
        elif op == "repeat":
            chunk = bytes(data[at:at + draw(st.integers(1, 200))])
            data[at:at] = chunk * draw(st.integers(1, 20))
        elif op == "random":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
    return bytes(data)


# ------------------------------------------------------------ invariants
def check_item(x, path: str) -> None:
    assert isinstance(x, (RawInput, Rejected)), type(x)
    assert x.source.startswith(path), (x.source, path)
    if isinstance(x, Rejected):
        assert x.code and x.reason
        return
    assert isinstance(x.text, str) and x.format in ("text", "html")
    assert re.fullmatch(r"[0-9a-f]{16}", x.content_hash)
    assert isinstance(x.given, dict)


def check_article(a: Article) -> None:
    """Every offset the clean stages produce stays inside the text it points into."""
    n_raw, n_text = len(a.raw.text), len(a.text)
    assert a.offsets.length == n_text
    if n_text:
        pos = a.offsets.positions()
        assert 0 <= min(pos) and max(pos) <= n_raw
        assert 0 <= a.offsets.to_source(0) <= n_raw and 0 <= a.offsets.to_source(n_text - 1) <= n_raw
    for r in a.removed:
        assert 0 <= r.start <= r.end <= n_raw, (r.start, r.end, n_raw)
    for name, f in a.fields.items():
        if f.start is not None:
            assert 0 <= f.start <= f.end <= n_raw, (name, f.start, f.end, n_raw)
    for fl in a.flags:
        if fl.start is not None:
            assert 0 <= fl.start <= (fl.end if fl.end is not None else fl.start) <= n_raw, (fl.code, fl.start, fl.end)
    for e in a.extractions.get("events") or []:
        for s, t in (("start", "end"), ("expr_start", "expr_end")):
            if e.get(s) is not None:
                assert 0 <= e[s] <= e[t] <= n_text, (e, n_text)
                if s == "expr_start":
                    assert a.text[e[s]:e[t]].strip()


def clean(raw: RawInput) -> Article | Rejected:
    """The clean stages over one input: the Article, or the Rejected it raised (nothing else may escape)."""
    try:
        a = process(raw, STAGES, timeout=20)
    except Rejected as r:
        assert r.code and r.reason and r.source == raw.source
        return r
    check_article(a)
    return a


def read_all(tmp_path, name: str, data: bytes) -> list:
    p = tmp_path / name
    p.write_bytes(data)
    items = list(iter_inputs([str(p)], LIMITS))
    for x in items:
        check_item(x, str(p))
    return items


# ------------------------------------------------------------ readers
@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_inputs_are_read(tmp_path, name):
    """The unmutated inputs are good: every container yields articles (so mutations start from something real)."""
    items = read_all(tmp_path, name, SEEDS[name])
    assert any(isinstance(x, RawInput) for x in items), items
    for x in items:
        if isinstance(x, RawInput):
            assert isinstance(clean(x), Article)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_mutated_inputs_never_raise(tmp_path, name):
    @budget(25)
    @given(data=mutated(SEEDS[name]))
    def prop(data):
        TRIED[f"mutated {name}"] += 1
        for x in read_all(tmp_path, name, data):
            if isinstance(x, RawInput):
                clean(x)
    prop()


@budget(150)
@given(data=st.binary(max_size=4096),
       name=st.sampled_from(["x.txt", "x.html", "x.jsonl", "x.csv", "x.json", "x.warc", "x.gz", "x.warc.gz", "x"]))
@example(data=b"\x1f\x8b", name="x.gz")
@example(data=b"WARC/1.0\r\n\r\n", name="x")
@example(data=b"\xef\xbb\xbf{", name="x.jsonl")
@example(data=b'"', name="x.csv")
def test_stdin_and_files_of_arbitrary_bytes(tmp_path, data, name):
    TRIED["arbitrary bytes"] += 1
    read_all(tmp_path, name, data)
    for x in read_stream(io.BufferedReader(io.BytesIO(data)), "<stdin>", 0, LIMITS, "stdin"):
        check_item(x, "<stdin>")


# ------------------------------------------------------------ generated HTML and text through the cleaner
TAGS = ["p", "div", "span", "a", "b", "i", "em", "strong", "h1", "h2", "h3", "article", "section", "nav", "aside",
        "footer", "header", "ul", "li", "table", "tr", "td", "figure", "figcaption", "blockquote", "br", "script",
        "style", "noscript", "time", "main", "pre", "code", "svg", "template", "iframe", "form", "button"]
WORDS = st.sampled_from(["the", "harbour", "pier", "closed", "said", "Lena", "Okafor", "on", "Monday", "12", "October",
                         "2023", "By", "Reuters", "(AP)", "\u2014", "\u201c", "\u201d", '"', "'", "&amp;", "&nbsp;",
                         "&#8220;", "&bogus;", "&#99999999;", "<", ">", "Share", "Subscribe", "Copyright", "\u00a9",
                         "Updated:", "Source:", "Photo:", "Read also:", "\n", "\t", "   ", "\u200b", "\u00ad",
                         "\ufeff", "\u2028", "\r", "\x0c", "Kyiv", "NATO", "2024-14-25", "03/04/2022", "yesterday",
                         "last", "year", "spring", "1990s", "."])
TEXT_RUN = st.lists(WORDS, min_size=0, max_size=25).map(" ".join) | st.text(max_size=60)


def _attrs():
    name = st.sampled_from(["class", "id", "href", "content", "property", "name", "itemprop", "style", "data-x", "lang"])
    value = st.sampled_from(["byline", "author", "og:title", "article:published_time", "2023-10-12", "main",
                             "javascript:alert(1)", '"><script>', "", "x" * 300]) | st.text(max_size=20)
    return st.lists(st.tuples(name, value), max_size=3).map(
        lambda kv: "".join(f' {k}="{v.replace(chr(34), "&quot;")}"' for k, v in kv))


HTML_NODE = st.recursive(
    TEXT_RUN,
    lambda inner: st.builds(
        lambda tag, attrs, kids, close: f"<{tag}{attrs}>" + "".join(kids) + (f"</{tag}>" if close else ""),
        st.sampled_from(TAGS), _attrs(), st.lists(inner, max_size=5), st.booleans()),
    max_leaves=40)


@st.composite
def html_pages(draw) -> str:
    head = draw(st.sampled_from(["", "<!doctype html>", "<?xml version='1.0'?>", "<!-- c -->"]))
    meta = "".join(draw(st.lists(st.sampled_from([
        "<title>Harbour pier closed</title>", "<meta charset='utf-8'>", "<meta property='og:site_name' content='Herald'>",
        "<meta name='author' content='Piet Andersen'>", "<meta property='article:published_time' content='2023-10-12'>",
        '<script type="application/ld+json">{"@type":"NewsArticle","description":"A pier closed after cracks were found in it"}</script>',
        '<script type="application/ld+json">{broken</script>']), max_size=4)))
    body = "".join(draw(st.lists(HTML_NODE, min_size=1, max_size=6)))
    tail = draw(st.sampled_from(["</body></html>", "", "</html", "<"]))
    return f"{head}<html><head>{meta}</head><body>{body}{tail}"


@budget(60)
@given(page=html_pages())
@example(page="<html><body>" + "<div>" * 3000 + "<p>Deep text of the article, said the board.</p></body></html>")
@example(page="<html><body><p>" + "&amp;" * 500 + "</p><p>" + "\u201c" * 300 + "</p></body></html>")
def test_generated_html_through_the_clean_stages(page):
    TRIED["generated HTML"] += 1
    raw = RawInput("page.html", page, "html", "file", content_hash=content_id(page.encode("utf-8", "surrogatepass")))
    clean(raw)


LINES = st.one_of(TEXT_RUN, st.sampled_from([
    "# Harbour pier closed", "By Piet Andersen and Ada Lind, Associated Press", "Coastal Herald, 12 October 2023",
    "Published: 2023-10-12 08:30", "Updated: 13 October 2023", "Source: Antiwar.com", "BUCHAREST, Romania (AP) \u2014",
    "Share on Facebook | Twitter", "Subscribe to our newsletter", "\u00a9 2023 Reuters", "Tags: pier, harbour",
    "Read also: Bridge reopens", "Photo: Piet Andersen", "* * *", "[link](http://x)", "![img](a.png)", "\\*escaped\\*",
    "**bold**", "***", "---", "", "Reporting by Ada Lind; editing by Piet Andersen", "04/05/2023", "2024-14-25"]))


@budget(80)
@given(lines=st.lists(LINES, min_size=1, max_size=40), newline=st.sampled_from(["\n", "\r\n", "\r", "\n\n"]))
def test_generated_text_through_the_clean_stages(lines, newline):
    TRIED["generated text"] += 1
    text = newline.join(lines)
    raw = RawInput("story.txt", text, "text", "file", content_hash=content_id(text.encode("utf-8", "surrogatepass")))
    clean(raw)


# ------------------------------------------------------------ what fuzzing found (regression examples)
def test_found_uncompressed_warc_with_an_image_record_is_read(tmp_path):
    """Found by test_seed_inputs_are_read: an uncompressed WARC whose first 8 KB held a PNG record was
    rejected whole as binary (the WARC is now recognised before its bytes are judged), and every
    uncompressed WARC was reported truncated because of the CR LF CR LF that ends its last record."""
    items = read_all(tmp_path, "crawl.warc", _warc(False))
    assert [type(x).__name__ for x in items] == ["RawInput", "RawInput"]
    cut = read_all(tmp_path, "cut.warc", _warc(False)[:-200])
    assert cut[-1].code == "truncated" and cut[-1].source.endswith("cut.warc")


def test_found_binary_payload_in_a_text_record_is_rejected_alone(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    w = WARCWriter(out, gzip=False)
    for i, body in enumerate([b"\x89PNG\r\n\x1a\n" + bytes(64), HTML.encode()]):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(f"https://herald.example/{i}", "response",
                                            payload=io.BytesIO(body), http_headers=headers))
    bad, good = read_all(tmp_path, "mixed.warc", out.getvalue())
    assert isinstance(bad, Rejected) and bad.code == "binary" and bad.source.endswith("mixed.warc#record=1")
    assert "record 1 is labelled text/html" in bad.reason and isinstance(good, RawInput)


def test_found_html_with_lone_carriage_returns_keeps_its_offsets():
    """Found by test_generated_html_through_the_clean_stages: a lone CR counted as a line break when
    HTML offsets were computed (the parser counts only LF), so offsets after it pointed too early and
    a removed segment could end before it started."""
    page = ("<html><body>\r<p>Old CMS line endings.</p>\r<p>The harbour board met on Monday, "
            "its chair said.</p>\r00\n0&<P>the pier</body></html>")
    a = clean(RawInput("page.html", page, "html", "file", content_hash=content_id(page.encode())))
    assert isinstance(a, Article)
    for i, ch in enumerate(a.text):
        if ch.isalpha():
            assert page[a.offsets.to_source(i)] == ch, (i, ch)
    assert all(r.start <= r.end for r in a.removed)


def test_found_trailing_space_dropped_by_collapsing_maps_forward():
    """Found by the long fuzz run: a line ending in spaces the aligner collapses ("0 &nbsp") mapped its
    last character to where the previous line ended, so a removed segment ended before it started."""
    page = "<html><head></head><body>0:<P>0 &nbsp</body></html>"
    a = clean(RawInput("page.html", page, "html", "file", content_hash=content_id(page.encode())))
    assert all(r.start <= r.end for r in a.removed) if isinstance(a, Article) else a.code
    page = "<html><body><p>The pier closed on Monday, the harbour board said. &nbsp;&nbsp;</p><p>Repairs start in March.  </p></body></html>"
    a = clean(RawInput("page.html", page, "html", "file", content_hash=content_id(page.encode())))
    assert isinstance(a, Article) and all(r.start <= r.end for r in a.removed)
    pos = list(a.offsets.positions())
    assert pos == sorted(pos)


def test_found_line_running_past_the_visible_text_maps_to_its_end():
    """Found by the long fuzz run (5,000 examples): trafilatura keeps text inside <template>, which is not
    visible; a line found by its first 40 characters ran past the end of the visible text, and its last
    characters kept the previous line's position, so a removed segment ended before it started."""
    page = "<html><head></head><body>0:<H1>the the the the the the the the the the \u2014<TEMPLATE>THE</body></html>"
    a = clean(RawInput("page.html", page, "html", "file", content_hash=content_id(page.encode())))
    assert all(r.start <= r.end for r in a.removed) if isinstance(a, Article) else a.code
