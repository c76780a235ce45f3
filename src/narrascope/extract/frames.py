"""English quote attribution, the frame: the sentence around a quote outside the quotation marks,
the cue verbs in it (before, after, up the dependency tree, a colon lead, a verb of manner), and
the attribution they give."""
from __future__ import annotations

import re
from typing import Any

from .quotecontext import (CUES, _LABEL_CUES, _MANNER, _TERMINATOR, _WEAK_CUES, _Attr, _Ctx, _lemma,
                           _person_in)
from .quotemarks import QuoteSpan
from .speakers import _from_cue, _speaker_of



def _terminators(ctx: _Ctx, s: int, e: int) -> list[int]:
    """Ends of sentences (outside quotes) between ``s`` and ``e``."""
    return [m.end() for m in _TERMINATOR.finditer(ctx.text, s, min(len(ctx.text), e + 2))
            if m.start() < e and not ctx.inq[m.start()]]


def _sentence_start(ctx: _Ctx, q: QuoteSpan, floor: int) -> int:
    ends = _terminators(ctx, floor, q.open)
    return max(floor, ends[-1]) if ends else floor


def _frames(ctx: _Ctx, q: QuoteSpan, prev_end: int, next_open: int) -> tuple[tuple[int, int], tuple[int, int]]:
    ps, pe = ctx.paras[q.para]
    lead_s = _sentence_start(ctx, q, max(ps, prev_end))
    lead = (lead_s, q.open)
    tail_s = (q.close + 1) if q.close is not None else q.end
    tail_e = min(next_open, pe)
    ends = _terminators(ctx, tail_s, tail_e)
    if ends:
        tail_e = min(tail_e, ends[0])
    return lead, (tail_s, tail_e)


def _cues_in(ctx: _Ctx, s: int, e: int, labels: bool = False) -> list[Any]:
    out = []
    for i in range(s, e):
        k = ctx.tok_at.get(i)
        if k is None or (out and out[-1].i == k):
            continue
        t = ctx.doc[k]
        if t.idx != i or ctx.quoted(t):
            continue
        lem = _lemma(t)
        if (lem in CUES or t.lower_ in CUES or (labels and lem in _LABEL_CUES)) and \
                (t.pos_ in ("VERB", "AUX") or t.lower_ == "according" or t.tag_.startswith("VB")):
            if t.lower_ == "according" and not ctx.text[t.idx:t.idx + 14].lower().startswith("according to"):
                continue
            out.append(t)
    return out


def _quote_roots(ctx: _Ctx, q: QuoteSpan) -> list[Any]:
    toks = [ctx.doc[k] for k in sorted({ctx.tok_at[i] for i in range(q.start, q.end) if i in ctx.tok_at})]
    inside = {t.i for t in toks}
    return [t for t in toks if not t.is_punct and (t.head.i not in inside or t.head.i == t.i)]


def _dependency_cues(ctx: _Ctx, q: QuoteSpan) -> list[Any]:
    """Walk up from the quoted words to the verbs they depend on (nearest first)."""
    out: list[Any] = []
    for root in _quote_roots(ctx, q):
        t = root
        for _ in range(6):
            if t.head.i == t.i:
                break
            t = t.head
            if ctx.quoted(t):
                continue
            lem = _lemma(t)
            if (lem in CUES or lem in _LABEL_CUES) and (t.pos_ in ("VERB", "AUX") or lem == "say") and all(t.i != o.i for o in out):
                out.append(t)
            if t.dep_ == "ROOT":
                break
        if out:
            return out
        for c in root.children:                      # the cue hangs off the quoted verb
            if not ctx.quoted(c) and _lemma(c) in CUES and c.pos_ == "VERB" and c.dep_ in (
                    "parataxis", "ccomp", "conj", "advcl"):
                return [c]
    return out


def _dependency_attr(ctx: _Ctx, q: QuoteSpan) -> _Attr | None:
    """The nearest cue up the tree; a verb that is often not speech ('would respond "in unison"')
    counts only with a person or organisation as subject, else the next cue up is tried."""
    first = None
    for cue in _dependency_cues(ctx, q):
        a = _from_cue(ctx, cue, "dependency")
        if a is None:
            continue
        first = first or a
        if cue.lemma_.lower() not in _WEAK_CUES:
            return a
        if a.speaker is not None and ctx.ents[a.speaker].type in ("PERSON", "ORG", "MEDIA"):
            return a
    return first


def _prefer_speech(cues: list[Any]) -> list[Any]:
    """'X said, according to a report from Y': the speech verb, not the source of the report."""
    speech = [c for c in cues if c.lower_ != "according"]
    return speech or cues


def _tail_ok(ctx: _Ctx, q: QuoteSpan, cue: Any) -> bool:
    """After a quote that ends its sentence ('..."' + new sentence), a cue counts only when it is a
    bare attribution ('Smith said.'), not a new statement of its own ('Smith confirmed that ...')."""
    inner = ctx.text[q.start:q.end].rstrip()
    if not inner or inner[-1] not in ".!?" or q.close is None:
        return True
    rest = ctx.text[q.close + 1:cue.idx]
    if not re.match(r"\s*[A-Z]", rest) or inner[-1] in "?!" and len(rest.split()) <= 6:
        return True
    return not any(c.dep_ in ("ccomp", "xcomp", "dobj", "advcl") and not ctx.quoted(c) for c in cue.children)


