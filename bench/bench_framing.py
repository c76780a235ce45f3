"""Framing model load time and throughput on the SemEval training bodies.

    .venv/bin/python bench/bench_framing.py [--data ../shared/semeval2025]
"""
from __future__ import annotations

import argparse
import time

ap = argparse.ArgumentParser()
ap.add_argument("--data", default="../shared/semeval2025")
args = ap.parse_args()

t = time.time()
from narrascope.framing import analyse, get_model  # noqa: E402
from narrascope.framing.dataset import load_dataset  # noqa: E402

get_model()
load = time.time() - t
docs = load_dataset(args.data).documents
t = time.time()
for d in docs:
    analyse(d.text, [])
el = time.time() - t
print(f"import + model load {load:.2f} s; {len(docs)} articles in {el:.1f} s = {len(docs) / el:.1f} articles/s "
      "(narratives + loaded language; no entities given, so no roles)")
