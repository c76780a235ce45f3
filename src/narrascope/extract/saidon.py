"""The day an English quote was said: dates in the attribution frame, else the most recent earlier
dated speech act of the same speaker (``default_resolve_dates`` finds the dates)."""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from .quotemarks import QuoteSpan
from .quotecontext import _Attr, _COMM, _Ctx, _STATEMENT_NOUNS
from .speakers import _speaker_of, _subject


# ------------------------------------------------------------------ dates


def default_resolve_dates(text: str, published: str | None) -> list[tuple[int, int, str | None, str]]:
    """``find_temporal`` from ``narrascope.extract.temporal``, else ``builtin_dates``."""
    try:
        from .temporal import find_temporal
    except Exception:                      # the temporal module is optional here
        return builtin_dates(text, published)
    return [(t.start, t.end, t.value, t.precision) for t in find_temporal(text, published)]


_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]
_MON = r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|" \
       r"Sep(?:t(?:ember)?|\.)?\.?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _month_no(s: str) -> int:
    s = s.lower()[:3]
    return [m[:3] for m in _MONTHS].index(s) + 1


def builtin_dates(text: str, published: str | None) -> list[tuple[int, int, str | None, str]]:
    """A small resolver: 'Feb. 1, 2008', '18 February 2025', 'in March', 'in 2008', 'on Tuesday'."""
    pub = None
    if published:
        try:
            pub = date.fromisoformat(published[:10])
        except ValueError:
            pub = None
    out: list[tuple[int, int, str | None, str]] = []
    taken: list[tuple[int, int]] = []

    def add(s: int, e: int, v: str | None, p: str) -> None:
        if not any(a < e and s < b for a, b in taken):
            out.append((s, e, v, p))
            taken.append((s, e))

    for m in re.finditer(rf"\b({_MON})\s+(\d{{1,2}}),?\s+(\d{{4}})\b", text):
        add(m.start(), m.end(), f"{m.group(3)}-{_month_no(m.group(1)):02d}-{int(m.group(2)):02d}", "day")
    for m in re.finditer(rf"\b(\d{{1,2}})\s+({_MON})\s+(\d{{4}})\b", text):
        add(m.start(), m.end(), f"{m.group(3)}-{_month_no(m.group(2)):02d}-{int(m.group(1)):02d}", "day")
    for m in re.finditer(rf"\b(?:(\d{{1,2}})\s+({_MON})|({_MON})\s+(\d{{1,2}}))\b(?!,?\s+\d{{4}})", text):
        mon = _month_no(m.group(2) or m.group(3))
        day = int(m.group(1) or m.group(4))
        v = None
        if pub:
            y = pub.year if (mon, day) <= (pub.month, pub.day) else pub.year - 1
            v = f"{y}-{mon:02d}-{day:02d}"
        add(m.start(), m.end(), v, "day")
    for m in re.finditer(rf"\b(?:in|since|by|during|of)\s+({_MON})(?:\s+(\d{{4}}))?\b", text):
        if m.group(1) == "May" and not m.group(2):
            continue
        mon = _month_no(m.group(1))
        if m.group(2):
            v: str | None = f"{m.group(2)}-{mon:02d}"
        elif pub:
            v = f"{pub.year if mon <= pub.month else pub.year - 1}-{mon:02d}"
        else:
            v = None
        add(m.start(1), m.end(), v, "month")
    for m in re.finditer(r"\b(?:in|since|by|during|of)\s+((?:19|20)\d\d)\b", text):
        add(m.start(1), m.end(1), m.group(1), "year")
    for m in re.finditer(r"\b(?:on\s+|last\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", text):
        v = None
        if pub:
            back = (pub.weekday() - _WEEKDAYS.index(m.group(1).lower())) % 7
            if m.group(0).lower().startswith("last") and back == 0:
                back = 7
            v = (pub - timedelta(days=back)).isoformat()
        add(m.start(1), m.end(1), v, "day")
    for m in re.finditer(r"\b(yesterday|today)\b", text, re.I):
        v = None
        if pub:
            v = (pub - timedelta(days=1 if m.group(1).lower() == "yesterday" else 0)).isoformat()
        add(m.start(), m.end(), v, "day")
    return sorted(out)