def _manner_tag(ctx: _Ctx, q: QuoteSpan, tail: tuple[int, int]) -> _Attr | None:
    """'"Nobody lives here for the comfort," he smiled.': a verb of manner right after a quote that
    ends on a comma, ! or ?, with a person (or he/she) as its subject and nothing else in the tag."""
    inner = ctx.text[q.start:q.end].rstrip()
    if q.close is None or not inner or inner[-1] not in ",!?":
        return None
    first = ctx.token(tail[0] + len(ctx.text[tail[0]:tail[1]]) - len(ctx.text[tail[0]:tail[1]].lstrip()))
    if first is None:
        return None
    for t in ctx.doc[first.i:min(len(ctx.doc), first.i + 5)]:
        if t.idx >= tail[1]:
            break
        if t.lemma_.lower() in _MANNER and t.pos_ == "VERB":
            a = _from_cue(ctx, t, "manner")
            if a is not None and a.speaker is not None and ctx.ents[a.speaker].type == "PERSON":
                return a
            return None
    return None


def _embedded(ctx: _Ctx, q: QuoteSpan, lead: tuple[int, int]) -> bool:
    """Is the quote part of a sentence of reported speech (not set off by a colon or comma)?"""
    before = ctx.text[lead[0]:q.open].rstrip()
    if not before:
        return False
    return before[-1] not in ":,—–-(" and not re.search(r"\b(?:said|says|added|wrote|asked)$", before)


def _colon_attr(ctx: _Ctx, end: int, start: int) -> _Attr | None:
    """'Burns wrote:' — the verb before a colon that introduces a quote."""
    cues = _cues_in(ctx, start, end)
    if cues:
        return _from_cue(ctx, cues[-1], "colon")
    while end > start and ctx.text[end - 1].isspace():
        end -= 1
    k = ctx.tok_at.get(end - 1)
    if k is None:
        return None
    t = ctx.doc[k]
    noun = ctx.doc[t.i - 1] if t.text == ":" and t.i > 0 else t
    poss = next((c for c in noun.children if c.dep_ == "poss"), None) if noun.pos_ == "NOUN" else None
    if poss is not None and poss.idx >= start:  # 'Her verdict: "..."'
        sk, surface, (s, e) = _speaker_of(ctx, poss)
        if sk is not None:
            return _Attr(sk, surface, None, noun.idx, (s, noun.idx + len(noun.text)), "colon-possessive", None)
    verb = t.head if t.text == ":" else t
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ in ("VERB", "AUX") and verb.idx >= start and not ctx.quoted(verb):
        a = _from_cue(ctx, verb, "colon")
        return a
    return _colon_name(ctx, start, end)


def _colon_name(ctx: _Ctx, start: int, end: int) -> _Attr | None:
    """A verbless lead naming a person first ('Mayor Hanna Korhonen on the floods:'): that person."""
    first, last = ctx.token(start), ctx.token(end - 1)
    while first is None and start < end:
        start += 1
        first = ctx.token(start)
    if first is None or last is None:
        return None
    toks = [t for t in ctx.doc[first.i:last.i + 1] if not ctx.quoted(t)]
    if not toks or any(t.pos_ in ("VERB", "AUX") for t in toks):
        return None
    k = _person_in(ctx, start, toks[min(len(toks) - 1, 4)].idx + 1)
    if k is None:
        return None
    return _Attr(k, ctx.ents[k].name, None, None, (start, end), "colon-name", None)


def _attribute(ctx: _Ctx, q: QuoteSpan, prev_end: int, next_open: int) -> _Attr | None:
    lead, tail = _frames(ctx, q, prev_end, next_open)
    lead_text = ctx.text[lead[0]:lead[1]].rstrip()
    tail_cues = _cues_in(ctx, *tail)
    lead_cues = _cues_in(ctx, *lead)
    if _embedded(ctx, q, lead):
        a = _dependency_attr(ctx, q)
        if a is not None:
            return a
        if lead_cues:
            return _from_cue(ctx, lead_cues[-1], "frame-before")
        return None
    if lead_text.endswith(":") and lead_cues:
        return _from_cue(ctx, lead_cues[-1], "colon")
    if lead_text.endswith(":"):
        a = _colon_attr(ctx, lead[1], lead[0])
        if a is not None:
            return a
    lead_cues = _prefer_speech(lead_cues)
    tail_cues = _prefer_speech([c for c in tail_cues if _tail_ok(ctx, q, c)])
    if lead_cues and lead_text.endswith(",") and not ctx.text[q.start:q.end].rstrip().endswith(","):
        return _from_cue(ctx, lead_cues[-1], "frame-before")
    if tail_cues:
        return _from_cue(ctx, tail_cues[0], "frame-after")
    if lead_cues:
        return _from_cue(ctx, lead_cues[-1], "frame-before")
    a = _manner_tag(ctx, q, tail)
    if a is not None:
        return a
    cues = [c for c in _dependency_cues(ctx, q) if _lemma(c) in CUES]
    return _from_cue(ctx, cues[0], "dependency") if cues else None
