"""Framing: the narratives an article carries, the roles it casts entities in, its loaded language.

``analyse(text, entities)`` returns the three extractions; the default model
(``data/framing``, built by ``train/train_framing.py``) is loaded once per process.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from .io import DEFAULT_DIR, load
from .loaded import loaded_language

MODEL_ENV = "NARRASCOPE_FRAMING_MODEL"


@lru_cache(maxsize=4)
def _model(folder: str):
    return load(folder)


def model_dir() -> Path:
    return Path(os.environ.get(MODEL_ENV) or DEFAULT_DIR)


def get_model():
    """``(narratives, roles, taxonomy, about)`` of the configured model, loaded once."""
    return _model(str(model_dir()))


def analyse(text: str, entities: list[dict] | None = None) -> dict[str, list[dict]]:
    """``{"narratives": [...], "roles": [...], "loaded_language": [...]}`` for one article body."""
    narr, roles, _, _ = get_model()
    entities = entities or []
    mentions = [(m["start"], m["end"]) for e in entities for m in e.get("mentions", [])]
    return {
        "narratives": narr.analyse(text) if text.strip() else [],
        "roles": roles.analyse(text, entities) if roles is not None and text.strip() else [],
        "loaded_language": loaded_language(text, mentions),
    }


__all__ = ["analyse", "get_model", "loaded_language", "model_dir", "MODEL_ENV"]
