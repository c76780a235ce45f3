"""Statements and stories over a whole run output, in one process or as Spark shuffles.

statements  every quote keyed by its speaker; the quotes of one speaker are grouped by
            ``extract.statements.group_speaker`` (statements never span speakers, so a
            speaker is a shuffle key);
stories     each article's profile (lead embedding, happening day, entities, the statements
            it quotes), placed as ``link.stories.assign`` places it: in (day, id) order, into
            the story of its best earlier match, or of the article it copies. On Spark the
            best earlier match of every article is found at once — a self-join on days
            within the window, undated articles against all earlier ones — and each story
            is the first article of its chain of matches (pointer jumping).

Both ways give the same rows (a test holds them equal). The results go to
``OUT/statements`` and ``OUT/stories``, replaced on each run. Speakers and
entities here are each article's own ids: the store merges spellings across
articles when the output is imported, and recomputes both views then.
"""
from __future__ import annotations

import json
import os
import shutil
from datetime import date
from typing import Any, Iterable, Iterator, Sequence

from ..extract import names as N
from ..extract.statements import group_speaker, group_statements, speaker_key, statement_items
from ..link import stories as S
from ..link.across import _recent, cross_language_ids
from . import output as O

STATEMENT_COLUMNS = {"article_id": "string", "quote_index": "int", "statement_id": "string"}
STORY_COLUMNS = {"article_id": "string", "story_id": "string", "score": "double", "matched": "string",
                 "forced_by": "string"}
STORY_ENTITY_TYPES = ("PERSON", "ORG", "NORP", "EVENT")


# ---------------------------------------------------------------- reading the output
STAGES = ("quotes", "events", "entities")


def summary(aid: str, title: str | None, dek: str | None, text: str | None, published: str | None,
            extractions: dict[str, str | None], language: str | None = None) -> dict[str, Any]:
    """What the passes need of an article: its lead (not the text), date, language, quotes, events,
    entities."""
    d = {"id": aid, "title": title, "dek": dek, "published": published, "language": language,
         "lead": S.lead_text(title, dek, text or "")}
    for stage in STAGES:
        d[stage] = json.loads(extractions[stage]) if extractions.get(stage) else []
    for q in d["quotes"]:                 # speakers as the whole output knows them (Лыков = Lykov)
        if q.get("speaker"):
            q["speaker_id"] = entity_key({"name": q["speaker"], "type": "PERSON"})
    return d


def _docs(out: str) -> Iterator[dict[str, Any]]:
    """Each article of the output once, as ``summary`` gives it (read by DuckDB)."""
    import duckdb

    pick = ", ".join(f"max(CASE WHEN x.stage = '{st}' THEN x.data END)" for st in STAGES)
    ext = (f"SELECT id, stage, any_value(data) AS data FROM {O.dataset_sql(out, 'extractions')} "
           f"WHERE stage IN {STAGES!r} GROUP BY id, stage" if O.has_dataset(out, "extractions")
           else "SELECT NULL::VARCHAR AS id, NULL::VARCHAR AS stage, NULL::VARCHAR AS data WHERE false")
    con = duckdb.connect()
    try:
        cur = con.execute(f"""
            WITH a AS (SELECT DISTINCT ON (id) id, title, dek, text, published, language
                       FROM {O.dataset_sql(out, 'articles')}),
                 x AS ({ext})
            SELECT a.id, a.title, a.dek, a.text, a.published, a.language, {pick}
            FROM a LEFT JOIN x ON x.id = a.id GROUP BY ALL ORDER BY a.id""")
        while rows := cur.fetchmany(1000):
            for aid, title, dek, text, published, language, *data in rows:
                yield summary(aid, title, dek, text, published, dict(zip(STAGES, data)), language)
    finally:
        con.close()


# ---------------------------------------------------------------- statements
def statements_local(docs: Iterable[dict[str, Any]]) -> dict[tuple[str, int], str]:
    quotes, dates = {}, {}
    for d in docs:
        quotes[d["id"]], dates[d["id"]] = d["quotes"], d["published"]
    return group_statements(quotes, dates)


def _quote_rows(d: dict[str, Any]) -> Iterator[tuple[Any, tuple]]:
    for k, q in statement_items({d["id"]: d["quotes"]}):
        spk = speaker_key(q)
        yield (spk is None, spk or ""), (k, q, d["published"])     # a key Spark can sort when it spills


def _group_bucket(kv) -> list[tuple[tuple[str, int], str]]:
    (unattributed, spk), rows = kv
    spk = None if unattributed else spk
    rows = list(rows)
    return list(group_speaker(spk, [(k, q) for k, q, _ in rows], {k[0]: day for k, _, day in rows}).items())


