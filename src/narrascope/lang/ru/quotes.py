"""Russian quotes: «ёлочки» (with „лапки“ inside), the dash attribution, and who said them.

Read on the clean body (where «» and „“ are straight quotes, one character for one):

* the quote runs: a quotation mark after a space and before a letter opens a
  quote, one after a letter or punctuation and before a space closes it; an opening
  mark inside an open quote starts a nested quote (the „лапки“ of Russian typography),
  so only the outer quote is taken;
* the attribution, in the shapes Russian news uses:
  - after the quote with a dash: «…», — заявил Дмитрий Песков журналистам;
  - inside the quote: «Первая часть, — сказал он. — Вторая часть» (two parts, one speaker);
  - before it with a colon: Лавров подчеркнул: «…»; Об этом заявил Песков: «…»;
  - a frame before it: по словам Захаровой, «…»; как отметил министр, «…»;
  - a partial quote in reported speech: министр назвал ситуацию «катастрофической»
    (the subject of the verb that governs the quote, from natasha's syntax);
  - organisations: в Кремле заявили, МИД России сообщил, говорится в заявлении МИД;
* a pronoun (он, она) is the last person of that gender named before, the subject of
  the previous sentence first; a role word (министр, пресс-секретарь) is the person
  the article gives that title; an anonymous source (источник) stays without a name;
* a short quote nobody is said to have said is a name when it is capitalised
  («Газпром», «Северный поток» — Russian writes names of firms, ships and operations
  in quotation marks): it is not a quote at all; otherwise it is a scare quote;
* the day it was said: a day-precise date in the attribution clause, else in the
  quote's sentence outside the quote, else the previous quote's by the same speaker
  when this one continues it ("добавил он").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

from ...extract import interview as I
from ...extract import names as E
from ...extract.quotemarks import paragraphs, straighten_marks
from ...extract.saidon import lead_day
from ...extract.quotes import Quote
from .coref import russian_refs
from .dates import find_temporal
from .entities import ROLE_LEMMAS
from .nlp import parse
from .text import split_sentences

SPEECH_LEMMAS = {
    "заявить", "заявлять", "сказать", "говорить", "отметить", "отмечать", "подчеркнуть", "подчеркивать",
    "добавить", "добавлять", "пояснить", "пояснять", "сообщить", "сообщать", "написать", "писать", "указать",
    "указывать", "признать", "признаться", "уточнить", "заключить", "рассказать", "рассказывать", "ответить",
    "отвечать", "цитировать", "передать", "напомнить", "предупредить", "констатировать", "резюмировать",
    "высказаться", "выразить", "назвать", "называть", "охарактеризовать", "допустить", "заверить", "убеждать",
    "возразить", "парировать", "пожаловаться", "призвать", "заметить", "считать", "полагать", "говориться",
    "утверждать", "сообщаться", "объяснить", "объявить", "обещать", "пообещать", "опровергнуть", "настаивать",
    "посетовать", "иронизировать", "обратить", "продолжить", "спросить", "воскликнуть", "прокомментировать",
}
_SPEECH_RX = re.compile(
    r"(?<!\w)(?:заяв|сказа|говор|отмет|подчерк|добав|поясн|сообщ|написа|пиш|указа|призна|уточн|заключ|рассказ|"
    r"ответ|цитир|переда|напомн|предупред|констат|резюмир|высказ|вырази|назва|называ|охарактериз|допуст|завер|"
    r"возраз|парир|пожалова|призва|замет|счита|полага|утвержда|объясн|объяв|пообеща|обеща|опроверг|настаива|"
    r"посетова|иронизир|прокомментир|спроси|восклик|продолжи)\w*", re.I)
_PRONOUNS = {"он": "m", "она": "f", "его": "m", "ее": "f", "её": "f"}
_ANON = re.compile(r"(?<!\w)(?:источник\w*|собеседник\w*|осведомл\w+|неназванн\w+|анонимн\w+)", re.I)
_DASH = "—–-"
# where words are posted, not who speaks: "написал в своём Telegram-канале", "сообщила во ВКонтакте"
_PLATFORM = re.compile(r"(?i)telegram|телеграм|вконтакте|дзен|twitter|твиттер|youtube|instagram|facebook|rutube|"
                       r"одноклассник|канал")


@dataclass
class _Span:
    start: int          # the quoted words
    end: int
    open: int           # the marks
    close: int | None
    para: int


@dataclass
class _Ent:
    id: str
    name: str
    type: str
    mentions: list[tuple[int, int]]
    gender: str | None
    titles: list[str]


def scan(text: str) -> list[_Span]:
    """Outer quoted runs of each paragraph; nested quotes stay inside their outer quote."""
    out = []
    for k, (ps, pe) in enumerate(paragraphs(text)):
        depth, open_at = 0, None
        for i in range(ps, pe):
            if text[i] != '"':
                continue
            prev = text[i - 1] if i > ps else " "
            nxt = text[i + 1] if i + 1 < pe else " "
            opening = (prev.isspace() or prev in "([{—–-/:;,") and not nxt.isspace()
            if depth == 0:
                open_at, depth = i, 1
            elif opening and nxt not in ".,;:!?)":
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    out.append(_Span(open_at + 1, i, open_at, i, k))
        if depth > 0 and open_at is not None:
            out.append(_Span(open_at + 1, pe, open_at, None, k))
    return out


_INNER_ATTR = re.compile(r"([,!?….])\s+[—–-]\s+([^\"—–]{2,160}?)([.,:])\s+[—–-]\s+(?=\S)")


def _split_inner(text: str, sp: _Span) -> list[tuple[int, int, tuple[int, int] | None]]:
    """(start, end, inner attribution span) parts of a quote with the attribution inside it."""
    seg = text[sp.start:sp.end]
    m = _INNER_ATTR.search(seg)
    if m and _SPEECH_RX.search(m.group(2)):
        a = (sp.start + m.start(2), sp.start + m.end(2))
        return [(sp.start, sp.start + m.start(1) + (1 if m.group(1) in "!?…" else 0), a),
                (sp.start + m.end(), sp.end, a)]
    return [(sp.start, sp.end, None)]


class _Ctx:
    def __init__(self, text: str, ents: list[_Ent], published: str | None) -> None:
        self.text = text
        self.paras = paragraphs(text)
        self.doc = parse(text)
        self.ents = ents
        self.sents = split_sentences(text)
        self.dates = [d for d in find_temporal(text, published) if d.value and d.precision == "day"]
        self.mentions = sorted((s, e, k) for k, ent in enumerate(ents) for s, e in ent.mentions)
        self.speakers: set[int] = set()         # entities given a quote so far
        self.chains: Any = None                 # the resolved references (lang.ru.coref), set by the caller

    def para_of(self, i: int) -> int:
        return next((k for k, (a, b) in enumerate(self.paras) if a <= i <= b), len(self.paras) - 1)

    def para_start(self, sp: "_Span") -> int:
        return self.paras[sp.para][0]

    def sentence(self, i: int) -> tuple[int, int]:
        return next(((a, b) for a, b in self.sents if a <= i < b), (i, i))

    def ent_at(self, s: int, e: int) -> int | None:
        return next((k for ms, me, k in self.mentions if ms < e and s < me), None)

    def first_ent(self, s: int, e: int, types: Sequence[str] = ("PERSON", "ORG", "MEDIA", "PLACE")) -> int | None:
        return next((k for ms, me, k in self.mentions if s <= ms and me <= e and self.ents[k].type in types), None)

    def tokens(self, s: int, e: int) -> list[Any]:
        return [t for t in self.doc.tokens if s <= t.start and t.stop <= e]


def _entities(local: Sequence[Any]) -> list[_Ent]:
    out = []
    for e in local:
        if isinstance(e, E.LocalEntity):
            out.append(_Ent(E.entity_id(e.type, e.canonical or e.name), e.canonical or e.name, e.type,
                            [(m.start, m.end) for m in e.mentions], e.gender, list(e.titles)))
        else:
            out.append(_Ent(e["id"], e["name"], e["type"], [(m["start"], m["end"]) for m in e.get("mentions", [])],
                            None, []))
    return out


def _pronoun(ctx: _Ctx, word: str, before: int, at: int | None = None) -> int | None:
    """The person a pronoun refers to: the subject of the previous sentence (a name, or a role word
    taken to its person), else the shared salience resolver's answer for the pronoun at ``at``
    (``lang.ru.coref``), else the last person of that gender named before."""
    gender = _PRONOUNS.get(word.lower())
    s0, _ = ctx.sentence(before)
    prev = _previous_sentence(ctx, s0)
    if prev:                                        # the subject of the previous sentence first
        for t in ctx.tokens(*prev):
            if t.rel == "nsubj":
                k = ctx.ent_at(t.start, t.stop)
                if k is None and t.pos == "NOUN":       # "министр обороны Рустем Умеров": the name beside it
                    k = ctx.first_ent(t.start, min(prev[1], t.stop + 60), ("PERSON",))
                if k is not None and ctx.ents[k].type == "PERSON" and ctx.ents[k].gender in (gender, None):
                    return k
                if k is None and t.pos == "NOUN" and ((t.lemma or "") in ROLE_LEMMAS or _person_noun(t)):
                    k = _role(ctx, t.lemma or t.text, t.start, _nation_of(ctx, t.start, t.stop))
                    if k is not None and ctx.ents[k].gender in (gender, None):
                        return k                    # "Губернатор заверил ... — сказал он"
    ref = ctx.chains.at(at) if at is not None and ctx.chains is not None else None
    if ref is not None and ref.kind == "anonymous":
        return None                                 # 'источник ... — сказал он': nobody named
    if ref is not None and ref.entity is not None:
        return ref.entity                           # the most salient person of that gender
    for ms, me, k in reversed(ctx.mentions):
        if me <= before and ctx.ents[k].type == "PERSON" and ctx.ents[k].gender in (gender, None):
            return k
    return None


_NATION = {"российск": "росси", "турецк": "турци", "американск": "сша", "украинск": "украин", "китайск": "кнр",
           "британск": "британ", "французск": "франц", "немецк": "герман", "венгерск": "венгр",
           "израильск": "израил", "иранск": "иран", "белорусск": "беларус", "польск": "польш", "японск": "япони",
           "индийск": "инди", "итальянск": "итали", "европейск": "ес", "казахстанск": "казахстан"}


def _nation_of(ctx: _Ctx, s: int, e: int) -> str | None:
    """'росси' for 'российский лидер': the country an adjective before a role word points at."""
    for t in ctx.tokens(max(0, s - 40), e):
        low = t.text.lower()
        stem = next((v for k, v in _NATION.items() if low.startswith(k)), None)
        if stem:
            return stem
    return None


_ROLE_SYNONYMS = {"глава государства": "президент", "глава правительства": "председатель правительства"}


def _role(ctx: _Ctx, word: str, before: int, nation: str | None = None) -> int | None:
    """'министр' -> the person the article calls a minister (the latest one named before), else the
    subject of the sentence before, else the person named last before it (a role word in Russian
    news points back at the person just named). 'российский лидер', 'турецкий министр': the person
    whose titles name that country, when one does."""
    lem = _ROLE_SYNONYMS.get(word.lower(), word.lower())
    best = last = national = None
    for ms, me, k in ctx.mentions:
        if me > before:
            break
        ent = ctx.ents[k]
        if ent.type == "PERSON":
            last = k
            if any(lem[:5] in t.lower() for t in ent.titles):
                best = k
            if nation and any(nation in E.fold(t) or nation in t.lower() for t in ent.titles + [ent.name]):
                national = k
    if nation:
        if national is not None:
            return national
        if best is not None and not any(nation in t.lower() for t in ctx.ents[best].titles):
            best = None
    if best is not None:
        return best
    prev = _previous_subject(ctx, before)
    return prev if prev is not None else last


def _role_phrase(ctx: _Ctx, t: Any) -> str:
    """'глава государства' for 'глава' followed by 'государства', else the role word's lemma."""
    nxt = ctx.text[t.stop:t.stop + 16].split()
    if (t.lemma or "") == "глава" and nxt and nxt[0].lower().startswith(("государств", "правительств")):
        return "глава " + ("государства" if nxt[0].lower().startswith("государств") else "правительства")
    return t.lemma or t.text


