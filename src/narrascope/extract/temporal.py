"""Temporal expressions in news prose, resolved against the publication date.

``find_temporal(text, published, tz=None)`` returns one ``TimeExpr`` per
expression ("on Tuesday", "Feb. 1, 2008", "last year", "late 2021 and early
2022", "the following day"), with offsets into ``text`` and an ISO 8601 value
as precise as the text allows.

How the work is split
---------------------
*Spotting* is ours: a small grammar of news date phrases (``_PATTERNS``) with
guards for the things that look like dates but are not. We tried
``dateparser.search.search_dates`` as the spotter and it is not usable on
prose: it reads "$53 million" as 1953, the modal verb in "Russia may target
them" as May, "a march" as March, "in 2008 the" as a span, splits
"On Feb. 1, 2008" into "On Feb" (-> Feb 1 of the base year) and "1, 2008"
(-> Jan 1, 2008), reads "the 1990s" as 1990 *seconds* ago, and misses "in the
spring", "earlier this year" and "the following day".

*Parsing* of a spotted phrase is dateparser's (``DateDataParser.get_date_data``
with ``RELATIVE_BASE`` = publication date, ``PREFER_DATES_FROM="past"``,
``PREFER_DAY_OF_MONTH="first"``, ``RETURN_AS_TIMEZONE_AWARE=False``): month
names and abbreviations, day/month orders, ordinals, numeric dates, and the
arithmetic of "two years ago" / "last month" / "this week", whose ``period``
gives us the precision. Numeric dates keep dateparser's default order
(month first, unless the first number cannot be a month: 18/02/2025).

*Resolution rules* are ours where dateparser is wrong for news:

- Weekdays. dateparser always goes back and never to the same day: "Tuesday"
  in an article published on a Tuesday becomes the Tuesday a week earlier, and
  "will meet on Friday" becomes last Friday. News uses the weekday for the
  current week: a past-tense report means the last such day *on or before*
  publication (the same day allowed); a future-tense sentence ("will",
  "is due to", "expected to", "ahead of", "next Friday") means the next one
  *after* it. "last Tuesday" is strictly before, "this Friday" is in the
  publication's ISO week.
- Month (and month-day) without a year. dateparser picks the past, whatever
  the tense. We take the year that keeps the date on or before publication
  (a month counts if it has begun), unless the sentence is about the future,
  then the first on or after it. So published 2023-01-10, "in December" is
  2022-12; "will vote in March" published 2022-11-30 is 2023-03.
- Tense is read from the sentence: the nearest tense marker to the expression
  within the clause (a "that"/"whether" starts another one) (future:
  will/shall/would/may/might/'ll, be due/set/expected/scheduled to, plan to,
  ahead of, upcoming; past: said/was/were/had/did, -ed verbs except a
  participle after an auxiliary, "is due to be delivered") wins, a left
  marker on a tie; no marker means past (news reports what happened).
- Things dateparser does not do: seasons ("in the spring" -> the last spring
  begun by publication, a month range "2023-03/2023-05"; meteorological
  seasons, northern hemisphere), decades ("the 1990s" -> "1990s"; "the early
  1990s" -> "1990/1993"), "early/mid/late" parts (years: Jan-Mar, May-Aug,
  Oct-Dec; months: days 1-10, 11-20, 21-end), year ranges ("late 2021 and
  early 2022" is ONE expression "2021-10/2022-03", precision "range";
  "from 2014 to 2016", "2014-16"), "earlier/later this year", "a decade ago",
  and expressions anchored on the previous dated expression of the same
  paragraph ("the following day", "a day later", "the next day", "two weeks
  later", "the previous year"): resolved from that anchor, None without one.

Values: "2022-11-29" (day), "2022-W48" (week, ISO week date), "2022-03"
(month), "2023-03/2023-05" (season), "2008" (year), "1990s" (decade), and
"a/b" for ranges. ``relative`` is True when the value needed the publication
date or an anchor; with no publication date those values are None while
absolute dates ("Feb. 1, 2008", "in 2008") are still resolved. ``future`` is
True when the value lies after publication, or (undated) when the sentence is
future tense. ``published`` may carry a time and offset; with ``tz`` the
publication instant is first converted to that zone's local date.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Callable
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser

__all__ = ["TimeExpr", "find_temporal", "publication_date", "value_interval", "split_sentences",
           "sentence_bounds", "PRECISIONS"]

PRECISIONS = ("day", "week", "month", "season", "year", "range", "decade")


@dataclass
class TimeExpr:
    start: int
    end: int
    text: str
    value: str | None
    precision: str
    relative: bool
    future: bool


# ------------------------------------------------------------------ vocabulary
_MONTH_FULL = ("January|February|March|April|May|June|July|August|September|October|November|December")
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
_WEEKDAY = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
_YEAR_END = r"(?![\d%]|,\d|\.\d|[-\u2013/]\d)"
_NUM_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
              "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
              "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}
_NUM = r"(?:\d{1,3}|" + "|".join(_NUM_WORDS) + ")"
_PREP = r"(?i:in|since|by|until|till|from|through|throughout|during|of|before|after|around|on|back\s+in|as\s+of)"
_PART = r"(?i:early|mid|late)"
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
_PART_MONTHS = {"early": (1, 3), "mid": (5, 8), "late": (10, 12)}
_PART_DAYS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
_PART_DECADE = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}
_NOT_WEEKDAY_BEFORE = {"good", "black", "holy", "cyber", "ash", "super", "palm", "easter", "maundy",
                       "bloody", "giving", "manic", "blue"}
_COUNT_NOUNS = {"people", "troops", "soldiers", "members", "dollars", "euros", "tons", "tonnes",
                "residents", "votes", "cases", "deaths", "units", "jobs", "miles", "km", "kilometers",
                "metres", "meters", "feet", "pounds", "refugees", "workers", "homes", "vehicles",
                "tanks", "missiles", "shells", "rounds", "barrels", "children", "civilians"}
_YEAR_DETERMINERS = {"the", "its", "their", "his", "her", "our", "this", "that", "in", "a", "an"}
_SCHEDULED_FOR = (r"(?i)\b(?:scheduled|rescheduled|planned|set|slated|due|expected|pencil(?:l)?ed(?:\s+in)?|"
                  r"booked|postponed|delayed|moved|pushed\s+back|called|timed|earmarked|penciled)\s+for\s+$")
_QUANTIFIERS = {"about", "some", "nearly", "over", "than", "around", "approximately", "roughly",
                "almost", "least", "up", "total", "only", "just", "exactly", "the first"}


# ------------------------------------------------------------------ spotting
@dataclass
class _Cand:
    start: int
    end: int
    kind: str
    m: re.Match


def _p(kind: str, rx: str) -> tuple[str, re.Pattern]:
    return kind, re.compile(rx)


_PATTERNS: list[tuple[str, re.Pattern]] = [
    _p("iso", r"(?<![\d-])(?P<x>(?:1[89]|20)\d{2}-[01]\d-[0-3]\d)(?![\d-])"),
    _p("numeric", r"(?<![\d/.])(?P<x>\d{1,2}/\d{1,2}/(?:19|20)\d{2})(?![\d/])"),
    _p("mdy", rf"\b(?P<x>(?:(?:{_WEEKDAY}),?\s+)?(?P<mon>{_MONTH})\s+(?P<day>{_DAY})(?![\d:%])"
              rf"(?:,?\s+(?P<year>{_YEAR}){_YEAR_END})?)"),
    _p("dmy", rf"\b(?P<x>(?:(?:{_WEEKDAY}),?\s+)?(?:the\s+)?(?P<day>{_DAY})\s+(?:of\s+)?(?P<mon>{_MONTH})(?![a-z])"
              rf"(?:,?\s+(?P<year>{_YEAR}){_YEAR_END})?)"),
    _p("monthyear", rf"\b(?P<x>(?:(?P<part>{_PART})[-\s]+)?(?P<mon>{_MONTH}),?\s+(?:of\s+)?(?P<year>{_YEAR}){_YEAR_END})"),
    _p("month", rf"(?:\b(?P<prep>{_PREP})\s+)?(?P<x>(?:(?P<mod>(?i:last|next|this|early|mid|late))[-\s]+)?"
                rf"(?P<mon>{_MONTH_FULL}))\b(?!\s*\d)"),
    _p("yearrange", rf"(?P<x>(?:(?i:between|from)\s+)?(?:(?P<p1>{_PART})[-\s]+)?(?P<y1>{_YEAR})"
                    rf"(?:\s+(?i:and|to|through|until)\s+|\s*[-\u2013]\s*)(?:(?P<p2>{_PART})[-\s]+)?"
                    rf"(?P<y2>{_YEAR}|\d{{2}}){_YEAR_END})(?![\d])"),
    _p("yearpart", rf"\b(?P<x>(?P<part>{_PART})[-\s]+(?P<year>{_YEAR}){_YEAR_END})"),
    _p("year", rf"(?<![\d$\u20ac\u00a3#.,/\w-])(?P<x>(?P<year>{_YEAR}))(?:'s)?{_YEAR_END}\b"),
    _p("decade", rf"(?P<x>(?:\b(?i:the)\s+)?(?:(?P<part>{_PART})[-\s]+)?(?P<dec>1[0-9]{{2}}0|20[0-9]0|['\u2019]\d0)s)\b"),
    _p("season", rf"(?:\b(?P<prep>{_PREP})\s+)?(?P<x>(?:(?P<mod>(?i:last|next|this|early|late))\s+)?(?:(?i:the)\s+)?"
                 rf"(?:(?P<part>{_PART})[-\s]+)?(?P<season>(?i:spring|summer|autumn|fall|winter))"
                 rf"(?:\s+(?:of\s+)?(?P<year>{_YEAR}){_YEAR_END})?)\b"),
    _p("dayword", r"\b(?P<x>(?P<w>(?i:today|tonight|yesterday|tomorrow))(?:\s+(?i:morning|afternoon|evening|night))?"
                  r"|(?i:this\s+(?:morning|afternoon|evening)|last\s+night))\b"),
    _p("rel", r"\b(?P<x>(?:(?P<adv>(?i:earlier|later))\s+)?(?P<mod>(?i:this|last|next|coming))\s+(?P<unit>(?i:week|month|year))\b)"),
    _p("ago", rf"\b(?P<x>(?P<n>(?i:{_NUM}))\s+(?P<unit>(?i:day|week|month|year|decade))s?\s+(?i:ago))\b"),
    _p("anchor", r"\b(?P<x>(?:(?i:the)\s+)?(?P<dir>(?i:following|next|previous|preceding))\s+"
                 r"(?P<unit>(?i:day|morning|afternoon|evening|night|week|month|year)))\b"),
    _p("anchor_n", rf"\b(?P<x>(?P<n>(?i:{_NUM}))\s+(?P<unit>(?i:day|week|month|year))s?\s+(?P<dir>(?i:later|earlier)))\b"),
    _p("anchor_the", r"\b(?P<x>(?i:the)\s+(?P<unit>(?i:day))\s+(?P<dir>(?i:before|after)))(?=\s*[,.;:)]|\s*$)"),
    _p("weekday", rf"\b(?P<x>(?:(?P<mod>(?i:last|next|this|coming))\s+)?(?P<wd>{_WEEKDAY})"
                  rf"(?:\s+(?i:morning|afternoon|evening|night))?)(?!s\b)\b"),
]


def _word_before(text: str, i: int) -> str:
    m = re.search(r"([A-Za-z']+)\W*$", text[max(0, i - 40):i])
    return m.group(1) if m else ""


def _word_after(text: str, i: int) -> str:
    m = re.match(r"\s*([A-Za-z']+)", text[i:i + 40])
    return m.group(1) if m else ""


def _at_sentence_start(text: str, i: int) -> bool:
    return re.search(r"(^|[.!?:\"\u201c\n]\s*)$", text[max(0, i - 5):i]) is not None


def _keep(kind: str, m: re.Match, text: str) -> bool:
    """Guards against things that look like dates but are not."""
    s, e = m.span("x")
    g = m.groupdict()
    if kind == "iso":
        try:
            date.fromisoformat(m.group("x"))
        except ValueError:
            return False
    if kind == "month":
        # a bare month name needs a temporal preposition or a modifier: "in March", "late May",
        # never "a march" or the modal "may" (months are capitalised; the pattern requires it)
        if g.get("prep") or g.get("mod"):
            return True
        # "scheduled for April", "set for June": "for" only after a scheduling word
        return re.search(_SCHEDULED_FOR, text[max(0, s - 40):s]) is not None
    if kind == "season":
        if not (g.get("prep") or g.get("mod") or g.get("year")):
            return False
        if g["season"].lower() == "fall" and not (g.get("year") or g.get("prep") or g.get("mod")):
            return False
        if g["season"].lower() == "fall" and re.match(r"\s+of\b", text[e:]) and not g.get("year"):
            return False  # "the fall of Kabul"
        if g["season"][0].isupper() and not _at_sentence_start(text, m.start("season")) \
                and not g.get("year") and re.match(r"\s+[A-Z]", text[e:]):
            return False  # "Prague Spring Festival"-like names
    if kind == "year":
        y = int(g["year"])
        prev = _word_before(text, s).lower()
        temporal_prep = prev in {"in", "since", "by", "until", "till", "from", "of", "during", "before",
                                 "after", "circa", "c", "year", "early", "late", "mid"}
        if y < 1900 and not temporal_prep:
            return False
        if prev in _QUANTIFIERS:
            return False
        if re.search(r"(?i)(?:\u00a9|\(c\)|copyright)\s*$", text[max(0, s - 12):s]):
            return False  # "(c) 2025 Newsmax": a copyright notice, not a happening
        nxt = _word_after(text, e)
        if nxt in _COUNT_NOUNS and not temporal_prep:
            return False
        if re.fullmatch(r"[a-z]{3,}s", nxt) and not temporal_prep and text[e:e + 1] == " " \
                and prev.lower() not in _YEAR_DETERMINERS:
            return False  # "2000 tents": a quantity ("the 2008 elections" keeps its year)
    if kind == "yearrange":
        joined_by_and = re.search(r"\sand\s", m.group("x")) is not None
        if joined_by_and and not (m.group("x").lower().startswith("between") or g.get("p1") or g.get("p2")):
            return False  # "in 2008 and 2014" is two years, not a range
    if kind == "anchor":
        if g["dir"].lower() == "next" and not m.group("x").lower().startswith("the") \
                and g["unit"].lower() in ("week", "month", "year"):
            return False  # "next week" is relative to publication, not to an anchor
    if kind == "dayword":
        w = text[s:e]
        if w[:1] == "T" and w.split()[0] == "Today" and not _at_sentence_start(text, s):
            return False  # "USA Today", "Russia Today"
    if kind == "weekday":
        if _word_before(text, s).lower() in _NOT_WEEKDAY_BEFORE:
            return False
        if not g.get("mod") and re.search(r"\b[Tt]he\s+$", text[max(0, s - 5):s]) \
                and re.match(r"\s+[A-Z]", text[e:]):
            return False  # "The Sunday Times": a name
    if kind in ("mdy", "dmy"):
        day = int(re.match(r"\d+", g["day"]).group())
        if day > 31:
            return False
        if kind == "mdy" and _word_after(text, e) in _COUNT_NOUNS:
            return False
    return True


def _spot(text: str) -> list[_Cand]:
    cands: list[_Cand] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            if _keep(kind, m, text):
                cands.append(_Cand(m.start("x"), m.end("x"), kind, m))
    # longest first, then leftmost; keep non-overlapping
    cands.sort(key=lambda c: (-(c.end - c.start), c.start))
    kept: list[_Cand] = []
    for c in cands:
        if all(c.end <= k.start or c.start >= k.end for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


# ------------------------------------------------------------------ sentences
_ABBREV = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
           "mr", "mrs", "ms", "dr", "st", "sr", "jr", "gen", "sen", "rep", "gov", "lt", "col", "capt",
           "sgt", "prof", "rev", "hon", "pres", "inc", "corp", "co", "ltd", "no", "vs", "etc", "mt",
           "ft", "ave", "cmdr", "adm", "maj", "fig", "approx", "dept", "est", "u.s", "u.k", "u.n",
           "e.g", "i.e", "a.m", "p.m", "d.c", "st", "op", "al"}
_BOUNDARY = re.compile(r"([.!?]|\.\.\.|\u2026)([\"'\u201d\u2019)\]]*)(\s+)(?=[\"'\u201c\u2018(\[*_]*[A-Z0-9])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``; newlines are hard boundaries.

    No break after abbreviations (Feb., U.S., Mr., Dr., St.), single initials
    ("George W. Bush"), or an ellipsis inside an open quotation.
    """
    spans: list[tuple[int, int]] = []
    for pm in re.finditer(r"[^\n]+", text):
        base, line = pm.start(), pm.group()
        start = 0
        for bm in _BOUNDARY.finditer(line):
            end = bm.end(2)
            if _no_break(line, start, bm):
                continue
            _add_span(spans, line, base, start, end)
            start = bm.end()
        _add_span(spans, line, base, start, len(line))
    return spans


