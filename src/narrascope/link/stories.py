"""Stories: articles that report the same happening, assigned online.

An article is described by the embedding of its title, standfirst and lead,
the date of the happening its lead reports (its main event, else its
publication date), the canonical entities it names and the statements it
quotes. A new article is compared with the articles already in stories; it
joins the story of its best match when the match is close enough, or starts a
story of its own. Stories already made are never re-clustered: a later run
only places the new articles.

Match score: cosine of the lead embeddings, plus a bonus for a statement both
quote and for shared entities. Two dated happenings more than ``WINDOW_DAYS``
apart never match; an undated article needs a higher score.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Sequence

import numpy as np

from ..extract.temporal import split_sentences
from ..lang.crosslingual import on_minilm_scale

JOIN = 0.62           # score needed to join a story
UNDATED_JOIN = 0.85   # ... when either side has no date
UNDATED_QUOTED = 0.75 # ... when either side has no date but both quote the same statement
WINDOW_DAYS = 4       # the same happening is reported within these days of it
STATEMENT_BONUS = 0.1
ENTITY_BONUS = 0.15   # times the Jaccard index of the entity sets
LEAD_CHARS = 600


@dataclass
class Profile:
    article_id: str
    vec: np.ndarray
    day: date | None
    entities: frozenset[str] = frozenset()
    statements: frozenset[str] = frozenset()
    title: str | None = None
    lang: str | None = None
    xvec: np.ndarray | None = None   # multilingual lead vector, set when an article in another language is near


def lead_text(title: str | None, dek: str | None, text: str) -> str:
    """Title, standfirst and the first sentences of the body (what a story is recognised by)."""
    spans = split_sentences(text[:LEAD_CHARS * 2])
    lead = ""
    for s, e in spans:
        if len(lead) >= LEAD_CHARS:
            break
        lead += " " + text[s:e]
    return " ".join(x for x in (title, dek, lead.strip()) if x)


def _day(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def happening_day(published: Any, events: Iterable[dict[str, Any]]) -> date | None:
    """The day the lead's happening took place: the main event's, else the publication day."""
    for ev in events or ():
        if ev.get("main") and ev.get("precision") == "day":
            d = _day(ev.get("date"))
            if d:
                return d
    return _day(published)


def score(a: Profile, b: Profile) -> float | None:
    """How well ``a`` matches ``b``; None when their dates rule it out."""
    if a.day and b.day and abs((a.day - b.day).days) > WINDOW_DAYS:
        return None
    if a.lang and b.lang and a.lang != b.lang:
        if a.xvec is None or b.xvec is None:
            return None
        s = on_minilm_scale(float(a.xvec @ b.xvec))
    else:
        s = float(a.vec @ b.vec)
    if a.statements & b.statements:
        s += STATEMENT_BONUS
    if a.entities and b.entities:
        s += ENTITY_BONUS * len(a.entities & b.entities) / len(a.entities | b.entities)
    return s


def story_id(article_id: str) -> str:
    return "S" + hashlib.sha1(article_id.encode()).hexdigest()[:12]


@dataclass
class Assignment:
    article_id: str
    story_id: str
    score: float | None
    matched: str | None           # the article it matched
    forced_by: str | None = None  # "copy" when a near-copy put it there


def assign(new: Sequence[Profile], placed: Sequence[tuple[Profile, str]],
           forced: dict[str, str] | None = None) -> list[Assignment]:
    """Place each new profile (in the order given) into a story of ``placed`` or a new one.

    ``forced``: article id -> article id it copies; a copy joins its original's story.
    """
    forced = forced or {}
    pool: list[tuple[Profile, str]] = list(placed)
    where = {p.article_id: s for p, s in pool}
    out: list[Assignment] = []
    for p in new:
        orig = forced.get(p.article_id)
        if orig and orig in where:
            sid = where[orig]
            out.append(Assignment(p.article_id, sid, None, orig, "copy"))
        else:
            best, best_score = None, None
            for q, sid in pool:
                s = score(p, q)
                if s is None:
                    continue
                need = JOIN if (p.day and q.day) else (UNDATED_QUOTED if p.statements & q.statements else UNDATED_JOIN)
                if s >= need and (best_score is None or s > best_score):
                    best, best_score = (q, sid), s
            if best:
                out.append(Assignment(p.article_id, best[1], round(best_score, 3), best[0].article_id))
            else:
                out.append(Assignment(p.article_id, story_id(p.article_id), None, None))
        pool.append((p, out[-1].story_id))
        where[p.article_id] = out[-1].story_id
    return out
