"""The fixed held-out test parts of the English and Russian SemEval-2025 training releases.

    python eval/framing_split/make_split.py [--data ../shared/semeval2025]

Writes ``en_test.txt`` and ``ru_test.txt`` beside this file (one article file name a line,
sorted). The rule (see README.md): iterative stratification (Sechidis, Tsoumakas and Vlahavas,
2011) on the coarse narrative labels ("Other" counts as a label), seed 2025, then a greedy
size correction to exactly 25 % (rounded) of each language's labelled articles. Running it again gives the same lists byte for byte.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 2025
TEST_SHARE = 0.25
PARTS = {"en": ".", "ru": "multilingual/RU"}


def read_coarse(folder: Path) -> dict[str, list[str]]:
    """``{article file: coarse labels}`` from the task's narratives file."""
    path = next(p for p in sorted(folder.glob("*subtask-2-narratives.txt")))
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) >= 3 and cells[0].strip():
            out[cells[0].strip()] = sorted({x.strip() for x in cells[1].split(";") if x.strip()})
    return out


def iterative_split(Y: np.ndarray, share: float, seed: int) -> np.ndarray:
    """``True`` for the rows of the test part (``share`` of the rows), label-stratified.

    Sechidis et al.'s algorithm for two subsets: repeatedly take the label with the fewest
    rows still unassigned and give each of its rows to the subset that most wants that label
    (then the subset that wants most rows overall; a seeded coin on a tie). Then
    ``_balance`` brings the test part to exactly ``round(share * rows)`` rows.
    """
    rng = np.random.default_rng(seed)
    n = len(Y)
    ratios = np.array([1.0 - share, share])
    want_rows = ratios * n
    want_label = np.outer(ratios, Y.sum(axis=0)).astype(float)
    subset = np.full(n, -1)
    left = np.ones(n, dtype=bool)
    while left.any():
        counts = Y[left].sum(axis=0)
        if not counts.any():                       # rows without a label: by rows wanted
            for i in rng.permutation(np.flatnonzero(left)):
                k = int(np.argmax(want_rows + rng.random(2) * 1e-9))
                subset[i], left[i] = k, False
                want_rows[k] -= 1
            break
        label = int(np.argmin(np.where(counts > 0, counts, np.iinfo(np.int64).max)))
        for i in rng.permutation(np.flatnonzero(left & (Y[:, label] > 0))):
            w = want_label[:, label]
            cands = np.flatnonzero(w == w.max())
            if len(cands) > 1:
                r = want_rows[cands]
                cands = cands[r == r.max()]
            k = int(cands[0] if len(cands) == 1 else rng.choice(cands))
            subset[i], left[i] = k, False
            want_rows[k] -= 1
            want_label[k] -= Y[i]
    test = subset == 1
    return _balance(Y, test, round(share * n), rng)


def _balance(Y: np.ndarray, test: np.ndarray, size: int, rng) -> np.ndarray:
    """Move rows one at a time until the test part has ``size`` rows.

    Multi-label rows make the part sizes drift (on 133 Russian articles the test part gets
    the multi-label ones and only 27 rows); each move is the one that keeps every label's
    test count closest (least squares) to its share, ties broken by the seeded order.
    """
    test = test.copy()
    share = size / len(Y)
    target = share * Y.sum(axis=0)
    while test.sum() != size:
        grow = test.sum() < size
        cands = rng.permutation(np.flatnonzero(~test if grow else test))
        now = Y[test].sum(axis=0)
        cost = [float((((now + Y[i]) if grow else (now - Y[i])) - target) @
                      (((now + Y[i]) if grow else (now - Y[i])) - target)) for i in cands]
        test[cands[int(np.argmin(cost))]] = grow
    return test


def make(data: Path, lang: str) -> list[str]:
    labels = read_coarse(data / PARTS[lang])
    names = sorted(labels)
    classes = sorted({l for ls in labels.values() for l in ls})
    Y = np.array([[c in labels[n] for c in classes] for n in names], dtype=np.int64)
    test = iterative_split(Y, TEST_SHARE, SEED)
    return sorted(n for n, t in zip(names, test) if t)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(HERE.parents[2] / "shared" / "semeval2025"))
    args = ap.parse_args(argv)
    data = Path(args.data)
    for lang in PARTS:
        test = make(data, lang)
        (HERE / f"{lang}_test.txt").write_text("".join(n + "\n" for n in test), encoding="utf-8")
        print(f"{lang}: {len(test)} test articles of {len(read_coarse(data / PARTS[lang]))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
