"""Who copied whom: near-copies, rewritten copies and re-bylined wire stories.

* A **near-copy** pair comes from shingle overlap (``narrascope.link.dedup``).
* A **rewritten copy** has little shingle overlap but most of its sentences
  say what the other's say (sentence embeddings, aligned one by one) and it
  carries the same quotes: a story reworded, often under a new byline.
* The **origin** of a pair is the side the other credits ("Source: X",
  "first published by X"), else the earlier one; with neither, it stays open.
* A **re-bylined wire story** credits a wire service (dateline "(AP)", a
  credit line) or copies an article that does, under a personal byline that is
  not the wire's.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from ..clean.patterns import wire_name as _wire_alias
from ..extract.temporal import split_sentences

ALIGN_SIM = 0.8      # two sentences say the same thing
REWRITE_ALIGNED = 0.5  # share of the shorter article's sentences that align
REWRITE_MAX_JACCARD = 0.5
MIN_SENTENCE_WORDS = 5


def outlet_key(name: Any) -> str:
    """A comparable form of an outlet name: "AntiWar.com" == "antiwar.com" == "Antiwar"."""
    if not isinstance(name, str):
        return ""
    s = unicodedata.normalize("NFKD", name).lower()
    s = re.sub(r"^the\s+|\.(?:com|org|net|co\.uk|news)$|\s+news$", "", s.strip())
    return re.sub(r"[^a-z0-9]", "", s)


def credits(doc: dict[str, Any]) -> str:
    return outlet_key((doc["fields"].get("republished_from") or {}).get("publisher"))


def outlet(doc: dict[str, Any]) -> str | None:
    f = doc["fields"]
    if f.get("publisher"):
        return f["publisher"]
    url = f.get("url") or ""
    m = re.match(r"https?://(?:www\.)?([^/:]+)", url)
    return m.group(1) if m else None


def origin_of(a: dict[str, Any], b: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """Which of two related articles came first, and why (None when the evidence does not say)."""
    for x, y in ((a, b), (b, a)):
        if credits(x) and credits(x) == outlet_key(outlet(y)):
            return y["id"], {"kind": "credit", "by": x["id"], "credits": x["fields"]["republished_from"].get("publisher")}
    da, db = (str(d["fields"].get("published") or "")[:10] for d in (a, b))
    if da and db and da != db:
        first = a if da < db else b
        return first["id"], {"kind": "dates", "published": {a["id"]: da, b["id"]: db}}
    return None, {"kind": "unknown"}


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text) if len(text[s:e].split()) >= MIN_SENTENCE_WORDS]


@dataclass
class Alignment:
    aligned: float                 # share of the shorter side's sentences with a match
    pairs: list[tuple[str, str, float]]


def align(sa: Sequence[str], sb: Sequence[str], embed: Callable[[list[str]], np.ndarray],
          threshold: float = ALIGN_SIM) -> Alignment:
    """Match each sentence of the shorter list to its closest sentence in the other."""
    if not sa or not sb:
        return Alignment(0.0, [])
    short, long_ = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    vs, vl = embed(list(short)), embed(list(long_))
    sims = vs @ vl.T
    best = sims.argmax(axis=1)
    hits = [(short[i], long_[j], float(sims[i, j])) for i, j in enumerate(best) if sims[i, j] >= threshold]
    return Alignment(len(hits) / len(short), hits)


def is_rewrite(alignment: Alignment, jaccard: float, shared_quotes: int, quotes_a: int, quotes_b: int) -> bool:
    """Reworded, not copied; and when both quote anyone, they quote the same words."""
    if alignment.aligned < REWRITE_ALIGNED or jaccard >= REWRITE_MAX_JACCARD:
        return False
    return shared_quotes > 0 or not (quotes_a and quotes_b)


def wire_name(name: Any) -> str | None:
    """The wire service a name stands for ("The Associated Press" -> "AP"), else None."""
    return _wire_alias(name) if isinstance(name, str) else None


def wire_of(doc: dict[str, Any]) -> str | None:
    """The wire service an article credits, if any."""
    f = doc["fields"]
    for name in (f.get("wire_credit"), (f.get("republished_from") or {}).get("publisher")):
        if wire_name(name):
            return wire_name(name)
    return None


def personal_byline(doc: dict[str, Any], wire: str) -> bool:
    authors = doc["fields"].get("authors") or []
    return (bool(authors) and wire_name(doc["fields"].get("byline_affiliation")) != wire
            and not any(wire_name(a) == wire for a in authors))


def rebylined(doc: dict[str, Any], partners: Sequence[dict[str, Any]] = ()) -> dict[str, Any] | None:
    """Evidence that ``doc`` is a wire story under somebody else's byline, or None."""
    wire = wire_of(doc)
    if wire and (personal_byline(doc, wire) or "byline_conflicts_with_wire_credit" in doc["flags"]):
        return {"wire": wire, "authors": doc["fields"].get("authors") or [], "evidence": "wire credit in the article"}
    for p in partners:
        w = wire_of(p) or wire_name(outlet(p))
        if w and personal_byline(doc, w):
            return {"wire": w, "authors": doc["fields"].get("authors") or [], "evidence": f"copies {p['id']}"}
    return None
