"""Roles of named entities: protagonist, antagonist or innocent, and the fine roles.

Each mention is described by feature groups, each normalised on its own
(``lexical.GroupedVectorizer``) so that a small group counts as much as a large one:

* ``s``: the words of its sentence (the mention itself masked);
* ``lr``: the content words just before and just after it;
* ``w``: the words of a wider window around it;
* ``m``: the mention's own words;
* ``e``: the words of the other sentences that name the same entity (its last
  capitalised word, anywhere in the article);
* ``cue``: the cue groups of its sentence's words (``rolecues.py``: harm, deceit, ...);
* ``dep``: its grammatical place in the spaCy parse: the verb it is the subject or
  object of, a passive's agent, the words modifying it (``rolecues.py``);
* ``meta``: whether it is inside a quotation, and how often the article names it.

A multinomial head picks the main role; a head per fine role scores the fine
roles, and those of the chosen main role are kept when they reach ``t_fine`` and
``r_fine`` times the best of them (at least the best is kept). At run time an
entity's mentions are scored together and the mention that shows the role most
clearly is reported, with its sentence as evidence.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

import numpy as np

from .lexical import GroupedVectorizer, LinearHead
from .rolecues import cue_features, dependency_features
from .taxonomy import ROLES
from ..extract.entities import parse, quoted_intervals
from ..extract.temporal import split_sentences as sentences
from .text import STOP, analyzer, words

WINDOW = 300          # characters either side for the wide context
SIDE = 4              # words just before / after the mention
MAX_OCCURRENCES = 12  # other sentences naming the entity that are read
ROLE_TYPES = ("PERSON", "ORG", "PLACE", "MEDIA")
_NAME_WORD = re.compile(r"[^\W\d_]+")


def _containing(spans: list[tuple[int, int]], start: int) -> tuple[int, int]:
    k = bisect_right([s for s, _ in spans], start) - 1
    return spans[k] if k >= 0 else (0, 0)


def name_key(mention: str) -> str | None:
    """The word that names the entity elsewhere in the text: the last capitalised word of
    three letters or more ("Zelensky" in "President Volodymyr Zelensky"), else the last such word."""
    toks = [w for w in _NAME_WORD.findall(mention) if len(w) > 2]
    caps = [w for w in toks if w[0].isupper()]
    return (caps or toks or [None])[-1]


def occurrences(text: str, mention: str) -> list[tuple[int, int]]:
    """Spans of ``name_key(mention)`` as a whole word in ``text``."""
    key = name_key(mention)
    if not key:
        return []
    return [(m.start(), m.end()) for m in re.finditer(rf"\b{re.escape(key)}\b", text)]


def frequency_bin(n: int) -> str:
    return "1" if n <= 1 else "2" if n == 2 else "3-4" if n <= 4 else "5-9" if n <= 9 else "10+"


def mention_features(text: str, start: int, end: int, spans: list[tuple[int, int]] | None = None,
                     doc: Any = None, quotes: list[tuple[int, int]] | None = None) -> list[str]:
    """Features of the mention ``text[start:end]`` in its context.

    ``spans`` are the text's sentences, ``doc`` its spaCy parse (no ``dep`` features
    without it), ``quotes`` the spans inside quotation marks (computed when not given).
    """
    spans = spans if spans is not None else sentences(text)
    s, e = _containing(spans, start)
    s, e = min(s, start), max(e, end)
    sent = text[s:start] + " " + text[end:e]
    left = [w for w in words(text[max(0, start - 80):start]) if w not in STOP][-SIDE:]
    right = [w for w in words(text[end:end + 80]) if w not in STOP][:SIDE]
    wide = [w for w in words(text[max(0, start - WINDOW):start] + " " + text[end:end + WINDOW])
            if w not in STOP and len(w) > 2]
    if quotes is None:
        quotes = quoted_intervals(text)
    occ = occurrences(text, text[start:end])
    out = ([f"s|{w}" for w in analyzer(sent)] + [f"lr|l:{w}" for w in left] + [f"lr|r:{w}" for w in right]
           + [f"w|{w}" for w in wide] + [f"m|{w}" for w in words(text[start:end])]
           + cue_features(words(sent)) + [f"meta|freq:{frequency_bin(len(occ))}"])
    if any(qs <= start < qe for qs, qe in quotes):
        out.append("meta|quoted")
    if doc is not None:
        out += dependency_features(doc, start, end)
    seen = {(s, e)}
    for os_, oe in occ:
        if os_ < end and oe > start:
            continue
        sent_span = _containing(spans, os_)
        if sent_span in seen:
            continue
        seen.add(sent_span)
        if len(seen) > MAX_OCCURRENCES:
            break
        out += [f"e|{w}" for w in analyzer(text[sent_span[0]:os_] + " " + text[oe:sent_span[1]]) if " " not in w]
    return out


@dataclass
class RoleDecision:
    t_fine: float = 0.3
    r_fine: float = 0.8

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class RoleModel:
    vectorizer: GroupedVectorizer
    main: LinearHead          # softmax over the main roles (W columns are class scores)
    fine: LinearHead
    decision: RoleDecision

    def main_proba(self, X: np.ndarray) -> np.ndarray:
        z = X @ self.main.W + self.main.b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def probabilities(self, feature_lists: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        X = self.vectorizer.rows_from_features(feature_lists)
        return self.main_proba(X), self.fine.proba(X)

    def decide(self, pm: np.ndarray, pf: np.ndarray, d: RoleDecision | None = None) -> tuple[str, list[str]]:
        d = d or self.decision
        main = self.main.labels[int(np.argmax(pm))]
        kids = [k for k, r in enumerate(self.fine.labels) if r in ROLES[main]]
        if not kids:
            return main, []
        kids.sort(key=lambda k: -pf[k])
        top = pf[kids[0]]
        keep = [kids[0]] + [k for k in kids[1:] if pf[k] >= d.t_fine and pf[k] >= d.r_fine * top]
        return main, [self.fine.labels[k] for k in keep]

    def predict_mentions(self, text: str, mentions: list[tuple[int, int]], doc: Any = None) -> list[tuple[str, list[str]]]:
        """Main and fine roles of each ``(start, end)`` mention of ``text`` (``doc``: its spaCy parse, made when not given)."""
        if not mentions:
            return []
        spans, doc, quotes = sentences(text), doc if doc is not None else parse(text), quoted_intervals(text)
        pm, pf = self.probabilities([mention_features(text, s, e, spans, doc, quotes) for s, e in mentions])
        return [self.decide(pm[i], pf[i]) for i in range(len(mentions))]

    def analyse(self, text: str, entities: list[dict], max_entities: int = 8, max_mentions: int = 12,
                doc: Any = None) -> list[dict]:
        """``[{entity_id, mention, start, end, main_role, fine_roles, score, evidence}]`` for the salient entities.

        ``doc`` is the text's spaCy parse; when not given it is taken from the parse cache the
        entities stage filled (or made).
        """
        cands = [e for e in entities if e.get("type") in ROLE_TYPES and e.get("mentions")]
        cands.sort(key=lambda e: (-len(e["mentions"]), e["mentions"][0]["start"]))
        salient = [e for e in cands if len(e["mentions"]) >= 2][:max_entities] or cands[:3]
        if not salient:
            return []
        spans, doc, quotes = sentences(text), doc if doc is not None else parse(text), quoted_intervals(text)
        rows, owner = [], []
        for i, e in enumerate(salient):
            for m in e["mentions"][:max_mentions]:
                rows.append(mention_features(text, m["start"], m["end"], spans, doc, quotes))
                owner.append((i, m))
        pm, pf = self.probabilities(rows)
        out = []
        for i, e in enumerate(salient):
            idx = [k for k, (o, _) in enumerate(owner) if o == i]
            main_p, fine_p = pm[idx].mean(axis=0), pf[idx].mean(axis=0)
            main, fines = self.decide(main_p, fine_p)
            j = self.main.labels.index(main)
            best = idx[int(np.argmax(pm[idx, j]))]
            m = owner[best][1]
            s, t = _containing(spans, m["start"])
            out.append({"entity_id": e.get("id"), "mention": m["text"], "start": m["start"], "end": m["end"],
                        "main_role": main, "fine_roles": fines, "score": round(float(main_p[j]), 3),
                        "evidence": [{"start": min(s, m["start"]), "end": max(t, m["end"])}]})
        return out
