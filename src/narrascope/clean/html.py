"""HTML pages: trafilatura finds the main text and the page's metadata; we map
that text back to character offsets in the HTML source.

trafilatura returns plain text, not positions. To keep every clean character
traceable to the raw input, the page's visible text is read with its source
offsets (``VisibleText``) and each extracted line is located in it, in order.
Lines trafilatura rewrote (rare) map to the position where the search stood and
are counted in ``html_meta["unaligned_lines"]``.
"""
from __future__ import annotations

import html as htmlmod
import re
from html.parser import HTMLParser

from ..errors import NO_ARTICLE, Rejected
from ..model import Article, OffsetMap

SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head"}
BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "section",
              "article", "header", "footer", "blockquote", "figcaption", "ul", "ol", "table", "aside", "nav"}


class VisibleText(HTMLParser):
    """Visible characters of an HTML source, each with its offset in the source."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.source = source
        self.chars: list[str] = []
        self.pos: list[int] = []
        self._skip = 0
        # HTMLParser counts lines by "\n" alone (a lone "\r" does not start one), so must we
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        try:
            self.feed(source)
            self.close()
        except Exception:  # malformed markup: keep what was read so far
            pass

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[min(line - 1, len(self._line_starts) - 1)] + col

    def _put(self, text: str, at: int, step: bool = True) -> None:
        if self._skip:
            return
        for i, ch in enumerate(text):
            if ch.isspace():
                if self.chars and self.chars[-1] == " ":
                    continue
                ch = " "
            self.chars.append(ch)
            self.pos.append(at + (i if step else 0))

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self._skip += 1
        elif tag in BLOCK_TAGS:
            self._put(" ", self._offset())

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS and self._skip:
            self._skip -= 1
        elif tag in BLOCK_TAGS:
            self._put(" ", self._offset())

    def handle_data(self, data):
        self._put(data, self._offset())

    def handle_entityref(self, name):
        self._put(htmlmod.unescape(f"&{name};"), self._offset(), step=False)

    def handle_charref(self, name):
        self._put(htmlmod.unescape(f"&#{name};"), self._offset(), step=False)

    @property
    def text(self) -> str:
        return "".join(self.chars)


def _collapse(line: str) -> tuple[str, list[int]]:
    out, idx = [], []
    for i, ch in enumerate(line):
        if ch.isspace():
            if not out or out[-1] == " ":
                continue
            ch = " "
        out.append(ch)
        idx.append(i)
    return "".join(out), idx


def align(extracted: str, source: str) -> tuple[OffsetMap, int, str]:
    """Map each character of ``extracted`` to an offset in the HTML ``source``.

    Returns the map, the number of lines that could not be located exactly, and
    the page's visible text.
    """
    vis = VisibleText(source)
    vtext, vpos = vis.text, vis.pos
    positions: list[int] = []
    cursor = 0
    missed = 0
    fallback = vpos[0] if vpos else 0
    lines = extracted.split("\n")
    for n, line in enumerate(lines):
        collapsed, idx = _collapse(line)
        k = vtext.find(collapsed, cursor) if collapsed.strip() else -1
        if k < 0 and len(collapsed) > 40:
            k = vtext.find(collapsed[:40], cursor)
        line_pos = [fallback] * len(line)
        if k >= 0:
            kept = set(idx)
            for j, i in enumerate(idx):  # a line found by its first 40 characters may run past the visible text
                line_pos[i] = vpos[min(k + j, len(vpos) - 1)]
            cursor = k + len(collapsed)
            fallback = vpos[min(cursor, len(vpos) - 1)] if vpos else 0
            nxt = fallback  # characters dropped by collapsing: the next kept one (after the last: where the search stands)
            for i in range(len(line) - 1, -1, -1):
                if i in kept:
                    nxt = line_pos[i]
                else:
                    line_pos[i] = nxt
        elif collapsed.strip():
            missed += 1
        positions.extend(line_pos)
        if n < len(lines) - 1:
            positions.append(fallback)
    return OffsetMap.from_positions(positions), missed, vtext


LD_JSON = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", re.I | re.S)


def ld_description(source: str) -> str | None:
    """The description of an Article in the page's JSON-LD, if any."""
    import json

    for m in LD_JSON.finditer(source):
        try:
            data = json.loads(m.group(1))
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for it in items:
            if isinstance(it, dict) and "Article" in str(it.get("@type", "")) and isinstance(it.get("description"), str):
                return it["description"]
    return None


PARSER_MAX_DEPTH = 255   # libxml2's HTML parser stops nesting here (trafilatura reads nothing deeper)
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
             "track", "wbr"}
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>")


def nesting_depth(source: str) -> int:
    """How deep the page's tags nest at most (void and self-closed tags do not count)."""
    depth = deepest = 0
    for m in _TAG.finditer(source):
        if m.group(3) or m.group(2).lower() in VOID_TAGS:
            continue
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


DATE_PARAMS = {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True, "extensive_search": False}


def extract_html(article: Article) -> None:
    """Run trafilatura on an HTML input; set the working layer, its map, and html_meta."""
    if article.raw.format != "html":
        return
    import trafilatura

    doc = trafilatura.bare_extraction(
        article.raw.text, url=article.raw.url, with_metadata=True, include_comments=False,
        include_tables=True, date_extraction_params=DATE_PARAMS)
    text = (doc.text if doc is not None else "") or ""
    if not text.strip():
        depth = nesting_depth(article.raw.text)
        if depth > PARSER_MAX_DEPTH:
            raise Rejected(article.raw.source, NO_ARTICLE,
                           f"the HTML page nests its tags {depth:,} deep; the HTML parser reads {PARSER_MAX_DEPTH} "
                           "levels and found no article text above them")
        raise Rejected(article.raw.source, NO_ARTICLE, "the HTML page has no article text the extractor could find")
    article.layer = text
    article.layer_map, missed, visible = align(text, article.raw.text)
    meta = {k: getattr(doc, k, None) for k in ("title", "author", "sitename", "description", "date", "url", "categories", "tags")}
    if meta.get("date"):
        meta["date"] = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", meta["date"])  # +0300 -> +03:00
        meta["date"] = re.sub(r"T00:00:00$", "", meta["date"])                  # no time given
    meta["unaligned_lines"] = missed
    desc = " ".join((meta.get("description") or ld_description(article.raw.text) or "").split())
    if desc and len(desc.split()) >= 6 and desc in visible and desc not in text:
        meta["standfirst"] = desc  # the description is printed on the page, above the body
    article.html_meta = {k: v for k, v in meta.items() if v not in (None, "", [])}
