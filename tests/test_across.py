"""Across outlets: copies, rewritten copies, syndication, stories and claims.

Unit tests on small texts written for these tests; one integration test runs
the real pipeline (spaCy + the packaged sentence-embedding model) over the
``fixtures/syndication`` articles.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from narrascope.extract.claims import extract_claims, stance_of
from narrascope.link import dedup, stories as S, syndication as Y

FIX = Path(__file__).parent / "fixtures" / "syndication"

BODY = ("The city council voted on Monday to close the old river bridge to cars after engineers found cracks in two "
        "of its piers. Buses and bicycles may still cross while repairs are planned. The mayor said the decision "
        "was painful but that safety had to come first. Shop owners on the east bank fear losing customers.")


def test_shingle_overlap_finds_a_copy_inside_a_longer_page():
    page = "Menu Home Sport Weather Subscribe now for full access. " + BODY + " Related: five bridges to visit."
    a, b = dedup.shingles(BODY), dedup.shingles(page)
    jac, cont = dedup.overlap(a, b)
    assert cont == 1.0 and 0.5 < jac < 1.0
    sigs = {"a": dedup.signature(a), "b": dedup.signature(b), "c": dedup.signature(dedup.shingles(
        "A bakery in the harbour district won a national prize for its rye bread, the third award in ten years."))}
    found = dedup.near_copies({"a": a, "b": b, "c": sigs and dedup.shingles("x")}, sigs)
    assert [(o.a, o.b, o.kind) for o in found] == [("a", "b", "near_duplicate")]


def test_identical_texts_are_duplicates_and_short_texts_still_shingle():
    s = dedup.shingles(BODY)
    assert dedup.Overlap("a", "b", *dedup.overlap(s, set(s))).kind == "duplicate"
    assert len(dedup.shingles("Too short")) == 1 and dedup.shingles("") == set()


@pytest.mark.parametrize("sentence, stance", [
    ("The tariff increase drove up the price of steel across the region.", "asserted"),
    ("Some economists believe the tariff increase drove up the price of steel.", "attributed"),
    ("According to the ministry, the floods were caused by the failure of an old dam.", "attributed"),
    ("The price rise triggered protests in three cities, the union said.", "attributed"),
    ("There is no evidence that the vaccine caused the outbreak of heart problems.", "disputed"),
    ("The minister dismissed claims that the sanctions led to the shortages.", "disputed"),
    ("The drought, which stemmed from two failed rainy seasons, has emptied the reservoirs.", "asserted"),
])
def test_stance_of_a_causal_claim(sentence, stance):
    claims = extract_claims(sentence)
    assert len(claims) == 1 and claims[0].kind == "causal"
    assert claims[0].stance == stance


def test_causal_sides_and_anaphoric_cause():
    text = ("The government froze fuel subsidies in May. This was the decision that led to the strikes in the ports.")
    (c,) = extract_claims(text)
    assert "froze fuel subsidies" in c.cause and c.effect.startswith("the strikes")
    (back,) = extract_claims("The unrest, which erupted out of a dispute over land rights, spread to the capital.")
    assert "dispute over land rights" in back.cause and "unrest" in back.effect


def test_a_book_title_is_not_a_trigger_and_plain_sentences_are_not_claims():
    assert extract_claims("She wrote a novel called Provoked about her childhood in the mountains.") == []
    assert extract_claims("The council meets on the first Monday of every month in the town hall.") == []
    assert stance_of("Critics say the plan caused delays.", 20)[0] == "attributed"


def _p(aid, vec, day=None, ents=(), stmts=()):
    v = np.asarray(vec, dtype=np.float32)
    return S.Profile(aid, v / np.linalg.norm(v), day, frozenset(ents), frozenset(stmts))


def test_stories_are_assigned_online_and_respect_the_date_window():
    d = date(2024, 3, 12)
    a = _p("a", [1, 0, 0], d, {"E1", "E2"})
    b = _p("b", [0.95, 0.3, 0], date(2024, 3, 13), {"E1"})           # same happening, next day
    c = _p("c", [0.97, 0.2, 0], date(2024, 4, 20), {"E1"})           # same topic, five weeks later
    e = _p("e", [0, 1, 0], d)                                          # something else that day
    out = {x.article_id: x for x in S.assign([a, b, c, e], [])}
    assert out["b"].story_id == out["a"].story_id and out["b"].matched == "a"
    assert len({out["a"].story_id, out["c"].story_id, out["e"].story_id}) == 3
    # a later run places new articles without moving the old ones
    f = _p("f", [0.9, 0.4, 0], date(2024, 4, 21))
    later = S.assign([f], [(a, out["a"].story_id), (c, out["c"].story_id)])
    assert later[0].story_id == out["c"].story_id


def test_undated_articles_need_a_closer_match_and_copies_are_forced():
    a = _p("a", [1, 0.0, 0], date(2024, 3, 12))
    u = _p("u", [0.8, 0.6, 0])                                         # cosine 0.8: not enough undated
    out = S.assign([a, u], [])
    assert out[0].story_id != out[1].story_id
    forced = S.assign([a, u], [], forced={"u": "a"})
    assert forced[1].story_id == forced[0].story_id and forced[1].forced_by == "copy"


def _doc(aid, publisher=None, published=None, credit=None, authors=(), flags=(), wire=None):
    fields = {"publisher": publisher, "published": published, "authors": list(authors), "wire_credit": wire}
    if credit:
        fields["republished_from"] = {"publisher": credit, "published": None}
    return {"id": aid, "fields": fields, "flags": list(flags), "extractions": {}, "text": ""}


def test_origin_is_the_credited_side_then_the_earlier_one():
    orig, copy = _doc("o", "Harbor Ledger", "2024-03-13"), _doc("c", "Valley Courier", "2024-03-12", credit="harborledger.com")
    assert Y.origin_of(copy, orig)[0] == "o"                           # credit beats an earlier date
    assert Y.origin_of(_doc("x", published="2024-01-02"), _doc("y", published="2024-01-01"))[0] == "y"
    assert Y.origin_of(_doc("x"), _doc("y"))[0] is None


def test_rebylined_wire_story():
    assert Y.rebylined(_doc("w", wire="AP", authors=["Jordan Ellery"]))["wire"] == "AP"
    assert Y.rebylined(_doc("w", wire="AP", authors=["Associated Press"])) is None
    assert Y.rebylined(_doc("n", authors=["Jordan Ellery"])) is None
    partner = _doc("p", publisher="Reuters")
    assert Y.rebylined(_doc("r", authors=["Kim Lee"]), [partner])["wire"] == "Reuters"


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    from narrascope import api
    from narrascope.store import Store

    folder = tmp_path_factory.mktemp("synd")
    outlets = {"harbor_original.txt": "Harbor Ledger", "valley_copy.txt": "Valley Courier",
               "daily_rewrite.txt": "The Daily Beacon", "wire_rebylined.txt": "Metro Pulse",
               "museum_unrelated.txt": "Hilltown Weekly"}
    with open(folder / "articles.jsonl", "w", encoding="utf-8") as f:
        for name, outlet in outlets.items():
            f.write(json.dumps({"publisher": outlet, "url": f"https://example.org/{name}",
                                "text": (FIX / name).read_text(encoding="utf-8")}) + "\n")
    db = folder / "s.duckdb"
    summary = api.ingest([str(folder / "articles.jsonl")], str(db))
    store = Store(str(db))
    from narrascope.export import export
    out = folder / "e.jsonl"
    export(store, "jsonl", str(out))
    recs = {r["url"].rsplit("/", 1)[1]: r for r in map(json.loads, out.read_text().splitlines())}
    yield summary, store, recs
    store.close()


def test_copy_rewrite_and_rebylined_wire_on_real_pipeline(linked):
    summary, store, recs = linked
    assert summary.links.near_copies == 1
    copy, orig, rewrite = recs["valley_copy.txt"], recs["harbor_original.txt"], recs["daily_rewrite.txt"]
    assert copy["duplicates"][0]["article_id"] == orig["id"] and copy["duplicates"][0]["containment"] > 0.9
    assert copy["republished_from"]["publisher"] == "Harbor Ledger" and copy["republished_from"]["article_id"] == orig["id"]
    assert "rewritten_copy" in rewrite["flags"] and rewrite["republished_from"]["article_id"] == orig["id"]
    assert {r["article_id"] for r in rewrite["syndication"]["related"] if r["kind"] == "rewrite"} >= {orig["id"]}
    assert "rewritten_copy" not in orig["flags"] and orig["republished_from"] is None
    assert "rebylined_wire_copy" in recs["wire_rebylined.txt"]["flags"]
    assert orig["story_id"] == copy["story_id"] == rewrite["story_id"]
    assert len({recs[k]["story_id"] for k in ("harbor_original.txt", "wire_rebylined.txt", "museum_unrelated.txt")}) == 3


def test_views_over_the_linked_store(linked):
    from narrascope.link.views import claims_matrix, list_stories, outlet_profiles, story_view

    _, store, recs = linked
    page = list_stories(store, limit=10)
    assert page["count"] == 3 and page["items"][0]["n_articles"] == 3
    view = story_view(store, recs["harbor_original.txt"]["story_id"])
    assert {a["outlet"] for a in view["articles"]} == {"Harbor Ledger", "Valley Courier", "The Daily Beacon"}
    assert view["shared_quotes"] and view["shared_quotes"][0]["speaker"] == "Tomasz Brenner"
    matrix = claims_matrix(store, recs["harbor_original.txt"]["story_id"])
    assert all(set(r["cells"]) == {a["id"] for a in matrix["articles"]} for r in matrix["claims"])
    prof = {p["outlet"]: p for p in outlet_profiles(store)}
    assert prof["Harbor Ledger"]["originates"] >= 1 and prof["Valley Courier"]["republishes"] == 1
    assert story_view(store, "Snothing") is None
