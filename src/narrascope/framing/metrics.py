"""The task's scores: F1 per article averaged over articles, and exact-match ratio of roles.

``f1_samples`` follows the official subtask-2 scorer: each article's gold and
predicted label sets become one-hot vectors over the known classes ("Other" is a
class like any other), F1 is computed per article (0 when both are empty) and the
mean is taken over articles.
"""
from __future__ import annotations

from typing import Iterable, Sequence


def f1_one(gold: Iterable[str], pred: Iterable[str], classes: set[str] | None = None) -> float:
    g, p = set(gold), set(pred)
    if classes is not None:
        g, p = g & classes, p & classes
    tp = len(g & p)
    if not tp:
        return 0.0
    return 2 * tp / (len(g) + len(p))


def f1_samples(gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]],
               classes: set[str] | None = None) -> float:
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold label sets but {len(pred)} predictions")
    if not gold:
        return 0.0
    return sum(f1_one(g, p, classes) for g, p in zip(gold, pred)) / len(gold)


def exact_match_ratio(gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]]) -> float:
    """Share of mentions whose predicted fine-role set equals the gold set (subtask 1's EMR)."""
    if not gold:
        return 0.0
    return sum(set(g) == set(p) for g, p in zip(gold, pred)) / len(gold)


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    if not gold:
        return 0.0
    return sum(g == p for g, p in zip(gold, pred)) / len(gold)
