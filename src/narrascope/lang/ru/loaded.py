"""Loaded language of Russian-language war coverage, each hit with its span and kind.

Kinds (the same as the English reader's where they coincide):

* ``name_calling``: labels that brand an actor instead of naming it: "киевский режим",
  "режим Зеленского", "неонацисты", "нацисты", "бандеровцы", "укронацисты", "хунта",
  "каратели", "боевики ВСУ";
* ``euphemism``: "специальная военная операция" / "СВО" / "спецоперация" for the war,
  "освобождение" of occupied towns, "денацификация", "демилитаризация", "хлопок" for an
  explosion;
* ``loaded_label``: "коллективный Запад", "англосаксы", "марионетки", "западные кураторы",
  "русофобия", "антироссийская истерия";
* ``exaggeration``: "геноцид" of Donbas, "тотальный", "беспрецедентный", "абсолютно".
"""
from __future__ import annotations

import re

_RULES: list[tuple[str, re.Pattern]] = [(k, re.compile(rx, re.I)) for k, rx in (
    ("name_calling", r"(?<!\w)(?:киевск\w+\s+режим\w*|режим\w*\s+Зеленского|неонацист\w*|укронацист\w*|нацист\w*|"
                     r"бандеровц\w*|бандеровск\w+|хунт\w+|каратели|карател\w+|боевик\w*\s+ВСУ|нацбат\w*|"
                     r"киевск\w+\s+марионет\w+)(?!\w)"),
    ("euphemism", r"(?<!\w)(?:специальн\w+\s+военн\w+\s+операци\w+|спецоперац\w+|СВО|денацификац\w+|"
                  r"демилитаризац\w+|освобожд\w+|освобожден\w+|хлопк\w*|хлопок)(?!\w)"),
    ("loaded_label", r"(?<!\w)(?:коллективн\w+\s+Запад\w*|англосакс\w*|марионет\w+|западн\w+\s+куратор\w*|"
                     r"русофоби\w*|антироссийск\w+\s+истери\w+|кукловод\w*)(?!\w)"),
    ("exaggeration", r"(?<!\w)(?:геноцид\w*|тотальн\w+|беспрецедентн\w+|абсолютно)(?!\w)"),
)]


def loaded_language(text: str, mentions: list[tuple[int, int]] | None = None) -> list[dict]:
    out = []
    for kind, rx in _RULES:
        for m in rx.finditer(text):
            out.append({"kind": kind, "text": m.group(0), "start": m.start(), "end": m.end()})
    out.sort(key=lambda d: d["start"])
    keep: list[dict] = []
    for d in out:
        if keep and d["start"] < keep[-1]["end"]:
            continue
        keep.append(d)
    return keep
