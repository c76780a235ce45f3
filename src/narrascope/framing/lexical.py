"""TF-IDF features and linear label heads, evaluated with numpy alone at run time.

Training (``training.py``) fits them with scikit-learn and exports plain arrays;
here they are applied to new text without scikit-learn, so the packaged model
loads fast and carries no pickles.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from .text import analyzer


@dataclass
class Vectorizer:
    """Sublinear-tf TF-IDF over ``text.analyzer`` features, rows L2-normalised."""

    vocabulary: dict[str, int]
    idf: np.ndarray

    def rows(self, texts: list[str]) -> np.ndarray:
        return self.rows_from_features([analyzer(t) for t in texts])

    def rows_from_features(self, feature_lists: list[list[str]]) -> np.ndarray:
        out = np.zeros((len(feature_lists), len(self.idf)), dtype=np.float32)
        for i, feats in enumerate(feature_lists):
            counts = Counter(f for f in feats if f in self.vocabulary)
            for f, c in counts.items():
                out[i, self.vocabulary[f]] = 1.0 + np.log(c)
        out *= self.idf
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out

    def to_arrays(self, prefix: str) -> tuple[dict, dict[str, np.ndarray]]:
        terms = sorted(self.vocabulary, key=self.vocabulary.get)
        return {f"{prefix}_terms": terms}, {f"{prefix}_idf": self.idf.astype(np.float32)}

    @classmethod
    def from_arrays(cls, prefix: str, meta: dict, arrays) -> "Vectorizer":
        terms = meta[f"{prefix}_terms"]
        return cls({t: i for i, t in enumerate(terms)}, np.asarray(arrays[f"{prefix}_idf"], dtype=np.float32))


@dataclass
class LinearHead:
    """One logistic model per label: ``p = sigmoid(x @ W + b)``.

    Weights are kept as int8 with one scale per label (the packaged model stays small).
    """

    labels: list[str]
    W: np.ndarray            # (features, labels) float32
    b: np.ndarray            # (labels,)

    def proba(self, X: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(X @ self.W + self.b)))

    def margins(self, X: np.ndarray) -> np.ndarray:
        """Per-label linear scores without the bias (for ranking evidence sentences)."""
        return X @ self.W

    def to_arrays(self, prefix: str) -> tuple[dict, dict[str, np.ndarray]]:
        scale = np.abs(self.W).max(axis=0) / 127.0
        scale[scale == 0] = 1.0
        q = np.round(self.W / scale).astype(np.int8)
        return ({f"{prefix}_labels": list(self.labels)},
                {f"{prefix}_W": q, f"{prefix}_scale": scale.astype(np.float32),
                 f"{prefix}_b": self.b.astype(np.float32)})

    @classmethod
    def from_arrays(cls, prefix: str, meta: dict, arrays) -> "LinearHead":
        W = arrays[f"{prefix}_W"].astype(np.float32) * arrays[f"{prefix}_scale"]
        return cls(list(meta[f"{prefix}_labels"]), W, np.asarray(arrays[f"{prefix}_b"], dtype=np.float32))


def feature_group(feature: str) -> str:
    """The group of a ``"<group>|<feature>"`` string (``""`` when it has none)."""
    g, sep, _ = feature.partition("|")
    return g if sep else ""


@dataclass
class GroupedVectorizer:
    """One TF-IDF ``Vectorizer`` per feature group, each row part L2-normalised and weighted.

    A group with many features (the words of a sentence) then does not drown one with a few
    (the mention's grammatical relation); the parts are concatenated in ``groups`` order.
    """

    groups: dict[str, Vectorizer]
    weights: dict[str, float]

    @property
    def size(self) -> int:
        return sum(len(v.idf) for v in self.groups.values())

    def rows_from_features(self, feature_lists: list[list[str]]) -> np.ndarray:
        split: dict[str, list[list[str]]] = {g: [[] for _ in feature_lists] for g in self.groups}
        for i, feats in enumerate(feature_lists):
            for f in feats:
                part = split.get(feature_group(f))
                if part is not None:
                    part[i].append(f)
        if not self.groups:
            return np.zeros((len(feature_lists), 0), dtype=np.float32)
        return np.hstack([v.rows_from_features(split[g]) * np.float32(self.weights.get(g, 1.0))
                          for g, v in self.groups.items()])

    def to_arrays(self, prefix: str) -> tuple[dict, dict[str, np.ndarray]]:
        meta: dict = {f"{prefix}_groups": list(self.groups), f"{prefix}_weights": dict(self.weights)}
        arrays: dict[str, np.ndarray] = {}
        for k, v in enumerate(self.groups.values()):
            m, a = v.to_arrays(f"{prefix}{k}")
            meta.update(m)
            arrays.update(a)
        return meta, arrays

    @classmethod
    def from_arrays(cls, prefix: str, meta: dict, arrays) -> "GroupedVectorizer":
        names = meta[f"{prefix}_groups"]
        return cls({g: Vectorizer.from_arrays(f"{prefix}{k}", meta, arrays) for k, g in enumerate(names)},
                   dict(meta[f"{prefix}_weights"]))