def _previous_sentence(ctx: _Ctx, start: int) -> tuple[int, int] | None:
    """The sentence that ends last before ``start`` (across a paragraph break)."""
    cands = [x for x in ctx.sents if x[1] <= start and x[0] < start]
    return max(cands, key=lambda x: x[1]) if cands else None


def _previous_subject(ctx: _Ctx, before: int) -> int | None:
    """The person who is the subject of the sentence before the one holding ``before``."""
    s0, _ = ctx.sentence(before)
    prev = _previous_sentence(ctx, s0)
    if prev is None:
        return None
    for t in ctx.tokens(*prev):
        if t.rel in ("nsubj", "nsubj:pass"):
            k = ctx.ent_at(t.start, t.stop)
            if k is None and t.pos == "NOUN":
                k = ctx.first_ent(t.start, min(prev[1], t.stop + 60), ("PERSON",))
            if k is not None and ctx.ents[k].type == "PERSON":
                return k
    return None


_DOCUMENT_SAYS = re.compile(r"(?i)говорится\s+в\s+(?:\w+\s+){0,2}?(?:сообщени|заявлени|документ|релиз|коммюнике|"
                            r"публикаци|письм|ответ|доклад|отч[её]т|материал|уведомлени|обращени|справк)")
_THEY_THERE = re.compile(r"(?i)^\s*[—–-]?\s*\w+(?:ли|ли\s+там)\b(?:\s+(?:в|во)\s+(?:\w+\s+){0,2}?(?:ведомств|министерств|"
                         r"компани|организаци|пресс-служб|корпораци|госкорпораци|агентств|посольств|правительств|"
                         r"управлени|штаб|офис|банк|регулятор)\w*|\s+там)")
