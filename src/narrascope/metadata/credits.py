"""Who wrote it and where it came from: bylines, contributor lines, credit lines, datelines.

Pure functions over one line of clean text. Each returns ``None`` (or an empty
list) when the line does not say, never a guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..clean.patterns import BYLINE, LEADING_BY, UPDATED_LABEL, wire_name
from .dates import find_dates

PARTICLES = {"de", "da", "di", "del", "della", "der", "den", "van", "von", "bin", "ibn", "al", "el", "la", "le",
             "du", "dos", "das", "ten", "ter", "y", "st.", "mc", "mac", "ben", "abu"}
ROLE_WORDS = re.compile(
    r"\b(press|news|newsroom|times|post|journal|agency|media|network|bureau|desk|staff|writer|reporter|correspondent|"
    r"editor|contributor|columnist|chief|producer|team|service|wire|magazine|daily|herald|tribune|gazette|online|"
    r"analyst|fellow|professor|senior|special|political|national|international|foreign|affairs|report|com|"
    r"university|college|institute|school|centre|center|foundation|association|council|ministry|department|"
    r"group|company|society|organization|organisation|columnist|guest|desk|courts|enology)\b", re.I)
NAME_TOKEN = re.compile(r"^(?:[A-ZА-ЯЁ][\w'’.-]*|[A-ZА-ЯЁ]\.)$", re.UNICODE)
READ_TIME = re.compile(r"\b\d+\s*-?\s*(?:min(?:ute)?s?|mins?)\.?\s*(?:read|reading time)\b", re.I)


def clean_name(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip(" ,;:|-\u2022\u00b7")
    if s.isupper() and len(s) > 3:
        s = " ".join(w.capitalize() if not re.fullmatch(r"[A-Z]\.", w) else w for w in s.split())
    return s


def is_person_name(s: str) -> bool:
    """2–5 capitalised tokens (particles allowed), no digits, no role words."""
    if not s or any(c.isdigit() for c in s) or ROLE_WORDS.search(s) or wire_name(s):
        return False
    toks = s.split()
    if not 2 <= len(toks) <= 5:
        return False
    caps = 0
    for t in toks:
        if t.lower() in PARTICLES:
            continue
        if not NAME_TOKEN.match(t):
            return False
        caps += 1
    return caps >= 2


def split_names(s: str) -> list[str]:
    parts = re.split(r"\s*(?:,|;|&|\band\b|\bwith\b)\s*", s)
    return [p for p in (clean_name(x) for x in parts) if p]


@dataclass
class Byline:
    names: list[str] = field(default_factory=list)
    affiliation: str | None = None     # "Associated Press", "Reuters", "Staff Writer"...


def parse_byline(text: str) -> Byline | None:
    """``By A and B, Associated Press | date`` → names and affiliation; None when not a byline."""
    m = BYLINE.match(text)
    if m:
        rest = m.group("rest")
    elif LEADING_BY.match(text):
        rest = text[2:]
    else:
        return None
    first = rest.lstrip(" |:\u2022\u00b7-")[:1]
    if first.islower() or first.isdigit() and not find_dates(rest) or len(rest.split()) > 16:
        return None  # "By the way, ...", "By 2029, ...", a sentence
    for h in reversed(find_dates(rest)):
        rest = rest[:h.start] + " | " + rest[h.end:]
    rest = READ_TIME.sub(" | ", rest)
    rest = UPDATED_LABEL.sub("", rest)
    out = Byline()
    for seg in re.split(r"\s*[|\u2022\u00b7\u2014\u2013]\s*|\s+-\s+", rest):
        seg = seg.strip(" ,;:")
        if not seg:
            continue
        for part in re.split(r"\s*,\s*", seg):
            part, tail = _split_affiliation(part)
            if tail:
                out.affiliation = out.affiliation or tail
            w = wire_name(part)
            if w or (ROLE_WORDS.search(part) and not is_person_name(part)):
                out.affiliation = out.affiliation or (w or clean_name(part))
                continue
            for name in split_names(part):
                if is_person_name(name):
                    out.names.append(name)
                elif wire_name(name):
                    out.affiliation = out.affiliation or wire_name(name)
    return out


def _split_affiliation(part: str) -> tuple[str, str | None]:
    """"KARIM HADDAD Associated Press" -> ("KARIM HADDAD", "AP"): a wire named after the name, no comma."""
    toks = part.split()
    for k in range(1, min(4, len(toks))):
        tail = " ".join(toks[-k:])
        if wire_name(tail) and len(toks) - k >= 2:
            return " ".join(toks[:-k]), wire_name(tail)
    return part, None


CONTRIB = re.compile(r"^(?P<who>.+?)\s+(?:also\s+)?contributed\b", re.I)
REPORTING = re.compile(r"\(?(?:additional\s+)?reporting by\s+(?P<who>[^;()]+)", re.I)
ROLE_PREFIX = re.compile(r"^(?:(?:the\s+)?[\w&.' -]{0,40}?\b(?:writers?|reporters?|correspondents?|journalists?|photographers?|staff)\s+)", re.I)


def parse_contributors(text: str) -> list[str]:
    """Names in "X in Washington and Y contributed to this report" / "Reporting by X and Y; Editing by Z"."""
    m = CONTRIB.match(text) or REPORTING.search(text)
    if not m:
        return []
    who = ROLE_PREFIX.sub("", m.group("who").strip())
    names = []
    for part in split_names(who):
        part = re.sub(r"\s+(?:in|from|at)\s+[A-Z][\w .'-]*$", "", part)  # "Tara Copp in Washington"
        part = ROLE_PREFIX.sub("", part)
        if is_person_name(part):
            names.append(part)
    return names


ORIGIN_LINE = re.compile(
    r"(?:this (?:article|story|post|piece|essay)(?: was| is|,)? (?:originally|first) (?:published|appeared)|"
    r"originally (?:published|appeared)|(?:re)?published (?:here )?(?:with permission )?(?:from|by|courtesy of)|"
    r"republished from|first published|cross-?posted from)"
    r"\s*(?:in|on|at|by|from|courtesy of)?\s+(?P<name>.+)$", re.I)
SOURCE_LINE = re.compile(r"^(?:source|sources|via|courtesy(?: of)?|источник)\s*:\s*(?P<name>.+)$", re.I)


@dataclass
class Origin:
    publisher: str
    published: str | None = None
    start: int = 0                      # offsets of the name within the line
    end: int = 0


def _trim_outlet(name: str) -> str:
    name = re.split(r"\s+(?:and is|under a|with permission|on \d|on [A-Z][a-z]+ \d)|[(\[]|\.\s|,\s", name)[0]
    return name.strip(" .,;:\"'")


def parse_origin(text: str) -> Origin | None:
    """"Source: AntiWar.com." / "This article was originally published on X on March 3, 2021"."""
    m = SOURCE_LINE.match(text) or ORIGIN_LINE.search(text)
    if not m:
        return None
    raw = m.group("name")
    name = _trim_outlet(raw)
    if not name or len(name.split()) > 8 or find_dates(name) or name[:1].isdigit():
        return None  # "First published on Wed 28 Sep 2022": a date, not an outlet
    if name.lower().startswith(("the author", "author", "our ")):
        return None
    dates = [h for h in find_dates(raw) if h.value]
    s = m.start("name")
    return Origin(name, dates[0].value if dates else None, s, s + len(name))


DATELINE = re.compile(
    r"^(?P<place>[A-ZА-ЯЁ][A-ZА-ЯЁ.'\u2019 -]{2,40}(?:,\s*[A-ZА-ЯЁ][A-Za-zА-Яа-яЁё.'\u2019 -]{1,40})?)"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[а-яё]{3,8}))?\.?\s*"
    r"(?:\((?P<wire>[^)]{1,40})\)|/(?P<wire2>[^/\s][^/]{0,30})/\.?)?"
    r"\s*(?:[\u2014\u2013]|--?|:|(?<=/\.)|(?<=/))\s+"
    r"(?:(?P<wire3>РИА Новости|ТАСС|Интерфакс|ИТАР-ТАСС|Sputnik|Спутник)\.\s+)?")


@dataclass
class Dateline:
    place: str
    wire: str | None
    date: str | None
    end: int          # where the dateline ends in the line


def parse_dateline(text: str) -> Dateline | None:
    """"BUCHAREST, Romania (AP) — ..." / "LONDON, May 4 (Reuters) - ..." / "MOSCOW, March 3. /TASS/. ..."."""
    m = DATELINE.match(text)
    if not m:
        return None
    place = m.group("place").strip()
    head = place.split(",")[0]
    if not (head.replace(" ", "").replace(".", "").replace("'", "").replace("-", "").isupper() and len(head) >= 3):
        return None
    wire_raw = m.group("wire") or m.group("wire2") or m.group("wire3")
    wire = None
    if wire_raw:
        wire = wire_name(wire_raw) or (wire_raw.strip() if re.fullmatch(r"[A-Z][\w&.-]*(?: [A-Z][\w&.-]*){0,2}", wire_raw.strip()) else None)
        if wire is None:
            return None
    return Dateline(place, wire, m.group("date"), m.end())


COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-\u2013]\s*\d{4})?)?\s*,?\s*(?:by\s+)?(?P<name>[^.|©\n]+?(?:\.(?:com|org|net|ru|ua|co\.uk|info|news)\b)?)\s*(?:\.|\||,?\s*all rights reserved|$)", re.I)
LEGAL_SUFFIX = re.compile(r",?\s+(?:inc|llc|ltd|limited|plc|gmbh|s\.a|corp|corporation|co)\.?$", re.I)


def parse_copyright(text: str) -> str | None:
    """"© 2025 Newsmax. All rights reserved." → "Newsmax"."""
    m = COPYRIGHT.search(text)
    if not m:
        return None
    name = LEGAL_SUFFIX.sub("", m.group("name").strip(" ,.")).strip()
    name = re.sub(r"\s*(?:все права защищены|\d{1,2}\+)\s*$", "", name, flags=re.I).strip(" ,.\"")
    name = re.sub(r"^(?:ООО|ОАО|АО|ЗАО)\s+", "", name).strip(" \"")
    if not name or name.lower().startswith(("all rights", "the author", "the contents")) or len(name.split()) > 6:
        return None
    return name