def _add_span(spans: list[tuple[int, int]], line: str, base: int, s: int, e: int) -> None:
    seg = line[s:e]
    if seg.strip():
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        spans.append((base + s + lead, base + e - trail))


def _no_break(line: str, start: int, bm: re.Match) -> bool:
    punct = bm.group(1)
    before = line[start:bm.start(1)]
    if punct in ("...", "\u2026"):
        # an ellipsis inside an open quotation does not end the sentence
        opens = before.count("\u201c") + (before.count('"') % 2)
        closes = before.count("\u201d")
        return opens > closes and not bm.group(2)
    if punct != ".":
        return False
    w = re.search(r"([A-Za-z][A-Za-z.]*)$", before)
    if not w:
        return False
    tok = w.group(1).lower().rstrip(".")
    if tok in _ABBREV:
        return not bm.group(2)
    if len(tok) == 1 and w.group(1)[0].isupper():  # an initial: "George W. Bush"
        return True
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", tok):  # U.S, a.m
        nxt = line[bm.end():bm.end() + 20]
        return not re.match(r"(?:The|He|She|It|They|We|In|But|A)\b", nxt)
    return False


def sentence_bounds(text: str, i: int) -> tuple[int, int]:
    """The sentence span containing offset ``i``."""
    for s, e in split_sentences(text[_line_start(text, i):_line_end(text, i)]):
        ls = _line_start(text, i)
        if ls + s <= i <= ls + e:
            return ls + s, ls + e
    return _line_start(text, i), _line_end(text, i)


