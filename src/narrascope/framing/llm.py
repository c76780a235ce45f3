"""Framing by a language model on your own OpenAI-compatible server (optional).

The offline model (``narratives.py``, ``roles.py``, ``loaded.py``) is the default.
With ``NARRASCOPE_FRAMING=llm`` the framing stage asks a local server that speaks
the OpenAI chat-completions protocol (llama.cpp's ``llama-server``, Ollama, vLLM)
instead, and keeps only what it can check:

* every label must be one of the taxonomy's (narratives, sub-narratives, main and
  fine roles, loaded-language kinds); unknown ones are dropped and counted;
* every evidence quote must be found in the article: exactly, else with whitespace,
  quotation marks, dashes and case normalised, else (a quote with "...") its parts
  in order. A found quote becomes ``{start, end}`` offsets into the text; one that
  is not found is dropped and counted. A narrative none of whose quotes is found is
  dropped; so is a role for an entity the article's entities do not contain;
* the output has the offline model's export schema; ``score`` is the model's own
  confidence when it gives one in [0, 1], else null.

Any failure to get an answer (server down, HTTP error, timeout, no JSON object in
the reply) raises ``LLMError``; the stage then runs the offline model and flags the
article ``framing_llm_fallback:<code>``. Nothing is made up in either case.

Configuration (environment; checked by ``settings_from_env``):

``NARRASCOPE_FRAMING``        ``offline`` (default) or ``llm``
``NARRASCOPE_LLM_URL``        the server's OpenAI base URL, e.g. ``http://127.0.0.1:8080/v1``
``NARRASCOPE_LLM_MODEL``      the model name the server knows (Ollama and vLLM need it)
``NARRASCOPE_LLM_TIMEOUT``    seconds to wait for one article (default 20)
``NARRASCOPE_LLM_API_KEY``    sent as a bearer token when set (vLLM ``--api-key``)
``NARRASCOPE_LLM_MAX_CHARS``  characters of the article put in the prompt (default 12000)

The request asks for ``response_format`` with a JSON schema (the labels as enums);
a server that refuses it (HTTP 400/422) is asked again without it, and that is
remembered for the rest of the process. Only the standard library is used.
"""
from __future__ import annotations

import json
import os
import re
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.client import HTTPException
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

from ..errors import NarrascopeError
from .loaded import KINDS as LOADED_KINDS
from .loaded import loaded_language
from .taxonomy import OTHER, ROLES, Taxonomy

BACKEND_ENV = "NARRASCOPE_FRAMING"
URL_ENV = "NARRASCOPE_LLM_URL"
MODEL_ENV = "NARRASCOPE_LLM_MODEL"
TIMEOUT_ENV = "NARRASCOPE_LLM_TIMEOUT"
KEY_ENV = "NARRASCOPE_LLM_API_KEY"
MAX_CHARS_ENV = "NARRASCOPE_LLM_MAX_CHARS"
BACKENDS = ("offline", "llm")

MAX_REPLY_BYTES = 4_000_000
MAX_TOKENS = 2048
FALLBACK_RESERVE = 3.0     # seconds of the article's time limit kept for the offline model
MIN_QUOTE = 3              # characters; shorter "evidence" is not looked for

# fallback codes (the detail of the ``framing_llm_fallback`` flag)
UNREACHABLE = "unreachable"
TIMEOUT = "timeout"
HTTP_ERROR = "http_error"
BAD_REPLY = "bad_reply"
NO_TIME = "no_time"

