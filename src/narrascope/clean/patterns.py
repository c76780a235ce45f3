"""Patterns for the furniture scraped pages carry around an article.

Gathered in one place so they can be read, tested and extended together. Each
family is a list of regular expressions matched (case-insensitively) against a
whole block of clean text. ``SOFT`` families are dropped where they stand;
``HARD`` families also mark the start of the footer when they follow the body
(everything after them is page furniture).
"""
from __future__ import annotations

import re

from ..lang.ru import furniture as _ru

_I = re.IGNORECASE

# -- families of boilerplate blocks -------------------------------------------------
SOFT: dict[str, list[str]] = {
    "newsletter": [
        r"(to receive|to get|sign ?up|subscribe|get|join|don'?t miss|want more)\b.{0,120}\b(newsletters?|briefing|mailing list|alerts|updates|inbox)\b.*",
        r".{0,30}\b(our|daily|weekly|free) newsletters?\b.{0,60}",
        r".{0,40}\bget (our|the) .{0,40}\b(in|to) your inbox\b.*",
        r"enter your e-?mail( address)?.*",
    ],
    "social": [
        r".{0,40}\bfollow us\b.{0,200}",
        r".{0,160}\bfollow (me|him|her|them) (on|at) (twitter|x|facebook|instagram|telegram|substack|mastodon|bluesky|threads|tiktok|youtube|linkedin)\b.*",
        r".{0,40}\b(join|subscribe to) (us|our) .{0,30}\b(telegram|whatsapp|youtube|facebook|substack|channel)\b.*",
        r"(like|find) us on facebook.*",
        r".{0,60}\b(feel free to|please) (repost|share)\b.*",
        r"(facebook|twitter|x|telegram|whatsapp|linkedin|email|reddit|pinterest|vk|copy link|print)"
        r"([\s,|/•·]+(facebook|twitter|x|telegram|whatsapp|linkedin|email|reddit|pinterest|vk|copy link|print))+",
        r"you can share this (story|article) on social media:?",
    ],
    "share": [
        r"share (this|the) (article|story|post|page)\b.{0,40}",
        r"share( this)?( on [a-z]+)?:?",
        r"(click|tap) (on )?(the )?share buttons?.*",
        r"(please )?click the share buttons?.*",
        r"like this:?", r"loading\.{0,3}", r"(tweet|email|e-mail|pin it|whatsapp|telegram|reddit|linkedin|facebook|twitter|flipboard|messenger)", r"print (this )?(article|page)", r"save (this )?article",
        r"listen to (this|the) article.{0,40}", r"copy link", r"email this (story|article)",
    ],
    "comments": [
        r"(leave|add|post|write) a comment.{0,40}", r"\d* ?comments?( \(?\d+\)?)?:?",
        r"comment on .{0,80}\b(articles?|posts?|page|facebook)\b.*", r"view comments?",
        r"(show|hide|load) (more )?comments?", r"join the (conversation|discussion).{0,80}",
        r"comments are (closed|moderated).*",
    ],
    "cookies": [
        r"(this|our) (web)?(site|page) uses cookies\b.*", r"(we|this site) uses? cookies\b.*", r"by (continuing|using) (to use )?(this|our) (web)?site.{0,80}cookies.*", r".{0,40}\bcookie (policy|settings|preferences|consent)\b.*",
        r"(accept|reject|allow|decline)( all)?( cookies)?", r"(ok|okay|got it|i agree|agree|ок|понятно|принять)",
        r"we (value|care about) your privacy.*", r"manage (preferences|options|settings|cookies)",
        r"(no thanks|maybe later|not now|continue without accepting)",
        r"принять и закрыть|закрыть|понятно|согласен|поделиться|подписаться|читать также",
    ],
    "account": [r"(already (a|have an?) (subscriber|account)\??.{0,30})", r"(sign|log) ?(in|up|out)( now| here| free)?!?",
                r"you have \d+ (free )?(articles?|stories) (left|remaining).*", r"subscribe (now|today) for (just|only)? ?.{0,60}",
                r"(get|grab) (unlimited|full) access.*", r"search for:?", r"get short url", r"back to top", r"show (more|less)",
                r"(print|reuse this content|view on [\w. ]{1,30})"],
    "correction": [r"(correction|clarification|update)\s*:.*"],
    # the signature of an embedded post: "— Kim Dotcom (@KimDotcom) March 18, 2023"
    "embedded_post": [r"[\u2014\u2013-]+\s*[^\n]{1,80}\(@\w{1,30}\)\s*[A-Z][a-z]+\.? \d{1,2}, \d{4}",
                      r"pic\.twitter\.com/\w+"],
    "donate": [
        r".{0,60}\bsupport (us|our (work|journalism|reporting))\b.*", r".{0,40}\bbecome a (member|patron|subscriber|supporter)\b.*",
        r"(please )?(donate|make a donation)\b.{0,80}", r".{0,40}\bdonate (now|today|here)\b.*", r".{0,40}\bpatreon\b.*", r"subscribe( now)?( today)?!?",
    ],
    "translate": [r".{0,80}\btranslate (this |the )?(website|page|article)\b.*", r".{0,40}\bcan be read in \d+ languages\b.*"],
    "advert": [r"(advertisement|advertising|sponsored( content)?|ad|story continues below( advertisement)?|scroll to continue.*)"],
    "reading_time": [r"\d+\s*(-\s*)?(min(ute)?s?|mins?)\.?\s*(read|reading time)", r"(reading time|read time):?\s*\d+\s*min.*",
                     r"\d+ minute read"],
    "views": [r"\d[\d,. ]*\s*(views?|reads?|shares?)", r"(views?|hits):?\s*\d[\d,.]*"],
    "counter": [r"\d[\d,.]*k?"],
    "separator": [r"[\W_]+"],
    "nav": [r"[\w&'. -]{1,25}(\s*[|\u2022\u00b7]\s*[\w&'. -]{1,25}){2,}",
            # a masthead with a long tagline among its sections: "CITY NEWS · News of the region · Sport · Culture"
            r"[\w&'. -]{1,40}(\s*[|\u2022\u00b7\u2014]\s*[\w&'. -]{1,40})(\s*[|\u2022\u00b7]\s*[\w&'. -]{1,25}){3,}",
            r"[\w&'. -]{1,25}(\s*[/\u203a\u00bb>]\s*[\w&'. -]{1,25}){1,}\s*[/\u203a\u00bb>]?",
            r"(home|menu|search|skip to (main )?content|back to top|sign in|log ?in|register|my account|more|close|next|previous|prev)",
            r"(next|previous) (article|story|post):?.*"],
    "label": [r"(opinion|analysis|commentary|editorial|news|world|politics|breaking|exclusive|live|updated?|newsfront|featured|top stories|latest)"],
    "read_also": [r"(read|see) (also|more)\b:?", r"related( articles?| stories| posts| coverage| content| reading)?:?",
                  r"more (on|from|about) (this|the) (story|topic|subject)s?:?", r"recommended( for you)?:?", r"(most read|most popular|trending)( now)?:?",
                  r"(you|we think you) (may|might) (also )?(like|be interested in|have missed):?", r"also read:?", r"don'?t miss:?", r"watch:?"],
}
for _fam, _rxs in _ru.SOFT.items():
    SOFT.setdefault(_fam, []).extend(_rxs)
