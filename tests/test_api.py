"""The REST API and the workbench pages, in-process (FastAPI TestClient) over a store built from fixtures."""
from __future__ import annotations

import shutil

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from narrascope.api import ingest  # noqa: E402
from narrascope.web import Settings, create_app  # noqa: E402
from narrascope.web.markup import Span, annotate  # noqa: E402
from narrascope.web.search import parse_query, snippet, terms_of  # noqa: E402
from narrascope.web.security import CSP, token_ok  # noqa: E402

from conftest import FIXTURES  # noqa: E402

TOKEN = "test-token-0123456789abcdef"

HOSTILE = """Harbour council row over ferry fares

By Mira Okafor

Harbour Ledger, March 3, 2023

The harbour council voted on Thursday to raise ferry fares <script>document.title='pwned'</script> by a tenth, after a long debate.

"<img src=x onerror=alert(1)> is not a fare policy," said councillor Tomas Reyes, who voted against.

Ferry users said the rise would hit commuters hardest.
"""

SECOND = """Ferry fares rise approved in Harbour Town

By Lena Sato

Bay Courier, March 4, 2023

Harbour Town councillors approved higher ferry fares on Thursday, with commuters facing a ten per cent rise from May.

"We had no other way to keep the boats running," said council leader Petra Vance.
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    root = tmp_path_factory.mktemp("api")
    inputs = root / "in"
    shutil.copytree(FIXTURES / "outlets", inputs, ignore=shutil.ignore_patterns("*.json"))
    (inputs / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    path = str(root / "store.duckdb")
    summary = ingest([str(inputs)], path)
    assert summary.ingested >= 10
    return path


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(Settings(db=db))) as c:
        yield c


def _ids(client) -> dict[str, dict]:
    items = client.get("/api/articles", params={"limit": 500}).json()["items"]
    return {a["title"]: a for a in items}


def _hostile(client) -> dict:
    return next(a for t, a in _ids(client).items() if t and t.startswith("Harbour council row"))


# ------------------------------------------------------------ lists and paging
def test_articles_list_has_count_and_paging(client):
    full = client.get("/api/articles", params={"limit": 500}).json()
    assert set(full) >= {"count", "limit", "offset", "items"}
    assert full["count"] == len(full["items"]) >= 10
    first = client.get("/api/articles", params={"limit": 3, "offset": 0}).json()
    second = client.get("/api/articles", params={"limit": 3, "offset": 3}).json()
    assert len(first["items"]) == 3 and len(second["items"]) == 3
    assert first["count"] == full["count"] and (first["limit"], second["offset"]) == (3, 3)
    assert not {a["id"] for a in first["items"]} & {a["id"] for a in second["items"]}
    assert [a["id"] for a in first["items"] + second["items"]] == [a["id"] for a in full["items"][:6]]
    past = client.get("/api/articles", params={"offset": 10_000}).json()
    assert past["items"] == [] and past["count"] == full["count"]


def test_article_filters(client):
    hostile = _hostile(client)
    assert hostile["publisher"] == "Harbour Ledger"
    by_outlet = client.get("/api/articles", params={"outlet": "harbour ledger"}).json()
    assert [a["id"] for a in by_outlet["items"]] == [hostile["id"]]
    by_date = client.get("/api/articles", params={"from": "2023-03-03", "to": "2023-03-03"}).json()
    assert hostile["id"] in {a["id"] for a in by_date["items"]}
    assert all(a["published"][:10] == "2023-03-03" for a in by_date["items"])
    assert client.get("/api/articles", params={"from": "2099"}).json()["count"] == 0
    assert client.get("/api/articles", params={"language": "xx"}).json()["count"] == 0
    english = client.get("/api/articles", params={"language": "en", "limit": 500}).json()
    assert english["count"] >= 10
    by_entity = client.get("/api/articles", params={"entity": "Tomas Reyes"}).json()
    assert [a["id"] for a in by_entity["items"]] == [hostile["id"]]


def test_one_article_with_everything(client):
    hostile = _hostile(client)
    a = client.get(f"/api/articles/{hostile['id']}").json()
    assert a["id"] == hostile["id"] and a["publisher"] == "Harbour Ledger"
    names = {m["name"]: m for m in a["metadata"]}
    assert names["publisher"]["origin"] == "text" and names["publisher"]["line"]
    assert {"quotes", "entities", "events"} <= set(a["extractions"])
    assert any(q["speaker"] == "Tomas Reyes" for q in a["extractions"]["quotes"])
    assert a["raw"]["format"] == "text" and a["raw"]["size"] > 0
    prefix = client.get(f"/api/articles/{hostile['id'][:10]}").json()
    assert prefix["id"] == hostile["id"]
    raw = client.get(f"/api/articles/{hostile['id']}/raw")
    assert raw.status_code == 200 and raw.headers["content-type"].startswith("text/plain")
    assert "<script>" in raw.text and "sandbox" in raw.headers["content-security-policy"]


def test_flags_and_provenance_reach_the_api(client):
    flagged = [a for a in _ids(client).values() if a["n_flags"]]
    assert flagged
    a = client.get(f"/api/articles/{flagged[0]['id']}").json()
    assert a["flags"] and all({"code", "reason"} <= set(f) for f in a["flags"])


def test_search_full_text_and_filters(client):
    hostile = _hostile(client)
    r = client.get("/api/search", params={"q": "ferry fares"}).json()
    assert set(r) >= {"count", "limit", "offset", "items"} and r["terms"] == ["fares", "ferry"]
    assert hostile["id"] in [a["id"] for a in r["items"]]
    hit = next(a for a in r["items"] if a["id"] == hostile["id"])
    s = hit["snippet"]
    assert any(s["text"][x:y].lower() in ("ferry", "fares") for x, y in s["highlights"])
    assert client.get("/api/search", params={"q": "ferry zanzibarish"}).json()["count"] == 0
    phrase = client.get("/api/search", params={"q": '"not a fare policy"'}).json()
    assert [a["id"] for a in phrase["items"]] == [hostile["id"]]
    wrong_order = client.get("/api/search", params={"q": '"policy fare a not"'}).json()
    assert wrong_order["count"] == 0
    outlet = client.get("/api/search", params={"q": "fares", "outlet": "Nobody Times"}).json()
    assert outlet["count"] == 0
    dated = client.get("/api/search", params={"q": "fares", "from": "2023-03", "to": "2023-03"}).json()
    assert hostile["id"] in [a["id"] for a in dated["items"]]
    entity = client.get("/api/search", params={"q": "", "entity": "Tomas Reyes"}).json()
    assert [a["id"] for a in entity["items"]] == [hostile["id"]]
    paged = client.get("/api/search", params={"q": "the", "limit": 2}).json()
    assert paged["count"] > 2 and len(paged["items"]) == 2


def test_phrase_search_reads_words_not_characters(client):
    hostile = _hostile(client)
    across_comma = client.get("/api/search", params={"q": '"Tomas Reyes who voted"'}).json()
    assert [a["id"] for a in across_comma["items"]] == [hostile["id"]]          # "Tomas Reyes, who voted"
    inside_a_word = client.get("/api/search", params={"q": '"ferry fare"'}).json()   # the text says "ferry fares"
    assert hostile["id"] not in [a["id"] for a in inside_a_word["items"]]
    upper = client.get("/api/search", params={"q": '"NOT A FARE POLICY"'}).json()
    assert [a["id"] for a in upper["items"]] == [hostile["id"]]


def test_statements_entities_timeline_runs(client):
    st = client.get("/api/statements", params={"limit": 500}).json()
    assert st["count"] == len(st["items"]) > 0
    reyes = client.get("/api/statements", params={"speaker": "reyes"}).json()
    assert reyes["count"] == 1
    one = client.get(f"/api/statements/{reyes['items'][0]['id']}").json()
    assert one["speaker"] == "Tomas Reyes" and one["variants"][0]["publisher"] == "Harbour Ledger"
    assert one["carrier_articles"][0]["id"] == _hostile(client)["id"]

    ents = client.get("/api/entities", params={"type": "PERSON", "limit": 500}).json()
    assert ents["count"] == len(ents["items"]) > 0 and all(e["type"] == "PERSON" for e in ents["items"])
    reyes_e = client.get("/api/entities", params={"q": "reyes"}).json()["items"][0]
    e = client.get(f"/api/entities/{reyes_e['id']}").json()
    assert e["name"] == "Tomas Reyes" and e["articles"][0]["publisher"] == "Harbour Ledger"
    assert e["statements"] and e["statements"][0]["id"] == one["id"]

    tl = client.get("/api/timeline").json()
    assert tl["count"] == len(tl["items"]) > 0
    assert all({"date", "precision", "sources", "inferred"} <= set(x) for x in tl["items"])
    dates = [x["date"] for x in tl["items"]]
    assert dates == sorted(dates)
    some = client.get("/api/timeline", params={"from": "2023", "to": "2023"}).json()
    assert all(x["date"].startswith("2023") for x in some["items"])

    runs = client.get("/api/runs").json()
    assert runs["count"] == 1 and runs["items"][0]["status"] == "finished"


def test_openapi_and_index(client):
    schema = client.get("/api/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/search", "/api/statements",
                 "/api/statements/{statement_id}", "/api/entities", "/api/entities/{entity_id}", "/api/timeline",
                 "/api/runs", "/api/stories", "/api/claims", "/api/outlets", "/api/narratives"):
        assert path in schema["paths"], path
    assert "/api/ingest" not in schema["paths"]
    assert "/api/search" in client.get("/api/").json()["endpoints"]


# ------------------------------------------------------------ errors
@pytest.mark.parametrize("url, status, code", [
    ("/api/articles/ffffffffffffffff", 404, "not_found"),
    ("/api/articles/not-an-id", 422, "invalid_parameter"),
    ("/api/articles?limit=0", 422, "invalid_parameter"),
    ("/api/articles?limit=100000", 422, "invalid_parameter"),
    ("/api/articles?offset=-1", 422, "invalid_parameter"),
    ("/api/articles?from=yesterday", 422, "invalid_parameter"),
    ("/api/statements/Sdoesnotexist", 404, "not_found"),
    ("/api/statements/..%2F..%2Fetc%2Fpasswd", 404, "not_found"),
    ("/api/statements/..%5C..%5Cwin.ini", 422, "invalid_parameter"),
    ("/api/entities/Enope", 404, "not_found"),
    ("/api/entities?type=<b>", 422, "invalid_parameter"),
    ("/api/nothing-here", 404, "not_found"),
])
def test_errors_are_json_with_code_and_message(client, url, status, code):
    r = client.get(url)
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"]["code"] == code and body["error"]["message"]


def test_ambiguous_prefix_is_a_conflict(client):
    ids = sorted(a["id"] for a in _ids(client).values())
    # some one-character prefix is shared by two ids among a dozen hex ids (pigeonhole over 16 digits needs 17;
    # fall back to the empty-ish case when none is)
    shared = next((x[0] for x, y in zip(ids, ids[1:]) if x[0] == y[0]), None)
    if shared is None:
        pytest.skip("no two fixture ids share a first digit")
    r = client.get(f"/api/articles/{shared}")
    assert r.status_code == 409 and r.json()["error"]["code"] == "ambiguous_id"


def test_pages_errors_are_html(client):
    r = client.get("/articles/ffffffffffffffff")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "no article with id" in r.text


def test_write_methods_refused(client):
    assert client.post("/api/ingest", content=b"text").status_code in (404, 405)
    assert client.delete("/api/articles/ffff").status_code == 405
    assert client.post("/api/articles", json={}).json()["error"]["code"] == "method_not_allowed"


def test_path_traversal_in_static_is_refused(client):
    assert client.get("/static/app.css").status_code == 200
    for url in ("/static/../app.py", "/static/..%2fapp.py", "/static/%2e%2e/%2e%2e/store/db.py",
                "/static/vendor/../../app.py"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert "import" not in r.text


def test_unknown_host_is_refused(db):
    with TestClient(create_app(Settings(db=db)), base_url="http://evil.example") as c:
        r = c.get("/api/articles")
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_host"


# ------------------------------------------------------------ safety of the pages
def test_hostile_article_renders_as_text_with_csp(client):
    hostile = _hostile(client)
    r = client.get(f"/articles/{hostile['id']}")
    assert r.status_code == 200
    html = r.text
    assert "<script>document.title" not in html
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert r.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    # the only scripts are files from /static
    import re
    assert all(tag.startswith('<script src="/static/') for tag in re.findall(r"<script[^>]*>", html))
    # the quote is highlighted with its speaker
    assert 'data-speaker="Tomas Reyes"' in html


@pytest.mark.parametrize("url", ["/", "/?q=ferry", "/articles", "/statements", "/entities", "/timeline", "/runs",
                                 "/outlets"])
def test_pages_render_with_headers(client, url):
    r = client.get(url)
    assert r.status_code == 200, url
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == CSP
    assert "<script>" not in r.text and "style=" not in r.text


def test_search_page_escapes_the_query(client):
    r = client.get("/", params={"q": '<script>alert("q")</script> ferry'})
    assert r.status_code == 200
    assert '<script>alert("q")' not in r.text and "&lt;script&gt;alert(" in r.text


def test_api_json_escapes_nothing_but_is_json(client):
    hostile = _hostile(client)
    r = client.get(f"/api/articles/{hostile['id']}")
    assert r.headers["content-type"] == "application/json"
    assert "<script>" in r.json()["text"]


# ------------------------------------------------------------ ingest over HTTP
def test_ingest_needs_the_token(tmp_path, db):
    path = tmp_path / "w.duckdb"
    shutil.copy(db, path)
    app = create_app(Settings(db=str(path), ingest_token=TOKEN, max_body_bytes=4096))
    with TestClient(app) as c:
        before = c.get("/api/articles").json()["count"]
        assert c.post("/api/ingest", content=SECOND.encode()).status_code == 401
        wrong = c.post("/api/ingest", content=SECOND.encode(), headers={"Authorization": "Bearer " + "x" * 27})
        assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "bad_token"
        assert c.get("/api/articles").json()["count"] == before
        big = c.post("/api/ingest", content=b"x" * 5000, headers={"Authorization": f"Bearer {TOKEN}"})
        assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"
        ok = c.post("/api/ingest", content=SECOND.encode(), headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200, ok.text
        assert ok.json()["ingested"] == 1 and ok.json()["rejected"] == 0
        after = c.get("/api/articles", params={"outlet": "Bay Courier"}).json()
        assert after["count"] == 1 and c.get("/api/articles").json()["count"] == before + 1
        assert c.get("/api/search", params={"q": "boats running"}).json()["count"] == 1
        empty = c.post("/api/ingest", content=b"  ", headers={"Authorization": f"Bearer {TOKEN}"})
        assert empty.status_code == 400
        assert "/api/ingest" in c.get("/api/openapi.json").json()["paths"]


def test_narratives_heat_map_and_loaded_language(tmp_path, db):
    from narrascope.store import Store

    path = tmp_path / "n.duckdb"
    shutil.copy(db, path)
    with Store(str(path)) as store:
        _, rows = store.find_articles(outlet="Harbour Ledger")
        aid = rows[0]["id"]
        text = store.get_article(aid)["text"]
        start = text.index("raise ferry fares")
        store.set_extractions(aid, {
            "narratives": [{"narrative": "Council <b>greed</b>", "subnarrative": "fares", "score": 0.8,
                            "evidence": [{"start": start, "end": start + 17}]}],
            "loaded_language": [{"text": "long debate", "start": text.index("long debate"),
                                 "end": text.index("long debate") + 11, "kind": "exaggeration"}]})
    with TestClient(create_app(Settings(db=str(path)))) as c:
        heat = c.get("/api/narratives").json()
        assert heat["narratives"] == ["Council <b>greed</b>"]
        row = next(r for r in heat["rows"] if r["outlet"] == "Harbour Ledger")
        assert row["month"] == "2023-03" and row["cells"][0]["n"] == 1 and row["cells"][0]["share"] == 1.0
        others = [r for r in heat["rows"] if r["outlet"] != "Harbour Ledger"]
        assert all(c_["n"] == 0 for r in others for c_ in r["cells"])
        page = c.get("/narratives").text
        assert "Council &lt;b&gt;greed&lt;/b&gt;" in page and "heat-5" in page
        reader = c.get(f"/articles/{aid}").text
        assert '<span class="loaded" title="loaded language: exaggeration">long debate</span>' in reader
        assert '<span class="narr" title="narrative: Council &lt;b&gt;greed&lt;/b&gt; / fares">raise ferry fares</span>' in reader


def test_token_rules():
    assert token_ok(TOKEN, TOKEN) and not token_ok(TOKEN[:-1], TOKEN) and not token_ok(None, TOKEN)
    assert not token_ok("", TOKEN) and not token_ok(TOKEN, None)
    with pytest.raises(ValueError, match="at least 16"):
        Settings(db="x", ingest_token="short")


def test_body_limit_without_content_length(tmp_path, db):
    path = tmp_path / "w.duckdb"
    shutil.copy(db, path)
    app = create_app(Settings(db=str(path), ingest_token=TOKEN, max_body_bytes=2048))
    with TestClient(app) as c:
        r = c.post("/api/ingest", content=iter([b"x" * 1500, b"y" * 1500]),
                   headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
        assert c.get("/api/runs").json()["count"] == 1          # nothing was ingested


def test_rate_limit(db):
    with TestClient(create_app(Settings(db=db, rate_limit=2))) as c:
        codes = [c.get("/api/runs").status_code for _ in range(8)]
    assert codes[:4] == [200] * 4 and 429 in codes


def test_missing_store_is_refused(tmp_path):
    from narrascope.errors import StoreError
    with pytest.raises(StoreError, match="no store"):
        create_app(Settings(db=str(tmp_path / "nothing.duckdb")))


# ------------------------------------------------------------ pure parts
def test_annotate_nests_and_escapes():
    text = 'She said "a <b>bold</b> plan" today.\n\nNext & last.'
    html = str(annotate(text, [Span(9, 29, "quote", {"data-speaker": 'A "B"'}), Span(12, 15, "entity"),
                               Span(25, 40, "date"), Span(None, None, "entity"), Span(5, 500, "entity")]))
    assert html.startswith("<p>She said <mark") and html.count("<p>") == 2
    assert 'data-speaker="A &#34;B&#34;"' in html and "&lt;b&gt;" in html and "xt &amp; last.</p>" in html
    # the date crosses the quote's end and the paragraph's: closed and reopened, never left open
    assert html.count("<time") == 3 and html.count("</time>") == 3
    assert html.count("<mark") == html.count("</mark>") == 1


def test_search_helpers():
    assert terms_of("Zelenskyy's Київ, NATO-led") == ["zelenskyy", "s", "київ", "nato", "led"]
    assert parse_query('nato "door is  open"') == (["door", "is", "nato", "open"], ["door is open"])
    s = snippet("x " * 200 + "the door is open " + "y " * 200, ["door"])
    a, b = s["highlights"][0]
    assert s["text"][a:b] == "door" and len(s["text"]) < 260
