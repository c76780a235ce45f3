"""The Spark runner: the same stages on a cluster (or ``local[N]``) through PySpark.

    shards ──parallelize──▶ read (flatMap) ──reduceByKey(content)──▶ first occurrence
           ──mapPartitions(process, models loaded once per worker)──▶ rows
           ──DataFrame writer (partitioned Parquet, appended)──▶ OUT/articles, extractions, rejected

Shards go in waves; each wave is one Spark job whose output is committed
before the checkpoints of its shards are written, so a failed run resumes at
the first unfinished wave. The driver needs the output folder on a file
system every executor can write (a shared mount, or HDFS/S3 through Spark's
own URLs for the Parquet; checkpoints are written by the driver).
"""
from __future__ import annotations

import os
import sys
import time
from itertools import islice
from typing import Any, Sequence

from . import output as O
from .engines import Progress, RunOptions, RunReport, _start, process_items, warm_up
from .records import ARTICLE_COLUMNS, EXTRACTION_COLUMNS, REJECTED_COLUMNS
from .shards import Shard, read_shard

_WARM: set[tuple[str, ...]] = set()   # per Python worker: the stages whose models are loaded


def session(master: str = "local[2]", app: str = "narrascope", conf: dict[str, str] | None = None):
    """A SparkSession (the one already running, if any) with the UI off and quiet logs."""
    from pyspark.sql import SparkSession

    if master.startswith("local"):  # workers run this interpreter, which has narrascope installed
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    b = SparkSession.builder.master(master).appName(app)
    for k, v in {"spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "8",
                 "spark.python.worker.reuse": "true", "spark.ui.showConsoleProgress": "false", **(conf or {})}.items():
        b = b.config(k, v)
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def spark_schema(columns: dict[str, str]):
    from pyspark.sql.types import ArrayType, IntegerType, StringType, StructField, StructType

    types = {"string": StringType(), "int": IntegerType(), "strings": ArrayType(StringType())}
    return StructType([StructField(n, types[t], True) for n, t in columns.items()])


# ---------------------------------------------------------------- functions shipped to executors
def _read(job: tuple[int, str, str, Any]):
    """(content key, (shard index, ordinal, shard key, item)) for every input of one shard."""
    index, path, key, limits = job
    for n, item in enumerate(read_shard(path, limits)):
        ck = getattr(item, "content_hash", None) or f"rejected\0{item.source}"
        yield ck, (index, n, key, item)


def _first(a, b):
    return a if a[:2] <= b[:2] else b


def _process_partition(stages: tuple[str, ...], timeout: float | None, task_size: int):
    def run(rows):
        if stages not in _WARM:
            warm_up(stages)
            _WARM.add(stages)
        rows = iter(rows)
        while task := [(key, item) for _i, _n, key, item in islice(rows, task_size)]:
            for _k, art, exts, rej in process_items(task, stages, timeout):
                if art is not None:
                    yield "articles", art
                    for e in exts:
                        yield "extractions", e
                if rej is not None:
                    yield "rejected", rej
    return run


def run_spark(shards: Sequence[Shard], out: str, opts: RunOptions, master: str = "local[2]",
              conf: dict[str, str] | None = None, wave: int = 64, progress: Progress | None = None) -> RunReport:
    from pyspark import StorageLevel

    report, todo, seen = _start(shards, out, "spark")
    spark = session(master, conf=conf)
    sc = spark.sparkContext
    stages = tuple(opts.stages)
    schemas = {"articles": ARTICLE_COLUMNS, "extractions": EXTRACTION_COLUMNS, "rejected": REJECTED_COLUMNS}
    for start in range(0, len(todo), wave):
        group = todo[start:start + wave]
        t0 = time.perf_counter()
        known = sc.broadcast(frozenset(seen))
        jobs = [(i, s.path, s.key, opts.limits) for i, s in enumerate(group)]
        keyed = sc.parallelize(jobs, len(jobs)).flatMap(_read).persist(StorageLevel.MEMORY_AND_DISK)
        all_inputs = keyed.count()
        first = keyed.reduceByKey(_first).filter(lambda kv: kv[0] not in known.value)
        rows = first.values().mapPartitions(_process_partition(stages, opts.timeout, opts.task_size))
        rows.persist(StorageLevel.MEMORY_AND_DISK)
        counts = {}
        for name, columns in schemas.items():
            part = rows.filter(lambda r, n=name: r[0] == n).map(lambda r, c=tuple(columns): tuple(r[1][k] for k in c))
            df = spark.createDataFrame(part, spark_schema(columns))
            _, parts = O.DATASETS[name]
            writer = df.write.mode("append")
            if parts:
                writer = writer.partitionBy(*parts)
            writer.parquet(f"{out}/{name}")
        per_shard = (rows.filter(lambda r: r[0] != "extractions")
                     .map(lambda r: ((r[1]["shard"], r[0]), 1)).reduceByKey(lambda a, b: a + b).collect())
        for (key, kind), n in per_shard:
            counts.setdefault(key, {"articles": 0, "rejected": 0})[kind] = n
        new_keys = first.keys().collect()
        report.duplicates += all_inputs - len(new_keys)
        rows.unpersist()
        keyed.unpersist()
        known.unpersist()
        seen.update(new_keys)
        seconds = round(time.perf_counter() - t0, 3)
        for s in group:
            c = counts.get(s.key, {"articles": 0, "rejected": 0})
            info = {"path": s.path, "size": s.size, "mtime_ns": s.mtime_ns, "engine": "spark",
                    "seconds": seconds, **c}
            O.write_checkpoint(out, s.key, info)
            report.articles += c["articles"]
            report.rejected += c["rejected"]
            if progress:
                progress(s, info)
    report.seconds = time.perf_counter() - report.seconds
    return report

