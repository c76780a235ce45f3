"""Names, language-neutral: the mention and entity records, the curated aliases, folding and
transliteration keys (Cyrillic included), name compatibility, gender and nationality guesses."""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

from rapidfuzz import fuzz

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


@lru_cache(maxsize=1)
def _name_detector() -> Any:
    import gender_guesser.detector as detector       # Jörg Michael's first-name dictionary, ~40,000 names
    return detector.Detector(case_sensitive=False)


def dictionary_gender(name: str) -> str | None:
    """'m'/'f' for a name whose given name the first-name dictionary knows as (mostly) male or
    female across countries: a weaker sign than a title or the article's own pronouns ("Nino" is
    a man's name in Italy and a woman's in Georgia), so callers ask it last."""
    for w in name.split()[:-1]:                  # the first word that is not a title ('Del.', 'Sen.', 'Dr')
        low = fold(w).rstrip(".")
        if "." in w or low in TITLE_WORDS or low in ROLE_WORDS:
            continue
        return _given_gender(low)
    return None


@lru_cache(maxsize=8192)
def _given_gender(given: str) -> str | None:
    if len(given) < 2 or not given.isalpha():
        return None
    told = _name_detector().get_gender(given)
    return {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f"}.get(told)


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
    if surname and len(surname) > 5 and _FEMALE_SURNAME.search(fold(name.split()[-1])) and \
            not (given and _given_gender(given[0]) == "m"):   # 'Hector Villanueva' is not a Slavic -eva
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

def _person_name_tokens(name: str) -> list[str]:
    g, s = _name_parts(name)
    return [*g, *s.split()]


def entity_id(type_: str, name: str) -> str:
    """Stable id: a hash of type + canonical name."""
    return "E" + hashlib.sha1(f"{type_}|{name}".encode()).hexdigest()[:12]



def _type_group(t: str) -> str:
    return "ORG" if t in ("ORG", "MEDIA") else t
