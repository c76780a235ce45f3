"""The store's schema, as an ordered list of migrations.

Each migration is ``(version, name, sql)``. ``Store`` applies, in order and
each in its own transaction, every migration whose version is above the one
recorded in ``schema_migrations``; a file whose recorded version is above
``LATEST`` was written by a newer narrascope and is refused.

Never edit a migration that has shipped: add a new one with the next version.

Tables (migration 1):

``raw_inputs``      one row per distinct input document (content hash); the
                    decoded text is kept so raw offsets can be shown against it.
``articles``        one row per stored article version. ``doc_key`` (URL, else
                    source) groups the versions of one document; ``version``
                    counts from 1. Title, authors, publisher, ... are
                    denormalised copies of the field values, for listing.
                    ``offsets`` holds the OffsetMap runs (clean text -> raw
                    text), ``removed`` the dropped segments, ``extractions``
                    what later stages found.
``article_sources`` every place the same content was seen.
``fields``          every metadata field with its provenance; ``seq`` keeps
                    the order the fields were set in.
``flags``           every flag; ``seq`` keeps their order.
``ingest_runs``     one row per ingest run with its counts.
``ingest_errors``   every input a run rejected, with the reason.

Migration 2 adds ``timeline``: one row per happening (``event_id``) with its
date, a label and its sources across articles. It is derived data, rebuilt by
``narrascope.link.timeline.refresh_timeline``; inferred publication dates live
in ``fields`` with origin "inferred".

Migration 3 adds what links articles to each other, all derived data kept by
``narrascope.link.across`` (rebuilt or extended after each run):
``vectors`` caches sentence embeddings by a hash of model and text;
``signatures`` holds each article's MinHash signature; ``pairs`` the measured
relations between two articles (near-copies, rewritten copies) with their
evidence; ``stories`` and ``story_members`` the happenings articles report,
assigned online (a new article joins a story or starts one); ``claims`` the
check-worthy claims grouped across articles.

Migration 4 adds ``derived_state``: for each cross-article view
("timeline", "statements", "links") the fingerprint of the articles it was
last rebuilt over (their number and latest ingest time). A run killed
after storing articles, or during a rebuild, leaves a view whose fingerprint
differs from the store's, and the next run rebuilds it.
"""
from __future__ import annotations

SCHEMA_MIGRATIONS = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
)
"""

INITIAL = """
CREATE TABLE raw_inputs (
    hash      VARCHAR PRIMARY KEY,
    source    VARCHAR NOT NULL,
    container VARCHAR,
    format    VARCHAR,
    encoding  VARCHAR,
    size      BIGINT,
    text      VARCHAR,
    given     JSON
);

CREATE TABLE articles (
    id               VARCHAR PRIMARY KEY,
    raw_hash         VARCHAR NOT NULL,
    doc_key          VARCHAR NOT NULL,
    version          INTEGER NOT NULL,
    source           VARCHAR NOT NULL,
    url              VARCHAR,
    title            VARCHAR,
    dek              VARCHAR,
    authors          VARCHAR[],
    publisher        VARCHAR,
    published        VARCHAR,
    republished_from JSON,
    language         VARCHAR,
    text             VARCHAR,
    offsets          JSON,
    text_length      INTEGER,
    removed          JSON,
    extractions      JSON,
    ingested_at      TIMESTAMP NOT NULL,
    run_id           INTEGER,
    UNIQUE (doc_key, version)
);

CREATE TABLE article_sources (
    article_id VARCHAR NOT NULL,
    source     VARCHAR NOT NULL,
    run_id     INTEGER,
    seen_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (article_id, source)
);

CREATE TABLE fields (
    article_id   VARCHAR NOT NULL,
    seq          INTEGER NOT NULL,
    name         VARCHAR NOT NULL,
    value        JSON,
    origin       VARCHAR,
    start_offset INTEGER,
    end_offset   INTEGER,
    line         INTEGER,
    evidence     VARCHAR,
    PRIMARY KEY (article_id, name)
);

