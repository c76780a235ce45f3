"""The same statement by the same speaker, across articles.

``group_statements(quotes_by_article) -> {(article_id, quote_index): statement_id}``

Quotes are compared only within one (canonical) speaker. Each quote is cut
into clauses (sentences, ``;``, ``...``), and two quotes are one statement
when some clause of one matches some clause of the other, so a quote that
carries only part of a longer one still joins it ("NATO's door is open" /
"... We stand by those decisions. The door to NATO is open"). Clauses match
when

* their content words, stemmed, are nearly the same set (overlap of the
  smaller set >= 0.8 and Jaccard >= 0.6, at least three content words), or
* their characters are nearly the same (``rapidfuzz`` ratio >= 90), or
* one contains the other (at least four words),

and they agree on negation ("will join" vs "will never join" stay apart).
Two clauses that merely share a few words do not reach those bars. Quotes with
no speaker are grouped only when nearly identical and at least six words long. Scare quotes are left out.

Statement ids are stable: a hash of the speaker id and the earliest text (by
``said_on``, then the article date, then the text).

``statement_summary(quotes_by_article, groups, article_dates)`` lists each
statement with its speaker, earliest date, carrier articles and the variants
side by side.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

from rapidfuzz import fuzz

from ..lang import crosslingual as X

__all__ = ["group_statements", "group_speaker", "speaker_key", "statement_items", "statement_summary", "clauses",
           "content_stems", "clauses_match", "quotes_match", "statement_id"]

_STOP = set("""
a an the and or but if of to in on at by for with from as into onto upon about over under than then that this
these those there here it its it's is are was were be been being am do does did doing have has had having will
would shall should can could may might must i me my we us our you your he him his she her they them their what
which who whom whose when where why how all any each both either neither some such so very too just also only
even still yet again ever more most much many few own same other another one's s t ll ve re d m o
""".split())
_NEG = {"not", "no", "never", "nobody", "nothing", "none", "neither", "nor", "cannot", "without"}
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _get(q: Any, name: str) -> Any:
    return q.get(name) if isinstance(q, Mapping) else getattr(q, name, None)


def _stem(w: str) -> str:
    for suf, rep in (("ations", "ate"), ("ation", "ate"), ("ies", "y"), ("ing", ""), ("edly", ""), ("ed", ""),
                     ("es", ""), ("s", ""), ("ly", "")):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: -len(suf)] + rep
    return w


def _norm(text: str) -> str:
    t = text.lower().replace("’", "'")
    return " ".join(_WORD.findall(t))


def clauses(text: str) -> list[str]:
    """Sentences and clauses of a quote ('...', ';' and sentence ends split)."""
    parts = re.split(r"(?<=[.!?])\s+|;\s*|\s*(?:\.\s?){3}\s*|\s+[—–]\s+", text)
    return [p.strip(" ,.\"'") for p in parts if p and _norm(p)]


def content_stems(text: str) -> tuple[frozenset[str], bool]:
    """(stemmed content words, negated?) of a clause."""
    words = _WORD.findall(text.lower().replace("’", "'"))
    neg = any(w in _NEG or w.endswith("n't") for w in words)
    stems = frozenset(_stem(w.split("'")[0]) for w in words if w.split("'")[0] not in _STOP and w not in _NEG
                      and not w.endswith("n't"))
    return stems, neg


def clauses_match(a: str, b: str) -> bool:
    """Are two clauses the same words, re-worded or re-ordered?"""
    sa, na = content_stems(a)
    sb, nb = content_stems(b)
    if na != nb or not sa or not sb:
        return False
    na_, nb_ = _norm(a), _norm(b)
    if na_ == nb_:
        return True
    short, long_ = sorted((na_, nb_), key=len)
    if len(short.split()) >= 4 and f" {short} " in f" {long_} ":
        return True
    if min(len(sa), len(sb)) >= 3:
        inter = len(sa & sb)
        if inter / min(len(sa), len(sb)) >= 0.8 and inter / len(sa | sb) >= 0.6:
            return True
    return min(len(na_), len(nb_)) >= 12 and fuzz.ratio(na_, nb_) >= 90


def quotes_match(a: str, b: str) -> bool:
    """Does some clause of one quote match some clause of the other?"""
    ca, cb = clauses(a) or [a], clauses(b) or [b]
    return any(clauses_match(x, y) for x in ca for y in cb)


def statement_id(speaker_id: str | None, text: str) -> str:
    return "S" + hashlib.sha1(f"{speaker_id or '-'}|{_norm(text)}".encode()).hexdigest()[:12]


class _UF:
    def __init__(self, keys: Iterable[Any]) -> None:
        self.p = {k: k for k in keys}

    def find(self, k: Any) -> Any:
        while self.p[k] != k:
            self.p[k] = self.p[self.p[k]]
            k = self.p[k]
        return k

    def union(self, a: Any, b: Any) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)


def speaker_key(q: Any) -> str | None:
    """What quotes are grouped by: the speaker (id, else name); None for unattributed quotes."""
    return _get(q, "speaker_id") or _get(q, "speaker")


def statement_items(quotes_by_article: Mapping[str, Sequence[Any]]) -> list[tuple[tuple[str, int], Any]]:
    """((article_id, quote_index), quote) for every quote that can be a statement (scare quotes left out)."""
    return [((aid, i), q) for aid, qs in quotes_by_article.items() for i, q in enumerate(qs)
            if _get(q, "kind") != "scare" and (_get(q, "text") or "").strip()]


def group_speaker(spk: str | None, members: Sequence[tuple[tuple[str, int], Any]],
                  article_dates: Mapping[str, str | None] | None = None) -> dict[tuple[str, int], str]:
    """Statement ids for the quotes of one speaker key (statements never span speakers, so the
    corpus is grouped speaker by speaker: in one loop here, or one shuffle key each on a cluster)."""
    dates = article_dates or {}
    members = sorted(members, key=lambda kq: kq[0])
    uf = _UF(k for k, _ in members)
    scripts = [X.script(_get(q, "text")) for _, q in members]
    vecs = None
    if spk is not None and len(set(scripts) - {None}) > 1:      # one speaker quoted in two scripts
        vecs = X.encode([_get(q, "text") for _, q in members])
    for x in range(len(members)):
        for y in range(x + 1, len(members)):
            (ka, qa), (kb, qb) = members[x], members[y]
            ta, tb = _get(qa, "text"), _get(qb, "text")
            if spk is not None and vecs is not None and scripts[x] != scripts[y]:
                same = float(vecs[x] @ vecs[y]) >= X.QUOTE_SIM and _days_agree(_get(qa, "said_on"), _get(qb, "said_on"))
            elif spk is not None:
                same = quotes_match(ta, tb)
            else:                           # unattributed: only long, nearly identical quotes
                same = min(len(ta.split()), len(tb.split())) >= 6 and fuzz.ratio(_norm(ta), _norm(tb)) >= 95
            if same:
                uf.union(ka, kb)
    groups: dict[Any, list[tuple[tuple[str, int], Any]]] = {}
    for k, q in members:
        groups.setdefault(uf.find(k), []).append((k, q))
    out: dict[tuple[str, int], str] = {}
    for group in groups.values():
        first = min(group, key=lambda kq: (_get(kq[1], "said_on") or dates.get(kq[0][0]) or "~",
                                           _norm(_get(kq[1], "text")), kq[0]))
        # an unattributed quote is its own statement: its id also names where it was first seen
        sid = statement_id(spk, _get(first[1], "text") if spk else f"{first[0]}|{_get(first[1], 'text')}")
        for k, _ in group:
            out[k] = sid
    return out


def _days_agree(a: Any, b: Any) -> bool:
    """Two said-on dates that could be one occasion (unknown agrees with anything)."""
    if not a or not b:
        return True
    try:
        da, db = date.fromisoformat(str(a)[:10]), date.fromisoformat(str(b)[:10])
    except ValueError:
        return str(a)[:7] == str(b)[:7]
    return abs((da - db).days) <= X.SAID_ON_SLACK_DAYS


def group_statements(quotes_by_article: Mapping[str, Sequence[Any]],
                     article_dates: Mapping[str, str | None] | None = None) -> dict[tuple[str, int], str]:
    """Statement id for each (article_id, quote_index); scare quotes are left out."""
    buckets: dict[str | None, list[tuple[tuple[str, int], Any]]] = {}
    for k, q in statement_items(quotes_by_article):
        buckets.setdefault(speaker_key(q), []).append((k, q))
    out: dict[tuple[str, int], str] = {}
    for spk, members in buckets.items():
        out.update(group_speaker(spk, members, article_dates))
    return out


def statement_summary(quotes_by_article: Mapping[str, Sequence[Any]],
                      groups: Mapping[tuple[str, int], str] | None = None,
                      article_dates: Mapping[str, str | None] | None = None) -> list[dict[str, Any]]:
    """One record per statement: id, speaker, speaker_id, earliest date, carrier articles, variants.

    Sorted with the most widely carried statements first.
    """
    groups = groups if groups is not None else group_statements(quotes_by_article, article_dates)
    dates = article_dates or {}
    recs: dict[str, dict[str, Any]] = {}
    for (aid, i), sid in groups.items():
        q = quotes_by_article[aid][i]
        r = recs.setdefault(sid, {"id": sid, "speaker": _get(q, "speaker"), "speaker_id": _get(q, "speaker_id"),
                                  "earliest": None, "carriers": [], "variants": []})
        said = _get(q, "said_on")
        if said and (r["earliest"] is None or said < r["earliest"]):
            r["earliest"] = said
        if aid not in r["carriers"]:
            r["carriers"].append(aid)
        r["variants"].append({"article_id": aid, "index": i, "text": _get(q, "text"), "said_on": said,
                              "article_date": dates.get(aid), "kind": _get(q, "kind")})
    out = list(recs.values())
    for r in out:
        r["carriers"].sort()
        r["variants"].sort(key=lambda v: (v["said_on"] or v["article_date"] or "~", v["article_id"], v["index"]))
    out.sort(key=lambda r: (-len(r["carriers"]), r["earliest"] or "~", r["id"]))
    return out
