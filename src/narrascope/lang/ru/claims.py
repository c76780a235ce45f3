"""Russian claims: causal wording and dated events, with the outlet's stance.

Causal triggers: спровоцировать, привести к, стать причиной, вызвать, из-за, в результате,
по вине, повлечь, обусловить, толкнуть к. The stance:

* ``disputed``: the claim is denied or called false in the sentence ("опроверг", "отверг",
  "отрицает", "не соответствует действительности", "фейк", "ложь", "нет доказательств",
  "не ... привело");
* ``attributed``: a reporting frame ("по словам", "по мнению", "как заявил", "X заявил, что",
  "считает", "утверждает", "говорится в"), or the trigger is inside a quotation;
* ``asserted``: the outlet's own voice.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from ...extract.claims import ASSERTED, ATTRIBUTED, DISPUTED, Claim
from ...extract.claims import extract_claims as _extract
from .text import split_sentences

_CAUSAL = re.compile(r"(?<!\w)(?:спровоцир\w+|провоцир\w+|привел[аио]?\s+к|привест[иь]\s+к|приводит\s+к|привод[ия]т\s+к|"
                     r"стал[аио]?\s+причиной|являет\w*\s+причиной|вызвал[аио]?|вызыва\w+|из-за|в\s+результате|"
                     r"по\s+вине|повлек\w*|повлечет|повлечёт|обусловил\w*|толкнул\w*\s+\w*\s*к|подтолкнул\w*)(?!\w)", re.I)
_DISPUTE = re.compile(r"(?<!\w)(?:опроверг\w*|отверг\w*|отрица\w+|не\s+соответству\w+\s+действительности|фейк\w*|"
                      r"ложь|лжив\w+|вымысел|голословн\w+|безосновательн\w+|нет\s+(?:никаких\s+)?доказательств|"
                      r"не\s+(?:\w+\s+)?(?:привел\w*|спровоцировал\w*|вызвал\w*|стал\w*\s+причиной))(?!\w)", re.I)
_REPORT = (r"(?:заяв\w+|сказа\w+|отмет\w+|подчеркн\w+|счита\w+|утвержда\w+|полага\w+|уверен\w*|убежден\w*|"
           r"написа\w+|сообщ\w+|признал\w*|указа\w+|говорит\w*)")
_ATTRIBUTION = re.compile(r"(?<!\w)(?:по\s+словам|по\s+мнению|по\s+данным|как\s+(?:\w+\s+)?" + _REPORT +
                          r"|говорится\s+в|" + _REPORT + r"\s*,?\s+что|" + _REPORT + r"\s+[А-ЯЁ]\w+)", re.I)
_REPORT_AFTER = re.compile(r"[,»\"]\s*[—–-]\s*" + _REPORT, re.I)


def stance_of(sentence: str, cue_start: int) -> tuple[str, str | None]:
    d = _DISPUTE.search(sentence)
    if d:
        return DISPUTED, d.group(0)
    a = _ATTRIBUTION.search(sentence)
    if a:
        return ATTRIBUTED, a.group(0)
    after = _REPORT_AFTER.search(sentence)
    if after:
        return ATTRIBUTED, after.group(0)
    before = sentence[:cue_start]
    if before.count('"') % 2 == 1 or before.count("«") > before.count("»"):
        return ATTRIBUTED, "цитата"
    return ASSERTED, None


def _sides(sentence: str, m: re.Match) -> tuple[str, str]:
    before = sentence[:m.start()].strip(" ,.")[-160:]
    after = re.split(r"[;:—]|,\s+(?:но|а|и|который|которая|когда)\s", sentence[m.end():])[0].strip(" ,.\"")[:160]
    if m.group(0).lower().startswith(("из-за", "в результате", "по вине")):
        return after, before
    return before, after


def causal_claims(text: str) -> list[Claim]:
    out = []
    for s, e in split_sentences(text):
        sent = text[s:e]
        m = _CAUSAL.search(sent)
        if not m or len(sent.split()) < 6 or sent.rstrip().endswith("?"):
            continue
        stance, cue = stance_of(sent, m.start())
        cause, effect = _sides(sent, m)
        out.append(Claim("causal", sent, s, e, stance, m.group(0), cue, sent, cause=cause, effect=effect))
    return out


def extract_claims(text: str, events: Iterable[dict[str, Any]] = ()) -> list[Claim]:
    """Causal claims by the Russian triggers, dated events as factual claims, Russian stance cues."""
    return _extract(text, events, causal=causal_claims, stance=stance_of, sentences=split_sentences)
