"""Fitting and cross-validating the framing models (needs scikit-learn; not used at run time).

Folds are our own: ``KFold`` over the labelled documents with a fixed seed (roles:
folds by document, so no article is on both sides). Decision thresholds are tuned
on out-of-fold probabilities of an inner cross-validation inside each training
part, so the reported scores never see the held-out fold.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .cues import blame_cues
from .dataset import Document
from .lexical import GroupedVectorizer, LinearHead, Vectorizer, feature_group
from .metrics import accuracy, exact_match_ratio, f1_samples
from .narratives import Decision, NarrativeModel
from .roles import RoleDecision, RoleModel, mention_features
from .taxonomy import OTHER, ROLES, Taxonomy
from ..extract.temporal import split_sentences as sentences
from .text import analyzer


@dataclass
class Settings:
    C: float = 1.0                 # inverse regularisation of the narrative heads
    role_C: float = 2.0            # the fine-role heads (balanced classes)
    role_main_C: float = 4.0       # the main-role head (classes as they come: accuracy is its score)
    min_df: int = 2
    max_features: int = 12000
    role_max_features: int = 8000  # per feature group
    inner_folds: int = 3
    seed: int = 0


# ---------------------------------------------------------------- fitting
def _tfidf(feature_lists, s: Settings, max_features: int):
    from sklearn.feature_extraction.text import TfidfVectorizer

    v = TfidfVectorizer(analyzer=lambda x: x, sublinear_tf=True, min_df=s.min_df,
                        max_features=max_features, dtype=np.float32)
    X = v.fit_transform(feature_lists)
    vocab = {t: int(i) for t, i in v.vocabulary_.items()}
    return Vectorizer(vocab, v.idf_.astype(np.float32)), X


def _ovr(X, Y: np.ndarray, labels: list[str], C: float, balanced: bool = True, dual: bool = False,
         max_iter: int = 2000, random_state: int | None = None) -> LinearHead:
    """One logistic regression per label (liblinear); labels with fewer than 2 positives never fire.
    ``dual``: solve the dual problem, much faster when there are far fewer articles than features."""
    from sklearn.linear_model import LogisticRegression

    W = np.zeros((X.shape[1], len(labels)), dtype=np.float32)
    b = np.full(len(labels), -20.0, dtype=np.float32)
    for j in range(len(labels)):
        pos = int(Y[:, j].sum())
        if pos < 2 or pos == len(Y):
            continue
        m = LogisticRegression(C=C, class_weight="balanced" if balanced else None, max_iter=max_iter,
                               solver="liblinear", dual=dual, random_state=random_state).fit(X, Y[:, j])
        W[:, j], b[j] = m.coef_[0], m.intercept_[0]
    return LinearHead(labels, W, b)


def _grouped_tfidf(feature_lists, s: Settings, max_features: int):
    """A ``_tfidf`` per feature group, each part scaled by its weight (1), stacked side by side."""
    from scipy.sparse import hstack

    groups = sorted({feature_group(f) for fs in feature_lists for f in fs})
    vecs, parts = {}, []
    for g in groups:
        sub = [[f for f in fs if feature_group(f) == g] for fs in feature_lists]
        try:
            vecs[g], X = _tfidf(sub, s, max_features)
        except ValueError:      # no feature of the group in min_df rows
            continue
        parts.append(X)
    return GroupedVectorizer(vecs, {g: 1.0 for g in vecs}), hstack(parts).tocsr()


def _softmax_head(X, y: list[str], labels: list[str], C: float, class_weight: str | None = "balanced") -> LinearHead:
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=C, class_weight=class_weight, max_iter=3000).fit(X, y)
    W = np.zeros((X.shape[1], len(labels)), dtype=np.float32)
    b = np.full(len(labels), -20.0, dtype=np.float32)
    coef = m.coef_ if len(m.classes_) > 2 else np.vstack([-m.coef_[0], m.coef_[0]])
    icpt = m.intercept_ if len(m.classes_) > 2 else np.array([-m.intercept_[0], m.intercept_[0]])
    for k, c in enumerate(m.classes_):
        j = labels.index(c)
        W[:, j], b[j] = coef[k], icpt[k]
    return LinearHead(labels, W, b)


def _onehot(sets, labels) -> np.ndarray:
    return np.array([[l in s for l in labels] for s in sets], dtype=np.int8)


def _folds(n: int, k: int, seed: int, groups: list[str] | None = None):
    from sklearn.model_selection import GroupKFold, KFold

    if groups is not None:
        return list(GroupKFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(n), groups=groups))
    return list(KFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(n)))


# ---------------------------------------------------------------- narratives
def fit_narratives(docs: list[Document], tax: Taxonomy, s: Settings, decision: Decision | None = None) -> NarrativeModel:
    vec, X = _tfidf([analyzer(d.text) for d in docs], s, s.max_features)
    coarse = list(tax.narratives)
    fine = list(tax.fine_labels)
    Yc = _onehot([d.narratives for d in docs], coarse)
    Yf = _onehot([d.subnarratives for d in docs], fine)
    return NarrativeModel(vec, _ovr(X, Yc, coarse, s.C), _ovr(X, Yf, fine, s.C), decision or Decision())


DECISION_GRID = {
    "t_coarse": [round(float(x), 2) for x in np.arange(0.25, 0.80, 0.05)],
    "r_coarse": [0.0, 0.5, 0.7, 0.85],
    "t_fine": [round(float(x), 2) for x in np.arange(0.15, 0.75, 0.05)],
    "r_fine": [0.0, 0.5, 0.8],
}


def tune_decision(model: NarrativeModel, Pc: np.ndarray, Pf: np.ndarray, docs: list[Document]) -> Decision:
    """The grid point with the best sum of coarse and fine F1-samples on these probabilities."""
    gc, gf = [d.narratives for d in docs], [d.subnarratives for d in docs]
    cues = [blame_cues(d.text, sentences(d.text)) for d in docs]
    best, best_d = -1.0, Decision()
    for tc, rc in itertools.product(DECISION_GRID["t_coarse"], DECISION_GRID["r_coarse"]):
        # the coarse decision does not depend on the fine parameters: score it once
        d0 = Decision(tc, rc)
        coarse_score = f1_samples(gc, [model.decide(Pc[i], Pf[i], d0, cues[i]).coarse for i in range(len(docs))])
        if coarse_score + 1.0 < best:
            continue
        for tf, rf in itertools.product(DECISION_GRID["t_fine"], DECISION_GRID["r_fine"]):
            d = Decision(tc, rc, tf, rf)
            fine_score = f1_samples(gf, [model.decide(Pc[i], Pf[i], d, cues[i]).fine for i in range(len(docs))])
            if coarse_score + fine_score > best:
                best, best_d = coarse_score + fine_score, d
    return best_d


def _oof_probabilities(docs, tax, s: Settings, folds) -> tuple[NarrativeModel, np.ndarray, np.ndarray]:
    Pc = Pf = None
    model = None
    for tr, te in folds:
        model = fit_narratives([docs[i] for i in tr], tax, s)
        pc, pf = model.probabilities([docs[i].text for i in te])
        if Pc is None:
            Pc, Pf = np.zeros((len(docs), pc.shape[1])), np.zeros((len(docs), pf.shape[1]))
        Pc[te], Pf[te] = pc, pf
    return model, Pc, Pf


def train_narratives(docs: list[Document], tax: Taxonomy, s: Settings) -> NarrativeModel:
    """Fit on all documents; the decision rule is tuned on inner out-of-fold probabilities."""
    shape_model, Pc, Pf = _oof_probabilities(docs, tax, s, _folds(len(docs), s.inner_folds, s.seed + 1))
    decision = tune_decision(shape_model, Pc, Pf, docs)
    return fit_narratives(docs, tax, s, decision)


@dataclass
class NarrativeCV:
    coarse_f1: float
    fine_f1: float
    folds: int
    documents: int
    per_fold: list[tuple[float, float]] = field(default_factory=list)
    predictions: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)


def cv_narratives(docs: list[Document], tax: Taxonomy, s: Settings, k: int = 5,
                  progress: Callable[[str], None] | None = None) -> NarrativeCV:
    preds: dict[str, tuple[list[str], list[str]]] = {}
    per_fold = []
    for f, (tr, te) in enumerate(_folds(len(docs), k, s.seed)):
        model = train_narratives([docs[i] for i in tr], tax, s)
        test = [docs[i] for i in te]
        labels = model.labels([d.text for d in test])
        for d, l in zip(test, labels):
            preds[d.id] = (l.coarse, l.fine)
        per_fold.append((f1_samples([d.narratives for d in test], [l.coarse for l in labels]),
                         f1_samples([d.subnarratives for d in test], [l.fine for l in labels])))
        if progress:
            progress(f"fold {f + 1}/{k}: coarse {per_fold[-1][0]:.3f} fine {per_fold[-1][1]:.3f} ({model.decision.as_dict()})")
    return NarrativeCV(
        f1_samples([d.narratives for d in docs], [preds[d.id][0] for d in docs]),
        f1_samples([d.subnarratives for d in docs], [preds[d.id][1] for d in docs]),
        k, len(docs), per_fold, preds)


# ---------------------------------------------------------------- roles
def _role_rows(docs: list[Document]):
    from ..extract.entities import load_nlp, quoted_intervals

    docs = [d for d in docs if d.roles]
    parsed = load_nlp().pipe([d.text for d in docs], batch_size=16)
    feats, main, fine, groups = [], [], [], []
    for d, doc in zip(docs, parsed):
        spans, quotes = sentences(d.text), quoted_intervals(d.text)
        for r in d.roles:
            if r.main_role not in ROLES:
                continue
            feats.append(mention_features(d.text, r.start, r.end, spans, doc, quotes))
            main.append(r.main_role)
            fine.append(tuple(x for x in r.fine_roles if x in ROLES[r.main_role]) or r.fine_roles)
            groups.append(d.id)
    return feats, main, fine, groups


def fit_roles(feats, main, fine, s: Settings, decision: RoleDecision | None = None) -> RoleModel:
    vec, X = _grouped_tfidf(feats, s, s.role_max_features)
    labels = [r for fines in ROLES.values() for r in fines]
    return RoleModel(vec, _softmax_head(X, main, list(ROLES), s.role_main_C, None),
                     _ovr(X, _onehot(fine, labels), labels, s.role_C), decision or RoleDecision())


ROLE_GRID = {"t_fine": [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01], "r_fine": [0.5, 0.7, 0.8, 0.9, 0.95]}


def _role_oof(feats, main, fine, s: Settings, folds):
    P = F = None
    model = None
    for tr, te in folds:
        model = fit_roles([feats[i] for i in tr], [main[i] for i in tr], [fine[i] for i in tr], s)
        pm, pf = model.probabilities([feats[i] for i in te])
        if P is None:
            P, F = np.zeros((len(feats), pm.shape[1])), np.zeros((len(feats), pf.shape[1]))
        P[te], F[te] = pm, pf
    return model, P, F


def tune_roles(model: RoleModel, P, F, fine) -> RoleDecision:
    best, best_d = -1.0, RoleDecision()
    for t, r in itertools.product(ROLE_GRID["t_fine"], ROLE_GRID["r_fine"]):
        d = RoleDecision(t, r)
        score = exact_match_ratio(fine, [model.decide(P[i], F[i], d)[1] for i in range(len(fine))])
        if score > best:
            best, best_d = score, d
    return best_d


def train_roles(feats, main, fine, groups, s: Settings) -> RoleModel:
    shape, P, F = _role_oof(feats, main, fine, s, _folds(len(feats), s.inner_folds, s.seed + 1, groups))
    return fit_roles(feats, main, fine, s, tune_roles(shape, P, F, fine))


@dataclass
class RoleCV:
    exact_match: float
    main_accuracy: float
    mentions: int
    folds: int
    majority_exact_match: float = 0.0   # every mention given the training part's commonest role (same folds)
    majority_main_accuracy: float = 0.0


def cv_roles(docs: list[Document], s: Settings, k: int = 5,
             progress: Callable[[str], None] | None = None) -> RoleCV:
    from collections import Counter

    feats, main, fine, groups = _role_rows(docs)
    pred_main, pred_fine = [None] * len(feats), [None] * len(feats)
    base_main, base_fine = [None] * len(feats), [None] * len(feats)
    for f, (tr, te) in enumerate(_folds(len(feats), k, s.seed, groups)):
        sub = lambda xs, idx: [xs[i] for i in idx]  # noqa: E731
        model = train_roles(sub(feats, tr), sub(main, tr), sub(fine, tr), sub(groups, tr), s)
        pm, pf = model.probabilities(sub(feats, te))
        common_main = Counter(sub(main, tr)).most_common(1)[0][0]
        common_fine = Counter(tuple(sorted(x)) for x in sub(fine, tr)).most_common(1)[0][0]
        for k_, i in enumerate(te):
            pred_main[i], pred_fine[i] = model.decide(pm[k_], pf[k_])
            base_main[i], base_fine[i] = common_main, common_fine
        if progress:
            progress(f"roles fold {f + 1}/{k}: EMR {exact_match_ratio(sub(fine, te), sub(pred_fine, te)):.3f} "
                     f"main-role accuracy {accuracy(sub(main, te), sub(pred_main, te)):.3f}")
    return RoleCV(exact_match_ratio(fine, pred_fine), accuracy(main, pred_main), len(feats), k,
                  exact_match_ratio(fine, base_fine), accuracy(main, base_main))


def train_all(docs: list[Document], tax: Taxonomy, s: Settings):
    """The narrative and role models fitted on every labelled document."""
    narr = train_narratives([d for d in docs if d.narratives], tax, s)
    feats, main, fine, groups = _role_rows(docs)
    roles = train_roles(feats, main, fine, groups, s) if feats else None
    return narr, roles
