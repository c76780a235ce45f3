"""Readers: one byte stream in, RawInput records (or Rejected reasons) out.

Streams are read in bounded pieces: a single document never beyond the
per-document limit, a gzip stream never beyond the decompression limit,
JSONL/CSV/WARC record by record.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
import zlib
from dataclasses import dataclass
from typing import IO, Any, Iterator

from ..errors import BAD_RECORD, BINARY, BOMB, EMPTY, NO_ARTICLE, TOO_LARGE, TRUNCATED, Rejected
from ..model import RawInput, content_id
from .decode import declared_charset, decode
from .detect import GZIP_MAGIC, binary_reason, sniff


@dataclass
class Limits:
    max_document_bytes: int = 20 * 2**20     # one article larger than this is rejected
    max_decompressed_bytes: int = 2 * 2**30  # a .gz expanding beyond this is a bomb
    max_ratio: int = 200                      # ... or expanding more than this ratio once past 50 MB
    ratio_floor: int = 50 * 2**20


class _Bomb(Exception):
    pass


class BoundedGzip(io.RawIOBase):
    """A gzip stream that stops with ``_Bomb`` once it has expanded past the limits."""

    def __init__(self, raw: IO[bytes], compressed_size: int, limits: Limits):
        self._gz = gzip.GzipFile(fileobj=raw)
        self._out = 0
        self._in = max(1, compressed_size)
        self._limits = limits

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self._gz.read(len(b))
        self._out += len(data)
        lim = self._limits
        if self._out > lim.max_decompressed_bytes or (
                self._out > lim.ratio_floor and self._out / self._in > lim.max_ratio):
            raise _Bomb()
        b[:len(data)] = data
        return len(data)


FIELD_ALIASES = {
    "url": ("url", "link", "uri"),
    "title": ("title", "headline"),
    "date": ("date", "published", "published_at", "pubdate", "datetime", "publish_date"),
    "outlet": ("outlet", "publisher", "source", "site", "site_name", "domain"),
    "author": ("author", "authors", "byline"),
    "language": ("language", "lang"),
}
TEXT_KEYS = ("text", "body", "content", "article")
HTML_KEYS = ("html", "raw_html")


def normalise_row(row: dict[str, Any]) -> tuple[dict[str, Any], str | None, str | None]:
    """(given fields, text, html) from a JSONL/CSV row with any of the accepted column names."""
    low = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    given = {}
    for key, aliases in FIELD_ALIASES.items():
        for a in aliases:
            v = low.get(a)
            if v not in (None, "", []):
                given[key] = v if isinstance(v, (str, list)) else str(v)
                break
    text = next((low[k] for k in TEXT_KEYS if isinstance(low.get(k), str) and low[k].strip()), None)
    html = next((low[k] for k in HTML_KEYS if isinstance(low.get(k), str) and low[k].strip()), None)
    return given, text, html


def _row_input(row: dict, source: str, container: str) -> RawInput | Rejected:
    given, text, html = normalise_row(row)
    if text is None and html is None:
        return Rejected(source, BAD_RECORD, f"{source.rsplit('#', 1)[-1].replace('=', ' ')} has no text or html field")
    digest = content_id(json.dumps(row, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
    return RawInput(source, text if text is not None else html, "text" if text is not None else "html",
                    container, "utf-8", given, digest)


def read_jsonl(stream: IO[bytes], path: str, limits: Limits) -> Iterator[RawInput | Rejected]:
    n = 0
    while True:
        line = stream.readline(limits.max_document_bytes + 1)
        if not line:
            return
        n += 1
        source = f"{path}#row={n}"
        if len(line) > limits.max_document_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the oversized line
                line = stream.readline(1 << 20)
            yield Rejected(source, TOO_LARGE, f"row {n} is over {limits.max_document_bytes} bytes")
            continue
        if not line.strip():
            continue
        try:
            row = json.loads(decode(line)[0])
        except ValueError as e:
            yield Rejected(source, BAD_RECORD, f"row {n} is not valid JSON ({e})")
            continue
        if not isinstance(row, dict):
            yield Rejected(source, BAD_RECORD, f"row {n} is a JSON {type(row).__name__}, not an object")
            continue
        yield _row_input(row, source, "jsonl")


def read_json(stream: IO[bytes], path: str, limits: Limits) -> Iterator[RawInput | Rejected]:
    """A JSON document: one article object, or a list of them."""
    data = stream.read(limits.max_document_bytes + 1)
    if len(data) > limits.max_document_bytes:
        yield Rejected(path, TOO_LARGE, f"the JSON file is over {limits.max_document_bytes // 2**20} MB; use JSON Lines for large feeds")
        return
    try:
        doc = json.loads(decode(data)[0])
    except ValueError as e:
        yield Rejected(path, BAD_RECORD, f"it is not valid JSON ({e})")
        return
    rows = doc if isinstance(doc, list) else [doc]
    for n, row in enumerate(rows, 1):
        source = path if len(rows) == 1 and not isinstance(doc, list) else f"{path}#row={n}"
        if not isinstance(row, dict):
            yield Rejected(source, BAD_RECORD, f"item {n} is a JSON {type(row).__name__}, not an object")
            continue
        given, text, html = normalise_row(row)
        if text is None and html is None:
            yield Rejected(source, BAD_RECORD, "the JSON holds no article: no text or html field")
            continue
        yield _row_input(row, source, "json")


class _LineTooLong(Exception):
    pass


class _BoundedLines:
    """Lines of a text stream for the csv module, none longer than ``limit`` characters.

    A longer line is skipped (read on in 1 MB pieces, never held whole) and
    ``_LineTooLong`` raised in its place; the csv reader starts its next record
    on the line after it.
    """

    def __init__(self, text: IO[str], limit: int):
        self.text, self.limit = text, limit

    def __iter__(self) -> "_BoundedLines":
        return self

    def __next__(self) -> str:
        line = self.text.readline(self.limit + 1)
        if not line:
            raise StopIteration
        if len(line) > self.limit and not line.endswith(("\n", "\r")):
            while line and not line.endswith(("\n", "\r")):
                line = self.text.readline(1 << 20)
            raise _LineTooLong()
        return line


def read_csv(stream: IO[bytes], path: str, limits: Limits) -> Iterator[RawInput | Rejected]:
    csv.field_size_limit(min(sys.maxsize, limits.max_document_bytes))
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    reader = csv.DictReader(_BoundedLines(text, limits.max_document_bytes))
    n = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except _LineTooLong:
            n += 1
            yield Rejected(f"{path}#row={n}", TOO_LARGE, f"row {n} is one line of over {limits.max_document_bytes} bytes")
            continue
        except csv.Error as e:
            n += 1
            yield Rejected(f"{path}#row={n}", BAD_RECORD, f"row {n} cannot be read as CSV ({e})")
            return
        n += 1
        row.pop(None, None)  # cells beyond the header
        yield _row_input(row, f"{path}#row={n}", "csv")


def _charset(content_type: str | None) -> str | None:
    m = re.search(r"charset\s*=\s*\"?([\w-]+)", content_type or "", re.I)
    return m.group(1) if m else None


def gzip_intact(path: str) -> bool:
    """True when every gzip member of the file ends properly (a cut-off crawl does not).

    Reads in 1 MB pieces and never keeps more than 1 MB of output, however far
    the members expand.
    """
    try:
        with open(path, "rb") as f:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            pending = b""
            while True:
                if not pending:
                    pending = f.read(1 << 20)
                    if not pending:
                        if not d.eof:
                            d.flush()
                        return d.eof
                if d.eof:  # the next member starts
                    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                d.decompress(pending, 1 << 20)
                # after a member's end, ``unconsumed_tail`` is stale: what follows is in ``unused_data``
                pending = d.unused_data if d.eof else d.unconsumed_tail
    except (OSError, zlib.error):
        return False


def read_warc(stream: IO[bytes], path: str, limits: Limits, size: int = 0, gz: bool = False) -> Iterator[RawInput | Rejected]:
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    end = 0
    try:
        it = ArchiveIterator(stream)
        for record in it:
            n += 1
            if record.rec_type not in ("response", "resource"):
                continue
            ctype = (record.http_headers.get_header("Content-Type") if record.http_headers
                     else record.rec_headers.get_header("Content-Type")) or ""
            if not re.search(r"text/html|application/xhtml|text/plain", ctype, re.I):
                continue
            source = f"{path}#record={n}"
            payload = record.content_stream().read(limits.max_document_bytes + 1)
            if len(payload) > limits.max_document_bytes:
                yield Rejected(source, TOO_LARGE, f"record {n} is over {limits.max_document_bytes} bytes")
                continue
            if not payload.strip():
                yield Rejected(source, EMPTY, f"record {n} has an empty payload")
                continue
            why = binary_reason(payload[:8192])
            if why:
                yield Rejected(source, BINARY, f"record {n} is labelled {ctype.split(';')[0].strip() or 'text'} but {why}")
                continue
            fmt = "text" if "text/plain" in ctype.lower() else "html"
            text, enc = decode(payload, _charset(ctype) or (declared_charset(payload) if fmt == "html" else None))
            given = {"url": record.rec_headers.get_header("WARC-Target-URI"),
                     "crawl_date": record.rec_headers.get_header("WARC-Date")}
            yield RawInput(source, text, fmt, "warc", enc, {k: v for k, v in given.items() if v}, content_id(payload))
        end = it.get_record_offset() + it.get_record_length() if n else 0
    except _Bomb:
        raise
    except Exception as e:  # warcio reports a damaged stream in several ways
        yield Rejected(path, TRUNCATED, f"the WARC stream is damaged or truncated after record {n} ({type(e).__name__}: {e})")
        return
    if size and n and ((end < size and not _blank_after(stream, end, size)) or (gz and not gzip_intact(path))):
        yield Rejected(path, TRUNCATED, f"the WARC stream ends inside record {n + 1}: {size - end} bytes after "
                                        f"the last complete record could not be read")


def _blank_after(stream: IO[bytes], end: int, size: int) -> bool:
    """True when only record separators (CR/LF) follow offset ``end`` of an uncompressed WARC file."""
    if size - end > 64:
        return False
    try:
        stream.seek(end)
        return not stream.read(64).strip()
    except (OSError, ValueError):
        return False


def read_document(stream: IO[bytes], path: str, kind: str, limits: Limits, container: str) -> RawInput | Rejected:
    data = stream.read(limits.max_document_bytes + 1)
    if len(data) > limits.max_document_bytes:
        return Rejected(path, TOO_LARGE, f"it is over {limits.max_document_bytes // 2**20} MB, the limit for one article")
    if not data.strip():
        return Rejected(path, EMPTY, "it is empty")
    why = binary_reason(data[:8192])
    if why:
        return Rejected(path, BINARY, why)
    text, enc = decode(data, declared_charset(data) if kind == "html" else None)
    if kind == "html" and not re.sub(r"<[^>]*>|\s|&nbsp;", "", re.sub(r"(?is)<(script|style)\b.*?</\1>", "", text)):
        return Rejected(path, NO_ARTICLE, "the HTML page has no visible text")
    return RawInput(path, text, kind, container, enc, {}, content_id(data))


def _gunzipped_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
    except zlib.error:
        return b""


def read_stream(stream: IO[bytes], path: str, size: int, limits: Limits, container: str = "file") -> Iterator[RawInput | Rejected]:
    """Everything in one byte stream (a file, stdin), gzip or not."""
    head = stream.peek(8192)[:8192] if hasattr(stream, "peek") else b""
    if head.startswith(GZIP_MAGIC) and _gunzipped_head(head).lstrip().startswith(b"WARC/"):
        yield from read_warc(stream, path, limits, size, gz=True)  # warcio reads the gzip members itself
        return
    if head.startswith(GZIP_MAGIC):
        gz = io.BufferedReader(BoundedGzip(stream, size, limits), 1 << 16)
        try:
            yield from read_stream(gz, path, size, limits, container)
        except _Bomb:
            yield Rejected(path, BOMB, "the gzip stream expands past the decompression limit "
                                       f"({limits.max_decompressed_bytes // 2**20} MB or {limits.max_ratio}x); reading stopped")
        except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as e:
            yield Rejected(path, TRUNCATED, f"the gzip stream is truncated or corrupt ({e})")
        return
    if head.lstrip(b"\xef\xbb\xbf").lstrip().startswith(b"WARC/"):
        yield from read_warc(stream, path, limits, size)  # a crawl holds binary records (images): read it before
        return                                            # judging its bytes; each record is checked on its own
    why = binary_reason(head)
    if why:
        yield Rejected(path, BINARY, why)
        return
    kind = sniff(head, path)
    if kind == "warc":
        yield from read_warc(stream, path, limits, size)
    elif kind == "jsonl":
        yield from read_jsonl(stream, path, limits)
    elif kind == "csv":
        yield from read_csv(stream, path, limits)
    elif kind == "json":
        yield from read_json(stream, path, limits)
    else:
        yield read_document(stream, path, kind, limits, container)