def _line_start(text: str, i: int) -> int:
    return text.rfind("\n", 0, i) + 1


def _line_end(text: str, i: int) -> int:
    j = text.find("\n", i)
    return len(text) if j < 0 else j


# ------------------------------------------------------------------ tense
_FUTURE_RX = re.compile(
    r"(?i)\b(?:will|shall|won't|wo\s+n't|would(?!\s+have)|may(?!\s+have)|might(?!\s+have)|'ll|upcoming|tomorrow|next|ahead\s+of|"
    r"(?:is|are|was|were|be|been|'s|'re)\s+(?:due|set|expected|scheduled|slated|poised|going|planning|"
    r"likely|also\s+due|to)\b|plans?\s+to|planned\s+to|intends?\s+to|aims?\s+to|later\s+this)\b|'ll\b")
_PAST_RX = re.compile(
    r"\b(?:said|says|told|was|were|had|did|ago|earlier|last|took|met|came|went|began|gave|made|"
    r"wrote|spoke|held|sent|saw|left|won|lost|became|brought|kept|rose|fell|struck|hit|led|"
    r"[a-z]{3,}ed)\b")


_COMPLEMENTIZER = re.compile(r"\b(?:that|whether)\b")
_AUX_BEFORE = re.compile(r"(?i)\b(?:be|been|being|is|are|was|were|am|has|have|had|get|got)\s+(?:[a-z]+ly\s+)?$")


