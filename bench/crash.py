"""Kill `narrascope ingest` with SIGKILL again and again; count the kills survived and what was lost.

    .venv/bin/python bench/crash.py                # 30 kills at random moments
    .venv/bin/python bench/crash.py --kills 100 --seed 7

A folder of generated articles (tests/newsgen.py) is ingested by the real CLI,
killed after a random delay, checked (tests/crashkit.py: the store opens, every
article whole or absent, no duplicate row), and ingested again; when a run
finishes before its kill, more articles are added so there is work left to
interrupt. Then one run goes to the end, and a clean run over the same folder
in another store is the reference: the two must hold the same articles with
the same text, fields, flags and extractions, and every view must be current.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import duckdb  # noqa: E402

import crashkit as K  # noqa: E402
from narrascope.ingest import iter_inputs  # noqa: E402
from newsgen import write_articles  # noqa: E402

COMPARED = ("_local_entities", "_claims", "narratives", "loaded_language")


def article_rows(db: Path) -> dict[str, dict]:
    """Per article: what the stages made of it (not what the cross-article views added)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for aid, text, ext in con.execute("SELECT id, text, extractions FROM articles").fetchall():
            e = json.loads(ext)
            out[aid] = {"text": text, **{k: e.get(k) for k in COMPARED},
                        "quotes": [(q["text"], q["start"], q["end"]) for q in e.get("quotes") or []]}
        for aid, name, value, origin, start, end in con.execute(
                "SELECT article_id, name, value, origin, start_offset, end_offset FROM fields "
                "WHERE origin <> 'inferred' ORDER BY article_id, name").fetchall():
            out[aid].setdefault("fields", []).append((name, value, origin, start, end))
        for aid, code, detail in con.execute("SELECT article_id, code, detail FROM flags ORDER BY article_id, seq").fetchall():
            out[aid].setdefault("flags", []).append((code, detail))
        return out
    finally:
        con.close()


def phase(before: dict, after: dict, expected: int) -> str:
    missing_before = expected - before["articles"]
    if after["articles"] > before["articles"]:
        return "while storing articles" if after["articles"] < expected else "after the last article (rebuilding views)"
    if missing_before:
        return "before the first new article (start-up, models loading)"
    if before["stale"]:
        return "while rebuilding the cross-article views"
    return "start-up with nothing to do"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kills", type=int, default=30)
    ap.add_argument("--articles", type=int, default=24, help="articles to start with")
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else int(time.time()) % 10**6
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder, db, log = Path(tmp) / "in", Path(tmp) / "store.duckdb", Path(tmp) / "ingest.log"
        n = args.articles
        write_articles(folder, n)
        horizon, kills, finished, phases = 12.0, 0, 0, {}
        t_start = time.perf_counter()
        before = K.check_store(db, set())
        while kills < args.kills:
            expected = {x.content_hash for x in iter_inputs([str(folder)])}
            delay = rng.uniform(0.3, horizon) if rng.random() < 0.3 else rng.uniform(0.45 * horizon, 1.1 * horizon)
            t0 = time.monotonic()
            outcome = K.kill_after(K.start_cli(folder, db, log), delay)
            after = K.check_store(db, expected)
            if outcome == "killed":
                kills += 1
                horizon *= 1.08  # runs slow down on a busy machine: let one finish now and then
                p = phase(before, after, len(expected))
                phases[p] = phases.get(p, 0) + 1
            else:
                finished += 1
                horizon = max(1.0, time.monotonic() - t0)
                write_articles(folder, 12, start=n)
                n += 12
            before = after
            print(f"\r{kills} kills, {finished} runs finished first, {after['articles']}/{len(expected)} stored",
                  end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        stored_before = K.check_store(db, set(expected))["articles"]
        assert K.kill_after(K.start_cli(folder, db, log), 1800) == "finished"
        final = K.check_store(db, {x.content_hash for x in iter_inputs([str(folder)])})
        K.check_views(db)
        ref_db = Path(tmp) / "clean.duckdb"
        assert K.kill_after(K.start_cli(folder, ref_db, log), 1800) == "finished"
        got, ref = article_rows(db), article_rows(ref_db)
        lost = sorted(set(ref) - set(got))
        extra = sorted(set(got) - set(ref))
        differ = sorted(a for a in set(ref) & set(got) if ref[a] != got[a])
        runs = final["runs"]
        seconds = time.perf_counter() - t_start
    print(f"seed {seed}: {kills} SIGKILLs survived ({finished} runs finished before their kill), "
          f"{n} articles, {seconds:.0f} s")
    for p, c in sorted(phases.items(), key=lambda x: -x[1]):
        print(f"  {c:>4}  killed {p}")
    print(f"final run: stored {runs[-1][2]} missing articles, found {runs[-1][4]} already stored "
          f"({stored_before} before it); views stale afterwards: {final['stale'] or 'none'}")
    print(f"runs: {len(runs)} ({sum(r[1] == 'crashed' for r in runs)} closed as crashed); "
          f"articles counted as ingested over all runs: {sum(r[2] for r in runs)} (of {n})")
    print(f"against a clean run: lost {len(lost)}, extra {len(extra)}, duplicated 0 (primary keys checked), "
          f"differing {len(differ)}")
    ok = not lost and not extra and not differ and sum(r[2] for r in runs) == n and not final["stale"]
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
