"""Who said what: quotations in clean article text and their speakers.

``extract_quotes(text, entities, published, resolve_dates=None) -> list[Quote]``

Curly, angled and low marks are read as straight ones in place (one character
for one, so offsets hold), and quotes are found by a scanner that pairs ``"`` marks within a paragraph by their surroundings (an
opening mark follows a space or the paragraph start, a closing one precedes a
space or punctuation); a paragraph whose last quote never closes either
continues in the next paragraph (when that one opens with ``"``: one quote
over several paragraphs) or runs to the paragraph end (kind "unclosed").
Single marks are read as quotation marks only in paragraphs without double
ones (British style), with apostrophes told apart.

Attribution, for each quote:

1. The *frame*: the text of the quote's sentence outside any quote. A quote
   that opens its sentence, or follows a colon or comma, takes the cue verb
   of the frame after it ("...," said X / X said) or before it (X said: "...");
   an embedded (partial) quote is followed up the dependency tree to the verb
   it depends on (called the plan "reckless"; stated that "..."; added that
   Putin "started ..."), and the speaker is that verb's subject.
2. The subject is turned into an entity: a name mention, an appositive, a
   role description already linked to a person ("the former Norwegian prime
   minister"), or a pronoun (he/she: the most recent gender-compatible
   person outside quotes, preferring subjects, up to five sentences back).
   Indefinite and plural subjects ("a senior official", "the auditors",
   "they"), documents ("the memo says") and unknown nouns give speaker None
   with the surface form kept in ``speaker_text``.
3. Without a cue of its own, a quote takes the speaker of the quote before it
   in the same paragraph ("...," he said. "..."), a quote-only paragraph takes
   the attribution ending the previous paragraph with a colon ("Burns
   wrote:"), the speaker of the previous paragraph's last quote, or the
   subject of a speech verb closing that paragraph.
4. A short quote (four words or fewer) with no cue and no speaker is a *scare
   quote*: it is kept, with kind "scare" and speaker None, so that loaded or
   distanced wording stays visible; a quoted title ("a cable titled ...",
   "his book ...") is not a quote at all (it is a DOCUMENT entity).

``said_on``: a date expression attached to the cue verb (or sitting in the
attribution frame), outside the quoted words; without one, the most recent
earlier dated speech act of the same speaker in the article (a quote, or a
sentence where the speaker is the subject of a speech verb, "made a
statement", "spoke to journalists"). A relative expression in an undated
article gives None and stops the search. Dates come from
``resolve_dates(text, published)`` -> ``[(start, end, value, precision)]``,
by default ``narrascope.extract.temporal.find_temporal`` with a small
built-in fallback.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from . import entities as E
from .quotemarks import QuoteSpan, scan_quotes, straighten_marks
from .frames import _attribute, _colon_attr, _cues_in, _embedded, _frames
from .quotecontext import CUES, _Attr, _Ctx, _SCARE_BEFORE, _STATEMENT_NOUNS, _TERMINATOR, _TITLE_BEFORE, _WORK_BEFORE, _entities_in, _person_in
from .speakers import _from_cue
from .saidon import _said_on, default_resolve_dates
from .saidon import builtin_dates  # noqa: F401
from .quotecontext import KINDS  # noqa: F401

__all__ = ["Quote", "QuoteSpan", "scan_quotes", "extract_quotes", "default_resolve_dates", "builtin_dates",
           "CUES", "KINDS", "straighten_marks"]


# ------------------------------------------------------------------ records


@dataclass
class Quote:
    text: str
    start: int
    end: int
    cue: str | None
    speaker: str | None                 # canonical name of the speaking entity
    speaker_id: str | None
    speaker_text: str | None            # surface form in the attribution ("he", "a senior official")
    evidence: dict[str, Any] | None     # {"text", "start", "end"} of the attribution
    said_on: str | None
    kind: str                           # "direct" | "partial" | "scare" | "unclosed"
    how: str = ""                       # which rule attributed it (frame, dependency, continuation, ...)

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "cue": self.cue,
                "speaker": self.speaker, "speaker_id": self.speaker_id, "speaker_text": self.speaker_text,
                "evidence": self.evidence, "said_on": self.said_on, "kind": self.kind}


# ------------------------------------------------------------------ main entry


def _clean_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] == ","):
        e -= 1
    return s, e


def _is_title(ctx: _Ctx, q: QuoteSpan) -> bool:
    before = ctx.text[max(0, q.open - 60):q.open]
    if _TITLE_BEFORE.search(before):
        return True
    return bool(_WORK_BEFORE.search(before)) and _title_case(ctx.text[q.start:q.end])


def _title_case(words: str) -> bool:
    """'The Long Harbour', 'Salt and Stone': short, no stop inside, every long word capitalised."""
    ws = re.findall(r"[\w'’-]+", words)
    return 0 < len(ws) <= 8 and not re.search(r"[.!?]\s", words) and \
        all(w[:1].isupper() or w[:1].isdigit() or len(w) <= 3 for w in ws) and ws[0][:1].isupper()


def _groups(spans: list[QuoteSpan]) -> list[list[QuoteSpan]]:
    out: list[list[QuoteSpan]] = []
    for q in spans:
        if out and out[-1][-1].continues:
            out[-1].append(q)
        else:
            out.append([q])
    return out


def extract_quotes(text: str, entities: Any = None, published: str | None = None,
                   resolve_dates: Callable[[str, str | None], list] | None = None,
                   doc: Any = None) -> list[Quote]:
    """Quotes in ``text`` with speaker, cue, evidence and the date they were said.

    ``entities``: this article's entities in the export shape (``[{id, name,
    type, mentions: [{text, start, end}]}]``, e.g. ``canonicalize(...)
    ["articles"][article_id]``), or ``LocalEntity`` objects, or None to find
    them here. ``doc``: the spaCy parse of ``text`` if the caller has it.
    """
    doc = doc if doc is not None else E.parse(text)
    raw, text = text, straighten_marks(text)
    spans = scan_quotes(text)
    if not spans:
        return []
    ents = _entities_in(entities, doc)
    dates = (resolve_dates or default_resolve_dates)(raw, published)
    ctx = _Ctx(text, doc, ents, spans, dates, raw)
    groups = _groups(spans)
    attrs: list[_Attr | None] = []
    for gi, grp in enumerate(groups):
        attrs.append(_group_attr(ctx, groups, gi))
    attrs = _inherit(ctx, groups, attrs)
    out: list[Quote] = []
    done: list[tuple[int, int | None, str | None, bool]] = []
    for gi, grp in enumerate(groups):
        if _is_title(ctx, grp[0]):
            continue
        a = attrs[gi]
        frames = _group_frames(ctx, groups, gi)
        said_on, found = _said_on(ctx, a, frames, grp[0], done)
        if a is not None and a.speaker is not None:
            done.append((a.cue_pos if a.cue_pos is not None else grp[0].start, a.speaker, said_on, found))
        for q in grp:
            s, e = _clean_span(text, q.start, q.end)
            if e <= s:
                continue
            out.append(_make_quote(ctx, q, grp, s, e, a, said_on))
    return out


def _make_quote(ctx: _Ctx, q: QuoteSpan, grp: list[QuoteSpan], s: int, e: int, a: _Attr | None,
                said_on: str | None) -> Quote:
    words = len(ctx.text[s:e].split())
    before = ctx.text[max(0, q.open - 20):q.open]
    lead, _ = _frames(ctx, q, ctx.paras[q.para][0], ctx.paras[q.para][1])
    if q.close is None and not q.continues and q is grp[-1]:
        kind = "unclosed"
    elif _SCARE_BEFORE.search(before) or (a is None and words <= 4) or (words <= 3 and _label_of_noun(ctx, q)):
        kind = "scare"
    elif _embedded(ctx, q, (lead[0], q.open)):
        kind = "partial"
    else:
        kind = "direct"
    speaker = speaker_id = None
    if kind == "scare":
        a = None
    if a is not None and a.speaker is not None:
        ent = ctx.ents[a.speaker]
        speaker, speaker_id = ent.name, ent.id
    ev = None
    if a is not None and a.ev is not None:
        ev = {"text": ctx.raw[a.ev[0]:a.ev[1]], "start": a.ev[0], "end": a.ev[1]}
    return Quote(ctx.raw[s:e], s, e, a.cue if a else None, speaker, speaker_id, a.speaker_text if a else None,
                 ev, said_on if a is not None else None, kind, a.how if a else "")


def _label_of_noun(ctx: _Ctx, q: QuoteSpan) -> bool:
    """Quoted words that name or qualify the noun right after them ('a "surge" hiring program', the
    "49.3" procedure, a "catastrophic" rating): the writer's label, not words someone said."""
    if q.close is None:
        return False
    toks = [ctx.doc[k] for k in sorted({ctx.tok_at[i] for i in range(q.start, q.end) if i in ctx.tok_at})]
    words = [t for t in toks if not t.is_punct]
    if not words:
        return False
    nxt = ctx.token(next((i for i in range(q.close + 1, min(len(ctx.text), q.close + 4))
                          if not ctx.text[i].isspace()), q.close + 1))
    if nxt is None or nxt.pos_ not in ("NOUN", "PROPN") or ctx.quoted(nxt):
        return False
    inside = {t.i for t in toks}
    return any(t.head.i == nxt.i or (t.head.i not in inside and t.head.head.i == nxt.i) for t in words)


