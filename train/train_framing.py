"""Train the framing model from data in the SemEval-2025 Task 10 format.

    python train/train_framing.py [--data ../shared/semeval2025] [--out src/narrascope/data/framing]

The folder needs ``*-documents/`` and the narratives file; the entity-roles file
and ``taxonomy.json`` are used when present (``--taxonomy`` otherwise), and the
label definitions (``narrative-definitions.csv``, ``subnarrative-definitions.csv``)
are written beside the model for the language-model backend's prompt.
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "semeval2025"))
    ap.add_argument("--taxonomy", default=None, help="taxonomy.json when the data folder has none")
    ap.add_argument("--out", default=str(io.DEFAULT_DIR))
    ap.add_argument("--C", type=float, default=Settings.C)
    ap.add_argument("--role-C", type=float, default=Settings.role_C)
    ap.add_argument("--max-features", type=int, default=Settings.max_features)
    args = ap.parse_args(argv)

    t0 = time.time()
    ds = load_dataset(args.data)
    tax = Taxonomy.load(args.taxonomy) if args.taxonomy else ds.taxonomy
    if tax is None:
        ap.error(f"{args.data} has no taxonomy.json; pass --taxonomy")
    docs = ds.labelled
    s = Settings(C=args.C, role_C=args.role_C, max_features=args.max_features)
    narr, roles = train_all(ds.documents, tax, s)
    digest = hashlib.sha256("".join(d.id + d.text for d in docs).encode()).hexdigest()[:16]
    about = {"data": Path(args.data).name, "documents": len(docs), "data_sha256_16": digest,
             "role_mentions": sum(len(d.roles) for d in ds.documents), "settings": s.__dict__}
    io.save(args.out, narr, roles, tax, about)
    definitions = read_definitions(args.data, tax)
    if definitions:
        io.save_definitions(args.out, definitions)
    size = sum(p.stat().st_size for p in Path(args.out).iterdir())
    print(f"trained on {len(docs)} documents in {time.time() - t0:.0f} s; decision {narr.decision.as_dict()}; "
          f"roles {roles.decision.as_dict() if roles else None}; {size / 1e6:.2f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
