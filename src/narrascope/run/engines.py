"""Runners: the same stages over shards, in-process, on a local process pool, or on Spark.

Every runner reads shards in path order, drops an input whose content was
already seen (in this run or in the output of an earlier one) before any stage
runs, processes the rest with ``pipeline.process`` and writes the records of
``records.py`` into the output folder of ``output.py``. The first occurrence
of a content wins, so all runners write the same rows.

The in-process and process-pool runners share one loop: tasks of a few
articles go to a map function (the built-in one, or a bounded window over a
``ProcessPoolExecutor`` whose workers load their models once), results come
back in order and are written shard by shard, at most ``batch_size`` rows per
file, so memory is bounded by the batch, not by the corpus.
"""
from __future__ import annotations

import os
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Sequence

from ..errors import Rejected
from ..ingest import Limits
from ..model import RawInput
from ..pipeline import DEFAULT_STAGES, check_order, process
from . import output as O
from .records import article_record, extraction_records, rejected_record
from .shards import Shard, read_shard

ENGINES = ("local", "processes", "spark")


@dataclass
class RunOptions:
    stages: tuple[str, ...] = DEFAULT_STAGES
    timeout: float | None = 30.0
    limits: Limits = field(default_factory=Limits)
    batch_size: int = 500      # rows per Parquet file: what a runner holds in memory per shard
    task_size: int = 16        # articles per task handed to a worker (and parsed together)
    workers: int = 0           # process pool size (0: all cores)


@dataclass
class RunReport:
    engine: str
    shards: int = 0            # shards found
    skipped_shards: int = 0    # done by an earlier run (checkpoint present)
    articles: int = 0          # articles written
    rejected: int = 0
    duplicates: int = 0        # inputs whose content was already seen: not processed again
    seconds: float = 0.0
    near_copies: int | None = None
    statements: int | None = None   # distinct statements over the whole output (when computed)
    stories: int | None = None
    rejections: list[dict[str, Any]] = field(default_factory=list)


Progress = Callable[[Shard, dict[str, Any]], None]


# ---------------------------------------------------------------- per-article work (any process)
def process_items(items: Sequence[tuple[str, RawInput | Rejected]], stages: Sequence[str],
                  timeout: float | None) -> list[tuple[str, dict | None, list[dict], dict | None]]:
    """(shard key, article row, extraction rows, rejected row) for each input of a task.

    The stages before ``entities`` run article by article; the clean texts of
    the task are then parsed together (``nlp.pipe``) before the rest runs, so
    the parser works in batches while every article keeps its own outcome.
    """
    names = tuple(stages)
    cut = names.index("entities") if "entities" in names else len(names)
    first, rest = check_order(names[:cut]), check_order(names)[cut:]
    done: list[tuple[str, Any]] = []
    for key, item in items:
        if isinstance(item, Rejected):
            done.append((key, item))
            continue
        try:
            done.append((key, process(item, first, timeout)))
        except Rejected as r:
            done.append((key, r))
    if rest:
        _parse_together([a.text for _k, a in done if not isinstance(a, Rejected) and a.get("language") == "en"],
                         timeout)   # the English parser primes only English texts
    out = []
    for key, a in done:
        if not isinstance(a, Rejected) and rest:
            try:
                a = process(a.raw, rest, timeout, article=a)
            except Rejected as r:
                a = r
        if isinstance(a, Rejected):
            out.append((key, None, [], rejected_record(a, key)))
        else:
            out.append((key, article_record(a, key), extraction_records(a, key), None))
    return out


def _parse_together(texts: list[str], timeout: float | None) -> None:
    """Prime the parser's cache for a task's texts; any failure leaves each text to its own stage."""
    if len(texts) < 2:
        return
    from ..extract.entities import parse_many
    from ..pipeline import _Timeout, time_limit

    try:
        with time_limit(timeout):
            parse_many(texts)
    except (_Timeout, Exception):
        pass


def warm_up(stages: Sequence[str]) -> None:
    """Load every model the stages use (called once per worker process)."""
    text = ("Officials in Lisbon said on Monday that the bridge would reopen. "
            "\"We are ready,\" the mayor, Ana Costa, told reporters.")
    try:
        process(RawInput("<warm-up>", text, "text", "file", content_hash="warm-up"), check_order(stages), None)
    except Rejected:
        pass


def _in_worker(task: tuple[tuple[tuple[str, RawInput | Rejected], ...], tuple[str, ...], float | None]):
    items, stages, timeout = task
    return process_items(items, stages, timeout)


def _init_worker(stages: tuple[str, ...]) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        pass
    warm_up(stages)


# ---------------------------------------------------------------- reading, in order, without repeats
def unique_inputs(shard: Shard, seen: set[str], limits: Limits, report: RunReport) -> Iterator[RawInput | Rejected]:
    for item in read_shard(shard, limits):
        if isinstance(item, RawInput):
            if item.content_hash in seen:
                report.duplicates += 1
                continue
            seen.add(item.content_hash)
        yield item