_QUOTES_WORDS = re.compile(r"(?i)(?:привод|привел|привёл|привела|процитир|цитир)\w*\s+(?:\w+\s+)?слова\s+")
_ORG_NOUNS = {"ведомство", "дипведомство", "министерство", "минобороны", "компания", "пресс-служба", "корпорация",
              "госкорпорация", "агентство", "посольство", "правительство", "управление", "штаб", "офис", "банк",
              "регулятор", "организация", "администрация", "аппарат", "департамент", "комитет", "служба"}


def _org_back(ctx: _Ctx, before: int) -> int | None:
    """The organisation named last before ``before`` (within the two paragraphs before), the one
    "the statement", "the ministry" or "они там" speaks for."""
    floor = ctx.paras[max(0, ctx.para_of(before) - 2)][0]
    orgs = [k for ms, me, k in reversed(ctx.mentions) if me <= before and ms >= floor and
            ctx.ents[k].type == "ORG" and not _PLATFORM.search(ctx.ents[k].name)]
    spoke = [k for k in orgs if k in ctx.speakers]      # one that has already spoken in the article first
    subjects = {k for ms, me, k in ctx.mentions if k in orgs and any(
        t.rel in ("nsubj", "nsubj:pass") for t in ctx.tokens(ms, me))}
    acting = [k for k in orgs if k in subjects]          # then one that acts as a subject
    return (spoke or acting or orgs or [None])[0]


