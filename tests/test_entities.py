"""Entities: mentions, in-article coreference, corpus-wide canonical entities."""
from __future__ import annotations

import pytest

from narrascope.extract import entities as E
from narrascope.extract import parse as P


@pytest.fixture(scope="session")
def nlp():
    return E.load_nlp()


def _ents(text):
    return E.article_entities(text)


def _entity_of(ents, surface):
    hits = [e for e in ents if any(m.text == surface for m in e.mentions)]
    assert hits, f"no entity has a mention {surface!r}: {[(e.name, [m.text for m in e.mentions]) for e in ents]}"
    return hits[0]


# ------------------------------------------------------------------ mentions


def test_mentions_have_types_and_offsets_into_the_text(nlp):
    text = ("Reuters reported that Chilean Foreign Minister Alberto van Klaveren met officials of the "
            "World Health Organization in Geneva on Monday, according to Antiwar.com.")
    ms = E.find_entities(text)
    for m in ms:
        assert text[m.start:m.end] == m.text
    types = {m.text: m.type for m in ms}
    assert types["Reuters"] == "MEDIA"
    assert types["Antiwar.com"] == "MEDIA"
    assert types.get("Geneva") == "PLACE"
    assert any(t == "PERSON" and "Klaveren" in s for s, t in types.items())
    assert any(t == "ORG" and "World Health Organization" in s for s, t in types.items())


def test_outlets_known_or_shaped_like_outlets_are_media(nlp):
    text = ("The Financial Times and Yahoo News both ran the story, and a blog at tallinnwatch.org "
            "copied it; the Baltic Herald did not.")
    media = {m.text for m in E.find_entities(text) if m.type == "MEDIA"}
    assert "The Financial Times" in media and "Yahoo News" in media and "tallinnwatch.org" in media


def test_a_quoted_title_and_the_written_thing_are_documents(nlp):
    text = ('In 2011 the envoy Halvard Brekke sent a diplomatic cable titled "Quiet Harbours" to Oslo. '
            'In the cable, Brekke warned that the port deal would fail.')
    ents = _ents(text)
    docs = [e for e in ents if e.type == "DOCUMENT"]
    assert len(docs) == 1, [(e.name, [m.text for m in e.mentions]) for e in docs]
    assert docs[0].name == "Quiet Harbours"
    assert {m.text for m in docs[0].mentions} >= {"cable", "Quiet Harbours"}


def test_a_book_title_after_his_book(nlp):
    text = "As the historian Ines Ferreira argues in her book Salt and Empire: Lisbon After the Flood, the trade died slowly."
    titles = [m.text for m in E.find_entities(text) if m.type == "DOCUMENT" and m.kind == "title"]
    assert "Salt and Empire: Lisbon After the Flood" in titles


# ------------------------------------------------------------------ in-article coreference


def test_surname_joins_the_full_name(nlp):
    text = ("Kenyan runner Eliud Kipchoge won in the rain. Kipchoge later said the course was slow. "
            "Organisers thanked Kipchoge.")
    e = _entity_of(_ents(text), "Eliud Kipchoge")
    assert e.type == "PERSON" and e.name == "Eliud Kipchoge"
    assert sum(m.text == "Kipchoge" for m in e.mentions) == 2


def test_two_people_sharing_a_surname_stay_apart(nlp):
    text = ("President Joe Biden spoke in Delaware. His son Hunter Biden was not there. "
            "Later Biden told reporters he was proud of him.")
    ents = _ents(text)
    joe, hunter = _entity_of(ents, "Joe Biden"), _entity_of(ents, "Hunter Biden")
    assert joe is not hunter
    # the bare surname goes to the most recent full name before it
    assert any(m.text == "Biden" for m in hunter.mentions)


def test_a_role_description_refers_back_to_the_named_person(nlp):
    text = ("Former Chilean President Michelle Bachelet met Argentine President Alberto Fernandez in Santiago. "
            "The talks ran late.\n\nThe former Chilean president said the border treaty would stand.")
    ents = _ents(text)
    bachelet = _entity_of(ents, "Michelle Bachelet")
    assert any(m.kind == "description" and "Chilean president" in m.text for m in bachelet.mentions)
    fernandez = _entity_of(ents, "Alberto Fernandez")
    assert not any(m.kind == "description" for m in fernandez.mentions)


def test_an_organisation_role_description_refers_back(nlp):
    text = ("UN Secretary-General Antonio Guterres visited Nairobi on Monday. Kenyan officials met him at the "
            "airport.\n\nThe UN chief told reporters that the drought was the worst in forty years.")
    guterres = _entity_of(_ents(text), "Antonio Guterres")
    assert any(m.kind == "description" and m.text == "The UN chief" for m in guterres.mentions)


def test_a_role_description_with_its_own_complement_is_not_linked(nlp):
    text = "Minister Leila Haddad sent the file to the head of the agency, who signed it."
    haddad = _entity_of(_ents(text), "Leila Haddad")
    assert not any(m.kind == "description" for m in haddad.mentions)


