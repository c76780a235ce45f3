"""Give every block a role: title, dek, byline, meta, body, or drop (with a kind).

The page is read the way an analyst reads it: a header (title, standfirst,
byline, date and credit lines, site furniture), a body of prose, and a footer
that starts at the first hard piece of furniture after the body (copyright,
credit, disclaimer, author bio, tag list...). Soft furniture (share prompts,
captions, "Read also" links, counters) is dropped wherever it stands.
"""
from __future__ import annotations

import re

from ..metadata.credits import is_person_name, parse_byline, parse_dateline
from ..metadata.dates import DATE_LABEL_RE, date_remainder, find_dates
from ..model import Article, Block
from . import patterns as P

TERMINAL = re.compile(r"[.!?\"'\u2026)\]]\s*$|[.!?][\"')\]]+\s*$")
BULLET = re.compile(r"^\s*(?:[-\u2022\u25cf\u25aa*]|\d{1,2}[.)]|[a-z][.)])\s+")
CONTINUES = re.compile(r"[,;:\u2013\u2014-]\s*$")
SOCIAL_EMBED = re.compile(r"\(@\w{1,30}\)|pic\.twitter\.com/|\bt\.me/")
SPEAKER_HEADLINE = re.compile(r"^[A-Z][\w'.-]+(?: [A-Z][\w'.-]+){0,3}: \S+(?: \S+){3,}$")
WORD = re.compile(r"[^\W\d_][\w'\u2019-]*", re.UNICODE)


def words(text: str) -> list[str]:
    return WORD.findall(text)


def ends_sentence(text: str) -> bool:
    return bool(TERMINAL.search(text))


def is_prose(text: str) -> bool:
    n = len(words(text))
    return n >= 8 or (n >= 4 and ends_sentence(text))


def headline_like(text: str) -> bool:
    """A line shaped like a headline rather than a sentence or a short subheading."""
    if ends_sentence(text) or CONTINUES.search(text) or BULLET.match(text) or SOCIAL_EMBED.search(text):
        return False
    if text[:1].islower():  # a sentence that goes on, not a headline
        return False
    ws = words(text)
    if len(ws) > 22:
        return False
    if SPEAKER_HEADLINE.match(text):
        return True
    if 8 <= len(ws) <= 16:  # too long for a subheading, too short and unpunctuated for a paragraph
        return True
    caps = sum(1 for w in ws if w[0].isupper())
    return len(ws) >= 5 and caps / len(ws) >= 0.7


# ---------------------------------------------------------------- per-block kinds
def outlet_date(text: str) -> tuple[str, object] | None:
    """"Global Research, November 30, 2022" / "Antiwar.com 29 November 2022" → (outlet, date hit)."""
    hits = [h for h in find_dates(text) if h.value]
    if len(hits) != 1:
        return None
    h = hits[0]
    name, tail = text[:h.start].strip(" ,|-\u2014\u2013"), text[h.end:].strip(" .,|")
    if tail or not name or DATE_LABEL_RE.match(name + " ") or P.UPDATED_LABEL.match(name + " "):
        return None
    toks = name.split()
    if not 1 <= len(toks) <= 5 or name.lower().startswith("by"):
        return None
    domain = re.fullmatch(r"[\w-]+(\.[\w-]+)*\.[a-z]{2,}", name, re.I)
    caps = all(t[0].isupper() or t.lower() in ("of", "the", "and", "for", "on") for t in toks)
    shouting = name.replace(" ", "").isupper() and len(name.replace(" ", "")) > 4
    if not (domain or (caps and not shouting)):
        return None
    return name, h


def date_line(text: str) -> bool:
    """The block is essentially a date (with a label, a weekday, a time zone), not prose."""
    hits = find_dates(text)
    if not hits:
        return False
    return len(words(date_remainder(text, hits))) <= 1 or bool(DATE_LABEL_RE.match(text))


def classify(b: Block) -> str:
    t = b.text
    if parse_byline(t) is not None and len(t) < 200:
        return "byline"
    if len(t) < 120 and outlet_date(t):
        return "outlet_date"
    if len(t) < 120 and date_line(t):
        return "date"
    f = P.furniture(t)
    if f:
        return ("hard:" if f[1] else "soft:") + f[0]
    if P.is_caption(t):
        return "caption"
    if P.RELATED_INLINE.match(t):
        return "related"
    return "text"


# ---------------------------------------------------------------- positions
META_KINDS = ("byline", "outlet_date", "date", "byline_name")


MASTHEAD = re.compile(r"\s[|\u2014\u2013\u2022]\s|\b(edition|since \d{4}|news(paper)? of|online)\b", re.I)


def _title_like(b: Block) -> bool:
    n = len(words(b.text))
    return 1 <= n <= 30 and len(b.text) <= 250 and (b.heading or not ends_sentence(b.text) or n <= 20)