def future_tense(text: str, start: int, end: int) -> bool:
    """Is the sentence around ``text[start:end]`` about the future?

    The nearest tense marker wins (a left one on a tie); none means past.
    """
    s, e = sentence_bounds(text, start)
    best: tuple[int, int, bool] | None = None  # (distance, side, future)
    fut_spans = [(m.start(), m.end()) for m in _FUTURE_RX.finditer(text, s, e)
                 if not (start <= m.start() < end)]
    marks = [(a, b, True) for a, b in fut_spans]
    for m in _PAST_RX.finditer(text, s, e):
        if start <= m.start() < end or any(a <= m.start() < b for a, b in fut_spans):
            continue
        if _AUX_BEFORE.search(text, max(s, m.start() - 30), m.start()):
            continue  # "be delivered", "was signed": the auxiliary carries the tense
        marks.append((m.start(), m.end(), False))
    # a complementizer starts another clause: in "said on March 3 that he would
    # step down" the date belongs to "said", not to "would"
    lo = max([m.end() for m in _COMPLEMENTIZER.finditer(text, s, start)] or [s])
    hi = min([m.start() for m in _COMPLEMENTIZER.finditer(text, end, e)] or [e])
    for a, b, fut in marks:
        if a < lo or b > hi:
            continue
        if b <= start:
            dist, side = len(text[b:start].split()), 0
        elif a >= end:
            dist, side = len(text[end:a].split()), 1
        else:
            continue
        key = (dist, side, fut)
        if best is None or key[:2] < best[:2]:
            best = key
    return bool(best and best[2])


