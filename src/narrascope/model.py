"""The one record that flows through every stage.

A `RawInput` is what ingest read (one file, one JSONL/CSV row, one WARC record).
An `Article` wraps it and every stage adds to it: the clean body text, an
`OffsetMap` from clean-text offsets back to raw-input offsets, metadata
`Field`s that record where each value came from, `Flag`s, the `Removed`
segments with the reason they were dropped, and (for later stages) extractions
whose spans point into `Article.text`.
"""
from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, Iterable


def content_id(data: bytes) -> str:
    """Content-hash id: the first 16 hex digits of SHA-256."""
    return hashlib.sha256(data).hexdigest()[:16]


# ---------------------------------------------------------------- offsets
class OffsetMap:
    """Maps offsets in a derived text back to offsets in the text it came from.

    Stored as runs ``(start, source_start, length)``: characters
    ``start .. start+length`` of the derived text are characters
    ``source_start .. source_start+length`` of the source. A derived character
    with no source character of its own (a paragraph break the cleaner
    inserted) maps to the source position of the character after it.
    """

    __slots__ = ("_starts", "_src", "_lens", "length")

    def __init__(self, runs: Iterable[tuple[int, int, int]] = (), length: int = 0):
        self._starts = array("q")
        self._src = array("q")
        self._lens = array("q")
        for s, r, n in runs:
            self._starts.append(s)
            self._src.append(r)
            self._lens.append(n)
        self.length = length

    @classmethod
    def from_positions(cls, positions: Iterable[int]) -> "OffsetMap":
        """Build from one source position per derived character."""
        if isinstance(positions, range) and positions.step == 1:  # one run, without a loop over characters
            return cls([(0, positions.start, len(positions))] if len(positions) else [], len(positions))
        runs: list[list[int]] = []
        n = 0
        for i, p in enumerate(positions):
            if runs and runs[-1][1] + runs[-1][2] == p and runs[-1][0] + runs[-1][2] == i:
                runs[-1][2] += 1
            else:
                runs.append([i, p, 1])
            n = i + 1
        return cls((tuple(r) for r in runs), n)

    @classmethod
    def identity(cls, length: int) -> "OffsetMap":
        return cls([(0, 0, length)] if length else [], length)

    def to_source(self, i: int) -> int:
        """Source offset of derived offset ``i`` (``i == length`` maps past the end)."""
        if not self._starts:
            return 0
        k = bisect_right(self._starts, i) - 1
        if k < 0:
            return self._src[0]
        start, src, n = self._starts[k], self._src[k], self._lens[k]
        if i < start + n:
            return src + (i - start)
        return src + n  # just past the end of this run

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        """Source span covering derived span ``[start, end)``."""
        if end <= start:
            p = self.to_source(start)
            return p, p
        return self.to_source(start), self.to_source(end - 1) + 1

    def positions(self) -> array:
        """One source position per derived character (inverse of from_positions)."""
        out = array("q", [0]) * self.length
        nxt = 0
        for s, r, n in zip(self._starts, self._src, self._lens):
            for j in range(nxt, s):  # inserted characters: point at the next run
                out[j] = r
            for j in range(n):
                out[s + j] = r + j
            nxt = s + n
        return out

    def compose(self, inner: "OffsetMap") -> "OffsetMap":
        """``self`` maps C→B and ``inner`` maps B→A; return C→A."""
        return OffsetMap.from_positions(inner.to_source(p) for p in self.positions())

    def to_json(self) -> list[list[int]]:
        return [[s, r, n] for s, r, n in zip(self._starts, self._src, self._lens)]

    @classmethod
    def from_json(cls, runs: list[list[int]], length: int) -> "OffsetMap":
        return cls((tuple(r) for r in runs), length)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OffsetMap) and self.to_json() == other.to_json() and self.length == other.length

    def __repr__(self) -> str:
        return f"OffsetMap({len(self._starts)} runs, length={self.length})"


# ---------------------------------------------------------------- records
@dataclass
class RawInput:
    """One input document as read, before any cleaning.

    ``text`` is the decoded input (the HTML source for HTML); all raw offsets
    point into it. ``given`` holds fields a structured container supplied
    (JSONL/CSV columns, WARC headers): url, title, date, outlet, author.
    """

    source: str              # path, "path#row=3", "path#record=2", or "<stdin>"
    text: str                # decoded text; raw offsets point here
    format: str              # "text" | "html"
    container: str           # "file" | "jsonl" | "csv" | "warc" | "stdin"
    encoding: str = "utf-8"
    given: dict[str, Any] = field(default_factory=dict)
    content_hash: str = ""   # content_id() of the raw bytes of this document

    @property
    def url(self) -> str | None:
        return self.given.get("url") or None

    @property
    def doc_key(self) -> str:
        """What identifies 'the same document' across versions: its URL, else its source."""
        return self.url or self.source


