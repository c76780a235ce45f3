"""Framing on short texts written for these tests: loaded language, blame cues, scoring, the model files."""
import numpy as np
import pytest

from narrascope.framing import analyse, get_model
from narrascope.framing.cues import BLAME_NARRATIVE, WEST_SUB, blame_cues
from narrascope.framing.lexical import LinearHead, Vectorizer
from narrascope.framing.loaded import loaded_language
from narrascope.framing.metrics import exact_match_ratio, f1_samples
from narrascope.framing.summary import by_outlet
from narrascope.framing.taxonomy import Taxonomy
from narrascope.extract.temporal import split_sentences as sentences


@pytest.mark.parametrize("text,span,kind", [
    ("Officials in the Kiev regime denied it.", "Kiev regime", "name_calling"),
    ("He called the bloodthirsty Zelensky a liar.", "bloodthirsty Zelensky", "name_calling"),
    ("Talks with Belarusian dictator Alexander Lukashenko went on.", "Belarusian dictator", "name_calling"),
    ("The unrest followed a Western-backed coup in the capital.", "Western-backed coup", "loaded_label"),
    ("They held a so-called referendum last week.", "so-called referendum", "loaded_label"),
    ("He vowed to wipe the city off the map.", "wipe the city off the map", "exaggeration"),
    ("Sanctions provoked the conflict, the column says.", "provoked the conflict", "causal_claim"),
])
def test_loaded_language_finds(text, span, kind):
    hits = loaded_language(text)
    assert any(h["text"] == span and h["kind"] == kind for h in hits), hits
    for h in hits:
        assert text[h["start"]:h["end"]] == h["text"]


@pytest.mark.parametrize("text", [
    "The minister faces a criminal case in the capital.",
    "The Corrupt Practices Act was amended.",
    "Russia's president met the German chancellor on Monday.",
    "The start of the war saw prices rise.",
])
def test_loaded_language_leaves_plain_text(text):
    assert loaded_language(text) == []


def test_pejorative_adjective_covers_a_multiword_entity_mention():
    text = "Troops loyal to the criminal Kyiv Government moved east."
    s = text.index("Kyiv Government")
    hits = loaded_language(text, [(s, s + len("Kyiv Government"))])
    assert [h["text"] for h in hits] == ["criminal Kyiv Government"]


def test_blame_cues_need_someone_other_than_russia_as_the_cause():
    text = ("Washington goaded the Kremlin into war, the author argues. "
            "Elsewhere, Putin started the war in February. "
            "Officials were wary of provoking Russia.")
    cues = blame_cues(text, sentences(text))
    assert [(text[s:e][:10], side) for s, e, side in cues] == [("Washington", "west")]


def test_f1_samples_follows_the_task_scorer():
    gold = [["A", "B"], ["Other"], ["C"]]
    pred = [["A"], ["Other"], ["B"]]
    assert f1_samples(gold, pred) == pytest.approx((2 / 3 + 1 + 0) / 3)
    assert f1_samples([["X"]], [["X"]], classes={"A"}) == 0.0  # unknown labels do not count
    assert exact_match_ratio([("Victim",), ("Tyrant", "Corrupt")], [["Victim"], ["Corrupt"]]) == 0.5


def test_taxonomy_labels_are_written_as_the_task_writes_them():
    tax = Taxonomy.from_json({"URW": {"Discrediting Ukraine": ["Ukraine is associated with nazism"]}})
    assert tax.narratives == ("URW: Discrediting Ukraine",)
    assert tax.fine_labels == ("URW: Discrediting Ukraine: Ukraine is associated with nazism",
                               "URW: Discrediting Ukraine: Other")
    assert tax.parent("URW: Discrediting Ukraine: Other") == "URW: Discrediting Ukraine"
    assert Taxonomy.from_json(tax.to_json()) == tax


def test_linear_head_round_trips_through_int8():
    rng = np.random.default_rng(0)
    head = LinearHead(["a", "b"], rng.normal(size=(6, 2)).astype(np.float32), np.zeros(2, np.float32))
    meta, arrays = head.to_arrays("h")
    back = LinearHead.from_arrays("h", meta, arrays)
    assert np.abs(back.W - head.W).max() < np.abs(head.W).max() / 100


def test_vectorizer_rows_are_unit_length():
    v = Vectorizer({"nato": 0, "war": 1, "nato war": 2}, np.array([1.0, 2.0, 3.0], np.float32))
    X = v.rows(["NATO war", "nothing here"])
    assert X[0] @ X[0] == pytest.approx(1.0)
    assert not X[1].any()


def test_packaged_model_gives_the_export_schema():
    text = ("NATO expansion provoked the war in Ukraine, the commentator wrote. "
            "Washington pushed Moscow into the conflict and the Kiev regime obeyed. "
            "The fanatical Kiev leadership refuses any talks, while Western sanctions hurt European families.")
    narr, roles, tax, about = get_model()
    assert about["documents"] > 0
    ents = [{"id": "e1", "name": "NATO", "type": "ORG", "mentions": [
        {"text": "NATO", "start": 0, "end": 4}, {"text": "NATO", "start": 0, "end": 4}]}]
    out = analyse(text, ents)
    assert set(out) == {"narratives", "roles", "loaded_language"}
    for n in out["narratives"]:
        assert n["narrative"] in tax.narratives and n["subnarrative"].startswith(n["narrative"] + ": ")
        assert 0 <= n["score"] <= 1
        for ev in n["evidence"]:
            assert 0 <= ev["start"] < ev["end"] <= len(text)
    blame = [n for n in out["narratives"] if n["narrative"] == BLAME_NARRATIVE]
    assert blame and blame[0]["subnarrative"] == WEST_SUB
    assert [r["entity_id"] for r in out["roles"]] == ["e1"]
    assert out["roles"][0]["main_role"] in ("Protagonist", "Antagonist", "Innocent")
    assert {h["text"] for h in out["loaded_language"]} >= {"Kiev regime", "fanatical Kiev"}


def test_summary_by_outlet_counts_other_and_filters():
    docs = [
        {"id": "1", "publisher": "Daily A", "extractions": {"narratives": [
            {"narrative": "URW: X", "subnarrative": "URW: X: Other", "score": 0.6, "evidence": []}],
            "loaded_language": [{"text": "Kiev regime", "start": 0, "end": 11, "kind": "name_calling"}]}},
        {"id": "2", "publisher": "Daily A", "extractions": {"narratives": []}},
        {"id": "3", "publisher": "Weekly B", "extractions": {}},
    ]
    rows = by_outlet(docs)
    assert [(r["outlet"], r["articles"], r["other"]) for r in rows] == [("Daily A", 2, 1), ("Weekly B", 1, 1)]
    assert rows[0]["narratives"] == [("URW: X", 1)]
    assert [r["outlet"] for r in by_outlet(docs, outlet="weekly")] == ["Weekly B"]