def statements_spark(docs_rdd) -> dict[tuple[str, int], str]:
    """``docs_rdd``: the articles as ``_docs`` gives them. One shuffle: quotes by speaker."""
    return dict(docs_rdd.flatMap(_quote_rows).groupByKey().flatMap(_group_bucket).collect())


# ---------------------------------------------------------------- stories
def profile(d: dict[str, Any], vec, statements: dict[tuple[str, int], str]) -> S.Profile:
    """What a story is recognised by (as ``link.across`` builds it from the store)."""
    day = S.happening_day(d["published"], d["events"])
    ents = frozenset(entity_key(e) for e in d["entities"] if e.get("type") in STORY_ENTITY_TYPES)
    said = frozenset(statements[(d["id"], i)] for i, q in enumerate(d["quotes"])
                     if (d["id"], i) in statements and _recent(q.get("said_on"), day))
    return S.Profile(d["id"], vec, day, ents, said, d["title"], d.get("language"))


def _day_and_lang(d: dict[str, Any]) -> tuple[str, Any, str | None]:
    return d["id"], S.happening_day(d["published"], d["events"]), d.get("language")


def with_cross_vectors(items: Iterable[tuple[dict[str, Any], S.Profile]], need: set[str]) -> Iterator[S.Profile]:
    """The profiles, with the multilingual lead vector of those ``cross_language_ids`` picked (one
    batch per call: a whole partition on Spark)."""
    from ..lang import crosslingual as X

    items = list(items)
    todo = [(d, p) for d, p in items if p.article_id in need]
    if todo:
        for (d, p), v in zip(todo, X.encode([d["lead"] for d, _ in todo])):
            p.xvec = v
    for _, p in items:
        yield p


def entity_key(e: dict[str, Any]) -> str:
    """An entity (or a quote's speaker) as the whole output knows it without the store's merge: the
    curated canonical name when the alias file has one, else its name folded and transliterated
    (Амур = Amur, Лыков = Lykov), by type."""
    hit = N.alias_canonical(e.get("name") or "")
    name = hit[0] if hit else (e.get("name") or e.get("id") or "")
    return f"{N._type_group(e.get('type') or '')}:{N.fold(name)}"


def forced_from(copies: Iterable[Any]) -> dict[str, str]:
    """Article -> the article it copies (the first near-copy pair naming it), as ``link.across`` reads them."""
    forced: dict[str, str] = {}
    for p in copies:
        forced.setdefault(p.b, p.a)
        forced.setdefault(p.a, p.b)
    return forced


def _order(p: S.Profile) -> tuple[date, str]:
    return (p.day or date.max, p.article_id)


def stories_local(profiles: Iterable[S.Profile], forced: dict[str, str]) -> list[S.Assignment]:
    return S.assign(sorted(profiles, key=_order), [], forced)


def _need(p: S.Profile, q: S.Profile) -> float:
    if p.day and q.day:
        return S.JOIN
    return S.UNDATED_QUOTED if p.statements & q.statements else S.UNDATED_JOIN


def _match(pair) -> Iterator[tuple[int, tuple[float, int, str]]]:
    """(probe position, (score, -target position, target id)) when the target may take the probe in."""
    (pi, p), (qi, q) = pair
    if qi >= pi:
        return
    s = S.score(p, q)
    if s is not None and s >= _need(p, q):
        yield pi, (s, -qi, q.article_id)


def _probe_keys(item) -> Iterator[tuple[int, tuple[int, S.Profile]]]:
    i, p = item
    base = p.day.toordinal()
    for k in range(-S.WINDOW_DAYS, S.WINDOW_DAYS + 1):
        yield base + k, (i, p)


def stories_spark(profiles_rdd, forced: dict[str, str], sc) -> list[S.Assignment]:
    """The same assignments as ``stories_local``, with the best match of every article found in parallel."""
    placed = (profiles_rdd.keyBy(_order).sortByKey().values().zipWithIndex().map(lambda pi: (pi[1], pi[0]))
              .persist())
    dated = placed.filter(lambda ip: ip[1].day is not None)
    undated = placed.filter(lambda ip: ip[1].day is None)
    targets = dated.map(lambda ip: (ip[1].day.toordinal(), ip))
    near_pairs = dated.flatMap(_probe_keys).join(targets).values()        # |days apart| <= the window
    late_pairs = undated.cartesian(placed)                                 # undated: every earlier article
    best = dict(near_pairs.union(late_pairs).flatMap(_match).reduceByKey(max).collect())
    order = placed.map(lambda ip: (ip[0], ip[1].article_id)).collect()
    placed.unpersist()
    pos = {aid: i for i, aid in order}
    parent: dict[str, tuple[str, float | None, str | None]] = {}
    for i, aid in sorted(order):
        orig = forced.get(aid)
        if orig is not None and pos.get(orig, i) < i:
            parent[aid] = (orig, None, "copy")
        elif i in best:
            s, _neg, q = best[i]
            parent[aid] = (q, round(s, 3), None)
    roots = _roots({a: p[0] for a, p in parent.items()}, sc)
    out = []
    for _i, aid in sorted(order):
        if aid in parent:
            q, s, why = parent[aid]
            out.append(S.Assignment(aid, S.story_id(roots.get(aid, aid)), s, q, why))
        else:
            out.append(S.Assignment(aid, S.story_id(aid), None, None))
    return out


