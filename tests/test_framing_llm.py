"""The optional language-model backend of the framing stage, without any language model.

Pure functions (settings, prompt, reading replies, finding quotes, validation) on short texts
written for these tests; then the stage against a real HTTP server on a loopback port that
speaks the chat-completions wire format and answers from a script: a good reply with a
made-up quote, an unknown label and an unknown entity; malformed JSON; a refused
``response_format``; a server error; a timeout; no server at all.
"""
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from narrascope.api import ingest, process_input
from narrascope.errors import NarrascopeError, Rejected
from narrascope.export import export
from narrascope.framing import analyse, get_model, llm
from narrascope.framing.taxonomy import OTHER, ROLES, Taxonomy
from narrascope.model import RawInput, content_id
from narrascope.store import Store

BLAME = "URW: Blaming the war on others rather than the invader"
WEST = f"{BLAME}: The West are the aggressors"
TAX = Taxonomy.from_json({
    "URW": {"Blaming the war on others rather than the invader": ["Ukraine is the aggressor", "The West are the aggressors"],
            "Hidden plots by secret schemes of powerful groups": []},
    "CC": {"Hidden plots by secret schemes of powerful groups": ["Blaming global elites"]},
})

ARTICLE = ("Shelters open as the river town argues about the war\n\n"
           "By Tomas Varga\n\n"
           "NATO expansion provoked the war, the columnist wrote on Monday, and Washington pushed Moscow "
           "into the conflict before any talks could begin.\n\n"
           "Mayor Elena Vos said the town would open three shelters for families who fled the fighting. "
           "Vos called the plan \u201ca duty, not a favour\u201d and asked the regional board for money.\n\n"
           "The so-called referendum in the east was a farce, one councillor said.\n")


# ---------------------------------------------------------------- settings
def test_the_offline_model_is_the_default():
    assert llm.settings_from_env({}) is None
    assert llm.settings_from_env({"NARRASCOPE_FRAMING": "offline", "NARRASCOPE_LLM_URL": "http://x/v1"}) is None


def test_llm_settings_are_read_from_the_environment():
    s = llm.settings_from_env({"NARRASCOPE_FRAMING": "LLM", "NARRASCOPE_LLM_URL": "http://127.0.0.1:8080/v1/",
                               "NARRASCOPE_LLM_MODEL": "qwen2.5-7b", "NARRASCOPE_LLM_TIMEOUT": "45",
                               "NARRASCOPE_LLM_MAX_CHARS": "6000"})
    assert (s.model, s.timeout, s.max_chars) == ("qwen2.5-7b", 45.0, 6000)
    assert s.endpoint == "http://127.0.0.1:8080/v1/chat/completions"


@pytest.mark.parametrize("env,named", [
    ({"NARRASCOPE_FRAMING": "gpt"}, "NARRASCOPE_FRAMING"),
    ({"NARRASCOPE_FRAMING": "llm"}, "NARRASCOPE_LLM_URL"),
    ({"NARRASCOPE_FRAMING": "llm", "NARRASCOPE_LLM_URL": "127.0.0.1:8080"}, "NARRASCOPE_LLM_URL"),
    ({"NARRASCOPE_FRAMING": "llm", "NARRASCOPE_LLM_URL": "http://h/v1", "NARRASCOPE_LLM_TIMEOUT": "soon"},
     "NARRASCOPE_LLM_TIMEOUT"),
    ({"NARRASCOPE_FRAMING": "llm", "NARRASCOPE_LLM_URL": "http://h/v1", "NARRASCOPE_LLM_MAX_CHARS": "10"},
     "NARRASCOPE_LLM_MAX_CHARS"),
])
def test_settings_that_cannot_be_used_name_the_variable(env, named):
    with pytest.raises(NarrascopeError, match=named):
        llm.settings_from_env(env)


# ---------------------------------------------------------------- prompt
def test_prompt_lists_the_taxonomy_with_definitions_and_the_entities():
    defs = {BLAME: "Someone other than the invader is held responsible.", WEST: "The West started it."}
    system, user = llm.build_messages("The council met.", TAX, defs, ["Elena Vos", "NATO", "NATO"])
    assert system["role"] == "system" and user["role"] == "user"
    for label in TAX.narratives:
        assert f"- {label}" in system["content"]
    assert "    - The West are the aggressors -- The West started it." in system["content"]
    assert "    - Blaming global elites" in system["content"]
    for main, fines in ROLES.items():
        assert f"- {main} --" in system["content"]
        assert all(f"    - {f} --" in system["content"] for f in fines)
    assert "- name_calling --" in system["content"]
    assert user["content"].startswith("Entities named in the article: Elena Vos; NATO\n")
    assert "<<<\nThe council met.\n>>>" in user["content"]


