"""English entity mentions in clean text (``find_entities``): spaCy's NER mapped to the project's
types plus what the small model does not know (outlets, documents, generic aliases, role
descriptions, people the NER missed)."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable, Sequence

from .names import Mention, ROLE_WORDS, TITLE_WORDS, _FEMALE, _MALE, _PARTICLES, _alias_table, _data, _is_generic, alias_canonical, fold
from .quotemarks import scan_quotes
from .parse import _as_doc, doc_text, load_nlp

# ------------------------------------------------------------------ quotes (spans only)


def quoted_intervals(text: str) -> list[tuple[int, int]]:
    """Spans of text inside double quotation marks (a light version of the quote scanner)."""
    return [(q.start, q.end) for q in scan_quotes(text)]


def _inside(i: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= i < e for s, e in spans)


# ------------------------------------------------------------------ finding mentions

_NER_TYPES = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE",
              "NORP": "NORP", "WORK_OF_ART": "DOCUMENT"}
_DOMAIN = re.compile(r"\b[A-Za-z][\w-]*\.(?:com|org|net|co\.uk|info|news|io|ru|ua|de|fr)\b")
_MEDIA_SUFFIX = re.compile(r"\b(?:News|Times|Post|Journal|Herald|Gazette|Tribune|Telegraph|Guardian|Observer|"
                           r"Chronicle|Magazine|Daily|Weekly|Radio|TV|Television|Broadcasting|Press|Wire|"
                           r"Monitor|Insider|Independent|Pravda|Gazeta|Zeitung|Shimbun)$")
DOC_NOUNS = {"cable", "memo", "memorandum", "letter", "report", "dossier", "communique", "communiqué", "document",
             "study", "book", "op-ed", "editorial", "essay", "filing", "indictment", "transcript", "manifesto",
             "decree", "statement", "paper", "white paper", "telegram", "dispatch", "directive", "novel", "memoir",
             "documentary"}
_DOC_VERBS = {"write", "send", "release", "leak", "publish", "see", "read", "sign", "title", "entitle", "issue",
              "say", "state", "note", "explain", "warn", "obtain", "draft", "circulate", "reveal", "describe",
              "argue", "conclude", "find", "show", "add", "claim"}
_TITLE_CUE = re.compile(r"\b(?:titled|entitled|headlined|headline|subheading|sub-heading|called|named)\s*,?\s*$",
                        re.I)
_CAPWORD = r"[A-Z0-9][\w'’.-]*"
_SMALL = r"(?:of|the|and|with|in|on|to|a|an|for|from|at|by|or|vs\.?)"
_BOOK_TITLE = re.compile(rf"\b(?:his|her|their|its|the|a|new|latest|recent)\s+(?:new\s+|latest\s+)?"
                         rf"(?:book|novel|memoir|report|study|film|documentary|essay|paper)\s+"
                         rf"(?P<t>{_CAPWORD}(?:(?:\s+{_SMALL})*(?::)?\s+{_CAPWORD})*)")


def _trim_span(text: str, s: int, e: int, type_: str) -> tuple[int, int]:
    """Drop a leading 'the', a trailing possessive and (for people) leading titles."""
    seg = text[s:e]
    m = re.match(r"(?:the|The)\s+", seg)
    if m and type_ != "DOCUMENT":
        s += m.end()
    m = re.search(r"(?:'s|')$", text[s:e])
    if m:
        e -= len(m.group())
    if type_ == "PERSON":
        while True:
            m = re.match(r"([\w.-]+)\s+", text[s:e])
            if not m or not text[s + m.end():e].strip():
                break
            word = fold(m.group(1)).rstrip(".")
            nxt = re.match(r"[\w.-]+\s+([\w.-]+)", text[s:e])
            if word in TITLE_WORDS or word in ROLE_WORDS:
                s += m.end()
            elif nxt and fold(nxt.group(1)).rstrip(".") in TITLE_WORDS and word in _english_nouns():
                s += m.end()                  # 'Crown Prince', 'Labour Minister' 
            elif occupation_word(m.group(1)) and len(text[s + m.end():e].split()) >= 2:
                s += m.end()
            elif job_prefix(text[s:e].split()):
                s += m.end()
            else:
                break
    return s, e


def job_prefix(words: Sequence[str]) -> bool:
    """'Lifeguard Callum Finch', 'Magistrate Olumide Bankole': a capitalised common noun (not a given
    name, not an organisation word) before at least two words, the first of which is not a common noun."""
    if len(words) < 3 or not words[0][:1].isupper():
        return False
    first, nxt = fold(words[0]).rstrip("."), fold(words[1])
    nouns = _english_nouns()
    return first in nouns and first not in _FEMALE and first not in _MALE and first not in _ORG_WORDS and \
        words[1][:1].isupper() and (nxt not in nouns or nxt in _FEMALE or nxt in _MALE)


def _ner_mentions(doc: Any) -> list[Mention]:
    out = []
    text = doc_text(doc)
    for ent in doc.ents:
        t = _NER_TYPES.get(ent.label_)
        if not t:
            continue
        s, e = _trim_span(text, ent.start_char, ent.end_char, t)
        if e <= s or not any(c.isalpha() for c in text[s:e]):
            continue
        if t == "PERSON":
            s, e = _extend_particle(text, s, e)
        surface = text[s:e]
        if t == "PERSON" and ("\n" in surface or _place_led(surface) or re.search(r"\s[A-Z0-9]$", surface)):
            continue                          # 'Disease X', 'Kiev Patriot' are not people
        known = alias_canonical(surface)
        if t == "PERSON" and not known and len(surface.split()) >= 2 and \
                fold(surface.split()[-1]) in _COMPANY_WORDS:
            t = "ORG"                         # 'Borealis Energy', 'Varro Motors' read as people
        if t == "ORG" and not known and job_prefix(surface.split()) and len(surface.split()) <= 4 and \
                not {fold(w) for w in surface.split()} & _ORG_WORDS:
            t = "PERSON"                      # 'Lifeguard Callum Finch' read as an organisation
            s, e = _trim_span(text, s, e, t)
            surface = text[s:e]
        if known and known[1] in ("PLACE", "MEDIA", "ORG") and t in ("PERSON", "ORG", "PLACE"):
            t = known[1]
        elif t == "ORG" and (_DOMAIN.fullmatch(surface) or _MEDIA_SUFFIX.search(surface)):
            t = "MEDIA"
        out.append(Mention(s, e, surface, t, "title" if t == "DOCUMENT" else "name"))
    return out


def _extend_particle(text: str, s: int, e: int) -> tuple[int, int]:
    """'Ursula von der' + 'Leyen': a person span ending on a particle takes the next capitalised word."""
    last = text[s:e].split()[-1]
    if last.lower() in _PARTICLES:
        m = re.match(r"\s+[A-Z][\w'-]+", text[e:])
        if m:
            return s, e + m.end()
    return s, e


def _place_led(surface: str) -> bool:
    """'Kiev Patriot': a 'person' whose first word is a known place."""
    words = surface.split()
    if len(words) < 2:
        return False
    known = alias_canonical(words[0])
    return bool(known and known[1] == "PLACE")


def _regex_mentions(text: str) -> list[Mention]:
    """Outlets, web domains and proper aliases the NER missed (or typed wrongly)."""
    out: list[Mention] = []
    names = sorted({*(_data()["media"]), *(a for c in _data()["entities"].values() for a in c["aliases"]),
                    *_data()["entities"]}, key=len, reverse=True)
    proper, generic, _ = _alias_table()
    pats = [n for n in names if n not in generic and not _is_generic(n)]
    rx = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in pats) + r")(?![\w])")
    for m in rx.finditer(text):
        canon = alias_canonical(m.group())
        if canon:
            out.append(Mention(m.start(), m.end(), m.group(), canon[1]))
    for m in _DOMAIN.finditer(text):
        out.append(Mention(m.start(), m.end(), m.group(), "MEDIA"))
    return out


def _generic_mentions(text: str) -> list[Mention]:
    _, generic, contextual = _alias_table()
    out = []
    phrases = sorted({*generic, *contextual}, key=len, reverse=True)
    rx = re.compile(r"\b(?:" + "|".join(re.sub(r"^the\\ ", "[Tt]he\\ ", re.escape(p)) for p in phrases) + r")\b")
    for m in rx.finditer(text):
        out.append(Mention(m.start(), m.end(), m.group(), "ORG", "alias"))
    return out


def _document_mentions(doc: Any, quotes: Sequence[tuple[int, int]]) -> list[Mention]:
    text = doc_text(doc)
    out = []
    for s, e in quotes:                      # "a cable titled "Nyet means Nyet""
        if s > 0 and _TITLE_CUE.search(text[max(0, s - 40):s - 1]):
            if not re.search(r"\bcalled\s*$|\bnamed\s*$", text[max(0, s - 40):s - 1]) or \
                    re.search(r"\b(?:book|report|film|cable|memo|letter|paper|study|song|album|play|novel|"
                              r"documentary|programme|program|campaign|operation)\s+(?:called|named)\s*$",
                              text[max(0, s - 60):s - 1], re.I):
                ts, te = s, e
                while te > ts and text[te - 1] in " ,.;:":
                    te -= 1
                if te > ts:
                    out.append(Mention(ts, te, text[ts:te], "DOCUMENT", "title"))
    for m in _BOOK_TITLE.finditer(text):
        t = m.group("t").rstrip(".,;:")
        if len(t) > 3:
            out.append(Mention(m.start("t"), m.start("t") + len(t), t, "DOCUMENT", "title"))
    for tok in doc:
        low = tok.lemma_.lower()
        if low not in DOC_NOUNS or tok.pos_ != "NOUN" or tok.tag_ == "NNS" or tok.dep_ == "compound":
            continue
        if _inside(tok.idx, quotes):
            continue
        sent_lemmas = {t.lemma_.lower() for t in tok.sent}
        determined = any(c.dep_ in ("det", "poss") for c in tok.children)
        in_pp = tok.head.lemma_.lower() in ("in", "to", "from") and tok.dep_ == "pobj"
        if determined and (sent_lemmas & _DOC_VERBS or in_pp):
            out.append(Mention(tok.idx, tok.idx + len(tok.text), tok.text, "DOCUMENT", "noun"))
    return out


def _description_mentions(doc: Any, quotes: Sequence[tuple[int, int]]) -> list[Mention]:
    """'the former Norwegian prime minister', 'the NATO chief': candidates for coreference."""
    out = []
    for chunk in doc.noun_chunks:
        root = chunk.root
        if root.lemma_.lower() not in ROLE_WORDS or root.tag_ in ("NNS", "NNPS"):
            continue
        if not chunk or chunk[0].lower_ != "the" or _inside(root.idx, quotes):
            continue
        if root.dep_ == "appos" or any(c.dep_ == "appos" for c in root.children):
            continue
        nxt = doc[chunk.end] if chunk.end < len(doc) else None
        if nxt is not None and (nxt.ent_type_ == "PERSON" or (nxt.pos_ == "PROPN" and nxt.text[:1].isupper())):
            continue                          # a title before a name
        if any(t.ent_type_ == "PERSON" for t in chunk):
            continue
        out.append(Mention(chunk.start_char, root.idx + len(root.text), doc_text(doc)[chunk.start_char:root.idx + len(root.text)],
                           "PERSON", "description"))
    return out


_LAND_WORDS = {"delta", "valley", "river", "mountains", "coast", "island", "islands", "bay", "lake", "sea", "gulf",
               "peninsula", "basin", "strait", "plateau", "desert", "forest", "canyon", "highlands", "uplands"}
# last words of company names the small NER types as people
_COMPANY_WORDS = {"energy", "motors", "capital", "health", "systems", "holdings", "partners", "industries",
                  "technologies", "labs", "airways", "shipping", "mining", "pharma", "pharmaceuticals", "foods",
                  "logistics", "securities", "insurance", "telecom", "entertainment", "studios", "works", "brands",
                  "solutions", "ventures", "resources", "petroleum", "steel", "automotive", "robotics", "analytics",
                  "ministry", "council", "bank", "agency", "party", "union", "company", "corp", "corporation", "inc",
                  "ltd", "llc", "plc", "group", "institute", "university", "commission", "committee", "association",
                  "federation", "foundation", "airlines", "department", "authority", "organization", "organisation",
                  "network", "media", "oil", "gas", "bureau", "agency", "trust", "coalition", "caucus"}
_ORG_WORDS = {
    "ministry", "council", "bank", "agency", "party", "union", "company", "corp", "corporation", "inc", "ltd",
    "group", "office", "institute", "university", "center", "centre", "commission", "committee", "court",
    "parliament", "assembly", "army", "forces", "association", "federation", "foundation", "news", "times", "post",
    "airlines", "club", "fc", "department", "service", "authority", "organization", "organisation", "school",
    "college", "hospital", "fund", "board", "senate", "house", "congress", "government", "administration", "police",
    "guard", "network", "media", "press", "channel", "league", "alliance", "movement", "front", "republic",
    "kingdom", "states", "nations", "islands", "city", "province", "region", "river", "sea", "ocean", "mountains",
    "street", "square", "road", "summit", "war", "crisis", "treaty", "agreement", "act", "day", "cup", "games",
    "championship", "olympics", "award", "prize", "festival", "museum", "airport", "station", "port", "plant",
    "project", "programme", "program", "initiative", "strategy", "plan", "doctrine", "index", "exchange",
    "market", "markets", "energy", "oil", "gas", "motors", "systems", "technologies", "labs", "capital",
}
_SPEECHY = {"say", "tell", "add", "write", "state", "explain", "stress", "note", "warn", "insist", "argue", "claim",
            "declare", "proclaim", "tweet", "post", "announce", "reply", "respond", "ask", "urge", "acknowledge",
            "admit", "recall", "conclude", "confirm", "deny", "promise", "vow", "speak", "tell", "describe",
            "defend", "reject", "criticise", "criticize", "accuse", "call", "mention", "address", "present"}


def _title_token(t: Any) -> bool:
    low = t.lower_.rstrip(".")
    return low in TITLE_WORDS or low in ROLE_WORDS


@lru_cache(maxsize=1)
def _english_nouns() -> frozenset[str]:
    try:
        table = load_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_index")
        return frozenset(table["noun"])
    except (KeyError, ValueError):
        return frozenset()


_AGENTIVE = re.compile(r"(?:ologist|ographer|ist|ician|eer|er|or|ian|ant|ent|ess|.{4}ee)$")


def occupation_word(word: str) -> bool:
    """'Volcanologist', 'Researcher', 'Historian' before a name: a job, not a given name."""
    low = fold(word).rstrip(".")
    if low in TITLE_WORDS or low in ROLE_WORDS:
        return True
    if low in _FEMALE or low in _MALE or not word[:1].isupper():
        return False
    if re.search(r"(?:ologist|ographer|ician)$", low):
        return True
    return bool(_AGENTIVE.search(low)) and low in _english_nouns()


def _name_token(t: Any) -> bool:
    """A capitalised proper-name word (or a particle inside a name)."""
    if t.text[:1].isupper() and t.pos_ in ("PROPN", "NOUN", "ADJ", "X") and any(c.islower() for c in t.text) \
            and t.ent_type_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL", "NORP", "MONEY", "PERCENT"):
        return not _title_token(t)
    return False


def _role_noun(t: Any) -> bool:
    """A lower-case noun naming a person's role: 'mayor', 'runner-up', 'spokeswoman', 'treasurer'."""
    low = t.lower_
    if not t.text.islower() or t.pos_ != "NOUN":
        return False
    return low in ROLE_WORDS or low in TITLE_WORDS or low.endswith("-up") or \
        (bool(_AGENTIVE.search(low)) and low in _english_nouns())