ROLE_DEFINITIONS = {
    "Protagonist": "presented favourably, as a hero or the side in the right",
    "Antagonist": "presented as the opponent, the cause of harm or the side in the wrong",
    "Innocent": "presented as suffering harm or blame they did not cause",
    "Guardian": "protects or defends others",
    "Martyr": "suffers or dies for a cause",
    "Peacemaker": "seeks peace, mediates, negotiates",
    "Rebel": "stands up against a stronger power or the establishment",
    "Underdog": "the weaker side struggling against the odds",
    "Virtuous": "praised for good character: honest, brave, wise",
    "Instigator": "starts or provokes the conflict",
    "Conspirator": "plots in secret with others",
    "Tyrant": "rules by force and oppression",
    "Foreign Adversary": "a hostile foreign power",
    "Traitor": "betrays their own side",
    "Spy": "gathers secrets for another side",
    "Saboteur": "damages or undermines from within",
    "Corrupt": "abuses power for gain",
    "Incompetent": "fails through lack of ability",
    "Terrorist": "uses violence against civilians for political ends",
    "Deceiver": "lies, misleads or spreads propaganda",
    "Bigot": "shows prejudice against a group",
    "Forgotten": "ignored or neglected",
    "Exploited": "used by others for their ends",
    "Victim": "harmed by others",
    "Scapegoat": "blamed unfairly for others' faults",
}
KIND_DEFINITIONS = {
    "name_calling": "a pejorative label for an actor (\"the junta\", \"neo-Nazis\")",
    "loaded_label": "an event named by a contested characterisation (\"so-called referendum\", \"puppet government\")",
    "exaggeration": "hyperbole (\"wipe off the map\", \"total annihilation\")",
    "causal_claim": "a contested cause of a war or crisis stated as fact",
}


class LLMError(NarrascopeError):
    """No usable answer from the language-model server; ``code`` is one of the fallback codes."""

    def __init__(self, code: str, reason: str):
        super().__init__(f"{reason} [{code}]")
        self.code, self.reason = code, reason


# ---------------------------------------------------------------- settings
@dataclass(frozen=True)
class LLMSettings:
    url: str                   # base URL, without the trailing "/chat/completions"
    model: str = ""
    timeout: float = 20.0
    api_key: str = ""
    max_chars: int = 12000

    @property
    def endpoint(self) -> str:
        return self.url.rstrip("/") + "/chat/completions"


