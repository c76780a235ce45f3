"""The five reference articles against the analyst's gold (skipped when ../shared is absent)."""
import json
import os
import re
import subprocess
import sys
import unicodedata

import pytest

from narrascope.metadata.dates import parse_date

from conftest import GOLD, SEEDS, SHARED, needs

pytestmark = needs(GOLD)


def norm(s):
    if s is None:
        return None
    s = unicodedata.normalize("NFKC", s)
    s = s.replace("\u201c", '"').replace("\u201d", '"').replace("\u2018", "'").replace("\u2019", "'")
    s = s.replace("\u2014", "-").replace("\u2013", "-")
    return re.sub(r"\s+", " ", s).strip()


def key(s):
    return norm(s).lower().rstrip(".") if s else None


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from narrascope.api import ingest
    from narrascope.export import export
    from narrascope.store import Store

    d = tmp_path_factory.mktemp("seeds")
    db, out = str(d / "s.duckdb"), d / "s.jsonl"
    summary = ingest([str(SEEDS)], db)
    assert summary.ingested == 5 and not summary.rejected
    with Store(db) as store:
        export(store, "jsonl", str(out))
    arts = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        a = json.loads(line)
        arts[os.path.basename(a["source"])] = a
    return out, arts


def gold_docs():
    if not GOLD.exists():
        return []
    return sorted(json.loads(GOLD.read_text(encoding="utf-8"))["documents"].items())


@pytest.mark.parametrize("name,g", gold_docs(), ids=[n for n, _ in gold_docs()])
def test_metadata_matches_gold(exported, name, g):
    a = exported[1][name]
    text = norm(a["text"])
    assert key(a["title"]) == key(g["title"])
    assert key(a["dek"]) == key(g["dek"])
    assert sorted(map(key, a["authors"] or [])) == sorted(map(key, g["authors"]))
    assert key(a["publisher"]) == key(g["publisher"])
    if g["published"] is None:  # the page does not say; an inferred date must say it is one
        assert a["published"] is None or a["published_inferred"]
    else:
        assert (a["published"] or "").startswith(g["published"])
    gr, ar = g["republished_from"], a["republished_from"]
    if gr is None:
        assert not ar
    else:
        assert key(ar["publisher"]) == key(gr["publisher"])
        assert gr["published"] is None or (ar["published"] or "").startswith(gr["published"])
    assert text.startswith(norm(g["body_starts"]))
    assert text.endswith(norm(g["body_ends"]))
    assert [s for s in g["not_in_body"] if norm(s) in text] == []
    assert set(g["flags"]) <= set(a["flags"])


