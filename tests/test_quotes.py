"""Quotes: scanning, attribution, dates of speech, statements across articles; the seed gold."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrascope.extract import entities as E
from narrascope.extract.quotes import builtin_dates, extract_quotes, scan_quotes
from narrascope.extract.statements import group_statements, quotes_match, statement_summary

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold" / "seeds.json"


@pytest.fixture(scope="session")
def nlp():
    return E.load_nlp()


def quotes_of(text, published=None, **kw):
    return extract_quotes(text, None, published, **kw)


def find(quotes, prefix):
    hits = [q for q in quotes if q.text.startswith(prefix)]
    assert hits, f"no quote starting {prefix!r} in {[q.text[:40] for q in quotes]}"
    return hits[0]


# ------------------------------------------------------------------ scanning


def test_scan_pairs_marks_within_a_paragraph():
    text = 'She said "no" twice. "Fine," he replied, "then we wait."'
    spans = scan_quotes(text)
    assert [text[q.start:q.end] for q in spans] == ["no", "Fine,", "then we wait."]
    assert all(q.close is not None for q in spans)


def test_scan_unclosed_and_multi_paragraph():
    text = ('"The first part goes on\n\n"and ends here," she said.\n\n'
            'Then the mayor said: "We will rebuild the bridge')
    spans = scan_quotes(text)
    assert spans[0].continues and spans[0].close is None
    assert text[spans[1].start:spans[1].end] == "and ends here,"
    assert spans[-1].close is None and not spans[-1].continues
    assert text[spans[-1].start:spans[-1].end] == "We will rebuild the bridge"


def test_scan_single_marks_tell_apostrophes_apart():
    text = "'The farmers' anger is real, and it isn't going away,' Mr Dunmore said."
    spans = scan_quotes(text)
    assert len(spans) == 1
    assert text[spans[0].start:spans[0].end].startswith("The farmers' anger is real")


# ------------------------------------------------------------------ attribution patterns

CASES = [
    # (pattern, text, published, [(prefix, speaker, kind or None)])
    ("after", 'The drought hit the north hardest.\n\n"We lost half the herd," farmer Baraka Mwangi said.',
     "2022-02-01", [("We lost half the herd", "Baraka Mwangi", "direct")]),
    ("inverted", '"The reservoir is at eleven percent," said Water Minister Thandiwe Nkosi.',
     None, [("The reservoir is at eleven percent", "Thandiwe Nkosi", "direct")]),
    ("middle", '"The bridge is closed," engineer Sven Lindgren told the council, "until the cracks are mapped."',
     None, [("The bridge is closed", "Sven Lindgren", None), ("until the cracks are mapped", "Sven Lindgren", None)]),
    ("split", 'Coach Rui Carvalho was calm after the loss.\n\n"We played well for an hour," Carvalho said. '
              '"Then we stopped running."',
     None, [("We played well", "Rui Carvalho", None), ("Then we stopped running", "Rui Carvalho", None)]),
    ("pronoun two sentences back", 'Glaciologist Ingrid Solberg has measured the ice for a decade. The front has '
     'retreated two kilometres since then.\n\nMost of the loss came in summer. "The melt season is now a month '
     'longer," she said.',
     None, [("The melt season is now", "Ingrid Solberg", None)]),
    ("gender", 'Foreign Minister Kaja Tamm met her counterpart Piotr Zielinski in Tallinn. Zielinski left early.\n\n'
     '"We agreed on more than we expected," she said.',
     None, [("We agreed on more", "Kaja Tamm", None)]),
    ("colon same paragraph", 'The prosecutor, Aylin Demir, was brief. She told the court: "The evidence speaks '
     'for itself."',
     None, [("The evidence speaks", "Aylin Demir", None)]),
    ("colon previous paragraph", 'Chief executive Henrik Aalto sent a note to staff.\n\nAalto wrote:\n\n'
     '"We will not close the Tampere plant this year."',
     None, [("We will not close the Tampere plant", "Henrik Aalto", None)]),
    ("multi-paragraph", 'Volcanologist Lucia Ferraro described the night.\n\n"The ground shook for an hour. '
     'Then the ash came down like snow.\n\n"By morning the road was gone," Ferraro said.',
     None, [("The ground shook", "Lucia Ferraro", None), ("By morning the road was gone", "Lucia Ferraro", None)]),
    ("partial", 'Labour Minister Mehmet Yilmaz called the strike "illegal and pointless" on state television.',
     None, [("illegal and pointless", "Mehmet Yilmaz", "partial")]),
    ("partial with another subject", 'Mayor Joanna Kowalska said the new tram line "will change how the city '
     'moves" within five years.',
     None, [("will change how the city moves", "Joanna Kowalska", "partial")]),
    ("scare", 'The so-called "peace dividend" never reached the border towns.',
     None, [("peace dividend", None, "scare")]),
    ("unclosed", 'Opposition leader Tendai Moyo spoke outside the stadium.\n\nHe said: "We will not accept '
     'these results, and we will say so in every court.\n\nPolice watched from a distance.',
     None, [("We will not accept these results", "Tendai Moyo", "unclosed")]),
    ("according to her / she stated that", 'On 3 May, Health Minister Rasa Petraitiene briefed journalists on '
     'the outbreak.\n\nAccording to her, the worst had passed. She stated that "no new cases were found in the '
     'capital."',
     "2023-05-10", [("no new cases were found", "Rasa Petraitiene", None)]),
    ("description", 'Former Colombian President Ernesto Salgar visited Quito on Monday.\n\n'
     '"Borders are lines on a map, not walls," the former Colombian president said.',
     None, [("Borders are lines on a map", "Ernesto Salgar", None)]),
    ("document", 'The inspectors filed their report on the dam in June.\n\n"The spillway cannot handle a '
     'hundred-year flood," the report said.',
     None, [("The spillway cannot handle", "report", None)]),      # a document speaks, as a DOCUMENT
    ("social post", 'Chess champion Magnus Eriksen withdrew from the tournament.\n\n"I need a break from the '
     'board," Eriksen wrote on X.',
     None, [("I need a break from the board", "Magnus Eriksen", None)]),
    ("telegram", 'Regional governor Oleg Sinegubov said on his Telegram channel: "Two villages were shelled '
     'overnight."',
     None, [("Two villages were shelled", "Oleg Sinegubov", None)]),
    ("anonymous", '"The deal is dead for now," a senior Gulf official said, speaking on condition of anonymity.',
     None, [("The deal is dead for now", None, None)]),
    ("nested", 'Union head Marek Dvorak recalled the talks.\n\n"The manager told us \'there is no more money\' '
     'and walked out," Dvorak said.',
     None, [("The manager told us", "Marek Dvorak", None)]),
    ("quote naming someone else", 'Kenyan President William Ruto answered his critics on Tuesday.\n\n'
     '"Raila Odinga knows these numbers better than anyone," Ruto said.',
     None, [("Raila Odinga knows", "William Ruto", None)]),
    ("org speaker", '"No talks are planned," the Kremlin said in a statement.',
     None, [("No talks are planned", "Kremlin", None)]),
]


@pytest.mark.parametrize("pattern, text, published, expected", CASES, ids=[c[0] for c in CASES])
def test_attribution(nlp, pattern, text, published, expected):
    qs = quotes_of(text, published)
    for prefix, speaker, kind in expected:
        q = find(qs, prefix)
        assert q.speaker == speaker, (pattern, q)
        if kind:
            assert q.kind == kind, (pattern, q)
        assert text[q.start:q.end] == q.text
        if speaker is not None:
            assert q.speaker_id and q.evidence and text[q.evidence["start"]:q.evidence["end"]] == q.evidence["text"]


def test_a_verb_that_is_not_speech_passes_to_the_speaker_above(nlp):
    text = ('Prime Minister Ewa Lindholm said the Nordic states would respond "in unison" to any new '
            'sanctions on their fishing fleets.')
    q = find(quotes_of(text), "in unison")
    assert q.speaker == "Ewa Lindholm" and q.cue == "said"


def test_a_title_is_not_a_quote(nlp):
    qs = quotes_of('The writer Nadia Haddad published a novel titled "Salt Roads" last year.')
    assert not any(q.text.startswith("Salt Roads") for q in qs)


def test_speaker_text_keeps_the_surface_form(nlp):
    text = 'Defence Minister Hanna Virtala arrived late.\n\n"We are ready," she said.'
    q = find(quotes_of(text), "We are ready")
    assert q.speaker == "Hanna Virtala" and q.speaker_text == "she" and q.cue == "said"


def test_entities_in_the_export_shape_are_used(nlp):
    text = '"The port will reopen," Captain Ahmed Saleh said.'
    local = E.article_entities(text)
    canon = E.canonicalize({"x": local})
    q = find(extract_quotes(text, canon["articles"]["x"], None), "The port will reopen")
    person = next(e for e in canon["articles"]["x"] if e["name"] == "Ahmed Saleh")
    assert q.speaker == "Ahmed Saleh" and q.speaker_id == person["id"]


# ------------------------------------------------------------------ said_on


@pytest.mark.parametrize("text, published, prefix, said_on", [
    ('"We will sign," Prime Minister Aiko Tanaka said on Tuesday.', "2023-03-09", "We will sign", "2023-03-07"),
    ('"Prices will fall," Governor Kofi Asante said in March.', "2023-11-20", "Prices will fall", "2023-03"),
    ('Ambassador Lars Holm wrote a cable in 2009 about the harbour.\n\nHolm wrote:\n\n'
     '"The harbour authority is run by one family."', "2015-01-01", "The harbour authority", "2009"),
    ('On 3 May, Minister Rasa Petraitiene made a statement to journalists.\n\nShe stated that "the worst '
     'had passed."', "2023-05-10", "the worst had passed", "2023-05-03"),
    ('"We will win in 2030," coach Diego Ramos said on Friday.', None, "We will win in 2030", None),
    ('"Nothing changed in 2019," Senator Amal Idris said.', "2024-06-01", "Nothing changed in 2019", None),
])
def test_said_on(nlp, text, published, prefix, said_on):
    q = find(quotes_of(text, published), prefix)
    assert q.said_on == said_on, q


def test_a_custom_date_resolver_is_used(nlp):
    text = '"It works," engineer Tomas Berg said yesterday.'
    i = text.index("yesterday")

    def resolver(t, published):
        return [(i, i + len("yesterday"), "2001-02-03", "day")]

    assert find(quotes_of(text, "2020-01-01", resolve_dates=resolver), "It works").said_on == "2001-02-03"


def test_builtin_dates():
    got = {text: v for s, e, v, p in builtin_dates("On Tuesday and in March, and on Feb. 1, 2008, in 2014.",
                                                     "2022-11-30") for text in [None]}
    vals = [v for *_, v, _p in builtin_dates("On Tuesday and in March, and on Feb. 1, 2008, in 2014.",
                                              "2022-11-30")]
    assert vals == ["2022-11-29", "2022-03", "2008-02-01", "2014"]
    assert [v for *_, v, _p in builtin_dates("He spoke on Tuesday.", None)] == [None]
    assert got


# ------------------------------------------------------------------ statements


def test_rewordings_match_and_shared_words_do_not():
    assert quotes_match("The port's gates are open", "The gates of the port are open")
    assert quotes_match("We will rebuild. The port's gates are open to all.", "The gates of the port are open")
    assert not quotes_match("The port's gates are open", "The port's gates are not open")
    assert not quotes_match("The port is busy today", "The port authority needs money")


def _q(text, speaker, said_on=None, kind="direct"):
    return {"text": text, "speaker": speaker, "speaker_id": speaker and "id-" + speaker, "said_on": said_on,
            "kind": kind}


def test_group_statements_by_speaker_and_content():
    qba = {
        "a": [_q("The harbour will reopen in spring", "Ana Costa", "2023-01-05"), _q("no", None, kind="scare")],
        "b": [_q("We expect that the harbour will reopen in spring.", "Ana Costa", "2023-01-09"),
              _q("The harbour will reopen in spring", "Rui Costa")],
        "c": [_q("Ships are waiting outside the harbour", "Ana Costa")],
    }
    g = group_statements(qba)
    assert g[("a", 0)] == g[("b", 0)]
    assert g[("a", 0)] != g[("b", 1)]            # another speaker
    assert g[("a", 0)] != g[("c", 0)]            # shares words only
    assert ("a", 1) not in g                     # scare quotes are not statements
    assert group_statements(qba) == g            # stable
    top = statement_summary(qba, g)[0]
    assert top["speaker"] == "Ana Costa" and top["carriers"] == ["a", "b"] and top["earliest"] == "2023-01-05"
    assert [v["article_id"] for v in top["variants"]] == ["a", "b"]


# ------------------------------------------------------------------ the seed articles and their gold


def _norm(s):
    return " ".join((s or "").replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
                    .replace("\u201d", '"').split())


@pytest.fixture(scope="module")
def seed_run(nlp):
    if not (SEEDS.is_dir() and GOLD.is_file()):
        pytest.skip("shared seeds or gold are not here")
    from narrascope.model import RawInput, content_id
    from narrascope.pipeline import process

    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    arts = {}
    for name in gold["documents"]:
        data = (SEEDS / name).read_bytes()
        a = process(RawInput(str(SEEDS / name), data.decode("utf-8"), "text", "file", content_hash=content_id(data)))
        arts[name] = (a.text, a.get("published"))
    E.parse_many([t for t, _ in arts.values()])
    local = {k: E.article_entities(t) for k, (t, _) in arts.items()}
    canon = E.canonicalize(local, {k: p for k, (_, p) in arts.items()})
    quotes = {k: extract_quotes(t, canon["articles"][k], p) for k, (t, p) in arts.items()}
    return gold, arts, canon, quotes


def _gold_entity(canon, name):
    hits = [e for e in canon["entities"].values() if e["name"] == name or name in e["variants"]]
    assert hits, f"no entity named {name!r}"
    return hits[0]


def test_seed_gold_quotes(seed_run):
    gold, _, canon, quotes = seed_run
    for doc, g in gold["documents"].items():
        for gq in g["quotes"]:
            hits = [q for q in quotes[doc] if _norm(q.text).startswith(_norm(gq["text"]))]
            assert hits, f"{doc}: missing quote {gq['text']!r}"
            q = hits[0]
            assert q.speaker_id == _gold_entity(canon, gq["speaker"])["id"], (doc, q)
            assert q.speaker == gq["speaker"], (doc, q)
            if gq["said_on"] is None:
                assert q.said_on is None, (doc, q)
            else:
                assert (q.said_on or "").startswith(gq["said_on"]), (doc, q)


def test_seed_no_quote_attributed_to_a_wrong_person(seed_run):
    gold, _, _, quotes = seed_run
    for doc, g in gold["documents"].items():
        for q in quotes[doc]:
            for gq in g["quotes"]:
                gt, qt = _norm(gq["text"]), _norm(q.text)
                if qt.startswith(gt) or (len(qt) > 12 and gt.startswith(qt)):
                    assert q.speaker == gq["speaker"], (doc, q)


def test_seed_same_statement(seed_run):
    gold, _, _, quotes = seed_run
    groups = group_statements(quotes)
    for st in gold["across"]["same_statement"]:
        ids = set()
        for doc in st["documents"]:
            found = [groups[(doc, i)] for i, q in enumerate(quotes[doc])
                     if q.speaker == st["speaker"] and any(_norm(v) in _norm(q.text) for v in st["variants"])]
            assert found, f"{doc}: no quote of {st['speaker']} with {st['variants']}"
            ids.update(found)
        assert len(ids) == 1, st


def test_seed_same_entity(seed_run):
    gold, arts, canon, _ = seed_run

    def key(s):
        return E.name_key(s).replace("-", " ")

    bodies = " ".join(t for t, _ in arts.values()).casefold()

    for group in gold["across"]["same_entity"]:
        ids = set()
        found = []
        for member in group:
            for rows in canon["articles"].values():
                for e in rows:
                    titles = {key(t["title"]) for t in canon["entities"][e["id"]]["titles"]}
                    if any(key(m["text"]) == key(member) for m in e["mentions"]) or key(member) in titles:
                        ids.add(e["id"])
                        found.append(member)
        in_text = [m for m in group if m.casefold() in bodies]
        assert set(in_text) <= set(found), (group, found)
        if len(set(found)) >= 2:
            assert len(ids) == 1, (group, ids)


# ------------------------------------------------------------------ attribution patterns (speaker or None)


ATTRIBUTION = [
    ("curly marks, offsets into the caller's text",
     "Ferries stopped at noon.\n\n\u201cThe harbour is closed until the wind drops,\u201d port officer Sunniva Dahl said.",
     "The harbour is closed", "Sunniva Dahl"),
    ("British single marks around a double-quoted phrase",
     "Lifeguard Owain Pritchard swam out twice.\n\n'A boy kept yelling \"over here\", so I went back,' Pritchard said.",
     "A boy kept yelling", "Owain Pritchard"),
    ("manner verb as the bare tag",
     "We met the ferryman, a quiet man named Arvid Holmqvist, at the jetty.\n\n\"Nobody rows for the money,\" he grinned.",
     "Nobody rows for the money", "Arvid Holmqvist"),
    ("quote paragraph after 'delivered her ruling'",
     "Judge Marisol Quintero delivered her ruling on Friday.\n\n\"The contract was void from the first day.\"",
     "The contract was void", "Marisol Quintero"),
    ("'those were the words of' after the quote",
     "\"We lost the harvest but not the farm.\" Those were the words of grower Teodor Lazăr after the hail.",
     "We lost the harvest", "Teodor Lazăr"),
    ("verbless name lead before a colon",
     "Coach Idris Balogun on the cup draw: \"We fear nobody and respect everybody.\"",
     "We fear nobody", "Idris Balogun"),
    ("first surname of a double surname",
     "Nurse Camila Reyes Ortúzar has worked nights for a decade.\n\n\"The ward is quieter at four,\" Reyes said.",
     "The ward is quieter", "Camila Reyes Ortúzar"),
    ("a nearer person of unknown gender: unknown rather than a guess",
     "Keeper Sjoerd Mulder saved two penalties in his last match. Striker Ouassim Tahiri scored once.\n\n"
     "\"It was my best night,\" he said.",
     "It was my best night", None),
    ("a protester is nobody in particular",
     "\"Give us back our savings,\" shouted a protester outside the bank.", "Give us back our savings", None),
]


@pytest.mark.parametrize("label,text,prefix,speaker", ATTRIBUTION, ids=[a[0] for a in ATTRIBUTION])
def test_attribution_patterns(nlp, label, text, prefix, speaker):
    q = find(quotes_of(text), prefix)
    assert q.speaker == speaker, (label, q.speaker, q.how)
    assert text[q.start:q.end] == q.text


def test_work_title_after_noun_and_comma_is_not_a_quote(nlp):
    qs = quotes_of("Her second novel, \"The Salt Road\", sold well.\n\n\"I wrote it at night,\" author Ines Vidal said.")
    assert [q.text for q in qs] == ["I wrote it at night"]
    assert qs[0].speaker == "Ines Vidal"