def _speaker_in(ctx: _Ctx, s: int, e: int, how: str) -> tuple[int | None, str | None, str]:
    """Who speaks in the attribution text [s, e): an entity, a pronoun, a role word, or nobody named."""
    seg = ctx.text[s:e]
    pron = re.match(r"[\s,.!?…—–-]*\w+\s+(он|она)(?!\w)", seg)
    if pron and not _QUOTES_WORDS.search(seg):          # "— сказала она, обращаясь к Пантелееву"
        return _pronoun(ctx, pron.group(1), s, s + pron.start(1)), pron.group(1), how + "+pronoun"
    m = _QUOTES_WORDS.search(seg)                    # "приводит слова Новака пресс-служба": Новак
    if m:
        k = ctx.first_ent(s + m.end(), e, ("PERSON",))
        if k is not None:
            return k, ctx.ents[k].name, how + "+words-of"
    if (_DOCUMENT_SAYS.search(seg) or _THEY_THERE.match(seg)) and ctx.first_ent(s, e, ("PERSON", "ORG")) is None:
        k = _org_back(ctx, s)                        # "— говорится в сообщении ведомства", "добавили в компании"
        if k is not None:
            return k, seg.strip()[:60], how + "+organisation"
    k = ctx.first_ent(s, e, ("PERSON",))
    if k is not None and _PLATFORM.search(ctx.ents[k].name):
        k = None
    if k is None:
        m = re.search(r"(?<!\w)(?:в|во)\s+\S", seg)
        k = ctx.first_ent(s, e)
        if k is not None and ctx.ents[k].type in ("ORG", "MEDIA"):
            ks = next(ms for ms, me, j in ctx.mentions if j == k and s <= ms)
            role = next((t for t in ctx.tokens(s, ks) if t.pos == "NOUN" and
                         ((t.lemma or "") in ROLE_LEMMAS or _person_noun(t))), None)
            if role is not None:                     # "— ответила официальный представитель МИД"
                return _role(ctx, role.lemma, s, _nation_of(ctx, role.start, role.stop)), role.text, how + "+role"
        if k is not None and (ctx.ents[k].type == "PLACE" and not m or _PLATFORM.search(ctx.ents[k].name)):
            k = None
    if k is not None and ctx.ents[k].type == "MEDIA":                 # "цитирует его ТАСС", "сказал он РИА Новости"
        pron = re.search(r"(?<!\w)(он|она|его|ее|её)(?!\w)", seg, re.I)
        if pron:
            return _pronoun(ctx, pron.group(1), s, s + pron.start(1)), pron.group(1), how + "+pronoun"
    anon = _ANON.search(seg)
    if anon and (k is None or ctx.ents[k].type == "MEDIA"          # "сообщил РИА Новости источник"
                 or anon.start() < min(ms for ms, _, j in ctx.mentions if j == k and s <= ms) - s):
        return None, anon.group(), how
    if k is not None:
        ms = next(ms for ms, me, j in ctx.mentions if j == k and s <= ms < e)
        me = next(me for ms2, me, j in ctx.mentions if j == k and ms2 == ms)
        return k, ctx.text[ms:me], how
    for t in ctx.tokens(s, e):
        w = t.text.lower()
        if w in _PRONOUNS:
            return _pronoun(ctx, w, s, t.start), t.text, how + "+pronoun"
        if t.pos == "NOUN" and ((t.lemma or "") in ROLE_LEMMAS or _person_noun(t)):
            return _role(ctx, _role_phrase(ctx, t), s, _nation_of(ctx, t.start, t.stop)), t.text, how + "+role"
    return None, None, how


