"""Security properties of the workbench, each proved against the real parts.

The store is a real DuckDB file built by the real ingest from JSONL whose
title, outlet and author carry markup; the quote speaker and the entity name
of one article are then set to markup in the store, as a hostile extraction
would leave them. Pages are fetched in-process (FastAPI's TestClient) and,
where the transport matters (bind address, client addresses, chunked bodies,
forwarded headers), from a real `narrascope serve` process over loopback.

Requirement -> test:
    binds to loopback by default           test_serve_binds_loopback_by_default
    token compared in constant time        test_ingest_token_goes_through_compare_digest, test_token_edge_cases
    no path traversal                      test_traversal_in_path_parameters, test_ingest_body_never_opens_files,
                                           test_raw_input_comes_from_the_store_not_the_file
    request size limits                    test_body_limit_on_every_path, test_chunked_body_over_the_limit,
                                           test_oversized_url_and_query
    rate limit                             test_rate_limit_is_429_json_per_client,
                                           test_forwarded_for_does_not_escape_the_rate_limit
    HTML escaping                          test_hostile_values_are_escaped_on_every_page,
                                           test_hostile_values_stay_text_in_a_real_browser
    CSP and nosniff                        test_every_page_and_error_carries_csp, test_every_response_is_nosniff,
                                           test_crash_page_carries_csp
    Host check (DNS rebinding)             test_host_header_is_checked_over_http
    read-only without a token              test_reading_every_page_leaves_the_store_untouched
"""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.routing import APIRoute  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from narrascope.api import ingest  # noqa: E402
from narrascope.store import Store  # noqa: E402
from narrascope.web import Settings, create_app  # noqa: E402
from narrascope.web import security  # noqa: E402
from narrascope.web.security import CSP  # noqa: E402
from conftest import free_port, stop_server, wait_for_server  # noqa: E402

TOKEN = "security-token-0123456789"
TAG = "<img src=x onerror=alert(1)>"          # markup that runs script if it reaches the page unescaped
BREAK = '" onmouseover="alert(2)'             # leaves an attribute if quotes are not escaped
RAW_MARKS = ("<img src=x", 'onmouseover="alert')
ESCAPED_TAG = "&lt;img src=x onerror=alert(1)&gt;"

DEPOT = ("The city sold the old tram depot on Monday to a housing trust, ending a two-year dispute over the site.\n\n"
         "\"This depot will house four hundred families,\" said Mayor Rosa Quintero after the council vote.\n\n"
         "Opponents said the price was too low and promised to appeal the sale of the tram depot in court.")
DEPOT_2 = ("A housing trust bought the old tram depot from the city on Monday, closing a dispute that ran two years.\n\n"
           "\"This depot will house four hundred families,\" Mayor Rosa Quintero said after the council vote.\n\n"
           "Residents who opposed the sale of the tram depot said they would appeal in court.")


def _records(secret_path: str) -> list[dict]:
    return [
        {"title": f"Tram depot {TAG} sold{BREAK}", "outlet": f"Quay {TAG} Gazette{BREAK}",
         "author": f"Ines {TAG} Marlow{BREAK}", "url": "javascript:alert(3)", "date": "2024-05-06", "text": DEPOT},
        {"title": "Housing trust buys tram depot", "outlet": "Ridge Evening Post", "author": "Tomas Berg",
         "url": "https://ridge.example/depot", "date": "2024-05-06", "text": DEPOT_2},
        # fields that look like file references: nothing may read them
        {"title": "Ferry timetable changes", "outlet": "Ridge Evening Post", "source": secret_path,
         "path": secret_path, "url": "file://" + secret_path, "date": "2024-05-07",
         "html": f'<html><body><article><h1>Ferry timetable changes</h1><img src="file://{secret_path}">'
                 f'<iframe src="{secret_path}"></iframe><p>The ferry will leave ten minutes earlier from June, '
                 'the harbour office said on Tuesday, to meet the first train.</p></article></body></html>'},
    ]


