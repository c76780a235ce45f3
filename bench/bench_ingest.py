"""Throughput and peak memory of ingest + clean + metadata (+ events), against baselines measured in the same run.

The model stages (entities, quotes) are measured apart by eval/eval_quotes.py.

    python bench/bench_ingest.py [--n 10000] [--html 1000]

Corpus: real article texts (../shared/seeds and ../shared/semeval2025/train-documents
when present, else the fixture articles) turned into N scraped-looking documents:
each gets random site furniture above and below the body and a shuffled paragraph
order, so every document has its own content hash. A second corpus wraps the same
bodies in HTML pages with navigation, sidebars and footers.

Modes, each in its own process so peak memory (max RSS) is its own:
  baseline-store  read, decode, hash and store the raw text, one transaction per
                  article (the floor any ingest pays)
  process         our stages without the store (articles/s of the cleaning itself)
  ingest          the full `narrascope ingest` path into a fresh DuckDB file
  baseline-html   trafilatura.extract alone, page by page
  ingest-html     the full ingest path on the HTML pages
Figures are printed as a table, ratios against the baselines of the same run.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

HEADER_JUNK = ["Support us on Patreon", "Sign up for our daily newsletter and get the news in your inbox.",
               "Follow us on Telegram and X.", "3 min read", "Share this article", "Advertisement",
               "Photo: Archive image (Getty Images)", "Skip to main content"]
FOOTER_JUNK = ["Read also:", "Share This Article", "Leave a comment", "\u00a9 2024 Example Media. All rights reserved.",
               "Tags: politics, world, europe", "1,204 views", "This website uses cookies to ensure the best experience.",
               "Disclaimer: the views expressed are the author's own."]


def real_bodies() -> list[list[str]]:
    files = sorted((SHARED / "semeval2025" / "train-documents").glob("*.txt")) + sorted((SHARED / "seeds").glob("*.txt"))
    if not files:
        files = sorted((ROOT / "tests" / "fixtures" / "articles").glob("*.txt"))
    bodies = []
    for f in files:
        paras = [p.strip() for p in f.read_text(encoding="utf-8", errors="replace").split("\n") if len(p.strip()) > 60]
        if len(paras) >= 3:
            bodies.append(paras)
    return bodies


def make_corpus(dest: Path, n: int, html: bool, seed: int = 7) -> None:
    rng = random.Random(seed)
    bodies = real_bodies()
    dest.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        paras = list(rng.choice(bodies))
        head, rest = paras[0], paras[1:]
        rng.shuffle(rest)
        title = " ".join(head.split()[:10]).rstrip(".,;:")
        date = f"{rng.randint(1, 28)} {rng.choice(['March', 'June', 'October'])} {rng.randint(2019, 2025)}"
        top = rng.sample(HEADER_JUNK, 3)
        bottom = rng.sample(FOOTER_JUNK, 4) + [f"{rng.randint(10, 99999)} views"]
        if html:
            page = ("<!doctype html><html><head><meta charset='utf-8'><title>" + title + "</title>"
                    "<meta property='og:site_name' content='Example Media'></head><body><nav><a href='/'>Home</a>"
                    "<a href='/world'>World</a><a href='/politics'>Politics</a></nav><div class='promo'>" + top[0] + "</div>"
                    "<article><h1>" + title + "</h1><p class='byline'>By Sam Writer</p><time datetime='2024-03-05'>" + date + "</time>"
                    + "".join(f"<p>{p}</p>" for p in [head] + rest) + "</article><aside><h3>Most read</h3><ul>"
                    + "".join(f"<li><a href='/a{j}'>Another headline number {j}</a></li>" for j in range(5))
                    + "</ul></aside><footer>" + "".join(f"<p>{b}</p>" for b in bottom) + "</footer></body></html>")
            (dest / f"doc{i:06d}.html").write_text(page, encoding="utf-8")
        else:
            text = "\n\n".join([top[0], title, f"By Sam Writer", f"Example Media, {date}", *top[1:], head, *rest, *bottom])
            (dest / f"doc{i:06d}.txt").write_text(text + "\n", encoding="utf-8")


# ---------------------------------------------------------------- modes (run in a child process)
def mode_baseline_store(corpus: Path, db: Path) -> int:
    import duckdb

    from narrascope.model import content_id

    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE raw(hash VARCHAR PRIMARY KEY, source VARCHAR, text VARCHAR)")
    n = 0
    for f in sorted(corpus.iterdir()):
        data = f.read_bytes()
        con.execute("BEGIN")
        con.execute("INSERT INTO raw VALUES (?, ?, ?)", [content_id(data), str(f), data.decode("utf-8")])
        con.execute("COMMIT")
        n += 1
    con.close()
    return n


def mode_process(corpus: Path, db: Path) -> int:
    from narrascope.ingest import iter_inputs
    from narrascope.pipeline import CLEAN_STAGES, check_order, process

    stages = check_order(CLEAN_STAGES)
    n = 0
    for raw in iter_inputs([str(corpus)]):
        process(raw, stages)
        n += 1
    return n


def mode_ingest(corpus: Path, db: Path) -> int:
    from narrascope.api import ingest
    from narrascope.pipeline import CLEAN_STAGES

    s = ingest([str(corpus)], str(db), stages=CLEAN_STAGES)
    for r in s.rejected:  # reported, not hidden: a rejection in a benchmark corpus is a finding
        print(f"rejected: {r}", file=sys.stderr)
    return s.ingested


def mode_baseline_html(corpus: Path, db: Path) -> int:
    import trafilatura

    n = 0
    for f in sorted(corpus.iterdir()):
        trafilatura.extract(f.read_text(encoding="utf-8"), include_comments=False, with_metadata=True)
        n += 1
    return n


MODES = {"baseline-store": mode_baseline_store, "process": mode_process, "ingest": mode_ingest,
         "baseline-html": mode_baseline_html, "ingest-html": mode_ingest}


def child(mode: str, corpus: str, db: str) -> None:
    t0 = time.perf_counter()
    n = MODES[mode](Path(corpus), Path(db))
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"mode": mode, "n": n, "seconds": dt, "per_s": n / dt, "peak_mb": rss}))


def run(mode: str, corpus: Path, db: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(corpus), str(db)],
                         capture_output=True, text=True, check=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000, help="plain-text documents")
    ap.add_argument("--html", type=int, default=1_000, help="HTML pages")
    ap.add_argument("--child", nargs=3, metavar=("MODE", "CORPUS", "DB"))
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        make_corpus(tmp / "txt", args.n, html=False)
        make_corpus(tmp / "html", args.html, html=True)
        rows = [run("baseline-store", tmp / "txt", tmp / "b.duckdb"), run("process", tmp / "txt", tmp / "p.duckdb"),
                run("ingest", tmp / "txt", tmp / "i.duckdb")]
        if args.html:
            rows += [run("baseline-html", tmp / "html", tmp / "bh.duckdb"), run("ingest-html", tmp / "html", tmp / "ih.duckdb")]
    base = {r["mode"]: r for r in rows}
    print(f"{'mode':<16}{'docs':>8}{'seconds':>10}{'docs/s':>10}{'peak MB':>10}  ratio")
    for r in rows:
        ref = base["baseline-html"] if "html" in r["mode"] else base["baseline-store"]
        print(f"{r['mode']:<16}{r['n']:>8}{r['seconds']:>10.1f}{r['per_s']:>10.1f}{r['peak_mb']:>10.0f}  "
              f"{r['seconds'] / ref['seconds']:.2f}x the time of {ref['mode']}")
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "ingest.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
