"""English: spaCy (``en_core_web_sm``) for entities and quote attribution, the project's own
date grammar, rule-based claims and loaded language."""
from __future__ import annotations

from ...extract.claims import extract_claims
from ...extract.entities import article_entities
from ...extract.events import content_words, participants_of
from ...extract.quotes import extract_quotes as _extract_quotes
from ...extract.temporal import find_temporal, split_sentences
from ...framing.loaded import loaded_language

CODE = "en"
ANALYSES = frozenset({"events", "entities", "quotes", "claims", "narratives", "roles", "loaded_language"})


def extract_quotes(text: str, entities, published: str | None):
    return _extract_quotes(text, entities, published)


__all__ = ["ANALYSES", "CODE", "article_entities", "content_words", "extract_claims", "extract_quotes",
           "find_temporal", "loaded_language", "participants_of", "split_sentences"]
