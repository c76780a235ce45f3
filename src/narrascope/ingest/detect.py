"""What a byte stream is: by its content first, its file name second."""
from __future__ import annotations

import json
import re

GZIP_MAGIC = b"\x1f\x8b"
BINARY_MAGIC = {
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive", b"\x7fELF": "an executable", b"RIFF": "a RIFF (audio/video/WebP) file",
    b"BZh": "a bzip2 archive", b"\xfd7zXZ": "an xz archive", b"7z\xbc\xaf": "a 7-Zip archive",
    b"SQLite format 3": "an SQLite database", b"DUCK": "a DuckDB file", b"\x00\x00\x01\x00": "an icon",
    b"ID3": "an MP3 file", b"OggS": "an Ogg file", b"wOFF": "a web font",
}
HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
HTML_TAGS = re.compile(rb"<(?:p|div|article|body|br|h1|h2|span|a)\b[^>]*>", re.I)
TEXT_EXT = (".txt", ".text", ".md", ".markdown")
HTML_EXT = (".html", ".htm", ".xhtml", ".shtml")


def strip_gz(name: str) -> str:
    return name[:-3] if name.lower().endswith(".gz") else name


def binary_reason(head: bytes) -> str | None:
    """Why ``head`` is not text, or None."""
    for magic, what in BINARY_MAGIC.items():
        if head.startswith(magic):
            return f"it is {what}, not text"
    if not head:
        return None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 with a BOM
    sample = head[:8192]
    if b"\x00" in sample:
        return "it contains NUL bytes (binary data)"
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32 and b != 27)
    if controls > max(8, len(sample) // 20):
        return "it is mostly control bytes (binary data)"
    return None


def sniff(head: bytes, name: str) -> str:
    """One of "warc", "jsonl", "json", "csv", "html", "text"."""
    lname = strip_gz(name.lower())
    body = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if body.startswith(b"WARC/"):
        return "warc"
    if lname.endswith((".warc", ".arc")):
        return "warc"
    if lname.endswith((".jsonl", ".ndjson", ".jsonlines")):
        return "jsonl"
    if lname.endswith(".csv"):
        return "csv"
    if lname.endswith(".json"):
        return "json"
    if body.startswith(b"{"):
        first = body.split(b"\n", 1)[0]
        try:
            if isinstance(json.loads(first), dict):
                return "jsonl"
        except ValueError:
            pass
    if lname.endswith(HTML_EXT) or HTML_START.match(body) or len(HTML_TAGS.findall(body[:20000])) >= 5:
        return "html"
    if not lname.endswith(TEXT_EXT) and _csv_header(body):
        return "csv"
    return "text"


def _csv_header(body: bytes) -> bool:
    first = body.split(b"\n", 1)[0].decode("utf-8", "ignore").strip().lower()
    cols = {c.strip(' "') for c in first.split(",")}
    return len(cols) >= 2 and bool(cols & {"text", "html", "body", "content", "raw_html"})
