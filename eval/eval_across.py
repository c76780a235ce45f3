"""Claims and stories on text nobody tuned on: ``eval/claim_cases.jsonl`` and ``eval/story_cases.jsonl``.

Both sets were written in-house, blind to the code. Prints:

* claims: how many sentences yield a claim; stance accuracy on those; pairwise
  precision/recall/F1 of grouping the same claim across sentences;
* stories: pairwise precision/recall/F1 of the story ids the real pipeline
  gives (ingest → refresh) against the written story labels.

    python eval/eval_across.py [claims|stories] [--split even|odd|all]
"""
from __future__ import annotations

import itertools
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent


def pairwise(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    ids = sorted(set(pred) & set(gold))
    tp = fp = fn = 0
    for a, b in itertools.combinations(ids, 2):
        p, g = pred[a] == pred[b], gold[a] == gold[b]
        tp += p and g
        fp += p and not g
        fn += g and not p
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def _keep(label: str, split: str) -> bool:
    n = int("".join(ch for ch in label if ch.isdigit()) or 0)
    return split == "all" or (n % 2 == 0) == (split == "even")


def claims(split: str) -> None:
    from narrascope.extract.claims import extract_claims
    from narrascope.extract.events import extract_events
    from narrascope.link.claims import group_claims
    from narrascope.link.embed import encode

    cases = [json.loads(line) for line in open(HERE / "claim_cases.jsonl", encoding="utf-8")]
    cases = [c for c in cases if _keep(c["group"], split)]
    found, right, items, gold = 0, 0, [], {}
    confusion: dict[tuple[str, str], int] = {}
    for c in cases:
        events = [e.as_dict() for e in extract_events(c["text"], None, None)]
        cl = extract_claims(c["text"], events)
        if not cl:
            continue
        found += 1
        best = next((x for x in cl if x.kind == "causal"), cl[0])
        right += best.stance == c["stance"]
        confusion[(c["stance"], best.stance)] = confusion.get((c["stance"], best.stance), 0) + 1
        items.append((c["id"], 0, best.as_dict()))
        gold[c["id"]] = c["group"]
    groups = group_claims(items, encode)
    pred = {aid: g.claim_id for g in groups for aid, _ in g.members}
    p, r, f = pairwise(pred, gold)
    print(f"claims ({split}): {len(cases)} sentences, {found} yield a claim ({found / len(cases):.2f})")
    print(f"  stance accuracy on those: {right / max(found, 1):.3f}   confusion (gold, got): "
          + ", ".join(f"{g}->{x} {n}" for (g, x), n in sorted(confusion.items())))
    print(f"  same-claim grouping, pairwise: precision {p:.3f} recall {r:.3f} F1 {f:.3f}")


def stories(split: str) -> None:
    from narrascope import api
    from narrascope.store import Store

    cases = [json.loads(line) for line in open(HERE / "story_cases.jsonl", encoding="utf-8")]
    cases = [c for c in cases if _keep(c["story"], split)]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "stories.jsonl"
        with open(src, "w", encoding="utf-8") as f:
            for c in cases:
                f.write(json.dumps({"url": f"https://eval.example/{c['id']}", "title": c["title"],
                                    "publisher": c["outlet"], "published": c["published"], "text": c["text"]}) + "\n")
        db = str(Path(tmp) / "s.duckdb")
        api.ingest([str(src)], db)
        with Store(db) as store:
            docs = list(store.iter_extraction_docs(("story_id",)))
            urls = dict(store._x("SELECT id, url FROM articles").fetchall())
    pred = {urls[d["id"]].rsplit("/", 1)[1]: d["extractions"].get("story_id") for d in docs}
    gold = {c["id"]: c["story"] for c in cases}
    p, r, f = pairwise(pred, gold)
    print(f"stories ({split}): {len(cases)} articles in {len(set(gold.values()))} stories -> "
          f"{len(set(pred.values()))} predicted; pairwise precision {p:.3f} recall {r:.3f} F1 {f:.3f}")


if __name__ == "__main__":
    args = sys.argv[1:]
    split = args[args.index("--split") + 1] if "--split" in args else "all"
    what = [a for a in args if a in ("claims", "stories")] or ["claims", "stories"]
    for w in what:
        {"claims": claims, "stories": stories}[w](split)