TAGLINE = re.compile(r"\bsince (1[89]|20)\d\d\b|^(the )?(home|voice|source) of\b", re.I)


def _title_candidate(b: Block, k: str) -> bool:
    t = b.text
    return (k == "text" and _title_like(b) and not t.endswith(":") and not t[:1].islower() and " | " not in t
            and not TAGLINE.search(t) and not (t.isupper() and len(words(t)) <= 4) and not P.section_line(t))


def _anchor(blocks: list[Block], kinds: list[str]) -> int | None:
    """The byline/date block that closes the header, if it sits near the top."""
    limit = max(12, int(len(blocks) * 0.4))
    for i, k in enumerate(kinds[:limit]):
        if k in META_KINDS:
            return i
        if k == "text" and is_prose(blocks[i].text) and len(words(blocks[i].text)) > 40:
            return None  # a long paragraph came first: the page starts with its body
    return None


def _dek_shaped(b: Block) -> bool:
    n = len(words(b.text))
    return n >= 8 and (ends_sentence(b.text) or n >= 18)


def _title_index(blocks: list[Block], kinds: list[str], given_title: str | None) -> int | None:
    """The headline.

    With a byline/date block near the top, the headline is the last title-shaped
    line above it (above its standfirst, when the line right above is one), a
    markdown heading first; mastheads, taglines and menus above it are passed
    over. Without one, the first title-shaped line (or the first after a date
    line that opens the page).
    """
    texts = [i for i, k in enumerate(kinds) if k == "text"]
    if not texts:
        return None
    if given_title is not None:
        for i in texts[:3]:
            if _norm(blocks[i].text) == _norm(given_title):
                return i
        return None
    anchor = _anchor(blocks, kinds)
    if anchor is not None:
        cands = [i for i in range(anchor) if _title_candidate(blocks[i], kinds[i])]
        heads = [i for i in cands if blocks[i].heading]
        if heads:
            return heads[-1]
        if cands:
            run = _last_run(cands, kinds)
            for i in run[:-1]:
                if not _brand(blocks, kinds, i):
                    return i
            return run[-1]
        after = [i for i in texts if i > anchor]
        if after and _title_candidate(blocks[after[0]], "text") and not _dek_shaped(blocks[after[0]]):
            return after[0]
        return None
    i = texts[0]
    if not _title_like(blocks[i]):
        return None
    nxt = next((j for j in range(i + 1, len(blocks)) if not kinds[j].startswith(("soft:", "caption"))), None)
    named_again = any(blocks[i].text.lower() in b.text.lower() for j, b in enumerate(blocks) if j != i and kinds[j] != "text")
    if (nxt is not None and kinds[nxt] == "text" and _title_like(blocks[nxt]) and not blocks[i].heading
            and (MASTHEAD.search(blocks[i].text) or (len(words(blocks[i].text)) <= 4 and named_again))
            and len(words(blocks[nxt].text)) > len(words(blocks[i].text))):
        return nxt
    return i


def _last_run(cands: list[int], kinds: list[str]) -> list[int]:
    """The last candidates that stand next to each other (soft furniture and captions between them allowed)."""
    run = [cands[-1]]
    for i in reversed(cands[:-1]):
        between = kinds[i + 1:run[0]]
        if all(k.startswith(("soft:", "caption")) and k not in ("soft:nav", "soft:label", "soft:account") for k in between):
            run.insert(0, i)
        else:
            break
    return run


def _brand(blocks: list[Block], kinds: list[str], i: int) -> bool:
    """A masthead-shaped line: a tagline separator, or a short name the page repeats in its furniture."""
    t = blocks[i].text
    if MASTHEAD.search(t):
        return True
    return len(words(t)) <= 4 and any(t.lower() in b.text.lower() for j, b in enumerate(blocks) if j != i and kinds[j] != "text")


def _masthead(blocks: list[Block], kinds: list[str], title: int) -> int | None:
    """The outlet's own name above the headline: a short brand-like line, not a menu or label."""
    for i in range(title):
        t = blocks[i].text
        if kinds[i] != "text" or P.section_line(t) or TAGLINE.search(t) or t.endswith((":", ".", "!", "?")):
            continue
        ws = words(t)
        brand = re.fullmatch(r"[\w-]+(\.[\w-]+)*\.[a-z]{2,}", t) or (1 <= len(ws) <= 5 and all(w[:1].isupper() for w in ws if len(w) > 3))
        if brand:  # above the headline a name is the outlet's, not a byline (those sit below it)
            return i
    return None


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s).strip().lower()


NAME_LINE = re.compile(r"^(?P<name>[^,|]+?)(?:\s+in\s+[A-Z][\w .'-]+|\s*,\s*[\w &'-]{2,40}|\s*\|\s*[\w &'-]{2,40})?$")