def _person_noun(t: Any) -> bool:
    """A noun for a person ("тренер", "глава", "эксперт"): animate, singular, not a source word."""
    f = t.feats or {}
    return f.get("Animacy") == "Anim" and f.get("Number") == "Sing" and not _ANON.match(t.text)


def _subject(ctx: _Ctx, s: int, e: int) -> tuple[int | None, str | None, str, Any]:
    """The subject of the speech verb in [s, e) (natasha's syntax), resolved to an entity."""
    toks = ctx.tokens(s, e)
    verbs = [t for t in toks if t.pos in ("VERB", "AUX") and (t.lemma in SPEECH_LEMMAS or _SPEECH_RX.match(t.text))]
    if verbs and toks and verbs[-1].stop >= e - 40:
        verbs = verbs[::-1]            # a partial quote: the verb nearest to it governs it ('который призвал «…»')
    for v in verbs or [t for t in toks if t.pos == "VERB"]:
        for t in toks:
            if t.head_id == v.id and t.rel in ("nsubj", "nsubj:pass"):
                k = ctx.ent_at(t.start, t.stop)
                if k is None and t.pos == "NOUN" and t.stop <= v.start:
                    # "Министр финансов Антон Силуанов заявил": the name stands beside the role word
                    k = ctx.first_ent(t.start, v.start, ("PERSON",))
                if k is None and t.pos == "NOUN" and v.stop <= t.start:
                    k = ctx.first_ent(t.start, min(e, ctx.sentence(t.start)[1]), ("PERSON",))
                if k is not None:
                    return k, t.text, "subject", v
                if t.text.lower() in ("он", "она"):
                    return _pronoun(ctx, t.text, t.start, t.start), t.text, "subject+pronoun", v
                if (t.lemma or "") in ROLE_LEMMAS or _person_noun(t):
                    return (_role(ctx, _role_phrase(ctx, t), t.start, _nation_of(ctx, t.start, t.stop)), t.text,
                            "subject+role", v)
                if t.text.lower() in ("который", "которая", "которые"):   # 'Столтенберга, который пообещал «…»'
                    k = next((k for ms, me, k in reversed(ctx.mentions) if me <= t.start and
                              ctx.ents[k].type == "PERSON"), None)
                    if k is not None:
                        return k, t.text, "subject+relative", v
                if _ANON.match(t.text):
                    return None, t.text, "subject+anonymous", v
        for t in toks:                               # "в Кремле заявили": the place that speaks
            if t.head_id == v.id and t.rel in ("obl",) and t.stop <= v.start:
                k = ctx.ent_at(t.start, t.stop)
                if k is not None and ctx.ents[k].type in ("ORG", "PLACE", "MEDIA"):
                    return k, t.text, "subject+in", v
                if k is None and (t.lemma or "") in _ORG_NOUNS:   # "в военном ведомстве заявили"
                    k = _org_back(ctx, t.start)
                    if k is not None:
                        return k, t.text, "subject+in+organisation", v
    for v in verbs:                                  # no parsed subject: the person named before the verb
        k = ctx.first_ent(s, v.start, ("PERSON",))
        if k is not None:
            return k, ctx.ents[k].name, "subject+before", v
    return None, None, "", None


