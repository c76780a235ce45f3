"""Dated events: sentences that carry a resolved date.

``extract_events(text, published, title=None)`` splits ``text`` into
sentences (``split_sentences``: no break after "Feb.", "U.S.", "Mr.", "Dr.",
"St.", initials, or an ellipsis inside a quotation; newlines always break),
runs ``find_temporal`` once over the whole text, and makes one ``Event`` per
distinct resolved date in a sentence. A sentence with two unrelated dates
("We made the decision in 2008," he said on Tuesday) gives two events, one per
date, each pointing at its own expression; when one date in a sentence
contains another ("in 2022, on Feb. 24") only the more precise one is kept.
Expressions whose value is None (relative ones in an undated article, "the
next day" with nothing to count from) make no event.

``relative`` says the date needed the publication date or an anchor (and,
with ``inferred``, that the publication date was itself inferred).

``participants`` are the capitalised name sequences of the sentence, as
plain text ("William Burns", "NATO", "Bucharest"), with titles and
sentence-initial function words stripped; linking them to entities is a later
stage's job.

The main event is the one whose sentence shares most content words with the
title (a share of the title's words, at least ``MAIN_MIN_OVERLAP``); an event
dated within a week of publication gets ``MAIN_NEAR_BONUS`` on top, so that
the day's news beats a background sentence that repeats the headline's words.
Without a title match, it is the first event dated at/near publication
(within ``NEAR_DAYS`` days before, or the day after); else there is none.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Callable

from .temporal import (TimeExpr, find_temporal, publication_date, split_sentences,
                       value_interval)

__all__ = ["Event", "extract_events", "split_sentences", "content_words", "participants_of",
           "stem", "MAIN_MIN_OVERLAP", "MAIN_NEAR_BONUS", "NEAR_DAYS"]

MAIN_MIN_OVERLAP = 0.3
MAIN_NEAR_BONUS = 0.3
NEAR_DAYS = 7


@dataclass
class Event:
    date: str
    precision: str
    text: str              # the sentence
    start: int             # sentence offsets in the text
    end: int
    expr_start: int        # the date expression's offsets in the text
    expr_end: int
    main: bool = False
    inferred: bool = False  # the date was resolved against an inferred publication date
    participants: list[str] = field(default_factory=list)
    relative: bool = False  # the date needed the publication date (or an anchor)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, d: dict) -> "Event":
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})


# ------------------------------------------------------------------ words
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me more
most my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself said says say told according also one two first last next new
year years week weeks month months day days today yesterday tonight tomorrow ago earlier later
since back time early late mid
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec spring summer autumn fall winter
""".split())

_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")


def stem(word: str) -> str:
    """A crude, deterministic stem: promise/promised/promising -> promis."""
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    if w.endswith("ship") and len(w) > 7:
        w = w[:-4]
    for suf in ("ations", "ation", "ions", "ion", "ing", "ed", "es", "s"):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            w = w[: -len(suf)] + ("at" if suf.startswith("ation") else "")
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def content_words(text: str) -> set[str]:
    """Stems of the words that carry content (no stopwords, date words or numbers)."""
    out = set()
    for m in _WORD.finditer(text):
        w = m.group().lower().replace("\u2019", "'")
        if w.endswith("'s"):
            w = w[:-2]
        if len(w) < 3 or w in STOPWORDS:
            continue
        out.add(stem(w))
    return out


