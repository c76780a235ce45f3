"""Copies and near-copies: MinHash/LSH over word shingles, then exact overlap.

LSH (datasketch) proposes candidate pairs at corpus scale without comparing
every pair; each candidate is then measured exactly on its shingle sets:
``jaccard`` (shared / union) and ``containment`` (shared / the smaller set),
so a copy that sits inside a longer page still counts.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np
from datasketch import MinHash, MinHashLSH

SHINGLE = 5           # words per shingle
NUM_PERM = 128
LSH_THRESHOLD = 0.2   # candidate recall; the exact figures decide
NEAR = 0.5            # containment from which two texts are near-copies
SAME = 0.9            # jaccard from which they are copies
SCHEME = "affine32"   # datasketch 2.x hashing scheme, fixed so stored signatures stay comparable

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Overlap:
    a: str
    b: str
    jaccard: float
    containment: float

    @property
    def kind(self) -> str:
        return "duplicate" if self.jaccard >= SAME else "near_duplicate"


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def shingles(text: str, k: int = SHINGLE) -> set[int]:
    """Stable 32-bit hashes of the k-word windows (a text shorter than k is one shingle)."""
    ws = words(text)
    if not ws:
        return set()
    if len(ws) < k:
        return {zlib.crc32(" ".join(ws).encode())}
    return {zlib.crc32(" ".join(ws[i:i + k]).encode()) for i in range(len(ws) - k + 1)}


def signature(sh: set[int], num_perm: int = NUM_PERM) -> np.ndarray:
    m = MinHash(num_perm=num_perm, seed=1, scheme=SCHEME)
    if sh:
        m.update_batch([s.to_bytes(4, "little") for s in sh])
    return m.hashvalues.copy()


def overlap(a: set[int], b: set[int]) -> tuple[float, float]:
    """(jaccard, containment of the smaller set) of two shingle sets."""
    if not a or not b:
        return 0.0, 0.0
    shared = len(a & b)
    return shared / len(a | b), shared / min(len(a), len(b))


def candidate_pairs(signatures: Mapping[str, np.ndarray], threshold: float = LSH_THRESHOLD) -> set[tuple[str, str]]:
    """Pairs of ids whose MinHash signatures collide in at least one LSH band."""
    if not signatures:
        return set()
    num_perm = len(next(iter(signatures.values())))
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    pairs: set[tuple[str, str]] = set()
    for key, hv in signatures.items():
        m = MinHash(num_perm=num_perm, seed=1, hashvalues=hv, scheme=SCHEME)
        for other in lsh.query(m):
            pairs.add((min(key, other), max(key, other)))
        lsh.insert(key, m)
    return pairs


def near_copies(shingle_sets: Mapping[str, set[int]], signatures: Mapping[str, np.ndarray],
                pairs: Iterable[tuple[str, str]] | None = None, near: float = NEAR) -> list[Overlap]:
    """Measured overlaps of the candidate pairs that reach ``near`` containment."""
    found = []
    for a, b in sorted(pairs if pairs is not None else candidate_pairs(signatures)):
        j, c = overlap(shingle_sets[a], shingle_sets[b])
        if c >= near:
            found.append(Overlap(a, b, round(j, 3), round(c, 3)))
    return found


def near_copies_among(signatures: Mapping[str, np.ndarray], shingles_of, near: float = NEAR) -> list[Overlap]:
    """Near-copies among signed texts: LSH candidates, then ``shingles_of(ids)`` -> shingle sets for
    just the texts in a candidate pair, measured exactly."""
    cands = candidate_pairs(signatures)
    sets = shingles_of({k for pair in cands for k in pair})
    return near_copies(sets, signatures, cands, near)