def _person_evidence(doc: Any, start: int, end: int) -> bool:
    """Does the context say the capitalised run doc[start:end] is a person?"""
    if start > 0 and _title_token(doc[start - 1]):
        return True
    if end - start <= 3 and doc[start].lower_ in _FEMALE | _MALE and doc[start].lower_ not in _ORG_WORDS:
        return True                           # a known given name
    if start > 1 and doc[start - 1].text in ("Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr."):
        return True
    prev = doc[start - 1] if start > 0 else None
    if prev is not None and prev.pos_ == "NOUN" and prev.text.islower() and prev.dep_ == "compound" \
            and start <= prev.head.i < end:
        return True                           # 'chess champion Magnus Eriksen', 'vineyard owner ...' 
    if start > 1 and doc[start - 1].text == "," and _role_noun(doc[start - 2]) and doc[start - 2].tag_ == "NN" and \
            any(c.dep_ in ("det", "poss") for c in doc[start - 2].children):
        return True                           # 'The mayor, Eli Brandt,' / 'its president, Sharon Duvall' 
    last = doc[end - 1]
    if last.dep_ == "appos" and last.head.i < start and last.head.text.islower() and last.head.pos_ == "NOUN" and \
            any(c.dep_ in ("det", "poss") for c in last.head.children) and last.head.tag_ == "NN":
        return True                           # 'The runner-up, Declan Moriarty-Shaw,' 
    text = doc_text(doc)
    after = text[doc[end - 1].idx + len(doc[end - 1].text):][:80]
    if re.match(r",\s+(?:a|an|the|then|now|former)?\s*(?:[\w.-]+\s+){0,4}?(?:" +
                "|".join(sorted(w for w in ROLE_WORDS if w.isalpha())) + r")\b", after):
        return True
    head = doc[end - 1]
    while head.dep_ in ("compound", "flat") and head.head.i < end + 3 and head.head.i != head.i:
        head = head.head
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_.lower() in _SPEECHY:
        return True
    return False


