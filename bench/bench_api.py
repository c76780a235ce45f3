"""API latency over a 100,000-article store: the story and search endpoints, loaded from a second process.

    python bench/bench_api.py [--n 100000] [--seconds 20] [--connections 8] [--store out/bench_api.duckdb]

1. Store: the seed articles (../shared/seeds, else the fixture articles) go through the
   full pipeline once; their rows are then multiplied in SQL, in bulk, into N
   articles with their own ids, outlets (200), dates (over four years) and a
   line of their own at the end of the text, keeping every extraction. Each
   group of five copies is one story (N/5 stories). Article text is read at run
   time; nothing of it is kept in the repository.
2. Server: `narrascope serve` (read-only, rate limit off) on a free loopback port.
3. Load: `wrk` (Debian package) in its own process, a fixed number of
   connections for a fixed time per scenario, with a Lua script that draws a
   path per request from a list and reports p50/p95/p99 and the error count
   (non-2xx responses, socket errors and timeouts). Without wrk, a bounded
   asyncio client in a separate process does the same.

Scenarios: search (full-text queries, some with outlet or date filters), story
(a random story out of all of them: mostly first views) and story-hot (10
stories viewed again and again: the server keeps a story's view until the
store changes).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = ROOT / "tests" / "fixtures" / "outlets"

HOT = 10   # stories viewed again and again in the story-hot scenario (viewed once before it starts)
QUERIES = ["nato ukraine", "stoltenberg", '"door to nato"', "bucharest summit", "membership", "russia invasion",
           "finland sweden", "peskov", "alliance promise 2008", "hegseth", "kremlin red line", "ukraine", "war",
           "secretary general", "zelensky", "weapons aid", "nato door open", "moscow"]
FILTERS = ["", "", "", "&outlet=Outlet%20{o}", "&from={y}", "&from={y}-03&to={y}-09"]

LUA = r"""
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
math.randomseed(%(seed)d)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%.3f %%.3f %%.3f %%.3f\n",
    summary.requests, e.status, e.connect, e.read + e.write, e.timeout, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


