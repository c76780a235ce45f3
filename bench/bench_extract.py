"""Throughput of entity + quote extraction (the `entities` and `quotes` stages), articles/s.

Corpus: the real article texts in ../shared/seeds and ../shared/semeval2025/train-documents,
read at run time (nothing is copied into the repository). Each mode runs the same work on
the same texts and the outputs are compared, so a faster mode cannot be a different one:

  baseline  one process, article by article, as the pipeline's stages do it
            (``article_entities(text)`` then ``extract_quotes(text, entities)``)
  batched   one process, texts parsed 16 at a time with ``nlp.pipe``, then the same
  pool      N worker processes (default 2: the machine's cores), spaCy loaded once per
            worker, each worker taking chunks of 16 texts batched as above

Model loading is timed apart and not counted in articles/s.

    .venv/bin/python bench/bench_extract.py [--limit 400] [--workers 2] [--json bench/results/extract.json]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from narrascope.extract import entities as E            # noqa: E402
from narrascope.extract import parse as P               # noqa: E402
from narrascope.extract.quotes import extract_quotes    # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CHUNK = 16


def corpus(limit: int | None) -> list[str]:
    """The real article texts, seeds first."""
    files = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "semeval2025" / "train-documents").glob("*.txt"))
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    texts = [t for t in texts if t.strip()]
    return texts[:limit] if limit else texts


def extract(text: str, doc=None) -> tuple[list, list]:
    """The two stages on one text: (entities in the export shape, quotes as dicts)."""
    local = E.article_entities(doc if doc is not None else text)
    quotes = extract_quotes(text, local, None, doc=doc)
    return E.export_entities(local), [q.as_dict() for q in quotes]


def digest(results: list[tuple[list, list]]) -> str:
    """A fingerprint of the outputs that matter downstream (entity names and types, quotes)."""
    h = hashlib.sha256()
    for ents, quotes in results:
        h.update(json.dumps([sorted((e["name"], e["type"], len(e["mentions"])) for e in ents),
                             [(q["text"], q["start"], q["speaker"], q["cue"], q["kind"]) for q in quotes]],
                            ensure_ascii=False).encode())
    return h.hexdigest()[:16]


def run_baseline(texts: list[str]) -> list[tuple[list, list]]:
    return [extract(t) for t in texts]


def run_batched(texts: list[str]) -> list[tuple[list, list]]:
    out = []
    for k in range(0, len(texts), CHUNK):
        chunk = texts[k:k + CHUNK]
        out += [extract(t, d) for t, d in zip(chunk, E.parse_many(chunk, batch_size=CHUNK))]
    return out


def _worker_init() -> None:
    E.load_nlp()


def _worker_chunk(chunk: list[str]) -> list[tuple[list, list]]:
    return [extract(t, d) for t, d in zip(chunk, E.parse_many(chunk, batch_size=CHUNK))]


def run_pool(texts: list[str], workers: int) -> tuple[list[tuple[list, list]], float, float]:
    """(results, seconds to start the workers and load the model in each, seconds of work)."""
    chunks = [texts[k:k + CHUNK] for k in range(0, len(texts), CHUNK)]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(workers, initializer=_worker_init) as ex:
        list(ex.map(_worker_init_probe, range(workers)))       # wait until every worker has loaded
        load = time.perf_counter() - t0
        t1 = time.perf_counter()
        out = [r for rs in ex.map(_worker_chunk, chunks) for r in rs]
        return out, load, time.perf_counter() - t1


def _worker_init_probe(_: int) -> int:
    time.sleep(0.2)                     # keeps one probe from taking every slot before the others start
    return os.getpid()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N texts")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args(argv)

    texts = corpus(args.limit)
    if not texts:
        print("no texts found under", SHARED, file=sys.stderr)
        return 1
    words = sum(len(t.split()) for t in texts)
    t0 = time.perf_counter()
    E.load_nlp()
    load = time.perf_counter() - t0
    extract("Warm-up: \"fine,\" Ana Costa said on Monday.")
    rows = []

    def record(mode: str, seconds: float, res: list, extra: str = "") -> None:
        rows.append({"mode": mode, "seconds": round(seconds, 2), "articles_per_s": round(len(texts) / seconds, 2),
                     "words_per_s": round(words / seconds), "quotes": sum(len(q) for _, q in res),
                     "digest": digest(res), "note": extra})

    P._DOCS.clear()
    t0 = time.perf_counter()
    base = run_baseline(texts)
    record("baseline", time.perf_counter() - t0, base, "one process, article by article")
    P._DOCS.clear()
    t0 = time.perf_counter()
    bat = run_batched(texts)
    record("batched", time.perf_counter() - t0, bat, f"one process, nlp.pipe batches of {CHUNK}")
    P._DOCS.clear()
    pooled, pool_load, secs = run_pool(texts, args.workers)
    record(f"pool-{args.workers}", secs, pooled, f"{args.workers} processes; worker start + model load "
                                                  f"{pool_load:.1f} s not counted")

    print(f"corpus: {len(texts)} real articles, {words} words; model load {load:.2f} s; "
          f"cpus seen: {os.cpu_count()}")
    print(f"{'mode':<10} {'seconds':>8} {'art/s':>7} {'words/s':>8} {'quotes':>7}  {'x base':>6}  same output  note")
    b = rows[0]["seconds"]
    for r in rows:
        same = "yes" if r["digest"] == rows[0]["digest"] else "NO"
        print(f"{r['mode']:<10} {r['seconds']:>8.2f} {r['articles_per_s']:>7.2f} {r['words_per_s']:>8} "
              f"{r['quotes']:>7}  {b / r['seconds']:>6.2f}  {same:<11}  {r['note']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"articles": len(texts), "words": words, "model_load_s": round(load, 2),
                                         "rows": rows}, indent=1) + "\n", encoding="utf-8")
    return 0 if all(r["digest"] == rows[0]["digest"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
