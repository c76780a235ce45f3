"""Cost of an article by language: every stage (no store), English against Russian, in one run.

    .venv/bin/python bench/bench_languages.py

English: the seed articles (when ``../shared/seeds`` exists) and the English fixture pages of the
mixed corpus; Russian: the Russian fixture pages. Models are loaded before timing. Prints ms per
article and per 100 words for each language, the stage that costs most, and the ratio Russian /
English measured in the same run.
"""
from __future__ import annotations

import glob
import time
from collections import defaultdict
from pathlib import Path

from narrascope.ingest import iter_inputs
from narrascope.pipeline import DEFAULT_STAGES, check_order, process

ROOT = Path(__file__).resolve().parents[1]


def _inputs(paths: list[str]) -> list:
    return [r for r in iter_inputs(paths) if not hasattr(r, "code")]


def measure(paths: list[str]) -> dict:
    raws = _inputs(paths)
    stages = check_order(DEFAULT_STAGES)
    process(raws[0], timeout=None)                       # load every model first
    per_stage: dict[str, float] = defaultdict(float)
    words = 0
    t0 = time.perf_counter()
    for raw in raws:
        article = None
        for st in stages:
            s = time.perf_counter()
            article = process(raw, [st], timeout=None, article=article)
            per_stage[st.name] += time.perf_counter() - s
        words += len(article.text.split())
    total = time.perf_counter() - t0
    return {"n": len(raws), "ms": 1000 * total / len(raws), "ms_100w": 100_000 * total / max(words, 1),
            "top": max(per_stage, key=per_stage.get), "top_share": max(per_stage.values()) / total}


def main() -> None:
    en = sorted(glob.glob(str(ROOT.parent / "shared" / "seeds" / "*.txt"))) + \
        sorted(glob.glob(str(ROOT / "tests" / "fixtures" / "mixed" / "*_en.txt")))
    ru = sorted(glob.glob(str(ROOT / "tests" / "fixtures" / "ru" / "*.txt"))) + \
        sorted(glob.glob(str(ROOT / "tests" / "fixtures" / "mixed" / "*_ru.txt")))
    res = {"en": measure(en), "ru": measure(ru)}
    for code, r in res.items():
        print(f"{code}: {r['n']} articles, {r['ms']:.0f} ms/article, {r['ms_100w']:.0f} ms per 100 words; "
              f"costliest stage {r['top']} ({r['top_share']:.0%})")
    print(f"ratio ru/en: {res['ru']['ms'] / res['en']['ms']:.2f}x per article, "
          f"{res['ru']['ms_100w'] / res['en']['ms_100w']:.2f}x per 100 words")


if __name__ == "__main__":
    main()
