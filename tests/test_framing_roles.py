"""Entity-role features on sentences written for these tests: grammar, cue groups, the entity's
other sentences; the grouped TF-IDF rows; label definitions read from the task's CSV layout."""
import numpy as np
import pytest

from narrascope.extract.entities import parse
from narrascope.framing.dataset import read_definitions
from narrascope.framing.evaluate import Scores
from narrascope.framing.lexical import GroupedVectorizer, Vectorizer, feature_group
from narrascope.framing.rolecues import cue_features, dependency_features
from narrascope.framing.roles import frequency_bin, mention_features, name_key, occurrences
from narrascope.framing.taxonomy import Taxonomy


@pytest.mark.parametrize("text,mention,expected", [
    ("The minister lied to the voters about the budget.", "minister",
     {"dep|d:nsubj", "dep|g:nsubj:lie", "dep|gl:nsubj:deceit"}),
    ("The village was shelled by the rebels on Sunday.", "rebels", {"dep|d:agent", "dep|gl:agent:harm"}),
    ("The village was shelled by the rebels on Sunday.", "village", {"dep|d:nsubjpass", "dep|gl:nsubjpass:harm"}),
    ("The corrupt governor resigned on Friday.", "governor", {"dep|mod:corrupt", "dep|ml:corruption"}),
    ("Police arrested the activist outside the court.", "activist", {"dep|d:dobj", "dep|gl:dobj:repression"}),
    ("Marta Holm is a traitor, the paper said.", "Marta Holm", {"dep|o:nsubj:traitor", "dep|ol:nsubj:betrayal"}),
    ("Ferry workers protected the children during the storm.", "Ferry workers", {"dep|gl:nsubj:protection"}),
])
def test_the_grammatical_place_of_a_mention(text, mention, expected):
    s = text.index(mention)
    feats = set(dependency_features(parse(text), s, s + len(mention)))
    assert expected <= feats, feats


def test_a_sentence_without_cue_words_has_no_cue_features():
    assert cue_features(["the", "ferry", "left", "at", "noon"]) == []
    assert cue_features(["they", "lied", "and", "fled"]) == ["cue|deceit", "cue|harm"]


@pytest.mark.parametrize("mention,key", [
    ("President Volodymyr Zelensky", "Zelensky"), ("the Bashkir people", "Bashkir"), ("EU", None), ("dockers", "dockers"),
])
def test_the_name_key_of_a_mention(mention, key):
    assert name_key(mention) == key


TEXT = ("Governor Ilse Brandt closed the port on Monday. "
        "Fishermen said Brandt had lied about the storm damage. "
        "\"Brandt is a coward,\" one of them shouted. "
        "The ferry company praised Brandt for her caution.")


def test_mention_features_come_in_groups_with_the_mention_masked():
    s = TEXT.index("Ilse Brandt")
    feats = mention_features(TEXT, s, s + len("Ilse Brandt"), doc=parse(TEXT))
    groups = {feature_group(f) for f in feats}
    assert groups >= {"s", "lr", "w", "m", "e", "meta", "dep"}
    assert "s|governor" in feats and "s|brandt" not in feats          # its own words are not sentence words
    assert {"m|ilse", "m|brandt"} <= set(feats)
    assert "meta|freq:3-4" in feats                                    # "Brandt" four times
    assert {"e|lied", "e|coward", "e|praised"} <= set(feats)           # the entity's other sentences
    assert "meta|quoted" not in feats


def test_a_mention_inside_a_quotation_is_marked():
    s = TEXT.index("Brandt is a coward")
    feats = mention_features(TEXT, s, s + len("Brandt"))
    assert "meta|quoted" in feats
    assert not [f for f in feats if f.startswith("dep|")]               # no parse given: no grammar


@pytest.mark.parametrize("n,label", [(0, "1"), (1, "1"), (2, "2"), (4, "3-4"), (9, "5-9"), (30, "10+")])
def test_frequency_bins(n, label):
    assert frequency_bin(n) == label


def test_occurrences_are_whole_words():
    assert occurrences("Brandt met Brandtner and Brandt.", "Ilse Brandt") == [(0, 6), (25, 31)]


def test_grouped_rows_normalise_each_group_and_round_trip():
    gv = GroupedVectorizer({"s": Vectorizer({"s|port": 0, "s|storm": 1}, np.array([1.0, 2.0], np.float32)),
                            "dep": Vectorizer({"dep|d:nsubj": 0}, np.array([1.5], np.float32))},
                           {"s": 1.0, "dep": 0.5})
    X = gv.rows_from_features([["s|port", "s|storm", "dep|d:nsubj", "x|ignored"], ["s|port"], []])
    assert X.shape == (3, 3) and gv.size == 3
    assert np.linalg.norm(X[0, :2]) == pytest.approx(1.0)
    assert X[0, 2] == pytest.approx(0.5)
    assert X[1].tolist() == [1.0, 0.0, 0.0] and not X[2].any()
    meta, arrays = gv.to_arrays("rv")
    back = GroupedVectorizer.from_arrays("rv", meta, arrays)
    assert list(back.groups) == ["s", "dep"] and back.weights == gv.weights
    assert np.array_equal(back.rows_from_features([["s|storm", "dep|d:nsubj"]]),
                          gv.rows_from_features([["s|storm", "dep|d:nsubj"]]))


def test_definitions_follow_the_taxonomy_order_for_a_name_in_two_domains(tmp_path):
    tax = Taxonomy.from_json({"URW": {"Hidden plots": ["Secret labs"]}, "CC": {"Hidden plots": ["Elites"]}})
    (tmp_path / "narrative-definitions.csv").write_text(
        "\ufeffnarrative,definition,example\nHidden plots,War plots by powerful groups.,x\n"
        "Hidden plots,Climate plots by powerful groups.,y\n", encoding="utf-8")
    (tmp_path / "subnarrative-definitions.csv").write_text(
        "subnarrative,definition\nSecret labs,Labs said to make weapons.\nElites,\"Elites, said to gain.\"\n",
        encoding="utf-8")
    assert read_definitions(tmp_path, tax) == {
        "URW: Hidden plots": "War plots by powerful groups.", "CC: Hidden plots": "Climate plots by powerful groups.",
        "URW: Hidden plots: Secret labs": "Labs said to make weapons.", "CC: Hidden plots: Elites": "Elites, said to gain."}
    assert read_definitions(tmp_path / "missing", tax) == {}


def test_scores_print_the_majority_baseline_beside_the_model():
    s = Scores("cv", 10, 0.5, 0.4, 20, 0.25, 0.75, 0.05, 0.7)
    assert s.lines()[-1] == "  roles, majority-class baseline  exact match 0.050  main-role accuracy 0.700"
