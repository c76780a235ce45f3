"""Tokens for the framing models (no model needed, same at training and run time)."""
from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*|\d+", re.UNICODE)
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


_WHITE = re.compile(r"\s\s+")


def char_wb(text: str, lo: int = 2, hi: int = 5) -> list[str]:
    """Character n-grams inside word boundaries, as scikit-learn's ``char_wb`` analyzer makes
    them (lower-cased; each word padded with one space either side; ``lo``..``hi`` characters)."""
    out: list[str] = []
    for w in _WHITE.sub(" ", text.lower()).split():
        w = f" {w} "
        L = len(w)
        for n in range(lo, hi + 1):
            if n > L:          # a short word counts once, as itself
                break
            out.extend(w[i:i + n] for i in range(L - n + 1))
    return out
