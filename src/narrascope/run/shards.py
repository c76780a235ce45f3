"""Shards: the unit a runner reads, processes, writes and checkpoints.

A shard is one input file (a WARC/WARC.gz of a crawl, a JSONL or Parquet file,
one HTML or text page). Its key is made from its path, size and modification
time, so a run over a folder that gained new files processes only those, and a
file that changed is processed again.
"""
from __future__ import annotations

import glob
import hashlib
import os
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

from ..errors import BAD_RECORD, UNREADABLE, Rejected
from ..ingest import Limits, iter_files, iter_inputs
from ..ingest.readers import _row_input
from ..model import RawInput

PARQUET_SUFFIXES = (".parquet", ".parq")


@dataclass(frozen=True)
class Shard:
    path: str
    size: int
    mtime_ns: int

    @property
    def key(self) -> str:
        h = hashlib.sha1(f"{os.path.abspath(self.path)}\0{self.size}\0{self.mtime_ns}".encode()).hexdigest()
        return h[:16]


def find_shards(patterns: Sequence[str]) -> tuple[list[Shard], list[Rejected]]:
    """Shards under folders, files or glob patterns, in path order; what matched nothing is reported."""
    shards: dict[str, Shard] = {}
    missing: list[Rejected] = []
    for pattern in patterns:
        paths = sorted(glob.glob(pattern, recursive=True)) if glob.has_magic(pattern) else [pattern]
        if not paths:
            missing.append(Rejected(pattern, UNREADABLE, "the pattern matches no file"))
        for item in iter_files(paths):
            if isinstance(item, Rejected):
                missing.append(item)
            elif item != "-" and os.path.isfile(item) and item not in shards:
                st = os.stat(item)
                shards[item] = Shard(item, st.st_size, st.st_mtime_ns)
    return sorted(shards.values(), key=lambda s: s.path), missing


def read_shard(shard: Shard | str, limits: Limits | None = None) -> Iterator[RawInput | Rejected]:
    """The inputs in one shard (Parquet rows, or whatever ``narrascope ingest`` reads)."""
    path = shard.path if isinstance(shard, Shard) else shard
    if path.lower().endswith(PARQUET_SUFFIXES):
        yield from read_parquet_rows(path)
    else:
        yield from iter_inputs([path], limits or Limits())


def read_parquet_rows(path: str, batch_size: int = 256) -> Iterator[RawInput | Rejected]:
    """Articles from a Parquet file whose columns are named like JSONL fields (text or html, url, title...)."""
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as e:  # pyarrow raises several types for a file that is not Parquet
        yield Rejected(path, BAD_RECORD, f"it cannot be read as Parquet ({type(e).__name__}: {e})")
        return
    n = 0
    for batch in pf.iter_batches(batch_size=batch_size):
        for row in batch.to_pylist():
            n += 1
            yield _row_input(_plain(row), f"{path}#row={n}", "parquet")


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """Parquet values as JSON-like ones (timestamps and dates as ISO text)."""
    out = {}
    for k, v in row.items():
        if hasattr(v, "isoformat"):
            v = v.isoformat()
        out[k] = v
    return out