CREATE TABLE flags (
    article_id   VARCHAR NOT NULL,
    seq          INTEGER NOT NULL,
    code         VARCHAR NOT NULL,
    detail       VARCHAR,
    start_offset INTEGER,
    end_offset   INTEGER,
    reason       VARCHAR
);

CREATE SEQUENCE ingest_runs_id_seq START 1;

CREATE TABLE ingest_runs (
    id          INTEGER PRIMARY KEY DEFAULT nextval('ingest_runs_id_seq'),
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status      VARCHAR NOT NULL,
    paths       JSON,
    ingested    INTEGER DEFAULT 0,
    versions    INTEGER DEFAULT 0,
    unchanged   INTEGER DEFAULT 0,
    rejected    INTEGER DEFAULT 0
);

CREATE TABLE ingest_errors (
    run_id INTEGER,
    source VARCHAR,
    code   VARCHAR NOT NULL,
    reason VARCHAR,
    "at"   TIMESTAMP NOT NULL
);

CREATE INDEX articles_doc_key ON articles (doc_key);
CREATE INDEX flags_article ON flags (article_id);
"""

TIMELINE = """
CREATE TABLE timeline (
    event_id   VARCHAR PRIMARY KEY,
    date       VARCHAR NOT NULL,
    precision  VARCHAR NOT NULL,
    label      VARCHAR,
    n_sources  INTEGER NOT NULL,
    sources    JSON NOT NULL
);
CREATE INDEX timeline_date ON timeline (date);
"""

LINKS = """
CREATE TABLE vectors (
    key VARCHAR PRIMARY KEY,
    vec FLOAT[]  NOT NULL
);
CREATE TABLE signatures (
    article_id VARCHAR PRIMARY KEY,
    minhash    UBIGINT[] NOT NULL
);
CREATE TABLE pairs (
    a           VARCHAR NOT NULL,
    b           VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    jaccard     DOUBLE,
    containment DOUBLE,
    aligned     DOUBLE,
    origin      VARCHAR,
    evidence    JSON,
    PRIMARY KEY (a, b, kind)
);
CREATE TABLE stories (
    story_id   VARCHAR PRIMARY KEY,
    title      VARCHAR,
    anchor     VARCHAR,
    first_date VARCHAR,
    last_date  VARCHAR,
    n_articles INTEGER NOT NULL
);
CREATE TABLE story_members (
    article_id VARCHAR PRIMARY KEY,
    story_id   VARCHAR NOT NULL,
    score      DOUBLE,
    evidence   JSON
);
CREATE INDEX story_members_story ON story_members (story_id);
CREATE TABLE claims (
    claim_id   VARCHAR PRIMARY KEY,
    text       VARCHAR NOT NULL,
    kind       VARCHAR,
    n_articles INTEGER NOT NULL
);
"""

DERIVED_STATE = """
CREATE TABLE derived_state (
    name         VARCHAR PRIMARY KEY,
    fingerprint  VARCHAR NOT NULL,
    refreshed_at TIMESTAMP NOT NULL
);
"""

# (version, name, sql), in the order they are applied.
MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "initial schema: raw inputs, articles with fields, flags and sources, ingest runs", INITIAL),
    (2, "timeline: the same happening across articles, with its sources", TIMELINE),
    (3, "links: embedding cache, MinHash signatures, article pairs, stories, claims", LINKS),
    (4, "derived state: which articles each cross-article view was last rebuilt over", DERIVED_STATE),
]

LATEST: int = MIGRATIONS[-1][0]


def check(migrations: list[tuple[int, str, str]] = MIGRATIONS) -> None:
    """Versions must be 1, 2, 3, ... in order (a test guards this)."""
    versions = [v for v, _, _ in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migration versions must run 1..n in order, got {versions}")
