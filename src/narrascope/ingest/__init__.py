"""Ingest: files, folders (recursively) and stdin into RawInput records.

    for item in iter_inputs(["articles/", "crawl.warc.gz", "-"]):
        ...  # a RawInput, or a Rejected naming the file and the reason

Nothing here raises for a bad file: every problem is yielded as a ``Rejected``
so the batch goes on.
"""
from __future__ import annotations

import io
import os
import sys
from typing import BinaryIO, Iterator, Sequence

from ..errors import EMPTY, TOO_LARGE, UNREADABLE, Rejected
from ..model import RawInput
from .readers import Limits, read_stream

__all__ = ["Limits", "iter_inputs", "iter_files"]

STDIN = "<stdin>"


def iter_files(paths: Sequence[str]) -> Iterator[str | Rejected]:
    """Files under ``paths`` in sorted order; hidden names skipped; ``-`` passed through."""
    for p in paths:
        if p == "-":
            yield p
        elif os.path.isdir(p):
            seen: set[tuple[int, int]] = set()
            for root, dirs, files in os.walk(p, followlinks=True):
                st = os.stat(root)
                if (st.st_dev, st.st_ino) in seen:  # a symlink loop
                    dirs[:] = []
                    continue
                seen.add((st.st_dev, st.st_ino))
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith("."):
                        yield os.path.join(root, f)
        elif os.path.exists(p):
            yield p
        else:
            yield Rejected(p, UNREADABLE, "no such file or folder")


def iter_inputs(paths: Sequence[str], limits: Limits | None = None, stdin: BinaryIO | None = None,
                stdin_name: str = STDIN) -> Iterator[RawInput | Rejected]:
    """RawInput records, or Rejected reasons, for everything under ``paths``.

    ``-`` reads ``stdin`` (else the process's standard input), named ``stdin_name``
    in sources and recognised by that name's extension too (the web server names
    an uploaded file so).
    """
    limits = limits or Limits()
    for p in iter_files(paths):
        if isinstance(p, Rejected):
            yield p
        elif p == "-":
            raw = stdin if stdin is not None else sys.stdin.buffer
            yield from read_stream(io.BufferedReader(raw) if not hasattr(raw, "peek") else raw, stdin_name, 0, limits, "stdin")
        else:
            yield from _read_file(p, limits)


def _read_file(path: str, limits: Limits) -> Iterator[RawInput | Rejected]:
    try:
        size = os.path.getsize(path)
        if size == 0:
            yield Rejected(path, EMPTY, "it is empty")
            return
        with open(path, "rb", buffering=1 << 16) as f:
            head = f.read(2)
            f.seek(0)
            container_like = path.lower().endswith((".jsonl", ".ndjson", ".csv", ".warc", ".gz", ".jsonl.gz"))
            if size > limits.max_document_bytes and head != b"\x1f\x8b" and not container_like and not _container_head(f):
                yield Rejected(path, TOO_LARGE, f"it is {size // 2**20} MB, over the {limits.max_document_bytes // 2**20} MB limit for one article")
                return
            yield from read_stream(f, path, size, limits)
    except PermissionError as e:
        yield Rejected(path, UNREADABLE, f"it cannot be read ({e.strerror})")
    except IsADirectoryError:
        return
    except OSError as e:
        yield Rejected(path, UNREADABLE, f"it cannot be read ({e})")


def _container_head(f) -> bool:
    """A large file is fine when it holds many records (JSONL, WARC)."""
    head = f.read(64)
    f.seek(0)
    s = head.lstrip()
    return s.startswith(b"WARC/") or s.startswith(b"{")
