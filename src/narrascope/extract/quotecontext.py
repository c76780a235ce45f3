"""The context of an article's quotes: its entities with genders and titles, quote and credit masks,
sentences and paragraphs, the speech-verb vocabulary, and the resolved references (``coref``)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import entities as E
from .coref import Chains, english_refs
from .quotemarks import QuoteSpan, paragraphs
from ..metadata.credits import parse_dateline

KINDS = ("direct", "partial", "scare", "unclosed")

CUES = {
    "say", "tell", "add", "write", "state", "explain", "stress", "note", "warn", "insist", "argue", "claim",
    "declare", "proclaim", "tweet", "post", "according", "mention", "announce", "reply", "respond", "ask",
    "urge", "acknowledge", "admit", "recall", "conclude", "observe", "remark", "suggest", "complain", "describe",
    "emphasise", "emphasize", "confirm", "deny", "predict", "vow", "pledge", "promise", "comment", "agree",
    "caution", "charge", "contend", "assert", "maintain", "reiterate", "underline", "underscore", "highlight",
    "quip", "joke", "shout", "cry", "scream", "continue", "report", "reveal", "testify", "plead", "demand",
    "boast", "concede", "counter", "retort", "lament", "repeat", "whisper", "murmur", "interject", "hint",
    "threaten", "assure", "tout", "praise", "criticise", "criticize", "slam", "blast", "accuse", "answer",
    "message", "sum", "put", "summarize", "summarise", "recount", "told", "says", "said", "wrote", "declare",
    "thunder", "snap", "insist", "reason", "opine", "pronounce", "proclaim", "affirm", "reaffirm", "allege",
    "exclaim", "mutter", "grumble", "muse", "wonder", "enthuse", "gush", "fume", "scoff", "sneer", "chime",
    "yell", "bellow", "sing", "chant", "recite", "preach", "inform", "tell", "query", "question", "retell",
}
# verbs of manner that attribute only as the bare tag after a quote ('"...," he laughed.')
_MANNER = {"laugh", "smile", "grin", "shrug", "sigh", "chuckle", "nod", "sob", "groan", "gasp", "beam", "wince",
           "giggle", "frown", "wink", "cry", "weep", "shrug", "breathe", "smirk", "huff", "snort"}
# verbs that take a quoted phrase as a name or label, not as speech, unless reached from the quote
_LABEL_CUES = {"call", "dub", "label", "brand", "term", "read", "describe", "hail", "dismiss", "decry", "denounce",
               "deride", "condemn", "welcome", "characterise", "characterize", "portray", "cast"}
# cues that are often not speech at all ('respond "in unison"', 'continue "to fight"')
_WEAK_CUES = _LABEL_CUES | {"respond", "reply", "answer", "counter", "continue", "repeat", "report", "post", "put",
                            "sum", "charge", "signal", "hint", "order", "threaten", "demand", "urge", "accuse",
                            "praise", "blast", "slam", "tout", "maintain", "highlight", "underline", "underscore",
                            "promise", "pledge", "vow", "predict", "agree", "reveal", "message"}
_COMM = CUES | {"speak", "address", "present", "brief", "appear", "unveil", "release", "send", "publish",
                "issue", "deliver", "talk", "reject", "dismiss", "defend", "criticise", "criticize", "welcome",
                "condemn", "rebuff", "rule", "hit", "lash", "signal", "outline", "propose", "appeal"}
_STATEMENT_NOUNS = {"statement", "speech", "interview", "remark", "remarks", "address", "briefing", "conference",
                    "announcement", "comment", "comments", "post", "tweet", "cable", "letter", "memo", "message",
                    "declaration", "appeal", "testimony", "video", "op-ed", "article", "report"}
_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f"}
_TITLE_BEFORE = re.compile(r"\b(?:titled|entitled|headlined|headline|subheading|sub-heading|the\s+slogan|"
                           r"(?:book|report|film|cable|memo|letter|paper|study|song|album|play|novel|documentary|"
                           r"programme|program|campaign|operation|exercise|plan)\s+(?:called|named))\s*,?\s*$", re.I)
_WORK_BEFORE = re.compile(r"\b(?:book|album|film|movie|novel|song|single|play|documentary|series|show|poem|memoir|"
                          r"essay|podcast|exhibition|opera|painting|record|EP|collection)\s*,\s*$", re.I)
_SCARE_BEFORE = re.compile(r"\b(?:so-called|so called|the word|the term|the phrase|the label|dubbed|nicknamed)\s*$",
                           re.I)
# phrasal verbs of speech: 'pointed out', 'went on', 'fired back', 'chimed in', 'weighed in'
_PHRASAL = {("point", "out"), ("go", "on"), ("fire", "back"), ("chime", "in"), ("weigh", "in"), ("shoot", "back"),
            ("hit", "back"), ("pipe", "up"), ("spell", "out"), ("cut", "in"), ("break", "in"), ("speak", "up"),
            ("sum", "up"), ("lash", "out"), ("push", "back"), ("throw", "in")}


def _lemma(t: Any) -> str:
    """The cue lemma of a verb: phrasal verbs of speech count as 'say'."""
    lem = t.lemma_.lower()
    if any((lem, c.lower_) in _PHRASAL for c in t.children if c.dep_ in ("prt", "advmod")):
        return "say"
    if t.pos_ == "NOUN" and t.lower_ in _ING_CUES and _with_clause(t) is not None:
        return "say"                       # 'with its chief executive warning that ...' read as a noun
    return lem


# participles of speech in an absolute clause: 'with X saying that ...', 'with X warning ...'
_ING_CUES = {"saying", "warning", "adding", "noting", "telling", "arguing", "insisting", "stressing", "calling",
             "describing", "claiming", "declaring", "explaining", "urging", "vowing", "predicting", "admitting",
             "acknowledging", "asserting", "suggesting", "promising", "pledging", "cautioning", "writing"}


def _with_clause(t: Any) -> Any:
    """The 'with' opening an absolute clause whose participle ``t`` is ('with X saying'), or None."""
    if t.lower_ not in _ING_CUES:
        return None
    for j in range(t.i - 1, max(-1, t.i - 14), -1):
        w = t.doc[j]
        if w.text in (".", ";", "\"", "“", "”") or (w.pos_ in ("VERB", "AUX") and w.dep_ != "amod"):
            return None
        if w.lower_ == "with":
            return w
    return None


_CREDIT_ONLY = re.compile(r"\s*\((?:[A-Z][\w&.' -]{0,30})\)\s*[—–-]{1,2}\s")
_TERMINATOR = re.compile(r"(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bJr)(?<!\bSr)(?<!\bMrs)(?<!\bSen)(?<!\bRep)"
                         r"(?<!\bGov)(?<!\bGen)(?<!\bCol)(?<!\bLt)(?<!\bSgt)(?<!\bCapt)(?<!\bProf)(?<!\bRev)"
                         r"(?<!\bAmb)(?<!\bSupt)(?<!\bCmdr)(?<!\bAdm)(?<!\bMaj)(?<!\b[A-Z])"
                         r"[.!?](?=\s+[\"'(A-Z0-9])")


# ------------------------------------------------------------------ the article context


@dataclass
class _Ent:
    id: str
    name: str
    type: str
    mentions: list[tuple[int, int, str]]
    gender: str | None = None
    titles: list[str] = field(default_factory=list)


@dataclass
class _Attr:
    speaker: int | None            # index into ctx.ents
    speaker_text: str | None
    cue: str | None
    cue_pos: int | None
    ev: tuple[int, int] | None
    how: str
    date_verb: Any = None          # the spaCy token the date must attach to


class _Ctx:
    def __init__(self, text: str, doc: Any, ents: list[_Ent], spans: list[QuoteSpan],
                 dates: list[tuple[int, int, str | None, str]], raw: str | None = None) -> None:
        self.text, self.doc, self.ents, self.spans = text, doc, ents, spans
        self.raw = raw if raw is not None else text     # the caller's text (curly marks kept)
        self.paras = paragraphs(text)
        self.inq = bytearray(len(text) + 1)
        for q in spans:
            e = (q.close + 1) if q.close is not None else q.end
            for i in range(q.open, min(e, len(text))):
                self.inq[i] = 1
        self.credit = bytearray(len(text) + 1)     # datelines and wire credits: never speakers
        for ps, pe in self.paras:
            dl = parse_dateline(text[ps:pe])
            if dl is not None:
                self.credit[ps:ps + dl.end] = b"\x01" * dl.end
            m = _CREDIT_ONLY.match(text, ps, pe)
            if dl is None and m:               # '(CNN) —': a credit with no place
                self.credit[ps:m.end()] = b"\x01" * (m.end() - ps)
        self.mentions = sorted((s, e, k) for k, ent in enumerate(ents) for s, e, _ in ent.mentions
                               if not self.credit[s])
        self.dates = [d for d in dates if not self.inq[d[0]]]
        self.tok_at = {}
        for t in doc:
            for i in range(t.idx, t.idx + len(t.text)):
                self.tok_at[i] = t.i
        self.sent_of = {}
        for k, s in enumerate(doc.sents):
            for t in s:
                self.sent_of[t.i] = k
        self._comm: list[tuple[int, int, Any]] | None = None
        self._chains: Chains | None = None

    @property
    def chains(self) -> Chains:
        """The article's resolved references (built on first use)."""
        if self._chains is None:
            self._chains = english_refs(self)
        return self._chains

    def token(self, i: int) -> Any:
        k = self.tok_at.get(i)
        return self.doc[k] if k is not None else None

    def quoted(self, tok: Any) -> bool:
        return bool(self.inq[tok.idx])

    def entity_at(self, s: int, e: int) -> int | None:
        for ms, me, k in self.mentions:
            if ms < e and s < me:
                return k
            if ms >= e:
                break
        return None

    def para_of(self, i: int) -> int:
        for k, (s, e) in enumerate(self.paras):
            if s <= i <= e:
                return k
        return len(self.paras) - 1


