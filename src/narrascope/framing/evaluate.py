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