# ------------------------------------------------------------ the store
def build_store(path: str, n: int) -> dict:
    """Seeds through the pipeline once, then multiplied in SQL to ``n`` articles."""
    import duckdb

    from narrascope.api import ingest
    from narrascope.store import Store

    t0 = time.perf_counter()
    src = SEEDS if SEEDS.exists() else FIXTURES
    tmp = tempfile.mkdtemp(prefix="bench_api_")
    seed_db = os.path.join(tmp, "seed.duckdb")
    ingest([str(src)], seed_db)
    t_seed = time.perf_counter() - t0
    for p in (path, path + ".wal"):
        if os.path.exists(p):
            os.remove(p)
    Store(path).close()                                   # the schema, by the store's own migrations
    con = duckdb.connect(path)
    con.execute(f"ATTACH '{seed_db}' AS seed (READ_ONLY)")
    con.execute("CREATE TEMP TABLE seq AS SELECT range AS i, range % (SELECT count(*) FROM seed.articles) AS k "
                f"FROM range({int(n)})")
    con.execute("CREATE TEMP TABLE src AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, * FROM seed.articles")
    con.execute("""CREATE TEMP TABLE gen AS SELECT s.i, substr(md5('bench' || s.i), 1, 16) AS id,
                   'Outlet ' || (s.i * 7919 % 200) AS outlet,
                   strftime(DATE '2021-01-01' + CAST(s.i * 37 % 1460 AS INTEGER), '%Y-%m-%d') AS day,
                   'B' || lpad(CAST(s.i // 5 AS VARCHAR), 7, '0') AS story, src.id AS seed_id,
                   src.* EXCLUDE (id, k)
                   FROM seq s JOIN src USING (k)""")
    con.execute("BEGIN")
    con.execute("INSERT INTO raw_inputs SELECT * FROM seed.raw_inputs")
    con.execute("""INSERT INTO articles SELECT id, raw_hash, 'bench/' || i, 1, 'bench/' || i, NULL, title, dek, authors,
                   outlet, day, republished_from, language,
                   text || chr(10) || chr(10) || 'Dispatch ' || i || ' from ' || outlet || '.',
                   offsets, text_length, removed,
                   json_merge_patch(coalesce(extractions, '{}'), json_object('story_id', story)),
                   TIMESTAMP '2025-01-01' + INTERVAL (i) SECOND, 1 FROM gen""")
    con.execute("""INSERT INTO fields SELECT g.id, f.seq, f.name,
                   CASE f.name WHEN 'publisher' THEN to_json(g.outlet) WHEN 'published' THEN to_json(g.day) ELSE f.value END,
                   f.origin, f.start_offset, f.end_offset, f.line, f.evidence
                   FROM gen g JOIN seed.fields f ON f.article_id = g.seed_id
                   WHERE f.origin <> 'inferred' OR f.name <> 'published'""")
    con.execute("""INSERT INTO fields SELECT g.id, 100, 'publisher', to_json(g.outlet), 'derived', NULL, NULL, NULL, NULL
                   FROM gen g WHERE NOT EXISTS (SELECT 1 FROM seed.fields f WHERE f.article_id = g.seed_id
                                                AND f.name = 'publisher')""")
    con.execute("""INSERT INTO fields SELECT g.id, 101, 'published', to_json(g.day), 'derived', NULL, NULL, NULL, NULL
                   FROM gen g WHERE NOT EXISTS (SELECT 1 FROM seed.fields f WHERE f.article_id = g.seed_id
                                                AND f.name = 'published' AND f.origin <> 'inferred')""")
    con.execute("INSERT INTO article_sources SELECT id, 'bench/' || i, 1, TIMESTAMP '2025-01-01' FROM gen")
    has_stories = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'stories' "
                              "AND database_name = current_database()").fetchone()[0]
    if has_stories:
        con.execute("""INSERT INTO stories SELECT story, any_value(title), min(id), min(day), max(day), count(*)
                       FROM gen GROUP BY story""")
        con.execute("INSERT INTO story_members SELECT id, story, 1.0, NULL FROM gen")
    con.execute("INSERT INTO ingest_runs (started_at, finished_at, status, paths, ingested) "
                f"VALUES (now(), now(), 'finished', '[\"bench\"]', {int(n)})")
    con.execute("COMMIT")
    con.execute("CHECKPOINT")
    stories = [r[0] for r in con.execute("SELECT DISTINCT story FROM gen ORDER BY story").fetchall()] if has_stories else []
    outlets = con.execute("SELECT count(DISTINCT outlet) FROM gen").fetchone()[0]
    con.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return {"articles": n, "stories": len(stories), "outlets": outlets, "seed_seconds": round(t_seed, 1),
            "build_seconds": round(time.perf_counter() - t0, 1), "story_ids": stories,
            "mb": round(os.path.getsize(path) / 2**20, 1)}


# ------------------------------------------------------------ the server
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int) -> subprocess.Popen:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    proc = subprocess.Popen([sys.executable, "-m", "narrascope.cli", "serve", "--db", db, "--port", str(port),
                             "--rate-limit", "0"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/api/runs", timeout=5).read()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("the server stopped: " + proc.stderr.read().decode(errors="replace"))
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start")


def timed_get(url: str) -> float:
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as r:
        r.read()
        assert r.status == 200
    return time.perf_counter() - t0


# ------------------------------------------------------------ load
def paths_for(scenario: str, stories: list[str], rng: random.Random, count: int = 2000) -> list[str]:
    if scenario == "search":
        out = []
        for _ in range(count):
            q = urllib.request.quote(rng.choice(QUERIES))
            f = rng.choice(FILTERS).format(o=rng.randrange(200), y=rng.choice([2021, 2022, 2023, 2024]))
            out.append(f"/api/search?q={q}{f}&limit=20")
        return out
    if scenario == "story":
        return [f"/api/stories/{rng.choice(stories)}" for _ in range(count)]
    if scenario == "story-hot":
        hot = sorted(stories)[:HOT]
        return [f"/api/stories/{rng.choice(hot)}" for _ in range(count)]
    raise ValueError(scenario)


def run_wrk(base: str, paths: list[str], seconds: int, connections: int, seed: int) -> dict:
    with tempfile.TemporaryDirectory() as d:
        plist = os.path.join(d, "paths.txt")
        Path(plist).write_text("\n".join(paths) + "\n")
        script = os.path.join(d, "load.lua")
        Path(script).write_text(LUA % {"paths": plist, "seed": seed})
        out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s",
                              "-s", script, base], capture_output=True, text=True, timeout=seconds + 120)
    line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError("wrk gave no result: " + out.stdout + out.stderr)
    req, status, conn, rw, timeout, dur_us, p50, p95, p99, mx = line.split()[1:]
    errors = int(status) + int(conn) + int(rw) + int(timeout)
    return {"tool": "wrk", "requests": int(req), "errors": errors, "seconds": int(dur_us) / 1e6,
            "rps": round(int(req) / (int(dur_us) / 1e6), 1), "p50_ms": float(p50), "p95_ms": float(p95),
            "p99_ms": float(p99), "max_ms": float(mx)}


