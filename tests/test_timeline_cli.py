"""Events and the cross-article timeline through ingest, export and the timeline command."""
import json

from click.testing import CliRunner

from narrascope.api import ingest
from narrascope.cli import cli
from narrascope.export import export
from narrascope.store import Store

DATED = """Water ministers agree drought fund in Valdoro

By Irene Costa

Valley Courier, March 16, 2023

Water ministers from six regions on Tuesday agreed a joint drought fund at a meeting in Valdoro, promising farmers help before the summer.

The fund was first proposed in 2019, when the last drought emptied the northern reservoirs.

"We cannot wait for another dry year," said minister Ana Ruiz.
"""

UNDATED = """Six regions back drought fund

VALDORO (Harbour Wire) - Water ministers from six regions on Tuesday agreed a joint drought fund at a meeting in Valdoro, promising farmers help before the summer.

Farm unions welcomed the fund but said it came late, since the idea was first proposed in 2019 after the reservoirs emptied.
"""


def _store(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "dated.txt").write_text(DATED, encoding="utf-8")
    (d / "undated.txt").write_text(UNDATED, encoding="utf-8")
    db = str(tmp_path / "t.duckdb")
    ingest([str(d)], db)
    return db


def test_events_exported_with_shared_event_ids_and_inferred_date(tmp_path):
    db = _store(tmp_path)
    out = tmp_path / "o.jsonl"
    with Store(db) as s:
        export(s, "jsonl", str(out))
    recs = {r["source"].rsplit("/", 1)[1]: r for r in map(json.loads, out.read_text().splitlines())}
    dated, undated = recs["dated.txt"], recs["undated.txt"]
    assert dated["published"] == "2023-03-16" and not dated["published_inferred"]
    assert undated["published"] == "2023-03-14" and undated["published_inferred"]
    tuesday = {e["event_id"] for r in (dated, undated) for e in r["events"] if e["date"] == "2023-03-14"}
    assert len(tuesday) == 1 and None not in tuesday
    y2019 = [e for e in dated["events"] if e["date"] == "2019"]
    assert y2019 and y2019[0]["start"] < y2019[0]["end"] and "2019" in dated["text"][y2019[0]["start"]:y2019[0]["end"]]


def test_timeline_command_text_json_html(tmp_path):
    db = _store(tmp_path)
    r = CliRunner().invoke(cli, ["timeline", "--db", db])
    assert r.exit_code == 0 and "2023-03-14" in r.output and "Valley Courier" in r.output
    r = CliRunner().invoke(cli, ["timeline", "--db", db, "--format", "json", "--from", "2023"])
    entries = [json.loads(x) for x in r.output.splitlines()]
    assert entries and all(e["date"] >= "2023" for e in entries)
    (meeting,) = [e for e in entries if e["date"] == "2023-03-14"]
    assert len(meeting["sources"]) == 2
    page = tmp_path / "t.html"
    r = CliRunner().invoke(cli, ["timeline", "--db", db, "--format", "html", "-o", str(page)])
    html = page.read_text()
    assert "Content-Security-Policy" in html and "<script" not in html and "2023-03-14" in html
