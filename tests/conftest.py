from __future__ import annotations

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