# ------------------------------------------------------------------ dates of speech


def _verb_of(tok: Any) -> Any:
    t = tok
    for _ in range(8):
        if t.pos_ in ("VERB", "AUX") and t.dep_ != "amod":
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _date_for_verb(ctx: _Ctx, verb: Any, lo: int, hi: int) -> tuple[bool, str | None]:
    """A date expression in [lo, hi) attached to ``verb``: (found, value)."""
    best = None
    for s, e, v, _ in ctx.dates:
        if s < lo or e > hi or ctx.inq[s]:
            continue
        span = ctx.doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        v_of = _verb_of(root.head if root.head.i != root.i else root)
        if v_of is not None and (v_of.i == verb.i or (v_of.dep_ == "xcomp" and v_of.head.i == verb.i)):
            d = abs(s - verb.idx)
            if best is None or d < best[0]:
                best = (d, v)
    return (True, best[1]) if best else (False, None)


def _comm_events(ctx: _Ctx) -> list[tuple[int, int, Any]]:
    """(position, entity, verb) of each speech act in the narrative: the speaker is the subject of a
    speech verb ('said on Tuesday', 'made a statement', 'spoke to journalists')."""
    if ctx._comm is not None:
        return ctx._comm
    out = []
    for t in ctx.doc:
        if t.pos_ != "VERB" or ctx.quoted(t):
            continue
        lem = t.lemma_.lower()
        ok = lem in _COMM
        if lem in ("make", "give", "hold", "deliver", "issue", "post", "publish", "send", "write", "release"):
            ok = ok or any(c.dep_ == "dobj" and c.lemma_.lower() in _STATEMENT_NOUNS for c in t.children)
        if not ok:
            continue
        subj = _subject(ctx, t)
        if subj is None:
            continue
        k, _, _ = _speaker_of(ctx, subj)
        if k is not None:
            out.append((t.idx, k, t))
    ctx._comm = out
    return out


def _said_on(ctx: _Ctx, attr: _Attr | None, frames: list[tuple[int, int]], q: QuoteSpan,
             done: list[tuple[int, int | None, str | None, bool]]) -> tuple[str | None, bool]:
    """(value, found): the date the words were said."""
    if attr is not None and attr.date_verb is not None:
        verb = attr.date_verb
        for lo, hi in frames:
            found, v = _date_for_verb(ctx, verb, lo, hi)
            if found:
                return v, True
        sent = verb.sent
        found, v = _date_for_verb(ctx, verb, sent.start_char, sent.end_char)
        if found:
            return v, True
    if attr is None or attr.speaker is None:
        return None, False
    here = attr.cue_pos if attr.cue_pos is not None else q.start
    best: tuple[int, str | None] | None = None
    for pos, k, verb in _comm_events(ctx):
        if k != attr.speaker or pos >= here:
            continue
        found, v = _date_for_verb(ctx, verb, verb.sent.start_char, verb.sent.end_char)
        if found and (best is None or pos > best[0]):
            best = (pos, v)
    for pos, k, v, found in done:
        if k == attr.speaker and found and pos < here and (best is None or pos > best[0]):
            best = (pos, v)
    return (best[1], True) if best else (lead_day(ctx.dates, ctx.paras, here), False)


def lead_day(dates: list, paras: list[tuple[int, int]], before: int) -> str | None:
    """The day of the happening a news story reports: the first day-precise date of its lead
    paragraph ('... said on Tuesday', 'во вторник провёл'), for a quote after it that gives no day of
    its own and follows no dated statement of its speaker — the words were said on that occasion."""
    if not paras:
        return None
    ps, pe = paras[0]
    for s, e, v, precision in sorted(dates, key=lambda d: d[0]):
        if s >= pe or s >= before:
            break
        if s >= ps and v and precision == "day":
            return v
    return None