def _neighbours(ctx: _Ctx, q: QuoteSpan) -> tuple[int, int]:
    ps, pe = ctx.paras[q.para]
    prev_end, next_open = ps, pe
    for o in ctx.spans:
        if o.para != q.para or o is q:
            continue
        if o.open < q.open:
            prev_end = max(prev_end, (o.close + 1) if o.close is not None else o.end)
        elif o.open > q.open:
            next_open = min(next_open, o.open)
    return prev_end, next_open


def _group_frames(ctx: _Ctx, groups: list[list[QuoteSpan]], gi: int) -> list[tuple[int, int]]:
    out = []
    for q in groups[gi]:
        lead, tail = _frames(ctx, q, *_neighbours(ctx, q))
        out += [lead, tail]
    return out


def _group_attr(ctx: _Ctx, groups: list[list[QuoteSpan]], gi: int) -> _Attr | None:
    grp = groups[gi]
    if _is_title(ctx, grp[0]):
        return None
    for q in grp:
        a = _attribute(ctx, q, *_neighbours(ctx, q))
        if a is not None:
            return a
    return None


def _only_quotes(ctx: _Ctx, para: int) -> bool:
    ps, pe = ctx.paras[para]
    outside = "".join(c for i, c in enumerate(ctx.text[ps:pe], ps) if not ctx.inq[i])
    return not re.sub(r"[\s\"'.,;:!?—–-]", "", outside)


