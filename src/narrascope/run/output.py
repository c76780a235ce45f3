"""The run's output folder: partitioned Parquet datasets and one checkpoint per shard.

    OUT/articles/month=2024-07/<shard>-00000-0.parquet      one row per article
    OUT/extractions/stage=quotes/month=2024-07/...          one row per article and stage
    OUT/rejected/<shard>-00000-0.parquet                    what could not be used, and why
    OUT/near_copies/...                                     near-duplicate pairs over the whole output
    OUT/_checkpoints/<shard>.json                           written last: the shard is done

DuckDB reads the datasets directly (``dataset_sql``). A shard's files are
written before its checkpoint; a shard without one is cleared and done again,
so an interrupted run resumes without duplicating rows.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable

from .records import ARTICLE_COLUMNS, EXTRACTION_COLUMNS, REJECTED_COLUMNS

DATASETS = {"articles": (ARTICLE_COLUMNS, ["month"]),
            "extractions": (EXTRACTION_COLUMNS, ["stage", "month"]),
            "rejected": (REJECTED_COLUMNS, [])}
CHECKPOINTS = "_checkpoints"


def arrow_schema(columns: dict[str, str]):
    import pyarrow as pa

    types = {"string": pa.string(), "int": pa.int32(), "strings": pa.list_(pa.string())}
    return pa.schema([(name, types[t]) for name, t in columns.items()])


def write_rows(out: str | os.PathLike, dataset: str, rows: list[dict[str, Any]], basename: str) -> None:
    """Write rows into a dataset, hive-partitioned as the dataset says; file names start with ``basename``."""
    if not rows:
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns, parts = DATASETS[dataset]
    table = pa.Table.from_pylist(rows, schema=arrow_schema(columns))
    pq.write_to_dataset(table, os.path.join(out, dataset), partition_cols=parts or None,
                        basename_template=basename + "-{i}.parquet", existing_data_behavior="overwrite_or_ignore")


def clear_shard(out: str | os.PathLike, key: str) -> int:
    """Remove what an unfinished attempt at shard ``key`` left; returns the number of files removed."""
    n = 0
    for dataset in DATASETS:
        root = Path(out, dataset)
        if root.is_dir():
            for f in root.rglob(f"{key}-*.parquet"):
                f.unlink()
                n += 1
    return n


def checkpoint_path(out: str | os.PathLike, key: str) -> Path:
    return Path(out, CHECKPOINTS, f"{key}.json")


def done_shards(out: str | os.PathLike) -> set[str]:
    root = Path(out, CHECKPOINTS)
    return {p.stem for p in root.glob("*.json")} if root.is_dir() else set()


def write_checkpoint(out: str | os.PathLike, key: str, info: dict[str, Any]) -> None:
    """Atomically mark shard ``key`` done (write to a temporary file, then rename)."""
    path = checkpoint_path(out, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(info, f, sort_keys=True)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def has_dataset(out: str | os.PathLike, dataset: str) -> bool:
    root = Path(out, dataset)
    return root.is_dir() and any(root.rglob("*.parquet"))


def dataset_sql(out: str | os.PathLike, dataset: str) -> str:
    """A DuckDB table expression over one dataset of the output (partition columns as text)."""
    _, parts = DATASETS.get(dataset, ({}, []))
    glob = os.path.join(os.fspath(out), dataset, "**", "*.parquet").replace("'", "''")
    types = ", ".join(f"'{p}': 'VARCHAR'" for p in parts)
    hive = f", hive_partitioning = true, hive_types = {{{types}}}" if parts else ""
    return f"read_parquet('{glob}', union_by_name = true{hive})"


def existing_ids(out: str | os.PathLike) -> set[str]:
    """Ids of the articles the output already holds (an incremental run skips them)."""
    if not has_dataset(out, "articles"):
        return set()
    import duckdb

    con = duckdb.connect()
    try:
        return {r[0] for r in con.execute(f"SELECT id FROM {dataset_sql(out, 'articles')}").fetchall()}
    finally:
        con.close()


def read_checkpoints(out: str | os.PathLike) -> list[dict[str, Any]]:
    root = Path(out, CHECKPOINTS)
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(root.glob("*.json"))] if root.is_dir() else []


def iter_chunks(items: Iterable[Any], size: int):
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
