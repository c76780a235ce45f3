"""Export stored articles as JSON Lines, CSV or Parquet: one record per article.

    from narrascope import Store
    from narrascope.export import export
    with Store("story.duckdb", read_only=True) as store:
        n = export(store, "jsonl", "story.jsonl")

Record keys, in this order (a value the article has no field for is null):

``id``                content hash of the raw input (16 hex digits)
``source``            where the article was first read: path, ``path#row=3``, ``path#record=2``, ``<stdin>``
``url``               the article's URL, if known
``doc_key``           what groups versions of one document: the URL, else the source
``version``           1 for the first content stored for a ``doc_key``, then 2, 3, ...
``title``, ``dek``    headline and standfirst
``authors``           list of names; ``[]`` when none is named
``publisher``         the outlet
``published``         ISO 8601 date or date-time, as precise as the article says
``republished_from``  ``{"publisher": ..., "published": ...}`` for syndicated copies, else null
``dateline``          e.g. "GENEVA" or "GENEVA, March 3"
``wire_credit``       wire service credited in the dateline (e.g. "Reuters")
``contributors``      list of names from "additional reporting by" lines; ``[]`` when none
``language``          ISO 639-1 code
``text``              the clean body; paragraphs separated by a blank line
``flags``             list of strings, each ``code`` or ``code:detail``
``provenance``        ``{field_name: {"origin", "start", "end", "line", "evidence"}}`` for every
                      metadata field; ``origin`` is "given", "text", "html" or "derived";
                      ``start``/``end`` are offsets into the raw input, ``line`` is 1-based
``removed``           list of ``{"start", "end", "kind"}``: raw spans left out of the body, and why

then one key per extraction list later stages stored (``quotes``, ``entities``,
``events``, ``claims``, ``narratives``, ...), sorted by name; null for an
article that has none under that key. An extraction key equal to one of the
keys above is left out.

Formats:

``jsonl``    one JSON object per line, UTF-8, non-ASCII written as is.
``csv``      a header row, then one row per article; lists and objects are
             JSON-encoded in their cell, except ``flags``, joined by ``;``;
             null is an empty cell.
``parquet``  one row per article (needs a file). ``authors``, ``contributors``
             and ``flags`` are lists of strings; ``republished_from``,
             ``provenance``, ``removed`` and the extraction columns are JSON
             strings; ``version`` is an integer; the rest are strings.
"""
from __future__ import annotations

import csv
import json
import os
import tempfile
from contextlib import contextmanager
from typing import IO, Any, Iterator

import duckdb

from .store import EXPORT_KEYS, Store

FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet")

_LIST_KEYS = ("authors", "contributors", "flags")
_INT_KEYS = ("version",)
_JSON_KEYS = ("republished_from", "provenance", "removed")


def export(store: Store, fmt: str, out: str | os.PathLike | IO[str], latest_only: bool = True) -> int:
    """Write every article (only the latest version of each document, with ``latest_only``) to ``out``.

    ``out`` is a file path or, for jsonl and csv, a text stream. A file is
    written whole or not at all. Returns the number of records written.

    Raises:
        ValueError: unknown format, or parquet asked for with a stream.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; accepted formats: {', '.join(FORMATS)}")
    columns = list(EXPORT_KEYS) + store.extraction_keys(latest_only)
    records = store.iter_export_records(latest_only=latest_only)
    if fmt == "parquet":
        if not isinstance(out, (str, os.PathLike)):
            raise ValueError("parquet export needs a file path, not a stream")
        return _parquet(records, columns, os.fspath(out))
    writer = _jsonl if fmt == "jsonl" else _csv
    if isinstance(out, (str, os.PathLike)):
        with _replacing(os.fspath(out)) as tmp, open(tmp, "w", encoding="utf-8", newline="") as f:
            return writer(records, columns, f)
    return writer(records, columns, out)


def _jsonl(records: Iterator[dict], columns: list[str], f: IO[str]) -> int:
    n = 0
    for rec in records:
        f.write(json.dumps(rec, ensure_ascii=False, default=str))
        f.write("\n")
        n += 1
    return n


def _cell(key: str, value: Any) -> Any:
    if value is None:
        return ""
    if key == "flags":
        return ";".join(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _csv(records: Iterator[dict], columns: list[str], f: IO[str]) -> int:
    w = csv.writer(f)
    w.writerow(columns)
    n = 0
    for rec in records:
        w.writerow([_cell(k, rec.get(k)) for k in columns])
        n += 1
    return n


def _parquet_type(key: str) -> str:
    if key in _LIST_KEYS:
        return "VARCHAR[]"
    if key in _INT_KEYS:
        return "INTEGER"
    return "VARCHAR"


def _parquet_value(key: str, value: Any) -> Any:
    if value is None or key in _LIST_KEYS or key in _INT_KEYS:
        return value
    if key in _JSON_KEYS or key not in EXPORT_KEYS or isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value if isinstance(value, str) else str(value)


def _parquet(records: Iterator[dict], columns: list[str], path: str) -> int:
    """Stream the records to a JSON Lines scratch file, then have DuckDB write the Parquet file."""
    n = 0
    with tempfile.TemporaryDirectory(prefix="narrascope-export-") as d:
        scratch = os.path.join(d, "records.jsonl")
        with open(scratch, "w", encoding="utf-8") as f:
            for rec in records:
                f.write(json.dumps({k: _parquet_value(k, rec.get(k)) for k in columns}, ensure_ascii=False))
                f.write("\n")
                n += 1
        types = {k: _parquet_type(k) for k in columns}
        with _replacing(path) as tmp:
            con = duckdb.connect(":memory:")
            try:
                con.execute("COPY (SELECT * FROM read_json(?, format = 'newline_delimited', columns = ?, "
                            "maximum_object_size = ?)) TO ? (FORMAT parquet)",
                            [scratch, types, 2**31 - 1, tmp])
            finally:
                con.close()
    return n


@contextmanager
def _replacing(path: str) -> Iterator[str]:
    """A scratch name next to ``path`` that replaces ``path`` only if the block succeeds.

    A path that is not a plain file (``/dev/stdout``, a pipe, a symlink) is written in place.
    """
    if os.path.islink(path) or (os.path.exists(path) and not os.path.isfile(path)):
        yield path
        return
    tmp = os.path.join(os.path.dirname(os.path.abspath(path)), f".{os.path.basename(path)}.{os.getpid()}.part")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
