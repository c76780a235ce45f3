"""Hostile inputs made on the fly, and a probe that reads or ingests them in a child process.

Every generator streams to disk in 1 MB pieces, so a 1 GB input never sits in
the test's memory. ``probe`` runs the readers (or a whole ingest) in a fresh
Python process under an address-space cap and reports what came out, the time
and the peak resident memory of that process:

    path = single_line_jsonl(tmp_path / "feed.jsonl", mb=128)
    out = probe({"mode": "read", "paths": [str(path)]})
    out["items"]    # [{"type": "Rejected", "code": "too_large", "source": ".../feed.jsonl#row=2", ...}, ...]
    out["peak_mb"], out["seconds"]

Used by tests/test_pathological.py (sizes that keep the suite fast) and
bench/pathological.py (1 GB).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Iterator

MB = 2**20
LINE_WORDS = b"the harbour board met again "          # 28 bytes, repeated into long lines
GOOD_TEXT = ("Harbour pier closed after cracks found\n\nBy Piet Andersen\n\n"
             "The harbour authority closed the northern pier on Thursday after inspectors found cracks in two "
             "of its concrete supports, a spokesperson said.\n\n"
             "Fishing boats will moor at the southern quay until the repairs are finished in the spring.\n")


def _filler(n_bytes: int, unit: bytes = LINE_WORDS) -> Iterator[bytes]:
    """``n_bytes`` of ``unit`` repeated, in pieces of about 1 MB."""
    piece = unit * (MB // len(unit))
    left = n_bytes
    while left > 0:
        out = piece[:left]
        left -= len(out)
        yield out


def _write(path: Path, parts) -> Path:
    with open(path, "wb") as f:
        for p in parts:
            f.write(p)
    return path


def _gz(parts, level: int = 6) -> Iterator[bytes]:
    c = zlib.compressobj(level, zlib.DEFLATED, 31)
    for p in parts:
        out = c.compress(p)
        if out:
            yield out
    yield c.flush()


# ------------------------------------------------------------ one enormous line
def single_line_jsonl(path: Path, mb: int) -> Path:
    """Row 1 a good article, row 2 one JSON object on a single line of ``mb`` MB, row 3 a good article."""
    good = json.dumps({"url": "https://herald.example/a", "text": GOOD_TEXT}).encode() + b"\n"
    return _write(path, [good, b'{"url": "https://herald.example/huge", "text": "', *_filler(mb * MB), b'"}\n',
                         good.replace(b"/a", b"/b")])


def single_line_text(path: Path, mb: int) -> Path:
    """A text file that is one line of ``mb`` MB with no newline."""
    return _write(path, [b"Harbour pier closed ", *_filler(mb * MB)])


def single_line_csv(path: Path, mb: int) -> Path:
    """Header, a row whose text cell is one line of ``mb`` MB, then a good row."""
    good = ("https://herald.example/b,\"" + GOOD_TEXT.replace('"', '""') + "\"\n").encode()
    return _write(path, [b"url,text\n", b"https://herald.example/huge,", *_filler(mb * MB), b"\n", good])


# ------------------------------------------------------------ deep markup
def nested_html(path: Path, depth: int, tag: bytes = b"div") -> Path:
    """An article inside ``depth`` nested tags (opened, then closed)."""
    open_, close = b"<" + tag + b">", b"</" + tag + b">"
    body = (b"<h1>Harbour pier closed</h1><p>The harbour authority closed the northern pier on Thursday after "
            b"inspectors found cracks in two of its concrete supports, a spokesperson said.</p>")
    return _write(path, [b"<!doctype html><html><head><title>Pier</title></head><body>",
                         *_filler(depth * len(open_), open_), body, *_filler(depth * len(close), close),
                         b"</body></html>"])


# ------------------------------------------------------------ compression bombs
def gzip_bomb(path: Path, mb: int) -> Path:
    """``mb`` MB of zeros, gzip-compressed (about 1,000:1)."""
    return _write(path, _gz(_filler(mb * MB, b"\0" * 1024), level=9))


def text_gzip_bomb(path: Path, mb: int) -> Path:
    """``mb`` MB of one repeated sentence, gzip-compressed: valid text that expands far past the limits."""
    return _write(path, _gz(_filler(mb * MB), level=9))


def jsonl_gzip_bomb(path: Path, rows: int, row_kb: int = 256) -> Path:
    """``rows`` JSON Lines rows of ``row_kb`` KB each, all alike, gzip-compressed."""
    text = (LINE_WORDS * (row_kb * 1024 // len(LINE_WORDS))).decode()
    row = json.dumps({"url": "https://herald.example/same", "text": GOOD_TEXT + text}).encode() + b"\n"
    return _write(path, _gz((row for _ in range(rows)), level=9))


def nested_gzip_bomb(path: Path, mb: int) -> Path:
    """gzip(gzip(``mb`` MB of one repeated sentence)): the outer layer is small, the inner one explodes."""
    inner = b"".join(_gz(_filler(mb * MB), level=9))
    return _write(path, _gz([inner], level=9))


def zip_bomb(path: Path, mb: int) -> Path:
    """A ZIP archive holding one member of ``mb`` MB of zeros."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("article.txt", "w", force_zip64=True) as f:
            for p in _filler(mb * MB, b"\0" * 1024):
                f.write(p)
    return path