# ------------------------------------------------------------------ publication date
def publication_date(published: str | None, tz: str | None = None) -> date | None:
    """The local calendar date of publication (converted to ``tz`` when given)."""
    if not published:
        return None
    try:
        dt = datetime.fromisoformat(published.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            return date.fromisoformat(published.strip()[:10])
        except ValueError:
            return None
    if tz and dt.tzinfo is not None:
        dt = dt.astimezone(ZoneInfo(tz))
    return dt.date()


# ------------------------------------------------------------------ dateparser
@lru_cache(maxsize=256)
def _parser(base: date | None) -> DateDataParser:
    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False,
                "PREFER_DAY_OF_MONTH": "first"}
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    return DateDataParser(languages=["en"], settings=settings)


def _dp(phrase: str, base: date | None = None):
    """dateparser's reading of a phrase: (datetime, period, parts) or None."""
    data = _parser(base).get_date_data(phrase)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj, data.period, tuple(data.parts or ())


# ------------------------------------------------------------------ values
def _day(d: date) -> str:
    return d.isoformat()


def _month(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


@lru_cache(maxsize=4096)
def value_interval(value: str | None) -> tuple[date, date] | None:
    """The first and last calendar day a value covers ("2008" -> 2008-01-01..2008-12-31)."""
    if not value:
        return None
    if "/" in value:
        a, b = value.split("/", 1)
        ia, ib = value_interval(a), value_interval(b)
        return (ia[0], ib[1]) if ia and ib else None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            d = date.fromisoformat(value)
            return d, d
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
            d = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return d, d + timedelta(days=6)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            y, mo = int(m[1]), int(m[2])
            return date(y, mo, 1), date(y, mo, _last_day(y, mo))
        if m := re.fullmatch(r"(\d{4})", value):
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
        if m := re.fullmatch(r"(\d{3})0s", value):
            return date(int(m[1]) * 10, 1, 1), date(int(m[1]) * 10 + 9, 12, 31)
    except ValueError:
        return None
    return None


# ------------------------------------------------------------------ resolution
@dataclass
class _Ctx:
    text: str
    pub: date | None
    anchor: "TimeExpr | None"


_Res = tuple[str | None, str, bool, bool | None]  # value, precision, relative, future-cue


def _month_num(name: str) -> int:
    key = name.rstrip(".").lower()[:3]
    return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].index(key) + 1


