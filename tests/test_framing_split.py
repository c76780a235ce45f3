"""The held-out test parts of the narrative data: fixed lists, left out of what the models fit on."""
import importlib.util
from pathlib import Path

import pytest

from conftest import ROOT, SHARED
from narrascope.framing import get_model, get_multilingual
from narrascope.framing.mltraining import ids_digest, load_pool, read_held_out

SPLIT = ROOT / "eval" / "framing_split"
DATA = SHARED / "semeval2025"
needs_data = pytest.mark.skipif(not (DATA / "multilingual").is_dir(), reason="no ../shared/semeval2025")


def _module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_lists_exist_and_do_not_overlap():
    held = read_held_out(SPLIT)
    assert sorted(held) == ["en", "ru"]
    assert len(held["en"]) == 100 and len(held["ru"]) == 33
    assert all(n.startswith("EN_") and n.endswith(".txt") for n in held["en"])
    assert all(n.startswith("RU-") and n.endswith(".txt") for n in held["ru"])
    assert len(set(held["en"])) == 100 and len(set(held["ru"])) == 33


def test_packaged_models_record_the_held_out_articles():
    n = sum(len(v) for v in read_held_out(SPLIT).values())
    assert get_model()[3]["held_out"] == n
    ml = get_multilingual()
    assert ml is not None and ml[2]["held_out"] == n


@needs_data
def test_training_leaves_the_test_parts_out():
    train = _module(ROOT / "train" / "train_framing.py", "train_framing_under_test")
    held = train.held_out_ids(SPLIT)
    assert len(held) == 133
    en = train.english_training_documents(DATA, SPLIT)
    en_ids = {d.id for d in en.labelled}
    assert len(en_ids) == 299 and not en_ids & held
    pool = load_pool(DATA, held)
    pool_ids = {d.id for d in pool.docs}
    assert not pool_ids & held
    assert pool.langs.count("ru") == 100 and pool.langs.count("en") == 299
    # the packaged models were fitted on exactly these articles
    assert get_model()[3]["trained_ids_sha256_16"] == ids_digest(en_ids)
    assert get_multilingual()[2]["trained_ids_sha256_16"] == ids_digest(pool_ids)
    assert ids_digest(en_ids | held) != ids_digest(en_ids)


@needs_data
def test_the_split_is_reproducible():
    split = _module(SPLIT / "make_split.py", "make_split_under_test")
    for lang in ("en", "ru"):
        assert split.make(DATA, lang) == read_held_out(SPLIT)[lang]
