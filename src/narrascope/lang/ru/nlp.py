"""Natasha (Slovnet NER, morphology and syntax; Navec embeddings; pymorphy2 dictionaries), loaded once.

The weights ship inside the ``natasha``/``navec``/``slovnet`` wheels and the dictionaries
inside ``pymorphy2-dicts-ru``: nothing is fetched at run time. pymorphy2 looks its
dictionaries up through ``pkg_resources``, which current setuptools no longer has, so
the morphology vocabulary is given the dictionary folder directly.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_CACHE: "OrderedDict[str, Any]" = OrderedDict()
_CACHE_SIZE = 32


@dataclass(frozen=True)
class Models:
    segmenter: Any
    morph: Any
    syntax: Any
    ner: Any
    vocab: Any


@lru_cache(maxsize=1)
def models() -> Models:
    import pymorphy2_dicts_ru
    from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter
    from natasha.morph.vocab import MorphForm, MorphVocab
    from pymorphy2.analyzer import MorphAnalyzer

    vocab = MorphVocab.__new__(MorphVocab)
    MorphAnalyzer.__init__(vocab, path=pymorphy2_dicts_ru.get_path(), result_type=MorphForm)
    emb = NewsEmbedding()
    return Models(Segmenter(), NewsMorphTagger(emb), NewsSyntaxParser(emb), NewsNERTagger(emb), vocab)


def parse(text: str) -> Any:
    """A natasha ``Doc`` of ``text``: sentences, tokens with morphology, lemma and syntax, NER spans
    (normalised to the nominative). The last few parses are kept, since entities, quotes and
    dates read the same body."""
    hit = _CACHE.get(text)
    if hit is not None:
        _CACHE.move_to_end(text)
        return hit
    from natasha import Doc

    m = models()
    doc = Doc(text)
    doc.segment(m.segmenter)
    doc.tag_morph(m.morph)
    doc.parse_syntax(m.syntax)
    doc.tag_ner(m.ner)
    for t in doc.tokens:
        t.lemmatize(m.vocab)
    for s in doc.spans:
        s.normalize(m.vocab)
    _CACHE[text] = doc
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return doc


def lemma(word: str) -> str:
    """Dictionary form of one word (the most likely parse)."""
    parses = models().vocab.parse(word)
    return parses[0].normal if parses else word.lower()
