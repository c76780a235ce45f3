"""Check-worthy claims of one article, each with the article's stance toward it.

Two kinds of claim are kept:

* ``causal`` — a sentence that says something caused, provoked, led to,
  triggered, fuelled... something else ("a position that played a major role
  in provoking Russia's invasion", "the war, which had erupted out of the
  prospect of ...");
* ``factual`` — a dated statement about who did what (the ``events`` stage's
  dated events with a named participant: "Burns sent a cable on Feb. 1, 2008").

The stance says how the outlet carries the claim:

* ``asserted``   in its own voice;
* ``attributed`` put on others: a reporting frame ("some analysts believe",
  "according to", "X said that ...", "As X argues, ..."), or inside a quotation;
* ``disputed``   rejected or questioned ("there is no evidence that ...",
  "dismissed claims that ...", "a myth").

Each claim keeps its sentence span as evidence. Grouping the same claim across
articles is corpus-wide work (``narrascope.link.claims``).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Iterable

from .temporal import split_sentences

ASSERTED, ATTRIBUTED, DISPUTED = "asserted", "attributed", "disputed"

# cause → effect wording; inflections written out so the patterns stay readable
_CAUSAL = re.compile(r"""\b(?:
    provok(?:e|es|ed|ing)|provocation |
    prompt(?:s|ed|ing)? |
    caus(?:e|es|ed|ing)\b(?!\s+(?:for|of)\s+concern) |
    (?:lead|leads|led|leading)\s+(?:\w+\s+){0,3}?to\b |
    trigger(?:s|ed|ing)? | spark(?:ed|ing) | fuel(?:led|ed|ling|ing) |
    (?:to|could|would|might|may|will|can|did|does|do)\s+(?:\w+\s+)?(?:spark|fuel)s? |
    drove | driv(?:e|es|en|ing)\s+(?:up|down)? |
    push(?:ed|es|ing)?\s+(?:\w+\s+){1,4}?(?:to|into)\s+(?:invade|attack|war|launch|strike|act) |
    responsible\s+for | to\s+blame\s+for | blam(?:e|es|ed|ing)\s+(?:\w+\s+){0,4}?(?:for|on) |
    result(?:s|ed|ing)?\s+in | because\s+of | due\s+to | owing\s+to |
    erupt(?:s|ed|ing)?\s+(?:out\s+of|from|over) | stem(?:s|med|ming)?\s+from |
    contribut(?:e|es|ed|ing)\s+to | role\s+in\s+(?:\w+ing) |
    helped?\s+(?:to\s+)?(?:prompt|cause|trigger|spark|start|bring\s+about|provoke|fuel) |
    gave\s+rise\s+to | paved\s+the\s+way\s+for | brought\s+about
)(?!\w)""", re.I | re.X)

# somebody else's words: a reporting frame before the claim in its sentence
_REPORT_VERB = (r"(?:believe[sd]?|say|says|said|argue[sd]?|claim(?:s|ed)?|contend(?:s|ed)?|allege[sd]?|"
                r"insist(?:s|ed)?|maintain(?:s|ed)?|suggest(?:s|ed)?|think|thinks|thought|assert(?:s|ed)?|"
                r"told|wrote|write|writes|warn(?:s|ed)?|accuse[sd]?|charge[sd]?|note[sd]?|stated?|"
                r"explain(?:s|ed)?|acknowledge[sd]?|admit(?:s|ted)?|concede[sd]?|predict(?:s|ed)?|posit(?:s|ed)?|speculate[sd]?|fear(?:s|ed)?|"
                r"view(?:s|ed)?|see|sees|saw|consider(?:s|ed)?|reckon(?:s|ed)?|testified|reported(?:ly)?|"
                r"has said|have said|have argued|has argued|have long argued|has long argued)")
_ATTRIBUTION = re.compile(
    r"\baccording\s+to\b|\breportedly\b|\ballegedly\b|\bpurportedly\b|\bsupposedly\b|"
    r"\b(?:in|by)\s+(?:the\s+)?(?:view|words|account|telling|opinion)\s+of\b|"
    r"\b(?:critics|analysts|experts|observers|officials|some|many|others|sceptics|skeptics|commentators|"
    r"economists|historians|scholars|opponents|supporters|activists|campaigners|researchers)\b[^.;]{0,60}?\b"
    + _REPORT_VERB + r"\b|"
    r"\b(?:he|she|they|who)\s+" + _REPORT_VERB + r"\b|"
    r"\b(?:claims?|allegations?|assertions?|accusations?|suggestions?|the\s+narrative|the\s+idea|the\s+notion|"
    r"the\s+theory|the\s+argument)\s+that\b", re.I)
# a named speaker: "Burns stated that", "As Scott Horton explains, ..."
_NAMED_ATTRIBUTION = re.compile(
    r"\b[A-Z][\w'\u2019.-]+(?:\s+[A-Z][\w'\u2019.-]+)*\s+" + _REPORT_VERB + r"\s+(?:that\b|the\b|it\b|this\b)|"
    r"^\s*As\s+[A-Z][^,]{0,80}?\s+" + _REPORT_VERB + r"\b")
_REPORT_AFTER = re.compile(r"[,\u201d\"]\s*(?:[\w.'\u2019-]+\s+){0,4}?(?:said|says|added|argued|wrote|claimed|told|insisted)\b"
                           r"|\b(?:said|says|argued|claimed|wrote)\s+[A-Z][\w.'\u2019-]+[^.]{0,40}[.]?\s*$")

_DISPUTE = re.compile(
    r"\bno\s+(?:evidence|proof|basis|sign)\b|\bnot\s+(?:the\s+)?(?:cause|reason|responsible)\b|"
    r"\b(?:did|does|do|was|were|is|are|has|have|had)\s*n[o']t\s+(?:\w+\s+){0,2}?(?:cause|provoke|lead|trigger|spark|drive|fuel|result)|"
    r"\bnever\s+(?:caused|provoked|led|triggered|drove)\b|"
    r"\b(?:myth|false(?:ly)?|baseless|unfounded|debunked|misleading|bogus|groundless|disinformation|propaganda\s+claim)\b|"
    r"\b(?:dismiss(?:es|ed|ing)?|reject(?:s|ed|ing)?|den(?:y|ies|ied|ying)|refut(?:e|es|ed|ing)|rebut(?:s|ted)?|"
    r"deb(?:u|)nk(?:s|ed)?|disput(?:e|es|ed|ing)|contradict(?:s|ed)?|push(?:ed)?\s+back\s+(?:on|against))\b"
    r"[^.]{0,60}?\b(?:claims?|suggestions?|assertions?|allegations?|idea|notion|narrative|accusations?|reports?|that)\b|"
    r"\bcontrary\s+to\s+(?:claims|the\s+claim|what)\b|\bthere\s+is\s+little\s+(?:evidence|to\s+suggest)\b",
    re.I)
_ANAPHOR = re.compile(r"^\W*(?:this|that|these|those|it|such|the\s+(?:move|decision|step|pledge|promise|policy))\b", re.I)
# triggers whose effect comes first: "the war, which erupted out of <cause>"
_BACKWARD = re.compile(r"because|due|owing|erupt|stem", re.I)
_CLAUSE_END = re.compile(r"[;:\u2014\u2013]|,\s+(?:but|while|and|as|although|though|who|which|when)\b|\s+-\s+")
_MAX_SIDE = 160


@dataclass
class Claim:
    kind: str                 # "causal" | "factual"
    text: str                 # the sentence
    start: int
    end: int
    stance: str
    cue: str                  # the words that made it a claim
    stance_cue: str | None    # the words that set the stance (None when asserted)
    context: str              # what the claim is compared on across articles
    date: str | None = None   # factual claims: the date the text gives
    cause: str | None = None  # causal claims: the two sides of the trigger
    effect: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def stance_of(sentence: str, cue_start: int) -> tuple[str, str | None]:
    """How a sentence carries the claim whose cue starts at ``cue_start`` (sentence-relative)."""
    d = _DISPUTE.search(sentence)
    if d:
        return DISPUTED, d.group(0)
    for rx in (_ATTRIBUTION, _NAMED_ATTRIBUTION):
        for m in rx.finditer(sentence):
            if m.start() <= cue_start or m.group(0).lower().startswith("according"):
                return ATTRIBUTED, m.group(0)
    after = _REPORT_AFTER.search(sentence, cue_start)
    if after:
        return ATTRIBUTED, after.group(0)
    if _inside_quotes(sentence, cue_start):
        return ATTRIBUTED, "quotation"
    return ASSERTED, None


def _inside_quotes(sentence: str, i: int) -> bool:
    before = sentence[:i]
    opens = before.count("\u201c") + before.count('"') % 2
    return opens > before.count("\u201d")


def _context(text: str, spans: list[tuple[int, int]], k: int) -> str:
    s, e = spans[k]
    sent = text[s:e]
    if k and _ANAPHOR.search(sent):
        ps, pe = spans[k - 1]
        return text[ps:pe] + " " + sent
    return sent


def _trigger(sentence: str) -> re.Match | None:
    """The first causal trigger that is not a capitalised word inside the sentence (a title: "Provoked")."""
    for m in _CAUSAL.finditer(sentence):
        if m.start() == 0 or not m.group(0)[0].isupper():
            return m
    return None


def sides(sentence: str, m: re.Match, previous: str = "") -> tuple[str, str]:
    """(cause, effect) around the trigger ``m``; an anaphoric cause borrows the previous sentence."""
    before = sentence[:m.start()].strip()[-_MAX_SIDE:]
    rest = sentence[m.end():]
    end = _CLAUSE_END.search(rest)
    after = rest[:end.start() if end else len(rest)].strip(" .,\"\u201d")[:_MAX_SIDE]
    if _BACKWARD.match(m.group(0)):
        return after, before
    if previous and (len(before.split()) <= 4 or _ANAPHOR.search(before)):
        before = (previous[-_MAX_SIDE:] + " " + before).strip()
    return before, after


def causal_claims(text: str) -> list[Claim]:
    spans = split_sentences(text)
    out = []
    for k, (s, e) in enumerate(spans):
        sent = text[s:e]
        m = _trigger(sent)
        if not m or len(sent.split()) < 6:
            continue
        stance, cue = stance_of(sent, m.start())
        previous = text[spans[k - 1][0]:spans[k - 1][1]] if k else ""
        cause, effect = sides(sent, m, previous)
        out.append(Claim("causal", sent, s, e, stance, m.group(0).strip(), cue, _context(text, spans, k),
                         cause=cause, effect=effect))
    return out


def factual_claims(text: str, events: Iterable[dict[str, Any]], stance=None, sentences=None) -> list[Claim]:
    """Dated events with a named participant, as claims about who did what when (a question asserts
    nothing). ``stance`` and ``sentences``: a language pack's readers (English when None)."""
    stance = stance or stance_of
    out = []
    spans = (sentences or split_sentences)(text)
    for ev in events:
        if not ev.get("participants") or ev.get("inferred"):
            continue
        s, e = ev["start"], ev["end"]
        sent = text[s:e]
        if len(sent.split()) < 6 or sent.rstrip().endswith("?"):
            continue
        st, cue = stance(sent, max(0, (ev.get("expr_start") or s) - s))
        k = next((i for i, (a, b) in enumerate(spans) if a <= s < b), None)
        context = _context(text, spans, k) if k is not None else sent
        out.append(Claim("factual", sent, s, e, st, text[ev["expr_start"]:ev["expr_end"]] if ev.get("expr_start") is not None else "",
                         cue, context, ev.get("date")))
    return out


def extract_claims(text: str, events: Iterable[dict[str, Any]] = (), causal=None, stance=None,
                   sentences=None) -> list[Claim]:
    """Causal and factual claims in text order; a sentence that is both is kept once, as causal.
    ``causal``, ``stance``, ``sentences``: a language pack's readers (English when None)."""
    found = (causal or causal_claims)(text)
    seen = {(c.start, c.end) for c in found}
    factual = [c for c in factual_claims(text, events, stance, sentences) if (c.start, c.end) not in seen]
    return sorted(found + factual, key=lambda c: (c.start, c.kind))
