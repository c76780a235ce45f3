from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import pytest

from narrascope.model import RawInput, content_id
from narrascope.pipeline import process

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold" / "seeds.json"
FIXTURES = Path(__file__).parent / "fixtures"


def article_from_text(text: str, source: str = "fixture.txt", fmt: str = "text", **given):
    """Run the default stages over a text written in the test."""
    raw = RawInput(source, text, fmt, "file", given=given, content_hash=content_id(text.encode()))
    return process(raw)


@pytest.fixture
def make_article():
    return article_from_text


def needs(path: Path):
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is not here")


def free_port() -> int:
    """A free TCP port on loopback for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_server(proc, probe, tries: int = 300) -> None:
    """Poll ``probe()`` every 0.1 s until it answers (not an OSError, not False); fail with the server's output."""
    for _ in range(tries):
        try:
            if probe() is not False:
                return
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError("the server stopped: " + proc.stdout.read().decode(errors="replace"))
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start")


def stop_server(proc, timeout: float = 10) -> str:
    """Stop a server a test started (killed if it does not stop in ``timeout`` s); its output."""
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return (out or b"").decode(errors="replace")