def _rule_people(doc: Any) -> list[Mention]:
    """Person names the small NER misses or mistypes: a run of capitalised words after a title
    ('Researcher Amara Nwosu', 'Kazakh President Kassym-Jomart Tokayev'), before a role appositive, or
    as the subject of a speech verb ('Ana Silva said')."""
    out = []
    i = 0
    n = len(doc)
    while i < n:
        if not _name_token(doc[i]):
            i += 1
            continue
        j = i
        while j < n and (_name_token(doc[j]) or (doc[j].lower_ in _PARTICLES and j + 1 < n and _name_token(doc[j + 1])
                                                 and j > i) or (doc[j].text == "-" and j > i)):
            j += 1
        while j > i and not _name_token(doc[j - 1]):
            j -= 1
        titled = False
        while j - i > 2 and doc[i].whitespace_ and doc[i + 1].text != "-" and (
                occupation_word(doc[i].text) or job_prefix([t.text for t in doc[i:j]])):
            i += 1
            titled = True
        run = doc[i:j]
        words = [t.lower_ for t in run]
        if 2 <= len(run) <= 5 and not set(words) & _ORG_WORDS and not any(alias_canonical(t.text) for t in run) \
                and not any(t.ent_type_ in ("GPE", "LOC", "FAC") and t.ent_iob_ == "B" and len(run) == 2 and
                            t.i == i + 1 for t in run) and (titled or _person_evidence(doc, i, j)):
            out.append(Mention(run.start_char, run.end_char, run.text, "PERSON"))
        i = max(j, i + 1)
    return out


