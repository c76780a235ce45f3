"""Fitting and cross-validating the multilingual narrative model (scikit-learn; not used at run time).

The training pool is every labelled article of the five languages except the held-out test
parts (``eval/framing_split/*_test.txt``), which the callers pass as ``exclude``. Folds:
``KFold`` over the pool (seed 0). The decision thresholds are global (not per label), tuned
on out-of-fold probabilities; in the reported cross-validation each fold's thresholds come
from the other folds' out-of-fold probabilities ("cross-fitting"), so a fold's own labels
never choose them. The objective is the mean over languages of coarse + fine F1-samples,
so the small Russian part counts as much as the others.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from .cues import BLAME_NARRATIVE, UKRAINE_SUB, WEST_SUB, blame_cues
from .dataset import Document, load_dataset
from .embed import EmbeddingCache, embed_articles
from .lexical import LinearHead, Vectorizer
from .metrics import f1_samples
from .multilingual import Features, MultilingualNarrativeModel
from .narratives import Decision
from .taxonomy import OTHER, Taxonomy
from .training import _onehot, _ovr
from .text import char_wb
from ..extract.temporal import split_sentences as sentences

LANG_DIRS = {"en": ".", "ru": "multilingual/RU", "bg": "multilingual/BG", "pt": "multilingual/PT",
             "hi": "multilingual/HI"}


@dataclass
class MLSettings:
    """Chosen by 5-fold CV on the training parts (eval/framing_split/RESULTS.md lists the runs)."""
    C: float = 1.0
    w_emb: float = 2.0
    w_char: float = 1.0
    w_lang: float = 1.0
    n_chunks: int = 4
    max_features: int = 30000
    min_df: int = 3
    balanced: bool = True
    folds: int = 5
    seed: int = 0


@dataclass
class Pool:
    """Labelled articles with their language, embeddings and character n-gram counts."""

    docs: list[Document]
    langs: list[str]
    E: np.ndarray | None = None          # (n, 384) article embeddings
    counts: object = None                # (n, terms) csr counts of char n-grams (df >= 2 in the pool)
    terms: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.docs)


def read_language(root: str | Path, lang: str) -> list[Document]:
    return load_dataset(Path(root) / LANG_DIRS[lang]).labelled


def load_pool(root: str | Path, exclude: set[str], languages=tuple(LANG_DIRS)) -> Pool:
    docs, langs = [], []
    for lang in languages:
        for d in read_language(root, lang):
            if d.id not in exclude:
                docs.append(d)
                langs.append(lang)
    return Pool(docs, langs)


def prepare(pool: Pool, s: MLSettings, cache: EmbeddingCache | None, progress=None) -> Pool:
    from sklearn.feature_extraction.text import CountVectorizer

    if progress:
        progress(f"embedding {len(pool)} articles ({s.n_chunks} chunks each)")
    pool.E = embed_articles([d.text for d in pool.docs], s.n_chunks, cache)
    cv = CountVectorizer(analyzer=char_wb, min_df=2, dtype=np.float32)
    pool.counts = cv.fit_transform([d.text for d in pool.docs]).tocsr()
    pool.terms = cv.get_feature_names_out().tolist()
    return pool


def _char_vectorizer(pool: Pool, rows: np.ndarray, s: MLSettings) -> tuple[Vectorizer, np.ndarray]:
    """TF-IDF over the training rows only: terms with df >= min_df, the max_features most
    frequent (as scikit-learn chooses), smooth idf. Returns the vectorizer and the columns."""
    C = pool.counts[rows]
    df = np.asarray((C > 0).sum(axis=0)).ravel()
    tf = np.asarray(C.sum(axis=0)).ravel()
    ok = np.flatnonzero(df >= s.min_df)
    if len(ok) > s.max_features:
        ok = ok[np.argsort(-tf[ok], kind="stable")[: s.max_features]]
    ok = np.sort(ok)
    idf = (np.log((1 + len(rows)) / (1 + df[ok])) + 1).astype(np.float32)
    return Vectorizer({pool.terms[j]: k for k, j in enumerate(ok)}, idf), ok


def _char_rows(pool: Pool, rows, cols: np.ndarray, idf: np.ndarray):
    from sklearn.preprocessing import normalize

    X = pool.counts[rows][:, cols].tocsr().astype(np.float32)
    X.data = 1.0 + np.log(X.data)
    X = X.multiply(idf).tocsr()
    return normalize(X, norm="l2", copy=False)


def _design(pool: Pool, rows, cols, idf, feats: Features):
    from scipy.sparse import csr_matrix, hstack

    w = feats.weights
    L = feats.lang_rows([pool.langs[i] for i in rows])
    return hstack([csr_matrix(pool.E[rows] * w["emb"]), _char_rows(pool, rows, cols, idf) * w["char"],
                   csr_matrix(L * w["lang"])]).tocsr()


def labels_of(tax: Taxonomy) -> tuple[list[str], list[str]]:
    coarse = list(tax.narratives)
    fine = [x for x in tax.fine_labels if not x.endswith(f": {OTHER}")]
    return coarse, fine


def _heads(X, Y: np.ndarray, labels: list[str], s: MLSettings) -> LinearHead:
    # the dual problem: far fewer articles than features (12 times faster here, same optimum)
    return _ovr(X, Y, labels, s.C, balanced=s.balanced, dual=True, max_iter=5000, random_state=0)


def fit(pool: Pool, rows, tax: Taxonomy, s: MLSettings, decision: Decision | None = None) -> MultilingualNarrativeModel:
    rows = np.asarray(rows)
    vec, cols = _char_vectorizer(pool, rows, s)
    feats = Features(vec, list(LANG_DIRS), {"emb": s.w_emb, "char": s.w_char, "lang": s.w_lang}, s.n_chunks)
    X = _design(pool, rows, cols, vec.idf, feats)
    coarse, fine = labels_of(tax)
    docs = [pool.docs[i] for i in rows]
    model = MultilingualNarrativeModel(
        feats, _heads(X, _onehot([d.narratives for d in docs], coarse), coarse, s),
        _heads(X, _onehot([d.subnarratives for d in docs], fine), fine, s), decision or Decision())
    model._cols = cols   # columns of pool.counts, for predicting other pool rows without re-reading text
    return model


def predict_rows(model: MultilingualNarrativeModel, pool: Pool, rows) -> tuple[np.ndarray, np.ndarray]:
    X = _design(pool, np.asarray(rows), model._cols, model.vectorizer.char.idf, model.vectorizer)
    X = X.toarray()
    return model.coarse.proba(X), model.fine.proba(X)


def folds(n: int, k: int, seed: int):
    from sklearn.model_selection import KFold

    return list(KFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(n)))


def oof(pool: Pool, rows, tax: Taxonomy, s: MLSettings, progress=None):
    """Out-of-fold probabilities over ``rows`` of the pool (k folds)."""
    rows = np.asarray(rows)
    Pc = Pf = None
    for f, (tr, te) in enumerate(folds(len(rows), s.folds, s.seed)):
        m = fit(pool, rows[tr], tax, s)
        pc, pf = predict_rows(m, pool, rows[te])
        if Pc is None:
            Pc, Pf = np.zeros((len(rows), pc.shape[1])), np.zeros((len(rows), pf.shape[1]))
        Pc[te], Pf[te] = pc, pf
        if progress:
            progress(f"  fold {f + 1}/{s.folds} fitted")
    return Pc, Pf, m


# ---------------------------------------------------------------- vectorised decision rule
class Decider:
    """``NarrativeModel.decide`` over whole matrices (for tuning): predicted label sets as
    0/1 matrices over ``coarse + [Other]`` and ``fine + [n: Other for n] + [Other]``."""

    def __init__(self, tax: Taxonomy, docs: list[Document], langs: list[str]):
        self.coarse, self.fine = labels_of(tax)
        C = len(self.coarse)
        self.parent = np.array([self.coarse.index(tax.parent(x)) for x in self.fine])
        self.fine_all = self.fine + [f"{n}: {OTHER}" for n in self.coarse] + [OTHER]
        self.Gc = _onehot([d.narratives for d in docs], self.coarse + [OTHER]).astype(bool)
        self.Gf = _onehot([d.subnarratives for d in docs], self.fine_all).astype(bool)
        # gold labels outside the known classes still count in |gold| (as the scorer does)
        self.nc = np.array([len(set(d.narratives)) for d in docs])
        self.nf = np.array([len(set(d.subnarratives)) for d in docs])
        self.blame = self.coarse.index(BLAME_NARRATIVE) if BLAME_NARRATIVE in self.coarse else None
        self.cue_sub = np.full(len(docs), -1)
        for i, (d, lang) in enumerate(zip(docs, langs)):
            if lang == "en" and self.blame is not None:
                cues = blame_cues(d.text, sentences(d.text))
                if cues:
                    sub = WEST_SUB if any(side == "west" for *_, side in cues) else UKRAINE_SUB
                    self.cue_sub[i] = self.fine.index(sub)
        self.C = C

    def scores(self, Pc, Pf, d: Decision) -> tuple[np.ndarray, np.ndarray]:
        """Per-article coarse and fine F1 of the decision ``d``."""
        n = len(Pc)
        kept = (Pc >= d.t_coarse) & (Pc >= d.r_coarse * Pc.max(axis=1, keepdims=True))
        cue = np.zeros(n, dtype=bool)
        if self.blame is not None:
            cue = (self.cue_sub >= 0) & (Pc[:, self.blame] >= d.cue_floor)
            kept[cue, self.blame] = True
        sib = np.zeros((n, self.C))
        for c in range(self.C):
            idx = np.flatnonzero(self.parent == c)
            if len(idx):
                sib[:, c] = Pf[:, idx].max(axis=1)
        fk = kept[:, self.parent] & (Pf >= d.t_fine) & (Pf >= d.r_fine * sib[:, self.parent])
        any_child = np.zeros((n, self.C), dtype=bool)
        for c in range(self.C):
            idx = np.flatnonzero(self.parent == c)
            if len(idx):
                any_child[:, c] = fk[:, idx].any(axis=1)
        n_other = kept & ~any_child
        rows = np.flatnonzero(cue)
        if len(rows):
            fk[rows, self.cue_sub[rows]] = True
            n_other[rows, self.blame] = False
        none = ~kept.any(axis=1, keepdims=True)
        pc = np.hstack([kept, none])
        pf = np.hstack([fk, n_other, none])
        return _f1(self.Gc, pc, self.nc), _f1(self.Gf, pf, self.nf)


def _f1(G, P, ngold) -> np.ndarray:
    tp = (G & P).sum(axis=1)
    denom = ngold + P.sum(axis=1)
    return np.where(tp > 0, 2 * tp / np.maximum(denom, 1), 0.0)


GRID = {
    "t_coarse": [round(float(x), 2) for x in np.arange(0.2, 0.91, 0.05)],
    "r_coarse": [0.0, 0.5, 0.7, 0.85],
    "t_fine": [round(float(x), 2) for x in np.arange(0.1, 0.91, 0.05)],
    "r_fine": [0.0, 0.5, 0.8],
}


def tune(dec: Decider, Pc, Pf, langs: list[str], rows=None) -> Decision:
    """The grid point with the best mean over languages of coarse + fine F1-samples (on ``rows``)."""
    rows = np.arange(len(Pc)) if rows is None else np.asarray(rows)
    groups = {}
    for k, i in enumerate(rows):
        groups.setdefault(langs[i], []).append(k)
    groups = [np.array(g) for g in groups.values()]
    sub = _SubDecider(dec, rows)
    best, best_d = -1.0, Decision()
    for tc, rc in itertools.product(GRID["t_coarse"], GRID["r_coarse"]):
        for tf, rf in itertools.product(GRID["t_fine"], GRID["r_fine"]):
            d = Decision(tc, rc, tf, rf)
            c, f = sub.scores(Pc[rows], Pf[rows], d)
            score = float(np.mean([c[g].mean() + f[g].mean() for g in groups]))
            if score > best + 1e-12:
                best, best_d = score, d
    return best_d


class _SubDecider(Decider):
    def __init__(self, dec: Decider, rows):
        self.__dict__.update(dec.__dict__)
        self.Gc, self.Gf, self.nc, self.nf, self.cue_sub = (dec.Gc[rows], dec.Gf[rows], dec.nc[rows], dec.nf[rows],
                                                            dec.cue_sub[rows])


@dataclass
class MLCV:
    decision_per_fold: list[dict]
    by_language: dict[str, tuple[float, float, int]]       # lang -> (coarse, fine, documents)
    predictions: dict[str, tuple[list[str], list[str]]]


def cross_validate(pool: Pool, tax: Taxonomy, s: MLSettings, progress=None) -> tuple[MLCV, np.ndarray, np.ndarray]:
    rows = np.arange(len(pool))
    Pc, Pf, model = oof(pool, rows, tax, s, progress)
    dec = Decider(tax, pool.docs, pool.langs)
    preds: dict[str, tuple[list[str], list[str]]] = {}
    decisions = []
    for tr, te in folds(len(rows), s.folds, s.seed):
        d = tune(dec, Pc, Pf, pool.langs, tr)
        decisions.append(d.as_dict())
        for i in te:
            lab = model.decide(Pc[i], Pf[i], d, _cues(pool.docs[i], pool.langs[i]))
            preds[pool.docs[i].id] = (lab.coarse, lab.fine)
    return MLCV(decisions, by_language(pool, preds), preds), Pc, Pf


def _cues(doc: Document, lang: str):
    return blame_cues(doc.text, sentences(doc.text)) if lang == "en" else None


def by_language(pool: Pool, preds) -> dict[str, tuple[float, float, int]]:
    out = {}
    for lang in dict.fromkeys(pool.langs):
        docs = [d for d, l in zip(pool.docs, pool.langs) if l == lang and d.id in preds]
        if docs:
            out[lang] = (f1_samples([d.narratives for d in docs], [preds[d.id][0] for d in docs]),
                         f1_samples([d.subnarratives for d in docs], [preds[d.id][1] for d in docs]), len(docs))
    return out


def train(pool: Pool, tax: Taxonomy, s: MLSettings, progress=None) -> MultilingualNarrativeModel:
    """Fit on the whole pool; the global thresholds are tuned on its out-of-fold probabilities."""
    Pc, Pf, _ = oof(pool, np.arange(len(pool)), tax, s, progress)
    d = tune(Decider(tax, pool.docs, pool.langs), Pc, Pf, pool.langs)
    if progress:
        progress(f"decision {d.as_dict()}")
    return fit(pool, np.arange(len(pool)), tax, s, d)


def leave_one_language_out(pool: Pool, tax: Taxonomy, s: MLSettings, decision: Decision,
                           progress=None) -> dict[str, tuple[float, float, int]]:
    """For each language: fit on the others' training parts, score its training part (the given
    thresholds; the held-out language's prior is unknown to the model, its one-hot is unseen)."""
    out = {}
    langs = np.array(pool.langs)
    for lang in dict.fromkeys(pool.langs):
        tr, te = np.flatnonzero(langs != lang), np.flatnonzero(langs == lang)
        m = fit(pool, tr, tax, s, decision)
        pc, pf = predict_rows(m, pool, te)
        preds = {}
        for k, i in enumerate(te):
            lab = m.decide(pc[k], pf[k], decision, _cues(pool.docs[i], lang))
            preds[pool.docs[i].id] = (lab.coarse, lab.fine)
        out[lang] = by_language(pool, preds)[lang]
        if progress:
            progress(f"  leave out {lang}: coarse {out[lang][0]:.3f} fine {out[lang][1]:.3f}")
    return out


# ---------------------------------------------------------------- the held-out test parts
def read_held_out(folder: str | Path) -> dict[str, list[str]]:
    """``{language: [article file, ...]}`` from ``<lang>_test.txt`` files (eval/framing_split)."""
    out = {}
    for p in sorted(Path(folder).glob("*_test.txt")):
        out[p.name.split("_")[0]] = [x.strip() for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]
    return out


def ids_digest(ids) -> str:
    import hashlib

    return hashlib.sha256("\n".join(sorted(ids)).encode("utf-8")).hexdigest()[:16]