def _inherit(ctx: _Ctx, groups: list[list[QuoteSpan]], attrs: list[_Attr | None]) -> list[_Attr | None]:
    out = list(attrs)
    for gi, grp in enumerate(groups):
        if out[gi] is not None or _is_title(ctx, grp[0]):
            continue
        q = grp[0]
        words = sum(len(ctx.text[x.start:x.end].split()) for x in grp)
        lead, _ = _frames(ctx, q, *_neighbours(ctx, q))
        if words <= 4 and not _only_quotes(ctx, q.para) and (_embedded(ctx, q, lead) or not _sentence_like(ctx, grp)):
            continue                                     # a scare quote stays unattributed
        prev = next((groups[j] for j in range(gi - 1, -1, -1)), None)
        if prev is not None and prev[-1].para == q.para and out[gi - 1] is not None:
            out[gi] = _copy(out[gi - 1], "continuation")
            continue
        nxt = gi + 1 < len(groups) and groups[gi + 1][0].para == grp[-1].para and attrs[gi + 1] is not None
        if nxt and not _only_quotes(ctx, q.para):
            out[gi] = _copy(attrs[gi + 1], "continuation")
            continue
        if q.para == 0 or not _only_quotes(ctx, q.para):
            if nxt:
                out[gi] = _copy(attrs[gi + 1], "continuation")
            else:
                out[gi] = _next_sentence_attr(ctx, grp)
            continue
        ps, pe = ctx.paras[q.para - 1]
        if ctx.text[pe - 1] == ":":
            out[gi] = _colon_attr(ctx, pe, _last_sentence_start(ctx, ps, pe))
            continue
        if prev is not None and prev[-1].para == q.para - 1 and out[gi - 1] is not None:
            out[gi] = _copy(out[gi - 1], "continuation")
            continue
        out[gi] = _closing_speech(ctx, ps, pe)
    return out