def test_a_long_article_is_cut_in_the_prompt_and_says_so():
    text = "The ferry ran late again. " * 100
    user = llm.build_messages(text, TAX, max_chars=600)[1]["content"]
    assert text[:600] in user and text[:601] not in user
    assert "cut after 600 characters" in user


def test_the_response_schema_enumerates_the_labels():
    schema = llm.response_schema(TAX)
    items = schema["properties"]["narratives"]["items"]["properties"]
    assert items["narrative"]["enum"] == list(TAX.narratives)
    assert {"The West are the aggressors", "Blaming global elites", OTHER} <= set(items["subnarrative"]["enum"])
    roles = schema["properties"]["roles"]["items"]["properties"]
    assert roles["main_role"]["enum"] == list(ROLES)
    json.dumps(schema)


# ---------------------------------------------------------------- reading the reply
@pytest.mark.parametrize("content", [
    '{"narratives": [], "roles": [], "loaded_language": []}',
    'Here is the analysis:\n```json\n{"narratives": [], "roles": [], "loaded_language": []}\n```\nDone.',
    'Sure. {"narratives": [], "roles": [], "loaded_language": []} Anything else?',
    '<think>the set {a, b} is small</think>\n{"narratives": [], "roles": [], "loaded_language": []}',
])
def test_the_first_json_object_is_read_from_a_reply(content):
    assert llm.first_json_object(content) == {"narratives": [], "roles": [], "loaded_language": []}


@pytest.mark.parametrize("content", ['{"narratives": [', "No narratives here.", "[1, 2, 3]"])
def test_a_reply_without_a_json_object_is_a_bad_reply(content):
    with pytest.raises(llm.LLMError) as e:
        llm.first_json_object(content)
    assert e.value.code == llm.BAD_REPLY


# ---------------------------------------------------------------- finding quotes
TEXT = ('The mayor said the plan was "a duty, not a favour."  Critics  disagreed.\n\n'
        "The board \u2013 all five members \u2013 voted against it on Tuesday, and the river kept rising.")


@pytest.mark.parametrize("quote,expected", [
    ("Critics  disagreed.", "Critics  disagreed."),                                  # exact
    ("the plan was \u201ca duty, not a favour.\u201d", 'the plan was "a duty, not a favour."'),  # curly marks
    ("Critics disagreed", "Critics  disagreed"),                                     # whitespace
    ("THE BOARD - ALL FIVE MEMBERS - VOTED", "The board \u2013 all five members \u2013 voted"),  # case, dashes
    ('"Critics disagreed."', "Critics  disagreed"),                                  # marks and stop trimmed
    ("The board ... voted against it", "The board \u2013 all five members \u2013 voted against it"),  # ellipsis
])
def test_quotes_are_found_and_turned_into_offsets(quote, expected):
    span = llm.Located(TEXT).find(quote)
    assert span is not None, quote
    assert TEXT[span[0]:span[1]] == expected


@pytest.mark.parametrize("quote", ["The council approved the plan unanimously.", "it", "", None, 42,
                                   "The board ... unanimously approved"])
def test_quotes_not_in_the_text_are_not_found(quote):
    assert llm.Located(TEXT).find(quote) is None


# ---------------------------------------------------------------- validation
VTEXT = ("Washington pushed Moscow into the conflict, the columnist wrote. "
         "Mayor Elena Vos opened shelters for families. The Kiev regime said nothing.")
VENTS = [{"id": "E1", "name": "Elena Vos", "type": "PERSON",
          "mentions": [{"text": "Elena Vos", "start": VTEXT.index("Elena Vos"), "end": VTEXT.index("Elena Vos") + 9}]},
         {"id": "E2", "name": "Washington", "type": "PLACE",
          "mentions": [{"text": "Washington", "start": 0, "end": 10}]}]


def _validate(reply, text=VTEXT, entities=VENTS):
    report = llm.Report("m", "http://h/v1/chat/completions")
    return llm.validate(reply, text, TAX, entities, report), report


