"""Russian entities: natasha's NER spans in the nominative, merged within the article.

A mention keeps its surface form (``text``, "Захаровой") and its dictionary form
(``norm``, "Захарова"); merging and the corpus-wide canonical names work on the
dictionary forms, which ``extract.entities.fold`` transliterates, so "Путин" meets
"Putin" and "Киев" meets "Kiev"/"Kyiv" (the alias file adds the names that do not
transliterate: "Украина" -> Ukraine, "Рютте" -> Mark Rutte).

Rules on top of the model:

* a span is a name only if a token of it starts with a capital letter (or is an
  acronym), and it is not a pronoun or a month: no "Он", "очень", "что в прошлом";
* a shouted dateline ("МОСКВА, 3 апр") is put in title case;
* outlets (``MEDIA``) are the ORG spans the alias file lists as media;
* a surname alone joins the one full name in the article with the same surname;
* titles are the role words right before a person's name ("пресс-секретарь
  президента России Дмитрий Песков"), as printed;
* gender comes from the morphology of the name's tokens.
"""
from __future__ import annotations

import re
from typing import Any

from ...extract import names as E
from .nlp import parse

_TYPES = {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE"}
_NOT_NAMES = {"он", "она", "оно", "они", "его", "ее", "её", "их", "им", "ему", "ей", "это", "этот", "эта", "тот",
              "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
              "ноябрь", "декабрь", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота",
              "воскресенье", "очень", "что", "как", "также", "однако", "по", "в", "на", "и"}

ROLE_LEMMAS = {
    "президент", "премьер", "премьер-министр", "министр", "замминистра", "глава", "пресс-секретарь",
    "представитель", "генсек", "секретарь", "генеральный", "посол", "депутат", "сенатор", "канцлер",
    "председатель", "губернатор", "мэр", "спикер", "директор", "командующий", "советник", "помощник",
    "заместитель", "лидер", "эксперт", "политолог", "аналитик", "руководитель", "начальник", "лидер",
    "постпред", "вице-премьер", "вице-президент", "госсекретарь", "главком", "главнокомандующий", "судья",
    "прокурор", "адвокат", "журналист", "корреспондент", "профессор", "историк", "экономист", "официальный",
    "бывший", "экс-президент", "генерал", "полковник", "адмирал", "король", "королева", "папа", "патриарх",
    "митрополит", "шеф", "глава", "основатель", "гендиректор", "генпрокурор", "омбудсмен", "уполномоченный",
}

_ACRONYM = re.compile(r"^[А-ЯЁA-Z]{2,6}$")


def _is_name(surface: str, norm: str) -> bool:
    words = surface.split()
    if not words or not any(w[:1].isupper() for w in words):
        return False
    if norm.lower() in _NOT_NAMES or surface.lower() in _NOT_NAMES:
        return False
    return any(c.isalpha() for c in surface) and len(surface.strip(".,;:-–— ")) >= 2


def _title_case(s: str) -> str:
    """'МОСКВА' -> 'Москва' (a shouted dateline); acronyms of up to four letters stay ('НАТО', 'США')."""
    return " ".join(w.capitalize() if w.isupper() and len(w) > 4 else w for w in s.split())


def _type_of(type_: str, norm: str) -> str:
    hit = E.alias_canonical(norm)
    if hit and hit[1] == "MEDIA":
        return "MEDIA"
    if hit and type_ != "PERSON" and hit[1] in ("ORG", "PLACE", "NORP"):
        return hit[1]
    return type_


def _spans(doc: Any) -> list[tuple[int, int, str, str]]:
    """(start, end, type, normal) of the NER spans; an organisation followed by the place or body it
    belongs to in the genitive is one name ("МИД России", "ГУ МЧС по Приморскому краю" stays as tagged)."""
    raw = [(s.start, s.stop, s.type, s.normal or doc.text[s.start:s.stop]) for s in doc.spans]
    out: list[tuple[int, int, str, str]] = []
    for s, e, t, n in raw:
        if out and out[-1][2] == "ORG" and t in ("LOC", "ORG") and doc.text[out[-1][1]:s] == " ":
            gen = [x for x in doc.tokens if s <= x.start < e and (x.feats or {}).get("Case") == "Gen"]
            if gen:
                ps, _, pt, pn = out.pop()
                out.append((ps, e, pt, pn + " " + doc.text[s:e]))
                continue
        out.append((s, e, t, n))
    return out


def find_mentions(doc: Any) -> list[E.Mention]:
    out = []
    for start, stop, stype, normal in _spans(doc):
        type_ = _TYPES.get(stype)
        if type_ is None:
            continue
        s, e = start, stop
        surface = doc.text[s:e]
        norm = _title_case(normal or surface)
        if not _is_name(surface, norm):
            continue
        if type_ == "PERSON" and _ACRONYM.match(surface):
            type_ = "ORG"                     # "МИД", "ФСБ" tagged as a person
        out.append(E.Mention(s, e, surface, _type_of(type_, norm), "name", norm))
    return out


def _gender(doc: Any, m: E.Mention) -> str | None:
    for t in doc.tokens:
        if m.start <= t.start < m.end and t.pos == "PROPN":
            g = (t.feats or {}).get("Gender")
            if g == "Fem":
                return "f"
            if g == "Masc":
                return "m"
    return None


def _title_before(doc: Any, m: E.Mention) -> str | None:
    """The role words right before a name, as printed ("глава МИД России")."""
    toks = [t for t in doc.tokens if t.stop <= m.start]
    picked = []
    for t in reversed(toks):
        if m.start - t.stop > 2 and not picked:
            break
        if t.pos == "PUNCT" and t.text not in ("-",):
            break
        if t.text[:1].isupper() and t.pos != "PROPN" and (t.lemma or "").lower() not in ROLE_LEMMAS:
            break
        picked.append(t)
        if len(picked) >= 7:
            break
    start = None
    for t in reversed(picked):               # leftmost role word
        if (t.lemma or t.text).lower() in ROLE_LEMMAS:
            start = t.start
            break
    return doc.text[start:m.start].strip() if start is not None else None


def _surname(norm: str) -> str:
    return E.translit(E.name_key(norm.split()[-1])) if norm.split() else ""


def link(doc: Any, mentions: list[E.Mention]) -> list[E.LocalEntity]:
    groups: list[dict[str, Any]] = []
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    people_full = [m for m in mentions if m.type == "PERSON" and len(m.norm.split()) >= 2]
    for m in sorted(mentions, key=lambda x: (x.type != "PERSON" or len(x.norm.split()) < 2, x.start)):
        if m.type == "PERSON":
            if len(m.norm.split()) >= 2:
                key = ("PERSON", E.name_key(m.norm))
                if key not in by_key:
                    same = [g for g in groups if g["type"] == "PERSON" and E.names_compatible(g["name"], m.norm)]
                    if same:
                        by_key[key] = same[0]
            else:
                homes = {id(by_key[("PERSON", E.name_key(f.norm))]): by_key[("PERSON", E.name_key(f.norm))]
                         for f in people_full if _surname(f.norm) == _surname(m.norm)}
                if len(homes) == 1:
                    by_key[("PERSON", E.name_key(m.norm))] = next(iter(homes.values()))
                key = ("PERSON", E.name_key(m.norm))
        else:
            hit = E.alias_canonical(m.norm)
            key = (E._type_group(m.type), E.name_key(hit[0] if hit else m.norm))
        g = by_key.get(key)
        if g is None:
            g = {"name": m.norm, "type": m.type, "mentions": []}
            by_key[key] = g
            groups.append(g)
        g["mentions"].append(m)
    out = []
    for g in groups:
        ms = sorted(g["mentions"])
        names = [m.norm for m in ms]
        name = max(names, key=lambda n: (len(n.split()), names.count(n), -names.index(n)))
        if g["type"] in ("ORG", "MEDIA"):
            m = _KIND_AND_NAME.match(name)          # 'Госкорпорация "Роскосмос"' -> 'Роскосмос'
            if m:
                name = m.group(1)
        hit = E.alias_canonical(name) or next((E.alias_canonical(n) for n in names if E.alias_canonical(n)), None)
        canonical = hit[0] if hit and E._type_group(hit[1]) == E._type_group(g["type"]) else None
        titles = []
        gender = None
        if g["type"] == "PERSON":
            for m in ms:
                t = _title_before(doc, m)
                if t and t not in titles:
                    titles.append(t)
                gender = gender or _gender(doc, m)
        out.append(E.LocalEntity(name, g["type"], ms, titles, gender, canonical))
    out.sort(key=lambda e: e.first)
    return out


_KIND_AND_NAME = re.compile(r"(?i)^(?:гос)?(?:корпорация|компания|авиакомпания|концерн|холдинг|банк|группа|"
                            r"издание|агентство|партия|фонд|движение|организация|объединение|госкорпорация|"
                            r"телеканал|газета|журнал|радиостанция|фирма|предприятие|завод)\s+[\"«](.+?)[\"»]$")


def article_entities(text: str) -> list[E.LocalEntity]:
    from ...extract.quotemarks import straighten_marks

    doc = parse(straighten_marks(text))         # the parse the quote reader will ask for too
    return link(doc, find_mentions(doc))