def settings_from_env(env: Mapping[str, str] | None = None) -> LLMSettings | None:
    """The language-model settings when ``NARRASCOPE_FRAMING=llm``, None for the offline model.

    Raises ``NarrascopeError`` naming the variable when a value cannot be used.
    """
    env = os.environ if env is None else env
    backend = (env.get(BACKEND_ENV) or "offline").strip().lower()
    if backend not in BACKENDS:
        raise NarrascopeError(f"{BACKEND_ENV}={env.get(BACKEND_ENV)!r}: expected one of {', '.join(BACKENDS)}")
    if backend == "offline":
        return None
    url = (env.get(URL_ENV) or "").strip()
    if not url:
        raise NarrascopeError(f"{BACKEND_ENV}=llm needs {URL_ENV}, the server's OpenAI base URL "
                              "(e.g. http://127.0.0.1:8080/v1)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise NarrascopeError(f"{URL_ENV}={url!r}: expected an http:// or https:// URL such as http://127.0.0.1:8080/v1")
    return LLMSettings(url, (env.get(MODEL_ENV) or "").strip(),
                       _number(env, TIMEOUT_ENV, 20.0, float, 0.5),
                       (env.get(KEY_ENV) or "").strip(),
                       _number(env, MAX_CHARS_ENV, 12000, int, 500))


def _number(env: Mapping[str, str], name: str, default, kind, minimum):
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or value < minimum or value != value:
        raise NarrascopeError(f"{name}={raw!r}: expected a number of at least {minimum}")
    return value


# ---------------------------------------------------------------- prompt
def _short(sub: str, narrative: str) -> str:
    return sub[len(narrative) + 2:]


def build_messages(text: str, taxonomy: Taxonomy, definitions: Mapping[str, str] | None = None,
                   entity_names: Iterable[str] = (), max_chars: int = 12000) -> list[dict]:
    """The chat messages asking for one article's framing as a JSON object."""
    definitions = definitions or {}
    lines = ["Narratives (label, then its sub-narratives indented; use labels exactly as written):"]
    for n in taxonomy.narratives:
        d = definitions.get(n)
        lines.append(f"- {n}" + (f" -- {d}" if d else ""))
        for s in taxonomy.subnarratives[n]:
            if s.endswith(f": {OTHER}"):
                continue
            d = definitions.get(s)
            lines.append(f"    - {_short(s, n)}" + (f" -- {d}" if d else ""))
    lines.append("")
    lines.append("Entity roles (main role, then its fine roles):")
    for main, fines in ROLES.items():
        lines.append(f"- {main} -- {ROLE_DEFINITIONS[main]}")
        lines += [f"    - {f} -- {ROLE_DEFINITIONS[f]}" for f in fines]
    lines.append("")
    lines.append("Loaded-language kinds:")
    lines += [f"- {k} -- {KIND_DEFINITIONS[k]}" for k in LOADED_KINDS]
    system = "\n".join([
        "You analyse how a news article frames a conflict. Answer with one JSON object and nothing else:",
        '{"narratives": [{"narrative": "<narrative label>", "subnarrative": "<one of its sub-narratives, or Other>",',
        '                 "confidence": <0..1>, "evidence": ["<words copied from the article>", ...]}],',
        ' "roles": [{"entity": "<name as the article writes it>", "main_role": "<main role>",',
        '            "fine_roles": ["<fine role of that main role>", ...], "confidence": <0..1>,',
        '            "evidence": "<words copied from the article>"}],',
        ' "loaded_language": [{"text": "<words copied from the article>", "kind": "<kind>"}]}',
        "Rules: use only the labels listed below, spelt exactly as listed. One entry per sub-narrative the "
        "article carries; an empty narratives list when it carries none. Evidence is copied word for word "
        "from the article (a sentence or a part of one), never paraphrased or translated. Roles only for "
        "people, organisations and countries the article names.",
        "",
        *lines,
    ])
    body = text if len(text) <= max_chars else text[:max_chars]
    note = "" if len(text) <= max_chars else f"\n(The article is cut after {max_chars} characters.)"
    names = [n for n in dict.fromkeys(entity_names) if n]
    user = ((f"Entities named in the article: {'; '.join(names)}\n\n" if names else "")
            + f"Article:\n<<<\n{body}\n>>>{note}")
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def response_schema(taxonomy: Taxonomy) -> dict:
    """JSON schema of the reply, with the labels as enums (for servers that constrain decoding)."""
    subs = sorted({_short(s, n) for n in taxonomy.narratives for s in taxonomy.subnarratives[n]} | {OTHER})
    fine = [f for fines in ROLES.values() for f in fines]
    string = {"type": "string"}
    return {
        "type": "object",
        "properties": {
            "narratives": {"type": "array", "items": {"type": "object", "properties": {
                "narrative": {"type": "string", "enum": list(taxonomy.narratives)},
                "subnarrative": {"type": "string", "enum": subs},
                "confidence": {"type": "number"},
                "evidence": {"type": "array", "items": string}},
                "required": ["narrative", "subnarrative", "confidence", "evidence"]}},
            "roles": {"type": "array", "items": {"type": "object", "properties": {
                "entity": string,
                "main_role": {"type": "string", "enum": list(ROLES)},
                "fine_roles": {"type": "array", "items": {"type": "string", "enum": fine}},
                "confidence": {"type": "number"},
                "evidence": string},
                "required": ["entity", "main_role", "fine_roles", "confidence", "evidence"]}},
            "loaded_language": {"type": "array", "items": {"type": "object", "properties": {
                "text": string, "kind": {"type": "string", "enum": list(LOADED_KINDS)}},
                "required": ["text", "kind"]}},
        },
        "required": ["narratives", "roles", "loaded_language"],
    }


# ---------------------------------------------------------------- the request
_NO_SCHEMA: set[str] = set()      # endpoints that refused response_format in this process


def _budget(settings: LLMSettings) -> float:
    """Seconds this article may wait: the configured timeout, within the article's time limit."""
    from ..pipeline import time_left

    budget = settings.timeout
    left = time_left()
    if left is not None:
        budget = min(budget, left - FALLBACK_RESERVE)
    if budget < 0.5:
        raise LLMError(NO_TIME, f"only {max(left or 0, 0):.1f} s left of the article's time limit, "
                                f"not enough to ask {settings.endpoint}")
    return budget


def _post(settings: LLMSettings, body: dict, deadline: float) -> dict:
    """POST ``body`` as JSON; the decoded reply, or ``LLMError`` (``HTTPError`` for an HTTP status)."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if settings.api_key:
        headers["Authorization"] = f"Bearer {settings.api_key}"
    req = urllib.request.Request(settings.endpoint, data=json.dumps(body).encode("utf-8"), headers=headers,
                                 method="POST")
    where = settings.endpoint
    try:
        with urllib.request.urlopen(req, timeout=max(0.1, deadline - time.monotonic())) as resp:
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise LLMError(TIMEOUT, f"{where} did not finish its reply within {settings.timeout:g} s")
                chunk = resp.read(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_REPLY_BYTES:
                    raise LLMError(BAD_REPLY, f"{where} sent more than {MAX_REPLY_BYTES} bytes")
                chunks.append(chunk)
    except urllib.error.HTTPError:
        raise
    except urllib.error.URLError as e:
        if isinstance(e.reason, (socket.timeout, TimeoutError)):
            raise LLMError(TIMEOUT, f"{where} did not answer within the time allowed") from None
        raise LLMError(UNREACHABLE, f"cannot reach {where}: {e.reason}") from None
    except (socket.timeout, TimeoutError):
        raise LLMError(TIMEOUT, f"{where} did not answer within the time allowed") from None
    except (ConnectionError, HTTPException, OSError) as e:
        raise LLMError(UNREACHABLE, f"connection to {where} failed: {type(e).__name__}: {e}") from None
    try:
        return json.loads(b"".join(chunks).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise LLMError(BAD_REPLY, f"{where} answered with something other than JSON") from None


def complete(settings: LLMSettings, messages: list[dict], schema: dict | None = None) -> str:
    """The text of the first choice of a chat completion (``response_format`` from ``schema`` when allowed)."""
    deadline = time.monotonic() + _budget(settings)
    body: dict[str, Any] = {"model": settings.model or "default", "messages": messages, "temperature": 0,
                            "max_tokens": MAX_TOKENS, "stream": False}
    use_schema = schema is not None and settings.endpoint not in _NO_SCHEMA
    if use_schema:
        body["response_format"] = {"type": "json_schema",
                                   "json_schema": {"name": "framing", "schema": schema}}
    try:
        reply = _post(settings, body, deadline)
    except urllib.error.HTTPError as e:
        if use_schema and e.code in (400, 415, 422):
            _NO_SCHEMA.add(settings.endpoint)
            body.pop("response_format")
            reply = _post_or_raise(settings, body, deadline)
        else:
            raise _http_error(settings, e) from None
    try:
        content = reply["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise LLMError(BAD_REPLY, f"{settings.endpoint}: no choices[0].message.content in the reply") from None
    if not isinstance(content, str) or not content.strip():
        raise LLMError(BAD_REPLY, f"{settings.endpoint}: the reply's message is empty")
    return content


def _post_or_raise(settings: LLMSettings, body: dict, deadline: float) -> dict:
    try:
        return _post(settings, body, deadline)
    except urllib.error.HTTPError as e:
        raise _http_error(settings, e) from None


def _http_error(settings: LLMSettings, e: urllib.error.HTTPError) -> LLMError:
    try:
        detail = e.read(300).decode("utf-8", "replace").strip()
    except (OSError, HTTPException):
        detail = ""
    return LLMError(HTTP_ERROR, f"{settings.endpoint} answered HTTP {e.code}" + (f": {detail}" if detail else ""))


# ---------------------------------------------------------------- reading the reply
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)


def first_json_object(content: str) -> dict:
    """The JSON object in a model's reply: the whole reply, a fenced block, or the first object in it."""
    s = content.strip()
    candidates = [s] + [m.group(1) for m in _FENCE.finditer(s)]
    for c in candidates:
        try:
            obj = json.loads(c)
        except ValueError:
            continue
        if isinstance(obj, dict):
            return obj
    dec = json.JSONDecoder()
    for n, m in enumerate(re.finditer(r"\{", s)):
        if n >= 200:
            break
        try:
            obj, _ = dec.raw_decode(s, m.start())
        except ValueError:
            continue
        if isinstance(obj, dict):
            return obj
    raise LLMError(BAD_REPLY, "no JSON object in the model's reply")


_CHAR_FOLD = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
              "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
              "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
              "\u00a0": " ", "\u2026": "..."}