def run_asyncio(base: str, paths: list[str], seconds: int, connections: int, seed: int) -> dict:
    """The fallback load tool, in its own process: the same bounded, closed-loop load."""
    code = r"""
import asyncio, json, random, sys, time
import httpx
base, paths, seconds, conns, seed = sys.argv[1], json.load(open(sys.argv[2])), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rng = random.Random(seed); lat = []; errors = 0
async def worker(client, stop):
    global errors
    while time.perf_counter() < stop:
        t0 = time.perf_counter()
        try:
            r = await client.get(base + rng.choice(paths))
            if r.status_code >= 300: errors += 1
        except Exception:
            errors += 1
        lat.append(time.perf_counter() - t0)
async def main():
    async with httpx.AsyncClient(timeout=30) as c:
        t0 = time.perf_counter(); stop = t0 + seconds
        await asyncio.gather(*(worker(c, stop) for _ in range(conns)))
        return time.perf_counter() - t0
dur = asyncio.run(main()); lat.sort()
q = lambda p: round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 3)
print(json.dumps({"tool": "asyncio+httpx", "requests": len(lat), "errors": errors, "seconds": dur,
                  "rps": round(len(lat) / dur, 1), "p50_ms": q(.5), "p95_ms": q(.95), "p99_ms": q(.99), "max_ms": q(1.0)}))
"""
    with tempfile.TemporaryDirectory() as d:
        plist = os.path.join(d, "paths.json")
        Path(plist).write_text(json.dumps(paths))
        out = subprocess.run([sys.executable, "-c", code, base, plist, str(seconds), str(connections), str(seed)],
                             capture_output=True, text=True, timeout=seconds + 120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seconds", type=int, default=20, help="load time per scenario")
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--store", default=str(ROOT / "out" / "bench_api.duckdb"))
    ap.add_argument("--reuse", action="store_true", help="use the store already at --store")
    ap.add_argument("--scenarios", default="search,story-hot,story")
    args = ap.parse_args()
    os.makedirs(os.path.dirname(args.store), exist_ok=True)
    if args.reuse and os.path.exists(args.store):
        import duckdb
        con = duckdb.connect(args.store, read_only=True)
        stories = [r[0] for r in con.execute("SELECT story_id FROM stories ORDER BY story_id").fetchall()]
        info = {"articles": con.execute("SELECT count(*) FROM articles").fetchone()[0], "stories": len(stories),
                "story_ids": stories}
        con.close()
    else:
        info = build_store(args.store, args.n)
    stories = info.pop("story_ids")
    print(f"store: {json.dumps(info)}", flush=True)
    port = free_port()
    t0 = time.perf_counter()
    proc = start_server(args.store, port)
    base = f"http://127.0.0.1:{port}"
    results = {"store": info, "server_start_s": round(time.perf_counter() - t0, 2)}
    try:
        results["index_build_s"] = round(timed_get(base + "/api/search?q=nato"), 2)   # the first search builds the index
        if stories:
            results["first_story_view_s"] = round(timed_get(f"{base}/api/stories/{stories[0]}"), 3)
        tool = run_wrk if shutil.which("wrk") else run_asyncio
        rng = random.Random(7)
        for scenario in args.scenarios.split(","):
            if scenario.startswith("story") and not stories:
                print(f"{scenario}: skipped (no stories in this store)")
                continue
            paths = paths_for(scenario, stories, rng)
            if scenario == "story-hot":
                results["hot_warmup_s"] = round(sum(timed_get(base + p) for p in sorted(set(paths))), 2)
            r = tool(base, paths, args.seconds, args.connections, rng.randrange(1 << 30))
            results[scenario] = r
            print(f"{scenario:<10} {r['tool']}: {r['requests']} requests in {r['seconds']:.1f} s ({r['rps']} req/s), "
                  f"errors {r['errors']} ({100 * r['errors'] / max(1, r['requests']):.2f}%), "
                  f"p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, "
                  f"max {r['max_ms']:.1f} ms", flush=True)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "api.json").write_text(json.dumps(results, indent=2))
    print(json.dumps({k: v for k, v in results.items() if k not in ("search", "story", "story-hot")}))


if __name__ == "__main__":
    main()