def _extend_person(doc: Any, m: Mention) -> Mention:
    """'Silva' -> 'Ana Silva' when the NER cut a name short."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return m
    i, j = span.start, span.end
    while i > 0 and _name_token(doc[i - 1]) and (not doc[i - 1].is_sent_start or doc[i - 1].pos_ == "PROPN") and (
            doc[i - 1].ent_type_ in ("", "PERSON") or (doc[i - 1].dep_ == "compound" and doc[i - 1].head.i >= i
                                                       and not alias_canonical(doc[i - 1].text))):
        i -= 1
    while j < len(doc) and _name_token(doc[j]) and doc[j].ent_type_ in ("", "PERSON") and j - i < 5:
        j += 1
    if (i, j) == (span.start, span.end):
        return m
    s, e = doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)
    s, e = _trim_span(doc_text(doc), s, e, "PERSON")
    return Mention(s, e, doc_text(doc)[s:e], "PERSON")


def _dedupe(ms: Iterable[Mention]) -> list[Mention]:
    """Sort; on overlap keep names over aliases/descriptions, then the longer span, then the first found."""
    prio = {"name": 0, "title": 0, "alias": 1, "noun": 2, "description": 3}
    ranked = sorted(enumerate(ms), key=lambda im: (prio[im[1].kind], -(im[1].end - im[1].start), im[0]))
    kept: list[Mention] = []
    for _, m in ranked:
        # a nationality word may sit inside a description or a name ('the former Chilean president')
        if not any(m.start < k.end and k.start < m.end and not _nests(m, k) for k in kept):
            kept.append(m)
    return sorted(kept)


def _nests(a: Mention, b: Mention) -> bool:
    """Mentions that may overlap: a nationality word anywhere, an organisation or place inside a
    role description ('the NATO chief')."""
    if "NORP" in (a.type, b.type):
        return True
    kinds = {a.kind: a, b.kind: b}
    desc = kinds.get("description")
    other = b if desc is a else a
    return desc is not None and other.type in ("ORG", "PLACE", "MEDIA") and \
        desc.start <= other.start and other.end <= desc.end


def find_entities(doc_or_text: Any) -> list[Mention]:
    """Mentions of people, organisations, places, nationalities, media and documents.

    Offsets are into the clean text (``doc.text``). Role descriptions and
    generic aliases are included as candidates (``kind`` "description" /
    "alias"); ``link_entities`` keeps those it can resolve.
    """
    doc = _as_doc(doc_or_text)
    text = doc_text(doc)
    quotes = quoted_intervals(text)
    ner = [_extend_person(doc, m) if m.type == "PERSON" else m for m in _ner_mentions(doc)]
    rules = _rule_people(doc)
    ner = [m for m in ner if not any(r.start < m.end and m.start < r.end and
                                     (m.type != "PERSON" or m.end - m.start <= r.end - r.start) for r in rules)]
    ner += rules
    regex = _regex_mentions(text)
    # a regex hit that exactly covers or extends an NER span wins over the NER type
    merged: list[Mention] = []
    for m in ner:
        r = next((x for x in regex if x.start <= m.start and m.end <= x.end), None)
        if r is None:
            merged.append(m)
    merged += regex
    generic = _generic_mentions(text)
    merged = [m for m in merged if not any(g.start <= m.start and m.end <= g.end and m.type in ("ORG", "PLACE")
                                           for g in generic)]
    merged += generic
    merged += _document_mentions(doc, quotes)
    merged += _description_mentions(doc, quotes)
    return _surnames_of_people(_repair_people(_dedupe(merged), text))


def _repair_people(ms: list[Mention], text: str) -> list[Mention]:
    """People that are not: a name ending in a land word is a place ('Niger Delta'), one ending in a
    company word an organisation ('Borealis Energy'); and a hyphenated given name the tokenizer
    split is whole again ('Kim Do-hyun')."""
    out = []
    for m in ms:
        if m.type == "PERSON" and m.kind == "name" and not alias_canonical(m.text):
            words = m.text.split()
            last = fold(words[-1]) if words else ""
            if len(words) >= 2 and last in _LAND_WORDS:
                m = Mention(m.start, m.end, m.text, "PLACE", m.kind)
            elif len(words) >= 2 and last in _COMPANY_WORDS:
                m = Mention(m.start, m.end, m.text, "ORG", m.kind)
            else:
                tail = re.match(r"-[a-z]{2,}\b", text[m.end:m.end + 12])
                if tail:
                    m = Mention(m.start, m.end + tail.end(), text[m.start:m.end + tail.end()], "PERSON", m.kind)
        out.append(m)
    return out


def _surnames_of_people(ms: list[Mention]) -> list[Mention]:
    """A lone word the NER typed as an organisation or place that is the surname of a person named
    before it ('Eli Brandt ... Brandt called') is that person."""
    surnames: dict[str, int] = {}
    out = []
    for m in sorted(ms, key=lambda m: m.start):
        words = m.text.split()
        if m.type == "PERSON" and m.kind == "name" and len(words) >= 2:
            surnames.setdefault(words[-1], m.start)
        elif m.type in ("ORG", "PLACE") and m.kind == "name" and len(words) == 1 and m.text in surnames \
                and not alias_canonical(m.text):
            m = Mention(m.start, m.end, m.text, "PERSON", m.kind)
        out.append(m)
    return out


# ------------------------------------------------------------------ linking within an article


def _tokens_of(doc: Any, m: Mention) -> Any:
    return doc.char_span(m.start, m.end, alignment_mode="expand")


def _title_before(doc: Any, m: Mention) -> str | None:
    """'NATO Secretary-General' in 'NATO Secretary-General Jens Stoltenberg'."""
    span = _tokens_of(doc, m)
    if span is None or span.start == 0:
        return None
    i = span.start - 1
    toks = []
    while i >= 0:
        t = doc[i]
        low = t.lower_
        ok = (t.pos_ == "PROPN" or (t.text[:1].isupper() and t.pos_ in ("ADJ", "NOUN", "PROPN", "X"))
              or low in ROLE_WORDS or low in ("former", "then", "deputy", "acting", "vice", "interim", "chief")
              or (t.pos_ in ("NOUN", "ADJ") and t.dep_ in ("compound", "amod", "nmod") and t.text.islower())
              or (low in ("of", "for", "-") and toks)
              or (t.tag_ == "POS" and i > 0 and doc[i - 1].pos_ == "PROPN"))
        if not ok or t.ent_type_ in ("DATE", "TIME", "CARDINAL") or t.is_sent_start and t.lower_ in ("the", "a"):
            break
        if t.ent_type_ == "PERSON":
            break
        toks.insert(0, t)
        if t.is_sent_start:
            break
        i -= 1
    while toks and (toks[0].lower_ in ("of", "for", "-", "and") or toks[0].tag_ == "POS"):
        toks.pop(0)
    if not toks:
        return None
    words = [t.lower_.rstrip(".") for t in toks]           # 'Gov.', 'Sen.' count as titles
    if not (set(words) & (ROLE_WORDS | TITLE_WORDS) or (toks[-1].pos_ == "NOUN" and toks[-1].text.islower())):
        return None
    return doc_text(doc)[toks[0].idx:m.start].strip()


def _titles_after(doc: Any, m: Mention) -> list[str]:
    """Appositives: 'William Burns, the former U.S. ambassador to Russia, now CIA director,'."""
    text = doc_text(doc)
    out = []
    pos = m.end
    for _ in range(2):
        rest = text[pos:pos + 2]
        if not rest.startswith(", "):
            break
        span = doc.char_span(pos + 2, min(len(text), pos + 160), alignment_mode="contract")
        if span is None or not len(span):
            break
        first = span[0]
        if first.pos_ in ("PRON", "VERB", "AUX", "SCONJ", "ADP", "CCONJ") or first.lower_ in ("who", "which", "that"):
            break
        toks = []
        for t in span:
            if t.text in (",", ";", ":", '"', "(", ")") or (t.text == "." and t.is_sent_end):
                break
            if t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBN", "VBG"):
                toks = []
                break
            toks.append(t)
        if not toks or not {t.lower_ for t in toks} & ROLE_WORDS or len(toks) > 14:
            break
        while toks and toks[0].lower_ in ("the", "a", "an"):
            toks.pop(0)
        if not toks:
            break
        out.append(text[toks[0].idx:toks[-1].idx + len(toks[-1].text)])
        pos = toks[-1].idx + len(toks[-1].text)
    return out