_EDGE = " \t\n\"'.,;:!?()[]"


def normalise(s: str) -> tuple[str, list[int]]:
    """``s`` with quotes, dashes and case folded and whitespace runs made one space, and for each
    character of the result the offset in ``s`` it came from."""
    out: list[str] = []
    pos: list[int] = []
    space = True
    for i, ch in enumerate(s):
        c = _CHAR_FOLD.get(ch, ch)
        if c.isspace():
            if space:
                continue
            out.append(" ")
            pos.append(i)
            space = True
            continue
        space = False
        low = c.lower()
        for x in (low if len(low) == len(c) else c):
            out.append(x)
            pos.append(i)
    while out and out[-1] == " ":
        out.pop()
        pos.pop()
    return "".join(out), pos


@dataclass
class Located:
    """Offsets found for quotes in one text (the text is normalised once)."""

    text: str
    _norm: tuple[str, list[int]] | None = field(default=None, repr=False)

    def norm(self) -> tuple[str, list[int]]:
        if self._norm is None:
            self._norm = normalise(self.text)
        return self._norm

    def find(self, quote: Any) -> tuple[int, int] | None:
        """``(start, end)`` of ``quote`` in the text, or None when it is not there."""
        if not isinstance(quote, str):
            return None
        q = quote.strip()
        if len(q) < MIN_QUOTE:
            return None
        i = self.text.find(q)
        if i >= 0:
            return i, i + len(q)
        nt, pos = self.norm()
        for cand in (normalise(q)[0], normalise(q.strip(_EDGE))[0]):
            if len(cand) < MIN_QUOTE:
                continue
            j = nt.find(cand)
            if j >= 0:
                return pos[j], pos[j + len(cand) - 1] + 1
        return self._find_parts(q)

    def _find_parts(self, q: str) -> tuple[int, int] | None:
        """A quote shortened with "..." : each part found after the one before, not far apart."""
        parts = [normalise(p.strip(_EDGE))[0] for p in re.split(r"\.\.\.|\u2026|\[\.\.\.\]", q)]
        parts = [p for p in parts if len(p) >= MIN_QUOTE]
        if len(parts) < 2:
            return None
        nt, pos = self.norm()
        start = nt.find(parts[0])
        if start < 0:
            return None
        at = start + len(parts[0])
        for p in parts[1:]:
            j = nt.find(p, at)
            if j < 0:
                return None
            at = j + len(p)
        if at - start > 3 * len(q) + 200:
            return None
        return pos[start], pos[at - 1] + 1


