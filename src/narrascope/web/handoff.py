"""Handing an ingest to the server that holds the store.

A DuckDB store is written by one process at a time, and read by other
processes only while none writes. So while ``narrascope serve`` holds a store,
the server is the one process that touches it: readers go through its API, and
an ingest goes through ``POST /api/ingest`` (each article committed whole, so a
reader sees an article complete or not at all).

``serve`` leaves a note next to the store (``STORE.serve.json``: its process
id, its URL and whether it takes ingests; never the token). When
``narrascope ingest`` finds the store held by that process, and the server
takes ingests and ``NARRASCOPE_INGEST_TOKEN`` is set, it sends every input
file to the server instead (``send``); otherwise it says who holds the store
and what to do.
"""
from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import Callable, Sequence

from ..errors import TOO_LARGE, UNREADABLE, Rejected, StoreLocked

NOTE_SUFFIX = ".serve.json"
STDIN_MAX = 64 * 2**20     # stdin is read whole before sending; more than this is refused


def note_path(db: str | os.PathLike) -> str:
    return os.fspath(db) + NOTE_SUFFIX


def write_note(db: str | os.PathLike, url: str, ingest: bool) -> str:
    """Say, next to the store, which process serves it, where, and whether it takes ingests."""
    path = note_path(db)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), "w", encoding="utf-8") as f:
        json.dump({"pid": os.getpid(), "url": url, "ingest": ingest}, f)
    os.replace(tmp, path)
    return path


def remove_note(db: str | os.PathLike) -> None:
    """Remove the note, if it is this process's."""
    found = read_note(db)
    if found and found.get("pid") == os.getpid():
        try:
            os.unlink(note_path(db))
        except OSError:
            pass


def read_note(db: str | os.PathLike) -> dict | None:
    try:
        with open(note_path(db), encoding="utf-8") as f:
            note = json.load(f)
    except (OSError, ValueError):
        return None
    return note if isinstance(note, dict) and isinstance(note.get("pid"), int) and isinstance(note.get("url"), str) else None


def serving(db: str | os.PathLike, locked: StoreLocked) -> dict | None:
    """The note of the server holding the store, when the process DuckDB names is the one the note names."""
    note = read_note(db)
    if not note or (locked.pid is not None and note["pid"] != locked.pid):
        return None
    try:
        os.kill(note["pid"], 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return note


def advice(db: str | os.PathLike, locked: StoreLocked, note: dict | None, token: str | None) -> str:
    """What to tell the user whose ingest found the store held."""
    if note is None:
        return f"{locked}. Wait for it to finish, or stop it, and run this command again."
    where = f"the store {os.fspath(db)} is served by `narrascope serve` at {note['url']} (process {note['pid']})"
    if not note.get("ingest"):
        return (f"{where}, read-only. Only one process writes a store at a time: stop the server, or restart it "
                "with an ingest token (--ingest-token or NARRASCOPE_INGEST_TOKEN) and run this command again with "
                "NARRASCOPE_INGEST_TOKEN set, to send the files through the server.")
    return (f"{where}, which takes ingests: set NARRASCOPE_INGEST_TOKEN to its token and run this command again "
            "to send the files through it" if not token else f"{where}")


def send(paths: Sequence[str], url: str, token: str, on_file: Callable[[str, dict], None] | None = None,
         stdin=None) -> list[dict]:
    """POST every input file under ``paths`` to the server at ``url``; one result per file.

    Each result is the server's run summary for that file ({run_id, ingested,
    versions, unchanged, rejected, seconds, rejections}), or for a file that could
    not be sent {"source", "rejections": [{source, code, reason}]}. Files are
    streamed, never read whole; the views are rebuilt once, after the last file.
    """
    from ..ingest import iter_files

    files = list(iter_files(paths))
    out = []
    for k, f in enumerate(files):
        last = k == len(files) - 1
        if isinstance(f, Rejected):
            result = _failed(f.source, f.code, f.reason)
        elif f == "-":
            data = (stdin or sys.stdin.buffer).read(STDIN_MAX + 1)
            result = (_failed("<stdin>", TOO_LARGE, f"standard input is over {STDIN_MAX // 2**20} MB: too much to send "
                                                    "to the server; save it to a file")
                      if len(data) > STDIN_MAX else _post(url, token, "<stdin>", data, len(data), last))
        else:
            try:
                size = os.path.getsize(f)
                with open(f, "rb") as body:
                    result = _post(url, token, f, body, size, last)
            except OSError as e:
                result = _failed(f, UNREADABLE, f"it cannot be read ({e})")
        out.append(result)
        if on_file:
            on_file(f if isinstance(f, str) else f.source, result)
    return out


def _failed(source: str, code: str, reason: str) -> dict:
    return {"source": source, "ingested": 0, "versions": 0, "unchanged": 0, "rejected": 1,
            "rejections": [{"source": source, "code": code, "reason": reason}]}


def _post(url: str, token: str, name: str, body, size: int, views_now: bool) -> dict:
    query = urllib.parse.urlencode({"name": name, "views": "now" if views_now else "later"})
    req = urllib.request.Request(f"{url.rstrip('/')}/api/ingest?{query}", data=body, method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Length": str(size),
                                          "Content-Type": "application/octet-stream"})
    try:
        with urllib.request.urlopen(req, timeout=3600) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        try:
            err = json.loads(e.read()).get("error") or {}
        except ValueError:
            err = {}
        if e.code == 413:
            return _failed(name, TOO_LARGE, "it is larger than the server accepts (--max-body-mb); stop the server "
                                            "to ingest it directly")
        return _failed(name, err.get("code") or f"http_{e.code}", err.get("message") or f"the server answered {e.code}")
    except (urllib.error.URLError, OSError) as e:
        return _failed(name, "server_unreachable", f"the server at {url} did not answer ({e})")
