"""Loaded language: name-calling and labels, exaggeration, contested causes stated as fact.

Rule-based. Each rule is a pattern over the clean text built from small word lists
(written for this project, not taken from any article); a hit is
``{text, start, end, kind}`` with offsets into the text it was found in.

Kinds:
* ``name_calling`` — a pejorative label for an actor: "the Kiev regime", "the junta",
  "neo-Nazi battalions", an actor named with a pejorative adjective ("fanatical Kiev",
  "bloodthirsty Washington") or a leader called "ruler"/"dictator" in place of a title
  ("Russian ruler Vladimir Putin");
* ``loaded_label`` — an event named by a contested characterisation: "US-backed coup",
  "NATO-orchestrated putsch", "so-called referendum", "puppet government";
* ``exaggeration`` — hyperbole: "wipe off the map", "total annihilation", "the whole world";
* ``causal_claim`` — a cause of the war or crisis stated flatly: "NATO expansion provoked the war".
"""
from __future__ import annotations

import re

KINDS: tuple[str, ...] = ("name_calling", "loaded_label", "exaggeration", "causal_claim")

# Pejorative adjectives that, put before an actor, call it names.
PEJORATIVE = (
    "fanatical|fanatic|bloodthirsty|blood-thirsty|murderous|genocidal|criminal|rabid|deranged|demented|"
    "maniacal|crazed|lunatic|satanic|barbaric|barbarous|savage|thuggish|tyrannical|despotic|fascist|"
    "neo-nazi|nazi|terrorist|illegitimate|warmongering|war-mongering|russophobic|nazified|"
    "corrupt|treacherous|hysterical|delusional|psychopathic|evil|puppet|vassal|rogue|totalitarian"
)
# Nouns that, after an actor's name, label it instead of describing it.
REGIME = "regime|junta|clique|cabal|mafia|horde|hordes|thugs|henchmen|puppets?|stooges?|lackeys?|minions"
# "ruler"-type words used as a title before a name or after a nationality.
RULER = "ruler|dictator|despot|tyrant|autocrat|strongman|warlord|overlord|czar|tsar|f[uü]hrer"
DEMONYM = (
    "Russian|Ukrainian|American|US|U\\.S\\.|British|UK|Western|Belarusian|Chinese|Iranian|Syrian|"
    "Kremlin|Kiev|Kyiv|Moscow|Washington|NATO|EU|European|Polish|German|French|Turkish|Israeli|"
    "North Korean|Venezuelan|Cuban|Georgian|Chechen|Hungarian"
)
# Capitalised name of an actor (one to three words), or a few actor nouns.
ACTOR = r"(?:[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]*){0,2}|government|authorities|leadership|elites?|globalists?)"
# One capitalised word after a pejorative adjective ("fanatical Kiev"); longer names come
# from the article's entity mentions when they are given.
ONE_ACTOR = r"(?:(?-i:[A-Z][\w'\u2019.-]*)|government|authorities|leadership|elites?|globalists?)"
BACKED = "backed|sponsored|orchestrated|engineered|instigated|funded|financed|installed|inspired|led|staged|controlled|run"
EVENT = "coup|putsch|coup d['\u2019]\u00e9tat|coup d['\u2019]etat|regime|junta|government|revolution|riots?|uprising|provocation|false flag|puppet state"