# ------------------------------------------------------------ WARC
_HTTP = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
SMALL_PAGE = (b"<html><body><article><h1>Pier closed</h1><p>The harbour authority closed the northern pier on "
              b"Thursday after inspectors found cracks in two of its supports, a spokesperson said.</p>"
              b"</article></body></html>")


def _warc_head(n: int, payload_len: int) -> bytes:
    return (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://herald.example/{n}\r\n"
            f"WARC-Date: 2023-10-12T08:30:00Z\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{n:012d}>\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(_HTTP) + payload_len}\r\n\r\n"
            ).encode() + _HTTP


def warc_huge_record(path: Path, mb: int, gz: bool) -> Path:
    """A WARC (gzip per record when ``gz``): a small page, an HTML record of ``mb`` MB, a small page."""
    def record(n: int, parts, length: int):
        body = [_warc_head(n, length), *parts, b"\r\n\r\n"]
        return _gz(body) if gz else iter(body)

    big = (b"<p>" + LINE_WORDS * 36 + b"</p>\n")
    last = SMALL_PAGE.replace(b"Pier closed", b"Pier shut")
    with open(path, "wb") as f:
        for n, parts, length in ((1, [SMALL_PAGE], len(SMALL_PAGE)),
                                 (2, _filler(mb * MB, big), mb * MB),
                                 (3, [last], len(last))):
            for out in record(n, parts, length):
                f.write(out)
    return path


# ------------------------------------------------------------ the probe
PROBE = r"""
import json, os, resource, sys, time
spec = json.loads(sys.argv[1])
cap = spec.get("cap_mb", 2048) * 2**20
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from narrascope.errors import Rejected
from narrascope.ingest import Limits, iter_inputs
from narrascope.model import RawInput
from narrascope.pipeline import CLEAN_STAGES, check_order, process

def row(x):
    return {"type": type(x).__name__, "source": x.source, "code": getattr(x, "code", None),
            "reason": getattr(x, "reason", None), "chars": len(getattr(x, "text", "") or "")}

out = {"items": []}
limits = Limits(**spec["limits"]) if spec.get("limits") else Limits()
t0 = time.perf_counter()
stdin = open(spec["stdin"], "rb") if spec.get("stdin") else None
if spec["mode"] == "read":
    stages = check_order(CLEAN_STAGES)
    for x in iter_inputs(spec["paths"], limits, stdin=stdin):
        if isinstance(x, RawInput) and spec.get("process"):
            try:
                process(x, stages, timeout=spec.get("timeout", 30))
            except Rejected as r:
                x = r
        out["items"].append(row(x))
else:
    from narrascope.api import ingest
    from narrascope.store import Store
    summary = ingest(spec["paths"], spec["db"], stages=CLEAN_STAGES, limits=limits, timeout=spec.get("timeout", 30),
                     stdin=stdin)
    out["counts"] = summary.counts
    out["items"] = [row(r) for r in summary.rejected]
    with Store(spec["db"], read_only=True) as store:
        out["errors"] = [{k: e[k] for k in ("source", "code", "reason")} for e in store.errors()]
out["seconds"] = round(time.perf_counter() - t0, 2)
out["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(out))
"""


def probe(spec: dict, timeout: float = 600) -> dict:
    """Run the readers (``mode: read``, optionally ``process``) or an ingest (``mode: ingest``, ``db``) over
    ``paths`` in a child process capped at ``cap_mb`` of address space; its report as a dict."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(spec)], capture_output=True, text=True,
                          timeout=timeout, env=env)
    if proc.returncode != 0:
        raise AssertionError(f"the probe failed ({proc.returncode}): {proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def baseline_mb() -> float:
    """Peak memory of a probe that reads one small article: what the interpreter and imports cost."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "a.txt"
        p.write_text(GOOD_TEXT)
        return probe({"mode": "read", "paths": [str(p)], "process": True})["peak_mb"]


__all__ = ["MB", "GOOD_TEXT", "single_line_jsonl", "single_line_text", "single_line_csv", "nested_html",
           "gzip_bomb", "text_gzip_bomb", "jsonl_gzip_bomb", "nested_gzip_bomb", "zip_bomb", "warc_huge_record",
           "probe", "baseline_mb"]