# ------------------------------------------------------------------ entities in, speakers out


def _entities_in(ents: Any, doc: Any) -> list[_Ent]:
    if ents is None:
        ents = E.article_entities(doc)
    out = []
    for e in ents:
        if isinstance(e, E.LocalEntity):
            eid = E.entity_id(e.type, e.canonical or e.name)
            out.append(_Ent(eid, e.canonical or e.name, e.type, [(m.start, m.end, m.text) for m in e.mentions],
                            e.gender, list(e.titles)))
        else:
            ms = [(m["start"], m["end"], m["text"]) for m in e.get("mentions", [])]
            out.append(_Ent(e["id"], e["name"], e["type"], ms))
    for ent in out:
        if ent.type == "PERSON" and not ent.titles:
            ent.titles = _titles_for(doc, ent)
        if ent.type == "PERSON" and ent.gender is None:
            names = [t for _, _, t in ent.mentions if t[:1].isupper()]
            best = max(names, key=lambda t: len(t.split()), default=ent.name)
            ent.gender = E.guess_gender(best, ent.titles) or E.guess_gender(ent.name, ent.titles)
    for ent in out:
        if ent.type == "PERSON" and ent.gender is None:
            ent.gender = _context_gender(doc, out, ent)
            told = E.dictionary_gender(ent.name) if ent.gender is None else None
            if told:
                ent.gender = told + "?"                 # a sign only (coref)
    return out


