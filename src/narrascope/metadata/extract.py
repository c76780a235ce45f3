"""Metadata from the laid-out blocks, each value with where it came from.

Order of trust for every field: what a structured container gave (a JSONL/CSV
column: "given"), then what the page text says ("text"), then what the HTML
extractor read from meta tags ("html"). When nothing says, the field stays
absent and exports as null.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..clean.layout import byline_name, date_line, outlet_date, words
from ..clean.patterns import wire_name
from ..model import Article, Block, Flag
from .credits import parse_byline, parse_contributors, parse_copyright, parse_dateline, parse_origin
from .dates import DATE_LABEL_RE, DateHit, date_remainder, find_dates, parse_date, same_day


@dataclass
class DateCandidate:
    value: str
    hit: DateHit | None
    block: Block | None
    origin: str          # "given" | "text" | "html"


def _span(b: Block, s: int, e: int) -> tuple[int, int]:
    return b.raw_span(s, e)


def _header_blocks(article: Article) -> list[Block]:
    out = []
    for b in article.blocks:
        if b.role == "body":
            break
        out.append(b)
    return out


def _footer_blocks(article: Article) -> list[Block]:
    return [b for b in article.blocks if b.kind.startswith("footer:") or b.kind.startswith("hard:")]


def extract_metadata(article: Article) -> None:
    given, hm = article.raw.given, article.html_meta
    header, footer = _header_blocks(article), _footer_blocks(article)

    _title_and_dek(article, given, hm)
    _authors(article, header, given, hm)
    outlets = _outlet_lines(article, header)
    _publisher(article, outlets, given, hm)
    _published(article, header, footer, outlets, given, hm)
    _credits(article)
    if article.raw.url:
        article.set("url", article.raw.url, "given")
    _flags(article)


# ---------------------------------------------------------------- fields
def _title_and_dek(article: Article, given: dict, hm: dict) -> None:
    tb = next((b for b in article.blocks if b.role == "title"), None)
    if given.get("title"):
        article.set("title", str(given["title"]).strip(), "given")
    elif tb is not None:
        article.set("title", tb.text, "text", *_span(tb, 0, len(tb.text)), evidence=tb.text)
    elif hm.get("title"):
        article.set("title", hm["title"], "html")
    db = next((b for b in article.blocks if b.role == "dek"), None)
    if db is not None:
        article.set("dek", db.text, "text", *_span(db, 0, len(db.text)), evidence=db.text)
    elif hm.get("standfirst"):
        article.set("dek", hm["standfirst"], "html", evidence="the page's description, printed above the body")


def _authors(article: Article, header: list[Block], given: dict, hm: dict) -> None:
    names: list[str] = []
    affiliation = None
    first = None
    for b in header:
        if b.kind != "byline":
            continue
        by = parse_byline(b.text)
        if by is None:
            continue
        first = first or b
        affiliation = affiliation or by.affiliation
        names += [n for n in by.names if n not in names]
    if first is None:
        for b in header:
            if b.kind == "byline_name" and byline_name(b.text):
                first, names = b, [byline_name(b.text)]
                break
    if given.get("author"):
        a = given["author"]
        article.set("authors", [x.strip() for x in (a if isinstance(a, list) else re.split(r"\s*(?:;|,|\band\b|&)\s*", str(a))) if x.strip()], "given")
    elif first is not None:
        article.set("authors", names, "text", *_span(first, 0, len(first.text)), evidence=first.text)
    elif hm.get("author"):
        article.set("authors", [x.strip() for x in re.split(r"\s*;\s*", hm["author"]) if x.strip()], "html")
    if affiliation:
        article.set("byline_affiliation", affiliation, "text", *_span(first, 0, len(first.text)), evidence=first.text)


def _outlet_lines(article: Article, header: list[Block]) -> list[tuple[str, DateHit, Block]]:
    """Header lines naming an outlet and a date; the host's own comes first.

    With two outlets ("Global Research, November 30, 2022" / "Antiwar.com 29
    November 2022"), the host is the one its own site furniture names most.
    """
    lines = []
    for b in header:
        od = outlet_date(b.text) if len(b.text) < 120 else None
        if od and od[0] not in [x[0] for x in lines]:
            lines.append((od[0], od[1], b))
    if len(lines) > 1:
        furniture = " ".join(b.text for b in article.blocks if b.role == "drop").lower()
        counts = [furniture.count(name.lower()) for name, _, _ in lines]
        host = max(range(len(lines)), key=lambda k: (counts[k], -k))
        lines.insert(0, lines.pop(host))
    return lines


def _publisher(article: Article, outlets: list, given: dict, hm: dict) -> None:
    if given.get("outlet"):
        article.set("publisher", str(given["outlet"]).strip(), "given")
        return
    if outlets:
        name, _, b = outlets[0]
        s = b.text.find(name)
        article.set("publisher", name, "text", *_span(b, s, s + len(name)), evidence=b.text)
        return
    if hm.get("sitename"):
        article.set("publisher", hm["sitename"], "html")
        return
    for b in article.blocks:
        if b.kind.endswith("copyright"):
            name = parse_copyright(b.text)
            if name and not wire_name(name):
                s = b.text.find(name)
                article.set("publisher", name, "text", *_span(b, s, s + len(name)), evidence=b.text)
                return
    for b in article.blocks:
        if b.kind == "masthead":
            name = b.text.title() if b.text.isupper() else b.text
            article.set("publisher", name, "text", *_span(b, 0, len(b.text)), evidence=b.text)
            return


def _date_blocks(header: list[Block], footer: list[Block], rest: list[Block]) -> list[tuple[Block, str]]:
    """Blocks whose dates are publication dates: the header's date-bearing lines, the footer's bare date lines."""
    out = []
    for b in header:
        if b.role in ("title", "dek") or b.kind in ("outlet_date", "caption") or b.kind.endswith(("credit", "copyright")):
            continue
        hits = find_dates(b.text)
        if hits and (b.kind in ("byline", "date") or DATE_LABEL_RE.match(b.text)
                     or len(words(date_remainder(b.text, hits))) <= 6):
            out.append((b, "header"))
    seen = {id(b) for b, _ in out}
    trailing = footer + [b for b in rest if b.role == "meta" and b.kind == "date"]
    for b in trailing:
        if id(b) not in seen and date_line(b.text) and len(b.text) < 80:
            out.append((b, "footer"))
            seen.add(id(b))
    return out


def _published(article: Article, header: list[Block], footer: list[Block], outlets: list, given: dict, hm: dict) -> None:
    cands: list[DateCandidate] = []
    if given.get("date"):
        h = parse_date(str(given["date"]))
        if h and h.value:
            cands.append(DateCandidate(h.value, None, None, "given"))
        else:
            article.flag("malformed_date", str(given["date"]), reason="the record's date field does not parse")
    if outlets:
        cands.append(DateCandidate(outlets[0][1].value, outlets[0][1], outlets[0][2], "text"))
    ambiguous: list[tuple[DateHit, Block]] = []
    date_blocks = _date_blocks(header, footer, article.blocks[len(header):])
    bare_footer = [b for b, where in date_blocks if where == "footer" and any(h.value for h in find_dates(b.text))]
    for b, where in date_blocks:
        for h in find_dates(b.text):
            before = b.text[max(0, h.start - 24):h.start].lower()
            updated = re.search(r"(updated|modified|edited)\W*(on|at)?\W*$", before)
            if where == "footer" and h.value and not h.malformed and len(bare_footer) > 1 and \
                    not re.search(r"(published|posted)\W*(on|at)?\W*$", before):
                continue  # dates of a related-articles list, not of this article
            if h.malformed:
                article.flag("malformed_date", h.text, *_span(b, h.start, h.end),
                             reason=f"'{h.text}' is shaped like a date but names no real day")
            elif h.ambiguous:
                ambiguous.append((h, b))
            elif h.value and updated:
                article.set("updated", h.value, "text", *_span(b, h.start, h.end), evidence=b.text)
            elif h.value:
                cands.append(DateCandidate(h.value, h, b, "text"))
    if hm.get("date"):
        h = parse_date(str(hm["date"]))
        if h and h.value:
            cands.append(DateCandidate(h.value, None, None, "html"))
    for h, b in ambiguous:  # 03/04/2022: settle it by a date that agrees, else say so
        match = next((c for c in cands for alt in h.alternatives if same_day(c.value, alt, 0)), None)
        if match is None:
            article.flag("ambiguous_date", h.text, *_span(b, h.start, h.end),
                         reason=f"'{h.text}' could be day/month or month/day")
    if not cands:
        return
    best = cands[0]
    for c in cands[1:]:  # the most precise statement of the same day
        if c.origin != "html" and same_day(c.value, best.value, 0) and len(c.value) > len(best.value):
            best = c
    if best.block is not None:
        article.set("published", best.value, best.origin, *_span(best.block, best.hit.start, best.hit.end), evidence=best.block.text)
    else:
        article.set("published", best.value, best.origin)
    for c in cands:
        if c.origin != "html" and not same_day(c.value, best.value):
            article.flag("dates_inconsistent", f"{best.value[:10]},{c.value[:10]}",
                         *(_span(c.block, c.hit.start, c.hit.end) if c.block else (None, None)),
                         reason="two publication dates on the page disagree by more than a day")
            break


def _credits(article: Article) -> None:
    """Dateline and wire credit, contributor lines, origin ("republished from") credits."""
    body = [b for b in article.blocks if b.role == "body"]
    origin = None
    if body:
        dl = parse_dateline(body[0].text)
        if dl:
            article.set("dateline", dl.place + (f", {dl.date}" if dl.date else ""), "text",
                        *_span(body[0], 0, dl.end), evidence=body[0].text[:dl.end])
            if dl.wire:
                s = body[0].text.find(dl.wire)
                article.set("wire_credit", dl.wire, "text", *_span(body[0], s, s + len(dl.wire)), evidence=body[0].text[:dl.end])
    contributors: list[str] = []
    for b in article.blocks:
        if b.role == "body" or b.role == "title":
            continue
        for n in parse_contributors(b.text):
            if n not in contributors:
                contributors.append(n)
                article.set("contributors", contributors, "text", *_span(b, 0, len(b.text)), evidence=b.text)
        o = parse_origin(b.text) if b.kind.endswith("credit") or b.role == "drop" else None
        if o and origin is None:
            origin = ("text", o.publisher, o.published, b, o.start, o.end)
    outlets = _outlet_lines(article, _header_blocks(article))
    if origin is None and len(outlets) > 1:
        name, hit, b = outlets[1]
        s = b.text.find(name)
        origin = ("text", name, hit.value, b, s, s + len(name))
    if origin is None and article.get("wire_credit") and wire_name(article.get("publisher") or "") != wire_name(article.get("wire_credit")):
        f = article.fields["wire_credit"]
        article.fields["republished_from"] = type(f)({"publisher": f.value, "published": None}, "text", f.start, f.end, f.line, f.evidence)
        return
    if origin is None:
        for b in article.blocks:
            if b.kind.endswith("copyright"):
                name = parse_copyright(b.text)
                if name and wire_name(name):
                    s = b.text.find(name)
                    origin = ("text", wire_name(name), None, b, s, s + len(name))
                    break
    if origin and (wire_name(origin[1]) or origin[1]).lower() == (wire_name(article.get("publisher") or "") or article.get("publisher") or "").lower():
        origin = None  # the outlet credits itself: a wire story on the wire's own site
    if origin:
        _, name, published, b, s, e = origin
        article.set("republished_from", {"publisher": name, "published": published}, "text", *_span(b, s, e), evidence=b.text)


def _flags(article: Article) -> None:
    authors = article.get("authors") or []
    wire = article.get("wire_credit") or wire_name((article.get("republished_from") or {}).get("publisher") or "")
    if not (authors and wire):
        return
    wire = wire_name(wire) or wire
    if wire_name(article.get("byline_affiliation") or "") == wire:
        return
    if wire_name(article.get("publisher") or "") == wire:
        return
    f = article.fields["authors"]
    contributors = article.get("contributors") or []
    if all(a in contributors for a in authors):  # the wire's own reporting line names the byline
        return
    why = (f"the byline names {', '.join(authors)} but the story is credited to {wire}"
           + (f" and its credit line names {', '.join(contributors)}" if contributors else ""))
    article.flags.append(Flag("byline_conflicts_with_wire_credit", "", f.start, f.end, why))