def test_validation_keeps_known_labels_with_found_evidence():
    out, report = _validate({
        "narratives": [
            {"narrative": BLAME, "subnarrative": "The West are the aggressors", "confidence": 0.8,
             "evidence": ["Washington pushed Moscow into the conflict", "NATO started it all"]},
            {"narrative": "URW: Aliens are behind the war", "subnarrative": "Other", "evidence": ["the columnist wrote"]},
            {"narrative": BLAME, "subnarrative": "Ukraine is the aggressor", "evidence": ["Kyiv fired first"]},
            {"narrative": "Other", "subnarrative": "Other", "evidence": []},
        ],
        "roles": [
            {"entity": "Vos", "main_role": "Protagonist", "fine_roles": ["Guardian", "Tyrant", "Hero"],
             "confidence": 3, "evidence": "Mayor Elena Vos opened shelters for families"},
            {"entity": "Zorblax the Great", "main_role": "Antagonist", "fine_roles": ["Tyrant"], "evidence": "x"},
            {"entity": "Washington", "main_role": "Villain", "fine_roles": [], "evidence": "Washington pushed"},
        ],
        "loaded_language": [{"text": "Kiev regime", "kind": "name_calling"},
                            {"text": "pushed Moscow into the conflict", "kind": "loaded_label"},
                            {"text": "warmongering elites", "kind": "name_calling"},
                            {"text": "shelters", "kind": "propaganda"}],
    })
    assert out["narratives"] == [{"narrative": BLAME, "subnarrative": WEST, "score": 0.8,
                                  "evidence": [{"start": 0, "end": len("Washington pushed Moscow into the conflict")}]}]
    s = VTEXT.index("Mayor Elena Vos")
    assert out["roles"] == [{"entity_id": "E1", "mention": "Elena Vos", "start": s + 6, "end": s + 15,
                             "main_role": "Protagonist", "fine_roles": ["Guardian"], "score": None,
                             "evidence": [{"start": s, "end": s + len("Mayor Elena Vos opened shelters for families")}]}]
    assert [(x["text"], x["kind"]) for x in out["loaded_language"]] == [
        ("pushed Moscow into the conflict", "loaded_label"), ("The Kiev regime", "name_calling")]  # the rule-based span stands
    # unknown narrative, narrative with no evidence found, Tyrant under Protagonist, "Hero",
    # "Villain", "propaganda"
    assert report.dropped_labels == 6
    # "NATO started it all", "Kyiv fired first", "warmongering elites"
    assert report.dropped_spans == 3
    assert report.unmatched_entities == 1
    assert report.kept == {"narratives": 1, "roles": 1, "loaded_language": 2}


def test_a_sub_narrative_named_under_the_wrong_narrative_goes_to_its_own():
    out, report = _validate({"narratives": [
        {"narrative": "CC: Hidden plots by secret schemes of powerful groups",
         "subnarrative": WEST, "evidence": ["the columnist wrote"]},
        {"narrative": "Hidden plots by secret schemes of powerful groups", "subnarrative": "Other",
         "evidence": ["the columnist wrote"]},
    ]})
    # the second names a narrative of two domains without its domain: ambiguous, dropped
    assert [(n["narrative"], n["subnarrative"]) for n in out["narratives"]] == [(BLAME, WEST)]
    assert report.dropped_labels == 1


def test_other_as_sub_narrative_is_the_narrative_without_one():
    out, _ = _validate({"narratives": [{"narrative": "urw:  blaming the war on others rather than the invader",
                                        "subnarrative": "", "evidence": "the columnist wrote"}]})
    assert [n["subnarrative"] for n in out["narratives"]] == [f"{BLAME}: {OTHER}"]


def test_roles_need_the_entities_of_the_article():
    out, report = _validate({"roles": [{"entity": "Elena Vos", "main_role": "Innocent", "fine_roles": ["Victim"],
                                        "evidence": "opened shelters"}]}, entities=[])
    assert out["roles"] == [] and report.unmatched_entities == 1


def test_validation_reads_a_reply_of_the_wrong_shape_without_failing():
    out, report = _validate({"narratives": "none", "roles": [3, None], "loaded_language": {"text": 5}})
    assert out["narratives"] == [] and out["roles"] == []
    assert report.dropped_labels >= 2


# ---------------------------------------------------------------- a real server on a loopback port
class ScriptedServer:
    """An OpenAI-style chat-completions server answering each POST with the next scripted step."""

    def __init__(self):
        self.steps: list[tuple] = []
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append({"path": self.path, "body": body})
                kind, *args = outer.steps.pop(0) if outer.steps else ("status", 500, "no step left")
                if kind == "sleep":
                    time.sleep(args[0])
                    kind, args = "content", ['{"narratives": [], "roles": [], "loaded_language": []}']
                if kind == "status":
                    self._send(args[0], json.dumps({"error": {"message": args[1]}}).encode())
                elif kind == "content":
                    reply = {"id": "c1", "object": "chat.completion", "model": body.get("model"),
                             "choices": [{"index": 0, "finish_reason": "stop",
                                          "message": {"role": "assistant", "content": args[0]}}]}
                    self._send(200, json.dumps(reply).encode())
                else:
                    self._send(200, args[0])

            def _send(self, status, data):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def server(monkeypatch):
    srv = ScriptedServer()
    monkeypatch.setattr(llm, "_NO_SCHEMA", set())
    monkeypatch.setenv("NARRASCOPE_FRAMING", "llm")
    monkeypatch.setenv("NARRASCOPE_LLM_URL", srv.url)
    monkeypatch.setenv("NARRASCOPE_LLM_MODEL", "scripted")
    monkeypatch.setenv("NARRASCOPE_LLM_TIMEOUT", "10")
    yield srv
    srv.close()