def _roots(parent: dict[str, str], sc) -> dict[str, str]:
    """Article -> the first article of its chain, by pointer jumping (each round halves the chains)."""
    links = sc.parallelize(list(parent.items()), max(1, min(64, len(parent) // 5000 + 1))).persist()
    while True:
        hop = links.map(lambda kv: (kv[1], kv[0])).leftOuterJoin(links) \
            .map(lambda kv: (kv[1][0], kv[1][1] if kv[1][1] is not None else kv[0])).persist()
        moved = hop.join(links).filter(lambda kv: kv[1][0] != kv[1][1]).count()
        links.unpersist()
        links = hop
        if not moved:
            break
    found = dict(links.collect())
    links.unpersist()
    return found


# ---------------------------------------------------------------- the passes, both ways
def with_vectors(docs: Iterable[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], Any]]:
    """(doc, its lead's embedding), each distinct lead embedded once (a whole partition on Spark)."""
    from ..link.embed import encode

    docs = list(docs)
    leads = list(dict.fromkeys(d["lead"] for d in docs))
    vecs = dict(zip(leads, encode(leads))) if leads else {}
    for d in docs:
        yield d, vecs[d["lead"]]


def across_local(out: str, copies: Sequence[Any]) -> tuple[dict[tuple[str, int], str], list[S.Assignment]]:
    if not O.has_dataset(out, "articles"):
        return {}, []
    docs = list(_docs(out))
    statements = statements_local(docs)
    need = cross_language_ids(_day_and_lang(d) for d in docs)
    profiles = list(with_cross_vectors(((d, profile(d, vec, statements)) for d, vec in with_vectors(docs)), need))
    return statements, stories_local(profiles, forced_from(copies))


def across_spark(out: str, copies: Sequence[Any], spark) -> tuple[dict[tuple[str, int], str], list[S.Assignment]]:
    if not O.has_dataset(out, "articles"):
        return {}, []
    docs = docs_spark(out, spark).persist()
    statements = statements_spark(docs)
    said = spark.sparkContext.broadcast(statements)
    need = spark.sparkContext.broadcast(cross_language_ids(docs.map(_day_and_lang).collect()))
    profiles = docs.mapPartitions(with_vectors).map(lambda dv: (dv[0], profile(dv[0], dv[1], said.value))) \
        .mapPartitions(lambda part: with_cross_vectors(part, need.value))
    assigned = stories_spark(profiles, forced_from(copies), spark.sparkContext)
    docs.unpersist()
    said.unpersist()
    need.unpersist()
    return statements, assigned


def docs_spark(out: str, spark):
    """The articles as ``_docs`` gives them, read and joined by Spark."""
    from pyspark.sql import functions as F

    arts = (spark.read.parquet(f"{out}/articles").select("id", "title", "dek", "text", "published", "language")
            .dropDuplicates(["id"]))
    if O.has_dataset(out, "extractions"):
        ext = (spark.read.option("basePath", f"{out}/extractions").parquet(f"{out}/extractions")
               .select("id", F.col("stage").cast("string").alias("stage"), "data")
               .where(F.col("stage").isin(*STAGES)).dropDuplicates(["id", "stage"]))
        for stage in STAGES:
            arts = arts.join(ext.where(F.col("stage") == stage).select("id", F.col("data").alias(stage)), "id", "left")
    else:
        for stage in STAGES:
            arts = arts.withColumn(stage, F.lit(None).cast("string"))
    return arts.rdd.map(lambda r: summary(r["id"], r["title"], r["dek"], r["text"], r["published"],
                                          {st: r[st] for st in STAGES}, r["language"]))


def write_across(out: str, statements: dict[tuple[str, int], str], assigned: Sequence[S.Assignment]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    for name, columns, rows in (
            ("statements", STATEMENT_COLUMNS,
             [{"article_id": a, "quote_index": i, "statement_id": sid} for (a, i), sid in sorted(statements.items())]),
            ("stories", STORY_COLUMNS,
             [{"article_id": x.article_id, "story_id": x.story_id, "score": x.score, "matched": x.matched,
               "forced_by": x.forced_by} for x in assigned])):
        root = os.path.join(out, name)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        types = {"string": pa.string(), "int": pa.int32(), "double": pa.float64()}
        schema = pa.schema([(k, types[t]) for k, t in columns.items()])
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), os.path.join(root, "part.parquet"))
