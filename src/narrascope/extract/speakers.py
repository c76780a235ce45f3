"""English quote attribution, the speaker: the subject of a cue verb turned into a person or an
organisation of the article, through names, pronouns (``coref``), descriptions, appositions,
titles, surnames, bodies the NER missed and the lead's forward reference."""
from __future__ import annotations

import re
from typing import Any

from . import entities as E
from .coref import ORG_NOUNS
from .quotecontext import (_PRONOUNS, _Attr, _Ctx, _Ent, _gender_ok, _np_text, _person_in,
                           _with_clause)

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
            k = ctx.chains.entity_at(tok.idx)
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
        return _described(ctx, tok)[0], text, (s, e)
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
            k = ctx.chains.entity_at(t.idx)
            return _Attr(k, t.text, cue.text, cue.idx, (min(t.idx, cue.idx), max(t.idx + 3, cue.idx + len(cue.text))),
                         how, cue)
    return None