def byline_name(text: str) -> str | None:
    """"Eleanor Whitcombe in Port Alder" / "Simone Varga, Courts Reporter" -> the person's name."""
    m = NAME_LINE.match(text)
    return m.group("name").strip() if m and is_person_name(m.group("name").strip()) else None


def _mark_byline_names(blocks: list[Block], kinds: list[str]) -> None:
    """A name line without "By": next to a byline naming the same person, or right above/below a date line."""
    for i, b in enumerate(blocks[:40]):
        if kinds[i] != "text" or len(b.text) > 80:
            continue
        name = byline_name(b.text)
        if not name:
            continue
        for j in (i - 1, i + 1):
            if not 0 <= j < len(blocks):
                continue
            if kinds[j] == "byline":
                by = parse_byline(blocks[j].text)
                if by and name in by.names:
                    kinds[i] = "byline_name"
            elif kinds[j] in ("date", "outlet_date") and i + 1 < len(blocks):
                kinds[i] = "byline_name"


def _mark_foreign_ui(blocks: list[Block], kinds: list[str]) -> None:
    """Short lines in another script than the article's (a Cyrillic button on an English page)."""
    letters = [c for b in blocks for c in b.text if c.isalpha()]
    if not letters or sum(c < "\u0250" for c in letters) / len(letters) < 0.8:
        return
    for i, b in enumerate(blocks):
        ls = [c for c in b.text if c.isalpha()]
        if kinds[i] == "text" and len(words(b.text)) <= 4 and ls and all(c >= "\u0370" for c in ls):
            kinds[i] = "soft:ui"


def _next_index(kinds: list[str], i: int, skip=("soft:", "caption")) -> int | None:
    for j in range(i + 1, len(kinds)):
        if not kinds[j].startswith(skip):
            return j
    return None


def _is_dek(blocks: list[Block], kinds: list[str], i: int, seen_meta: bool, description: str | None) -> bool:
    b = blocks[i]
    if not is_prose(b.text) or parse_dateline(b.text):
        return False
    if description and _norm(description) == _norm(b.text):
        return True
    j = _next_index(kinds, i)
    if j is None:
        return False
    if not seen_meta and kinds[j] in META_KINDS:
        return True  # between the title and the byline/date block
    return kinds[j] == "text" and not ends_sentence(b.text) and is_prose(blocks[j].text)


def _jaccard(a: str, b: str) -> float:
    wa, wb = set(w.lower() for w in words(a)), set(w.lower() for w in words(b))
    return len(wa & wb) / max(1, len(wa | wb))


BIO = re.compile(r"^(?P<name>[A-Z][\w'.-]+(?: [A-Z][\w'.-]+){1,3}),? (?:is|was|has been|writes|covers|reports)\b.{0,40}"
                 r"\b(?:author|writer|editor|journalist|reporter|correspondent|columnist|fellow|professor|analyst|"
                 r"researcher|contributor|founder|director|lecturer|scholar|historian|economist|commentator)\b")


def layout(article: Article) -> None:
    """Assign ``role`` and ``kind`` to every block of ``article.blocks``."""
    blocks = article.blocks
    kinds = [classify(b) for b in blocks]
    _mark_byline_names(blocks, kinds)
    given_title = article.raw.given.get("title") or article.html_meta.get("title")
    description = article.html_meta.get("description")
    authors = {n for b, k in zip(blocks, kinds) if k == "byline" for n in (parse_byline(b.text).names)}

    _mark_foreign_ui(blocks, kinds)
    t = _title_index(blocks, kinds, given_title if article.raw.given.get("title") or article.raw.format == "html" else None)
    if t is not None:
        blocks[t].role, blocks[t].kind = "title", "title"
        m = _masthead(blocks, kinds, t)
        if m is not None:
            blocks[m].role, blocks[m].kind = "drop", "masthead"
    start = 0 if t is None else t + 1
    anchor = _anchor(blocks, kinds)

    # header: until the first body paragraph
    seen_meta = False
    dek_done = False
    i = start
    while i < len(blocks):
        b, k = blocks[i], kinds[i]
        if k in META_KINDS:
            b.role, b.kind = "meta", k
            seen_meta = True
        elif k != "text":
            b.role, b.kind = "drop", k
        elif not dek_done and t is not None and _is_dek(blocks, kinds, i, seen_meta, description):
            b.role, b.kind = "dek", "dek"
            dek_done = True
        elif not is_prose(b.text) and _next_index(kinds, i) is not None and not parse_dateline(b.text):
            b.role, b.kind = "drop", "header:short"  # a section label or a stray line above the body
        elif anchor is not None and i < anchor:
            b.role, b.kind = "drop", "header:text"  # above the byline/date block: not the body yet
        else:
            break
        i += 1
    for b in blocks[:start]:
        if not b.role:
            b.role, b.kind = "drop", "header:before_title"

    # body and footer; a footer holding more prose than the body was started by a misplaced marker
    soft: set[int] = set()
    while True:  # each round demotes one more marker, so this ends
        body, marker = _body_and_footer(blocks, kinds, i, authors, soft)
        if marker is None or marker in soft or _prose_words(blocks, "footer:text") <= _prose_words(blocks, "body"):
            break
        soft.add(marker)

    _drop_related_headlines(blocks, kinds, body)
    _drop_pull_quotes(blocks, body)
    body = [j for j in body if blocks[j].role == "body"]
    last = blocks[body[-1]].text if body else ""
    if len(body) >= 3 and len(words(last)) >= 12 and _jaccard(blocks[body[0]].text, last) >= 0.7:
        blocks[body[-1]].role, blocks[body[-1]].kind = "drop", "summary"


