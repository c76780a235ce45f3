"""Assemble the clean body from the blocks the layout stage kept."""
from __future__ import annotations

from ..model import Article, OffsetMap, Removed

PARAGRAPH = "\n\n"


def assemble(article: Article) -> None:
    """Join body blocks into ``article.text`` with a map back to raw offsets; record what was left out."""
    parts: list[str] = []
    positions: list[int] = []
    for b in article.blocks:
        if b.role != "body":
            s, e = article.to_raw(b.raw_start), article.to_raw(max(b.raw_start, b.raw_end - 1)) + 1
            article.removed.append(Removed(s, e, b.kind or b.role, b.text))
            continue
        pos = b.offsets.positions()
        if article.layer_map is not None:
            pos = [article.layer_map.to_source(p) for p in pos]
        if parts:
            parts.append(PARAGRAPH)
            positions.extend([pos[0]] * len(PARAGRAPH))
        parts.append(b.text)
        positions.extend(pos)
    article.text = "".join(parts)
    article.offsets = OffsetMap.from_positions(positions)