def _year_for(pub: date, month: int, day: int | None, future: bool) -> int:
    """The year that keeps (month, day) on or before publication, or after it when future."""
    def first(y: int) -> date:
        return date(y, month, min(day or 1, _last_day(y, month)))

    def last(y: int) -> date:
        return date(y, month, min(day or 31, _last_day(y, month)))
    y = pub.year
    if future:
        return y if last(y) >= pub else y + 1
    return y if first(y) <= pub else y - 1


def _r_date(c: _Cand, x: _Ctx) -> _Res | None:
    g = c.m.groupdict()
    phrase = c.m.group("x")
    phrase = re.sub(rf"^(?:{_WEEKDAY}),?\s+", "", phrase)  # the date decides, not the weekday
    phrase = re.sub(r"^the\s+", "", phrase)
    got = _dp(phrase)
    if got is None:
        return None
    dt, _, parts = got
    if g.get("year") or "year" in parts:
        return _day(dt.date()), "day", False, None
    if x.pub is None:
        return None, "day", True, None
    fut = future_tense(x.text, c.start, c.end)
    y = _year_for(x.pub, dt.month, dt.day, fut)
    try:
        d = date(y, dt.month, dt.day)
    except ValueError:  # Feb 29 outside a leap year
        return None, "day", True, fut
    return _day(d), "day", True, fut


def _r_iso(c: _Cand, x: _Ctx) -> _Res | None:
    got = _dp(c.m.group("x"))
    return (_day(got[0].date()), "day", False, None) if got else None


def _part_range(y: int, part: str | None, months: tuple[int, int] | None = None) -> str:
    a, b = months or _PART_MONTHS[part.lower()]
    return f"{_month(y, a)}/{_month(y, b)}"


def _r_monthyear(c: _Cand, x: _Ctx) -> _Res | None:
    got = _dp(f"{c.m.group('mon')} {c.m.group('year')}")
    if got is None:
        return None
    y, mo = got[0].year, got[0].month
    part = c.m.group("part")
    if part:
        a, b = _PART_DAYS[part.lower()]
        b = min(b, _last_day(y, mo))
        return f"{_day(date(y, mo, a))}/{_day(date(y, mo, b))}", "range", False, None
    return _month(y, mo), "month", False, None


def _r_month(c: _Cand, x: _Ctx) -> _Res | None:
    mod = (c.m.group("mod") or "").lower()
    part = mod if mod in _PART_DAYS else None
    prec = "range" if part else "month"
    if x.pub is None:
        return None, prec, True, True if mod == "next" else None
    mo = _month_num(c.m.group("mon"))
    if mod == "next":
        y, fut = (x.pub.year if mo > x.pub.month else x.pub.year + 1), True
    elif mod == "last":
        y, fut = (x.pub.year if mo < x.pub.month else x.pub.year - 1), False
    elif mod == "this":
        y, fut = x.pub.year, None
    else:
        fut = future_tense(x.text, c.start, c.end)
        y = _year_for(x.pub, mo, None, fut)
    if part:
        a, b = _PART_DAYS[part]
        return f"{_day(date(y, mo, a))}/{_day(date(y, mo, min(b, _last_day(y, mo))))}", "range", True, fut
    return _month(y, mo), "month", True, fut


def _r_year(c: _Cand, x: _Ctx) -> _Res | None:
    return c.m.group("year"), "year", False, None


def _r_yearpart(c: _Cand, x: _Ctx) -> _Res | None:
    return _part_range(int(c.m.group("year")), c.m.group("part")), "range", False, None


