"""Speaker resolution: which person or organisation each referring expression of an article names.

A mention-level coreference over one article, computed once before its quotes are attributed, so
that a quote's speaker is the person the attribution refers to, not the nearest string.

References (``Ref``) are gathered by a language pack (``english_refs`` here; the Russian pack
builds its own from natasha's parse) and resolved by the language-neutral ``resolve``:

* **names** are the entities stage's mentions (full names, surnames, "Mr. Halvorsen", "Sen.
  Reyes", linked role descriptions); they start the chains;
* **pronouns** (he/she/his/her; it for an organisation) take the entity with the highest
  *salience* among the references before them, in the manner of Lappin & Leass (1994):
  every earlier reference adds a weight halved for each sentence back (at most four sentences,
  three paragraphs); the subject of a main clause weighs most ("the subject of the previous
  sentence"); an object pronoun never takes the subject of its own clause ("Tait left
  him out"); a subject weighs more than an object, and a subject pronoun more again when
  its antecedent was a subject (parallelism); an entity of the pronoun's gender outweighs one of
  unknown gender, one of the other gender is never taken; resolved pronouns join their chain, so
  "Reyes said ... She added ... She also said" stays with Reyes;
* **organisation descriptions** ("the company", "the ministry", "the agency") name the most
  salient organisation whose name holds the noun or, for a generic noun ("company", "firm",
  "carmaker"), the most salient organisation of all.

References inside quotation marks, in a dateline ("WASHINGTON (AP) —") or in a wire credit are
never antecedents: those names are not people speaking in the article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

from .names import ROLE_WORDS

__all__ = ["Ref", "resolve", "Referents", "Chains", "ORG_NOUNS", "english_refs"]

MAX_BACK = 4            # sentences a pronoun looks back
MAX_PARAS = 2           # paragraphs a pronoun looks back
W_MENTION, W_SUBJECT, W_PARALLEL, W_MAIN = 100.0, 80.0, 35.0, 50.0
UNKNOWN_GENDER = 0.6    # weight of an entity of unknown gender against one known to fit
DICTIONARY_MISMATCH = 0.25  # a name the dictionary gives the other gender ("Nino": Italian m, Georgian f)
AMBIGUOUS = 0.5         # a nearer unknown-gender rival this close to the best leaves a pronoun open
COUNTRY_IT = 0.5        # 'Russia said it ...': a country can be "it", less readily than an organisation

# nouns that refer back to an organisation ("the company said")
GENERIC_ORG = {"company", "firm", "group", "carmaker", "automaker", "airline", "retailer", "bank", "lender",
               "insurer", "manufacturer", "chain", "startup", "conglomerate", "broadcaster", "publisher",
               "network", "operator", "developer", "utility", "giant", "organisation", "organization", "charity",
               "business", "corporation", "maker", "supplier", "producer", "exporter", "owner"}
ORG_NOUNS = GENERIC_ORG | {
    "ministry", "department", "agency", "office", "party", "campaign", "committee", "council", "court",
    "commission", "alliance", "bloc", "regulator", "watchdog", "union", "federation", "association", "institute",
    "foundation", "board", "bureau", "service", "authority", "government", "administration", "embassy",
    "university", "club", "team", "league", "army", "military", "police", "newspaper", "channel", "station",
    "outlet", "body", "secretariat", "parliament", "senate", "assembly", "fund", "center", "centre", "coalition",
    "movement", "caucus", "panel", "tribunal", "cabinet", "kremlin"}


# nouns of an unnamed person ("a senior official", "one", "a city employee"): a chain of its own
PERSON_NOUNS = ROLE_WORDS | {
    "person", "official", "source", "aide", "employee", "resident", "worker", "member", "witness", "neighbour",
    "neighbor", "woman", "man", "voter", "supporter", "protester", "protestor", "officer", "lawyer", "attorney",
    "analyst", "executive", "staffer", "teacher", "nurse", "doctor", "student", "farmer", "owner", "driver",
    "insider", "adviser", "advisor", "strategist", "economist", "expert", "participant", "attendee", "passenger",
    "customer", "shopper", "parent", "mother", "father", "veteran", "soldier", "engineer", "investigator",
    "prosecutor", "diplomat", "lawmaker", "legislator", "negotiator", "activist", "organizer", "organiser",
    "volunteer", "trader", "banker", "investor", "manager", "supplier", "contractor", "relative", "friend",
    "colleague", "survivor", "victim", "fan", "player", "one", "someone", "somebody", "insurgent", "fighter",
    "commander", "guard", "pilot", "scientist", "researcher", "physician", "patient", "user", "developer"}
_NOUN_GENDER = {"woman": "f", "mother": "f", "spokeswoman": "f", "chairwoman": "f", "congresswoman": "f",
                "businesswoman": "f", "man": "m", "father": "m", "spokesman": "m", "chairman": "m",
                "congressman": "m", "businessman": "m"}


@dataclass
class Ref:
    start: int
    end: int
    kind: str                   # "name" | "pronoun" | "description" | "anonymous"
    entity: int | None          # index into the article's entity list, once known
    gender: str | None          # "m" | "f" for a person pronoun, "n" for "it"; None for names
    subject: bool
    sent: int
    para: int
    noun: str = ""              # the head noun of a description ("company")
    obj: bool = False           # an object pronoun ("him", "her"): never its own clause's subject
    main: bool = False          # the subject of the sentence's main clause


def _fits(r: Ref, k: int, types: Sequence[str], genders: Sequence[str | None], names: Sequence[str]) -> float:
    """How well entity ``k`` can be what ``r`` refers to: 0 (never), UNKNOWN_GENDER or 1."""
    if r.kind == "description":
        if types[k] not in ("ORG", "MEDIA"):
            return 0.0
        if r.noun in GENERIC_ORG:
            return 1.0
        words = {w.casefold().rstrip("s") for w in names[k].replace("-", " ").split()}
        return 1.0 if r.noun.rstrip("s") in words else 0.0
    if r.gender == "n":
        return 1.0 if types[k] in ("ORG", "MEDIA") else COUNTRY_IT if types[k] == "PLACE" else 0.0
    if types[k] != "PERSON":
        return 0.0
    g = genders[k]
    if r.gender is None or g is None:
        return UNKNOWN_GENDER
    if g.endswith("?"):                 # from the name dictionary only: a sign, not a bar
        return 1.0 if g[0] == r.gender else DICTIONARY_MISMATCH
    return 1.0 if g == r.gender else 0.0


def _antecedent(before: Sequence[Ref], r: Ref, types: Sequence[str], genders: Sequence[str | None],
                names: Sequence[str]) -> int | None:
    scores: dict[int, float] = {}
    last: dict[int, int] = {}
    bound = {a.entity for a in before if r.obj and a.sent == r.sent and a.subject}
    for a in reversed(before):
        back = r.sent - a.sent
        if back > MAX_BACK or r.para - a.para > MAX_PARAS:
            break
        if a.entity is None or a.entity in bound:
            continue
        fit = _fits(r, a.entity, types, genders, names)
        if fit == 0.0:
            continue
        w = W_MENTION + (W_SUBJECT if a.subject else 0.0) + (W_PARALLEL if a.subject and r.subject else 0.0) + \
            (W_MAIN if a.main else 0.0)
        scores[a.entity] = scores.get(a.entity, 0.0) + fit * w * 0.5 ** back
        last.setdefault(a.entity, a.start)
    if not scores:
        return None
    best = max(scores, key=lambda k: (scores[k], last[k]))
    if _fits(r, best, types, genders, names) < UNKNOWN_GENDER and len(scores) > 1:
        return None                 # only a name of the other gender fits, and another person is near
    if r.gender in ("m", "f") and genders[best] is not None and any(
            genders[k] is None and last[k] > last[best] and scores[k] >= AMBIGUOUS * scores[best] for k in scores):
        return None                 # a nearer person of unknown gender: unknown rather than a guess
    return best


def resolve(refs: list[Ref], types: Sequence[str], genders: Sequence[str | None],
            names: Sequence[str]) -> list[Ref]:
    """Give every pronoun and description its entity, in text order (each sees the chains so far)."""
    refs.sort(key=lambda r: r.start)
    for i, r in enumerate(refs):
        if r.entity is None and r.kind in ("pronoun", "description"):
            r.entity = _antecedent(refs[:i], r, types, genders, names)
    return refs


class Referents:
    """The entities references may point at: the article's own, plus one pseudo-entity per unnamed
    person ("a senior official", "источник"), whose chain resolves to nobody."""

    def __init__(self, ents: Sequence[Any]) -> None:
        self.types = [e.type for e in ents]
        self.genders = [e.gender for e in ents]
        self.names = [e.name for e in ents]
        self.real = len(self.types)

    def unnamed(self, gender: str | None = None) -> int:
        self.types.append("PERSON")
        self.genders.append(gender)
        self.names.append("")
        return len(self.types) - 1

    def chains(self, refs: list[Ref], appositions: list[tuple[int, str, int]] | None = None) -> "Chains":
        """``refs`` resolved; a reference to an unnamed person is anonymous, with no entity."""
        resolve(refs, self.types, self.genders, self.names)
        for r in refs:
            if r.entity is not None and r.entity >= self.real:
                r.entity, r.kind = None, "anonymous"
        return Chains(refs, appositions)


class Chains:
    """The resolved references of one article, looked up by position."""

    def __init__(self, refs: list[Ref], appositions: list[tuple[int, str, int]] | None = None) -> None:
        self.refs = refs
        self._by_start = {r.start: r for r in refs}
        self.appositions = sorted(appositions or [])    # (position, noun, entity): 'His son, Dale Pruitt,'

    def described(self, pos: int, noun: str) -> int | None:
        """The person last introduced before ``pos`` in apposition to this noun ('his son answered'
        after 'His son, Dale Pruitt,'; 'the board president' after 'its president, Sharon Duvall')."""
        found = [k for p, n, k in self.appositions if p < pos and n == noun]
        return found[-1] if found else None

    def at(self, pos: int) -> Ref | None:
        return self._by_start.get(pos)

    def entity_at(self, pos: int) -> int | None:
        r = self._by_start.get(pos)
        return r.entity if r is not None else None

    def unnamed(self, pos: int, noun: str, sent: int, back: int = 3) -> bool:
        """Does 'the <noun>' at ``pos`` take up an unnamed person introduced just before ('A senior
        official said ... "...," the official said')?"""
        return any(r.kind == "anonymous" and r.noun == noun and r.start < pos and 0 <= sent - r.sent <= back
                   for r in self.refs)


# ------------------------------------------------------------------ English references

_EN_PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}


