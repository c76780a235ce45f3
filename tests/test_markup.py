import pytest

from narrascope.clean.markup import make_blocks

CASES = [
    ("Read the [full report](#) today.", "Read the full report today."),
    ("A [link](https://example.org/a_(b)) with parens.", "A link with parens."),
    ("Image ![a chart](img.png) gone.", "Image gone."),
    (r"Escaped \*stars\* stay.", "Escaped *stars* stay."),
    ("*Whole line in italics.*", "Whole line in italics."),
    ("**Bold** words.", "Bold words."),
    ("# A heading", "A heading"),
    ("\u201cCurly\u201d and \u2018single\u2019 and \u00abangled\u00bb", "\"Curly\" and 'single' and \"angled\""),
    ("non\u00a0breaking\u2009thin   runs", "non breaking thin runs"),
    ("soft\u00adhyphen zero\u200bwidth", "softhyphen zerowidth"),
    ("   leading and trailing   ", "leading and trailing"),
]


@pytest.mark.parametrize("raw,clean", CASES)
def test_markup_removed(raw, clean):
    (b,) = make_blocks(raw)
    assert b.text == clean


@pytest.mark.parametrize("raw,clean", CASES)
def test_every_character_maps_back(raw, clean):
    (b,) = make_blocks(raw)
    for i, ch in enumerate(b.text):
        src = raw[b.offsets.to_source(i)]
        assert src == ch or not src.isalnum() and not ch.isalnum(), (i, ch, src)


def test_blocks_are_lines_with_paragraph_gaps():
    raw = "Title line\n\nFirst para.\nSecond line\n\n\nThird."
    bs = make_blocks(raw)
    assert [b.text for b in bs] == ["Title line", "First para.", "Second line", "Third."]
    assert [b.gap_before for b in bs] == [True, True, False, True]
    assert [b.line for b in bs] == [1, 3, 4, 7]
    assert raw[bs[2].raw_start:bs[2].raw_end] == "Second line"


def test_italic_and_heading_marks():
    a, b = make_blocks("# Head\n\n*Lead paragraph in italics.*")
    assert a.heading and not a.italic
    assert b.italic and b.text == "Lead paragraph in italics."
