"""How much body the cleaner removes as an author bio or a footer, over the real corpora in ../shared,
and how many signatures of embedded posts ("— Name (@handle) March 3, 2023") stay in the bodies.

Runs the cleaning stages (html, blocks, layout, clean) over every ``.txt`` article under the
given folders (default: the seeds and every SemEval training folder), and prints the characters
removed per kind of cut (``hard:bio``, ``hard:*`` footer markers and the ``footer:*`` blocks
after them) against the characters read, then the largest such cuts for checking by hand.

    .venv/bin/python eval/eval_cuts.py [--top 15] [DIR ...]
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from narrascope.clean.patterns import SOFT_RE
from narrascope.errors import Rejected
from narrascope.model import RawInput, content_id
from narrascope.pipeline import CLEAN_STAGES, check_order, process

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT = [SHARED / "seeds", SHARED / "semeval2025" / "train-documents"] + \
    sorted((SHARED / "semeval2025" / "multilingual").glob("*/train-documents"))




def signatures(text: str) -> int:
    """Lines that are the signature of an embedded post, by the cleaner's own pattern."""
    return sum(1 for line in text.splitlines() if SOFT_RE["embedded_post"].match(line.strip()))


def tail_cut(kind: str) -> bool:
    return kind.startswith(("hard:", "footer:"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args(argv)
    dirs = [d for d in (args.dirs or DEFAULT) if d.is_dir()]
    if not dirs:
        print("no corpus folder found", file=sys.stderr)
        return 1
    stages = check_order(CLEAN_STAGES[:4])
    read = removed = 0
    by_kind: Counter[str] = Counter()
    cuts: list[tuple[int, str, str, str]] = []
    n = rejected = signed = left = 0
    for d in dirs:
        for f in sorted(d.glob("*.txt")):
            data = f.read_bytes()
            text = data.decode("utf-8", errors="replace")
            n += 1
            read += len(text)
            signed += signatures(text)
            try:
                a = process(RawInput(str(f), text, "text", "file", content_hash=content_id(data)), stages=stages)
            except Rejected:
                rejected += 1
                continue
            left += signatures(a.text)
            per_article = Counter()
            for r in a.removed:
                if tail_cut(r.kind):
                    size = r.end - r.start
                    removed += size
                    by_kind[r.kind.split(":")[0] + ":" + r.kind.split(":")[1]] += size
                    per_article[r.kind] += size
            for kind, size in per_article.items():
                first = next(r.text for r in a.removed if r.kind == kind)
                cuts.append((size, f"{f.parent.parent.name}/{f.name}", kind, first[:90].replace("\n", " ")))
    print(f"articles: {n} in {len(dirs)} folders ({rejected} rejected), {read:,} characters read")
    print(f"removed as bio or footer: {removed:,} characters ({removed / max(1, read):.2%})")
    for kind, size in by_kind.most_common():
        print(f"  {kind:24s} {size:8,d}")
    print(f"embedded-post signatures: {signed} in the inputs, {left} left in the bodies")
    print("largest cuts (kind, characters, first words):")
    for size, name, kind, first in sorted(cuts, reverse=True)[:args.top]:
        print(f"  {size:6,d}  {kind:22s} {name}: {first!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