def _r_yearrange(c: _Cand, x: _Ctx) -> _Res | None:
    y1, y2s = int(c.m.group("y1")), c.m.group("y2")
    y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
    if y2 <= y1 or y2 - y1 > 100:
        return None
    p1, p2 = c.m.group("p1"), c.m.group("p2")
    a = _month(y1, _PART_MONTHS[p1.lower()][0]) if p1 else str(y1)
    b = _month(y2, _PART_MONTHS[p2.lower()][1]) if p2 else str(y2)
    if p1 and not p2:
        b = _month(y2, 12)
    if p2 and not p1:
        a = _month(y1, 1)
    return f"{a}/{b}", "range", False, None


def _r_decade(c: _Cand, x: _Ctx) -> _Res | None:
    dec = c.m.group("dec")
    relative = False
    if dec[0] in "'\u2019":
        d2 = int(dec[1:])
        century = 1900
        if x.pub is not None and 2000 + d2 <= x.pub.year:
            century = 2000
        start = century + d2
        relative = True
    else:
        start = int(dec)
    part = c.m.group("part")
    if part:
        a, b = _PART_DECADE[part.lower()]
        return f"{start + a}/{start + b}", "range", relative, None
    return f"{start}s", "decade", relative, None


def _season_value(y: int, season: str) -> str:
    a, b = _SEASONS[season]
    return f"{_month(y, a)}/{_month(y + 1 if b < a else y, b)}"


def _r_season(c: _Cand, x: _Ctx) -> _Res | None:
    season = c.m.group("season").lower()
    if c.m.group("year"):
        return _season_value(int(c.m.group("year")), season), "season", False, None
    mod = (c.m.group("mod") or "").lower()
    if x.pub is None:
        return None, "season", True, True if mod == "next" else None
    a, b = _SEASONS[season]

    def span(y: int) -> tuple[date, date]:
        y2 = y + 1 if b < a else y
        return date(y, a, 1), date(y2, b, _last_day(y2, b))
    fut = True if mod == "next" else False if mod == "last" else future_tense(x.text, c.start, c.end)
    # candidate seasons around publication, most recent first
    years = [x.pub.year + 1, x.pub.year, x.pub.year - 1, x.pub.year - 2]
    if mod == "this":  # the season around publication, else the upcoming one (future) or the nearest
        def distance(y: int) -> int:
            a_, b_ = span(y)
            return 0 if a_ <= x.pub <= b_ else min(abs((a_ - x.pub).days), abs((x.pub - b_).days))
        pool = [y for y in years if span(y)[1] >= x.pub] if fut else years
        y = min(pool, key=lambda y: (distance(y), -y))
    elif fut:
        pool = [y for y in years if (span(y)[0] > x.pub if mod == "next" else span(y)[1] >= x.pub)]
        y = min(pool, key=lambda y: span(y)[0])
    else:
        pool = [y for y in years if (span(y)[1] < x.pub if mod == "last" else span(y)[0] <= x.pub)]
        y = max(pool, key=lambda y: span(y)[0])
    return _season_value(y, season), "season", True, fut


def _r_dayword(c: _Cand, x: _Ctx) -> _Res | None:
    w = (c.m.group("w") or c.m.group("x")).lower()
    offset = {"yesterday": -1, "tomorrow": 1}.get(w, 0)
    if w.startswith("last night"):
        offset = -1
    fut = offset > 0 or None
    if x.pub is None:
        return None, "day", True, fut
    return _day(x.pub + timedelta(days=offset)), "day", True, fut


def _r_rel(c: _Cand, x: _Ctx) -> _Res | None:
    mod, unit = c.m.group("mod").lower(), c.m.group("unit").lower()
    adv = (c.m.group("adv") or "").lower()
    fut = True if mod in ("next", "coming") or adv == "later" else (False if mod == "last" or adv == "earlier" else None)
    if x.pub is None:
        return None, unit, True, fut
    step = {"last": -1, "next": 1, "coming": 1}.get(mod, 0)
    phrase = f"{'this' if step == 0 else 'last' if step < 0 else 'next'} {unit}"
    got = _dp(phrase, x.pub)  # dateparser does the calendar arithmetic
    if got is None:
        return None
    d = got[0].date()
    if unit == "week":
        return _week(d), "week", True, fut
    if unit == "month":
        return _month(d.year, d.month), "month", True, fut
    return f"{d.year:04d}", "year", True, fut


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUM_WORDS[word.lower()]


