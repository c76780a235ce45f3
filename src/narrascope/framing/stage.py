"""The ``framing`` pipeline stage: narratives, entity roles and loaded language of the body.

The offline model answers unless ``NARRASCOPE_FRAMING=llm`` selects a language-model
server (``llm.py``). When the server gives no usable answer the offline model answers
instead and the article is flagged ``framing_llm_fallback:<code>`` (``unreachable``,
``timeout``, ``http_error``, ``bad_reply``, ``no_time``); ``framing_llm`` records which
backend answered and what its validation dropped. A configuration that cannot be used
(an unknown backend, no URL) is an error, not a fallback: the article is rejected with
the variable named, so nothing is labelled by a model the user did not choose.

The article's ``language`` field selects the offline model (``framing.analyse``): English
gets narratives, roles and loaded language; Russian, Bulgarian, Portuguese and Hindi get
narratives from the multilingual model; other languages get none.
"""
from __future__ import annotations

from ..model import Article
from . import analyse, get_model, model_dir
from . import llm
from .io import load_definitions


def framing_stage(article: Article) -> None:
    """Adds ``narratives``, ``roles`` and ``loaded_language`` (and ``framing_llm`` with the LLM backend)."""
    entities = article.extractions.get("entities") or []
    language = article.get("language")
    settings = llm.settings_from_env()
    if settings is None:
        article.extractions.update(analyse(article.text, entities, language=language))
        return
    _, _, taxonomy, _ = get_model()
    try:
        result, report = llm.analyse(article.text, entities, settings, taxonomy, _definitions())
    except llm.LLMError as e:
        article.extractions.update(analyse(article.text, entities, language=language))
        article.flag("framing_llm_fallback", e.code, reason=f"{e.reason}; the offline model answered")
        report = llm.Report(settings.model, settings.endpoint, used=False, fallback=e.code, reason=e.reason)
    else:
        article.extractions.update(result)
    article.extractions["framing_llm"] = report.as_dict()


_DEFINITIONS: dict[str, dict[str, str]] = {}


def _definitions() -> dict[str, str]:
    folder = str(model_dir())
    if folder not in _DEFINITIONS:
        _DEFINITIONS[folder] = load_definitions(folder)
    return _DEFINITIONS[folder]
