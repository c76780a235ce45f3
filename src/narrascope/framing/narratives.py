"""Narratives and sub-narratives of one article, with the sentences that carry them.

A coarse head scores every narrative of the taxonomy and a fine head every
sub-narrative, both linear over the article's TF-IDF features. The decision rule
(tuned by cross-validation in ``training.py``):

* a narrative is kept when its probability reaches ``t_coarse`` and
  ``r_coarse`` times the best narrative's; none kept means "Other";
* under each kept narrative, a sub-narrative is kept when it reaches ``t_fine``
  and ``r_fine`` times the best of its siblings; none kept gives "<narrative>: Other".

Sentence cues (``cues.py``, rule-based) add "Blaming the war on others" when a
sentence makes the West or Ukraine the cause of the war and the coarse head gives
the narrative at least ``cue_floor``; the cue sentences are then its evidence.

Evidence otherwise: the sentences whose own features score highest on the label's weights.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .cues import BLAME_NARRATIVE, UKRAINE_SUB, WEST_SUB, blame_cues
from .lexical import LinearHead, Vectorizer
from .taxonomy import OTHER
from ..extract.temporal import split_sentences as sentences


@dataclass
class Decision:
    t_coarse: float = 0.5
    r_coarse: float = 0.0
    t_fine: float = 0.3
    r_fine: float = 0.5
    max_evidence: int = 2
    cue_floor: float = 0.25

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class NarrativeLabels:
    """Labels of one article in the task's form (for scoring) plus scores."""

    coarse: list[str]
    fine: list[str]
    coarse_scores: dict[str, float] = field(default_factory=dict)
    fine_scores: dict[str, float] = field(default_factory=dict)


@dataclass
class NarrativeModel:
    vectorizer: Vectorizer
    coarse: LinearHead
    fine: LinearHead
    decision: Decision

    def __post_init__(self) -> None:
        self._children: dict[str, list[int]] = {n: [] for n in self.coarse.labels}
        for k, s in enumerate(self.fine.labels):
            for n in self.coarse.labels:
                if s.startswith(n + ": ") and not s.endswith(f": {OTHER}"):
                    self._children[n].append(k)

    def probabilities(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        X = self.vectorizer.rows(texts)
        return self.coarse.proba(X), self.fine.proba(X)

    def decide(self, pc: np.ndarray, pf: np.ndarray, d: Decision | None = None,
               cues: list[tuple[int, int, str]] | None = None) -> NarrativeLabels:
        """Labels from one article's probabilities (rows of ``probabilities``) and blame cues."""
        d = d or self.decision
        best = float(pc.max()) if len(pc) else 0.0
        kept = [j for j in np.argsort(-pc) if pc[j] >= d.t_coarse and pc[j] >= d.r_coarse * best]
        blame = self.coarse.labels.index(BLAME_NARRATIVE) if BLAME_NARRATIVE in self.coarse.labels else None
        cue_subs: list[str] = []
        if cues and blame is not None and pc[blame] >= d.cue_floor:
            cue_subs = [WEST_SUB if any(side == "west" for *_, side in cues) else UKRAINE_SUB]
            if blame not in kept:
                kept.append(blame)
        if not kept:
            return NarrativeLabels([OTHER], [OTHER])
        coarse, fine, cs, fs = [], [], {}, {}
        for j in kept:
            n = self.coarse.labels[j]
            coarse.append(n)
            cs[n] = float(pc[j])
            kids = self._children[n]
            top = max((pf[k] for k in kids), default=0.0)
            chosen = [k for k in sorted(kids, key=lambda k: -pf[k]) if pf[k] >= d.t_fine and pf[k] >= d.r_fine * top]
            for k in chosen:
                fine.append(self.fine.labels[k])
                fs[self.fine.labels[k]] = float(pf[k])
            if j == blame and cue_subs:
                for sub in cue_subs:
                    if sub not in fine:
                        fine.append(sub)
                        fs[sub] = max(float(pf[self.fine.labels.index(sub)]), float(pc[j]))
                continue
            if not chosen:
                fine.append(f"{n}: {OTHER}")
                fs[f"{n}: {OTHER}"] = float(pc[j])
        return NarrativeLabels(coarse, fine, cs, fs)

    def labels(self, texts: list[str]) -> list[NarrativeLabels]:
        pc, pf = self.probabilities(texts)
        return [self.decide(pc[i], pf[i], cues=blame_cues(t, sentences(t))) for i, t in enumerate(texts)]

    def analyse(self, text: str) -> list[dict]:
        """``[{narrative, subnarrative, score, evidence: [{start, end}]}]``; empty means Other."""
        spans = sentences(text)
        cues = blame_cues(text, spans)
        pc, pf = self.probabilities([text])
        labels = self.decide(pc[0], pf[0], cues=cues)
        if labels.coarse == [OTHER]:
            return []
        return self._records(text, spans, labels, cues)

    def _records(self, text: str, spans: list[tuple[int, int]], labels: NarrativeLabels, cues) -> list[dict]:
        """One record per fine label with its evidence: the blame cues for the blame narrative, else
        the sentences that score highest on the label's weights."""
        S = self._sentence_rows([text[s:e] for s, e in spans]) if spans else None
        out = []
        for sub in labels.fine:
            n = next(c for c in labels.coarse if sub.startswith(c + ": "))
            head, label = (self.coarse, n) if sub.endswith(f": {OTHER}") else (self.fine, sub)
            if n == BLAME_NARRATIVE and cues:
                evidence = [{"start": s, "end": e} for s, e, _ in cues[: self.decision.max_evidence]]
            else:
                evidence = evidence_sentences(S, spans, self._weights(head, head.labels.index(label)),
                                              self.decision.max_evidence)
            out.append({"narrative": n, "subnarrative": sub, "score": round(labels.fine_scores[sub], 3),
                        "evidence": evidence})
        return out

    def _sentence_rows(self, sentences_: list[str]):
        return self.vectorizer.rows(sentences_)

    def _weights(self, head: LinearHead, j: int) -> np.ndarray:
        return head.W[:, j]


def evidence_sentences(S, spans: list[tuple[int, int]], weights: np.ndarray, k: int) -> list[dict]:
    """The ``k`` sentences (rows of ``S``) that score highest on a label's ``weights``, in text order;
    none that score zero or less."""
    if S is None:
        return []
    m = S @ weights
    order = [i for i in np.argsort(-m) if m[i] > 0][:k]
    return [{"start": spans[i][0], "end": spans[i][1]} for i in sorted(order)]
