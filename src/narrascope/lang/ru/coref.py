"""Russian references for the shared speaker resolution (``extract.coref``): names from the entities,
pronouns (он, она, его, её ...) with their gender, unnamed sources (источник, собеседник) as chains
of their own, each marked subject / main-clause subject / object from natasha's syntax."""
from __future__ import annotations

import bisect
import re
from typing import Any

from ...extract.coref import Chains, Ref, Referents

_GENDER = {"он": "m", "его": "m", "него": "m", "ему": "m", "нему": "m", "им": "m", "ним": "m", "нём": "m",
           "нем": "m", "она": "f", "её": "f", "ее": "f", "неё": "f", "нее": "f", "ей": "f", "ней": "f", "ею": "f",
           "нею": "f"}
_ANON = re.compile(r"(?i)^(?:источник|собеседник|осведомл|представител[ьяи] (?:ведомства|министерства))")
_SUBJECT = ("nsubj", "nsubj:pass")


def russian_refs(ctx: Any, quoted: list[tuple[int, int]]) -> Chains:
    """The resolved references of a Russian article. ``ctx``: the Russian quote context (doc,
    entities, mentions, sentences, paragraphs); ``quoted``: the spans inside quotation marks."""
    starts = [s for s, _ in ctx.sents]

    def sent(i: int) -> int:
        return max(0, bisect.bisect_right(starts, i) - 1)

    def inside(i: int) -> bool:
        return any(a <= i < b for a, b in quoted)

    by_id = {t.id: t for t in ctx.doc.tokens}

    def main(t: Any) -> bool:
        head = by_id.get(t.head_id)
        return t.rel in _SUBJECT and head is not None and head.rel == "root"

    refs: list[Ref] = []
    for ms, me, k in ctx.mentions:
        if inside(ms):
            continue
        toks = ctx.tokens(ms, me)
        refs.append(Ref(ms, me, "name", k, None, any(t.rel in _SUBJECT for t in toks), sent(ms),
                        ctx.para_of(ms), main=any(main(t) for t in toks)))
    named = {r.start for r in refs}
    known = Referents(ctx.ents)
    for t in ctx.doc.tokens:
        if inside(t.start) or t.start in named:
            continue
        low = t.text.lower()
        if low in _GENDER and t.pos in ("PRON", "DET"):
            subject = t.rel in _SUBJECT
            refs.append(Ref(t.start, t.stop, "pronoun", None, _GENDER[low], subject, sent(t.start),
                            ctx.para_of(t.start), obj=t.rel in ("obj", "iobj", "obl"), main=main(t)))
        elif t.rel in _SUBJECT and t.pos == "NOUN" and _ANON.match(t.text):
            refs.append(Ref(t.start, t.stop, "anonymous", known.unnamed(), None, True, sent(t.start),
                            ctx.para_of(t.start), (t.lemma or t.text).lower()))
    return known.chains(refs)
