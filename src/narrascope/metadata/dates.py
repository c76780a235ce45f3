"""Publication dates as pages print them, with malformed ones recognised.

``find_dates(text)`` returns every date-shaped token in a short metadata line
(byline, date line, credit line) with its offsets, its ISO value as precise as
the text gives, and whether it is malformed (``2024-14-25``) or ambiguous
(``03/04/2022``). It is meant for page furniture, not for prose: relative
dates and dates inside sentences belong to the temporal stage.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    # Russian, by the first three letters of the genitive ("4 апреля 2024")
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7, "авг": 8, "сен": 9,
    "окт": 10, "ноя": 11, "дек": 12,
}
_MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
        r"nov(?:ember)?|dec(?:ember)?|"
        r"январ[яь]|феврал[яь]|марта?|апрел[яь]|ма[яй]|июн[яь]|июл[яь]|августа?|сентябр[яь]|октябр[яь]|ноябр[яь]|"
        r"декабр[яь]|янв|фев|мар|апр|июн|июл|авг|сент?|окт|ноя|дек)")
_WD = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_TIME = (r"(?:\s*(?:,|at|-|\||\u2022)?\s*(?P<hh>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<ss>\d{2}))?\s*"
         r"(?P<ampm>[ap]\.?m\.?)?(?:\s*(?P<tz>[A-Z]{2,5}\b(?:\s*[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}\b))?)?")

# Fixed-offset zone abbreviations; "ET"/"CT"/"PT"/"MT" follow daylight saving via zoneinfo.
TZ_FIXED = {"UTC": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
            "PST": -8, "PDT": -7, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
            "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "WET": 0, "WEST": 1, "HKT": 8, "SGT": 8}
TZ_NAMED = {"ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles"}

ISO_RE = re.compile(r"(?<![\d/.-])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T ](?P<hh>\d{1,2}):(?P<mi>\d{2})(?::(?P<ss>\d{2}))?(?:\.\d+)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?(?![\d-])")
NUM_RE = re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\d/.])" + _TIME)
DMY_RE = re.compile(r"(?i)\b" + _WD + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>" + _MON + r")\.?,?\s+(?P<y>\d{4})\b" + _TIME)
MDY_RE = re.compile(r"(?i)\b" + _WD + r"(?P<m>" + _MON + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?:\b|(?=\d{1,2}:\d{2}))" + _TIME)
MY_RE = re.compile(r"(?i)\b(?P<m>" + _MON + r")\.?,?\s+(?P<y>\d{4})\b")


@dataclass
class DateHit:
    start: int
    end: int
    text: str
    value: str | None = None        # ISO 8601, as precise as the text gives
    precision: str = "day"          # "minute" | "day" | "month"
    malformed: bool = False
    ambiguous: bool = False          # 03/04/2022: day and month could swap
    alternatives: tuple[str, ...] = ()

    @property
    def day(self) -> str | None:
        return self.value[:10] if self.value and self.precision in ("day", "minute") else None


def _tz(name: str | None, d: date, hh: int, mi: int) -> timezone | ZoneInfo | None:
    if not name:
        return None
    name = name.strip()
    m = re.fullmatch(r"(?:UTC|GMT)?\s*([+-])(\d{1,2}):?(\d{2})?", name)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        return timezone(sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0)))
    key = name.upper().split()[0]
    if key in TZ_FIXED:
        return timezone(timedelta(hours=TZ_FIXED[key]))
    if key in TZ_NAMED:
        return ZoneInfo(TZ_NAMED[key])
    return None


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _with_time(dt: date, g: dict) -> tuple[str, str]:
    """ISO string and precision for a date with an optional time of day."""
    if g.get("hh") is None:
        return dt.isoformat(), "day"
    hh, mi = int(g["hh"]), int(g["mi"])
    ampm = (g.get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hh < 12:
        hh += 12
    elif ampm == "am" and hh == 12:
        hh = 0
    if hh > 23 or mi > 59:
        return dt.isoformat(), "day"
    stamp = datetime(dt.year, dt.month, dt.day, hh, mi, int(g.get("ss") or 0))
    tz = _tz(g.get("tz"), dt, hh, mi)
    if tz is not None:
        stamp = stamp.replace(tzinfo=tz)
    return stamp.isoformat(), "minute"


def _overlaps(hits: list[DateHit], s: int, e: int) -> bool:
    return any(h.start < e and s < h.end for h in hits)


def find_dates(text: str) -> list[DateHit]:
    """Every date-shaped token in ``text``, left to right."""
    hits: list[DateHit] = []
    for m in ISO_RE.finditer(text):
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        dt = _valid(y, mo, d)
        h = DateHit(m.start(), m.end(), m.group(0))
        if dt is None or not 1800 <= y <= 2200:
            h.malformed = True
        else:
            h.value, h.precision = _with_time(dt, m.groupdict())
        hits.append(h)
    for rx, order in ((DMY_RE, "dmy"), (MDY_RE, "mdy")):
        for m in rx.finditer(text):
            if _overlaps(hits, m.start(), m.end()):
                continue
            y, mo, d = int(m["y"]), MONTHS[m["m"].lower().rstrip(".")[:3] if m["m"].lower()[:4] != "sept" else "sep"], int(m["d"])
            dt = _valid(y, mo, d)
            h = DateHit(m.start(), m.end(), m.group(0).strip())
            if dt is None:
                h.malformed = True
            else:
                h.value, h.precision = _with_time(dt, m.groupdict())
            hits.append(h)
    for m in NUM_RE.finditer(text):
        if _overlaps(hits, m.start(), m.end()):
            continue
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        dmy, mdy = _valid(y, b, a), _valid(y, a, b)
        if m["sep"] == "." and dmy is not None:
            mdy = None               # dots are day-first wherever they are used (24.02.2022, 03.04.2024)
        h = DateHit(m.start(), m.end(), m.group(0).strip())
        options = [x for x in (dmy, mdy) if x is not None]
        if not options:
            h.malformed = True
        elif len(options) == 1 or dmy == mdy:
            h.value, h.precision = _with_time(options[0], m.groupdict())
        else:
            h.ambiguous = True
            h.alternatives = tuple(_with_time(x, m.groupdict())[0] for x in options)
        hits.append(h)
    for m in MY_RE.finditer(text):
        if _overlaps(hits, m.start(), m.end()):
            continue
        mo = MONTHS[m["m"].lower().rstrip(".")[:3] if m["m"].lower()[:4] != "sept" else "sep"]
        hits.append(DateHit(m.start(), m.end(), m.group(0), f"{int(m['y']):04d}-{mo:02d}", "month"))
    hits.sort(key=lambda h: h.start)
    return hits


def parse_date(text: str) -> DateHit | None:
    """The first well-formed date in ``text`` (used for structured fields such as a JSONL ``date``)."""
    for h in find_dates(text):
        if h.value:
            return h
    m = re.fullmatch(r"\s*(\d{4})\s*", text or "")
    if m and 1800 <= int(m.group(1)) <= 2200:
        return DateHit(m.start(1), m.end(1), m.group(1), m.group(1), "year")
    return None


def same_day(a: str, b: str, slack_days: int = 1) -> bool:
    """True when two ISO values name days at most ``slack_days`` apart (or one contains the other)."""
    if a.startswith(b) or b.startswith(a):
        return True
    if len(a) < 10 or len(b) < 10:
        return False
    da, db = date.fromisoformat(a[:10]), date.fromisoformat(b[:10])
    return abs((da - db).days) <= slack_days


DATE_LABEL_RE = re.compile(
    r"^\s*(?:date|dated|published|posted|first published|publication date|updated|last updated|modified|"
    r"last modified|created|опубликовано|дата публикации|обновлено|изменено|размещено)\b\s*(?:on|at)?\s*:?\s*", re.I)
_LEFTOVER = re.compile(r"\b(?:" + "|".join(list(TZ_FIXED) + list(TZ_NAMED)) + r"|on|at|am|pm)\b|[^\w]+", re.I)


def date_remainder(text: str, hits: list[DateHit]) -> str:
    """What is left of a line once its dates, date labels and time zones are taken out."""
    for h in sorted(hits, key=lambda h: -h.start):
        text = text[:h.start] + " " + text[h.end:]
    text = DATE_LABEL_RE.sub(" ", text)
    return re.sub(r"\s+", " ", _LEFTOVER.sub(" ", text)).strip()
