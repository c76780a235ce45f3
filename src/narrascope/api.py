"""The library's front door: ingest inputs into a store, read and export them.

    from narrascope import ingest, Store
    summary = ingest(["articles/"], db="story.duckdb")
    print(summary.ingested, summary.rejected)

The CLI, and later the HTTP API, are thin layers over these functions.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from .errors import Rejected
from .ingest import STDIN, Limits, iter_inputs
from .link.across import LinkSummary, refresh_links
from .link.statements import refresh_statements
from .link.timeline import refresh_timeline
from .model import Article, RawInput
from .pipeline import DEFAULT_STAGES, check_order, process
from .store import Store

DEFAULT_DB = "narrascope.duckdb"
# The timeline is rebuilt after each run while the store is small enough for that
# to be cheap; past this, `narrascope timeline --rebuild` does it when asked.
TIMELINE_AUTO_MAX = 5000


@dataclass
class RunSummary:
    run_id: int | str | None = None
    ingested: int = 0            # new documents
    versions: int = 0            # new versions of documents already stored
    unchanged: int = 0           # content already stored: nothing changed
    rejected: list[Rejected] = field(default_factory=list)
    seconds: float = 0.0
    timeline_entries: int | None = None   # None: not rebuilt in this run
    entities: int | None = None
    statements: int | None = None
    links: LinkSummary | None = None      # None: not linked in this run
    warm: bool = field(default=False, repr=False)   # the stages have run once (models loaded)

    @property
    def counts(self) -> dict[str, int]:
        return {"ingested": self.ingested, "versions": self.versions, "unchanged": self.unchanged,
                "rejected": len(self.rejected)}


def process_input(raw: RawInput, stages: Sequence[str] = DEFAULT_STAGES, timeout: float | None = 30.0) -> Article:
    """Clean one input and read its metadata (no store involved)."""
    return process(raw, check_order(stages), timeout)


def ingest(paths: Sequence[str], db: str | Store = DEFAULT_DB, *, stages: Sequence[str] = DEFAULT_STAGES,
           limits: Limits | None = None, timeout: float | None = 30.0,
           on_item: Callable[[str, str], None] | None = None, stdin=None, stdin_name: str = STDIN,
           views: bool = True) -> RunSummary:
    """Read ``paths`` (files, folders, ``-`` for stdin), process each article and store it.

    Every article is stored in its own transaction, so an interrupted run keeps
    what it finished and the next run over the same inputs skips it
    (content-hash ids). ``on_item(source, outcome)`` is called once per input.
    ``stdin_name`` names what ``-`` reads. With ``views=False`` the
    cross-article views are left for a later run to rebuild (they are marked
    stale, see ``refresh_after_run``).
    """
    pipeline = check_order(stages)
    store = db if isinstance(db, Store) else Store(db)
    summary = RunSummary()
    t0 = time.perf_counter()
    summary.run_id = store.begin_run(list(paths))
    status = "failed"
    try:
        for item in iter_inputs(paths, limits or Limits(), stdin=stdin, stdin_name=stdin_name):
            outcome = _one(item, store, summary, pipeline, timeout)
            if on_item:
                on_item(item.source, outcome)
        if views and store.count_articles() <= TIMELINE_AUTO_MAX:
            refresh_after_run(store, stages, summary, only_stale=True)
        status = "finished"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        summary.seconds = time.perf_counter() - t0
        store.finish_run(summary.run_id, summary.counts, status)
        if not isinstance(db, Store):
            store.close()
    return summary


# The views that span articles, in the order they are rebuilt (each reads what the one before wrote),
# with the stage whose output each needs.
VIEWS: tuple[tuple[str, str], ...] = (("timeline", "events"), ("statements", "quotes"), ("links", "claims"))


def refresh_after_run(store: Store, stages: Sequence[str] = DEFAULT_STAGES, summary: RunSummary | None = None,
                      only_stale: bool = False) -> RunSummary:
    """Rebuild what spans articles (timeline, statements and entities, stories, copies, claims).

    Each view is rebuilt in one transaction and then marked with the articles it
    covers. With ``only_stale``, the rebuild starts at the first view not marked
    with the articles stored now (new articles, or a run that died before or
    during its rebuild) and goes on through the views after it; nothing is
    rebuilt when every view is current.
    """
    summary = summary or RunSummary()
    wanted = [view for view, stage in VIEWS if stage in stages]
    stale = store.stale_views(wanted) if only_stale else wanted
    todo = wanted[wanted.index(stale[0]):] if stale else []
    fingerprint = store.articles_fingerprint()
    for view in todo:
        if view == "timeline":
            summary.timeline_entries = refresh_timeline(store)
        elif view == "statements":
            summary.entities, summary.statements = refresh_statements(store)
        else:
            summary.links = refresh_links(store)
        store.mark_view_fresh(view, fingerprint)
    return summary


# Run once through the stages, without a time limit, before the first real article: loading models
# and libraries is not the article's time.
_WARM_UP = (RawInput("<warm-up>", "Warm-up\n\nThe harbour board met in Lisbon on Monday, its chair said.\n", "text",
                     "file", content_hash="0" * 16),
            RawInput("<warm-up>", "<html><body><article><p>The harbour board met in Lisbon on Monday, its chair said."
                                  "</p></article></body></html>", "html", "file", content_hash="0" * 16))


def _warm_up(pipeline) -> None:
    for raw in _WARM_UP:
        try:
            process(raw, pipeline, None)
        except Rejected:
            pass


def _one(item: RawInput | Rejected, store: Store, summary: RunSummary, pipeline, timeout) -> str:
    if isinstance(item, Rejected):
        return _reject(item, store, summary)
    if store.has_article(item.content_hash):
        outcome = store.note_source(item.content_hash, item.source, summary.run_id)
        summary.unchanged += 1
        return outcome
    if not summary.warm:
        _warm_up(pipeline)
        summary.warm = True
    try:
        article = process(item, pipeline, timeout)
    except Rejected as r:
        return _reject(r, store, summary)
    outcome = store.save_article(article, summary.run_id)
    if outcome == "version":
        summary.versions += 1
    elif outcome == "unchanged":
        summary.unchanged += 1
    else:
        summary.ingested += 1
    return outcome


def _reject(r: Rejected, store: Store, summary: RunSummary) -> str:
    summary.rejected.append(r)
    store.record_rejection(summary.run_id, r)
    return "rejected"


def summary_lines(summary: RunSummary) -> list[str]:
    """The end-of-run report: counts, then one line per rejected input with its reason."""
    c = summary.counts
    lines = [f"ingested {c['ingested']}, new versions {c['versions']}, unchanged {c['unchanged']}, "
             f"rejected {c['rejected']} in {summary.seconds:.1f} s"]
    lines += [f"  rejected {r.source}: {r.reason} [{r.code}]" for r in summary.rejected]
    if summary.timeline_entries is not None:
        lines.append(f"timeline rebuilt: {summary.timeline_entries} entries")
    if summary.statements is not None:
        lines.append(f"entities merged across articles: {summary.entities}; statements: {summary.statements}")
    if summary.links is not None:
        k = summary.links
        lines.append(f"across outlets: {k.stories} stories, {k.near_copies} near-copies, {k.rewrites} rewritten copies, "
                     f"{k.claims} claims ({k.shared_claims} made by more than one article)")
    if summary.statements is None and summary.ingested or summary.versions:
        lines.append(f"timeline not rebuilt (over {TIMELINE_AUTO_MAX} articles): run `narrascope timeline --rebuild`")
    return lines
