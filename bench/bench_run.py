"""Cost of a batch run: per-stage throughput, the cost curve by corpus size, and a naive baseline.

    python bench/bench_run.py stages   [--n 10000]                    per stage: articles/s, peak memory
    python bench/bench_run.py curve    [--sizes 1000,10000,100000] [--engines local,spark] [--stages clean|all]
                                       [--near-up-to 10000]
    python bench/bench_run.py baseline [--n 300] [--engines local,processes]   the pipeline against a naive script

Corpus: rows made by ``narrascope.run.synth`` from the real articles in ../shared/seeds and
../shared/semeval2025/train-documents (the fixture articles when those are absent), read at run
time; 4% of rows repeat an earlier one and 10% drop a paragraph, as a crawl would.

stages    one process, the article's stages timed one by one (models loaded before timing).
curve     each (engine, size) in a fresh process: wall time, articles/s and peak RSS of the
          process and its children for the per-article run, so memory growth with corpus size
          shows; then (in-process only) the corpus-wide near-copy pass, timed apart.
baseline  the same work both ways on the same HTML pages: readable text, named entities and a
          sentence embedding of the lead. Naive: trafilatura.extract, the full spaCy pipeline and
          SentenceTransformer.encode, article by article, in one process. Pipeline: `narrascope run`
          with the clean and entity stages (repeats skipped by content, paragraphs parsed once while
          cached), per engine in a fresh process, then each distinct lead embedded once, in batches.
          Reported as a ratio per engine. Up to n = 400 every source article appears once (plus the
          4% repeats and 10% near-copies); above, each source recurs n/400 times, as wire copies do.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def sources() -> list[Path]:
    found = [p for p in (SHARED / "seeds", SHARED / "semeval2025" / "train-documents") if p.is_dir()]
    return found or [ROOT / "tests" / "fixtures" / "outlets"]


def make_corpus(dest: Path, n: int, shard_size: int = 1000, html: bool = False) -> list[str]:
    from narrascope.run.synth import source_texts, write_corpus

    texts = source_texts(sources())
    if html:
        texts = [to_html(t) for t in texts]
    return write_corpus(dest, texts, n, shard_size=shard_size, fmt="jsonl")


def to_html(text: str) -> str:
    from html import escape

    paras = [p.strip() for p in text.split("\n\n") if p.strip()]
    title = paras[0].splitlines()[0] if paras else ""
    body = "".join(f"<p>{escape(p)}</p>" for p in paras[1:])
    return (f"<html><head><title>{escape(title)}</title></head><body><nav>Home | World | Sport</nav>"
            f"<article><h1>{escape(title)}</h1>{body}</article><footer>Subscribe to our newsletter</footer></body></html>")


def peak_rss_mb(children: bool = False) -> float:
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


# ---------------------------------------------------------------- stages
def bench_stages(n: int) -> dict:
    from narrascope.model import RawInput
    from narrascope.pipeline import DEFAULT_STAGES, check_order
    from narrascope.run.engines import warm_up
    from narrascope.run.shards import read_shard
    from narrascope.errors import Rejected
    from narrascope.model import Article

    tmp = Path(tempfile.mkdtemp(prefix="bench-stages-"))
    try:
        shards = make_corpus(tmp, n)
        t = time.perf_counter()
        warm_up(DEFAULT_STAGES)
        load = time.perf_counter() - t
        stages = check_order(DEFAULT_STAGES)
        spent = {s.name: 0.0 for s in stages}
        done = {s.name: 0 for s in stages}
        seen = set()
        for shard in shards:
            for item in read_shard(shard):
                if not isinstance(item, RawInput) or item.content_hash in seen:
                    continue
                seen.add(item.content_hash)
                article = Article(item)
                for st in stages:
                    t = time.perf_counter()
                    try:
                        st.func(article)
                    except Rejected:
                        spent[st.name] += time.perf_counter() - t
                        break
                    spent[st.name] += time.perf_counter() - t
                    done[st.name] += 1
        rows = [{"stage": k, "articles": done[k], "seconds": round(spent[k], 2),
                 "articles_per_s": round(done[k] / spent[k], 1) if spent[k] else None} for k in spent]
        total = sum(spent.values())
        return {"n": n, "unique": len(seen), "model_load_s": round(load, 2), "stages": rows,
                "all_stages_articles_per_s": round(len(seen) / total, 2), "peak_rss_mb": round(peak_rss_mb())}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------- curve
def one_run(engine: str, n: int, stages: str, near_up_to: int = 10000) -> dict:
    """Runs in its own process (see ``curve``)."""
    from narrascope.pipeline import CLEAN_STAGES, DEFAULT_STAGES
    from narrascope.run import RunOptions, run

    tmp = Path(tempfile.mkdtemp(prefix="bench-curve-"))
    try:
        make_corpus(tmp / "in", n)
        opts = RunOptions(stages=CLEAN_STAGES if stages == "clean" else DEFAULT_STAGES, timeout=30.0)
        t = time.perf_counter()
        rep = run([str(tmp / "in")], str(tmp / "out"), engine=engine, options=opts, master="local[2]", near=False,
                  across=False)
        secs = time.perf_counter() - t
        row = {"engine": engine, "n": n, "stages": stages, "articles": rep.articles, "seconds": round(secs, 1),
               "articles_per_s": round(rep.articles / secs, 1), "ms_per_article": round(1000 * secs / rep.articles, 1),
               "peak_rss_mb": round(peak_rss_mb()), "children_peak_rss_mb": round(peak_rss_mb(children=True))}
        # the corpus-wide near-copy pass, timed apart: it grows with the pairs found, and each source article
        # has n/400 copies here, so the pairs grow with the square of n (12 million at 100,000)
        if engine == "local" and n <= near_up_to:
            from narrascope.run.near import near_copies_local

            t = time.perf_counter()
            row["near_copies"] = len(near_copies_local(str(tmp / "out")))
            row["near_seconds"] = round(time.perf_counter() - t, 1)
            row["peak_rss_with_near_mb"] = round(peak_rss_mb())
        return row
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def curve(sizes: list[int], engines: list[str], stages: str, near_up_to: int = 10000) -> list[dict]:
    out = []
    for engine in engines:
        for n in sizes:
            res = subprocess.run([sys.executable, __file__, "_one", engine, str(n), stages, str(near_up_to)],
                                 capture_output=True, text=True)
            line = [l for l in res.stdout.splitlines() if l.startswith("{")]
            row = json.loads(line[-1]) if line else {"engine": engine, "n": n, "error": res.stderr[-500:]}
            print(json.dumps(row), flush=True)
            out.append(row)
    return out


# ---------------------------------------------------------------- baseline
def naive(rows: list[dict]) -> tuple[float, int]:
    import spacy
    import trafilatura

    from narrascope.extract.entities import MODEL
    from narrascope.link.embed import model

    nlp = spacy.load(MODEL)
    st = model()   # the same sentence-transformers model, loaded from its PyPI package
    st.encode(["warm up"])
    t = time.perf_counter()
    ents = 0
    for r in rows:
        text = trafilatura.extract(r["html"]) or ""
        doc = nlp(text)
        ents += len(doc.ents)
        st.encode([text[:1000]], normalize_embeddings=True, show_progress_bar=False)
    return time.perf_counter() - t, ents


def pipeline(shards_dir: Path, out: Path, engine: str = "local") -> tuple[float, int]:
    from narrascope.link.embed import encode
    from narrascope.link.stories import lead_text
    from narrascope.pipeline import CLEAN_STAGES
    from narrascope.run import RunOptions, run
    from narrascope.run.engines import warm_up
    from narrascope.run.near import iter_texts

    stages = CLEAN_STAGES + ("entities",)
    warm_up(stages)
    encode(["warm up"])
    t = time.perf_counter()
    rep = run([str(shards_dir)], str(out), engine=engine, options=RunOptions(stages=stages, timeout=30.0, workers=0),
              near=False, across=False)
    leads = list(dict.fromkeys(lead_text(None, None, x) for _id, x in iter_texts(str(out))))  # a lead once
    for i in range(0, len(leads), 256):
        encode(leads[i:i + 256])
    return time.perf_counter() - t, rep.articles


def bench_baseline(n: int, engines: list[str]) -> dict:
    """Both sides on the same generated HTML pages; each engine's run in a fresh process."""
    from narrascope.run.synth import rows as synth_rows
    from narrascope.run.synth import source_texts

    texts = [to_html(t) for t in source_texts(sources())]
    rows = [{"html": r["text"]} for r in synth_rows(texts, n)]
    base, ents = naive(rows)
    out = {"n": n, "sources": len(texts), "copies_per_source": round(n / len(texts), 1), "naive_s": round(base, 1),
           "naive_entities": ents, "pipeline": []}
    for engine in engines:
        res = subprocess.run([sys.executable, __file__, "_pipeline", engine, str(n)], capture_output=True, text=True)
        line = [l for l in res.stdout.splitlines() if l.startswith("{")]
        row = json.loads(line[-1]) if line else {"engine": engine, "error": res.stderr[-500:]}
        if "seconds" in row:
            row["ratio"] = round(base / row["seconds"], 2)
        out["pipeline"].append(row)
        print(json.dumps(row), flush=True)
    return out


