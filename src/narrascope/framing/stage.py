"""The ``framing`` pipeline stage: narratives, entity roles and loaded language of the body."""
from __future__ import annotations

from ..model import Article
from . import analyse


def framing_stage(article: Article) -> None:
    """Adds ``narratives``, ``roles`` and ``loaded_language`` to the article's extractions."""
    article.extractions.update(analyse(article.text, article.extractions.get("entities") or []))
