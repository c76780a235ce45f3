"""Language packs: the analysers that can read one language, behind one interface.

Each pack is a sub-package (``lang/en``, ``lang/ru``) that defines the same
functions, each taking the clean body (and what it needs) and returning the
project's records:

==================  =====================================================================
``ANALYSES``        the analyses the pack provides (a subset of ``ALL_ANALYSES``)
``split_sentences`` ``text -> [(start, end)]``
``find_temporal``   ``(text, published, tz) -> [TimeExpr]`` (dates resolved on the timeline)
``participants_of`` ``sentence -> [name]`` (the names an event sentence mentions)
``content_words``   ``text -> {stem}`` (to compare a title with a sentence)
``article_entities````text -> [LocalEntity]`` (names in the nominative, merged in the article)
``extract_quotes``  ``(text, local_entities, published) -> [Quote]``
``extract_claims``  ``(text, events) -> [Claim]``
``loaded_language`` ``(text, mentions) -> [dict]``
==================  =====================================================================

A pack is imported only when an article in its language arrives, so a corpus
without Russian never loads the Russian models. ``supports(code, analysis)`` is
what the pipeline asks before it runs an analyser: no analyser ever runs on
text in a language its pack does not declare, and the article records why it
was skipped (``skip_reason``). A third language is one more folder here and one
line in ``PACKS``.
"""
from __future__ import annotations

import importlib
from types import ModuleType

ALL_ANALYSES = ("events", "entities", "quotes", "claims", "narratives", "roles", "loaded_language")

PACKS: dict[str, str] = {"en": "English", "ru": "Russian"}

# analyses each pack declares, known without importing it (kept equal to the packs' own ANALYSES by a test)
DECLARED: dict[str, frozenset[str]] = {
    "en": frozenset({"events", "entities", "quotes", "claims", "narratives", "roles", "loaded_language"}),
    "ru": frozenset({"events", "entities", "quotes", "claims", "narratives", "loaded_language"}),
}


def pack(code: str | None) -> ModuleType | None:
    """The language pack for an ISO 639-1 code, imported on first use (None when there is none)."""
    if code not in PACKS:
        return None
    return importlib.import_module(f"{__name__}.{code}")


def supports(code: str | None, analysis: str) -> bool:
    return analysis in DECLARED.get(code or "", frozenset())


def skip_reason(code: str | None, analysis: str) -> str:
    if not code:
        return "language not identified"
    if code not in PACKS:
        return f"language {code} not supported"
    return f"{analysis} not available for language {code}"


def reader(article, analysis: str) -> ModuleType | None:
    """The pack that may run ``analysis`` on ``article``, or None with the skip recorded on the article.

    Records ``analysed`` (the analyses run, in order) and ``skipped`` ({analysis: reason})
    in ``article.extractions``; both reach the export.
    """
    code = article.get("language")
    ext = article.extractions
    if supports(code, analysis):
        done = ext.setdefault("analysed", [])
        if analysis not in done:
            done.append(analysis)
        ext.get("skipped", {}).pop(analysis, None)
        return pack(code)
    ext.setdefault("skipped", {})[analysis] = skip_reason(code, analysis)
    return None


def languages_for(analysis: str) -> list[str]:
    """Codes whose pack provides ``analysis`` (for documentation and the CLI)."""
    return sorted(c for c, a in DECLARED.items() if analysis in a)


__all__ = ["ALL_ANALYSES", "DECLARED", "PACKS", "languages_for", "pack", "reader", "skip_reason", "supports"]
