"""Pathological inputs at full size: what each costs in time and peak memory, and what came out.

    .venv/bin/python bench/pathological.py            # 1 GB single lines and records, 10^6 nested tags, bombs
    .venv/bin/python bench/pathological.py --gb 2

Each input is written to a temporary folder in 1 MB pieces, then read (and the
articles it yields cleaned) by a child process capped at 2 GB of address space
(tests/hostile.py); the table gives the input size, the outcome per item, the
seconds and the child's peak resident memory. The last row is the largest
article the default limits accept (one 20 MB line) through the clean stages.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import hostile as H  # noqa: E402


def cases(gb: float, d: Path):
    mb = int(gb * 1024)
    yield "JSONL, one line of the size", lambda: H.single_line_jsonl(d / "feed.jsonl", mb), {}
    yield "text file, one line", lambda: H.single_line_text(d / "one.txt", mb), {}
    yield "text on stdin, one line", lambda: H.single_line_text(d / "one.txt", mb), {"stdin": True}
    yield "CSV, one line", lambda: H.single_line_csv(d / "feed.csv", mb), {"process": True}
    yield "WARC, one huge HTML record", lambda: H.warc_huge_record(d / "huge.warc", mb, False), {"process": True}
    yield "WARC.gz, one huge HTML record", lambda: H.warc_huge_record(d / "huge.warc.gz", mb, True), {"process": True}
    yield "gzip of zeros", lambda: H.gzip_bomb(d / "zeros.txt.gz", mb), {}
    yield "gzip of one repeated sentence", lambda: H.text_gzip_bomb(d / "text.txt.gz", mb), {}
    yield "gzip inside gzip", lambda: H.nested_gzip_bomb(d / "twice.txt.gz", mb), {}
    yield "JSONL.gz, 256 KB rows alike", lambda: H.jsonl_gzip_bomb(d / "feed.jsonl.gz", mb * 4), {}
    yield "ZIP of zeros", lambda: H.zip_bomb(d / "zeros.zip", mb), {}
    yield "HTML, 10^6 nested <div>", lambda: H.nested_html(d / "deep.html", 10**6), {"process": True}
    yield "HTML, 10^6 nested <span>", lambda: H.nested_html(d / "deep.html", 10**6, b"span"), {"process": True}
    yield "largest accepted article: one 20 MB line, clean stages", \
        lambda: H.single_line_text(d / "max.txt", 20 - 1), {"process": True}


def outcome(items: list[dict]) -> str:
    out: dict[str, int] = {}
    for x in items:
        key = "read" if x["type"] == "RawInput" else x["code"]
        out[key] = out.get(key, 0) + 1
    return ", ".join(f"{k} {n}" for k, n in out.items())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gb", type=float, default=1.0, help="size of the single lines, records and bombs")
    args = ap.parse_args()
    print(f"baseline (one small article read and cleaned): {H.baseline_mb():.0f} MB peak")
    print("| input | size on disk | outcome | seconds | peak MB |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(dir=ROOT / "out" if (ROOT / "out").is_dir() else None) as tmp:
        for name, make, extra in cases(args.gb, Path(tmp)):
            t0 = time.perf_counter()
            path = make()
            written = time.perf_counter() - t0
            spec = {"mode": "read", "process": extra.get("process", False), "timeout": 30}
            if extra.get("stdin"):
                spec.update(paths=["-"], stdin=str(path))
            else:
                spec["paths"] = [str(path)]
            out = H.probe(spec, timeout=1800)
            size = path.stat().st_size / 2**20
            first = next((x["reason"] for x in out["items"] if x["type"] == "Rejected"), "")
            print(f"| {name} | {size:,.1f} MB | {outcome(out['items'])} | {out['seconds']:.1f} | {out['peak_mb']:.0f} |"
                  f"  <!-- written in {written:.1f} s; {first[:110]} -->", flush=True)
            path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