def _body_and_footer(blocks: list[Block], kinds: list[str], start: int, authors: set[str],
                     soft: set[int]) -> tuple[list[int], int | None]:
    """Assign body/footer roles from ``start``; return body indices and where the footer began."""
    footer: int | None = None
    body: list[int] = []
    prose_seen = False
    for j in range(start, len(blocks)):
        b, k = blocks[j], kinds[j]
        if footer is not None:
            b.role, b.kind = "drop", "footer:" + (k.split(":")[-1] if k != "text" else "text")
            continue
        if k.startswith("hard:") and prose_seen and j not in soft:
            b.role, b.kind = "drop", k
            if not (k == "hard:credit" and _MEDIA_CREDIT.match(b.text) and _prose_after(blocks, kinds, j)):
                footer = j                     # a picture's credit mid-article drops itself, not the rest
        elif k != "text":
            b.role, b.kind = ("meta" if k in META_KINDS else "drop"), k
        elif prose_seen and len(body) >= 3 and j not in soft and _bio(b.text, authors) and j >= len(blocks) - 8 \
                and not _prose_after(blocks, kinds, j):
            footer = j                         # a bio ends the article only when no prose follows it
            b.role, b.kind = "drop", "hard:bio"
        else:
            b.role, b.kind = "body", "body"
            body.append(j)
            prose_seen = prose_seen or (is_prose(b.text) and not headline_like(b.text))
    return body, footer


_MEDIA_CREDIT = re.compile(r"(?i)\s*(?:courtesy(?: of)?|credit|via|(?:featured|header|cover|top|lead) (?:image|photo|"
                           r"picture))\b")


def _prose_after(blocks: list[Block], kinds: list[str], j: int) -> bool:
    """Is there a paragraph of prose after block ``j`` that is not itself a bio? ("X is a French
    economist who has studied ..." in the middle of an article describes a source, not the author.)"""
    paras = [len(words(blocks[x].text)) for x in range(j + 1, len(blocks)) if kinds[x] == "text" and
             is_prose(blocks[x].text) and not headline_like(blocks[x].text) and not BIO.match(blocks[x].text)]
    return len(paras) >= 2 and sum(paras) >= 40        # a disclaimer or a print-edition line is not a body


def _prose_words(blocks: list[Block], kind: str) -> int:
    return sum(len(words(b.text)) for b in blocks if b.kind == kind)


def _bio(text: str, authors: set[str]) -> bool:
    m = BIO.match(text)
    if m:
        return True
    return any(text.startswith(a + " is ") or text.startswith(a + " was ") for a in authors)


def _drop_pull_quotes(blocks: list[Block], body: list[int]) -> None:
    """A short block repeated inside a later paragraph is a pull quote, not a paragraph of its own."""
    for n, j in enumerate(body):
        t = " ".join(words(blocks[j].text)).lower()
        if len(t.split()) < 5 or len(t) > 300:
            continue
        if any(t in " ".join(words(blocks[k].text)).lower() for k in body[n + 1:]):
            blocks[j].role, blocks[j].kind = "drop", "pull_quote"


def _drop_related_headlines(blocks: list[Block], kinds: list[str], body: list[int]) -> None:
    """Headlines of other articles dropped into the body, after "Read also:" or on their own."""
    after_marker = False
    for j in range(min(body, default=len(blocks)), len(blocks)):
        b = blocks[j]
        if kinds[j] == "soft:read_also":
            after_marker = True
            continue
        if b.role != "body":
            continue
        if after_marker and not ends_sentence(b.text) and len(words(b.text)) <= 25:
            b.role, b.kind = "drop", "related"
            continue
        after_marker = False
        if not b.heading and headline_like(b.text):
            b.role, b.kind = "drop", "related"
