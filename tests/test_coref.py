"""Speaker resolution (extract/coref): the language-neutral salience resolver on hand-built
references, and English quotes whose speaker is reached through a pronoun, a description, a
title or past a dateline. Texts are the project's own."""
from __future__ import annotations

import pytest

from narrascope.extract.coref import Ref, resolve


def _ref(start, kind, entity=None, gender=None, subject=False, sent=0, para=0, noun="", obj=False):
    return Ref(start, start + 3, kind, entity, gender, subject, sent, para, noun, obj)


TYPES = ["PERSON", "PERSON", "ORG", "ORG"]
GENDERS = ["f", "f", None, None]
NAMES = ["Anna Weiss", "Maria Stein", "Halberd Capital", "Justice Department"]


def test_pronoun_prefers_the_subject_over_the_nearer_object():
    refs = [_ref(0, "name", 0, subject=True, sent=0), _ref(20, "name", 1, sent=0),
            _ref(40, "pronoun", gender="f", subject=True, sent=1)]
    assert resolve(refs, TYPES, GENDERS, NAMES)[2].entity == 0


def test_resolved_pronouns_carry_the_chain():
    refs = [_ref(0, "name", 0, subject=True, sent=0), _ref(20, "pronoun", gender="f", subject=True, sent=1),
            _ref(30, "name", 1, sent=2), _ref(50, "pronoun", gender="f", subject=True, sent=3)]
    assert resolve(refs, TYPES, GENDERS, NAMES)[3].entity == 0


def test_other_gender_is_never_taken():
    refs = [_ref(0, "name", 0, subject=True), _ref(20, "pronoun", gender="m", subject=True, sent=1)]
    assert resolve(refs, TYPES, GENDERS, NAMES)[1].entity is None


def test_object_pronoun_skips_its_own_clause_subject():
    genders = ["m", None, None, None]
    refs = [_ref(0, "name", 0, subject=True, sent=0), _ref(30, "name", 1, subject=True, sent=1),
            _ref(50, "pronoun", gender="m", sent=1, obj=True)]
    assert resolve(refs, TYPES, genders, NAMES)[2].entity == 0


def test_too_far_back_is_nobody():
    refs = [_ref(0, "name", 0, subject=True, sent=0, para=0),
            _ref(90, "pronoun", gender="f", subject=True, sent=9, para=5)]
    assert resolve(refs, TYPES, GENDERS, NAMES)[1].entity is None


def test_organisation_descriptions():
    refs = [_ref(0, "name", 2, subject=True), _ref(10, "name", 3, sent=1),
            _ref(30, "description", subject=True, sent=2, noun="company"),
            _ref(50, "description", subject=True, sent=3, noun="department"),
            _ref(70, "pronoun", gender="n", subject=True, sent=4)]
    out = resolve(refs, TYPES, GENDERS, NAMES)
    assert out[2].entity == 2                 # a generic noun: the most salient organisation
    assert out[3].entity == 3                 # 'the department': the organisation whose name holds it
    assert out[4].entity == 3                 # 'it' follows the chain


CASES = [
    ("dateline city is never the speaker",
     "OSLO (AP) — \"We will answer in kind,\" Defence Minister Rune Aasheim told parliament on Monday.",
     "We will answer", "Rune Aasheim"),
    ("wire credit in a dateline with a date",
     "LIMA, Oct. 4 (Reuters) - Central bank chief Ines Paredes said on Tuesday that rates were \"high enough.\"",
     "high enough", "Ines Paredes"),
    ("subject of the previous sentence over the nearer woman",
     "Senator Joan Pell met the mayor, Rita Vance, on Friday. Pell later toured the flooded district.\n\n"
     "\"Nobody should have to live like this,\" she said.", "Nobody should have", "Joan Pell"),
    ("object pronoun does not bind its clause subject",
     "Striker Tomas Brekke scored twice. Coach Lena Holm had dropped him for a month.\n\n"
     "\"I had something to prove,\" he said.", "I had something", "Tomas Brekke"),
    ("a title with a suffix keeps the person",
     "Rep. Calvin Moore Jr., R-Texas, called the bill \"a rigged game from the start.\"",
     "a rigged game", "Calvin Moore Jr."),
    ("an organisation named by a generic noun",
     "Norrland Motors said sales would fall. \"Demand remains weak in Europe,\" the carmaker said.",
     "Demand remains weak", "Norrland Motors"),
    ("a phrasal verb of speech",
     "\"You lost twice,\" the host, Ben Carter, pointed out.", "You lost twice", "Ben Carter"),
    ("the article's own pronoun outranks the name dictionary",
     "Winemaker Nino Kharadze now sells to nine countries. \"The Danes buy the most,\" she said.",
     "The Danes buy", "Nino Kharadze"),
]