@dataclass
class Field:
    """A metadata value and where it came from.

    ``origin`` is "text" (found in the raw text at ``start..end``, line ``line``),
    "html" (a meta tag / structured data the HTML extractor read),
    "given" (a JSONL/CSV column or WARC header) or "derived" (computed from other fields).
    """

    value: Any
    origin: str
    start: int | None = None
    end: int | None = None
    line: int | None = None
    evidence: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "origin": self.origin, "start": self.start,
                "end": self.end, "line": self.line, "evidence": self.evidence}


@dataclass
class Flag:
    """An anomaly a careful analyst would raise. ``str(flag)`` is the export form."""

    code: str                # e.g. "malformed_date", "byline_conflicts_with_wire_credit"
    detail: str = ""         # e.g. "2024-14-25"
    start: int | None = None  # raw offsets of the evidence
    end: int | None = None
    reason: str = ""         # a sentence for humans

    def __str__(self) -> str:
        return f"{self.code}:{self.detail}" if self.detail else self.code


@dataclass
class Removed:
    """A raw segment left out of the clean body, and why."""

    start: int
    end: int
    kind: str                # "boilerplate:newsletter", "caption", "byline", ...
    text: str = ""


@dataclass
class Block:
    """A line/paragraph of the working text with its own map to raw offsets.

    ``text`` has markdown link syntax and escapes removed; ``offsets`` maps it
    to raw offsets. ``role`` is set by the layout stage: "title", "dek",
    "byline", "meta", "body", or "drop"; ``kind`` says what it is more
    precisely ("boilerplate:social", "caption", "tags", ...).
    """

    text: str
    offsets: OffsetMap
    raw_start: int
    raw_end: int
    line: int                # 1-based line number in the raw text
    role: str = ""
    kind: str = ""
    italic: bool = False     # the whole block was wrapped in *...* / _..._
    heading: bool = False    # markdown heading ("# ...")
    gap_before: bool = True  # a blank line (paragraph break) precedes it

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets.span_to_source(start, end)


@dataclass
class Article:
    raw: RawInput
    id: str = ""
    text: str = ""                                   # clean body
    offsets: OffsetMap = field(default_factory=OffsetMap)  # text -> raw.text
    blocks: list[Block] = field(default_factory=list)
    fields: dict[str, Field] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    extractions: dict[str, Any] = field(default_factory=dict)  # later stages: quotes, entities, ...
    html_meta: dict[str, Any] = field(default_factory=dict)    # what the HTML extractor read
    # The working text blocks are cut from: the raw text itself, or for HTML the
    # extracted text, with ``layer_map`` from it back to the HTML source.
    layer: str | None = None
    layer_map: OffsetMap | None = None

    def __post_init__(self) -> None:
        if not self.id:
            self.id = self.raw.content_hash
        if self.layer is None:
            self.layer = self.raw.text

    def to_raw(self, layer_offset: int) -> int:
        """Raw-input offset of an offset into the working layer."""
        return layer_offset if self.layer_map is None else self.layer_map.to_source(layer_offset)

    def get(self, name: str, default: Any = None) -> Any:
        f = self.fields.get(name)
        return default if f is None else f.value

    def set(self, name: str, value: Any, origin: str, start: int | None = None,
            end: int | None = None, evidence: str = "") -> None:
        """Record a field; ``start``/``end`` are offsets into the working layer (mapped to raw here)."""
        if start is not None:
            start, end = self.to_raw(start), self.to_raw(max(start, (end or start) - 1)) + 1
        line = self.raw.text.count("\n", 0, start) + 1 if start is not None else None
        self.fields[name] = Field(value, origin, start, end, line, evidence)

    def flag(self, code: str, detail: str = "", start: int | None = None,
             end: int | None = None, reason: str = "") -> None:
        """Raise a flag; ``start``/``end`` are offsets into the working layer (mapped to raw here)."""
        if start is not None:
            start, end = self.to_raw(start), self.to_raw(max(start, (end or start) - 1)) + 1
        if not any(f.code == code and f.detail == detail for f in self.flags):
            self.flags.append(Flag(code, detail, start, end, reason))

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw-input span of clean-text span ``[start, end)``."""
        return self.offsets.span_to_source(start, end)