def _context_gender(doc: Any, ents: list[_Ent], ent: _Ent) -> str | None:
    """The gender the article itself gives a person: 'his'/'her' or a subject 'he'/'she' after a
    mention, in the same or the next sentence, before any other person is named. None when the
    article says nothing or disagrees with itself."""
    others = sorted(s for o in ents if o is not ent and o.type == "PERSON" for s, _, _ in o.mentions)
    quoted = E.quoted_intervals(E.doc_text(doc))
    votes = set()
    for s, e, _ in ent.mentions:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or any(a <= s < b for a, b in quoted):
            continue
        sent = span.sent
        stop = sent.end
        if stop < len(doc):
            stop = doc[stop].sent.end
        nxt_other = next((o for o in others if o >= e), len(E.doc_text(doc)))
        for t in doc[span.end:stop]:
            if t.idx >= nxt_other or any(a <= t.idx < b for a, b in quoted):
                break
            low = t.lower_
            if (low in ("his", "her") and t.tag_ == "PRP$") or (low in ("he", "she") and t.dep_ == "nsubj"):
                votes.add(_PRONOUNS["he" if low in ("his", "he") else "she"])
                break
    return votes.pop() if len(votes) == 1 else None


def _titles_for(doc: Any, ent: _Ent) -> list[str]:
    titles: list[str] = []
    for s, e, t in ent.mentions:
        if not t[:1].isupper():
            continue
        m = E.Mention(s, e, t, "PERSON")
        b = E._title_before(doc, m)
        if b:
            titles.append(b)
        titles.extend(E._titles_after(doc, m))
    return list(dict.fromkeys(titles))


def _np_text(ctx: _Ctx, tok: Any) -> tuple[str, int, int]:
    left = tok.left_edge
    while left.i < tok.i and (ctx.quoted(left) or left.is_punct):
        left = ctx.doc[left.i + 1]
    right = tok
    for c in tok.rights:
        if c.dep_ in ("compound", "flat", "nummod") or (c.dep_ == "appos" and c.ent_type_ == "PERSON"):
            right = c.right_edge if c.dep_ == "appos" else c
    s, e = left.idx, right.idx + len(right.text)
    return ctx.text[s:e], s, e


def _gender_ok(ent: _Ent, gender: str | None) -> bool:
    return gender is None or ent.gender is None or ent.gender[0] == gender


def _person_in(ctx: _Ctx, s: int, e: int) -> int | None:
    """The first person named in [s, e), if any."""
    for ms, me, k in ctx.mentions:
        if ms >= e:
            break
        if ms >= s and ctx.ents[k].type == "PERSON" and not ctx.inq[ms]:
            return k
    return None
