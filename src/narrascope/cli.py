"""Command line: a thin layer over ``narrascope.api`` and the store."""
from __future__ import annotations

import json
import sys
import textwrap

import click

from . import api
from .errors import NarrascopeError, StoreLocked
from .export import export as export_records
from .store import Store

DB = click.option("--db", default=api.DEFAULT_DB, show_default=True, envvar="NARRASCOPE_DB",
                  help="DuckDB file holding the articles.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="narrascope")
def cli() -> None:
    """narrascope: how a news story is told, article by article, with the evidence.

    \b
    Example:
      narrascope ingest articles/ --db story.duckdb
      narrascope list --db story.duckdb
      narrascope export --db story.duckdb --format jsonl -o story.jsonl
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@DB
@click.option("--timeout", default=30.0, show_default=True, help="Seconds one article may take before it is rejected.")
@click.option("--max-mb", default=20, show_default=True, help="Largest single article accepted, in MB.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def ingest(paths: tuple[str, ...], db: str, timeout: float, max_mb: int, quiet: bool) -> None:
    """Read files, folders (recursively) or - (stdin) into the store.

    Plain text, HTML, JSON Lines, CSV and WARC are recognised by content and
    extension, gzip-compressed or not. Re-ingesting the same input changes
    nothing; new content at a known URL is kept as a new version.

    \b
    Example:
      narrascope ingest ../shared/seeds crawl.warc.gz feed.jsonl
      cat page.html | narrascope ingest -
    """
    from tqdm import tqdm

    from .ingest import Limits

    bar = tqdm(unit=" articles", disable=quiet or not sys.stderr.isatty(), file=sys.stderr)

    def step(source: str, outcome: str) -> None:
        bar.update(1)
        bar.set_postfix_str(outcome, refresh=False)

    try:
        summary = api.ingest(list(paths), db, timeout=timeout, on_item=step,
                             limits=Limits(max_document_bytes=max_mb * 2**20))
    except StoreLocked as e:
        bar.close()
        _hand_off(list(paths), db, e)
        return
    except NarrascopeError as e:
        raise click.ClickException(str(e))
    finally:
        bar.close()
    for line in api.summary_lines(summary):
        click.echo(line, err=True)


def _hand_off(paths: list[str], db: str, locked: StoreLocked) -> None:
    """The store is held: send the inputs to the server holding it, or say who holds it and what to do."""
    import os
    import time

    from .web.handoff import advice, send, serving

    token = os.environ.get("NARRASCOPE_INGEST_TOKEN") or None
    note = serving(db, locked)
    if note is None or not note.get("ingest") or not token:
        raise click.ClickException(advice(db, locked, note, token))
    click.echo(f"the store {db} is held by `narrascope serve` at {note['url']}: sending the inputs to it", err=True)
    t0 = time.perf_counter()
    results = send(paths, note["url"], token)
    refused = [r for r in results for x in r.get("rejections") or [] if x["code"] in ("bad_token", "token_required")]
    if refused:
        raise click.ClickException(f"the server at {note['url']} refused the token in NARRASCOPE_INGEST_TOKEN")
    total = {k: sum(int(r.get(k) or 0) for r in results) for k in ("ingested", "versions", "unchanged", "rejected")}
    click.echo(f"ingested {total['ingested']}, new versions {total['versions']}, unchanged {total['unchanged']}, "
               f"rejected {total['rejected']} in {time.perf_counter() - t0:.1f} s, through the server "
               f"({len(results)} request(s))", err=True)
    for r in results:
        for x in r.get("rejections") or []:
            click.echo(f"  rejected {x['source']}: {x['reason']} [{x['code']}]", err=True)


@cli.command("list")
@DB
@click.option("--limit", default=50, show_default=True)
@click.option("--offset", default=0, show_default=True)
@click.option("--all-versions", is_flag=True, help="Include older versions of a document.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def list_(db: str, limit: int, offset: int, all_versions: bool, as_json: bool) -> None:
    """List stored articles: id, date, publisher, title, flags.

    \b
    Example:
      narrascope list --db story.duckdb --limit 20
    """
    with _store(db) as store:
        rows = store.list_articles(limit=limit, offset=offset, latest_only=not all_versions)
        total = store.count_articles()
    if as_json:
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False, default=str))
        return
    for r in rows:
        flags = f"  [{r.get('n_flags')} flag(s)]" if r.get("n_flags") else ""
        version = f" v{r['version']}" if (r.get("version") or 1) > 1 else ""
        click.echo(f"{r['id']}{version}  {(r.get('published') or 'date unknown')[:10]:<12} "
                   f"{(r.get('publisher') or 'publisher unknown')[:24]:<24}  {(r.get('title') or '(no title)')[:70]}{flags}")
    click.echo(f"-- {len(rows)} of {total} article(s)", err=True)


@cli.command()
@click.argument("article_id")
@DB
@click.option("--json", "as_json", is_flag=True, help="Everything stored about the article, as JSON.")
@click.option("--removed", is_flag=True, help="Also list every segment removed from the body, with its reason.")
def show(article_id: str, db: str, as_json: bool, removed: bool) -> None:
    """Show one article (id or unique id prefix): metadata with provenance, flags, body.

    \b
    Example:
      narrascope show 6230 --db story.duckdb --removed
    """
    with _store(db) as store:
        try:
            a = store.get_article(article_id)
        except NarrascopeError as e:
            raise click.ClickException(str(e))
    if a is None:
        raise click.ClickException(f"no article with id {article_id!r}")
    if as_json:
        click.echo(json.dumps(a, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(render_article(a, removed))


def render_article(a: dict, with_removed: bool = False) -> str:
    """Readable view of ``Store.get_article``'s dict."""
    fields = {f["name"]: f for f in a.get("fields") or []}
    out = [click.style(a.get("title") or "(no title)", bold=True), ""]
    for name in ("dek", "authors", "publisher", "published", "updated", "dateline", "wire_credit", "contributors",
                 "republished_from", "language", "url"):
        f = fields.get(name)
        if f is None:
            value, where = "unknown", ""
        else:
            value = f["value"]
            if isinstance(value, str) and value.startswith(("[", "{", '"')):
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
            if isinstance(value, list):
                value = ", ".join(map(str, value)) or "none named"
            elif isinstance(value, dict):
                value = ", ".join(f"{k}={v}" for k, v in value.items())
            where = f"  ({f['origin']}" + (f", line {f['line']}" if f.get("line") else "") + ")"
        out.append(f"{name:>16}: {value}{click.style(where, dim=True)}")
    out.append(f"{'id':>16}: {a['id']}  version {a.get('version')}  source {a.get('source')}")
    flags = a.get("flags") or []
    out.append("")
    out.append(click.style(f"flags ({len(flags)})", bold=True))
    for fl in flags:
        code = fl["code"] + (f":{fl['detail']}" if fl.get("detail") else "")
        out.append(f"  ! {code}: {fl.get('reason') or ''}")
    out += ["", click.style("body", bold=True)]
    for para in (a.get("text") or "").split("\n\n"):
        out += [textwrap.fill(para, 100, initial_indent="  ", subsequent_indent="  "), ""]
    if with_removed:
        out += ["", click.style("removed from the body", bold=True)]
        for r in a.get("removed") or []:
            out.append(f"  [{r.get('kind')}] {str(r.get('text') or '')[:100]}")
    return "\n".join(out)


@cli.command()
@DB
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True)
@click.option("-o", "--output", default="-", help="File to write (default: standard output; parquet needs a file).")
@click.option("--all-versions", is_flag=True, help="Export every version, not only the latest of each document.")
def export(db: str, fmt: str, output: str, all_versions: bool) -> None:
    """Export articles as JSON Lines, CSV or Parquet (keys documented in the README).

    \b
    Example:
      narrascope export --db story.duckdb --format jsonl -o story.jsonl
    """
    if fmt == "parquet" and output == "-":
        raise click.ClickException("parquet export needs a file: add -o FILE.parquet")
    with _store(db) as store:
        n = export_records(store, fmt, sys.stdout if output == "-" else output, latest_only=not all_versions)
    click.echo(f"exported {n} article(s)" + ("" if output == "-" else f" to {output}"), err=True)


