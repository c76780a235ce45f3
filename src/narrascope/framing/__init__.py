"""Framing: the narratives an article carries, the roles it casts entities in, its loaded language.

``analyse(text, entities, language=None)`` returns the three extractions; the default model
(``data/framing``, built by ``train/train_framing.py``) is loaded once per process.

Languages: English has all three (the English narrative model, roles and loaded language;
``language=None`` means English, as before languages were told apart). Russian, Bulgarian,
Portuguese and Hindi get narratives from the multilingual model (``multilingual.py``) and no
roles or loaded language yet. Any other language gets nothing: an English word model would
only guess on it. ``SUPPORTED_LANGUAGES`` lists the languages narratives are produced for.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from .io import DEFAULT_DIR, load, load_multilingual
from .loaded import loaded_language
from .multilingual import MultilingualNarrativeModel

MODEL_ENV = "NARRASCOPE_FRAMING_MODEL"
SUPPORTED_LANGUAGES = frozenset({"en", "ru", "bg", "pt", "hi"})


@lru_cache(maxsize=4)
def _model(folder: str):
    return load(folder)


@lru_cache(maxsize=4)
def _multilingual(folder: str):
    return load_multilingual(folder)


def model_dir() -> Path:
    return Path(os.environ.get(MODEL_ENV) or DEFAULT_DIR)


def get_model():
    """``(narratives, roles, taxonomy, about)`` of the configured (English) model, loaded once."""
    return _model(str(model_dir()))


def get_multilingual():
    """``(model, languages it serves, about)`` of the configured multilingual model, or ``None``."""
    return _multilingual(str(model_dir()))


def normalise_language(language: str | None) -> str | None:
    """``"ru"`` for ``"ru"``, ``"RU"``, ``"ru-RU"``, ``"ru_RU"``; ``None`` stays ``None``."""
    if not language:
        return None
    return language.strip().replace("_", "-").split("-")[0].lower() or None


def narrative_model_for(language: str | None):
    """``(model, language)`` answering for ``language`` (``None`` is English), or ``(None, language)``."""
    lang = normalise_language(language) or "en"
    ml = get_multilingual()
    if ml is not None and lang in ml[1]:
        return ml[0], lang
    if lang == "en":
        return get_model()[0], lang
    return None, lang


def analyse(text: str, entities: list[dict] | None = None, language: str | None = None) -> dict[str, list[dict]]:
    """``{"narratives": [...], "roles": [...], "loaded_language": [...]}`` for one article body.

    ``language``: the body's ISO 639-1 code (``None``: English).
    """
    model, lang = narrative_model_for(language)
    has_text = bool(text.strip())
    narratives: list[dict] = []
    if model is not None and has_text:
        narratives = model.analyse(text, lang) if isinstance(model, MultilingualNarrativeModel) else model.analyse(text)
    if lang != "en":
        return {"narratives": narratives, "roles": [], "loaded_language": []}
    _, roles, _, _ = get_model()
    entities = entities or []
    mentions = [(m["start"], m["end"]) for e in entities for m in e.get("mentions", [])]
    return {
        "narratives": narratives,
        "roles": roles.analyse(text, entities) if roles is not None and has_text else [],
        "loaded_language": loaded_language(text, mentions),
    }


__all__ = ["analyse", "get_model", "get_multilingual", "loaded_language", "model_dir", "narrative_model_for",
           "normalise_language", "MODEL_ENV", "SUPPORTED_LANGUAGES"]