# ------------------------------------------------------------------ participants
_TITLES = frozenset("""
president vice prime minister foreign defense defence secretary general secretary-general director
chief spokesperson spokesman spokeswoman ambassador chancellor senator sen rep representative
governor gov mr mrs ms dr prof professor king queen prince princess pope judge justice mayor
deputy chairman chair ceo commander gen lt col capt sgt adm former state
""".split())
_STARTERS = frozenset("""
the a an in on at but and or when while as after before since this that these those it he she
they we i his her their our its some many most during following providing notably amid according
speaking earlier otherwise however if beyond there here what why how where who which while although
though despite with without for from by of to under over meanwhile also yet so then still even
news photo read share follow note
""".split())
_DATE_WORDS = frozenset(STOPWORDS & set(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec".split()))
_PARTICLE = r"(?:of|de|du|da|von|van|der|den|al|bin|la|le)"
_CAP_RUN = re.compile(
    rf"[A-Z][\w'\u2019.&-]*(?:\s+(?:[A-Z][\w'\u2019.&-]*|{_PARTICLE}(?=(?:\s+{_PARTICLE})*\s+[A-Z])))*")


def participants_of(sentence: str) -> list[str]:
    """Capitalised name sequences of a sentence, in order, without duplicates."""
    out: list[str] = []
    for m in _CAP_RUN.finditer(sentence):
        for name in _split_run(m.group(), m.start() == 0 or _sentence_initial(sentence, m.start())):
            if name and name not in out:
                out.append(name)
    return out


def _sentence_initial(sentence: str, i: int) -> bool:
    return re.fullmatch(r"[\s\"'\u201c\u2018(\[*_-]*", sentence[:i]) is not None


_GROUP_NOUNS = frozenset("""
police officials authorities investigators witnesses protesters demonstrators experts critics analysts
doctors scientists researchers lawmakers legislators voters residents workers engineers troops
soldiers rescuers firefighters prosecutors diplomats observers reporters journalists families
students teachers farmers citizens leaders ministers members delegates negotiators rebels militants
""".split())


def _split_run(run: str, initial: bool) -> list[str]:
    toks = run.split()
    if initial and toks and (toks[0].lower() in _STARTERS or toks[0].lower() in _GROUP_NOUNS
                             or re.search(r"(?:ly|ing)$", toks[0])):
        toks = toks[1:]
    names, cur = [], []
    for t in toks:
        bare = t.strip(".,'\u2019&-").lower()
        bare_poss = re.sub(r"['\u2019]s$", "", bare)
        particle = t in ("of", "de", "du", "da", "von", "van", "der", "den", "al", "bin", "la", "le")
        if not particle and (bare_poss in _TITLES or bare_poss in _DATE_WORDS or bare_poss in _STARTERS):
            names.append(cur)
            cur = []
            continue
        cur.append(re.sub(r"['\u2019]s$", "", t).rstrip(".,") if t.endswith(("'s", "\u2019s")) else t.rstrip(","))
    names.append(cur)
    out = []
    for n in names:
        while n and n[-1] in ("of", "de", "du", "da", "von", "van", "der", "den", "al", "bin", "la", "le"):
            n = n[:-1]
        while n and n[0] in ("of", "de", "du", "da", "von", "van", "der", "den", "al", "bin", "la", "le"):
            n = n[1:]
        s = " ".join(n).strip(".")
        if s and not re.fullmatch(r"[A-Z]\.?", s):
            out.append(s)
    return out


# ------------------------------------------------------------------ events
def extract_events(text: str, published: str | None, title: str | None = None,
                   inferred: bool = False, tz: str | None = None, pack: Any = None) -> list[Event]:
    """One event per distinct resolved date in each sentence; the main one marked.

    ``inferred=True`` says ``published`` is an inferred date: events whose date
    depended on it (relative expressions) are marked ``inferred``. ``tz`` is
    passed to ``find_temporal``. ``pack``: the language pack whose readers to use
    (``narrascope.lang``; English, this module's own, when None).
    """
    find, sentences_of = (pack.find_temporal, pack.split_sentences) if pack is not None else (find_temporal, split_sentences)
    names_of = pack.participants_of if pack is not None else participants_of
    words_of = pack.content_words if pack is not None else content_words
    exprs = [e for e in find(text, published, tz) if e.value is not None]
    events: list[Event] = []
    for s, e in sentences_of(text):
        inside = [x for x in exprs if s <= x.start and x.end <= e]
        for x in _distinct(inside):
            sentence = text[s:e]
            events.append(Event(x.value, x.precision, sentence, s, e, x.start, x.end,
                                inferred=inferred and x.relative,
                                participants=names_of(sentence), relative=x.relative))
    main = pick_main(events, title, publication_date(published, tz), words_of)
    if main is not None:
        main.main = True
    return events


def _distinct(exprs: list[TimeExpr]) -> list[TimeExpr]:
    """Drop an expression when another in the sentence is the same date or a more precise one inside it."""
    keep = []
    for x in exprs:
        ix = value_interval(x.value)
        redundant = False
        for y in exprs:
            if y is x:
                continue
            iy = value_interval(y.value)
            if ix is None or iy is None:
                continue
            same = ix == iy
            inside = ix[0] <= iy[0] and iy[1] <= ix[1] and ix != iy
            if inside or (same and exprs.index(y) < exprs.index(x)):
                redundant = True
                break
        if not redundant:
            keep.append(x)
    return keep


def _near(ev: Event, pub: date | None) -> bool:
    iv = value_interval(ev.date)
    if pub is None or iv is None or ev.precision not in ("day", "week"):
        return False
    return pub - timedelta(days=NEAR_DAYS) <= iv[1] and iv[0] <= pub + timedelta(days=1)


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s.lower()).strip()


def pick_main(events: list[Event], title: str | None, pub: date | None,
              words_of: Callable[[str], set[str]] | None = None) -> Event | None:
    """The main event: best title overlap (near-publication bonus), else first near publication."""
    content_words_ = words_of or content_words
    if title:
        tw = content_words_(title)
        best, best_score = None, 0.0
        for ev in events:
            if not tw or _norm(ev.text) == _norm(title):
                continue
            overlap = len(tw & content_words_(ev.text)) / len(tw)
            if overlap < MAIN_MIN_OVERLAP:
                continue
            score = overlap + (MAIN_NEAR_BONUS if _near(ev, pub) else 0.0)
            if score > best_score:
                best, best_score = ev, score
        if best is not None:
            return best
    return next((ev for ev in events if _near(ev, pub)), None)