# ------------------------------------------------------------ the store and the app
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("security")
    secret = root / "secret.txt"
    secret.write_text("SECRET-CONTENT-7f3a\n", encoding="utf-8")
    src = root / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in _records(str(secret))), encoding="utf-8")
    db = str(root / "store.duckdb")
    summary = ingest([str(src)], db)
    assert summary.ingested == 3, summary.counts
    with Store(db) as store:
        _, rows = store.find_articles(limit=10)
        hostile = next(r for r in rows if r["title"].startswith("Tram depot"))
        ext = store.get_article(hostile["id"])["extractions"]
        quotes = [dict(q, speaker=f"Rosa {TAG} Quintero{BREAK}", speaker_text=f"Mayor {TAG}{BREAK}")
                  for q in ext["quotes"]]
        entities = [dict(e, name=f"{e['name']} {TAG}{BREAK}") for e in ext["entities"]]
        assert quotes and quotes[0].get("statement_id"), ext["quotes"]
        store.set_extractions(hostile["id"], {"quotes": quotes, "entities": entities})
    return {"db": db, "root": root, "secret": secret, "hostile": hostile, "src": src}


@pytest.fixture(scope="module")
def client(built):
    with TestClient(create_app(Settings(db=built["db"]))) as c:
        yield c


def _ids(client, built) -> dict[str, str]:
    """One real id for every path parameter a page takes (the hostile article's where it has one)."""
    a = client.get(f"/api/articles/{built['hostile']['id']}").json()
    quote = a["extractions"]["quotes"][0]
    entity = a["extractions"]["entities"][0]
    story = a["extractions"].get("story_id") or client.get("/api/stories").json()["items"][0]["id"]
    return {"article_id": a["id"], "statement_id": quote["statement_id"], "entity_id": entity["id"],
            "story_id": story}


def _routes(app) -> list[APIRoute]:
    """Every endpoint of the app, through the routers it includes."""
    out, stack = [], list(app.routes)
    while stack:
        r = stack.pop(0)
        sub = getattr(r, "original_router", None) or getattr(r, "router", None)
        if isinstance(r, APIRoute):
            out.append(r)
        elif sub is not None and hasattr(sub, "routes"):
            stack.extend(sub.routes)
    return out


def _page_urls(app, ids: dict[str, str]) -> list[str]:
    """Every HTML page the app serves (GET routes outside /api and /static), path parameters filled in."""
    urls = []
    for r in _routes(app):
        if "GET" in r.methods and not r.path.startswith("/api"):
            names = re.findall(r"{(\w+)}", r.path)
            missing = [n for n in names if n not in ids]
            assert not missing, f"no id known for {missing} in {r.path}: add one to _ids()"
            urls.append(r.path.format(**ids))
    return urls


# ------------------------------------------------------------ a real server over loopback
def _call(port: int, method: str, path: str, *, body=None, headers=None, source: str = "127.0.0.1",
          host: str | None = None) -> tuple[int, dict, bytes]:
    """One request to 127.0.0.1:port from the loopback address ``source``; (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        hdrs = dict(headers or {})
        if host is not None:
            hdrs["Host"] = host
        if isinstance(body, (list, tuple)):
            conn.request(method, path, body=iter(body), headers=hdrs, encode_chunked=True)
        else:
            conn.request(method, path, body=body, headers=hdrs)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def _listening(port: int) -> list[str]:
    """Local addresses with a socket listening on ``port`` (from /proc/net/tcp and tcp6)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, p = local.split(":")
            if state == "0A" and int(p, 16) == port:          # 0A: LISTEN
                if len(addr) == 8:
                    found.append(socket.inet_ntop(socket.AF_INET, bytes.fromhex(addr)[::-1]))
                else:
                    words = [bytes.fromhex(addr[i:i + 8])[::-1] for i in range(0, 32, 8)]
                    found.append(socket.inet_ntop(socket.AF_INET6, b"".join(words)))
    return found