def _article(text=ARTICLE, timeout=30.0):
    return process_input(RawInput("mem.txt", text, "text", "file", content_hash=content_id(text.encode())),
                         timeout=timeout)


GOOD = json.dumps({
    "narratives": [
        {"narrative": BLAME, "subnarrative": "The West are the aggressors", "confidence": 0.9,
         "evidence": ["NATO expansion provoked the war", "Washington pushed Moscow into the conflict",
                      "NATO planned the war at a secret summit in 1990"]},
        {"narrative": "URW: The moon landing was staged", "subnarrative": "Other", "evidence": ["the columnist wrote"]},
    ],
    "roles": [
        {"entity": "Elena Vos", "main_role": "Protagonist", "fine_roles": ["Guardian"], "confidence": 0.7,
         "evidence": "Vos called the plan \u201ca duty, not a favour\u201d"},
        {"entity": "General Quill", "main_role": "Antagonist", "fine_roles": ["Tyrant"], "evidence": "none"},
    ],
    "loaded_language": [{"text": "was a farce", "kind": "exaggeration"},
                        {"text": "the bloodthirsty regime", "kind": "name_calling"}],
})


def _same_schema(out):
    offline = {"narratives": {"narrative", "subnarrative", "score", "evidence"},
               "roles": {"entity_id", "mention", "start", "end", "main_role", "fine_roles", "score", "evidence"},
               "loaded_language": {"text", "start", "end", "kind"}}
    for key, fields in offline.items():
        for item in out[key]:
            assert set(item) == fields, (key, item)


def test_the_stage_uses_the_server_and_keeps_only_what_it_can_check(server):
    server.steps = [("content", GOOD)]
    a = _article()
    ext, text = a.extractions, a.text
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["body"]["model"] == "scripted"
    assert request["body"]["response_format"]["type"] == "json_schema"
    assert "Elena Vos" in request["body"]["messages"][1]["content"]
    assert not [f for f in a.flags if f.code == "framing_llm_fallback"]
    _same_schema(ext)
    assert [(n["subnarrative"], n["score"]) for n in ext["narratives"]] == [(WEST, 0.9)]
    assert [text[e["start"]:e["end"]] for e in ext["narratives"][0]["evidence"]] == [
        "NATO expansion provoked the war", "Washington pushed Moscow into the conflict"]
    (role,) = ext["roles"]
    assert (role["main_role"], role["fine_roles"], role["mention"]) == ("Protagonist", ["Guardian"], "Vos")
    assert text[role["start"]:role["end"]] == "Vos"
    assert text[role["evidence"][0]["start"]:role["evidence"][0]["end"]] == 'Vos called the plan "a duty, not a favour"'
    entity_ids = {e["id"] for e in ext["entities"]}
    assert role["entity_id"] in entity_ids
    loaded = {(x["text"], x["kind"]) for x in ext["loaded_language"]}
    assert ("was a farce", "exaggeration") in loaded                 # from the server
    assert ("so-called referendum", "loaded_label") in loaded         # the rule-based spans stay
    for x in ext["loaded_language"]:
        assert text[x["start"]:x["end"]] == x["text"]
    report = ext["framing_llm"]
    assert report["used"] and report["fallback"] is None
    assert (report["dropped_spans"], report["dropped_labels"], report["unmatched_entities"]) == (2, 1, 1)


def _offline(a):
    return analyse(a.text, a.extractions["entities"])


@pytest.mark.parametrize("steps,code", [
    ([("content", '{"narratives": [{"narrative": "URW: Blaming')], llm.BAD_REPLY),
    ([("raw", b"<html>Bad gateway</html>")], llm.BAD_REPLY),
    ([("status", 500, "model failed to load")], llm.HTTP_ERROR),
])
def test_a_reply_that_cannot_be_used_falls_back_to_the_offline_model(server, steps, code):
    server.steps = list(steps)
    a = _article()
    assert [str(f) for f in a.flags if f.code == "framing_llm_fallback"] == [f"framing_llm_fallback:{code}"]
    flag = next(f for f in a.flags if f.code == "framing_llm_fallback")
    assert "offline model answered" in flag.reason
    assert {k: a.extractions[k] for k in ("narratives", "roles", "loaded_language")} == _offline(a)
    assert a.extractions["framing_llm"]["used"] is False
    assert a.extractions["framing_llm"]["fallback"] == code


