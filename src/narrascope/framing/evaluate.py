"""Framing scores as the task computes them: by cross-validation on labelled data, and of a
trained model on a labelled folder it never saw."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .dataset import Dataset, load_dataset
from .loaded import loaded_language
from .metrics import accuracy, exact_match_ratio, f1_samples
from .narratives import NarrativeModel
from .roles import RoleModel
from .taxonomy import OTHER
from .text import words


@dataclass
class Scores:
    name: str
    documents: int
    coarse_f1: float | None = None
    fine_f1: float | None = None
    role_mentions: int = 0
    role_emr: float | None = None
    main_role_accuracy: float | None = None
    majority_role_emr: float | None = None          # the commonest role of the training part, same folds
    majority_main_role_accuracy: float | None = None

    def lines(self) -> list[str]:
        out = [f"{self.name}: {self.documents} documents"]
        if self.coarse_f1 is not None:
            out.append(f"  narratives F1-samples  coarse {self.coarse_f1:.3f}  fine {self.fine_f1:.3f}")
        if self.role_emr is not None:
            out.append(f"  roles ({self.role_mentions} mentions)  exact match {self.role_emr:.3f}  "
                       f"main-role accuracy {self.main_role_accuracy:.3f}")
        if self.majority_role_emr is not None:
            out.append(f"  roles, majority-class baseline  exact match {self.majority_role_emr:.3f}  "
                       f"main-role accuracy {self.majority_main_role_accuracy:.3f}")
        return out


def cross_validate(data: str | Path, folds: int = 5, progress: Callable[[str], None] | None = None) -> Scores:
    from .training import Settings, cv_narratives, cv_roles

    ds = load_dataset(data)
    if ds.taxonomy is None:
        raise ValueError(f"{data}: no taxonomy.json")
    s = Settings()
    n = cv_narratives(ds.labelled, ds.taxonomy, s, folds, progress)
    scores = Scores(f"{folds}-fold cross-validation on {Path(data).name}", n.documents, n.coarse_f1, n.fine_f1)
    if any(d.roles for d in ds.documents):
        r = cv_roles(ds.documents, s, folds, progress)
        scores.role_mentions, scores.role_emr, scores.main_role_accuracy = r.mentions, r.exact_match, r.main_accuracy
        scores.majority_role_emr, scores.majority_main_role_accuracy = r.majority_exact_match, r.majority_main_accuracy
    return scores


def score_model(narr: NarrativeModel, roles: RoleModel | None, ds: Dataset, name: str) -> Scores:
    """A trained model against a labelled folder."""
    docs = ds.labelled
    scores = Scores(name, len(docs))
    if docs:
        labels = narr.labels([d.text for d in docs])
        scores.coarse_f1 = f1_samples([d.narratives for d in docs], [l.coarse for l in labels])
        scores.fine_f1 = f1_samples([d.subnarratives for d in docs], [l.fine for l in labels])
    gold_main, gold_fine, pred_main, pred_fine = [], [], [], []
    if roles is not None:
        for d in ds.documents:
            if not d.roles:
                continue
            for r, (m, f) in zip(d.roles, roles.predict_mentions(d.text, [(r.start, r.end) for r in d.roles])):
                gold_main.append(r.main_role)
                gold_fine.append(r.fine_roles)
                pred_main.append(m)
                pred_fine.append(f)
    if gold_fine:
        scores.role_mentions = len(gold_fine)
        scores.role_emr = exact_match_ratio(gold_fine, pred_fine)
        scores.main_role_accuracy = accuracy(gold_main, pred_main)
    return scores


def loaded_language_rates(ds: Dataset) -> dict[str, float]:
    """Loaded-language hits per 1,000 words in articles with a narrative and in "Other" ones."""
    hits = {"narrative": [0, 0], "other": [0, 0]}
    for d in ds.labelled:
        key = "other" if d.narratives == (OTHER,) else "narrative"
        hits[key][0] += len(loaded_language(d.text))
        hits[key][1] += len(words(d.text))
    return {k: 1000 * h / max(n, 1) for k, (h, n) in hits.items()}


# ---------------------------------------------------------------- held-out test parts, all languages
def per_label(gold, pred) -> list[tuple[str, float, float, int, int]]:
    """``[(label, precision, recall, support, predicted)]`` over the labels seen in gold or predictions."""
    from collections import Counter

    sup, prd, tp = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred):
        g, p = set(g), set(p)
        sup.update(g)
        prd.update(p)
        tp.update(g & p)
    rows = []
    for label in sorted(set(sup) | set(prd), key=lambda l: (-sup[l], l)):
        rows.append((label, tp[label] / prd[label] if prd[label] else 0.0,
                     tp[label] / sup[label] if sup[label] else 0.0, sup[label], prd[label]))
    return rows


def most_frequent(train_docs) -> tuple[list[str], list[str]]:
    """The commonest coarse and fine label of a training part (the always-predict-it baseline)."""
    from collections import Counter

    c = Counter(l for d in train_docs for l in d.narratives).most_common(1)[0][0]
    f = Counter(l for d in train_docs for l in d.subnarratives).most_common(1)[0][0]
    return [c], [f]


@dataclass
class TestPart:
    language: str
    model: str
    documents: int
    coarse_f1: float
    fine_f1: float
    coarse_labels: list = None
    fine_labels: list = None

    def line(self) -> str:
        return (f"  {self.language} test part ({self.documents} articles), {self.model}: "
                f"coarse {self.coarse_f1:.3f}  fine {self.fine_f1:.3f}")


def score_test_part(language: str, name: str, docs, coarse_pred, fine_pred, details: bool = False) -> TestPart:
    gc, gf = [d.narratives for d in docs], [d.subnarratives for d in docs]
    t = TestPart(language, name, len(docs), f1_samples(gc, coarse_pred), f1_samples(gf, fine_pred))
    if details:
        t.coarse_labels, t.fine_labels = per_label(gc, coarse_pred), per_label(gf, fine_pred)
    return t


def label_table(rows, title: str) -> list[str]:
    out = [f"    {title}: precision / recall / support (predicted)"]
    for label, p, r, s, n in rows:
        out.append(f"      {p:5.2f} {r:5.2f} {s:4d} ({n:3d})  {label}")
    return out


def multilingual_report(data: str | Path, split: str | Path | None, folds: int = 5, cache: str | None = None,
                        cv: bool = True, roles: bool = True, progress: Callable[[str], None] | None = None) -> list[str]:
    """The evaluation of ``narrascope eval framing`` over every language of ``data``.

    With ``split`` (``<lang>_test.txt`` lists): cross-validation on the training parts only (the
    multilingual model on the pooled languages, the English word model on English), leave one
    language out, and the packaged models on the held-out test parts with per-label figures
    and the most-frequent-label baseline.
    """
    from . import get_model, get_multilingual
    from . import mltraining as mt
    from .embed import EmbeddingCache
    from .training import Settings, cv_narratives, cv_roles

    say = progress or (lambda m: None)
    held = mt.read_held_out(split) if split else {}
    out_ids = {x for ids in held.values() for x in ids}
    ds_en = load_dataset(data)
    tax = ds_en.taxonomy
    if tax is None:
        raise ValueError(f"{data}: no taxonomy.json")
    langs = [l for l in mt.LANG_DIRS if l == "en" or (Path(data) / mt.LANG_DIRS[l]).is_dir()]
    lines: list[str] = []
    en_train = [d for d in ds_en.labelled if d.id not in out_ids]
    cv_fig: dict[str, dict[str, tuple[float, float]]] = {}
    ml = get_multilingual()
    if cv:
        pool = mt.load_pool(data, out_ids, langs)
        sizes = {l: pool.langs.count(l) for l in langs}
        lines.append(f"training parts (test parts left out: {', '.join(f'{l} {len(v)}' for l, v in held.items()) or 'none'}): "
                     + ", ".join(f"{l} {n}" for l, n in sizes.items()))
        s = mt.MLSettings(folds=folds)
        if ml is not None:
            s = mt.MLSettings(**{**ml[2].get("settings", {}), "folds": folds})
        mt.prepare(pool, s, EmbeddingCache(cache) if cache else None, progress=say)
        say("multilingual model: cross-validation")
        res, _, _ = mt.cross_validate(pool, tax, s, progress=say)
        lines.append(f"multilingual model, {folds}-fold CV on the pooled training parts (global thresholds "
                     "cross-fitted on the other folds):")
        for l, (c, f, n) in res.by_language.items():
            lines.append(f"  {l}: coarse {c:.3f}  fine {f:.3f}  ({n} articles)")
            cv_fig.setdefault(l, {})["multilingual"] = (c, f)
        say("English word model: cross-validation on the English training part")
        n = cv_narratives(en_train, tax, Settings(), folds, say)
        lines.append(f"English word model, {folds}-fold CV on the English training part (thresholds tuned inside "
                     f"each training fold): coarse {n.coarse_f1:.3f}  fine {n.fine_f1:.3f}  ({n.documents} articles)")
        cv_fig.setdefault("en", {})["english"] = (n.coarse_f1, n.fine_f1)
        if roles and any(d.roles for d in en_train):
            r = cv_roles([d for d in ds_en.documents if d.id not in out_ids], Settings(), folds, say)
            lines.append(f"  roles ({r.mentions} mentions): exact match {r.exact_match:.3f}  main-role accuracy "
                         f"{r.main_accuracy:.3f}; majority baseline {r.majority_exact_match:.3f} / "
                         f"{r.majority_main_accuracy:.3f}")
        if len(langs) > 1 and ml is not None:
            say("leave one language out")
            lolo = mt.leave_one_language_out(pool, tax, s, ml[0].decision, progress=say)
            lines.append("leave one language out (fit on the other languages' training parts, score this one's; "
                         "the packaged model's thresholds):")
            for l, (c, f, n) in lolo.items():
                lines.append(f"  {l}: coarse {c:.3f}  fine {f:.3f}  ({n} articles)")
    if held:
        narr = get_model()[0]
        lines.append("held-out test parts, packaged models:")
        for lang, ids in held.items():
            ids = set(ids)
            docs = [d for d in mt.read_language(data, lang) if d.id in ids]
            train_docs = [d for d in mt.read_language(data, lang) if d.id not in ids]
            serving = "multilingual" if ml is not None and lang in ml[1] else "english"
            parts = []
            if lang == "en":
                labs = narr.labels([d.text for d in docs])
                parts.append(score_test_part(lang, "English word model", docs, [l.coarse for l in labs],
                                             [l.fine for l in labs], details=serving == "english"))
            if ml is not None:
                labs = ml[0].labels([d.text for d in docs], [lang] * len(docs))
                parts.append(score_test_part(lang, "multilingual model", docs, [l.coarse for l in labs],
                                             [l.fine for l in labs], details=serving == "multilingual"))
            c, f = most_frequent(train_docs)
            parts.append(score_test_part(lang, f"always {c[0]!r} / {f[0]!r}", docs, [c] * len(docs), [f] * len(docs)))
            for p in parts:
                lines.append(p.line())
                if p.coarse_labels is not None:
                    lines += label_table(p.coarse_labels, "coarse, per label")
                    lines += label_table(p.fine_labels, "fine, per label")
            for p in parts[:-1]:
                key = "english" if p.model.startswith("English") else "multilingual"
                if key in cv_fig.get(lang, {}):
                    (cc, cf), tag = cv_fig[lang][key], " (serves)" if key == serving else ""
                    lines.append(f"  {lang} {p.model}{tag}: CV vs test  coarse {cc:.3f} / {p.coarse_f1:.3f}  "
                                 f"fine {cf:.3f} / {p.fine_f1:.3f}")
    return lines