def _attribute(ctx: _Ctx, sp: _Span, inner: tuple[int, int] | None, next_open: int) -> tuple[int | None, str | None, str, tuple[int, int] | None]:
    text = ctx.text
    if inner:
        k, st, how = _speaker_in(ctx, *inner, "inside")
        return k, st, how, inner
    s_start, s_end = ctx.sentence(sp.open)
    # after: «…», — заявил Песков.
    after = sp.close + 1 if sp.close is not None else sp.end
    m = re.match(r"\s*[,.!?…]?\s*[—–-]\s*", text[after:after + 6])
    if m:
        a = after + m.end()
        stop = min(x for x in (ctx.sentence(a)[1], next_open, len(text)) if x > a)
        clause = text[a:stop]
        if _SPEECH_RX.search(clause[:60]) or re.match(r"\s*говорится", clause):
            k, st, how = _speaker_in(ctx, a, stop, "dash")
            if k is None and st is None:
                k2, st2, how2, _ = _subject(ctx, a, stop)
                k, st, how = k2, st2, how2 or "dash"
            return k, st, how, (a, stop)
    # before, in the same sentence: "Лавров подчеркнул: «…»", "по словам X, «…»", partial quotes
    lead_s = max(s_start, ctx.para_start(sp))
    lead = text[lead_s:sp.open]
    pm = re.search(r"(?:по\s+(?:(?:его|её|ее|их)\s+)?(?:словам|мнению|оценке|данным)|как\s+(?:\w+\s+){0,2}?(?=\w*(?:заяв|сказа|отмет|подчерк|поясн|сообщ|"
                   r"написа|указа|уточн|рассказ|ответ|замет|напомн)))(.{0,120}?),", lead, re.I)
    if pm:
        k, st, how = _speaker_in(ctx, lead_s + pm.start(), lead_s + pm.end(), "frame")
        return k, st, how, (lead_s + pm.start(), lead_s + pm.end())
    if lead.strip():
        k, st, how, v = _subject(ctx, lead_s, sp.open)
        if k is not None or st is not None:
            return k, st, ("colon+" if lead.rstrip().endswith(":") else "partial+") + how, (lead_s, sp.open)
    after = (sp.close + 1) if sp.close is not None else sp.end
    tail_e = min(x for x in (s_end, next_open, len(text)) if x > after) if after < len(text) else after
    tail = text[after:tail_e]
    if lead.strip() and re.match(r"[^.!?«»\"]{0,160}?,\s*(?:—\s*)?\w*(?:заяв|сказа|отмет|подчерк|поясн|сообщ|"
                                 r"написа|указа|уточн|рассказ|ответ|замет|напомн|добав|признал)", tail, re.I):
        k, st, how, v = _subject(ctx, after, tail_e)   # "«серьёзным вызовом» для экономики, заявил X"
        if k is not None or st is not None:
            return k, st, "partial-after+" + how, (after, tail_e)
    return None, None, "", None


_NEXT_SAYS = re.compile(r"\s*(?:Так|Об этом|Такими словами|Такое мнение|Эти слова|Такую оценку|Такой прогноз|"
                        r"Этой фразой|Этими словами|С такими словами|Такое заявление)\b")