def _key(label: Any) -> str:
    return re.sub(r"\s+", " ", str(label).replace("\u2019", "'")).strip().lower() if label is not None else ""


@dataclass
class Report:
    """What the validation kept and dropped for one article (exported as ``framing_llm``)."""

    model: str
    endpoint: str
    used: bool = True
    fallback: str | None = None
    reason: str | None = None
    kept: dict[str, int] = field(default_factory=lambda: {"narratives": 0, "roles": 0, "loaded_language": 0})
    dropped_labels: int = 0
    dropped_spans: int = 0
    unmatched_entities: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


class _Labels:
    """Label lookup, case- and whitespace-insensitive."""

    def __init__(self, taxonomy: Taxonomy):
        self.tax = taxonomy
        self.narratives = {_key(n): n for n in taxonomy.narratives}
        self.by_name: dict[str, list[str]] = {}
        for n in taxonomy.narratives:
            self.by_name.setdefault(_key(n.split(": ", 1)[1]), []).append(n)
        self.subs = {_key(s): s for n in taxonomy.narratives for s in taxonomy.subnarratives[n]}
        self.fine = {_key(f): f for fines in ROLES.values() for f in fines}
        self.main = {_key(m): m for m in ROLES}
        self.kinds = {_key(k): k for k in LOADED_KINDS}

    def narrative(self, label: Any) -> str | None:
        k = _key(label)
        if k in self.narratives:
            return self.narratives[k]
        hits = self.by_name.get(k, [])
        return hits[0] if len(hits) == 1 else None

    def subnarrative(self, narrative: str | None, label: Any) -> str | None:
        """The full sub-narrative label; ``"<narrative>: Other"`` for Other or none given."""
        k = _key(label)
        if k in self.subs:
            return self.subs[k]
        if narrative is None:
            return None
        if k in ("", "other", "none", "n/a"):
            return f"{narrative}: {OTHER}"
        return self.subs.get(_key(f"{narrative}: {label}"))