MORE = [
    ("a relation introduced by apposition",
     "Walt Ferris, 71, has fished the bay since 1970. His son, Dean Ferris, sat beside him.\n\n"
     "\"They sold the harbour from under us,\" Walt Ferris said. \"Dad, they sold it years ago,\" his son answered.",
     "Dad, they sold", "Dean Ferris"),
    ("a lead describes before it names",
     "A former city clerk testified Tuesday that she shredded the ledgers, telling jurors, \"I was told to.\"\n\n"
     "Marta Kowal, who left the job in 2021, said the order came from the mayor's office.",
     "I was told to", "Marta Kowal"),
    ("an unnamed source stays unnamed",
     "A senior official, who spoke on condition of anonymity, said the talks had stalled. "
     "\"Nobody wants to move first,\" the official said. Minister Petra Holm declined to comment.",
     "Nobody wants to move", None),
    ("a body the NER missed speaks as itself",
     "The Turkish foreign ministry said the measures were \"unlawful and one-sided.\"",
     "unlawful and one-sided", "Turkish foreign ministry"),
    ("two people share a surname: the honorific decides",
     "Two councillors named Varga, Tomas Varga and his cousin Ilona Varga, voted on opposite sides. "
     "\"It will be a quiet dinner,\" Ms. Varga said. \"Quiet is fine,\" Mr. Varga replied.",
     "Quiet is fine", "Tomas Varga"),
    ("a quoted label of a noun is a scare quote",
     "Inspector Dana Rhee told the panel that the agency had lost staff despite a \"surge\" hiring program.",
     "surge", None),
    ("a possessive subject with a named appositive",
     "Its barrister, Andrew Fenwick KC, said the objectors were presenting \"a postcard view of the hills\".",
     "a postcard view", "Andrew Fenwick"),
    ("a full name the NER missed",
     "Board member Regina Vasquez-Hart voted against the plan. \"We were not consulted,\" Vasquez-Hart said.",
     "We were not consulted", "Regina Vasquez-Hart"),
]


@pytest.mark.parametrize("name,text,prefix,speaker", CASES + MORE, ids=[c[0] for c in CASES + MORE])
def test_speaker_resolution(name, text, prefix, speaker):
    from narrascope.extract import entities as E
    from narrascope.extract.quotes import extract_quotes
    doc = E.parse(text)
    quotes = extract_quotes(text, E.article_entities(doc), "2024-05-10", doc=doc)
    q = next(q for q in quotes if q.text.startswith(prefix))
    if speaker is None:
        assert q.speaker is None, (q.speaker, q.how)
    else:
        assert q.speaker is not None and E.names_compatible(q.speaker, speaker), (q.speaker, q.speaker_text, q.how)


def test_a_quote_without_a_day_was_said_on_the_day_the_lead_reports():
    from narrascope.extract import entities as E
    from narrascope.extract.quotes import extract_quotes
    text = ("The port authority voted on Tuesday to close the old ferry terminal.\n\n"
            "Harbour master Ines Duarte called the decision overdue. \"The pier is rotten,\" she said.")
    doc = E.parse(text)
    q = next(q for q in extract_quotes(text, E.article_entities(doc), "2024-05-10", doc=doc)
             if q.text.startswith("The pier"))
    assert q.speaker == "Ines Duarte" and q.said_on == "2024-05-07"


def test_a_russian_quote_takes_the_day_of_the_lead():
    from narrascope.lang import pack
    ru = pack("ru")
    text = ("Министр энергетики Павел Орлов во вторник провёл совещание с нефтяными компаниями.\n\n"
            "«Запасов топлива достаточно до конца сезона», — заявил министр.")
    q = ru.extract_quotes(text, ru.article_entities(text), "2024-05-10")[0]
    assert q.said_on == "2024-05-07"