def _neighbour(ctx: _Ctx, sp: _Span) -> tuple[int | None, str | None, str, tuple[int, int] | None]:
    """A quote that is a sentence of its own, its speaker named in the sentence before ("Песков
    напомнил, что ... «…»") or after ("«…» Так он ответил на вопрос ...")."""
    inner = ctx.text[sp.start:sp.end].strip()
    if len(inner.split()) < 4 or not inner[:1].isupper():
        return None, None, "", None
    s, e = ctx.sentence(sp.open)
    ps, pe = ctx.paras[sp.para]
    if ctx.text[s:sp.open].strip(" \"") == "":
        after = (sp.close + 1) if sp.close is not None else sp.end
        nxt = min((x for x in ctx.sents if x[0] >= after), default=(pe, pe))
        if nxt[1] <= pe and _NEXT_SAYS.match(ctx.text[nxt[0]:nxt[1]]):
            k, st, how, _ = _subject(ctx, *nxt)
            if k is not None or st is not None:
                return k, st, "next-sentence+" + how, nxt
        prev = _previous_sentence(ctx, s)
        if prev is not None and prev[0] >= ctx.paras[max(0, sp.para - 1)][0]:
            k, st, how, _ = _subject(ctx, *prev)       # the person who acts in the sentence before
            if k is not None and ctx.ents[k].type in ("PERSON", "ORG") or (k is None and st and "+anonymous" in how):
                return k, st, "previous-sentence+" + how, prev
    return None, None, "", None


def _said_on(ctx: _Ctx, ev: tuple[int, int] | None, sp: _Span, k: int | None, para_start: int) -> str | None:
    """The day: in the attribution, else in the quote's sentence, else in an earlier sentence of the
    paragraph where the same speaker is said to speak ("Песков заявил во вторник, что ... «…», — сказал он")."""
    if ev is not None:
        for d in ctx.dates:
            if ev[0] <= d.start and d.end <= ev[1]:
                return d.value
    s, e = ctx.sentence(sp.open)
    for d in ctx.dates:
        if s <= d.start and d.end <= e and not (sp.start <= d.start < sp.end):
            return d.value
    if k is None:
        return None
    for a, b in reversed([x for x in ctx.sents if para_start <= x[0] and x[1] <= s]):
        people = {j for ms, me, j in ctx.mentions if a <= ms and me <= b and ctx.ents[j].type == "PERSON"}
        if (k in people or not people) and _SPEECH_RX.search(ctx.text[a:b]):
            day = next((d.value for d in ctx.dates if a <= d.start and d.end <= b), None)
            if day:
                return day
    return None


INTERVIEW = I.Labels(
    question=re.compile(r"(?:Вопрос|В)\s*:\s*"),
    answer=re.compile(r"(?:Ответ|О)\s*:\s*"),
    dash=True,
    interview_word=re.compile(r"(?i)интервью|бесед|рассказал|ответил\w* на вопросы"),
    credit=re.compile(r"(?:Беседовал[аи]?|Интервью взял[аи]?|Вопросы задавал[аи]?|Записал[аи]?)\s*:?\s+"
                      r"(?P<name>[А-ЯЁ][а-яё]+(?:\s+[А-ЯЁ][а-яё]+){1,2})"))


_ASKER = re.compile(r"(?i)(?:корреспонденту|журналисту|обозревателю|редактору|ведущему|ведущей|корреспондентке)\b")


def _interview(ctx: _Ctx, raw: str) -> list[Quote]:
    """Question and answer paragraphs: the answers are the interviewee's, the questions the
    interviewer's when a credit line names one."""
    tt = I.turns(ctx.text, ctx.paras, INTERVIEW)
    if not tt:
        return []
    people = [(ms, me, k) for ms, me, k in ctx.mentions if ctx.ents[k].type == "PERSON"]
    line = I.interviewer_line(ctx.text, INTERVIEW)
    asker = ctx.ent_at(*line) if line else None
    intro_end = ctx.paras[tt[0].para][0]
    m = _ASKER.search(ctx.text, 0, intro_end)
    if asker is None and m:                          # "рассказала корреспонденту ТАСС Егору Лапину"
        asker = ctx.first_ent(m.end(), min(intro_end, m.end() + 60), ("PERSON",))
    asker_name = ctx.ents[asker].name if asker is not None else (ctx.text[line[0]:line[1]] if line else None)
    guest = I.interviewee(ctx.text, ctx.paras[tt[0].para][0], people, INTERVIEW, exclude=asker)
    out = []
    for t in tt:
        if t.question:
            name = asker_name
            sid = (ctx.ents[asker].id if asker is not None else E.entity_id("PERSON", name)) if name else None
            how = "interview-question"
        else:
            name = ctx.ents[guest].name if guest is not None else None
            sid = ctx.ents[guest].id if guest is not None else None
            how = "interview-answer"
        out.append(Quote(raw[t.start:t.end], t.start, t.end, None, name, sid, None, None, None, "direct", how))
    return out