def test_titles_before_and_after_the_name(nlp):
    text = ("CIA Director William Burns arrived first. Maria Zakharova, the spokesperson of the foreign "
            "ministry, spoke later.")
    ents = _ents(text)
    assert "CIA Director" in _entity_of(ents, "William Burns").titles
    assert any("spokesperson of the foreign ministry" in t for t in _entity_of(ents, "Maria Zakharova").titles)


def test_generic_alias_resolves_when_the_article_names_the_entity(nlp):
    text = ("NATO ministers met in Vilnius. Diplomats said the Alliance would not set a date, "
            "and the bloc's new members agreed.")
    nato = _entity_of(_ents(text), "NATO")
    assert {"the Alliance", "the bloc"} <= {m.text for m in nato.mentions}


def test_generic_alias_is_not_resolved_without_an_antecedent(nlp):
    text = "The European Union met in Brussels. Officials said the bloc would vote on Friday."
    ents = _ents(text)
    eu = _entity_of(ents, "European Union")
    assert "the bloc" in {m.text for m in eu.mentions}
    assert not any(e.name == "NATO" for e in ents)


def test_a_shouted_name_is_not_the_canonical_form(nlp):
    text = "BORIS Lindgren arrived late. Boris Lindgren then told the council that Lindgren Holdings was sold."
    e = _entity_of(_ents(text), "Boris Lindgren")
    assert e.name == "Boris Lindgren"


def test_gender_guess(nlp):
    assert E.guess_gender("Olena Kovalenko") == "f"
    assert E.guess_gender("Irina Petrova") == "f"
    assert E.guess_gender("Mateus Oliveira") == "m"
    assert E.guess_gender("Sam Okoro", ["spokeswoman for the ministry"]) == "f"
    assert E.guess_gender("Kim Lee") is None


# ------------------------------------------------------------------ name comparison


@pytest.mark.parametrize("a, b", [
    ("Volodymyr Zelensky", "Volodymyr Zelenskyy"),
    ("Volodymyr Zelenskiy", "Volodymyr Zelensky"),
    ("Viktor Yanukovich", "Viktor Yanukovych"),
    ("Dmitriy Trenin", "Dmitry Trenin"),
    ("Oleksandr Syrskyi", "Oleksandr Syrsky"),        # not in the alias file
    ("J. Stoltenberg", "Jens Stoltenberg"),
    ("Bill Nelson", "William Nelson"),
    ("Lula da Silva", "Luiz Inácio Lula da Silva"),
    ("Recep Tayyip Erdoğan", "Recep Tayyip Erdogan"),
])
def test_compatible_names(a, b):
    assert E.names_compatible(a, b)


@pytest.mark.parametrize("a, b", [
    ("George W. Bush", "George H. W. Bush"),
    ("Joe Biden", "Hunter Biden"),
    ("Ana Silva", "Luis Silva"),
    ("Vladimir Putin", "Volodymyr Zelensky"),
    ("Maria Zakharova", "Marina Zakharov"),
])
def test_incompatible_names(a, b):
    assert not E.names_compatible(a, b)


def test_transliteration_key():
    assert E.translit("Zelenskyy") == E.translit("Zelenskiy") == E.translit("Zelensky")
    assert E.translit("Yanukovich") == E.translit("Yanukovych")
    assert E.fold("Wiśniewski") == "wisniewski"


# ------------------------------------------------------------------ across articles


@pytest.fixture(scope="module")
def corpus(nlp):
    arts = {
        "a1": ("CIA Director William Burns met Ukrainian President Volodymyr Zelensky in Kiev. "
               "Burns said the talks went well. The Alliance was not mentioned, though NATO was. "
               "Former President George W. Bush also wrote to Zelensky. AntiWar.com covered the visit.",
               "2023-05-02"),
        "a2": ("In 2008, William Burns, then US ambassador to Russia, wrote a memo. Volodymyr Zelenskyy "
               "later spoke in Kyiv. President George H. W. Bush had visited decades earlier. "
               "Antiwar.com reported it, and Joe Biden and Hunter Biden were in Delaware.",
               "2024-01-15"),
        "a3": ("Oleksandr Syrskyi met Oleksandr Syrsky's staff. Hunter Biden spoke in Los Angeles.", None),
    }
    local = {k: E.article_entities(t) for k, (t, _) in arts.items()}
    return arts, local, E.canonicalize(local, {k: d for k, (_, d) in arts.items()})


def _id_of(canon, article, surface):
    for e in canon["articles"][article]:
        if any(m["text"] == surface for m in e["mentions"]):
            return e["id"]
    raise AssertionError(f"{surface!r} not found in {article}")