def _as_list(x: Any) -> list:
    if x is None:
        return []
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _confidence(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not 0 <= x <= 1:
        return None
    return round(float(x), 3)


def _entity_index(entities: list[dict]) -> tuple[dict[str, dict], dict[str, list[dict]]]:
    exact: dict[str, dict] = {}
    last: dict[str, list[dict]] = {}
    for e in entities:
        if not e.get("mentions"):
            continue
        for name in [e.get("name")] + [m.get("text") for m in e["mentions"]]:
            if name:
                exact.setdefault(normalise(name)[0], e)
        words = normalise(e.get("name") or "")[0].split()
        if words:
            last.setdefault(words[-1], [])
            if e not in last[words[-1]]:
                last[words[-1]].append(e)
    return exact, last


def _match_entity(name: Any, exact: dict[str, dict], last: dict[str, list[dict]]) -> dict | None:
    if not isinstance(name, str) or not name.strip():
        return None
    n = normalise(name.strip(_EDGE))[0]
    if n in exact:
        return exact[n]
    n2 = re.sub(r"^the ", "", n)
    if n2 in exact:
        return exact[n2]
    words = n2.split()
    hits = last.get(words[-1], []) if words else []
    return hits[0] if len(hits) == 1 else None


def validate(reply: Mapping[str, Any], text: str, taxonomy: Taxonomy, entities: list[dict] | None,
             report: Report) -> dict[str, list[dict]]:
    """The reply as the offline model's export schema, keeping only labels of the taxonomy and
    evidence found in ``text``; what is dropped is counted in ``report``."""
    labels, where = _Labels(taxonomy), Located(text)
    narratives: dict[str, dict] = {}
    for item in _as_list(reply.get("narratives")):
        if not isinstance(item, Mapping):
            report.dropped_labels += 1
            continue
        if _key(item.get("narrative")) == _key(OTHER):
            continue
        n = labels.narrative(item.get("narrative"))
        sub = labels.subnarrative(n, item.get("subnarrative"))
        if sub is not None and sub not in (taxonomy.subnarratives.get(n) or ()):
            n = taxonomy.parent(sub)          # a known sub-narrative named under another narrative
        if n is None or sub is None:
            report.dropped_labels += 1
            continue
        spans = []
        for q in _as_list(item.get("evidence")):
            span = where.find(q)
            if span is None:
                report.dropped_spans += 1
            elif span not in spans:
                spans.append(span)
        if not spans:
            report.dropped_labels += 1       # a narrative needs evidence found in the article
            continue
        entry = narratives.setdefault(sub, {"narrative": n, "subnarrative": sub,
                                            "score": _confidence(item.get("confidence")), "evidence": []})
        for s, e in spans:
            if {"start": s, "end": e} not in entry["evidence"]:
                entry["evidence"].append({"start": s, "end": e})
    for entry in narratives.values():
        entry["evidence"].sort(key=lambda ev: ev["start"])

    exact, last = _entity_index(entities or [])
    roles, seen = [], set()
    for item in _as_list(reply.get("roles")):
        if not isinstance(item, Mapping):
            report.dropped_labels += 1
            continue
        main = labels.main.get(_key(item.get("main_role")))
        if main is None:
            report.dropped_labels += 1
            continue
        fines = []
        for f in _as_list(item.get("fine_roles")):
            fine = labels.fine.get(_key(f))
            if fine is None or fine not in ROLES[main]:
                report.dropped_labels += 1
            elif fine not in fines:
                fines.append(fine)
        ent = _match_entity(item.get("entity"), exact, last)
        if ent is None:
            report.unmatched_entities += 1
            continue
        if id(ent) in seen:
            continue
        seen.add(id(ent))
        span = where.find(item.get("evidence"))
        if span is None and item.get("evidence"):
            report.dropped_spans += 1
        mentions = sorted(ent["mentions"], key=lambda m: m["start"])
        inside = [m for m in mentions if span and span[0] <= m["start"] and m["end"] <= span[1]]
        m = (inside or mentions)[0]
        roles.append({"entity_id": ent.get("id"), "mention": text[m["start"]:m["end"]], "start": m["start"],
                      "end": m["end"], "main_role": main, "fine_roles": fines,
                      "score": _confidence(item.get("confidence")),
                      "evidence": [{"start": span[0], "end": span[1]}] if span else []})

    mentions = [(m["start"], m["end"]) for e in entities or [] for m in e.get("mentions", [])]
    loaded = loaded_language(text, mentions)
    for item in _as_list(reply.get("loaded_language")):
        kind = labels.kinds.get(_key(item.get("kind"))) if isinstance(item, Mapping) else None
        if kind is None:
            report.dropped_labels += 1
            continue
        span = where.find(item.get("text"))
        if span is None:
            report.dropped_spans += 1
            continue
        s, e = span
        if any(s < x["end"] and x["start"] < e for x in loaded):
            continue                          # the rule-based span stands
        loaded.append({"text": text[s:e], "start": s, "end": e, "kind": kind})
    loaded.sort(key=lambda x: x["start"])

    out = {"narratives": list(narratives.values()), "roles": roles, "loaded_language": loaded}
    report.kept = {k: len(v) for k, v in out.items()}
    return out


# ---------------------------------------------------------------- one article
def entity_names(entities: list[dict] | None, limit: int = 25) -> list[str]:
    """Names of the article's entities, most mentioned first (for the prompt)."""
    ents = sorted((e for e in entities or [] if e.get("mentions") and e.get("name")),
                  key=lambda e: (-len(e["mentions"]), e["mentions"][0]["start"]))
    return [e["name"] for e in ents[:limit]]


def analyse(text: str, entities: list[dict] | None, settings: LLMSettings, taxonomy: Taxonomy,
            definitions: Mapping[str, str] | None = None) -> tuple[dict[str, list[dict]], Report]:
    """Narratives, roles and loaded language of ``text`` from the server, validated.

    Raises ``LLMError`` when the server gives no usable answer.
    """
    report = Report(settings.model, settings.endpoint)
    if not text.strip():
        return {"narratives": [], "roles": [], "loaded_language": []}, report
    messages = build_messages(text, taxonomy, definitions, entity_names(entities), settings.max_chars)
    content = complete(settings, messages, response_schema(taxonomy))
    reply = first_json_object(content)
    return validate(reply, text, taxonomy, entities, report), report