def one_pipeline(engine: str, n: int) -> dict:
    from narrascope.run.synth import source_texts, write_corpus

    tmp = Path(tempfile.mkdtemp(prefix="bench-base-"))
    try:
        texts = [to_html(t) for t in source_texts(sources())]
        write_corpus(tmp / "in", texts, n, shard_size=500)
        secs, articles = pipeline(tmp / "in", tmp / "out", engine)
        return {"engine": engine, "seconds": round(secs, 1), "articles": articles, "cores": os.cpu_count()}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_one":
        print(json.dumps(one_run(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "_pipeline":
        print(json.dumps(one_pipeline(sys.argv[2], int(sys.argv[3]))))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("part", choices=["stages", "curve", "baseline"])
    ap.add_argument("--n", type=int, default=None)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--engines", default=None, help="curve: local,spark; baseline: local,processes")
    ap.add_argument("--stages", choices=["clean", "all"], default="clean")
    ap.add_argument("--near-up-to", type=int, default=10000, help="Time the near-copy pass up to this size.")
    ap.add_argument("--json", help="Also write the figures here.")
    a = ap.parse_args()
    if a.part == "stages":
        res = bench_stages(a.n or 10000)
    elif a.part == "curve":
        res = curve([int(s) for s in a.sizes.split(",")], (a.engines or "local,spark").split(","), a.stages,
                    a.near_up_to)
    else:
        res = bench_baseline(a.n or 300, (a.engines or "local,processes").split(","))
    print(json.dumps(res, indent=1))
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(res, indent=1) + "\n")


if __name__ == "__main__":
    main()
