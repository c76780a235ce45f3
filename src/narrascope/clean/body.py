"""Assemble the clean body from the blocks the layout stage kept."""
from __future__ import annotations

from ..model import Article, OffsetMap, Removed

PARAGRAPH = "\n\n"


def assemble(article: Article) -> None:
    """Join body blocks into ``article.text`` with a map back to raw offsets; record what was left out."""
    parts: list[str] = []
    runs: list[list[int]] = []   # (start, source start, length), merged as OffsetMap.from_positions would
    n = 0
    for b in article.blocks:
        if b.role != "body":
            s, e = article.to_raw(b.raw_start), article.to_raw(max(b.raw_start, b.raw_end - 1)) + 1
            article.removed.append(Removed(s, e, b.kind or b.role, b.text))
            continue
        block = b.offsets if article.layer_map is None else OffsetMap.from_positions(
            article.layer_map.to_source(p) for p in b.offsets.positions())
        block_runs = block.to_json()
        if not block_runs:
            continue
        if parts:
            parts.append(PARAGRAPH)
            first = block.to_source(0)
            for _ in PARAGRAPH:  # an inserted break maps to the first character of the next paragraph
                _add_run(runs, n, first, 1)
                n += 1
        parts.append(b.text)
        for start, src, length in block_runs:
            _add_run(runs, n + start, src, length)
        n += len(b.text)
    article.text = "".join(parts)
    article.offsets = OffsetMap((tuple(r) for r in runs), n)


def _add_run(runs: list[list[int]], start: int, src: int, length: int) -> None:
    last = runs[-1] if runs else None
    if last is not None and last[0] + last[2] == start and last[1] + last[2] == src:
        last[2] += length
    else:
        runs.append([start, src, length])