_RULES: list[tuple[str, re.Pattern]] = [
    ("loaded_label", re.compile(rf"\b(?:{DEMONYM}|[A-Z][A-Za-z]+)[-\u2010\u2011 ](?:{BACKED})\s+(?:{EVENT})\b")),
    ("loaded_label", re.compile(r"\bso-called\s+(?:\w+\s+){0,2}?\w+", re.I)),
    ("loaded_label", re.compile(r"\b(?:puppet|vassal|proxy|client)\s+(?:state|government|regime|president|leader|army)\b", re.I)),
    ("loaded_label", re.compile(r"\bfalse[- ]flag\b(?:\s+(?:attack|operation|provocation))?", re.I)),
    ("name_calling", re.compile(rf"\b(?:{DEMONYM}|{ACTOR})\s+(?:{REGIME})\b")),
    ("name_calling", re.compile(rf"\b(?:{PEJORATIVE})\s+(?:{ONE_ACTOR})", re.I)),
    ("name_calling", re.compile(rf"\b(?:{DEMONYM})\s+(?:{RULER})\b")),
    ("name_calling", re.compile(r"\b(?:neo-?nazis?|nazis|banderites?|russophobes?|globalists?|warmongers?|"
                                r"war-mongers?|fascists|terrorist state|rashists?|orcs)\b", re.I)),
    ("exaggeration", re.compile(r"\b(?:wipe[ds]?|wiping)\s+(?:\w+\s+){0,3}?off the (?:face of the earth|map)\b"
                                r"|\btotal(?:ly)?\s+(?:annihilat\w+|destr\w+|collapse|catastrophe|war)\b"
                                r"|\b(?:complete|utter)\s+(?:annihilation|destruction|collapse|catastrophe|disaster)\b"
                                r"|\b(?:apocalyptic|apocalypse|armageddon|end of (?:the world|civilization|humanity))\b"
                                r"|\b(?:the )?(?:whole|entire) (?:world|planet|civilization|humanity)\b"
                                r"|\bexistential (?:threat|danger|war)\b"
                                r"|\bunprecedented\s+\w+", re.I)),
    ("causal_claim", re.compile(r"\b(?:provoked|caused|started|triggered|instigated|unleashed|sparked|orchestrated)\s+"
                                r"(?:the|this|a)\s+(?:\w+\s+)?(?:war|conflict|crisis|invasion|escalation|bloodshed)\b", re.I)),
]

_PEJORATIVE_RULE = _RULES[5][1]

# Words that make "criminal"/"corrupt"/... + name a description of a court case or an
# institution rather than name-calling ("criminal court", "Corrupt Practices Act").
_NOT_ACTOR_AFTER = re.compile(r"^\s*(?:\w+\s+)?(?:court|case|code|charges?|investigation|proceedings|law|act|"
                              r"practices|offen[cs]es?|prosecution|probe|network|groups?|gangs?)\b", re.I)
_SENTENCE_START_WORDS = {"The", "A", "An", "This", "That", "These", "Those", "In", "On", "At", "But", "And", "It", "He",
                         "She", "They", "We", "I", "If", "When", "While", "As"}


def _clean_actor_hit(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim a pejorative-adjective hit to its actor and refuse descriptions of institutions."""
    hit = text[start:end]
    words = hit.split()
    # keep the adjective and the capitalised name (drop a trailing function word such as "The")
    while len(words) > 2 and words[-1] in _SENTENCE_START_WORDS:
        words.pop()
    if len(words) >= 2 and words[1] in _SENTENCE_START_WORDS:
        return None
    new_end = start + len(" ".join(words)) if hit.startswith(words[0]) else end
    if _NOT_ACTOR_AFTER.match(text[start + len(words[0]):min(len(text), new_end + 30)]):
        return None
    return start, new_end


def _extend_to_mention(end: int, mentions: list[tuple[int, int]]) -> int:
    """Extend a hit ending inside or at the first word of an entity mention to the mention's end."""
    for ms, me in mentions:
        if ms < end <= me:
            return me
    return end


def loaded_language(text: str, mentions: list[tuple[int, int]] | None = None) -> list[dict]:
    """Spans of loaded language in ``text``: ``[{text, start, end, kind}]`` sorted by offset.

    ``mentions`` are ``(start, end)`` spans of named entities in ``text`` (optional):
    a pejorative adjective before a multi-word name then covers the whole name.
    """
    mentions = sorted(mentions or [])
    hits: list[tuple[int, int, str]] = []
    for kind, rx in _RULES:
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            if rx is _PEJORATIVE_RULE:
                span = _clean_actor_hit(text, s, e)
                if span is None:
                    continue
                s, e = span[0], _extend_to_mention(span[1], mentions)
            while e > s and text[e - 1] in " ,.;:'\"\u2019":
                e -= 1
            hits.append((s, e, kind))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[dict] = []
    for s, e, kind in hits:
        if out and s < out[-1]["end"]:       # overlapping: one span of the same kind, else the earlier stands
            if kind == out[-1]["kind"] and e > out[-1]["end"]:
                out[-1]["end"] = e
                out[-1]["text"] = text[out[-1]["start"]:e]
            continue
        out.append({"text": text[s:e], "start": s, "end": e, "kind": kind})
    return out
