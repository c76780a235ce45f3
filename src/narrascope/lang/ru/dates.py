"""Russian temporal expressions, resolved on the same timeline as English ones.

``find_temporal(text, published)`` returns ``TimeExpr`` records (offsets into
``text``, an ISO value as precise as the words allow, ``relative`` when the value
needed the publication date). What is read:

* absolute days in any case of the month name: "24 февраля 2022 года", "1 сентября",
  "с 3 по 5 мая" (the first day), "24.02.2022"; a day without a year takes the year
  that keeps it before publication, or after it in a sentence about the future;
* months: "в марте", "к октябрю", "в марте 2021 года", "в марте прошлого года",
  "в начале марта" (month precision);
* years: "в 2008 году", "2014 год", "с 2019 года", "в ноябре 2011-го", "в конце 2023 года",
  "в прошлом / этом / следующем году", "позапрошлый год";
* weeks and months counted from publication: "на прошлой неделе", "на этой неделе",
  "в следующем месяце";
* days counted from publication: "вчера", "сегодня", "завтра", "позавчера",
  "послезавтра", "накануне" (the day before publication);
* weekdays: "во вторник", "в минувшую пятницу", "в прошлый четверг", "в следующий
  понедельник": the last such day on or before publication, or the next one on or after
  it when the sentence speaks of the future (a verb in the future tense, "будет").

Tense comes from natasha's morphology of the sentence's verbs (the nearest finite
verb to the expression decides).
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from ...extract.temporal import TimeExpr, publication_date
from .nlp import parse
from .text import split_sentences

_MONTHS = {"январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
           "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12}
_MONTH = (r"(?:январ[ьяюе]|январём|феврал[ьяюе]|февралём|март[аеуо]?|мартом|апрел[ьяюе]|апрелем|ма[йяюе]|маем|"
          r"июн[ьяюе]|июнем|июл[ьяюе]|июлем|август[аеуо]?|августом|сентябр[ьяюе]|сентябрём|октябр[ьяюе]|"
          r"октябрём|ноябр[ьяюе]|ноябрём|декабр[ьяюе]|декабрём)")
_MON_ABBR = r"(?:янв|фев|мар|апр|июн|июл|авг|сен|сент|окт|ноя|дек)\.?"
_WEEKDAYS = {"понедельник": 0, "вторник": 1, "сред": 2, "четверг": 3, "пятниц": 4, "суббот": 5, "воскресень": 6}
_WEEKDAY = r"(?:понедельник|вторник|сред[ауы]|четверг|пятниц[ауы]|суббот[ауы]|воскресенье)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_YEARWORD = r"(?:год[ауе]?|годом|г\.|гг\.|-го|-м|-й)"
_B = r"(?<![\w-])"
_E = r"(?![\w])"
_PART = r"(?:в\s+)?(?:начал[ео]|середин[еыу]|конц[еау]|перв(?:ой|ую)\s+половин[еыу]|втор(?:ой|ую)\s+половин[еыу])\s+"

_PATTERNS: list[tuple[str, re.Pattern]] = [(k, re.compile(rx, re.I)) for k, rx in (
    ("range_day", rf"{_B}с\s+(?P<d>\d{{1,2}})\s+по\s+\d{{1,2}}\s+(?P<m>{_MONTH})(?:\s+(?P<y>{_YEAR})\s*{_YEARWORD}?)?{_E}"),
    ("day", rf"{_B}(?P<d>\d{{1,2}})(?:\s*[-–]\s*\d{{1,2}})?\s+(?P<m>{_MONTH}|{_MON_ABBR})(?:\s+(?P<y>{_YEAR})\s*{_YEARWORD}?)?(?![\w])"),
    ("numeric", rf"{_B}(?P<d>\d{{1,2}})\.(?P<mo>\d{{1,2}})\.(?P<y>{_YEAR}){_E}"),
    ("part_month", rf"{_B}{_PART}(?P<m>{_MONTH})(?:\s+(?P<y>{_YEAR})\s*{_YEARWORD}?|\s+(?P<rel>прошлого|этого|текущего|следующего|будущего)\s+года)?{_E}"),
    ("part_year", rf"{_B}{_PART}(?P<y>{_YEAR})\s*{_YEARWORD}{_E}"),
    ("month", rf"{_B}(?P<prep>в|во|к|с|до|после|по|между)?\s*(?P<m>{_MONTH})(?:\s+(?P<y>{_YEAR})\s*{_YEARWORD}?|\s+(?P<rel>прошлого|позапрошлого|этого|текущего|следующего|будущего)\s+года)?{_E}"),
    ("year", rf"{_B}(?P<y>{_YEAR})\s*{_YEARWORD}(?![\w])"),
    ("year_prep", rf"{_B}(?:в|во|к|с|до|после)\s+(?P<y>{_YEAR})(?:-м|-го|-й)?(?=\s*[,.;:!?)]|\s+(?:и|—|-)\s)"),
    ("rel_year", r"(?<![\w-])(?:в\s+|на\s+)?(?P<w>прошл|позапрошл|эт|текущ|следующ|будущ)\w*\s+год\w*(?!\w)"),
    ("rel_month", r"(?<![\w-])(?:в\s+|на\s+)?(?P<w>прошл|эт|текущ|следующ|будущ)\w*\s+месяц\w*(?!\w)"),
    ("rel_week", r"(?<![\w-])(?:на\s+)?(?P<w>прошл|эт|текущ|следующ|будущ|минувш)\w*\s+недел\w*(?!\w)"),
    ("dayword", r"(?<![\w-])(?P<w>позавчера|вчера|сегодня|послезавтра|завтра|накануне)(?!\w)"),
    ("weekday", rf"{_B}(?:в|во)\s+(?:(?P<mod>минувш|прошл|прошедш|следующ|ближайш|будущ|эт|нынешн)\w*\s+)?(?P<wd>{_WEEKDAY}){_E}"),
)]

_FUTURE_WORDS = re.compile(r"(?<!\w)(?:будет|будут|буду|будем|будете|станет|станут|планирует|планируют|"
                           r"намерен\w*|собирается|предстоит|запланирован\w*|состоится|пройдет|пройдёт)(?!\w)", re.I)


def _month_no(word: str) -> int:
    w = word.lower().rstrip(".")
    for stem, n in sorted(_MONTHS.items(), key=lambda kv: -len(kv[0])):
        if w.startswith(stem) or (len(w) >= 3 and stem.startswith(w)):
            return n
    raise ValueError(word)


def _weekday_no(word: str) -> int:
    w = word.lower()
    return next(n for stem, n in _WEEKDAYS.items() if w.startswith(stem))


def _last_day(y: int, m: int) -> int:
    return ((date(y + (m == 12), m % 12 + 1, 1)) - timedelta(days=1)).day


def _year_for(pub: date, month: int, day: int | None, future: bool) -> int:
    y = pub.year
    if future:
        last = date(y, month, min(day or 31, _last_day(y, month)))
        return y if last >= pub else y + 1
    first = date(y, month, min(day or 1, _last_day(y, month)))
    return y if first <= pub else y - 1


def _future(doc: Any, text: str, s: int, e: int, sent: tuple[int, int]) -> bool:
    """Does the clause around [s, e) speak of the future? The nearest finite verb decides."""
    best = None
    quoted = [(m.start(), m.end()) for m in re.finditer(r'"[^"]*"|«[^»]*»', text[sent[0]:sent[1]])]
    for t in doc.tokens:
        if not (sent[0] <= t.start < sent[1]) or t.pos not in ("VERB", "AUX"):
            continue
        if any(a <= t.start - sent[0] < b for a, b in quoted):
            continue                                 # the tense of the quoted words is not the report's
        tense = (t.feats or {}).get("Tense")
        if tense not in ("Past", "Fut", "Pres"):
            continue
        dist = s - t.stop if t.stop <= s else t.start - e
        if best is None or dist < best[0]:
            best = (dist, tense, t.text)
    if best is not None:
        if best[1] == "Fut":
            return True
        if best[1] == "Past":
            return False
    return bool(_FUTURE_WORDS.search(text[sent[0]:sent[1]]))


def _week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _shift_month(pub: date, n: int) -> str:
    k = pub.year * 12 + pub.month - 1 + n
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def _resolve(kind: str, m: re.Match, pub: date | None, future: bool) -> tuple[str | None, str, bool]:
    """(value, precision, relative)."""
    g = m.groupdict()
    if kind in ("day", "range_day", "numeric"):
        mo = int(g["mo"]) if kind == "numeric" else _month_no(g["m"])
        d = int(g["d"])
        if g.get("y"):
            y = int(g["y"])
            rel = False
        elif pub is None:
            return None, "day", True
        else:
            y, rel = _year_for(pub, mo, d, future), True
        if not (1 <= mo <= 12 and 1 <= d <= _last_day(y, mo)):
            return None, "day", rel
        return f"{y:04d}-{mo:02d}-{d:02d}", "day", rel
    if kind in ("month", "part_month"):
        mo = _month_no(g["m"])
        if g.get("y"):
            return f"{int(g['y']):04d}-{mo:02d}", "month", False
        if pub is None:
            return None, "month", True
        rel = (g.get("rel") or "").lower()
        if rel.startswith("позапрошл"):
            y = pub.year - 2
        elif rel.startswith("прошл"):
            y = pub.year - 1
        elif rel.startswith(("эт", "текущ")):
            y = pub.year
        elif rel.startswith(("следующ", "будущ")):
            y = pub.year + 1
        else:
            y = _year_for(pub, mo, None, future)
        return f"{y:04d}-{mo:02d}", "month", True
    if kind in ("year", "year_prep", "part_year"):
        return f"{int(g['y']):04d}", "year", False
    if pub is None:
        return None, {"rel_year": "year", "rel_month": "month", "rel_week": "week"}.get(kind, "day"), True
    w = (g.get("w") or "").lower()
    step = -2 if w.startswith("позапрошл") else -1 if w.startswith(("прошл", "минувш")) else \
        1 if w.startswith(("следующ", "будущ")) else 0
    if kind == "rel_year":
        return f"{pub.year + step:04d}", "year", True
    if kind == "rel_month":
        return _shift_month(pub, step), "month", True
    if kind == "rel_week":
        return _week(pub + timedelta(weeks=step)), "week", True
    if kind == "dayword":
        shift = {"позавчера": -2, "вчера": -1, "накануне": -1, "сегодня": 0, "завтра": 1, "послезавтра": 2}[w]
        return (pub + timedelta(days=shift)).isoformat(), "day", True
    if kind == "weekday":
        wd = _weekday_no(g["wd"])
        mod = (g.get("mod") or "").lower()
        if mod.startswith(("следующ", "ближайш", "будущ")):
            ahead = (wd - pub.weekday()) % 7 or 7
            return (pub + timedelta(days=ahead)).isoformat(), "day", True
        if mod.startswith(("минувш", "прошл", "прошедш")):
            back = (pub.weekday() - wd) % 7 or 7
            return (pub - timedelta(days=back)).isoformat(), "day", True
        if future:
            return (pub + timedelta(days=(wd - pub.weekday()) % 7)).isoformat(), "day", True
        return (pub - timedelta(days=(pub.weekday() - wd) % 7)).isoformat(), "day", True
    return None, "day", True


def _not_a_date(kind: str, m: re.Match, text: str) -> bool:
    if kind == "month":                      # a bare month word ("мая") is a date only with a preposition or a year
        return not (m.group("prep") or m.group("y") or m.group("rel"))
    if kind == "year":
        return bool(re.match(r"\s*(?:человек|рубл|доллар|евро|тонн|км|метр)", text[m.end():m.end() + 12].lower()))
    return False


def find_temporal(text: str, published: str | None, tz: str | None = None) -> list[TimeExpr]:
    pub = publication_date(published, tz)
    sents = split_sentences(text)
    cands: list[tuple[int, int, str, re.Match]] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            s, e = m.span()
            while s < e and text[s].isspace():
                s += 1
            if e > s and not _not_a_date(kind, m, text):
                cands.append((s, e, kind, m))
    cands.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    chosen: list[tuple[int, int, str, re.Match]] = []
    for c in cands:
        if any(c[0] < o[1] and o[0] < c[1] for o in chosen):
            continue
        chosen.append(c)
    doc = parse(text) if chosen else None
    out = []
    for s, e, kind, m in sorted(chosen):
        sent = next(((a, b) for a, b in sents if a <= s < b), (0, len(text)))
        future = _future(doc, text, s, e, sent)
        value, precision, relative = _resolve(kind, m, pub, future)
        out.append(TimeExpr(s, e, text[s:e], value, precision, relative, future))
    return out
