"""Russian: natasha for entities (lemmatised names), syntax for quote attribution, the
project's Russian date grammar, rule-based claims and loaded language.

The analysers are imported on first use (PEP 562), so that the cleaner can read this pack's
furniture lists without importing the analysers, which build on the shared extractors."""
from __future__ import annotations

from importlib import import_module
from typing import Any

CODE = "ru"
ANALYSES = frozenset({"events", "entities", "quotes", "claims", "narratives", "loaded_language"})

_WHERE = {"extract_claims": "claims", "find_temporal": "dates", "article_entities": "entities",
          "loaded_language": "loaded", "extract_quotes": "quotes", "content_words": "text",
          "participants_of": "text", "split_sentences": "text"}

__all__ = ["ANALYSES", "CODE", *_WHERE]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