def _sentence_like(ctx: _Ctx, grp: list[QuoteSpan]) -> bool:
    """Quoted words that make a sentence of their own: a capital first, a stop at the end."""
    inner = ctx.text[grp[0].start:grp[-1].end].strip()
    return bool(inner) and inner[0].isupper() and inner[-1] in ".!?"


def _next_sentence_attr(ctx: _Ctx, grp: list[QuoteSpan]) -> _Attr | None:
    """'"Cities are running out of room." That is how X summed it up.' — a cue in the next sentence."""
    q = grp[-1]
    end = (q.close + 1) if q.close is not None else q.end
    ps, pe = ctx.paras[q.para]
    m = _TERMINATOR.search(ctx.text, end, pe)
    stop = m.end() if m else pe
    cues = _cues_in(ctx, end, stop)
    if cues and re.match(r"\s*(?:That|This|So)\s+(?:is|was)\s+how\b", ctx.text[end:stop]):
        return _from_cue(ctx, cues[0], "next-sentence")
    m = re.match(r"\s*(?:Those|These|Such|That|This)\s+(?:were|are|was|is)\s+(?:the\s+)?(?:words|verdict|view|"
                 r"message|warning|assessment)\s+of\s+", ctx.text[end:stop])
    if m:                                       # '"..." Those were the words of fisherman X as he ...'
        k = _person_in(ctx, end + m.end(), min(stop, end + m.end() + 60))
        if k is not None:
            return _Attr(k, ctx.ents[k].name, None, None, (end + m.start(), stop), "next-sentence", None)
    return None


def _last_sentence_start(ctx: _Ctx, ps: int, pe: int) -> int:
    s = ps
    for m in _TERMINATOR.finditer(ctx.text, ps, pe - 1):
        s = m.end()
    return s


_INTRO_VERBS = {"speak", "address", "brief", "talk", "defend", "reject", "dismiss", "welcome", "condemn", "appeal",
                "outline", "present", "explain"}
_DELIVER_VERBS = {"read", "deliver", "give", "make", "issue", "hand", "pronounce", "open", "begin", "close", "end"}
_DELIVERED = _STATEMENT_NOUNS | {"verdict", "ruling", "judgment", "judgement", "sentence", "toast", "eulogy",
                                 "sermon", "lecture", "answer", "reply", "response", "warning", "plea", "summing-up",
                                 "remarks", "evidence", "argument", "case"}


def _introduces_speech(ctx: _Ctx, t: Any) -> bool:
    """The root verb of a sentence that hands over to a quote paragraph: a cue ('X explained'), an
    address ('X addressed shareholders') or the delivery of words ('X read her ruling aloud')."""
    if t.pos_ != "VERB" or ctx.quoted(t):
        return False
    lem = t.lemma_.lower()
    if lem in CUES or lem in _INTRO_VERBS:
        return True
    return lem in _DELIVER_VERBS and any(c.dep_ == "dobj" and c.lemma_.lower() in _DELIVERED for c in t.children)


def _closing_speech(ctx: _Ctx, ps: int, pe: int) -> _Attr | None:
    """A paragraph ending 'X explained the decision.' introduces the quote paragraph after it."""
    s = _last_sentence_start(ctx, ps, pe)
    first, last = ctx.token(s), ctx.token(pe - 1)
    cues = []
    if first is not None and last is not None:
        cues = [t for t in ctx.doc[first.i:last.i + 1] if t.dep_ == "ROOT" and _introduces_speech(ctx, t)]
    if not cues:
        return None
    a = _from_cue(ctx, cues[-1], "previous-paragraph")
    if a is None or a.speaker is None or ctx.ents[a.speaker].type != "PERSON":
        return None
    return a


def _copy(a: _Attr, how: str) -> _Attr:
    return _Attr(a.speaker, a.speaker_text, a.cue, a.cue_pos, a.ev, how, a.date_verb)