def _r_ago(c: _Cand, x: _Ctx) -> _Res | None:
    n, unit = _count(c.m.group("n")), c.m.group("unit").lower()
    prec = "year" if unit == "decade" else unit
    if x.pub is None:
        return None, prec, True, False
    if unit == "decade":
        return f"{x.pub.year - 10 * n:04d}", "year", True, False
    got = _dp(f"{n} {unit}s ago", x.pub)
    if got is None:
        return None
    d = got[0].date()
    value = {"day": _day(d), "week": _week(d), "month": _month(d.year, d.month)}.get(unit, f"{d.year:04d}")
    return value, prec, True, False


def _shift(a: "TimeExpr", unit: str, n: int) -> tuple[str, str] | None:
    """Move an anchor by n units; None when the anchor is too coarse for the unit."""
    iv = value_interval(a.value)
    if iv is None or a.precision in ("range", "season", "decade"):
        return None
    d = iv[0]
    if unit == "day":
        return (_day(d + timedelta(days=n)), "day") if a.precision == "day" else None
    if unit == "week":
        if a.precision in ("day", "week"):
            return (_week(d + timedelta(days=7 * n)), "week")
        return None
    if unit == "month":
        if a.precision in ("day", "week", "month"):
            k = d.year * 12 + d.month - 1 + n
            return _month(k // 12, k % 12 + 1), "month"
        return None
    return f"{d.year + n:04d}", "year"


def _r_anchor(c: _Cand, x: _Ctx) -> _Res | None:
    g = c.m.groupdict()
    unit = g["unit"].lower()
    if unit in ("morning", "afternoon", "evening", "night"):
        unit = "day"
    direction = g["dir"].lower()
    sign = -1 if direction in ("previous", "preceding", "earlier", "before") else 1
    n = _count(g["n"]) if g.get("n") else 1
    prec = unit
    if x.anchor is None or x.anchor.value is None:
        return None, prec, True, None
    if c.kind == "anchor_n" and unit == "week" and x.anchor.precision == "day":
        return _day(value_interval(x.anchor.value)[0] + timedelta(days=7 * n * sign)), "day", True, None
    got = _shift(x.anchor, unit, n * sign)
    if got is None:
        return None, prec, True, None
    return got[0], got[1], True, None


_WD_NUM = {w: i for i, w in enumerate(_WEEKDAY.split("|"))}


def _r_weekday(c: _Cand, x: _Ctx) -> _Res | None:
    wd = _WD_NUM[c.m.group("wd")]
    mod = (c.m.group("mod") or "").lower()
    if mod in ("next", "coming"):
        fut = True
    elif mod == "last":
        fut = False
    else:
        fut = future_tense(x.text, c.start, c.end)
    if x.pub is None:
        return None, "day", True, fut
    back = (x.pub.weekday() - wd) % 7
    if mod == "this":
        d = x.pub - timedelta(days=x.pub.weekday()) + timedelta(days=wd)
    elif mod == "last":
        d = x.pub - timedelta(days=back or 7)
    elif fut:
        d = x.pub + timedelta(days=(wd - x.pub.weekday()) % 7 or 7)
    else:
        d = x.pub - timedelta(days=back)
    return _day(d), "day", True, fut


_RESOLVERS: dict[str, Callable[[_Cand, _Ctx], _Res | None]] = {
    "iso": _r_iso, "numeric": _r_iso, "mdy": _r_date, "dmy": _r_date, "monthyear": _r_monthyear,
    "month": _r_month, "year": _r_year, "yearpart": _r_yearpart, "yearrange": _r_yearrange,
    "decade": _r_decade, "season": _r_season, "dayword": _r_dayword, "rel": _r_rel, "ago": _r_ago,
    "anchor": _r_anchor, "anchor_n": _r_anchor, "anchor_the": _r_anchor, "weekday": _r_weekday,
}


def _is_future(value: str | None, pub: date | None, cue: bool | None) -> bool:
    iv = value_interval(value)
    if iv is not None and pub is not None:
        return iv[0] > pub or bool(cue and iv[1] >= pub)
    return bool(cue)


# ------------------------------------------------------------------ entry point
def find_temporal(text: str, published: str | None, tz: str | None = None) -> list[TimeExpr]:
    """Every temporal expression in ``text``, resolved against ``published`` (see module doc)."""
    pub = publication_date(published, tz)
    out: list[TimeExpr] = []
    for c in _spot(text):
        prev = out[-1] if out and "\n" not in text[out[-1].end:c.start] else None
        res = _RESOLVERS[c.kind](c, _Ctx(text, pub, prev))
        if res is None:
            continue
        value, precision, relative, cue = res
        out.append(TimeExpr(c.start, c.end, text[c.start:c.end], value, precision, relative,
                            _is_future(value, pub, cue)))
    return out
