"""A corpus of any size made from real articles, for benchmarks and runner tests.

Each generated row is one of the given articles, credited to one of many
outlets on a date spread over four years, with a closing line of its own (so
its content is new); every ``near_every``-th row drops a paragraph (a
near-copy) and every ``repeat_every``-th row repeats an earlier row exactly (a
crawl seeing the same page twice). Rows go to JSON Lines or WARC shards. The
article text is read at run time from the files given; none is stored here.
"""
from __future__ import annotations

import gzip
import io
import json
import os
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator, Sequence

START = date(2022, 1, 1)


def source_texts(paths: Sequence[str | os.PathLike]) -> list[str]:
    """The text of every .txt/.html file under ``paths`` (sorted), skipping empty ones."""
    texts = []
    for p in paths:
        p = Path(p)
        files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix in (".txt", ".html")) if p.is_dir() else [p]
        for f in files:
            t = f.read_text(encoding="utf-8", errors="replace")
            if t.strip():
                texts.append(t)
    return texts


def rows(texts: Sequence[str], n: int, *, outlets: int = 200, near_every: int = 10,
         repeat_every: int = 25) -> Iterator[dict]:
    made: list[dict] = []
    for i in range(n):
        if repeat_every and i and i % repeat_every == 0:
            row = made[(i * 7919) % len(made)]
        else:
            base = texts[i % len(texts)]
            paras = base.split("\n\n")
            if near_every and i % near_every == near_every - 1 and len(paras) > 3:
                del paras[len(paras) // 2]
            day = START + timedelta(days=(i * 37) % 1460)
            row = {"url": f"https://outlet{i % outlets}.example/{day:%Y/%m}/story-{i}",
                   "outlet": f"Outlet {i % outlets}", "date": day.isoformat(),
                   "text": "\n\n".join(paras) + f"\n\nFiled from desk {i} on {day:%d %B %Y}."}
        if len(made) < 5000:
            made.append(row)
        yield row


def write_corpus(out_dir: str | os.PathLike, texts: Sequence[str], n: int, *, shard_size: int = 1000,
                 fmt: str = "jsonl", **kw) -> list[str]:
    """Write ``n`` rows as shards of ``shard_size`` (``jsonl``, ``jsonl.gz`` or ``warc.gz``); returns the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths, batch, k = [], [], 0
    for row in rows(texts, n, **kw):
        batch.append(row)
        if len(batch) >= shard_size:
            paths.append(_write_shard(out, k, batch, fmt))
            batch, k = [], k + 1
    if batch:
        paths.append(_write_shard(out, k, batch, fmt))
    return paths


def _write_shard(out: Path, k: int, batch: list[dict], fmt: str) -> str:
    path = out / f"shard-{k:05d}.{fmt}"
    if fmt == "jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch), encoding="utf-8")
    elif fmt == "jsonl.gz":
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in batch)
    elif fmt == "warc.gz":
        _write_warc(path, batch)
    else:
        raise ValueError(f"unknown shard format {fmt!r}")
    return str(path)


def _write_warc(path: Path, batch: list[dict]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for r in batch:
            body = r["text"].encode("utf-8")
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/plain; charset=utf-8")], protocol="HTTP/1.1")
            rec = writer.create_warc_record(r["url"], "response", payload=io.BytesIO(body), http_headers=http,
                                            warc_headers_dict={"WARC-Date": f"{r['date']}T12:00:00Z"})
            writer.write_record(rec)
