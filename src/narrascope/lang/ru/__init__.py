"""Russian: natasha for entities (lemmatised names), syntax for quote attribution, the
project's Russian date grammar, rule-based claims and loaded language."""
from __future__ import annotations

from .claims import extract_claims
from .dates import find_temporal
from .entities import article_entities
from .loaded import loaded_language
from .quotes import extract_quotes
from .text import content_words, participants_of, split_sentences

CODE = "ru"
ANALYSES = frozenset({"events", "entities", "quotes", "claims", "narratives", "loaded_language"})

__all__ = ["ANALYSES", "CODE", "article_entities", "content_words", "extract_claims", "extract_quotes",
           "find_temporal", "loaded_language", "participants_of", "split_sentences"]
