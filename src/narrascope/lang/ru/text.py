"""Russian sentences and words: razdel's sentence splitter inside each line (newlines always
break), title/sentence word overlap on short stems, and the names an event sentence mentions."""
from __future__ import annotations

import re

_STOP = set("""и в во не на с со что как а но по к ко у о об от до из за для при это этот эта эти того
также уже еще ещё был была были было будет будут его ее её их он она они мы вы я ты же ли бы только
или когда где который которая которые которого тем чем так там тут все всё всех свой своей своих
после перед между более менее очень может могут нет да сказал заявил отметил года году лет""".split())
_WORD = re.compile(r"[А-Яа-яЁёA-Za-z][А-Яа-яЁёA-Za-z-]+")
_NAME_RUN = re.compile(r"(?:[А-ЯЁA-Z][А-Яа-яЁёA-Za-z-]+)(?:\s+[А-ЯЁA-Z][А-Яа-яЁёA-Za-z-]+)*")


def split_sentences(text: str) -> list[tuple[int, int]]:
    from razdel import sentenize

    spans = []
    for line in re.finditer(r"[^\n]+", text):
        for s in sentenize(line.group()):
            a, b = line.start() + s.start, line.start() + s.stop
            if text[a:b].strip():
                spans.append((a, b))
    return spans


def stem(word: str) -> str:
    return word.lower().replace("ё", "е")[:5]


def content_words(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(text) if len(w) >= 4 and w.lower() not in _STOP}


def participants_of(sentence: str) -> list[str]:
    """Capitalised name runs in their dictionary form ("Путина" -> "Путин"), sentence-initial
    ordinary words left out."""
    from .nlp import lemma

    out = []
    for m in _NAME_RUN.finditer(sentence):
        words = m.group().split()
        if m.start() == len(sentence) - len(sentence.lstrip()) and len(words) == 1 and words[0].lower() in _STOP:
            continue
        if m.start() == 0 and len(words) == 1 and not words[0].isupper():
            continue
        name = " ".join(w if w.isupper() else lemma(w).capitalize() for w in words)
        if name not in out:
            out.append(name)
    return out
