"""English quote attribution: the article context (entities, genders, titles), the reporting frames
around a quote and the speaker they name, resolved through the parse (subjects, pronouns,
descriptions, surnames)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import entities as E
from .coref import ORG_NOUNS, Chains, english_refs
from .quotemarks import QuoteSpan, paragraphs
from ..metadata.credits import parse_dateline


__all__ = ["Quote", "QuoteSpan", "scan_quotes", "extract_quotes", "default_resolve_dates", "builtin_dates",
           "CUES", "KINDS", "straighten_marks"]

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
            if ent.gender is None and E.dictionary_gender(ent.name):
                ent.gender = E.dictionary_gender(ent.name) + "?"      # a sign only (coref)
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


def _is_subject(tok: Any) -> bool:
    return tok.dep_ in ("nsubj", "nsubjpass") or (tok.dep_ in ("compound", "flat") and
                                                  tok.head.dep_ in ("nsubj", "nsubjpass"))


def _resolve_pronoun(ctx: _Ctx, pos: int, gender: str | None = None) -> int | None:
    """The person (or, for "it", organisation) the pronoun at ``pos`` refers to, from the article's
    resolved references (``coref``)."""
    return ctx.chains.entity_at(pos)


def _resolve_description(ctx: _Ctx, tok: Any) -> int | None:
    return _described(ctx, tok)[0]


def _described(ctx: _Ctx, tok: Any) -> tuple[int | None, int]:
    """(person, bonus): the person named before whose titles fit the description ending at ``tok``
    (the bonus counts the title words it shares), the latest of the best."""
    span = ctx.doc[tok.left_edge.i: tok.i + 1]
    best = None
    for s, e, k in ctx.mentions:
        if s >= span.start_char:
            break
        ent = ctx.ents[k]
        if ent.type != "PERSON" or ctx.inq[s] or not ctx.text[s:s + 1].isupper():
            continue
        ok, bonus = E.describe_compatible(span, ent.titles)
        if ok:
            key = (bonus, s)
            if best is None or key > best[0]:
                best = (key, k)
    return (best[1], best[0][0]) if best else (None, 0)


def _speaker_of(ctx: _Ctx, tok: Any) -> tuple[int | None, str, tuple[int, int]]:
    """(entity index or None, surface text, span) of the subject token ``tok``."""
    text, s, e = _np_text(ctx, tok)
    if ctx.credit[tok.idx]:
        return None, text, (s, e)
    if tok.pos_ == "NOUN" and any(c.lower_ == "the" for c in tok.children) and \
            ctx.chains.unnamed(tok.idx, tok.lemma_.lower(), ctx.sent_of.get(tok.i, 0)):
        return None, text, (s, e)                 # 'A diplomat ... said. "...," the diplomat said.'
    for c in tok.children:
        if c.dep_ == "appos":
            k = ctx.entity_at(c.idx, c.idx + len(c.text))
            if k is not None and ctx.ents[k].type in ("PERSON", "ORG", "MEDIA"):
                return k, ctx.text[c.left_edge.idx:c.idx + len(c.text)], (s, e)
    low = tok.lower_
    if tok.pos_ == "PRON" or low in _PRONOUNS:
        if low in _PRONOUNS or low == "it":
            k = _resolve_pronoun(ctx, tok.idx)
            if k is None and low in _PRONOUNS and not any(ms < tok.idx and ctx.ents[j].type == "PERSON"
                                                          for ms, me, j in ctx.mentions):
                k = _lead_forward(ctx, tok, _PRONOUNS[low])   # 'she' before anyone is named
            return k, tok.text, (tok.idx, tok.idx + len(tok.text))
        if low == "who":                          # 'Orla Fitzmaurice, a professor at X, who called ...'
            k = _who(ctx, tok)
            if k is not None:
                return k, ctx.ents[k].name, (tok.idx, tok.idx + len(tok.text))
        if low in ("who", "that", "which") and tok.head.dep_ == "relcl":
            return _speaker_of(ctx, tok.head.head)
        return None, tok.text, (tok.idx, tok.idx + len(tok.text))
    the = any(c.lower_ == "the" for c in tok.children)
    if tok.pos_ == "NOUN" and tok.tag_ == "NN":
        named = _appositive_person(ctx, tok)      # 'Its barrister, Andrew Fenwick KC,' / 'The president of X, Y,'
        if named is not None:
            return named, text, (s, e)
    if tok.pos_ == "NOUN" and tok.tag_ == "NN" and (the or any(c.dep_ == "poss" and c.pos_ == "PRON"
                                                               for c in tok.children)):
        k = ctx.chains.described(tok.idx, tok.lemma_.lower())
        if k is not None:                         # 'his son answered' after 'His son, Dale Pruitt,'
            return k, text, (s, e)
    if tok.lemma_.lower() in E.ROLE_WORDS and the and tok.pos_ == "NOUN":
        k, bonus = _described(ctx, tok)          # 'the governor': the person whose titles say so first
        if k is not None and bonus > 0:
            return k, text, (s, e)
    if tok.pos_ == "NOUN" and tok.tag_ == "NN" and ctx.para_of(tok.idx) == 0 and (
            tok.lemma_.lower() in E.ROLE_WORDS or tok.lemma_.lower() in _LEAD_ROLES):
        k = _lead_forward(ctx, tok)               # 'its finance chief warned ...' in a lead: named later
        if k is not None:
            return k, text, (s, e)
    k = ctx.entity_at(tok.idx, tok.idx + len(tok.text))
    if k is not None and tok.pos_ == "NOUN" and tok.lemma_.lower() in E.ROLE_WORDS and ctx.ents[k].type != "PERSON":
        k = None                                  # a person's role word never names an organisation
    if tok.pos_ == "PROPN" and tok.text[:1].isupper() and (k is None or ctx.ents[k].type not in (
            "PERSON", "ORG", "MEDIA", "PLACE", "DOCUMENT")):
        k2 = _surname_of(ctx, tok)                # 'Han said' where the NER read Han as a nationality
        k = k2 if k2 is not None else k
    if k is None and tok.pos_ == "PROPN":         # 'Rep. Tom Aldridge III': the name inside the phrase
        k = _person_in(ctx, s, e)
        if k is not None:
            return k, text, (s, e)
    if k is not None and ctx.ents[k].type == "PERSON" and tok.pos_ == "PROPN":
        k = _shared_surname(ctx, tok, k)          # 'Brandt said' with a father and a son named Brandt
    if k is not None and ctx.ents[k].type == "ORG":
        k = _whole_name(ctx, tok, k)              # "The International Transport Workers' Federation"
    if k is not None:
        ent = ctx.ents[k]
        if ent.type in ("PERSON", "ORG", "MEDIA", "PLACE") or (ent.type == "DOCUMENT" and the and
                                                               tok.lemma_.lower() in _SPEAKING_DOCS):
            surface = next((t for ms, me, t in ent.mentions if ms <= tok.idx < me), tok.text)
            return k, surface, (s, e)              # 'The memo says': a document speaks
        return None, text, (s, e)
    if tok.tag_ in ("NNS", "NNPS") or any(c.lower_ in ("a", "an", "some", "several", "one") for c in tok.children):
        named = _appositive_person(ctx, tok)
        if named is not None:                       # 'A spokeswoman for the hospital, Sally Brennan, said'
            return named, text, (s, e)
        voice = _voice_of(ctx, tok)
        if voice is not None:                       # 'A European Commission spokesperson said'
            return voice, text, (s, e)
        if tok.tag_ == "NN":
            return _lead_forward(ctx, tok), text, (s, e)
        return None, text, (s, e)
    if tok.lemma_.lower() in E.ROLE_WORDS and any(c.lower_ == "the" for c in tok.children):
        return _resolve_description(ctx, tok), text, (s, e)
    if tok.lower_ in ORG_NOUNS and the:
        k = ctx.chains.entity_at(tok.idx)
        if k is not None:
            return k, text, (s, e)
    if the and tok.lemma_.lower() in _ISSUED:     # '"...," the statement said': whoever issued it
        k = _issuer(ctx, tok)
        if k is not None:
            return k, text, (s, e)
    owned = any(c.dep_ == "poss" and c.pos_ == "PROPN" for c in tok.children)   # "Turkey's central bank"
    if the or owned:                              # 'The Hutchins campaign', 'The Turkish foreign ministry'
        k = _named_body(ctx, tok)
        if k is not None:
            return k, text, (s, e)
    if tok.pos_ == "NOUN" and tok.tag_ == "NN":
        return _lead_forward(ctx, tok), text, (s, e)
    return None, text, (s, e)


# nouns of a source who stays unnamed ('a senior official said'), never resolved forward
_ANON_NOUNS = {"official", "source", "aide", "spokesperson", "spokesman", "spokeswoman", "person", "insider",
               "adviser", "advisor", "diplomat", "officer", "staffer", "employee", "member", "someone", "one",
               "resident", "witness", "observer", "analyst", "expert", "participant", "lawmaker", "negotiator",
               "executive", "manager", "worker", "relative", "friend", "colleague", "investigator", "activist"}
_UNNAMED = re.compile(r"anonymity|not authori[sz]ed|familiar with|declined to be (?:named|identified)|"
                      r"asked not to be (?:named|identified)|on condition that|requested anonymity", re.I)


# role nouns of a lead that names its person only later ('the lead prosecutor', 'its chair')
_LEAD_ROLES = {"prosecutor", "sheriff", "chair", "chief", "leader", "judge", "commissioner", "coach", "captain",
               "founder", "owner", "president", "director", "head", "minister", "governor", "mayor", "spokesman",
               "spokeswoman", "spokesperson", "negotiator", "envoy", "ambassador", "executive", "officer",
               "superintendent", "principal", "regulator", "attorney", "lawyer", "counsel", "administrator"}
_VOICES = {"spokesperson", "spokesman", "spokeswoman", "representative", "mouthpiece"}


def _voice_of(ctx: _Ctx, tok: Any) -> int | None:
    """'A European Commission spokesperson', 'a spokesman for the Defence Ministry' with no name of
    their own: the organisation speaks through them."""
    if tok.lemma_.lower() not in _VOICES or _appositive_person(ctx, tok) is not None:
        return None
    lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)
    if _person_in(ctx, lo, hi) is not None:
        return None                                      # 'a spokesperson for Health Minister Camille Duret'
    for ms, me, k in ctx.mentions:
        if ms >= hi:
            break
        if ms >= lo and ctx.ents[k].type in ("ORG", "MEDIA") and not ctx.inq[ms]:
            return k
    for c in list(tok.lefts) + [p for r in tok.rights if r.lower_ == "for" for p in r.children]:
        if c.ent_type_ == "PERSON" or _person_in(ctx, c.left_edge.idx, c.idx + len(c.text)) is not None:
            return None                                  # 'a spokesman for Prime Minister Alan Reeve'
        if c.pos_ == "PROPN" or (c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")):
            k = _named_body(ctx, c) if c.dep_ == "pobj" else None
            if k is not None:
                return k
    return None


def _lead_forward(ctx: _Ctx, tok: Any, gender: str | None = None) -> int | None:
    """A news lead describes before it names ('A former state senator testified ..., telling
    jurors, "..."' and 'Erik Halvorsen, a Democrat who ...' after it): in the lead paragraph,
    an unresolved description or pronoun is the first person newly named within the next two
    paragraphs, unless it describes a source who stays unnamed."""
    para = ctx.para_of(tok.idx)
    if para > 0 or ctx.quoted(tok):
        return None
    if tok.pos_ == "NOUN" and (tok.lemma_.lower() in _ANON_NOUNS or tok.lemma_.lower() in ORG_NOUNS):
        return None
    sent = tok.sent
    if _UNNAMED.search(sent.text):
        return None
    end = ctx.paras[min(len(ctx.paras) - 1, para + 2)][1]
    before = {k for ms, me, k in ctx.mentions if ms < tok.idx}
    found = []
    for ms, me, k in ctx.mentions:
        if ms <= tok.idx or ctx.inq[ms] or k in before or ctx.ents[k].type != "PERSON":
            continue
        if ms >= end:
            break
        if _gender_ok(ctx.ents[k], gender) and k not in found:
            found.append(k)
    if tok.pos_ == "NOUN" and found:              # 'the attorney general': one titled so, if named
        desc = ctx.doc[tok.left_edge.i: tok.i + 1]
        titled = [k for k in found if E.describe_compatible(desc, ctx.ents[k].titles)[1] > 0]
        if titled:
            return titled[0]
    return found[0] if found else None


def _who(ctx: _Ctx, tok: Any) -> int | None:
    """The person a 'who' clause follows: the name right before it, or the name before the
    appositive description right before it ('X, a professor at Y University, who ...'); not a
    person the clause does not attach to ('the mayor quoted her predecessor, who once called ...')."""
    sent = tok.sent
    for ms, me, j in reversed(ctx.mentions):
        if ms < sent.start_char:
            break
        if me > tok.idx or ctx.inq[ms] or ctx.ents[j].type != "PERSON":
            continue
        between = ctx.text[me:tok.idx]
        if re.fullmatch(r"\s*,?\s*", between):
            return j
        if re.fullmatch(r"\s*,\s*(?:a|an|the|his|her|their|its)?\b[^,;:()\"]{0,90},\s*", between):
            return j
        if re.fullmatch(r"\s*,\s*who\b[^;:()\"]{0,160}\band\s*", between):
            return j                                # 'Stephen Coles, who served ... and who told ...' 
        return None
    return None


_ISSUED = {"statement", "letter", "email", "release", "post", "message", "note", "communique", "communiqué",
           "announcement", "notice", "update", "bulletin", "response", "reply"}


def _issuer(ctx: _Ctx, tok: Any) -> int | None:
    """The person or organisation that issued the statement or letter a sentence or two before:
    the last one named as a subject within the three sentences before."""
    here = ctx.sent_of.get(tok.i, 0)
    best = None
    for r in ctx.chains.refs:
        if r.start >= tok.idx:
            break
        if r.entity is not None and r.subject and here - r.sent <= 3 and \
                ctx.ents[r.entity].type in ("ORG", "PERSON", "MEDIA"):
            best = r.entity
    return best


_SPEAKING_DOCS = {"memo", "memorandum", "report", "study", "paper", "audit", "review", "filing", "indictment",
                  "complaint", "lawsuit", "ruling", "judgment", "judgement", "analysis", "assessment", "guidance"}


def _whole_name(ctx: _Ctx, tok: Any, k: int) -> int:
    """An organisation's name as the subject writes it, when the NER kept only part of it
    ('Isles Ferry Services' of 'Western Isles Ferry Services', 'ACLU' of 'the ACLU of Iowa')."""
    words = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod", "poss", "case") and
             (c.text[:1].isupper() or c.dep_ == "case")]
    start = min([c.left_edge.idx for c in words] + [tok.idx])
    end = tok.idx + len(tok.text)
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ in ("of", "for") and any(
                p.dep_ == "pobj" and p.pos_ == "PROPN" and p.ent_type_ not in ("DATE", "TIME") for p in c.children):
            end = c.right_edge.idx + len(c.right_edge.text)
    name = " ".join(ctx.raw[start:end].split())
    if name.lower().startswith("the "):
        name = name[4:]
    known = ctx.ents[k].name
    if len(name) <= len(known) or known not in name or ctx.credit[start] or not name[:1].isupper() or \
            any(ctx.quoted(t) for t in ctx.doc[ctx.tok_at.get(start, tok.i):tok.i + 1]):
        return k
    ctx.ents.append(_Ent(E.entity_id("ORG", name), name, "ORG", [(start, end, name)]))
    return len(ctx.ents) - 1


def _named_body(ctx: _Ctx, tok: Any) -> int | None:
    """A body or document the NER missed that speaks as a definite subject: an organisation noun
    or a proper noun with a proper-name modifier ('The Hutchins campaign', 'The Freight Rail
    Council', 'The Centre for Fiscal Transparency'), or a document ('The memo says'). It becomes
    a speaker of its own, named as written (without 'the')."""
    lefts = [c for c in tok.lefts if c.dep_ != "det" and not ctx.quoted(c)]
    proper = tok.pos_ == "PROPN" or any(c.pos_ == "PROPN" or (c.dep_ == "amod" and c.text[:1].isupper())
                                        or (c.dep_ == "poss" and c.left_edge.pos_ == "PROPN") for c in lefts)
    low = tok.lemma_.lower()
    if not ((proper and (low in ORG_NOUNS or tok.pos_ == "PROPN")) or (low in _SPEAKING_DOCS and not proper)):
        return None
    if tok.tag_ in ("NNS", "NNPS") or any(c.dep_ == "poss" and c.pos_ == "PRON" for c in tok.children):
        return None
    start = min([c.left_edge.idx for c in lefts] + [tok.idx])
    end = tok.idx + len(tok.text)
    for c in tok.rights:                          # 'for Fiscal Transparency', 'of Defence'
        if c.dep_ == "prep" and c.lower_ in ("of", "for") and any(
                p.dep_ == "pobj" and p.pos_ == "PROPN" and p.ent_type_ not in ("DATE", "TIME") for p in c.children):
            end = c.right_edge.idx + len(c.right_edge.text)
    name = " ".join(ctx.raw[start:end].split())
    if not name or ctx.credit[start]:
        return None
    kind = "DOCUMENT" if low in _SPEAKING_DOCS and not proper else "ORG"
    ctx.ents.append(_Ent(E.entity_id(kind, name), name, kind, [(start, end, name)]))
    return len(ctx.ents) - 1


_HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "dame": "f", "lord": "m", "lady": "f"}


def _shared_surname(ctx: _Ctx, tok: Any, k: int) -> int:
    """A bare surname two people of the article share (a father and a son, a married couple): the one
    an honorific fits (Mr./Ms.) and, of those, the more salient (named as a subject in the sentences
    just before, or referred to by a pronoun there); otherwise the entity the text linked."""
    surname = E.fold(tok.text)
    def last_name(name: str) -> str:
        words = [w for w in name.split() if E.fold(w).rstrip(".,") not in ("jr", "sr", "ii", "iii", "iv")]
        return E.fold(words[-1]) if words else ""
    cands = [j for j, ent in enumerate(ctx.ents) if ent.type == "PERSON" and len(ent.name.split()) >= 2
             and last_name(ent.name) == surname]
    if len(cands) < 2:
        return k
    prev = ctx.doc[tok.i - 1] if tok.i > 0 else None
    gender = _HONORIFIC_GENDER.get(prev.lower_.rstrip(".")) if prev is not None else None
    age = {w.lower_ for w in ctx.doc[max(0, tok.i - 3):tok.i]} & {"younger", "elder", "older", "junior", "senior"}
    if age:                                       # 'the younger Mr. Castellano' is the one named Jr.
        suffix = ("jr", "junior", "ii") if age & {"younger", "junior"} else ("sr", "senior")
        named = [j for j in cands if E.fold(ctx.ents[j].name.split()[-1]).rstrip(".") in suffix or
                 any(E.fold(w).rstrip(".,") in suffix for w in ctx.ents[j].name.split()[1:])]
        if len(named) == 1:
            return named[0]
    if gender:
        fit = [j for j in cands if ctx.ents[j].gender is None or ctx.ents[j].gender[0] == gender]
        cands = fit or cands
        if len(cands) == 1:
            return cands[0]
    here = ctx.sent_of.get(tok.i, 0)
    score: dict[int, float] = {}
    for r in ctx.chains.refs:
        if r.start >= tok.idx:
            break
        back = here - r.sent
        if r.entity not in cands or back > 4 or (r.kind == "name" and len(ctx.text[r.start:r.end].split()) < 2):
            continue
        w = 100 + (80 if r.subject else 0) + (50 if r.main else 0)
        score[r.entity] = score.get(r.entity, 0.0) + w * 0.5 ** back
    return max(score, key=score.get) if score else k


def _appositive_person(ctx: _Ctx, tok: Any) -> int | None:
    """The person set off by commas inside an indefinite subject ('a spokeswoman for the chain,
    Marta Ruiz,'), not one it merely belongs to ('an aide to Senator Ruth Okafor')."""
    if tok.tag_ != "NN":
        return None
    lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)
    for ms, me, k in ctx.mentions:
        if ms >= hi:
            break
        if ms > lo and ctx.ents[k].type == "PERSON" and ctx.text[lo:ms].rstrip().endswith(","):
            return k
    return None


def _surname_of(ctx: _Ctx, tok: Any) -> int | None:
    """'Torres said' after 'Gabriela Torres Villanueva': the one person named earlier whose name has
    this word after the given name (a first surname, a surname the NER did not tag)."""
    word = E.fold(tok.text)
    found = {k for s, e, k in ctx.mentions if s < tok.idx and ctx.ents[k].type == "PERSON"
             and word in [E.fold(w) for w in ctx.ents[k].name.split()[1:]]}
    if not found:                              # 'Han said' after 'Han Seo-yeon': the family name first
        found = {k for s, e, k in ctx.mentions if s < tok.idx and ctx.ents[k].type == "PERSON"
                 and len(ctx.ents[k].name.split()) >= 2 and word == E.fold(ctx.ents[k].name.split()[0])}
    return found.pop() if len(found) == 1 else None


def _subject(ctx: _Ctx, verb: Any, depth: int = 0) -> Any:
    """The subject token of a cue verb (following xcomp/conj/relcl up the tree)."""
    if verb.lower_ == "according" or verb.lemma_ == "according":
        for c in verb.children:
            if c.lower_ == "to":
                for p in c.children:
                    if p.dep_ == "pobj":
                        return p
        nxt = verb.nbor(1) if verb.i + 1 < len(ctx.doc) else None
        if nxt is not None and nxt.lower_ == "to":
            for p in nxt.children:
                if p.dep_ == "pobj":
                    return p
        return None
    for c in verb.children:
        if c.dep_ in ("nsubj",) and not ctx.quoted(c) and not ctx.credit[c.idx]:
            return c
    w = _with_clause(verb)
    if w is not None:                          # 'with the bloc's chief, Ines Harte, saying': the name
        for types in (("PERSON",), ("ORG", "MEDIA")):
            for j in range(verb.i - 1, w.i, -1):
                t = ctx.doc[j]
                k = ctx.entity_at(t.idx, t.idx + len(t.text))
                if k is not None and ctx.ents[k].type in types:
                    return t
        return next((t for t in ctx.doc[w.i + 1:verb.i] if t.pos_ == "NOUN" and t.head.i in (w.i, verb.i)), None)
    if verb.tag_ == "VBG":                     # 'quoted X as saying', 'cited X as saying'
        up = verb.head
        for _ in range(3):
            if up.lemma_.lower() in ("quote", "cite"):
                return next((c for c in up.children if c.dep_ == "dobj"), None)
            if up.head.i == up.i:
                break
            up = up.head
    for c in verb.children:                    # "it was said by X" is rare; take agent objects
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    if depth < 3 and verb.dep_ in ("xcomp", "conj", "advcl") and verb.head.i != verb.i:
        return _subject(ctx, verb.head, depth + 1)
    return None


def _from_cue(ctx: _Ctx, cue: Any, how: str) -> _Attr | None:
    subj = _subject(ctx, cue)
    if subj is None:
        return _attr_nearby(ctx, cue, how)
    if ctx.credit[subj.idx]:                    # a dateline parsed as the subject: the name before the cue
        return _attr_nearby(ctx, cue, how, back_first=True)
    k, surface, (s, e) = _speaker_of(ctx, subj)
    if k is not None and ctx.ents[k].type == "PLACE" and cue.dep_ == "conj":
        root = cue.sent.root
        rs = _subject(ctx, root) if root.i != cue.i else None
        if rs is not None:
            k2, surface2, (s2, e2) = _speaker_of(ctx, rs)
            if k2 is not None and ctx.ents[k2].type == "PERSON":
                k, surface, s, e = k2, surface2, s2, e2
    cs, ce = cue.idx, cue.idx + len(cue.text)
    return _Attr(k, surface, cue.text, cs, (min(s, cs), max(e, ce)), how, cue)


def _attr_nearby(ctx: _Ctx, cue: Any, how: str, back_first: bool = False) -> _Attr | None:
    """No parsed subject: the name or pronoun right after (inverted) or right before the cue."""
    doc = ctx.doc
    after = range(cue.i + 1, min(len(doc), cue.i + 7))
    before = range(cue.i - 1, max(-1, cue.i - 7), -1)
    for side in ((before, after) if back_first else (after, before)):
        a = _nearby_side(ctx, cue, how, side)
        if a is not None:
            return a
    return None


def _nearby_side(ctx: _Ctx, cue: Any, how: str, side: range) -> _Attr | None:
    doc = ctx.doc
    for j in side:
        t = doc[j]
        if ctx.quoted(t) or ctx.credit[t.idx] or t.text in ('"', ".", ";"):
            break
        k = ctx.entity_at(t.idx, t.idx + len(t.text))
        if k is not None and ctx.ents[k].type == "MEDIA" and t.i > cue.i:
            continue                            # 'telling CNN': the outlet is spoken to, not speaking
        if k is not None and ctx.ents[k].type in ("PERSON", "ORG", "MEDIA"):
            surface = next((x for ms, me, x in ctx.ents[k].mentions if ms <= t.idx < me), t.text)
            return _Attr(k, surface, cue.text, cue.idx, (min(t.idx, cue.idx), max(t.idx + len(t.text),
                                                                                  cue.idx + len(cue.text))), how, cue)
        if t.lower_ in _PRONOUNS and t.pos_ == "PRON":
            k = _resolve_pronoun(ctx, t.idx)
            return _Attr(k, t.text, cue.text, cue.idx, (min(t.idx, cue.idx), max(t.idx + 3, cue.idx + len(cue.text))),
                         how, cue)
    return None


# ------------------------------------------------------------------ frames


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




def _person_in(ctx: _Ctx, s: int, e: int) -> int | None:
    """The first person named in [s, e), if any."""
    for ms, me, k in ctx.mentions:
        if ms >= e:
            break
        if ms >= s and ctx.ents[k].type == "PERSON" and not ctx.inq[ms]:
            return k
    return None
