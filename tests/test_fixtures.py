"""Fixture articles in many outlets' styles (written for this project) against their expectations.

Same checks as the seeds' gold: a rule tuned to five articles would fail here.
"""
import json
import re
import unicodedata
from pathlib import Path

import pytest

from narrascope.ingest import iter_inputs
from narrascope.model import RawInput
from narrascope.pipeline import process

FIXTURES = Path(__file__).parent / "fixtures"
SETS = [d for d in (FIXTURES / "outlets", FIXTURES / "articles") if (d / "expected.json").exists()]


def norm(s):
    if s is None:
        return None
    s = unicodedata.normalize("NFKC", s)
    s = s.replace("\u201c", '"').replace("\u201d", '"').replace("\u2018", "'").replace("\u2019", "'")
    return re.sub(r"\s+", " ", s.replace("\u2014", "-").replace("\u2013", "-")).strip()


def key(s):
    return norm(s).lower().rstrip(".") if s else None


def cases():
    out = []
    for d in SETS:
        for name, exp in json.loads((d / "expected.json").read_text(encoding="utf-8"))["documents"].items():
            out.append(pytest.param(d, name, exp, id=f"{d.name}/{name}"))
    return out


_cache: dict = {}


def articles(d: Path) -> dict:
    if d not in _cache:
        got = {}
        for raw in iter_inputs([str(d)]):
            if isinstance(raw, RawInput):
                rel = str(Path(raw.source).relative_to(d)) if "#" not in raw.source else \
                    str(Path(raw.source.split("#")[0]).relative_to(d)) + "#" + raw.source.split("#", 1)[1]
                got[rel] = process(raw)
        _cache[d] = got
    return _cache[d]


FIELDS = ("title", "dek", "authors", "publisher", "published", "republished_from", "body_starts", "body_ends",
          "not_in_body", "flags")


def check(a, exp) -> list[str]:
    """Every expectation the article misses, as readable lines."""
    text = norm(a.text)
    misses = []
    def miss(field, got):
        misses.append(f"{field}: want {exp.get(field)!r} got {got!r}")
    if key(a.get("title")) != key(exp["title"]):
        miss("title", a.get("title"))
    if key(a.get("dek")) != key(exp["dek"]):
        miss("dek", a.get("dek"))
    if sorted(map(key, a.get("authors") or [])) != sorted(map(key, exp["authors"] or [])):
        miss("authors", a.get("authors"))
    if key(a.get("publisher")) != key(exp["publisher"]):
        miss("publisher", a.get("publisher"))
    got = a.get("published")
    if (exp["published"] is None and got is not None) or (exp["published"] and not (got or "").startswith(exp["published"])):
        miss("published", got)
    er, ar = exp["republished_from"], a.get("republished_from")
    if (er is None and ar) or (er and (not ar or key(ar["publisher"]) != key(er["publisher"])
                                       or (er["published"] and not (ar["published"] or "").startswith(er["published"])))):
        miss("republished_from", ar)
    if not text.startswith(norm(exp["body_starts"])):
        miss("body_starts", text[:70])
    if not text.endswith(norm(exp["body_ends"])):
        miss("body_ends", text[-70:])
    leaks = [s for s in exp["not_in_body"] if norm(s) in text]
    if leaks:
        miss("not_in_body", leaks)
    flags = [str(f) for f in a.flags]
    codes = {f.split(":")[0] for f in flags}
    if not all(f in flags or f in codes for f in exp["flags"]):
        miss("flags", flags)
    if {f.split(":")[0] for f in exp["flags"]} != codes:
        miss("flags (unexpected)", flags)
    return misses


@pytest.mark.parametrize("d,name,exp", cases())
def test_fixture_article(d, name, exp):
    got = articles(d)
    assert name in got, f"{name} was not ingested"
    assert check(got[name], exp) == []


def score(d: Path) -> tuple[int, int]:
    """(expectations met, expectations) over one fixture set: the figure the README reports."""
    exp = json.loads((d / "expected.json").read_text(encoding="utf-8"))["documents"]
    got = articles(d)
    total = len(exp) * len(FIELDS)
    missed = sum(len(check(got[n], e)) if n in got else len(FIELDS) for n, e in exp.items())
    return total - missed, total
