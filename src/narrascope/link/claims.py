"""The same claim across articles, and each article's stance toward it.

Claims come from the ``claims`` stage (``narrascope.extract.claims``). Causal
claims are compared side by side — cause with cause, effect with effect, both
embedded — so "the pledge provoked the invasion" and "the war, which erupted
out of the prospect of membership" meet while "the pledge led to a civil war"
and "the statement triggered criticism" stay apart. Factual claims are
compared on their sentence. Grouping is greedy in publication order: a claim
joins the most similar group above the threshold, or starts one.

An article's stance toward a group is the stance of its sentence closest to
the group; an article with no sentence in the group does not make the claim
("absent" in the matrix).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

CAUSAL_SIM = 0.48   # min(cause similarity, effect similarity)
FACTUAL_SIM = 0.62  # sentence similarity


@dataclass
class Group:
    claim_id: str
    kind: str
    text: str
    vecs: list[np.ndarray] = field(default_factory=list)   # one row per member (cause|effect or sentence)
    members: list[tuple[str, int]] = field(default_factory=list)

    def centroid(self) -> np.ndarray:
        return np.mean(self.vecs, axis=0)


def claim_id(article_id: str, start: int) -> str:
    return "C" + hashlib.sha1(f"{article_id}:{start}".encode()).hexdigest()[:12]


def _norm(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n else v


def similarity(kind: str, a: np.ndarray, b: np.ndarray) -> float:
    """Causal rows are [cause | effect]: the weaker side decides; factual rows are one sentence."""
    if kind == "causal":
        half = len(a) // 2
        return min(float(_norm(a[:half]) @ _norm(b[:half])), float(_norm(a[half:]) @ _norm(b[half:])))
    return float(_norm(a) @ _norm(b))


def texts_to_embed(claim: dict[str, Any]) -> list[str]:
    if claim["kind"] == "causal":
        return [claim.get("cause") or claim["text"], claim.get("effect") or claim["text"]]
    return [claim.get("context") or claim["text"]]


def group_claims(items: Sequence[tuple[str, int, dict[str, Any]]], embed: Callable[[list[str]], np.ndarray],
                 causal_sim: float = CAUSAL_SIM, factual_sim: float = FACTUAL_SIM) -> list[Group]:
    """``items``: (article_id, index, claim) in the order claims should be met (earliest article first)."""
    texts = [t for _, _, c in items for t in texts_to_embed(c)]
    vecs = embed(texts)
    rows, i = [], 0
    for _, _, c in items:
        n = 2 if c["kind"] == "causal" else 1
        rows.append(np.concatenate(list(vecs[i:i + n])))
        i += n
    groups: list[Group] = []
    for (aid, k, c), row in zip(items, rows):
        threshold = causal_sim if c["kind"] == "causal" else factual_sim
        best, best_sim = None, threshold
        for g in groups:
            if g.kind != c["kind"]:
                continue
            s = similarity(c["kind"], row, g.centroid())
            if s >= best_sim:
                best, best_sim = g, s
        if best is None:
            best = Group(claim_id(aid, c["start"]), c["kind"], c["text"])
            groups.append(best)
        best.vecs.append(row)
        best.members.append((aid, k))
    return groups


def article_claims(groups: Sequence[Group], claims_by_article: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """One entry per (article, claim group): the closest sentence's stance, other sentences as ``also``."""
    out: dict[str, list[dict[str, Any]]] = {aid: [] for aid in claims_by_article}
    for g in groups:
        n_articles = len({a for a, _ in g.members})
        by_article: dict[str, list[tuple[float, int]]] = {}
        cen = g.centroid()
        for (aid, k), row in zip(g.members, g.vecs):
            by_article.setdefault(aid, []).append((similarity(g.kind, row, cen), k))
        for aid, scored in by_article.items():
            scored.sort(reverse=True)
            best = claims_by_article[aid][scored[0][1]]
            entry = {"claim_id": g.claim_id, "kind": g.kind, "stance": best["stance"], "text": best["text"],
                     "start": best["start"], "end": best["end"], "cue": best.get("cue"),
                     "stance_cue": best.get("stance_cue"), "cause": best.get("cause"), "effect": best.get("effect"),
                     "date": best.get("date"), "n_articles": n_articles,
                     "also": [{"start": claims_by_article[aid][k]["start"], "end": claims_by_article[aid][k]["end"],
                               "stance": claims_by_article[aid][k]["stance"]} for _, k in scored[1:]]}
            out[aid].append(entry)
    for entries in out.values():
        entries.sort(key=lambda e: e["start"])
    return out