@contextlib.contextmanager
def _serving(db: str, *options: str, env: dict | None = None):
    """`narrascope serve --db DB OPTIONS` on a free loopback port, until the block ends; yields the port."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "narrascope.cli", "serve", "--db", db, "--port", str(port), *options],
                            env=dict(os.environ, HF_HUB_OFFLINE="1", **(env or {})),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for_server(proc, lambda: _call(port, "GET", "/api/", source="127.0.0.250"))
        yield port
    finally:
        stop_server(proc)


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    """`narrascope serve` with its defaults but for the port, a rate limit of 5/s, a 1 MB body limit and a token."""
    db = str(tmp_path_factory.mktemp("served") / "store.duckdb")
    shutil.copy(built["db"], db)
    with _serving(db, "--rate-limit", "5", "--max-body-mb", "1", env={"NARRASCOPE_INGEST_TOKEN": TOKEN}) as port:
        yield {"port": port, "db": db}


# ------------------------------------------------------------ bind address
def test_serve_binds_loopback_by_default(server):
    from narrascope.cli import serve
    from narrascope.web import serve as run

    assert next(p for p in serve.params if p.name == "host").default == "127.0.0.1"
    assert run.__defaults__[0] == "127.0.0.1"
    if not os.path.exists("/proc/net/tcp"):
        pytest.skip("no /proc/net/tcp to read the listening address from")
    assert _listening(server["port"]) == ["127.0.0.1"]


# ------------------------------------------------------------ the ingest token
def test_ingest_token_goes_through_compare_digest(built, tmp_path, monkeypatch):
    seen = []
    real = hmac.compare_digest

    def recording(a, b):
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(security.hmac, "compare_digest", recording)
    db = tmp_path / "w.duckdb"
    shutil.copy(built["db"], db)
    with TestClient(create_app(Settings(db=str(db), ingest_token=TOKEN))) as c:
        wrong = c.post("/api/ingest", content=DEPOT.encode(), headers={"Authorization": "Bearer " + TOKEN[:-1] + "x"})
        assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "bad_token"
        assert TOKEN not in wrong.text
        assert seen == [((TOKEN[:-1] + "x").encode(), TOKEN.encode())]
        ok = c.post("/api/ingest", content=DEPOT_2.encode(), headers={"X-Ingest-Token": TOKEN})
        assert ok.status_code == 200, ok.text
        assert len(seen) == 2 and seen[1] == (TOKEN.encode(), TOKEN.encode())


def test_token_edge_cases(built, tmp_path):
    db = tmp_path / "w.duckdb"
    shutil.copy(built["db"], db)
    with TestClient(create_app(Settings(db=str(db), ingest_token=TOKEN))) as c:
        before = c.get("/api/articles").json()["count"]
        cases = [({}, 401), ({"Authorization": "Basic " + TOKEN}, 401), ({"Authorization": "Bearer"}, 401),
                 ({"Authorization": "Bearer "}, 403), ({"Authorization": "Bearer " + TOKEN + " "}, 403),
                 ({"Authorization": "Bearer " + TOKEN.upper()}, 403), ({"Authorization": "Bearer " + TOKEN * 40}, 403),
                 ({"Authorization": "Bearer ümlaut-token-0123456789".encode("utf-8")}, 403)]
        for headers, status in cases:
            r = c.post("/api/ingest", content=DEPOT.encode(), headers=headers)
            assert r.status_code == status, (headers, r.text)
            assert r.json()["error"]["code"] in ("token_required", "bad_token")
        # the token is never taken from the URL
        r = c.post(f"/api/ingest?token={TOKEN}&ingest_token={TOKEN}", content=DEPOT.encode())
        assert r.status_code == 401
        assert c.get("/api/articles").json()["count"] == before


# ------------------------------------------------------------ path traversal
TRAVERSALS = ["..%2F..%2F..%2Fetc%2Fpasswd", "..%252F..%252Fetc%252Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
              "..%5C..%5Cwindows%5Cwin.ini", "%2Fetc%2Fpasswd", "....%2F%2F....%2F%2Fetc%2Fpasswd",
              "..%00%2Fetc%2Fpasswd", "%c0%ae%c0%ae%2Fetc%2Fpasswd"]
ID_ROUTES = ["/api/articles/{}", "/api/articles/{}/raw", "/articles/{}", "/api/statements/{}", "/statements/{}",
             "/api/entities/{}", "/entities/{}", "/api/stories/{}", "/stories/{}", "/api/claims?story_id={}"]


@pytest.mark.parametrize("route", ID_ROUTES)
def test_traversal_in_path_parameters(client, route):
    for t in TRAVERSALS:
        r = client.get(route.format(t))
        assert r.status_code in (404, 422), (route, t, r.status_code)
        assert "root:" not in r.text and "[fonts]" not in r.text


@pytest.mark.parametrize("url", ["/static/../security.py", "/static/..%2fsecurity.py", "/static/%2e%2e/app.py",
                                 "/static/%2e%2e%2f%2e%2e%2fstore%2fdb.py", "/static/..%5capp.py",
                                 "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/vendor/..%2f..%2fapp.py",
                                 "/static/%252e%252e/app.py", "/static/app.css%00.py", "/static/."])
def test_traversal_in_static_files(client, url):
    r = client.get(url)
    assert r.status_code in (400, 404), (url, r.status_code)
    assert "import " not in r.text and "root:" not in r.text


def test_ingest_body_never_opens_files(built, tmp_path):
    """Fields that name files (source, path, file:// urls, img/iframe src) are stored as text, never read."""
    db = tmp_path / "w.duckdb"
    shutil.copy(built["db"], db)
    secret = tmp_path / "other-secret.txt"
    secret.write_text("OTHER-SECRET-91c2\n", encoding="utf-8")
    body = "".join(json.dumps(r) + "\n" for r in _records(str(secret))[2:]).replace("Ferry timetable", "Bus timetable")
    with TestClient(create_app(Settings(db=str(db), ingest_token=TOKEN))) as c:
        r = c.post("/api/ingest", content=body.encode(), headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200 and r.json()["ingested"] == 1, r.text
        items = c.get("/api/articles", params={"limit": 500}).json()["items"]
        everything = " ".join(c.get(f"/api/articles/{a['id']}").text + c.get(f"/api/articles/{a['id']}/raw").text
                              for a in items)
    assert "Bus timetable" in everything and "ten minutes earlier" in everything
    for s in (built["secret"], secret):
        assert s.read_text().strip() not in everything


def test_raw_input_comes_from_the_store_not_the_file(built, tmp_path):
    """The raw-input link serves what was ingested, even after the file at the recorded source changed."""
    src = tmp_path / "note.txt"
    src.write_text("Quay council shuts the old ferry pier\n\nBy Ada Lund\n\nThe council shut the old ferry pier on "
                   "Friday after engineers found cracks in two of its pillars.\n", encoding="utf-8")
    db = str(tmp_path / "s.duckdb")
    assert ingest([str(src)], db).ingested == 1
    src.write_text("REPLACED-AFTER-INGEST\n", encoding="utf-8")
    with TestClient(create_app(Settings(db=db))) as c:
        aid = c.get("/api/articles").json()["items"][0]["id"]
        raw = c.get(f"/api/articles/{aid}/raw")
    assert raw.status_code == 200 and "engineers found cracks" in raw.text
    assert "REPLACED" not in raw.text


# ------------------------------------------------------------ request size
@pytest.mark.parametrize("method, path", [("POST", "/api/ingest"), ("POST", "/api/articles"), ("PUT", "/"),
                                          ("GET", "/api/search?q=depot"), ("POST", "/static/app.css"),
                                          ("POST", "/nowhere")])
def test_body_limit_on_every_path(built, tmp_path, method, path):
    db = tmp_path / "w.duckdb"
    shutil.copy(built["db"], db)
    with TestClient(create_app(Settings(db=str(db), ingest_token=TOKEN, max_body_bytes=4096))) as c:
        big = c.request(method, path, content=b"x" * 5000, headers={"Authorization": f"Bearer {TOKEN}"})
        assert big.status_code == 413, (method, path, big.status_code)
        assert big.json()["error"]["code"] == "too_large"
        assert big.headers["content-security-policy"] == CSP
        bad = c.request(method, path, content=b"x", headers={"Content-Length": "1e9"})
        assert bad.status_code in (400, 413)


def test_chunked_body_over_the_limit(server):
    """A body sent without a length (chunked) is cut off at the limit over real HTTP; nothing is ingested."""
    port = server["port"]
    src = "127.0.0.11"
    _, _, before = _call(port, "GET", "/api/runs", source=src)
    chunks = [b"x" * 2**16] * 20                               # 1.25 MB > 1 MB
    status, headers, body = _call(port, "POST", "/api/ingest", body=chunks, source=src,
                                  headers={"Authorization": f"Bearer {TOKEN}"})
    assert status == 413 and json.loads(body)["error"]["code"] == "too_large"
    assert "transfer-encoding" not in headers or headers.get("content-length")
    _, _, after = _call(port, "GET", "/api/runs", source=src)
    assert json.loads(after)["count"] == json.loads(before)["count"]


def test_oversized_url_and_query(client, server):
    assert client.get("/api/search", params={"q": "depot " * 100}).status_code == 422
    assert client.get("/", params={"q": "depot " * 100}).status_code == 422
    port = server["port"]
    for path, headers in (("/api/search?q=" + "a" * 200_000, {}), ("/api/runs", {"X-Filler": "b" * 200_000})):
        try:
            status = _call(port, "GET", path, headers=headers, source="127.0.0.12")[0]
        except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
            status = None                         # refused by closing the connection before reading it all
        assert status in (None, 400, 414, 431), status
    assert _call(port, "GET", "/api/runs", source="127.0.0.12")[0] == 200


# ------------------------------------------------------------ rate limit
def test_rate_limit_is_429_json_per_client(server):
    port = server["port"]
    codes = []
    for _ in range(30):
        status, headers, body = _call(port, "GET", "/api/runs", source="127.0.0.21")
        codes.append(status)
        if status == 429:
            break
    assert codes[:10] == [200] * 10 and codes[-1] == 429, codes
    assert json.loads(body) == {"error": {"code": "rate_limited", "message": "more than 5 requests a second"}}
    assert headers["content-type"] == "application/json" and headers["retry-after"] == "1"
    assert headers["content-security-policy"] == CSP and headers["x-content-type-options"] == "nosniff"
    # another client address has its own allowance
    assert _call(port, "GET", "/api/runs", source="127.0.0.22")[0] == 200
    time.sleep(1.2)
    assert _call(port, "GET", "/api/runs", source="127.0.0.21")[0] == 200


def test_forwarded_for_does_not_escape_the_rate_limit(server):
    """A client on the server's own address cannot claim another address through X-Forwarded-For."""
    port = server["port"]
    codes = [_call(port, "GET", "/api/runs", source="127.0.0.1",
                   headers={"X-Forwarded-For": f"10.9.{i // 250}.{i % 250 + 1}", "Forwarded": f"for=10.8.0.{i + 1}"})[0]
             for i in range(30)]
    assert 429 in codes, codes


# ------------------------------------------------------------ host check
def test_host_header_is_checked_over_http(server):
    port = server["port"]
    status, _, body = _call(port, "GET", "/api/runs", host="rebind.example", source="127.0.0.31")
    assert status == 400 and json.loads(body)["error"]["code"] == "bad_host"
    status, _, body = _call(port, "GET", "/api/runs", host=f"rebind.example:{port}", source="127.0.0.31")
    assert status == 400
    assert _call(port, "GET", "/api/runs", host=f"127.0.0.1:{port}", source="127.0.0.31")[0] == 200
    assert _call(port, "GET", "/api/runs", host=f"localhost:{port}", source="127.0.0.31")[0] == 200


# ------------------------------------------------------------ escaping
EXPECT_ESCAPED = {"/articles/{article_id}": 4, "/": 2, "/statements": 1, "/statements/{statement_id}": 2,
                  "/entities": 1, "/entities/{entity_id}": 2, "/stories/{story_id}": 2, "/outlets": 1}


def test_hostile_values_are_escaped_on_every_page(client, built):
    ids = _ids(client, built)
    urls = _page_urls(client.app, ids)
    assert len(urls) >= 13
    for url in urls + ["/?q=depot", "/?q=" + TAG, "/statements?speaker=rosa", "/entities?q=" + TAG]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code, r.text[:300])
        html = r.text
        for mark in RAW_MARKS:
            assert mark not in html, (url, mark)
        assert 'href="javascript:' not in html.lower() and "src=\"file:" not in html, url
    for template, n in EXPECT_ESCAPED.items():
        html = client.get(template.format(**ids)).text
        assert html.count(ESCAPED_TAG) >= n, (template, html.count(ESCAPED_TAG))
        assert "&#34; onmouseover=&#34;alert(2)" in html, template
    reader = client.get(f"/articles/{ids['article_id']}").text
    for shown in ("Tram depot", "Quay", "Ines", "Rosa"):
        assert re.search(re.escape(shown) + r" " + re.escape(ESCAPED_TAG), reader), shown
    assert 'data-speaker="Rosa &lt;img src=x onerror=alert(1)&gt; Quintero&#34; onmouseover=&#34;alert(2)"' in reader


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)")
def test_hostile_values_stay_text_in_a_real_browser(built, client, tmp_path):
    """Every page in Chromium: no dialog opens, no element comes out of the values, nothing breaks the CSP.

    The one violation allowed is the vendored vis-timeline's: its bundle adds copies of its own
    stylesheet (served as /static/vendor/vis-timeline-graph2d.min.css) as <style> elements,
    which style-src 'self' refuses, as it should.
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    ids = _ids(client, built)
    urls = _page_urls(client.app, ids) + ["/?q=depot", "/entities?q=rosa"]
    db = str(tmp_path / "browser.duckdb")
    shutil.copy(built["db"], db)
    vendor = "/static/vendor/vis-timeline-graph2d.min.js"
    with _serving(db, "--rate-limit", "0") as port, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                          "--disable-background-networking", "--disable-component-update"])
        try:
            page = browser.new_page()
            page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                                 "e => window.__csp.push([e.violatedDirective, e.sourceFile, e.sample]));")
            dialogs, errors, violations = [], [], []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append((page.url, str(e)[:200])))
            for url in urls:
                page.goto(f"http://127.0.0.1:{port}{url}", wait_until="load")
                page.hover("main")
                page.wait_for_timeout(100)
                found = page.evaluate("""() => ({
                    imgs: document.querySelectorAll('img[src="x"], img[onerror]').length,
                    handlers: document.querySelectorAll('[onmouseover], [onerror], [onclick]').length,
                    text: document.body.innerText, csp: window.__csp})""")
                assert found["imgs"] == 0 and found["handlers"] == 0, url
                if url in ("/articles/" + ids["article_id"], "/statements/" + ids["statement_id"]):
                    assert TAG in found["text"], url          # shown to the reader as the characters it is
                violations += [(url, *v) for v in found["csp"]
                               if not (v[0] == "style-src-elem" and v[1].endswith(vendor) and url == "/timeline")]
        finally:
            browser.close()
    assert dialogs == [] and errors == [] and violations == [], (dialogs, errors, violations)


# ------------------------------------------------------------ headers
def test_every_page_and_error_carries_csp(client, built):
    ids = _ids(client, built)
    responses = [(u, client.get(u)) for u in _page_urls(client.app, ids)]
    responses += [("404 page", client.get("/articles/ffffffffffffffff")), ("404 route", client.get("/nothing/here")),
                  ("422 page", client.get("/entities?type=<b>")), ("405 page", client.post("/")),
                  ("404 story", client.get("/stories/nope")), ("404 static", client.get("/static/nope.css"))]
    with TestClient(create_app(Settings(db=built["db"])), base_url="http://rebind.example") as other:
        responses.append(("400 host", other.get("/")))
    for name, r in responses:
        assert r.headers.get("content-security-policy") == CSP, (name, r.status_code)
        assert r.headers.get("x-content-type-options") == "nosniff", name
        assert r.headers.get("x-frame-options") == "DENY" and r.headers.get("referrer-policy") == "no-referrer", name
        if r.headers["content-type"].startswith("text/html"):
            assert "<script>" not in r.text and " style=" not in r.text and " on" + "click=" not in r.text, name
    assert all(r.status_code >= 400 for name, r in responses if not name.startswith("/"))
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP and "default-src 'none'" in CSP
    assert "frame-ancestors 'none'" in CSP and "base-uri 'none'" in CSP


def test_every_response_is_nosniff(client, built):
    ids = _ids(client, built)
    api = [r.path.format(**ids) for r in _routes(client.app) if "GET" in r.methods and r.path.startswith("/api")]
    assert len(api) >= 15
    for url in api + ["/static/app.css", "/static/app.js", "/static/favicon.svg", "/api/openapi.json"]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        assert r.headers["x-content-type-options"] == "nosniff", url
        assert r.headers["content-security-policy"], url
    raw = client.get(f"/api/articles/{ids['article_id']}/raw")
    assert raw.headers["content-type"].startswith("text/plain")
    assert raw.headers["content-security-policy"] == "default-src 'none'; sandbox"


def test_crash_page_carries_csp(built, tmp_path):
    """An article whose stored extractions are malformed makes the reader fail: the 500 page keeps every header."""
    db = tmp_path / "broken.duckdb"
    shutil.copy(built["db"], db)
    aid = built["hostile"]["id"]
    with Store(str(db)) as store:
        store.set_extractions(aid, {"quotes": ["nine", {"text": "x", "start": 3}]})
    with TestClient(create_app(Settings(db=str(db))), raise_server_exceptions=False) as c:
        for url in (f"/articles/{aid}", f"/api/articles/{aid}"):
            r = c.get(url)
            if r.status_code == 200:
                continue
            assert r.status_code == 500, (url, r.status_code)
            assert r.headers.get("content-security-policy") == CSP, url
            assert r.headers.get("x-content-type-options") == "nosniff", url
            assert "Traceback" not in r.text and "nine" not in r.text
        assert c.get(f"/articles/{aid}").status_code == 500       # the reader did fail on it


# ------------------------------------------------------------ read-only
def test_reading_every_page_leaves_the_store_untouched(built, tmp_path):
    db = tmp_path / "ro.duckdb"
    shutil.copy(built["db"], db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with TestClient(create_app(Settings(db=str(db)))) as c:
        ids = _ids(c, built)
        for url in _page_urls(c.app, ids):
            assert c.get(url).status_code == 200, url
        assert c.get("/api/search", params={"q": "depot"}).json()["count"] >= 1
        assert c.post("/api/ingest", content=b"text").status_code in (404, 405)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert not Path(str(db) + ".wal").exists()
