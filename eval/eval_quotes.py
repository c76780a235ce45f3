"""Held-out check of quote extraction and speaker attribution.

Each line of ``quote_cases.jsonl`` is ``{"id", "pattern", "text", "published",
"quotes": [{"text_prefix", "speaker", "said_on"?}]}``, written before the
extractor was tuned (batch 1, 47 cases; batch 2, 25 cases written and run once
after the extractor had been tuned on batch 1's errors and on the seed articles). ``speaker`` is the canonical (most complete) name of the
speaker in that text, or null when the text does not name one (anonymous
sources, groups, documents, scare quotes). Gold lists every quotation in the
text except titles ("a book titled ..."), which are not quotes.

Other case files, same format (``--cases FILE``): ``quote_cases_heldout.jsonl`` (68 cases,
scored before and once after the attribution changes of the third round),
``quote_cases_heldout2.jsonl`` (46 cases written after those changes and scored once), and
``quote_cases_dev.jsonl`` (the development cases of that round). Texts may use curly marks.

A predicted quote matches a gold quote when its text starts with the gold
prefix (or is a prefix of it). It is *correct* when it matches and its speaker
equals the gold speaker (case-insensitive; null gold means the prediction must
be null).

    precision = correct predictions / all predicted quotes
    recall    = gold quotes with a correct prediction / all gold quotes

The same two numbers are also given for named speakers only (gold speaker not
null / predicted speaker not null), and the accuracy of ``said_on`` where the
gold gives it. Throughput is articles per second for entities + quotes + dates
on these cases after the model is loaded (and, with ``--seeds DIR``, on longer
real articles).

    .venv/bin/python eval/eval_quotes.py [-v] [--seeds ../shared/seeds] [--min-p 0.9 --min-r 0.85]
    .venv/bin/python eval/eval_quotes.py --lang ru --cases eval/ru_quote_cases.jsonl

``ru_quote_cases.jsonl`` (57 Russian cases, 64 quotes) and ``quote_cases_blind3.jsonl`` (48 English
articles, 367 quotes, each quote tagged with its hard kind) were written blind to the code; the
first was scored once after the Russian reader was built, the second once before and once after the
speaker-resolution step (docs/quotes.md). ``ru_quote_cases_4.jsonl`` (45 Russian articles, 163 quotes)
was also scored once before and once after that step. ``quote_cases_dev18.jsonl`` (40 English articles,
388 quotes) and ``ru_quote_cases_dev5.jsonl`` (40 Russian articles, 199 quotes) are the development
cases of that step. Gold quotes tagged with a ``kind`` give recall by kind. Any prediction whose speaker
is a dateline place or a wire credit of its text is counted ("dateline or wire credit given as a
speaker").
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from narrascope.extract import entities as E
from narrascope.extract.quotes import extract_quotes

CASES = Path(__file__).with_name("quote_cases.jsonl")


def _norm(s: str | None) -> str | None:
    if s is None:
        return None
    s = " ".join(s.split()).casefold()
    return s[4:] if s.startswith("the ") else s


def same_speaker(pred: str | None, gold: str | None) -> bool:
    """The same speaker: equal names, or (for gold written in another script or case) the same
    canonical entity ("Дмитрий Песков" = "Dmitry Peskov") by the alias file and transliteration."""
    if _norm(pred) == _norm(gold):
        return True
    if pred is None or gold is None:
        return False
    canon = E.alias_canonical(gold)
    if canon and _norm(canon[0]) == _norm(pred):
        return True
    if len(gold.split()) >= 2 and len(pred.split()) >= 2:
        return E.names_compatible(gold, pred)
    return E.name_key(gold) == E.name_key(pred)


def _matches(pred_text: str, prefix: str) -> bool:
    p, g = " ".join(pred_text.split()), " ".join(prefix.split())
    return p.startswith(g) or (len(p) >= 4 and g.startswith(p))


WIRE_CREDITS = {"ap", "associated press", "reuters", "afp", "agence france-presse", "cnn", "bbc", "nbc",
                "cbs", "abc", "fox news", "bloomberg", "upi", "dpa", "tass", "ria novosti", "interfax",
                "ria", "efe", "ansa", "kyodo", "xinhua", "cnbc", "msnbc", "pti", "ani", "npr"}
_DATELINE = re.compile(r"^\s*([A-ZА-ЯЁ][A-ZА-ЯЁ .,'’-]{1,60}?)\s*(?:\(([^)]{1,40})\))?\s*[—–-]{1,2}\s", re.M)


def credit_strings(text: str) -> set[str]:
    """The dateline places and wire or network credits of a text (never a quote's speaker)."""
    out = set(WIRE_CREDITS)
    for m in _DATELINE.finditer(text):
        for part in re.split(r"[,/]", m.group(1)):
            if part.strip():
                out.add(part.strip().casefold())
        if m.group(2):
            out.add(m.group(2).strip().casefold())
    return out


def run_case(case: dict, doc=None, lang: str = "en") -> list:
    if lang != "en":
        from narrascope.lang import pack
        reads = pack(lang)
        return reads.extract_quotes(case["text"], reads.article_entities(case["text"]), case.get("published"))
    doc = doc if doc is not None else E.parse(case["text"])
    ents = E.article_entities(doc)
    return extract_quotes(case["text"], ents, case.get("published"), doc=doc)


def judge(case: dict, preds: list) -> dict:
    gold = case["quotes"]
    used: set[int] = set()
    rows = []
    for q in preds:
        gi = next((i for i, g in enumerate(gold) if i not in used and _matches(q.text, g["text_prefix"])), None)
        if gi is not None:
            used.add(gi)
        g = gold[gi] if gi is not None else None
        ok = g is not None and same_speaker(q.speaker, g["speaker"])
        date_ok = None
        if g is not None and "said_on" in g:
            date_ok = q.said_on == g["said_on"]
        rows.append({"pred": q, "gold": g, "ok": ok, "date_ok": date_ok})
    missed = [g for i, g in enumerate(gold) if i not in used]
    return {"rows": rows, "missed": missed}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", "--verbose", action="store_true", help="print every wrong or missed quote")
    ap.add_argument("--cases", type=Path, default=CASES)
    ap.add_argument("--seeds", type=Path, default=None, help="also time the pipeline on the .txt files here")
    ap.add_argument("--batch", type=int, default=None, help="only the cases of this batch")
    ap.add_argument("--min-p", type=float, default=0.0)
    ap.add_argument("--min-r", type=float, default=0.0)
    ap.add_argument("--lang", default="en", help="the language pack to score (en, ru)")
    args = ap.parse_args(argv)

    cases = [json.loads(line) for line in args.cases.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.batch is not None:
        cases = [c for c in cases if c.get("batch", 1) == args.batch]
    t0 = time.perf_counter()
    E.load_nlp()
    load_s = time.perf_counter() - t0

    run_case({"text": "Warm-up: \"fine,\" Ana Costa said on Monday.", "published": "2020-01-01"})
    t0 = time.perf_counter()
    results = []
    for k in range(0, len(cases), 16):                  # parse in batches with nlp.pipe
        chunk = cases[k:k + 16]
        if args.lang != "en":
            results += [judge(c, run_case(c, lang=args.lang)) for c in chunk]
            continue
        docs = E.parse_many([c["text"] for c in chunk])
        results += [judge(c, run_case(c, d)) for c, d in zip(chunk, docs)]
    elapsed = time.perf_counter() - t0

    n_pred = n_correct = n_gold = n_gold_ok = 0
    np_named = nc_named = ng_named = ngo_named = 0
    dates = dates_ok = 0
    by_pattern: dict[str, list[int]] = {}
    by_kind: dict[str, list[int]] = {}
    credit_speakers = 0
    for case, res in zip(cases, results):
        credits = credit_strings(case["text"])
        credit_speakers += sum(1 for r in res["rows"] if r["pred"].speaker
                               and r["pred"].speaker.strip().casefold() in credits)
        for r in res["rows"]:
            if r["gold"] is not None and "kind" in r["gold"]:
                by_kind.setdefault(r["gold"]["kind"], [0, 0])[0] += r["ok"]
        for g in case["quotes"]:
            if "kind" in g:
                by_kind.setdefault(g["kind"], [0, 0])[1] += 1
        gold_ok = sum(1 for r in res["rows"] if r["ok"])
        n_pred += len(res["rows"])
        n_correct += gold_ok
        n_gold += len(case["quotes"])
        n_gold_ok += gold_ok
        for r in res["rows"]:
            if r["pred"].speaker is not None:
                np_named += 1
                nc_named += r["ok"]
            if r["gold"] is not None and r["gold"]["speaker"] is not None:
                ngo_named += r["ok"]
            if r["date_ok"] is not None:
                dates += 1
                dates_ok += r["date_ok"]
        ng_named += sum(1 for g in case["quotes"] if g["speaker"] is not None)
        dates += sum(1 for g in res["missed"] if "said_on" in g)
        stat = by_pattern.setdefault(case.get("pattern", "?"), [0, 0])
        stat[0] += gold_ok
        stat[1] += len(case["quotes"])
        if args.verbose:
            bad = [r for r in res["rows"] if not r["ok"]] + [{"missed": g} for g in res["missed"]]
            bad += [r for r in res["rows"] if r["ok"] and r["date_ok"] is False]
            for r in bad:
                if "missed" in r:
                    print(f"{case['id']} {case['pattern']}: MISSED {r['missed']['text_prefix']!r} "
                          f"(gold speaker {r['missed']['speaker']!r})")
                else:
                    q, g = r["pred"], r["gold"]
                    print(f"{case['id']} {case['pattern']}: {q.text[:50]!r} -> {q.speaker!r} "
                          f"[{q.kind}, {q.how}, said_on {q.said_on}] gold "
                          f"{(g or {}).get('speaker', 'NOT A GOLD QUOTE')!r} {(g or {}).get('said_on', '')}")

    p = n_correct / n_pred if n_pred else 0.0
    r = n_gold_ok / n_gold if n_gold else 0.0
    pn = nc_named / np_named if np_named else 0.0
    rn = ngo_named / ng_named if ng_named else 0.0
    print(f"cases: {len(cases)}  gold quotes: {n_gold}  predicted: {n_pred}  patterns: {len(by_pattern)}")
    print(f"speaker attribution  precision {p:.3f}  recall {r:.3f}")
    print(f"named speakers only  precision {pn:.3f}  recall {rn:.3f}  ({ng_named} gold with a name)")
    if by_kind:
        print("recall by kind (found and right speaker): " + ", ".join(
            f"{k} {ok}/{n} = {ok / n:.3f}" for k, (ok, n) in sorted(by_kind.items())))
    print(f"dateline or wire credit given as a speaker: {credit_speakers}")
    if dates:
        print(f"said_on accuracy     {dates_ok}/{dates} = {dates_ok / dates:.3f}")
    print(f"model load {load_s:.2f} s; throughput {len(cases) / elapsed:.1f} articles/s "
          f"({sum(len(c['text'].split()) for c in cases) / elapsed:.0f} words/s) on the cases")
    if args.seeds and args.seeds.is_dir():
        texts = [f.read_text(encoding="utf-8") for f in sorted(args.seeds.glob("*.txt"))]
        t0 = time.perf_counter()
        for t, d in zip(texts, E.parse_many(texts)):
            extract_quotes(t, E.article_entities(d), None, doc=d)
        el = time.perf_counter() - t0
        print(f"seeds: {len(texts)} raw files, {len(texts) / el:.1f} articles/s "
              f"({sum(len(t.split()) for t in texts) / el:.0f} words/s)")
    return 0 if p >= args.min_p and r >= args.min_r else 1


if __name__ == "__main__":
    sys.exit(main())