def test_no_unexpected_flags(exported):
    """The gold's flags, plus the one linking adds: 003 is a wire story under an actress's name."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["documents"]
    for name, a in exported[1].items():
        want = set(gold[name]["flags"]) | ({"rebylined_wire_copy"} if name.startswith("003") else set())
        assert set(a["flags"]) == want, name


def test_across_outlets(exported):
    """Issue: stories, syndication origins, the re-bylined wire story and both shared claims."""
    arts = {k[:3]: v for k, v in exported[1].items()}
    assert arts["000"]["story_id"] == arts["003"]["story_id"]
    assert len({arts[k]["story_id"] for k in ("000", "001", "002", "004")}) == 4
    for k in ("000", "002"):
        assert key(arts[k]["republished_from"]["publisher"]) == key("Antiwar.com")
        assert arts[k]["republished_from"]["evidence"][0]["kind"] == "credit"
    assert "rebylined_wire_copy" in arts["003"]["flags"]
    assert arts["003"]["syndication"]["rebylined_wire"]["wire"] == "AP"
    stance = {}
    for k, a in arts.items():
        for c in a["claims"]:
            stance.setdefault(c["claim_id"], {})[k] = c["stance"]
    pledge = [s for s in stance.values() if {k: s.get(k) for k in ("000", "002", "003", "004")}
              == {"000": "asserted", "002": "asserted", "003": "attributed", "004": "asserted"}]
    assert pledge and all("001" not in s for s in pledge)
    assert any({"000", "002", "004"} <= set(s) for s in stance.values() if s is not pledge[0])
    out = subprocess.run([sys.executable, str(SHARED / "tools" / "score_gold.py"), exported[0], str(GOLD), "across"],
                         capture_output=True, text=True).stdout
    assert "across: 9/9" in out, out


def test_offsets_point_at_the_raw_text(exported):
    """Every clean character maps to the raw character it came from (quotes normalised)."""
    from narrascope.store import Store  # noqa: F401  (the export carries no offsets; rebuild from the files)
    from narrascope.ingest import iter_inputs
    from narrascope.pipeline import process

    for raw in iter_inputs([str(SEEDS)]):
        a = process(raw)
        for i, ch in enumerate(a.text):
            src = raw.text[a.offsets.to_source(i)]
            if ch.isalnum():
                assert src == ch, (raw.source, i)
        for name, f in a.fields.items():
            if f.origin != "text" or f.start is None:
                continue
            span = raw.text[f.start:f.end]
            if name in ("published", "updated"):
                assert parse_date(span).value == f.value, (name, span)
            elif name in ("title", "dek", "publisher", "dateline", "wire_credit"):
                assert norm(f.value) in norm(re.sub(r"\\|\]\([^)]*\)|\[", "", span)), (name, span)


@needs(SHARED / "tools" / "score_gold.py")
def test_scorer_passes_every_metadata_expectation(exported):
    out = subprocess.run([sys.executable, str(SHARED / "tools" / "score_gold.py"), str(exported[0]), str(GOLD), "metadata"],
                         capture_output=True, text=True, env={**os.environ, "MIN": "0.95"})
    assert out.returncode == 0, out.stdout
    misses = out.stdout.strip().splitlines()[:-1]
    # the one allowed miss: 003 prints no date; the export carries the inferred one, marked published_inferred
    assert all(m.startswith("003_") and ": published:" in m for m in misses), misses
    inferred = {k: a for k, a in exported[1].items() if a["published_inferred"]}
    assert set(inferred) <= {m.split(":")[0] for m in misses}


def test_events_and_timeline_match_gold(exported, tmp_path):
    """Every gold event with its date; 003 dated through 000; the Bucharest summit as one entry."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["documents"]
    arts = exported[1]
    for name, g in gold.items():
        evs = arts[name]["events"] or []
        for ge in g["events"]:
            assert any(str(e["date"]).startswith(ge["date"]) and any(key(m) in key(e["text"]) for m in ge["mentions"])
                       for e in evs), (name, ge["what"])
    a003 = arts["003_84ca91bf8ca9dfd8.txt"]
    assert a003["published"] == "2022-11-29" and a003["published_inferred"]
    assert "000_62308496f3cf607a.txt" in json.dumps(a003["provenance"]["published"]) or a003["provenance"]["published"]["origin"] == "inferred"
    summit = {}
    for name, a in arts.items():
        for e in a["events"] or []:
            if e["date"].startswith("2008") and "bucharest" in e["text"].lower() and e["event_id"]:
                summit.setdefault(e["event_id"], set()).add(name)
    biggest = max(summit.values(), key=len)
    # seed 004 never names Bucharest: its 2008 event is the Burns cable
    assert biggest >= {n for n in gold if any("Bucharest" in m for ev in gold[n]["events"] for m in ev["mentions"])}


@needs(SHARED / "tools" / "score_gold.py")
def test_scorer_passes_every_event_expectation(exported):
    out = subprocess.run([sys.executable, str(SHARED / "tools" / "score_gold.py"), str(exported[0]), str(GOLD), "events"],
                         capture_output=True, text=True, env={**os.environ, "MIN": "1.0"})
    assert out.returncode == 0, out.stdout


@needs(SHARED / "tools" / "score_gold.py")
def test_scorer_passes_every_quote_expectation(exported):
    out = subprocess.run([sys.executable, str(SHARED / "tools" / "score_gold.py"), str(exported[0]), str(GOLD), "quotes"],
                         capture_output=True, text=True, env={**os.environ, "MIN": "1.0"})
    assert out.returncode == 0, out.stdout


def test_statements_and_entities_across_outlets(exported):
    """The gold's same-statement group, and its same-entity groups whose forms occur in article bodies."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["across"]
    arts = exported[1]
    for st in gold["same_statement"]:
        sids = [{q["statement_id"] for q in arts[k]["quotes"] if key(q["speaker"]) == key(st["speaker"])
                 and any(key(v) in key(q["text"]) for v in st["variants"])} for k in st["documents"]]
        assert set.intersection(*sids) - {None}, sids
    for group in gold["same_entity"]:
        ids = {e["id"] for a in arts.values() for e in a["entities"] or []
               for form in group if any(key(form) == key(m["text"]) for m in e["mentions"]) or key(form) == key(e["name"])}
        in_bodies = [f for f in group if any(key(f) in key(a["text"]) for a in arts.values())]
        if len(in_bodies) >= 2:  # "AntiWar.com" appears only in a credit line, outside the body
            assert len(ids) == 1, (group, ids)


def test_no_quote_attributed_to_the_wrong_person(exported):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["documents"]
    for name, g in gold.items():
        for gq in g["quotes"]:
            for q in exported[1][name]["quotes"]:
                if key(gq["text"]) in key(q["text"]) and q["speaker"]:
                    assert key(q["speaker"]) == key(gq["speaker"]), (name, gq["text"], q["speaker"])
