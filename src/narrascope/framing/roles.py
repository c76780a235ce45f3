"""Roles of named entities: protagonist, antagonist or innocent, and the fine roles.

Each mention is described by the words of its sentence (the mention itself
masked), the words just before and after it, the words of a wider window and the
mention's own words. A multinomial head picks the main role; a head per fine role
scores the fine roles, and those of the chosen main role are kept when they reach
``t_fine`` and ``r_fine`` times the best of them (at least the best is kept).
At run time an entity's mentions are scored together and the mention that shows
the role most clearly is reported, with its sentence as evidence.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from .lexical import LinearHead, Vectorizer
from .taxonomy import ROLES
from ..extract.temporal import split_sentences as sentences
from .text import STOP, analyzer, words

WINDOW = 300          # characters either side for the wide context
SIDE = 4              # words just before / after the mention
ROLE_TYPES = ("PERSON", "ORG", "PLACE", "MEDIA")


def _containing(spans: list[tuple[int, int]], start: int) -> tuple[int, int]:
    k = bisect_right([s for s, _ in spans], start) - 1
    return spans[k] if k >= 0 else (0, 0)


def mention_features(text: str, start: int, end: int, spans: list[tuple[int, int]] | None = None) -> list[str]:
    """Features of the mention ``text[start:end]`` in its context."""
    spans = spans if spans is not None else sentences(text)
    s, e = _containing(spans, start)
    s, e = min(s, start), max(e, end)
    sent = text[s:start] + " " + text[end:e]
    left = [w for w in words(text[max(0, start - 80):start]) if w not in STOP][-SIDE:]
    right = [w for w in words(text[end:end + 80]) if w not in STOP][:SIDE]
    wide = [w for w in words(text[max(0, start - WINDOW):start] + " " + text[end:end + WINDOW])
            if w not in STOP and len(w) > 2]
    return (analyzer(sent) + [f"l:{w}" for w in left] + [f"r:{w}" for w in right]
            + [f"w:{w}" for w in wide] + [f"m:{w}" for w in words(text[start:end])])


@dataclass
class RoleDecision:
    t_fine: float = 0.3
    r_fine: float = 0.8

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class RoleModel:
    vectorizer: Vectorizer
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

    def predict_mentions(self, text: str, mentions: list[tuple[int, int]]) -> list[tuple[str, list[str]]]:
        """Main and fine roles of each ``(start, end)`` mention of ``text``."""
        if not mentions:
            return []
        spans = sentences(text)
        pm, pf = self.probabilities([mention_features(text, s, e, spans) for s, e in mentions])
        return [self.decide(pm[i], pf[i]) for i in range(len(mentions))]

    def analyse(self, text: str, entities: list[dict], max_entities: int = 8, max_mentions: int = 12) -> list[dict]:
        """``[{entity_id, mention, start, end, main_role, fine_roles, score, evidence}]`` for the salient entities."""
        cands = [e for e in entities if e.get("type") in ROLE_TYPES and e.get("mentions")]
        cands.sort(key=lambda e: (-len(e["mentions"]), e["mentions"][0]["start"]))
        salient = [e for e in cands if len(e["mentions"]) >= 2][:max_entities] or cands[:3]
        if not salient:
            return []
        spans = sentences(text)
        rows, owner = [], []
        for i, e in enumerate(salient):
            for m in e["mentions"][:max_mentions]:
                rows.append(mention_features(text, m["start"], m["end"], spans))
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
