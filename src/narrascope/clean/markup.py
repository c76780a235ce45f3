"""Split a text into blocks (one per line) with markdown-ish syntax removed.

Every output character remembers the raw offset it came from, so the clean
text can always be mapped back to the input. What changes here:

- ``[link text](url)`` keeps ``link text``; ``![alt](url)`` images go;
- escapes such as ``\\*`` keep the escaped character; bare ``*``/``**``
  emphasis markers go (a block wholly in ``*...*`` is marked ``italic``);
- a leading ``#`` heading marker goes (the block is marked ``heading``);
- curly, angled and low quotes become ``"`` and ``'``; non-breaking and other
  odd spaces become a plain space; runs of spaces collapse; zero-width
  characters and soft hyphens go.
"""
from __future__ import annotations

import re
from array import array
from typing import Iterator, Sequence

from ..model import Block, OffsetMap

QUOTES = {
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2033": '"', "\u301d": '"', "\u301e": '"', "\uff02": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u2039": "'", "\u203a": "'", "\uff07": "'",
}
SPACES = set("\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
             "\u202f\u205f\u3000\x0b\x0c\r")
DROP = set("\u200b\u200c\u200d\u2060\ufeff\u00ad")

_TOKEN = re.compile(
    r"!\[[^\]\n]*\]\((?:[^()\n]|\([^()\n]*\))*\)"          # image: dropped
    r"|\[(?P<link>[^\]\n]+)\]\((?:[^()\n]|\([^()\n]*\))*\)"  # link: keep text
    r"|\\(?P<esc>[\\`*_{}\[\]()#+\-.!|>~])"                 # escape: keep char
    r"|\*+"                                                  # emphasis marker
)
_HEADING = re.compile(r"[ \t]*#{1,6}[ \t]+")
_WRAPPED = re.compile(r"^\s*(\*{1,3}|_)(?=\S)(.+?)(?<=\S)\1\s*$")


def _emit(out: list[str], pos: array, ch: str, p: int) -> None:
    """Append one character, normalising quotes and spaces, collapsing runs of spaces."""
    if ch in DROP:
        return
    ch = QUOTES.get(ch, ch)
    if ch in SPACES or ch == " ":
        if not out or out[-1] == " ":
            return
        ch = " "
    out.append(ch)
    pos.append(p)


_SPECIAL = re.compile("[" + re.escape("".join(QUOTES) + "".join(SPACES) + "".join(DROP) + "[]!\\*#_") + "]|  |^ | $")


def _strip_line(line: str, base: int) -> tuple[str, Sequence[int], bool]:
    if not _SPECIAL.search(line):  # nothing to remove or normalise: the common case
        return line, range(base, base + len(line)), False
    out: list[str] = []
    pos = array("q")
    heading = False
    i = 0
    m = _HEADING.match(line)
    if m:
        heading, i = True, m.end()
    for m in _TOKEN.finditer(line, i):
        for j in range(i, m.start()):
            _emit(out, pos, line[j], base + j)
        if m.group("link") is not None:
            s = m.start("link")
            for j, ch in enumerate(m.group("link")):
                _emit(out, pos, ch, base + s + j)
        elif m.group("esc") is not None:
            _emit(out, pos, m.group("esc"), base + m.start("esc"))
        i = m.end()
    for j in range(i, len(line)):
        _emit(out, pos, line[j], base + j)
    while out and out[-1] == " ":
        out.pop()
        pos.pop()
    return "".join(out), pos, heading


def iter_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(line number, start offset, line text without its newline)."""
    start = 0
    n = 1
    for m in re.finditer(r"\r\n|\n|\r", text):
        yield n, start, text[start:m.start()]
        start = m.end()
        n += 1
    yield n, start, text[start:]


def make_blocks(text: str) -> list[Block]:
    """One block per non-blank line, markup removed, offsets into ``text``."""
    blocks: list[Block] = []
    gap = True
    for lineno, start, line in iter_lines(text):
        clean, pos, heading = _strip_line(line, start)
        if not clean:
            gap = True
            continue
        italic = bool(_WRAPPED.match(line))
        blocks.append(Block(clean, OffsetMap.from_positions(pos), start, start + len(line),
                            lineno, italic=italic, heading=heading, gap_before=gap))
        gap = False
    return blocks
