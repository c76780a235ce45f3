"""The CLI end to end on articles written here; and every command documented in the README."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from narrascope.cli import cli

ROOT = Path(__file__).resolve().parents[1]

ARTICLE = """Valley water board cuts farm allocations

Growers warn of unplanted fields as reservoirs run low

By Nadia Brandt

Valley Courier, June 15, 2023

Sign up for our morning newsletter and get the headlines in your inbox.

The regional water board voted on Thursday to cut allocations to farms in the valley by a fifth.

"There is simply not enough water in the reservoirs," said board chair Irene Costa.

Growers said the decision would force them to leave thousands of hectares unplanted this summer.

(c) 2023 Valley Courier. All rights reserved.
"""


def _write(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "water.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "empty.txt").write_text("", encoding="utf-8")
    return d


def test_ingest_list_show_export(tmp_path):
    d, db = _write(tmp_path), str(tmp_path / "t.duckdb")
    r = CliRunner().invoke(cli, ["ingest", str(d), "--db", db, "-q"])
    assert r.exit_code == 0, r.output
    assert "ingested 1" in r.output and "rejected 1" in r.output and "empty.txt" in r.output
    r = CliRunner().invoke(cli, ["ingest", str(d), "--db", db, "-q"])
    assert "ingested 0" in r.output and "unchanged 1" in r.output
    r = CliRunner().invoke(cli, ["list", "--db", db, "--json"])
    (row,) = [json.loads(x) for x in r.output.splitlines() if x.startswith("{")]
    assert row["title"] == "Valley water board cuts farm allocations"
    r = CliRunner().invoke(cli, ["show", row["id"][:6], "--db", db, "--removed"])
    assert r.exit_code == 0 and "Valley Courier" in r.output and "newsletter" in r.output
    out = tmp_path / "x.jsonl"
    r = CliRunner().invoke(cli, ["export", "--db", db, "--format", "jsonl", "-o", str(out)])
    (rec,) = [json.loads(x) for x in out.read_text().splitlines()]
    assert rec["publisher"] == "Valley Courier" and rec["published"] == "2023-06-15"
    assert rec["authors"] == ["Nadia Brandt"] and rec["text"].startswith("The regional water board")
    r = CliRunner().invoke(cli, ["runs", "--db", db])
    assert "empty.txt" in r.output


def test_show_unknown_id_is_a_clean_error(tmp_path):
    db = str(tmp_path / "t.duckdb")
    r = CliRunner().invoke(cli, ["show", "ffff", "--db", db])
    assert r.exit_code != 0 and "no article" in r.output


def test_parquet_needs_a_file(tmp_path):
    r = CliRunner().invoke(cli, ["export", "--db", str(tmp_path / "t.duckdb"), "--format", "parquet"])
    assert r.exit_code != 0 and "needs a file" in r.output


def test_real_entry_point_and_stdin(tmp_path):
    exe = shutil.which("narrascope", path=str(Path(sys.executable).parent))
    assert exe, "the narrascope script is installed beside the interpreter"
    db = str(tmp_path / "s.duckdb")
    p = subprocess.run([exe, "ingest", "-", "--db", db, "-q"], input=ARTICLE.encode(), capture_output=True)
    assert p.returncode == 0 and b"ingested 1" in p.stderr, p.stderr


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"narrascope {name}" in readme, name
