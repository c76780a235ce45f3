"""Narratives in other languages than English: the multilingual model, on texts written for these tests."""
import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from narrascope.framing import SUPPORTED_LANGUAGES, analyse, get_model, get_multilingual, normalise_language
from narrascope.framing.embed import article_chunks
from narrascope.framing.lexical import LinearHead, Vectorizer
from narrascope.framing.multilingual import Features, MultilingualNarrativeModel
from narrascope.framing.narratives import Decision
from narrascope.framing.taxonomy import OTHER
from narrascope.framing.text import char_wb

# Written for this test (our own words): NATO, the West and the war in Ukraine, from the Russian side.
RU_TEXT = """НАТО подталкивает Европу к большой войне

Расширение альянса на восток стало главной причиной конфликта на Украине, считают российские эксперты. Вашингтон годами втягивал Киев в НАТО, не обращая внимания на предупреждения Москвы.

Теперь Запад поставляет киевскому режиму всё новое оружие и затягивает боевые действия. Украинские власти отказываются от переговоров, а западные кураторы думают только о собственных интересах.

Европейцы тем временем платят за санкции против России ростом цен на газ и электричество. Промышленность Германии теряет заказы, а простые граждане беднеют.

Российская армия уверенно продвигается вперёд и освобождает новые населённые пункты."""


def test_supported_languages():
    assert SUPPORTED_LANGUAGES == frozenset({"en", "ru", "bg", "pt", "hi"})
    assert get_multilingual()[1] <= SUPPORTED_LANGUAGES
    assert normalise_language("ru-RU") == "ru" and normalise_language("RU") == "ru" and normalise_language(None) is None


def test_russian_text_gets_narratives_from_the_packaged_model():
    _, _, tax, _ = get_model()
    out = analyse(RU_TEXT, [], language="ru")
    assert out["narratives"], out
    assert out["roles"] == [] and out["loaded_language"] == []
    kept = {n["narrative"] for n in out["narratives"]}
    assert all(k.startswith("URW: ") for k in kept), kept
    for n in out["narratives"]:
        assert n["narrative"] in tax.narratives
        assert n["subnarrative"] in tax.subnarratives[n["narrative"]]
        assert 0 <= n["score"] <= 1
        for ev in n["evidence"]:
            assert 0 <= ev["start"] < ev["end"] <= len(RU_TEXT)
    # "<narrative>: Other" only when no listed sub-narrative of that narrative is kept
    for k in kept:
        subs = [n["subnarrative"] for n in out["narratives"] if n["narrative"] == k]
        assert subs and (subs == [f"{k}: {OTHER}"] or f"{k}: {OTHER}" not in subs)


def test_unsupported_language_gets_nothing_and_english_keeps_everything():
    assert analyse("Die NATO und die Ukraine: ein Kommentar über den Krieg und den Westen.", [], language="de") == \
        {"narratives": [], "roles": [], "loaded_language": []}
    text = "Officials in the Kiev regime denied it."
    assert analyse(text, [], language="en")["loaded_language"] == analyse(text, [])["loaded_language"] != []


def test_char_ngrams_are_scikit_learns_char_wb():
    sk = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()
    for text in ["НАТО и  Украина", "a I ab\tabc  Zz x\n\nто-то", "भारत-रूस सहयोग", ""]:
        assert char_wb(text) == sk(text)


def test_chunks_keep_the_order_and_the_limit():
    text = "Title line\n\n" + "\n".join(f"Paragraph {i} " + "word " * 60 for i in range(10))
    chunks = article_chunks(text, 3)
    assert len(chunks) == 3 and chunks[0].startswith("Title line\nParagraph 0")
    assert all(len(c) <= 500 for c in chunks)
    assert article_chunks("", 3) == []


def test_model_round_trips_and_keeps_the_hierarchy():
    rng = np.random.default_rng(0)
    coarse = ["URW: A", "URW: B"]
    fine = ["URW: A: a1", "URW: A: a2", "URW: B: b1"]
    vec = Vectorizer({"на": 0, "ат": 1, " н": 2}, np.ones(3, np.float32))
    feats = Features(vec, ["en", "ru"], {"emb": 1.0, "char": 1.0, "lang": 1.0}, 2)
    n = 384 + 3 + 2
    m = MultilingualNarrativeModel(feats, LinearHead(coarse, rng.normal(size=(n, 2)).astype(np.float32), np.zeros(2, np.float32)),
                                   LinearHead(fine, rng.normal(size=(n, 3)).astype(np.float32), np.zeros(3, np.float32)),
                                   Decision(0.5, 0.0, 0.5, 0.0))
    meta, arrays = m.to_arrays()
    back = MultilingualNarrativeModel.from_arrays(meta, arrays)
    assert np.abs(back.fine.W - m.fine.W).max() < np.abs(m.fine.W).max() / 100
    labels = back.decide(np.array([0.9, 0.2]), np.array([0.1, 0.2, 0.9]))
    assert labels.coarse == ["URW: A"] and labels.fine == ["URW: A: Other"]
    labels = back.decide(np.array([0.9, 0.8]), np.array([0.7, 0.2, 0.9]))
    assert labels.coarse == ["URW: A", "URW: B"] and labels.fine == ["URW: A: a1", "URW: B: b1"]
    assert back.decide(np.array([0.1, 0.2]), np.array([0.9, 0.9, 0.9])).fine == [OTHER]