def _is_subject(tok: Any) -> bool:
    return tok.dep_ in ("nsubj", "nsubjpass") or (tok.dep_ in ("compound", "flat", "appos") and
                                                  tok.head.dep_ in ("nsubj", "nsubjpass"))


def _is_main_subject(tok: Any) -> bool:
    """The subject of the sentence's root verb (or of a verb conjoined with it)."""
    while tok.dep_ in ("compound", "flat", "appos") and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = tok.head
    return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")


def english_refs(ctx: Any) -> Chains:
    """The references of an English article (``ctx``: the quote context: doc, entities, mentions,
    quote and credit masks, sentences and paragraphs), resolved."""
    doc, refs = ctx.doc, []
    for s, e, k in ctx.mentions:
        if ctx.inq[s] or ctx.credit[s]:
            continue
        t0, t1 = ctx.token(s), ctx.token(max(s, e - 1))
        if t0 is None:
            continue
        toks = doc[t0.i:(t1.i if t1 is not None else t0.i) + 1]
        refs.append(Ref(s, e, "name", k, None, any(_is_subject(t) for t in toks), ctx.sent_of.get(t0.i, 0),
                        ctx.para_of(s), main=any(_is_main_subject(t) for t in toks)))
    named = {r.start for r in refs}
    known = Referents(ctx.ents)
    for t in doc:
        if ctx.quoted(t) or ctx.credit[t.idx] or t.idx in named:
            continue
        low = t.lower_
        if _anonymous(t):                      # an unnamed person starts a chain that names nobody
            refs.append(Ref(t.idx, t.idx + len(t.text), "anonymous", known.unnamed(_NOUN_GENDER.get(t.lemma_.lower())),
                            None, True,
                            ctx.sent_of.get(t.i, 0), ctx.para_of(t.idx), _anonymous_noun(t)))
            continue
        if low in _EN_PRONOUNS and t.tag_ in ("PRP", "PRP$"):
            gender = _EN_PRONOUNS[low]
        elif low == "it" and t.dep_ in ("nsubj", "nsubjpass"):
            gender = "n"
        elif low.rstrip("s") in ORG_NOUNS and t.pos_ == "NOUN" and t.tag_ == "NN" and \
                any(c.lower_ == "the" for c in t.children) and _is_subject(t) and \
                ctx.entity_at(t.idx, t.idx + len(t.text)) is None:
            refs.append(Ref(t.idx, t.idx + len(t.text), "description", None, None, True,
                            ctx.sent_of.get(t.i, 0), ctx.para_of(t.idx), low))
            continue
        else:
            continue
        subj = _is_subject(t)
        refs.append(Ref(t.idx, t.idx + len(t.text), "pronoun", None, gender, subj,
                        ctx.sent_of.get(t.i, 0), ctx.para_of(t.idx), obj=t.tag_ == "PRP" and not subj,
                        main=_is_main_subject(t)))
    return known.chains(refs, _appositions(ctx))


