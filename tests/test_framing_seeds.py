"""Framing on the five reference articles through the full pipeline (skipped when ../shared is absent)."""
import json
import os

import pytest

from conftest import GOLD, SEEDS, needs

pytestmark = needs(GOLD)

BLAME = "URW: Blaming the war on others rather than the invader"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from narrascope.api import ingest
    from narrascope.export import export
    from narrascope.link.statements import refresh_statements
    from narrascope.store import Store

    d = tmp_path_factory.mktemp("framing_seeds")
    db, out = str(d / "s.duckdb"), d / "s.jsonl"
    ingest([str(SEEDS)], db)
    with Store(db) as store:
        refresh_statements(store)   # a second refresh: roles and speakers must still name exported entities
        export(store, "jsonl", str(out))
    return {os.path.basename(a["source"]): a for a in map(json.loads, out.read_text(encoding="utf-8").splitlines())}


def _name(prefix):
    return next(n for n in json.loads(GOLD.read_text(encoding="utf-8"))["documents"] if n.startswith(prefix))


@pytest.mark.parametrize("prefix,carries", [("000", True), ("002", True), ("003", False)])
def test_blaming_the_war_on_others(exported, prefix, carries):
    a = exported[_name(prefix)]
    narratives = {n["narrative"] for n in a["narratives"]}
    assert (BLAME in narratives) is carries, narratives
    for n in a["narratives"]:
        if n["narrative"] == BLAME:
            assert n["evidence"], n
            for ev in n["evidence"]:
                assert 0 <= ev["start"] < ev["end"] <= len(a["text"])


def test_gold_loaded_language_is_found(exported):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["documents"]
    for name, g in gold.items():
        a = exported[name]
        found = [x["text"] for x in a["loaded_language"]]
        for x in a["loaded_language"]:
            assert a["text"][x["start"]:x["end"]] == x["text"]
        for span in g.get("loaded_language") or []:
            assert any(span.lower() in f.lower() for f in found), (name, span, found)


def test_roles_point_at_entity_mentions(exported):
    for a in exported.values():
        ids = {e["id"] for e in a["entities"]}
        for r in a["roles"]:
            assert r["entity_id"] in ids
            assert a["text"][r["start"]:r["end"]] == r["mention"]


def test_quote_speakers_point_at_entities(exported):
    for a in exported.values():
        ids = {e["id"] for e in a["entities"]}
        for q in a["quotes"]:
            assert q.get("speaker_id") is None or q["speaker_id"] in ids
