"""Interviews: question-and-answer paragraphs as quotes, with interviewer and interviewee.

Language-neutral; a language pack gives its labels. An article is read as an interview when at
least two paragraphs open with a turn label ("Q:" / "A:", "Вопрос:" / "Ответ:") or with a
dialogue dash ("— ", the Russian form). A labelled paragraph is a question or an answer by its
label; dash paragraphs alternate, beginning with a question, and a dash paragraph that ends in a
question mark is a question wherever it falls (an answer seldom ends on one).

The interviewee is the person the introduction names (before the first turn), the one in a
sentence that says "interview" first; the interviewer is the person of a credit line ("Interview
by ...", "Беседовала ...") if the article has one, else nobody named.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

__all__ = ["Turn", "Labels", "turns", "interviewee", "interviewer_line"]


@dataclass(frozen=True)
class Labels:
    question: re.Pattern[str]       # a paragraph opening with a question label
    answer: re.Pattern[str]         # ... with an answer label
    dash: bool                      # dialogue dashes mark turns
    interview_word: re.Pattern[str]  # "interview" in the introduction
    credit: re.Pattern[str]         # the interviewer's credit line; group "name"


@dataclass(frozen=True)
class Turn:
    start: int                      # the spoken words, after the label or dash
    end: int
    para: int
    question: bool


_DASH = re.compile(r"[—–-]\s+")


def turns(text: str, paras: Sequence[tuple[int, int]], labels: Labels) -> list[Turn]:
    """The question and answer paragraphs of an interview (empty when the text is not one)."""
    found: list[tuple[int, int, int, bool | None]] = []
    for k, (ps, pe) in enumerate(paras):
        seg = text[ps:pe]
        m = labels.question.match(seg)
        if m:
            found.append((ps + m.end(), pe, k, True))
            continue
        m = labels.answer.match(seg)
        if m:
            found.append((ps + m.end(), pe, k, False))
            continue
        m = _DASH.match(seg) if labels.dash else None
        if m:
            found.append((ps + m.end(), pe, k, None))
    if len(found) < 2:
        return []
    out, expect_q = [], True
    for s, e, k, q in found:
        while e > s and text[e - 1].isspace():
            e -= 1
        if q is None:
            q = True if text[s:e].rstrip().endswith("?") else expect_q
        out.append(Turn(s, e, k, q))
        expect_q = not q
    return out


def interviewer_line(text: str, labels: Labels) -> tuple[int, int] | None:
    """The span of the interviewer's name in a credit line, if any."""
    m = labels.credit.search(text)
    return (m.start("name"), m.end("name")) if m else None


def interviewee(text: str, intro_end: int, people: Sequence[tuple[int, int, int]],
                labels: Labels, exclude: int | None = None) -> int | None:
    """The person the introduction names: in a sentence saying "interview" first, else the first.
    ``people``: (start, end, entity) of person mentions in text order."""
    intro = [p for p in people if p[1] <= intro_end and p[2] != exclude]
    if not intro:
        return None
    for m in labels.interview_word.finditer(text, 0, intro_end):
        s = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        e = text.find(". ", m.end())
        e = intro_end if e < 0 else min(e, intro_end)
        near = [p for p in intro if s <= p[0] < e]
        if near:
            return near[0][2]
    return intro[0][2]