def _appositions(ctx: Any) -> list[tuple[int, str, int]]:
    """(position, noun, person) for every person named in apposition to a noun: 'His son, Dale
    Pruitt,' / 'Sharon Duvall, the board president,'."""
    out = []
    for t in ctx.doc:
        if t.dep_ != "appos" or ctx.quoted(t):
            continue
        h = t.head
        k = ctx.entity_at(t.idx, t.idx + len(t.text))
        if k is not None and ctx.ents[k].type == "PERSON" and h.pos_ == "NOUN":
            out.append((h.idx, h.lemma_.lower(), k))
            continue
        k = ctx.entity_at(h.idx, h.idx + len(h.text))
        if k is not None and ctx.ents[k].type == "PERSON" and t.pos_ == "NOUN":
            out.append((t.idx, t.lemma_.lower(), k))
    return out


_AGENT = re.compile(r"(?:er|or|ist|ian|ant|ent|eer|ee|ive)$")


def _anonymous(t: Any) -> bool:
    """A subject that is an unnamed person: 'a senior official', 'one of the suppliers', 'another aide'."""
    if t.dep_ not in ("nsubj", "nsubjpass") or t.ent_type_ == "PERSON":
        return False
    low = t.lower_
    if low in ("one", "someone", "somebody"):
        return True
    lemma = t.lemma_.lower()
    if t.pos_ != "NOUN" or t.tag_ != "NN" or not (lemma in PERSON_NOUNS or _AGENT.search(lemma)):
        return False
    if any(w.ent_type_ == "PERSON" and w.i > 0 and t.doc[w.i - 1].text == "," for w in t.subtree):
        return False                           # 'a spokeswoman for the chain, Marta Ruiz,': named
    return any(c.dep_ == "det" and c.lower_ in ("a", "an", "another", "one") for c in t.children)


def _anonymous_noun(t: Any) -> str:
    """'diplomat' for 'one of the diplomats', else the subject's own lemma."""
    if t.lower_ == "one":
        for c in t.children:
            if c.lower_ == "of":
                pobj = next((p for p in c.children if p.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj.lemma_.lower()
    return t.lemma_.lower()
