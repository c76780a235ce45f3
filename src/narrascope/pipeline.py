"""Stages by name, and the run of a configured order of them over one article.

A stage is a function ``stage(article) -> None`` that adds to the article, or
raises ``Rejected`` to drop it with a reason. Stages declare what they need and
what they add; ``check_order`` refuses an order in which a stage would run
before what it needs.
"""
from __future__ import annotations

import ctypes
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterable

from .clean.body import assemble
from .clean.html import extract_html
from .clean.layout import layout
from .clean.markup import make_blocks
from .extract.events import extract_events
from .extract.who import entities_stage, quotes_stage
from .framing.stage import framing_stage
from .lang import reader
from .errors import NO_ARTICLE, STAGE_ERROR, TIMEOUT, NarrascopeError, Rejected
from .metadata.extract import extract_metadata
from .metadata.language import language
from .model import Article, RawInput


@dataclass(frozen=True)
class Stage:
    name: str
    func: Callable[[Article], None]
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()


def _blocks(article: Article) -> None:
    article.blocks = make_blocks(article.layer)


def _clean(article: Article) -> None:
    assemble(article)
    if not article.text.strip():
        raise Rejected(article.raw.source, NO_ARTICLE, "no article body left once page furniture was removed")


def _events(article: Article) -> None:
    """Dated statements of the body, resolved against the article's own publication date."""
    reads = reader(article, "events")
    if reads is None:
        return
    events = extract_events(article.text, article.get("published"), article.get("title"), pack=reads)
    article.extractions["events"] = [dict(e.as_dict(), event_id=None) for e in events]


def _claims(article: Article) -> None:
    """Check-worthy claims with the article's stance (grouped across articles after the run)."""
    reads = reader(article, "claims")
    if reads is None:
        return
    claims = reads.extract_claims(article.text, article.extractions.get("events") or [])
    article.extractions["_claims"] = [c.as_dict() for c in claims]


def _framing(article: Article) -> None:
    """Narratives, roles and loaded language, each only where the article's language is read (its
    pack, and a narrative model for that language): the rest is left empty and recorded as skipped."""
    from .framing import SUPPORTED_LANGUAGES

    code = article.get("language")
    reads = {a: reader(article, a) for a in ("narratives", "roles", "loaded_language")}
    if reads["narratives"] is not None and code not in SUPPORTED_LANGUAGES:
        reads["narratives"] = None
        article.extractions["analysed"].remove("narratives")
        article.extractions.setdefault("skipped", {})["narratives"] = f"no narrative model for language {code}"
    if not any(reads.values()):
        return
    framing_stage(article)
    ext = article.extractions
    if reads["loaded_language"] is not None and code != "en":     # the framing models' loaded language is English
        mentions = [(m["start"], m["end"]) for e in ext.get("entities") or [] for m in e.get("mentions", [])]
        ext["loaded_language"] = reads["loaded_language"].loaded_language(article.text, mentions)
    for analysis, pack in reads.items():
        if pack is None:
            ext[analysis] = []


REGISTRY: dict[str, Stage] = {s.name: s for s in (
    Stage("html", extract_html, (), ("layer", "html_meta")),
    Stage("blocks", _blocks, (), ("blocks",)),
    Stage("layout", layout, ("blocks",), ("roles",)),
    Stage("clean", _clean, ("roles",), ("text", "offsets", "removed")),
    Stage("metadata", extract_metadata, ("roles", "text"), ("fields", "flags")),
    Stage("language", language, ("text",), ("language",)),
    Stage("events", _events, ("text", "fields"), ("events",)),
    Stage("entities", entities_stage, ("text",), ("entities",)),
    Stage("quotes", quotes_stage, ("text", "fields", "entities"), ("quotes",)),
    Stage("claims", _claims, ("text", "events"), ("claims",)),
    Stage("framing", _framing, ("text", "entities"), ("narratives", "entity_roles", "loaded_language")),
)}

# ingest + clean + metadata: what needs no model
CLEAN_STAGES: tuple[str, ...] = ("html", "blocks", "layout", "clean", "metadata", "language", "events")
DEFAULT_STAGES: tuple[str, ...] = CLEAN_STAGES + ("entities", "quotes", "claims", "framing")


def register(stage: Stage) -> None:
    """Add a stage (later capabilities register theirs here)."""
    REGISTRY[stage.name] = stage


def check_order(names: Iterable[str]) -> list[Stage]:
    stages, have = [], set()
    for n in names:
        if n not in REGISTRY:
            raise NarrascopeError(f"unknown stage {n!r}; known stages: {', '.join(REGISTRY)}")
        st = REGISTRY[n]
        missing = [r for r in st.requires if r not in have]
        if missing:
            raise NarrascopeError(f"stage {n!r} needs {', '.join(missing)} from an earlier stage")
        stages.append(st)
        have.update(st.assigns)
    return stages


class _Timeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float | None):
    """Interrupt the block after ``seconds`` with ``_Timeout``.

    In the main thread a SIGALRM timer does it; in any other thread (the web
    server ingests in a worker thread) a timer thread raises the exception in
    it asynchronously. Either way the exception arrives between two Python
    bytecodes (the regex engine checks for signals, so a runaway pattern stops
    too, but only in the main thread).
    """
    if not seconds:
        yield
        return
    outer = getattr(_LIMIT, "deadline", None)
    _LIMIT.deadline = time.monotonic() + seconds
    try:
        if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
            with _thread_time_limit(seconds):
                yield
            return

        def on_alarm(signum, frame):
            raise _Timeout()

        old = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    finally:
        _LIMIT.deadline = outer


_LIMIT = threading.local()   # ``deadline``: time.monotonic() at which this thread's time_limit block ends


def time_left() -> float | None:
    """Seconds left in the ``time_limit`` block running in this thread (None: no limit).

    A stage that waits on a server outside the process sizes its wait with it, so it
    can give up and fall back before the whole article is rejected.
    """
    at = getattr(_LIMIT, "deadline", None)
    return None if at is None else at - time.monotonic()


@contextmanager
def _thread_time_limit(seconds: float):
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"active": True, "fired": False}

    def fire() -> None:
        with lock:
            if state["active"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(_Timeout))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["active"] = False
        timer.cancel()
        if state["fired"]:  # delivered already, or still pending: never let it escape the block
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)


def process(raw: RawInput, stages: Iterable[Stage] | None = None, timeout: float | None = 30.0,
            article: Article | None = None) -> Article:
    """Run the stages over one input. Raises ``Rejected`` with the reason when it cannot be used.

    With ``article`` (made by an earlier call over the first stages), the
    given stages continue its work.
    """
    stages = check_order(DEFAULT_STAGES) if stages is None else stages
    article = article if article is not None else Article(raw)
    current = ""
    try:
        with time_limit(timeout):
            for st in stages:
                current = st.name
                st.func(article)
    except Rejected:
        raise
    except _Timeout:
        raise Rejected(raw.source, TIMEOUT, f"stage '{current}' took longer than {timeout:g} s") from None
    except Exception as e:  # a bug in a stage must not stop the batch; it is reported with the file
        raise Rejected(raw.source, STAGE_ERROR, f"stage '{current}' failed: {type(e).__name__}: {e}") from e
    return article
