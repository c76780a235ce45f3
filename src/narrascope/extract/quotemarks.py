"""Quoted runs of a text, by typography alone: curly, angled and low marks read as straight ones
(one character for one, so offsets hold), British single quotes around double ones, a quote
left open that goes on in the next paragraph. Shared by every language's quote reader and by
the entity finder (which must not take quoted words for names)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..clean.markup import QUOTES as QUOTE_MARKS


@dataclass(frozen=True)
class QuoteSpan:
    """A run of quoted words. ``start..end`` are the words (marks excluded);
    ``open``/``close`` the marks (``close`` None when never closed)."""

    start: int
    end: int
    open: int
    close: int | None
    para: int
    mark: str = '"'
    continues: bool = False     # unclosed here, goes on in the next paragraph



def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph (blank-line separated), whitespace trimmed."""
    out = []
    pos = 0
    for m in re.finditer(r"\n[ \t]*\n+|$", text):
        s, e = pos, m.start()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
        pos = m.end()
        if m.end() >= len(text):
            break
    return out


def _scan_double(text: str, ps: int, pe: int, para: int) -> list[QuoteSpan]:
    spans = []
    open_at = None
    for i in range(ps, pe):
        if text[i] != '"':
            continue
        prev = text[i - 1] if i > ps else " "
        nxt = text[i + 1] if i + 1 < pe else " "
        opening = i == ps or prev.isspace() or prev in "([{—–-/:;"
        closing = not prev.isspace() and (i + 1 == pe or nxt.isspace() or nxt in ".,;:!?)]}—–-'")
        if open_at is None:
            if opening or not closing:
                open_at = i
        else:
            spans.append(QuoteSpan(open_at + 1, i, open_at, i, para))
            open_at = None
    if open_at is not None:
        spans.append(QuoteSpan(open_at + 1, pe, open_at, None, para))
    return spans


def _scan_single(text: str, ps: int, pe: int, para: int) -> list[QuoteSpan]:
    spans = []
    open_at = None
    for i in range(ps, pe):
        if text[i] != "'":
            continue
        prev = text[i - 1] if i > ps else " "
        nxt = text[i + 1] if i + 1 < pe else " "
        if prev.isalnum() and nxt.isalnum():
            continue                                   # don't, NATO's
        opening = (i == ps or prev.isspace() or prev in "([{—–-:") and nxt.isalpha()
        closing = (prev in ",.?!" or (prev.isalpha() and prev != "s")) and (i + 1 == pe or nxt.isspace()
                                                                            or nxt in ".,;:!?)—–-")
        if open_at is None and opening and not re.match(r"\d0s\b|n\b", text[i + 1:i + 5]):
            open_at = i
        elif open_at is not None and closing and " " in text[open_at:i]:
            spans.append(QuoteSpan(open_at + 1, i, open_at, i, para, "'"))
            open_at = None
    return spans


_MARKS = str.maketrans(QUOTE_MARKS)


def straighten_marks(text: str) -> str:
    """Curly, angled and low quotation marks as ``"`` and ``'``, one character for one, so offsets
    stay valid (the clean stage does the same; texts that did not pass through it still scan)."""
    return text.translate(_MARKS)


def scan_quotes(text: str) -> list[QuoteSpan]:
    """All quoted runs of ``text`` (curly marks allowed), in order."""
    text = straighten_marks(text)
    paras = paragraphs(text)
    out: list[QuoteSpan] = []
    for k, (ps, pe) in enumerate(paras):
        seg = text[ps:pe]
        spans = _scan_double(text, ps, pe, k) if '"' in seg else _scan_single(text, ps, pe, k)
        if '"' in seg and "'" in seg:
            singles = _scan_single(text, ps, pe, k)
            if singles and all(any(o.open < i < o.close for o in singles) for i, ch in enumerate(seg, ps)
                               if ch == '"'):
                spans = singles                          # British style: 'he said "go home", so I did'
        if spans and spans[-1].close is None and k + 1 < len(paras) and text[paras[k + 1][0]] == '"':
            last = spans[-1]
            spans[-1] = QuoteSpan(last.start, last.end, last.open, None, k, last.mark, True)
        out.extend(spans)
    return out
