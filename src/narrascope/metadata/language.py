"""Language of the clean body (py3langid: a small model shipped inside the package)."""
from __future__ import annotations

from functools import lru_cache

from ..model import Article

MIN_CHARS = 40
SAMPLE_CHARS = 1500  # plenty for a language; the model's cost grows with the sample


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str | None, float]:
    """ISO 639-1 code and probability, or (None, 0.0) for text too short to tell."""
    if len(text.strip()) < MIN_CHARS:
        return None, 0.0
    code, prob = _identifier().classify(text[:SAMPLE_CHARS])
    return code, float(prob)


def language(article: Article) -> None:
    if article.raw.given.get("language"):
        article.set("language", article.raw.given["language"], "given")
        return
    code, prob = detect_language(article.text)
    if code is not None:
        article.set("language", code, "derived", evidence=f"py3langid p={prob:.2f} on the clean body")
