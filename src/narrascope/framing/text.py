"""Tokens and sentences for the framing models (no model needed, same at training and run time)."""
from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*|\d+", re.UNICODE)
# A sentence ends at . ! ? (optionally closed by quotes/brackets) before whitespace and
# an opening capital, digit or quote, or at a blank line.
_SENT_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])|\n\s*\n")
_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Lt|Col|Sgt|Rep|Sen|Gov|U\.S|U\.K|Jan|Feb|Aug|Sept?|Oct|Nov|Dec|No|vs|etc|e\.g|i\.e)\.$")

STOP = frozenset("""a an the and or but if of to in on at by for with from as is are was were be been being it its
this that these those he she they we you i his her their our your my me him them us do does did has have had
not no so than then there here what which who whom whose when where why how all any some such can could
would should will shall may might must also just only into over under about after before between through
during out up down off again further once more most other same own very s t""".split())


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters, inner apostrophes and hyphens kept; numbers as one token)."""
    return [m.group().lower().replace("\u2019", "'") for m in _WORD.finditer(text)]


def analyzer(text: str) -> list[str]:
    """Features for the lexical models: content unigrams and bigrams of adjacent content words."""
    toks = [w for w in words(text) if w not in STOP and not w.isdigit() and len(w) > 1]
    return toks + [f"{a} {b}" for a, b in zip(toks, toks[1:])]


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of ``text``, whitespace trimmed."""
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        if _ABBREV.search(text, max(0, m.start() - 6), m.start()):
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out
