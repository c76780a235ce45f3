"""Batch runs at scale: shards in, partitioned Parquet out, on one of three engines.

    from narrascope.run import run, import_output
    report = run(["crawl/*.warc.gz"], "out/run", engine="spark", master="local[2]")
    import_output("out/run", "story.duckdb")      # for the workbench and the CLI

Engines (``engines.py``, ``spark.py``): ``local`` (in-process), ``processes``
(a local process pool, all cores), ``spark`` (PySpark; ``local[N]`` or a
cluster master URL). They run the same stage code and write the same rows.
"""
from __future__ import annotations

from typing import Sequence

from ..errors import NarrascopeError
from .across import across_local, across_spark, write_across
from .engines import ENGINES, Progress, RunOptions, RunReport, run_pooled
from .load import ImportReport, import_output
from .output import has_dataset
from .near import near_copies_local, near_copies_spark, read_near_copies, write_near_copies
from .shards import Shard, find_shards

__all__ = ["run", "import_output", "RunOptions", "RunReport", "ImportReport", "ENGINES", "find_shards", "Shard"]


def run(inputs: Sequence[str], out: str, *, engine: str = "local", options: RunOptions | None = None,
        master: str = "local[2]", spark_conf: dict[str, str] | None = None, near: bool = True,
        across: bool = True, progress: Progress | None = None) -> RunReport:
    """Process the shards under ``inputs`` (files, folders, globs) that ``out`` has not done yet.

    Then, when anything is new, the passes over the whole output: near-copies
    (``near``), and statements and stories (``across``).
    """
    if engine not in ENGINES:
        raise NarrascopeError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    opts = options or RunOptions()
    shards, missing = find_shards(inputs)
    if not shards:
        reasons = "; ".join(f"{m.source}: {m.reason}" for m in missing) or "no input given"
        raise NarrascopeError(f"nothing to run: {reasons}")
    if engine == "spark":
        from .spark import run_spark, session

        report = run_spark(shards, out, opts, master, spark_conf, progress=progress)
        stale = near and (report.articles or not has_dataset(out, "near_copies"))
        found = near_copies_spark(out, session(master, conf=spark_conf)) if stale else None
    else:
        report = run_pooled(shards, out, opts, engine, progress)
        stale = near and (report.articles or not has_dataset(out, "near_copies"))
        found = near_copies_local(out) if stale else None
    if found is not None:
        write_near_copies(out, found)
        report.near_copies = len(found)
    if across and (report.articles or not has_dataset(out, "stories")):
        copies = found if found is not None else read_near_copies(out)
        if engine == "spark":
            statements, assigned = across_spark(out, copies, session(master, conf=spark_conf))
        else:
            statements, assigned = across_local(out, copies)
        write_across(out, statements, assigned)
        report.statements = len(set(statements.values()))
        report.stories = len({x.story_id for x in assigned})
    report.rejections[:0] = [{"source": m.source, "code": m.code, "reason": m.reason} for m in missing]
    report.rejected += len(missing)
    return report