@cli.command()
@DB
@click.option("--from", "date_from", metavar="DATE", help="Earliest date (ISO prefix: 2022, 2022-11, 2022-11-29).")
@click.option("--to", "date_to", metavar="DATE", help="Latest date (ISO prefix).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True)
@click.option("-o", "--output", default="-", help="File to write (default: standard output).")
@click.option("--rebuild", is_flag=True, help="Rebuild the timeline and inferred dates first (automatic after small ingest runs).")
def timeline(db: str, date_from: str | None, date_to: str | None, fmt: str, output: str, rebuild: bool) -> None:
    """The story's timeline: each happening once, with every article that dates it.

    \b
    Example:
      narrascope timeline --db story.duckdb --from 2022 --to 2022-12
      narrascope timeline --db story.duckdb --format html -o timeline.html
    """
    with _store(db) as store:
        if rebuild:
            from .link.timeline import refresh_timeline
            click.echo(f"timeline rebuilt: {refresh_timeline(store)} entries", err=True)
        entries = store.timeline(date_from, date_to)
    if fmt == "json":
        body = "\n".join(json.dumps(e, ensure_ascii=False) for e in entries) + ("\n" if entries else "")
    elif fmt == "html":
        body = render_timeline_html(entries)
    else:
        lines = []
        for e in entries:
            marks = " (inferred)" if any(s.get("inferred") for s in e["sources"]) else ""
            lines.append(f"{e['date']:<12} {e['label']}{marks}")
            for s in e["sources"]:
                lines.append(f"{'':<14}- {s.get('publisher') or s['doc_id'][:8]}: {s['text'][:110]}")
        body = "\n".join(lines) + "\n"
    if output == "-":
        click.echo(body, nl=False)
    else:
        with open(output, "w", encoding="utf-8") as f:
            f.write(body)
        click.echo(f"{len(entries)} timeline entries written to {output}", err=True)


def render_timeline_html(entries: list[dict]) -> str:
    """A self-contained page (no scripts, everything escaped)."""
    from html import escape

    rows = []
    for e in entries:
        srcs = "".join(f"<li><b>{escape(s.get('publisher') or s['doc_id'][:8])}</b>"
                       f"{' <i>(inferred date)</i>' if s.get('inferred') else ''}: {escape(s['text'])}</li>"
                       for s in e["sources"])
        rows.append(f"<section><h2>{escape(e['date'])} <small>{escape(e['precision'])}</small></h2>"
                    f"<p>{escape(e.get('label') or '')}</p><ul>{srcs}</ul></section>")
    return ("<!doctype html><html><head><meta charset='utf-8'><title>Timeline</title>"
            "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            "<style>body{font-family:sans-serif;max-width:60em;margin:auto}h2{font-size:1.1em;margin-bottom:0}"
            "small{color:#777}li{margin:.2em 0}</style></head><body><h1>Timeline</h1>"
            + "".join(rows) + "</body></html>\n")


@cli.command()
@DB
@click.option("--speaker", help="Only statements whose speaker's name contains this (case-insensitive).")
@click.option("--story", "story_id", help="Only the quotes of this story's articles (see `narrascope stories`).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per statement.")
@click.option("--limit", default=50, show_default=True)
def quotes(db: str, speaker: str | None, story_id: str | None, as_json: bool, limit: int) -> None:
    """Statements: each quote once per speaker, with every outlet that carried it and its variants.

    \b
    Example:
      narrascope quotes --db story.duckdb --speaker stoltenberg
    """
    from .extract.statements import statement_summary

    with _store(db) as store:
        docs = list(store.iter_extraction_docs(("quotes", "story_id")))
    if story_id:
        docs = [d for d in docs if d["extractions"].get("story_id") == story_id]
    by_article = {d["id"]: d["extractions"].get("quotes") or [] for d in docs}
    publisher = {d["id"]: d["publisher"] for d in docs}
    groups = {(aid, i): q["statement_id"] for aid, qs in by_article.items() for i, q in enumerate(qs) if q.get("statement_id")}
    stmts = statement_summary(by_article, groups, {d["id"]: d["published"] for d in docs})
    if speaker:
        stmts = [s for s in stmts if speaker.lower() in (s["speaker"] or "").lower()]
    for st in stmts[:limit]:
        if as_json:
            click.echo(json.dumps(st, ensure_ascii=False, default=str))
            continue
        click.echo(click.style(f"{st['speaker'] or 'unknown speaker'}", bold=True)
                   + f"  ({len(st['carriers'])} article(s), earliest {st['earliest'] or 'date unknown'})  [{st['id']}]")
        for v in st["variants"]:
            who = publisher.get(v["article_id"]) or v["article_id"][:8]
            click.echo(f"    {who:<20} {v['said_on'] or '':<11} \"{v['text'][:100]}\"")


@cli.command()
@DB
@click.option("--type", "type_", help="PERSON, ORG, PLACE, NORP, MEDIA or DOCUMENT.")
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per entity.")
def entities(db: str, type_: str | None, limit: int, as_json: bool) -> None:
    """Canonical entities across articles, with their spelling variants and counts.

    \b
    Example:
      narrascope entities --db story.duckdb --type PERSON
    """
    from collections import Counter

    with _store(db) as store:
        docs = list(store.iter_extraction_docs(("entities",)))
    recs: dict[str, dict] = {}
    for d in docs:
        for e in d["extractions"].get("entities") or []:
            r = recs.setdefault(e["id"], {"id": e["id"], "name": e["name"], "type": e["type"], "articles": set(),
                                          "variants": Counter()})
            r["articles"].add(d["id"])
            r["variants"].update(m["text"] for m in e["mentions"])
    rows = sorted((r for r in recs.values() if not type_ or r["type"] == type_.upper()),
                  key=lambda r: (-len(r["articles"]), -sum(r["variants"].values()), r["name"]))
    for r in rows[:limit]:
        if as_json:
            click.echo(json.dumps({**r, "articles": sorted(r["articles"]), "variants": dict(r["variants"])}, ensure_ascii=False))
            continue
        variants = ", ".join(f"{v} ({n})" for v, n in r["variants"].most_common(6))
        click.echo(f"{r['type']:<8} {r['name']:<32} {len(r['articles'])} article(s)  {variants}")


@cli.command()
@DB
def runs(db: str) -> None:
    """Ingest runs with their counts, and the inputs each rejected.

    \b
    Example:
      narrascope runs --db story.duckdb
    """
    with _store(db) as store:
        for r in store.runs():
            click.echo(f"run {r['id']}  {r.get('started_at')}  {r.get('status')}  ingested {r.get('ingested')}  "
                       f"versions {r.get('versions')}  unchanged {r.get('unchanged')}  rejected {r.get('rejected')}")
            for e in store.errors(r["id"]):
                click.echo(f"    {e['source']}: {e['reason']} [{e['code']}]")


@cli.command()
@DB
@click.option("--limit", default=50, show_default=True)
@click.option("--offset", default=0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per story.")
def stories(db: str, limit: int, offset: int, as_json: bool) -> None:
    """Stories: the articles that report the same happening, largest first.

    \b
    Example:
      narrascope stories --db story.duckdb
    """
    from .link.views import list_stories

    with _store(db) as store:
        page = list_stories(store, limit, offset)
    for st in page["items"]:
        if as_json:
            click.echo(json.dumps(st, ensure_ascii=False, default=str))
            continue
        span = st["first_date"] if st["first_date"] == st["last_date"] else f"{st['first_date']} .. {st['last_date']}"
        click.echo(click.style(f"{st['id']}  {st['title'] or '(untitled)'}", bold=True)
                   + f"  [{st['n_articles']} article(s), {span or 'undated'}]")
        for a in st["articles"]:
            click.echo(f"    {a['id'][:10]}  {(a['outlet'] or 'unknown outlet')[:22]:<22} {str(a['published'] or '')[:10]:<10}  {a['title'] or ''}")


@cli.command()
@click.argument("story_id")
@DB
@click.option("--json", "as_json", is_flag=True, help="The whole view as one JSON object.")
def story(story_id: str, db: str, as_json: bool) -> None:
    """One story: coverage by outlet, shared and unique quotes, the claims matrix.

    \b
    Example:
      narrascope story S3ff9586bcba3 --db story.duckdb
    """
    from .link.views import story_view

    with _store(db) as store:
        view = story_view(store, story_id)
    if view is None:
        raise click.ClickException(f"no story {story_id!r}: see `narrascope stories`")
    if as_json:
        click.echo(json.dumps(view, ensure_ascii=False, default=str))
        return
    click.echo(click.style(f"{view['title'] or '(untitled)'}", bold=True) + f"  [{view['id']}]")
    for a in view["articles"]:
        extra = []
        if a["republished_from"]:
            extra.append(f"from {a['republished_from'].get('publisher')}")
        extra += [f for f in a["flags"] if f in ("rebylined_wire_copy", "rewritten_copy")]
        click.echo(f"  {(a['outlet'] or 'unknown outlet')[:22]:<22} {str(a['published'] or '')[:10]:<10} "
                   f"{', '.join(a['authors']) or 'no byline'}  {'; '.join(extra)}")
    click.echo(click.style("Quotes carried by several outlets", bold=True))
    for s in view["shared_quotes"]:
        click.echo(f"  {s['speaker'] or 'unknown speaker'}: " + " | ".join(f"\"{v['text'][:70]}\"" for v in s["variants"]))
    click.echo(click.style(f"Quotes only one outlet carries: {len(view['unique_quotes'])}", bold=True))
    _echo_matrix(view["claims"])


@cli.command()
@DB
@click.option("--story", "story_id", help="Only the articles of this story.")
@click.option("--min-articles", default=2, show_default=True, help="Claims made by at least this many articles.")
@click.option("--json", "as_json", is_flag=True, help="The matrix as one JSON object.")
def claims(db: str, story_id: str | None, min_articles: int, as_json: bool) -> None:
    """The claims × outlets matrix: asserted, attributed, disputed or absent, with the evidence sentence.

    \b
    Example:
      narrascope claims --db story.duckdb --story S3ff9586bcba3
    """
    from .link.views import claims_matrix

    with _store(db) as store:
        matrix = claims_matrix(store, story_id, min_articles)
    if as_json:
        click.echo(json.dumps(matrix, ensure_ascii=False, default=str))
        return
    _echo_matrix(matrix)


_STANCE_MARK = {"asserted": "A", "attributed": "a", "disputed": "D", "absent": "."}


def _echo_matrix(matrix: dict) -> None:
    arts = matrix["articles"]
    click.echo(click.style("Claims (A asserted, a attributed, D disputed, . absent)", bold=True))
    click.echo("  " + " ".join(f"{i + 1:>2}" for i in range(len(arts))) + "   claim")
    for row in matrix["claims"]:
        marks = " ".join(f"{_STANCE_MARK[row['cells'][a['id']]['stance']]:>2}" for a in arts)
        click.echo(f"  {marks}   {row['text'][:90]}")
    for i, a in enumerate(arts):
        click.echo(f"  {i + 1:>2} = {(a['outlet'] or 'unknown outlet')}  {str(a['published'] or '')[:10]}  {(a['title'] or '')[:60]}")


@cli.command()
@DB
@click.option("--json", "as_json", is_flag=True, help="One JSON object per outlet.")
def outlets(db: str, as_json: bool) -> None:
    """Outlet profiles: articles, stories, claims asserted vs attributed, syndication, flags.

    \b
    Example:
      narrascope outlets --db story.duckdb
    """
    from .link.views import outlet_profiles

    with _store(db) as store:
        profiles = outlet_profiles(store)
    for p in profiles:
        if as_json:
            click.echo(json.dumps(p, ensure_ascii=False))
            continue
        c = p["claims"]
        flags = ", ".join(f"{k} ({n})" for k, n in sorted(p["flags"].items())) or "none"
        click.echo(f"{p['outlet'][:28]:<28} articles {p['articles']:>3}  stories {p['stories']:>3}  "
                   f"claims asserted {c['asserted']} / attributed {c['attributed']} / disputed {c['disputed']}  "
                   f"originates {p['originates']}  republishes {p['republishes']}  flags: {flags}")


@cli.command()
@DB
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but loopback exposes the store to the network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--ingest-token", envvar="NARRASCOPE_INGEST_TOKEN", default=None,
              help="Enable POST /api/ingest for requests carrying this token (16+ characters; "
                   "or env NARRASCOPE_INGEST_TOKEN). Without it the server is read-only.")
@click.option("--max-body-mb", default=20, show_default=True, type=click.IntRange(1, 1024),
              help="Largest request body accepted, in MB.")
@click.option("--rate-limit", default=100.0, show_default=True, type=click.FloatRange(0),
              help="Requests a second per client address (0: no limit).")
def serve(db: str, host: str, port: int, ingest_token: str | None, max_body_mb: int, rate_limit: float) -> None:
    """Serve the REST API (/api/...) and the web workbench over the store.

    The store is opened read-only unless an ingest token is given. The API
    schema is at /api/openapi.json.

    \b
    Example:
      narrascope serve --db story.duckdb
      narrascope serve --db story.duckdb --port 8080   # then open http://127.0.0.1:8080/
    """
    from .web import Settings
    from .web import serve as run_server

    try:
        settings = Settings(db=db, ingest_token=ingest_token, max_body_bytes=max_body_mb * 2**20,
                            rate_limit=rate_limit)
    except ValueError as e:
        raise click.ClickException(str(e))
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: binding {host}: the workbench will answer beyond this machine", err=True)
    click.echo(f"narrascope workbench on http://{host}:{port}/ ({'ingest enabled' if ingest_token else 'read-only'}); "
               "Ctrl-C stops it", err=True)
    try:
        run_server(settings, host=host, port=port)
    except NarrascopeError as e:
        raise click.ClickException(str(e))


@cli.command()
@DB
@click.option("--outlet", help="Only outlets whose name contains this (case-insensitive).")
@click.option("--story", "story_id", help="Only the articles of this story.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per outlet.")
@click.option("--top", default=5, show_default=True, help="Items listed per outlet and kind.")
def narratives(db: str, outlet: str | None, story_id: str | None, as_json: bool, top: int) -> None:
    """Narratives, loaded language and entity roles, summarised by outlet.

    \b
    Example:
      narrascope narratives --db story.duckdb
      narrascope narratives --db story.duckdb --outlet antiwar --json
    """
    from .framing.summary import by_outlet

    with _store(db) as store:
        docs = list(store.iter_extraction_docs(("narratives", "roles", "loaded_language", "story_id")))
    for g in by_outlet(docs, outlet, story_id):
        if as_json:
            click.echo(json.dumps(g, ensure_ascii=False))
            continue
        click.echo(click.style(g["outlet"], bold=True) + f"  ({g['articles']} article(s), {g['other']} with no narrative)")
        for key, title in (("narratives", "narratives"), ("subnarratives", "sub-narratives"),
                           ("loaded_language", "loaded language"), ("roles", "roles")):
            for label, n in g[key][:top]:
                click.echo(f"    {title:<16} {n:>3}  {label}")


@cli.group("eval")
def eval_() -> None:
    """Scores of the analysis models on labelled data."""


@eval_.command("framing")
@click.option("--folds", default=5, show_default=True, help="Cross-validation folds over the training parts of --data.")
@click.option("--data", default="../shared/semeval2025", show_default=True,
              help="Training data in the SemEval-2025 Task 10 format (English; multilingual/{RU,BG,PT,HI} when present).")
@click.option("--split", default="eval/framing_split", show_default=True,
              help="Folder of <lang>_test.txt held-out lists: left out of the cross-validation, scored with the "
                   "packaged models ('' for none).")
@click.option("--test", "tests", multiple=True, help="A labelled folder in the task's format, scored with the packaged model.")
@click.option("--no-cv", is_flag=True, help="Skip the cross-validation (only score the test parts and --test folders).")
@click.option("--no-roles", is_flag=True, help="Skip the role cross-validation (it parses every English article).")
@click.option("--cache", default="out/framing_cache/chunks.npz", show_default=True,
              help="Chunk-embedding cache for the cross-validation ('' for none).")
def eval_framing(folds: int, data: str, split: str, tests: tuple[str, ...], no_cv: bool, no_roles: bool,
                 cache: str) -> None:
    """Narrative F1-samples (coarse, fine) per language and role exact-match, as the task's scorers compute them.

    Cross-validation on the training parts (the test parts of --split left out), leave one
    language out, then the packaged models on the held-out test parts: per-label precision and
    recall, the English word model beside the multilingual one, the most-frequent-label baseline.

    \b
    Example:
      narrascope eval framing --folds 5 --data ../shared/semeval2025
      narrascope eval framing --no-cv --test my-labelled-articles/
    """
    from pathlib import Path

    from .framing import get_model
    from .framing.dataset import load_dataset
    from .framing.evaluate import loaded_language_rates, multilingual_report, score_model

    split_dir = split if split and Path(split).is_dir() else None
    if split and split_dir is None:
        click.echo(f"no held-out lists at {split}: everything is cross-validated, no test part", err=True)
    try:
        if not no_cv or split_dir:
            for line in multilingual_report(data, split_dir, folds, cache or None, cv=not no_cv, roles=not no_roles,
                                            progress=lambda m: click.echo(m, err=True)):
                click.echo(line)
        if not no_cv:
            rates = loaded_language_rates(load_dataset(data))
            click.echo(f"  loaded language per 1,000 English words: articles with a narrative {rates['narrative']:.2f}, "
                       f"'Other' articles {rates['other']:.2f}")
        narr, roles, _, about = get_model() if tests else (None, None, None, None)
        for folder in tests:
            for line in score_model(narr, roles, load_dataset(folder), f"packaged model on {folder}").lines():
                click.echo(line)
    except (NarrascopeError, ValueError) as e:
        raise click.ClickException(str(e))


@cli.command("run")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out", required=True, help="Output folder: partitioned Parquet and one checkpoint per shard.")
@click.option("--engine", type=click.Choice(["local", "processes", "spark"]), default="local", show_default=True,
              help="local: in this process; processes: a process pool on all cores; spark: PySpark.")
@click.option("--master", default="local[2]", show_default=True,
              help="Spark master URL (local[N], spark://host:7077, yarn, k8s://...).")
@click.option("--conf", "confs", multiple=True, metavar="KEY=VALUE", help="A Spark setting (repeatable).")
@click.option("--workers", default=0, show_default=True, help="Processes for --engine processes (0: all cores).")
@click.option("--batch-size", default=500, show_default=True, help="Rows per Parquet file (bounds memory).")
@click.option("--timeout", default=30.0, show_default=True, help="Seconds one article may take before it is rejected.")
@click.option("--stages", default=None, help="Comma-separated stages (default: all).")
@click.option("--no-near", is_flag=True, help="Skip the near-copy pass over the whole output.")
@click.option("--no-across", is_flag=True, help="Skip the statement and story passes over the whole output.")
@click.option("--import", "import_db", default=None, metavar="DB", help="Then import the output into this store.")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines.")
def run_(inputs: tuple[str, ...], out: str, engine: str, master: str, confs: tuple[str, ...], workers: int,
         batch_size: int, timeout: float, stages: str | None, no_near: bool, no_across: bool, import_db: str | None,
         quiet: bool) -> None:
    """Process shards (WARC/WARC.gz, JSONL, Parquet, pages; folders and globs) into Parquet.

    Shards already done (a checkpoint in OUT) are skipped, so running again
    over a growing folder processes only the new files, and an interrupted
    run resumes. DuckDB reads the output directly; --import (or `narrascope
    import`) loads it into a store for the workbench.

    \b
    Example:
      narrascope run ../shared/seeds --out out/run
      narrascope run 'crawl/CC-NEWS-*.warc.gz' --out out/ccnews --engine spark --master local[2]
      narrascope run feed/ --out out/feed --engine processes --import story.duckdb
    """
    from .pipeline import DEFAULT_STAGES
    from .run import RunOptions
    from .run import run as run_batch

    conf = {}
    for c in confs:
        k, sep, v = c.partition("=")
        if not sep:
            raise click.BadParameter(f"{c!r} is not KEY=VALUE", param_hint="--conf")
        conf[k.strip()] = v.strip()
    opts = RunOptions(stages=tuple(x.strip() for x in stages.split(",")) if stages else DEFAULT_STAGES,
                      timeout=timeout, batch_size=batch_size, workers=workers)

    def progress(shard, info) -> None:
        if not quiet:
            click.echo(f"  {shard.path}: {info['articles']} articles, {info['rejected']} rejected "
                       f"({info['seconds']:.1f} s)", err=True)

    try:
        report = run_batch(list(inputs), out, engine=engine, options=opts, master=master, spark_conf=conf,
                           near=not no_near, across=not no_across, progress=progress)
    except NarrascopeError as e:
        raise click.ClickException(str(e))
    click.echo(f"{engine}: {report.shards} shards ({report.skipped_shards} already done), {report.articles} articles, "
               f"{report.rejected} rejected, {report.duplicates} repeated inputs skipped in {report.seconds:.1f} s"
               + (f"; {report.near_copies} near-copy pairs" if report.near_copies is not None else "")
               + (f"; {report.statements} statements, {report.stories} stories"
                  if report.stories is not None else ""))
    for r in report.rejections[:20]:
        click.echo(f"  rejected {r['source']}: {r['reason']} [{r['code']}]")
    if len(report.rejections) > 20:
        click.echo(f"  ... and {len(report.rejections) - 20} more (in {out}/rejected)")
    if import_db:
        _import(out, import_db)


@cli.command("import")
@click.argument("out")
@DB
def import_(out: str, db: str) -> None:
    """Load the Parquet output of `narrascope run` into the store (only what is new).

    \b
    Example:
      narrascope import out/run --db story.duckdb
    """
    _import(out, db)


def _import(out: str, db: str) -> None:
    from .run import import_output

    try:
        rep = import_output(out, db)
    except NarrascopeError as e:
        raise click.ClickException(str(e))
    click.echo(f"imported {rep.articles} new articles into {db} ({rep.unchanged} already there) in {rep.seconds:.1f} s"
               + ("; cross-article views rebuilt" if rep.linked else ""))


def _store(db: str) -> Store:
    """The store, opened to write (which migrates an old one); read-only while another process reads it."""
    try:
        return Store(db)
    except StoreLocked:
        try:
            return Store(db, read_only=True)
        except NarrascopeError as e:
            raise click.ClickException(str(e))
    except NarrascopeError as e:
        raise click.ClickException(str(e))


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
