"""Sentence cues for narratives a bag of words sees poorly (rule-based).

"Blaming the war on others rather than the invader": a sentence that makes someone
other than Russia the cause of the war — a causal verb whose object is the war or
the invasion ("provoking Russia's invasion", "the provocation that led Putin to
order the invasion", "pushed Putin to invade") — when the sentence does not make
Russia's side the agent ("Putin started this war"). Which side is blamed decides
the sub-narrative: the West ("The West are the aggressors") or Ukraine ("Ukraine is
the aggressor").
"""
from __future__ import annotations

import re

BLAME_NARRATIVE = "URW: Blaming the war on others rather than the invader"
WEST_SUB = f"{BLAME_NARRATIVE}: The West are the aggressors"
UKRAINE_SUB = f"{BLAME_NARRATIVE}: Ukraine is the aggressor"

_WAR = r"(?:war|invasion|conflict|(?:special )?military operation|escalation|intervention|bloodshed)"
_CAUSE = (r"(?:provok(?:e|ed|es|ing)|trigger(?:ed|ing|s)?|spark(?:ed|ing|s)?|caus(?:ed|ing)|start(?:ed|ing)|"
          r"instigat(?:ed|ing)|unleash(?:ed|ing)|incit(?:ed|ing)|fuel(?:l?ed|l?ing)|ignit(?:ed|ing))")
_BETWEEN = r"(?:(?!by\b|of\b|from\b)\w+\s+)?"
_RUSSIA = r"(?:Putin|Russia|Moscow|(?:the )?Kremlin|Russian (?:President|leader|army|forces|troops))"
_PATTERNS = (
    # "provoking Russia's invasion", "caused the war", "sparked this conflict"
    re.compile(rf"\b{_CAUSE}\s+(?:Russia['\u2019]s\s+|the\s+|this\s+|that\s+|an?\s+)?{_BETWEEN}{_WAR}\b", re.I),
    # "pushed Putin to invade", "the provocation that led Putin to order the invasion"
    re.compile(rf"\b(?:push\w*|forc\w*|goad\w*|dr[io]ve\w*|provok\w*|led|lead\w*|baited|lured)\s+(?:\w+\s+){{0,3}}?"
               rf"{_RUSSIA}\s+(?:\w+\s+){{0,2}}?(?:to|into)\s+(?:invad\w*|order\w*|attack\w*|war|launch\w*|interven\w*|act\w*)", re.I),
)
_WEST = re.compile(r"\b(?:NATO|West\w*|Washington|United States|U\.?S\.?|America\w*|Biden|Obama|Bush|EU|European Union|"
                   r"Brussels|London|Britain|British|Pentagon|CIA|alliance|coup|Nuland|White House|State Department)\b")
_UKRAINE = re.compile(r"\b(?:Ukrain\w*|Kiev|Kyiv|Zelensk\w*|Poroshenko|Azov|Donbas\w*)\b")
_RUSSIA_AGENT = re.compile(rf"{_RUSSIA}\s*$|{_RUSSIA}\s+(?:\w+\s+){{0,2}}$")
_HEDGE = re.compile(r"\b(?:will|would|could|might|may|can|if|avoid|risk\w*|prevent)\s+(?:\w+\s+)?$", re.I)


def blame_cues(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Sentences ``(start, end, side)`` that blame the war on the West or on Ukraine."""
    out = []
    for s, e in spans:
        sent = text[s:e]
        for rx in _PATTERNS:
            m = rx.search(sent)
            if not m:
                continue
            before = re.sub(r"[\"'\u201c\u201d\u2018\u2019*,]", " ", sent[max(0, m.start() - 40):m.start()])
            if (_RUSSIA_AGENT.search(before) and not _WEST.search(before)) or _HEDGE.search(before):
                continue
            side = "west" if _WEST.search(sent) else "ukraine" if _UKRAINE.search(sent[:m.start()]) else "west"
            out.append((s, e, side))
            break
    return out