# "READ MORE: <headline>" dropped into a body: the marker and the headline on one line.
RELATED_INLINE = re.compile(r"^(read|see) (also|more)|^related( story| article)?:|^also read|^more:|^watch:|^listen:", _I)

HARD: dict[str, list[str]] = {
    "copyright": [r"(©|\(c\)|copyright\b|all rights reserved).*", r".*\ball rights reserved\b.*"],
    "disclaimer": [r"(\*+\s*)?disclaimer\b.*", r"the (views|opinions) expressed (here|in this (article|piece|column))? ?(are|is) .*",
                    r".{0,120}\b(contains|contain) copyrighted material\b.*",
                   r"(this|the) (article|piece|content) (is|was) (for|provided for) (informational|educational) purposes.*"],
    "note": [r"(note to (our )?readers|editor'?s note)\s*:.*"],
    "credit": [r"(source|sources|via|credit|courtesy( of)?)\s*:\s*\S.{0,120}",
               r"(this (article|story|post|piece|essay)( was| is|,)? (originally|first) (published|appeared)|originally (published|appeared)|(re)?published (here )?(with permission )?(from|by|courtesy of)|republished from|first published (on|in|by|at)|cross-?posted from)\b.*",
               r".{3,200}\bcontributed (to )?(this )?(report|story|reporting|article)\b.*", r".{3,200}\b(also )?contributed\.?",
               r"\(?(reporting|writing|additional reporting|editing) by\b.*",
               r"our standards:.*", r"(follow|read) [\w.&' -]{1,40}'s (full )?coverage\b.*",
               r"(featured|header|cover|top|lead) (image|photo|picture)( is)?( from|:| by| credit).*"],
    "bio": [r"(about the author|author bio)\b.*"],
    "tags": [r"(tags?|topics?|keywords?|filed under|categories|category|region|theme|in-depth report|more about)\s*:.*",
             r"(tags|topics|related topics|more on this story|more on this topic)"],
    "more_from": [r"(?-i:MORE FROM|More from|MORE IN|More in|MORE ON|More on) [A-Z][\w&' -]{1,40}\b(?!.*[.!?]$).{0,120}"],
    "share_footer": [r"share (this|the) (article|story|post)\b.*"],
}