def test_same_person_across_articles_and_spellings(corpus):
    _, _, canon = corpus
    assert _id_of(canon, "a1", "Volodymyr Zelensky") == _id_of(canon, "a2", "Volodymyr Zelenskyy")
    assert _id_of(canon, "a1", "William Burns") == _id_of(canon, "a2", "William Burns")
    assert _id_of(canon, "a1", "Kiev") == _id_of(canon, "a2", "Kyiv")
    assert _id_of(canon, "a1", "AntiWar.com") == _id_of(canon, "a2", "Antiwar.com")
    assert _id_of(canon, "a3", "Oleksandr Syrskyi") == _id_of(canon, "a3", "Oleksandr Syrsky")


def test_different_people_with_a_shared_surname_across_articles(corpus):
    _, _, canon = corpus
    assert _id_of(canon, "a1", "George W. Bush") != _id_of(canon, "a2", "George H. W. Bush")
    assert _id_of(canon, "a2", "Joe Biden") != _id_of(canon, "a2", "Hunter Biden")
    assert _id_of(canon, "a2", "Hunter Biden") == _id_of(canon, "a3", "Hunter Biden")


def test_canonical_record_titles_and_variants(corpus):
    _, _, canon = corpus
    burns = canon["entities"][_id_of(canon, "a1", "William Burns")]
    assert burns["name"] == "William Burns" and burns["type"] == "PERSON"
    assert burns["variants"]["Burns"] >= 1
    titles = {(t["title"], t["article_id"], t["article_date"]) for t in burns["titles"]}
    assert ("CIA Director", "a1", "2023-05-02") in titles
    assert ("then US ambassador to Russia", "a2", "2024-01-15") in titles
    nato = canon["entities"][_id_of(canon, "a1", "NATO")]
    assert nato["name"] == "NATO" and "the alliance" in {m["text"].lower() for e in canon["articles"]["a1"]
                                                         if e["id"] == nato["id"] for m in e["mentions"]}


def test_ids_are_stable_hashes_of_type_and_name(corpus):
    arts, local, canon = corpus
    again = E.canonicalize(local, {k: d for k, (_, d) in arts.items()})
    assert again["articles"] == canon["articles"]
    eid = _id_of(canon, "a1", "William Burns")
    assert eid == E.entity_id("PERSON", "William Burns")


def test_export_shape(corpus):
    _, _, canon = corpus
    for rows in canon["articles"].values():
        for r in rows:
            assert set(r) == {"id", "name", "type", "mentions"}
            assert all(set(m) == {"text", "start", "end"} for m in r["mentions"])


# ------------------------------------------------------------------ paragraph-wise parsing

@pytest.mark.parametrize("text", ["", "One line only.", "Title\n\nFirst para.\n\n\nSecond para.\n",
                                  "\n\n  Leading blank.\n \n Spaced break.", "A.\n\n"])
def test_paragraphs_join_back(text):
    pieces = E.paragraphs(text)
    assert "".join(pieces) == text
    assert all(pieces) or pieces == [""]


def test_parse_many_reuses_paragraphs_of_a_copy(monkeypatch):
    body = ("Harbour Board Votes on the Pier\n\nThe harbour board of Porto Velho voted on Monday to rebuild "
            "the north pier, its chair Marta Quintas said.\n\nWork is due to start in May.\n\n")
    first = E.parse_many([body + "Reporting by the desk."])[0]
    assert first.text == body + "Reporting by the desk."
    copy = body + "This story was first published by the Coastal Wire."
    seen = []
    real = P._parse_paragraphs

    def spy(paras, batch_size):
        seen.extend(paras)
        return real(paras, batch_size)

    monkeypatch.setattr(P, "_parse_paragraphs", spy)
    doc = E.parse_many([copy])[0]
    assert doc.text == copy
    assert seen == ["This story was first published by the Coastal Wire."]   # only the new paragraph
    assert any(e.text == "Marta Quintas" and e.label_ == "PERSON" for e in doc.ents)
    starts = [s.start_char for s in doc.sents]
    assert copy.index("The harbour") in starts and copy.index("Work is") in starts


def test_paragraph_start_reads_like_inside_an_article():
    text = "The minister spoke on Friday.\n\nBeyond Norway's own needs, the fund will grow."
    doc = E.parse_many([text + " "])[0]
    assert not any(e.label_ == "PERSON" and "Beyond" in e.text for e in doc.ents)


def test_paragraph_cache_off_parses_every_time(monkeypatch):
    monkeypatch.setattr(P, "_PARA_CACHE_SIZE", 0)
    monkeypatch.setattr(P, "_PARAS", type(P._PARAS)())
    text = "Ferry Strike Ends\n\nThe ferry crews of Lake Orta went back to work on Friday."
    seen = []
    real = P._parse_paragraphs
    monkeypatch.setattr(P, "_parse_paragraphs", lambda paras, bs: (seen.extend(paras), real(paras, bs))[1])
    E.parse_many([text + "\n\nFirst copy."])
    E.parse_many([text + "\n\nSecond copy."])
    assert seen.count("The ferry crews of Lake Orta went back to work on Friday.\n\n") == 2
    assert not P._PARAS