def _tasks(shards: Sequence[Shard], out: str, seen: set[str], opts: RunOptions, report: RunReport):
    """(shard index, items, last?) tasks, shard after shard; a shard always ends with a last task."""
    for i, shard in enumerate(shards):
        pending: list[tuple[str, RawInput | Rejected]] = []
        for item in unique_inputs(shard, seen, opts.limits, report):
            pending.append((shard.key, item))
            if len(pending) >= opts.task_size:
                yield i, tuple(pending), False
                pending = []
        yield i, tuple(pending), True


def bounded_map(pool: ProcessPoolExecutor, fn, tasks: Iterable[Any], window: int) -> Iterator[Any]:
    """``pool.map`` that keeps at most ``window`` tasks in flight (the built-in one reads all input first)."""
    inflight: deque = deque()
    for task in tasks:
        inflight.append(pool.submit(fn, task))
        if len(inflight) >= window:
            yield inflight.popleft().result()
    while inflight:
        yield inflight.popleft().result()


class _ShardSink:
    """Rows of the shard being finished, written every ``batch_size`` articles and at its end."""

    def __init__(self, out: str, shard: Shard, batch_size: int):
        self.out, self.shard, self.batch_size = out, shard, batch_size
        self.articles: list[dict] = []
        self.extractions: list[dict] = []
        self.rejected: list[dict] = []
        self.part = 0
        self.counts = {"articles": 0, "rejected": 0}
        self.t0 = time.perf_counter()

    def add(self, results) -> None:
        for _key, art, exts, rej in results:
            if art is not None:
                self.articles.append(art)
                self.extractions.extend(exts)
                self.counts["articles"] += 1
            if rej is not None:
                self.rejected.append(rej)
                self.counts["rejected"] += 1
        if len(self.articles) + len(self.rejected) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        base = f"{self.shard.key}-{self.part:05d}"
        O.write_rows(self.out, "articles", self.articles, base)
        O.write_rows(self.out, "extractions", self.extractions, base)
        O.write_rows(self.out, "rejected", self.rejected, base)
        self.articles, self.extractions, self.rejected = [], [], []
        self.part += 1

    def finish(self, engine: str) -> dict[str, Any]:
        self.flush()
        info = {"path": self.shard.path, "size": self.shard.size, "mtime_ns": self.shard.mtime_ns,
                "engine": engine, "seconds": round(time.perf_counter() - self.t0, 3), **self.counts}
        O.write_checkpoint(self.out, self.shard.key, info)
        return info


def run_pooled(shards: Sequence[Shard], out: str, opts: RunOptions, engine: str = "local",
               progress: Progress | None = None) -> RunReport:
    """The in-process (``local``) or process-pool (``processes``) runner."""
    report, todo, seen = _start(shards, out, engine)
    stages = tuple(opts.stages)
    tasks = ((i, (items, stages, opts.timeout), last) for i, items, last in _tasks(todo, out, seen, opts, report))
    if engine == "local":
        results = ((i, _in_worker(t), last) for i, t, last in tasks)
        _drain(results, todo, out, opts, report, engine, progress)
    else:
        workers = opts.workers or os.cpu_count() or 1
        meta: deque = deque()

        def payloads():
            for i, t, last in tasks:
                meta.append((i, last))
                yield t

        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(stages,)) as pool:
            results = ((*meta.popleft(), r) for r in bounded_map(pool, _in_worker, payloads(), 4 * workers))
            _drain(((i, r, last) for i, last, r in results), todo, out, opts, report, engine, progress)
    report.seconds = time.perf_counter() - report.seconds
    return report


def _start(shards: Sequence[Shard], out: str, engine: str) -> tuple[RunReport, list[Shard], set[str]]:
    report = RunReport(engine, shards=len(shards), seconds=time.perf_counter())
    done = O.done_shards(out)
    todo = [s for s in shards if s.key not in done]
    report.skipped_shards = len(shards) - len(todo)
    for s in todo:  # what an interrupted attempt left is removed before the output's ids are read
        O.clear_shard(out, s.key)
    return report, todo, O.existing_ids(out)


def _drain(results, todo: Sequence[Shard], out: str, opts: RunOptions, report: RunReport, engine: str,
           progress: Progress | None) -> None:
    sink: _ShardSink | None = None
    for i, res, last in results:
        if sink is None:
            sink = _ShardSink(out, todo[i], opts.batch_size)
        sink.add(res)
        report.rejections.extend(r for _k, _a, _e, r in res if r is not None)
        if last:
            info = sink.finish(engine)
            report.articles += info["articles"]
            report.rejected += info["rejected"]
            if progress:
                progress(todo[i], info)
            sink = None