for _fam, _rxs in _ru.HARD.items():
    HARD.setdefault(_fam, []).extend(_rxs)

# Image captions / photo credits.
CAPTION = [
    r".{0,300}\((photo|image|picture|pic|credit|getty|getty images|reuters|ap photo|afp|epa|shutterstock|file|illustration|video)\b[^)]{0,120}\)\.?",
    r".{0,300}\b(photo|image|picture|pic|credit|illustration|photograph|photo illustration)\s*(:|credit\b|courtesy\b).{0,120}",
    r"(photo|image|picture|video)\s*:.{0,80}",
    r"(photographs?|photos|illustrations?|images?) by [A-Z].{0,80}",
    r".{0,200}\b(getty images|shutterstock|depositphotos|istock|alamy|wikimedia commons|unsplash|ap photo|afp via getty)\b.{0,80}",
    r".{0,200}/\s*(reuters|ap|afp|epa|getty|tass|ria novosti|sputnik)\s*",
    r".{0,200}\b(?-i:REUTERS|AP|AFP|EPA|TASS|XINHUA|ANADOLU|GETTY IMAGES|AP PHOTO)\s*/\s*[\w.' -]{2,60}",
]

CAPTION += _ru.CAPTION

# A block of comma-separated lowercase keywords ("nato, ukraine, jens stoltenberg").
TAG_LIST = re.compile(r"^[a-z0-9][\w'’.&-]*(?: [\w'’.&-]+){0,4}(?:\s*[,;|]\s*[a-z0-9][\w'’.&-]*(?: [\w'’.&-]+){0,4}){2,}$")
# "#ukraine #nato"
HASHTAGS = re.compile(r"^(#\w+\s*){2,}$")


def _compile(table: dict[str, list[str]]) -> dict[str, re.Pattern[str]]:
    return {k: re.compile("^(?:" + "|".join(v) + r")\s*$", _I) for k, v in table.items()}


SOFT_RE = _compile(SOFT)
HARD_RE = _compile(HARD)
CAPTION_RE = re.compile("^(?:" + "|".join(CAPTION) + r")\s*$", _I)


SOFT_MAX = 320  # a longer block is prose, whatever words it shares with furniture

