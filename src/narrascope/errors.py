"""Coded errors. A rejected document carries a code and a sentence naming the reason."""
from __future__ import annotations


class NarrascopeError(Exception):
    """Base class for every error the library raises on purpose."""


class Rejected(NarrascopeError):
    """One document (or one file) cannot be ingested; the batch goes on.

    ``source`` names the file (and record), ``code`` is one of the constants
    below, ``reason`` says what is wrong in words a user can act on.
    """

    def __init__(self, source: str, code: str, reason: str):
        super().__init__(f"{source}: {reason} [{code}]")
        self.source, self.code, self.reason = source, code, reason


# rejection codes
EMPTY = "empty"                  # no bytes, or only whitespace
BINARY = "binary"                # not text in any encoding we accept
TOO_LARGE = "too_large"          # over the per-document size limit
TRUNCATED = "truncated"          # gzip / WARC stream ends early
BOMB = "decompression_bomb"      # expands past the decompression limit
NO_ARTICLE = "no_article"        # HTML or text with no article body
BAD_RECORD = "bad_record"        # a JSONL/CSV row we cannot use
UNREADABLE = "unreadable"        # the OS would not let us read it
TIMEOUT = "timeout"              # a stage ran past the per-document time limit
STAGE_ERROR = "stage_error"      # a stage raised: a bug, reported rather than hidden


class StoreError(NarrascopeError):
    """The store cannot be opened or migrated."""


class StoreLocked(StoreError):
    """Another process holds the store: DuckDB lets one process write a file at a time.

    ``pid`` and ``holder`` (its command line) name that process when DuckDB says which it is.
    """

    def __init__(self, message: str, path: str, pid: int | None = None, holder: str | None = None):
        super().__init__(message)
        self.path, self.pid, self.holder = path, pid, holder