def _is_name(text: str, sp: _Span) -> bool:
    """A short capitalised run in quotation marks: a name («Метрикс», «Северный поток»)."""
    inner = text[sp.start:sp.end].strip()
    return 0 < len(inner.split()) <= 3 and inner[:1].isupper() and inner[-1:] not in ".!?…"


def extract_quotes(text: str, entities: Sequence[Any] | None, published: str | None) -> list[Quote]:
    raw, text = text, straighten_marks(text)
    spans = scan(text)
    if not spans and not re.search(r"(?m)^(?:[—–-]\s|Вопрос\s*:|Ответ\s*:)", text):
        return []
    from .entities import article_entities

    ents = _entities(entities if entities is not None else article_entities(raw))
    ctx = _Ctx(text, ents, published)
    ctx.chains = russian_refs(ctx, [(sp.open, (sp.close if sp.close is not None else sp.end) + 1) for sp in spans])
    paras = ctx.paras
    out: list[Quote] = _interview(ctx, raw)
    turns = [(q.start, q.end) for q in out]
    spans = [sp for sp in spans if not any(a == sp.start for a, _ in turns)]   # quotes inside a turn stay
    last: dict[str, Any] = {}
    said: dict[int, str] = {}
    for i, sp in enumerate(spans):
        later = [x for x in spans[i + 1:] if not _is_name(text, x)]       # «Метрикс» does not end a clause
        next_open = later[0].open if later else len(text)
        parts = _split_inner(text, sp)
        k, st, how, ev = _attribute(ctx, sp, parts[0][2], next_open)
        if k is None and st is None:
            k, st, how, ev = _neighbour(ctx, sp)
        words = len(text[sp.start:sp.end].split())
        first = text[sp.start:sp.end].lstrip()[:1]
        if words <= 3 and (first.isupper() or first.isdigit()) and not how.startswith(("dash", "inside", "colon", "frame")):
            continue                                     # «Сила Сибири», «Россия 24»: a name, whoever is the subject
        if k is None and st is None and words <= 5:
            first = text[sp.start:sp.end].lstrip()[:1]
            if first.isupper() or first.isdigit():
                continue                                 # «Газпром», «Северный поток-2»: a name, not a quote
            kind = "scare"
        elif sp.close is None:
            kind = "unclosed"
        elif how.startswith("partial"):
            kind = "partial"
        else:
            kind = "direct"
        said_on = _said_on(ctx, ev, sp, k, paras[max(0, sp.para - 1)][0]) if kind != "scare" else None
        if said_on is None and k is not None and last.get("k") == k and last.get("para") in (sp.para, sp.para - 1):
            said_on = last.get("said_on")               # "— добавил он": the same occasion
        if said_on is None and k is not None:
            said_on = said.get(k)                       # the speaker's last dated statement in the article
        if said_on is None and k is not None and kind != "scare":
            said_on = lead_day([(d.start, d.end, d.value, d.precision) for d in ctx.dates], ctx.paras, sp.open)
        if k is not None:
            ctx.speakers.add(k)
            last = {"k": k, "para": sp.para, "said_on": said_on}
            if said_on:
                said[k] = said_on
        speaker = ctx.ents[k] if k is not None else None
        cue = None
        if ev is not None:
            cm = _SPEECH_RX.search(text[ev[0]:ev[1]])
            cue = cm.group() if cm else None
        for s, e, _ in parts:
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1] in " ,":
                e -= 1
            if e <= s:
                continue
            out.append(Quote(raw[s:e], s, e, cue, speaker.name if speaker else None, speaker.id if speaker else None,
                             st, {"text": raw[ev[0]:ev[1]], "start": ev[0], "end": ev[1]} if ev else None,
                             said_on, kind, how))
    return sorted(out, key=lambda q: q.start)