def test_a_server_that_refuses_response_format_is_asked_again_without_it(server):
    server.steps = [("status", 400, "response_format is not supported"), ("content", GOOD),
                    ("content", GOOD)]
    a = _article()
    assert "response_format" in server.requests[0]["body"]
    assert "response_format" not in server.requests[1]["body"]
    assert [n["subnarrative"] for n in a.extractions["narratives"]] == [WEST]
    assert not [f for f in a.flags if f.code == "framing_llm_fallback"]
    _article(ARTICLE.replace("three", "four"))                          # remembered: asked once
    assert len(server.requests) == 3 and "response_format" not in server.requests[2]["body"]


def test_a_server_too_slow_falls_back_after_the_timeout(server, monkeypatch):
    server.steps = [("content", GOOD)]
    _article()                                   # models loaded: only the wait counts below
    monkeypatch.setenv("NARRASCOPE_LLM_TIMEOUT", "1")
    server.steps = [("sleep", 4)]
    t0 = time.monotonic()
    a = _article(ARTICLE.replace("three", "six"))
    assert time.monotonic() - t0 < 3.5
    assert [str(f) for f in a.flags if f.code == "framing_llm_fallback"] == ["framing_llm_fallback:timeout"]
    assert {k: a.extractions[k] for k in ("narratives", "roles", "loaded_language")} == _offline(a)


def test_the_wait_fits_in_the_articles_time_limit(server):
    _article()                                   # models loaded: only the wait counts below
    server.steps = [("sleep", 9)]                # configured timeout 10 s, article limit 6 s
    t0 = time.monotonic()
    a = _article(ARTICLE.replace("three", "five"), timeout=6.0)   # not rejected for time
    assert time.monotonic() - t0 < 6.0
    assert [str(f) for f in a.flags if f.code == "framing_llm_fallback"] == ["framing_llm_fallback:timeout"]


def test_no_server_listening_falls_back(server, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]                # closed again: nothing listens there
    monkeypatch.setenv("NARRASCOPE_LLM_URL", f"http://127.0.0.1:{port}/v1")
    a = _article()
    assert [str(f) for f in a.flags if f.code == "framing_llm_fallback"] == ["framing_llm_fallback:unreachable"]
    assert a.extractions["narratives"] == _offline(a)["narratives"]


def test_a_configuration_that_cannot_be_used_rejects_the_article_with_the_variable_named(monkeypatch):
    monkeypatch.setenv("NARRASCOPE_FRAMING", "llm")
    monkeypatch.delenv("NARRASCOPE_LLM_URL", raising=False)
    with pytest.raises(Rejected, match="NARRASCOPE_LLM_URL"):
        _article()


def test_without_configuration_the_offline_model_answers_and_nothing_is_added(monkeypatch):
    monkeypatch.delenv("NARRASCOPE_FRAMING", raising=False)
    a = _article()
    assert "framing_llm" not in a.extractions
    assert {k: a.extractions[k] for k in ("narratives", "roles", "loaded_language")} == _offline(a)


def test_ingest_and_export_carry_the_llm_framing_and_the_fallback_flag(server, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(ARTICLE.replace("three", "two"), encoding="utf-8")
    server.steps = [("content", GOOD), ("content", GOOD), ("content", "I cannot help with that.")]
    db = str(tmp_path / "s.duckdb")
    stages = ("html", "blocks", "layout", "clean", "metadata", "language", "events", "entities", "framing")
    summary = ingest([str(tmp_path / "in")], db, stages=stages)
    assert summary.counts["ingested"] == 2 and not summary.rejected
    out = tmp_path / "s.jsonl"
    with Store(db) as store:
        export(store, "jsonl", str(out))
    recs = {r["source"].rsplit("/", 1)[-1]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    # the first request is the warm-up article's; a.txt then b.txt in order
    assert [n["subnarrative"] for n in recs["a.txt"]["narratives"]] == [WEST]
    assert recs["a.txt"]["framing_llm"]["used"] is True
    assert "framing_llm_fallback:bad_reply" in recs["b.txt"]["flags"]
    assert recs["b.txt"]["framing_llm"]["fallback"] == llm.BAD_REPLY
    _same_schema(recs["b.txt"])
