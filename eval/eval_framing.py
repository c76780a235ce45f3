"""Framing scores: cross-validation on task-format data, the packaged model on labelled folders.

    python eval/eval_framing.py [--folds 5] [--data ../shared/semeval2025] [--test DIR ...]

Same as ``narrascope eval framing``.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from narrascope.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.argv = [sys.argv[0], "eval", "framing", *sys.argv[1:]]
    main()
