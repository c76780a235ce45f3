"""Near-copies over a whole run output: MinHash signatures, LSH bands, exact overlap.

The same bands as ``link.dedup`` (datasketch's parameters for its threshold),
so both ways propose the same candidate pairs:

- in one process: signatures streamed from the Parquet output, datasketch's LSH
  index, then shingles only for the texts that are in a candidate pair;
- on Spark: signatures in ``mapPartitions``, a shuffle on (band, band hash),
  pairs from each bucket, then the exact overlap joined from the texts.

Either way the result is written to ``OUT/near_copies`` (replaced on each run).
"""
from __future__ import annotations

import os
import shutil
from itertools import combinations
from typing import Iterator

from ..link import dedup
from . import output as O

COLUMNS = {"a": "string", "b": "string", "kind": "string", "jaccard": "double", "containment": "double"}


def band_params(threshold: float = dedup.LSH_THRESHOLD, num_perm: int = dedup.NUM_PERM) -> tuple[int, int]:
    """(bands, rows per band) that datasketch's index uses for this threshold."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def band_keys(hashvalues, b: int, r: int) -> list[tuple[int, bytes]]:
    """The LSH buckets of one signature: two signatures are candidates if they share one."""
    return [(i, hashvalues[i * r:(i + 1) * r].tobytes()) for i in range(b)]


def iter_texts(out: str, batch: int = 2000) -> Iterator[tuple[str, str]]:
    import duckdb

    con = duckdb.connect()
    try:
        cur = con.execute(f"SELECT DISTINCT id, text FROM {O.dataset_sql(out, 'articles')} ORDER BY id")
        while rows := cur.fetchmany(batch):
            yield from rows
    finally:
        con.close()


def near_copies_local(out: str) -> list[dedup.Overlap]:
    if not O.has_dataset(out, "articles"):
        return []
    sigs = {aid: dedup.signature(dedup.shingles(text)) for aid, text in iter_texts(out)}
    return dedup.near_copies_among(
        sigs, lambda wanted: {aid: dedup.shingles(text) for aid, text in iter_texts(out) if aid in wanted})


def near_copies_spark(out: str, spark) -> list[dedup.Overlap]:
    if not O.has_dataset(out, "articles"):
        return []
    b, r = band_params()
    texts = (spark.read.parquet(f"{out}/articles").select("id", "text").dropDuplicates(["id"]).rdd
             .map(lambda row: (row[0], row[1] or "")))

    def buckets(rows):
        for aid, text in rows:
            for key in band_keys(dedup.signature(dedup.shingles(text)), b, r):
                yield key, aid

    pairs = (texts.mapPartitions(buckets).groupByKey()
             .flatMap(lambda kv: combinations(sorted(set(kv[1])), 2)).distinct())
    sets = texts.mapValues(dedup.shingles)
    joined = (pairs.join(sets).map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
              .join(sets).map(lambda kv: (kv[1][0][0], kv[0], kv[1][0][1], kv[1][1])))

    def measure(row):
        a, b_, sa, sb = row
        j, c = dedup.overlap(sa, sb)
        return dedup.Overlap(a, b_, round(j, 3), round(c, 3))

    found = joined.map(measure).filter(lambda o: o.containment >= dedup.NEAR).collect()
    return sorted(found, key=lambda o: (o.a, o.b))


def write_near_copies(out: str, found: list[dedup.Overlap]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = os.path.join(out, "near_copies")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    schema = pa.schema([(k, pa.float64() if t == "double" else pa.string()) for k, t in COLUMNS.items()])
    rows = [{"a": o.a, "b": o.b, "kind": o.kind, "jaccard": o.jaccard, "containment": o.containment} for o in found]
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), os.path.join(root, "pairs.parquet"))


def read_near_copies(out: str) -> list[dedup.Overlap]:
    """The pairs an earlier run wrote (none when it has not)."""
    import pyarrow.parquet as pq

    path = os.path.join(out, "near_copies", "pairs.parquet")
    if not os.path.exists(path):
        return []
    return [dedup.Overlap(r["a"], r["b"], r["jaccard"], r["containment"]) for r in pq.read_table(path).to_pylist()]