# Names of site sections: a line made only of these is a menu or a section label.
SECTION_WORDS = set("""
news world politics business markets market sport sports opinion opinions elections election culture science books
tech technology health lifestyle entertainment travel weather video videos podcasts podcast obituaries local national
international economy climate environment legal sustainability education courts crime arts food style showbiz celebrity
money finance property cars motoring life live latest breaking analysis features investigations archive the subscribe
newsletter newsletters e-edition edition reviews deals phones audio home menu search about contact my us uk europe
asia africa americas russia ukraine china middle east defense defence military space emergencies society press
review reviews sports & and cartoons comment letters photos galleries weekend magazine more smart gaming gear
apps security ai cameras laptops tv shopping guides how-to best wellness family parenting jobs real estate autos
english русский español français deutsch українська
""".split()) | set(_ru.SECTION_WORDS)


def section_line(text: str) -> bool:
    """A menu or section label: only section words (3+ of them, or 1-2 in capitals)."""
    toks = re.findall(r"[\w&-]+", text.lower())
    if not toks or any(t not in SECTION_WORDS for t in toks):
        return False
    return len(toks) >= 3 or text.isupper() or len(toks) <= 2 and all(w[:1].isupper() for w in re.findall(r"[^\W\d_][\w&-]*", text))


def furniture(text: str) -> tuple[str, bool] | None:
    """(family, is_hard) when the block is page furniture, else None."""
    for fam, rx in HARD_RE.items():
        if rx.match(text):
            return fam, True
    if len(text) > SOFT_MAX:
        return None
    for fam, rx in SOFT_RE.items():
        if rx.match(text):
            return fam, False
    if TAG_LIST.match(text) or HASHTAGS.match(text):
        return "tags", True
    if section_line(text):
        return "nav", False
    return None


def is_caption(text: str) -> bool:
    return len(text) <= 400 and bool(CAPTION_RE.match(text))


# -- metadata-bearing lines ---------------------------------------------------------
BYLINE = re.compile(r"^(?:by\b|written by\b|words by\b|posted by\b|story by\b|reported by\b|authors?:|reporter:|"
                    + "|".join(w + ":" for w in _ru.BYLINE_LABELS) + r")\s*(?P<rest>.*)$", _I)
LEADING_BY = re.compile(r"^by(?=[A-Z])")  # "byOlena Mukhina" (scraped without a space)
DATE_LABEL = re.compile(r"^(?:date|published|posted|published on|posted on|first published|publication date|dated|"
                        + "|".join(_ru.DATE_LABELS) + r")\s*:?\s*", _I)
UPDATED_LABEL = re.compile(r"^(?:updated|last updated|modified|last modified|" + "|".join(_ru.UPDATED_LABELS)
                           + r")\s*(?:on|at)?\s*:?\s*", _I)

# wire services: how they are credited and the names they go by
WIRES = {
    "AP": ["AP", "Associated Press", "The Associated Press"],
    "Reuters": ["Reuters", "Thomson Reuters"],
    "AFP": ["AFP", "Agence France-Presse", "Agence France Presse"],
    "UPI": ["UPI", "United Press International"],
    "dpa": ["dpa", "Deutsche Presse-Agentur"],
    "Bloomberg": ["Bloomberg", "Bloomberg News"],
    "TASS": ["TASS", "ITAR-TASS"],
    "RIA Novosti": ["RIA Novosti", "RIA"],
    "Xinhua": ["Xinhua"],
    "ANSA": ["ANSA"],
    "EFE": ["EFE"],
    "Kyodo": ["Kyodo", "Kyodo News"],
    "Ukrinform": ["Ukrinform"],
    "PA": ["PA", "Press Association", "PA Media"],
    "CP": ["CP", "The Canadian Press", "Canadian Press"],
    "AAP": ["AAP", "Australian Associated Press"],
}
for _name, _aliases in _ru.WIRE_ALIASES.items():
    WIRES.setdefault(_name, []).extend(_aliases)
WIRE_ALIAS = {alias.lower(): name for name, aliases in WIRES.items() for alias in aliases}


def wire_name(s: str) -> str | None:
    return WIRE_ALIAS.get(s.strip().strip(".").lower())
