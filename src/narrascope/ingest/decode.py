"""Bytes to text: BOMs, strict UTF-8, UTF-8 with stray cp1252 bytes, legacy single-byte encodings.

The decoded text is never stripped or re-wrapped: raw offsets point into it.
"""
from __future__ import annotations

import codecs
import re

BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)


def _cp1252_fallback(err: UnicodeDecodeError):
    """Decode the bytes UTF-8 rejected as cp1252 (latin-1 for the five bytes cp1252 leaves undefined)."""
    bad = err.object[err.start:err.end]
    return bad.decode("cp1252", errors="replace").replace("\ufffd", "") or bad.decode("latin-1"), err.end


codecs.register_error("narrascope-cp1252", _cp1252_fallback)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first 4 KB, if Python knows it."""
    m = META_CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding used). ``declared`` is a charset from HTTP headers or a meta tag."""
    for bom, enc in BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    if declared and codecs.lookup(declared).name not in ("utf-8", "ascii"):
        try:
            return data.decode(declared), codecs.lookup(declared).name
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[: 1 << 20]
    if UTF8_SEQ.search(sample):  # real UTF-8 sequences with a few stray single bytes: mixed
        return data.decode("utf-8", errors="narrascope-cp1252"), "utf-8+cp1252"
    enc = _guess(sample) or "cp1252"
    try:
        return data.decode(enc), enc
    except (UnicodeDecodeError, LookupError):
        return data.decode("cp1252", errors="replace"), "cp1252"


def _guess(sample: bytes) -> str | None:
    """A legacy encoding for a non-UTF-8 sample.

    Single-byte Western encodings are told apart poorly on short texts, and
    cp1252 is what most "latin-1" pages really are; so cp1252 wins unless
    charset_normalizer's guess reads the bytes as a non-Latin script (Cyrillic,
    Greek, Hebrew, Arabic, CJK...).
    """
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        return None
    try:
        text = sample.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    letters = [c for c in text if c.isalpha()]
    foreign = sum(1 for c in letters if ord(c) > 0x24F)
    return best.encoding if letters and foreign / len(letters) > 0.3 else "cp1252"
