"""Clean text with its spans (quotes, entities, dates, loaded language...) as escaped HTML.

Spans may nest or cross. Each kind has a layer (paragraphs outermost, then
narrative evidence, quotes, loaded language, dates, entities); where a span
crosses the end of a span of an outer layer, it is closed and reopened, so the
HTML always nests. Every character of the text and every attribute value is
escaped: article text is hostile input.

    html = annotate("He said \\"No.\\"", [Span(8, 13, "quote", {"data-speaker": "Ann"})])
"""
from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

# kind -> (layer, tag, class)
KINDS: dict[str, tuple[int, str, str]] = {
    "para": (0, "p", ""),
    "narrative": (1, "span", "narr"),
    "quote": (2, "mark", "quote"),
    "loaded": (3, "span", "loaded"),
    "date": (4, "time", "date"),
    "entity": (5, "span", "ent"),
}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str
    attrs: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    extra_class: str = ""

    @property
    def layer(self) -> int:
        return KINDS[self.kind][0]


def paragraphs(text: str) -> list[Span]:
    """One span per paragraph (paragraphs are separated by blank lines)."""
    out, pos = [], 0
    for part in text.split("\n\n"):
        if part.strip():
            lead = len(part) - len(part.lstrip())
            out.append(Span(pos + lead, pos + len(part.rstrip()), "para"))
        pos += len(part) + 2
    return out


def _open(span: Span) -> str:
    _, tag, cls = KINDS[span.kind]
    classes = " ".join(c for c in (cls, span.extra_class) if c)
    attrs = (f' class="{escape(classes)}"' if classes else "") + "".join(
        f' {name}="{escape(value)}"' for name, value in span.attrs.items() if value is not None)
    return f"<{tag}{attrs}>"


def _close(span: Span) -> str:
    return f"</{KINDS[span.kind][1]}>"


def annotate(text: str, spans: list[Span], with_paragraphs: bool = True) -> Markup:
    """``text`` as HTML with every span wrapped in its element, properly nested."""
    n = len(text)
    spans = [s for s in spans if isinstance(s.start, int) and isinstance(s.end, int) and 0 <= s.start < s.end <= n
             and s.kind in KINDS]              # spans with no offsets in the text (e.g. read from a field) are left out
    if with_paragraphs:
        spans = paragraphs(text) + spans
    cuts = sorted({0, n} | {s.start for s in spans} | {s.end for s in spans})
    order = {id(s): i for i, s in enumerate(spans)}
    out: list[str] = []
    stack: list[Span] = []
    for lo, hi in zip(cuts, cuts[1:]):
        active = sorted((s for s in spans if s.start <= lo and s.end >= hi),
                        key=lambda s: (s.layer, s.start, -s.end, order[id(s)]))
        if with_paragraphs and (not active or active[0].kind != "para"):
            active = []                      # between paragraphs: nothing stays open
        keep = 0
        while keep < min(len(stack), len(active)) and stack[keep] is active[keep]:
            keep += 1
        out.extend(_close(s) for s in reversed(stack[keep:]))
        out.extend(_open(s) for s in active[keep:])
        stack = active
        piece = text[lo:hi]
        if not stack and not piece.strip():
            continue                         # blank lines between paragraphs
        out.append(str(escape(piece)))
    out.extend(_close(s) for s in reversed(stack))
    return Markup("".join(out))
